"""Group validated charges into people and cases, rejecting rows whose identity conflicts.

A case filed under the wrong person is worse than no filing, so conflicts are rejected, not guessed.

`group_charges` groups a list in memory; `group_store` does the same on a `ChargeStore` (same
rejects, same people in the same order) and yields people one at a time, read back from the
store, so a run never holds every charge at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass

from docgen.charge_store import ChargeStore, load_charge
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


# The three identity checks of group_charges, in the same order, as (key column, value column,
# reject column, problem, advice) over the store's columns.
_STORE_CHECKS = (
    (
        "case_number",
        "person_id",
        "person_id",
        "the same case_number appears under more than one person_id",
        "fix the input so each case has one person",
    ),
    (
        "charge_key",
        "determination",
        "determination",
        "the same charge has conflicting determinations",
        "keep one row with the right determination",
    ),
    (
        "person_id",
        "date_of_birth",
        "date_of_birth",
        "rows of the same person_id have different dates of birth",
        "check that they are the same person",
    ),
)
_GOOD = "row NOT IN (SELECT row FROM bad)"


def _person(person_id: str, charges: Iterable[ChargeRow]) -> Person:
    """One person's charges (in input order) grouped into cases, as group_charges does."""
    person: Person | None = None
    cases: dict[str, Case] = {}
    for charge in charges:
        if person is None:
            person = Person(person_id=person_id, first=charge)
        case = cases.get(charge.case_number)
        if case is None:
            case = cases[charge.case_number] = Case(
                case_number=charge.case_number, court_division=charge.court_division
            )
            person.cases.append(case)
        case.charges.append(charge)
    if person is None:
        raise KeyError("no valid rows for this person")
    return person


@dataclass(slots=True)
class StoredGroups:
    """group_charges' result for a `ChargeStore`: the rejects, and people read back on demand."""

    store: ChargeStore
    rejects: list[Reject]
    people_count: int

    def people(self) -> Iterator[Person]:
        """Every person, in order of first appearance in the input (as group_charges)."""
        rows = self.store.db.execute(
            f"SELECT c.person_id, c.fields FROM charge c JOIN ("
            f"  SELECT person_id, MIN(seq) AS first FROM charge WHERE {_GOOD} GROUP BY person_id"
            f") p ON p.person_id = c.person_id WHERE c.{_GOOD} ORDER BY p.first, c.seq"
        )
        current: str | None = None
        charges: list[ChargeRow] = []
        for person_id, fields in rows:
            if person_id != current and charges:
                yield _person(current or "", charges)
                charges = []
            current = person_id
            charges.append(load_charge(fields))
        if charges:
            yield _person(current or "", charges)

    def person(self, person_id: str) -> Person:
        """One person, read back from the store (the same as `people()` yields)."""
        rows = self.store.db.execute(
            f"SELECT fields FROM charge WHERE person_id = ? AND {_GOOD} ORDER BY seq",
            (person_id,),
        )
        return _person(person_id, (load_charge(fields) for (fields,) in rows))


def group_store(store: ChargeStore, file: str) -> StoredGroups:
    """group_charges for a store: identity conflicts found with SQL, nothing held per row."""
    db = store.db
    db.execute("DELETE FROM bad")  # grouping twice gives the same result
    rejects: list[Reject] = []
    for key, value, column, problem, advice in _STORE_CHECKS:
        conflicting = [
            k
            for (k,) in db.execute(
                f"SELECT {key} FROM charge WHERE {_GOOD} GROUP BY {key} "
                f"HAVING COUNT(DISTINCT {value}) > 1"
            )
        ]
        for k in conflicting:
            same = db.execute(
                f"SELECT row, case_number FROM charge WHERE {key} = ? AND {_GOOD} ORDER BY seq",
                (k,),
            ).fetchall()
            rows = [row for row, _ in same]
            reason = f"{problem} (rows {_rows_text(rows)}); {advice}"
            rejects.extend(
                Reject(file=file, row=row, column=column, reason=reason, case_number=case_number)
                for row, case_number in same
            )
        # After the check, like group_charges: a check's groups are found before it rejects.
        db.executemany(
            "INSERT OR IGNORE INTO bad (row) VALUES (?)",
            ((r.row,) for r in rejects),
        )
    rejects.sort(key=lambda r: r.row)
    (people_count,) = db.execute(
        f"SELECT COUNT(DISTINCT person_id) FROM charge WHERE {_GOOD}"
    ).fetchone()
    return StoredGroups(store=store, rejects=rejects, people_count=people_count)
