"""Line breaking kept across documents, for docgen.render.layout_cache: `split_first_line`'s
result (where a text's first line ends, its width, height and baseline, and the data of the
deactivated Pango layout drawing starts from again), keyed by the whole text, every style value
the function reads (LINE_BREAK_STYLE), the width, the justification spacing and the flags. A
document gets an entry only for the exact text and style it asks for; each hit gets its own
layout object.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from weasyprint.text import line_break as weasy_line_break

# Every style value split_first_line and what it calls (Layout.setup and set_text,
# get_font_description, font_features, line_size, percentage) read: a different value in any of
# them may break the line elsewhere, so each is part of the key.
LINE_BREAK_STYLE = (
    "direction",
    "font_family",
    "font_feature_settings",
    "font_kerning",
    "font_language_override",
    "font_size",
    "font_stretch",
    "font_style",
    "font_variant_alternates",
    "font_variant_caps",
    "font_variant_east_asian",
    "font_variant_ligatures",
    "font_variant_numeric",
    "font_variant_position",
    "font_variation_settings",
    "font_weight",
    "hyphenate_character",
    "hyphenate_limit_chars",
    "hyphenate_limit_zone",
    "hyphens",
    "lang",
    "letter_spacing",
    "overflow_wrap",
    "tab_size",
    "text_decoration_line",
    "white_space",
    "word_break",
    "word_spacing",
)

# A deactivated layout holds only these (text, widths, metrics); anything else is not kept.
_PLAIN = (str, int, float, bool, type(None))

# WeasyPrint's own function, before install() routes its callers through the cache.
WEASYPRINT_SPLIT_FIRST_LINE: Callable[..., tuple[Any, ...]] = weasy_line_break.split_first_line
_Layout = weasy_line_break.Layout


def line_key(
    text: str,
    style: Any,
    max_width: float | None,
    justification_spacing: float,
    is_line_start: bool,
    minimum: bool,
) -> tuple[Any, ...]:
    """What split_first_line's result depends on: the whole text, the width, the flags, the
    fonts (the thread's FontConfiguration) and every style value it reads."""
    return (
        text,
        max_width,
        justification_spacing,
        is_line_start,
        minimum,
        style.font_config,
        tuple(style[name] for name in LINE_BREAK_STYLE),
    )


WEASYPRINT_LINE_KEY = line_key  # the key as built here (tests break line_key on purpose)


class LineCache:
    """One thread's split_first_line results, least recently used dropped first."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.entries: OrderedDict[tuple[Any, ...], tuple[dict[str, Any], tuple[Any, ...]]] = (
            OrderedDict()
        )
        self.hits = self.misses = 0

    def split_first_line(
        self,
        text: str,
        style: Any,
        context: Any,
        max_width: float | None,
        justification_spacing: float,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> tuple[Any, ...]:
        args = (text, style, context, max_width, justification_spacing, is_line_start, minimum)
        try:
            key = line_key(text, style, max_width, justification_spacing, is_line_start, minimum)
            hash(key)
        except TypeError:  # a style value that cannot be a key: no caching for this line
            return WEASYPRINT_SPLIT_FIRST_LINE(*args)
        found = self.entries.get(key)
        if found is not None:
            self.hits += 1
            self.entries.move_to_end(key)
            attributes, rest = found
            layout = _Layout.__new__(_Layout)
            layout.__dict__.update(attributes)
            return (layout, *rest)
        self.misses += 1
        result = WEASYPRINT_SPLIT_FIRST_LINE(*args)
        attributes = dict(vars(result[0]))
        if all(isinstance(value, _PLAIN) for value in attributes.values()):
            self.entries[key] = (attributes, tuple(result[1:]))
            if len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
        return result
