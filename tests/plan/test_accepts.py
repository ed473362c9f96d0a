"""What a pack accepts ([accepts] in pack.toml), and how `generate --rules` accounts for raw rows.

Issue 15, items 12-14: another court's rows are rejected with the reason (or stop the run under
--strict); `generate RAW --rules` counts the raw file's rows and names raw row numbers; a DOJ
header ending in a comma is read as gogen reads it; an unknown --county is an error; review rows
without a case number are listed for review, not rejected.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.packs import load_pack
from tests import paths
from tests.ca_prop64_rows import event, write_doj

runner = CliRunner()
FIXTURES = paths.FIXTURES
LA_DOJ = FIXTURES / "ca_prop64" / "los_angeles.csv"


def flat(text: str) -> str:
    return " ".join(text.split())


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def generate(tmp_path: Path, *args: str) -> tuple[object, Path | None]:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "generate",
            *args,
            "--date",
            "2024-01-02",
            "--out",
            str(out),
            "--formats",
            "docx",
            "--quiet",
        ],
    )
    runs = sorted(out.iterdir()) if out.is_dir() else []
    return result, (runs[0] if runs else None)


# ------------------------------------------------------------------ the patterns, as data

COOK_NUMBERS = [
    "2006-CR-1234567",
    "2009-MC1-204511",
    "2014-MC1-4858838",
    "19 C 12345",
    "12 CR 0004567",
]
WILL_NUMBERS = ["2015CF001234", "2015CM001234", "15 CF 1234", "2014CM858838"]


@pytest.mark.parametrize("number", COOK_NUMBERS)
def test_cook_takes_cook_numbers_and_will_refuses_them(number: str) -> None:
    cook, will = load_pack("il-cook").config.accepts, load_pack("il-will").config.accepts
    assert cook.problems("il-cook", "", number) == []
    assert will.problems("il-will", "", number) == [
        (
            "case_number",
            "not a Will County case number (the pack accepts 2015CF001234, 2015CM001234, "
            "15 CF 1234)",
        )
    ]


@pytest.mark.parametrize("number", WILL_NUMBERS)
def test_will_takes_will_numbers_and_cook_refuses_them(number: str) -> None:
    cook, will = load_pack("il-cook").config.accepts, load_pack("il-will").config.accepts
    assert will.problems("il-will", "", number) == []
    assert [c for c, _ in cook.problems("il-cook", "", number)] == ["case_number"]


@pytest.mark.parametrize(
    ("pack", "fixture"), [("il-cook", "golden-input.csv"), ("il-will", "il-will-input.csv")]
)
def test_every_fixture_case_number_is_accepted_by_its_pack(pack: str, fixture: str) -> None:
    accepts = load_pack(pack).config.accepts
    numbers = {r["case_number"] for r in read_csv(FIXTURES / fixture)}
    assert numbers
    assert [n for n in numbers if accepts.problems(pack, "", n)] == []


def test_county_is_matched_ignoring_case_and_spaces() -> None:
    la = load_pack("ca-los-angeles").config.accepts
    assert la.problems("ca-los-angeles", "  los   Angeles ", "BA123") == []
    assert la.problems("ca-los-angeles", "", "BA123") == []  # no county: case number alone
    assert la.problems("ca-los-angeles", "SACRAMENTO", "BA123") == [
        ("county", "not a Los Angeles County row (the pack accepts county LOS ANGELES)")
    ]


def test_packs_lists_what_each_pack_accepts() -> None:
    result = runner.invoke(app, ["packs"])
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert (
        "accepts: counties WILL; case numbers like 2015CF001234, 2015CM001234, 15 CF 1234" in text
    )
    assert "accepts: counties SAN FRANCISCO" in text


# ------------------------------------------------------------------ another court's rows


def _canonical_with_county(tmp_path: Path, counties: list[str]) -> Path:
    rows = read_csv(FIXTURES / "golden-input.csv")[: len(counties)]
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, [*rows[0], "county"])
        writer.writeheader()
        for row, county in zip(rows, counties, strict=True):
            writer.writerow({**row, "county": county})
    return path


def test_a_county_column_of_another_county_is_rejected(tmp_path: Path) -> None:
    source = _canonical_with_county(tmp_path, ["Cook", "DU PAGE", "cook"])
    result, run_dir = generate(tmp_path, str(source), "--pack", "il-cook")
    assert result.exit_code == 0, result.output
    assert run_dir is not None
    rejects = read_csv(run_dir / "rejects.csv")
    assert [(r["row"], r["column"], r["reason"]) for r in rejects] == [
        ("3", "county", "county: not a Cook County row (the pack accepts county COOK)")
    ]


def test_strict_stops_before_any_file_on_another_courts_rows(tmp_path: Path) -> None:
    source = _canonical_with_county(tmp_path, ["COOK", "DU PAGE"])
    result, run_dir = generate(tmp_path, str(source), "--pack", "il-cook", "--strict")
    assert result.exit_code == 1
    assert run_dir is None
    assert (
        "in.csv, row 3: county: not a Cook County row (the pack accepts county COOK); 1 row "
        "is not for pack il-cook's court and --strict stops the run" in flat(result.output)
    )


def test_los_angeles_convictions_make_no_san_francisco_filing(tmp_path: Path) -> None:
    args = [str(LA_DOJ), "--pack", "ca-san-francisco", "--rules", "ca-prop64"]
    result, run_dir = generate(tmp_path, *args, "--county", "LOS ANGELES")
    assert result.exit_code == 0, result.output
    assert run_dir is not None
    assert not (run_dir / "bulk").exists()
    assert "0 in documents" in flat(result.output)
    reasons = {r["reason"] for r in read_csv(run_dir / "rejects.csv") if r["column"] == "county"}
    assert reasons == {
        "county: not a San Francisco County row (the pack accepts county SAN FRANCISCO)"
    }


@pytest.mark.parametrize("county", ["SACRAMENTO", "SAN JOAQUIN", "CONTRA COSTA"])
def test_other_counties_rows_make_no_los_angeles_motion(tmp_path: Path, county: str) -> None:
    rows = [
        event("S1", "001001001000", "20150101", "11357 HS-POSSESS MARIJUANA", county=county),
        event("S2", "001001001000", "20150101", "11357 HS-POSSESS MARIJUANA"),
    ]
    for row, number in zip(rows, ["11111", "22222"], strict=True):
        row["FE_NUM_CRT_CASE"] = number
    raw = write_doj(tmp_path / "raw.csv", rows)
    args = [str(raw), "--pack", "ca-los-angeles", "--rules", "ca-prop64", "--county", county]
    result, run_dir = generate(tmp_path, *args, "--as-of", "2019-11-11")
    assert result.exit_code == 0, result.output
    assert run_dir is not None
    assert "2 rows = 0 in documents" in flat(result.output)
    rejects = read_csv(run_dir / "rejects.csv")
    assert [(r["row"], r["column"]) for r in rejects] == [("2", "county")]
    assert "1 context rows" in flat(result.output)  # S2, LOS ANGELES: not judged for county


# ------------------------------------------------------------------ raw row accounting


def _with_header_comma(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    end = data.index(b"\n")
    cut = end - 1 if data[end - 1 : end] == b"\r" else end
    target.write_bytes(data[:cut] + b"," + data[cut:])
    return target


def test_a_doj_header_ending_in_a_comma_is_read_as_gogen_reads_it(tmp_path: Path) -> None:
    # gogen's own fixture cadoj_san_joaquin_extra_comma.csv: gogen processes it.
    extra = _with_header_comma(LA_DOJ, tmp_path / "extra_comma.csv")
    plain = runner.invoke(
        app,
        [
            "determine",
            str(LA_DOJ),
            "--rules",
            "ca-prop64",
            "--county",
            "LOS ANGELES",
            "--out",
            str(tmp_path / "a" / "r.csv"),
        ],
    )
    comma = runner.invoke(
        app,
        [
            "determine",
            str(extra),
            "--rules",
            "ca-prop64",
            "--county",
            "LOS ANGELES",
            "--out",
            str(tmp_path / "b" / "r.csv"),
        ],
    )
    assert plain.exit_code == comma.exit_code == 0, comma.output
    assert read_csv(tmp_path / "b" / "r-rejects.csv") == []
    assert read_csv(tmp_path / "b" / "r.csv") == read_csv(tmp_path / "a" / "r.csv")


def _raw_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for row in csv.reader(fh) if any(c.strip() for c in row)) - 1


def test_generate_rules_counts_the_raw_files_rows(tmp_path: Path) -> None:
    extra = _with_header_comma(LA_DOJ, tmp_path / "extra_comma.csv")
    result, run_dir = _generate_la_raw(tmp_path, extra)
    assert result.exit_code == 0, result.output
    assert run_dir is not None
    raw_rows = _raw_rows(extra)
    assert flat(result.output).startswith(f"Run {run_dir.name}: {raw_rows} rows = ")
    report = flat((run_dir / "report.html").read_text(encoding="utf-8"))
    assert f"{raw_rows} input rows" in report


def _generate_la_raw(tmp_path: Path, raw: Path):
    """`generate RAW --rules ca-prop64 --county "LOS ANGELES"` into the LA pack."""
    args = ["--pack", "ca-los-angeles", "--rules", "ca-prop64", "--county", "LOS ANGELES"]
    return generate(tmp_path, str(raw), *args)


def test_a_broken_raw_row_is_counted_and_named_by_its_raw_row(tmp_path: Path) -> None:
    data = LA_DOJ.read_bytes()
    lines = data.split(b"\r\n" if b"\r\n" in data else b"\n")
    broken_at = 6  # spreadsheet row 7
    lines[broken_at] = lines[broken_at] + b",EXTRA"
    raw = tmp_path / "broken.csv"
    raw.write_bytes(b"\n".join(lines))
    result, run_dir = _generate_la_raw(tmp_path, raw)
    assert result.exit_code == 0, result.output
    assert run_dir is not None
    text = flat(result.output)
    counted = re.search(r": (\d+) rows = ", text)
    assert counted and int(counted.group(1)) == _raw_rows(raw)
    rejects = read_csv(run_dir / "rejects.csv")
    assert ("7", "") in [(r["row"], r["column"]) for r in rejects]
    assert any("fields, the header has" in r["reason"] for r in rejects if r["row"] == "7")
    # Every other reject names a raw row: one determine decided (determinations.csv's source_row).
    sources = {r["source_row"] for r in read_csv(run_dir / "determinations.csv")}
    assert {r["row"] for r in rejects if r["row"] != "7"} <= sources


# ------------------------------------------------------------------ determine's county


def test_an_unknown_county_is_an_error_listing_the_known_ones(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "determine",
            str(LA_DOJ),
            "--rules",
            "ca-prop64",
            "--county",
            "LOS ANGLES",
            "--out",
            str(tmp_path / "r.csv"),
        ],
    )
    assert result.exit_code == 1
    text = flat(result.output)
    assert "Error: unknown county 'LOS ANGLES' (did you mean 'LOS ANGELES'?)" in text
    assert "Known counties: ALAMEDA, ALPINE," in text and "SAN FRANCISCO" in text
    assert not (tmp_path / "r.csv").exists()


def test_review_rows_without_a_case_number_are_listed_for_review(tmp_path: Path) -> None:
    # Two people's records for review, neither with a court case number (a DOJ row often has
    # none): listed for review, not rejected, and not taken for one case of two people.
    rows = read_csv(FIXTURES / "golden-input.csv")
    people = {}
    for row in rows:
        people.setdefault(row["person_id"], row)
    first, second = list(people.values())[:2]
    review = [{**r, "case_number": "", "determination": "needs_review"} for r in (first, second)]
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows([rows[0], *review])
    result, run_dir = generate(tmp_path, str(source), "--pack", "il-cook")
    assert result.exit_code == 0, result.output
    assert run_dir is not None
    assert read_csv(run_dir / "rejects.csv") == []
    assert "2 needs review + 0 rejected" in flat(result.output)
    report = flat((run_dir / "report.html").read_text(encoding="utf-8"))
    assert "<h2>Needs review (2)</h2>" in report


def test_the_manifest_lists_every_file_of_a_rules_run(tmp_path: Path) -> None:
    args = [str(LA_DOJ), "--pack", "ca-los-angeles", "--rules", "ca-prop64"]
    result, run_dir = generate(tmp_path, *args, "--county", "LOS ANGELES")
    assert result.exit_code == 0, result.output
    assert run_dir is not None
    import json

    listed = {f["path"] for f in json.loads((run_dir / "manifest.json").read_text())["files"]}
    on_disk = {p.relative_to(run_dir).as_posix() for p in run_dir.rglob("*") if p.is_file()}
    assert on_disk - {"manifest.json"} == listed
    assert {"determinations.csv", "determinations-rejects.csv"} <= listed
