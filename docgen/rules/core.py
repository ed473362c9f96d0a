"""Types every rule set shares: a legal test's outcome, and a conviction's determination.

A rule set (rules/<name>/ holds its configuration, docgen/rules/<name>.py or a package its tests)
turns raw records into `Determination`s. Each legal test is a small named function returning a
`Check` whose reason cites the statute; the determination keeps the whole chain so a reviewer sees
why a conviction was or was not eligible. `docgen determine` writes determinations in the canonical
input format (docgen/model.py) plus the reason; the review report reads the chains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for RuleSetResult.rejects' annotation
    from docgen.model import Reject


@dataclass(frozen=True, slots=True)
class Check:
    """One legal test applied to one record."""

    test: str  # the test's name, e.g. "before_prop64_cutoff"
    passed: bool
    reason: str  # a plain sentence, e.g. "Convicted on 2015-05-19, before 9 November 2016"
    citation: str = ""  # e.g. "Health & Saf. Code § 11361.8(a)"


@dataclass(frozen=True, slots=True)
class Determination:
    """The outcome for one raw record (one charge/count) and the tests that led to it."""

    row: int  # row number in the raw input (header is row 1)
    person_id: str
    case_number: str
    outcome: str  # a value of docgen.model.DETERMINATIONS
    reason: str  # the deciding reason, citing the law
    checks: tuple[Check, ...] = field(default=())
    needs_review: bool = False  # someone must look before a filing
    rule: str = ""  # the deciding rule (e.g. the flow outcome's id), for counts per rule
    statute: str = ""  # the code section judged, e.g. "11359 HS"


@dataclass(slots=True)
class RuleSetResult:
    """What a rule set returns for one raw file.

    `canonical_rows` are rows of the canonical input format (keys: docgen.model.ALL_COLUMNS; the
    `reason` column carries the determination's reason) in input order, ready for
    `docgen generate`. `determinations` has one entry per record the rule set decided (for the
    review report). `rejects` are raw rows that could not be read, each with file, row, column and
    reason (never the cell's value). `context_rows` counts rows that are part of a record but not
    decided themselves (e.g. arrest events in a DOJ file), so every input row is accounted for:
    rows = decided + rejects + context_rows.
    """

    canonical_rows: list[dict[str, str]] = field(default_factory=list)
    determinations: list[Determination] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    context_rows: int = 0
    blank_rows: int = 0  # rows with no data at all: rows = decided + rejects + context + blank
    # One-cell rows above the column names (a title or a note: "DOJ export 2026-11-01"), by row
    # number: not records and not input rows, but reported, as `generate` reports them.
    title_rows: list[int] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # e.g. mode, county, flow (for reports)


# A rule set is a module exposing:
#     def determine_file(path: Path, config: dict, as_of: date, county: str | None) -> RuleSetResult
# where `config` is the parsed rules/<name>/rules.toml. The engine (docgen/rules/engine.py) finds
# the module from the rules.toml key `module = "docgen.rules.<module>"`.
