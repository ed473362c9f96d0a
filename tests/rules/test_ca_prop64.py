"""The ca-prop64 rule set on the project's own DOJ-format rows (fictional people).

Every step of every county flow (Los Angeles, Sacramento, Contra Costa/San Joaquin, the
office-options flow) is reached by at least one row here, in both modes, so the rules are tested
without ../shared. Rows are numbered as a spreadsheet shows them: the first data row is row 2.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from docgen.errors import InputFileError, RulesError
from docgen.rules.ca_prop64 import codes, determine_file, load_config
from docgen.rules.ca_prop64.records import read_doj
from docgen.rules.core import RuleSetResult
from tests import paths
from tests.ca_prop64_rows import event, rules_config, write_doj

AS_OF = date(2019, 11, 11)


def run(
    tmp_path: Path, rows: list[dict[str, str]], county: str = "LOS ANGELES", mode: str | None = None
) -> RuleSetResult:
    path = write_doj(tmp_path / "doj.csv", rows)
    return determine_file(path, rules_config(mode), AS_OF, county)


def outcomes(result: RuleSetResult) -> dict[int, str]:
    return {d.row: d.rule for d in result.determinations}


# ------------------------------------------------------------------------- code sections


@pytest.mark.parametrize(
    ("text", "gogen", "statute"),
    [
        ("11357(A) HS", "11357", "11357"),
        ("11359HS", "11359", "11359"),
        ("CHRG 11358 HS", "11358", "11358"),
        ("11357.5 HS", "11357", None),  # synthetic cannabinoids: not Prop 64
        ("211357 PC", "11357", None),  # a number buried in another code
        ("664/11359 HS", "11359", "11359"),
    ],
)
def test_prop64_sections(text: str, gogen: str | None, statute: str | None) -> None:
    assert codes.gogen_prop64_section(text) == gogen
    assert codes.statute_prop64_section(codes.parse_section(text)) == statute


@pytest.mark.parametrize(
    ("text", "gogen", "statute"),
    [
        ("187 PC", True, True),
        ("187(A) PC", False, True),  # gogen misses the common murder coding
        ("220(A) PC", False, True),
        ("137 PC", True, False),  # gogen's substring hit on '37 PC'
        ("1220 PC", True, False),
        ("664/187 PC", True, True),
        ("459 PC", False, False),
    ],
)
def test_superstrikes(text: str, gogen: bool, statute: bool) -> None:
    lists = tuple(rules_config()["lists"]["superstrike"])
    assert codes.gogen_is_superstrike(text) is gogen
    assert codes.in_section_list(codes.parse_section(text), lists) is statute


@pytest.mark.parametrize(
    ("text", "gogen", "statute"),
    [("261.5 PC", True, False), ("288(A) PC", False, True), ("314(1) PC", True, True)],
)
def test_pc290_sections(text: str, gogen: bool, statute: bool) -> None:
    lists = tuple(rules_config()["lists"]["pc290"])
    assert codes.gogen_is_pc290(text) is gogen
    assert codes.in_section_list(codes.parse_section(text), lists) is statute


# ------------------------------------------------------------------------- Los Angeles flow

LA_ROWS = [
    # row 2: after the cutoff (offense date known in the record)
    event("1", "101001001000", "20170312", "11358 HS-CULTIVATE", cycle_date="20170101"),
    # row 3: after the cutoff by conviction date, offense in 2016 -> statute: goes on
    event(
        "2",
        "101001001000",
        "20170312",
        "11358 HS-CULTIVATE",
        cycle_date="20160601",
        level="MISDEMEANOR",
    ),
    # row 4: 11357(A) -> dismissal
    event("3", "101001001000", "20100101", "11357(A) HS-POSSESS"),
    # row 5: other 11357
    event("4", "101001001000", "20100101", "11357(C) HS-POSSESS"),
    # rows 6-7: 11359 felony with a superstrike convicted later (gogen: on record; statute: not a prior)
    event("5", "101001001000", "20100101", "11359 HS-SALE", sentence="1", unit="Y"),
    event("5", "102001001000", "20120101", "187(A) PC-MURDER", disposition="CONVICTED-PRISON"),
    # rows 8-9: 11359 felony after a prior 314(1) PC (PC 290) -> statute: not eligible
    event("6", "101001001000", "20000101", "314(1) PC-INDECENT EXPOSURE"),
    event("6", "102001001000", "20100101", "11359 HS-SALE"),
    # row 10: misdemeanor -> dismissal
    event("7", "101001001000", "20100101", "11360 HS-TRANSPORT", level="MISDEMEANOR"),
    # rows 11-12: two convictions, latest over 10 years ago -> dismissal
    event("8", "101001001000", "20000101", "11358 HS-CULTIVATE"),
    event("8", "101001002000", "20010101", "459 PC-BURGLARY"),
    # rows 13-14: two convictions, one within 10 years -> reduction
    event("9", "101001001000", "20000101", "11358 HS-CULTIVATE"),
    event("9", "102001001000", "20150101", "459 PC-BURGLARY"),
    # row 15: one conviction, sentence completed -> dismissal
    event("10", "101001001000", "20100101", "11359 HS-SALE", sentence="3", unit="Y"),
    # row 16: one conviction, sentence running -> reduction
    event("11", "101001001000", "20150101", "11359 HS-SALE", sentence="6", unit="Y"),
    # row 17: attempt -> statute: review; gogen: treated as 11359
    event("12", "101001001000", "20100101", "664/11359 HS-ATTEMPT SALE", sentence="1", unit="Y"),
    # row 18: another county: context
    event("13", "101001001000", "20100101", "11358 HS-CULTIVATE", county="YOLO"),
    # row 19: not convicted: context
    event("14", "101001001000", "20100101", "11358 HS-CULTIVATE", disposition="DISMISSED"),
    # rows 20-21: 11358 felony after a 2000 murder conviction: superstrike (on record / prior)
    event("15", "101001001000", "20000101", "187 PC-MURDER", disposition="CONVICTED-PRISON"),
    event("15", "102001001000", "20100101", "11358 HS-CULTIVATE"),
    # row 22: convicted 2018, no offense date: gogen after the cutoff; statute: review
    event("16", "101001001000", "20180101", "11358 HS-CULTIVATE"),
]


def test_los_angeles_gogen_mode(tmp_path: Path) -> None:
    result = run(tmp_path, LA_ROWS, mode="gogen")
    assert outcomes(result) == {
        2: "after-cutoff",
        3: "after-cutoff",
        4: "11357-a-or-b",
        5: "other-11357",
        6: "recent-convictions-reduce",  # gogen misses 187(A) PC as a superstrike
        9: "recent-convictions-reduce",  # gogen never uses PC 290
        10: "misdemeanor",
        11: "no-recent-convictions",
        13: "recent-convictions-reduce",
        15: "sentence-completed",
        16: "sentence-not-completed-reduce",
        17: "sentence-completed",
        21: "superstrike-on-record",
        22: "after-cutoff",
    }
    assert result.context_rows == 22 - 1 - 14  # every row accounted for


def test_los_angeles_statute_mode(tmp_path: Path) -> None:
    result = run(tmp_path, LA_ROWS)
    got = outcomes(result)
    assert got[2] == "after-cutoff"
    assert got[3] == "misdemeanor"  # offense 2016-06-01: before Prop 64
    assert got[6] == "recent-convictions-reduce"  # the 2012 superstrike is not a prior
    assert got[9] == "prior-pc290"
    assert got[17] == "attempt-or-conspiracy"
    assert got[21] == "prior-superstrike"
    assert got[22] == "offense-date-unknown"
    gogen = outcomes(run(tmp_path, LA_ROWS, mode="gogen"))
    changed = (3, 9, 17, 21, 22)
    assert {k: v for k, v in got.items() if k not in changed} == {
        k: v for k, v in gogen.items() if k not in changed
    }


def test_chain_cites_the_law(tmp_path: Path) -> None:
    result = run(tmp_path, LA_ROWS)
    d = next(d for d in result.determinations if d.row == 9)
    assert d.outcome == "not_eligible" and "PC 290(c)" in d.reason
    tests = [c.test for c in d.checks]
    assert tests[0] == "before_cutoff" and tests[-1] == "prior_pc290"
    assert all(c.citation for c in d.checks)
    assert "PC 290 registration (" not in d.checks[-1].reason  # a conviction, not a registration
    assert "314(1) PC" in d.checks[-1].reason


def test_registration_event_is_a_pc290_prior(tmp_path: Path) -> None:
    rows = [
        event(
            "1",
            "101001001000",
            "20000101",
            "290 PC-REGISTRATION",
            kind="REGISTRATION",
            disposition="",
        ),
        event("1", "102001001000", "20100101", "11360 HS-TRANSPORT"),
    ]
    assert outcomes(run(tmp_path, rows)) == {3: "prior-pc290"}
    assert outcomes(run(tmp_path, rows, mode="gogen")) == {3: "sentence-completed"}


# ------------------------------------------------------------------------- Sacramento flow


def test_sacramento_flow(tmp_path: Path) -> None:
    rows = [
        event("1", "101001001000", "20100101", "11357(B) HS-POSSESS", county="SACRAMENTO"),
        event("2", "101001001000", "20100101", "11357(b)HS-POSSESS", county="SACRAMENTO"),
        event(
            "3", "101001001000", "20100101", "11358 HS", county="SACRAMENTO", level="MISDEMEANOR"
        ),
    ]
    gogen = outcomes(run(tmp_path, rows, "SACRAMENTO", "gogen"))
    statute = outcomes(run(tmp_path, rows, "SACRAMENTO"))
    # gogen's lower-case '11357(b)' misses DOJ's upper-case 11357(B) (gogen-flows.md 4.4)
    assert gogen == {2: "sentence-completed", 3: "11357-b", 4: "misdemeanor"}
    assert statute == {2: "11357-b", 3: "11357-b", 4: "misdemeanor"}


# ------------------------------------------------------------------------- Contra Costa flow

CC = "CONTRA COSTA"
CC_ROWS = [
    # rows 2-3: related charge, the cycle's 11358 only an arrest
    event(
        "1",
        "101001001000",
        "20100101",
        "11358 HS",
        county=CC,
        disposition="",
        kind="ARREST/DETAINED/CITED",
    ),
    event("1", "101001002000", "20100101", "4149 BP-NEEDLES", county=CC, level="MISDEMEANOR"),
    # rows 4-6: related charges with a Prop 64 conviction in the cycle; a 4060 BP
    event("2", "101001001000", "20100101", "11358 HS", county=CC, level="MISDEMEANOR"),
    event("2", "101001002000", "20100101", " 148 PC-RESIST", county=CC, level="MISDEMEANOR"),
    event("2", "101001003000", "20100101", "4060 BP-CTRL SUBST", county=CC),
    # row 7: related charge alone
    event("3", "101001001000", "20100101", "647(F) PC-DRUNK", county=CC, level="MISDEMEANOR"),
    # row 8: felony 11357 -> dismissal (county policy)
    event("4", "101001001000", "20100101", "11357(C) HS", county=CC),
    # rows 9-10: two convictions within 5 years -> review
    event("5", "101001001000", "20100101", "11359 HS", county=CC),
    event("5", "102001001000", "20160101", "459 PC", county=CC),
    # rows 11-12: two convictions, none within 5 years -> dismissal
    event("6", "101001001000", "20050101", "11359 HS", county=CC),
    event("6", "102001001000", "20060101", "459 PC", county=CC),
    # row 13: one conviction, sentence running -> review
    event(
        "7",
        "101001001000",
        "20180101",
        "11359 HS",
        county=CC,
        cycle_date="20160101",
        sentence="5",
        unit="Y",
    ),
    # row 14: one conviction, sentence done -> dismissal
    event("8", "101001001000", "20100101", "11359 HS", county=CC, sentence="5", unit="Y"),
    # row 15: offense and conviction after the cutoff
    event("9", "101001001000", "20180101", "11358 HS", county=CC, cycle_date="20170601"),
    # row 16: conviction after the cutoff, offense date unknown
    event("10", "101001001000", "20180101", "11358 HS", county=CC),
    # row 17: attempt
    event("11", "101001001000", "20100101", "664/11359 HS", county=CC),
    # rows 18-19: 11359 after a superstrike; rows 20-21: 11360 after a PC 290 offense
    event("12", "101001001000", "20000101", "187 PC-MURDER", county=CC),
    event("12", "102001001000", "20100101", "11359 HS", county=CC),
    event("13", "101001001000", "20000101", "314(1) PC-EXPOSURE", county=CC),
    event("13", "102001001000", "20100101", "11360 HS", county=CC),
    # row 22: a related charge alone; row 23: one conviction, sentence running until 2020
    event("14", "101001001000", "20100101", "148 PC-RESIST", county=CC, level="MISDEMEANOR"),
    event("15", "101001001000", "20150101", "11359 HS", county=CC, sentence="5", unit="Y"),
]


def test_contra_costa_gogen_mode(tmp_path: Path) -> None:
    # gogen: an arrest row marks the cycle (gogen-flows.md 4.10); its lower-case 647(f) misses
    # DOJ's 647(F), so row 7 is not judged at all (4.4).
    assert outcomes(run(tmp_path, CC_ROWS, CC, "gogen")) == {
        3: "related-dismiss",
        4: "misdemeanor",
        5: "related-dismiss",
        6: "related-4060",
        8: "11357-county-policy",
        9: "recent-convictions-review",
        11: "no-recent-convictions",
        13: "after-cutoff",
        14: "sentence-completed",
        15: "after-cutoff",
        16: "after-cutoff",
        17: "sentence-completed",
        19: "no-recent-convictions",
        21: "no-recent-convictions",
        22: "related-without-prop64",
        23: "sentence-not-completed-review",
    }


def test_contra_costa_statute_mode(tmp_path: Path) -> None:
    result = run(tmp_path, CC_ROWS, "contra costa")  # county names are matched case-blind
    assert outcomes(result) == {
        3: "related-without-prop64",
        4: "misdemeanor",
        5: "related-dismiss",
        6: "related-4060",
        7: "related-without-prop64",  # 647(F) is recognised, but no Prop 64 in its cycle
        8: "11357-county-policy",
        9: "recent-convictions-review",
        11: "no-recent-convictions",
        13: "sentence-not-completed-review",  # offense 2016-01-01: before Prop 64
        14: "sentence-completed",
        15: "after-cutoff",
        16: "offense-date-unknown",
        17: "attempt-or-conspiracy",
        19: "prior-superstrike",
        21: "prior-pc290",
        22: "related-without-prop64",
        23: "sentence-not-completed-review",
    }
    d = next(d for d in result.determinations if d.row == 5)
    assert d.reason.startswith("Related charge 148 PC with a Prop 64")


def test_san_joaquin_uses_the_contra_costa_flow(tmp_path: Path) -> None:
    rows = [{**r, "STP_ORI_CNTY_NAME": "SAN JOAQUIN"} for r in CC_ROWS]
    assert outcomes(run(tmp_path, rows, "SAN JOAQUIN")) == outcomes(run(tmp_path, CC_ROWS, CC))


# ------------------------------------------------------------------------- office options flow


def test_office_options_flow(tmp_path: Path) -> None:
    rows = [
        event("1", "101001001000", "20100101", "11358 HS", county="KERN"),
        event("2", "101001001000", "20150101", "11359 HS", county="KERN", dob="19960101"),
        event("3", "101001001000", "20150101", "11359 HS", county="KERN", dob="19600101"),
        event("4", "101001001000", "20150101", "11360 HS", county="KERN", dob="19900101"),
        event("4", "102001001000", "20150101", "459 PC", county="KERN", dob="19900101"),
    ]
    rows += [
        event("5", "101001001000", "20050101", "11359 HS", county="KERN", dob="19800101"),
        event("5", "102001001000", "20050101", "459 PC", county="KERN", dob="19800101"),
        event("6", "101001001000", "20150101", "11360 HS", county="KERN", dob="19800101"),
        event("6", "102001001000", "20150101", "459 PC", county="KERN", dob="19800101"),
        event("6", "103001001000", "20180101", "", county="KERN", kind="DECEASED", disposition=""),
        event("7", "101001001000", "20150101", "11360 HS", county="KERN", dob="19800101"),
    ]
    result = run(tmp_path, rows, "KERN")
    assert outcomes(result) == {
        2: "office-list-dismiss",
        3: "additional-relief",
        4: "additional-relief",
        5: "office-list-reduce",
        7: "additional-relief",
        9: "additional-relief",
        12: "additional-relief",
    }
    deciding = {d.row: d.checks[-1].test for d in result.determinations}
    assert deciding[3] == "under_21_at_conviction"
    assert deciding[4] == "age_at_least"
    assert deciding[7] == "years_since_conviction_at_least"
    assert deciding[9] == "deceased"
    assert deciding[12] == "only_prop64_convictions"
    with pytest.raises(RulesError, match="KERN"):
        run(tmp_path, rows, "KERN", "gogen")


# ------------------------------------------------------------------------- sentences and dates


def test_sentence_units_gogen_versus_calendar(tmp_path: Path) -> None:
    # 12 months from 2018-11-10: gogen 366 days -> 2019-11-11, not before; calendar 2019-11-10.
    row = event(
        "1", "101001001000", "20181110", "11359 HS", cycle_date="20160101", sentence="12", unit="M"
    )
    assert outcomes(run(tmp_path, [row], mode="gogen")) == {2: "after-cutoff"}
    assert outcomes(run(tmp_path, [row])) == {2: "sentence-completed"}


def test_repeat_count_adds_sentence_to_its_own_count(tmp_path: Path) -> None:
    rows = [
        event("1", "101001001000", "20150101", "11359 HS", sentence="1", unit="M"),
        event(
            "1", "101001002000", "20150101", "459 PC", sentence="1", unit="M", level="MISDEMEANOR"
        ),
        event("1", "101001001000", "20150101", "11359 HS", sentence="10", unit="Y"),
    ]
    # Two convictions within 10 years either way; the sentence lands on different counts.
    assert outcomes(run(tmp_path, rows, mode="gogen")) == {2: "recent-convictions-reduce"}


def test_unreadable_conviction_date(tmp_path: Path) -> None:
    rows = [event("1", "101001001000", "2015-01-01", "11358 HS", level="MISDEMEANOR")]
    gogen = run(tmp_path, rows, mode="gogen")
    assert outcomes(gogen) == {2: "misdemeanor"}  # gogen's year 1 passes the cutoff
    statute = run(tmp_path, rows)
    assert outcomes(statute) == {}
    assert [(r.row, r.column) for r in statute.rejects] == [(2, "STP_EVENT_DATE")]


def test_bad_rows_are_rejected_with_row_and_column(tmp_path: Path) -> None:
    path = write_doj(
        tmp_path / "doj.csv",
        [
            event("1", "10100", "20100101", "11358 HS"),
            event("2", "101001001000", "20100101", "11358 HS"),
        ],
    )
    with path.open("a", encoding="utf-8") as fh:
        fh.write("1,2,3\n\n")
    result = determine_file(path, rules_config(), AS_OF, "LOS ANGELES")
    assert sorted((r.row, r.column) for r in result.rejects) == [(2, "CNT_ORDER"), (4, None)]
    assert all("10100" not in r.reason for r in result.rejects)  # no cell values
    assert result.blank_rows == 1
    total = len(result.determinations) + len(result.rejects) + result.context_rows
    assert total + result.blank_rows == 4


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "doj.csv"
    path.write_text("SUBJECT_ID,CNT_ORDER\n1,101001001000\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"doj.csv, row 1: missing DOJ column\(s\): STP_EVENT"):
        determine_file(path, rules_config(), AS_OF, "LOS ANGELES")


def test_an_undecodable_byte_is_named_by_its_own_row(tmp_path: Path) -> None:
    # Row 400 is well past the 8 KB a text reader decodes ahead: the row named must be the
    # one that holds the byte, not the one being parsed when the read-ahead met it.
    rows = [event(str(n), "10100", "20100101", "11358 HS") for n in range(1, 500)]
    path = write_doj(tmp_path / "doj.csv", rows)
    lines = path.read_bytes().split(b"\n")
    lines[399] = lines[399].replace(b"11358 HS", b"11358 H\xff", 1)  # row 400 (header is 1)
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(InputFileError) as exc:
        read_doj(path, "utf-8")
    assert str(exc.value).startswith(f"{path}, row 400: cannot be read as utf-8")


def test_an_unparsable_row_is_named_by_its_own_row(tmp_path: Path) -> None:
    rows = [event(str(n), "10100", "20100101", "11358 HS") for n in range(1, 6)]
    path = write_doj(tmp_path / "doj.csv", rows)
    lines = path.read_bytes().split(b"\n")
    # Row 4: a field past csv's size limit (what an unclosed quote that ate the file looks like).
    lines[3] = lines[3].replace(b"11358 HS", b"11358 HS" + b"x" * 200_000, 1)
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(InputFileError) as exc:
        read_doj(path, "utf-8")
    assert str(exc.value) == f"{path}, row 4: not a readable CSV row"


def test_columns_are_read_by_name_in_any_order(tmp_path: Path) -> None:
    path = write_doj(tmp_path / "doj.csv", LA_ROWS)
    lines = path.read_text(encoding="utf-8").splitlines()
    table = list(csv.reader(lines))
    reordered = [list(reversed(r)) for r in table]
    other = tmp_path / "reordered.csv"
    with other.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(reordered)
    a = determine_file(path, rules_config(), AS_OF, "LOS ANGELES")
    b = determine_file(other, rules_config(), AS_OF, "LOS ANGELES")
    assert a.determinations == b.determinations


def test_flow_with_unknown_test_is_refused() -> None:
    config = rules_config()
    config["modes"]["gogen"]["flows"]["los-angeles"]["steps"][0]["when"] = ["no_such_test"]
    with pytest.raises(RulesError, match="unknown test 'no_such_test'"):
        load_config(config)


def test_flow_must_end_unconditionally() -> None:
    config = rules_config()
    config["modes"]["gogen"]["flows"]["sacramento"]["steps"].pop()
    with pytest.raises(RulesError, match="last step"):
        load_config(config)


# ------------------------------------------------------------------------- committed fixtures

FIXTURE_DIR = paths.FIXTURES / "ca_prop64"


def test_committed_fixtures_are_current(tmp_path: Path) -> None:
    from tests.fixtures.ca_prop64.make_fixtures import write

    for path in write(tmp_path):
        assert path.read_bytes() == (FIXTURE_DIR / path.name).read_bytes(), path.name


def test_determine_on_the_committed_fixture(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docgen.cli import app

    out = tmp_path / "results.csv"
    args = ["determine", str(FIXTURE_DIR / "contra_costa.csv"), "--rules", "ca-prop64"]
    args += ["--county", "CONTRA COSTA", "--as-of", "2019-11-11", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        got = {int(r["source_row"]): r["determination"] for r in csv.DictReader(fh)}
    expected = run(tmp_path, CC_ROWS, CC).determinations
    assert got == {d.row: d.outcome for d in expected}
    assert len(got) == 17


SACRAMENTO_ROWS = [{**r, "STP_ORI_CNTY_NAME": "SACRAMENTO"} for r in LA_ROWS] + [
    event("20", "101001001000", "20100101", "11357(b)HS-POSSESS", county="SACRAMENTO"),
]


@pytest.mark.parametrize("mode", ["gogen", "statute"])
@pytest.mark.parametrize(
    ("county", "flow", "rows"),
    [
        ("LOS ANGELES", "los-angeles", LA_ROWS),
        ("CONTRA COSTA", "contra-costa", CC_ROWS),
        ("SACRAMENTO", "sacramento", SACRAMENTO_ROWS),
    ],
)
def test_fixtures_reach_every_step(tmp_path: Path, mode, county, flow, rows) -> None:
    config = rules_config(mode)
    reached = {d.rule for d in run(tmp_path, rows, county, mode).determinations}
    steps = {step["then"] for step in config["modes"][mode]["flows"][flow]["steps"]}
    # gogen's Los Angeles 11357(b) step comes after "not felony" and "11357" and cannot be reached
    unreachable = {"11357-b"} if (mode, flow) == ("gogen", "los-angeles") else set()
    assert steps - reached == unreachable
