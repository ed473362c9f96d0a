"""il-crta: Illinois Cannabis Regulation and Tax Act relief, from raw records to determinations.

`determine_file(path, config, as_of, county)` is the rule-set contract of docgen.rules.core:
it reads an Illinois raw-records file (docgen/rules/il_crta/records.py, documented in docs/illinois.md
under "Raw columns"), judges every charge with the legal tests of this package
(statutes, amounts, offense_class, dispositions, dates, association; the flow in flow.py) and
returns canonical rows for `docgen generate --pack il-cook` plus each charge's chain of tests.

Every data row ends in exactly one determination or one reject:
`input rows = determinations + rejects` (there are no context rows in this format).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from docgen.rules.core import RuleSetResult
from docgen.rules.il_crta.config import RuleConfig, load_config
from docgen.rules.il_crta.flow import canonical_row, judge
from docgen.rules.il_crta.records import RawRecord, ReadResult, read_records

__all__ = ["determine_file", "determine_records", "load_config"]


def determine_file(
    path: Path, config: dict[str, Any], as_of: date, county: str | None = None
) -> RuleSetResult:
    """Judge every charge of an Illinois raw file. `county` is not used: the law is statewide."""
    rules = load_config(config)
    read = read_records(Path(path), rules, as_of)
    return determine_records(read, rules, as_of)


def determine_records(read: ReadResult, rules: RuleConfig, as_of: date) -> RuleSetResult:
    by_case: dict[tuple[str, str], list[RawRecord]] = defaultdict(list)
    by_arrest: dict[tuple[str, date], list[RawRecord]] = defaultdict(list)
    for record in read.records:
        by_case[(record.person_id, record.case_number)].append(record)
        if record.arrest_date is not None:
            by_arrest[(record.person_id, record.arrest_date)].append(record)
    # Rows that could not be read, by what can still be told of them.
    unreadable_by_case: dict[tuple[str, str], list[int]] = defaultdict(list)
    unreadable_by_person: dict[str, list[int]] = defaultdict(list)
    unreadable_by_number: dict[str, list[int]] = defaultdict(list)  # the person is unreadable
    for row, person_id, case_number in read.unreadable:
        if person_id and case_number:
            unreadable_by_case[(person_id, case_number)].append(row)
        elif person_id:
            unreadable_by_person[person_id].append(row)
        elif case_number:
            unreadable_by_number[case_number].append(row)

    result = RuleSetResult(
        rejects=list(read.rejects),
        blank_rows=read.blank_rows,
        title_rows=list(read.title_rows),
        meta={"rule_set": "il-crta"},
    )
    for record in read.records:
        case_key = (record.person_id, record.case_number)
        associated = {r.row: r for r in by_case[case_key]}
        if rules.association.same_arrest_date and record.arrest_date is not None:
            associated.update({r.row: r for r in by_arrest[(record.person_id, record.arrest_date)]})
        associated.pop(record.row)
        unreadable = [
            *unreadable_by_case.get(case_key, ()),
            *unreadable_by_person.get(record.person_id, ()),
            *unreadable_by_number.get(record.case_number, ()),
        ]
        # Sorted by row, so reasons naming a row never depend on the input order.
        others = sorted(associated.values(), key=lambda r: r.row)
        decision = judge(record, others, sorted(unreadable), rules, as_of)
        result.determinations.append(decision)
        result.canonical_rows.append(canonical_row(record, decision, rules))
    return result
