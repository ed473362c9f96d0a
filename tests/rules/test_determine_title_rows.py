"""`docgen determine` accounts for the lines it does not read as records, as `generate` does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from docgen.cli import app
from docgen.rules.engine import determine
from tests.paths import FIXTURES

RAW = FIXTURES / "il-raw-sample.csv"
AS_OF = ["--as-of", "2026-12-01"]
DAY = date(2026, 12, 1)


def _determine(path: Path, out: Path) -> str:
    args = ["determine", str(path), "--rules", "il-crta", *AS_OF, "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_title_row_above_the_header_is_reported_with_its_row_number(tmp_path: Path) -> None:
    titled = tmp_path / "titled.csv"
    titled.write_text("DOJ export 2026-11-01\n" + RAW.read_text(encoding="utf-8"), "utf-8")
    output = _determine(titled, tmp_path / "results.csv")
    assert "row 1 held a single cell (a title or a note)" in output
    review = (tmp_path / "results-review.html").read_text(encoding="utf-8")
    assert "Row 1, above the column names, holds a single cell" in review
    result = determine(titled, "il-crta", DAY)
    assert result.title_rows == [1]
    # the records are the same as without the title
    plain = determine(RAW, "il-crta", DAY)
    assert len(result.determinations) == len(plain.determinations)


def test_a_file_of_records_only_reports_no_title_rows(tmp_path: Path) -> None:
    output = _determine(RAW, tmp_path / "results.csv")
    assert "single cell" not in output
    assert "above the column names" not in (tmp_path / "results-review.html").read_text("utf-8")
    assert determine(RAW, "il-crta", DAY).title_rows == []


def test_a_doj_file_whose_header_is_not_on_row_1_is_refused_naming_file_and_row(
    tmp_path: Path,
) -> None:
    # The DOJ reader finds its columns by name on row 1: a title there is a clear error, never a
    # silently skipped line.
    titled = tmp_path / "cadoj.csv"
    doj = (FIXTURES / "ca_prop64" / "los_angeles.csv").read_text(encoding="utf-8")
    titled.write_text("DOJ export 2026-11-01\n" + doj, "utf-8")
    args = ["determine", str(titled), "--rules", "ca-prop64", "--county", "LOS ANGELES", *AS_OF]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "r.csv")])
    assert result.exit_code == 1
    assert "cadoj.csv, row 1: missing DOJ column(s)" in result.output
