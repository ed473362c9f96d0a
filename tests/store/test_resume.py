"""Resume: a rerun of an interrupted or damaged run redoes only the missing documents.

Writes are atomic, so a file under its final name is complete; the rerun recomputes the manifest
entries of the files it keeps, and the result is byte-identical to an uninterrupted run.
(tests/store/test_faults.py kills a real run with kill -9 and checks the rerun keeps its files.)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from docgen.pipeline import RunCancelled, RunOptions, run
from docgen.render import pool as render_pool
from docgen.render import worker
from docgen.store import resume
from tests.conftest import GOLDEN_INPUT, RUN_DATE, run_pipeline


def tree(run_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(run_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(run_dir.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The relpath of every document rendered in this process (workers=1 renders in-process)."""
    seen: list[str] = []
    real = worker.render_and_write

    def counting(run_dir: Path, spec):  # type: ignore[no-untyped-def]
        seen.append(spec.relpath)
        return real(run_dir, spec)

    monkeypatch.setattr(worker, "render_and_write", counting)
    return seen


@pytest.fixture
def clean(tmp_path: Path) -> dict[str, str]:
    return tree(run_pipeline(GOLDEN_INPUT, tmp_path / "clean").run_dir)


def test_rerun_after_deleting_files_renders_only_those(
    tmp_path: Path, clean: dict[str, str], renders: list[str]
) -> None:
    first = run_pipeline(GOLDEN_INPUT, tmp_path / "out")
    assert first.documents_reused == 0
    planned = len(renders)
    assert planned == 16  # 6 motions, 6 orders, 4 letters
    run_dir = first.run_dir
    (run_dir / "cases/2004-CR-0012345/motion.pdf").unlink()
    (run_dir / "letters/IL-100003.docx").unlink()
    (run_dir / "batches/orders-for-judge.pdf").unlink()
    renders.clear()

    again = run_pipeline(GOLDEN_INPUT, tmp_path / "out")
    assert sorted(renders) == ["cases/2004-CR-0012345/motion", "letters/IL-100003"]
    assert again.documents_reused == planned - 2
    assert tree(run_dir) == clean
    assert not (run_dir / resume.STAMP).exists()


def test_interrupted_run_resumes_where_it_stopped(
    tmp_path: Path, clean: dict[str, str], renders: list[str]
) -> None:
    options = RunOptions(
        input_path=GOLDEN_INPUT,
        pack_name="il-cook",
        run_date=RUN_DATE,
        out_dir=tmp_path / "out",
        workers=1,
    )
    calls = {"n": 0}

    def stop_after_five() -> bool:
        calls["n"] += 1
        return calls["n"] > 5

    with pytest.raises(RunCancelled):
        run(options, cancel=stop_after_five)
    assert len(renders) == 5
    (run_dir,) = (tmp_path / "out").iterdir()
    assert (run_dir / resume.STAMP).exists() and not (run_dir / "manifest.json").exists()
    done_before = set(renders)
    renders.clear()

    result = run(options)
    assert len(renders) == 16 - 5 and not done_before & set(renders)
    assert result.documents_reused == 5
    assert tree(run_dir) == clean


def test_files_from_another_version_or_input_are_not_reused(
    tmp_path: Path, clean: dict[str, str], renders: list[str]
) -> None:
    first = run_pipeline(GOLDEN_INPUT, tmp_path / "out")
    manifest = first.run_dir / "manifest.json"
    data = json.loads(manifest.read_text())
    assert data["resume_key"] == resume.run_key(
        "il-cook", RUN_DATE.isoformat(), data["input"]["sha256"]
    )
    data["resume_key"] = "made by another docgen"
    manifest.write_text(json.dumps(data))
    renders.clear()
    again = run_pipeline(GOLDEN_INPUT, tmp_path / "out")
    assert len(renders) == 16 and again.documents_reused == 0
    assert tree(first.run_dir) == clean


def test_parallel_rerun_also_resumes(
    tmp_path: Path, clean: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_pool, "PARALLEL_THRESHOLD", 1)  # the worker pool, even for 16
    first = run_pipeline(GOLDEN_INPUT, tmp_path / "out", workers=2)
    for path in sorted(first.run_dir.glob("cases/*/order.pdf"))[:3]:
        path.unlink()
    again = run_pipeline(GOLDEN_INPUT, tmp_path / "out", workers=2)
    assert again.documents_reused == 16 - 3
    assert tree(first.run_dir) == clean


def _listed(run_dir: Path) -> set[str]:
    manifest = json.loads((run_dir / "manifest.json").read_text())
    return {f["path"] for f in manifest["files"]} | {"manifest.json"}


def test_a_docx_only_run_never_shares_the_folder_of_a_pdf_run(tmp_path: Path) -> None:
    # Issue 15, item 16: a DOCX-only run of the same input left the PDF run's 433 PDFs beside
    # its own manifest. Now it is another run (its own folder), and every file is listed.
    both = run_pipeline(GOLDEN_INPUT, tmp_path / "out")
    docx = run_pipeline(GOLDEN_INPUT, tmp_path / "out", formats=("docx",))
    assert docx.run_dir != both.run_dir
    for run_dir in (both.run_dir, docx.run_dir):
        assert set(tree(run_dir)) == _listed(run_dir)
    assert not any(p.endswith(".pdf") and p.startswith("cases/") for p in tree(docx.run_dir))


def test_a_rerun_into_the_same_folder_leaves_no_file_the_manifest_does_not_list(
    tmp_path: Path,
) -> None:
    both = run_pipeline(GOLDEN_INPUT, tmp_path / "out", run_id="same")
    assert any(p.startswith("cases/") and p.endswith(".pdf") for p in tree(both.run_dir))
    docx = run_pipeline(GOLDEN_INPUT, tmp_path / "out", run_id="same", formats=("docx",))
    assert docx.run_dir == both.run_dir
    assert set(tree(docx.run_dir)) == _listed(docx.run_dir)
    assert not any(p.startswith("cases/") and p.endswith(".pdf") for p in tree(docx.run_dir))


def test_a_killed_docx_only_run_still_resumes(tmp_path: Path, renders: list[str]) -> None:
    options = RunOptions(
        input_path=GOLDEN_INPUT,
        pack_name="il-cook",
        run_date=RUN_DATE,
        out_dir=tmp_path / "out",
        workers=1,
        formats=("docx",),
    )
    with pytest.raises(RunCancelled):
        run(options, cancel=lambda: len(renders) >= 5)
    renders.clear()
    result = run(options)
    assert result.documents_reused == 5
    assert set(tree(result.run_dir)) == _listed(result.run_dir)
