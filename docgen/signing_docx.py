"""The judge's signing batch for Word (docgen.signing writes the PDF and the map).

batches/orders-for-judge.docx (or one volume of it): an index table, then every order's DOCX,
each order in its own section (starting a new page), so each keeps its own footer and header:
its case number and "Page X of Y" counted within that order. Page numbers restart at 1 in every
section, and the copied footer's NUMPAGES, which would count the whole batch, becomes
SECTIONPAGES. The index's section has its own footer, "Index, page i", as the PDF batch's index
pages: an order's footer there would name a case the index is not.

The orders' XML is streamed into the zip one order at a time, so memory does not grow with the
number of orders: first each order's header and footer parts (small) are copied in, then
word/document.xml is written order by order, and last the package's lists ([Content_Types].xml,
word/_rels/document.xml.rels) from the part names kept on the way (names only, not XML).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from docgen.docx_package import set_core_properties
from docgen.docx_sections import (
    CONTENT_TYPES,
    DOCUMENT_RELS,
    FOOTER,
    HEADER,
    OrderParts,
    batch_section,
    fixed_member,
    section_break,
    set_in_order,
    w_element,
)
from docgen.output import atomic_file
from docgen.signing import BATCH_DOCX, BatchDocument, Volume

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DOCUMENT = "word/document.xml"
# Where the orders go in the index's word/document.xml (a comment before its final section).
_ORDERS_HERE = "docgen: the orders go here"


class _NotPlain(Exception):
    """An order refers to another part (image, link, numbering): it cannot be copied as text."""


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
    from lxml import etree

    if not documents:
        return []
    if volume is None:
        volume = Volume(0, 0, 1, documents)
    relpath = volume.relpath(BATCH_DOCX)
    index = _docx_index(run_dir, run_id, run_date, documents, volume)
    paths = [run_dir / f"{d.relpath}.docx" for d in documents]
    here = etree.Comment(_ORDERS_HERE)
    index.element.body.sectPr.addprevious(here)
    buffer = io.BytesIO()
    index.save(buffer)
    target = run_dir / relpath
    try:
        _write_package(buffer.getvalue(), documents, paths, volume.first_no, target, _stream_orders)
        return [relpath]
    except _NotPlain:
        pass
    index.element.body.remove(here)
    composed = _compose(index, paths, volume.first_no)
    _write_package(composed, documents, paths, volume.first_no, target, None)
    return [relpath]


def _compose(index: Any, paths: Sequence[Path], first_no: int) -> bytes:
    """The index and the orders through docxcompose (it maps images, links and numbering),
    each order closed by its own section as when streamed."""
    import random

    import docxcompose.composer
    from docx import Document
    from docxcompose.composer import Composer

    composer = Composer(index)
    body = composer.doc.element.body
    inherited: set[str] = set()
    last_no = first_no + len(paths) - 1
    # docxcompose gives copied numberings a random w:nsid: seeded, the batch is the same bytes.
    module_random = docxcompose.composer.random
    docxcompose.composer.random = random.Random(0)  # type: ignore[assignment]
    try:
        for no, path in enumerate(paths, first_no):
            order = Document(str(path))
            composer.append(order)
            section = batch_section(order.element.body.sectPr, no, inherited)
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
    return buffer.getvalue()


def _docx_index(
    run_dir: Path, run_id: str, run_date: date, documents: Sequence[BatchDocument], volume: Volume
) -> Any:
    """The index: the first order's DOCX, its body emptied, with the title and table, closed by
    its own section (footer "Index, page i"). The body's final section stays as a placeholder,
    which the last order's section replaces."""
    from copy import deepcopy

    from docx import Document
    from docx.shared import Pt

    index = Document(str(run_dir / f"{documents[0].relpath}.docx"))
    body = index.element.body
    final_section = body.sectPr
    for child in list(body):
        if child is not final_section:
            body.remove(child)
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
    index.add_paragraph(
        f"{len(documents)} order{'s' if len(documents) != 1 else ''}, prepared "
        f"{run_date.isoformat()} (batch {run_id}), in the order listed. To deny an order, mark "
        "its Denied box or write DENIED on it."
    )
    table = index.add_table(rows=1, cols=4)
    headers = ("No.", "Case number", "Name", "Judge's notes")
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for no, document in enumerate(documents, volume.first_no):
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(no), document.key, document.name, ""), strict=True):
            cell.text = text
    _grid(table)
    _column_widths(table, index.sections[0], INDEX_COLUMN_SHARES)
    _index_footer(index.sections[0].footer)
    set_in_order(final_section, "pgNumType", {"fmt": "lowerRoman", "start": "1"})
    final_section.addprevious(section_break(None, deepcopy(final_section)))
    return index


def _index_footer(footer: Any) -> None:
    """'Index, page i', centred, as on the PDF batch's index pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

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


# ---------------------------------------------------------------- the orders' sections


# ---------------------------------------------------------------- the package


def _write_package(
    package: bytes,
    documents: Sequence[BatchDocument],
    orders: Sequence[Path],
    first_no: int,
    target: Path,
    write_document: Callable[[bytes, Sequence[Path], int, IO[bytes]], None] | None,
) -> None:
    """Write the batch: `package`'s parts, every order's header and footer parts, then
    word/document.xml (`write_document`, given the package's, the orders and a stream into
    the zip; None: the package's as it is), then the package's lists with the copied parts
    added. Fixed member dates: the same bytes every time.

    Raises _NotPlain (and leaves nothing behind) when an order cannot be copied as text.
    """
    deferred = {CONTENT_TYPES, DOCUMENT_RELS}
    if write_document is not None:
        deferred.add(_DOCUMENT)
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        atomic_file(target) as fh,
        zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename not in deferred:
                out.writestr(fixed_member(info.filename), source.read(info.filename))
        parts = OrderParts(out)
        inherited: set[str] = set()
        for no, (document, path) in enumerate(zip(documents, orders, strict=True), first_no):
            parts.add(no, path, document.pages, inherited)
        if write_document is not None:
            with out.open(fixed_member(_DOCUMENT), "w") as stream:
                write_document(source.read(_DOCUMENT), orders, first_no, stream)
        out.writestr(fixed_member(CONTENT_TYPES), parts.content_types(source.read(CONTENT_TYPES)))
        out.writestr(fixed_member(DOCUMENT_RELS), parts.relationships(source.read(DOCUMENT_RELS)))


# ---------------------------------------------------------------- the document, streamed


def _stream_orders(
    index_xml: bytes, orders: Sequence[Path], first_no: int, part: IO[bytes]
) -> None:
    """The index's word/document.xml with the orders' bodies in place of its comment, each
    order closed by its section; the last order's section is the body's (the index's final
    section was a placeholder)."""
    from lxml import etree

    marker = f"<!--{_ORDERS_HERE}-->".encode()
    head, found, tail = index_xml.partition(marker)
    if not found:
        raise _NotPlain
    namespaces = etree.fromstring(head + tail).nsmap
    # The tail is the placeholder section, then </w:body></w:document>: the last order's
    # section takes the placeholder's place.
    closing = tail[tail.rindex(b"</", 0, tail.rindex(b"</")) :]
    if not closing.split(b">")[0].endswith(b":body"):
        raise _NotPlain
    part.write(head)
    inherited: set[str] = set()
    last_no = first_no + len(orders) - 1
    for no, path in enumerate(orders, first_no):
        part.write(_order_body_xml(path, namespaces, no, inherited, no == last_no))
    part.write(closing)


def _order_body_xml(
    path: Path, namespaces: dict[str | None, str], no: int, inherited: set[str], last: bool
) -> bytes:
    """Order `no`'s body elements and its section for the batch, as XML text. Raises _NotPlain
    when one refers to another part (an image, a link) or a numbering definition, which a plain
    copy would break, or uses a namespace prefix the batch's document does not declare."""
    from lxml import etree

    with zipfile.ZipFile(path) as docx:
        root = etree.fromstring(docx.read(_DOCUMENT))
    body = root.find(f"{_W}body")
    if body is None or any(namespaces.get(p) != uri for p, uri in body.nsmap.items()):
        raise _NotPlain
    sections = body.findall(f"{_W}sectPr")
    for child in sections:
        body.remove(child)
    for node in body.iter():
        if node.tag == f"{_W}numPr" or any(key.startswith(_R) for key in node.attrib):
            raise _NotPlain
    section = batch_section(sections[-1] if sections else None, no, inherited)
    if last:
        body.append(section)
    else:
        paragraph = section_break(body[-1] if len(body) else None, section)
        if paragraph is not None:
            body.append(paragraph)
    # The body's own tags (and the namespace declarations lxml puts on them) are the batch's.
    xml = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
    return xml[xml.index(b">") + 1 : xml.rindex(b"</")]


# No., case number, name, judge's notes: shares of the text width. Word's default is four equal
# columns, where a long name breaks inside its words ("Wolfeschlegelsteinha|usen").
INDEX_COLUMN_SHARES = (0.07, 0.23, 0.40, 0.30)


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
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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
    # The schema fixes the order of a table's properties: borders come before the layout and
    # the look (Word reports a file with them after as unreadable content; LibreOffice opens it).
    for old in properties.findall(qn("w:tblBorders")):
        properties.remove(old)
    properties.insert_element_before(
        borders,
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
        "w:tblPrChange",
    )


def _docx_time(run_date: date):
    from datetime import UTC, datetime, time

    return datetime.combine(run_date, time(0, 0), tzinfo=UTC).replace(tzinfo=None)
