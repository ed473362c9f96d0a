"""Issue 15, items 5 and 9, and the court-content rules of `docgen check`: the wording of every
pack at counts 0, 1 and n; the Illinois order's denial as a line of its own (PDF and DOCX); and
each fault (fallback agency line, bare "Denied" box, a ground that names classes the table does
not list, "1 persons", "each of the 0") put back into a pack and failed by `docgen check`."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from docgen.check.checker import check_run
from docgen.check.wording import content_failures
from docgen.filing_rules import rules_of
from docgen.packs import REPO_ROOT, load_pack
from docgen.plan import bulk
from tests.conftest import run_pipeline
from tests.pack_edit import packs_with_edit
from tests.plan.test_agency_directory import HEADER, _text, charge, csv_row, person_case

RUN_DATE = date(2026, 12, 1)
ALL_PACKS = ["il-cook", "il-will", "ca-los-angeles", "ca-san-francisco"]
CA_PACKS = ["ca-los-angeles", "ca-san-francisco"]


def _ca_people(dismiss: int, reduce: int):
    people = []
    for n in range(dismiss + reduce):
        row = charge(row=n + 2, case_number=f"BA{n:06d}").model_copy(
            update={
                "person_id": f"P-{n}",
                "statute": "HS 11357(a)",
                "offense_description": "Possession of marijuana",
                "offense_class": "Misdemeanor",
                "determination": "dismiss_seal" if n < dismiss else "reduce",
            }
        )
        person, _ = person_case(row)
        people.append(person.__class__(person_id=row.person_id, first=row, cases=person.cases))
    return people


def _bulk_text(pack_name: str, dismiss: int, reduce: int) -> str:
    pack = load_pack(pack_name)
    specs = bulk.bulk_specs(pack, _ca_people(dismiss, reduce), RUN_DATE)
    return " ".join(" ".join(s.context["wording"]["paragraphs"]) for s in specs)


@pytest.mark.parametrize("pack_name", CA_PACKS)
def test_california_wording_at_one_conviction_of_one_person(pack_name: str) -> None:
    text = _bulk_text(pack_name, dismiss=1, reduce=0)
    assert "the conviction listed in Exhibit A, concerning one person." in text
    assert "which lists 1 conviction of 1 person." in text
    assert "1 convictions" not in text and "1 persons" not in text
    # No paragraph about the zero convictions marked "Reduce", and the order's items renumbered.
    assert "each of the 0" not in text.lower() and '"Reduce"' not in text
    assert "2. Exhibit A, attached to this order, is part of this order" in text
    assert "3. The Clerk of the Court shall update" in text


@pytest.mark.parametrize("pack_name", CA_PACKS)
def test_california_wording_with_no_dismissals(pack_name: str) -> None:
    text = _bulk_text(pack_name, dismiss=0, reduce=2)
    assert '"Dismiss and seal"' not in text and "each of the 0" not in text.lower()
    assert '1. Each of the 2 convictions marked "Reduce" in Exhibit A is recalled' in text
    assert "each of the 2 convictions listed in Exhibit A, concerning 2 persons." in text


@pytest.mark.parametrize("pack_name", ALL_PACKS)
@pytest.mark.parametrize(
    "fault",
    [
        "the court orders each of the 1 convictions concerning 1 persons",
        "For each of the 0 convictions marked Reduce, the conviction is reduced.",
        "Exhibit A lists 0 convictions.",
        "This order applies to each of the 1 conviction listed in Exhibit A.",
    ],
)
def test_check_fails_a_count_in_the_wrong_form_in_every_pack(pack_name: str, fault: str) -> None:
    rules = rules_of(load_pack(pack_name))
    failures: list[str] = []
    content_failures(["Caption and text.", fault], rules, "bulk-order", failures)
    assert any(f.startswith("page 2: a count of") for f in failures), failures


@pytest.mark.parametrize("pack_name", ALL_PACKS)
def test_check_passes_counts_in_their_proper_forms(pack_name: str) -> None:
    rules = rules_of(load_pack(pack_name))
    failures: list[str] = []
    text = "each of the 11 convictions of 1 person, 1,001 persons, 10 cases; the conviction."
    content_failures([text], rules, "bulk-motion", failures)
    assert not [f for f in failures if "count of" in f], failures


def test_will_bulk_motion_and_order_at_one_conviction(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        HEADER + csv_row("Joliet Police Department", "4a", "Class C misdemeanor", "2010-CF-1", 1),
        encoding="utf-8",
    )
    result = run_pipeline(path, tmp_path / "out", pack_name="il-will", formats=("pdf",))
    motion = _text(result.run_dir / "bulk/motion-with-exhibit.pdf")
    order = _text(result.run_dir / "bulk/order.pdf")
    assert (
        "to vacate the conviction of the person listed in Exhibit A, in the case listed" in motion
    )
    assert "6. This order applies to the conviction listed in Exhibit A" in order
    report = check_run(result.run_dir)
    assert report.ok, [f.failures for f in report.failed]


# ----------------------------------------------------------------- item 5: the denial line


@pytest.fixture(scope="module")
def cook_run(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("cook-one")
    path = out / "in.csv"
    path.write_text(
        HEADER
        + csv_row("Berwyn Police Department", "5a", "Class B misdemeanor", "2012-MC4-0000001", 1),
        encoding="utf-8",
    )
    return run_pipeline(path, out / "out")


def test_order_states_the_denial_in_a_line_of_its_own_in_pdf_and_docx(cook_run) -> None:
    stem = cook_run.run_dir / "cases/2012-MC4-0000001/order"
    pdf_text = _text(stem.with_suffix(".pdf"))
    with zipfile.ZipFile(stem.with_suffix(".docx")) as docx:
        docx_xml = docx.read("word/document.xml").decode()
    for text in (pdf_text, docx_xml):
        assert "The motion is DENIED." in text
        assert "Denied (the judge marks this box" not in text
    assert pdf_text.index("VACATED") < pdf_text.index("ENTERED") < pdf_text.index("DENIED")


def test_the_small_cook_run_passes_check(cook_run) -> None:
    report = check_run(cook_run.run_dir)
    assert report.ok, [f.failures for f in report.failed]


# ----------------------------------------------------------------- the faults put back


OLD_GROUND = (
    '  "2. Each conviction listed above is a conviction for a misdemeanor or Class 4 felony '
    "under 720 ILCS 550/4 (possession, misdemeanor or Class 4 felony) or 720 ILCS 550/5 "
    "(manufacture or delivery, Class 4 felony), within the limits of {{ law.relief_statute }} "
    'as amended by the {{ law.act }}. Nothing in the record excludes it from relief.",'
)


def _faulty_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    wording = packs / "_layouts" / "illinois" / "wording.toml"
    lines = wording.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith("  \"2. {{ 'Each conviction' if charges|length > 1"):
            line = OLD_GROUND
        elif line.startswith('denied_mark = "The motion is DENIED."'):
            line = 'denied_mark = "Denied (the judge marks this box to deny)"'
        elif line.startswith("agency_not_in_directory = "):
            line = (
                'agency_not_in_directory = "Chief legal officer of the unit of local government '
                'of the arresting agency ({{ agency }})"'
            )
        out.append(line)
    wording.write_text("\n".join(out) + "\n", encoding="utf-8")
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))


def test_check_fails_each_fault_put_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _faulty_packs(tmp_path, monkeypatch)
    path = tmp_path / "in.csv"
    path.write_text(
        HEADER
        + csv_row("Harvey Police Department", "5a", "Class B misdemeanor", "2012-MC6-0000001", 1)
        # An agency the directory does not hold: the old fallback line comes back.
        + csv_row("Nowhere Police Department", "4a", "Class C misdemeanor", "2013-MC6-0000002", 2),
        encoding="utf-8",
    )
    result = run_pipeline(path, tmp_path / "out", formats=("pdf",))
    failures = {f.path: f.failures for f in check_run(result.run_dir).failed}
    harvey_motion = failures["cases/2012-MC6-0000001/motion.pdf"]
    assert any("names offense class(es) Class 4 felony, misdemeanor" in f for f in harvey_motion)
    assert any("cites statute(s) 720 ILCS 550/4, 720 ILCS 550/5" in f for f in harvey_motion)
    harvey_order = failures["cases/2012-MC6-0000001/order.pdf"]
    assert any('a bare "Denied" box on a granting order' in f for f in harvey_order)
    assert any("the text does not contain a separate denial line" in f for f in harvey_order)
    for kind in ("motion", "order"):
        assert any(
            "the fallback line for the arresting agency's chief legal officer" in f
            for f in failures[f"cases/2013-MC6-0000002/{kind}.pdf"]
        )


def test_text_rules_are_one_table_in_every_pack() -> None:
    """What a filing must not print (raw DOJ codes included) and what a kind must hold are the
    one court_wording / required_wording table: the old raw_text / required_text keys are refused."""
    for pack_name in ("ca-los-angeles", "ca-sacramento", "il-will"):
        rules = rules_of(load_pack(pack_name))
        assert "a raw DOJ charge prefix (CHRG) printed" in rules.court_wording
    la = rules_of(load_pack("ca-los-angeles"))
    assert any("Department of Justice" in name for name in la.required_wording["order"])
    raw = {**la.model_dump(), "raw_text": {"a raw code": "CHRG"}}
    with pytest.raises(ValueError, match="raw_text"):
        type(la).model_validate(raw)


def test_raw_data_split_by_a_page_break_is_still_found() -> None:
    rules = rules_of(load_pack("ca-los-angeles"))
    failures: list[str] = []
    content_failures(["1 BA1 DOE, JANE CHRG", "11358 HS Reduce"], rules, "bulk-motion", failures)
    assert failures == ["a raw DOJ charge prefix (CHRG) printed (across a page break)"]


def test_required_wording_is_not_looked_for_in_a_later_volume() -> None:
    """A later volume of a split filing holds exhibit rows only: no denial line or DOJ direction."""
    for pack_name in ("il-cook", "ca-los-angeles"):
        rules = rules_of(load_pack(pack_name))
        rows = ["EXHIBIT A (continued) 31 BA31 rows only"]
        first: list[str] = []
        content_failures(rows, rules, "bulk-order", first)
        assert any(f.startswith("the text does not contain") for f in first), first
        later: list[str] = []
        content_failures(rows, rules, "bulk-order", later, continued=True)
        assert later == [], later


# ----------------------------------------------------------------- a date's comma in a sentence


@pytest.mark.parametrize("pack_name", ALL_PACKS)
@pytest.mark.parametrize(
    ("text", "faulty"),
    [
        ("I certify that on December 1, 2026 I caused a copy to be served.", True),
        ("The motion will be presented on January 15, 2027 at 9:30 a.m.", True),
        ("I certify that on December 1, 2026, I caused a copy to be served.", False),
        ("The motion will be presented on January 15, 2027, at 9:30 a.m.", False),
        # A date standing on its own line (the signature's "Dated:") runs into the next line
        # once whitespace is flattened; that is not a sentence.
        ("Dated: December 1, 2026\nRespectfully submitted,", False),
        ("The order was entered on March 3, 2026.", False),
    ],
)
def test_check_wants_the_comma_after_a_date_in_a_sentence(
    pack_name: str, text: str, faulty: bool
) -> None:
    failures: list[str] = []
    content_failures(["Caption.", text], rules_of(load_pack(pack_name)), "motion", failures)
    flagged = any("without the comma after its year" in f for f in failures)
    assert flagged is faulty, failures


def test_check_fails_the_certificate_of_service_without_the_date_comma(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wording = "_layouts/illinois/wording.toml"
    packs_with_edit(
        tmp_path, monkeypatch, wording, "{{ date_long }}, I caused", "{{ date_long }} I caused"
    )
    path = tmp_path / "in.csv"
    path.write_text(
        HEADER
        + csv_row("Berwyn Police Department", "5a", "Class B misdemeanor", "2012-MC4-0000001", 1),
        encoding="utf-8",
    )
    result = run_pipeline(path, tmp_path / "out", formats=("pdf",))
    failures = {f.path: f.failures for f in check_run(result.run_dir).failed}
    assert any(
        "without the comma after its year" in f
        for f in failures["cases/2012-MC4-0000001/motion.pdf"]
    ), failures
