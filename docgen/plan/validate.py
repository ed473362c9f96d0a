"""Validate a `SourceTable`: every input row becomes a `ChargeRow` or a `Reject`.

Rules (the column contract in docs/input.md):

- missing required columns stop the run before any row is read (`MissingColumns`);
- a row is checked completely and every problem is reported at once, joined with "; "; the
  reject's `column` is the first problem's column;
- reasons name the column and say what is wrong and how to fix it; they never contain the
  cell's value (names, birth dates and addresses are personal data);
- nothing is dropped silently: `input_rows == len(charges) + len(rejects)`; blank rows are not
  input rows and are counted separately.

Valid charges stream into a `ChargeStore` (on disk), duplicates are found there too: memory does
not grow with the number of rows (only the rejects are held).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from docgen.errors import MissingColumns
from docgen.model import (
    ALL_COLUMNS,
    DETERMINATIONS,
    REQUIRED_COLUMNS,
    ChargeRow,
    Reject,
    SourceRow,
)
from docgen.plan.accepts import COUNTY_COLUMN
from docgen.plan.charge_store import ChargeStore, duplicate_key
from docgen.readers import SourceTable

MAX_FIELD_CHARS = 1000
DATE_COLUMNS = ("date_of_birth", "arrest_date", "disposition_date")
# Free-text columns where a tab or a line break is allowed (and kept).
MULTILINE_COLUMNS = frozenset({"offense_description", "reason"})
EARLIEST_YEAR = 1900

DATE_HINT = "use YYYY-MM-DD or MM/DD/YYYY"
LANGUAGES: dict[str, str] = {
    "": "en",
    "en": "en",
    "eng": "en",
    "english": "en",
    "en-us": "en",
    "en_us": "en",
    "inglés": "en",
    "ingles": "en",
    "es": "es",
    "spa": "es",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
    "es-us": "es",
    "es_us": "es",
    "es-mx": "es",
    "es_mx": "es",
}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


@dataclass
class ValidationResult:
    file: str
    input_rows: int
    charges: ChargeStore | list[ChargeRow]  # a store from validate_table; lists in tests
    rejects: list[Reject]
    blank_rows: int
    title_rows: list[int] = field(default_factory=list)  # one-cell rows above the header
    columns: list[str] = field(default_factory=list)  # the file's (normalised) columns
    context_rows: int = 0  # gogen rows without a determination: counted, never validated
    # The rejects of rows the pack's court does not take ([accepts]), also in `rejects`.
    other_court: list[Reject] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return self.input_rows == len(self.charges) + len(self.rejects)


class _BadDate(ValueError):
    """A date cell that cannot be read; the message is safe to show (no value)."""


def parse_date(text: str) -> date:
    """YYYY-MM-DD, M/D/YYYY or YYYYMMDD (a midnight time after an ISO date is accepted)."""
    text = text.strip()
    if m := _ISO.fullmatch(text):
        y, mo, d = m.groups()
    elif m := _US.fullmatch(text):
        mo, d, y = m.groups()
    elif m := _COMPACT.fullmatch(text):
        y, mo, d = m.groups()
    else:
        raise _BadDate(f"not a date ({DATE_HINT})")
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        raise _BadDate(f"not a real calendar date (check the day and month; {DATE_HINT})") from None


# Control characters (Unicode Cc), lone surrogates (Cs, from JSON "\\ud800" escapes), line and
# paragraph separators and non-characters: none of them belongs in a court document.
# Explicit bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) are refused too:
# they can make a name or case number display in a different order than it is stored.
_BAD = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_BAD_MULTILINE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
# A case number is printed on every page and names a folder: letters, digits and a few
# separators, starting with a letter or digit (so it can never be a spreadsheet formula).
_CASE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/#:-]*")


def _bad_characters(text: str, multiline: bool) -> bool:
    return (_BAD_MULTILINE if multiline else _BAD).search(text) is not None


# (county, case_number) -> problems of a row the pack's court does not take (docgen.plan.accepts).
AcceptsCheck = Callable[[str, str], list[tuple[str | None, str]]]


def validate_table(
    table: SourceTable,
    *,
    as_of: date | None = None,
    accepts: AcceptsCheck | None = None,
    row_column: str | None = None,
) -> ValidationResult:
    """Check every row of `table`. Raises `MissingColumns` before reading any row.

    `accepts` judges each row against the pack's court (rows of another court are rejected);
    `row_column` names a column holding the row's number in an earlier file (determine's
    `source_row`): rows and rejects are then numbered as in that raw file.
    """
    as_of = as_of or date.today()
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        table.close()
        raise MissingColumns(table.file, missing)

    charges = ChargeStore()
    rejects: list[Reject] = []
    input_rows = 0
    other_court: list[Reject] = []
    for source in table.rows:
        input_rows += 1
        problems, values = check_row(source, table, as_of)
        if row_column is not None:
            source = _renumbered(source, row_column)
        if accepts is not None and not problems:
            foreign = accepts(str(values.get(COUNTY_COLUMN, "")), str(values["case_number"]))
            if foreign:
                rejects.append(_reject(source, foreign))
                other_court.append(rejects[-1])
                continue
        if not problems:
            charge, problems = _build(source.row, values)
            if charge is not None:
                first = charges.first_row_with(duplicate_key(charge), source.row)
                if first == source.row:
                    charges.add(charge)
                    continue
                problems = [(None, f"duplicate of row {first}")]
        rejects.append(_reject(source, problems))
    return ValidationResult(
        file=table.file,
        input_rows=input_rows,
        charges=charges,
        rejects=rejects,
        blank_rows=table.blank_rows,
        title_rows=list(table.title_rows),
        columns=list(table.columns),
        context_rows=table.context_rows,
        other_court=other_court,
    )


def _renumbered(source: SourceRow, row_column: str) -> SourceRow:
    text = source.cells.get(row_column, "").strip()
    if text.isdigit() and int(text) > 1:
        return SourceRow(file=source.file, row=int(text), cells=source.cells)
    return source


Problem = tuple[str | None, str]  # (column or None for the whole row, message without values)


def check_row(
    source: SourceRow, table: SourceTable | None, as_of: date
) -> tuple[list[Problem], dict[str, object]]:
    """All problems of one row, and its cleaned values (meaningful only without problems)."""
    problems: list[Problem] = []
    reader_problems = table.problems.pop(source.row, []) if table is not None else []
    # A problem in an extra column does not matter: extra columns are ignored.
    reader_problems = [p for p in reader_problems if p.column is None or p.column in ALL_COLUMNS]
    for p in reader_problems:
        problems.append((p.column, p.message))
    if any(p.column is None for p in reader_problems):
        return problems, {}  # the row itself is unreadable: its cells say nothing useful
    flagged = {p.column for p in reader_problems}

    values: dict[str, object] = {}
    for col in ALL_COLUMNS:
        raw = source.cells.get(col, "")
        if col in flagged:
            continue
        if _bad_characters(raw, col in MULTILINE_COLUMNS):
            problems.append((col, "contains control characters (remove them and save again)"))
            continue
        if len(raw) > MAX_FIELD_CHARS:
            problems.append((col, f"longer than {MAX_FIELD_CHARS:,} characters"))
            continue
        # NFC: "José" typed with a combining accent is the same name as "José" typed precomposed.
        text = unicodedata.normalize("NFC", raw.strip())
        if not text:
            if col in REQUIRED_COLUMNS:
                problems.append((col, "required but empty"))
                continue
            if col == "language":
                values[col] = "en"
            elif col not in DATE_COLUMNS:
                values[col] = ""
            continue
        if col in DATE_COLUMNS:
            try:
                day = parse_date(text)
            except _BadDate as exc:
                problems.append((col, str(exc)))
                continue
            if day > as_of:
                problems.append((col, f"in the future (after {as_of.isoformat()})"))
            elif day.year < EARLIEST_YEAR:
                problems.append((col, f"before {EARLIEST_YEAR} (check the year)"))
            else:
                values[col] = day
        elif col == "determination":
            norm = re.sub(r"[\s\-]+", "_", text.lower())
            if norm in DETERMINATIONS:
                values[col] = norm
            else:
                problems.append(
                    (col, "unknown value (expected one of " + ", ".join(DETERMINATIONS) + ")")
                )
        elif col == "case_number" and not _CASE_NUMBER.fullmatch(text):
            problems.append(
                (col, "may hold only letters, digits, spaces and . _ / # : - (check the cell)")
            )
        elif col == "language":
            lang = LANGUAGES.get(text.casefold())
            if lang is None:
                problems.append((col, "unknown value (expected en or es)"))
            else:
                values[col] = lang
        else:
            values[col] = text

    _check_county(source.cells.get(COUNTY_COLUMN, ""), problems, values)
    if not values.get("case_number") and values.get("determination") == "needs_review":
        # A record for review may lack its court case number: the reviewer finds it. It is
        # listed for review, never printed in a filing.
        problems[:] = [p for p in problems if p != ("case_number", "required but empty")]
        values["case_number"] = ""

    dob = values.get("date_of_birth")
    arrest = values.get("arrest_date")
    dispo = values.get("disposition_date")
    if isinstance(dob, date):
        if isinstance(arrest, date) and dob > arrest:
            problems.append(("date_of_birth", "birth date is after the arrest date"))
        if isinstance(dispo, date) and dob > dispo:
            problems.append(("date_of_birth", "birth date is after the disposition date"))
    if isinstance(arrest, date) and isinstance(dispo, date) and arrest > dispo:
        problems.append(("arrest_date", "arrest date is after the disposition date"))
    return problems, values


def _check_county(raw: str, problems: list[Problem], values: dict[str, object]) -> None:
    """The optional `county` column (docgen.plan.accepts): one line of plain text."""
    if _bad_characters(raw, multiline=False):
        problems.append((COUNTY_COLUMN, "contains control characters (remove them and save again)"))
    elif len(raw) > MAX_FIELD_CHARS:
        problems.append((COUNTY_COLUMN, f"longer than {MAX_FIELD_CHARS:,} characters"))
    else:
        values[COUNTY_COLUMN] = " ".join(unicodedata.normalize("NFC", raw).split())


def _build(row: int, values: dict[str, object]) -> tuple[ChargeRow | None, list[Problem]]:
    try:
        return ChargeRow.model_validate({"row": row, **values}), []
    except ValidationError as exc:  # a safety net: check_row should have caught everything
        problems: list[Problem] = []
        for err in exc.errors(include_input=False, include_url=False):
            loc = err.get("loc") or ()
            col = str(loc[0]) if loc else None
            problems.append((col, "invalid value"))
        return None, problems or [(None, "invalid row")]


def _reject(source: SourceRow, problems: list[Problem]) -> Reject:
    reason = "; ".join(f"{col}: {msg}" if col else msg for col, msg in problems)
    raw_case = source.cells.get("case_number", "").strip()
    usable = (
        all(col != "case_number" for col, _ in problems)
        and len(raw_case) <= 100
        and not _bad_characters(raw_case, multiline=False)
    )
    return Reject(
        file=source.file,
        row=source.row,
        column=problems[0][0],
        reason=reason,
        case_number=raw_case if usable else "",
    )
