"""The production renderer's caches across documents (docgen.render.layout_cache) change no byte.

- A mixed set (motions, orders, letters in English and Spanish, bulk documents, notices of
  filing; every pack) rendered with the caches on and off, interleaved in one process: the same
  bytes, and the cache was really hit by other documents' lines.
- The same comparison catches a cache keyed too loosely (a key without the style values).
- Every style value WeasyPrint's line breaking reads is in the key.
- A signature hit holds the shared values at once.
- Glyphs replayed from another document's text box: a key without the style is caught; a font the
  document has not used yet is added by WeasyPrint; a glyph missing from the fonts is not replayed.
- Paragraphs replayed from another document: the same comparisons catch a paragraph key without
  styles, width or text; content whose lines reach beyond the paragraph (links, named strings,
  inline-blocks) is laid out as usual.
- Deflated streams are handed out only for the very bytes and level they were made from, and
  only streams seen twice are kept.
- Pseudo-elements' styles made only when asked for: list markers styled by the page, footnote
  calls and markers, a marker naming an anchor come out the same, and most are never made.
- Pages' and margin boxes' styles shared by signature: first, left and right, named pages and
  running footers with page counters come out the same.
- Font subsets handed to the next document only for the same glyphs: a key without the glyphs
  is caught.
- Each cache stays within its size; the naive path never uses it; an unpinned WeasyPrint turns
  it off with one warning.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any

import pytest
import weasyprint
from weasyprint.layout import inline as weasy_inline
from weasyprint.layout import preferred as weasy_preferred

from docgen.packs import available_packs, load_pack
from docgen.plan.viewmodel import DocumentSpec
from docgen.render import (
    glyph_cache,
    layout_cache,
    line_cache,
    paragraph_cache,
    stream_cache,
    style_cache,
    subset_cache,
)
from docgen.render.pdf import PdfRenderer
from tests.render.test_fast_render import RUN_DATE, pack_specs


def _mixed_specs(pack_name: str, per_kind: int = 2) -> list[DocumentSpec]:
    """Up to `per_kind` documents of each (kind, language) the pack makes, in plan order, so
    that documents of one kind follow each other with different people in them."""
    taken: dict[tuple[str, str], int] = {}
    chosen = []
    for spec in pack_specs(pack_name):
        seen = taken.get((spec.kind, spec.lang), 0)
        if seen < per_kind:
            taken[(spec.kind, spec.lang)] = seen + 1
            chosen.append(spec)
    return chosen


MIXED = [(name, spec) for name in available_packs() for spec in _mixed_specs(name)]


def _render(renderer: PdfRenderer, spec: DocumentSpec, caches: bool) -> tuple[bytes, int]:
    """The production path (cached fonts and stylesheets) with the layout caches on or off."""
    with layout_cache.switched_off() if not caches else contextlib.nullcontext():
        return renderer.render_with_pages(spec)


def _compare_all(pairs: list[tuple[str, DocumentSpec]]) -> list[str]:
    """Render each document with the caches off and on, interleaved; the documents that differ."""
    renderers = {name: PdfRenderer(load_pack(name), RUN_DATE) for name in {n for n, _ in pairs}}
    differ = []
    for name, spec in pairs:
        renderer = renderers[name]
        without = _render(renderer, spec, caches=False)
        try:
            with_caches: tuple[bytes, int] | None = _render(renderer, spec, caches=True)
        except AssertionError:  # WeasyPrint's own checks, given another line's break
            with_caches = None
        if with_caches != without:
            differ.append(f"{name}/{spec.relpath} ({spec.kind}, {spec.lang})")
    return differ


@pytest.fixture()
def fresh_cache() -> Any:
    layout_cache.clear_caches()
    yield
    layout_cache.clear_caches()


def test_mixed_documents_are_byte_identical_with_and_without_caches(fresh_cache: Any) -> None:
    kinds = {(spec.kind, spec.lang) for _, spec in MIXED}
    assert {"motion", "order", "letter"} <= {kind for kind, _ in kinds}
    assert {("letter", "en"), ("letter", "es")} <= kinds
    assert {name for name, _ in MIXED} == set(available_packs())
    assert _compare_all(MIXED) == []
    stats = layout_cache.cache_stats()
    # Each document was rendered once with the caches on: every hit is a line another document
    # laid out before it (the same boilerplate), not the document's own earlier render.
    assert stats["hits"] > stats["misses"] > 0, stats
    assert stats["style_hits"] > stats["style_misses"] > 0, stats
    assert stats["paragraph_hits"] > 0, stats
    assert stats["glyph_hits"] > stats["glyph_misses"] > 0, stats
    assert stats["stream_hits"] > 0, stats  # font subsets and the output intent profile
    assert stats["subset_hits"] > 0, stats


# The same words in other styles and widths, one paragraph after the other: a cache keyed too
# loosely hands the later paragraphs the first one's line breaks.
_WORDS = "The Court finds that the petitioner is entitled to relief under the statute cited"
PROBE_HTML = (
    '<!DOCTYPE html><html lang="en"><head><title>probe</title></head><body>'
    f"<p>{_WORDS}</p><p><b>{_WORDS}</b></p><p style='font-size: 17pt'>{_WORDS}</p>"
    f"<p style='letter-spacing: 1pt'>{_WORDS}</p><p style='word-spacing: 4pt'>{_WORDS}</p>"
    f"<div style='width: 2.5in'><p>{_WORDS}</p></div>"
    f"<p lang='es' style='hyphens: auto; width: 1.2in'>{_WORDS}</p>"
    f"<p>{_WORDS} and the order</p>"
    f"<p style='font-size: 17pt'><b>{_WORDS[:20]}</b></p><p><b>{_WORDS[:20]}</b></p>"
    f"<p style='font-size: 9pt'><b>{_WORDS[:20]}</b></p>"
    # The same cell in the same styles, as wide as its neighbour leaves it: only the width
    # tells the two apart.
    f"<table><tr><td>{_WORDS}</td><td>short</td></tr></table>"
    f"<table><tr><td>{_WORDS}</td><td>{_WORDS} {_WORDS}</td></tr></table>"
    "</body></html>"
)


def _probe_differs(times: int = 1, html: str = PROBE_HTML) -> bool:
    """The probe rendered `times` with the caches on: does any differ from it without?"""
    renderer = PdfRenderer(load_pack("il-cook"), RUN_DATE)
    spec = MIXED[0][1]

    def render() -> tuple[bytes, int]:
        return renderer.pdf_from_html(spec, html)

    with layout_cache.switched_off():
        without = render()
    try:
        return any(render() != without for _ in range(times))
    except AssertionError:  # WeasyPrint's own checks, given another line's break
        return True


def test_probe_is_byte_identical_with_caches(fresh_cache: Any) -> None:
    # The second time every paragraph of the probe is replayed (the first time, paragraphs
    # with the same words in another style or width were laid out each on its own).
    assert not _probe_differs(times=2)
    stats = layout_cache.cache_stats()
    assert stats["paragraph_hits"] == stats["paragraph_misses"] >= 11, stats
    assert stats["misses"] > 0, stats


def test_probe_lines_come_from_the_line_cache_without_paragraphs(
    fresh_cache: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paragraph_cache, "paragraph_key", lambda box, block: None)
    assert not _probe_differs(times=2)
    stats = layout_cache.cache_stats()
    assert stats["hits"] >= stats["misses"] > 0, stats
    assert stats["paragraph_hits"] == stats["paragraph_misses"] == 0, stats


def _without_style(text: str, style: Any, *flags: Any) -> tuple[Any, ...]:
    return (text, *flags, style.font_config)


def _without_width(text: str, style: Any, max_width: Any, *flags: Any) -> tuple[Any, ...]:
    return line_cache.WEASYPRINT_LINE_KEY(text, style, None, *flags)


def _first_words_only(text: str, *rest: Any) -> tuple[Any, ...]:
    return line_cache.WEASYPRINT_LINE_KEY(text[:24], *rest)


@pytest.mark.parametrize("broken_key", [_without_style, _without_width, _first_words_only])
def test_a_cache_keyed_too_loosely_would_be_caught(
    fresh_cache: Any, monkeypatch: pytest.MonkeyPatch, broken_key: Any
) -> None:
    """The comparisons above fail when the cache hands out another line's entry."""
    monkeypatch.setattr(line_cache, "line_key", broken_key)
    assert _probe_differs() or _compare_all(MIXED[:12]) != []


def _style_without_parent(parent: Any, computed: Any, declared: Any) -> tuple[Any, ...]:
    return style_cache.WEASYPRINT_STYLE_KEY("any parent", computed, declared)


def _style_without_declarations(parent: Any, computed: Any, declared: Any) -> tuple[Any, ...]:
    return style_cache.WEASYPRINT_STYLE_KEY(parent, computed, ())


@pytest.mark.parametrize("broken_key", [_style_without_parent, _style_without_declarations])
def test_a_style_signature_too_loose_would_be_caught(
    fresh_cache: Any, monkeypatch: pytest.MonkeyPatch, broken_key: Any
) -> None:
    """The comparisons above fail when an element gets another element's computed values."""
    monkeypatch.setattr(style_cache, "style_key", broken_key)
    assert _probe_differs() or _compare_all(MIXED[:12]) != []


# The paragraph key: (content, width, height, block style, x); content parts:
# (kind, tag, style signature, text, leading space, trailing space, children).
def _paragraph_without_styles(box: Any, block: Any) -> Any:
    found = paragraph_cache.WEASYPRINT_PARAGRAPH_KEY(box, block)
    if found is None:
        return None
    (content, *rest), elements = found
    content = tuple(part[:2] + part[3:] for part in content)
    return (content, rest[0], rest[1], *rest[3:]), elements


def _paragraph_without_width(box: Any, block: Any) -> Any:
    found = paragraph_cache.WEASYPRINT_PARAGRAPH_KEY(box, block)
    return None if found is None else ((found[0][0], *found[0][3:]), found[1])


def _paragraph_without_text(box: Any, block: Any) -> Any:
    found = paragraph_cache.WEASYPRINT_PARAGRAPH_KEY(box, block)
    if found is None:
        return None
    (content, *rest), elements = found
    return (tuple(part[:3] + part[4:] for part in content), *rest), elements


def _paragraph_without_place(box: Any, block: Any) -> Any:
    found = paragraph_cache.WEASYPRINT_PARAGRAPH_KEY(box, block)
    return None if found is None else (found[0][:4], found[1])


@pytest.mark.parametrize(
    "broken_key",
    [
        _paragraph_without_styles,
        _paragraph_without_width,
        _paragraph_without_text,
        _paragraph_without_place,
    ],
)
def test_a_paragraph_key_too_loose_would_be_caught(
    fresh_cache: Any, monkeypatch: pytest.MonkeyPatch, broken_key: Any
) -> None:
    """Documents whose first paragraph differs from the one before in one thing only: each
    renders as it does without the caches, and a key that leaves that thing out is caught."""
    assert _paragraph_probes_differ() == []
    assert layout_cache.cache_stats()["paragraph_hits"] > 0
    layout_cache.clear_caches()
    monkeypatch.setattr(paragraph_cache, "paragraph_key", broken_key)
    assert _paragraph_probes_differ() != []


def _html(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>probe</title></head><body>{body}</body></html>'


_NEIGHBOUR = f"{_WORDS} {_WORDS}"
_FIXED = "table-layout: fixed; width: 6in"  # two columns as wide: only the cells' left edges differ
# Each after the one before it: the same paragraph once more (replayed), then the same words
# in another style, text, width (a table cell as wide as its neighbour leaves it) or left edge
# (the second of two equal columns), and lower on the page (replayed there).
PARAGRAPH_PROBES = [
    _html(f"<p>{_WORDS}</p>"),
    _html(f"<p>{_WORDS}</p>"),
    _html(f"<p style='font-size: 17pt'>{_WORDS}</p>"),
    _html(f"<p style='letter-spacing: 1pt'>{_WORDS}</p>"),
    _html(f"<p>{_WORDS} and the order</p>"),
    _html(f"<table><tr><td>{_WORDS}</td><td>short</td></tr></table>"),
    _html(f"<table><tr><td>{_WORDS}</td><td>{_NEIGHBOUR}</td></tr></table>"),
    _html(f"<table style='{_FIXED}'><tr><td>{_WORDS}</td><td>x</td></tr></table>"),
    _html(f"<table style='{_FIXED}'><tr><td>x</td><td>{_WORDS}</td></tr></table>"),
    _html(f"<p>First.</p><p>{_WORDS}</p>"),
    _html(f"<p>{_WORDS}</p>"),
]


def _paragraph_probes_differ() -> list[int]:
    renderer = PdfRenderer(load_pack("il-cook"), RUN_DATE)
    spec = MIXED[0][1]
    differ = []
    for number, html in enumerate(PARAGRAPH_PROBES):
        with layout_cache.switched_off():
            without = renderer.pdf_from_html(spec, html)
        try:
            if renderer.pdf_from_html(spec, html) != without:
                differ.append(number)
        except AssertionError:  # WeasyPrint's own checks, given another paragraph's lines
            differ.append(number)
    return differ


def _first(size_pt: float, line_height: float) -> str:
    return f"<p style='font-size: {size_pt}pt; line-height: {line_height}'>First.</p>"


# (the paragraph before it where it was recorded, where it is replayed): pairs found by a
# search where a recorded copy moved by the difference rounds a box's height otherwise than
# laying it out there (the last digit of a coordinate in the PDF).
_MOVES = [
    ((10.62, 1.106), (18.87, 1.059)),
    ((9.77, 1.145), (9.93, 1.156)),
    ((11.03, 1.009), (17.85, 1.066)),
    ((12, 1.2), (16.5, 1.3)),
]


@pytest.mark.parametrize(("recorded_after", "replayed_after"), _MOVES)
def test_a_paragraph_at_another_height_is_replayed_as_laid_out_there(
    fresh_cache: Any,
    monkeypatch: pytest.MonkeyPatch,
    recorded_after: tuple[float, float],
    replayed_after: tuple[float, float],
) -> None:
    """Recorded below one paragraph, replayed below another of another height: the same bytes
    as laid out there (each box's height is the sum WeasyPrint computes there)."""
    renderer = PdfRenderer(load_pack("il-cook"), RUN_DATE)
    spec = MIXED[0][1]
    renderer.pdf_from_html(spec, _html(f"{_first(*recorded_after)}<p>{_WORDS}</p>"))
    html = _html(f"{_first(*replayed_after)}<p>{_WORDS}</p>")
    replayed: list[str] = []  # the text of each line box copied (the footers' are copied too)
    copy_line = paragraph_cache._copied

    def noting(box: Any, *args: Any) -> Any:
        copied = copy_line(box, *args)
        replayed.extend(getattr(child, "text", "") for child in copied.descendants())
        return copied

    monkeypatch.setattr(paragraph_cache, "_copied", noting)
    with_caches = renderer.pdf_from_html(spec, html)
    assert any(_WORDS.startswith(text) for text in replayed if text), replayed
    with layout_cache.switched_off():
        assert renderer.pdf_from_html(spec, html) == with_caches


def test_later_documents_of_a_kind_replay_most_of_their_paragraphs(fresh_cache: Any) -> None:
    """What the cache is for: after the first motion or order, the next ones (other people) lay
    out only the paragraphs that are their own or that their own content moved; most of the rest
    are replayed, each document byte-identical to its render without the caches."""
    renderer = PdfRenderer(load_pack("il-cook"), RUN_DATE)
    specs = pack_specs("il-cook")
    for kind in ("motion", "order"):
        documents = [spec for spec in specs if spec.kind == kind and spec.lang == "en"][:7]
        assert len(documents) == 7
        renderer.render_with_pages(documents[0])
        before = layout_cache.cache_stats()
        for spec in documents[1:]:
            with_caches = renderer.render_with_pages(spec)
            with layout_cache.switched_off():
                assert renderer.render_with_pages(spec) == with_caches, spec.relpath
        after = layout_cache.cache_stats()
        hits = after["paragraph_hits"] - before["paragraph_hits"]
        misses = after["paragraph_misses"] - before["paragraph_misses"]
        assert hits > misses, (kind, hits, misses)


def test_content_reaching_beyond_its_paragraph_is_laid_out_as_usual(fresh_cache: Any) -> None:
    """A link (an annotation of its own), a named string (the footer's), an inline-block: those
    paragraphs are never recorded; the plain one beside them is, and so are the lines inside
    the inline-block (a block of its own, laid out at its own width), and the footer's."""
    renderer = PdfRenderer(load_pack("il-cook"), RUN_DATE)
    spec = MIXED[0][1]
    html = _html(
        f'<p><a href="https://example.org/">{_WORDS}</a></p>'
        f"<p><span style='string-set: s content()'>{_WORDS}</span></p>"
        f"<p><span style='display: inline-block; width: 1in'>{_WORDS}</span></p>"
        f"<p>{_WORDS}</p>"
    )
    with layout_cache.switched_off():
        without = renderer.pdf_from_html(spec, html)
    assert [renderer.pdf_from_html(spec, html) for _ in range(2)] == [without, without]
    stats = layout_cache.cache_stats()
    # The plain paragraph, the inline-block's lines, and the footer's line in its margin box.
    assert stats["paragraph_hits"] == stats["paragraph_misses"] == 3, stats


def _glyphs_by_text_only(textbox: Any, style_names: Any) -> Any:
    return glyph_cache.WEASYPRINT_GLYPH_KEY(textbox, ())


def test_a_glyph_key_without_the_style_would_be_caught(
    fresh_cache: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe's same words in bold, at 17 pt, letter-spaced: their glyphs differ."""
    assert not _probe_differs()
    layout_cache.clear_caches()
    monkeypatch.setattr(glyph_cache, "glyph_key", _glyphs_by_text_only)
    assert _probe_differs()


def test_a_font_new_to_the_document_is_added_by_weasyprint(fresh_cache: Any) -> None:
    """Glyphs recorded in bold in one document; in the next, whose first text is that bold line,
    the bold font is not the document's yet: WeasyPrint draws (and adds it), the later lines are
    replayed, and the bytes are those without the caches."""
    renderer = PdfRenderer(load_pack("il-cook"), RUN_DATE)
    spec = MIXED[0][1]
    renderer.pdf_from_html(spec, _html(f"<p>Other words.</p><p><b>{_WORDS}</b></p><p>{_WORDS}</p>"))
    html = _html(f"<p><b>{_WORDS}</b></p><p>{_WORDS}</p>")
    before = layout_cache.cache_stats()
    with_caches = renderer.pdf_from_html(spec, html)
    after = layout_cache.cache_stats()
    assert after["glyph_hits"] > before["glyph_hits"]
    with layout_cache.switched_off():
        assert renderer.pdf_from_html(spec, html) == with_caches


def test_a_glyph_missing_from_the_fonts_is_never_replayed(fresh_cache: Any) -> None:
    """A character no bundled font has (drawn as .notdef, which changes the font's widths): its
    line is drawn by WeasyPrint every time, and the bytes are those without the caches."""
    renderer = PdfRenderer(load_pack("il-cook"), RUN_DATE)
    spec = MIXED[0][1]
    html = _html("<p>Snow \U0001fad0 man</p>")
    with layout_cache.switched_off():
        without = renderer.pdf_from_html(spec, html)
    for _ in range(2):
        assert renderer.pdf_from_html(spec, html) == without
    recorded = [key[0] for key in layout_cache._thread_glyphs().entries]
    assert recorded and not [text for text in recorded if "\U0001fad0" in text], recorded


def test_every_style_value_line_breaking_reads_is_in_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read: set[str] = set()

    class RecordingStyle(dict):  # type: ignore[type-arg]
        def __init__(self, style: Any) -> None:
            super().__init__()
            self._style = style

        def __getitem__(self, key: str) -> Any:
            read.add(key)
            return self._style[key]

        def __getattr__(self, name: str) -> Any:
            return getattr(self._style, name)

    def recording(text: str, style: Any, *args: Any, **kwargs: Any) -> Any:
        return line_cache.WEASYPRINT_SPLIT_FIRST_LINE(text, RecordingStyle(style), *args, **kwargs)

    monkeypatch.setattr(weasy_inline, "split_first_line", recording)
    monkeypatch.setattr(weasy_preferred, "split_first_line", recording)
    for name, spec in MIXED[::3]:
        PdfRenderer(load_pack(name), RUN_DATE).render_with_pages(spec, cached=False)
    assert read, "split_first_line was not called"
    assert read <= set(layout_cache.LINE_BREAK_STYLE), read - set(layout_cache.LINE_BREAK_STYLE)


# (the cap, its test value, the misses counted, the entries kept, all dropped when full?)
_BOUNDS = [
    ("MAX_LINES", 25, "misses", "entries", False),
    ("MAX_STYLES", 40, "style_misses", "style_signatures", True),
    ("MAX_PARAGRAPHS", 30, "paragraph_misses", "paragraphs", False),
    ("MAX_GLYPH_LINES", 20, "glyph_misses", "glyph_lines", False),
    ("MAX_SUBSETS", 1, "subset_misses", "subsets", False),
]


@pytest.mark.parametrize(("cap", "size", "misses", "kept", "all_dropped"), _BOUNDS)
def test_each_cache_is_bounded(
    fresh_cache: Any,
    monkeypatch: pytest.MonkeyPatch,
    cap: str,
    size: int,
    misses: str,
    kept: str,
    all_dropped: bool,
) -> None:
    """Past its cap a cache drops the least recently used entry (lines, paragraphs) or forgets
    everything (style signatures), and the documents stay byte-identical."""
    monkeypatch.setattr(layout_cache, cap, size)
    layout_cache.clear_caches()
    pairs = [pair for pair in MIXED if pair[0] == "il-cook"][:4]
    assert _compare_all(pairs) == []
    stats = layout_cache.cache_stats()
    assert stats[misses] > size, stats
    if all_dropped:
        assert size >= stats[kept] > 0, stats
    else:
        assert stats[kept] == size, stats


def test_naive_path_never_uses_the_cache(fresh_cache: Any) -> None:
    name, spec = MIXED[0]
    PdfRenderer(load_pack(name), RUN_DATE).render_with_pages(spec, cached=False)
    assert set(layout_cache.cache_stats().values()) == {0}


def test_unpinned_weasyprint_turns_the_caches_off_with_one_warning(
    fresh_cache: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(weasyprint, "__version__", "0.0-not-pinned")
    monkeypatch.setitem(layout_cache._status, "warned", False)
    renderer = PdfRenderer(load_pack("il-cook"), RUN_DATE)
    spec = next(spec for name, spec in MIXED if name == "il-cook")
    with pytest.warns(RuntimeWarning, match="not the pinned"):
        renderer.render_with_pages(spec)
    with warnings.catch_warnings(record=True) as later:
        warnings.simplefilter("always")
        renderer.render_with_pages(spec)
    assert not [w for w in later if "not the pinned" in str(w.message)]  # only once
    assert layout_cache.cache_stats()["misses"] == 0


def test_a_signature_hit_gets_the_shared_values_at_once() -> None:
    """An element whose signature is known holds the values computed under it before anything
    reads them (one dict update, not a lookup per value), and still computes the rest."""
    from weasyprint.css import ComputedStyle

    def new_style() -> Any:
        return ComputedStyle(None, {}, None, None, None, None, None)

    cache = style_cache.StyleCache(10)
    first = new_style()
    cache.share(first)
    assert (cache.hits, cache.misses) == (0, 1)
    first["font_size"]  # computed and recorded under the signature
    second = new_style()
    cache.share(second)
    assert cache.hits == 1
    assert dict.get(second, "font_size") == first["font_size"] == 16
    assert dict.get(second, "line_height") is None  # not computed yet: computed when read


def _stream(seed: int, length: int = 4096) -> bytes:
    """Bytes as varied as a font program's, different for each seed."""
    return bytes((seed * 131 + i * 7 + (i * i) % 251) % 256 for i in range(length))


def test_stream_cache_hands_out_only_the_same_bytes_at_the_same_level() -> None:
    cache = stream_cache.StreamCache(max_bytes=1 << 20)
    first, second = _stream(1), _stream(2)  # as long as each other
    for _ in range(3):
        for data in (first, second):
            for level in (9, 6):
                assert cache.deflate(data, level) == stream_cache.deflate(data, level)
    assert stream_cache.deflate(first, 9) != stream_cache.deflate(second, 9)
    assert stream_cache.deflate(first, 9) != stream_cache.deflate(first, 1)
    # Each (bytes, level) kept at its second sighting and served from the third on.
    assert len(cache.entries) == 4
    assert cache.hits == 4, (cache.hits, cache.misses)


def test_stream_cache_keeps_no_stream_seen_once_nor_a_short_one() -> None:
    cache = stream_cache.StreamCache(max_bytes=1 << 20)
    for seed in range(50):  # each page's own drawing: seen once
        cache.deflate(_stream(seed), 9)
    short = _stream(1, stream_cache.MIN_LENGTH - 1)
    for _ in range(3):
        assert cache.deflate(short, 9) == stream_cache.deflate(short, 9)
    assert cache.entries == {} and cache.bytes == 0


def test_stream_cache_stays_within_its_bytes() -> None:
    cache = stream_cache.StreamCache(max_bytes=40_000)
    for seed in range(30):
        for _ in range(2):
            cache.deflate(_stream(seed), 9)
    held = sum(len(data) + len(out) for (_, data), out in cache.entries.items())
    assert cache.bytes == held <= 40_000
    assert 0 < len(cache.entries) < 30


def test_pydyf_streams_go_through_zlib_outside_the_caches(fresh_cache: Any) -> None:
    renderer = PdfRenderer(load_pack("il-cook"), RUN_DATE)
    spec = next(spec for name, spec in MIXED if name == "il-cook")
    for _ in range(3):
        renderer.render_with_pages(spec, cached=False)
    assert layout_cache.cache_stats()["stream_hits"] == 0
    for _ in range(3):
        renderer.render_with_pages(spec)
    assert layout_cache.cache_stats()["stream_hits"] > 0


# Every pseudo-element whose style waits until asked for, asked for: list markers (styled by the
# page), footnote calls and markers, and a marker whose declarations name an anchor.
PSEUDO_HTML = (
    '<!DOCTYPE html><html lang="en"><head><title>pseudo</title><style>'
    "li::marker { color: #a00; font-weight: bold } ol { list-style-type: lower-roman }"
    " .fn { float: footnote } ::footnote-call { color: #00a } ::footnote-marker { font-size: 8pt }"
    " li.anchored::marker { -weasy-anchor: 'here' }"
    "</style></head><body><ul><li>first</li><li class='anchored'>second</li></ul>"
    "<ol><li>one</li><li>two</li></ol>"
    "<p>A sentence with a note<span class='fn'>The note itself.</span> and more.</p>"
    "<p>Another<span class='fn'>A second note.</span>.</p></body></html>"
)


def test_deferred_pseudo_element_styles_change_no_byte(
    fresh_cache: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str | None] = []
    weasyprint_own = layout_cache.WEASYPRINT_SET_COMPUTED_STYLES

    def counting(
        self: Any, element: Any, parent: Any, root: Any = None, pseudo_type: Any = None, *args: Any
    ) -> None:
        if getattr(layout_cache._local, "active_styles", None) is not None:  # caches on
            made.append(pseudo_type)
        weasyprint_own(self, element, parent, root, pseudo_type, *args)

    monkeypatch.setattr(layout_cache, "WEASYPRINT_SET_COMPUTED_STYLES", counting)
    assert not _probe_differs(times=2, html=PSEUDO_HTML)
    # Without the caches each of the 15 elements gets all six; with them, only the four list
    # items' markers and the footnotes' calls and markers are made, in each of the two renders.
    deferred = [p for p in made if p in layout_cache.DEFERRED_PSEUDO_ELEMENTS]
    assert 0 < deferred.count("marker") <= 2 * 4, deferred
    assert "note-call" not in deferred
    assert {"marker", "footnote-call", "footnote-marker"} <= set(deferred)


# Pages of several types, each with its own margins and margin boxes, the second time with every
# page context's values shared from the first.
PAGES_HTML = (
    '<!DOCTYPE html><html lang="en"><head><title>pages</title><style>'
    "@page { size: letter; margin: 1in; @bottom-center { content: 'Page ' counter(page) ' of '"
    " counter(pages) } @top-right { content: string(case) } }"
    " @page :first { margin-top: 2in; @top-right { content: none } }"
    " @page :left { margin-left: 1.5in; @bottom-left { content: 'left ' counter(page) } }"
    " @page wide { size: letter landscape; margin: 0.5in }"
    " h1 { string-set: case content() } .wide { page: wide } p { margin: 0 0 40pt }"
    "</style></head><body><h1>Case 2026-CR-0001</h1>"
    + "<p>A paragraph long enough to fill some of a page with text.</p>" * 30
    + "<div class='wide'><p>On a landscape page.</p></div><p>Back to portrait.</p></body></html>"
)


def test_page_styles_shared_change_no_byte(fresh_cache: Any) -> None:
    assert not _probe_differs(times=2, html=PAGES_HTML)
    assert layout_cache.cache_stats()["style_hits"] > 0


def test_page_style_key_without_declarations_is_caught(
    fresh_cache: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages keyed by their parent alone: the first page's margins go to every page.
    monkeypatch.setattr(style_cache, "page_style_key", lambda key: ("page", key[:1]))
    assert _probe_differs(times=2, html=PAGES_HTML)


def _glyph_sets_differ() -> bool:
    """Two documents with other letters in them, each twice: does any differ from its render
    without the caches?"""
    renderer = PdfRenderer(load_pack("il-cook"), RUN_DATE)
    spec = MIXED[0][1]
    pages = [_html("<p>Abcdef ghij.</p>"), _html("<p>Xyzw QRS 0123.</p>")]
    with layout_cache.switched_off():
        without = [renderer.pdf_from_html(spec, html) for html in pages]
    return any(
        renderer.pdf_from_html(spec, html) != made
        for html, made in zip(pages * 2, without * 2, strict=True)
    )


def test_font_subsets_are_reused_only_for_the_same_glyphs(fresh_cache: Any) -> None:
    assert not _glyph_sets_differ()
    stats = layout_cache.cache_stats()
    assert stats["subset_hits"] > 0 and stats["subset_misses"] >= 2, stats


def test_a_subset_key_without_the_glyphs_would_be_caught(
    fresh_cache: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        subset_cache, "subset_key", lambda address, font, to_unicode, hinting: (address,)
    )
    assert _glyph_sets_differ()
