"""Will County in bulk mode: one motion with Exhibit A listing every case, one order citing the
exhibit by page and case number range, in the Illinois wording il-cook uses (shared, not copied).

Goldens: tests/goldens/il-will/bulk-motion and bulk-order (PDF pages, text, DOCX XML) for
tests/fixtures/il-will-input.csv (`docgen synth --cases 60 --seed 7 --pack il-will`: Will County
case numbers, 2015CF001234 style, the only ones the pack accepts), updated only with
`--update-goldens`.
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from docgen.cli import app
from docgen.packs import load_pack, packs_dir
from docgen.pipeline import RunOptions, validate_input
from docgen.plan.bulk import exhibit_rows
from docgen.plan.group import group_charges
from docgen.render.exhibit_layout import geometry, paginate
from tests.conftest import FIXTURES, RUN_DATE, run_pipeline
from tests.golden_files import GOLDENS_DIR, compare_docx, compare_pdf

INPUT = FIXTURES / "il-will-input.csv"
CASE_NUMBER = re.compile(r"\b(?:19|20)\d\d(?:CF|CM)\d{6}\b")  # Will County: 2015CF001234
runner = CliRunner()


@pytest.fixture(scope="module")
def will_run(tmp_path_factory: pytest.TempPathFactory):
    return run_pipeline(INPUT, tmp_path_factory.mktemp("il-will"), pack_name="il-will")


@pytest.fixture(scope="module")
def manifest(will_run) -> dict:
    return json.loads((will_run.run_dir / "manifest.json").read_text())


@pytest.fixture(scope="module")
def input_rows() -> list[dict[str, str]]:
    with INPUT.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def page_texts(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def exhibit_pages(pdf: Path) -> list[str]:
    """The text of Exhibit A's table pages (landscape, after the cover page)."""
    reader = PdfReader(pdf)
    landscape = [
        " ".join(p.extract_text().split())
        for p in reader.pages
        if p.mediabox.width > p.mediabox.height
    ]
    assert landscape and "EXHIBIT A" in landscape[0]
    return landscape[1:]  # the first landscape page is the exhibit's cover


def test_bulk_mode_makes_one_motion_and_one_order(will_run, manifest) -> None:
    kinds = {(e["kind"], e["format"]) for e in manifest["files"]}
    assert {("bulk-motion", "pdf"), ("bulk-motion", "docx")} <= kinds
    assert {("bulk-order", "pdf"), ("bulk-order", "docx")} <= kinds
    assert not (will_run.run_dir / "cases").exists()  # no per-case filings in bulk mode
    first = page_texts(will_run.run_dir / "bulk/motion-with-exhibit.pdf")[0]
    assert "IN THE CIRCUIT COURT OF THE TWELFTH JUDICIAL CIRCUIT WILL COUNTY, ILLINOIS" in first
    assert "PEOPLE OF THE STATE OF ILLINOIS, Plaintiff," in first
    assert "THE PERSONS LISTED IN EXHIBIT A, Defendants." in first
    assert "MOTION TO VACATE AND EXPUNGE" in first
    assert "Case No. ______________" in first  # the clerk assigns the number


def test_row_accounting_and_every_document_row_in_the_motion(manifest, input_rows) -> None:
    accounting = manifest["accounting"]
    assert accounting["input_rows"] == len(input_rows)
    assert accounting["balanced"] is True
    assert accounting["input_rows"] == (
        accounting["in_documents"]
        + accounting["not_eligible"]
        + accounting["needs_review"]
        + accounting["rejected"]
    )
    wanted = sorted(
        i for i, row in enumerate(input_rows, start=2) if row["determination"] == "vacate_expunge"
    )
    assert accounting["in_documents"] == len(wanted)
    (motion,) = [
        e for e in manifest["files"] if e["kind"] == "bulk-motion" and e["format"] == "pdf"
    ]
    (order,) = [e for e in manifest["files"] if e["kind"] == "bulk-order" and e["format"] == "pdf"]
    assert motion["rows"] == wanted
    assert order["rows"] == wanted


def test_exhibit_lists_every_case_in_case_number_order(will_run, input_rows) -> None:
    pages = exhibit_pages(will_run.run_dir / "bulk/motion-with-exhibit.pdf")
    listed = [n for text in pages for n in CASE_NUMBER.findall(text)]
    expected = sorted(
        r["case_number"] for r in input_rows if r["determination"] == "vacate_expunge"
    )
    assert listed == expected  # every conviction once, by case number (a case per charge row)
    assert all(f"Page {i} of {len(pages)}" in text for i, text in enumerate(pages, start=1))
    assert all("No. Case Number Name Year of Birth Statute Disposition Date" in t for t in pages)


def test_exhibit_names_are_never_truncated(will_run, input_rows) -> None:
    pack = load_pack("il-will")
    options = RunOptions(INPUT, "il-will", RUN_DATE, Path("."))
    people = group_charges(validate_input(options).charges, str(INPUT)).people
    rows = exhibit_rows(pack, people)
    _, pages = paginate(rows, pack.wording("bulk")["exhibit_headers"], geometry(pack))
    laid_out = [row for page in pages for row in page]
    assert len(laid_out) == len(rows)
    text = " ".join(exhibit_pages(will_run.run_dir / "bulk/motion-with-exhibit.pdf"))
    long_name = "Wolfeschlegelsteinhausen-Bergerdorff-Montgomery-Fitzwilliams, Alexandra"
    assert any(row[2] == long_name for row in rows)
    for row, cells in zip(rows, laid_out, strict=True):
        name_lines = cells[2]
        # Wrapped, never cut: the lines hold every character of the name, in order...
        assert "".join(name_lines).replace(" ", "") == row[2].replace(" ", "")
        # ...and every line of it is printed in the exhibit.
        assert all(line in text for line in name_lines), row[2]
        assert row[1] in text
    assert any(len(cells[2]) > 1 for cells in laid_out)  # the long name did wrap


def test_filings_show_the_year_of_birth_only(will_run, input_rows) -> None:
    text = " ".join(page_texts(will_run.run_dir / "bulk/motion-with-exhibit.pdf"))
    for row in input_rows:
        born = date.fromisoformat(row["date_of_birth"])
        assert born.strftime("%m/%d/%Y") not in text  # Rule 138
    years = {
        row["date_of_birth"][:4] for row in input_rows if row["determination"] == "vacate_expunge"
    }
    assert all(year in text for year in years)


def test_order_cites_every_exhibit_page_by_its_case_number_range(will_run) -> None:
    pages = exhibit_pages(will_run.run_dir / "bulk/motion-with-exhibit.pdf")
    order = " ".join(page_texts(will_run.run_dir / "bulk/order.pdf"))
    assert "Exhibit A page Rows Case numbers from to" in order
    row = 1
    for number, text in enumerate(pages, start=1):
        cases = CASE_NUMBER.findall(text)
        last = row + len(cases) - 1
        # The order's line for this page: its rows and the first and last case number on it.
        assert f"{number} {row}\u2013{last} {cases[0]} {cases[-1]}" in order, number
        row = last + 1
    assert f"to each of the {row - 1} convictions listed in Exhibit A" in order
    assert "ORDER TO VACATE AND EXPUNGE" in order and "Chief Judge" in order


def test_docx_exhibit_breaks_its_pages_where_the_pdf_does(will_run) -> None:
    # The order cites "Exhibit A page N": the Word version must have the same rows on page N.
    from docx import Document

    pdf_pages = exhibit_pages(will_run.run_dir / "bulk/motion-with-exhibit.pdf")
    pdf_rows = [[n for n in CASE_NUMBER.findall(text)] for text in pdf_pages]
    document = Document(str(will_run.run_dir / "bulk/motion-with-exhibit.docx"))
    tables = [t for t in document.tables if t.rows and t.rows[0].cells[0].text == "No."]
    docx_rows = [[row.cells[1].text for row in t.rows[1:]] for t in tables]
    assert docx_rows == pdf_rows
    # One table per page, each after a page break (the first after the cover's section break).
    body = document.element.body
    breaks = body.xpath(".//w:br[@w:type='page']")
    assert len(breaks) == len(tables) - 1


def test_will_shares_the_illinois_wording_with_cook() -> None:
    own = tomllib.loads((packs_dir() / "il-will" / "pack.toml").read_text(encoding="utf-8"))
    # Not copied: il-will's own file has no wording tables...
    for table in ("motion", "order", "bulk_motion", "bulk_order", "letter", "petition_motion"):
        assert table not in own
    will, cook = load_pack("il-will"), load_pack("il-cook")
    # ...and reads the same words as il-cook, from the shared Illinois layout.
    for table in ("motion", "order", "bulk_motion", "petition_motion", "notice_of_filing"):
        assert will.wording(table) == cook.wording(table)
    assert will.config.law == cook.config.law
    # The counties still differ where they differ.
    assert will.config.court["lines"] != cook.config.court["lines"]
    assert will.config.pack.filing_mode == "bulk" and cook.config.pack.filing_mode == "per_case"


def test_will_filings_pass_the_will_rules(will_run) -> None:
    result = runner.invoke(app, ["check", str(will_run.run_dir)])
    assert result.exit_code == 0, result.output
    assert "checked against the il-will rules" in result.output
    assert "0 fail" in result.output


def test_generate_with_il_will_works_on_synth_output(tmp_path: Path) -> None:
    demo = tmp_path / "demo.csv"
    assert (
        runner.invoke(
            app, ["synth", "--cases", "25", "--seed", "3", "--pack", "il-will", "--out", str(demo)]
        ).exit_code
        == 0
    )
    args = ["generate", str(demo), "--pack", "il-will", "--date", "2026-12-01", "--quiet"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "out"), "--formats", "pdf"])
    assert result.exit_code == 0, result.output
    (run_dir,) = (tmp_path / "out").iterdir()
    assert (run_dir / "bulk/motion-with-exhibit.pdf").is_file()
    assert json.loads((run_dir / "manifest.json").read_text())["accounting"]["balanced"] is True
    assert "0 rejected" in result.output


def test_il_will_rejects_cook_case_numbers(tmp_path: Path) -> None:
    # Cook's synth output (2014-MC1-4858838 style) in a Will run: every row is another court's.
    demo = tmp_path / "cook.csv"
    assert (
        runner.invoke(app, ["synth", "--cases", "5", "--seed", "3", "--out", str(demo)]).exit_code
        == 0
    )
    rows = len(demo.read_text(encoding="utf-8").splitlines()) - 1
    args = ["generate", str(demo), "--pack", "il-will", "--date", "2026-12-01", "--quiet"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "out"), "--formats", "docx"])
    assert result.exit_code == 0, result.output
    assert f"{rows} rows = 0 in documents + 0 not eligible + 0 needs review + {rows} rejected" in (
        " ".join(result.output.split())
    )
    (run_dir,) = (tmp_path / "out").iterdir()
    with (run_dir / "rejects.csv").open(encoding="utf-8-sig") as fh:
        rejects = list(csv.DictReader(fh))
    assert {r["column"] for r in rejects} == {"case_number"}
    assert {r["reason"] for r in rejects} == {
        "case_number: not a Will County case number (the pack accepts 2015CF001234, "
        "2015CM001234, 15 CF 1234)"
    }
    strict = runner.invoke(app, [*args, "--out", str(tmp_path / "strict"), "--strict"])
    assert strict.exit_code == 1
    assert f"{rows} rows are not for pack il-will's court and --strict stops the run" in (
        " ".join(strict.output.split())
    )
    assert not (tmp_path / "strict").exists()


@pytest.mark.parametrize(
    ("name", "path"), [("bulk-motion", "bulk/motion-with-exhibit"), ("bulk-order", "bulk/order")]
)
def test_il_will_goldens(will_run, update_goldens: bool, name: str, path: str) -> None:
    stem = will_run.run_dir / path
    golden = GOLDENS_DIR / "il-will" / name
    problems = compare_pdf(Path(f"{stem}.pdf"), golden / "pdf", f"il-will-{name}", update_goldens)
    problems += compare_docx(
        Path(f"{stem}.docx"), golden / "docx", f"il-will-{name}", update_goldens
    )
    assert not problems, "\n".join(map(str, problems))


def test_resume_key_covers_the_shared_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # il-will's folder holds only pack.toml: an edit to the Illinois layout's wording must still
    # stop a rerun from reusing documents made with the old words.
    import shutil

    from docgen.store.resume import code_fingerprint

    copy = tmp_path / "templates"
    shutil.copytree(packs_dir(), copy)
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(copy))
    before = code_fingerprint("il-will")
    wording = copy / "_layouts" / "illinois" / "wording.toml"
    wording.write_text(wording.read_text(encoding="utf-8").replace("Honorable", "Honourable"))
    assert code_fingerprint("il-will") != before
