"""The run report's cases by year and by division (docgen.plan.case_counts), counted in
planning's one pass, checked against what the planned documents themselves print: each per-case
motion's caption division and the dates in its charges table; a bulk motion's Exhibit A rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from docgen.demo.synth import synth_rows, write_csv
from docgen.packs import load_pack
from docgen.pipeline import RunOptions, validate_input
from docgen.plan.case_counts import CASE, CONVICTION, CaseCounts
from docgen.plan.planner import plan_documents
from tests.conftest import RUN_DATE


def _plan(tmp_path: Path, pack_name: str, cases: int):
    pack = load_pack(pack_name)
    path = tmp_path / f"{pack_name}.csv"
    write_csv(synth_rows(cases, seed=11, synth=pack.config.accepts.synth), path)
    validation = validate_input(RunOptions(path, pack_name, RUN_DATE, tmp_path / "out"), pack)
    return plan_documents(pack, validation, RUN_DATE)


def test_per_case_counts_are_the_motions_captions_and_latest_disposition_years(
    tmp_path: Path,
) -> None:
    plan = _plan(tmp_path, "il-cook", 120)
    years: Counter[int] = Counter()
    divisions: Counter[str] = Counter()
    for spec in plan.specs:
        if spec.kind != "motion":
            continue
        divisions[spec.context["caption"]["division"]] += 1
        # The charges table's disposition cell: "Guilty plea, 06/22/2004".
        years[max(int(row[3][-4:]) for row in spec.context["charges"]["rows"])] += 1
    counts = plan.case_counts
    assert counts.unit == CASE
    assert counts.total == plan.cases == sum(divisions.values()) > 50
    assert len(divisions) > 1 and len(years) > 1  # the synth spreads cases over both
    assert dict(counts.by_division) == dict(divisions)
    assert dict(counts.by_year) == dict(years)
    assert counts.without_division == 0  # Cook's captions always name one


def test_bulk_counts_are_exhibit_a_rows(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "il-will", 60)
    motion = next(spec for spec in plan.specs if spec.kind == "bulk-motion")
    rows = motion.context["exhibit_rows"]  # number, case, name, birth, statute, date, ...
    counts = plan.case_counts
    assert counts.unit == CONVICTION
    assert counts.total == len(rows) == plan.rows_in_documents > plan.cases
    assert dict(counts.by_year) == dict(Counter(int(r[5][-4:]) for r in rows))
    assert counts.divisions() == [(motion.context["caption"]["division"], len(rows))]


def test_orders_years_oldest_first_and_divisions_largest_first() -> None:
    counts = CaseCounts()
    for year, division in [(2012, "B"), (2010, "C"), (2012, "C"), (2011, ""), (2010, "A")]:
        counts.add(year, division)
    assert counts.years() == [(2010, 2), (2011, 1), (2012, 2)]
    assert counts.divisions() == [("C", 2), ("A", 1), ("B", 1)]  # equal counts by name
    assert (counts.total, counts.without_division) == (5, 1)
