"""DOCX rendering: the pack's .docx templates (docxtpl) filled with a document's view model.

The template for a document is the pack's `f"{spec.kind}.docx"` (its folder or its layout's); it lays out exactly the
words of `spec.context`, like the PDF's HTML template does. Safety and reproducibility:

- Templates run in a Jinja2 sandbox with autoescape and StrictUndefined: a value such as
  "<script>x</script> {{ 7*7 }}" is written literally (escaped once, for XML) and never evaluated,
  and a misspelt key is an error naming the template, not a blank in a court filing.
- Output is byte-for-byte deterministic: core properties take the run date, and the ZIP is
  rewritten with fixed timestamps, entry order, attributes and compression (docgen.render.docx_package).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from datetime import date, datetime
from typing import Any

import docx.oxml.ns
from docx import Document
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from docgen.errors import PackError
from docgen.packs import Pack
from docgen.plan.viewmodel import DocumentSpec
from docgen.render.docx_columns import fit_case_column, fit_exhibit_columns
from docgen.render.docx_package import normalise_docx, set_core_properties, zip_entries
from docgen.render.docx_unbroken import keep_phrases_whole

# Word's language tags for the languages docgen writes (w:lang wants a locale, not just "es").
WORD_LANG = {"en": "en-US", "es": "es-US"}
# Characters XML 1.0 forbids; a stray control character in input would corrupt the document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DOCX_NSMAP = docx.oxml.ns.nsmap
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


class _CachedDocxTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl ships no types
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
        self._fast: dict[str, _FastTemplate | None] = {}

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
        """Fast path when the template allows it (see _FastTemplate), plain docxtpl otherwise."""
        fast = self._fast_template(spec.kind)
        if fast is None:
            return self.render_plain(spec)
        try:
            return fast.render(spec, self._stamp)
        except TemplateError as exc:
            where = self.pack.template_path(f"{spec.kind}.docx")
            raise PackError(f"{where}: template cannot be rendered: {exc}") from None

    def _fast_template(self, kind: str) -> _FastTemplate | None:
        if kind not in self._fast:
            self._fast[kind] = _FastTemplate.prepare(self._template(kind), self._env)
        return self._fast[kind]

    def render_plain(self, spec: DocumentSpec) -> bytes:
        """docxtpl's own render and python-docx's save (compiled Jinja and patch_xml cached)."""
        tpl = _CachedDocxTemplate(io.BytesIO(self._template(spec.kind)), self._patch_cache)
        return _finish_plain(tpl, spec, self._env, self._stamp, self.pack)


def render_docxtpl_uncached(pack: Pack, run_date: date, spec: DocumentSpec) -> bytes:
    """The naive baseline: a fresh DocxTemplate and Jinja environment per document, no caches.

    Same output as DocxRenderer.render (tests/render/test_fast_render.py); used by the benchmark and
    as the reference the fast path is compared with.
    """
    tpl = DocxTemplate(str(pack.template_path(f"{spec.kind}.docx")))
    stamp = datetime(run_date.year, run_date.month, run_date.day)
    return _finish_plain(tpl, spec, _CachingSandbox(), stamp, pack)


def _finish_plain(
    tpl: DocxTemplate, spec: DocumentSpec, env: Any, stamp: datetime, pack: Pack
) -> bytes:
    try:
        tpl.render(spec.context, jinja_env=env, autoescape=True)
    except TemplateError as exc:
        # The message names the template and the Jinja problem, never the document's data.
        where = pack.template_path(f"{spec.kind}.docx")
        raise PackError(f"{where}: template cannot be rendered: {exc}") from None
    doc = tpl.docx
    drop_blank_last_sections(doc.element.body)
    fit_exhibit_columns(doc.element.body, _exhibit_widths(spec), f"{spec.kind}.docx")
    fit_case_column(doc.element.body)
    keep_phrases_whole(doc.element.body, spec.context.get("unbreakable", ()))
    word_lang = WORD_LANG.get(spec.lang, spec.lang)
    _set_language(doc, word_lang)
    set_core_properties(doc.core_properties._element, spec.title, word_lang, stamp)
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_docx(buf.getvalue())


_P_OPEN = re.compile(r"<w:p([ >])")
_P_OPEN_NL = re.compile(r"\n<w:p([ >])")


class _FastTemplate:
    """A .docx template parsed once, rendered many times without python-docx or docxtpl objects.

    What docxtpl does per render, done here once per template: open the package, clean the XML
    (patch_xml), compile the body and each header/footer with Jinja, render the core properties
    (they hold no tags), serialise every part that does not depend on the document. Per render:
    the Jinja templates, docxtpl's own post-processing (resolve_listing, fix_tables, docPr ids),
    the document's language (styles.xml, settings.xml; one serialisation per language) and its
    core properties, then the ZIP is written with normalise_docx's rules. The result is
    byte-identical to the plain path (tests/render/test_fast_render.py, every pack's templates).

    Falls back to plain docxtpl (prepare returns None) for template features this path does not
    handle: footnotes (docxtpl renders them as templates), Jinja tags in the core properties, a
    header or footer used by two relationships, pictures or embedded media to replace
    (replace_pic/replace_media, never used by docgen), and anything that fails while preparing.
    Sub-documents, RichText and InlineImage objects in a context are also not supported here:
    docgen's view models hold plain strings, lists and dicts only.
    """

    def __init__(self) -> None:
        self.tpl: DocxTemplate
        self.body: Any
        self.parts: list[tuple[str, Any, str]] = []  # (zip name, compiled template, encoding)
        self.root_xml: bytes = b""
        self.core: Any = None
        self.core_name = ""
        self.base: dict[str, bytes] = {}
        self.lang_parts: dict[str, dict[str, bytes]] = {}
        self.data = b""

    @classmethod
    def prepare(cls, data: bytes, env: Any) -> _FastTemplate | None:
        try:
            return cls._prepare(data, env)
        except Exception:  # any surprise while preparing means: use plain docxtpl
            return None

    @classmethod
    def _prepare(cls, data: bytes, env: Any) -> _FastTemplate | None:

        self = cls()
        self.data = data
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.render_init()
        package = tpl.docx.part.package
        for part in package.iter_parts():
            if part.content_type.endswith(".footnotes+xml"):
                return None
        self.tpl = tpl
        self.body = env.from_string(_P_OPEN.sub(r"\n<w:p\1", tpl.patch_xml(tpl.get_xml())))
        seen = set()
        for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
            for _key, part in tpl.get_headers_footers(uri):
                name = str(part.partname).lstrip("/")
                if name in seen:
                    return None
                seen.add(name)
                xml = tpl.get_part_xml(part)
                encoding = tpl.get_headers_footers_encoding(xml)
                source = _P_OPEN.sub(r"\n<w:p\1", tpl.patch_xml(xml))
                self.parts.append((name, env.from_string(source), encoding))
        cp = tpl.docx.core_properties
        for prop in ("author", "comments", "identifier", "language", "subject", "title"):
            value = getattr(cp, prop) or ""
            if "{" in value or "%" in value:
                return None
        tpl.render_properties({}, env)
        self.core = tpl.docx.part.package.core_properties._element
        core_part = tpl.docx.part.package._core_properties_part
        self.core_name = str(core_part.partname).lstrip("/")
        self.root_xml = serialize_part_xml(tpl.docx._element)
        buf = io.BytesIO()
        tpl.docx.save(buf)
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
            self.base = {name: z.read(name) for name in z.namelist()}
        return self

    def _language_parts(self, word_lang: str) -> dict[str, bytes]:

        parts = self.lang_parts.get(word_lang)
        if parts is None:
            doc = Document(io.BytesIO(self.data))
            _set_language(doc, word_lang)
            parts = {}
            for element in (doc.styles.element, doc.settings.element):
                for part in doc.part.package.iter_parts():
                    if getattr(part, "_element", None) is element:
                        parts[str(part.partname).lstrip("/")] = serialize_part_xml(element)
            self.lang_parts[word_lang] = parts
        return parts

    def _render_part(self, compiled: Any, context: dict[str, Any]) -> str:
        # docxtpl's render_xml_part, after the Jinja render.
        xml = _P_OPEN_NL.sub(r"<w:p\1", compiled.render(context))
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
        resolved: str = self.tpl.resolve_listing(xml.replace("%_}", "%}"))
        return resolved

    def render(self, spec: DocumentSpec, stamp: datetime) -> bytes:

        context = spec.context
        tree = self.tpl.fix_tables(self._render_part(self.body, context))
        docpr_id = 1000  # docxtpl's fix_docpr_ids numbering
        for elt in tree.xpath("//wp:docPr", namespaces=_DOCX_NSMAP):
            docpr_id += 1
            elt.attrib["id"] = str(docpr_id)
        root = etree.fromstring(self.root_xml)
        drop_blank_last_sections(tree)
        fit_exhibit_columns(tree, _exhibit_widths(spec), f"{spec.kind}.docx")
        fit_case_column(tree)
        keep_phrases_whole(tree, context.get("unbreakable", ()))
        root.replace(root.find(qn("w:body")), tree)
        entries = dict(self.base)
        entries["word/document.xml"] = serialize_part_xml(root)
        for name, compiled, encoding in self.parts:
            xml = self._render_part(compiled, context).encode(encoding)
            entries[name] = serialize_part_xml(parse_xml(xml))
        word_lang = WORD_LANG.get(spec.lang, spec.lang)
        entries.update(self._language_parts(word_lang))
        core = copy.deepcopy(self.core)
        set_core_properties(core, spec.title, word_lang, stamp)
        entries[self.core_name] = serialize_part_xml(core)
        return zip_entries(entries)


def _exhibit_widths(spec: DocumentSpec) -> list[float] | None:
    """The pack's exhibit column widths a bulk document's view carries (None elsewhere)."""
    exhibit = spec.context.get("exhibit")
    if not isinstance(exhibit, dict) or not exhibit.get("attached"):
        return None
    widths = exhibit.get("column_widths_in")
    return [float(w) for w in widths] if widths else None


def drop_blank_last_sections(body: Any) -> None:
    """A rendered document never ends in sections the template left blank: a bulk order whose
    pack says `[bulk] order_exhibit = "by_reference"` renders no Exhibit A, and its landscape
    cover and table sections would print as blank pages. While the body's last section holds no
    text and no table, it goes, and the section before it (the order's) becomes the body's."""
    sect_tag, p_tag = qn("w:sectPr"), qn("w:p")
    while True:
        final = body.find(sect_tag)
        breaks = [s for s in body.iter(sect_tag) if s is not final]
        if final is None or not breaks:
            return
        holder = breaks[-1].getparent().getparent()  # the w:p whose w:pPr ends the section before
        if holder.getparent() is not body:
            return
        after = list(holder.itersiblings())[:-1]  # the last section's content, before w:sectPr
        if any(_shows_something(e) for e in after):
            return
        for element in after:
            body.remove(element)
        section = breaks[-1]
        section.getparent().remove(section)
        body.replace(final, section)
        if holder.tag == p_tag and not _shows_something(holder):
            body.remove(holder)


def _shows_something(element: Any) -> bool:
    """Whether a body element shows anything: a table, a picture, or any text."""
    if element.tag == qn("w:tbl") or any(True for _ in element.iter(qn("w:drawing"))):
        return True
    return any((t.text or "").strip() for t in element.iter(qn("w:t")))


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


def docx_text(data: bytes) -> str:
    """The visible body text of a DOCX in reading order, one line per non-empty paragraph.

    Paragraphs inside tables come in row and cell order (document order). Headers and footers
    (page numbers) are left out. Tabs and line breaks inside a paragraph become a space.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"), _SAFE_PARSER)
    body = root.find(qn("w:body"))
    t_tag, tab_tag, br_tag, cr_tag = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
    hyphen_tag = qn("w:noBreakHyphen")  # docx_unbroken's hyphens in case numbers
    lines = []
    for p in body.iter(qn("w:p")):
        parts = []
        for el in p.iter(t_tag, tab_tag, br_tag, cr_tag, hyphen_tag):
            if el.tag == t_tag:
                parts.append(el.text or "")
            elif el.tag == hyphen_tag:
                parts.append("-")
            elif el.getparent().tag == qn("w:r"):  # a run's tab/break, not a tab-stop definition
                parts.append(" ")
        text = "".join(parts).strip()
        if text:
            lines.append(text)
    return "\n".join(lines)
