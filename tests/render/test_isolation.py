"""Isolation: rendering fetches nothing from the network or outside the pack and fonts; input
is data, never a URL to fetch; output is owner-only; logs hold counts and row numbers only."""

from __future__ import annotations

import csv
import logging
import shutil
import socket
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.packs import FONTS_DIR, REPO_ROOT
from docgen.render.pdf import LocalOnlyFetcher
from tests import paths
from tests.conftest import GOLDEN_INPUT, run_pipeline

HOSTILE = paths.BADINPUT / "html-jinja-names.csv"
ARGS = ["--pack", "il-cook", "--date", "2026-12-01", "--quiet", "--workers", "1"]
runner = CliRunner()


@pytest.fixture
def pack_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    return packs / "il-cook"


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        (
            '<img src="http://example.invalid/pixel.png">',
            "refused to fetch 'http://example.invalid",
        ),
        ('<img src="file:///etc/passwd">', "refused to read 'file:///etc/passwd'"),
        ('<link rel="stylesheet" href="https://example.invalid/x.css">', "refused to fetch"),
        ('<img src="../../../../../../etc/passwd">', "outside the pack and fonts folders"),
    ],
)
def test_template_reaching_out_is_refused(
    pack_copy: Path, tmp_path: Path, markup: str, message: str
) -> None:
    template = pack_copy.parent / "_layouts" / "illinois" / "motion.html"
    original = template.read_text(encoding="utf-8")
    text = original.replace("{% block content %}", "{% block content %}" + markup, 1)
    assert text != original
    template.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["generate", str(GOLDEN_INPUT), *ARGS, "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_stylesheet_import_outside_the_pack_is_refused(pack_copy: Path, tmp_path: Path) -> None:
    css = pack_copy.parent / "_layouts" / "illinois" / "style.css"
    css.write_text('@import url("file:///etc/passwd");\n' + css.read_text(encoding="utf-8"))
    result = runner.invoke(
        app, ["generate", str(GOLDEN_INPUT), *ARGS, "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1, result.output
    assert "refused to read 'file:///etc/passwd'" in result.output


def test_urls_in_input_are_text_never_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched: list[str] = []
    connects: list[object] = []
    real_fetch = LocalOnlyFetcher.fetch

    def spy(self, url, headers=None):  # type: ignore[no-untyped-def]
        fetched.append(url)
        return real_fetch(self, url, headers)

    def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
        connects.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(LocalOnlyFetcher, "fetch", spy)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    result = run_pipeline(HOSTILE, tmp_path / "out")
    assert result.rows_in_documents == 4 and result.accounted
    assert connects == []
    allowed = (str((REPO_ROOT / "templates").resolve()), str(FONTS_DIR.resolve()))
    for url in fetched:
        assert url.startswith("file://"), url
        assert any(root in url for root in allowed) or "report_templates" in url, url
    assert not any("evil.example" in u or "/etc/passwd" in u for u in fetched)
    letters = " ".join(p.read_bytes().hex() for p in result.run_dir.glob("letters/*.pdf"))
    assert letters  # the hostile addresses went into letters, as text (checked in test_badinput)


def test_every_output_file_and_folder_is_owner_only(tmp_path: Path) -> None:
    result = run_pipeline(HOSTILE, tmp_path / "out")
    paths = [result.run_dir, *result.run_dir.rglob("*")]
    assert len(paths) > 10
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def _personal_values(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    values: set[str] = set()
    for row in rows:
        for col in ("last_name", "first_name", "date_of_birth", "address_line1", "postal_code"):
            if len(row[col]) >= 4:
                values.add(row[col])
    return values


def test_debug_logs_carry_no_names_birth_dates_or_addresses(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    secrets = _personal_values(GOLDEN_INPUT)
    assert {"O'Brien", "1979-03-14", "1420 W. Granville Ave."} <= secrets
    # A row with a bad date: rejects are logged too (by row number).
    bad = tmp_path / "one-bad.csv"
    lines = GOLDEN_INPUT.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("1985-11-02", "1985-13-45")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level(logging.DEBUG):
        result = runner.invoke(
            app, ["generate", str(bad), *ARGS, "--formats", "pdf", "--out", str(tmp_path / "o")]
        )
    assert result.exit_code == 0, result.output
    captured = capfd.readouterr()
    logs = "\n".join(r.getMessage() for r in caplog.records)
    assert "validated 9 input rows" in logs
    assert "row 5 rejected (column date_of_birth)" in logs
    assert "rendering a motion" in logs
    for secret in secrets | {"1985-13-45"}:
        assert secret not in logs, f"personal data in the logs: {secret!r}"
        assert secret not in captured.err
        assert secret not in result.output
