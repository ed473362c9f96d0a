"""Synthetic demo data: deterministic, realistic in shape, and always valid."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.demo.synth import pack_synth, synth_rows, write_csv
from docgen.demo.synth_tables import LONG_HYPHENATED, SPECIAL_NAMES, STATUTES
from docgen.model import ALL_COLUMNS
from docgen.packs import load_pack
from docgen.plan.accepts import SynthPlace
from docgen.plan.validate import validate_table
from docgen.readers import read_table
from tests.paths import FIXTURES, REPO_ROOT

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


# ---- the court's own places: [accepts.synth] in each pack, never Cook's lists in Python ----

COOK_NAMES = re.compile(r"(?i)\bChicago\b|\bCook County\b|MUNICIPAL DEPARTMENT|\bEvanston\b")


def test_without_a_pack_synth_writes_il_cooks_rows():
    assert synth_rows(30, seed=2) == synth_rows(30, seed=2, synth=pack_synth("il-cook"))


def test_will_rows_are_will_countys_own():
    synth = pack_synth("il-will")
    rows = synth_rows(200, seed=7, synth=synth)
    places = {synth.city.name, *(t.name for t in synth.towns)}
    assert {r["city"] for r in rows if r["city"]} == places
    assert {"Joliet", "Bolingbrook", "Naperville", "Plainfield", "Romeoville"} <= places
    assert {r["arresting_agency"] for r in rows} == set(synth.arresting_agencies())
    assert {"Will County Sheriff's Office", "Illinois State Police"} <= set(
        r["arresting_agency"] for r in rows
    )
    zips = {z for place in (synth.city, *synth.towns) for z in place.zips}
    assert {r["postal_code"] for r in rows if r["postal_code"]} <= zips
    assert {r["court_division"] for r in rows} == {"CRIMINAL DIVISION"}
    assert not [r for r in rows if COOK_NAMES.search(",".join(r.values()))]


def test_the_will_fixture_names_nothing_of_cook_county():
    text = (FIXTURES / "il-will-input.csv").read_text(encoding="utf-8")
    assert not COOK_NAMES.search(text)
    assert "Joliet Police Department" in text and "Will County Sheriff's Office" in text


def test_the_places_are_the_packs_data_not_code():
    # Another court's data, made up here: every place, agency and division comes from it.
    place = SynthPlace(name="Springfield", zips=["62701"], streets=["Main St"], police="SPD")
    synth = pack_synth("il-will").model_copy(
        update={
            "city": place,
            "towns": [place.model_copy(update={"name": "Chatham", "police": "CPD"})],
            "sheriff": "Sangamon County Sheriff's Office",
            "division": "MISDEMEANOR DIVISION",
            "felony_division": "FELONY DIVISION",
        }
    )
    rows = synth_rows(80, seed=3, synth=synth)
    assert {r["city"] for r in rows if r["city"]} == {"Springfield", "Chatham"}
    assert {r["arresting_agency"] for r in rows} <= set(synth.arresting_agencies())
    assert {r["court_division"] for r in rows} == {"MISDEMEANOR DIVISION", "FELONY DIVISION"}


def test_synth_raw_takes_the_pack(tmp_path):
    out = tmp_path / "raw.csv"
    args = ["synth", "--raw", "--pack", "il-will", "--cases", "20", "--seed", "4"]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert not COOK_NAMES.search(text) and "Joliet" in text
    assert re.search(r"\b(?:19|20)\d\d(?:CF|CM)\d{6}\b", text)


# ---- every shipped pack can be synthesised, and its own generate takes every row ----


def _shipped_packs() -> list[str]:
    return sorted(p.parent.name for p in (REPO_ROOT / "templates").glob("*/pack.toml"))


@pytest.mark.parametrize("pack_name", _shipped_packs())
def test_synth_for_every_pack_is_generated_without_rejects(pack_name, tmp_path):
    demo = tmp_path / "demo.csv"
    runner = CliRunner()
    args = ["synth", "--pack", pack_name, "--cases", "5", "--seed", "3", "--out", str(demo)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(demo.read_text(encoding="utf-8").splitlines()))
    state = load_pack(pack_name).config.pack.state
    assert {r["state"] for r in rows if r["state"]} == {state}
    out = tmp_path / "out"
    args = ["generate", str(demo), "--pack", pack_name, "--date", "2026-12-01", "--formats"]
    args += ["docx", "--workers", "1", "--quiet", "--run-id", "r", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"{len(rows)} rows = " in result.output and " + 0 rejected" in result.output
    rejects = (out / "r" / "rejects.csv").read_text(encoding="utf-8").splitlines()
    assert len(rejects) <= 1  # the header only
    assert list((out / "r").rglob("*.docx")), "no document"


def test_synth_raw_refuses_a_pack_of_another_state(tmp_path):
    out = tmp_path / "raw.csv"
    args = ["synth", "--raw", "--pack", "ca-sacramento", "--cases", "3", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "--raw writes IL raw records" in result.output and "CA court" in result.output
    assert not out.exists()


@pytest.mark.parametrize("pack_name", ["ca-los-angeles", "ca-sacramento"])
def test_california_rows_give_each_charge_a_determination_that_fits_it(pack_name):
    """The fictional California rows drew a determination and a reason regardless of the charge:
    "reduce" of an infraction (the letter then said "Reduce to a misdemeanor" of it), "Other H&S
    11357 subdivision" of an 11359, "Not before 9 November 2016" of a 2010 conviction. A reason
    now fits its charge (the layout's [accepts.synth.determinations] reasons tables)."""
    pack = load_pack(pack_name)
    rows = synth_rows(150, 11, pack_synth(pack_name))
    assert pack.config.pack.state == "CA"
    assert any(r["determination"] == "reduce" for r in rows)
    for r in rows:
        if r["determination"] == "reduce":
            assert r["offense_class"] == "Felony", r["statute"]
        if r["reason"].startswith("Other H&S 11357 subdivision"):
            assert r["statute"].startswith("11357")
        if r["reason"].startswith("Prior superstrike"):
            assert re.match(r"^1135[89]|^11360", r["statute"]) and r["offense_class"] == "Felony"
        if r["reason"].startswith("Not before 9 November 2016"):
            assert r["disposition_date"] > "2016-11-09"
        if r["reason"].startswith("Possession under H&S 11357(a) or (b)"):
            assert re.match(r"^11357\((?:A|B)\)", r["statute"])
