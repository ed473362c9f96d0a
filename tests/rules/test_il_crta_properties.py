"""il-crta properties (Hypothesis): a charge's determination depends on its own record and the
records associated with it, never on the order of the rows, and never on another person's
records, even one with the same case number or arrest date."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.rules.engine import load_rule_set
from docgen.rules.il_crta import determine_file, determine_records, load_config
from docgen.rules.il_crta.records import RAW_COLUMN_ORDER, RawRecord, ReadResult
from docgen.rules.il_crta.synth import raw_rows

CONFIG = load_config(load_rule_set("il-crta").config)
AS_OF = date(2026, 12, 1)

STATUTES = (
    ("720 ILCS 550/4(a)", "Class C misdemeanor"),
    ("720 ILCS 550/4(c)", "Class A misdemeanor"),
    ("720 ILCS 550/4(d)", "Class 4 felony"),
    ("720 ILCS 550/4(e)", "Class 3 felony"),
    ("720 ILCS 550/5(b)", "Class A misdemeanor"),
    ("720 ILCS 550/5(c)", "Class 4 felony"),
    ("720 ILCS 550/7(b)", "Class 3 felony"),
    ("720 ILCS 5/12-3.2(a)(1)", "Class A misdemeanor"),
    ("720 ILCS 570/402(c)", "Class 4 felony"),
    ("720 ILCS 5/21-1(a)(1)", "Class 4 felony"),
    ("720 ILCS 5/21-1(a)(1)", None),
)
DISPOSITIONS = tuple(CONFIG.dispositions)
PEOPLE = ("P1", "P2", "P3")
CASES = ("C1", "C2", "C3")
ARRESTS = (
    date(1972, 1, 1),
    date(1999, 5, 5),
    date(2012, 3, 3),
    date(2019, 6, 25),
    date(2021, 1, 1),
)


@st.composite
def records(draw: st.DrawFn, people: tuple[str, ...] = PEOPLE) -> dict:
    statute, offense_class = draw(st.sampled_from(STATUTES))
    arrest = draw(st.sampled_from((None, *ARRESTS)))
    disposed = (arrest or date(2000, 1, 1)) + timedelta(days=draw(st.integers(0, 400)))
    return {
        "person_id": draw(st.sampled_from(people)),
        "last_name": "Doe",
        "first_name": "Jan",
        "date_of_birth": draw(st.sampled_from((date(1950, 1, 1), date(1996, 1, 1)))),
        "case_number": draw(st.sampled_from(CASES)),
        "arrest_date": arrest,
        "statute": statute,
        "offense_description": "Possession of cannabis",
        "offense_class": offense_class,
        "amount_grams": draw(
            st.one_of(st.none(), st.sampled_from((2.0, 30.0, 30.5, 499.0, 800.0)))
        ),
        "disposition": draw(st.sampled_from(DISPOSITIONS)),
        "disposition_date": disposed,
        "enhancement_550_7": draw(st.booleans()),
    }


def judged(rows: list[RawRecord], unreadable: list[tuple[int, str, str]] = ()) -> dict[int, tuple]:
    read = ReadResult("raw.csv", len(rows), rows, [], unreadable=list(unreadable))
    result = determine_records(read, CONFIG, AS_OF)
    return {d.row: (d.outcome, d.rule, d.reason) for d in result.determinations}


def numbered(values: list[dict]) -> list[RawRecord]:
    return [RawRecord(row=i + 2, **v) for i, v in enumerate(values)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_determinations_never_depend_on_row_order(values: list[dict], rnd: random.Random) -> None:
    rows = numbered(values)
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert judged(shuffled) == judged(rows)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(records(), min_size=1, max_size=10),
    st.lists(records(people=("OTHER",)), min_size=1, max_size=4),
    st.randoms(use_true_random=False),
)
def test_another_persons_records_change_nothing(
    values: list[dict], others: list[dict], rnd: random.Random
) -> None:
    rows = numbered(values)
    before = judged(rows)
    # The other person's records may share case numbers and arrest dates with this file.
    extra = [RawRecord(row=100 + i, **v) for i, v in enumerate(others)]
    mixed = rows + extra
    rnd.shuffle(mixed)
    after = judged(mixed, unreadable=[(200, "OTHER", "C1")])
    assert {row: after[row] for row in before} == before


def test_a_shuffled_file_gets_the_same_determinations(tmp_path: Path) -> None:
    """The same property through the reader: the synthetic file, written in two orders."""
    rows = raw_rows(80, seed=23)
    shuffled = list(rows)
    random.Random(5).shuffle(shuffled)
    config = load_rule_set("il-crta").config
    results = []
    for name, ordered in (("a.csv", rows), ("b.csv", shuffled)):
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(RAW_COLUMN_ORDER))
            writer.writeheader()
            writer.writerows(ordered)
        result = determine_file(path, config, AS_OF, None)
        # Key by the row's content; reasons name row numbers, which differ between the files.
        results.append(
            sorted(
                (tuple((k, v) for k, v in c.items() if k != "reason"), d.rule)
                for c, d in zip(result.canonical_rows, result.determinations, strict=True)
            )
        )
    assert results[0] == results[1]
    assert len(results[0]) == len(rows)


LENIENT = load_config(
    {
        **load_rule_set("il-crta").config,
        "motion": {
            **load_rule_set("il-crta").config["motion"],
            "exclude_violent_associated": False,
            "exclude_enhanced": False,
        },
    }
)


@settings(max_examples=200, deadline=None)
@given(st.lists(records(), min_size=1, max_size=12), st.sampled_from((CONFIG, LENIENT)))
def test_every_record_gets_one_determination_with_a_reason(values: list[dict], config) -> None:
    rows = numbered(values)
    read = ReadResult("raw.csv", len(rows), rows, [])
    result = determine_records(read, config, AS_OF)
    assert [d.row for d in result.determinations] == [r.row for r in rows]
    for decision, canonical in zip(result.determinations, result.canonical_rows, strict=True):
        assert decision.outcome in {
            "vacate_expunge",
            "automatic_expungement",
            "not_eligible",
            "needs_review",
        }
        assert decision.reason and canonical["reason"] == decision.reason
        assert canonical["determination"] == decision.outcome
        # Relief only when every test of the route taken passed (none failed or undecided).
        route_tests = {
            "minor_offense_conviction": {
                "cannabis_section",
                "no_550_7_enhancement",
                "no_associated_violent_crime",
                "conviction_on_record",
                "within_minor_amount",
                "offense_before_cutoff",
            },
            "motion_route_conviction": {
                "cannabis_section",
                "conviction_on_record",
                "motion_class_allowed",
                "within_motion_amount",
                "offense_in_motion_window",
            },
        }
        if decision.outcome == "automatic_expungement":
            assert all(c.passed for c in decision.checks)
        elif decision.outcome == "vacate_expunge":
            needed = route_tests[decision.rule]
            assert {c.test for c in decision.checks if c.passed} >= needed
