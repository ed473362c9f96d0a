"""docgen's ca-prop64 rule set against gogen's own results on gogen's fixtures.

For each county the test runs `docgen determine` on the DOJ input (cadoj_*.csv) with
--as-of 2019-11-11 (the date gogen's "Years Since This Conviction" column was computed at) and
compares every row with gogen's doj_*_results.csv: the determination (gogen's label mapped by
docgen.readers.gogen.DETERMINATIONS) and the reason (gogen's label for our outcome, from the one table
of outcomes in rules/ca-prop64/rules.toml, `gogen = ...`). A row gogen did not judge must not
be judged by docgen either.

- mode gogen: every row matches (LA 15/15 judged rows, CC 19/19; all 32 and 39 rows agree).
- mode statute (the default): every row that differs is listed in STATUTE_DIFFERENCES with the
  reason docgen is right; nothing else may differ.

Skipped when ../shared/data/gogen is absent (a user's fresh clone); tests/rules/test_ca_prop64.py
covers the same flows with the project's own fixtures.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from docgen.readers.gogen import DETERMINATIONS
from docgen.rules import engine
from tests import paths
from tests.ca_prop64_rows import rules_config

GOGEN = paths.SHARED_GOGEN
AS_OF = date(2019, 11, 11)
COUNTIES = {"LOS ANGELES": "los_angeles", "CONTRA COSTA": "contra_costa"}
LOOKBACK = {"LOS ANGELES": 10, "CONTRA COSTA": 5}

pytestmark = pytest.mark.skipif(
    not (GOGEN / "cadoj_los_angeles.csv").is_file(), reason="../shared/data/gogen is absent"
)

# (county, row) -> (gogen's determination/reason, ours, why docgen is right). Rows are file rows
# (header = row 1).
STATUTE_DIFFERENCES: dict[tuple[str, int], tuple[str, str, str]] = {
    ("LOS ANGELES", 21): (
        "Not eligible / Occurred after 11/09/2016",
        "needs_review / offense-date-unknown",
        "Convicted 2017-03-12 with no offense date in the record; H&S 11361.8(e) asks about the "
        "offense, which may predate 9 Nov 2016 (gogen-flows.md 4.1)",
    ),
    ("LOS ANGELES", 22): (
        "Not eligible / PC 667(e)(2)(c)(iv)",
        "reduce / recent-convictions-reduce",
        "The 220 PC superstrike was convicted the same day (1998-05-04), so it is not a prior; "
        "the exception in H&S 11358(d)(1) is for priors (gogen-flows.md 4.5)",
    ),
    ("LOS ANGELES", 30): (
        "Not eligible / PC 667(e)(2)(c)(iv)",
        "dismiss_seal / no-recent-convictions",
        "The 187 PC conviction is the same day (1991-04-11), not a prior (gogen-flows.md 4.5)",
    ),
    ("CONTRA COSTA", 22): (
        "Not eligible / Occurred after 11/09/2016",
        "needs_review / offense-date-unknown",
        "Convicted 2017-03-12, offense date unknown (gogen-flows.md 4.1)",
    ),
    ("CONTRA COSTA", 28): (
        "Maybe Eligible - Flag for Review / Has convictions in past 5 years",
        "not_eligible / prior-superstrike",
        "11359 in 2015 after a 1998 220 PC superstrike: it remains a felony under H&S "
        "11359(c)(1), so there is nothing to reduce (gogen-flows.md 4.5; Contra Costa's flow "
        "never used superstrikes)",
    ),
    ("CONTRA COSTA", 38): (
        "Eligible for Dismissal / 4149 BP",
        "needs_review / related-without-prop64",
        "The cycle's only Prop 64 row is an arrest with no conviction; a 'related' dismissal "
        "needs a Prop 64 conviction in the case (gogen-flows.md 4.10)",
    ),
    ("CONTRA COSTA", 40): (
        "Eligible for Dismissal / 148 PC",
        "needs_review / related-without-prop64",
        "The cycle's 11358 charge was dismissed, not a conviction (gogen-flows.md 4.10)",
    ),
}


def _gogen_rows(county: str) -> dict[int, tuple[str, str]]:
    path = GOGEN / f"doj_{COUNTIES[county]}_results.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {
        i: (r["Eligibility Determination"], r["Eligibility Reason"])
        for i, r in enumerate(rows, start=2)
    }


def _compare(county: str, mode: str) -> tuple[int, int, dict[int, tuple[str, str]]]:
    """(matching judged rows, judged rows in gogen, {row: (gogen, ours)} for the others)."""
    outcomes = rules_config()["outcomes"]
    result = engine.determine(
        GOGEN / f"cadoj_{COUNTIES[county]}.csv", "ca-prop64", AS_OF, county, mode
    )
    ours = {d.row: d for d in result.determinations}
    matched, judged, differ = 0, 0, {}
    for row, (g_det, g_reason) in _gogen_rows(county).items():
        d = ours.get(row)
        if not g_det and d is None:
            continue
        judged += 1 if g_det else 0
        label = (
            outcomes[d.rule]
            .get("gogen", "")
            .format(lookback_years=LOOKBACK[county], related_code=d.statute)
            if d
            else ""
        )
        if d and DETERMINATIONS.get(g_det.lower()) == d.outcome and label == g_reason:
            matched += 1
        else:
            differ[row] = (f"{g_det} / {g_reason}", f"{d.outcome} / {d.rule}" if d else "-")
    return matched, judged, differ


@pytest.mark.parametrize("county", sorted(COUNTIES))
def test_gogen_mode_reproduces_gogen_row_for_row(county: str) -> None:
    matched, judged, differ = _compare(county, "gogen")
    assert differ == {}
    assert matched == judged == {"LOS ANGELES": 15, "CONTRA COSTA": 19}[county]


@pytest.mark.parametrize("county", sorted(COUNTIES))
def test_statute_mode_differs_only_where_listed(county: str) -> None:
    matched, judged, differ = _compare(county, None)
    expected = {
        row: (g, ours) for (c, row), (g, ours, _why) in STATUTE_DIFFERENCES.items() if c == county
    }
    assert differ == expected
    assert matched == judged - len(expected)


def test_cli_results_carry_the_same_determinations(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docgen.cli import app

    out = tmp_path / "results.csv"
    args = ["determine", str(GOGEN / "cadoj_los_angeles.csv"), "--rules", "ca-prop64"]
    args += ["--county", "LOS ANGELES", "--as-of", "2019-11-11", "--mode", "gogen"]
    run = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert run.exit_code == 0, run.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        ours = [r["determination"] for r in csv.DictReader(fh)]
    gogen = [DETERMINATIONS[d.lower()] for d, _ in _gogen_rows("LOS ANGELES").values() if d]
    assert ours == gogen
