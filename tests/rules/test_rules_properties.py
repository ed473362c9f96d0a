"""Properties of ca-prop64 determinations (Hypothesis).

- Default (statute) mode: a person's results never depend on row order, neither between people
  nor within a person (rows are processed in a canonical order; a repeated count's sentence goes
  to its own count).
- gogen mode: shuffling *people* changes nothing; shuffling one person's events may, and that
  is gogen's documented quirk (gogen-flows.md 1 and 4.9: a repeated count's sentence is added to
  whichever conviction is last in file order, and the first convicted row of a count wins), so
  the gogen mode keeps it, to reproduce gogen.
- Either mode: adding records of another person changes nothing for anyone else.

Results are compared by row content (row numbers move when rows move).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.rules.ca_prop64 import determine_file
from tests.ca_prop64_rows import event, rules_config, write_doj

AS_OF = date(2019, 11, 11)
CODES = [
    "11357(A) HS-POSSESS",
    "11357(C) HS-POSSESS",
    "11358 HS-CULTIVATE",
    "11359 HS-SALE",
    "11360 HS-TRANSPORT",
    "664/11359 HS-ATTEMPT",
    "187 PC-MURDER",
    "314(1) PC-EXPOSURE",
    "459 PC-BURGLARY",
    "4149 BP-NEEDLES",
    "148 PC-RESIST",
    "4060 BP-CTRL SUBST",
]
DATES = ["19950301", "20050615", "20100101", "20140101", "20161201", "20180505"]

event_fields = st.fixed_dictionaries(
    {
        # Few cycles and counts, so repeated counts (gogen's order-dependent case) are common.
        "cycle": st.sampled_from(["101", "102"]),
        "count": st.sampled_from(["001000", "002000"]),
        "date": st.sampled_from(DATES),
        "offense": st.sampled_from(CODES),
        "disposition": st.sampled_from(["CONVICTED-PROBATION", "CONVICTED-JAIL", "DISMISSED"]),
        "level": st.sampled_from(["FELONY", "MISDEMEANOR"]),
        "county": st.sampled_from(["LOS ANGELES", "CONTRA COSTA", "LOS ANGELES", "YOLO"]),
        "sentence": st.sampled_from(["", "6", "2", "10"]),
        "unit": st.sampled_from(["M", "Y", "D"]),
        "kind": st.sampled_from(["COURT ACTION", "COURT ACTION", "ARREST/DETAINED/CITED"]),
        "cycle_date": st.sampled_from(["", "20150101", "20170101"]),
    }
)
people = st.lists(st.lists(event_fields, min_size=1, max_size=5), min_size=1, max_size=5)


def rows_of(person_id: str, events: list[dict[str, str]]) -> list[dict[str, str]]:
    return [
        event(
            person_id,
            e["cycle"] + "001" + e["count"],
            e["date"],
            e["offense"],
            disposition=e["disposition"],
            level=e["level"],
            county=e["county"],
            sentence=e["sentence"],
            unit=e["unit"],
            kind=e["kind"],
            cycle_date=e["cycle_date"],
            ofn="C" + e["cycle"],
        )
        for e in events
    ]


def results(rows: list[dict[str, str]], county: str, mode: str | None) -> Counter:
    """Counter of (row content, outcome, rule, reason): independent of row positions."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_doj(Path(folder) / "doj.csv", rows)
        result = determine_file(path, rules_config(mode), AS_OF, county)
    by_row = {d.row: d for d in result.determinations}
    return Counter(
        (tuple(row.values()), by_row[i].outcome, by_row[i].rule, by_row[i].reason)
        if i in by_row
        else (tuple(row.values()), "", "", "")
        for i, row in enumerate(rows, start=2)
    )


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(people, st.randoms(use_true_random=False), st.sampled_from(["LOS ANGELES", "CONTRA COSTA"]))
def test_statute_mode_ignores_row_order(persons, rng, county) -> None:
    rows = [r for i, events in enumerate(persons) for r in rows_of(str(i), events)]
    shuffled = rows[:]
    rng.shuffle(shuffled)
    assert results(shuffled, county, None) == results(rows, county, None)


@SETTINGS
@given(people, st.randoms(use_true_random=False), st.sampled_from(["LOS ANGELES", "CONTRA COSTA"]))
def test_gogen_mode_ignores_the_order_of_people(persons, rng, county) -> None:
    blocks = [rows_of(str(i), events) for i, events in enumerate(persons)]
    rows = [r for block in blocks for r in block]
    rng.shuffle(blocks)
    # Interleave people too, keeping each person's own events in order.
    queues = [list(b) for b in blocks]
    mixed: list[dict[str, str]] = []
    while any(queues):
        queue = rng.choice([q for q in queues if q])
        mixed.append(queue.pop(0))
    assert results(mixed, county, "gogen") == results(rows, county, "gogen")


@SETTINGS
@given(
    people,
    st.lists(event_fields, min_size=1, max_size=5),
    st.integers(min_value=0, max_value=30),
    st.sampled_from([None, "gogen"]),
)
def test_another_persons_records_change_nothing(persons, stranger, at, mode) -> None:
    rows = [r for i, events in enumerate(persons) for r in rows_of(str(i), events)]
    extra = rows_of("999", stranger)
    at = min(at, len(rows))
    combined = rows[:at] + extra + rows[at:]
    before = results(rows, "LOS ANGELES", mode)
    after = results(combined, "LOS ANGELES", mode)
    stranger_keys = {tuple(r.values()) for r in extra}
    assert Counter({k: n for k, n in after.items() if k[0] not in stranger_keys}) == before


def test_gogen_mode_depends_on_a_persons_event_order(tmp_path: Path) -> None:
    """The documented quirk, pinned: a repeated count's sentence goes to the last conviction."""
    rows = [
        event("1", "101001001000", "20150101", "11359 HS", sentence="1", unit="M"),
        event("1", "101001001000", "20150101", "11359 HS", sentence="10", unit="Y"),
    ]
    single = [rows[0], rows[1]]
    # One conviction: the 10-year repeat row extends it -> sentence not completed.
    got = results(single, "LOS ANGELES", "gogen")
    assert {k[2] for k in got} >= {"sentence-not-completed-reduce"}
    swapped = results([rows[1], rows[0]], "LOS ANGELES", "gogen")
    # Reversed: the 10-year row is the conviction, the 1-month row extends it: still running,
    # but now a different row carries the determination.
    assert got != swapped
    assert results([rows[1], rows[0]], "LOS ANGELES", None) == results(single, "LOS ANGELES", None)
