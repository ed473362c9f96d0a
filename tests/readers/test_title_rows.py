"""Exports with a title above the column names ("Cannabis eligibility export", a run date in
the first cell, a blank line): the header is the first row of two or more cells; the rows above
it are title rows, not records, reported in the run; records keep their file row numbers."""

from __future__ import annotations

import codecs
from pathlib import Path

from docgen.readers import read_table
from docgen.readers.table import MAX_TITLE_ROWS
from tests.conftest import run_pipeline
from tests.readers.test_readers import HEADER, make_xlsx, rows_of, write

RECORDS = [
    ["IL1", "Pérez", "José", "1980-01-02", "Chicago"],
    ["IL2", "Smith", "Ann", "1981-03-04", "Evanston"],
]


def test_csv_title_lines_above_a_semicolon_header(tmp_path: Path) -> None:
    # A title without the delimiter, a note in the first cell with empty cells after it, a
    # blank line, then the header; BOM and CRLF as Excel writes them.
    lines = ["Cannabis expungement eligibility export", "Run 12/01/2026;;;;", ""]
    lines += [";".join(HEADER), *(";".join(r) for r in RECORDS)]
    path = write(tmp_path, "in.csv", codecs.BOM_UTF8 + "\r\n".join([*lines, ""]).encode())
    table = read_table(path)
    assert table.delimiter == ";"
    assert table.columns == HEADER
    assert table.title_rows == [1, 2]
    rows = rows_of(table)
    assert [(r.row, r.cells["first_name"]) for r in rows] == [(5, "José"), (6, "Ann")]


def test_xlsx_title_rows_above_the_header(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "r.xlsx",
        [["Eligibility results, Circuit Court of Cook County"], [None], HEADER, *RECORDS],
    )
    table = read_table(path)
    assert table.columns == HEADER and table.title_rows == [1]
    assert [r.row for r in rows_of(table)] == [4, 5]


def test_a_file_of_one_column_keeps_its_first_row_as_the_header(tmp_path: Path) -> None:
    rows = ["person_id"] + [f"IL{n}" for n in range(MAX_TITLE_ROWS + 3)]
    table = read_table(write(tmp_path, "in.csv", ("\n".join(rows) + "\n").encode()))
    assert table.columns == ["person_id"] and table.title_rows == []
    assert [r.cells["person_id"] for r in rows_of(table)] == rows[1:]
    short = read_table(write(tmp_path, "short.csv", b"person_id\nIL1\nIL2\n"))
    assert [r.row for r in rows_of(short)] == [2, 3] and short.title_rows == []


def test_a_run_reports_the_title_row_and_rejects_the_totals_line(tmp_path: Path) -> None:
    source = (Path(__file__).resolve().parents[1] / "fixtures" / "golden-input.csv").read_text(
        encoding="utf-8"
    )
    records = source.count("\n") - 1  # a header and one record a line (no quoted newlines)
    path = tmp_path / "export.csv"
    path.write_text(f"Eligibility export\n{source}Total rows: {records}\n", encoding="utf-8")
    result = run_pipeline(path, tmp_path / "out", formats=("pdf",))
    assert result.title_rows == [1]
    assert result.input_rows == records + 1  # the totals line is a row: rejected, not lost
    assert any(r.row == records + 3 for r in result.rejects)
    report = (result.run_dir / "report.html").read_text(encoding="utf-8")
    assert "Row 1, above the column names, holds a single cell" in report
