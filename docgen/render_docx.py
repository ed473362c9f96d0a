"""DOCX rendering: the pack's .docx templates (docxtpl) filled with a document's view model.

The template for a document is `pack.directory / f"{spec.kind}.docx"`; it lays out exactly the
words of `spec.context`, like the PDF's HTML template does. Safety and reproducibility:

- Templates run in a Jinja2 sandbox with autoescape and StrictUndefined: a value such as
  "<script>x</script> {{ 7*7 }}" is written literally (escaped once, for XML) and never evaluated,
  and a misspelt key is an error naming the template, not a blank in a court filing.
- Output is byte-for-byte deterministic: core properties take the run date, and the ZIP is
  rewritten with fixed timestamps, entry order, attributes and compression.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from typing import Any

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from docgen.errors import PackError
from docgen.packs import Pack
from docgen.viewmodel import DocumentSpec

# DOS epoch: the earliest timestamp a ZIP entry can hold; any fixed value would do.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
ZIP_LEVEL = 6
# Word's language tags for the languages docgen writes (w:lang wants a locale, not just "es").
WORD_LANG = {"en": "en-US", "es": "es-US"}
# Characters XML 1.0 forbids; a stray control character in input would corrupt the document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _xml_safe(value: Any) -> Any:
    """Jinja finalize hook: strip XML-illegal characters from every printed value."""
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    return value


class _CachingSandbox(SandboxedEnvironment):
    """A sandbox that compiles each template source once.

    docxtpl calls from_string() with the whole document XML on every render; the source is the
    same for every document of a kind, so compiling it once per renderer saves most of the time.
    """

    def __init__(self) -> None:
        super().__init__(
            autoescape=True,
            undefined=StrictUndefined,
            finalize=_xml_safe,
            keep_trailing_newline=True,
        )
        self._compiled: dict[str, Any] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = super().from_string(source)
            self._compiled[source] = compiled
        return compiled


class _CachedDocxTemplate(DocxTemplate):
    """DocxTemplate whose XML clean-up (patch_xml, regex heavy) is memoised per renderer."""

    def __init__(self, template_file: io.BytesIO, patch_cache: dict[str, str]) -> None:
        super().__init__(template_file)
        self._patch_cache = patch_cache

    def patch_xml(self, src_xml: str) -> str:
        patched = self._patch_cache.get(src_xml)
        if patched is None:
            patched = super().patch_xml(src_xml)
            self._patch_cache[src_xml] = patched
        return patched


class DocxRenderer:
    """Renders DocumentSpecs to DOCX bytes with the pack's templates (one renderer per worker)."""

    def __init__(self, pack: Pack, run_date: date) -> None:
        self.pack = pack
        self.run_date = run_date
        self._stamp = datetime(run_date.year, run_date.month, run_date.day)
        self._env = _CachingSandbox()
        self._template_bytes: dict[str, bytes] = {}
        self._patch_cache: dict[str, str] = {}

    def _template(self, kind: str) -> bytes:
        # Read each template file once; docxtpl reopens a package per render, from memory.
        data = self._template_bytes.get(kind)
        if data is None:
            path = self.pack.template_path(f"{kind}.docx")
            data = path.read_bytes()
            if not zipfile.is_zipfile(io.BytesIO(data)):
                raise PackError(
                    f"{path}: not a .docx file (not a ZIP package); open and save it in Word"
                )
            self._template_bytes[kind] = data
        return data

    def render(self, spec: DocumentSpec) -> bytes:
        tpl = _CachedDocxTemplate(io.BytesIO(self._template(spec.kind)), self._patch_cache)
        try:
            tpl.render(spec.context, jinja_env=self._env, autoescape=True)
        except TemplateError as exc:
            # The message names the template and the Jinja problem, never the document's data.
            where = self.pack.directory / f"{spec.kind}.docx"
            raise PackError(f"{where}: template cannot be rendered: {exc}") from None
        doc = tpl.docx
        word_lang = WORD_LANG.get(spec.lang, spec.lang)
        _set_language(doc, word_lang)
        cp = doc.core_properties
        cp.title = spec.title
        cp.language = word_lang
        cp.created = cp.modified = cp.last_printed = self._stamp
        cp.revision = 1
        buf = io.BytesIO()
        doc.save(buf)
        return normalise_docx(buf.getvalue())


def _set_language(doc: Any, word_lang: str) -> None:
    """Document language for spell-check and screen readers: w:lang in the style defaults."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), word_lang)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), word_lang)


def normalise_docx(data: bytes) -> bytes:
    """Rewrite a DOCX ZIP so equal content gives equal bytes.

    python-docx stamps each entry with the current time; here every entry gets the same
    timestamp, attributes and compression, in a fixed order ([Content_Types].xml first, as
    Office writes it, then by name).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        entries = {name: zin.read(name) for name in zin.namelist()}
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


def docx_text(data: bytes) -> str:
    """The visible body text of a DOCX in reading order, one line per non-empty paragraph.

    Paragraphs inside tables come in row and cell order (document order). Headers and footers
    (page numbers) are left out. Tabs and line breaks inside a paragraph become a space.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"), _SAFE_PARSER)
    body = root.find(qn("w:body"))
    t_tag, tab_tag, br_tag, cr_tag = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
    lines = []
    for p in body.iter(qn("w:p")):
        parts = []
        for el in p.iter(t_tag, tab_tag, br_tag, cr_tag):
            if el.tag == t_tag:
                parts.append(el.text or "")
            elif el.getparent().tag == qn("w:r"):  # a run's tab/break, not a tab-stop definition
                parts.append(" ")
        text = "".join(parts).strip()
        if text:
            lines.append(text)
    return "\n".join(lines)
