"""The Illinois caption's text layer reads as the page does (issue 15, item 6).

Page 1 of every Cook motion and order: the caption comes first (court, parties, ")" column,
case number), then the title, then the body; the ")" column holds one ")" a caption line, each
level with its line; and the body's words are not interrupted by stray ")".
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest

CASES = ("2004-CR-0012345", "2015-CR-0777001", "2013-MC2-100233")  # plain, long and CJK names


def _documents(run_dir: Path) -> list[Path]:
    return [
        run_dir / "cases" / case / f"{kind}.pdf" for case in CASES for kind in ("motion", "order")
    ]


def _page_one_lines(path: Path) -> list[str]:
    text = pypdf.PdfReader(path).pages[0].extract_text()
    return [line.strip() for line in text.splitlines() if line.strip()]


def _paren_and_party_rows(path: Path) -> tuple[list[float], list[float]]:
    """Baselines (pt from the bottom) of each ")" and of each caption party line on page 1."""
    doc = pdfium.PdfDocument(path)
    try:
        textpage = doc[0].get_textpage()
        parens, lines = [], set()
        text = textpage.get_text_range()
        start = text.index("PEOPLE")
        end = text.index("Case No.")
        for i in range(start, end):
            left, bottom, _right, _top = textpage.get_charbox(i, loose=True)
            if text[i] == ")":
                parens.append(round(bottom, 0))
            elif not text[i].isspace() and left < 3.6 * 72 + 72:
                lines.add(round(bottom, 0))
        return parens, sorted(lines)
    finally:
        doc.close()


@pytest.mark.parametrize("index", range(len(CASES) * 2))
def test_caption_comes_first_and_reads_as_shown(golden_run, index: int) -> None:
    path = _documents(golden_run.run_dir)[index]
    lines = _page_one_lines(path)
    title = next(i for i, line in enumerate(lines) if line.startswith(("MOTION", "ORDER")))
    assert lines[0] == "IN THE CIRCUIT COURT OF COOK COUNTY, ILLINOIS"
    assert lines[2].startswith("PEOPLE OF THE STATE OF ILLINOIS")
    number = next(i for i, line in enumerate(lines) if line.startswith("Case No."))
    assert number < title
    # The ")" column: one run, right after the parties, as many as the lines beside it.
    parens = [i for i, line in enumerate(lines) if line == ")"]
    assert parens == list(range(parens[0], parens[0] + len(parens)))
    assert parens[-1] + 1 == number
    assert all(")" not in line for line in lines[title:] if line.startswith(("move", "The")))
    party_lines = parens[0] - 2  # after the two court lines
    assert len(parens) == party_lines + 2  # the two blank lines around "v." have theirs too


@pytest.mark.parametrize("index", range(len(CASES) * 2))
def test_each_paren_is_level_with_a_caption_line(golden_run, index: int) -> None:
    path = _documents(golden_run.run_dir)[index]
    parens, party_rows = _paren_and_party_rows(path)
    # every line of the parties has its ")" beside it (within 1 pt)
    assert all(min(abs(row - p) for p in parens) <= 1 for row in party_rows)
    steps = {round(a - b) for a, b in itertools.pairwise(parens)}
    assert steps == {15}  # one a 15 pt line, no gaps, nothing hidden past the last line


def test_motion_body_reads_contiguous(golden_run) -> None:
    text = pypdf.PdfReader(_documents(golden_run.run_dir)[0]).pages[0].extract_text()
    assert "move this Honorable Court" in text
    assert (
        text.index("IN THE CIRCUIT COURT")
        < text.index("MOTION TO VACATE")
        < text.index("move this Honorable Court")
    )
