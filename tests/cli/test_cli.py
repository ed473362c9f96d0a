"""The command line: exit codes, messages a paralegal can act on, no personal data in them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from tests.conftest import GOLDEN_INPUT

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", ["generate", "validate", "synth", "packs"])
def test_every_command_has_help(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output
    assert len(result.output.splitlines()) > 4


def test_packs_lists_il_cook() -> None:
    result = invoke("packs")
    assert result.exit_code == 0
    assert "il-cook" in result.output
    assert "vacate_expunge" in result.output


def test_unreadable_input_exits_1_with_the_file_name(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    result = invoke("generate", str(missing), "--pack", "il-cook", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "nope.csv" in result.output
    assert "Traceback" not in result.output


def test_unknown_pack_exits_1_and_lists_packs(tmp_path: Path) -> None:
    result = invoke("generate", str(GOLDEN_INPUT), "--pack", "il-nowhere", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "unknown pack 'il-nowhere'" in result.output
    assert "il-cook" in result.output


def test_missing_required_column_exits_1_naming_it(tmp_path: Path) -> None:
    lines = GOLDEN_INPUT.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    drop = header.index("case_number")
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    buf = io.StringIO()
    csv.writer(buf).writerows([r[:drop] + r[drop + 1 :] for r in rows])
    bad = tmp_path / "no-case.csv"
    bad.write_text(buf.getvalue(), encoding="utf-8")
    result = invoke("generate", str(bad), "--pack", "il-cook", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "case_number" in result.output
    assert "no-case.csv" in result.output


def test_bad_date_option_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("generate", str(GOLDEN_INPUT), "--pack", "il-cook", "--date", "12/01/2026")
    assert result.exit_code == 2


def _input_with_one_bad_row(tmp_path: Path) -> Path:
    lines = GOLDEN_INPUT.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("1985-11-02", "1985-13-45")
    bad = tmp_path / "one-bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


def test_validate_names_row_and_column_but_not_the_value(tmp_path: Path) -> None:
    result = invoke("validate", str(_input_with_one_bad_row(tmp_path)), "--date", "2026-12-01")
    assert result.exit_code == 0
    assert "one-bad.csv, row 5, column date_of_birth" in result.output
    assert "1985-13-45" not in result.output
    assert "Núñez" not in result.output
    assert "9 rows, 8 valid, 1 rejected" in result.output
    strict = invoke(
        "validate", str(_input_with_one_bad_row(tmp_path)), "--date", "2026-12-01", "--strict"
    )
    assert strict.exit_code == 1


def test_generate_with_rejects_exits_0_but_1_under_strict(tmp_path: Path) -> None:
    bad = _input_with_one_bad_row(tmp_path)
    args = [
        "generate",
        str(bad),
        "--pack",
        "il-cook",
        "--date",
        "2026-12-01",
        "--formats",
        "pdf",
        "--quiet",
    ]
    result = invoke(*args, "--out", str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    assert "1 rejected" in result.output
    assert "rejects.csv" in result.output
    strict = invoke(*args, "--out", str(tmp_path / "b"), "--strict")
    assert strict.exit_code == 1
    run_dirs = list((tmp_path / "a").iterdir())
    assert len(run_dirs) == 1
    assert not list(run_dirs[0].rglob("*.docx"))  # --formats pdf


def test_synth_writes_a_file_generate_accepts(tmp_path: Path) -> None:
    target = tmp_path / "demo.csv"
    result = invoke("synth", "--cases", "5", "--seed", "3", "--out", str(target))
    assert result.exit_code == 0
    validated = invoke("validate", str(target), "--strict")
    assert validated.exit_code == 0, validated.output


def test_the_progress_bar_follows_the_run_stages() -> None:
    import io

    from rich.console import Console
    from rich.progress import Progress

    from docgen.cli.progress import StageBar, progress_columns

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=160, color_system=None)
    with Progress(*progress_columns(), console=console, auto_refresh=False) as bar:
        stage = StageBar(bar)
        stage("Rendering", 0, 40)
        stage("Rendering", 40, 40)
        (task,) = bar.tasks
        assert (task.description, task.completed, task.total) == ("Rendering", 40, 40)
        stage("Judge's batch", 0, 3)
        stage("Judge's batch", 1, 3)
        (task,) = bar.tasks  # one bar, restarted: count, total, rate and ETA are the stage's
        assert (task.description, task.completed, task.total) == ("Judge's batch", 1, 3)
        assert task.fields["unit"] == "volumes"
        bar.refresh()
        assert "Judge's batch" in screen.getvalue() and "1/3 volumes" in screen.getvalue()
        stage("Report", 0, 1)
        bar.refresh()
        assert "0/1" in screen.getvalue().rsplit("Report", 1)[-1]


def test_generate_shows_the_stage_bar_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    import docgen.cli.run

    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=160, color_system=None)
    monkeypatch.setattr(docgen.cli.run, "err", terminal)
    args = ["generate", str(GOLDEN_INPUT), "--pack", "il-cook", "--date", "2026-12-01"]
    result = invoke(*args, "--formats", "pdf", "--out", str(tmp_path), "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "0 rejected" in result.output
    assert "Rendering" in screen.getvalue()  # the bar was drawn (then cleared: transient)
