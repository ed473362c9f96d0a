"""Synthetic demo data: deterministic, realistic in shape, and always valid."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from docgen.demo.synth import LONG_HYPHENATED, SPECIAL_NAMES, STATUTES, synth_rows, write_csv
from docgen.model import ALL_COLUMNS
from docgen.plan.validate import validate_table
from docgen.readers import read_table

AS_OF = date(2026, 12, 1)
CASE_NUMBER = re.compile(r"(\d{4})-(CR|MC[1-6])-\d{7}")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return synth_rows(600, seed=11)


def test_same_seed_same_rows_other_seed_other_rows():
    assert synth_rows(40, seed=3) == synth_rows(40, seed=3)
    assert synth_rows(40, seed=3) != synth_rows(40, seed=4)


def test_case_count_and_columns(rows):
    assert len({r["case_number"] for r in rows}) == 600
    assert all(list(r) == list(ALL_COLUMNS) for r in rows)
    assert len(synth_rows(1, seed=5)) in (1, 2, 3)
    assert synth_rows(0, seed=5) == []


def test_every_row_validates_cleanly(rows, tmp_path):
    path = tmp_path / "demo.csv"
    write_csv(rows, path)
    result = validate_table(read_table(path), as_of=AS_OF)
    assert result.rejects == []
    assert len(result.charges) == len(rows) == result.input_rows
    assert result.blank_rows == 0
    # Unicode survives the round trip
    names = {c.last_name for c in result.charges}
    assert {"Núñez-García", "Nguyễn", "李", "O'Brien", LONG_HYPHENATED} <= names


def test_small_run_has_all_special_names():
    rows = synth_rows(60, seed=1)
    full = {(r["first_name"], r["last_name"]) for r in rows}
    for special in SPECIAL_NAMES:
        assert (special["first_name"], special["last_name"]) in full
    assert len(LONG_HYPHENATED) == 60


def test_shape_of_the_data(rows):
    people: dict[str, set[str]] = {}
    charges_per_case = Counter(r["case_number"] for r in rows)
    for r in rows:
        people.setdefault(r["person_id"], set()).add(r["case_number"])
    multi = sum(1 for cases in people.values() if len(cases) > 1) / len(people)
    assert 0.08 <= multi <= 0.22
    assert set(charges_per_case.values()) == {1, 2, 3}

    first_rows = {r["person_id"]: r for r in reversed(rows)}.values()
    spanish = sum(r["language"] == "es" for r in first_rows) / len(people)
    assert 0.12 <= spanish <= 0.30
    no_address = sum(r["address_line1"] == "" for r in first_rows) / len(people)
    assert 0.01 <= no_address <= 0.10

    dets = Counter(r["determination"] for r in rows)
    assert set(dets) == {"vacate_expunge", "not_eligible", "needs_review"}
    assert 0.6 <= dets["vacate_expunge"] / len(rows) <= 0.8
    assert all(r["reason"] for r in rows)


def test_values_are_plausible(rows):
    statutes = {s for s, _, _ in STATUTES}
    felony_cases = {r["case_number"] for r in rows if r["offense_class"] == "Class 4 felony"}
    for r in rows:
        assert r["statute"] in statutes
        m = CASE_NUMBER.fullmatch(r["case_number"])
        assert m, "case number format"
        felony = m.group(2) == "CR"
        assert (r["case_number"] in felony_cases) == felony
        assert r["court_division"] == (
            "COUNTY DEPARTMENT, CRIMINAL DIVISION"
            if felony
            else f"MUNICIPAL DEPARTMENT, {r['court_division'].split(', ')[1]}"
        )
        dispo = date.fromisoformat(r["disposition_date"])
        arrest = date.fromisoformat(r["arrest_date"])
        dob = date.fromisoformat(r["date_of_birth"])
        assert date(1995, 1, 1) <= dispo <= date(2018, 12, 31)
        assert 0 <= (dispo - arrest).days <= 240
        assert int(m.group(1)) == arrest.year
        age = (arrest - dob).days / 365.25
        assert 18 <= age <= 40.5
        if r["postal_code"]:
            assert r["state"] == "IL" and r["city"]
            assert (r["city"] == "Chicago") == r["postal_code"].startswith("606")
        assert r["arresting_agency"]
    assert {r["offense_class"] for r in rows} >= {
        "Class C misdemeanor",
        "Class B misdemeanor",
        "Class A misdemeanor",
        "Class 4 felony",
    }


def test_charges_in_a_case_share_person_and_dates(rows):
    by_case: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_case.setdefault(r["case_number"], []).append(r)
    for charges in by_case.values():
        keys = {
            (c["person_id"], c["disposition_date"], c["arrest_date"], c["court_division"])
            for c in charges
        }
        assert len(keys) == 1
        assert len({c["statute"] for c in charges}) == len(charges)


def test_person_identity_is_consistent(rows):
    identity: dict[str, tuple[str, ...]] = {}
    for r in rows:
        ident = (r["last_name"], r["first_name"], r["date_of_birth"], r["address_line1"])
        assert identity.setdefault(r["person_id"], ident) == ident
