"""PDF and DOCX are two renderings of one view model: they must carry the same words."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.render.docx import docx_text

WORD = re.compile(r"[^\W_]+")


def pdf_words_without_footers(path: Path) -> Counter[str]:
    words: Counter[str] = Counter()
    for page in PdfReader(path).pages:
        lines = (page.extract_text() or "").splitlines()
        # The last line of every page is the running footer (case number, page X of Y); the
        # DOCX carries it as a field in its footer part, which docx_text leaves out.
        words.update(WORD.findall("\n".join(lines[:-1])))
    return words


def _documents(run_dir: Path) -> list[Path]:
    return sorted(p.with_suffix("") for p in run_dir.glob("**/*.docx"))


def test_every_document_has_both_formats(golden_run) -> None:
    run_dir = golden_run.run_dir
    stems = _documents(run_dir)
    # 6 motions, 6 orders, 4 letters, and the judge's signing batch (docgen.judge.signing)
    assert len(stems) == 6 * 2 + 4 + 1
    for stem in stems:
        assert stem.with_suffix(".pdf").is_file()


@pytest.mark.parametrize("kind", ["motion", "order", "letter"])
def test_pdf_and_docx_carry_the_same_words(golden_run, kind: str) -> None:
    run_dir = golden_run.run_dir
    checked = 0
    for stem in _documents(run_dir):
        is_letter = stem.parent.name == "letters"
        if (kind == "letter") != is_letter or (not is_letter and stem.name != kind):
            continue
        pdf_words = pdf_words_without_footers(stem.with_suffix(".pdf"))
        docx_words = Counter(WORD.findall(docx_text(stem.with_suffix(".docx").read_bytes())))
        assert pdf_words == docx_words, (
            f"{stem.relative_to(run_dir)}: only in PDF {dict(pdf_words - docx_words)}, "
            f"only in DOCX {dict(docx_words - pdf_words)}"
        )
        checked += 1
    assert checked >= 4
