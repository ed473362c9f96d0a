"""Group validated charges into people and cases, rejecting rows whose identity conflicts.

A case filed under the wrong person is worse than no filing, so conflicts are rejected, not guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from docgen.model import Case, ChargeRow, Person, Reject


@dataclass(slots=True)
class Grouped:
    people: list[Person]  # in order of first appearance in the input
    rejects: list[Reject]


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return shown + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def _reject_conflicts(
    charges: list[ChargeRow],
    bad_rows: set[int],
    file: str,
    key: Callable[[ChargeRow], Hashable],
    value: Callable[[ChargeRow], Hashable],
    column: str,
    problem: str,
    advice: str,
) -> list[Reject]:
    """Reject every still-good row of each group (same `key`) whose rows disagree on `value`."""
    groups: dict[Hashable, list[ChargeRow]] = defaultdict(list)
    for charge in charges:
        if charge.row not in bad_rows:
            groups[key(charge)].append(charge)
    rejects: list[Reject] = []
    for same in groups.values():
        if len({value(c) for c in same}) > 1:
            rows = [c.row for c in same]
            for charge in same:
                bad_rows.add(charge.row)
                rejects.append(
                    Reject(
                        file=file,
                        row=charge.row,
                        column=column,
                        reason=f"{problem} (rows {_rows_text(rows)}); {advice}",
                        case_number=charge.case_number,
                    )
                )
    return rejects


def group_charges(charges: list[ChargeRow], file: str) -> Grouped:
    bad_rows: set[int] = set()
    rejects = [
        # One case number must belong to one person.
        *_reject_conflicts(
            charges,
            bad_rows,
            file,
            key=lambda c: c.case_number,
            value=lambda c: c.person_id,
            column="person_id",
            problem="the same case_number appears under more than one person_id",
            advice="fix the input so each case has one person",
        ),
        # One charge must have one determination. The same charge (person, case, statute,
        # offense, class, disposition and its date) marked e.g. vacate_expunge on one row and
        # not_eligible on another is a contradiction only a person can resolve.
        *_reject_conflicts(
            charges,
            bad_rows,
            file,
            key=lambda c: (
                c.person_id,
                c.case_number,
                c.statute,
                c.offense_description,
                c.offense_class,
                c.disposition,
                c.disposition_date,
            ),
            value=lambda c: c.determination,
            column="determination",
            problem="the same charge has conflicting determinations",
            advice="keep one row with the right determination",
        ),
        # One person must have one date of birth: a mismatch usually means two people share an id.
        *_reject_conflicts(
            charges,
            bad_rows,
            file,
            key=lambda c: c.person_id,
            value=lambda c: c.date_of_birth,
            column="date_of_birth",
            problem="rows of the same person_id have different dates of birth",
            advice="check that they are the same person",
        ),
    ]

    people: dict[str, Person] = {}
    cases: dict[tuple[str, str], Case] = {}
    for charge in charges:
        if charge.row in bad_rows:
            continue
        person = people.get(charge.person_id)
        if person is None:
            person = people[charge.person_id] = Person(person_id=charge.person_id, first=charge)
        key = (charge.person_id, charge.case_number)
        case = cases.get(key)
        if case is None:
            case = cases[key] = Case(
                case_number=charge.case_number, court_division=charge.court_division
            )
            person.cases.append(case)
        case.charges.append(charge)
    rejects.sort(key=lambda r: r.row)
    return Grouped(people=list(people.values()), rejects=rejects)
