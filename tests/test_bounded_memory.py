"""Structures that must not grow with the run: the manifest is written piece by piece (same bytes
as one json.dumps), a resumed run reads the previous run key from the manifest's tail (never
parsing tens of MB), and the report PDF lists at most a fixed number of rows per list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docgen import resume
from docgen.output import write_atomic
from docgen.pipeline import json_pieces


def _manifest(files: int) -> dict:
    return {
        "docgen_manifest": 1,
        "run_id": "il-cook-2026-12-01-abc",
        "input": {"file": "résumé «données».csv", "rows": 3},
        "files": [
            {"path": f"cases/C-{i}/motion.pdf", "pages": 2, "rows": [i, i + 1], "language": "es"}
            for i in range(files)
        ],
        "accounting": {"balanced": True, "ratio": 0.5, "none": None},
        "resume_key": "ab" * 32,
    }


@pytest.mark.parametrize("piece_chars", [1, 7, 1 << 20])
def test_manifest_pieces_are_exactly_json_dumps(piece_chars: int) -> None:
    value = _manifest(50)
    pieces = list(json_pieces(value, piece_chars=piece_chars))
    assert b"".join(pieces) == (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()
    if piece_chars == 1:
        assert len(pieces) > 50  # really written piece by piece


def test_write_atomic_takes_pieces(tmp_path: Path) -> None:
    write_atomic(tmp_path / "f.json", (b"a", b"bc", b""))
    assert (tmp_path / "f.json").read_bytes() == b"abc"


def test_previous_key_read_from_the_manifest_tail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    value = _manifest(20_000)  # a few MB
    write_atomic(tmp_path / "manifest.json", json_pieces(value))

    def no_whole_read(*args: object, **kwargs: object) -> str:
        raise AssertionError("the whole manifest was read")

    monkeypatch.setattr(Path, "read_text", no_whole_read)
    assert resume.previous_key(tmp_path) == "ab" * 32


def test_previous_key_of_another_layout_is_still_found(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"resume_key": "k", "files": []}))
    assert resume.previous_key(tmp_path) == "k"
    (tmp_path / "manifest.json").write_text("{broken")
    assert resume.previous_key(tmp_path) is None


def test_report_pdf_lists_a_bounded_number_of_rows(golden_run) -> None:
    """report.html lists every row; the PDF's HTML the first PDF_LIST_ROWS and says so."""
    import dataclasses

    from docgen.packs import load_pack
    from docgen.pipeline import RunOptions
    from docgen.report import PDF_LIST_ROWS, _env, report_context
    from tests.conftest import RUN_DATE

    review = [
        {
            "row": str(i),
            "person_id": f"P{i}",
            "name": "N",
            "case_number": f"C-{i}",
            "statute": "S",
            "reason": "",
        }
        for i in range(PDF_LIST_ROWS + 25)
    ]
    result = dataclasses.replace(golden_run, review=review)
    options = RunOptions(Path("in.csv"), "il-cook", RUN_DATE, Path("out"))
    context = report_context(result, load_pack("il-cook"), options)
    template = _env().get_template("report.html")
    full = template.render(context, list_limit=None)
    short = template.render(context, list_limit=PDF_LIST_ROWS)
    total = len(review)
    assert all(f">C-{i}<" in full for i in range(total))
    assert f">C-{PDF_LIST_ROWS - 1}<" in short and f">C-{PDF_LIST_ROWS}<" not in short
    assert f"The first {PDF_LIST_ROWS} of {total} are listed here" in short
    assert "are listed here" not in full
