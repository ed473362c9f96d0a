"""Illinois end to end: `docgen synth --raw` -> `docgen determine --rules il-crta` -> `docgen
generate --pack il-cook` makes motions, orders and letters for exactly the vacate_expunge cases,
and the one-command form (`generate --rules`) makes the same documents."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.plan.viewmodel import safe_stem
from tests.golden_files import pdf_text

runner = CliRunner()
DATE = "2026-12-01"


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def il_run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("il-e2e")
    raw = root / "raw.csv"
    cli("synth", "--raw", "--cases", "40", "--seed", "4", "--out", str(raw))
    results = root / "results.csv"
    cli("determine", str(raw), "--rules", "il-crta", "--as-of", DATE, "--out", str(results))
    out = root / "out"
    cli(
        "generate", str(results), "--pack", "il-cook", "--date", DATE,
        "--out", str(out), "--formats", "pdf", "--workers", "1", "--quiet",
    )  # fmt: skip
    [run_dir] = list(out.iterdir())
    with results.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return root, raw, rows, run_dir


def test_the_raw_file_makes_every_kind_of_determination(il_run) -> None:
    _root, raw, rows, _run_dir = il_run
    with raw.open(encoding="utf-8", newline="") as fh:
        assert len(rows) == sum(1 for _ in csv.DictReader(fh))  # synth rows are all valid
    kinds = {r["determination"] for r in rows}
    assert kinds == {"vacate_expunge", "not_eligible", "needs_review", "automatic_expungement"}
    assert all(r["reason"] for r in rows)


def test_documents_for_exactly_the_vacate_expunge_cases(il_run) -> None:
    _root, _raw, rows, run_dir = il_run
    vacate: dict[str, list[dict]] = defaultdict(list)
    others: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        target = vacate if row["determination"] == "vacate_expunge" else others
        target[row["case_number"]].append(row)
    assert vacate, "the synthetic file should have eligible cases"
    made = {p.name for p in (run_dir / "cases").iterdir()}
    assert made == {safe_stem(c) for c in vacate}

    for case_number, charges in vacate.items():
        folder = run_dir / "cases" / safe_stem(case_number)
        motion = flat(pdf_text(folder / "motion.pdf"))
        order = flat(pdf_text(folder / "order.pdf"))
        assert "MOTION TO VACATE AND EXPUNGE" in motion
        assert "ORDER TO VACATE AND EXPUNGE" in order
        last = charges[0]["last_name"].upper()
        for text in (motion, order):
            assert case_number in text
            assert last in text.upper()
            assert "20 ILCS 2630/5.2(i)(3)" in text
            for charge in charges:
                assert charge["statute"] in text
            # Charges of the case that get no relief are not listed as grounds.
            for other in others.get(case_number, []):
                if other["statute"] not in {c["statute"] for c in charges}:
                    assert other["statute"] not in text


def test_letters_for_exactly_the_people_with_vacated_cases(il_run) -> None:
    _root, _raw, rows, run_dir = il_run
    cases_by_person: dict[str, set[str]] = defaultdict(set)
    addressed: set[str] = set()
    for row in rows:
        if row["determination"] == "vacate_expunge":
            cases_by_person[row["person_id"]].add(row["case_number"])
            if row["address_line1"]:
                addressed.add(row["person_id"])
    letters = {p.stem: p for p in (run_dir / "letters").glob("*.pdf")}
    assert set(letters) == {safe_stem(p) for p in addressed}
    for person_id in addressed:
        text = flat(pdf_text(letters[safe_stem(person_id)]))
        for case_number in cases_by_person[person_id]:
            assert case_number in text
        assert "cannabis" in text.lower()


def test_automatic_expungement_rows_are_counted_not_filed(il_run) -> None:
    _root, _raw, rows, run_dir = il_run
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    accounting = manifest["accounting"]
    automatic = sum(r["determination"] == "automatic_expungement" for r in rows)
    assert automatic > 0
    assert accounting["automatic_expungement"] == automatic
    assert accounting["balanced"] is True
    assert accounting["input_rows"] == len(rows)
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert f"{automatic} automatic expungement" in report


def test_one_command_makes_the_same_documents(il_run) -> None:
    root, raw, _rows, run_dir = il_run
    out = root / "one-command"
    cli(
        "generate", str(raw), "--rules", "il-crta", "--as-of", DATE, "--pack", "il-cook",
        "--date", DATE, "--out", str(out), "--formats", "pdf", "--workers", "1", "--quiet",
    )  # fmt: skip
    [chained] = list(out.iterdir())

    def digests(folder: Path) -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for sub in ("cases", "letters")
            for p in sorted((folder / sub).rglob("*.pdf"))
        }

    assert digests(chained) == digests(run_dir)
    assert (chained / "determinations.csv").is_file()
