"""The judge's signing batch for Word (docgen.judge.signing writes the PDF and the map).

batches/orders-for-judge.docx (or one volume of it): an index table, then every order's DOCX,
each order in its own section (starting a new page), so each keeps its own footer and header:
its case number and "Page X of Y" counted within that order. Page numbers restart at 1 in every
section, and the copied footer's NUMPAGES, which would count the whole batch, becomes a page
reference to a bookmark on the order's last page (an order's count, exhibit included). The index's section has its own footer, "Index, page i", as the PDF batch's index
pages: an order's footer there would name a case the index is not.

The orders' XML is streamed into the zip one order at a time, so memory does not grow with the
number of orders: each order's word/document.xml is read once, its body spooled and its header
and footer parts (small) copied in (docgen.judge.docx_stream), then word/document.xml is written from
the spool, and last the package's lists ([Content_Types].xml, word/_rels/document.xml.rels)
from the part names kept on the way (names only, not XML).
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Sequence
from copy import deepcopy
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from docgen.judge.docx_sections import (
    CONTENT_TYPES,
    DOCUMENT_RELS,
    FOOTER,
    HEADER,
    OrderParts,
    Reference,
    W,
    batch_references,
    batch_section,
    fixed_member,
    section_break,
    set_in_order,
    w_element,
)
from docgen.judge.docx_stream import (
    ORDERS_HERE,
    NotPlain,
    inner_sections_for_batch,
    later_references_of,
    mark_last_page,
    order_bodies,
    rename_bookmarks,
)
from docgen.judge.volumes import BATCH_DOCX, BatchDocument, Volume
from docgen.render.docx_package import set_core_properties
from docgen.render.docx_unbroken import keep_phrases_whole
from docgen.render.ooxml_order import insert_in_order
from docgen.store.output import atomic_file

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCUMENT = "word/document.xml"


def write_signing_batch_docx(
    run_dir: Path,
    run_id: str,
    run_date: date,
    documents: Sequence[BatchDocument],
    volume: Volume | None = None,
) -> list[str]:
    """The batch (or one volume of it) for Word: an index table, then every order's DOCX, each
    in its own section with its own header and footer.

    The index is built on the first order's own DOCX (its styles, fonts and page setup, its body
    emptied), so the orders after it keep their look. The orders' body XML is streamed into the
    zip one order at a time: memory does not grow with the number of orders. Orders that refer
    to other parts go through docxcompose instead, which holds them all (it keeps no section,
    header or footer of the documents it appends: their sections are set here as when streamed).
    """

    if not documents:
        return []
    if volume is None:
        volume = Volume(0, 0, 1, documents)
    relpath = volume.relpath(BATCH_DOCX)
    index = _docx_index(run_dir, run_id, run_date, documents, volume)
    paths = [run_dir / f"{d.relpath}.docx" for d in documents]
    here = etree.Comment(ORDERS_HERE)
    index.element.body.sectPr.addprevious(here)
    buffer = io.BytesIO()
    index.save(buffer)
    target = run_dir / relpath
    try:
        _write_package(buffer.getvalue(), documents, paths, volume.first_no, target, None)
        return [relpath]
    except NotPlain:
        pass
    index.element.body.remove(here)
    composed, references = _compose(index, paths, volume.first_no)
    _write_package(composed, documents, paths, volume.first_no, target, references)
    return [relpath]


def _compose(
    index: Any, paths: Sequence[Path], first_no: int
) -> tuple[bytes, list[list[Reference]]]:
    """The index and the orders through docxcompose (it maps images, links and numbering),
    each order closed by its own section as when streamed; and each section's header and
    footer references, for their parts to be copied."""

    import docxcompose.composer
    from docxcompose.composer import Composer

    composer = Composer(index)
    body = composer.doc.element.body
    inherited: set[str] = set()
    references: list[list[Reference]] = []
    last_no = first_no + len(paths) - 1
    # docxcompose gives copied numberings a random w:nsid: seeded, the batch is the same bytes.
    module_random = docxcompose.composer.random
    docxcompose.composer.random = random.Random(0)
    try:
        for no, path in enumerate(paths, first_no):
            order = Document(str(path))
            before = len(body)
            composer.append(order)
            appended = list(body[before - 1 : len(body) - 1])
            # Its inner sections' own headers and footers (an Exhibit A's), and its bookmarks
            # renamed apart, as the copied footers' page references are: as when streamed.
            only = not any(next(e.iter(f"{W}sectPr"), None) is not None for e in appended)
            own_body = order.element.body
            sources = [s for s in own_body.iter(f"{W}sectPr") if s is not own_body.sectPr]
            inner = inner_sections_for_batch(appended, no, inherited, sources)
            for element in appended:
                rename_bookmarks(element, no)
            mark_last_page(appended[-1] if appended else body, no)
            original = order.element.body.sectPr
            own = (
                batch_references(original, inherited)
                if only
                else later_references_of(original, inherited)
            )
            references.append(inner + own)
            section = batch_section(original, no, own, first=only)
            if no == last_no:
                body.replace(body.sectPr, section)
                continue
            last = body.sectPr.getprevious()  # the order's last element
            paragraph = section_break(last, section)
            if paragraph is not None:
                last.addnext(paragraph)
    finally:
        docxcompose.composer.random = module_random
    buffer = io.BytesIO()
    composer.save(buffer)
    return buffer.getvalue(), references


def _docx_index(
    run_dir: Path, run_id: str, run_date: date, documents: Sequence[BatchDocument], volume: Volume
) -> Any:
    """The index: the first order's DOCX, its body emptied, with the title and table, closed by
    its own section (footer "Index, page i"). The body's final section stays as a placeholder,
    which the last order's section replaces."""

    index = Document(str(run_dir / f"{documents[0].relpath}.docx"))
    body = index.element.body
    final_section = body.sectPr
    # The page of the order's first section (an order's Exhibit A may be landscape).
    first_section = next(iter(body.iter(f"{_W}sectPr")))
    if first_section is not final_section:
        first_section = deepcopy(first_section)
        body.replace(final_section, first_section)
        final_section = first_section
    for child in list(body):
        if child is not final_section:
            body.remove(child)
    # No pleading paper's margin rules (page borders) around the index's table.
    for rules in final_section.findall(f"{_W}pgBorders"):
        final_section.remove(rules)
    # The first order's header and footer are its own: its section gets copies of them.
    references = [c for c in final_section if c.tag in (HEADER, FOOTER)]
    for reference in references:
        final_section.remove(reference)
    for reference in references:
        index.part.drop_rel(reference.get(f"{_R}id"))
    # The first order's language stays (None): the index is in the orders' language.
    set_core_properties(index.core_properties._element, volume.title, None, _docx_time(run_date))
    title = index.add_paragraph()
    title.add_run("Orders for signature").bold = True
    title.runs[0].font.size = Pt(14)
    if volume.heading:
        index.add_paragraph(volume.heading)
    # A bulk order with Exhibit A attached is signed before the exhibit, not on its last page.
    before_exhibit = any(d.signed_before_its_last_page for d in documents)
    index.add_paragraph(
        f"{len(documents)} order{'s' if len(documents) != 1 else ''}, prepared "
        f"{run_date.isoformat()} (batch {run_id}), in the order listed. "
        + (
            "An order with Exhibit A attached is signed before the exhibit. "
            if before_exhibit
            else ""
        )
        + "To deny an order, mark its Denied box or write DENIED on it."
    )
    table = index.add_table(rows=1, cols=4)
    # The key column holds the case number of a per-case order, the title of a bulk order.
    bulk = any(d.kind != "order" for d in documents)
    headers = ("No.", "Order" if bulk else "Case number", "Name", "Judge's notes")
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for no, document in enumerate(documents, volume.first_no):
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(no), document.key, document.name, ""), strict=True):
            cell.text = text
    _grid(table)
    _column_widths(table, index.sections[0], INDEX_COLUMN_SHARES)
    # "1996-MC1-" at a line's end and "5277603" on the next is a number a clerk misreads.
    keep_phrases_whole(table._tbl, [d.key for d in documents])
    _index_footer(index.sections[0].footer)
    set_in_order(final_section, "pgNumType", {"fmt": "lowerRoman", "start": "1"})
    final_section.addprevious(section_break(None, deepcopy(final_section)))
    return index


def _index_footer(footer: Any) -> None:
    """'Index, page i', centred, as on the PDF batch's index pages."""

    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = None  # python-docx's "Footer" style: the order's styles may not have it
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Index, page ")
    paragraph.add_run()._r.append(w_element("fldChar", {"fldCharType": "begin"}))
    instruction = w_element("instrText")
    instruction.text = " PAGE "
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    paragraph.add_run()._r.append(instruction)
    paragraph.add_run()._r.append(w_element("fldChar", {"fldCharType": "separate"}))
    paragraph.add_run("i")
    paragraph.add_run()._r.append(w_element("fldChar", {"fldCharType": "end"}))
    for run in paragraph.runs:
        run.font.size = Pt(10)


# ---------------------------------------------------------------- the package


def _write_package(
    package: bytes,
    documents: Sequence[BatchDocument],
    orders: Sequence[Path],
    first_no: int,
    target: Path,
    composed: Sequence[list[Reference]] | None,
) -> None:
    """Write the batch: `package`'s parts, every order's header and footer parts, then
    word/document.xml, then the package's lists with the copied parts added. `composed`: each
    order's section's references when `package` holds the orders already (_compose); None: the
    orders' bodies are streamed into the package's word/document.xml, each order's document
    read once (OrderBodies). Fixed member dates: the same bytes every time.

    Raises NotPlain (and leaves nothing behind) when an order cannot be copied as text.
    """
    deferred = {CONTENT_TYPES, DOCUMENT_RELS}
    if composed is None:
        deferred.add(_DOCUMENT)
    numbered = list(enumerate(zip(documents, orders, strict=True), first_no))
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        atomic_file(target) as fh,
        zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename not in deferred:
                out.writestr(fixed_member(info.filename), source.read(info.filename))
        parts = OrderParts(out)
        if composed is None:
            with order_bodies(source.read(_DOCUMENT), target.parent) as bodies:
                for no, (document, path) in numbered:
                    with zipfile.ZipFile(path) as docx:
                        references = bodies.add(docx, no, last=no == numbered[-1][0])
                        parts.add(no, docx, document.pages, references)
                # After the parts: the zip takes no part while a member is being written.
                with out.open(fixed_member(_DOCUMENT), "w") as stream:
                    bodies.write(stream)
        else:
            for (no, (document, path)), references in zip(numbered, composed, strict=True):
                with zipfile.ZipFile(path) as docx:
                    parts.add(no, docx, document.pages, references)
        out.writestr(fixed_member(CONTENT_TYPES), parts.content_types(source.read(CONTENT_TYPES)))
        out.writestr(fixed_member(DOCUMENT_RELS), parts.relationships(source.read(DOCUMENT_RELS)))


# No., case number, name, judge's notes: shares of the text width. Word's default is four equal
# columns, where a long name breaks inside its words ("Wolfeschlegelsteinha|usen").
# The case number column holds Cook's longest number ("2016-MC1-5134907", 12 pt) on one line.
INDEX_COLUMN_SHARES = (0.07, 0.28, 0.37, 0.28)


def _column_widths(table: Any, section: Any, shares: Sequence[float]) -> None:
    """Fixed column widths (grid and every cell, as Word and LibreOffice each read one)."""
    width = section.page_width - section.left_margin - section.right_margin
    table.autofit = False
    for column, share in zip(table.columns, shares, strict=True):
        column.width = int(width * share)
        for cell in column.cells:
            cell.width = int(width * share)


def _grid(table: Any) -> None:
    """Thin borders on every cell (the order template may have no "Table Grid" style)."""

    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (
            ("w:val", "single"),
            ("w:sz", "4"),
            ("w:space", "0"),
            ("w:color", "000000"),
        ):
            edge.set(qn(key), value)
        borders.append(edge)
    # Where the schema puts them (before the layout and the look): Word reports a file with
    # them after as unreadable content, LibreOffice opens it.
    for old in properties.findall(qn("w:tblBorders")):
        properties.remove(old)
    insert_in_order(properties, borders)


def _docx_time(run_date: date) -> datetime:
    return datetime.combine(run_date, time(0, 0), tzinfo=UTC).replace(tzinfo=None)
