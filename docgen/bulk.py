"""Bulk filing: one motion with an Exhibit A listing every eligible conviction, and one order.

Used by packs with `[pack] filing_mode = "bulk"` (California under H&S 11361.9: the District
Attorney files one motion, the presiding judge signs one order covering the whole exhibit; Will
County, Illinois: the State's Attorney's motion to vacate and expunge for every listed case, one
order for the Chief Judge citing the exhibit by page and case number range). What the caption,
signature, service list and order say comes from the pack's wording and `[bulk]` table; the layout
(pleading paper or the Illinois caption) from its templates.

The exhibit must handle tens of thousands of rows. One HTML <table> of 50,000 rows costs
WeasyPrint time and memory that grow faster than the rows, and even small per-page tables cost
about 7 ms a row (a box per cell, a line box per line, a tag tree to strip, chunks to join), so
the exhibit is laid out here and drawn without a layout engine:

- every cell's line breaks are computed from the bundled font's advance widths (greedy word wrap
  into the column's width, with a safety margin), so the height of every row is known exactly;
- rows are packed into pages by that height, so the page count ("Page X of Y") is known before
  anything is drawn, and every page repeats the header row;
- the motion and the exhibit's cover page are rendered from the pack's templates; the table
  pages are content streams of positioned lines (docgen.exhibit_pdf), about 0.1 ms a row;
- the file stays a tagged PDF: the parts' structure trees are joined and the exhibit's /Table
  (one /TR per row, one /TH or /TD per cell) is appended as raw objects (docgen.pdf_tags);
- a file that would pass `[pack] max_document_bytes` is split into numbered volumes, between
  groups of about `[bulk] chunk_rows` rows (one "Rows a-b" bookmark each).

50,000 rows (3,855 pages): about 7 s, a few hundred MB and a 14 MB file, of which the tags
take about 1 s and 7.7 MB (bench/ca_exhibit.py).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pikepdf

from docgen import exhibit_pdf, pdf_tags
from docgen.errors import PackError
from docgen.model import Case, ChargeRow, Person
from docgen.output import write_atomic
from docgen.packs import FONTS_DIR, Pack
from docgen.viewmodel import DocumentSpec, case_document, long_date, short_date
from docgen.viewmodel import _agencies as agency_lines

# Exhibit page geometry (must match the pack's style.css `@page exhibit` and `.exhibit` rules).
PT_PER_IN = 72.0
EXHIBIT_FONT_PT = 12.0
EXHIBIT_LINE_PT = 14.0
CELL_PAD_X_PT = 3.0  # left and right padding of a cell
CELL_PAD_Y_PT = 2.0  # top and bottom padding of a cell
RULE_PT = 0.5
WRAP_SAFETY_PT = 3.0  # wrap a little early: shaping may differ from summed advances by a hair


# ---------------------------------------------------------------- text measurement


class _Advances(dict[int, int]):
    """Advance width per code point; characters the font lacks (CJK) fall back to WenQuanYi:
    count them as 1 em, wide enough."""

    def __init__(self, widths: dict[int, int], em: int) -> None:
        super().__init__(widths)
        self.em = em

    def __missing__(self, code: int) -> int:
        return self.em


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[_Advances, int]:
    from fontTools.ttLib import TTFont

    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    font = TTFont(FONTS_DIR / name, lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"].metrics
    upm = font["head"].unitsPerEm
    return _Advances({code: hmtx[glyph][0] for code, glyph in cmap.items()}, upm), upm


def text_width(text: str, size: float = EXHIBIT_FONT_PT, bold: bool = False) -> float:
    widths, upm = _advances(bold)
    return sum(map(widths.__getitem__, map(ord, text))) * size / upm


def wrap(text: str, width: float, size: float = EXHIBIT_FONT_PT, bold: bool = False) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `width` points (long words split)."""
    joined = " ".join(text.split())
    if text_width(joined, size, bold) <= width:  # most cells: one line, measured once
        return [joined]
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, size, bold) > width:  # one word wider than the column
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size, bold) > width:
                cut -= 1
            # Prefer a break after a hyphen or slash ("2011-MC1-" / "9550725") to one mid-number.
            soft = max(word.rfind("-", 0, cut), word.rfind("/", 0, cut))
            if soft > 0:
                cut = soft + 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


# ---------------------------------------------------------------- view models


def exhibit_name(charge: ChargeRow) -> str:
    given = " ".join(p for p in (charge.first_name, charge.middle_name) if p)
    name = f"{charge.last_name}, {given}" if given else charge.last_name
    return f"{name}, {charge.name_suffix}" if charge.name_suffix else name


def _caption(pack: Pack, defendant: str, role: str, case_number: str, title: str) -> dict:
    court = pack.config.court
    return {
        "court_lines": list(court["lines"]),
        # Layouts whose caption names a division or has the clerk's stamp box (Illinois) use these.
        "division": str(court.get("bulk_division", court.get("default_division", ""))).upper(),
        "stamp_box": bool(court.get("stamp_box")),
        "plaintiff": court["plaintiff"],
        "plaintiff_role": court["plaintiff_role"],
        "defendant": defendant,
        "defendant_role": role,
        "case_label": court["case_label"],
        "case_number": case_number,
        "title": title,
    }


def _attorney_block(pack: Pack) -> list[str]:
    """The attorney block above the caption (pleading paper); layouts without one have none."""
    office = pack.config.office
    return [
        pack.render_text(line, {"office": office}, "office.attorney_block")
        for line in office.get("attorney_block", [])
    ]


def _common(pack: Pack, run_date: date) -> dict[str, Any]:
    cfg = pack.config
    return {
        "office": cfg.office,
        "court": cfg.court,
        "law": cfg.law,
        "date_long": long_date(run_date, "en"),
        "date_short": short_date(run_date),
    }


def bulk_settings(pack: Pack) -> dict[str, Any]:
    return dict((pack.config.model_extra or {}).get("bulk", {}))


def per_case_orders(pack: Pack) -> bool:
    """`[bulk] orders = "per_case"`: one order per case instead of one for the whole exhibit."""
    return bulk_settings(pack).get("orders", "bulk") == "per_case"


def _by_name(c: ChargeRow) -> tuple[Any, ...]:
    return (
        c.last_name.casefold(),
        c.first_name.casefold(),
        c.middle_name.casefold(),
        c.date_of_birth,
        c.case_number,
        c.disposition_date,
        c.row,
    )


def _by_case_number(c: ChargeRow) -> tuple[Any, ...]:
    return (c.case_number, *_by_name(c))


# `[bulk] exhibit_order`: by name (California's exhibits), or by case number, so that each page
# of the exhibit covers one range of case numbers an order can cite (Illinois).
EXHIBIT_ORDERS = {"name": _by_name, "case_number": _by_case_number}


def birth_in_filings(pack: Pack, born: date) -> str:
    """A birth date as the pack's filings show it: `[pack] birth_date_in_filings` "full" or
    "year" (Ill. S. Ct. R. 138: no more of a birth date than needed)."""
    return str(born.year) if pack.config.pack.birth_date_in_filings == "year" else short_date(born)


def exhibit_rows(pack: Pack, people: list[Person]) -> list[tuple[str, ...]]:
    """Every conviction that gets relief, sorted by name (or case number), birth date, case, date.

    Each row: number, case number, name, birth, statute, disposition date, relief, input row.
    """
    documents = tuple(pack.config.determinations.documents)
    settings = bulk_settings(pack)
    relief = settings.get("relief_labels", {})
    order = settings.get("exhibit_order", "name")
    if order not in EXHIBIT_ORDERS:
        raise PackError(
            f"{pack.directory / 'pack.toml'}: [bulk] exhibit_order {order!r} is not one of "
            f"{', '.join(EXHIBIT_ORDERS)}"
        )
    sort_key = EXHIBIT_ORDERS[order]
    # Each charge becomes its sort key and its cells at once, as people are read one at a time:
    # the ChargeRows themselves are never all held (a few hundred bytes a row instead of 4 KB).
    keyed = sorted(
        (
            (
                sort_key(c),
                (
                    c.case_number,
                    exhibit_name(c),
                    birth_in_filings(pack, c.date_of_birth),
                    c.statute,
                    short_date(c.disposition_date),
                    relief.get(c.determination, c.determination),
                    str(c.row),
                ),
            )
            for p in people
            for case in p.cases
            for c in case.charges_with(documents)
        ),
        key=lambda keyed_row: keyed_row[0],  # stable: equal keys keep their reading order
    )
    return [(str(i), *cells) for i, (_, cells) in enumerate(keyed, 1)]


def bulk_specs(pack: Pack, people: list[Person], run_date: date) -> list[DocumentSpec]:
    """The bulk motion (with its exhibit rows) and the bulk order."""
    rows = exhibit_rows(pack, people)
    if not rows:
        return []
    settings = bulk_settings(pack)
    labels = settings.get("relief_labels", {})
    documents = tuple(pack.config.determinations.documents)
    counts = {
        "rows": len(rows),
        "people": sum(1 for p in people if any(c.charges_with(documents) for c in p.cases)),
        "cases": len({r[1] for r in rows}),
        "dismiss": sum(1 for r in rows if r[6] == labels.get("dismiss_seal")),
        "reduce": sum(1 for r in rows if r[6] == labels.get("reduce")),
    }
    ctx = _common(pack, run_date) | {"counts": counts}
    court = pack.config.court
    charges = [c for p in people for case in p.cases for c in case.charges_with(documents)]
    # Where Exhibit A's pages begin and end, when the order cites them (Illinois).
    page_bounds = (
        exhibit_page_bounds(pack, rows) if settings.get("order_cites_exhibit_pages") else []
    )
    specs = []
    kinds = [("bulk-motion", "bulk_motion")]
    if not per_case_orders(pack):
        kinds.append(("bulk-order", "bulk_order"))
    for kind, section in kinds:
        w = pack.render_wording(pack.wording(section), ctx, section)
        view = {
            "lang": "en",
            "title": w["footer_title"],
            "attorney": _attorney_block(pack),
            "caption": _caption(
                pack,
                court["bulk_defendants"],
                court["bulk_defendant_role"],
                court.get("bulk_case_number", ""),
                w["title"],
            ),
            "heading": {"title": w["title"], "subtitle": w.get("subtitle", "")},
            "unbreakable": [str(v) for k, v in pack.config.law.items() if k.endswith("_statute")],
            "wording": w,
            "signature": _signature(pack, w),
            # The box a judge marks to deny the order (read back by docgen ingest-signed).
            "denied_mark": w.get("denied_mark", ""),
            "judge": {
                "title": court.get("bulk_judge_title", court["judge_title"]),
                "number_label": court.get("judge_number_label", ""),
                "date_label": "Dated",
            },
            "exhibit": {
                "label": settings["exhibit_label"],
                "title": w.get("exhibit_title", ""),
                "headers": list(settings["exhibit_headers"]),
            },
        }
        if "service_title" in w:  # a certificate of service in the motion itself (Illinois)
            view["service"] = {
                "title": w["service_title"],
                "intro": w["service_intro"],
                "recipients": [*agencies(pack, charges, "serve"), w["service_person"]],
                "note": w.get("service_note", ""),
                "signer": f"/s/ {pack.config.office['signer']}",
            }
        if "agencies_intro" in w:  # the order lists the agencies that must comply (Illinois)
            view["comply_agencies"] = agencies(pack, charges, "comply")
        if "prepared_by_lines" in w:
            view["prepared_by"] = {
                "label": w.get("prepared_by", ""),
                "lines": wording_lines(w["prepared_by_lines"]),
            }
        if kind == "bulk-motion":
            view["exhibit_rows"] = rows
            if page_bounds:  # the DOCX exhibit breaks its pages where the PDF's break
                view["exhibit_page_rows"] = [rows[a:b] for a, b in page_bounds]
        elif page_bounds:
            view["exhibit_pages"] = exhibit_page_index(rows, page_bounds)
        specs.append(
            DocumentSpec(
                kind=kind,
                relpath=f"bulk/{settings['files'][kind]}",
                lang="en",
                title=w["footer_title"],
                bookmark=w["footer_title"],
                context=view,
                rows=tuple(sorted(int(r[7]) for r in rows)),
            )
        )
    return specs


def agencies(pack: Pack, charges: list[ChargeRow], purpose: str) -> list[str]:
    """The pack's agencies to serve ("serve") or ordered to comply ("comply"), then every arresting
    agency of the listed convictions and its chief legal officer, as for a per-case motion."""
    every_case = Case(case_number="", court_division="", charges=charges)
    return agency_lines(pack, every_case, purpose)


def exhibit_page_bounds(pack: Pack, rows: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(first, end) row index of each exhibit page, laid out as the motion's exhibit is."""
    _, pages = paginate(rows, list(bulk_settings(pack)["exhibit_headers"]), geometry(pack))
    bounds, first = [], 0
    for page in pages:
        bounds.append((first, first + len(page)))
        first += len(page)
    return bounds


def exhibit_page_index(
    rows: list[tuple[str, ...]], bounds: list[tuple[int, int]]
) -> list[dict[str, str]]:
    """Per exhibit page: its number, its rows and its first and last case numbers, so an order
    can cite the exhibit by page and range."""
    return [
        {
            "page": str(number),
            "rows": f"{rows[first][0]}\u2013{rows[end - 1][0]}",
            "first_case": rows[first][1],
            "last_case": rows[end - 1][1],
        }
        for number, (first, end) in enumerate(bounds, 1)
    ]


def wording_lines(values: list[str]) -> list[str]:
    """Rendered wording lines as printed lines: a value may hold several (an address joined with
    newlines) or none (a line for a field the office left empty)."""
    return [part.strip() for value in values for part in value.split("\n") if part.strip()]


def _signature(pack: Pack, w: dict[str, Any]) -> dict[str, Any]:
    office = pack.config.office
    if "signature" in w:  # the wording's own signature lines (Illinois: /s/, office, code)
        return {"dated": w.get("dated", ""), "lines": wording_lines(w["signature"])}
    if "bar_number" not in office:  # nothing for the attorney to sign here (an Illinois order)
        return {"dated": w.get("dated", ""), "lines": []}
    return {
        "dated": w.get("dated", ""),
        "lines": [
            f"/s/ {office['signer']}",
            f"{office['signer']}, {office['signer_title']}",
            f"State Bar No. {office['bar_number']}",
            office["name"],
        ],
    }


def case_order(pack: Pack, person: Person, case: Any, run_date: date) -> DocumentSpec:
    """A per-case order (pack setting `[bulk] orders = "per_case"`), on pleading paper."""
    documents = tuple(pack.config.determinations.documents)
    relief = bulk_settings(pack)["relief_labels"]
    charges = case.charges_with(documents)
    ctx = _common(pack, run_date) | {
        "defendant": person.full_name,
        "case_number": case.case_number,
        "charges": charges,
    }
    w = pack.render_wording(pack.wording("case_order"), ctx, "case_order")
    court = pack.config.court
    view = {
        "lang": "en",
        "title": w["footer_title"],
        "attorney": _attorney_block(pack),
        "caption": _caption(
            pack, person.full_name.upper(), court["defendant_role"], case.case_number, w["title"]
        ),
        "wording": w,
        "signature": _signature(pack, w),
        "judge": {"title": court["judge_title"], "date_label": "Dated"},
        "charges": {
            "headers": list(bulk_settings(pack)["case_headers"]),
            "rows": [
                [c.statute, short_date(c.disposition_date), relief.get(c.determination, "")]
                for c in charges
            ],
        },
    }
    return case_document("order", person, case, w["footer_title"], view, charges)


# ---------------------------------------------------------------- exhibit layout


@dataclass(frozen=True, slots=True)
class ExhibitGeometry:
    column_widths_in: tuple[float, ...]
    page_height_in: float  # height of the exhibit page area
    page_size_in: tuple[float, float] = (11.0, 8.5)  # Letter landscape
    margin_in: float = 0.75  # every side

    @property
    def column_widths_pt(self) -> tuple[float, ...]:
        return tuple(w * PT_PER_IN for w in self.column_widths_in)


def geometry(pack: Pack) -> ExhibitGeometry:
    settings = bulk_settings(pack)
    return ExhibitGeometry(
        column_widths_in=tuple(settings["exhibit_column_widths_in"]),
        page_height_in=settings["exhibit_page_height_in"],
        page_size_in=tuple(settings.get("exhibit_page_size_in", (11.0, 8.5))),
        margin_in=float(settings.get("exhibit_margin_in", 0.75)),
    )


def _row_height(lines: int) -> float:
    return lines * EXHIBIT_LINE_PT + 2 * CELL_PAD_Y_PT + RULE_PT


def layout_cells(cells: tuple[str, ...], widths: tuple[float, ...], bold: bool) -> list[list[str]]:
    return [
        wrap(text, width - 2 * CELL_PAD_X_PT - WRAP_SAFETY_PT, bold=bold)
        for text, width in zip(cells, widths, strict=True)
    ]


def paginate(
    rows: list[tuple[str, ...]], headers: list[str], geo: ExhibitGeometry
) -> tuple[list[list[str]], list[list[list[list[str]]]]]:
    """(header cells as lines, pages: each a list of rows, each row a list of cell lines).

    Page height budget: the page title line (label and "Page X of Y", 2 lines), the header row,
    then rows while they fit. A row never splits across pages.
    """
    widths = geo.column_widths_pt
    head = layout_cells(tuple(headers), widths, bold=True)
    budget = geo.page_height_in * PT_PER_IN - 2 * EXHIBIT_LINE_PT - 6 - RULE_PT
    budget -= _row_height(max(len(c) for c in head))
    pages: list[list[list[list[str]]]] = []
    page: list[list[list[str]]] = []
    used = 0.0
    for row in rows:
        cells = layout_cells(row[: len(widths)], widths, bold=False)
        height = _row_height(max(len(c) for c in cells))
        if page and used + height > budget:
            pages.append(page)
            page, used = [], 0.0
        page.append(cells)
        used += height
    if page:
        pages.append(page)
    return head, pages


# ---------------------------------------------------------------- rendering


@dataclass(slots=True)
class Volume:
    relpath: str
    data: bytes
    rows: list[int]
    pages: int


@dataclass(frozen=True, slots=True)
class _RowGroup:
    """About `[bulk] chunk_rows` rows of whole pages: one "Rows a-b" bookmark; volumes split
    between groups."""

    first_page: int  # index into the exhibit's table pages
    end_page: int
    first_row: int  # exhibit row numbers (1-based)
    last_row: int
    bytes: int  # the pages' deflated content plus their share of the file


def _row_groups(pages: list, contents: list[bytes], chunk_rows: int) -> list[_RowGroup]:
    groups: list[_RowGroup] = []
    start, count, row_no = 0, 0, 0
    for i, page in enumerate(pages):
        count += len(page)
        if count >= chunk_rows or i == len(pages) - 1:
            size = sum(len(c) + exhibit_pdf.PAGE_OVERHEAD_BYTES for c in contents[start : i + 1])
            size += sum(  # the rows' structure elements (tags)
                len(row) * exhibit_pdf.TAG_BYTES_PER_CELL + exhibit_pdf.TAG_BYTES_PER_ROW
                for page_rows in pages[start : i + 1]
                for row in page_rows
            )
            groups.append(_RowGroup(start, i + 1, row_no + 1, row_no + count, size))
            start, row_no, count = i + 1, row_no + count, 0
    return groups


def _heading_lines(label: str, title: str, page_label_width: float, table_width: float) -> str:
    """The title line's text; it may take the line's 2 lines, never the "Page X of Y" corner."""
    lines = wrap(
        f"{label}: {title}" if title else label, table_width - page_label_width - 12, bold=True
    )
    if len(lines) > 2:  # the title line has room for 2 lines: never cut a pack's wording
        raise PackError(
            f"the exhibit title ({label}: ...) needs {len(lines)} lines on the exhibit's title "
            "line, which holds 2: shorten the wording's exhibit_title"
        )
    return "\n".join(lines)


def _assemble(
    parts: list[tuple[bytes, list[tuple[str, int]]]],
    drawn: list[bytes],
    drawn_rows: list[int],
    columns: int,
    drawn_marks: list[tuple[str, int]],
    fonts: exhibit_pdf.Fonts,
    title: str,
    identity: bytes,
    page_size_pt: tuple[float, float],
) -> tuple[bytes, int]:
    """One tagged PDF/A file: the pages of `parts` (rendered PDFs), then the `drawn` exhibit pages.

    Marks are (bookmark, page index within the part, or within `drawn`); a label starting with
    two spaces is a child of the last top-level one. `identity` (the motion, a PDF/A-2b file from
    WeasyPrint) lends its output intent and XMP identification. Returns bytes and page count.

    Structure: the parts' trees become one (pdf_tags.carry_structure); after them the document
    element gets the exhibit's /H2 heading and its /Table, whose rows and cells (`drawn_rows`
    data rows of `columns` cells on each drawn page, the first page opening the table) are
    appended to the saved file as raw objects (exhibit_pdf.table_objects): about 400,000 of
    them for 50,000 rows, too many to build as pikepdf objects.
    """
    from docgen.batches import identify_bundle

    out = pikepdf.new()
    sources: list[pikepdf.Pdf] = []
    try:
        marks: list[tuple[str, int]] = []
        tagged: list[tuple[pikepdf.Pdf, int]] = []
        for data, part_marks in parts:
            src = pikepdf.open(io.BytesIO(data))
            sources.append(src)
            tagged.append((src, len(out.pages)))
            marks.extend((label, len(out.pages) + index) for label, index in part_marks)
            out.pages.extend(src.pages)
        structure = pdf_tags.carry_structure(out, tagged)
        first_drawn = len(out.pages)
        first_key = structure.next_key
        first_page = exhibit_pdf.append_pages(out, drawn, fonts, page_size_pt, first_key)
        leaf = None
        if first_page is not None:
            element = pikepdf.Name.StructElem
            heading = pikepdf.Dictionary(
                Type=element, S=pikepdf.Name.H2, P=structure.document, Pg=first_page, K=0
            )
            table = pikepdf.Dictionary(Type=element, S=pikepdf.Name.Table, P=structure.document)
            structure.document.K = pikepdf.Array(
                [
                    *structure.document.get("/K", []),
                    out.make_indirect(heading),
                    out.make_indirect(table),
                ]
            )
            structure.next_key += len(drawn)
            limits = pikepdf.Array([first_key, structure.next_key - 1])
            leaf = out.make_indirect(pikepdf.Dictionary(Limits=limits, Nums=pikepdf.Array()))
        pdf_tags.install(out, structure, leaf)
        marks.extend((label, first_drawn + index) for label, index in drawn_marks)
        with out.open_outline() as outline:
            parent: pikepdf.OutlineItem | None = None
            for label, page in marks:
                item = pikepdf.OutlineItem(label.strip(), page)
                if label.startswith("  ") and parent is not None:
                    parent.children.append(item)
                else:
                    outline.root.append(item)
                    parent = item
        sources.append(pikepdf.open(io.BytesIO(identity)))
        identify_bundle(out, sources[-1], title)
        out.docinfo["/Title"] = title
        out.Root.PageMode = pikepdf.Name.UseOutlines
        buffer = io.BytesIO()
        out.save(
            buffer,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        page_count = len(out.pages)
    finally:
        for src in sources:
            src.close()
        out.close()
    if not drawn:
        return buffer.getvalue(), page_count
    # The placeholders' numbers in the saved file (saving renumbers objects).
    with pikepdf.open(buffer) as saved:
        tree = saved.Root.StructTreeRoot
        document = tree.K[0]
        tags = exhibit_pdf.TableTags(
            document=document.objgen[0],
            table=document.K[-1].objgen[0],
            parent_tree_leaf=tree.ParentTree.Kids[-1].objgen[0],
            heading=document.K[-2].objgen[0],
            first_key=first_key,
            first_new=int(saved.trailer.Size),
        )
        page_numbers = _page_numbers(saved.Root.Pages)[first_drawn:]
    objects = exhibit_pdf.table_objects(
        tags, list(zip(page_numbers, drawn_rows, strict=True)), columns
    )
    return pdf_tags.append_objects(buffer.getvalue(), objects), page_count


def _page_numbers(node: pikepdf.Object) -> list[int]:
    """Object numbers of the pages under a page-tree node, in order (quicker than `Pdf.pages`,
    which wraps every page: half a second for 4,000 pages)."""
    if node.get("/Type") != pikepdf.Name.Pages:
        return [node.objgen[0]]
    return [number for kid in node.Kids for number in _page_numbers(kid)]


def render_bulk_motion_pdf(renderer: Any, spec: DocumentSpec) -> list[Volume]:
    """Motion (pleading paper) + Exhibit A; split into volumes if the file would be too big.

    The motion and the exhibit's cover page are rendered from the pack's templates (WeasyPrint);
    the table pages, already laid out by `paginate`, are drawn by docgen.exhibit_pdf.
    """
    pack: Pack = renderer.pack
    settings = bulk_settings(pack)
    view = spec.context
    rows: list[tuple[str, ...]] = view["exhibit_rows"]
    exhibit = view["exhibit"]
    geo = geometry(pack)
    head, pages = paginate(rows, exhibit["headers"], geo)
    chunk_rows = int(settings.get("chunk_rows", 2000))
    max_bytes = int(pack.config.pack.max_document_bytes)
    label = exhibit["label"]

    def rendered(kind: str, title: str, context: dict[str, Any]) -> bytes:
        return renderer.render(
            DocumentSpec(
                kind=kind,
                relpath=spec.relpath,
                lang=spec.lang,
                title=title,
                bookmark=title,
                context=context,
                rows=(),
            )
        )

    motion_pdf = rendered(
        spec.kind, spec.title, {k: v for k, v in view.items() if k != "exhibit_rows"}
    )
    cover_pdf = rendered(
        "exhibit",
        f"{spec.title}, {label}",
        {
            "label": label,
            "title": exhibit["title"],
            "footer_title": spec.title,
            "cover": True,
            "cover_text": view["wording"].get("exhibit_cover", ""),
        },
    )

    fonts = exhibit_pdf.Fonts()
    total = len(pages)
    widths = geo.column_widths_pt
    page_label_width = fonts.width(f"Page {total} of {total}", "bold", EXHIBIT_FONT_PT)
    drawer = exhibit_pdf.PageDrawer(
        exhibit_pdf.PageText(
            heading=_heading_lines(label, exhibit["title"], page_label_width, sum(widths)),
            footer=spec.title,
            head=head,
            column_widths_pt=widths,
            total_pages=total,
            page_size_pt=(geo.page_size_in[0] * PT_PER_IN, geo.page_size_in[1] * PT_PER_IN),
            margin_pt=geo.margin_in * PT_PER_IN,
        ),
        fonts,
    )
    contents = [
        drawer.page(number, page, opens_table=number == 1) for number, page in enumerate(pages, 1)
    ]
    groups = _row_groups(pages, contents, chunk_rows)

    # Volumes: the motion, the cover and as many row groups as fit under 90 % of the size limit.
    font_bytes = fonts.embedded_bytes_estimate()
    limit = max_bytes * 0.9
    volume_groups: list[list[_RowGroup]] = [[]]
    size = len(motion_pdf) + len(cover_pdf) + font_bytes
    for group in groups:
        if volume_groups[-1] and size + group.bytes > limit:
            volume_groups.append([])
            size = font_bytes
        volume_groups[-1].append(group)
        size += group.bytes

    row_numbers = [int(r[7]) for r in rows]
    volumes: list[Volume] = []
    for v, members in enumerate(volume_groups, 1):
        parts: list[tuple[bytes, list[tuple[str, int]]]] = []
        drawn_marks: list[tuple[str, int]] = []
        if v == 1:
            parts = [(motion_pdf, [(spec.title, 0)]), (cover_pdf, [(label, 0)])]
        else:
            drawn_marks.append((f"{label} (continued)", 0))
        first_page = members[0].first_page
        drawn = contents[first_page : members[-1].end_page]
        if v > 1:  # a later volume's first exhibit page opens its table (heading, header row)
            drawn[0] = drawer.page(first_page + 1, pages[first_page], opens_table=True)
        for group in members:
            marks_at = group.first_page - first_page
            drawn_marks.append((f"  Rows {group.first_row:,}\u2013{group.last_row:,}", marks_at))
        title = spec.title if len(volume_groups) == 1 else f"{spec.title}, Volume {v}"
        data, npages = _assemble(
            parts,
            drawn,
            [len(page) for page in pages[first_page : members[-1].end_page]],
            len(widths),
            drawn_marks,
            fonts,
            title,
            identity=motion_pdf,
            page_size_pt=drawer.text.page_size_pt,
        )
        relpath = spec.relpath if len(volume_groups) == 1 else f"{spec.relpath}-vol-{v:02d}"
        covered = row_numbers[members[0].first_row - 1 : members[-1].last_row]
        volumes.append(Volume(relpath, data, sorted(covered), npages))
    return volumes


def write_bulk_motion(run_dir: Path, spec: DocumentSpec, renderers: dict[str, Any]) -> list:
    """Render and write the bulk motion in every format; FileEntries for the manifest."""
    from docgen.pipeline import FileEntry

    entries = []
    pdf = renderers.get("pdf")
    if pdf is not None:
        for vol in render_bulk_motion_pdf(pdf, spec):
            relpath = f"{vol.relpath}.pdf"
            write_atomic(run_dir / relpath, vol.data)
            entries.append(
                FileEntry(
                    path=relpath,
                    kind=spec.kind,
                    format="pdf",
                    sha256=hashlib.sha256(vol.data).hexdigest(),
                    bytes=len(vol.data),
                    pages=vol.pages,
                    rows=vol.rows,
                    language=spec.lang,
                )
            )
    docx = renderers.get("docx")
    if docx is not None:
        data = docx.render(spec)
        relpath = f"{spec.relpath}.docx"
        write_atomic(run_dir / relpath, data)
        entries.append(
            FileEntry(
                path=relpath,
                kind=spec.kind,
                format="docx",
                sha256=hashlib.sha256(data).hexdigest(),
                bytes=len(data),
                pages=None,
                rows=list(spec.rows),
                language=spec.lang,
            )
        )
    return entries
