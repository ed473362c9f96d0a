"""il-crta: every legal test (pass, fail, undecided, with its reason), the raw-file validation,
whole-file determinations on tests/fixtures/il-raw-sample.csv, and the row accounting."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from docgen.errors import DocgenError, MissingColumns
from docgen.plan.validate import validate_table
from docgen.readers import read_table
from docgen.rules.engine import load_rule_set, write_outputs
from docgen.rules.il_crta import determine_file, load_config
from docgen.rules.il_crta.amounts import within_minor_amount, within_motion_amount
from docgen.rules.il_crta.association import no_associated_violent_crime
from docgen.rules.il_crta.config import RuleConfig
from docgen.rules.il_crta.dates import (
    adult_at_arrest,
    arrest_old_enough,
    automatic_due,
    offense_before,
    offense_in_motion_window,
)
from docgen.rules.il_crta.dispositions import conviction_on_record, no_conviction_on_record
from docgen.rules.il_crta.offense_class import motion_class_allowed, parse_offense_class
from docgen.rules.il_crta.records import RAW_COLUMN_ORDER, RawRecord, read_records
from docgen.rules.il_crta.statutes import (
    cannabis_section,
    matches,
    no_enhancement,
    normalise_statute,
)
from tests import paths

FIXTURE = paths.FIXTURES / "il-raw-sample.csv"
AS_OF = date(2026, 12, 1)
CUTOFF = date(2019, 6, 25)


@pytest.fixture(scope="module")
def raw_config() -> dict[str, Any]:
    return load_rule_set("il-crta").config


@pytest.fixture(scope="module")
def cfg(raw_config: dict[str, Any]) -> RuleConfig:
    return load_config(raw_config)


def rec(row: int = 2, **fields: Any) -> RawRecord:
    values: dict[str, Any] = {
        "person_id": "P1",
        "last_name": "Doe",
        "first_name": "Jan",
        "date_of_birth": date(1980, 1, 1),
        "case_number": "2012-MC1-0000001",
        "arrest_date": date(2012, 3, 1),
        "statute": "720 ILCS 550/4(c)",
        "offense_description": "Possession of cannabis",
        "offense_class": "Class A misdemeanor",
        "amount_grams": 20.0,
        "disposition": "conviction",
        "disposition_date": date(2012, 5, 1),
    }
    values.update(fields)
    return RawRecord(row=row, **values)


# ---------------------------------------------------------------- statutes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("720 ILCS 550/4(c)", "720 ILCS 550/4(c)"),
        ("720-550/4(c)", "720 ILCS 550/4(c)"),
        ("720 550/4-C", "720 ILCS 550/4(c)"),
        ("720  ilcs  550/5 (d)", "720 ILCS 550/5(d)"),
        ("720 ILCS 5/12-3.2(a)(1)", "720 ILCS 5/12-3.2(a)(1)"),
        ("Ill. Rev. Stat. ch. 56 1/2, par. 704", "Ill. Rev. Stat. ch. 56 1/2, par. 704"),
    ],
)
def test_statutes_are_read_in_the_forms_extracts_use(text: str, expected: str) -> None:
    assert normalise_statute(text) == expected


def test_statute_prefixes_match_whole_section_numbers() -> None:
    assert matches("720 ILCS 5/12-3.2(a)(1)", "720 ILCS 5/12-3.2")
    assert not matches("720 ILCS 5/12-3.25", "720 ILCS 5/12-3.2")
    assert not matches("720 ILCS 5/12-3.2", "720 ILCS 5/12-3")
    assert not matches("720 ILCS 550/40", "720 ILCS 550/4")


def test_cannabis_section_passes_for_550_4_and_550_5(cfg: RuleConfig) -> None:
    finding, section = cannabis_section(rec(statute="720 ILCS 550/4(b)"), cfg)
    assert (finding.passed, section) == (True, "4")
    assert finding.reason == "Charged under 720 ILCS 550/4"
    finding, section = cannabis_section(rec(statute="720-550/5(c)"), cfg)
    assert (finding.passed, section) == (True, "5")
    assert "720 ILCS 550/5" in finding.reason


def test_cannabis_section_fails_for_trafficking_and_other_acts(cfg: RuleConfig) -> None:
    finding, section = cannabis_section(rec(statute="720 ILCS 550/5.1(a)"), cfg)
    assert section is None and finding.failed
    assert finding.reason == (
        "Charged under 720 ILCS 550/5.1(a), not 720 ILCS 550/4 or 720 ILCS 550/5: "
        "not a cannabis offense under 20 ILCS 2630/5.2(i)"
    )
    finding, _ = cannabis_section(rec(statute="720 ILCS 570/402(c)"), cfg)
    assert finding.failed and "720 ILCS 570/402(c)" in finding.reason


def test_cannabis_section_undecided_for_an_unreadable_cannabis_citation(cfg: RuleConfig) -> None:
    finding, section = cannabis_section(rec(statute="Ill. Rev. Stat. ch. 56 1/2, par. 704"), cfg)
    assert section is None and finding.unknown
    assert "cannot be read as an ILCS citation" in finding.reason
    other, _ = cannabis_section(
        rec(statute="Ill. Rev. Stat. ch. 38, par. 12-3", offense_description="Battery"), cfg
    )
    assert other.failed


def test_no_enhancement(cfg: RuleConfig) -> None:
    assert no_enhancement(rec(), [], cfg).passed
    flagged = no_enhancement(rec(enhancement_550_7=True), [], cfg)
    assert flagged.failed
    assert flagged.reason == (
        "Sentence enhanced under 720 ILCS 550/7: not a minor cannabis offense (20 ILCS 2630/5.2(i))"
    )
    assert flagged.citation == "720 ILCS 550/7"
    charged = no_enhancement(rec(), [rec(row=9, statute="720 ILCS 550/7(b)")], cfg)
    assert charged.failed and "row 9" in charged.reason


# ---------------------------------------------------------------- amounts


def test_within_minor_amount(cfg: RuleConfig) -> None:
    at_limit = within_minor_amount(30.0, cfg)
    assert at_limit.passed and at_limit.reason == "30 g, not more than 30 g (20 ILCS 2630/5.2(i))"
    over = within_minor_amount(30.1, cfg)
    assert over.failed
    assert (
        over.reason == "30.1 g, more than 30 g: not a minor cannabis offense (20 ILCS 2630/5.2(i))"
    )
    missing = within_minor_amount(None, cfg)
    assert missing.unknown and missing.reason.startswith("Amount not recorded")


def test_within_motion_amount(cfg: RuleConfig) -> None:
    assert within_motion_amount(500.0, "4", cfg).passed
    over = within_motion_amount(500.5, "4", cfg)
    assert over.failed and "more than the 500 g" in over.reason
    assert "20 ILCS 2630/5.2(i)(3)" in over.reason
    delivery = within_motion_amount(31.0, "5", cfg)
    assert delivery.failed and "30 g" in delivery.reason and "720 ILCS 550/5" in delivery.reason
    assert within_motion_amount(None, "4", cfg).unknown


# ---------------------------------------------------------------- classes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Class A misdemeanor", "Class A misdemeanor"),
        ("MA", "Class A misdemeanor"),
        ("misd c", "Class C misdemeanor"),
        ("F4", "Class 4 felony"),
        ("CLASS X FELONY", "Class X felony"),
        ("", None),
        ("unknown", None),
    ],
)
def test_offense_classes_are_read(text: str, expected: str | None) -> None:
    assert parse_offense_class(text) == expected


@pytest.mark.parametrize("text", ["4", "A", "felony", "serious"])
def test_ambiguous_offense_classes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="unknown offense class"):
        parse_offense_class(text)


def test_motion_class_allowed(cfg: RuleConfig) -> None:
    felony4 = motion_class_allowed("Class 4 felony", "4", cfg)
    assert felony4.passed and felony4.citation == "20 ILCS 2630/5.2(i)(3)"
    felony3 = motion_class_allowed("Class 3 felony", "4", cfg)
    assert felony3.failed
    assert felony3.reason == (
        "Class 3 felony under 720 ILCS 550/4: 20 ILCS 2630/5.2(i)(3) reaches only Class A "
        "misdemeanor, Class B misdemeanor, Class C misdemeanor, Class 4 felony"
    )
    delivery_misd = motion_class_allowed("Class A misdemeanor", "5", cfg)
    assert delivery_misd.failed and "reaches only Class 4 felony" in delivery_misd.reason
    assert motion_class_allowed(None, "4", cfg).unknown


# ---------------------------------------------------------------- dispositions


@pytest.mark.parametrize(
    ("code", "conviction"),
    [
        ("conviction", True),
        ("supervision_revoked", True),
        ("qualified_probation_revoked", True),
        ("dismissed", False),
        ("nolle_prosequi", False),
        ("stricken_off_leave", False),
        ("acquitted", False),
        ("supervision_completed", False),
        ("qualified_probation_completed", False),
        ("released_without_charging", False),
    ],
)
def test_dispositions_route_convictions_and_non_convictions(
    cfg: RuleConfig, code: str, conviction: bool
) -> None:
    motion = conviction_on_record(code, cfg)
    automatic = no_conviction_on_record(code, cfg)
    assert motion.passed is conviction
    assert automatic.passed is not conviction
    assert cfg.dispositions[code].label in motion.reason
    assert "20 ILCS 2630/5.2(i)(3)" in motion.reason
    assert "20 ILCS 2630/5.2(i)(1)" in automatic.reason


def test_a_missing_disposition_is_undecided(cfg: RuleConfig) -> None:
    assert conviction_on_record("pending", cfg).unknown
    assert no_conviction_on_record("pending", cfg).unknown


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("Guilty plea", "conviction"),
        ("NOLLE PROS", "nolle_prosequi"),
        ("SOL", "stricken_off_leave"),
        ("court supervision", "supervision_completed"),
        ("410 probation", "qualified_probation_completed"),
        ("", "pending"),
        ("not-guilty", "acquitted"),
        ("continued generally", None),
    ],
)
def test_disposition_aliases(cfg: RuleConfig, cell: str, code: str | None) -> None:
    assert cfg.disposition_code(cell) == code


# ---------------------------------------------------------------- dates


def test_offense_before_cutoff(cfg: RuleConfig) -> None:
    before = offense_before(date(2019, 6, 24), None, CUTOFF, "20 ILCS 2630/5.2(i)")
    assert before.passed
    assert before.reason == "Arrested 2019-06-24, before 25 June 2019 (20 ILCS 2630/5.2(i))"
    on_the_day = offense_before(date(2019, 6, 25), None, CUTOFF, "20 ILCS 2630/5.2(i)")
    assert on_the_day.failed and "not before 25 June 2019" in on_the_day.reason
    # No arrest date: a disposition before the cutoff still proves the offense was before it.
    assert offense_before(None, date(2018, 1, 1), CUTOFF, "x").passed
    assert offense_before(None, date(2020, 1, 1), CUTOFF, "x").unknown


def test_offense_in_motion_window(cfg: RuleConfig) -> None:
    assert offense_in_motion_window(date(1973, 8, 13), None, "4", cfg).passed
    early = offense_in_motion_window(date(1973, 8, 12), None, "4", cfg)
    assert early.failed and "outside 13 August 1973 to before 25 June 2019" in early.reason
    delivery = offense_in_motion_window(date(1983, 9, 23), None, "5", cfg)
    assert delivery.failed and "24 September 1983" in delivery.reason
    assert offense_in_motion_window(date(1983, 9, 24), None, "5", cfg).passed
    assert offense_in_motion_window(None, date(1970, 1, 1), "4", cfg).failed
    assert offense_in_motion_window(None, date(1990, 1, 1), "4", cfg).unknown


def test_adult_at_arrest(cfg: RuleConfig) -> None:
    birth = date(1990, 5, 10)
    assert adult_at_arrest(birth, date(2008, 5, 10), None, cfg).passed
    minor = adult_at_arrest(birth, date(2008, 5, 9), None, cfg)
    assert minor.failed
    assert (
        minor.reason
        == "17 years old at arrest, under 18: not an adult record (20 ILCS 2630/5.2(i)(1))"
    )
    assert adult_at_arrest(birth, None, date(2007, 1, 1), cfg).failed
    assert adult_at_arrest(birth, None, date(2012, 1, 1), cfg).unknown


def test_arrest_old_enough(cfg: RuleConfig) -> None:
    as_of = date(2026, 12, 1)
    assert arrest_old_enough(date(2025, 12, 1), as_of, cfg).passed
    recent = arrest_old_enough(date(2025, 12, 2), as_of, cfg)
    assert recent.failed and "less than 1 year(s)" in recent.reason
    assert arrest_old_enough(None, as_of, cfg).unknown


@pytest.mark.parametrize(
    ("arrest", "due"),
    [
        (date(2019, 6, 24), date(2021, 1, 1)),
        (date(2013, 1, 1), date(2021, 1, 1)),
        (date(2012, 12, 31), date(2023, 1, 1)),
        (date(2000, 1, 1), date(2023, 1, 1)),
        (date(1999, 12, 31), date(2025, 1, 1)),
        (date(1975, 6, 1), date(2025, 1, 1)),
    ],
)
def test_automatic_expungement_schedule(cfg: RuleConfig, arrest: date, due: date) -> None:
    assert automatic_due(arrest, cfg) == due


# ---------------------------------------------------------------- association


def test_associated_violent_crime_excludes(cfg: RuleConfig) -> None:
    battery = rec(row=7, statute="720 ILCS 5/12-3.2(a)(1)", offense_class="Class A misdemeanor")
    finding = no_associated_violent_crime([battery], [], cfg)
    assert finding.failed
    assert finding.reason == (
        "Associated with 720 ILCS 5/12-3.2(a)(1) (domestic battery, row 7), a violent crime under "
        "725 ILCS 120/3(c): not a minor cannabis offense (20 ILCS 2630/5.2(i))"
    )


def test_associated_non_violent_charges_pass(cfg: RuleConfig) -> None:
    listed_felony = rec(row=4, statute="720 ILCS 570/402(c)", offense_class="Class 4 felony")
    misdemeanor = rec(row=5, statute="720 ILCS 5/31-1(a)", offense_class="Class A misdemeanor")
    cannabis = rec(row=6, statute="720 ILCS 550/5(d)", offense_class="Class 3 felony")
    finding = no_associated_violent_crime([listed_felony, misdemeanor, cannabis], [], cfg)
    assert finding.passed and "among 3 other charge(s)" in finding.reason
    assert no_associated_violent_crime([], [], cfg).passed


def test_unlisted_felonies_and_unread_rows_need_review(cfg: RuleConfig) -> None:
    damage = rec(row=8, statute="720 ILCS 5/21-1(a)(1)", offense_class="Class 4 felony")
    finding = no_associated_violent_crime([damage], [], cfg)
    assert finding.unknown
    assert "720 ILCS 5/21-1(a)(1) (row 8) is a felony" in finding.reason
    assert "force or threat of force" in finding.reason
    no_class = rec(row=8, statute="720 ILCS 5/21-1(a)(1)", offense_class=None)
    assert "unrecorded class" in no_association_reason(no_class, cfg)
    unread = no_associated_violent_crime([], [12, 11], cfg)
    assert unread.unknown and unread.reason.startswith("Row(s) 11, 12 of the same case")


def no_association_reason(other: RawRecord, cfg: RuleConfig) -> str:
    return no_associated_violent_crime([other], [], cfg).reason


# ---------------------------------------------------------------- the raw file

FIXTURE_OUTCOMES = {
    2: ("vacate_expunge", "minor_offense_conviction"),
    3: ("vacate_expunge", "motion_route_conviction"),
    4: ("not_eligible", "excluded_motion_class_allowed"),  # 800 g, Class 3 felony
    5: ("not_eligible", "excluded_no_550_7_enhancement"),
    6: ("not_eligible", "excluded_no_associated_violent_crime"),  # with domestic battery
    7: ("not_eligible", "other_statute"),  # the domestic battery itself
    8: ("automatic_expungement", "arrest_only_minor_offense"),  # nolle, 2013
    9: ("automatic_expungement", "arrest_only_minor_offense"),  # SOL, 1998
    10: ("needs_review", "review_within_motion_amount"),  # no grams
    11: ("not_eligible", "excluded_offense_in_motion_window"),  # arrested 2020
    12: ("not_eligible", "excluded_offense_in_motion_window"),  # 1972, 40 g
    13: ("automatic_expungement", "arrest_only_minor_offense"),  # supervision completed
    14: ("not_eligible", "excluded_motion_class_allowed"),  # 550/5(d) Class 3 felony
    15: ("needs_review", "review_conviction_on_record"),  # no disposition
    16: ("vacate_expunge", "minor_offense_conviction"),  # with a listed non-violent felony
    17: ("not_eligible", "other_statute"),
    18: ("needs_review", "review_no_associated_violent_crime"),  # unlisted felony in case
    19: ("not_eligible", "other_statute"),
    20: ("not_eligible", "excluded_adult_at_arrest"),  # acquitted, 16 at arrest
    22: ("needs_review", "review_no_associated_violent_crime"),  # row 23 unreadable
    25: ("vacate_expunge", "minor_offense_conviction"),  # "720-550/4-B", "MB", "7 g"
    26: ("vacate_expunge", "minor_offense_conviction"),  # 550/5(b) 8 g
    27: ("not_eligible", "excluded_within_motion_amount"),  # delivery 100 g
    28: ("not_eligible", "excluded_within_minor_amount"),  # dismissed, 35 g
    29: ("not_eligible", "excluded_no_associated_violent_crime"),  # same arrest, other case
    30: ("not_eligible", "other_statute"),
}
FIXTURE_REJECTS = {
    21: ("date_of_birth", "date_of_birth: not a real calendar date"),
    23: ("arrest_date", "arrest_date: not a real calendar date"),
    24: (None, "duplicate of row 2"),
    31: ("disposition", "disposition: unknown disposition (expected one of: conviction,"),
}


@pytest.fixture(scope="module")
def fixture_result(raw_config: dict[str, Any]):
    return determine_file(FIXTURE, raw_config, AS_OF, None)


def test_fixture_determinations(fixture_result) -> None:
    got = {d.row: (d.outcome, d.rule) for d in fixture_result.determinations}
    assert got == FIXTURE_OUTCOMES


def test_fixture_rejects_name_row_and_column(fixture_result) -> None:
    got = {r.row: r for r in fixture_result.rejects}
    assert set(got) == set(FIXTURE_REJECTS)
    for row, (column, start) in FIXTURE_REJECTS.items():
        assert got[row].column == column
        assert got[row].reason.startswith(start)
        assert got[row].file.endswith("il-raw-sample.csv")
    # The person's values never appear in a reason.
    assert "1985-13-40" not in got[21].reason and "2011-02-30" not in got[23].reason
    assert "continued generally" not in got[31].reason


def test_every_row_ends_in_one_determination_or_one_reject(fixture_result) -> None:
    with FIXTURE.open(encoding="utf-8", newline="") as fh:
        data_rows = sum(1 for _ in csv.DictReader(fh))
    decided = [d.row for d in fixture_result.determinations]
    rejected = [r.row for r in fixture_result.rejects]
    assert sorted(decided + rejected) == list(range(2, data_rows + 2))
    assert len(fixture_result.canonical_rows) == len(decided)


def test_reasons_cite_the_statute(fixture_result) -> None:
    by_row = {d.row: d for d in fixture_result.determinations}
    assert "20 ILCS 2630/5.2(i)(3)" in by_row[2].reason
    assert (
        "due by 1 January 2021" in by_row[8].reason and "20 ILCS 2630/5.2(i)(1)" in by_row[8].reason
    )
    assert "due by 1 January 2025" in by_row[9].reason
    assert "725 ILCS 120/3(c)" in by_row[6].reason and "row 7" in by_row[6].reason
    assert "720 ILCS 550/7" in by_row[5].reason
    assert "Amount not recorded" in by_row[10].reason
    assert "Row(s) 23 of the same case" in by_row[22].reason
    # The whole chain is kept for the review report; every check cites the law.
    assert len(by_row[2].checks) == 9
    assert all(c.citation for d in fixture_result.determinations for c in d.checks)


def test_canonical_rows_are_valid_generate_input(fixture_result, tmp_path: Path) -> None:
    paths = write_outputs(fixture_result, tmp_path / "results.csv", FIXTURE.name)
    validation = validate_table(read_table(paths.results), as_of=AS_OF)
    assert validation.rejects == []
    charges = {c.row: c for c in validation.charges}
    first = charges[2]  # row 2 of results.csv is raw row 2
    assert (first.statute, first.disposition, first.determination) == (
        "720 ILCS 550/4(c)",
        "Conviction",
        "vacate_expunge",
    )
    by_raw = dict(
        zip([d.row for d in fixture_result.determinations], validation.charges, strict=True)
    )
    normalised = by_raw[25]  # "720-550/4-B", "MB" in the raw file
    assert (normalised.statute, normalised.offense_class) == (
        "720 ILCS 550/4(b)",
        "Class B misdemeanor",
    )
    assert by_raw[15].offense_class == "Class C misdemeanor"
    assert by_raw[15].disposition == "Pending or not recorded"
    assert by_raw[13].disposition == "Supervision, successfully completed"


# ---------------------------------------------------------------- validation


def write_raw(path: Path, rows: list[dict[str, str]], columns=RAW_COLUMN_ORDER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def good_row(**fields: str) -> dict[str, str]:
    row = {
        "person_id": "IL1",
        "last_name": "Doe",
        "first_name": "Jan",
        "date_of_birth": "1980-01-01",
        "case_number": "2012-MC1-0000001",
        "arrest_date": "2012-03-01",
        "statute": "720 ILCS 550/4(c)",
        "offense_description": "Possession of cannabis",
        "offense_class": "Class A misdemeanor",
        "amount_grams": "20",
        "disposition": "conviction",
        "disposition_date": "2012-05-01",
    }
    row.update(fields)
    return row


@pytest.mark.parametrize(
    ("fields", "column", "message"),
    [
        ({"amount_grams": "about an ounce"}, "amount_grams", "not an amount in grams"),
        ({"offense_class": "bad"}, "offense_class", "unknown offense class"),
        ({"enhancement_550_7": "maybe"}, "enhancement_550_7", "expected Y or N"),
        (
            {"disposition_date": "2031-01-01"},
            "disposition_date",
            "in the future (after 2026-12-01)",
        ),
        ({"date_of_birth": "2013-01-01"}, "date_of_birth", "birth date is after the arrest date"),
        ({"arrest_date": "2012-06-01"}, "arrest_date", "arrest date is after the disposition date"),
        (
            {"arrest_date": "", "disposition_date": ""},
            "disposition_date",
            "empty, and so is arrest_date",
        ),
        ({"case_number": "=HYPERLINK(1)"}, "case_number", "may hold only letters"),
        ({"last_name": "Do\u202ee"}, "last_name", "contains control characters"),
        ({"first_name": ""}, "first_name", "required but empty"),
        ({"language": "klingon"}, "language", "unknown value (expected en or es)"),
    ],
)
def test_bad_values_are_rejected_with_row_and_column(
    cfg: RuleConfig, tmp_path: Path, fields: dict[str, str], column: str, message: str
) -> None:
    path = write_raw(
        tmp_path / "raw.csv", [good_row(), good_row(**{"case_number": "X-2", **fields})]
    )
    read = read_records(path, cfg, AS_OF)
    assert [r.row for r in read.records] == [2]
    [reject] = read.rejects
    assert (reject.row, reject.column) == (3, column)
    assert message in reject.reason
    for value in fields.values():
        if len(value) > 3:
            assert value not in reject.reason


def test_a_missing_required_column_refuses_the_file(cfg: RuleConfig, tmp_path: Path) -> None:
    columns = [c for c in RAW_COLUMN_ORDER if c != "statute"]
    path = write_raw(tmp_path / "raw.csv", [good_row()], columns)
    with pytest.raises(MissingColumns, match="statute"):
        read_records(path, cfg, AS_OF)


def test_extra_columns_and_any_order_are_accepted(cfg: RuleConfig, tmp_path: Path) -> None:
    columns = ["note", *reversed(RAW_COLUMN_ORDER)]
    path = write_raw(tmp_path / "raw.csv", [{**good_row(), "note": "x"}], columns)
    read = read_records(path, cfg, AS_OF)
    assert read.rejects == [] and read.records[0].amount_grams == 20.0


def test_a_broken_rules_file_names_the_key(raw_config: dict[str, Any]) -> None:
    broken = {**raw_config, "minor_offense": {"max_grams": "thirty", "before": "2019-06-25"}}
    with pytest.raises(DocgenError, match=r"minor_offense\.max_grams"):
        load_config(broken)


# ---------------------------------------------------------------- docgen synth --raw


def test_synth_raw_is_deterministic_and_valid(raw_config: dict[str, Any], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docgen.cli import app

    runner = CliRunner()
    paths = []
    for name, seed in (("a.csv", "9"), ("b.csv", "9"), ("c.csv", "10")):
        path = tmp_path / name
        result = runner.invoke(
            app, ["synth", "--raw", "--cases", "150", "--seed", seed, "--out", str(path)]
        )
        assert result.exit_code == 0, result.output
        paths.append(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()
    with paths[0].open(encoding="utf-8", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == RAW_COLUMN_ORDER

    result = determine_file(paths[0], raw_config, AS_OF, None)
    assert result.rejects == []  # every synthetic row is valid
    rules = {d.rule for d in result.determinations}
    # The mix the generator promises: each of these routes and exclusions occurs.
    assert {
        "minor_offense_conviction",
        "motion_route_conviction",
        "arrest_only_minor_offense",
        "other_statute",
        "excluded_no_550_7_enhancement",
        "excluded_no_associated_violent_crime",
        "excluded_motion_class_allowed",
        "excluded_offense_in_motion_window",
        "review_within_motion_amount",
        "review_no_associated_violent_crime",
        "review_conviction_on_record",
    } <= rules
    dispositions = {row["disposition"] for row in result.canonical_rows}
    assert "Supervision, successfully completed" in dispositions
    assert any(r["determination"] == "vacate_expunge" for r in result.canonical_rows)


def test_no_disposition_is_decided_only_when_every_route_is_closed(raw_config, tmp_path) -> None:
    rows = [
        good_row(disposition="", amount_grams="1.5"),
        good_row(case_number="C-2", disposition="", amount_grams="800"),
        good_row(case_number="C-3", disposition="pending", enhancement_550_7="Y"),
    ]
    path = write_raw(tmp_path / "raw.csv", rows)
    result = determine_file(path, raw_config, AS_OF, None)
    outcomes = {d.row: (d.outcome, d.rule) for d in result.determinations}
    assert outcomes == {
        2: ("needs_review", "review_conviction_on_record"),
        3: ("not_eligible", "excluded_within_motion_amount"),
        4: ("not_eligible", "excluded_no_550_7_enhancement"),
    }
    review = result.determinations[0]
    assert (
        review.reason
        == "Disposition: Pending or not recorded; the route cannot be chosen without it"
    )


def test_unknown_amount_keeps_the_minor_route_open(cfg: RuleConfig) -> None:
    from docgen.rules.il_crta.flow import judge

    # A 550/5 misdemeanor is outside the motion route's classes, but with no amount on the
    # record it may still be a minor cannabis offense (not more than 30 g): review, not refusal.
    delivery = rec(statute="720 ILCS 550/5(b)", amount_grams=None)
    decision = judge(delivery, [], [], cfg, AS_OF)
    assert (decision.outcome, decision.rule) == ("needs_review", "review_within_minor_amount")
    assert decision.needs_review and decision.statute == "720 ILCS 550/5(b)"
    known = judge(rec(statute="720 ILCS 550/5(b)", amount_grams=45.0), [], [], cfg, AS_OF)
    assert known.outcome == "not_eligible"
    assert "45 g, more than 30 g" in known.reason and "reaches only Class 4 felony" in known.reason


def test_policy_and_limits_are_configuration(raw_config: dict[str, Any]) -> None:
    from docgen.rules.il_crta.flow import judge

    felony = rec(statute="720 ILCS 550/4(d)", offense_class="Class 4 felony", amount_grams=120.0)
    battery = rec(row=3, statute="720 ILCS 5/12-3.2(a)(1)", offense_class="Class A misdemeanor")
    strict = load_config(raw_config)
    assert judge(felony, [battery], [], strict, AS_OF).outcome == "not_eligible"
    lenient = load_config(
        {**raw_config, "motion": {**raw_config["motion"], "exclude_violent_associated": False}}
    )
    decision = judge(felony, [battery], [], lenient, AS_OF)
    assert (decision.outcome, decision.rule) == ("vacate_expunge", "motion_route_conviction")
    # The violent association still bars the minor-offense route: its check failed in the chain.
    assert any(c.test == "no_associated_violent_crime" and not c.passed for c in decision.checks)

    delivery = rec(statute="720 ILCS 550/5(d)", offense_class="Class 4 felony", amount_grams=100.0)
    assert judge(delivery, [], [], strict, AS_OF).outcome == "not_eligible"
    wider = load_config(
        {**raw_config, "motion": {**raw_config["motion"], "delivery_max_grams": 500}}
    )
    assert judge(delivery, [], [], wider, AS_OF).outcome == "vacate_expunge"


def test_no_amount_with_a_closed_minor_route_still_goes_to_review(raw_config) -> None:
    from docgen.rules.il_crta.flow import judge

    lenient = load_config(
        {**raw_config, "motion": {**raw_config["motion"], "exclude_violent_associated": False}}
    )
    felony = rec(statute="720 ILCS 550/4(d)", offense_class="Class 4 felony", amount_grams=None)
    battery = rec(row=3, statute="720 ILCS 5/12-3.2(a)(1)", offense_class="Class A misdemeanor")
    decision = judge(felony, [battery], [], lenient, AS_OF)
    assert (decision.outcome, decision.rule) == ("needs_review", "review_within_motion_amount")
    assert decision.reason.count("Amount not recorded") == 1
