"""`docgen serve` and `docgen keys create`: thin commands over docgen.service."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.service.keys import office_for_key
from docgen.service.settings import Settings
from docgen.service.store import Store

runner = CliRunner()


@pytest.mark.parametrize("command", [["serve"], ["keys", "create"]])
def test_service_commands_have_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
    assert "--data-dir" in result.output and "--database-url" in result.output


def test_keys_create_prints_a_key_once_and_stores_only_its_hash(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = runner.invoke(
        app, ["keys", "create", "--office", "Cook SAO", "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("dgk_")
    store = Store(Settings(data_dir=data_dir).db_url)
    try:
        assert office_for_key(store, key) == "Cook SAO"
    finally:
        store.dispose()
    db = data_dir / "docgen.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_keys_create_with_a_database_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    result = runner.invoke(
        app, ["keys", "create", "--office", "X", "--database-url", url, "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "elsewhere.db").is_file()


def test_keys_create_refuses_an_empty_office(tmp_path: Path) -> None:
    result = runner.invoke(app, ["keys", "create", "--office", " ", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "office name" in result.output
