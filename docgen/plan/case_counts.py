"""The run report's cases by year and by division, counted as planning reads each case once.

A per-case run counts each case that gets documents once: under the latest disposition year of
its convictions with documents (a letter's year column shows that year, or those years), and
under the division its caption names. A bulk run counts Exhibit A's rows instead, one per
conviction: the disposition year the exhibit prints, and the division of the bulk caption.
One counter per year and per division: nothing else grows with the run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

CASE = "case"
CONVICTION = "conviction"  # a bulk run: Exhibit A's rows


@dataclass(slots=True)
class CaseCounts:
    """How many cases (or Exhibit A's convictions, `unit` CONVICTION) fall in each year and
    in each division; a case whose caption names no division counts in `without_division`."""

    unit: str = CASE
    by_year: Counter[int] = field(default_factory=Counter)
    by_division: Counter[str] = field(default_factory=Counter)
    without_division: int = 0

    def add(self, year: int, division: str) -> None:
        self.by_year[year] += 1
        if division:
            self.by_division[division] += 1
        else:
            self.without_division += 1

    @property
    def total(self) -> int:
        return sum(self.by_year.values())

    def years(self) -> list[tuple[int, int]]:
        """(year, count), oldest year first."""
        return sorted(self.by_year.items())

    def divisions(self) -> list[tuple[str, int]]:
        """(division, count), the largest count first; equal counts by name."""
        return sorted(self.by_division.items(), key=lambda item: (-item[1], item[0]))
