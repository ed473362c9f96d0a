"""Exhibit A's column widths in Word: the pack's `[bulk] exhibit_column_widths_in`, as the PDF's.

Why: the Word templates are built once for a layout (tools/build_*_docx_templates.py) with the
layout's widths, and a county may set its own (San Joaquin's case numbers, "STK-CR-MI-2004-1267244",
need a 2.1 in column). Without this the Word exhibit kept the layout's 1.45 in, broke every case
number in two and ran to more pages than the PDF's. The PDF's exhibit is laid out with the pack's
widths (docgen.render.exhibit_layout); here the Word table's grid and cells get the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.oxml.ns import qn

from docgen.errors import PackError

EXHIBIT_CAPTION = "Exhibit A"  # the w:tblCaption the templates give the exhibit's table
TWIPS_PER_IN = 1440


def fit_exhibit_columns(body: Any, widths_in: Sequence[float] | None, template: str) -> None:
    """Give the table captioned "Exhibit A" in `body` (an lxml w:body) the columns `widths_in`.

    Nothing to do without widths (a document with no exhibit). A template whose exhibit table
    has another number of columns than the pack's widths is a pack error naming `template`."""
    if not widths_in:
        return
    twips = [round(w * TWIPS_PER_IN) for w in widths_in]
    for table in body.iter(qn("w:tbl")):
        caption = table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
        if caption is None or caption.get(qn("w:val")) != EXHIBIT_CAPTION:
            continue
        grid = table.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
        if len(grid) != len(twips):
            raise PackError(
                f"{template}: Exhibit A's table has {len(grid)} columns but the pack's [bulk] "
                f"exhibit_column_widths_in gives {len(twips)} widths"
            )
        for column, width in zip(grid, twips, strict=True):
            column.set(qn("w:w"), str(width))
        table_width = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
        if table_width is not None:
            table_width.set(qn("w:w"), str(sum(twips)))
            table_width.set(qn("w:type"), "dxa")
        for row in table.iter(qn("w:tr")):
            cells = row.findall(qn("w:tc"))
            if len(cells) != len(
                twips
            ):  # a merged row (none today): leave it as the template has it
                continue
            for cell, width in zip(cells, twips, strict=True):
                cell_width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
                if cell_width is not None:
                    cell_width.set(qn("w:w"), str(width))
                    cell_width.set(qn("w:type"), "dxa")
