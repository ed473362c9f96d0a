"""Validated charges kept on disk, so a run's memory does not grow with its input.

A `ChargeStore` is a private temporary SQLite database (`sqlite3.connect("")`: SQLite creates
an owner-only file, unlinks it, and drops it when the connection closes; only its page cache,
a few MB, is in memory). Each charge is one table row: the fields grouping compares, as columns,
and the whole charge as compact JSON, read back into a `ChargeRow` only when a person is needed.

It behaves like the list of charges it replaces: `len`, iteration and indexing in input order,
and equality with a list (tests compare `result.charges == [...]`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, overload

from docgen.model import ChargeRow

_SCHEMA = """
CREATE TABLE charge (
    seq INTEGER PRIMARY KEY,   -- input order
    row INTEGER NOT NULL,
    person_id TEXT NOT NULL,
    case_number TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    determination TEXT NOT NULL,
    charge_key BLOB NOT NULL,  -- digest of what makes two rows the same charge
    fields TEXT NOT NULL       -- the ChargeRow as JSON (its set fields)
);
CREATE INDEX charge_person ON charge (person_id, seq);
CREATE INDEX charge_case ON charge (case_number);
CREATE INDEX charge_key ON charge (charge_key);
CREATE TABLE seen (key BLOB PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE bad (row INTEGER PRIMARY KEY);
"""


def _digest(values: Iterable[Any]) -> bytes:
    # Dates as ISO text: equal digests <=> equal values (each position holds one type).
    text = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).digest()


def charge_key(charge: ChargeRow) -> bytes:
    """One charge: person, case, statute, offense, class, disposition and its date."""
    return _digest(
        (
            charge.person_id,
            charge.case_number,
            charge.statute,
            charge.offense_description,
            charge.offense_class,
            charge.disposition,
            charge.disposition_date,
        )
    )


def duplicate_key(charge: ChargeRow) -> bytes:
    """Every field but the row number: two rows with the same key are the same row twice."""
    return _digest(charge.model_dump(exclude={"row"}).values())


def load_charge(fields: str) -> ChargeRow:
    return ChargeRow.model_validate(json.loads(fields))


class ChargeStore:
    """Validated charges in input order, on disk."""

    def __init__(self, charges: Iterable[ChargeRow] = ()) -> None:
        # check_same_thread=False: the service validates in one thread and runs in another;
        # a store is used by one thread at a time.
        self.db = sqlite3.connect("", check_same_thread=False)
        self.db.executescript(_SCHEMA)
        self._count = 0
        for charge in charges:
            self.add(charge)

    def add(self, charge: ChargeRow) -> None:
        self.db.execute(
            "INSERT INTO charge (row, person_id, case_number, date_of_birth, determination, "
            "charge_key, fields) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                charge.row,
                charge.person_id,
                charge.case_number,
                charge.date_of_birth.isoformat(),
                charge.determination,
                charge_key(charge),
                charge.model_dump_json(exclude_unset=True),
            ),
        )
        self._count += 1

    def first_row_with(self, key: bytes, row: int) -> int:
        """The first row seen with `key` (this `row` when it is the first)."""
        cursor = self.db.execute("INSERT OR IGNORE INTO seen (key, row) VALUES (?, ?)", (key, row))
        if cursor.rowcount:
            return row
        first: int
        (first,) = self.db.execute("SELECT row FROM seen WHERE key = ?", (key,)).fetchone()
        return first

    def close(self) -> None:
        self.db.close()

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[ChargeRow]:
        # A cursor of its own: other queries may run while this one is iterated.
        for (fields,) in self.db.execute("SELECT fields FROM charge ORDER BY seq"):
            yield load_charge(fields)

    @overload
    def __getitem__(self, index: int) -> ChargeRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[ChargeRow]: ...
    def __getitem__(self, index: int | slice) -> ChargeRow | list[ChargeRow]:
        if isinstance(index, slice):
            return list(self)[index]
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError("charge index out of range")
        (fields,) = self.db.execute(
            "SELECT fields FROM charge ORDER BY seq LIMIT 1 OFFSET ?", (position,)
        ).fetchone()
        return load_charge(fields)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ChargeStore | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like the list it stands for


def count_determinations(charges: ChargeStore | Iterable[ChargeRow]) -> Counter[str]:
    """How many charges have each determination (a store counts without reading its rows)."""
    if isinstance(charges, ChargeStore):
        query = "SELECT determination, COUNT(*) FROM charge GROUP BY determination"
        return Counter(dict(charges.db.execute(query).fetchall()))
    return Counter(c.determination for c in charges)
