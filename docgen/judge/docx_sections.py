"""Word documents joined as sections, each keeping its own header and footer (DOCX parts).

Used by docgen.judge.signing_docx for the judge's Word batch: each order becomes a section of the batch
(a new page, page numbers from 1) whose header and footer references point at copies of that
order's own header and footer parts (word/order3-footer1.xml), with the parts they refer to.
A page count field (NUMPAGES) in a copied part becomes a page reference to a bookmark on the
order's last page, which counts the order's pages however many sections it has.
An order's references in the batch (batch_references) are worked out once, as its section is
read, and both its section (batch_section) and the copy of its parts (OrderParts) follow them.
Parts are copied into the zip as they come; only their names are kept, for the package's lists
([Content_Types].xml, word/_rels/document.xml.rels), so memory does not grow with the orders.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from copy import deepcopy
from typing import Any

from docx.oxml.parser import oxml_parser
from lxml import etree

from docgen.render.docx_package import ZIP_EPOCH
from docgen.render.ooxml_order import insert_in_order

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
DOCUMENT = "word/document.xml"

RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
CONTENT_TYPES = "[Content_Types].xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
HEADER, FOOTER = f"{W}headerReference", f"{W}footerReference"


# An order's section without a default header (footer) would show the one of the section before
# it, another order's: it refers to an empty one instead. {reference tag: (part, root, kind)}
EMPTY_PARTS = {
    HEADER: ("word/docgen-empty-header.xml", "hdr", "header"),
    FOOTER: ("word/docgen-empty-footer.xml", "ftr", "footer"),
}
PART_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
RELATIONSHIP_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}"


# NUMPAGES counts the pages of the whole batch; a page reference to this bookmark, on the last
# page of each order (renamed per order like the order's own bookmarks), counts the order's.
NUMPAGES = re.compile(r"\bNUMPAGES\b", re.IGNORECASE)
ORDER_END = "docgenOrderEnd"
ORDER_END_ID = "9999"  # above the templates' own bookmark ids


# (reference tag, w:type, the order's r:id; None: the empty part's) of an order's section.
Reference = tuple[str, str, str | None]


def batch_section(section: Any, no: int, references: list[Reference], first: bool = True) -> Any:
    """Order `no`'s w:sectPr for the batch (a copy): its header and footer references
    (`references`, from batch_references) pointing at the batch's copies of its parts (named by
    OrderParts); the order's `first` section also starts a new page, page numbers from 1. A
    later section of the order (its Exhibit A) keeps its own break and numbering."""

    section = deepcopy(section) if section is not None else w_element("sectPr")
    for reference in [c for c in section if c.tag in (HEADER, FOOTER)]:
        section.remove(reference)
    for tag, kind, rid in references:
        reference = w_element(tag[len(W) :], {"type": kind})
        reference.set(f"{R}id", batch_rid(no, rid) if rid else empty_rid(tag))
        insert_in_order(section, reference)
    if first:
        set_in_order(section, "type", {"val": "nextPage"})
        set_in_order(section, "pgNumType", {"start": "1"})
    return section


def later_references(section: Any, inherited: set[str]) -> list[Reference]:
    """A later section's references in the batch (an order's exhibit): its own; one without a
    default header (footer) shows the order's earlier section's, as in the order's own file."""
    references: list[Reference] = list(references_of(section))
    inherited.update(tag for tag, kind, _ in references if kind == "default")
    return references


# A page reference (PAGEREF OrderEnd) to a bookmark of the order: bookmarks are renamed per
# order in the batch (two orders' "OrderEnd" would be one name), and so are the references.
PAGEREF = re.compile(r"(\bPAGEREF\s+)([A-Za-z_][\w]*)")


def batch_bookmark(no: int, name: str) -> str:
    """Order `no`'s bookmark `name` in the batch (at most 40 characters, as Word wants)."""
    return f"o{no}_{name}"[:40]


def batch_bookmark_id(no: int, bookmark_id: str) -> str:
    """Order `no`'s bookmark id in the batch: unique over the orders (ids are numbers)."""
    return str(no * 10_000 + int(bookmark_id))


def rename_page_references(text: str, no: int) -> str:
    """`text`'s PAGEREF fields pointing at order `no`'s renamed bookmarks."""
    return PAGEREF.sub(lambda m: m.group(1) + batch_bookmark(no, m.group(2)), text)


def references_of(section: Any) -> list[tuple[str, str, str]]:
    """(tag, w:type, r:id) of a section's header and footer references."""
    return [
        (c.tag, c.get(f"{W}type", "default"), c.get(f"{R}id"))
        for c in section
        if c.tag in (HEADER, FOOTER)
    ]


def batch_references(section: Any | None, inherited: set[str]) -> list[Reference]:
    """An order's section's (w:sectPr, None: it has none) references in the batch, the empty
    part's as None where it has no default header (footer) but an earlier section did.
    `inherited`: the references an earlier order's section defined, updated."""
    originals = references_of(section) if section is not None else []
    references: list[Reference] = list(originals)
    for tag in (HEADER, FOOTER):
        if any(t == tag and kind == "default" for t, kind, _ in originals):
            inherited.add(tag)
        elif tag in inherited:
            references.append((tag, "default", None))
    return references


def batch_rid(no: int, rid: str) -> str:
    return f"order{no}-{rid}"


def empty_rid(tag: str) -> str:
    return f"docgen-empty-{EMPTY_PARTS[tag][2]}"


def batch_name(no: int, name: str) -> str:
    """Order `no`'s part `name` (word/footer1.xml) in the batch: word/order3-footer1.xml."""
    folder, base = posixpath.split(name)
    return posixpath.join(folder, f"order{no}-{base}")


def section_break(last: Any, section: Any) -> Any:
    """End a section with `last`, the last element of its body: `section` goes into its
    paragraph properties when it is a paragraph (no empty paragraph that could spill onto a
    page of its own); otherwise the new paragraph holding it is returned, to follow `last`."""
    if last is not None and last.tag == f"{W}p":
        properties = last.find(f"{W}pPr")
        if properties is None:
            properties = w_element("pPr")
            last.insert(0, properties)
        change = properties.find(f"{W}pPrChange")
        if change is not None:
            change.addprevious(section)
        else:
            properties.append(section)
        return None
    paragraph = w_element("p")
    properties = w_element("pPr")
    paragraph.append(properties)
    properties.append(section)
    return paragraph


def set_in_order(section: Any, name: str, attributes: dict[str, str]) -> None:
    """Set w:`name`'s attributes in a w:sectPr, adding the element where it belongs."""
    element = section.find(f"{W}{name}")
    if element is None:
        element = w_element(name)
        insert_in_order(section, element)
    for key, value in attributes.items():
        element.set(f"{W}{key}", value)


def w_element(name: str, attributes: dict[str, str] | None = None) -> Any:
    """A new w: element (python-docx's element classes, so its trees can hold it)."""

    return oxml_parser.makeelement(
        f"{W}{name}", {f"{W}{k}": v for k, v in (attributes or {}).items()}
    )


class OrderParts:
    """Copies each order's header and footer parts (and the parts they refer to) into the batch
    as it goes, keeping only their names for the package's lists."""

    def __init__(self, out: zipfile.ZipFile) -> None:
        self._out = out
        self._overrides: list[tuple[str, str]] = []  # (part name, content type)
        self._relationships: list[tuple[str, str, str]] = []  # (Id, Type, Target) of document.xml

    def add(self, no: int, docx: zipfile.ZipFile, pages: int, references: list[Reference]) -> None:
        """Order `no`'s parts (`docx`: its package), as batch_section refers to them with the
        same `references` (`pages`: its PDF's, 0 when unknown)."""
        if not references:
            return
        relationships = read_relationships(docx, DOCUMENT)
        types = ContentTypes(docx.read(CONTENT_TYPES))
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
            name = part_name("word", target)
            if name not in done:
                self._copy(docx, no, name, types, pages, done)
            self._relationships.append(
                (batch_rid(no, rid), kind, posixpath.relpath(batch_name(no, name), "word"))
            )

    def _copy(
        self,
        docx: zipfile.ZipFile,
        no: int,
        name: str,
        types: ContentTypes,
        pages: int,
        done: set[str],
    ) -> None:
        """Part `name` of order `no` and, through its relationships, what it refers to."""

        done.add(name)
        content_type = types.of(name)
        data = docx.read(name)
        if content_type in (PART_TYPE.format("header"), PART_TYPE.format("footer")):
            data = per_order_page_count(data, pages)
            data = page_references_renamed(data, no)
        new_name = batch_name(no, name)
        self._out.writestr(fixed_member(new_name), data)
        self._overrides.append((f"/{new_name}", content_type))
        own_rels = rels_name(name)
        if own_rels not in docx.namelist():
            return
        rels = etree.fromstring(docx.read(own_rels))
        for relationship in rels:
            if relationship.get("TargetMode") == "External":
                continue
            referred = part_name(posixpath.dirname(name), relationship.get("Target"))
            if referred not in done:
                self._copy(docx, no, referred, types, pages, done)
            relationship.set(
                "Target", posixpath.relpath(batch_name(no, referred), posixpath.dirname(new_name))
            )
        self._out.writestr(fixed_member(rels_name(new_name)), xml_bytes(rels))

    def _add_empty(self, tag: str) -> None:
        name, root, kind = EMPTY_PARTS[tag]
        if (f"/{name}", PART_TYPE.format(kind)) in self._overrides:
            return
        xml = f'<w:{root} xmlns:w="{W[1:-1]}"><w:p/></w:{root}>'
        self._out.writestr(
            fixed_member(name),
            b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n" + xml.encode(),
        )
        self._overrides.append((f"/{name}", PART_TYPE.format(kind)))
        self._relationships.append(
            (empty_rid(tag), RELATIONSHIP_TYPE.format(kind), posixpath.basename(name))
        )

    def content_types(self, xml: bytes) -> bytes:
        """The package's [Content_Types].xml with an override for every copied part."""

        root = etree.fromstring(xml)
        for name, content_type in self._overrides:
            etree.SubElement(root, f"{TYPES}Override", PartName=name, ContentType=content_type)
        return xml_bytes(root)

    def relationships(self, xml: bytes) -> bytes:
        """The package's word/_rels/document.xml.rels with the orders' headers and footers."""

        root = etree.fromstring(xml)
        for rid, kind, target in self._relationships:
            etree.SubElement(root, f"{RELS}Relationship", Id=rid, Type=kind, Target=target)
        return xml_bytes(root)


class ContentTypes:
    """An order's [Content_Types].xml: a part's content type."""

    def __init__(self, xml: bytes) -> None:

        root = etree.fromstring(xml)
        self._overrides: dict[str, str] = {
            e.get("PartName"): e.get("ContentType") for e in root.iter(f"{TYPES}Override")
        }
        self._defaults: dict[str, str] = {
            e.get("Extension").lower(): e.get("ContentType") for e in root.iter(f"{TYPES}Default")
        }

    def of(self, name: str) -> str:
        found = self._overrides.get(f"/{name}")
        if found is None:
            found = self._defaults.get(posixpath.splitext(name)[1][1:].lower())
        if found is None:
            raise ValueError(f"an order's DOCX gives no content type for its part {name}")
        return found


def read_relationships(docx: zipfile.ZipFile, name: str) -> dict[str, tuple[str, str]]:
    """{Id: (Type, Target)} of part `name`'s relationships to parts of its package."""

    own_rels = rels_name(name)
    if own_rels not in docx.namelist():
        return {}
    return {
        r.get("Id"): (r.get("Type"), r.get("Target"))
        for r in etree.fromstring(docx.read(own_rels))
        if r.get("TargetMode") != "External"
    }


def part_name(folder: str, target: str) -> str:
    """The zip member a relationship's Target names, from the folder of the part it is in."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(folder, target))


def rels_name(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def per_order_page_count(xml: bytes, pages: int) -> bytes:
    """A header's or footer's page count fields (NUMPAGES, which would count the whole batch) made
    a page reference to the bookmark on the order's last page (ORDER_END, placed by
    docx_stream.order_body_xml), their shown result the order's page count when known (`pages`,
    its PDF's; 0: unknown).

    The order's first section starts its page numbers at 1, so the last page's number is the
    order's page count however many sections it has (a bulk order and its Exhibit A): Word and
    LibreOffice both work PAGEREF out as they lay the pages out. SECTIONPAGES would count one
    section only (in Word, "Page 4 of 3" on the exhibit), and LibreOffice does not work it out.
    """

    root = etree.fromstring(xml)
    changed = False
    in_field = in_result = shown = False  # in a page count field; in its result; number set
    for node in root.iter(f"{W}instrText", f"{W}fldChar", f"{W}fldSimple", f"{W}t"):
        if node.tag == f"{W}instrText" and node.text and NUMPAGES.search(node.text):
            node.text = NUMPAGES.sub(f"PAGEREF {ORDER_END}", node.text)
            changed = in_field = True
        elif node.tag == f"{W}fldSimple" and NUMPAGES.search(node.get(f"{W}instr", "")):
            node.set(f"{W}instr", NUMPAGES.sub(f"PAGEREF {ORDER_END}", node.get(f"{W}instr")))
            changed = True
            for i, text in enumerate(node.iter(f"{W}t")):
                if pages:
                    text.text = "" if i else str(pages)
        elif node.tag == f"{W}fldChar":
            kind = node.get(f"{W}fldCharType")
            if kind == "separate" and in_field:
                in_result, shown = True, False
            elif kind == "end":
                in_field = in_result = False
        elif node.tag == f"{W}t" and in_result and pages:
            node.text = "" if shown else str(pages)
            shown = True
    return xml_bytes(root) if changed else xml


def page_references_renamed(xml: bytes, no: int) -> bytes:
    """A header's or footer's PAGEREF fields pointing at order `no`'s bookmarks in the batch."""
    if b"PAGEREF" not in xml:
        return xml

    root = etree.fromstring(xml)
    for node in root.iter(f"{W}instrText"):
        if node.text:
            node.text = rename_page_references(node.text, no)
    for node in root.iter(f"{W}fldSimple"):
        node.set(f"{W}instr", rename_page_references(node.get(f"{W}instr", ""), no))
    return xml_bytes(root)


def xml_bytes(root: Any) -> bytes:

    data: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)
    return data


def fixed_member(name: str) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    member.compress_type = zipfile.ZIP_DEFLATED
    member.external_attr = 0o600 << 16
    return member
