"""The run report as an office reads it: counts with their nouns in the right number, and case
numbers, person ids and code sections kept whole in its tables (a number broken at its hyphen
is one a paralegal misreads or cannot search for)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2
import pytest

from docgen.packs import load_pack
from docgen.pipeline import RunOptions, run
from docgen.plural import counted
from docgen.store.report import write_report
from tests import paths
from tests.conftest import GOLDEN_INPUT, RUN_DATE, run_pipeline
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


# ------------------------------------------------ cases by year and by division (documents.md)

COLUMNS = (
    "person_id,last_name,first_name,date_of_birth,address_line1,city,state,postal_code,"
    "case_number,court_division,statute,offense_description,offense_class,disposition,"
    "disposition_date,determination\n"
)
POSSESSION = (
    '720 ILCS 550/4(a),"Possession of cannabis, not more than 2.5 grams",Class C misdemeanor'
)
DELIVERY = (
    '720 ILCS 550/5(a),"Manufacture or delivery of cannabis, not more than 2.5 grams",'
    "Class B misdemeanor"
)
FIRST_DISTRICT = '"Municipal Department, First District"'


def _person(n: int) -> str:
    return f"P-{n},Smith{n},John,1980-01-02,{n} Main St,Chicago,IL,6060{n}"


def _table(lines: list[str], heading: str) -> list[str]:
    """The rows of the bar table under a report heading (pdf text, one row a line): the lines
    after its header row ("Year Cases Share") that end in a share."""
    header = next(i for i in range(lines.index(heading) + 1, len(lines)) if "Share" in lines[i])
    rows = []
    for line in lines[header + 1 :]:
        if not line.endswith("%"):
            break
        rows.append(line)
    return rows


def test_report_counts_cases_by_year_and_by_division(tmp_path: Path) -> None:
    """Four cases with documents in two divisions (one named in the input in another case, one
    left to the pack's default) and three years; a case with convictions in 2011 and 2013 counts
    once, under 2013; a not-eligible case counts nowhere."""
    rows = [
        f"{_person(1)},2010-MC1-0000001,{FIRST_DISTRICT},{POSSESSION},Guilty plea,2010-03-04,vacate_expunge",
        f'{_person(1)},2010-MC1-0000002,"MUNICIPAL DEPARTMENT, FIRST DISTRICT",{POSSESSION},Guilty plea,2010-06-01,vacate_expunge',
        f"{_person(2)},2012-CR-0000003,,{POSSESSION},Guilty plea,2012-05-05,vacate_expunge",
        f"{_person(3)},2011-MC1-0000004,{FIRST_DISTRICT},{POSSESSION},Guilty plea,2011-02-02,vacate_expunge",
        f"{_person(3)},2011-MC1-0000004,{FIRST_DISTRICT},{DELIVERY},Guilty plea,2013-01-01,vacate_expunge",
        f"{_person(3)},2015-MC1-0000005,{FIRST_DISTRICT},{POSSESSION},Guilty plea,2015-03-03,not_eligible",
    ]
    path = tmp_path / "in.csv"
    path.write_text(COLUMNS + "\n".join(rows) + "\n", encoding="utf-8")
    result = run_pipeline(path, tmp_path / "out", formats=("pdf",))
    assert result.cases == 4
    lines = _report_lines(result.run_dir)
    assert _table(lines, "Cases by year") == [
        "2010 2 50.0%",
        "2012 1 25.0%",
        "2013 1 25.0%",
    ]
    # By count, as the caption names the division (upper case, the default for a blank one).
    assert _table(lines, "Cases by division") == [
        "MUNICIPAL DEPARTMENT, FIRST DISTRICT 3 75.0%",
        "COUNTY DEPARTMENT, CRIMINAL DIVISION 1 25.0%",
    ]
    html = (result.run_dir / "report.html").read_text(encoding="utf-8")
    # The largest row's bar is 200 px, the others in proportion (3 cases : 1): CSS, no image, no
    # script. Years: 2 : 1 : 1.
    assert 'style="width: 200.0px"' in html and 'style="width: 66.7px"' in html
    assert html.count('style="width: 100.0px"') == 2
    assert "<img" not in html and "<script" not in html
    # The same input, options and date: the same bytes (no times, nothing in set order).
    first = {name: (result.run_dir / name).read_bytes() for name in ("report.html", "report.pdf")}
    shutil.rmtree(result.run_dir)
    again = run_pipeline(path, tmp_path / "out", formats=("pdf",))
    assert {name: (again.run_dir / name).read_bytes() for name in first} == first


def test_bulk_report_counts_exhibit_convictions_by_year(tmp_path: Path) -> None:
    """California files one motion whose Exhibit A lists convictions: the report counts those
    (two of them in one 1995 case), says so, and names no division (the caption has none)."""
    header = (
        "person_id,last_name,first_name,date_of_birth,address_line1,city,state,postal_code,"
        "case_number,statute,offense_description,offense_class,disposition,disposition_date,"
        "determination\n"
    )
    person = "Los Angeles,CA,90012"
    rows = [
        f"P-1,Solo,Han,1970-01-01,1 Main St,{person},BA100001,11357(A) HS,Possess,M,Convicted,1995-03-10,dismiss_seal",
        f"P-1,Solo,Han,1970-01-01,1 Main St,{person},BA100001,11360(A) HS,Transport,F,Convicted,1995-03-10,reduce",
        f"P-2,Organa,Leia,1972-02-02,2 Oak St,{person},BA200002,11359 HS,For sale,F,Convicted,1999-05-05,reduce",
        f"P-3,Kenobi,Ben,1960-03-03,3 Elm St,{person},BA300003,11357(B) HS,Possess,M,Convicted,1999-01-01,dismiss_seal",
        f"P-3,Kenobi,Ben,1960-03-03,3 Elm St,{person},BA300004,11358 HS,Cultivate,F,Convicted,2017-01-01,not_eligible",
    ]
    path = tmp_path / "ca.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    result = run_pipeline(path, tmp_path / "out", formats=("pdf",), pack_name="ca-los-angeles")
    lines = _report_lines(result.run_dir)
    text = " ".join(lines)
    assert "4 convictions listed in Exhibit A (counted by conviction, not by case)" in text
    assert _table(lines, "Convictions in Exhibit A by year") == ["1995 2 50.0%", "1999 2 50.0%"]
    division = lines.index("Convictions in Exhibit A by division")
    assert lines[division + 1] == "This court's captions name no division."
    assert "Cases by year" not in lines
    # A bulk filing is one motion and one order, not a motion and an order per case.
    flat = " ".join(text.split())
    assert "3 eligible cases in one bulk motion and order (Exhibit A)" in flat
    assert "with a motion and an order" not in flat


def test_bulk_report_with_one_division_shows_one_row(tmp_path: Path) -> None:
    """Will County's bulk motion names one division in its caption, whatever each row says."""
    source = (paths.FIXTURES / "il-will-input.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "will.csv"
    path.write_text("\n".join(source[:4]) + "\n", encoding="utf-8")  # 3 convictions, 2 years
    result = run_pipeline(path, tmp_path / "out", formats=("pdf",), pack_name="il-will")
    lines = _report_lines(result.run_dir)
    assert _table(lines, "Convictions in Exhibit A by year") == ["2008 1 33.3%", "2014 2 66.7%"]
    assert _table(lines, "Convictions in Exhibit A by division") == ["CRIMINAL DIVISION 3 100.0%"]


def test_people_without_address_keep_their_case_numbers_whole(tmp_path: Path) -> None:
    # Page 4 of an 80-case Cook report broke "2010-MC1-6467167" at its first hyphen: a long name
    # and two case numbers in a narrow Cases column. Between two case numbers it may break.
    name = "Wolfeschlegelsteinhausen-Bergerdorff-Montgomery,Alexandra Victoria"
    rows = [
        csv_row("Berwyn Police Department", "4a", "Class C misdemeanor", number, n)
        .replace("Smith,John,1980-01-02,1 Main St,Chicago,IL,60601", f"{name},1980-01-02,,,,")
        .replace(f"P-{n},", "P-1,")
        for n, number in ((1, "2010-MC1-6467167"), (2, "2011-MC4-0001234"))
    ]
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    result = run_pipeline(path, tmp_path / "out", formats=("pdf",))
    assert [p["person_id"] for p in result.people_without_address] == ["P-1"]
    lines = _report_lines(result.run_dir)
    for number in ("2010-MC1-6467167", "2011-MC4-0001234"):
        assert any(number in line for line in lines), (number, lines[-12:])


def test_no_report_page_ends_with_a_heading_or_its_sentence(tmp_path: Path) -> None:
    """An 80-case Cook report printed "Needs review (7)" and its sentence at the foot of page 2
    and the table on page 3. Each position of the heading is tried by growing the list above
    it (agencies without an address) one row at a time."""
    options = RunOptions(
        input_path=GOLDEN_INPUT,
        pack_name="il-cook",
        run_date=RUN_DATE,
        out_dir=tmp_path,
        workers=1,
        formats=("pdf",),
    )
    result = run(options)
    pack = load_pack("il-cook")
    review = {"row": "9", "person_id": "P-9", "name": "A Name", "case_number": "2010-MC1-0000009"}
    result.review = [review | {"statute": "720 ILCS 550/4(a)", "reason": "Quantity not recorded"}]
    heads = ("Needs review", "These convictions are in no court document", "People without")
    endings = set()
    for agencies in range(0, 44):
        result.agencies_not_in_directory = {f"Agency {i:02d}": 1 for i in range(agencies)}
        write_report(result, pack, options)
        pdf = pypdfium2.PdfDocument(str(tmp_path / result.run_id / "report.pdf"))
        try:
            for page in list(pdf)[:-1]:
                lines = [ln.strip() for ln in page.get_textpage().get_text_range().splitlines()]
                body = [ln for ln in lines if ln and not ln.startswith("Page ")]
                endings.add(body[-1])
                assert not body[-1].startswith(heads), (agencies, body[-3:])
        finally:
            pdf.close()
    assert len(endings) > 5  # the heading did move over the page break
