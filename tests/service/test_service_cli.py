"""`docgen serve` and `docgen keys create|list|revoke`: thin commands over docgen.service."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docgen.cli import app
from docgen.service.keys import office_for_key
from docgen.service.settings import Settings
from docgen.service.store import Store

runner = CliRunner()


@pytest.mark.parametrize(
    "command", [["serve"], ["keys", "create"], ["keys", "list"], ["keys", "revoke"]]
)
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


def _create(data_dir: Path, office: str) -> str:
    result = runner.invoke(app, ["keys", "create", "--office", office, "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_keys_list_shows_ids_offices_and_times_never_secrets(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    empty = runner.invoke(app, ["keys", "list", "--data-dir", str(data_dir)])
    assert empty.exit_code == 0 and "No API keys yet" in empty.output
    keys = [_create(data_dir, "Cook SAO"), _create(data_dir, "Office [with] brackets")]
    result = runner.invoke(app, ["keys", "list", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "OFFICE", "CREATED", "REVOKED"]
    for key, office in zip(keys, ["Cook SAO", "Office [with] brackets"], strict=True):
        key_id, secret = key.split("_")[1], key.split("_", 2)[2]
        row = next(line for line in lines if line.startswith(key_id))
        assert office in row and row.rstrip().endswith("-")
        assert secret not in result.output
    as_json = runner.invoke(app, ["keys", "list", "--json", "--data-dir", str(data_dir)])
    rows = json.loads(as_json.stdout)
    assert {tuple(sorted(r)) for r in rows} == {("created_at", "key_id", "office", "revoked_at")}


def test_keys_revoke(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key = _create(data_dir, "Cook SAO")
    key_id = key.split("_")[1]
    store = Store(Settings(data_dir=data_dir).db_url)
    try:
        assert office_for_key(store, key) == "Cook SAO"
        result = runner.invoke(app, ["keys", "revoke", key_id, "--data-dir", str(data_dir)])
        assert result.exit_code == 0, result.output
        assert f"API key {key_id} of office 'Cook SAO' revoked at " in result.output
        assert office_for_key(store, key) is None
    finally:
        store.dispose()
    again = runner.invoke(app, ["keys", "revoke", f"dgk_{key_id}", "--data-dir", str(data_dir)])
    assert again.exit_code == 0 and "already revoked" in again.output
    listed = runner.invoke(app, ["keys", "list", "--data-dir", str(data_dir)])
    row = next(line for line in listed.stdout.splitlines() if line.startswith(key_id))
    assert row.rstrip().endswith("Z") and not row.rstrip().endswith("-")
    for bad in ["0123456789abcdef", "nope", "../../etc"]:
        result = runner.invoke(app, ["keys", "revoke", bad, "--data-dir", str(data_dir)])
        assert result.exit_code == 1
        assert "no API key with the id" in result.output and "keys list" in result.output
