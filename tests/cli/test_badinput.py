"""The bad-input corpus, driven through the CLI as a user would run it.

Each file in tests/badinput/ has a table in tests/badinput/cases.toml with its exact outcome: a
clear message (file, row) and exit 1 when the file cannot be used at all, or else the accounting
and exactly the rows of rejects.csv (row, column, reason), exit 0, and exit 1 under --strict.
A new case is a new file plus its table; this test picks it up.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pypdf
import pytest
from docx import Document
from typer.testing import CliRunner

from docgen.cli import app
from tests import paths

CORPUS = paths.BADINPUT
CASES: dict[str, dict[str, Any]] = tomllib.loads(
    (CORPUS / "cases.toml").read_text(encoding="utf-8")
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
runner = CliRunner()


def generate(path: Path, out: Path, *extra: str):
    args = ["generate", str(path), "--pack", "il-cook", "--date", "2026-12-01"]
    args += ["--out", str(out), "--quiet", "--workers", "1", *extra]
    return runner.invoke(app, args, catch_exceptions=False)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def test_corpus_files_and_table_match() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.name != "cases.toml"}
    assert files == set(CASES), "every corpus file needs a table in cases.toml and vice versa"
    assert len(files) >= 40


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    path = CORPUS / name
    out = tmp_path / "out"
    result = generate(path, out, "--formats", "pdf,docx" if case.get("literal") else "pdf")
    assert "Traceback" not in result.output
    assert "Internal error" not in result.output, result.output

    if "error" in case:
        assert result.exit_code == 1, result.output
        assert f"Error: {case['error'].format(file=path)}" in result.output
        assert not out.exists() or not any(out.iterdir()), "no run folder for an unusable file"
        return

    assert result.exit_code == 0, result.output
    (run_dir,) = out.iterdir()
    accounting = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))["accounting"]
    rows, in_docs, not_eligible, review, rejected = case["accounting"]
    assert [
        accounting["input_rows"],
        accounting["in_documents"],
        accounting["not_eligible"],
        accounting["needs_review"],
        accounting["rejected"],
    ] == case["accounting"]
    # Nothing silently dropped: every input row is in exactly one place.
    assert rows == in_docs + not_eligible + review + rejected + accounting.get("context", 0)
    assert accounting["balanced"] is True
    assert f"{rows} rows = {in_docs} in documents + {not_eligible} not eligible" in result.output

    text = (run_dir / "rejects.csv").read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["row", "column", "case_number", "reason"]
    got = [[int(r[0]), r[1], r[3]] for r in table[1:]]
    assert got == case.get("rejects", [])
    for line in table[1:]:
        for cell in line:
            assert not cell.startswith(FORMULA_START), f"live formula in rejects.csv: {cell!r}"

    if case.get("rejects"):
        strict = generate(path, tmp_path / "strict", "--formats", "pdf", "--strict")
        assert strict.exit_code == 1, strict.output
        again = generate(path, tmp_path / "plain", "--formats", "pdf")
        assert again.exit_code == 0
    _no_live_spreadsheet_output(run_dir)
    if case.get("literal"):
        _literal_in_documents(run_dir, case["literal"])


def _no_live_spreadsheet_output(run_dir: Path) -> None:
    """rejects.csv is the only spreadsheet docgen writes; HTML report escapes markup."""
    sheets = [p.name for p in run_dir.rglob("*") if p.suffix.lower() in (".csv", ".xlsx")]
    assert sheets == ["rejects.csv"]
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in report
    assert "{{ 7*7 }}" not in report or "&lt;" in report


def _literal_in_documents(run_dir: Path, literals: list[str]) -> None:
    pdf_text = ""
    docx_text = ""
    for path in sorted(run_dir.glob("cases/*/motion.pdf")):
        pdf_text += " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages) + "\n"
    for path in sorted(run_dir.glob("cases/*/motion.docx")):
        doc = Document(str(path))
        docx_text += " ".join(p.text for p in doc.paragraphs) + "\n"
        for table in doc.tables:
            for row in table.rows:
                docx_text += " ".join(c.text for c in row.cells) + "\n"
    for literal in literals:
        # Narrow table cells wrap anywhere (even after "/"): compare without white space there.
        squeezed = re.sub(r"\s+", "", flat(pdf_text))
        assert flat(literal) in flat(pdf_text) or re.sub(r"\s+", "", literal) in squeezed, (
            f"{literal!r} not literal in the PDF"
        )
        assert flat(literal) in flat(docx_text), f"{literal!r} not literal in the DOCX"


# ---- the 50 MB file: made at run time, streamed through validation ---------------------------


def test_fifty_megabyte_file_streams_and_every_row_is_counted(tmp_path: Path) -> None:
    header = (CORPUS / "cols-extra.csv").read_text(encoding="utf-8").splitlines()[0]
    columns = header.split(",")
    good = dict.fromkeys(columns, "")
    good.update(
        person_id="IL-1",
        last_name="Rivera",
        first_name="Ana",
        date_of_birth="1980-04-12",
        statute="720 ILCS 550/4(a)",
        offense_description="Possession of cannabis (not more than 2.5 g)",
        offense_class="Class C misdemeanor",
        disposition="Conviction",
        disposition_date="2010-03-04",
        determination="not_eligible",
        reason="r" * 900,  # long free text: a realistic 50 MB in fewer rows
    )
    path = tmp_path / "big.csv"
    target = 50 * 1024 * 1024
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(columns)
        while fh.tell() < target:
            count += 1
            good["case_number"] = f"2010-CR-{count:07d}"
            writer.writerow(good.values())
        count += 1  # the very last row is bad: the whole file is read, not a sample
        good["case_number"] = f"2010-CR-{count:07d}"
        good["date_of_birth"] = "2019-02-30"
        writer.writerow(good.values())
    assert path.stat().st_size >= target
    result = runner.invoke(app, ["validate", str(path), "--date", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert f"big.csv: {count} rows, {count - 1} valid, 1 rejected." in result.output
    assert f"row {count + 1}, column date_of_birth: date_of_birth: not a real calendar" in (
        result.output
    )
    strict = runner.invoke(app, ["validate", str(path), "--date", "2026-12-01", "--strict"])
    assert strict.exit_code == 1
