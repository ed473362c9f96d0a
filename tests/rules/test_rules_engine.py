"""The rules engine and `docgen determine`: finding rule sets, outputs, accounting, reports."""

from __future__ import annotations

import csv
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.errors import RulesError
from docgen.rules import engine, review
from docgen.rules.core import Check, Determination, RuleSetResult
from tests.ca_prop64_rows import RULES_TOML, event, write_doj

ROWS = [
    event(
        "1", "101001001000", "20100101", "11357(A) HS-POSSESS", ofn="CASE-1", cycle_date="20091201"
    ),
    event("1", "101001002000", "20100101", "459 PC-BURGLARY", ofn="CASE-1", cycle_date="20091201"),
    event(
        "2", "101001001000", "20170101", "11358 HS-CULTIVATE", ofn="CASE-2", cycle_date="20170101"
    ),
    event(
        "3", "101001001000", "20100101", "11357(C) HS-POSSESS", ofn="CASE-3", cycle_date="20091201"
    ),
    event("4", "101001001000", "20100101", "11359 HS-SALE", county="YOLO"),
]


def determine_cli(tmp_path: Path, *extra: str) -> tuple[int, str, Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    raw = write_doj(tmp_path / "raw.csv", ROWS)
    out = tmp_path / "out" / "results.csv"
    args = ["determine", str(raw), "--rules", "ca-prop64", "--county", "LOS ANGELES"]
    result = CliRunner().invoke(app, [*args, "--as-of", "2019-11-11", "--out", str(out), *extra])
    return result.exit_code, result.output, out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_determine_writes_results_review_and_rejects(tmp_path: Path) -> None:
    code, output, out = determine_cli(tmp_path)
    assert code == 0, output
    assert "5 rows = 3 decided + 2 context rows + 0 rejected" in output.replace("\n", " ")
    rows = read_csv(out)
    assert [(r["case_number"], r["determination"]) for r in rows] == [
        ("CASE-1", "dismiss_seal"),
        ("CASE-2", "not_eligible"),
        ("CASE-3", "needs_review"),
    ]
    assert rows[0]["date_of_birth"] == "1970-01-01" and rows[0]["first_name"] == "JANE"
    assert "H&S 11361.8" in rows[0]["reason"]
    review_rows = read_csv(out.with_name("results-review.csv"))
    assert [r["rule"] for r in review_rows] == ["11357-a-or-b", "after-cutoff", "other-11357"]
    assert review_rows[2]["needs_review"] == "yes"
    assert review_rows[0]["tests"].startswith("PASS before_cutoff: Offense date 2009-12-01")
    html = out.with_name("results-review.html").read_text(encoding="utf-8")
    assert "People who need review (1)" in html and "other-11357" in html
    assert read_csv(out.with_name("results-rejects.csv")) == []
    for path in out.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_results_are_valid_canonical_input(tmp_path: Path) -> None:
    from docgen.pipeline import RunOptions, validate_input

    code, output, out = determine_cli(tmp_path)
    assert code == 0, output
    options = RunOptions(input_path=out, pack_name="", run_date=date(2026, 12, 1), out_dir=tmp_path)
    validation = validate_input(options)
    assert validation.rejects == [] and len(validation.charges) == 3


def test_same_input_gives_byte_identical_outputs(tmp_path: Path) -> None:
    _, _, first = determine_cli(tmp_path / "a")
    _, _, second = determine_cli(tmp_path / "b")
    for name in ("results.csv", "results-review.csv", "results-review.html"):
        a = (first.parent / name).read_bytes()
        b = (second.parent / name).read_bytes()
        assert a == b.replace(b"/b/", b"/a/"), name


def test_gogen_mode_from_the_command_line(tmp_path: Path) -> None:
    code, output, out = determine_cli(tmp_path, "--mode", "gogen")
    assert code == 0, output
    # gogen judged the 2017 conviction by its date alone and the mode shows in the report
    assert [r["determination"] for r in read_csv(out)][1] == "not_eligible"
    assert "gogen-compatible" in out.with_name("results-review.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rules", "no-such-rules"], "unknown rule set 'no-such-rules'"),
        (["--rules", "../rules"], "unknown rule set"),
        (["--rules", "ca-prop64", "--mode", "fast"], "no mode 'fast'"),
        # gogen knew four counties; the statute mode's office-options flow serves any other
        (
            ["--rules", "ca-prop64", "--mode", "gogen", "--county", "SAN FRANCISCO"],
            "no Prop 64 flow",
        ),
        # not a California county at all (rules.toml [rule_set] counties)
        (["--rules", "ca-prop64", "--county", "ATLANTIS"], "unknown county 'ATLANTIS'"),
    ],
)
def test_usage_errors_exit_1_with_a_message(tmp_path: Path, args: list[str], message: str) -> None:
    raw = write_doj(tmp_path / "raw.csv", ROWS)
    argv = ["determine", str(raw), "--as-of", "2019-11-11", "--out", str(tmp_path / "r.csv")]
    if "--county" not in args:
        argv += ["--county", "LOS ANGELES"]
    result = CliRunner().invoke(app, argv + args)
    assert result.exit_code == 1
    assert message in result.output


def test_missing_input_file(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="no such file"):
        engine.determine(tmp_path / "nope.csv", "ca-prop64", date(2019, 11, 11), "LOS ANGELES")


def test_rules_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "rules" / "ca-prop64-office"
    folder.mkdir(parents=True)
    text = RULES_TOML.read_text(encoding="utf-8").replace(
        "cutoff = 2016-11-09", "cutoff = 2009-01-01"
    )
    (folder / "rules.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("DOCGEN_RULES_DIR", str(tmp_path / "rules"))
    assert engine.available_rule_sets() == ["ca-prop64-office"]
    raw = write_doj(tmp_path / "raw.csv", ROWS)
    result = engine.determine(raw, "ca-prop64-office", date(2019, 11, 11), "LOS ANGELES")
    assert {d.rule for d in result.determinations} == {"after-cutoff"}  # the office's cutoff


def test_broken_rules_toml_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(RULES_TOML.parent, tmp_path / "ca-prop64")
    (tmp_path / "ca-prop64" / "rules.toml").write_text("[rule_set\n", encoding="utf-8")
    (tmp_path / "modeless").mkdir()
    (tmp_path / "modeless" / "rules.toml").write_text(
        '[rule_set]\nname = "m"\nmodule = "docgen.rules.ca_prop64"\n', encoding="utf-8"
    )
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "rules.toml").write_text(
        '[rule_set]\nname = "f"\nmodule = "os"\n', encoding="utf-8"
    )
    monkeypatch.setenv("DOCGEN_RULES_DIR", str(tmp_path))
    with pytest.raises(RulesError, match=r"rules.toml: not valid TOML"):
        engine.load_rule_set("ca-prop64")
    with pytest.raises(RulesError, match="has no modes"):
        engine.determine(tmp_path / "x.csv", "modeless", date(2019, 1, 1), "X", mode="gogen")
    with pytest.raises(RulesError, match=r"docgen\.rules"):
        engine.load_rule_set("foreign")


def test_review_report_is_generic_and_escapes() -> None:
    result = RuleSetResult(
        determinations=[
            Determination(
                row=2,
                person_id="<script>alert(1)</script>",
                case_number="=HYPERLINK(1)",
                outcome="vacate_expunge",
                reason="Because",
                checks=(Check("t1", True, "ok", "20 ILCS 2630/5.2(i)"), Check("t2", False, "no")),
                rule="route-a",
            ),
            Determination(3, "p2", "C-2", "needs_review", "Look", needs_review=True, rule="r"),
        ],
        context_rows=4,
    )
    html = review.review_html(result, "in.csv").decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "People who need review (1)" in html
    assert "<th>6</th>" in html  # 2 decided + 4 context
    rows = list(csv.reader(review.review_csv(result).decode("utf-8-sig").splitlines()))
    assert rows[1][2] == "'=HYPERLINK(1)"  # no live formula
    assert rows[1][8] == "PASS t1: ok [20 ILCS 2630/5.2(i)] | FAIL t2: no"


def test_review_shows_undecided_tests_apart_from_failed_ones() -> None:
    from docgen.rules.il_crta.finding import undecided

    checks = (Check("t1", False, "no"), undecided("grams", "No amount recorded", "720 ILCS 550/4"))
    result = RuleSetResult(
        determinations=[Determination(2, "p1", "C-1", "needs_review", "Look", checks=checks)]
    )
    rows = list(csv.reader(review.review_csv(result).decode("utf-8-sig").splitlines()))
    assert rows[1][8] == "FAIL t1: no | UNDECIDED grams: No amount recorded [720 ILCS 550/4]"
    html = review.review_html(result, "in.csv").decode()
    assert 'class="undecided"' in html and 'class="fail"' in html


@pytest.mark.slow
def test_generate_chains_determine_into_the_run(tmp_path: Path) -> None:
    raw = write_doj(tmp_path / "raw.csv", ROWS)
    out = tmp_path / "out"
    args = ["generate", str(raw), "--rules", "ca-prop64", "--county", "LOS ANGELES"]
    args += ["--as-of", "2019-11-11", "--pack", "ca-los-angeles", "--date", "2026-12-01"]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--formats", "docx", "--quiet"])
    assert result.exit_code == 0, result.output
    (run_dir,) = out.iterdir()
    assert (run_dir / "determinations.csv").is_file()
    assert (run_dir / "determinations-review.html").is_file()
    # The raw file's 5 rows: 3 determined (1 in documents, 1 not eligible, 1 needs review) and
    # 2 context rows (the rest of the record), as `determine` counts them.
    assert (
        "5 rows = 1 in documents + 1 not eligible + 1 needs review + 0 rejected + 2 context rows"
        in result.output.replace("\n", " ")
    )
    assert any(p.suffix == ".docx" for p in (run_dir / "bulk").iterdir())
