"""Stage timings (docgen.stage_times): measured in the pipeline, shown in `docgen generate`'s
closing summary, never written to a run's files. No assertion here is about speed."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from typer.testing import CliRunner

from docgen.cli import app
from docgen.pipeline import STAGES
from docgen.stage_times import READING, StageClock, StageTime, summary_line
from tests.conftest import GOLDEN_INPUT

runner = CliRunner()

# "Stages: reading and planning 0.2 s, rendering 2.9 s (16 documents, 5.6 docs/s), ..."
STAGE_PART = re.compile(r"([a-z' ]+?) ([\d,]+\.\d) s(?: \(([^)]*)\))?(?:, |$)")


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_the_clock_times_each_stage_and_passes_every_call_on() -> None:
    now = FakeClock()
    seen: list[tuple[str, int, int | None]] = []
    clock = StageClock(lambda *call: seen.append(call), now=now)
    now.t += 2.0
    clock.lap(READING)
    with clock.step():
        clock("Rendering", 0, 3)
        now.t += 5.0
        clock("Rendering", 3, 3)
    now.t += 0.25  # between stages: nobody's time
    with clock.step():  # nothing to do (no letters): reports no stage
        now.t += 0.5
    with clock.step():
        now.t += 1.0  # counting the volumes, before the stage's first report: the stage's time
        clock("Judge's batch", 0, 2)
        now.t += 3.0
        clock("Judge's batch", 2, 2)
    assert clock.times() == (
        StageTime(READING, 2.0),
        StageTime("Rendering", 5.0, 3),
        StageTime("Judge's batch", 4.0, 2),
    )
    assert seen == [
        ("Rendering", 0, 3),
        ("Rendering", 3, 3),
        ("Judge's batch", 0, 2),
        ("Judge's batch", 2, 2),
    ]


def test_the_summary_line_counts_documents_rendered_apart_from_reused() -> None:
    times = (
        StageTime(READING, 1.25),
        StageTime("Rendering", 10.0, 400),
        StageTime("Letters print file", 2.0, 1),
        StageTime("Judge's batch", 19.94, 3),
        StageTime("Report", 2.1, 1),
    )
    assert summary_line(times) == (
        "Stages: reading and planning 1.2 s, rendering 10.0 s (400 documents, 40.0 docs/s), "
        "letters print file 2.0 s, judge's batch 19.9 s (3 volumes), report 2.1 s"
    )
    resumed = summary_line(times[1:2], documents_reused=399)
    assert resumed == "Stages: rendering 10.0 s (1 document rendered, 399 reused, 0.1 docs/s)"
    everything_reused = summary_line(times[1:2], documents_reused=400)
    assert everything_reused == "Stages: rendering 10.0 s (0 documents rendered, 400 reused)"


def test_the_pipeline_times_every_stage_it_ran(golden_run) -> None:
    times = golden_run.stage_times
    # The golden input has letters and orders: every stage ran.
    assert [t.stage for t in times] == [READING, *STAGES]
    assert all(t.seconds >= 0 for t in times)
    assert sum(t.seconds for t in times) <= golden_run.seconds
    rendering = next(t for t in times if t.stage == "Rendering")
    letters = sorted((golden_run.run_dir / "letters").glob("*.pdf"))
    court = sorted((golden_run.run_dir / "cases").glob("*/*.pdf"))
    assert rendering.done == len(letters) + len(court)


def _generate(input_path: Path, out: Path) -> tuple[str, list[tuple[str, float, str]], float]:
    """Run `docgen generate` (quiet, PDF only) and return its output, the stages of its summary
    line (name, seconds, counts) and the run's total seconds."""
    args = ["generate", str(input_path), "--pack", "il-cook", "--date", "2026-12-01"]
    args += ["--formats", "pdf", "--workers", "1", "--quiet", "--out", str(out)]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("Stages: ")]
    body = line.removeprefix("Stages: ")
    parts = STAGE_PART.findall(body)
    assert "".join(m.group(0) for m in STAGE_PART.finditer(body)) == body  # all of it parsed
    total = float(re.search(r"\(([\d.]+) s\)", result.output).group(1))
    stages = [(name, float(seconds.replace(",", "")), counts) for name, seconds, counts in parts]
    return result.output, stages, total


def _hashes(run_dir: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((run_dir / name).read_bytes()).hexdigest()
        for name in ("manifest.json", "report.html", "report.pdf", "rejects.csv")
    }


def _stage_names(stages: list[tuple[str, float, str]]) -> list[str]:
    return [name for name, _, _ in stages]


def test_generate_prints_the_stages_and_keeps_them_out_of_the_files(tmp_path: Path) -> None:
    _, stages, total = _generate(GOLDEN_INPUT, tmp_path / "a")
    assert _stage_names(stages) == [s.lower() for s in (READING, *STAGES)]
    assert all(seconds >= 0 for _, seconds, _ in stages)
    # Each printed time is rounded to 0.1 s: allow that much per entry.
    assert sum(seconds for _, seconds, _ in stages) <= total + 0.05 * (len(stages) + 1)
    (run_dir,) = (tmp_path / "a").iterdir()
    documents = len(list(run_dir.glob("letters/*.pdf"))) + len(list(run_dir.glob("cases/*/*.pdf")))
    assert dict((n, c) for n, _, c in stages)["rendering"].startswith(f"{documents} documents, ")
    first = _hashes(run_dir)
    manifest = (run_dir / "manifest.json").read_text(encoding="utf-8")
    assert READING not in manifest and "Rendering" not in manifest

    # Again into the same folder: a resume that reuses every document says so, and the files
    # are the same bytes.
    _, resumed, _ = _generate(GOLDEN_INPUT, tmp_path / "a")
    assert _stage_names(resumed) == _stage_names(stages)
    counts = dict((n, c) for n, _, c in resumed)["rendering"]
    assert counts == f"0 documents rendered, {documents} reused"
    assert _hashes(run_dir) == first

    # And into a fresh folder: the same bytes again.
    _generate(GOLDEN_INPUT, tmp_path / "b")
    assert _hashes(tmp_path / "b" / run_dir.name) == first


def _golden_rows_with(**changes: str) -> tuple[list[str], list[dict[str, str]]]:
    with GOLDEN_INPUT.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [{**row, **changes} for row in reader]
        return list(reader.fieldnames or []), rows


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_a_run_without_letters_does_not_list_the_letters_stage(tmp_path: Path) -> None:
    blank = {c: "" for c in ("address_line1", "address_line2", "city", "state", "postal_code")}
    columns, rows = _golden_rows_with(**blank)
    output, stages, _ = _generate(_write(tmp_path / "no-address.csv", columns, rows), tmp_path)
    assert " 0 letters," in output
    expected = [s.lower() for s in (READING, *STAGES) if s != "Letters print file"]
    assert _stage_names(stages) == expected


def test_a_run_without_orders_lists_neither_batch(tmp_path: Path) -> None:
    columns, rows = _golden_rows_with(determination="not_eligible", reason="not eligible")
    output, stages, _ = _generate(_write(tmp_path / "none-eligible.csv", columns, rows), tmp_path)
    assert " 0 cases, 0 letters," in output
    assert _stage_names(stages) == [s.lower() for s in (READING, "Rendering", "Report", "Manifest")]
