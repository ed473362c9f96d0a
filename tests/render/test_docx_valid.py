"""Every Word file docgen ships or writes passes the Open XML SDK's validation (openxml-audit, its
port to Python): no errors and no warnings.

LibreOffice opening a file proves little about Word, which answers a schema violation (an element
out of the schema's order, a stray core property) with "unreadable content" and an offer to
repair. Both have happened here: stray core properties (tests/render/test_docx_core_properties.py) and
table borders after the table's look in the judge's Word batch.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests import paths
from tests.conftest import GOGEN_GOLDEN, run_pipeline
from tests.ooxml_check import docx_problems

ROOT = paths.REPO_ROOT
TEMPLATES = sorted((ROOT / "templates").rglob("*.docx"))
FIXTURES = paths.FIXTURES


def all_problems(run_dir: Path) -> tuple[int, list[str]]:
    files = sorted(run_dir.rglob("*.docx"))
    problems = [p for f in files for p in docx_problems(f, str(f.relative_to(run_dir)))]
    return len(files), problems


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_template_is_valid(template: Path) -> None:
    assert not docx_problems(template), "\n".join(docx_problems(template))


def test_every_docx_of_a_cook_county_run_is_valid(golden_run) -> None:
    """Motions, orders, letters (English and Spanish), notices and the judge's Word batch."""
    count, problems = all_problems(golden_run.run_dir)
    assert count >= 10 and (golden_run.run_dir / "batches" / "orders-for-judge.docx").exists()
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("pack", ["ca-los-angeles", "ca-san-francisco"])
def test_every_docx_of_a_california_run_is_valid(pack: str, tmp_path: Path) -> None:
    """Pleading paper (line numbers in the header), the bulk motion with Exhibit A, the bulk
    order, letters and the judge's Word batch."""
    result = run_pipeline(
        GOGEN_GOLDEN[pack],
        tmp_path,
        pack_name=pack,
        input_format="gogen",
        addresses=FIXTURES / "gogen" / "addresses.csv",
        formats=("docx",),
    )
    count, problems = all_problems(result.run_dir)
    assert count >= 4
    assert not problems, "\n".join(problems[:20])


def test_every_docx_of_a_will_county_run_is_valid(tmp_path: Path) -> None:
    result = run_pipeline(
        FIXTURES / "il-will-input.csv", tmp_path, pack_name="il-will", formats=("docx",)
    )
    count, problems = all_problems(result.run_dir)
    assert count >= 2
    assert not problems, "\n".join(problems[:20])


def _rewritten(source: Path, part: str, edit, out: Path) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, edit(data) if info.filename == part else data)
    return out


def test_the_check_catches_what_word_refuses(golden_run, tmp_path: Path) -> None:
    """The two faults met so far, put back into a good file, are reported: table borders after
    the table's look (schema order) and a core property in the custom-properties namespace."""
    batch = golden_run.run_dir / "batches" / "orders-for-judge.docx"
    assert not docx_problems(batch)

    def borders_last(xml: bytes) -> bytes:
        start, end = xml.index(b"<w:tblBorders>"), xml.index(b"</w:tblBorders>") + 15
        borders, rest = xml[start:end], xml[:start] + xml[end:]
        close = rest.index(b"</w:tblPr>")
        return rest[:close] + borders + rest[close:]

    misordered = docx_problems(
        _rewritten(batch, "word/document.xml", borders_last, tmp_path / "misordered.docx")
    )
    assert any("tblBorders" in p for p in misordered), misordered

    custom = b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    stray = b'<x:revision xmlns:x="' + custom + b'">1</x:revision></cp:coreProperties>'
    core = docx_problems(
        _rewritten(
            batch,
            "docProps/core.xml",
            lambda xml: xml.replace(b"</cp:coreProperties>", stray),
            tmp_path / "stray.docx",
        )
    )
    assert any("custom-properties" in p for p in core), core
