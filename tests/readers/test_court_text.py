"""Issue 15, item 10: what reaches a court document is the code section and the data, never
DOJ's data-entry marker ("CHRG 11358 HS") or the apostrophe docgen's CSV writer puts before a
value a spreadsheet would run as a formula (`docgen determine`'s results fed to `generate`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.model import ALL_COLUMNS
from docgen.readers import read_table
from docgen.readers.gogen import code_section
from docgen.store.output import csv_bytes, neutralise_formula, restore_formula
from tests.ca_prop64_rows import event, write_doj
from tests.conftest import run_pipeline


@pytest.mark.parametrize(
    ("comment", "statute"),
    [
        ("CHRG 11358 HS", "11358 HS"),
        (":CHRG 11358 HS", "11358 HS"),
        ("CHARGE: 11359HS", "11359 HS"),
    ],
)
def test_the_doj_charge_marker_is_not_part_of_the_code_section(comment: str, statute: str) -> None:
    assert code_section("SEE COMMENT FOR CHARGE", comment)[0] == statute


@pytest.mark.parametrize("value", ["=1+1", "-x", "+1", "@SUM", "'=a", "''-b", "it's", "'x", ""])
def test_the_formula_quote_round_trips(value: str) -> None:
    assert restore_formula(neutralise_formula(value)) == value


def test_a_csv_docgen_wrote_reads_back_without_its_formula_quotes(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    row = {c: "" for c in ALL_COLUMNS} | {"last_name": "-DOE", "offense_description": "=x"}
    path.write_bytes(csv_bytes(ALL_COLUMNS, [[row[c] for c in ALL_COLUMNS]]))
    assert b"'-DOE" in path.read_bytes()  # neutralised on disk
    table = read_table(path)
    try:
        cells = next(iter(table.rows)).cells
    finally:
        table.close()
    assert cells["last_name"] == "-DOE" and cells["offense_description"] == "=x"


def test_determine_then_generate_prints_the_code_section_without_chrg(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docgen.cli import app

    rows = [
        event("1", "101001001000", "20100101", "SEE COMMENT FOR CHARGE", comment="CHRG 11358 HS"),
        event("1", "101001002000", "20100101", "11357(A) HS-POSSESS"),
    ]
    for number, row in enumerate(rows, 1):
        row["FE_NUM_CRT_CASE"] = f"BA10000{number}"
    raw = write_doj(tmp_path / "doj.csv", rows)
    results = tmp_path / "results.csv"
    args = ["determine", str(raw), "--rules", "ca-prop64", "--county", "LOS ANGELES"]
    args += ["--as-of", "2019-11-11", "--out", str(results)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "CHRG" not in results.read_text(encoding="utf-8-sig")
    run = run_pipeline(results, tmp_path / "out", pack_name="ca-los-angeles", formats=("pdf",))
    text = " ".join(p.extract_text() for p in PdfReader(run.run_dir / "bulk/order.pdf").pages)
    assert "11358 HS" in text and "CHRG" not in text
