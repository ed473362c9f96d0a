"""What every DOCX docgen writes has in common, whatever wrote its words: the core properties
(docProps/core.xml) and a deterministic ZIP (fixed timestamps, entry order, attributes and
compression), so that the same input gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from lxml import etree

# DOS epoch: the earliest timestamp a ZIP entry can hold; any fixed value would do.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
ZIP_LEVEL = 6

# docProps/core.xml (OPC core properties, ECMA-376 Part 2): the only namespaces it may use.
CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def set_core_properties(core: Any, title: str, word_lang: str | None, stamp: datetime) -> None:
    """Title, language, dates and revision on `core`, the root of docProps/core.xml.

    Elements are addressed by namespace URI, never through python-docx's CoreProperties: once
    docxcompose is imported (docxtpl imports it), python-docx's "cp" prefix means the
    custom-properties namespace, so its setters add cp:revision and the like in the wrong
    namespace, beside the real ones, and Word reports the file as unreadable content
    (python-docx#1037, docxcompose#101). For the same reason anything outside the core, Dublin
    Core and DC terms namespaces (such leftovers in a template) is dropped. No lastPrinted: a
    generated document has not been printed.
    """
    for child in list(core):
        namespace = etree.QName(child).namespace if isinstance(child.tag, str) else None
        if namespace not in (CORE_NS, DC_NS, DCTERMS_NS):
            core.remove(child)
    set_core_value(core, DC_NS, "title", title)
    if word_lang:
        set_core_value(core, DC_NS, "language", word_lang)
    set_core_value(core, CORE_NS, "lastModifiedBy", "docgen")
    set_core_value(core, CORE_NS, "revision", "1")
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("created", "modified"):
        set_core_value(core, DCTERMS_NS, name, when).set(_XSI_TYPE, "dcterms:W3CDTF")
    for printed in core.findall(f"{{{CORE_NS}}}lastPrinted"):
        core.remove(printed)


def set_core_value(core: Any, namespace: str, name: str, value: str) -> Any:
    """Set the one {namespace}name child of `core` to `value` (adding it, dropping repeats)."""
    found = core.findall(f"{{{namespace}}}{name}")
    for repeat in found[1:]:
        core.remove(repeat)
    element = found[0] if found else etree.SubElement(core, f"{{{namespace}}}{name}")
    element.text = value
    return element


def normalise_docx(data: bytes) -> bytes:
    """Rewrite a DOCX ZIP so equal content gives equal bytes.

    python-docx stamps each entry with the current time; here every entry gets the same
    timestamp, attributes and compression, in a fixed order ([Content_Types].xml first, as
    Office writes it, then by name).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        entries = {name: zin.read(name) for name in zin.namelist()}
    return zip_entries(entries)


def zip_entries(entries: dict[str, bytes]) -> bytes:
    names = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, entries[name], compresslevel=ZIP_LEVEL)
    return out.getvalue()
