"""Paragraphs laid out once per worker and replayed, for docgen.render.layout_cache.

Most of a motion, order or letter is boilerplate: the same paragraph, in the same styles, at the
same width, in every document of a run. WeasyPrint lays out its lines again each time
(`iter_line_boxes`: the line boxes of one block, top to bottom). Here a paragraph's lines are
recorded the first time and copied for the next paragraph with the same content.

What a paragraph's lines depend on is its key: each box of its inline content (type, tag, style
signature from docgen.render.style_cache, text, collapsed spaces), the width, height, style
signature and left edge of the block that holds them. Not its height on the page: WeasyPrint
places a line's boxes relative to the line's baseline (line_box_verticality) and then adds the
line's offset to each, so the boxes' heights relative to the baseline are recorded, and a
replayed box gets the same sum WeasyPrint would compute at the new place. (Moving a finished
copy instead rounds differently: a millionth of a point, not the same bytes.) Only content
whose lines cannot depend on anything else is recorded: text and inline boxes in normal flow (no
inline-blocks, images, floats, positioned boxes, leaders, named strings, bookmarks, links or
footnotes), starting at the paragraph's top, with no float on the page and no first-letter or
first-line style. Lines are recorded only when the paragraph was laid out to its end. A replayed line points at the new
document's elements and gets its own text layout objects (drawing re-activates them).

Output is byte-identical with and without (tests/render/test_layout_cache.py).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from weasyprint.css import AnonymousStyle
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline as weasy_inline
from weasyprint.text.line_break import Layout

# WeasyPrint's own function, before layout_cache routes block layout through the cache.
WEASYPRINT_ITER_LINE_BOXES: Callable[..., Iterator[tuple[Any, Any]]] = weasy_inline.iter_line_boxes

# Attributes a box of plain inline content has before its lines are laid out. Any other
# (string_set, bookmark_label, link, footnote, is_leader, ...) is a feature whose layout
# reaches beyond the paragraph: such a paragraph is laid out as usual.
_CONTENT_ATTRIBUTES = frozenset(
    (
        "element_tag",
        "element",
        "style",
        "remove_decoration_sides",
        "children",
        "first_letter_style",
        "first_line_style",
        "text",
        "leading_collapsible_space",
        "trailing_collapsible_space",
        "string_set",  # every element's box has one; an empty one sets nothing
    )
)
# Written by an earlier layout of the same box (min-content widths, a previous page), and
# written again by this one before it is read: not part of what the lines depend on.
_EDGES = ("top", "right", "bottom", "left")
_GEOMETRY_ATTRIBUTES = frozenset(
    (
        "position_x",
        "position_y",
        "width",
        "height",
        "baseline",
        "text_indent",
        "min_width",
        "max_width",
        "min_height",
        "max_height",
        *(f"margin_{edge}" for edge in _EDGES),
        *(f"padding_{edge}" for edge in _EDGES),
        *(f"border_{edge}_width" for edge in _EDGES),
    )
)
_ALLOWED_ATTRIBUTES = _CONTENT_ATTRIBUTES | _GEOMETRY_ATTRIBUTES
_KINDS = {boxes.TextBox: "text", boxes.InlineBox: "inline", boxes.LineBox: "line"}


class _NotReplayable(Exception):
    """Content whose lines may depend on more than the paragraph's key."""


def _style_signature(style: Any) -> Any:
    """The style's signature (docgen.render.style_cache); an anonymous style's is its parent's,
    as all its values come from the parent or are initial values."""
    signature = style.__dict__.get("_docgen_signature")
    if signature is not None:
        return signature
    if type(style) is AnonymousStyle:
        return ("anonymous", _style_signature(style.parent_style))
    raise _NotReplayable


def _content_key(box: Any, key: list[Any], elements: list[Any]) -> None:
    """Append `box`'s and its descendants' part of the key, and their elements in the same
    order; _NotReplayable for content whose lines may depend on anything else."""
    kind = _KINDS.get(type(box))
    if kind is None:
        raise _NotReplayable
    attributes = box.__dict__
    if not attributes.keys() <= _ALLOWED_ATTRIBUTES:
        raise _NotReplayable
    if box.first_letter_style is not None or box.first_line_style is not None:
        raise _NotReplayable
    if box.remove_decoration_sides or attributes.get("string_set"):
        raise _NotReplayable
    style = box.style
    if style["position"] != "static" or style["float"] != "none":
        raise _NotReplayable
    elements.append(box.element)
    key.append(
        (
            kind,
            box.element_tag,
            _style_signature(style),
            attributes.get("text"),
            attributes.get("leading_collapsible_space", False),
            attributes.get("trailing_collapsible_space", False),
            len(box.children) if kind != "text" else None,
        )
    )
    if kind != "text":
        for child in box.children:
            _content_key(child, key, elements)


def paragraph_key(box: Any, containing_block: Any) -> tuple[tuple[Any, ...], list[Any]] | None:
    """The key of the lines of `box` (a LineBox) in `containing_block`, and its elements in key
    order; None for a paragraph that is never replayed."""
    key: list[Any] = []
    elements: list[Any] = []
    try:
        _content_key(box, key, elements)
        block_style = _style_signature(containing_block.style)
    except _NotReplayable:
        return None
    whole = (
        tuple(key),
        containing_block.width,
        containing_block.height,
        block_style,
        containing_block.content_box_x(),
    )
    try:
        hash(whole)
    except TypeError:
        return None
    return whole, elements


WEASYPRINT_PARAGRAPH_KEY = paragraph_key  # the key as built here (tests break it on purpose)


# WeasyPrint's own function, before layout_cache routes line layout through _verticality.
WEASYPRINT_LINE_BOX_VERTICALITY: Callable[[Any], tuple[float, float]] = (
    weasy_inline.line_box_verticality
)


class _Line:
    """A recorded line: its boxes as laid out, each box's height relative to the line's
    baseline (in `descendants()` order, the line itself first), and the line's top."""

    __slots__ = ("box", "relative_y", "resume_at", "top")

    def __init__(self, box: Any, resume_at: Any, top: float, relative_y: list[float]) -> None:
        self.box, self.resume_at, self.top, self.relative_y = box, resume_at, top, relative_y


def _copied(line: Any, elements: dict[int, Any], placed: tuple[float, _Line] | None) -> Any:
    """A copy of `line` and its boxes, for `elements` (the recorded ones' ids -> this
    document's); `placed` = (where the line starts, its record): the boxes' heights as
    WeasyPrint's get_next_linebox computes them there."""
    new = line.deepcopy()
    descendants = list(new.descendants())
    if placed is not None:
        position_y, recorded = placed
        offset_y = position_y - recorded.top
        for box, relative_y in zip(descendants, recorded.relative_y, strict=True):
            box.position_y = relative_y + offset_y
        new.position_y = position_y
    for box in descendants:
        box.element = elements.get(id(box.element), box.element)
        if type(box) is boxes.TextBox:
            # Drawing re-activates and de-activates a box's text layout: each its own.
            layout = Layout.__new__(Layout)
            layout.__dict__.update(box.pango_layout.__dict__)
            box.pango_layout = layout
    return new


class ParagraphCache:
    """One thread's recorded paragraphs, at most max_paragraphs (each keeps the elements and
    styles of the document it came from), least recently used dropped first: a document's own
    names and numbers go, the boilerplate every document replays stays."""

    def __init__(self, max_paragraphs: int) -> None:
        self.max_paragraphs = max_paragraphs
        # key -> (the lines, the elements they were laid out for)
        self.entries: OrderedDict[tuple[Any, ...], tuple[list[_Line], list[Any]]] = OrderedDict()
        # The last line_box_verticality of this thread: (its top, its boxes' relative heights).
        self.verticality: tuple[float, list[float]] | None = None
        self.noting = False  # a recorded paragraph's line is being laid out
        self.hits = self.misses = self.passed = 0

    def iter_line_boxes(
        self,
        context: Any,
        box: Any,
        position_y: float,
        bottom_space: float,
        skip_stack: Any,
        containing_block: Any,
        absolute_boxes: list[Any],
        fixed_boxes: list[Any],
        first_letter_style: Any,
        first_line_style: Any,
    ) -> Iterator[tuple[Any, Any]]:
        args = (
            context,
            box,
            position_y,
            bottom_space,
            skip_stack,
            containing_block,
            absolute_boxes,
            fixed_boxes,
            first_letter_style,
            first_line_style,
        )
        found = None
        if not (
            skip_stack is not None
            or first_letter_style is not None
            or first_line_style is not None
            or context.excluded_shapes
            or context.footnotes
        ):
            found = paragraph_key(box, containing_block)
        if found is None:
            self.passed += 1
            yield from WEASYPRINT_ITER_LINE_BOXES(*args)
            return
        key, elements = found
        recorded = self.entries.get(key)
        if recorded is not None:
            self.hits += 1
            self.entries.move_to_end(key)
            recorded_lines, then = recorded
            now = {id(old): new for old, new in zip(then, elements, strict=True)}
            for line in recorded_lines:
                replayed = _copied(line.box, now, (position_y, line))
                # Where iter_line_boxes starts the next line (before block layout moves this).
                position_y = replayed.position_y + replayed.height
                yield replayed, copy.deepcopy(line.resume_at)
            return
        self.misses += 1
        placed = len(absolute_boxes), len(fixed_boxes)
        lines: list[_Line] | None = []
        self.verticality = None
        for line, resume_at in self._noting_verticality(WEASYPRINT_ITER_LINE_BOXES(*args)):
            # As laid out, before block layout places or breaks it (and drawing uses it), with
            # the relative heights get_next_linebox placed it from (this paragraph's: no other
            # line is laid out while this one is). A line without them (an empty one) is not
            # recorded, nor is its paragraph.
            if lines is not None and self.verticality is not None:
                top, relative_y = self.verticality
                copied = _copied(line, {}, None)
                lines.append(_Line(copied, copy.deepcopy(resume_at), top, relative_y))
            else:
                lines = None
            self.verticality = None
            yield line, resume_at
        # Reached only when block layout took every line (not when it broke the paragraph).
        if lines is not None and (len(absolute_boxes), len(fixed_boxes)) == placed:
            self.entries[key] = (lines, elements)
            if len(self.entries) > self.max_paragraphs:
                self.entries.popitem(last=False)

    def _noting_verticality(self, lines: Iterator[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
        """`lines`, with line_box_verticality noting heights only while one is laid out (not for
        the paragraphs passed through or replayed)."""
        while True:
            self.noting = True
            try:
                item = next(lines)
            except StopIteration:
                return
            finally:
                self.noting = False
            yield item

    def line_box_verticality(self, line: Any) -> tuple[float, float]:
        """WeasyPrint's line_box_verticality, noting the heights it gave the line's boxes while a
        paragraph is recorded."""
        bottom, top = WEASYPRINT_LINE_BOX_VERTICALITY(line)
        if self.noting:
            self.verticality = (top, [box.position_y for box in line.descendants()])
        return bottom, top
