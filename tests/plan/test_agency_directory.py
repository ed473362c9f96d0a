"""Issue 15, items 1 and 2: who is served and ordered to comply (the pack's agency directory),
and the ground of relief built from the charges listed. Each fix is shown on the view models and
on a run, and each fault put back is failed by `docgen check`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.check.checker import check_run
from docgen.model import Case, ChargeRow, Person
from docgen.packs import load_pack
from docgen.petition.documents import notice_of_filing
from docgen.petition.input import PetitionSettings
from docgen.plan import viewmodel
from docgen.plan.agency_directory import officer_lines
from docgen.plan.grounds import ground_text, unfit_reason
from tests.conftest import run_pipeline
from tests.factories import charge_row

RUN_DATE = date(2026, 12, 1)
HEADER = (
    "person_id,last_name,first_name,date_of_birth,address_line1,city,state,postal_code,"
    "case_number,arrest_date,arresting_agency,statute,offense_description,offense_class,"
    "disposition,disposition_date,determination\n"
)
STATUTES = {
    "4a": ("720 ILCS 550/4(a)", "Possession of cannabis, not more than 2.5 grams"),
    "4c": ("720 ILCS 550/4(c)", "Possession of cannabis, more than 10 grams, subsequent offense"),
    "5a": ("720 ILCS 550/5(a)", "Manufacture or delivery of cannabis, not more than 2.5 grams"),
}
FALLBACK = "Chief legal officer of the unit of local government of the arresting agency"


def charge(
    agency: str = "Chicago Police Department",
    statute: str = "4a",
    offense_class: str = "Class C misdemeanor",
    row: int = 2,
    case_number: str = "2010-MC1-0000001",
) -> ChargeRow:
    code, description = STATUTES[statute]
    return charge_row(
        row=row,
        case_number=case_number,
        arrest_date=date(2010, 1, 5),
        arresting_agency=agency,
        statute=code,
        offense_description=description,
        offense_class=offense_class,
    )


def person_case(*charges: ChargeRow) -> tuple[Person, Case]:
    case = Case(case_number=charges[0].case_number, court_division="", charges=list(charges))
    return Person(person_id="P-1", first=charges[0], cases=[case]), case


def csv_row(agency: str, statute: str, offense_class: str, case_number: str, n: int) -> str:
    code, description = STATUTES[statute]
    return (
        f"P-{n},Smith,John,1980-01-02,1 Main St,Chicago,IL,60601,{case_number},2010-01-05,"
        f'{agency},{code},"{description}",{offense_class},Conviction,2010-03-04,vacate_expunge\n'
    )


# ----------------------------------------------------------------- item 1: agency directory


@pytest.mark.parametrize("pack_name", ["il-cook", "il-will"])
def test_every_agency_synth_makes_is_in_the_directory_with_an_address(pack_name: str) -> None:
    pack = load_pack(pack_name)
    synth = pack.config.accepts.synth
    assert synth is not None
    agencies = set(synth.arresting_agencies())
    directory = pack.config.agency_directory
    assert agencies <= set(directory)
    for name in agencies:
        entry = directory[name]
        if entry.served_as:  # the State Police: one of the pack's standing [[agencies]]
            assert entry.served_as in {a.name for a in pack.config.agencies}, name
            continue
        assert re.search(r"Illinois 6\d{4}$", entry.address), name
        assert entry.legal_officer and re.search(r"Illinois 6\d{4}$", entry.legal_officer_address)


@pytest.mark.parametrize("purpose", ["serve", "comply"])
def test_arresting_agency_is_listed_with_its_address_and_its_legal_officer(purpose: str) -> None:
    pack = load_pack("il-cook")
    _, case = person_case(charge("Harvey Police Department"))
    lines = viewmodel._agencies(pack, case, purpose)
    assert "Harvey Police Department, 15320 Broadway Avenue, Harvey, Illinois 60426" in lines
    # The chief legal officer is served with the motion (and the order), never among the
    # agencies the order directs to expunge: it holds no records.
    officer = [
        line for line in lines if line.startswith("Corporation Counsel of the City of Harvey, ")
    ]
    assert len(officer) == (1 if purpose == "serve" else 0)
    assert officer_lines(pack, case) == [
        "Corporation Counsel of the City of Harvey, 15320 Broadway Avenue, Harvey, Illinois 60426"
    ]
    assert not any(FALLBACK in line for line in lines)


def test_state_police_arrest_lists_the_state_police_once() -> None:
    pack = load_pack("il-cook")
    _, case = person_case(charge("Illinois State Police"))
    for purpose in ("serve", "comply"):
        lines = viewmodel._agencies(pack, case, purpose)
        assert sum("Illinois State Police" in line for line in lines) == 1, lines
        assert not any(FALLBACK in line for line in lines)


def test_agency_not_in_the_directory_is_named_with_a_notice_not_a_fallback_party() -> None:
    pack = load_pack("il-cook")
    _, case = person_case(charge("Nowhere Police Department"))
    lines = viewmodel._agencies(pack, case, "serve")
    missing = [line for line in lines if line.startswith("Nowhere Police Department")]
    assert missing and "NOT IN THE PACK'S AGENCY DIRECTORY" in missing[0]
    assert not any(FALLBACK in line for line in lines)


def test_notice_of_filing_shows_the_addresses_it_certifies() -> None:
    pack = load_pack("il-cook")
    person, case = person_case(charge("Berwyn Police Department"))
    view = notice_of_filing(pack, person, case, RUN_DATE, PetitionSettings()).context
    recipients = view["recipients"]
    assert "Berwyn Police Department, 6401 West 31st Street, Berwyn, Illinois 60402" in recipients
    assert any(r.startswith("Corporation Counsel of the City of Berwyn, 6700 ") for r in recipients)
    assert "at the address shown" in view["service"]["text"]
    # Every agency the notice certifies service on carries an address (a ZIP code).
    agencies = [r for r in recipients if "State's Attorney" not in r]
    assert all(re.search(r"\d{5}$", r) for r in agencies), agencies


@pytest.fixture(scope="module")
def unknown_agency_run(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("unknown-agency")
    path = out / "in.csv"
    path.write_text(
        HEADER
        + csv_row("Nowhere Police Department", "4a", "Class C misdemeanor", "2010-MC1-0000001", 1)
        + csv_row("Nowhere Police Department", "4a", "Class C misdemeanor", "2011-MC1-0000002", 2)
        + csv_row("Chicago Police Department", "5a", "Class B misdemeanor", "2012-MC1-0000003", 3),
        encoding="utf-8",
    )
    return run_pipeline(path, out / "out", formats=("pdf",))


def test_run_report_lists_agencies_without_an_address_with_cases_affected(
    unknown_agency_run,
) -> None:
    assert unknown_agency_run.agencies_not_in_directory == {"Nowhere Police Department": 2}
    html = (unknown_agency_run.run_dir / "report.html").read_text(encoding="utf-8")
    assert "agencies without an address in the pack's directory (1)" in html
    assert re.search(r"Nowhere Police Department</td><td class=\"num\">2<", html)


def test_check_fails_the_filings_that_name_an_agency_without_an_address(
    unknown_agency_run,
) -> None:
    report = check_run(unknown_agency_run.run_dir)
    failed = {Path(f.path).parent.name for f in report.failed}
    assert failed == {"2010-MC1-0000001", "2011-MC1-0000002"}
    for f in report.failed:
        assert any("agency without an address" in x for x in f.failures), f.failures


# ----------------------------------------------------------------- item 2: ground of relief


def test_ground_names_the_classes_and_statutes_listed() -> None:
    pack = load_pack("il-cook")
    assert ground_text(pack, [charge(statute="5a", offense_class="Class B misdemeanor")]) == (
        "a misdemeanor under 720 ILCS 550/5 (manufacture or delivery)"
    )
    both = [charge(), charge(statute="5a", offense_class="Class B misdemeanor", row=3)]
    assert ground_text(pack, both) == (
        "a misdemeanor under 720 ILCS 550/4 (possession) or 720 ILCS 550/5 (manufacture or "
        "delivery)"
    )
    mixed = [charge(), charge(statute="4c", offense_class="Class 4 felony", row=3)]
    assert ground_text(pack, mixed) == (
        "a misdemeanor or Class 4 felony under 720 ILCS 550/4 (possession)"
    )


def test_motion_paragraph_2_of_a_550_5_misdemeanor_does_not_say_class_4_felony() -> None:
    pack = load_pack("il-cook")
    person, case = person_case(charge(statute="5a", offense_class="Class B misdemeanor"))
    paragraph = viewmodel.motion(pack, person, case, RUN_DATE).context["paragraphs"][0]
    assert "Class 4 felony" not in paragraph
    assert paragraph.startswith(
        "2. The conviction listed above is a conviction for a misdemeanor under 720 ILCS 550/5"
    )


def test_charge_outside_the_grounds_is_a_determination_problem(tmp_path: Path) -> None:
    pack = load_pack("il-cook")
    assert "not a ground of relief" in unfit_reason(pack, charge(offense_class="Class 3 felony"))
    path = tmp_path / "in.csv"
    path.write_text(
        HEADER + csv_row("Chicago Police Department", "4a", "Class 3 felony", "2010-CR-0000001", 1),
        encoding="utf-8",
    )
    result = run_pipeline(path, tmp_path / "out", formats=("pdf",))
    assert result.cases == 0 and result.rows_rejected == 1
    assert result.rejects[0].column == "offense_class"
    assert "determination problem" in result.rejects[0].reason


def _text(pdf: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())


def test_bulk_motion_ground_names_what_exhibit_a_lists(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        HEADER
        + csv_row("Joliet Police Department", "5a", "Class B misdemeanor", "2010-CF-1", 1)
        + csv_row("Joliet Police Department", "5a", "Class B misdemeanor", "2011-CF-2", 2),
        encoding="utf-8",
    )
    result = run_pipeline(path, tmp_path / "out", pack_name="il-will", formats=("pdf",))
    text = _text(result.run_dir / "bulk/motion-with-exhibit.pdf")
    assert (
        "Each conviction listed in Exhibit A is a conviction for a misdemeanor under 720 ILCS "
        "550/5 (manufacture or delivery)" in text
    )
    assert "550/4" not in text and "Class 4 felony" not in text
    assert check_run(result.run_dir).ok


def test_generate_says_what_to_fix_before_filing(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docgen.cli import app

    path = tmp_path / "in.csv"
    path.write_text(
        HEADER
        + csv_row("Nowhere Police Department", "4a", "Class C misdemeanor", "2010-MC1-0000001", 1),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        [
            "generate",
            str(path),
            "--pack",
            "il-cook",
            "--date",
            "2026-12-01",
            "--out",
            str(tmp_path / "out"),
            "--formats",
            "pdf",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "To fix before filing: 1 arresting agency without an address in the pack's agency " in (
        flat
    )
    assert "directory (1 case)" in flat


def test_a_pack_whose_documents_serve_no_agency_has_none_to_fix(tmp_path: Path) -> None:
    """California's bulk motion and order name no arresting agency: a run of rows whose agencies
    no directory holds reports nothing to fix, in the result, the report and the CLI summary."""
    from typer.testing import CliRunner

    from docgen.cli import app

    rows = tmp_path / "in.csv"
    synth = CliRunner().invoke(
        app, ["synth", "--pack", "ca-sacramento", "--cases", "6", "--out", str(rows)]
    )
    assert synth.exit_code == 0, synth.output
    pack = load_pack("ca-sacramento")
    assert not pack.config.agency_directory and not pack.config.agencies
    result = run_pipeline(rows, tmp_path / "out", pack_name="ca-sacramento", formats=("docx",))
    assert result.rows_in_documents > 0
    assert result.agencies_not_in_directory == {}
    html = (result.run_dir / "report.html").read_text(encoding="utf-8")
    assert "agencies without an address" not in html
