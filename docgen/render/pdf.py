"""PDF renderer: a pack's HTML templates laid out by WeasyPrint as deterministic PDF/A-2b.

Guarantees, each one tested in tests/render/test_render_pdf.py:
- fonts come only from docgen.packs.FONTS_DIR: fontconfig is pointed at a generated config that
  lists that folder and nothing else, and the templates declare @font-face rules for it;
- nothing is fetched from the network or from outside the pack folder and the fonts folder;
- the same input gives byte-identical bytes (dates come from the run date, the PDF identifier
  from a hash of the input; nothing reads the clock or a random source).

Template convention: `<pack>/<spec.kind>.html`, rendered in a sandbox with autoescaping and
StrictUndefined, with these names: `doc` (the view model, DocumentSpec.context), `lang`,
`title` and `kind` (from the DocumentSpec).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from markupsafe import Markup, escape

from docgen.errors import PackError
from docgen.packs import FONTS_DIR, Pack
from docgen.plan.viewmodel import DocumentSpec
from docgen.render.gc import fewer_gc_passes
from docgen.render.text_wrap import wrap_to_width


def _fontconfig_file(fonts_dir: Path) -> Path:
    """Write (once) a fontconfig config that knows our fonts folder and no other.

    Why: fallback fonts are chosen by fontconfig; with the system config a glyph missing from
    Liberation Serif could silently come from DejaVu or Noto and change the layout between
    machines. No <include> of the system config, so system font folders are never scanned.
    """
    fonts_dir = fonts_dir.resolve()
    key = hashlib.sha256(str(fonts_dir).encode()).hexdigest()[:12]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    try:
        folder = base / "docgen" / f"fontconfig-{key}"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # read-only home (containers): fall back to the temp folder
        folder = Path(tempfile.gettempdir()) / f"docgen-fontconfig-{os.getuid()}-{key}"
        folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <dir>{_xml_escape(str(fonts_dir))}</dir>\n"
        f"  <cachedir>{_xml_escape(str(folder / 'cache'))}</cachedir>\n"
        # Generic families resolve to the bundled fonts, never to whatever the system has.
        "  <alias><family>serif</family><prefer><family>Liberation Serif</family>"
        "<family>WenQuanYi Micro Hei</family></prefer></alias>\n"
        "  <alias><family>sans-serif</family><prefer><family>Liberation Serif</family>"
        "<family>WenQuanYi Micro Hei</family></prefer></alias>\n"
        "  <alias><family>monospace</family><prefer><family>Liberation Serif</family>"
        "<family>WenQuanYi Micro Hei</family></prefer></alias>\n"
        "</fontconfig>\n"
    )
    if not conf.is_file() or conf.read_text(encoding="utf-8") != text:
        tmp = conf.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(conf)  # atomic: parallel workers never read a half-written file
    return conf


def _xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Must happen before weasyprint is imported: it loads fontconfig's configuration at import time,
# and again for every document (so it must stay set for the life of the process).
os.environ["FONTCONFIG_FILE"] = str(_fontconfig_file(FONTS_DIR))

import weasyprint  # noqa: E402
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError  # noqa: E402
from jinja2.sandbox import SandboxedEnvironment  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # noqa: E402

from docgen.render.layout_cache import engine_caches  # noqa: E402  (imports weasyprint)

PDF_VARIANT = "pdf/a-2b"

# @font-face rules for the bundled fonts; prepended to every document so that even HTML without
# the pack's stylesheet (e.g. the run report) is set in the bundled fonts.
_FONT_FACES = (
    ("Liberation Serif", "LiberationSerif-Regular.ttf", "normal", "normal"),
    ("Liberation Serif", "LiberationSerif-Bold.ttf", "bold", "normal"),
    ("Liberation Serif", "LiberationSerif-Italic.ttf", "normal", "italic"),
    ("Liberation Serif", "LiberationSerif-BoldItalic.ttf", "bold", "italic"),
    ("WenQuanYi Micro Hei", "wqy-microhei.ttc", "normal", "normal"),
)


def font_face_css(fonts_dir: Path = FONTS_DIR) -> str:
    rules = [
        f'@font-face {{ font-family: "{family}"; src: url("{(fonts_dir / file).resolve().as_uri()}");'
        f" font-weight: {weight}; font-style: {style}; }}"
        for family, file, weight, style in _FONT_FACES
    ]
    rules.append(
        'html { font-family: "Liberation Serif", "WenQuanYi Micro Hei", serif; font-size: 12pt; }'
    )
    return "\n".join(rules)


class ResourceRefused(PackError):
    """A template asked for something outside the pack and fonts folders (or the network)."""


class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types
    """Serves files under the allowed folders and data: URLs; refuses everything else.

    fail_on_errors=True makes a refusal stop the rendering instead of being logged and skipped,
    so a template that reaches for the network or /etc fails loudly in tests.
    """

    def __init__(self, allowed_dirs: Sequence[Path]) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols=("file", "data"))
        self._allowed = tuple(d.resolve() for d in allowed_dirs)

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"refused to fetch {url!r}: only local pack files are allowed")
        # resolve() follows symlinks and "..", so neither can escape the allowed folders.
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self._allowed):
            raise ResourceRefused(f"refused to read {url!r}: outside the pack and fonts folders")
        return super().fetch(url, headers)


_local = threading.local()


def _font_config() -> tuple[FontConfiguration, weasyprint.CSS]:
    """One FontConfiguration (and parsed @font-face sheet) per thread.

    Why: each new FontConfiguration copies the @font-face files (5 MB of CJK font) into a temp
    folder; reusing it saves that per document. Not shared across threads: Pango is not
    thread-safe.
    """
    cached = getattr(_local, "fonts", None)
    if cached is None:
        config = FontConfiguration()
        fetcher = LocalOnlyFetcher([FONTS_DIR])
        css = weasyprint.CSS(string=font_face_css(), font_config=config, url_fetcher=fetcher)
        cached = _local.fonts = (config, css)
    return cached


def _parsed_css(
    path: Path, font_config: FontConfiguration, fetcher: LocalOnlyFetcher
) -> weasyprint.CSS:
    """Parse a stylesheet once per thread (and again only when the file changes).

    Why: parsing the pack's stylesheet cost about a quarter of each document's render time.
    """
    return _per_thread_and_version(
        "css",
        path,
        lambda p: weasyprint.CSS(filename=str(p), font_config=font_config, url_fetcher=fetcher),
    )


_T = TypeVar("_T")


def _per_thread_and_version(kind: str, path: Path, make: Callable[[Path], _T]) -> _T:
    """`make(path)`, kept per thread (Pango is not thread-safe) under `kind` and made again only
    when the file changes (its modification time)."""
    cache: dict[tuple[str, int], _T] = _local.__dict__.setdefault(kind, {})
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in cache:
        cache[key] = make(path)
    return cache[key]


def _epoch(run_date: date) -> int:
    return int(datetime.combine(run_date, time(), tzinfo=UTC).timestamp())


def _w3c_date(run_date: date) -> str:
    return f"{run_date.isoformat()}T00:00:00Z"


def html_to_pdf(
    html: str,
    *,
    base_dir: Path,
    title: str,
    lang: str,
    run_date: date,
    stylesheets: Sequence[Path] = (),
) -> bytes:
    """Lay out `html` as a PDF/A-2b document; deterministic for equal arguments.

    Relative URLs resolve against `base_dir`; only files under `base_dir` and the fonts folder
    can be read. Title, language and dates are set here, whatever the HTML says.
    """
    return html_to_pdf_with_pages(
        html, base_dir=base_dir, title=title, lang=lang, run_date=run_date, stylesheets=stylesheets
    )[0]


def html_to_pdf_with_pages(
    html: str,
    *,
    base_dir: Path,
    title: str,
    lang: str,
    run_date: date,
    stylesheets: Sequence[Path] = (),
    cached: bool = True,
    also_allowed: Sequence[Path] = (),
) -> tuple[bytes, int]:
    """html_to_pdf, plus the page count (known from the layout: no need to parse the PDF again).

    cached=False is the naive baseline the benchmark compares with: a new FontConfiguration
    (which copies the font files), freshly parsed stylesheets and no layout caches
    (docgen.render.layout_cache) for this one document. The bytes are the same either way
    (tests/render/test_fast_render.py, tests/render/test_layout_cache.py).
    """
    with fewer_gc_passes() if cached else contextlib.nullcontext(), engine_caches(cached):
        return _html_to_pdf(
            html, base_dir, title, lang, run_date, stylesheets, cached, also_allowed
        )


def _html_to_pdf(
    html: str,
    base_dir: Path,
    title: str,
    lang: str,
    run_date: date,
    stylesheets: Sequence[Path],
    cached: bool,
    also_allowed: Sequence[Path] = (),
) -> tuple[bytes, int]:
    base_dir = base_dir.resolve()
    fetcher = LocalOnlyFetcher([base_dir, *also_allowed, FONTS_DIR])
    if cached:
        font_config, font_css = _font_config()
    else:
        font_config = FontConfiguration()
        font_css = weasyprint.CSS(
            string=font_face_css(),
            font_config=font_config,
            url_fetcher=LocalOnlyFetcher([FONTS_DIR]),
        )
    try:
        if cached:
            sheets = [font_css] + [_parsed_css(Path(p), font_config, fetcher) for p in stylesheets]
        else:
            sheets = [font_css] + [
                weasyprint.CSS(filename=str(p), font_config=font_config, url_fetcher=fetcher)
                for p in stylesheets
            ]
        document = weasyprint.HTML(
            string=html, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=font_config, stylesheets=sheets, pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        if isinstance(cause, ResourceRefused):
            raise ResourceRefused(cause.message) from None
        raise PackError(f"{exc}: {cause}") from None
    meta = document.metadata
    meta.title = title
    meta.lang = lang
    meta.created = meta.modified = _w3c_date(run_date)
    meta.authors, meta.generator = [], None  # nothing from the HTML that could vary
    # The file identifier must be stable for equal input: derive it from everything that
    # shapes the output instead of letting anything random in.
    digest = hashlib.sha256()
    for part in (html, title, lang, run_date.isoformat(), *(Path(p).name for p in stylesheets)):
        digest.update(part.encode("utf-8") + b"\0")
    for p in stylesheets:
        digest.update(_file_bytes(Path(p)) if cached else Path(p).read_bytes())
    # Font subsetting with fontTools (used when libharfbuzz-subset is missing) stamps each
    # embedded font's head.modified with the current time unless SOURCE_DATE_EPOCH is set.
    os.environ["SOURCE_DATE_EPOCH"] = str(_epoch(run_date))
    # pdf_tags: a tagged PDF (real TH cells, reading order) for screen readers, WCAG 2.1 AA.
    data = document.write_pdf(
        pdf_variant=PDF_VARIANT,
        pdf_identifier=digest.hexdigest()[:32].encode(),
        pdf_tags=True,
    )
    return data, len(document.pages)


def _file_bytes(path: Path) -> bytes:
    """A stylesheet's bytes, read once per thread (and again only when the file changes)."""
    return _per_thread_and_version("bytes", path, Path.read_bytes)


def keep_unbroken(text: str, phrases: Sequence[str]) -> Markup:
    """Escape `text` and keep each of `phrases` (case numbers, statutes) on one line.

    Why: WeasyPrint breaks after hyphens and spaces, and "2004-" at a line end with
    "CR-0012345" on the next is a case number a clerk misreads or cannot search for.
    """
    escaped = str(escape(text))
    for phrase in sorted({p for p in phrases if p}, key=len, reverse=True):
        safe = str(escape(phrase))
        escaped = escaped.replace(safe, f'<span class="nobr">{safe}</span>')
    return Markup(escaped)


PdfAndPages = tuple[bytes, int]  # a PDF and its page count


class PdfRenderer:
    """Renders DocumentSpecs with the pack's `<kind>.html` templates."""

    def __init__(self, pack: Pack, run_date: date) -> None:
        self.pack = pack
        self.run_date = run_date
        # Sandboxed and autoescaped: names and wording are data, never markup or code.
        self.env = SandboxedEnvironment(
            autoescape=True,
            undefined=StrictUndefined,
            loader=FileSystemLoader(pack.template_dirs),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["nobreak"] = keep_unbroken
        self.env.filters["wrap_to_width"] = wrap_to_width

    # The shared letter rules come after style.css, as they closed each pack's style.css before
    # they were shared: a pack's general rules (e.g. `.letter p` in the pleading layout) never
    # undo them. Last, a pack's own pack.css, if it has one: the few rules particular to one court
    # (e.g. a wider case-number column for long case numbers) on top of the shared stylesheets,
    # which the pack keeps using.
    STYLESHEETS = ("style.css", "letter.css", "pack.css")

    @property
    def stylesheets(self) -> tuple[Path, ...]:
        """The stylesheets found for the pack (its folder, its layout, then _layouts/common),
        given to WeasyPrint pre-parsed rather than linked per document."""
        found = (self.pack.find_template(name) for name in self.STYLESHEETS)
        return tuple(sheet for sheet in found if sheet is not None)

    def render_html(self, spec: DocumentSpec) -> str:
        filename = f"{spec.kind}.html"
        self.pack.template_path(filename)  # a clear PackError if the pack lacks it
        try:
            template = self.env.get_template(filename)
            return template.render(
                doc=spec.context, lang=spec.lang, title=spec.title, kind=spec.kind
            )
        except TemplateError as exc:
            where = getattr(exc, "lineno", None)
            at = f", line {where}" if where else ""
            source = getattr(exc, "filename", None) or self.pack.template_path(filename)
            raise PackError(f"{source}{at}: template cannot be rendered: {exc}") from None

    def render(self, spec: DocumentSpec) -> bytes:
        return self.render_with_pages(spec)[0]

    def render_with_pages(self, spec: DocumentSpec, *, cached: bool = True) -> PdfAndPages:
        """The PDF and its page count. cached=False: the naive one-pass-per-document baseline."""
        return self.pdf_from_html(spec, self.render_html(spec), cached=cached)

    def pdf_from_html(self, spec: DocumentSpec, html: str, *, cached: bool = True) -> PdfAndPages:
        """`html` (render_html's, or a benchmark's variant of it) as the spec's PDF and pages."""
        return html_to_pdf_with_pages(
            html,
            base_dir=self.pack.directory,
            title=spec.title,
            lang=spec.lang,
            run_date=self.run_date,
            stylesheets=self.stylesheets,
            cached=cached,
            also_allowed=self.pack.template_dirs[1:],
        )
