"""A text box's glyphs drawn once per worker and replayed, for docgen.render.layout_cache.

Drawing a text box, WeasyPrint builds its Pango layout again (`Layout.reactivate`), shapes the
text, and writes the glyphs into the page's content stream (`draw_first_line`): the font and
size, the glyph ids with their kerning, and, for each glyph a document has not used before, its
width and the text it stands for (the PDF's ToUnicode map). The same boilerplate line gives the
same glyphs in every document. Here the operations a text box writes after its text matrix
(font and size, glyph strings, rises) are recorded with the glyph widths and texts, keyed by
what shaping reads (the layout's text, width and justification, the fonts, every style value
line breaking reads: layout_cache.LINE_BREAK_STYLE); the next text box with that key gets the
same operations at its own matrix, and its document's fonts the same glyph entries, added as
WeasyPrint adds them (only where the document has none yet).

Replayed only when the document already uses every font the line needs (so the fonts are
registered by WeasyPrint itself, in its order), and never for ellipses, emoji or bitmap fonts
or a line with a glyph missing from its font. Layouts are re-activated only when something
reads them (defer_reactivation): a replayed text box never builds its Pango layout.

Output is byte-identical with and without (tests/render/test_layout_cache.py).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from weasyprint.draw import text as weasy_text
from weasyprint.text import line_break as weasy_line_break
from weasyprint.text.fonts import get_pango_font_key

# WeasyPrint's own functions, before layout_cache routes drawing through the cache.
WEASYPRINT_DRAW_FIRST_LINE: Callable[..., list[Any]] = weasy_text.draw_first_line
WEASYPRINT_REACTIVATE: Callable[[Any, Any], None] = weasy_line_break.Layout.reactivate
WEASYPRINT_DEACTIVATE: Callable[[Any], None] = weasy_line_break.Layout.deactivate

# What Layout.setup and set_text give an active layout (reading any activates a pending one).
_ACTIVE_ATTRIBUTES = frozenset(
    (
        "layout",
        "language",
        "style",
        "ascent",
        "underline_position",
        "strikethrough_position",
        "underline_thickness",
        "strikethrough_thickness",
        "first_line_direction",
    )
)
_PENDING = "_docgen_pending_style"


def defer_reactivation(layout: Any, style: Any) -> None:
    """Layout.reactivate, deferred until something reads the layout (activate_on_read)."""
    layout.__dict__[_PENDING] = style


def activate_on_read(layout: Any, name: str) -> Any:
    """Layout.__getattr__ (an attribute not set): a deferred layout is activated first."""
    if _PENDING in layout.__dict__ and name in _ACTIVE_ATTRIBUTES:
        WEASYPRINT_REACTIVATE(layout, layout.__dict__.pop(_PENDING))
        return getattr(layout, name)
    raise AttributeError(name)


def deactivate(layout: Any) -> None:
    """Layout.deactivate: a layout never activated has nothing to let go."""
    if layout.__dict__.pop(_PENDING, None) is None:
        WEASYPRINT_DEACTIVATE(layout)


class _Recording:
    """The stream draw_first_line writes to while a text box is recorded: passes everything on,
    noting the operations after the text matrix and the fonts' new glyph entries (each font's
    maps are empty while it records, so every glyph of the line is noted)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.operations: list[tuple[str, tuple[Any, ...]]] = []
        self.fonts: dict[int, tuple[Any, dict[int, str], dict[int, int]]] = {}
        self.replayable = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def add_font(self, pango_font: Any) -> tuple[Any, float]:
        font, size = self._stream.add_font(pango_font)
        if font.svg or font.png or font.colr or font.bitmap:
            self.replayable = False
        if id(font) not in self.fonts:
            self.fonts[id(font)] = (font, font.to_unicode, font.widths)
            font.to_unicode, font.widths = {}, {}
        self.operations.append(("font", (get_pango_font_key(pango_font)[0], id(font))))
        return font, size

    def set_font_size(self, *args: Any) -> None:
        self.operations.append(("set_font_size", args))
        self._stream.set_font_size(*args)

    def show_text(self, *args: Any) -> None:
        self.operations.append(("show_text", args))
        self._stream.show_text(*args)

    def set_text_rise(self, *args: Any) -> None:
        self.operations.append(("set_text_rise", args))
        self._stream.set_text_rise(*args)

    def finish(self) -> dict[int, tuple[tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]]]:
        """Give each font its own maps back with the line's entries added as WeasyPrint adds
        them (where missing); the entries, by font."""
        entries = {}
        for number, (font, to_unicode, widths) in self.fonts.items():
            texts, line_widths = font.to_unicode, font.widths
            font.to_unicode, font.widths = to_unicode, widths
            for glyph, text in texts.items():
                to_unicode.setdefault(glyph, text)
            # A glyph missing from the font (drawn as .notdef) gets its width set each time,
            # and glyph 0 the first one's: not replayed.
            missing = set(font.missing.values())
            for glyph, width in line_widths.items():
                if glyph in missing:
                    widths[glyph] = width
                else:
                    widths.setdefault(glyph, width)
            if missing & line_widths.keys() or 0 in line_widths:
                self.replayable = False
            entries[number] = (tuple(texts.items()), tuple(line_widths.items()))
        return entries


def glyph_key(textbox: Any, style_names: tuple[str, ...]) -> tuple[Any, ...] | None:
    """What a text box's glyphs depend on; None if it cannot be a key."""
    layout, style = textbox.pango_layout, textbox.style
    try:
        key = (
            layout.text,
            layout.max_width,
            layout.justification_spacing,
            style.font_config,
            tuple(style[name] for name in style_names),
        )
        hash(key)
    except (TypeError, AttributeError):
        return None
    return key


WEASYPRINT_GLYPH_KEY = glyph_key  # the key as built here (tests break it on purpose)


class GlyphCache:
    """One thread's recorded text boxes, at most max_lines, least recently used dropped."""

    def __init__(self, max_lines: int, style_names: tuple[str, ...]) -> None:
        self.max_lines = max_lines
        self.style_names = style_names
        # key -> (operations; font key -> its number in operations; entries by font number)
        self.entries: OrderedDict[tuple[Any, ...], tuple[Any, ...]] = OrderedDict()
        self.hits = self.misses = self.passed = 0

    def draw_first_line(
        self, stream: Any, textbox: Any, text_overflow: str, block_ellipsis: Any, matrix: Any
    ) -> list[Any]:
        args = (textbox, text_overflow, block_ellipsis, matrix)
        key = None
        if (
            text_overflow != "ellipsis"
            and block_ellipsis == "none"
            and textbox.text.strip()
            and textbox.style["font_size"] >= 1e-6
        ):
            key = glyph_key(textbox, self.style_names)
        if key is None:
            self.passed += 1
            return WEASYPRINT_DRAW_FIRST_LINE(stream, *args)
        recorded = self.entries.get(key)
        if recorded is not None:
            operations, entries = recorded
            fonts = stream._fonts  # the document's fonts by Pango font key
            if all(font_key in fonts for name, (font_key, *_) in operations if name == "font"):
                self.hits += 1
                self.entries.move_to_end(key)
                stream.set_text_matrix(*matrix.values)
                for name, operands in operations:
                    if name == "font":
                        font = fonts[operands[0]]
                        texts, widths = entries[operands[1]]
                        for glyph, text in texts:
                            font.to_unicode.setdefault(glyph, text)
                        for glyph, width in widths:
                            font.widths.setdefault(glyph, width)
                    else:
                        getattr(stream, name)(*operands)
                return []
            self.passed += 1  # a font this document has not used yet: WeasyPrint adds it
            return WEASYPRINT_DRAW_FIRST_LINE(stream, *args)
        self.misses += 1
        recording = _Recording(stream)
        try:
            emojis = WEASYPRINT_DRAW_FIRST_LINE(recording, *args)
        finally:
            entries = recording.finish()
        if recording.replayable and not emojis:
            self.entries[key] = (recording.operations, entries)
            if len(self.entries) > self.max_lines:
                self.entries.popitem(last=False)
        return emojis
