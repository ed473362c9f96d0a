"""Individual and legal-aid petitions (`docgen petition`, POST /api/petitions): one person's
motion, order and notice of filing, from the short form or a one-person file.

Goldens: tests/goldens/il-cook/petition (the pro se motion) and il-cook/notice-of-filing (the
legal-aid notice, with a hearing date), updated only with `--update-goldens`.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from docgen.cli import app
from docgen.packs import load_pack
from tests.conftest import RUN_DATE
from tests.golden_files import GOLDENS_DIR, compare_docx, compare_pdf
from tests.ooxml_check import docx_problems
from tests.service import test_browser
from tests.service.test_browser import served  # noqa: F401  (the `docgen serve` fixture)

runner = CliRunner()
CASE = "2004-CR-0012345"

# A fictional person; every value is one a filing must print.
PERSON = {
    "--first-name": "Dana",
    "--middle-name": "R.",
    "--last-name": "Okafor",
    "--date-of-birth": "1980-04-02",
    "--address-line1": "4410 West Fictional Avenue",
    "--city": "Chicago",
    "--state": "IL",
    "--postal-code": "60639",
    "--case-number": CASE,
    "--statute": "720 ILCS 550/4(a)",
    "--offense-description": "Possession of cannabis, 2.5 grams",
    "--offense-class": "Class C misdemeanor",
    "--disposition": "Convicted",
    "--disposition-date": "2005-03-01",
    "--arrest-date": "2004-06-01",
    "--arresting-agency": "Chicago Police Department",
    "--phone": "(773) 555-0101",
    "--email": "dana.okafor@example.org",
}
LEGAL_AID = {
    "--lawyer": "Avery Quinn",
    "--organisation": "Fictional Legal Aid Clinic",
    "--lawyer-phone": "(312) 555-0190",
    "--lawyer-email": "aquinn@legalaid.example",
    "--attorney-code": "44321",
}
LAWYER_ADDRESS = ["100 North Example Street, Suite 500", "Chicago, Illinois 60602"]


def _args(values: dict[str, str]) -> list[str]:
    return [part for flag, value in values.items() for part in (flag, value)]


def petition_cli(
    out: Path, *extra: str, person: dict[str, str] | None = None, pack: str = "il-cook"
):
    args = ["petition", "--pack", pack, "--date", RUN_DATE.isoformat(), "--out", str(out)]
    args += _args(PERSON if person is None else person)
    return runner.invoke(app, [*args, *extra])


def run_dir_of(out: Path) -> Path:
    (run_dir,) = [p for p in out.iterdir() if p.is_dir()]
    return run_dir


def text_of(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)


@pytest.fixture(scope="module")
def pro_se(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pro-se")
    result = petition_cli(out)
    assert result.exit_code == 0, result.output
    return run_dir_of(out)


@pytest.fixture(scope="module")
def legal_aid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("legal-aid")
    address = [part for line in LAWYER_ADDRESS for part in ("--lawyer-address", line)]
    hearing = ["--hearing-date", "2027-01-15", "--hearing-time", "9:30 a.m.", "--courtroom", "506"]
    result = petition_cli(out, *_args(LEGAL_AID), *address, *hearing)
    assert result.exit_code == 0, result.output
    return run_dir_of(out)


# ---------------------------------------------------------------- the short form, pro se


@pytest.mark.parametrize("fixture", ["pro_se", "legal_aid"])
def test_petition_word_files_pass_the_open_xml_validation(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    run_dir: Path = request.getfixturevalue(fixture)
    files = sorted(run_dir.rglob("*.docx"))
    assert len(files) >= 3  # motion, order, notice of filing
    problems = [p for f in files for p in docx_problems(f, f.name)]
    assert not problems, "\n".join(problems)


def test_short_form_makes_motion_order_and_notice_in_both_formats(pro_se: Path) -> None:
    manifest = json.loads((pro_se / "manifest.json").read_text())
    made = {(e["kind"], e["format"]) for e in manifest["files"] if e["path"].startswith("cases/")}
    kinds = ("motion", "order", "notice-of-filing")
    assert made == {(k, f) for k in kinds for f in ("pdf", "docx")}
    accounting = manifest["accounting"]
    assert (accounting["input_rows"], accounting["in_documents"]) == (1, 1)
    assert (accounting["rejected"], accounting["balanced"]) == (0, True)
    assert manifest["input"]["file"] == "petition form"
    assert pro_se.name.startswith("il-cook-petition-2026-12-01-")
    # No letter: the person files for themselves.
    assert not (pro_se / "letters").exists()


def test_pro_se_motion_names_and_is_signed_by_the_petitioner(pro_se: Path) -> None:
    text = text_of(pro_se / f"cases/{CASE}/motion.pdf")
    assert "Petitioner Dana R. Okafor, pro se, moves this Honorable Court" in text
    assert "DANA R. OKAFOR, Defendant/Petitioner." in text  # PEOPLE v. NAME stays
    assert "PEOPLE OF THE STATE OF ILLINOIS" in text
    assert "/s/ Dana R. Okafor Dana R. Okafor, Petitioner, pro se" in text
    assert "4410 West Fictional Avenue Chicago, IL 60639 Tel. (773) 555-0101" in text
    # Not the State's Attorney's motion: not signed by the office, no Prisoner Review Board notice.
    assert load_pack("il-cook").config.office["signer"] not in text
    assert "Prisoner Review Board" not in text
    # The State's Attorney is served first; then the State Police and the arresting agency.
    service = text.split("CERTIFICATE OF SERVICE", 1)[1]
    assert service.index("State's Attorney of Cook County") < service.index("Illinois State Police")
    assert "Chicago Police Department" in service
    # The same motion wording as the State's filing where it is the same (shared pack data).
    assert "Nothing in the record excludes it from relief." in text


def test_pro_se_order_recites_the_petition_and_is_prepared_by_the_petitioner(pro_se: Path) -> None:
    text = text_of(pro_se / f"cases/{CASE}/order.pdf")
    assert "on the motion of Petitioner Dana R. Okafor, pro se, to vacate and expunge" in text
    assert "Prepared by: Dana R. Okafor, Petitioner, pro se" in text
    assert "is VACATED" in text
    # Petitioner throughout, as in the recital: never "the defendant" in findings or orders.
    assert "defendant" not in text.replace("Defendant/Petitioner", "").lower()
    assert "Petitioner's age now and at the time of the offense" in text
    assert "on Petitioner at the last known address, and on the chief legal officer" in text
    assert "Corporation Counsel of the City of Chicago" in text  # the officers, as served


def test_notice_of_filing_without_a_hearing_leaves_blanks(pro_se: Path) -> None:
    text = text_of(pro_se / f"cases/{CASE}/notice-of-filing.pdf")
    assert "NOTICE OF FILING" in text
    assert "TO: State's Attorney of Cook County" in text
    assert "Illinois State Police, Bureau of Identification" in text
    assert "Chicago Police Department" in text
    assert "PLEASE TAKE NOTICE that on December 1, 2026, I filed with the Clerk" in text
    assert "will be presented on ____________________, at __________, in Courtroom ________" in text
    assert "Leighton Criminal Court Building" in text  # the pack's courthouse
    assert "CERTIFICATE OF SERVICE I, Dana R. Okafor, certify" in text


# ---------------------------------------------------------------- legal aid


def test_legal_aid_motion_is_by_the_lawyer_for_the_petitioner(legal_aid: Path) -> None:
    text = text_of(legal_aid / f"cases/{CASE}/motion.pdf")
    assert (
        "Petitioner Dana R. Okafor, by Avery Quinn, Fictional Legal Aid Clinic, attorney for "
        "Petitioner, moves" in text
    )
    assert "/s/ Avery Quinn Avery Quinn, Attorney for Petitioner Fictional Legal Aid Clinic" in text
    assert "100 North Example Street, Suite 500 Chicago, Illinois 60602" in text
    assert "Cook County Attorney Code: 44321" in text  # the pack's label for the code
    assert "4410 West Fictional Avenue" not in text  # the lawyer's address, not the client's
    order = text_of(legal_aid / f"cases/{CASE}/order.pdf")
    assert "Petitioner Dana R. Okafor, by counsel" in order
    assert "Prepared by: Avery Quinn, Attorney for Petitioner" in order


def test_legal_aid_notice_gives_the_hearing(legal_aid: Path) -> None:
    text = text_of(legal_aid / f"cases/{CASE}/notice-of-filing.pdf")
    assert "the undersigned, attorney for Petitioner Dana R. Okafor, filed with the Clerk" in text
    assert "will be presented on January 15, 2027, at 9:30 a.m., in Courtroom 506" in text
    assert "I, Avery Quinn, certify" in text


def test_petition_filings_pass_the_pack_rules(legal_aid: Path) -> None:
    # Motion, order and notice of filing: Rule 10/131 paper, margins, fonts, stamp box, case number.
    result = runner.invoke(app, ["check", str(legal_aid)])
    assert result.exit_code == 0, result.output
    assert "3 court documents checked against the il-cook rules: 3 pass, 0 fail" in result.output


def test_other_signer_means_other_run_folder(pro_se: Path, legal_aid: Path) -> None:
    # The same person and case: the signer is part of the run id, so nothing is reused wrongly.
    assert pro_se.name != legal_aid.name


def test_same_petition_twice_is_byte_identical(pro_se: Path, tmp_path: Path) -> None:
    result = petition_cli(tmp_path)
    assert result.exit_code == 0, result.output
    again = run_dir_of(tmp_path)
    assert again.name == pro_se.name
    for path in ("cases/2004-CR-0012345/motion.pdf", "cases/2004-CR-0012345/notice-of-filing.docx"):
        assert (again / path).read_bytes() == (pro_se / path).read_bytes(), path


# ---------------------------------------------------------------- a one-person file

HEADER = (
    "person_id,last_name,first_name,date_of_birth,address_line1,city,state,postal_code,"
    "case_number,arresting_agency,statute,offense_description,offense_class,disposition,"
    "disposition_date,determination\n"
)
ROW = (
    "P-1,Okafor,Dana,1980-04-02,4410 West Fictional Avenue,Chicago,IL,60639,{case},"
    "Chicago Police Department,720 ILCS 550/4(a),Possession of cannabis,Class C misdemeanor,"
    "Convicted,{disposed},{determination}\n"
)


def _csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "person.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def _row(case: str = CASE, disposed: str = "2005-03-01", determination: str = "vacate_expunge"):
    return ROW.format(case=case, disposed=disposed, determination=determination)


def test_one_person_csv_with_two_cases_and_a_review_row(tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        _row(),
        _row(case="2009-MC1-0000777", disposed="2009-11-02"),
        _row(case="2011-MC1-0000888", disposed="2011-05-05", determination="needs_review"),
    )
    args = ["petition", str(source), "--pack", "il-cook", "--date", "2026-12-01"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "out"), "--formats", "pdf"])
    assert result.exit_code == 0, result.output
    run_dir = run_dir_of(tmp_path / "out")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    # Every row is accounted for: two in documents, one needing review (no document for it).
    assert manifest["accounting"]["input_rows"] == 3
    assert manifest["accounting"]["in_documents"] == 2
    assert manifest["accounting"]["needs_review"] == 1
    assert manifest["accounting"]["balanced"] is True
    cases = sorted(p.name for p in (run_dir / "cases").iterdir())
    assert cases == sorted([CASE, "2009-MC1-0000777"])
    for case in cases:
        assert {p.name for p in (run_dir / "cases" / case).iterdir()} == {
            "motion.pdf",
            "order.pdf",
            "notice-of-filing.pdf",
        }
    assert manifest["input"]["file"] == "person.csv"


def test_csv_with_two_people_is_refused(tmp_path: Path) -> None:
    other = _row(case="2009-MC1-0000777").replace("P-1,", "P-2,", 1)
    source = _csv(tmp_path, _row(), other)
    result = runner.invoke(app, ["petition", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "a petition is for one person; this file has 2 person_id values" in result.output
    assert not (tmp_path / "out").exists()


def test_bad_csv_value_is_named_by_file_row_and_column(tmp_path: Path) -> None:
    source = _csv(tmp_path, _row(), _row(case="2009-MC1-0000777", disposed="2009-13-45"))
    result = runner.invoke(app, ["petition", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{source}, row 3, column disposition_date:" in result.output
    assert "2009-13-45" not in result.output  # the cell's value is never echoed
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_missing_column_names_the_file(tmp_path: Path) -> None:
    header = HEADER.replace(",statute", "")
    row = _row().replace(",720 ILCS 550/4(a)", "")
    source = _csv(tmp_path, row, header=header)
    result = runner.invoke(app, ["petition", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{source}: missing required column(s): statute" in result.output


# ---------------------------------------------------------------- bad short-form input


def test_bad_flag_value_is_named_by_its_flag(tmp_path: Path) -> None:
    person = PERSON | {"--date-of-birth": "1980-02-31"}
    result = petition_cli(tmp_path / "out", person=person)
    assert result.exit_code == 1
    assert "petition form, --date-of-birth:" in result.output
    assert "1980-02-31" not in result.output
    assert not (tmp_path / "out").exists()


def test_missing_file_is_one_clean_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    result = runner.invoke(app, ["petition", str(missing), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == f"Error: {missing}: file not found\n"


def test_bad_date_is_one_line(tmp_path: Path) -> None:
    person = PERSON | {"--date-of-birth": "1980-13-45"}
    result = petition_cli(tmp_path / "out", person=person)
    assert result.exit_code == 1
    assert result.output == (
        "Error: the petition cannot be made: petition form, --date-of-birth: not a real "
        "calendar date (check the day and month; use YYYY-MM-DD or MM/DD/YYYY)\n"
    )


def test_a_case_of_another_court_is_refused(tmp_path: Path) -> None:
    result = petition_cli(tmp_path / "out", pack="il-will")  # CASE is a Cook case number
    assert result.exit_code == 1
    assert " ".join(result.output.split()) == (
        "Error: the petition cannot be made: petition form, --case-number: not a Will County "
        "case number (the pack accepts 2015CF001234, 2015CM001234, 15 CF 1234)"
    )
    assert not (tmp_path / "out").exists()


def test_missing_flag_is_named(tmp_path: Path) -> None:
    person = {k: v for k, v in PERSON.items() if k != "--statute"}
    result = petition_cli(tmp_path / "out", person=person)
    assert result.exit_code == 1
    assert "petition form, --statute:" in result.output
    assert "docgen-petition-" not in result.output  # no temporary path in the message


def test_statute_the_pack_does_not_file_for_is_refused(tmp_path: Path) -> None:
    person = PERSON | {"--statute": "720 ILCS 570/402(c)"}
    result = petition_cli(tmp_path / "out", person=person)
    assert result.exit_code == 1
    assert "petition form, --statute: statute 720 ILCS 570/402(c) is not one pack il-cook" in (
        result.output
    )


def test_pro_se_needs_an_address(tmp_path: Path) -> None:
    person = {k: v for k, v in PERSON.items() if k != "--city"}
    result = petition_cli(tmp_path / "out", person=person)
    assert result.exit_code == 1
    assert "--address-line1, --city, --state and --postal-code are required" in result.output


def test_lawyer_details_need_a_lawyer_and_an_address(tmp_path: Path) -> None:
    result = petition_cli(tmp_path / "a", "--organisation", "Fictional Legal Aid Clinic")
    assert result.exit_code == 1
    assert "--organisation: only with --lawyer" in result.output
    result = petition_cli(tmp_path / "b", "--lawyer", "Avery Quinn")
    assert result.exit_code == 1
    assert "--lawyer-address: the lawyer's address is required" in result.output


def test_control_characters_in_a_signer_field_are_refused(tmp_path: Path) -> None:
    result = petition_cli(tmp_path / "out", "--lawyer", "Avery\u202eQuinn", "--lawyer-address", "x")
    assert result.exit_code == 1
    assert "--lawyer: has bidirectional override characters" in result.output


def test_file_and_form_together_is_refused(tmp_path: Path) -> None:
    source = _csv(tmp_path, _row())
    result = petition_cli(tmp_path / "out", str(source))
    assert result.exit_code == 1
    assert "either a file or the form's fields, not both" in result.output


def test_pack_without_petition_wording_is_refused(tmp_path: Path) -> None:
    result = petition_cli(tmp_path / "out", pack="ca-los-angeles")
    assert result.exit_code == 1
    assert "pack ca-los-angeles has no petition wording" in result.output
    assert not (tmp_path / "out").exists()


def test_bulk_pack_still_makes_one_persons_petition(tmp_path: Path) -> None:
    # Filing mode is the office's bulk motion; a person's own petition is always one case.
    will_case = "2004CM012345"  # a Will County case number: the pack takes no other
    person = PERSON | {"--arresting-agency": "Joliet Police Department", "--case-number": will_case}
    result = petition_cli(tmp_path, "--formats", "pdf", person=person, pack="il-will")
    assert result.exit_code == 0, result.output
    run_dir = run_dir_of(tmp_path)
    assert not (run_dir / "bulk").exists()
    text = text_of(run_dir / f"cases/{will_case}/motion.pdf")
    assert "IN THE CIRCUIT COURT OF THE TWELFTH JUDICIAL CIRCUIT WILL COUNTY, ILLINOIS" in text
    assert "Corporation Counsel of the City of Joliet" in text


# ---------------------------------------------------------------- the service form


def test_service_form_returns_the_documents(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from docgen.service.app import create_app
    from tests.service.test_service_api import add_key, make_settings

    settings = make_settings(tmp_path / "data")
    key = add_key(settings, "Fictional Legal Aid Clinic")
    fields = {flag[2:].replace("-", "_"): value for flag, value in PERSON.items()}
    fields |= {"pack": "il-cook", "date": "2026-12-01", "formats": "pdf"}
    with TestClient(create_app(settings, run_jobs=False)) as client:
        assert client.post("/api/petitions", data=fields).status_code == 401
        page = client.get("/")
        assert 'id="petition-form"' in page.text and 'name="lawyer_address"' in page.text
        response = client.post("/api/petitions", data=fields, headers={"X-API-Key": key})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
            names = zf.namelist()
            motion = next(n for n in names if n.endswith(f"{CASE}/motion.pdf"))
            text = " ".join(PdfReader(io.BytesIO(zf.read(motion))).pages[0].extract_text().split())
        assert {n.split("/", 1)[1] for n in names} >= {
            f"cases/{CASE}/motion.pdf",
            f"cases/{CASE}/order.pdf",
            f"cases/{CASE}/notice-of-filing.pdf",
            "manifest.json",
        }
        assert "Petitioner Dana R. Okafor, pro se" in text
        # Legal aid through the form: lawyer_address given once per line.
        aid = fields | {"lawyer": "Avery Quinn", "organisation": "Fictional Legal Aid Clinic"}
        response = client.post(
            "/api/petitions",
            data=aid | {"lawyer_address": LAWYER_ADDRESS},
            headers={"X-API-Key": key},
        )
        assert response.status_code == 200, response.text
        # A bad field: 422 naming the field, never its value.
        bad = fields | {"date_of_birth": "1980-02-31"}
        response = client.post("/api/petitions", data=bad, headers={"X-API-Key": key})
        assert response.status_code == 422
        body = response.json()
        assert body["error"] == "invalid_petition"
        # The form's field, not the CLI's flag (issue 15, item 15).
        assert body["message"] == "the petition cannot be made"
        assert [p["message"] for p in body["problems"]] == [
            "petition form, date_of_birth: not a real calendar date (check the day and month; "
            "use YYYY-MM-DD or MM/DD/YYYY)"
        ]
        lawyerless = fields | {"organisation": "Fictional Legal Aid Clinic"}
        response = client.post("/api/petitions", data=lawyerless, headers={"X-API-Key": key})
        assert response.status_code == 422
        assert [p["message"] for p in response.json()["problems"]] == [
            "organisation: only with lawyer (a lawyer who signs)"
        ]
        assert "--" not in response.text
        assert "1980-02-31" not in response.text
    # Nothing of the person is kept on the server.
    assert not any((tmp_path / "data" / "petitions").rglob("*.pdf"))


# ---------------------------------------------------------------- goldens


@pytest.mark.parametrize(
    ("name", "fixture", "document"),
    [("petition", "pro_se", "motion"), ("notice-of-filing", "legal_aid", "notice-of-filing")],
)
def test_petition_goldens(
    request: pytest.FixtureRequest, update_goldens: bool, name: str, fixture: str, document: str
) -> None:
    run_dir: Path = request.getfixturevalue(fixture)
    stem = run_dir / f"cases/{CASE}/{document}"
    golden = GOLDENS_DIR / "il-cook" / name
    problems = compare_pdf(Path(f"{stem}.pdf"), golden / "pdf", f"il-cook-{name}", update_goldens)
    problems += compare_docx(
        Path(f"{stem}.docx"), golden / "docx", f"il-cook-{name}", update_goldens
    )
    assert not problems, "\n".join(map(str, problems))


# ---------------------------------------------------------------- the web page, in a browser


@pytest.mark.skipif(
    test_browser.CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (apt-get install -y chromium; CI installs it)",
)
def test_petition_form_in_a_browser(served: tuple[str, str], tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)
    url, api_key = served
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=test_browser.CHROMIUM,
            headless=True,
            args=test_browser.CHROMIUM_ARGS,
        )
        try:
            page = browser.new_page(accept_downloads=True)
            page.goto(url)
            page.get_by_label("API key").fill(api_key)
            page.get_by_role("button", name="Use this key").click()
            expect(page.locator("#key-status")).to_contain_text("Key accepted")
            form = page.locator("#petition-form")
            form.get_by_label("Filed in").select_option("il-cook")
            form.get_by_label("Date on the petition").fill("2026-12-01")
            for flag, value in PERSON.items():
                field = form.locator(f"#p-{flag[2:].replace('-', '_')}")
                field.fill(value)
            form.get_by_label("Lawyer who signs").fill("Avery Quinn")
            form.get_by_label("Lawyer's address (one line per line)").fill(
                "\n".join(LAWYER_ADDRESS)
            )
            form.get_by_label("Word documents (.docx)").uncheck()
            form.get_by_role("button", name="Make petition").click()
            link = form.get_by_role("link", name="Download the petition (.zip)")
            expect(link).to_be_visible()
            expect(page.locator("#petition-status")).to_contain_text("Done")
            with page.expect_download() as info:
                link.click()
            target = tmp_path / "petition.zip"
            info.value.save_as(target)
        finally:
            browser.close()
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        motion = next(n for n in names if n.endswith(f"{CASE}/motion.pdf"))
        text = " ".join(PdfReader(io.BytesIO(zf.read(motion))).pages[0].extract_text().split())
    assert not any(n.endswith(".docx") for n in names)  # the format chosen on the form
    assert "Petitioner Dana R. Okafor, by Avery Quinn, attorney for Petitioner" in text
