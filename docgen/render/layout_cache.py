"""Caches across documents inside WeasyPrint's pipeline, for the production PDF renderer.

A run renders thousands of documents from the same few templates: the same boilerplate
paragraphs in the same computed styles at the same widths. WeasyPrint works each of them out
again per document. While `engine_caches()` is entered (docgen.render.pdf, cached=True only;
never the naive baseline), what it works out once is kept for the next documents of the thread:

- line breaking: `split_first_line`'s result, keyed by the whole text, every style value the
  function reads (LINE_BREAK_STYLE, checked by tests/render/test_layout_cache.py), the width,
  the justification spacing and the flags (docgen.render.line_cache).
- computed styles: the values computed under an element's style signature, handed to the next
  element with that signature (docgen.render.style_cache).
- glyphs: the content-stream operations and font entries a text box's glyphs write, replayed
  for the next text box with the same text and shaping (docgen.render.glyph_cache).
- paragraphs: the line boxes of a paragraph of plain text, recorded and replayed for the next
  paragraph with the same content, styles and width at the same place
  (docgen.render.paragraph_cache).
- font subsets: the subset of a font for a set of glyphs, for the next document asking for the
  same glyphs of the same face (docgen.render.subset_cache).
- streams: the deflated bytes of the streams documents repeat (font subsets, the output-intent
  profile), for pydyf's next stream with the same bytes (docgen.render.stream_cache).

Output is byte-identical with and without (tested). Each thread keeps at most MAX_LINES lines,
MAX_GLYPH_LINES text boxes' glyphs and MAX_PARAGRAPHS paragraphs (least recently used dropped) and MAX_STYLES signatures (then all
forgotten); render workers are also replaced every WORKER_DOCUMENTS documents. It reaches into WeasyPrint's internals, so it is
switched off, with one warning, under any WeasyPrint or pydyf other than PINNED_WEASYPRINT and
PINNED_PYDYF.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pydyf
import weasyprint
from weasyprint.css import StyleFor
from weasyprint.draw import text as weasy_text
from weasyprint.layout import block as weasy_block
from weasyprint.layout import inline as weasy_inline
from weasyprint.layout import preferred as weasy_preferred
from weasyprint.pdf import fonts as weasy_fonts
from weasyprint.text import line_break as weasy_line_break

from docgen.render import glyph_cache, subset_cache
from docgen.render.glyph_cache import WEASYPRINT_DRAW_FIRST_LINE, GlyphCache
from docgen.render.line_cache import LINE_BREAK_STYLE, WEASYPRINT_SPLIT_FIRST_LINE, LineCache
from docgen.render.paragraph_cache import (
    WEASYPRINT_ITER_LINE_BOXES,
    WEASYPRINT_LINE_BOX_VERTICALITY,
    ParagraphCache,
)
from docgen.render.stream_cache import MemoZlib, StreamCache
from docgen.render.style_cache import StyleCache
from docgen.render.subset_cache import SubsetCache

PINNED_WEASYPRINT = "70.0"
PINNED_PYDYF = "0.13.0"  # the stream cache stands in for the zlib of this version's Stream.data

# Entries per thread, about 1 KB each (10 MB at most): the boilerplate of every template stays
# (every document hits it), the lines of one document's own names and numbers drop out first.
# Measured on il-cook: 200 documents leave about 4,100 entries, and a cap of 3,000 hits as often
# (89 % of the lines of new documents).
MAX_LINES = 10_000

# Style signatures per thread (an element's matched declarations, its parent's signature, its
# pseudo-element, base URL and fonts); all are forgotten when there are more. Measured on il-cook:
# about 1,000 after 100 documents.
MAX_STYLES = 20_000

# Recorded paragraphs per thread (least recently used dropped). Each keeps its line boxes and
# the elements and styles of the document it came from: about 18 KB. Measured on il-cook, 240
# documents of every kind: a cap of 1,500 replays 97 % as many paragraphs as one of 5,000, for
# about 27 MB against 90 MB more per worker.
MAX_PARAGRAPHS = 1_500

# Text boxes' glyphs per thread (least recently used dropped), a few hundred bytes each.
# Measured on il-cook: about 4,000 after 200 documents of every kind.
MAX_GLYPH_LINES = 10_000

# Bytes of repeated streams (font subsets, the output-intent profile) and their deflated bytes
# per thread (least recently used dropped).
MAX_STREAM_BYTES = 16 * 1024 * 1024

# Font subsets per thread (least recently used dropped), about 20 KB each.
MAX_SUBSETS = 500

_local = threading.local()
_install_lock = threading.Lock()
_status: dict[str, bool] = {"installed": False, "warned": False}


def _split_first_line(*args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """WeasyPrint's split_first_line (same arguments, passed on as they came), through this
    thread's cache while engine_caches is on."""
    cache: LineCache | None = getattr(_local, "active", None)
    if cache is None:
        return WEASYPRINT_SPLIT_FIRST_LINE(*args, **kwargs)
    return cache.split_first_line(*args, **kwargs)


WEASYPRINT_SET_COMPUTED_STYLES: Callable[..., None] = StyleFor.set_computed_styles
WEASYPRINT_STYLE_FOR: Callable[..., Any] = StyleFor.__call__

# Pseudo-elements WeasyPrint's user-agent stylesheet gives every element a style for, though
# only a list item (::marker) or a footnote or note makes a box of them: six of every seven
# styles a document computes (measured on an il-cook motion: 522 of 632). While engine_caches is
# on, each is computed when something first asks for it, from the declarations it had.
DEFERRED_PSEUDO_ELEMENTS = frozenset(
    ("marker", "footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")
)


# Pages' and margin boxes' styles shared by signature too (each page computed about 20).
SHARE_PAGE_STYLES = True


def _set_computed_styles(
    self: Any,
    element: Any,
    parent: Any,
    root: Any = None,
    pseudo_type: str | None = None,
    base_url: str | None = None,
    target_collector: Any = None,
) -> None:
    """WeasyPrint's StyleFor.set_computed_styles, then the new style shared (elements only,
    not page contexts) while engine_caches is on; the styles of DEFERRED_PSEUDO_ELEMENTS
    waiting until asked for (unless their declarations name an anchor, which is collected
    as the style is made)."""
    cache: StyleCache | None = getattr(_local, "active_styles", None)
    if cache is not None and pseudo_type in DEFERRED_PSEUDO_ELEMENTS:
        cascaded = self.get_cascaded_styles().get((element, pseudo_type), {})
        if "anchor" not in cascaded:
            pending = self.__dict__.setdefault("_docgen_pending", {})
            pending[element, pseudo_type] = (parent, root, base_url, cascaded)
            return
    WEASYPRINT_SET_COMPUTED_STYLES(
        self, element, parent, root, pseudo_type, base_url, target_collector
    )
    if cache is not None:
        page = not hasattr(element, "tag")  # a page type, for the page or a margin box
        if SHARE_PAGE_STYLES or not page:
            cache.share(self.get_computed_styles()[element, pseudo_type], page=page)


def _style_for(self: Any, element: Any, pseudo_type: str | None = None) -> Any:
    """WeasyPrint's StyleFor.__call__, after making a deferred pseudo-element's style: with
    the declarations it had when StyleFor cascaded them (they are cleared after)."""
    pending = self.__dict__.get("_docgen_pending")
    if pending:
        waiting = pending.pop((element, pseudo_type), None)
        if waiting is not None:
            parent, root, base_url, cascaded = waiting
            cascaded_styles = self.get_cascaded_styles()
            cascaded_styles[element, pseudo_type] = cascaded
            try:
                WEASYPRINT_SET_COMPUTED_STYLES(self, element, parent, root, pseudo_type, base_url)
            finally:
                del cascaded_styles[element, pseudo_type]
            cache: StyleCache | None = getattr(_local, "active_styles", None)
            if cache is not None:
                cache.share(self.get_computed_styles()[element, pseudo_type])
    return WEASYPRINT_STYLE_FOR(self, element, pseudo_type)


def _iter_line_boxes(*args: Any) -> Iterator[tuple[Any, Any]]:
    """WeasyPrint's iter_line_boxes (block layout's only caller passes its ten arguments in
    order), through this thread's paragraphs while engine_caches is on."""
    cache: ParagraphCache | None = getattr(_local, "active_paragraphs", None)
    if cache is None:
        return WEASYPRINT_ITER_LINE_BOXES(*args)
    return cache.iter_line_boxes(*args)


def _line_box_verticality(line: Any) -> tuple[float, float]:
    """WeasyPrint's line_box_verticality, noted by this thread's paragraphs while engine_caches
    is on (a recorded paragraph keeps its boxes' heights relative to the baseline)."""
    cache: ParagraphCache | None = getattr(_local, "active_paragraphs", None)
    if cache is None:
        return WEASYPRINT_LINE_BOX_VERTICALITY(line)
    return cache.line_box_verticality(line)


def _draw_first_line(stream: Any, *args: Any) -> list[Any]:
    """WeasyPrint's draw_first_line (draw_text passes its five arguments in order), through
    this thread's glyphs while engine_caches is on."""
    cache: GlyphCache | None = getattr(_local, "active_glyphs", None)
    if cache is None:
        return WEASYPRINT_DRAW_FIRST_LINE(stream, *args)
    return cache.draw_first_line(stream, *args)


def _subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """WeasyPrint's Font.subset, through this thread's subsets while engine_caches is on."""
    cache: SubsetCache | None = getattr(_local, "active_subsets", None)
    if cache is None:
        subset_cache.WEASYPRINT_SUBSET(font, to_unicode, hinting)
    else:
        cache.subset(font, to_unicode, hinting)


def _reactivate(layout: Any, style: Any) -> None:
    """WeasyPrint's Layout.reactivate; deferred until the layout is read (a replayed text box
    never reads it) while engine_caches is on."""
    if getattr(_local, "active_glyphs", None) is None:
        glyph_cache.WEASYPRINT_REACTIVATE(layout, style)
    else:
        glyph_cache.defer_reactivation(layout, style)


# The modules that call split_first_line, by the name they imported it under.
_CALLERS: tuple[Any, ...] = (weasy_line_break, weasy_inline, weasy_preferred)


def _install() -> bool:
    """Route WeasyPrint's split_first_line through _split_first_line (once per process); False,
    with one warning, under an unpinned WeasyPrint."""
    with _install_lock:
        versions = (weasyprint.__version__, pydyf.__version__)
        if versions != (PINNED_WEASYPRINT, PINNED_PYDYF):
            if not _status["warned"]:
                _status["warned"] = True
                warnings.warn(
                    f"WeasyPrint {versions[0]} and pydyf {versions[1]} are not the pinned "
                    f"{PINNED_WEASYPRINT} and {PINNED_PYDYF}: the layout caches are off",
                    RuntimeWarning,
                    stacklevel=3,
                )
            return False
        if not _status["installed"]:
            for module in _CALLERS:
                module.split_first_line = _split_first_line
            StyleFor.set_computed_styles = _set_computed_styles
            StyleFor.__call__ = _style_for
            weasy_block.iter_line_boxes = _iter_line_boxes
            weasy_inline.line_box_verticality = _line_box_verticality
            weasy_text.draw_first_line = _draw_first_line
            weasy_line_break.Layout.reactivate = _reactivate
            weasy_line_break.Layout.deactivate = glyph_cache.deactivate
            weasy_line_break.Layout.__getattr__ = glyph_cache.activate_on_read
            pydyf.zlib = MemoZlib(lambda: getattr(_local, "active_streams", None))
            weasy_fonts.Font.subset = _subset
            _status["installed"] = True
        return True


_Cache = TypeVar("_Cache")


def _thread_local(name: str, make: Callable[[], _Cache]) -> _Cache:
    """This thread's cache called `name`, made (with its cap as it is now) on first use."""
    cache: _Cache | None = getattr(_local, name, None)
    if cache is None:
        cache = make()
        setattr(_local, name, cache)
    return cache


def _thread_cache() -> LineCache:
    return _thread_local("lines", lambda: LineCache(MAX_LINES))


def _thread_styles() -> StyleCache:
    return _thread_local("styles", lambda: StyleCache(MAX_STYLES))


def _thread_glyphs() -> GlyphCache:
    return _thread_local("glyphs", lambda: GlyphCache(MAX_GLYPH_LINES, LINE_BREAK_STYLE))


def _thread_paragraphs() -> ParagraphCache:
    return _thread_local("paragraphs", lambda: ParagraphCache(MAX_PARAGRAPHS))


def _thread_streams() -> StreamCache:
    return _thread_local("streams", lambda: StreamCache(MAX_STREAM_BYTES))


def _thread_subsets() -> SubsetCache:
    return _thread_local("subsets", lambda: SubsetCache(MAX_SUBSETS))


# Where engine_caches puts each of this thread's caches for WeasyPrint's patched functions to
# find, in the order of _thread_caches.
_ACTIVE = (
    "active",
    "active_styles",
    "active_paragraphs",
    "active_glyphs",
    "active_streams",
    "active_subsets",
)


def _thread_caches() -> tuple[Any, ...]:
    return (
        _thread_cache(),
        _thread_styles(),
        _thread_paragraphs(),
        _thread_glyphs(),
        _thread_streams(),
        _thread_subsets(),
    )


def _set_active(caches: tuple[Any, ...]) -> None:
    for name, cache in zip(_ACTIVE, caches, strict=True):
        setattr(_local, name, cache)


@contextlib.contextmanager
def engine_caches(enabled: bool = True) -> Iterator[None]:
    """The caches on for renders in this block on this thread (if `enabled` and WeasyPrint is
    the pinned version); renders elsewhere, or on other threads, go through WeasyPrint as is."""
    if not enabled or getattr(_local, "off", False) or not _install():
        yield
        return
    previous = tuple(getattr(_local, name, None) for name in _ACTIVE)
    _set_active(_thread_caches())
    try:
        yield
    finally:
        _set_active(previous)


@contextlib.contextmanager
def switched_off() -> Iterator[None]:
    """Production renders in this block on this thread without the caches (the A/B of
    bench.py and tests/render/test_layout_cache.py)."""
    previous = getattr(_local, "off", False)
    _local.off = True
    try:
        yield
    finally:
        _local.off = previous


def cache_stats() -> dict[str, int]:
    """This thread's caches: entries, hits and misses so far (for the benchmark)."""
    cache, styles, paragraphs = _thread_cache(), _thread_styles(), _thread_paragraphs()
    glyphs, streams, subsets = _thread_glyphs(), _thread_streams(), _thread_subsets()
    return {
        "entries": len(cache.entries),
        "hits": cache.hits,
        "misses": cache.misses,
        "style_signatures": len(styles.signatures),
        "style_hits": styles.hits,
        "style_misses": styles.misses,
        "paragraphs": len(paragraphs.entries),
        "paragraph_hits": paragraphs.hits,
        "paragraph_misses": paragraphs.misses,
        "glyph_lines": len(glyphs.entries),
        "glyph_hits": glyphs.hits,
        "glyph_misses": glyphs.misses,
        "streams": len(streams.entries),
        "stream_bytes": streams.bytes,
        "stream_hits": streams.hits,
        "stream_misses": streams.misses,
        "subsets": len(subsets.entries),
        "subset_hits": subsets.hits,
        "subset_misses": subsets.misses,
    }


def clear_caches() -> None:
    """Forget this thread's cached lines, styles, paragraphs, glyphs, streams and subsets
    (tests, benchmarks)."""
    _local.lines = _local.styles = _local.paragraphs = _local.glyphs = None
    _local.streams = _local.subsets = None
