"""A line introducing what follows ("IT IS HEREBY ORDERED:", "... the following charges:") never
ends a page apart from it (`[rules] lead_in`, docgen.check.content; `.lead-in` in the layouts'
stylesheets). A Cook order with three charges once ended page 1 with "IT IS HEREBY ORDERED:"
and began its items on page 2: the rule on its own, that order as shipped and with the old
template put back, and the CLI printing the rule's name whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from docgen.check.checker import check_run
from docgen.check.content import body_lines, lead_in_failures
from docgen.cli import app
from docgen.demo.synth import synth_rows, write_csv
from docgen.filing_rules import rules_of
from docgen.packs import load_pack
from tests.conftest import run_pipeline
from tests.pack_edit import packs_with_edit

LEAD_IN = rules_of(load_pack("il-cook")).lead_in
# docgen synth --cases 12 --seed 11: one of its orders (three charges) is the one that broke.
SEED, CASES = 11, 12


def test_every_layout_has_the_rule() -> None:
    for name in ("il-cook", "il-will", "ca-los-angeles", "ca-contra-costa"):
        assert rules_of(load_pack(name)).lead_in == ":$", name


def test_a_page_ending_with_a_lead_in_fails_but_not_the_last() -> None:
    assert LEAD_IN
    footer = ["Case No. 2016-MC1-7477698", "Page 1 of 2"]
    first = "B. The Court finds.\nIT IS HEREBY ORDERED:\nCase No. 2016-MC1-7477698 Page 1 of 2"
    failures: list[str] = []
    lead_in_failures([first, "1. The convictions are VACATED."], [footer, []], LEAD_IN, failures)
    assert len(failures) == 1 and failures[0].startswith("page 1: ends with a line that")
    failures.clear()
    lead_in_failures(["1. Vacated.", "The motion is DENIED.\nNotes:"], [[], []], LEAD_IN, failures)
    assert failures == []  # the last page's last line introduces nothing that could be split off


def test_body_lines_leave_out_line_numbers_and_the_footer() -> None:
    text = "1\n2\nIT IS ORDERED:\n3\nOrder Granting Relief\n2"
    assert body_lines(text, ["Order Granting Relief", "2"]) == ["IT IS ORDERED:"]


def _cook_run(out: Path) -> Path:
    csv = out.parent / "cook.csv"
    write_csv(synth_rows(CASES, seed=SEED), csv)
    return run_pipeline(csv, out, formats=("pdf",)).run_dir


def _lead_in_failures(run_dir: Path) -> list[str]:
    return [
        f"{file.path}: {line}"
        for file in check_run(run_dir).files
        for line in file.failures
        if "introduces what follows" in line
    ]


def test_orders_keep_their_lead_in_with_what_follows(tmp_path: Path) -> None:
    run_dir = _cook_run(tmp_path / "out")
    assert _lead_in_failures(run_dir) == []
    for order in sorted(run_dir.glob("cases/*/order.pdf")):
        pages = PdfReader(order).pages
        for page in pages[:-1]:
            lines = [line for line in page.extract_text().splitlines() if line.strip()]
            assert not lines[-2].rstrip().endswith(":"), (order.parent.name, lines[-2])


def test_check_fails_the_old_order_put_back_and_the_cli_names_the_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = "_layouts/illinois/order.html"
    packs_with_edit(tmp_path, monkeypatch, order, 'class="plain lead-in"', 'class="plain"')
    run_dir = _cook_run(tmp_path / "out")
    failures = _lead_in_failures(run_dir)
    assert failures and all("order.pdf: page 1:" in f for f in failures), failures
    result = CliRunner().invoke(app, ["check", str(run_dir)])
    assert result.exit_code == 1
    assert "([rules] lead_in)" in result.output  # not eaten as a rich style
