"""Group validated charges into people and cases, rejecting rows whose identity conflicts.

A case filed under the wrong person is worse than no filing, so conflicts are rejected, not guessed.

`identity_conflicts` finds the conflicts with SQL on a `ChargeStore` (docgen.plan.admit calls it,
with every other reject of a run) and `group_stored` yields people one at a time, read back from
the store, so a run never holds every charge at once; `group_store` is both, and `group_charges`
the same grouping for a list, with every person at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from docgen.model import Case, ChargeRow, Person, Reject
from docgen.plan.charge_store import ChargeStore, load_charge


@dataclass(slots=True)
class Grouped:
    people: list[Person]  # in order of first appearance in the input
    rejects: list[Reject]


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return shown + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


# The three identity checks, in this order, as (key column, value column,
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
    """One person's charges (in input order) grouped into cases."""
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
    """Grouping of a `ChargeStore`: the rejects, and people read back on demand."""

    store: ChargeStore
    rejects: list[Reject]
    people_count: int

    def people(self) -> Iterator[Person]:
        """Every person, in order of first appearance in the input."""
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


def identity_conflicts(store: ChargeStore, file: str) -> list[Reject]:
    """The rows whose identity conflicts, found with SQL (nothing held per row), sorted by row;
    they are marked bad in the store, so grouping leaves them out."""
    db = store.db
    db.execute("DELETE FROM bad")  # checking twice gives the same result
    rejects: list[Reject] = []
    for key, value, column, problem, advice in _STORE_CHECKS:
        conflicting = [
            k
            for (k,) in db.execute(
                # An empty case number (a record for review) is no case: it joins no one.
                f"SELECT {key} FROM charge WHERE {_GOOD} AND {key} != '' GROUP BY {key} "
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
        # A check's groups are all found before its rows are marked bad.
        db.executemany(
            "INSERT OR IGNORE INTO bad (row) VALUES (?)",
            ((r.row,) for r in rejects),
        )
    rejects.sort(key=lambda r: r.row)
    return rejects


def group_stored(store: ChargeStore, rejects: list[Reject] | None = None) -> StoredGroups:
    """The store's rows not marked bad, as people read on demand."""
    (people_count,) = store.db.execute(
        f"SELECT COUNT(DISTINCT person_id) FROM charge WHERE {_GOOD}"
    ).fetchone()
    return StoredGroups(store=store, rejects=rejects or [], people_count=people_count)


def group_store(store: ChargeStore, file: str) -> StoredGroups:
    """Identity conflicts rejected, then the rest grouped: people read on demand."""
    return group_stored(store, identity_conflicts(store, file))


def group_charges(charges: Iterable[ChargeRow], file: str) -> Grouped:
    """Group a list of charges (a petition, signed letters, tests): the store's grouping, every
    person read back at once. Runs of any size use `group_store` and read people one at a time."""
    grouped = group_store(ChargeStore(charges), file)
    return Grouped(people=list(grouped.people()), rejects=grouped.rejects)
