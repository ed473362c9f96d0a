"""The orders' bodies streamed into the judge's Word batch's document (docgen.judge.signing_docx).

Each order's word/document.xml is read once (OrderBodies.add): its body elements, closed by its
section for the batch, go as XML text into a spool, and its section's header and footer
references come back, for its parts to be copied into the batch's zip (OrderParts) while its
package is open. The zip takes no part while a member is being written, and the parts come
before word/document.xml in it, so the document is written from the spool once every order is
in (OrderBodies.write). The spool (order_bodies) is memory up to 1 MB, then an unnamed
temporary file beside the batch (owner-only, gone when closed): memory stays flat over the
orders.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from docgen.judge.docx_sections import (
    DOCUMENT,
    FOOTER,
    HEADER,
    ORDER_END,
    ORDER_END_ID,
    Reference,
    W,
    batch_bookmark,
    batch_bookmark_id,
    batch_references,
    batch_section,
    later_references,
    rename_page_references,
    section_break,
)

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
BOOKMARK_START, BOOKMARK_END = f"{W}bookmarkStart", f"{W}bookmarkEnd"
# Where the orders go in the index's word/document.xml (a comment before its final section).
ORDERS_HERE = "docgen: the orders go here"
# Spooled bodies held in memory up to this size, then in a temporary file: a small batch never
# touches the disk, and a large one holds no more than the two passes did (measured).
SPOOL_IN_MEMORY = 1024 * 1024


class NotPlain(Exception):
    """An order refers to another part (image, link, numbering): it cannot be copied as text."""


@contextlib.contextmanager
def order_bodies(index_xml: bytes, folder: Path) -> Iterator[OrderBodies]:
    """OrderBodies for the index's word/document.xml, its spool spilling into `folder` (the
    batch's) and closed (gone) after the block."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=str(folder)) as spool:
        yield OrderBodies(index_xml, spool)


class OrderBodies:
    """The index's word/document.xml (`index_xml`, holding the ORDERS_HERE comment) with the
    orders' bodies in place of its comment, each order closed by its section; the last order's
    section is the body's (the index's final section was a placeholder). `spool`: where the
    bodies wait (empty, readable and writable)."""

    def __init__(self, index_xml: bytes, spool: IO[bytes]) -> None:

        marker = f"<!--{ORDERS_HERE}-->".encode()
        head, found, tail = index_xml.partition(marker)
        if not found:
            raise NotPlain
        self._namespaces = etree.fromstring(head + tail).nsmap
        # The tail is the placeholder section, then </w:body></w:document>: the last order's
        # section takes the placeholder's place.
        closing = tail[tail.rindex(b"</", 0, tail.rindex(b"</")) :]
        if not closing.split(b">")[0].endswith(b":body"):
            raise NotPlain
        self._head, self._closing = head, closing
        self._inherited: set[str] = set()  # references an earlier order's section defined
        self._spool = spool

    def add(self, docx: zipfile.ZipFile, no: int, last: bool) -> list[Reference]:
        """Spool order `no`'s body (`docx`: its package; `last`: the batch's last order) and
        return its section's references in the batch, for OrderParts."""
        body, references = order_body_xml(docx, self._namespaces, no, self._inherited, last)
        self._spool.write(body)
        return references

    def write(self, part: IO[bytes]) -> None:
        """The whole word/document.xml into `part` (the zip's member)."""
        part.write(self._head)
        self._spool.seek(0)
        shutil.copyfileobj(self._spool, part)
        part.write(self._closing)


def order_body_xml(
    docx: zipfile.ZipFile,
    namespaces: dict[str | None, str],
    no: int,
    inherited: set[str],
    last: bool,
) -> tuple[bytes, list[Reference]]:
    """Order `no`'s body elements and its section for the batch, as XML text, and the section's
    header and footer references (`inherited` updated). Raises NotPlain when an element refers
    to another part (an image, a link) or a numbering definition, which a plain copy would
    break, or uses a namespace prefix the batch's document does not declare."""

    body = etree.fromstring(docx.read(DOCUMENT)).find(f"{W}body")
    if body is None or any(namespaces.get(p) != uri for p, uri in body.nsmap.items()):
        raise NotPlain
    sections = body.findall(f"{W}sectPr")
    for child in sections:
        body.remove(child)
    first = next(body.iter(f"{W}sectPr"), None) is None  # the order's only section
    references = inner_sections_for_batch([body], no, inherited)
    for node in body.iter():
        if node.tag == f"{W}numPr" or (
            node.tag not in (HEADER, FOOTER) and any(key.startswith(R) for key in node.attrib)
        ):
            raise NotPlain
    rename_bookmarks(body, no)
    mark_last_page(body, no)
    original = sections[-1] if sections else None
    last_references = (
        batch_references(original, inherited) if first else later_references_of(original, inherited)
    )
    references.extend(last_references)
    section = batch_section(original, no, last_references, first=first)
    if last:
        body.append(section)
    else:
        paragraph = section_break(body[-1] if len(body) else None, section)
        if paragraph is not None:
            body.append(paragraph)
    # The body's own tags (and the namespace declarations lxml puts on them) are the batch's.
    xml = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
    return xml[xml.index(b">") + 1 : xml.rindex(b"</")], references


def inner_sections_for_batch(
    elements: list[Any], no: int, inherited: set[str], sources: list[Any] | None = None
) -> list[Reference]:
    """The sections inside order `no`'s body `elements` (in paragraphs' properties: a bulk order
    before its Exhibit A) made the batch's, referring to copies of their own headers and
    footers; their references, for OrderParts (`inherited` updated). `sources`: the order's
    own inner sections, in order, where `elements` are a copy that lost their references
    (docxcompose drops a later document's header and footer references)."""
    references: list[Reference] = []
    inner = [section for element in elements for section in element.iter(f"{W}sectPr")]
    if sources is None or len(sources) != len(inner):
        sources = inner
    for i, (section, source) in enumerate(zip(inner, sources, strict=True)):
        own = batch_references(source, inherited) if i == 0 else later_references(source, inherited)
        section.getparent().replace(section, batch_section(source, no, own, first=i == 0))
        references.extend(own)
    return references


def rename_bookmarks(element: Any, no: int) -> None:
    """Order `no`'s bookmarks under `element` renamed apart from the other orders' (two orders'
    "OrderEnd" would be one name), and its page references with them."""
    for node in element.iter(BOOKMARK_START, BOOKMARK_END, f"{W}instrText", f"{W}fldSimple"):
        if node.tag in (BOOKMARK_START, BOOKMARK_END):
            node.set(f"{W}id", batch_bookmark_id(no, node.get(f"{W}id")))
            if node.get(f"{W}name") is not None:
                node.set(f"{W}name", batch_bookmark(no, node.get(f"{W}name")))
        elif node.tag == f"{W}instrText" and node.text:
            node.text = rename_page_references(node.text, no)
        elif node.tag == f"{W}fldSimple":
            node.set(f"{W}instr", rename_page_references(node.get(f"{W}instr", ""), no))


def mark_last_page(last: Any, no: int) -> None:
    """Order `no`'s ORDER_END bookmark in its last paragraph (`last`: its body, or its last
    element in the batch's body): the page its footer's page count refers to
    (docx_sections.per_order_page_count). A paragraph is added when there is none."""

    # Not a paragraph in a text box: a text box is drawn where it is anchored, not at the end.
    found = [
        p
        for p in ([last] if last.tag == f"{W}p" else last.iter(f"{W}p"))
        if next(p.iterancestors(f"{W}txbxContent"), None) is None
    ]
    if found:
        paragraph = found[-1]
    elif last.tag == f"{W}body":
        paragraph = etree.SubElement(last, f"{W}p")
    else:
        paragraph = etree.Element(f"{W}p")
        last.addnext(paragraph)
    bookmark_id = batch_bookmark_id(no, ORDER_END_ID)
    start = etree.Element(BOOKMARK_START)
    start.set(f"{W}id", bookmark_id)
    start.set(f"{W}name", batch_bookmark(no, ORDER_END))
    end = etree.Element(BOOKMARK_END)
    end.set(f"{W}id", bookmark_id)
    # First in the paragraph (after its properties): LibreOffice drops one of two bookmarks
    # that start at the same place, and templates end their last paragraph with their own.
    properties = paragraph.find(f"{W}pPr")
    at = 0 if properties is None else list(paragraph).index(properties) + 1
    paragraph.insert(at, end)
    paragraph.insert(at, start)


def later_references_of(section: Any | None, inherited: set[str]) -> list[Reference]:
    """The references of an order's last section after its first (none: it shows the one
    before it)."""
    return later_references(section, inherited) if section is not None else []
