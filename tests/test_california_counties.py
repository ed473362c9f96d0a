"""The California county packs beyond Los Angeles and San Francisco (gogen's pilot counties San
Joaquin, Sacramento and Contra Costa): each reached from gogen's results and from raw DOJ records
through `determine --county`, each run passing `docgen check`, no pack naming another county,
and each court taking only its own county's rows (the [accepts] table)."""

from __future__ import annotations

import csv
import re
import shutil
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.errors import PackError
from docgen.packs import REPO_ROOT, available_packs, layouts_dir, load_pack
from tests.ca_county_fixtures import COUNTY_PACKS, GOGEN_FIXTURES, demo_input
from tests.conftest import run_pipeline
from tests.golden_files import GOLDENS_DIR
from tests.render.test_docx_valid import all_problems

runner = CliRunner()
CA_PACKS = [p for p in available_packs() if p.startswith("ca-")]
SHARED_GOGEN = REPO_ROOT.parent / "shared" / "data" / "gogen"


def _folded(text: str) -> str:
    """Lower case without accents: "Los Ángeles" and "los angeles" are the same name."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _county_of(pack: str) -> str:
    match = re.search(r"County of (.+)$", load_pack(pack).config.court["name"])
    assert match, pack
    return match[1]


def _pack_texts(pack: str) -> dict[Path, str]:
    folder = REPO_ROOT / "templates" / pack
    return {p: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}


def _pdf_text(path: Path) -> str:
    doc = pdfium.PdfDocument(path)
    return "\n".join(page.get_textpage().get_text_range() for page in doc)


@pytest.fixture(scope="module", params=list(COUNTY_PACKS))
def county_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    pack = request.param
    results, addresses = demo_input(pack)
    run = run_pipeline(
        results,
        tmp_path_factory.mktemp(pack),
        pack_name=pack,
        input_format="gogen",
        addresses=addresses,
    )
    return pack, run


# ---- the packs and their wording ----------------------------------------------------------


def test_docgen_packs_lists_the_county_packs() -> None:
    result = runner.invoke(app, ["packs"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for pack, (county, _slug) in COUNTY_PACKS.items():
        assert pack in result.output
        assert f"Superior Court of California, County of {county.title()}" in result.output


def test_the_service_lists_the_county_packs() -> None:
    from docgen.service.jobs_api import packs as service_packs

    listed = {p["name"]: p for p in service_packs(None)}
    for pack in COUNTY_PACKS:
        assert listed[pack]["state"] == "CA"
        assert listed[pack]["documents_for"] == ["dismiss_seal", "reduce"]


@pytest.mark.parametrize("pack", CA_PACKS)
def test_no_ca_pack_names_another_county_or_its_office(pack: str) -> None:
    others = [p for p in CA_PACKS if p != pack]
    names = {o: [_county_of(o), load_pack(o).config.office["name"]] for o in others}
    for path, text in _pack_texts(pack).items():
        for other, words in names.items():
            for word in words:
                assert _folded(word) not in _folded(text), f"{path} names {other}'s {word!r}"


def test_the_shared_california_wording_names_no_county() -> None:
    shared = (layouts_dir() / "california-pleading" / "wording.toml").read_text(encoding="utf-8")
    for pack in CA_PACKS:
        assert _folded(_county_of(pack)) not in _folded(shared), pack
        assert _folded(load_pack(pack).config.office["name"]) not in _folded(shared), pack


@pytest.mark.parametrize("pack", list(COUNTY_PACKS))
def test_the_county_packs_goldens_name_no_other_county(pack: str) -> None:
    texts = sorted((GOLDENS_DIR / pack).glob("*/pdf/text.txt"))
    assert len(texts) == 4
    own = _folded(_county_of(pack))
    for path in texts:
        text = _folded(path.read_text(encoding="utf-8"))
        assert own in text, path
        for other in CA_PACKS:
            if other != pack:
                assert _folded(_county_of(other)) not in text, f"{path} names {other}"


@pytest.mark.parametrize("pack", list(COUNTY_PACKS))
def test_the_county_packs_hold_only_what_is_particular_to_them(pack: str) -> None:
    """The motion, order and letter wording comes from the layout's wording.toml."""
    loaded = load_pack(pack)
    assert loaded.shared is not None
    for where in ("bulk_motion.paragraphs", "bulk_order.title", "letter.es.main_point"):
        assert loaded.source_of(where).name == "wording.toml", where
    for where in ("court.lines", "office.address_lines", "accepts.counties"):
        assert loaded.source_of(where).name == "pack.toml", where


@pytest.mark.parametrize("pack", list(COUNTY_PACKS))
def test_placeholders_are_clearly_fictional(pack: str) -> None:
    office = load_pack(pack).config.office
    assert office["email"].endswith(".example")
    for phone in (office["phone"], office["letter_phone"]):
        assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", phone), phone
    for language in ("en", "es"):
        assert re.search(r"\(\d{3}\) 555-01\d\d", office["legal_aid"][language])


# ---- the rows each court takes ------------------------------------------------------------


def _fixture_cases(pack: str) -> list[tuple[str, str]]:
    """(county, case number) of every judged row of the pack's demo input."""
    with demo_input(pack)[0].open(encoding="utf-8", newline="") as fh:
        return [
            (row["STP_ORI_CNTY_NAME"], row["Case Number"])
            for row in csv.DictReader(fh)
            if row["Eligibility Determination"]
        ]


def _accepts(pack: str, case_number: str) -> bool:
    patterns = load_pack(pack).config.accepts.case_number_patterns
    return any(re.fullmatch(p, case_number) for p in patterns)


@pytest.mark.parametrize("pack", list(COUNTY_PACKS))
def test_each_court_takes_its_own_rows(pack: str) -> None:
    accepts = load_pack(pack).config.accepts
    assert accepts.counties == [COUNTY_PACKS[pack][0]]
    cases = _fixture_cases(pack)
    assert len(cases) == 32
    for county, case in cases:
        assert county.casefold() in [c.casefold() for c in accepts.counties]
        assert _accepts(pack, case), case
    assert _accepts(pack, "123456 / 234567")  # DOJ's bare numbers, several for one case
    for other in COUNTY_PACKS:
        if other != pack:
            foreign = {case for _county, case in _fixture_cases(other)}
            assert not any(_accepts(pack, case) for case in foreign), other


def _loader_ignores_accepts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    """True while the pack loader takes any [accepts] table, even a nonsensical one."""
    packs = tmp_path / "probe"
    shutil.copytree(REPO_ROOT / "templates", packs)
    toml = packs / "ca-san-joaquin" / "pack.toml"
    toml.write_text(toml.read_text().replace('counties = ["SAN JOAQUIN"]', "counties = 5"))
    with monkeypatch.context() as mp:
        mp.setenv("DOCGEN_PACKS_DIR", str(packs))
        try:
            load_pack("ca-san-joaquin")
        except PackError:
            return False
    return True


def _skip_while_not_enforced(result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip only while the loader ignores [accepts] and the run took every row regardless."""
    if result.rows_in_documents and _loader_ignores_accepts(tmp_path, monkeypatch):
        pytest.skip("needs [accepts] enforcement")


def test_san_joaquin_rejects_another_countys_rows(tmp_path, monkeypatch) -> None:
    result = run_pipeline(
        GOGEN_FIXTURES / "golden.csv",  # Los Angeles County rows
        tmp_path / "out",
        pack_name="ca-san-joaquin",
        input_format="gogen",
        formats=("pdf",),
    )
    _skip_while_not_enforced(result, tmp_path, monkeypatch)
    assert result.rows_in_documents == 0
    # The reason names the county the pack takes, never the row's own values.
    county_rejects = [r for r in result.rejects if r.column == "county"]
    assert len(county_rejects) >= 30, [r.reason for r in result.rejects]
    assert all("accepts county SAN JOAQUIN" in r.reason for r in county_rejects)


def test_san_joaquin_rejects_a_case_number_not_of_its_court(tmp_path, monkeypatch) -> None:
    # Sacramento's rows, relabelled as San Joaquin County: the county fits, the numbers do not.
    text = (GOGEN_FIXTURES / "golden-sacramento.csv").read_text(encoding="utf-8")
    relabelled = tmp_path / "relabelled.csv"
    relabelled.write_text(text.replace(",SACRAMENTO,", ",SAN JOAQUIN,"), encoding="utf-8")
    result = run_pipeline(
        relabelled,
        tmp_path / "out",
        pack_name="ca-san-joaquin",
        input_format="gogen",
        formats=("pdf",),
    )
    _skip_while_not_enforced(result, tmp_path, monkeypatch)
    assert result.rows_in_documents == 0
    assert result.rejects and all(r.column == "case_number" for r in result.rejects)


# ---- end to end: gogen's results, raw DOJ records, `docgen check` -------------------------


def test_a_county_run_from_gogen_results(county_run) -> None:
    pack, run = county_run
    court = load_pack(pack).config.court
    assert (run.rows_in_documents, run.rows_rejected) == (30, 0)
    motion = _pdf_text(run.run_dir / "bulk/motion-with-exhibit.pdf")
    for line in court["lines"]:
        assert line in motion
    assert "EXHIBIT A" in motion
    order = _pdf_text(run.run_dir / "bulk/order.pdf")
    assert court["judge_title"] in order


def test_every_filing_of_a_county_run_passes_docgen_check(county_run) -> None:
    pack, run = county_run
    result = runner.invoke(app, ["check", str(run.run_dir)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"2 court documents checked against the {pack} rules: 2 pass, 0 fail" in (result.output)


def test_every_docx_of_a_county_run_is_valid(county_run) -> None:
    _pack, run = county_run
    count, problems = all_problems(run.run_dir)
    assert count >= 4
    assert not problems, "\n".join(problems[:20])


def test_long_case_numbers_stay_in_the_letters_case_column(county_run) -> None:
    """San Joaquin's STK-CR-MI-1990-0004000 is wider than the shared letter's case column; its
    pack.css widens it: each case number ends, on one line, before its row's year begins (the
    next column: the court is named over the table)."""
    pack, run = county_run
    page = pdfium.PdfDocument(run.run_dir / "letters/G001.pdf")[0].get_textpage()
    text = page.get_text_range()
    rows = re.findall(r"^(\S+?)[ \t]+((?:19|20)\d\d)[ \t]", text, flags=re.M)
    assert len(rows) == 2, text
    for case, year in rows:
        start = text.index(case)
        case_right = page.get_charbox(start + len(case) - 1)[2]
        year_left = page.get_charbox(text.index(year, start + len(case)))[0]
        case_top = page.get_charbox(start)[3]
        assert page.get_charbox(start + len(case) - 1)[3] == pytest.approx(
            case_top, abs=2
        )  # one line
        assert case_right < year_left, f"{pack}: {case} runs into the year column"


@pytest.mark.parametrize("pack", list(COUNTY_PACKS))
def test_raw_doj_records_through_determine_county(pack: str, tmp_path: Path) -> None:
    """gogen's results keep the DOJ columns: the same file judged by the ca-prop64 rule set with
    this county's flow feeds the pack."""
    county = COUNTY_PACKS[pack][0]
    out = tmp_path / "out"
    args = ["generate", str(demo_input(pack)[0]), "--rules", "ca-prop64", "--county", county]
    args += ["--as-of", "2026-12-01", "--pack", pack, "--date", "2026-12-01"]
    result = runner.invoke(app, [*args, "--formats", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    # The raw file's rows are counted (30 decided, the rest context rows), none rejected.
    assert "50 rows = 30 in documents" in result.output and "0 rejected" in result.output
    (run_dir,) = out.iterdir()
    motion = _pdf_text(run_dir / "bulk/motion-with-exhibit.pdf")
    assert load_pack(pack).config.court["lines"][1] in motion
    with (run_dir / "determinations.csv").open(encoding="utf-8-sig", newline="") as fh:
        numbers = {row["case_number"] for row in csv.DictReader(fh)}
    assert numbers and all(_accepts(pack, n) for n in numbers)


@pytest.mark.skipif(
    not (SHARED_GOGEN / "doj_contra_costa_results.csv").is_file(),
    reason="../shared/data/gogen is absent",
)
def test_real_contra_costa_gogen_data_both_ways(tmp_path: Path) -> None:
    """gogen's own Contra Costa results, and the DOJ input it read judged again: the same rows
    reach the pack's documents, and every case number in them is one the court takes."""
    from_results = run_pipeline(
        SHARED_GOGEN / "doj_contra_costa_results.csv",
        tmp_path / "a",
        pack_name="ca-contra-costa",
        input_format="gogen",
        formats=("pdf",),
    )
    out = tmp_path / "b"
    args = ["generate", str(SHARED_GOGEN / "cadoj_contra_costa.csv"), "--rules", "ca-prop64"]
    args += ["--county", "CONTRA COSTA", "--mode", "gogen", "--as-of", "2019-11-11"]
    args += ["--pack", "ca-contra-costa", "--date", "2026-12-01", "--formats", "pdf"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert from_results.rows_in_documents >= 1
    assert f"{from_results.rows_in_documents} in documents" in result.output
    numbers = {r.case_number for r in from_results.rejects if r.case_number}
    assert numbers and all(_accepts("ca-contra-costa", n) for n in numbers)
