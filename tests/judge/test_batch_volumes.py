"""Print batches split into volumes (`--batch-pages`): a join holds every page of its file, so a
cap on pages per file bounds its memory however large the run. The rule is one function
(batches.plan_volumes); the manifest lists each volume with its true page count and rows."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest

from docgen.judge.batches import plan_volumes, volume_relpath
from tests.conftest import GOLDEN_INPUT, run_pipeline


@pytest.mark.parametrize(
    ("counts", "cap", "expected"),
    [
        ([1, 1, 1], 10, [(0, 3)]),
        ([2, 2, 2, 2], 4, [(0, 2), (2, 4)]),
        ([2, 3, 2], 4, [(0, 1), (1, 2), (2, 3)]),
        ([5, 1, 1], 3, [(0, 1), (1, 3)]),  # a part larger than the cap is a volume alone
        ([], 3, [(0, 0)]),
    ],
)
def test_plan_volumes(counts: list[int], cap: int, expected: list[tuple[int, int]]) -> None:
    volumes = plan_volumes(counts, cap)
    assert [(v.start, v.stop) for v in volumes] == expected
    covered = [i for v in volumes for i in v]
    assert covered == list(range(len(counts)))  # every part once, in order
    for v in volumes:
        assert len(v) == 1 or sum(counts[v.start : v.stop]) <= cap


def test_volume_names() -> None:
    assert volume_relpath("batches/letters-print.pdf", 1, 1) == "batches/letters-print.pdf"
    assert volume_relpath("batches/letters-print.pdf", 2, 3) == "batches/letters-print-0002.pdf"


@pytest.fixture(scope="module")
def split_run(tmp_path_factory: pytest.TempPathFactory):
    return run_pipeline(
        GOLDEN_INPUT, tmp_path_factory.mktemp("volumes"), formats=("pdf",), batch_pages=3
    )


def test_letters_print_file_in_volumes(split_run) -> None:
    manifest = json.loads((split_run.run_dir / "manifest.json").read_text())
    files = {f["path"]: f for f in manifest["files"]}
    letters = sorted(p for p, f in files.items() if f["kind"] == "letter" and p.endswith(".pdf"))
    volumes = sorted(p for p, f in files.items() if f["kind"] == "letters-batch")
    assert len(volumes) >= 2
    assert "batches/letters-print.pdf" not in files
    assert volumes[0] == "batches/letters-print-0001.pdf"
    bookmarks = 0
    for path in volumes:
        with pikepdf.open(split_run.run_dir / path) as pdf:
            assert files[path]["pages"] == len(pdf.pages)  # passed through, and true
            # Joined pages leave their parts' structure trees behind: no claim to be tagged.
            assert "/MarkInfo" not in pdf.Root and "/StructTreeRoot" not in pdf.Root
            assert pdf.Root.OutputIntents  # still PDF/A, from the first letter
            with pdf.open_outline() as outline:
                bookmarks += len(outline.root)
                assert len(pdf.pages) <= 3 or len(outline.root) == 1
    assert bookmarks == len(letters)  # every letter in exactly one volume
    batch_rows = sorted(r for p in volumes for r in files[p]["rows"])
    letter_rows = sorted(r for p in letters for r in files[p]["rows"])
    assert batch_rows == letter_rows


def test_same_run_again_gives_the_same_volumes(split_run, tmp_path: Path) -> None:
    again = run_pipeline(GOLDEN_INPUT, tmp_path, formats=("pdf",), batch_pages=3)
    for path in sorted((split_run.run_dir / "batches").glob("letters-print-*.pdf")):
        assert (again.run_dir / "batches" / path.name).read_bytes() == path.read_bytes()


def test_a_rerun_with_another_volume_size_leaves_no_old_volumes(tmp_path: Path) -> None:
    first = run_pipeline(GOLDEN_INPUT, tmp_path, formats=("pdf",), batch_pages=3)
    assert (first.run_dir / "batches" / "letters-print-0002.pdf").exists()
    again = run_pipeline(GOLDEN_INPUT, tmp_path, formats=("pdf",), batch_pages=2000)
    assert again.run_dir == first.run_dir
    manifest = json.loads((again.run_dir / "manifest.json").read_text())
    listed = {f["path"] for f in manifest["files"] if f["path"].startswith("batches/")}
    on_disk = {f"batches/{p.name}" for p in (again.run_dir / "batches").iterdir()}
    assert on_disk == listed
    assert "batches/letters-print.pdf" in on_disk
    assert not any("-0001" in p for p in on_disk)
