"""The common data model: one validated charge row, grouped into people and cases.

Every reader (CSV, XLSX, JSON Lines, gogen) produces `SourceRow`s; validation turns each into a
`ChargeRow` or a `Reject`; grouping builds `Person` -> `Case` -> `ChargeRow`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Column contract of the canonical input (docs/input.md documents each one).
REQUIRED_COLUMNS: tuple[str, ...] = (
    "person_id",
    "last_name",
    "first_name",
    "date_of_birth",
    "case_number",
    "statute",
    "offense_description",
    "offense_class",
    "disposition",
    "disposition_date",
    "determination",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
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
    "reason",
)
ALL_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Determinations docgen knows. A pack says which of them produce documents.
DETERMINATIONS: tuple[str, ...] = (
    "vacate_expunge",
    "dismiss_seal",
    "reduce",
    "not_eligible",
    "needs_review",
    "automatic_expungement",  # Illinois: the State Police expunge it; no motion is filed
)
NO_DOCUMENT_DETERMINATIONS: tuple[str, ...] = (
    "not_eligible",
    "needs_review",
    "automatic_expungement",
)

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
RequiredText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _is_cjk(text: str) -> bool:
    """True when every character is a CJK ideograph, kana or hangul syllable."""
    return bool(text) and all(
        "\u4e00" <= ch <= "\u9fff"
        or "\u3400" <= ch <= "\u4dbf"
        or "\u3040" <= ch <= "\u30ff"
        or "\uac00" <= ch <= "\ud7af"
        or "\U00020000" <= ch <= "\U0002ffff"
        for ch in text
    )


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One raw input row: where it came from and its cells by (normalised) column name."""

    file: str
    row: int
    cells: dict[str, str]


class ChargeRow(BaseModel):
    """One validated charge (count): the unit of input."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    row: int = Field(description="row number in the input file (header is row 1)")
    person_id: RequiredText
    last_name: RequiredText
    first_name: RequiredText
    middle_name: Text = ""
    name_suffix: Text = ""
    date_of_birth: date
    address_line1: Text = ""
    address_line2: Text = ""
    city: Text = ""
    state: Text = ""
    postal_code: Text = ""
    language: Literal["en", "es"] = "en"
    # Required (docgen.plan.validate), except on a needs_review row: a record for review may lack it.
    case_number: Text
    court_division: Text = ""
    arrest_date: date | None = None
    arresting_agency: Text = ""
    statute: RequiredText
    offense_description: RequiredText
    offense_class: RequiredText
    disposition: RequiredText
    disposition_date: date
    determination: Literal[
        "vacate_expunge",
        "dismiss_seal",
        "reduce",
        "not_eligible",
        "needs_review",
        "automatic_expungement",
    ]
    reason: Text = ""
    county: Text = ""  # the county the record belongs to, when the input says (docgen.plan.accepts)

    @property
    def full_name(self) -> str:
        if _is_cjk(self.last_name) and _is_cjk(self.first_name) and not self.middle_name:
            # Chinese, Japanese and Korean names are written family name first, unspaced
            # (李小龍, not 小龍 李).
            return self.last_name + self.first_name
        parts = [self.first_name, self.middle_name, self.last_name]
        name = " ".join(p for p in parts if p)
        return f"{name}, {self.name_suffix}" if self.name_suffix else name

    @property
    def has_address(self) -> bool:
        return bool(self.address_line1 and self.city and self.state and self.postal_code)


@dataclass(frozen=True, slots=True)
class Reject:
    """An input row that cannot become part of a document, and why."""

    file: str
    row: int
    column: str | None
    reason: str
    case_number: str = ""  # helps the office find the row; not considered sensitive on its own


@dataclass(slots=True)
class Case:
    case_number: str
    court_division: str
    charges: list[ChargeRow] = field(default_factory=list)
    # The court the case is in, where it is not the pack's own ([court] name): empty for every
    # case today (a pack is one court); a letter about cases in several courts names each one.
    court: str = ""

    @property
    def rows(self) -> list[int]:
        return [c.row for c in self.charges]

    def charges_with(self, determinations: tuple[str, ...] | list[str]) -> list[ChargeRow]:
        return [c for c in self.charges if c.determination in determinations]


@dataclass(slots=True)
class Person:
    person_id: str
    first: ChargeRow  # identity and address come from the person's first valid row
    cases: list[Case] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return self.first.full_name

    @property
    def has_address(self) -> bool:
        return self.first.has_address

    @property
    def language(self) -> str:
        return self.first.language

    @property
    def postal_code(self) -> str:
        return self.first.postal_code
