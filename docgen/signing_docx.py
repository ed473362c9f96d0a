"""The judge's signing batch for Word (docgen.signing writes the PDF and the map).

batches/orders-for-judge.docx (or one volume of it): an index table, then every order's DOCX, a
page break between. The orders' XML is streamed into the zip one order at a time, so memory does
not grow with the number of orders.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from docgen.output import atomic_file, write_atomic
from docgen.signing import BATCH_DOCX, BatchDocument, Volume

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Where the orders go in the index's word/document.xml (a comment before its final section).
_ORDERS_HERE = "docgen: the orders go here"
_PAGE_BREAK = b'<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


class _NotPlain(Exception):
    """An order refers to another part (image, link, numbering): it cannot be copied as text."""


def write_signing_batch_docx(
    run_dir: Path,
    run_id: str,
    run_date: date,
    documents: Sequence[BatchDocument],
    volume: Volume | None = None,
) -> list[str]:
    """The batch (or one volume of it) for Word: an index table, then every order's DOCX, a page
    break between.

    The index is built on the first order's own DOCX (its styles, fonts and page setup, its body
    emptied), so the orders after it keep their look. The orders' body XML is streamed into the
    zip one order at a time: memory does not grow with the number of orders. Orders that refer
    to other parts go through docxcompose instead, which holds them all.
    """
    from docx.enum.text import WD_BREAK
    from docxcompose.composer import Composer
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
    try:
        _stream_docx(buffer.getvalue(), paths, run_dir / relpath)
        return [relpath]
    except _NotPlain:
        pass
    import random

    import docxcompose.composer
    from docx import Document

    index.element.body.remove(here)
    composer = Composer(index)  # images, links or numbering: let docxcompose map them
    # docxcompose gives copied numberings a random w:nsid: seeded, the batch is the same bytes.
    module_random = docxcompose.composer.random
    docxcompose.composer.random = random.Random(0)  # type: ignore[assignment]
    try:
        for path in paths:
            composer.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            composer.append(Document(str(path)))
    finally:
        docxcompose.composer.random = module_random
    buffer = io.BytesIO()
    composer.save(buffer)
    write_atomic(run_dir / relpath, _deterministic_zip(buffer.getvalue()))
    return [relpath]


def _docx_index(
    run_dir: Path, run_id: str, run_date: date, documents: Sequence[BatchDocument], volume: Volume
) -> Any:
    """The index part: the first order's DOCX, its body emptied, with the title and table."""
    from docx import Document
    from docx.shared import Pt

    index = Document(str(run_dir / f"{documents[0].relpath}.docx"))
    body = index.element.body
    final_section = body.sectPr
    for child in list(body):
        if child is not final_section:
            body.remove(child)
    # One section for the whole batch: one footer would name the first order's case on every
    # page, so the batch has none (each order's caption names its case).
    for reference in list(final_section):
        if reference.tag.endswith(("}headerReference", "}footerReference")):
            final_section.remove(reference)
    index.core_properties.title = volume.title
    stamp = _docx_time(run_date)
    index.core_properties.created = stamp
    index.core_properties.modified = stamp
    index.core_properties.last_modified_by = "docgen"
    index.core_properties.revision = 1
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
    return index


def _stream_docx(index_docx: bytes, orders: Sequence[Path], target: Path) -> None:
    """Write the index DOCX with the orders' bodies in place of its comment, part by part into
    the zip (fixed member dates, as _deterministic_zip: the same bytes every time).

    Raises _NotPlain (and leaves nothing behind) when an order cannot be copied as text.
    """
    from lxml import etree

    marker = f"<!--{_ORDERS_HERE}-->".encode()
    with zipfile.ZipFile(io.BytesIO(index_docx)) as source:
        document_xml = source.read("word/document.xml")
        head, found, tail = document_xml.partition(marker)
        if not found:
            raise _NotPlain
        namespaces = etree.fromstring(head + tail).nsmap
        with atomic_file(target) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                member = _fixed_member(info.filename)
                if info.filename != "word/document.xml":
                    out.writestr(member, source.read(info.filename))
                    continue
                with out.open(member, "w") as part:
                    part.write(head)
                    for path in orders:
                        body = _order_body_xml(path, namespaces)
                        if body is None:
                            raise _NotPlain
                        part.write(_PAGE_BREAK)
                        part.write(body)
                    part.write(tail)


def _order_body_xml(path: Path, namespaces: dict[str | None, str]) -> bytes | None:
    """An order's body elements (without its section) as XML text for the batch's body, or None
    when one refers to another part (an image, a link) or a numbering definition, which a plain
    copy would break, or uses a namespace prefix the batch's document does not declare."""
    from lxml import etree

    with zipfile.ZipFile(path) as docx:
        root = etree.fromstring(docx.read("word/document.xml"))
    body = root.find(f"{_W}body")
    if body is None or any(namespaces.get(p) != uri for p, uri in body.nsmap.items()):
        return None
    for child in body.findall(f"{_W}sectPr"):
        body.remove(child)
    for node in body.iter():
        if node.tag == f"{_W}numPr" or any(key.startswith(_R) for key in node.attrib):
            return None
    if len(body) == 0:
        return b""
    # The body's own tags (and the namespace declarations lxml puts on them) are the batch's.
    xml = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
    return xml[xml.index(b">") + 1 : xml.rindex(b"</")]


def _fixed_member(name: str) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    member.compress_type = zipfile.ZIP_DEFLATED
    member.external_attr = 0o600 << 16
    return member


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
    properties.append(borders)


def _docx_time(run_date: date):
    from datetime import UTC, datetime, time

    return datetime.combine(run_date, time(0, 0), tzinfo=UTC).replace(tzinfo=None)


def _deterministic_zip(data: bytes) -> bytes:
    """Re-pack a DOCX with fixed member dates: python-docx stamps the clock into the zip."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(_fixed_member(info.filename), src.read(info.filename))
    return out.getvalue()
