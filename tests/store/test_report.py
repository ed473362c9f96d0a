"""The run report as an office reads it: counts with their nouns in the right number, and case
numbers, person ids and code sections kept whole in its tables (a number broken at its hyphen
is one a paralegal misreads or cannot search for)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest

from docgen.plural import counted
from tests.conftest import run_pipeline
from tests.plan.test_agency_directory import HEADER, csv_row


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 letters"), (1, "1 letter"), (2, "2 letters"), (20_000, "20,000 letters")],
)
def test_counted(count: int, expected: str) -> None:
    assert counted(count, "letter") == expected
    assert counted(1, "person", "people") == "1 person"
    assert counted(3, "person", "people") == "3 people"


def _report_lines(run_dir: Path) -> list[str]:
    pdf = pypdfium2.PdfDocument(str(run_dir / "report.pdf"))
    try:
        return [
            line.strip()
            for page in pdf
            for line in page.get_textpage().get_text_range().splitlines()
        ]
    finally:
        pdf.close()


def test_report_of_one_case_counts_in_the_singular_and_keeps_numbers_whole(
    tmp_path: Path,
) -> None:
    # A long reason takes the table's width, as real review reasons do: the narrow columns left
    # would break "2016-MC4-9515703" at its hyphens.
    reason = ',"Quantity not recorded in the court file; verify the weight before filing it"\n'
    review = csv_row("Berwyn Police Department", "4c", "Class A misdemeanor", "2016-MC4-9515703", 2)
    review = review.replace(",vacate_expunge\n", ",needs_review" + reason).replace("P-2,", "P-1,")
    eligible = csv_row(
        "Berwyn Police Department", "5a", "Class B misdemeanor", "2012-MC4-0000001", 1
    )
    path = tmp_path / "in.csv"
    path.write_text(
        HEADER.replace("\n", ",reason\n") + eligible.replace("\n", ",\n") + review,
        encoding="utf-8",
    )
    result = run_pipeline(path, tmp_path / "out", formats=("pdf",))
    lines = _report_lines(result.run_dir)
    text = " ".join(" ".join(lines).split())
    assert "1 eligible case with a motion and an order; 1 letter; 1 person in the input." in text
    assert "(s)" not in text
    # The review table's case number and code section each on one line, whole.
    assert any("2016-MC4-9515703" in line for line in lines), lines  # not "2016-" then "MC4-..."
    assert any("720 ILCS 550/4(c)" in line for line in lines), lines
