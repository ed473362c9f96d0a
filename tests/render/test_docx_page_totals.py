"""Issue 15, item 11: "Page N of M" in the bulk motions' Word files. LibreOffice shows a
SECTIONPAGES field's cached value ("Page 2 of 1"), so the totals are page references to
bookmarks at the end of the motion and of its exhibit (Illinois, where the exhibit numbers its
own pages), or NUMPAGES where the exhibit's numbers run on (California, CRC 3.1110(c))."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.packs import REPO_ROOT
from tests import paths
from tests.conftest import run_pipeline

LAYOUTS = REPO_ROOT / "templates" / "_layouts"
TEMPLATES = [
    LAYOUTS / "illinois" / "bulk-motion.docx",
    LAYOUTS / "california-pleading" / "bulk-motion.docx",
]


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode() for n in zf.namelist() if n.endswith(".xml")}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.parent.name)
def test_no_sectionpages_and_every_page_reference_has_its_bookmark(template: Path) -> None:
    parts = _parts(template)
    everything = "".join(parts.values())
    assert "SECTIONPAGES" not in everything
    bookmarks = set(
        re.findall(r'w:bookmarkStart [^>]*w:name="([^"]+)"', parts["word/document.xml"])
    )
    for name in re.findall(r"PAGEREF (\w+)", everything):
        assert name in bookmarks, name


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_will_motion_footers_read_right_in_libreoffice(tmp_path: Path) -> None:
    fixture = paths.FIXTURES / "il-will-input.csv"
    run = run_pipeline(fixture, tmp_path / "out", pack_name="il-will", formats=("docx",))
    docx = run.run_dir / "bulk" / "motion-with-exhibit.docx"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    labels = [
        re.findall(r"Page (\d+) of (\d+)", page.extract_text() or "")
        for page in PdfReader(tmp_path / "motion-with-exhibit.pdf").pages
    ]
    # Every page that prints a number: N <= M, and M is the count of its part (motion, exhibit).
    numbered = [(int(n), int(m)) for found in labels for n, m in found[:1]]
    assert numbered and all(n <= m for n, m in numbered), numbered
    motion = [m for n, m in numbered[: numbered[0][1]]]
    assert set(motion) == {numbered[0][1]} and numbered[motion[0] - 1][0] == motion[0]
