"""The golden suite must catch what a clerk would: a caption moved by 2 mm, a changed word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.packs import REPO_ROOT, load_pack
from docgen.pipeline import RunOptions, validate_input
from docgen.plan.planner import plan_documents
from docgen.render.docx import DocxRenderer
from docgen.render.pdf import PdfRenderer
from tests import golden_files
from tests.conftest import GOLDEN_INPUT, RUN_DATE
from tests.golden_files import GOLDENS_DIR, compare_docx, compare_pdf

MOTION = "cases/2004-CR-0012345/motion"


@pytest.fixture
def pack_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of templates/ that a test may damage; docgen reads packs from it."""
    copy = tmp_path / "templates"
    shutil.copytree(REPO_ROOT / "templates", copy)
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(copy))
    return copy / "il-cook"


def _render_motion(tmp_path: Path, fmt: str) -> Path:
    pack = load_pack("il-cook")
    options = RunOptions(
        input_path=GOLDEN_INPUT, pack_name="il-cook", run_date=RUN_DATE, out_dir=tmp_path
    )
    plan = plan_documents(pack, validate_input(options), RUN_DATE)
    spec = next(s for s in plan.specs if s.relpath == MOTION)
    renderer = PdfRenderer(pack, RUN_DATE) if fmt == "pdf" else DocxRenderer(pack, RUN_DATE)
    target = tmp_path / f"motion.{fmt}"
    target.write_bytes(renderer.render(spec))
    return target


def _golden(fmt: str) -> Path:
    return GOLDENS_DIR / "il-cook" / "motion" / fmt


def test_unchanged_pack_copy_matches_goldens(pack_copy: Path, tmp_path: Path) -> None:
    # The control: without damage, the copy renders exactly what the goldens hold.
    assert compare_pdf(_render_motion(tmp_path, "pdf"), _golden("pdf"), "control", False) == []
    assert compare_docx(_render_motion(tmp_path, "docx"), _golden("docx"), "control", False) == []


def test_caption_shifted_2mm_fails(pack_copy: Path, tmp_path: Path) -> None:
    css = pack_copy.parent / "_layouts" / "illinois" / "style.css"
    css.write_text(css.read_text() + "\n.caption { position: relative; top: 2mm; }\n")
    problems = compare_pdf(_render_motion(tmp_path, "pdf"), _golden("pdf"), "shifted", False)
    assert any("page 1" in p.what and "pixels differ" in p.detail for p in problems), problems
    assert (golden_files.RESULTS_DIR / "shifted" / "page-1-diff.png").is_file()


def test_changed_word_fails_in_pdf_and_docx(pack_copy: Path, tmp_path: Path) -> None:
    toml = pack_copy.parent / "_layouts" / "illinois" / "wording.toml"  # the Illinois wording
    text = toml.read_text()
    assert "move this Honorable Court" in text
    toml.write_text(text.replace("move this Honorable Court", "move this Honourable Court"))
    pdf_problems = compare_pdf(_render_motion(tmp_path, "pdf"), _golden("pdf"), "word", False)
    assert any("text" in p.what for p in pdf_problems), pdf_problems
    docx_problems = compare_docx(_render_motion(tmp_path, "docx"), _golden("docx"), "word", False)
    assert docx_problems and "document.xml differs" in docx_problems[0].detail
