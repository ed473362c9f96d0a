"""JSON Lines: one JSON object a line, no header; the columns are the union of the keys."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from docgen.errors import InputFileError
from docgen.model import SourceRow
from docgen.readers.table import SourceTable, cell_text, encoding_label, normalise_column


def _open_text(path: Path, name: str, encoding: str | None) -> tuple[IO[str], str]:
    enc = "utf-8-sig"
    if encoding:
        try:
            enc = codecs.lookup(encoding).name
        except LookupError:
            raise InputFileError(f"{name}: unknown encoding {encoding!r}") from None
        if enc == "utf-8":
            enc = "utf-8-sig"
    return path.open("r", encoding=enc, newline=None), enc


def _parse_json_line(line: str) -> tuple[dict[str, Any] | None, str | None]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"the line is not valid JSON (at character {exc.pos + 1})"
    except RecursionError:
        return None, "the line is not valid JSON (nested too deeply)"
    if not isinstance(obj, dict):
        return None, "the line is not a JSON object ({...})"
    return obj, None


def read_jsonl_table(path: Path, name: str, encoding: str | None) -> SourceTable:
    # Pass 1 (streaming): the union of keys in file order is the column list, so a required
    # key that appears on no line at all is reported as a missing column before any row.
    fh, enc = _open_text(path, name, encoding)
    table = SourceTable(file=name, columns=[], rows=iter(()), format="jsonl", encoding=enc)
    columns: dict[str, None] = {}
    raw_to_col: dict[str, str] = {}
    lineno = 0
    nonblank = 0
    with fh:
        try:
            for line in fh:
                lineno += 1
                if not line.strip():
                    continue
                nonblank += 1
                obj, _ = _parse_json_line(line)
                for key in obj or ():
                    if key not in raw_to_col:
                        col = raw_to_col[key] = normalise_column(key)
                        if col:
                            columns.setdefault(col, None)
        except UnicodeDecodeError:
            raise InputFileError(
                f"{name}, line {lineno + 1}: cannot be read as {encoding_label(enc)}",
                hint="JSON Lines files are UTF-8; pass --encoding if this one is not.",
            ) from None
    if nonblank == 0:
        raise InputFileError(f"{name}: the file is empty")
    table.columns = list(columns)

    def rows() -> Iterator[SourceRow]:
        fh2, _ = _open_text(path, name, encoding)
        table._close = fh2.close
        try:
            for lineno, line in enumerate(fh2, start=1):
                if not line.strip():
                    table.blank_rows += 1
                    continue
                obj, problem = _parse_json_line(line)
                cells: dict[str, str] = {}
                if obj is None:
                    table._problem(lineno, None, problem or "unreadable line")
                else:
                    for key, value in obj.items():
                        col = raw_to_col.get(key) or normalise_column(key)
                        if not col:
                            continue
                        if col in cells:
                            table._problem(lineno, col, "the key appears twice on this line")
                            continue
                        if isinstance(value, dict | list):
                            table._problem(lineno, col, "not a plain value (a list or object)")
                            cells[col] = ""
                            continue
                        cells[col] = cell_text(value)
                yield SourceRow(file=name, row=lineno, cells=cells)
        finally:
            table.close()

    table.rows = rows()
    return table
