"""Table columns in Word as the PDF has them: Exhibit A's are the pack's `[bulk]
exhibit_column_widths_in`; a letter's case column is as wide as its longest case number.

Why: the Word templates are built once for a layout (tools/build_*_docx_templates.py) with the
layout's widths, and a county may set its own (San Joaquin's case numbers, "STK-CR-MI-2004-1267244",
need a 2.1 in column). Without this the Word exhibit kept the layout's 1.45 in, broke every case
number in two and ran to more pages than the PDF's. The PDF's exhibit is laid out with the pack's
widths (docgen.render.exhibit_layout); here the Word table's grid and cells get the same ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from docx.oxml.ns import qn

from docgen.errors import PackError
from docgen.render.exhibit_layout import text_width

EXHIBIT_CAPTION = "Exhibit A"  # the w:tblCaption the templates give the exhibit's table
TWIPS_PER_IN = 1440


def fit_exhibit_columns(body: Any, widths_in: Sequence[float] | None, template: str) -> None:
    """Give the table captioned "Exhibit A" in `body` (an lxml w:body) the columns `widths_in`.

    Nothing to do without widths (a document with no exhibit). A template whose exhibit table
    has another number of columns than the pack's widths is a pack error naming `template`."""
    if not widths_in:
        return
    twips = [round(w * TWIPS_PER_IN) for w in widths_in]
    for table, grid in _captioned_tables(body, EXHIBIT_CAPTION):
        if len(grid) != len(twips):
            raise PackError(
                f"{template}: Exhibit A's table has {len(grid)} columns but the pack's [bulk] "
                f"exhibit_column_widths_in gives {len(twips)} widths"
            )
        table_width = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
        if table_width is not None:
            table_width.set(qn("w:w"), str(sum(twips)))
            table_width.set(qn("w:type"), "dxa")
        _set_widths(table, grid, twips, cell_type="dxa")


def _captioned_tables(body: Any, caption: str) -> Iterator[tuple[Any, list[Any]]]:
    """(table, its w:gridCol elements) for each table in `body` with the w:tblCaption given."""
    for table in body.iter(qn("w:tbl")):
        found = table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
        if found is not None and found.get(qn("w:val")) == caption:
            yield table, table.find(qn("w:tblGrid")).findall(qn("w:gridCol"))


def _set_widths(table: Any, grid: list[Any], widths: list[int], cell_type: str = "") -> None:
    """The grid's columns and each row's cells `widths` (twips; with the w:type `cell_type`
    where given). A row with another number of cells (a merged one; none today) is left as
    the template has it."""
    for column, width in zip(grid, widths, strict=True):
        column.set(qn("w:w"), str(width))
    for row in table.iter(qn("w:tr")):
        cells = row.findall(qn("w:tc"))
        if len(cells) != len(widths):
            continue
        for cell, width in zip(cells, widths, strict=True):
            cell_width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if cell_width is not None:
                cell_width.set(qn("w:w"), str(width))
                if cell_type:
                    cell_width.set(qn("w:type"), cell_type)


CASES_CAPTION = "Cases"  # the letter's case table (tools/build_docx_templates.py)
CASE_CELL_PAD_PT = 2 * 4.0 + 3.0  # the cells' 4 pt side padding, and a hair for shaping
LETTER_TABLE_FONT_PT = 12.0


def fit_case_column(body: Any) -> None:
    """Widen the letter's case column (table captioned "Cases") to its longest case number,
    taking the width from the widest other column: a case number is never broken in two.

    Why: the PDF letter gives a court with long numbers a wider column (San Joaquin's pack.css:
    "STK-CR-FE-2016-0001234" is 1.88 in), which the shared Word template cannot know; there
    the number broke after "2016-". Measured with the font the documents use (Liberation Serif)."""
    for table, grid in _captioned_tables(body, CASES_CAPTION):
        widths = [int(col.get(qn("w:w"), "0")) for col in grid]
        rows = table.findall(qn("w:tr"))[1:]  # the header row's "Case" is short
        longest = max((_cell_text_width(row) for row in rows), default=0.0)
        needed = round((longest + CASE_CELL_PAD_PT) * 20)  # points to twips
        if len(widths) < 2 or needed <= widths[0]:
            continue
        donor = max(range(1, len(widths)), key=widths.__getitem__)
        grow = min(needed - widths[0], widths[donor] // 2)  # never more than half the donor
        widths[0] += grow
        widths[donor] -= grow
        _set_widths(table, grid, widths)


def _cell_text_width(row: Any) -> float:
    """The width in points of the first cell's text of `row`, at the letter table's size."""
    cells = row.findall(qn("w:tc"))
    if not cells:
        return 0.0
    text = "".join(t.text or "" for t in cells[0].iter(qn("w:t")))
    hyphens = sum(1 for _ in cells[0].iter(qn("w:noBreakHyphen")))
    return text_width(text + "-" * hyphens, LETTER_TABLE_FONT_PT)
