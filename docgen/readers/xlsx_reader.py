"""XLSX: the first worksheet (or the one named), read-only; rows are the sheet's own numbers."""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Iterator
from pathlib import Path

from docgen.errors import InputFileError
from docgen.model import SourceRow
from docgen.readers.table import (
    Record,
    SourceTable,
    cell_text,
    header_after_titles,
    header_map,
    is_blank,
)


def read_xlsx_table(path: Path, name: str, sheet: str | None) -> SourceTable:

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputFileError(
            f"{name}: not a readable .xlsx workbook ({type(exc).__name__})",
            hint="Open it in Excel and save it again as .xlsx, or export a CSV.",
        ) from None
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise InputFileError(
                    f"{name}: no sheet named {sheet!r}",
                    hint="sheets in the workbook: " + ", ".join(wb.sheetnames),
                )
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # some writers store a wrong sheet size; read what is there
        it = ws.iter_rows(min_row=1, values_only=True)
        table = SourceTable(file=name, columns=[], rows=iter(()), format="xlsx")
        table._close = wb.close
        rownum = 0

        def next_record() -> Record | None:
            nonlocal rownum
            values = next(it, None)
            if values is None:
                return None
            rownum += 1
            return rownum, [cell_text(v) for v in values]

        found, table.title_rows, pending = header_after_titles(next_record)
        header = found[1] if found else None
        if header is None:
            others = [t for t in wb.sheetnames if t != ws.title]
            raise InputFileError(
                f"{name}: the file is empty (its first sheet, {ws.title!r}, has no rows)",
                hint="docgen reads the first sheet of a workbook; move the data there"
                + (f" (other sheets: {', '.join(others)})" if others else ""),
            )
        mapping = header_map(table, header)
    except BaseException:
        wb.close()
        raise
    table.columns = [col for _, col in mapping]

    def rows() -> Iterator[SourceRow]:
        try:
            for number, texts in itertools.chain(pending, iter(next_record, None)):
                if is_blank(texts):
                    table.blank_rows += 1
                    continue
                cells = {col: texts[pos] if pos < len(texts) else "" for pos, col in mapping}
                yield SourceRow(file=name, row=number, cells=cells)
        finally:
            table.close()

    table.rows = rows()
    return table
