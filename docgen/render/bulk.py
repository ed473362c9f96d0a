"""Rendering of the bulk motion: the motion and Exhibit A as one tagged PDF, or numbered volumes.

The motion and the exhibit's cover page are rendered from the pack's templates (WeasyPrint); the
exhibit's table pages, laid out by docgen.render.exhibit_layout, are content streams of positioned lines
(docgen.render.exhibit_pdf), about 0.1 ms a row. Here they are joined:

- the file stays a tagged PDF: the parts' structure trees are joined and the exhibit's /Table
  (one /TR per row, one /TH or /TD per cell) is appended as raw objects (docgen.render.pdf_tags);
- a file that would pass `[pack] max_document_bytes` is split into numbered volumes, between
  groups of about `[bulk] chunk_rows` rows (one "Rows a-b" bookmark each).

50,000 rows (3,855 pages): about 7 s, a few hundred MB and a 15 MB file, of which the tags
take about 1 s and 8.3 MB, the wrapped cells' /ActualText 0.6 MB of it (bench/ca_exhibit.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf

from docgen.errors import PackError
from docgen.judge.batches import identify_bundle
from docgen.packs import Pack
from docgen.plan.viewmodel import DocumentSpec
from docgen.render import exhibit_pdf, pdf_fonts, pdf_tags
from docgen.render.exhibit_layout import (
    EXHIBIT_FONT_PT,
    PT_PER_IN,
    bulk_settings,
    geometry,
    paginate,
    wrap,
)
from docgen.store.file_index import FileEntry
from docgen.store.output import write_atomic

if TYPE_CHECKING:  # write_bulk_motion imports it when it runs
    from docgen.store.file_index import FileEntry


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


def _row_groups(
    pages: list[list[list[list[str]]]], contents: list[bytes], chunk_rows: int
) -> list[_RowGroup]:
    groups: list[_RowGroup] = []
    start, count, row_no = 0, 0, 0
    for i, page in enumerate(pages):
        count += len(page)
        if count >= chunk_rows or i == len(pages) - 1:
            size = sum(len(c) + exhibit_pdf.PAGE_OVERHEAD_BYTES for c in contents[start : i + 1])
            size += sum(  # the rows' structure elements (tags)
                exhibit_pdf.tag_bytes(row)
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
    fonts: pdf_fonts.Fonts,
    title: str,
    identity: bytes,
    page_size_pt: tuple[float, float],
    cell_actual_texts: Iterable[Sequence[str | None]] = (),
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
        tags, list(zip(page_numbers, drawn_rows, strict=True)), columns, cell_actual_texts
    )
    return pdf_tags.append_objects(buffer.getvalue(), objects), page_count


def _page_numbers(node: pikepdf.Object) -> list[int]:
    """Object numbers of the pages under a page-tree node, in order (quicker than `Pdf.pages`,
    which wraps every page: half a second for 4,000 pages)."""
    if node.get("/Type") != pikepdf.Name.Pages:
        return [node.objgen[0]]
    return [number for kid in node.Kids for number in _page_numbers(kid)]


def running_page_numbers(pack: Pack) -> bool:
    """`[bulk] exhibit_page_numbers`: "running" (default): the exhibit's pages, cover included,
    carry the document's page numbers ("Page 5 of 11"; Cal. Rules of Court 3.1110(c): exhibits
    paginated consecutively with the document they are attached to); "own": the exhibit numbers
    its own pages from 1 (Illinois, whose order cites Exhibit A by its page numbers)."""
    mode: str = bulk_settings(pack).get("exhibit_page_numbers", "running")
    if mode not in ("running", "own"):
        raise PackError(
            f"{pack.directory / 'pack.toml'}: [bulk] exhibit_page_numbers {mode!r} is not one "
            "of running, own"
        )
    return mode == "running"


def render_bulk_motion_pdf(renderer: Any, spec: DocumentSpec) -> list[Volume]:
    """A bulk document (the motion, or the order carrying the exhibit) + Exhibit A; split into
    volumes if the file would be too big.

    The document and the exhibit's cover page are rendered from the pack's templates
    (WeasyPrint); the table pages, already laid out by `paginate`, are drawn by
    docgen.render.exhibit_pdf. With running page numbers the document is laid out twice when its
    footer prints the file's page total ("Page 1 of 11"): once to count its pages.
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
    running = running_page_numbers(pack)

    def rendered(kind: str, title: str, context: dict[str, Any]) -> tuple[bytes, int]:
        data_and_pages: tuple[bytes, int] = renderer.render_with_pages(
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
        return data_and_pages

    document_view = {
        k: v for k, v in view.items() if k not in ("exhibit_rows", "exhibit_page_rows")
    }
    motion_pdf, motion_pages = rendered(spec.kind, spec.title, document_view)
    # Page numbers: the document's, the cover's, the table pages' (first, and the file's total).
    first_exhibit_page = motion_pages + 2 if running else 1
    total = (motion_pages + 1 + len(pages)) if running else len(pages)
    if running:
        again, again_pages = rendered(spec.kind, spec.title, document_view | {"page_total": total})
        if again_pages == motion_pages:  # the total's digits did not move a page break
            motion_pdf = again
    cover_pdf, _ = rendered(
        "exhibit",
        f"{spec.title}, {label}",
        {
            "label": label,
            "title": exhibit["title"],
            "footer_title": spec.title,
            "cover": True,
            "cover_text": exhibit.get("cover", ""),
            "page_label": f"Page {motion_pages + 1} of {total}" if running else "",
        },
    )

    fonts = pdf_fonts.Fonts()
    widths = geo.column_widths_pt
    page_label_width = fonts.width(f"Page {total} of {total}", "bold", EXHIBIT_FONT_PT)
    drawer = exhibit_pdf.PageDrawer(
        exhibit_pdf.PageText(
            heading=_heading_lines(label, exhibit["title"], page_label_width, sum(widths)),
            footer=spec.title,
            head=head,
            column_widths_pt=widths,
            total_pages=total,
            first_page_number=first_exhibit_page,
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
            # Wrapped cells' whole text, header row first (exhibit_pdf.actual_texts).
            cell_actual_texts=exhibit_pdf.actual_texts(
                chain([head], chain.from_iterable(pages[first_page : members[-1].end_page])),
                chain(
                    [exhibit["headers"]],
                    islice(rows, members[0].first_row - 1, members[-1].last_row),
                ),
            ),
        )
        relpath = spec.relpath if len(volume_groups) == 1 else f"{spec.relpath}-vol-{v:02d}"
        covered = row_numbers[members[0].first_row - 1 : members[-1].last_row]
        volumes.append(Volume(relpath, data, sorted(covered), npages))
    return volumes


def write_bulk_motion(
    run_dir: Path, spec: DocumentSpec, renderers: dict[str, Any]
) -> list[FileEntry]:
    """Render and write a bulk document with Exhibit A (the motion, or the order carrying it) in
    every format; FileEntries for the manifest."""

    entries = []
    pdf = renderers.get("pdf")
    if pdf is not None:
        for vol in render_bulk_motion_pdf(pdf, spec):
            relpath = f"{vol.relpath}.pdf"
            write_atomic(run_dir / relpath, vol.data)
            entries.append(
                FileEntry.of(
                    relpath, spec.kind, vol.data, vol.rows, pages=vol.pages, language=spec.lang
                )
            )
    docx = renderers.get("docx")
    if docx is not None:
        data = docx.render(spec)
        relpath = f"{spec.relpath}.docx"
        write_atomic(run_dir / relpath, data)
        entries.append(FileEntry.of(relpath, spec.kind, data, list(spec.rows), language=spec.lang))
    return entries
