"""The table every reader gives: `SourceTable`, column names and cells as plain strings.

The format readers (csv_reader, xlsx_reader, jsonl_reader, and docgen.readers.gogen) build it; the
contract they keep (row numbers, problems, messages) is in `docgen.readers`' docstring.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from docgen.errors import InputFileError, RowProblem
from docgen.model import SourceRow


@dataclass
class SourceTable:
    """A table being read. `rows` streams; `blank_rows` is final once `rows` is exhausted."""

    file: str  # the path as the user gave it (for messages)
    columns: list[str]  # normalised column names in file order
    rows: Iterator[SourceRow]
    blank_rows: int = 0
    # Rows above the header holding one cell (an export's title or note): not records.
    title_rows: list[int] = field(default_factory=list)
    context_rows: int = 0  # gogen: rows without a determination (the rest of the record)
    format: str = "csv"
    encoding: str | None = None  # the text encoding used (CSV, JSON Lines)
    delimiter: str | None = None  # CSV only
    problems: dict[int, list[RowProblem]] = field(default_factory=dict)  # by row number
    _close: Callable[[], None] | None = field(default=None, repr=False)

    def close(self) -> None:
        """Release the file early (also done when `rows` is exhausted)."""
        if self._close is not None:
            close, self._close = self._close, None
            close()

    def __enter__(self) -> SourceTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _problem(self, row: int, column: str | None, message: str) -> None:
        self.problems.setdefault(row, []).append(RowProblem(self.file, row, column, message))


def encoding_label(encoding: str) -> str:
    """An encoding as a person would name it: "utf-8" for Python's BOM-tolerant "utf-8-sig"
    (which docgen reads UTF-8 as, a BOM never being data)."""
    return "utf-8" if encoding == "utf-8-sig" else encoding


_UNDECODABLE = "docgen-mark-undecodable"
_UNDECODABLE_MARK = "\udc00"


def _mark_undecodable(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: one mark for the undecodable bytes, decoding goes on after them."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return _UNDECODABLE_MARK, error.end


codecs.register_error(_UNDECODABLE, _mark_undecodable)


def csv_lines(path: Path, encoding: str, skip: int = 0) -> tuple[Iterator[str], Callable[[], None]]:
    """The file's lines for csv.reader (after `skip` lines), and how to close the file.

    Decoded one line at a time where the encoding allows it, so that a byte that cannot be
    decoded fails the record that holds it: a text file decodes 8 KB ahead, and the row an error
    named was an earlier one. That is every encoding whose line breaks are the single bytes
    0x0A and 0x0D, never part of a character (UTF-8, Windows-1252, ...): the lines are split
    as Python splits text (\n, \r\n or \r), over the bytes read as Latin-1. UTF-16 and
    UTF-32 are read as text, with each undecodable unit marked by a lone surrogate (which
    decoded text never holds), and the line that holds a mark fails.
    """
    if '\r\n,"a'.encode(encoding).removeprefix(codecs.BOM_UTF8) != b'\r\n,"a':
        text = path.open("r", encoding=encoding, errors=_UNDECODABLE, newline="")
        for _ in range(skip):
            text.readline()

        def marked_lines() -> Iterator[str]:
            for line in text:
                if _UNDECODABLE_MARK in line:
                    raise UnicodeDecodeError(encoding, b"", 0, 1, "cannot be decoded")
                yield line

        return marked_lines(), text.close
    raw = path.open("r", encoding="latin-1", newline="")  # one code point per byte
    for _ in range(skip):
        raw.readline()
    decoder = codecs.getincrementaldecoder(encoding)()

    def lines() -> Iterator[str]:
        for line in raw:
            yield decoder.decode(line.encode("latin-1"))
        decoder.decode(b"", final=True)

    return lines(), raw.close


class CsvRecords:
    """A csv.reader's records, numbered as the file counts them (header and blank lines included),
    for the CSV, gogen and DOJ readers. A record that cannot be decoded or parsed calls `close`
    (the file's) and raises `unreadable(its number, the error)`: each reader words its own
    message."""

    def __init__(
        self,
        reader: Iterator[list[str]],
        close: Callable[[], None],
        unreadable: Callable[[int, Exception], InputFileError],
    ) -> None:
        self._reader = reader
        self._close = close
        self._unreadable = unreadable
        self.number = 0  # of the last record read

    def next(self) -> list[str] | None:
        """The next record, or None at the end of the file."""
        try:
            values = next(self._reader)
        except StopIteration:
            return None
        except (UnicodeDecodeError, csv.Error) as exc:
            self._close()
            raise self._unreadable(self.number + 1, exc) from None
        self.number += 1
        return values


def normalise_column(name: object) -> str:
    """' First Name\\ufeff' -> 'first_name'; 'date-of-birth' -> 'date_of_birth'."""
    text = "" if name is None else str(name)
    text = text.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def cell_text(value: object) -> str:
    """An XLSX/JSON cell as text: dates ISO, whole numbers without '.0', None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def header_map(table: SourceTable, raw_names: list[Any]) -> list[tuple[int, str]]:
    """(position, normalised name) for every named column; raises on duplicates."""
    seen: dict[str, int] = {}
    mapping: list[tuple[int, str]] = []
    for pos, raw in enumerate(raw_names):
        col = normalise_column(raw)
        if not col:
            continue  # unnamed column (e.g. trailing empty header cells): ignored
        if col in seen:
            raise InputFileError(
                f"{table.file}: column {col!r} appears twice in the header "
                f"(columns {seen[col] + 1} and {pos + 1})",
                hint="Rename or remove one of them.",
            )
        seen[col] = pos
        mapping.append((pos, col))
    return mapping


# Title rows looked through before the header; past them the first such row is the header.
MAX_TITLE_ROWS = 10

Record = tuple[int, list[str]]  # (row number as the file counts it, its cells)


def header_after_titles(
    next_record: Callable[[], Record | None],
) -> tuple[Record | None, list[int], list[Record]]:
    """The header record, the title rows above it, and records read past the header.

    Exports often start with a title ("Eligibility export, 12/01/2026") or a note in the first
    cell above the column names. The header is the first non-blank record with two or more
    non-empty cells; non-blank records with one cell before it are title rows. When no such
    record comes within MAX_TITLE_ROWS of them (a file of one column), the first is the header
    after all and the records after it are returned to be read as rows."""
    titles: list[Record] = []
    while (record := next_record()) is not None:
        cells = record[1]
        filled = sum(1 for value in cells if str(value).strip())
        if filled == 0:
            continue
        if filled > 1:
            return record, [number for number, _ in titles], []
        titles.append(record)
        if len(titles) > MAX_TITLE_ROWS:
            break
    if not titles:
        return None, [], []
    return titles[0], [], titles[1:]


def is_blank(values: list[str]) -> bool:
    return all(not v.strip() for v in values)
