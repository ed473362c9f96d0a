"""The golden-file suite: every document type, both letter languages, PDF pages + text + DOCX XML."""

from __future__ import annotations

import pytest

from tests.golden_files import GOLDENS_DIR, compare_docx, compare_pdf

# name -> output path (without extension) inside the run folder of tests/fixtures/golden-input.csv
GOLDEN_DOCUMENTS = {
    "motion": "cases/2004-CR-0012345/motion",
    "order": "cases/2004-CR-0012345/order",
    "motion-long-name": "cases/2015-CR-0777001/motion",
    "motion-cjk-name": "cases/2013-MC2-100233/motion",
    "letter-en": "letters/IL-100001",
    "letter-es": "letters/IL-100002",
}


@pytest.mark.parametrize("name", sorted(GOLDEN_DOCUMENTS))
def test_pdf_matches_golden(golden_run, update_goldens: bool, name: str) -> None:
    pdf = golden_run.run_dir / f"{GOLDEN_DOCUMENTS[name]}.pdf"
    problems = compare_pdf(
        pdf, GOLDENS_DIR / "il-cook" / name / "pdf", f"il-cook-{name}", update_goldens
    )
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("name", sorted(GOLDEN_DOCUMENTS))
def test_docx_matches_golden(golden_run, update_goldens: bool, name: str) -> None:
    docx = golden_run.run_dir / f"{GOLDEN_DOCUMENTS[name]}.docx"
    problems = compare_docx(
        docx, GOLDENS_DIR / "il-cook" / name / "docx", f"il-cook-{name}", update_goldens
    )
    assert not problems, "\n".join(map(str, problems))
