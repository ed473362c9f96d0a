"""The gogen adapter: gogen's results CSV mapped onto the common model, every row accounted for."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from docgen.errors import InputFileError
from docgen.plan.validate import validate_table
from docgen.readers import read_table
from docgen.readers.gogen import (
    ALL_GOGEN_COLUMNS,
    DOJ_COLUMNS,
    case_numbers,
    code_section,
    split_name,
)
from tests import paths

FIXTURES = paths.FIXTURES / "gogen"
SMALL = FIXTURES / "small.csv"
SHARED = paths.SHARED_GOGEN
AS_OF = date(2026, 12, 1)


def _validate(path: Path):
    with read_table(path, input_format="gogen") as table:
        return validate_table(table, as_of=AS_OF)


def test_parsers() -> None:
    assert split_name("SKYWALKER,LUKE S") == ("SKYWALKER", "LUKE", "S")
    assert split_name("GROUCH, OSCAR  THE ") == ("GROUCH", "OSCAR", "THE")
    assert split_name("CHEWBACCA") is None
    assert split_name(",LUKE") is None
    assert code_section("11357(A) HS-POSSESS MARIJUANA", "") == ("11357(A) HS", "POSSESS MARIJUANA")
    assert code_section("11359HS-INTENT SELL CANNABIS", "") == ("11359 HS", "INTENT SELL CANNABIS")
    assert code_section("SEE COMMENT FOR CHARGE", "11358 HS-CULTIVATE") == ("11358 HS", "CULTIVATE")
    assert case_numbers("NULL  ; 140192; 140193", "") == "140192 / 140193"
    assert case_numbers("", "BA123") == "BA123"
    assert case_numbers("NULL", "") == ""


def test_small_fixture_maps_every_row() -> None:
    result = _validate(SMALL)
    # 13 data rows: 2 context rows (no determination), 11 judged rows.
    assert result.context_rows == 2
    assert result.input_rows == 11
    assert result.balanced
    by_row = {c.row: c for c in result.charges}
    assert {r: c.determination for r, c in by_row.items()} == {
        3: "dismiss_seal",
        4: "reduce",
        5: "not_eligible",
        6: "needs_review",
        7: "needs_review",  # Hand Review
        8: "dismiss_seal",
    }
    solo = by_row[3]
    assert (solo.last_name, solo.first_name, solo.middle_name) == ("SOLO", "HAN", "J")
    assert solo.date_of_birth == date(1970, 1, 1)
    assert solo.disposition_date == date(1995, 3, 10)
    assert solo.case_number == "BA100001"  # "NULL" dropped
    assert solo.statute == "11357(A) HS"
    assert solo.offense_class == "Misdemeanor"
    assert solo.person_id == "S1"
    assert by_row[4].statute == "11359 HS"  # from COMMENT_TEXT
    assert by_row[8].statute == "11359 HS"  # "11359HS" normalised
    rejects = {r.row: r for r in result.rejects}
    assert {r: x.column for r, x in rejects.items()} == {
        10: "case_number",
        11: "date_of_birth",
        12: "determination",
        13: "last_name",
        14: "disposition_date",
    }
    # Messages name the gogen column, never the value.
    assert "PRI_DOB" in rejects[11].reason
    assert "ANTILLES" not in " ".join(r.reason for r in result.rejects)


def test_without_header_row(tmp_path: Path) -> None:
    lines = SMALL.read_text(encoding="utf-8").splitlines(keepends=True)
    headerless = tmp_path / "no-header.csv"
    headerless.write_text("".join(lines[1:]), encoding="utf-8")
    with_header = _validate(SMALL)
    without = _validate(headerless)
    assert without.context_rows == with_header.context_rows
    assert [c.row + 1 for c in without.charges] == [c.row for c in with_header.charges]
    assert [c.model_dump(exclude={"row"}) for c in without.charges] == [
        c.model_dump(exclude={"row"}) for c in with_header.charges
    ]


def test_doj_input_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cadoj.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows([DOJ_COLUMNS, [""] * len(DOJ_COLUMNS)])
    with pytest.raises(InputFileError, match="no eligibility columns"):
        read_table(path, input_format="gogen")


def test_short_row_is_rejected_not_lost(tmp_path: Path) -> None:
    with SMALL.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[2] = rows[2][:50]
    path = tmp_path / "short.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    result = _validate(path)
    assert result.balanced
    reject = next(r for r in result.rejects if r.row == 3)
    assert reject.column is None and "fields" in reject.reason
    assert len(ALL_GOGEN_COLUMNS) == 107


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/gogen is not here")
@pytest.mark.parametrize("name", ["doj_los_angeles_results.csv", "doj_contra_costa_results.csv"])
def test_shared_gogen_results(name: str) -> None:
    path = SHARED / name
    with path.open(newline="") as fh:
        total = sum(1 for _ in csv.reader(fh)) - 1
    result = _validate(path)
    assert result.balanced
    assert result.input_rows + result.context_rows == total
    assert result.charges


def test_cli_generate_from_gogen(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docgen.cli import app

    result = CliRunner().invoke(
        app,
        [
            "generate",
            str(SMALL),
            "--input-format",
            "gogen",
            "--pack",
            "ca-los-angeles",
            "--date",
            "2026-12-01",
            "--out",
            str(tmp_path),
            "--formats",
            "pdf",
            "--workers",
            "1",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "13 rows = 3 in documents + 1 not eligible + 2 needs review + 5 rejected" in result.output
    )
    assert "+ 2 context rows." in result.output
    run_dir = next(tmp_path.iterdir())
    assert (run_dir / "bulk" / "motion-with-exhibit.pdf").is_file()


def test_a_review_row_without_a_case_number_is_listed_for_review(tmp_path: Path) -> None:
    # Issue 15, item 14: the reviewer finds the number; the row is not rejected.
    with SMALL.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    review = list(rows[5])  # row 6: needs_review
    for column in ("Case Number", "FE_NUM_CRT_CASE"):
        review[header.index(column)] = ""
    rows[5] = review
    path = tmp_path / "review.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    result = _validate(path)
    assert result.balanced
    by_row = {c.row: c for c in result.charges}
    assert (by_row[6].determination, by_row[6].case_number) == ("needs_review", "")
    assert 6 not in {r.row for r in result.rejects}
