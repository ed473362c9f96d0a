"""Which rows a court takes: a pack's `[accepts]` table (county names, case-number patterns).

A row of another court (a Sacramento conviction in a Los Angeles run, a Cook case number in a
Will run) is rejected with the reason, or stops the run under --strict; it never lands in a
filing. The county comes from a gogen/DOJ row's STP_ORI_CNTY_NAME or a `county` input column,
matched case-insensitively with spaces collapsed; a row without a county is judged by its case
number alone. Case-number patterns are regular expressions matched in full.

Reasons never quote the cell (docgen.plan.validate's rule): they say what the pack accepts.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator

from docgen.model import DETERMINATIONS

COUNTY_COLUMN = "county"


def normalise_county(text: str) -> str:
    return " ".join(text.split()).casefold()


class SynthPlace(BaseModel):
    """A city or town of a court's fictional rows (`docgen synth --pack`): real streets and ZIP
    codes (house numbers are made up), its police department as the input spells it, and where
    its misdemeanor cases are heard."""

    model_config = ConfigDict(extra="forbid")
    name: str
    zips: list[str] = Field(min_length=1)
    streets: list[str] = Field(min_length=1)
    police: str
    street_numbers: tuple[int, int] = (100, 9_999)
    district: str = ""  # {district} of a misdemeanor case number (Cook's municipal districts)
    division: str = ""  # court_division of its misdemeanor cases; empty: [accepts.synth] division


class SynthFelony(BaseModel):
    """A charge's felony form, drawn for `share` of the cases whose first charge it is (the case
    number is then a felony's)."""

    model_config = ConfigDict(extra="forbid")
    description: str
    offense_class: str
    share: float = Field(ge=0.0, le=1.0)


class SynthCharge(BaseModel):
    """One statute a fictional case can charge (`[[accepts.synth.charges]]`), drawn by `weight`."""

    model_config = ConfigDict(extra="forbid")
    statute: str
    description: str
    offense_class: str
    weight: int = Field(ge=1)
    felony: SynthFelony | None = None


class SynthReason(BaseModel):
    """A reason that fits only some charges: a code section matching `statutes` (a regular
    expression), of one of `classes`, disposed of after `disposed_after`. A fictional row is
    given a determination only with a reason that fits it, so the synthetic rows never say
    "reduce" of an infraction or "Other H&S 11357 subdivision" of an 11359 conviction."""

    model_config = ConfigDict(extra="forbid")
    text: str
    statutes: str = ""
    classes: list[str] = []
    disposed_after: date | None = None

    def fits(self, statute: str, offense_class: str, disposed: date) -> bool:
        return (
            (not self.statutes or re.search(self.statutes, statute) is not None)
            and (not self.classes or offense_class in self.classes)
            and (self.disposed_after is None or disposed > self.disposed_after)
        )


class SynthOutcome(BaseModel):
    """A determination of the fictional rows (`[accepts.synth.determinations.<name>]`): how often
    it is drawn and the reasons given for it (a plain reason fits every charge)."""

    model_config = ConfigDict(extra="forbid")
    weight: int = Field(ge=1)
    reasons: list[str | SynthReason] = Field(min_length=1)

    def reasons_for(
        self, statute: str, offense_class: str, disposed: date, *, every: bool = False
    ) -> list[str]:
        """The texts of the reasons that fit the charge (none: the determination does not fit
        it); of all of them with `every`."""
        return [
            r if isinstance(r, str) else r.text
            for r in self.reasons
            if every or isinstance(r, str) or r.fits(statute, offense_class, disposed)
        ]


class SynthData(BaseModel):
    """The schema of a pack's `[accepts.synth]`: what `docgen synth --pack` writes for this court.
    Case numbers are format strings with {year}, {district} (the place's) and {number} (zero-padded
    to `digits`); `city_share` of the addresses are in `city`, the rest in one of `towns`; cases
    are arrested by the place's police, the `sheriff` or the `state_police`. The charges,
    dispositions and determinations are the state's law (a layout's wording.toml, e.g.
    California's, sets them for every county of the layout); None: docgen.demo.synth's Illinois
    ones. `state` (the address state and person-id prefix) is the pack's [pack] state."""

    model_config = ConfigDict(extra="forbid")
    felony: str
    misdemeanor: str
    digits: int = 7
    felony_division: str
    division: str = ""
    city: SynthPlace
    city_share: float = Field(ge=0.0, le=1.0)
    towns: list[SynthPlace] = Field(min_length=1)
    sheriff: str
    state_police: str
    charges: list[SynthCharge] | None = Field(default=None, min_length=1)
    dispositions: list[str] | None = Field(default=None, min_length=1)
    determinations: dict[str, SynthOutcome] | None = Field(default=None, min_length=1)
    state: str = ""

    @field_validator("determinations")
    @classmethod
    def _known(cls, found: dict[str, SynthOutcome] | None) -> dict[str, SynthOutcome] | None:
        unknown = sorted(set(found or ()) - set(DETERMINATIONS))
        if unknown:
            raise ValueError(f"unknown determination(s) {', '.join(unknown)}")
        return found

    def case_number(self, year: int, felony: bool, district: str, number: int) -> str:
        """The format string with {year}, {yy} (two digits), {district} and {number}."""
        pattern = self.felony if felony else self.misdemeanor
        return pattern.format(
            year=year, yy=f"{year % 100:02d}", district=district, number=f"{number:0{self.digits}d}"
        )

    def division_of(self, place: SynthPlace, felony: bool) -> str:
        return self.felony_division if felony else (place.division or self.division)

    def town(self, name: str) -> SynthPlace | None:
        return next((t for t in self.towns if t.name == name), None)

    def arresting_agencies(self) -> list[str]:
        """Every arresting agency the fictional rows can name."""
        places = [self.city, *self.towns]
        return list(dict.fromkeys([*(p.police for p in places), self.sheriff, self.state_police]))


class Accepts(BaseModel):
    """The schema of pack.toml's `[accepts]`."""

    model_config = ConfigDict(extra="forbid")
    counties: list[str] = []
    case_number_patterns: list[str] = []
    # Shown in a reject's reason: "not a <court> case number (the pack accepts <examples>)".
    court: str = ""
    case_number_examples: list[str] = []
    synth: SynthData | None = None  # `docgen synth --pack`: this court's fictional rows

    @field_validator("case_number_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
        return patterns

    @cached_property
    def _compiled(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.case_number_patterns]

    @cached_property
    def _counties(self) -> frozenset[str]:
        return frozenset(normalise_county(c) for c in self.counties)

    def describe(self) -> str:
        """One line for `docgen packs`."""
        parts = []
        if self.counties:
            parts.append("counties " + ", ".join(self.counties))
        if self.case_number_examples:
            parts.append("case numbers like " + ", ".join(self.case_number_examples))
        elif self.case_number_patterns:
            parts.append("case numbers matching " + " or ".join(self.case_number_patterns))
        return "; ".join(parts) or "every row"

    def problems(self, pack: str, county: str, case_number: str) -> list[tuple[str | None, str]]:
        """(column, message) for a row this court does not take; [] when it takes it."""
        found: list[tuple[str | None, str]] = []
        court = self.court or f"pack {pack}"
        if self._counties and county.strip() and normalise_county(county) not in self._counties:
            found.append(
                (
                    COUNTY_COLUMN,
                    f"not a {court} row (the pack accepts county {', '.join(self.counties)})",
                )
            )
        number = case_number.strip()
        if self._compiled and number and not any(p.fullmatch(number) for p in self._compiled):
            shown = ", ".join(self.case_number_examples) or " or ".join(self.case_number_patterns)
            found.append(("case_number", f"not a {court} case number (the pack accepts {shown})"))
        return found
