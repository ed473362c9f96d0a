"""From DOJ rows to people and their convictions: the facts the legal tests look at.

Grouping follows gogen (../shared/docs/gogen-flows.md section 1): rows are grouped by subject;
the first convicted row of each count (CNT_ORDER) is a conviction; a repeated convicted row adds
its sentence; COURT ACTION rows give the case numbers of their cycle+step; a Prop 64 code on
any row marks its cycle. The mode's flags (rules.toml [modes.*.flags]) decide where docgen
differs on purpose:

- `row_order = "canonical"` processes each person's rows sorted by count and content, so a
  person's result never depends on the file's row order (gogen's "file" order made the sentence
  of a repeated count land on whichever conviction happened to be last);
- `repeat_count_sentence = "same_count"` adds a repeated row's sentence to its own count;
- `sentence = "calendar"` adds real months and years (gogen: 30.5 and 366 days);
- `offense_text = "conviction"` judges CONV_OFFENSE_DESCR when the DOJ has it (the offense
  convicted), not the charge;
- `unreadable_dates = "reject"` rejects a conviction whose date cannot be read (gogen used year
  1, which passed the 2016 cutoff).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from operator import attrgetter
from typing import Literal

from pydantic import BaseModel, ConfigDict

from docgen.model import Reject
from docgen.rules.ca_prop64 import codes
from docgen.rules.ca_prop64.records import DojRow

_INT = re.compile(r"[+-]?\d+")
_GOGEN_UNIT_DAYS = {"D": 1.0, "Y": 366.0, "M": 30.5}


class Flags(BaseModel):
    """Where a mode reads the record like gogen did, or as the statute asks (read here)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    cutoff_date: Literal["conviction", "offense"]
    offense_text: Literal["charge", "conviction"]
    code_matching: Literal["gogen", "statute"]
    sentence: Literal["gogen", "calendar"]
    repeat_count_sentence: Literal["last_conviction", "same_count"]
    related_cycle: Literal["any_row", "prop64_conviction"]
    unreadable_dates: Literal["zero", "reject"]
    county_match: Literal["exact", "normalised"]
    row_order: Literal["file", "canonical"]
    # Filled from [lists] when the mode is chosen.
    superstrike_sections: tuple[str, ...] = ()
    pc290_sections: tuple[str, ...] = ()


def parse_yyyymmdd(value: str) -> date | None:
    value = value.strip()
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def code_text(offense_descr: str, comment_text: str) -> str:
    """gogen's code section: COMMENT_TEXT when OFFENSE_DESCR says so, text before the first '-'."""
    text = comment_text if offense_descr == "SEE COMMENT FOR CHARGE" else offense_descr
    return text.split("-", 1)[0]


def add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(
        start.day, [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]
    )
    return date(year, month + 1, day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(slots=True)
class Conviction:
    row: DojRow
    code: str  # the code section text judged (before the first '-')
    date: datetime.date | None  # STP_EVENT_DATE; None: unreadable (gogen's "zero date")
    offense_date: datetime.date | None  # CYC_DATE when it is a date
    felony: bool
    prop64: str | None  # '11357' .. '11360' when it is a Prop 64 conviction
    related: str | None  # the related code matched (Contra Costa / San Joaquin flows)
    section: codes.Section | None  # parsed (statute mode) or None
    superstrike: bool
    pc290: bool
    sentence_parts: list[tuple[int, str]] = field(default_factory=list)

    @property
    def cycle(self) -> str:
        return self.row.cnt_order[:3]

    @property
    def cycle_step(self) -> str:
        return self.row.cnt_order[:6]


@dataclass
class Subject:  # not slotted: the cached properties are computed once grouping is done
    id: str
    dob: date | None = None
    convictions: list[Conviction] = field(default_factory=list)
    deceased: bool = False
    registration_dates: list[date | None] = field(default_factory=list)
    case_numbers: dict[str, list[str]] = field(default_factory=dict)
    prop64_cycles: set[str] = field(default_factory=set)  # any row with a Prop 64 code
    prop64_conviction_cycles: set[str] = field(default_factory=set)

    @cached_property
    def latest_conviction(self) -> date | None:
        dates = [c.date for c in self.convictions if c.date is not None]
        return max(dates) if dates else None

    @cached_property
    def prop64_convictions(self) -> int:
        return sum(1 for c in self.convictions if c.prop64)


@dataclass(slots=True)
class Facts:
    subjects: dict[str, Subject]
    convictions: list[tuple[Subject, Conviction]]  # in input row order
    rejects: list[Reject]


def sentence_end(conviction: Conviction, flags: Flags) -> date | None:
    """The day the sentence ends; None when it cannot be known (no date, or beyond any calendar)."""
    start = conviction.date
    if flags.sentence == "gogen":
        days = sum(n * _GOGEN_UNIT_DAYS.get(unit, 0.0) for n, unit in conviction.sentence_parts)
        base = start or date(1, 1, 1)
        try:
            # gogen adds fractional days (6 months = 183 days); the day it ends is enough here.
            return base + timedelta(days=days)
        except OverflowError:
            return None
    if start is None:
        return None
    end = start
    try:
        for n, unit in conviction.sentence_parts:
            if unit == "Y":
                end = add_months(end, 12 * n)
            elif unit == "M":
                end = add_months(end, n)
            elif unit == "D":
                end = end + timedelta(days=n)
    except (OverflowError, ValueError):
        return None
    return end


def _sentence_part(row: DojRow, flags: Flags) -> tuple[int, str] | None:
    # gogen reads SENT_LENGTH as a strict integer and the unit code as it stands.
    gogen = flags.sentence == "gogen"
    length = row.sent_length if gogen else row.sent_length.strip()
    unit = row.sent_time_code if gogen else row.sent_time_code.strip().upper()
    if not _INT.fullmatch(length):
        return None
    return int(length), unit


def build_facts(rows: list[DojRow], flags: Flags, file: str) -> Facts:
    rejects: list[Reject] = []
    by_subject: dict[str, list[DojRow]] = {}
    for row in rows:
        if not row.person_id:
            rejects.append(
                Reject(file, row.row, "SUBJECT_ID", "SUBJECT_ID and CII_NUMBER are empty")
            )
        elif len(row.cnt_order) < 6:
            rejects.append(
                Reject(file, row.row, "CNT_ORDER", "CNT_ORDER has fewer than 6 characters")
            )
        elif (
            flags.unreadable_dates == "reject"
            and row.disp_descr.startswith("CONVICTED")
            and parse_yyyymmdd(row.stp_event_date) is None
        ):
            rejects.append(
                Reject(
                    file, row.row, "STP_EVENT_DATE", "the conviction date is not a YYYYMMDD date"
                )
            )
        else:
            by_subject.setdefault(row.person_id, []).append(row)

    subjects: dict[str, Subject] = {}
    convictions: list[tuple[Subject, Conviction]] = []
    for subject_id, subject_rows in by_subject.items():
        if flags.row_order == "canonical":
            subject_rows = sorted(subject_rows, key=_canonical_key)
        subject = Subject(subject_id)
        subjects[subject_id] = subject
        _group(subject, subject_rows, flags, convictions)
    convictions.sort(key=lambda pair: pair[1].row.row)
    return Facts(subjects, convictions, rejects)


_ALL_FIELDS = attrgetter("cnt_order", "stp_event_date", *DojRow.__slots__[1:])


def _canonical_key(row: DojRow) -> tuple[str, ...]:
    # Everything but the row number (identical rows are interchangeable); an empty cell sorts
    # after a filled one, so the fullest of a count's rows stands for it.
    return tuple(value or "\uffff" for value in _ALL_FIELDS(row))


def _group(
    subject: Subject,
    rows: list[DojRow],
    flags: Flags,
    out: list[tuple[Subject, Conviction]],
) -> None:
    by_count: dict[str, Conviction] = {}
    statute = flags.code_matching == "statute"
    for row in rows:
        if subject.dob is None:
            subject.dob = parse_yyyymmdd(row.pri_dob)
        convicted = row.disp_descr.startswith("CONVICTED")
        count = row.cnt_order
        if convicted and count in by_count:
            part = _sentence_part(row, flags)
            target = (
                by_count[count]
                if flags.repeat_count_sentence == "same_count"
                else subject.convictions[-1]
            )
            if part is not None:
                target.sentence_parts.append(part)
        if row.stp_type_descr == "DECEASED":
            subject.deceased = True
        if row.stp_type_descr == "COURT ACTION" and row.ofn != "":
            numbers = subject.case_numbers.setdefault(count[:6], [])
            if row.ofn not in numbers:
                numbers.append(row.ofn)
        if row.stp_type_descr == "REGISTRATION" and row.offense_descr.startswith("290"):
            subject.registration_dates.append(parse_yyyymmdd(row.stp_event_date))
        text = code_text(row.offense_descr, row.comment_text)
        if statute and flags.offense_text == "conviction" and row.conv_offense_descr.strip():
            text = row.conv_offense_descr.split("-", 1)[0]
        if statute:
            section = codes.parse_section(text)
            prop64 = codes.statute_prop64_section(section)
        else:
            section = None
            prop64 = codes.gogen_prop64_section(text)
        if convicted and count not in by_count:
            conviction = _conviction(row, text, section, prop64, flags)
            by_count[count] = conviction
            subject.convictions.append(conviction)
            out.append((subject, conviction))
            if prop64:
                subject.prop64_conviction_cycles.add(count[:3])
        if prop64:
            subject.prop64_cycles.add(count[:3])


def _conviction(
    row: DojRow, text: str, section: codes.Section | None, prop64: str | None, flags: Flags
) -> Conviction:
    if flags.code_matching == "statute":
        superstrike = codes.in_section_list(section, flags.superstrike_sections)
        pc290 = codes.in_section_list(section, flags.pc290_sections)
        related = codes.gogen_related_section(text, any_case=True)
    else:
        superstrike = codes.gogen_is_superstrike(text)
        pc290 = codes.gogen_is_pc290(text)
        related = codes.gogen_related_section(text)
    felony = (
        row.offense_toc == "F" if row.conv_stat_descr == "" else row.conv_stat_descr == "FELONY"
    )
    if flags.code_matching == "statute":  # the same test, blind to case and stray spaces
        felony = (
            row.offense_toc.strip().upper() == "F"
            if not row.conv_stat_descr.strip()
            else row.conv_stat_descr.strip().upper() == "FELONY"
        )
    part = _sentence_part(row, flags)
    return Conviction(
        row=row,
        code=text,
        date=parse_yyyymmdd(row.stp_event_date),
        offense_date=parse_yyyymmdd(row.cyc_date),
        felony=felony,
        prop64=prop64,
        related=related,
        section=section,
        superstrike=superstrike,
        pc290=pc290,
        sentence_parts=[part] if part else [],
    )
