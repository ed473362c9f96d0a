"""`docgen check` on California bulk runs: the pleading-paper rules of the CA packs' [rules]
(line numbers 1-28 and the vertical rules as declared margin ink, landscape exhibit pages, the
Exhibit A bookmark), driven by the manifest's kinds. Each rule is shown to catch a doctored run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from docgen.check.checker import check_pdf, check_run
from docgen.cli import app
from docgen.filing_rules import rules_of
from docgen.packs import REPO_ROOT, load_pack
from tests import paths
from tests.conftest import GOGEN_GOLDEN, run_pipeline
from tests.pack_edit import set_in_pack

runner = CliRunner()
FIXTURES = paths.FIXTURES / "gogen"
CA_PACKS = ["ca-los-angeles", "ca-san-francisco"]
MOTION = "bulk/motion-with-exhibit.pdf"
ORDER = "bulk/order.pdf"


def check_cli(run_dir: Path):
    return runner.invoke(app, ["check", str(run_dir)], catch_exceptions=False)


def _run(pack: str, out: Path, **kwargs):
    return run_pipeline(
        GOGEN_GOLDEN[pack],
        out,
        pack_name=pack,
        input_format="gogen",
        formats=("pdf",),
        addresses=FIXTURES / "addresses.csv",
        **kwargs,
    )


@pytest.fixture(scope="module", params=CA_PACKS)
def ca_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    return _run(request.param, tmp_path_factory.mktemp(request.param))


def _packs_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, css: str = "") -> Path:
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    with (packs / "_layouts" / "california-pleading" / "style.css").open(
        "a", encoding="utf-8"
    ) as fh:
        fh.write(css + "\n")
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    return packs / "ca-los-angeles"


@pytest.fixture(scope="module")
def fixed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Los Angeles run from a private copy of the packs: the baseline the doctored runs change."""
    tmp = tmp_path_factory.mktemp("fixed")
    with pytest.MonkeyPatch.context() as mp:
        _packs_copy(tmp, mp)
        return _run("ca-los-angeles", tmp / "out").run_dir


@pytest.fixture
def run_copy(fixed_run: Path, tmp_path: Path) -> Path:
    target = tmp_path / "run"
    shutil.copytree(fixed_run, target)
    return target


def _fails(run_dir: Path, path: str, expected: str) -> str:
    result = check_cli(run_dir)
    assert result.exit_code == 1, result.output
    assert f"{path}: FAIL" in result.output, result.output
    assert expected in result.output, result.output
    return result.output


# ---- the packs' rules and their runs -------------------------------------------------------


@pytest.mark.parametrize("pack", CA_PACKS)
def test_rules_come_from_the_ca_packs(pack: str) -> None:
    rules = rules_of(load_pack(pack))
    assert rules.documents == ["bulk-motion", "bulk-order", "order"]
    assert rules.page_size_in == (8.5, 11.0) and rules.max_bytes == 25 * 1024 * 1024
    assert rules.margins_in.left >= 1.0 and rules.margins_in.right >= 0.5
    assert (rules.min_font_pt, rules.footer_min_font_pt, rules.pdfa) == (12, 10, "2B")
    assert rules.stamp_box is None and not rules.case_number_on_every_page
    assert rules.line_numbers is not None and rules.line_numbers.last == 28
    assert rules.exhibit_pages is not None and rules.exhibit_pages.page_size_in == (11.0, 8.5)
    assert rules.required_bookmarks == {"bulk-motion": ["EXHIBIT A"]}
    licence = rules.forbidden_text["California driver's licence number"]
    assert re.search(licence, "DL A1234567 issued")
    assert not re.search(licence, "BA400000 BA4000001 A12345678")  # case numbers are not licences


def test_every_filing_of_a_ca_run_passes(ca_run) -> None:
    result = check_cli(ca_run.run_dir)
    assert result.exit_code == 0, result.output
    report = check_run(ca_run.run_dir)
    # kinds from the manifest; the letters are held to [rules.letters]
    assert [f.path for f in report.files if not f.letter] == [MOTION, ORDER]
    assert [f.path for f in report.files if f.letter] == ["letters/G001.pdf", "letters/G002.pdf"]
    assert all(f.failures == [] for f in report.files)


def test_fixed_run_passes(fixed_run: Path) -> None:
    result = check_cli(fixed_run)
    assert result.exit_code == 0, result.output
    assert "2 court documents checked against the ca-los-angeles rules: 2 pass, 0 fail" in (
        result.output
    )


# ---- doctored runs: each fails with its own per-file message ------------------------------


@pytest.mark.parametrize(
    ("css", "path", "expected"),
    [
        (
            ".body p { text-align: right; margin-right: -0.5in; }",
            MOTION,
            "page 1: ink in the right margin",
        ),
        (".body p { font-size: 9pt; }", ORDER, "text at 9.0 pt, below the minimum of 12 pt"),
        (
            ".pl-numbers { display: none; }",
            MOTION,
            "page 1: pleading line numbers missing (28 of 1-28: 1, 2, 3, 4, 5, ...)",
        ),
        (
            ".pl-numbers span:nth-child(5) { line-height: 30pt; }",
            ORDER,
            "page 2: pleading line number 5 is off the 24 pt line pitch",
        ),
        (
            ".pl-numbers { left: -100pt; }",  # the numbers at 0.1 in: outside the declared band
            ORDER,
            "page 1: ink in the left margin",
        ),
        (  # the exhibit's cover page (page 3; its table pages are drawn, not styled)
            ".x-cover p { text-align: left; margin-left: -0.5in; }",
            MOTION,
            "page 3: ink in the left margin",
        ),
    ],
)
def test_each_pleading_rule_catches_a_broken_stylesheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, css: str, path: str, expected: str
) -> None:
    _packs_copy(tmp_path, monkeypatch, css)
    run_dir = _run("ca-los-angeles", tmp_path / "out").run_dir
    _fails(run_dir, path, expected)


def test_removed_exhibit_bookmark_fails(run_copy: Path) -> None:
    with pikepdf.open(run_copy / MOTION, allow_overwriting_input=True) as pdf:
        with pdf.open_outline() as outline:
            kept = [item for item in outline.root if not item.title.startswith("EXHIBIT A")]
            assert len(kept) == len(outline.root) - 1
            outline.root[:] = kept
        pdf.save(run_copy / MOTION)
    out = _fails(run_copy, MOTION, "no bookmark 'EXHIBIT A' in the outline")
    assert "1 pass, 1 fail" in out


def test_landscape_pages_only_where_the_pack_allows_them(fixed_run: Path) -> None:
    rules = rules_of(load_pack("ca-los-angeles"))
    data = (fixed_run / MOTION).read_bytes()
    assert check_pdf(data, rules, "bulk-motion") == []
    strict = rules.model_copy(update={"exhibit_pages": None})
    failures = check_pdf(data, strict, "bulk-motion")
    assert "page 3: size 11.00 x 8.50 in, not 8.5 x 11.0 in" in failures
    # ... and without the exhibit layout, those pages also miss the pleading line numbers.
    assert any(f.startswith("page 4: pleading line numbers missing") for f in failures)
    # The bookmark is asked of the bulk motion only (by kind).
    assert check_pdf((fixed_run / ORDER).read_bytes(), rules, "bulk-order") == []


def test_per_case_orders_are_checked_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = _packs_copy(tmp_path, monkeypatch)
    toml = pack / "pack.toml"
    set_in_pack(toml, "bulk", orders='"per_case"')
    run_dir = _run("ca-los-angeles", tmp_path / "out").run_dir
    result = check_cli(run_dir)
    assert result.exit_code == 0, result.output
    # The motion and 30 per-case orders (kind "order"); the orders batch and letters are not filings.
    assert "31 court documents checked against the ca-los-angeles rules: 31 pass" in result.output


# ---- court content: the order carries its exhibit, pages run on, DOJ, raw data --------------


def test_an_order_without_its_exhibit_fails_unless_the_pack_says_by_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An order that only incorporates Exhibit A by reference (the order before issue 15) fails
    the default rules; a pack that says `order_exhibit = "by_reference"` gets that order, and
    its check passes."""
    pack = _packs_copy(tmp_path, monkeypatch)
    toml = pack / "pack.toml"
    set_in_pack(toml, "bulk", order_exhibit='"by_reference"')
    run_dir = _run("ca-los-angeles", tmp_path / "out").run_dir
    result = check_cli(run_dir)
    assert result.exit_code == 0, result.output
    data = (run_dir / ORDER).read_bytes()
    with pikepdf.open(run_dir / ORDER) as pdf:
        assert len(pdf.pages) == 2  # the order alone
    text = "\n".join(p.extract_text() for p in PdfReader(run_dir / ORDER).pages)
    assert "incorporated in this order by reference" in text
    default_rules = rules_of(load_pack("ca-los-angeles"))
    failures = check_pdf(data, default_rules, "bulk-order", exhibit_rows=30)
    assert any(f.startswith("no Exhibit A in the file") for f in failures), failures


def test_the_order_carries_every_exhibit_row(fixed_run: Path) -> None:
    rules = rules_of(load_pack("ca-los-angeles"))
    data = (fixed_run / ORDER).read_bytes()
    assert check_pdf(data, rules, "bulk-order", exhibit_rows=30) == []
    assert check_pdf(data, rules, "bulk-order", exhibit_rows=31) == [
        "Exhibit A's row bookmarks cover 30 rows; the file holds 31",
        "the text says Exhibit A lists 30 conviction(s); it lists 31",  # [rules.exhibit_counts]
    ]


def test_exhibit_pages_numbered_on_their_own_fail_crc_3_1110(run_copy: Path) -> None:
    """Renumber the exhibit's pages from 1 (what the motion printed before): the check fails."""
    from docgen.check.content import page_number_failures

    texts = ["body", "body", "EXHIBIT A", "x Page 1 of 2 y", "Page 2 of 2"]
    footers = [["1"], ["2"], [], [], []]
    failures: list[str] = []
    page_number_failures(texts, footers, failures, continued=False)
    assert failures == ["page 3: no page number printed (CRC 3.1110(c))"]
    texts[2] = "Page 3 of 5 EXHIBIT A"
    failures = []
    page_number_failures(texts, footers, failures, continued=False)
    assert failures and failures[0].startswith("page 4: printed page number 1, not 4")
    texts[3:] = ["Page 4 of 5", "Page 5 of 5"]
    failures = []
    page_number_failures(texts, footers, failures, continued=False)
    assert failures == []
    texts[4] = "Page 5 of 6"
    page_number_failures(texts, footers, failures, continued=False)
    assert failures and "page totals" in failures[0]


def test_the_order_must_direct_the_doj_and_print_no_raw_codes(fixed_run: Path) -> None:
    from docgen.check.wording import content_failures

    rules = rules_of(load_pack("ca-los-angeles"))
    old_order = [
        "4. The Clerk of the Court shall update the Court's records accordingly and shall "
        "notify the Department of Justice of this order under Health and Safety Code section "
        "11361.9, subdivision (f)."
    ]
    failures: list[str] = []
    content_failures(
        [*old_order, "Presiding Judge of the Superior Court"], rules, "bulk-order", failures
    )
    assert failures == [
        "the text does not contain the direction to the Department of Justice to modify its "
        "records (H&S 11361.9(f))"
    ]
    failures = []
    rows = ["1 BA1 DOE, JANE 01/01/1970 CHRG 11358 HS 01/01/2000 Reduce\n2 BA2 '=SUM(A1) x"]
    content_failures(rows, rules, "bulk-motion", failures)
    assert failures == [
        "page 1: a raw DOJ charge prefix (CHRG) printed",
        "page 1: a formula-defusing apostrophe before = + - @ printed",
    ]
    # The real run's order says what the Department of Justice must do.
    reader = PdfReader(fixed_run / ORDER)
    flat = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "the Department of Justice shall modify the state summary criminal history" in flat


@pytest.mark.parametrize(
    "pack", ["ca-los-angeles", "ca-san-joaquin", "ca-sacramento", "ca-contra-costa"]
)
def test_the_bulk_order_is_for_the_presiding_judge(pack: str, tmp_path: Path) -> None:
    """documents.md: one order for the whole of Exhibit A, on the presiding judge's signature
    line. Los Angeles, San Joaquin, Sacramento and Contra Costa printed "Judge of the Superior
    Court" under it (only San Francisco said "Presiding"); `docgen check` now fails such an order."""
    from docgen.check.wording import content_failures

    rules = rules_of(load_pack(pack))
    order_text = [
        "the Department of Justice shall modify the state summary criminal history information "
        "database in accordance with this order. Dated: ______ Judge of the Superior Court"
    ]
    failures: list[str] = []
    content_failures(order_text, rules, "bulk-order", failures)
    assert failures == [
        "the text does not contain the presiding judge's signature line (one order for every "
        "conviction in Exhibit A)"
    ]
    run_dir = run_pipeline(
        GOGEN_GOLDEN.get(pack, FIXTURES / f"golden-{pack.removeprefix('ca-')}.csv"),
        tmp_path,
        pack_name=pack,
        input_format="gogen",
        formats=("pdf",),
    ).run_dir
    lines = [
        line.strip()
        for page in PdfReader(run_dir / ORDER).pages
        for line in (page.extract_text() or "").splitlines()
    ]
    assert "Presiding Judge of the Superior Court" in lines
    assert check_cli(run_dir).exit_code == 0


def test_a_per_case_order_says_what_each_relief_does() -> None:
    """A per-case order ([bulk] orders = "per_case") granted "the relief stated" beside a table
    whose cells say only "Reduce": to what, the clerk and the Department of Justice could not
    read from it. It now says what each relief listed does, as the bulk order does, and `docgen
    check` ([rules.required_wording.order]) fails an order that does not."""
    from datetime import date

    from docgen.check.wording import content_failures
    from docgen.model import Case, Person
    from docgen.plan import bulk
    from tests.factories import charge_row

    pack = load_pack("ca-sacramento")
    rows = [
        charge_row(row=2, case_number="04MI267244", statute="11359 HS", determination="reduce"),
        charge_row(row=3, case_number="04MI267244", statute="11357(A) HS", determination="reduce"),
    ]
    case = Case("04MI267244", "", rows)
    spec = bulk.case_order(pack, Person("P-1", rows[0], [case]), case, date(2026, 12, 1))
    after = spec.context["wording"]["after_table"]
    assert after[0] == (
        'Each conviction marked "Reduce" is recalled and redesignated as a misdemeanor or, where '
        "the law so provides, an infraction, under Health and Safety Code section 11361.8."
    )
    one = Case("04MI267244", "", rows[:1])
    mixed = Case(
        "04MI267244", "", [rows[0], rows[1].model_copy(update={"determination": "dismiss_seal"})]
    )
    assert (
        bulk.case_order(pack, Person("P-1", rows[0], [one]), one, date(2026, 12, 1))
        .context["wording"]["after_table"][0]
        .startswith('The conviction marked "Reduce"')
    )
    both = bulk.case_order(pack, Person("P-1", rows[0], [mixed]), mixed, date(2026, 12, 1))
    assert both.context["wording"]["after_table"][0].startswith(
        'The conviction marked "Dismiss and seal" is recalled and dismissed, and its record is sealed'
    )
    rules = rules_of(pack)
    doj = (
        "Under Health and Safety Code section 11361.9, subdivision (f), the Department of Justice "
        "shall modify the state summary criminal history information database in accordance"
    )
    old = ["IT IS ORDERED that the relief is granted. 11359 HS 01/13/2005 Reduce " + doj]
    failures: list[str] = []
    content_failures(old, rules, "order", failures)
    assert failures == [
        "the text does not contain what the relief granted does (recalled and dismissed and "
        "sealed, or redesignated)"
    ]
    failures = []
    content_failures([old[0] + " " + after[0]], rules, "order", failures)
    assert failures == []


def test_the_counts_stated_are_exhibit_as(fixed_run: Path) -> None:
    """The motion's and the order's counts ("each of the 30 convictions listed in Exhibit A",
    "Each of the 26 convictions marked "Dismiss and seal"") are checked against Exhibit A's rows
    and relief cells ([rules.exhibit_counts]): a real run passes, a doctored count fails."""
    from docgen.check.content import exhibit_count_failures

    rules = rules_of(load_pack("ca-los-angeles"))
    assert rules.exhibit_counts is not None
    for name, kind in ((MOTION, "bulk-motion"), (ORDER, "bulk-order")):
        assert check_pdf((fixed_run / name).read_bytes(), rules, kind, exhibit_rows=30) == []
    body = (
        "move this Court to recall each of the 3 convictions listed in Exhibit A. For each of "
        'the 2 convictions marked "Dismiss and seal" in Exhibit A, ... For the conviction '
        'marked "Reduce", ...'
    )
    exhibit = (
        "No. Case Number Name Date of\nBirth Code Section Disposition\nDate Relief\n"
        "1 BA1 DOE, JANE 01/01/1970 11357(A) HS 01/01/2000 Dismiss and seal\n"
        "2 BA2 LONG-\nNAME, JOHN 01/01/1971 11359 HS 01/01/2001 Reduce\n"
        "3 BA3 ROE, RAY 01/01/1972 11358 HS 01/01/2002 Dismiss and seal"
    )
    failures: list[str] = []
    exhibit_count_failures([body, exhibit], [False, True], 3, rules.exhibit_counts, failures)
    assert failures == []
    wrong = body.replace("the 2 convictions", "the 3 convictions").replace(
        "the 3 convictions listed", "the 4 convictions listed"
    )
    exhibit_count_failures([wrong, exhibit], [False, True], 3, rules.exhibit_counts, failures)
    assert failures == [
        "the text says Exhibit A lists 4 conviction(s); it lists 3",
        'the text says 3 conviction(s) are marked "Dismiss and seal"; Exhibit A marks 2',
    ]
