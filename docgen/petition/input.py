"""A petition's input: the petitioner's (or lawyer's) settings and the short form.

`PetitionSettings` says who signs and when the motion is heard; the short form (CLI flags or the
service's form) becomes a one-row canonical CSV read by the pipeline's own reading and validation;
`check_petition` then insists on one person whose every row is usable. Bad values are named by
flag (or file, row and column), never quoted: they may be personal data.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from docgen.errors import DocgenError, RowProblem
from docgen.model import ALL_COLUMNS
from docgen.packs import Pack, unprintable
from docgen.plan.planner import plan_documents
from docgen.plan.validate import ValidationResult

FORM_NAME = "petition form"  # how the short form is named in messages, manifest and report
PERSON_ID = "petitioner"  # the short form's person_id (one person, no office id)
MAX_FIELD = 1000
# Canonical columns the short form fills, and the flag (or form field) a user types each into.
FORM_COLUMNS = [c for c in ALL_COLUMNS if c not in ("person_id", "determination", "reason")]


# How a value the user typed is named: by the CLI's flag (--last-name) or, in the service, by
# the form's field (last_name).
FLAGS = "flags"
FIELDS = "fields"


def flag_of(column: str, names: str = FLAGS) -> str:
    return column if names == FIELDS else "--" + column.replace("_", "-")


class PetitionError(DocgenError):
    """The petition cannot be made; `problems` names each file/row/column (or flag/field).

    One problem is said on one line ("the petition cannot be made: --date-of-birth: ..."),
    several one per line under the message."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        problems = problems or []
        if len(problems) == 1:
            text = f"{message} {problems[0]}"
        else:
            text = "\n  ".join([message, *problems])
        super().__init__(text)
        self.summary = message.rstrip(":")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class PetitionSettings:
    """Who signs and when the motion is heard: what the input rows do not say."""

    phone: str = ""  # the petitioner's own, for a pro se signature block
    email: str = ""
    lawyer: str = ""  # a (legal-aid) lawyer signing for the petitioner; empty: pro se
    organisation: str = ""
    lawyer_address: tuple[str, ...] = ()
    lawyer_phone: str = ""
    lawyer_email: str = ""
    attorney_code: str = ""  # the pack's attorney code (Cook County code, ARDC number)
    hearing_date: date | None = None
    hearing_time: str = ""
    courtroom: str = ""

    @property
    def pro_se(self) -> bool:
        return not self.lawyer

    def digest(self) -> str:
        data = asdict(self) | {"hearing_date": str(self.hearing_date or "")}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    def problems(self, names: str = FLAGS) -> list[str]:
        """Unusable values, named by flag or form field (never quoted: may be personal data)."""
        found = []
        for name, value in asdict(self).items():
            values = value if isinstance(value, tuple) else (value,)
            for text in values:
                if isinstance(text, str) and (problem := text_problem(text)):
                    found.append(f"{flag_of(name, names)}: {problem}")
        lawyer = flag_of("lawyer", names)
        if not self.lawyer:
            for name in ("organisation", "lawyer_address", "lawyer_phone", "lawyer_email"):
                if getattr(self, name):
                    found.append(f"{flag_of(name, names)}: only with {lawyer} (a lawyer who signs)")
        elif not self.lawyer_address:
            found.append(
                f"{flag_of('lawyer_address', names)}: the lawyer's address is required (Rule 131)"
            )
        return found


def text_problem(text: str) -> str | None:
    """Why a typed value cannot be printed in a filing, or None (same limits as input cells)."""
    if len(text) > MAX_FIELD:
        return f"longer than {MAX_FIELD:,} characters"
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        return "has control characters"
    if any("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" for ch in text):
        return "has bidirectional override characters"
    if missing := unprintable(text):
        return f"has characters the document fonts cannot print ({', '.join(missing[:5])})"
    return None


# ---------------------------------------------------------------- the short form as input


def form_csv(fields: dict[str, str]) -> bytes:
    """The short form's fields (canonical column names) as a one-row canonical CSV."""
    unknown = sorted(set(fields) - set(FORM_COLUMNS))
    if unknown:
        raise PetitionError("unknown petition field(s): " + ", ".join(unknown))
    # Every column, empty when not given: a missing value is then named by its flag
    # ("--statute: ...") like any other bad value, not as a missing column of a temporary file.
    row = {"person_id": PERSON_ID, "determination": "vacate_expunge"}
    row |= {column: (fields.get(column) or "").strip() for column in FORM_COLUMNS}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


@contextmanager
def form_file(fields: dict[str, str]) -> Iterator[Path]:
    """The form as a CSV file readable by its owner only, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="docgen-petition-") as folder:
        path = Path(folder) / "petition.csv"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(form_csv(fields))
        yield path


# ---------------------------------------------------------------- checking the input


# Validation's reasons are "column: message" parts joined by "; "; a message may itself hold
# "; " ("not a real calendar date (check the day and month; use YYYY-MM-DD ...)").
_PARTS = re.compile("; (?=(?:" + "|".join(map(re.escape, ALL_COLUMNS)) + "): )")


def _named(file: str, row: int, reason: str, from_form: bool, names: str = FLAGS) -> list[str]:
    """A reject as lines a user can act on: by flag (or form field) for the form, by
    file/row/column otherwise. Validation's reasons never quote a value."""
    lines = []
    for part in _PARTS.split(reason):
        column, sep, message = part.partition(": ")
        if not (sep and column in ALL_COLUMNS):
            column, message = "", part
        if from_form:
            lines.append(
                f"{FORM_NAME}, {flag_of(column, names)}: {message}"
                if column
                else f"{FORM_NAME}: {message}"
            )
        else:
            lines.append(str(RowProblem(file, row, column or None, message)))
    return lines


def check_petition(
    pack: Pack, validation: ValidationResult, run_date: date, from_form: bool, names: str = FLAGS
) -> None:
    """A petition is one person's, and every row of it must be usable: a motion silently missing a
    charge would ask the court for less than the person needs. Raises PetitionError."""
    plan = plan_documents(pack, validation, run_date)
    problems: list[str] = []
    for reject in plan.rejects:
        problems.extend(_named(validation.file, reject.row, reject.reason, from_form, names))
    if problems:
        raise PetitionError("the petition cannot be made:", problems)
    first_rows: dict[str, int] = {}  # person_id -> first row (one pass over the stored rows)
    for charge in validation.charges:
        first_rows[charge.person_id] = min(charge.row, first_rows.get(charge.person_id, charge.row))
    people = set(first_rows)
    if len(people) > 1:
        rows = ", ".join(str(r) for r in sorted(first_rows.values()))
        raise PetitionError(
            f"{validation.file}: a petition is for one person; this file has {len(people)} "
            f"person_id values (first rows {rows}): use `docgen generate` for many people"
        )
    if not plan.rows_in_documents:
        wanted = ", ".join(pack.config.determinations.documents)
        raise PetitionError(
            f"{validation.file}: no row is marked for a motion (column determination: {wanted})"
        )
