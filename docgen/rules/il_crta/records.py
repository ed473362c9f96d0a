"""The Illinois raw-records file: its columns, and reading it into validated `RawRecord`s.

One row per charge (count), as a criminal-history extract has them: the person, the case, the
statute and class, the amount in grams where known, the disposition and its date, and the 550/7
enhancement flag. Other charges of the same case (a domestic battery next to a possession count)
are rows of their own: the rule set needs them to find associated violent crimes.

Every data row becomes a `RawRecord` or a `Reject` naming file, row and column (never the cell's
value). The readers are docgen's own (CSV in any common encoding and delimiter, XLSX, JSON Lines),
so row numbers are those a person sees in a spreadsheet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from docgen.errors import MissingColumns
from docgen.model import Reject
from docgen.plan.validate import LANGUAGES, parse_date
from docgen.readers import read_table
from docgen.rules.il_crta.config import RuleConfig
from docgen.rules.il_crta.offense_class import parse_offense_class

REQUIRED_RAW_COLUMNS: tuple[str, ...] = (
    "person_id",
    "last_name",
    "first_name",
    "date_of_birth",
    "case_number",
    "statute",
    "offense_description",
)
OPTIONAL_RAW_COLUMNS: tuple[str, ...] = (
    "middle_name",
    "name_suffix",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "language",
    "court_division",
    "arrest_date",
    "arresting_agency",
    "offense_class",
    "amount_grams",
    "disposition",
    "disposition_date",
    "enhancement_550_7",
)
RAW_COLUMNS = REQUIRED_RAW_COLUMNS + OPTIONAL_RAW_COLUMNS
# The order `docgen synth --raw` writes them in (a reader accepts any order).
RAW_COLUMN_ORDER: tuple[str, ...] = (
    "person_id",
    "last_name",
    "first_name",
    "middle_name",
    "name_suffix",
    "date_of_birth",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "language",
    "case_number",
    "court_division",
    "arrest_date",
    "arresting_agency",
    "statute",
    "offense_description",
    "offense_class",
    "amount_grams",
    "enhancement_550_7",
    "disposition",
    "disposition_date",
)
assert sorted(RAW_COLUMN_ORDER) == sorted(RAW_COLUMNS)

MAX_FIELD_CHARS = 1000
MAX_GRAMS = 1_000_000.0
_BAD = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_CASE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/#:-]*")
_GRAMS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:g|gr|gm|grams?)?", re.IGNORECASE)
_YES = frozenset({"y", "yes", "true", "1", "x"})
_NO = frozenset({"", "n", "no", "false", "0"})


class RawRecord(BaseModel):
    """One validated charge of the raw file. Text is stripped and NFC-normalised."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    row: int
    person_id: str
    last_name: str
    first_name: str
    middle_name: str = ""
    name_suffix: str = ""
    date_of_birth: date
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    language: str = "en"
    case_number: str
    court_division: str = ""
    arrest_date: date | None = None
    arresting_agency: str = ""
    statute: str
    offense_description: str
    offense_class: str | None = None  # canonical label, e.g. "Class 4 felony"; None: not recorded
    amount_grams: float | None = None  # None: not recorded
    disposition: str  # a code of rules.toml [dispositions]
    disposition_date: date | None = None
    enhancement_550_7: bool = False

    @field_validator("date_of_birth", "arrest_date", "disposition_date", mode="before")
    @classmethod
    def _date(cls, value: object) -> date | None:
        if isinstance(value, date) or value is None:
            return value
        text = str(value).strip()
        if not text:
            return None
        return parse_date(text)  # its ValueError message names no value

    @field_validator("offense_class", mode="before")
    @classmethod
    def _class(cls, value: object) -> str | None:
        return parse_offense_class(str(value or ""))

    @field_validator("amount_grams", mode="before")
    @classmethod
    def _grams(cls, value: object) -> float | None:
        if isinstance(value, float | int) or value is None:
            return None if value is None else float(value)
        text = str(value).strip()
        if not text:
            return None
        match = _GRAMS.fullmatch(text)
        if not match or float(match.group(1)) > MAX_GRAMS:
            raise ValueError("not an amount in grams (use a number such as 12.5, or leave empty)")
        return float(match.group(1))

    @field_validator("enhancement_550_7", mode="before")
    @classmethod
    def _flag(cls, value: object) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value or "").strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise ValueError("expected Y or N (empty means no enhancement on the record)")

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> str:
        lang = LANGUAGES.get(str(value or "").strip().casefold())
        if lang is None:
            raise ValueError("unknown value (expected en or es)")
        return lang

    @field_validator("case_number")
    @classmethod
    def _case_number(cls, value: str) -> str:
        if not _CASE_NUMBER.fullmatch(value):
            raise ValueError("may hold only letters, digits, spaces and . _ / # : -")
        return value

    @property
    def offense_date(self) -> date | None:
        return self.arrest_date

    @property
    def last_known_date(self) -> date:
        """The disposition date, else the arrest date (one of them is always there)."""
        day = self.disposition_date or self.arrest_date
        assert day is not None  # read_records rejects rows with neither
        return day


@dataclass(slots=True)
class ReadResult:
    file: str
    input_rows: int
    records: list[RawRecord]
    rejects: list[Reject]
    blank_rows: int = 0
    title_rows: list[int] = field(default_factory=list)  # one-cell rows above the header
    # (row, person_id, case_number) of rejected rows, as far as the cells say: a rejected row
    # may be an associated violent charge, so its case goes to review.
    unreadable: list[tuple[int, str, str]] = field(default_factory=list)


Problem = tuple[str | None, str]


def _clean(cells: dict[str, str]) -> tuple[dict[str, str], list[Problem]]:
    values: dict[str, str] = {}
    problems: list[Problem] = []
    for col in RAW_COLUMNS:
        raw = cells.get(col, "")
        if _BAD.search(raw):
            problems.append((col, "contains control characters (remove them and save again)"))
            continue
        if len(raw) > MAX_FIELD_CHARS:
            problems.append((col, f"longer than {MAX_FIELD_CHARS:,} characters"))
            continue
        text = unicodedata.normalize("NFC", raw.strip())
        if not text and col in REQUIRED_RAW_COLUMNS:
            problems.append((col, "required but empty"))
            continue
        values[col] = text
    return values, problems


def check_record(
    row: int, cells: dict[str, str], config: RuleConfig, as_of: date
) -> tuple[RawRecord | None, list[Problem]]:
    """Validate one raw row: the record, or every problem (column, message without values)."""
    values, problems = _clean(cells)
    disposition = config.disposition_code(values.get("disposition", ""))
    if disposition is None and "disposition" in values:
        known = ", ".join(config.dispositions)
        problems.append(("disposition", f"unknown disposition (expected one of: {known})"))
    values["disposition"] = disposition or "pending"
    bad_columns = {c for c, _ in problems}
    fields: dict[str, Any] = {k: v for k, v in values.items() if k not in bad_columns}
    record: RawRecord | None = None
    try:
        candidate = RawRecord(row=row, **fields)
    except ValidationError as exc:
        for err in exc.errors(include_input=False, include_url=False):
            loc = err.get("loc") or ()
            col = str(loc[0]) if loc else None
            if col in bad_columns:
                continue  # already reported for this column
            msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
            if err.get("type") == "missing":
                msg = "required but empty"
            problems.append((col, msg))
    else:
        if not problems:
            record = candidate
            problems.extend(_cross_checks(candidate, as_of))
    return (record if not problems else None), problems


def _cross_checks(rec: RawRecord, as_of: date) -> list[Problem]:
    problems: list[Problem] = []
    for col in ("date_of_birth", "arrest_date", "disposition_date"):
        day = getattr(rec, col)
        if day is not None and day > as_of:
            problems.append((col, f"in the future (after {as_of.isoformat()})"))
    if rec.arrest_date and rec.date_of_birth > rec.arrest_date:
        problems.append(("date_of_birth", "birth date is after the arrest date"))
    if rec.disposition_date and rec.date_of_birth > rec.disposition_date:
        problems.append(("date_of_birth", "birth date is after the disposition date"))
    if rec.arrest_date and rec.disposition_date and rec.arrest_date > rec.disposition_date:
        problems.append(("arrest_date", "arrest date is after the disposition date"))
    if rec.arrest_date is None and rec.disposition_date is None:
        problems.append(("disposition_date", "empty, and so is arrest_date: give at least one"))
    return problems


def read_records(
    path: Path, config: RuleConfig, as_of: date, *, input_format: str | None = None
) -> ReadResult:
    """Read and validate a raw file. Raises MissingColumns before reading any row."""
    table = read_table(path, input_format=input_format)
    missing = [c for c in REQUIRED_RAW_COLUMNS if c not in table.columns]
    if missing:
        table.close()
        raise MissingColumns(table.file, missing)
    records: list[RawRecord] = []
    rejects: list[Reject] = []
    unreadable: list[tuple[int, str, str]] = []
    seen: dict[tuple[object, ...], int] = {}
    input_rows = 0
    for source in table.rows:
        input_rows += 1
        problems: list[Problem] = [
            (p.column, p.message) for p in table.problems.pop(source.row, [])
        ]
        record = None
        if not any(col is None for col, _ in problems):
            record, more = check_record(source.row, source.cells, config, as_of)
            problems.extend(more)
        if record is not None and not problems:
            key = tuple(record.model_dump(exclude={"row"}).values())
            first = seen.setdefault(key, source.row)
            if first == source.row:
                records.append(record)
                continue
            problems = [(None, f"duplicate of row {first}")]
        else:
            person_id, case_number = (
                " ".join(source.cells.get(name, "").split())
                for name in ("person_id", "case_number")
            )
            unreadable.append((source.row, person_id, case_number))
        rejects.append(_reject(table.file, source.row, source.cells, problems))
    return ReadResult(
        file=table.file,
        input_rows=input_rows,
        records=records,
        rejects=rejects,
        blank_rows=table.blank_rows,
        title_rows=list(table.title_rows),
        unreadable=unreadable,
    )


def _reject(file: str, row: int, cells: dict[str, str], problems: list[Problem]) -> Reject:
    reason = "; ".join(f"{col}: {msg}" if col else msg for col, msg in problems)
    case = cells.get("case_number", "").strip()
    usable = (
        all(col != "case_number" for col, _ in problems)
        and len(case) <= 100
        and _CASE_NUMBER.fullmatch(case) is not None
    )
    return Reject(
        file=file,
        row=row,
        column=problems[0][0],
        reason=reason,
        case_number=case if usable else "",
    )
