"""End-to-end runs of the pipeline over the fixed golden input."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import stat
from pathlib import Path

import pikepdf
from pypdf import PdfReader

from tests.conftest import GOLDEN_INPUT, run_pipeline


def _hashes(run_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(run_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(run_dir.rglob("*"))
        if p.is_file()
    }


def test_every_input_row_is_accounted_for(golden_run) -> None:
    r = golden_run
    assert r.input_rows == 9
    assert (r.rows_in_documents, r.rows_not_eligible, r.rows_needs_review, r.rows_rejected) == (
        7,
        1,
        1,
        0,
    )
    assert r.accounted
    report = (r.run_dir / "report.html").read_text()
    assert (
        "9 input rows = 7 in documents + 1 not eligible + 1 needing review + 0 rejected" in report
    )


def test_documents_per_case_and_per_person(golden_run) -> None:
    run_dir = golden_run.run_dir
    cases = sorted(p.name for p in (run_dir / "cases").iterdir())
    # Six eligible cases; not_eligible and needs_review cases get no court documents.
    assert cases == [
        "2004-CR-0012345",
        "2009-MC1-204511",
        "2011-CR-0456789",
        "2012-MC1-318870",
        "2013-MC2-100233",
        "2015-CR-0777001",
    ]
    for case in cases:
        names = sorted(p.name for p in (run_dir / "cases" / case).iterdir())
        assert names == ["motion.docx", "motion.pdf", "order.docx", "order.pdf"]
    # One letter per person with an address (IL-100001 has two cases, one letter).
    letters = sorted(p.name for p in (run_dir / "letters").iterdir())
    assert letters == [f"IL-10000{i}.{ext}" for i in (1, 2, 3, 4) for ext in ("docx", "pdf")]
    assert [p["person_id"] for p in golden_run.people_without_address] == ["IL-100005"]
    report = (run_dir / "report.html").read_text()
    assert "Wolfeschlegelsteinhausen-Bergerdorff" in report


def test_report_lists_batch_files_with_pages_only_where_they_have_pages(golden_run) -> None:
    import re

    report = (golden_run.run_dir / "report.html").read_text()
    batches = dict(re.findall(r'<li><a href="(batches/[^"]+)">[^<]+</a>([^<]*)</li>', report))
    pdf_pages = len(PdfReader(golden_run.run_dir / "batches/orders-for-judge.pdf").pages)
    assert batches["batches/orders-for-judge.pdf"] == f" ({pdf_pages} pages)"
    assert batches["batches/orders-for-judge.docx"] == ""  # Word counts its own pages


def test_letter_lists_all_cleared_cases_of_the_person(golden_run) -> None:
    reader = PdfReader(golden_run.run_dir / "letters" / "IL-100001.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "2004-CR-0012345" in text and "2009-MC1-204511" in text


def test_judge_batch_has_one_bookmark_per_case_in_case_order(golden_run) -> None:
    batch = golden_run.run_dir / "batches" / "orders-for-judge.pdf"
    with pikepdf.open(batch) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
        assert len(titles) == 6
        assert [t.split(" — ")[0] for t in titles] == sorted(t.split(" — ")[0] for t in titles)
        total_pages = len(pdf.pages)
        assert pdf.open_metadata().pdfa_status == "2B"
    expected_pages = sum(
        len(PdfReader(p).pages) for p in (golden_run.run_dir / "cases").glob("*/order.pdf")
    )
    # The orders follow the judge's index (docgen.judge.signing; tests/judge/test_signing.py).
    index_pages = json.loads((golden_run.run_dir / "batches/orders-for-judge.json").read_text())[
        "index_pages"
    ]
    assert total_pages == index_pages + expected_pages


def test_letters_print_file_is_sorted_by_zip(golden_run) -> None:
    batch = golden_run.run_dir / "batches" / "letters-print.pdf"
    with pikepdf.open(batch) as pdf, pdf.open_outline() as outline:
        zips = [item.title.split(" — ")[0] for item in outline.root]
    assert zips == sorted(zips) and len(zips) == 4


def test_manifest_describes_every_file_truthfully(golden_run) -> None:
    run_dir = golden_run.run_dir
    manifest = json.loads((run_dir / "manifest.json").read_text())
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = {str(p.relative_to(run_dir)) for p in run_dir.rglob("*") if p.is_file()}
    assert on_disk - set(listed) == {"manifest.json"}
    for path, entry in listed.items():
        data = (run_dir / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), path
        assert entry["bytes"] == len(data)
        if path.endswith(".pdf") and entry["kind"] != "report":
            assert entry["pages"] == len(PdfReader(io.BytesIO(data)).pages)
    assert listed["cases/2004-CR-0012345/motion.pdf"]["rows"] == [2, 3]
    assert listed["letters/IL-100001.pdf"]["rows"] == [2, 3, 4]
    assert manifest["accounting"]["balanced"] is True


def test_output_files_are_owner_only(golden_run) -> None:
    for path in golden_run.run_dir.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is readable by others ({oct(mode)})"


def test_same_input_and_date_give_byte_identical_files(golden_run, tmp_path: Path) -> None:
    again = run_pipeline(GOLDEN_INPUT, tmp_path, workers=2)
    assert again.run_id == golden_run.run_id
    assert _hashes(again.run_dir) == _hashes(golden_run.run_dir)


def test_rejects_and_not_eligible_rows_are_reported(tmp_path: Path) -> None:
    source = GOLDEN_INPUT.read_text(encoding="utf-8").splitlines()
    header, rows = source[0], source[1:]
    # Break one row's date, and add an exact duplicate of another.
    broken = rows[3].replace("2011-08-03", "2011-02-30")
    lines = [header, *rows[:3], broken, *rows[4:], rows[5]]
    bad_input = tmp_path / "results.csv"
    bad_input.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_pipeline(bad_input, tmp_path / "out")
    assert result.input_rows == 10
    assert result.rows_rejected == 2
    assert result.accounted
    with (result.run_dir / "rejects.csv").open(encoding="utf-8-sig") as fh:
        rejects = list(csv.DictReader(fh))
    assert [int(r["row"]) for r in rejects] == [5, 11]
    assert rejects[0]["column"] == "disposition_date"
    # José's only case was rejected: no motion, no letter.
    assert not (result.run_dir / "cases" / "2011-CR-0456789").exists()
    assert not (result.run_dir / "letters" / "IL-100002.pdf").exists()
