"""Group validated charges into people and cases, rejecting rows whose identity conflicts.

A case filed under the wrong person is worse than no filing, so conflicts are rejected, not guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from docgen.model import Case, ChargeRow, Person, Reject


@dataclass(slots=True)
class Grouped:
    people: list[Person]  # in order of first appearance in the input
    rejects: list[Reject]


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return shown + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def group_charges(charges: list[ChargeRow], file: str) -> Grouped:
    rejects: list[Reject] = []
    bad_rows: set[int] = set()

    # One case number must belong to one person.
    owners: dict[str, set[str]] = defaultdict(set)
    case_rows: dict[str, list[int]] = defaultdict(list)
    for charge in charges:
        owners[charge.case_number].add(charge.person_id)
        case_rows[charge.case_number].append(charge.row)
    for case_number, people in owners.items():
        if len(people) > 1:
            rows = case_rows[case_number]
            for charge in charges:
                if charge.case_number == case_number:
                    bad_rows.add(charge.row)
                    rejects.append(
                        Reject(
                            file=file,
                            row=charge.row,
                            column="person_id",
                            reason="the same case_number appears under more than one person_id "
                            f"(rows {_rows_text(rows)}); fix the input so each case has one person",
                            case_number=case_number,
                        )
                    )

    # One charge must have one determination. The same charge (person, case, statute, offense,
    # class, disposition and its date) marked e.g. vacate_expunge on one row and not_eligible on
    # another is a contradiction only a person can resolve: every row of it is rejected.
    verdicts: dict[tuple[object, ...], list[ChargeRow]] = defaultdict(list)
    for charge in charges:
        if charge.row not in bad_rows:
            key = (
                charge.person_id,
                charge.case_number,
                charge.statute,
                charge.offense_description,
                charge.offense_class,
                charge.disposition,
                charge.disposition_date,
            )
            verdicts[key].append(charge)
    for same in verdicts.values():
        if len({c.determination for c in same}) > 1:
            rows = [c.row for c in same]
            for charge in same:
                bad_rows.add(charge.row)
                rejects.append(
                    Reject(
                        file=file,
                        row=charge.row,
                        column="determination",
                        reason="the same charge has conflicting determinations "
                        f"(rows {_rows_text(rows)}); keep one row with the right determination",
                        case_number=charge.case_number,
                    )
                )

    # One person must have one date of birth: a mismatch usually means two people share an id.
    births: dict[str, set] = defaultdict(set)
    person_rows: dict[str, list[int]] = defaultdict(list)
    for charge in charges:
        if charge.row in bad_rows:
            continue
        births[charge.person_id].add(charge.date_of_birth)
        person_rows[charge.person_id].append(charge.row)
    for person_id, dates in births.items():
        if len(dates) > 1:
            rows = person_rows[person_id]
            for charge in charges:
                if charge.person_id == person_id and charge.row not in bad_rows:
                    bad_rows.add(charge.row)
                    rejects.append(
                        Reject(
                            file=file,
                            row=charge.row,
                            column="date_of_birth",
                            reason="rows of the same person_id have different dates of birth "
                            f"(rows {_rows_text(rows)}); check that they are the same person",
                            case_number=charge.case_number,
                        )
                    )

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
