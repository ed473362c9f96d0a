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
import posixpath
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from docgen.output import atomic_file
from docgen.render_docx import set_core_properties
from docgen.signing import BATCH_DOCX, BatchDocument, Volume

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_CONTENT_TYPES = "[Content_Types].xml"
_DOCUMENT = "word/document.xml"
_DOCUMENT_RELS = "word/_rels/document.xml.rels"
# Where the orders go in the index's word/document.xml (a comment before its final section).
_ORDERS_HERE = "docgen: the orders go here"
_HEADER, _FOOTER = f"{_W}headerReference", f"{_W}footerReference"
# An order's section without a default header (footer) would show the one of the section before
# it, another order's: it refers to an empty one instead. {reference tag: (part, root, kind)}
_EMPTY_PARTS = {
    _HEADER: ("word/docgen-empty-header.xml", "hdr", "header"),
    _FOOTER: ("word/docgen-empty-footer.xml", "ftr", "footer"),
}
_PART_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
_RELATIONSHIP_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}"
# w:sectPr's children in the schema's order (Word calls a file corrupt when they are not).
_SECTION_ORDER = {
    name: rank
    for rank, name in enumerate(
        [
            "headerReference",
            "footerReference",
            "footnotePr",
            "endnotePr",
            "type",
            "pgSz",
            "pgMar",
            "paperSrc",
            "pgBorders",
            "lnNumType",
            "pgNumType",
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
            "printerSettings",
            "sectPrChange",
        ]
    )
}
# NUMPAGES counts the pages of the whole batch; SECTIONPAGES those of the order's section.
_NUMPAGES = re.compile(r"\bNUMPAGES\b", re.IGNORECASE)


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
            section = _batch_section(order.element.body.sectPr, no, inherited)
            if no == last_no:
                body.replace(body.sectPr, section)
                continue
            last = body.sectPr.getprevious()  # the order's last element
            paragraph = _section_break(last, section)
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
    references = [c for c in final_section if c.tag in (_HEADER, _FOOTER)]
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
    _index_footer(index.sections[0].footer)
    _set_in_order(final_section, "pgNumType", {"fmt": "lowerRoman", "start": "1"})
    final_section.addprevious(_section_break(None, deepcopy(final_section)))
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
    paragraph.add_run()._r.append(_w("fldChar", {"fldCharType": "begin"}))
    instruction = _w("instrText")
    instruction.text = " PAGE "
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    paragraph.add_run()._r.append(instruction)
    paragraph.add_run()._r.append(_w("fldChar", {"fldCharType": "separate"}))
    paragraph.add_run("i")
    paragraph.add_run()._r.append(_w("fldChar", {"fldCharType": "end"}))
    for run in paragraph.runs:
        run.font.size = Pt(10)


# ---------------------------------------------------------------- the orders' sections


def _batch_section(section: Any, no: int, inherited: set[str]) -> Any:
    """Order `no`'s w:sectPr for the batch (a copy): a new page, page numbers from 1, its header
    and footer references pointing at the batch's copies of its parts (named by _OrderParts).
    `inherited`: the references an earlier order's section defined, updated."""
    from copy import deepcopy

    section = deepcopy(section) if section is not None else _w("sectPr")
    originals = _references_of(section)
    for reference in [c for c in section if c.tag in (_HEADER, _FOOTER)]:
        section.remove(reference)
    for tag, kind, rid in _batch_references(originals, inherited):
        reference = _w(tag[len(_W) :], {"type": kind})
        reference.set(f"{_R}id", _batch_rid(no, rid) if rid else _empty_rid(tag))
        _insert_in_order(section, reference)
    _set_in_order(section, "type", {"val": "nextPage"})
    _set_in_order(section, "pgNumType", {"start": "1"})
    return section


def _references_of(section: Any) -> list[tuple[str, str, str]]:
    """(tag, w:type, r:id) of a section's header and footer references."""
    return [
        (c.tag, c.get(f"{_W}type", "default"), c.get(f"{_R}id"))
        for c in section
        if c.tag in (_HEADER, _FOOTER)
    ]


def _batch_references(
    originals: list[tuple[str, str, str]], inherited: set[str]
) -> list[tuple[str, str, str | None]]:
    """An order's section's references in the batch, the empty part's as None where it has no
    default header (footer) but an earlier section did; updates `inherited`."""
    references: list[tuple[str, str, str | None]] = list(originals)
    for tag in (_HEADER, _FOOTER):
        if any(t == tag and kind == "default" for t, kind, _ in originals):
            inherited.add(tag)
        elif tag in inherited:
            references.append((tag, "default", None))
    return references


def _batch_rid(no: int, rid: str) -> str:
    return f"order{no}-{rid}"


def _empty_rid(tag: str) -> str:
    return f"docgen-empty-{_EMPTY_PARTS[tag][2]}"


def _batch_name(no: int, name: str) -> str:
    """Order `no`'s part `name` (word/footer1.xml) in the batch: word/order3-footer1.xml."""
    folder, base = posixpath.split(name)
    return posixpath.join(folder, f"order{no}-{base}")


def _section_break(last: Any, section: Any) -> Any:
    """End a section with `last`, the last element of its body: `section` goes into its
    paragraph properties when it is a paragraph (no empty paragraph that could spill onto a
    page of its own); otherwise the new paragraph holding it is returned, to follow `last`."""
    if last is not None and last.tag == f"{_W}p":
        properties = last.find(f"{_W}pPr")
        if properties is None:
            properties = _w("pPr")
            last.insert(0, properties)
        change = properties.find(f"{_W}pPrChange")
        if change is not None:
            change.addprevious(section)
        else:
            properties.append(section)
        return None
    paragraph = _w("p")
    properties = _w("pPr")
    paragraph.append(properties)
    properties.append(section)
    return paragraph


def _insert_in_order(section: Any, child: Any) -> None:
    """Add `child` to a w:sectPr where the schema's order puts it."""
    rank = _SECTION_ORDER
    mine = rank[child.tag[len(_W) :]]
    for i, existing in enumerate(section):
        tag = existing.tag if isinstance(existing.tag, str) else ""
        if rank.get(tag[len(_W) :], len(rank)) > mine:
            section.insert(i, child)
            return
    section.append(child)


def _set_in_order(section: Any, name: str, attributes: dict[str, str]) -> None:
    """Set w:`name`'s attributes in a w:sectPr, adding the element where it belongs."""
    element = section.find(f"{_W}{name}")
    if element is None:
        element = _w(name)
        _insert_in_order(section, element)
    for key, value in attributes.items():
        element.set(f"{_W}{key}", value)


def _w(name: str, attributes: dict[str, str] | None = None) -> Any:
    """A new w: element (python-docx's element classes, so its trees can hold it)."""
    from docx.oxml.parser import oxml_parser

    return oxml_parser.makeelement(
        f"{_W}{name}", {f"{_W}{k}": v for k, v in (attributes or {}).items()}
    )


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
    deferred = {_CONTENT_TYPES, _DOCUMENT_RELS}
    if write_document is not None:
        deferred.add(_DOCUMENT)
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        atomic_file(target) as fh,
        zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename not in deferred:
                out.writestr(_fixed_member(info.filename), source.read(info.filename))
        parts = _OrderParts(out)
        inherited: set[str] = set()
        for no, (document, path) in enumerate(zip(documents, orders, strict=True), first_no):
            parts.add(no, path, document.pages, inherited)
        if write_document is not None:
            with out.open(_fixed_member(_DOCUMENT), "w") as stream:
                write_document(source.read(_DOCUMENT), orders, first_no, stream)
        out.writestr(
            _fixed_member(_CONTENT_TYPES), parts.content_types(source.read(_CONTENT_TYPES))
        )
        out.writestr(
            _fixed_member(_DOCUMENT_RELS), parts.relationships(source.read(_DOCUMENT_RELS))
        )


class _OrderParts:
    """Copies each order's header and footer parts (and the parts they refer to) into the batch
    as it goes, keeping only their names for the package's lists."""

    def __init__(self, out: zipfile.ZipFile) -> None:
        self._out = out
        self._overrides: list[tuple[str, str]] = []  # (part name, content type)
        self._relationships: list[tuple[str, str, str]] = []  # (Id, Type, Target) of document.xml

    def add(self, no: int, path: Path, pages: int, inherited: set[str]) -> None:
        """Order `no`'s parts, as _batch_section refers to them (`pages`: its PDF's, 0 when
        unknown)."""
        from lxml import etree

        with zipfile.ZipFile(path) as docx:
            body = etree.fromstring(docx.read(_DOCUMENT)).find(f"{_W}body")
            section = body.find(f"{_W}sectPr") if body is not None else None
            originals = _references_of(section) if section is not None else []
            references = _batch_references(originals, inherited)
            if not references:
                return
            relationships = _read_relationships(docx, _DOCUMENT)
            types = _ContentTypes(docx.read(_CONTENT_TYPES))
            related: set[str] = set()  # the relationships (Ids) added for this order
            done: set[str] = set()  # its parts copied (two relationships may share one)
            for tag, _kind, rid in references:
                if rid is None:
                    self._add_empty(tag)
                    continue
                if rid in related:
                    continue  # two references (default, first) through one relationship
                related.add(rid)
                if rid not in relationships:
                    raise ValueError(f"an order's DOCX refers to a missing part ({rid})")
                kind, target = relationships[rid]
                name = _part_name("word", target)
                if name not in done:
                    self._copy(docx, no, name, types, pages, done)
                self._relationships.append(
                    (_batch_rid(no, rid), kind, posixpath.relpath(_batch_name(no, name), "word"))
                )

    def _copy(
        self,
        docx: zipfile.ZipFile,
        no: int,
        name: str,
        types: _ContentTypes,
        pages: int,
        done: set[str],
    ) -> None:
        """Part `name` of order `no` and, through its relationships, what it refers to."""
        from lxml import etree

        done.add(name)
        content_type = types.of(name)
        data = docx.read(name)
        if content_type in (_PART_TYPE.format("header"), _PART_TYPE.format("footer")):
            data = _per_order_page_count(data, pages)
        new_name = _batch_name(no, name)
        self._out.writestr(_fixed_member(new_name), data)
        self._overrides.append((f"/{new_name}", content_type))
        rels_name = _rels_name(name)
        if rels_name not in docx.namelist():
            return
        rels = etree.fromstring(docx.read(rels_name))
        for relationship in rels:
            if relationship.get("TargetMode") == "External":
                continue
            referred = _part_name(posixpath.dirname(name), relationship.get("Target"))
            if referred not in done:
                self._copy(docx, no, referred, types, pages, done)
            relationship.set(
                "Target", posixpath.relpath(_batch_name(no, referred), posixpath.dirname(new_name))
            )
        self._out.writestr(_fixed_member(_rels_name(new_name)), _xml_bytes(rels))

    def _add_empty(self, tag: str) -> None:
        name, root, kind = _EMPTY_PARTS[tag]
        if (f"/{name}", _PART_TYPE.format(kind)) in self._overrides:
            return
        xml = f'<w:{root} xmlns:w="{_W[1:-1]}"><w:p/></w:{root}>'
        self._out.writestr(
            _fixed_member(name),
            b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n" + xml.encode(),
        )
        self._overrides.append((f"/{name}", _PART_TYPE.format(kind)))
        self._relationships.append(
            (_empty_rid(tag), _RELATIONSHIP_TYPE.format(kind), posixpath.basename(name))
        )

    def content_types(self, xml: bytes) -> bytes:
        """The package's [Content_Types].xml with an override for every copied part."""
        from lxml import etree

        root = etree.fromstring(xml)
        for name, content_type in self._overrides:
            etree.SubElement(root, f"{_TYPES}Override", PartName=name, ContentType=content_type)
        return _xml_bytes(root)

    def relationships(self, xml: bytes) -> bytes:
        """The package's word/_rels/document.xml.rels with the orders' headers and footers."""
        from lxml import etree

        root = etree.fromstring(xml)
        for rid, kind, target in self._relationships:
            etree.SubElement(root, f"{_RELS}Relationship", Id=rid, Type=kind, Target=target)
        return _xml_bytes(root)


class _ContentTypes:
    """An order's [Content_Types].xml: a part's content type."""

    def __init__(self, xml: bytes) -> None:
        from lxml import etree

        root = etree.fromstring(xml)
        self._overrides = {
            e.get("PartName"): e.get("ContentType") for e in root.iter(f"{_TYPES}Override")
        }
        self._defaults = {
            e.get("Extension").lower(): e.get("ContentType") for e in root.iter(f"{_TYPES}Default")
        }

    def of(self, name: str) -> str:
        found = self._overrides.get(f"/{name}")
        if found is None:
            found = self._defaults.get(posixpath.splitext(name)[1][1:].lower())
        if found is None:
            raise ValueError(f"an order's DOCX gives no content type for its part {name}")
        return found


def _read_relationships(docx: zipfile.ZipFile, name: str) -> dict[str, tuple[str, str]]:
    """{Id: (Type, Target)} of part `name`'s relationships to parts of its package."""
    from lxml import etree

    rels_name = _rels_name(name)
    if rels_name not in docx.namelist():
        return {}
    return {
        r.get("Id"): (r.get("Type"), r.get("Target"))
        for r in etree.fromstring(docx.read(rels_name))
        if r.get("TargetMode") != "External"
    }


def _part_name(folder: str, target: str) -> str:
    """The zip member a relationship's Target names, from the folder of the part it is in."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(folder, target))


def _rels_name(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _per_order_page_count(xml: bytes, pages: int) -> bytes:
    """A header's or footer's page count fields (NUMPAGES) made the section's (SECTIONPAGES),
    their shown result the order's page count when known (`pages`, its PDF's; 0: unknown).

    Word works the result out again as it lays the pages out; a reader that does not know
    SECTIONPAGES (LibreOffice up to 7.x at least) shows the result saved in the file.
    """
    from lxml import etree

    root = etree.fromstring(xml)
    changed = False
    in_field = in_result = shown = False  # in a page count field; in its result; number set
    for node in root.iter(f"{_W}instrText", f"{_W}fldChar", f"{_W}fldSimple", f"{_W}t"):
        if node.tag == f"{_W}instrText" and node.text and _NUMPAGES.search(node.text):
            node.text = _NUMPAGES.sub("SECTIONPAGES", node.text)
            changed = in_field = True
        elif node.tag == f"{_W}fldSimple" and _NUMPAGES.search(node.get(f"{_W}instr", "")):
            node.set(f"{_W}instr", _NUMPAGES.sub("SECTIONPAGES", node.get(f"{_W}instr")))
            changed = True
            for i, text in enumerate(node.iter(f"{_W}t")):
                if pages:
                    text.text = "" if i else str(pages)
        elif node.tag == f"{_W}fldChar":
            kind = node.get(f"{_W}fldCharType")
            if kind == "separate" and in_field:
                in_result, shown = True, False
            elif kind == "end":
                in_field = in_result = False
        elif node.tag == f"{_W}t" and in_result and pages:
            node.text = "" if shown else str(pages)
            shown = True
    return _xml_bytes(root) if changed else xml


def _xml_bytes(root: Any) -> bytes:
    from lxml import etree

    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)


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
    section = _batch_section(sections[-1] if sections else None, no, inherited)
    if last:
        body.append(section)
    else:
        paragraph = _section_break(body[-1] if len(body) else None, section)
        if paragraph is not None:
            body.append(paragraph)
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
