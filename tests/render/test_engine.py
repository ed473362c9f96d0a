"""The rendering libraries docgen reports and fingerprints (docgen.render.engine).

- The versions are this process's own: WeasyPrint's, and HarfBuzz's as far as HarfBuzz itself
  says it is at least that version.
- Without HarfBuzz's subsetter, the fingerprint a resumed run and cluster workers compare
  changes, and `generate` says why its PDFs are slower and differ, naming the package.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint
from typer.testing import CliRunner
from weasyprint.text import ffi

from docgen.cli import app
from docgen.render import engine
from docgen.store import resume
from tests.conftest import GOLDEN_INPUT


@pytest.fixture()
def without_subsetter(monkeypatch: pytest.MonkeyPatch) -> None:
    engine.engine_versions.cache_clear()
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    yield
    engine.engine_versions.cache_clear()


def test_versions_are_this_process_libraries() -> None:
    versions = engine.engine_versions()
    assert versions["weasyprint"] == weasyprint.__version__
    major, minor, micro = map(int, versions["harfbuzz"].split("."))
    assert ffi.harfbuzz.hb_version_atleast(major, minor, micro)
    assert not ffi.harfbuzz.hb_version_atleast(major, minor, micro + 1)
    assert not ffi.harfbuzz.hb_version_atleast(major, minor + 1, 0)
    pango = ffi.pango.pango_version()
    assert versions["pango"] == f"{pango // 10000}.{pango // 100 % 100}.{pango % 100}"
    assert versions["harfbuzz-subset"] == ("missing" if ffi.harfbuzz_subset is None else "present")


def test_a_machine_without_the_subsetter_has_another_fingerprint(without_subsetter: None) -> None:
    engine.engine_versions.cache_clear()
    assert engine.engine_versions()["harfbuzz-subset"] == "missing"
    missing = resume.code_fingerprint("il-cook")
    warning = engine.subsetter_warning()
    assert warning is not None and "libharfbuzz-subset0" in warning
    engine.engine_versions.cache_clear()
    ffi.harfbuzz_subset = object()  # restored by monkeypatch
    assert engine.subsetter_warning() is None
    assert resume.code_fingerprint("il-cook") != missing


def test_generate_warns_without_the_subsetter(tmp_path: Path, without_subsetter: None) -> None:
    args = ["generate", str(GOLDEN_INPUT), "--pack", "il-cook", "--date", "2026-12-01", "--quiet"]
    runner = CliRunner()
    docx_only = runner.invoke(app, [*args, "--out", str(tmp_path / "a"), "--formats", "docx"])
    assert docx_only.exit_code == 0, docx_only.output
    assert "libharfbuzz-subset" not in docx_only.stderr  # no PDFs, nothing slower
    with_pdf = runner.invoke(app, [*args, "--out", str(tmp_path / "b"), "--formats", "pdf"])
    assert with_pdf.exit_code == 0, with_pdf.output
    assert "libharfbuzz-subset is not installed" in " ".join(with_pdf.stderr.split())
