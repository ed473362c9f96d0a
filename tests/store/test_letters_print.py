"""The letters' print file for a mail house: printed on both sides (--duplex-letters), every
letter starts on a sheet of its own, so no sheet carries two people's letters; printed on one
side (the default), nothing is added. The file says which (its /ViewerPreferences /Duplex), so
the print dialog starts right."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.judge.batches import BundlePart, write_bundle
from tests.conftest import GOLDEN_INPUT, run_pipeline

PRINT_FILE = "batches/letters-print.pdf"


def _letters(run_dir: Path) -> list[tuple[str, int]]:
    """(bookmark, first page) of each letter in the print file."""
    with pikepdf.open(run_dir / PRINT_FILE) as pdf, pdf.open_outline() as outline:
        return [(str(item.title), pdf.pages.index(item.destination[0])) for item in outline.root]


def _pages_of_letters(run_dir: Path) -> list[int]:
    manifest = json.loads((run_dir / "manifest.json").read_text())
    by_path = {f["path"]: f for f in manifest["files"]}
    letters = sorted(
        (f for f in manifest["files"] if f["kind"] == "letter" and f["format"] == "pdf"),
        key=lambda f: f["path"],
    )
    assert letters
    return [by_path[f["path"]]["pages"] for f in letters]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    one_sided = run_pipeline(GOLDEN_INPUT, tmp_path_factory.mktemp("simplex"), formats=("pdf",))
    two_sided = run_pipeline(
        GOLDEN_INPUT, tmp_path_factory.mktemp("duplex"), formats=("pdf",), duplex_letters=True
    )
    return one_sided.run_dir, two_sided.run_dir


def test_one_sided_print_file_adds_nothing_and_says_simplex(runs) -> None:
    run_dir, _ = runs
    with pikepdf.open(run_dir / PRINT_FILE) as pdf:
        assert len(pdf.pages) == sum(_pages_of_letters(run_dir))
        assert pdf.Root.ViewerPreferences.Duplex == pikepdf.Name("/Simplex")


def test_two_sided_print_file_starts_every_letter_on_its_own_sheet(runs) -> None:
    one_sided, run_dir = runs
    pages = _pages_of_letters(run_dir)
    assert any(p % 2 for p in pages), "the golden run should have a one-page letter"
    starts = [first for _, first in _letters(run_dir)]
    assert all(first % 2 == 0 for first in starts), starts  # the front of a sheet
    with pikepdf.open(run_dir / PRINT_FILE) as pdf, pikepdf.open(one_sided / PRINT_FILE) as plain:
        assert len(pdf.pages) == sum(p + p % 2 for p in pages)
        assert pdf.Root.ViewerPreferences.Duplex == pikepdf.Name("/DuplexFlipLongEdge")
        # The added backs are blank and the size of the letter before them.
        plain_starts = [first for _, first in _letters(one_sided)]
        for start, plain_start, count in zip(starts, plain_starts, pages, strict=True):
            if count % 2:
                back = pdf.pages[start + count]
                assert "/Contents" not in back.obj or not back.obj.Contents.read_bytes().strip()
                assert list(back.mediabox) == list(plain.pages[plain_start].mediabox)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    [entry] = [f for f in manifest["files"] if f["path"] == PRINT_FILE]
    assert entry["pages"] == sum(p + p % 2 for p in pages)


def test_a_bundle_joined_in_groups_pads_alike(tmp_path: Path, runs) -> None:
    """Above `group` parts the bundle is joined through temporary files: the same padding."""
    run_dir, _ = runs
    letters = sorted((run_dir / "letters").glob("*.pdf"))
    parts = [BundlePart(path, path.stem) for path in letters]
    grouped, whole = tmp_path / "grouped.pdf", tmp_path / "whole.pdf"
    write_bundle(grouped, parts, "Letters", group=2, duplex=True)
    write_bundle(whole, parts, "Letters", duplex=True)
    with pikepdf.open(grouped) as a, pikepdf.open(whole) as b:
        assert len(a.pages) == len(b.pages) and len(a.pages) % 2 == 0
        with a.open_outline() as oa, b.open_outline() as ob:
            assert [a.pages.index(i.destination[0]) for i in oa.root] == [
                b.pages.index(i.destination[0]) for i in ob.root
            ]
        assert a.Root.ViewerPreferences.Duplex == pikepdf.Name("/DuplexFlipLongEdge")


def test_the_command_line_takes_duplex_letters(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "generate", str(GOLDEN_INPUT), "--pack", "il-cook", "--date", "2026-12-01",
            "--out", str(tmp_path), "--formats", "pdf", "--duplex-letters", "--quiet",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (run_dir,) = tmp_path.iterdir()
    assert all(first % 2 == 0 for _, first in _letters(run_dir))
