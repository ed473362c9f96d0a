"""`docgen check out/<run>`: every filing of the golden run passes the pack's [rules], and each
rule catches a document that breaks it (doctored PDFs, or a pack copy with a broken layout)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from typer.testing import CliRunner

from docgen.check.checker import check_pdf, check_run
from docgen.cli import app
from docgen.filing_rules import FilingRules, rules_of
from docgen.packs import REPO_ROOT, load_pack
from tests.conftest import run_pipeline

runner = CliRunner()
MOTION = "cases/2004-CR-0012345/motion.pdf"
ORDER = "cases/2004-CR-0012345/order.pdf"

ONE_CASE = (
    "person_id,last_name,first_name,date_of_birth,address_line1,city,state,postal_code,"
    "case_number,arrest_date,arresting_agency,statute,offense_description,offense_class,"
    "disposition,disposition_date,determination\n"
    "P-1,Smith,John,1980-01-02,1 Main St,Chicago,IL,60601,2010-CR-0000001,2010-01-05,"
    'Chicago Police Department,720 ILCS 550/4(a),"{offense}",Class C misdemeanor,Conviction,'
    "2010-03-04,vacate_expunge\n"
)
LONG_OFFENSE = "Possession of cannabis " + "(not more than 2.5 g) " * 4


def check_cli(run_dir: Path):
    return runner.invoke(app, ["check", str(run_dir)], catch_exceptions=False)


@pytest.fixture
def run_copy(golden_run, tmp_path: Path) -> Path:
    target = tmp_path / "run"
    shutil.copytree(golden_run.run_dir, target)
    return target


def test_every_filing_of_the_golden_run_passes(golden_run) -> None:
    result = check_cli(golden_run.run_dir)
    assert result.exit_code == 0, result.output
    # 6 cases x (motion + order): the letters, batches and report are not filings; the 4
    # letters are held to the letter rules ([rules.letters]) instead.
    assert "12 court documents checked against the il-cook rules: 12 pass, 0 fail" in (
        result.output
    )
    assert "4 letters checked against the il-cook letter rules: 4 pass, 0 fail" in result.output
    report = check_run(golden_run.run_dir)
    court = sorted({Path(f.path).name for f in report.files if not f.letter})
    assert court == ["motion.pdf", "order.pdf"]
    assert sorted(Path(f.path).parent.name for f in report.files if f.letter) == ["letters"] * 4


def test_rules_come_from_the_pack() -> None:
    rules = rules_of(load_pack("il-cook"))
    assert rules.page_size_in == (8.5, 11.0)
    assert rules.min_font_pt == 12
    assert rules.max_bytes == 25 * 1024 * 1024
    assert rules.stamp_box is not None and rules.stamp_box.documents == ["motion"]


def _doctor(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        extra = change(pdf) or {}
        pdf.save(path, **extra)


def _fails(run_dir: Path, path: str, expected: str) -> str:
    result = check_cli(run_dir)
    assert result.exit_code == 1, result.output
    assert f"{path}: FAIL" in result.output
    assert expected in result.output, result.output
    assert "11 pass, 1 fail" in result.output
    return result.output


def test_encrypted_filing_fails(run_copy: Path) -> None:
    _doctor(
        run_copy / MOTION,
        lambda pdf: {"encryption": pikepdf.Encryption(owner="clerk", user="", R=6)},
    )
    _fails(run_copy, MOTION, "encrypted (courts require unencrypted PDFs)")


def test_password_protected_filing_fails(run_copy: Path) -> None:
    _doctor(
        run_copy / MOTION,
        lambda pdf: {"encryption": pikepdf.Encryption(owner="clerk", user="secret", R=6)},
    )
    _fails(run_copy, MOTION, "encrypted: it needs a password to open")


def test_missing_pdfa_claim_fails(run_copy: Path) -> None:
    def strip(pdf: pikepdf.Pdf) -> None:
        del pdf.Root["/Metadata"]

    _doctor(run_copy / ORDER, strip)
    _fails(run_copy, ORDER, "no PDF/A-2B claim (found none)")


def test_font_not_embedded_fails(run_copy: Path) -> None:
    def unembed(pdf: pikepdf.Pdf) -> None:
        for font in pdf.pages[0].Resources.Font.values():
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0] if descendants else font).FontDescriptor
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in desc:
                    del desc[key]

    _doctor(run_copy / MOTION, unembed)
    out = _fails(run_copy, MOTION, "page 1: font ")
    assert "is not embedded" in out


def test_scanned_image_is_not_searchable(run_copy: Path) -> None:
    path = run_copy / MOTION
    doc = pypdfium2.PdfDocument(str(path))
    images = [doc[i].render(scale=1).to_pil().convert("RGB") for i in range(len(doc))]
    doc.close()
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=72)
    path.write_bytes(buffer.getvalue())
    out = _fails(run_copy, MOTION, "page 1: no searchable text")
    assert "no PDF/A-2B claim" in out
    assert "no case number after 'Case No.'" in out


def test_changed_file_is_noticed_even_when_it_passes_the_rules(run_copy: Path) -> None:
    # Swap two valid filings: each passes every layout rule, but neither is what the run wrote.
    other = run_copy / "cases/2009-MC1-204511/motion.pdf"
    shutil.copy(other, run_copy / MOTION)
    out = _fails(run_copy, MOTION, "changed since the run: SHA-256 differs from the manifest")
    assert out.count("  - ") == 1


def test_missing_filing_fails(run_copy: Path) -> None:
    (run_copy / ORDER).unlink()
    _fails(run_copy, ORDER, "missing: the manifest lists it but the file is not there")


def test_not_a_run_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = check_cli(tmp_path)
    assert result.exit_code == 1
    assert f"{tmp_path}: no manifest.json here" in result.output
    assert "Traceback" not in result.output


# ---- layout faults: a pack copy whose stylesheet breaks one rule, run end to end ------------


def _pack_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    return packs / "il-cook"


def _run_and_check(tmp_path: Path, offense: str = LONG_OFFENSE) -> str:
    source = tmp_path / "one.csv"
    source.write_text(ONE_CASE.format(offense=offense), encoding="utf-8")
    result = run_pipeline(source, tmp_path / "out", formats=("pdf",))
    assert result.rows_in_documents == 1
    checked = check_cli(result.run_dir)
    assert checked.exit_code == 1, checked.output
    return checked.output


@pytest.mark.parametrize(
    ("css", "document", "expected"),
    [
        (".body p { font-size: 9pt; }", "motion", "text at 9.0 pt, below the minimum of 12 pt"),
        (".orders p { text-indent: -0.6in; }", "order", "page 1: ink in the left margin"),
        (
            ".body p { text-align: right; margin-right: -0.5in; }",
            "motion",
            "ink in the right margin",
        ),
        ("@page { margin-top: 0.5in; }", "motion", "page 1: ink in the top margin"),
        (
            "@page { @bottom-left { padding-top: 0.6in; } }",
            "order",
            "ink in the bottom margin outside the footer",
        ),
        (
            ".stamp-box { background: #999; }",
            "motion",
            "page 1: the clerk's stamp box is not blank",
        ),
        ("@page { size: A4; }", "order", "page 1: size 8.27 x 11.69 in, not 8.5 x 11.0 in"),
        (
            "@page { @bottom-left { content: none; } }",
            "motion",
            "the case number (Case No. ...) is not on",
        ),
    ],
)
def test_each_layout_rule_catches_a_broken_stylesheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, css: str, document: str, expected: str
) -> None:
    pack = _pack_copy(tmp_path, monkeypatch)
    with (pack.parent / "_layouts" / "illinois" / "style.css").open("a", encoding="utf-8") as fh:
        fh.write("\n" + css + "\n")
    out = _run_and_check(tmp_path)
    assert f"cases/2010-CR-0000001/{document}.pdf: FAIL" in out
    assert expected in out, out


def test_size_cap_comes_from_the_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = _pack_copy(tmp_path, monkeypatch)
    toml = pack / "pack.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("max_bytes = 26214400", "max_bytes = 20000", 1),
        encoding="utf-8",
    )
    out = _run_and_check(tmp_path)
    assert "is over the cap of 20,000 bytes" in out
    assert "0 pass, 2 fail" in out


@pytest.mark.parametrize(
    ("offense", "expected"),
    [
        ("Possession of cannabis, SSN 123-45-6789", "text that looks like a full Social Security"),
        ("Possession of cannabis, DL A123-4567-8901", "looks like a full Illinois driver's"),
        ("Possession of cannabis, DL B12345678901", "looks like a full Illinois driver's"),
    ],
)
def test_ssn_and_licence_numbers_are_caught_without_echoing_them(
    tmp_path: Path, offense: str, expected: str
) -> None:
    out = _run_and_check(tmp_path, offense)
    assert expected in out
    assert "6789" not in out and "8901" not in out  # the number itself is never printed


def test_check_pdf_passes_a_good_filing_and_names_each_page(golden_run) -> None:
    rules: FilingRules = rules_of(load_pack("il-cook"))
    data = (golden_run.run_dir / MOTION).read_bytes()
    assert check_pdf(data, rules, "motion", "Case No.") == []
    assert check_pdf(b"%PDF-1.7 not really", rules, "motion") == ["not a readable PDF"]


# ---------------------------------------------------------------- nothing to check (issue 15)


def test_a_docx_only_run_is_an_error_not_zero_passes(tmp_path: Path) -> None:
    source = tmp_path / "one.csv"
    source.write_text(ONE_CASE.format(offense="Possession of cannabis"), encoding="utf-8")
    docx_run = run_pipeline(source, tmp_path / "out", formats=("docx",))
    result = check_cli(docx_run.run_dir)
    assert result.exit_code == 1
    assert " ".join(result.output.split()) == (
        f"Error: {docx_run.run_dir}: no PDF court documents to check: the run made 2 court "
        "documents as DOCX only, and the filing rules are the court's rules for PDF filings "
        "Hint: Make the PDFs (docgen generate ... --formats pdf or pdf,docx) and check that run."
    )


def test_a_run_without_court_documents_is_an_error(tmp_path: Path) -> None:
    source = tmp_path / "one.csv"
    text = ONE_CASE.format(offense="Possession of cannabis").replace(
        "vacate_expunge", "not_eligible"
    )
    source.write_text(text, encoding="utf-8")
    empty = run_pipeline(source, tmp_path / "out", formats=("pdf",))
    result = check_cli(empty.run_dir)
    assert result.exit_code == 1
    assert f"{empty.run_dir}: the run made no court documents: nothing to check" in (
        " ".join(result.output.split())
    )
