"""Exhibit A's layout: text measurement, page geometry and pagination, without a layout engine.

The bulk motion's exhibit (docgen.plan.bulk) may list tens of thousands of rows, too many for an HTML
table in WeasyPrint, so it is laid out here:

- every cell's line breaks are computed from the bundled font's advance widths (greedy word wrap
  into the column's width, with a safety margin), so the height of every row is known exactly;
- rows are packed into pages by that height, so the page count ("Page X of Y") is known before
  anything is drawn, and every page repeats the header row.

docgen.render.bulk draws the pages (docgen.render.exhibit_pdf) and joins them to the motion; the view
models (docgen.plan.bulk) use the same pagination when an order cites the exhibit by page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docgen.packs import Pack
from docgen.render.pdf_fonts import font_program

# Exhibit page geometry (must match the pack's style.css `@page exhibit` and `.exhibit` rules).
PT_PER_IN = 72.0
EXHIBIT_FONT_PT = 12.0
EXHIBIT_LINE_PT = 14.0
CELL_PAD_X_PT = 3.0  # left and right padding of a cell
CELL_PAD_Y_PT = 2.0  # top and bottom padding of a cell
RULE_PT = 0.5
WRAP_SAFETY_PT = 3.0  # wrap a little early: shaping may differ from summed advances by a hair


def bulk_settings(pack: Pack) -> dict[str, Any]:
    """The pack's `[bulk]` table: exhibit geometry and headers, labels, file names, ..."""
    return dict((pack.config.model_extra or {}).get("bulk", {}))


def per_case_orders(pack: Pack) -> bool:
    """`[bulk] orders = "per_case"`: one order per case instead of one for the whole exhibit."""
    orders: str = bulk_settings(pack).get("orders", "bulk")
    return orders == "per_case"


# ---------------------------------------------------------------- text measurement


class _Advances(dict[int, int]):
    """Advance width per code point; characters the font lacks (CJK) fall back to WenQuanYi:
    count them as 1 em, wide enough."""

    def __init__(self, widths: dict[int, int], em: int) -> None:
        super().__init__(widths)
        self.em = em

    def __missing__(self, code: int) -> int:
        return self.em


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[_Advances, int]:
    # The metrics of the very font the pages are drawn with (docgen.render.pdf_fonts), per code point.

    program = font_program("bold" if bold else "regular")
    upm = program.units_per_em
    widths = {code: program.advances[gid] for code, gid in program.glyphs.items()}
    return _Advances(widths, upm), upm


def text_width(text: str, size: float = EXHIBIT_FONT_PT, bold: bool = False) -> float:
    widths, upm = _advances(bold)
    return sum(map(widths.__getitem__, map(ord, text))) * size / upm


def wrap(text: str, width: float, size: float = EXHIBIT_FONT_PT, bold: bool = False) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `width` points (long words split)."""
    joined = " ".join(text.split())
    if text_width(joined, size, bold) <= width:  # most cells: one line, measured once
        return [joined]
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, size, bold) > width:  # one word wider than the column
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size, bold) > width:
                cut -= 1
            # Prefer a break after a hyphen or slash ("2011-MC1-" / "9550725") to one mid-number.
            soft = max(word.rfind("-", 0, cut), word.rfind("/", 0, cut))
            if soft > 0:
                cut = soft + 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


# ---------------------------------------------------------------- exhibit layout


@dataclass(frozen=True, slots=True)
class ExhibitGeometry:
    column_widths_in: tuple[float, ...]
    page_height_in: float  # height of the exhibit page area
    page_size_in: tuple[float, float] = (11.0, 8.5)  # Letter landscape
    margin_in: float = 0.75  # every side

    @property
    def column_widths_pt(self) -> tuple[float, ...]:
        return tuple(w * PT_PER_IN for w in self.column_widths_in)


def geometry(pack: Pack) -> ExhibitGeometry:
    settings = bulk_settings(pack)
    return ExhibitGeometry(
        column_widths_in=tuple(settings["exhibit_column_widths_in"]),
        page_height_in=settings["exhibit_page_height_in"],
        page_size_in=tuple(settings.get("exhibit_page_size_in", (11.0, 8.5))),
        margin_in=float(settings.get("exhibit_margin_in", 0.75)),
    )


def _row_height(lines: int) -> float:
    return lines * EXHIBIT_LINE_PT + 2 * CELL_PAD_Y_PT + RULE_PT


def layout_cells(cells: tuple[str, ...], widths: tuple[float, ...], bold: bool) -> list[list[str]]:
    return [
        wrap(text, width - 2 * CELL_PAD_X_PT - WRAP_SAFETY_PT, bold=bold)
        for text, width in zip(cells, widths, strict=True)
    ]


def paginate(
    rows: list[tuple[str, ...]], headers: list[str], geo: ExhibitGeometry
) -> tuple[list[list[str]], list[list[list[list[str]]]]]:
    """(header cells as lines, pages: each a list of rows, each row a list of cell lines).

    Page height budget: the page title line (label and "Page X of Y", 2 lines), the header row,
    then rows while they fit. A row never splits across pages.
    """
    widths = geo.column_widths_pt
    head = layout_cells(tuple(headers), widths, bold=True)
    budget = geo.page_height_in * PT_PER_IN - 2 * EXHIBIT_LINE_PT - 6 - RULE_PT
    budget -= _row_height(max(len(c) for c in head))
    pages: list[list[list[list[str]]]] = []
    page: list[list[list[str]]] = []
    used = 0.0
    for row in rows:
        cells = layout_cells(row[: len(widths)], widths, bold=False)
        height = _row_height(max(len(c) for c in cells))
        if page and used + height > budget:
            pages.append(page)
            page, used = [], 0.0
        page.append(cells)
        used += height
    if page:
        pages.append(page)
    return head, pages
