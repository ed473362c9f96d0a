"""Faults: a killed run, a full disk, an unwritable output folder, a corrupt pack.

A killed run never leaves a partial file under a final name and a rerun gives byte-identical
output; the other faults are one clear line (exit 1) naming the file, never a traceback.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.packs import REPO_ROOT
from tests.conftest import GOLDEN_INPUT

runner = CliRunner()
ARGS = ["--pack", "il-cook", "--date", "2026-12-01", "--quiet", "--workers", "1"]


def cli(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def tree(run_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(run_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(run_dir.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_kill_9_mid_run_leaves_no_partial_file_and_rerun_is_identical(tmp_path: Path) -> None:
    source = tmp_path / "many.csv"
    assert cli("synth", "--cases", "30", "--seed", "11", "--out", str(source)).exit_code == 0
    clean_out, killed_out = tmp_path / "clean", tmp_path / "killed"
    command = [sys.executable, "-m", "docgen", "generate", str(source), *ARGS, "--formats", "pdf"]
    proc = subprocess.Popen(
        [*command, "--out", str(killed_out)],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if len(list(killed_out.glob("*/cases/*/*.pdf"))) >= 6:
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.02)
        else:
            pytest.fail("no documents appeared")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # kill -9 the run (and any worker it started)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    (run_dir,) = killed_out.iterdir()
    assert not (run_dir / "manifest.json").exists(), "killed before the end: no manifest yet"
    finals = [p for p in run_dir.rglob("*.pdf") if not p.name.startswith(".tmp-")]
    assert finals
    for path in finals:  # every file with a final name is a whole PDF
        with pikepdf.open(path) as pdf:
            assert len(pdf.pages) >= 1
    inodes = {path: path.stat().st_ino for path in finals}

    # The clean run, and the rerun into the killed folder: the same bytes, no temp file left.
    assert subprocess.run([*command, "--out", str(clean_out)], cwd=REPO_ROOT).returncode == 0
    assert subprocess.run([*command, "--out", str(killed_out)], cwd=REPO_ROOT).returncode == 0
    (clean_dir,) = clean_out.iterdir()
    assert not list(run_dir.rglob(".tmp-*"))
    clean, rerun = tree(clean_dir), tree(run_dir)
    assert rerun == clean
    # The files written before the kill were already the final bytes, and the rerun resumed:
    # it kept them (same inode: an atomic rewrite would have made a new one).
    for path in finals:
        assert clean[str(path.relative_to(run_dir))] == rerun[str(path.relative_to(run_dir))]
        if "cases" in path.parts or "letters" in path.parts:
            assert path.stat().st_ino == inodes[path], f"{path} was rendered again"


def test_output_under_a_regular_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    result = cli("generate", str(GOLDEN_INPUT), *ARGS, "--out", str(blocker / "out"))
    assert result.exit_code == 1
    assert f"Error: cannot create output folder {blocker / 'out'}" in result.output
    assert "Traceback" not in result.output


def test_full_disk_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import docgen.store.output

    real_fsync = os.fsync
    calls = {"n": 0}

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > 3:  # the disk fills up after a few files
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(docgen.store.output.os, "fsync", fsync)
    out = tmp_path / "out"
    result = cli("generate", str(GOLDEN_INPUT), *ARGS, "--formats", "pdf", "--out", str(out))
    assert result.exit_code == 1
    assert "Error: cannot write " in result.output
    assert ": the disk is full" in result.output
    assert "Traceback" not in result.output
    assert not list(out.rglob(".tmp-*")), "the failed write left its temporary file"
    for pdf in out.rglob("*.pdf"):
        with pikepdf.open(pdf):
            pass


def test_unwritable_output_folder_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, where chmod does not stop writes: simulate the refusal instead.
    import docgen.store.output

    def mkstemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(docgen.store.output.tempfile, "mkstemp", mkstemp)
    result = cli("generate", str(GOLDEN_INPUT), *ARGS, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert "Error: cannot write " in result.output
    assert "Permission denied" in result.output
    assert "Traceback" not in result.output


# ---- a corrupt pack: the message names the file and the line ---------------------------------


@pytest.fixture
def pack_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    return packs / "il-cook"


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_corrupt_pack_toml_names_file_and_line(pack_copy: Path, tmp_path: Path) -> None:
    toml = pack_copy / "pack.toml"
    line = _line_of(toml, 'judge_title = "Judge"')
    text = toml.read_text(encoding="utf-8").replace(
        'judge_title = "Judge"', 'judge_title = "Judge', 1
    )
    toml.write_text(text, encoding="utf-8")
    result = cli("generate", str(GOLDEN_INPUT), *ARGS, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"Error: {toml}: invalid TOML" in result.output
    assert f"line {line}" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_corrupt_html_template_names_file_and_line(pack_copy: Path, tmp_path: Path) -> None:
    template = pack_copy.parent / "_layouts" / "illinois" / "motion.html"
    original = template.read_text(encoding="utf-8")
    line = _line_of(template, "{% block content %}")
    text = original.replace("{% block content %}", "{% block content %}{% if doc %}", 1)
    assert text != original
    template.write_text(text, encoding="utf-8")
    result = cli("generate", str(GOLDEN_INPUT), *ARGS, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"Error: {template}, line " in result.output
    assert "Traceback" not in result.output
    reported = int(result.output.split(f"{template}, line ")[1].split(":")[0])
    assert reported >= line  # Jinja reports where the unclosed block was noticed


def test_missing_wording_in_pack_names_the_table(pack_copy: Path, tmp_path: Path) -> None:
    toml = pack_copy.parent / "_layouts" / "illinois" / "wording.toml"  # the shared wording
    text = toml.read_text(encoding="utf-8").replace(
        "{{ law.relief_statute }} to vacate", "{{ law.nowhere }} to vacate", 1
    )
    toml.write_text(text, encoding="utf-8")
    result = cli("generate", str(GOLDEN_INPUT), *ARGS, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"Error: {toml}: wording [motion.intro] cannot be rendered" in result.output
    assert "nowhere" in result.output


def test_corrupt_docx_template_names_the_file(pack_copy: Path, tmp_path: Path) -> None:
    (pack_copy.parent / "_layouts" / "illinois" / "order.docx").write_bytes(b"not a zip file")
    result = cli("generate", str(GOLDEN_INPUT), *ARGS, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert "order.docx" in result.output
    assert "Traceback" not in result.output
    assert "Internal error" not in result.output
