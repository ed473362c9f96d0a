"""Bulk filing: one motion with an Exhibit A listing every eligible conviction, and one order.

Used by packs with `[pack] filing_mode = "bulk"` (California under H&S 11361.9: the District
Attorney files one motion, the presiding judge signs one order covering the whole exhibit).

The exhibit must handle tens of thousands of rows. One HTML <table> of 50,000 rows costs
WeasyPrint time and memory that grow faster than the rows, so the exhibit is laid out here:

- every cell's line breaks are computed from the bundled font's advance widths (greedy word wrap
  into the column's width, with a safety margin), so the height of every row is known exactly;
- rows are packed into pages by that height, so the page count ("Page X of Y") is known before
  anything is rendered, and each page is its own small table with its own header row;
- pages are rendered in chunks of about `[bulk] chunk_rows` rows (one WeasyPrint pass each) and
  the chunks are joined with pikepdf, keeping the PDF/A identification of the parts;
- a file that would pass `[pack] max_document_bytes` is split into numbered volumes.

Time and memory are linear in the rows: one chunk is in memory at a time.
"""

from __future__ import annotations

import gc
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pikepdf

from docgen.model import ChargeRow, Person
from docgen.output import write_atomic
from docgen.packs import FONTS_DIR, Pack
from docgen.viewmodel import DocumentSpec, case_document, long_date, short_date

# Exhibit page geometry (must match the pack's style.css `@page exhibit` and `.exhibit` rules).
PT_PER_IN = 72.0
EXHIBIT_FONT_PT = 12.0
EXHIBIT_LINE_PT = 14.0
CELL_PAD_X_PT = 3.0  # left and right padding of a cell
CELL_PAD_Y_PT = 2.0  # top and bottom padding of a cell
RULE_PT = 0.5
WRAP_SAFETY_PT = 3.0  # wrap a little early: shaping may differ from summed advances by a hair


# ---------------------------------------------------------------- text measurement


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, int], int, int]:
    from fontTools.ttLib import TTFont

    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    font = TTFont(FONTS_DIR / name, lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"].metrics
    upm = font["head"].unitsPerEm
    widths = {code: hmtx[glyph][0] for code, glyph in cmap.items()}
    # Characters the font lacks (CJK) fall back to WenQuanYi: count them as 1 em, wide enough.
    return widths, upm, upm


def text_width(text: str, size: float = EXHIBIT_FONT_PT, bold: bool = False) -> float:
    widths, upm, missing = _advances(bold)
    return sum(widths.get(ord(ch), missing) for ch in text) * size / upm


def wrap(text: str, width: float, size: float = EXHIBIT_FONT_PT, bold: bool = False) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `width` points (long words split)."""
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
        "plaintiff": court["plaintiff"],
        "plaintiff_role": court["plaintiff_role"],
        "defendant": defendant,
        "defendant_role": role,
        "case_label": court["case_label"],
        "case_number": case_number,
        "title": title,
    }


def _attorney_block(pack: Pack) -> list[str]:
    office = pack.config.office
    return [
        pack.render_text(line, {"office": office}, "office.attorney_block")
        for line in office["attorney_block"]
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


def exhibit_rows(pack: Pack, people: list[Person]) -> list[tuple[str, ...]]:
    """Every conviction that gets relief, sorted by name, birth date, case and date."""
    documents = tuple(pack.config.determinations.documents)
    relief = bulk_settings(pack).get("relief_labels", {})
    charges = [c for p in people for case in p.cases for c in case.charges_with(documents)]
    charges.sort(
        key=lambda c: (
            c.last_name.casefold(),
            c.first_name.casefold(),
            c.middle_name.casefold(),
            c.date_of_birth,
            c.case_number,
            c.disposition_date,
            c.row,
        )
    )
    return [
        (
            str(i),
            c.case_number,
            exhibit_name(c),
            short_date(c.date_of_birth),
            c.statute,
            short_date(c.disposition_date),
            relief.get(c.determination, c.determination),
            str(c.row),
        )
        for i, c in enumerate(charges, 1)
    ]


def bulk_specs(pack: Pack, people: list[Person], run_date: date) -> list[DocumentSpec]:
    """The bulk motion (with its exhibit rows) and the bulk order."""
    rows = exhibit_rows(pack, people)
    if not rows:
        return []
    settings = bulk_settings(pack)
    counts = {
        "rows": len(rows),
        "people": len({(r[2], r[3]) for r in rows}),
        "dismiss": sum(1 for r in rows if r[6] == settings["relief_labels"]["dismiss_seal"]),
        "reduce": sum(1 for r in rows if r[6] == settings["relief_labels"]["reduce"]),
    }
    ctx = _common(pack, run_date) | {"counts": counts}
    court = pack.config.court
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
            "wording": w,
            "signature": _signature(pack, w),
            "judge": {"title": court["judge_title"], "date_label": "Dated"},
            "exhibit": {
                "label": settings["exhibit_label"],
                "title": w.get("exhibit_title", ""),
                "headers": list(settings["exhibit_headers"]),
            },
        }
        if kind == "bulk-motion":
            view["exhibit_rows"] = rows
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


def _signature(pack: Pack, w: dict[str, Any]) -> dict[str, Any]:
    office = pack.config.office
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

    @property
    def column_widths_pt(self) -> tuple[float, ...]:
        return tuple(w * PT_PER_IN for w in self.column_widths_in)


def geometry(pack: Pack) -> ExhibitGeometry:
    settings = bulk_settings(pack)
    return ExhibitGeometry(
        column_widths_in=tuple(settings["exhibit_column_widths_in"]),
        page_height_in=settings["exhibit_page_height_in"],
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


def _join(parts: list[tuple[Path, list[tuple[str, int]]]], title: str) -> bytes:
    """Join PDFs (path, [(bookmark, page index within the part), ...]) into one PDF/A file."""
    from docgen.batches import identify_bundle

    out = pikepdf.new()
    sources: list[pikepdf.Pdf] = []
    try:
        with out.open_outline() as outline:
            parent: pikepdf.OutlineItem | None = None
            for path, marks in parts:
                src = pikepdf.open(path)
                sources.append(src)
                first = len(out.pages)
                out.pages.extend(src.pages)
                for label, index in marks:
                    item = pikepdf.OutlineItem(label, first + index)
                    if label.startswith("  ") and parent is not None:
                        item.title = label.strip()
                        parent.children.append(item)
                    else:
                        outline.root.append(item)
                        parent = item
        identify_bundle(out, sources[0], title)
        out.docinfo["/Title"] = title
        out.Root.PageMode = pikepdf.Name.UseOutlines
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, compress_streams=True)
        return buffer.getvalue()
    finally:
        for src in sources:
            src.close()


def _strip_structure(data: bytes, path: Path) -> int:
    """Write a chunk without its structure tree; returns the bytes written.

    Why: a chunk's tag tree is some 33,000 objects per 2,000 rows, and qpdf parses them all when
    the chunk is opened for joining (about 60 MB per chunk, all chunks of a volume at once: 1 GB
    for 25,000 rows). The join cannot keep per-chunk trees anyway (batches.bundle_pdfs drops them
    too), so they are dropped here, one chunk at a time.
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/StructTreeRoot" in pdf.Root:
            del pdf.Root["/StructTreeRoot"]
        for page in pdf.pages:
            if "/StructParents" in page.obj:
                del page.obj["/StructParents"]
        pdf.save(path, deterministic_id=True, compress_streams=True)
    return path.stat().st_size


def _release_memory() -> None:
    """Free one chunk's layout before the next: WeasyPrint leaves reference cycles, and glibc
    keeps freed arenas unless asked to return them (without this, peak memory grew per chunk)."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


@dataclass(slots=True)
class Volume:
    relpath: str
    data: bytes
    rows: list[int]
    pages: int


def render_bulk_motion_pdf(renderer: Any, spec: DocumentSpec, tmp_dir: Path) -> list[Volume]:
    """Motion (pleading paper) + Exhibit A in chunks, joined; split into volumes if too big."""
    pack: Pack = renderer.pack
    settings = bulk_settings(pack)
    view = spec.context
    rows: list[tuple[str, ...]] = view["exhibit_rows"]
    exhibit = view["exhibit"]
    head, pages = paginate(rows, exhibit["headers"], geometry(pack))
    total_pages = len(pages)
    chunk_rows = int(settings.get("chunk_rows", 2000))
    max_bytes = int(pack.config.pack.max_document_bytes)
    label = exhibit["label"]

    motion_view = {k: v for k, v in view.items() if k != "exhibit_rows"}
    motion_pdf = renderer.render(
        DocumentSpec(
            kind=spec.kind,
            relpath=spec.relpath,
            lang=spec.lang,
            title=spec.title,
            bookmark=spec.bookmark,
            context=motion_view,
            rows=(),
        )
    )
    tmp_dir.mkdir(parents=True, exist_ok=True)
    stem = hashlib.sha256(spec.relpath.encode()).hexdigest()[:8]
    motion_path = tmp_dir / f".tmp-{stem}-motion.pdf"
    motion_path.write_bytes(motion_pdf)

    # Chunks of whole pages, about chunk_rows rows each.
    chunks: list[tuple[int, int]] = []  # (first page index, end page index)
    start, count = 0, 0
    for i, page in enumerate(pages):
        count += len(page)
        if count >= chunk_rows:
            chunks.append((start, i + 1))
            start, count = i + 1, 0
    if start < len(pages):
        chunks.append((start, len(pages)))

    row_no = 0
    chunk_files: list[tuple[Path, int, int, int, int]] = []  # path, first/last row, pages, bytes
    for n, (first, end) in enumerate(chunks):
        chunk_pages = []
        first_row = row_no + 1
        for index in range(first, end):
            chunk_pages.append({"number": index + 1, "rows": pages[index]})
            row_no += len(pages[index])
        ctx = {
            "label": label,
            "title": exhibit["title"],
            "footer_title": spec.title,
            "head": head,
            "pages": chunk_pages,
            "total_pages": total_pages,
            "cover": n == 0,
            "cover_text": view["wording"].get("exhibit_cover", ""),
        }
        data = renderer.render(
            DocumentSpec(
                kind="exhibit",
                relpath=spec.relpath,
                lang=spec.lang,
                title=f"{spec.title}, {label}",
                bookmark=label,
                context=ctx,
                rows=(),
            )
        )
        path = tmp_dir / f".tmp-{stem}-exhibit-{n:05d}.pdf"
        nbytes = _strip_structure(data, path)
        chunk_files.append((path, first_row, row_no, end - first + (1 if n == 0 else 0), nbytes))
        del data
        _release_memory()

    # Volumes: the motion and as many chunks as fit under the size limit (90%, joining adds a bit).
    limit = max_bytes * 0.9
    volumes_parts: list[list[int]] = [[]]
    size = len(motion_pdf)
    for i, (_, _, _, _, nbytes) in enumerate(chunk_files):
        if volumes_parts[-1] and size + nbytes > limit:
            volumes_parts.append([])
            size = 0
        volumes_parts[-1].append(i)
        size += nbytes
    del motion_pdf

    all_rows = [int(r[7]) for r in rows]
    volumes: list[Volume] = []
    base = spec.relpath
    for v, indexes in enumerate(volumes_parts, 1):
        parts: list[tuple[Path, list[tuple[str, int]]]] = []
        if v == 1:
            parts.append((motion_path, [(spec.title, 0)]))
        for k, i in enumerate(indexes):
            path, first_row, last_row, _, _ = chunk_files[i]
            marks = []
            if k == 0:
                heading = label if i == 0 else f"{label} (continued)"
                marks.append((heading, 0))
            rows_label = f"  Rows {first_row:,}\u2013{last_row:,}"
            marks.append((rows_label, 1 if i == 0 else 0))
            parts.append((path, marks))
        title = spec.title if len(volumes_parts) == 1 else f"{spec.title}, Volume {v}"
        data = _join(parts, title)
        first_row = chunk_files[indexes[0]][1] if indexes else 1
        last_row = chunk_files[indexes[-1]][2] if indexes else 0
        relpath = base if len(volumes_parts) == 1 else f"{base}-vol-{v:02d}"
        with pikepdf.open(io.BytesIO(data)) as pdf:
            npages = len(pdf.pages)
        volumes.append(Volume(relpath, data, sorted(all_rows[first_row - 1 : last_row]), npages))
    for path in [motion_path, *(c[0] for c in chunk_files)]:
        path.unlink(missing_ok=True)
    return volumes


def write_bulk_motion(run_dir: Path, spec: DocumentSpec, renderers: dict[str, Any]) -> list:
    """Render and write the bulk motion in every format; FileEntries for the manifest."""
    from docgen.pipeline import FileEntry

    entries = []
    pdf = renderers.get("pdf")
    if pdf is not None:
        for vol in render_bulk_motion_pdf(pdf, spec, run_dir / "bulk"):
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
