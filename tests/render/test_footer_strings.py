"""The running footer is printed from named strings (CSS string-set, templates/_layouts/common/
_footer.html) by the page's bottom margin boxes, not laid out as an element on every page
(issue 17 part 2: cheaper layout). These pin what it prints where the goldens do not reach: a
bulk motion whose page numbers run on into its exhibit prints the file's total, not its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests import paths
from tests.conftest import FIXTURES, run_pipeline

REPO_ROOT = paths.REPO_ROOT


def test_running_exhibit_numbers_give_the_motion_the_files_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    wording = packs / "_layouts" / "illinois" / "wording.toml"
    text = wording.read_text(encoding="utf-8")
    assert 'exhibit_page_numbers = "own"' in text
    wording.write_text(
        text.replace('exhibit_page_numbers = "own"', 'exhibit_page_numbers = "running"'),
        encoding="utf-8",
    )
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    run = run_pipeline(
        FIXTURES / "il-will-input.csv", tmp_path / "out", pack_name="il-will", formats=("pdf",)
    )
    pages = [
        p.extract_text() or ""
        for p in PdfReader(run.run_dir / "bulk" / "motion-with-exhibit.pdf").pages
    ]
    total = len(pages)
    motion_pages = [
        i for i, t in enumerate(pages, start=1) if "Case No." in t and "EXHIBIT A" not in t
    ]
    assert motion_pages and total > len(motion_pages)  # the exhibit's pages follow
    for number in motion_pages:
        assert f"Page {number} of {total}" in pages[number - 1], pages[number - 1][-200:]
