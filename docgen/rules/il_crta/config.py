"""The il-crta configuration (rules/il-crta/rules.toml), read into typed, checked values.

A mistake in rules.toml (a missing table, a date that is not a date) stops `docgen determine`
at once with the key that is wrong, before any record is judged.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from docgen.errors import DocgenError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Law(_Strict):
    relief: str
    definition: str
    automatic: str
    act: str
    violent_definition: str
    possession: str
    delivery: str
    enhancement: str


class Statutes(_Strict):
    possession_section: str
    delivery_section: str
    enhancement_section: str


class MinorOffense(_Strict):
    max_grams: float
    before: date


class Motion(_Strict):
    possession_classes: tuple[str, ...]
    delivery_classes: tuple[str, ...]
    possession_max_grams: float
    delivery_max_grams: float
    possession_from: date
    delivery_from: date
    before: date
    exclude_violent_associated: bool = True
    exclude_enhanced: bool = True


class Association(_Strict):
    same_arrest_date: bool = True
    review_unlisted_felonies: bool = True


class ScheduleStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    start: date = Field(alias="from")  # arrests on or after this day ...
    due: date  # ... are due to be expunged by this day


class Automatic(_Strict):
    min_age_years: int
    min_years_since_arrest: int
    schedule: tuple[ScheduleStep, ...]

    @field_validator("schedule")
    @classmethod
    def _newest_first(cls, steps: tuple[ScheduleStep, ...]) -> tuple[ScheduleStep, ...]:
        # The first step whose start is on or before the arrest applies.
        return tuple(sorted(steps, key=lambda s: s.start, reverse=True))


class NamedStatute(_Strict):
    prefix: str
    name: str


class StatuteList(_Strict):
    statutes: tuple[NamedStatute, ...]


class Disposition(_Strict):
    label: str
    conviction: bool | None = None  # None: not known whether it is a conviction (review)
    aliases: tuple[str, ...] = ()


class RuleConfig(_Strict):
    law: Law
    statutes: Statutes
    minor_offense: MinorOffense
    motion: Motion
    association: Association
    automatic: Automatic
    violent: StatuteList
    non_violent: StatuteList
    dispositions: dict[str, Disposition]

    def disposition_code(self, text: str) -> str | None:
        """The disposition code for a cell (code or alias, any case and spacing), else None."""
        key = disposition_key(text)
        for code, disposition in self.dispositions.items():
            if key == disposition_key(code) or key in {
                disposition_key(a) for a in disposition.aliases
            }:
                return code
        return None


def disposition_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower()).strip()


def load_config(raw: dict[str, Any]) -> RuleConfig:
    """Check the parsed rules.toml; raises DocgenError naming the bad key."""
    data = {k: v for k, v in raw.items() if k != "rule_set"}
    try:
        return RuleConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise DocgenError(
            f"rules/il-crta/rules.toml: {where}: {first.get('msg', 'invalid value')}"
        ) from None
