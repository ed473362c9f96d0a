"""A clerk's finding: Will County's filings named Cook County's agencies (the demonstration data's
Chicago Police, the Cook County Sheriff, Chicago's Corporation Counsel). `docgen check` now fails
a filing that names another court's county, agencies or divisions: pack data in each Illinois
pack's [rules.court_wording], the same name -> pattern rules as "1 persons", not Python per
county. Will's own Joliet addresses on North Chicago Street pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.check.checker import check_run
from docgen.check.wording import content_failures
from docgen.filing_rules import rules_of
from docgen.packs import REPO_ROOT, load_pack
from tests.conftest import run_pipeline
from tests.golden_files import GOLDENS_DIR
from tests.plan.test_agency_directory import HEADER, csv_row

# The order's service list as the Cook demonstration data made it in a Will County run.
CHICAGO_COUNSEL = (
    "4. The Clerk of the Circuit Court shall serve a copy of this order on each agency listed "
    "above, on each person listed in Exhibit A at the last known address, and on the chief legal "
    "officer of the unit of local government of each arresting agency: Corporation Counsel of "
    "the City of Chicago, 121 North LaSalle Street, Room 600, Chicago, Illinois 60602"
)
WILL_OWN = (
    "Illinois State Police, Bureau of Identification, 260 North Chicago Street, Joliet, Illinois "
    "60432. Office of the Will County State's Attorney, 121 North Chicago Street, Joliet. "
    "Corporation Counsel of the City of Joliet, 150 West Jefferson Street, Joliet, Illinois 60432"
)


def _failures(pack_name: str, text: str, kind: str) -> list[str]:
    failures: list[str] = []
    content_failures(["IN THE CIRCUIT COURT", text], rules_of(load_pack(pack_name)), kind, failures)
    return [f for f in failures if not f.startswith("the text does not contain")]


def test_check_fails_a_will_order_naming_chicagos_corporation_counsel() -> None:
    failures = _failures("il-will", CHICAGO_COUNSEL, "bulk-order")
    assert failures == [
        "page 2: a City of Chicago agency or official named (Cook County's, not Will's)"
    ]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Cook County Sheriff's Office, 50 West Washington Street", "(Cook County)"),
        ("Civil Actions Bureau, COOK COUNTY State's Attorney's Office", "(Cook County)"),
        ("Chicago Police Department, 3510 South Michigan Avenue", "City of Chicago agency"),
        ("MUNICIPAL DEPARTMENT, FIRST DISTRICT", "Municipal Department"),
    ],
)
def test_check_fails_each_cook_name_in_a_will_filing(text: str, rule: str) -> None:
    failures = _failures("il-will", text, "order")
    assert len(failures) == 1 and rule in failures[0], failures


def test_will_addresses_on_joliets_chicago_street_pass() -> None:
    assert _failures("il-will", WILL_OWN, "bulk-order") == []


@pytest.mark.parametrize(
    "text", ["IN THE CIRCUIT COURT OF THE TWELFTH JUDICIAL CIRCUIT", "Clerk of Will County"]
)
def test_check_fails_will_county_in_a_cook_filing(text: str) -> None:
    failures = _failures("il-cook", text, "order")
    assert len(failures) == 1 and "Will County" in failures[0], failures
    # Cook's filings serve the State Police in Joliet: that passes.
    assert _failures("il-cook", WILL_OWN.split(". Office")[0], "order") == []


@pytest.mark.parametrize("document", ["bulk-motion", "bulk-order"])
def test_the_will_goldens_pass_the_other_court_rules(document: str) -> None:
    text = (GOLDENS_DIR / "il-will" / document / "pdf" / "text.txt").read_text(encoding="utf-8")
    assert _failures("il-will", text, document) == []


def test_check_fails_a_will_run_whose_directory_holds_chicago_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The old il-will pack: Chicago's police in its agency directory, for the Cook demo data.
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    will = packs / "il-will" / "pack.toml"
    old_entry = (
        '\n[agency_directory."Chicago Police Department"]\n'
        'address = "3510 South Michigan Avenue, Chicago, Illinois 60653"\n'
        'legal_officer = "Corporation Counsel of the City of Chicago"\n'
        'legal_officer_address = "121 North LaSalle Street, Room 600, Chicago, Illinois 60602"\n'
    )
    text = will.read_text(encoding="utf-8")
    anchor = '[agency_directory."Joliet Police Department"]'
    will.write_text(text.replace(anchor, old_entry.lstrip("\n") + "\n" + anchor), "utf-8")
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    path = tmp_path / "in.csv"
    path.write_text(
        HEADER
        + csv_row("Joliet Police Department", "4a", "Class C misdemeanor", "2010CM000001", 1)
        + csv_row("Chicago Police Department", "5a", "Class B misdemeanor", "2011CM000002", 2),
        encoding="utf-8",
    )
    result = run_pipeline(path, tmp_path / "out", pack_name="il-will", formats=("pdf",))
    failures = {f.path: f.failures for f in check_run(result.run_dir).failed}
    assert set(failures) == {"bulk/motion-with-exhibit.pdf", "bulk/order.pdf"}
    for found in failures.values():
        assert any("a City of Chicago agency or official named" in f for f in found), found
