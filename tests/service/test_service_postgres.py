"""The service on a real PostgreSQL server: keys made with the CLI, a whole job over HTTP.

The server is a throwaway one (tests/pg_server.py): initdb into a temporary folder, postgres on
127.0.0.1 and a free port, password authentication. Jobs run in worker processes, as in production,
which reach the database through the URL in their environment.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import MetaData, create_engine
from typer.testing import CliRunner

from docgen.cli import app
from tests.pg_server import PostgresServer, pg_server, pg_url  # noqa: F401  (fixtures)
from tests.service.test_service_api import ThreadServer, make_settings, upload, wait_for
from tests.service.test_service_store import old_jobs_table

runner = CliRunner()


def cli(*args: str) -> Any:
    return runner.invoke(app, list(args))


def cli_key(office: str, url: str, data_dir: Path) -> str:
    result = cli(
        "keys", "create", "--office", office, "--database-url", url, "--data-dir", str(data_dir)
    )
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def pg_service(
    pg_server: PostgresServer,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Any]]:
    url = pg_server.create_database()
    data_dir = tmp_path_factory.mktemp("pg-service") / "data"
    keys = {
        "cook": cli_key("Cook SAO", url, data_dir),
        "other": cli_key("Other County", url, data_dir),
    }
    settings = make_settings(data_dir, database_url=url)
    with ThreadServer(settings) as server:
        yield {"server": server, "url": url, "keys": keys, "data_dir": data_dir}


def test_the_service_really_uses_postgresql(pg_service: dict[str, Any]) -> None:
    assert pg_service["server"].app.state.store.engine.dialect.name == "postgresql"
    assert not (pg_service["data_dir"] / "docgen.db").exists()  # no SQLite file on the side
    with psycopg.connect(pg_service["url"]) as conn:
        offices = {r[0] for r in conn.execute("SELECT office FROM api_keys")}
    assert offices == {"Cook SAO", "Other County"}


def test_a_whole_job_on_postgresql(pg_service: dict[str, Any]) -> None:
    server = pg_service["server"]
    with server.client(pg_service["keys"]["cook"], bearer=True) as cook:
        response = upload(cook)
        assert response.status_code == 201, response.text
        job = wait_for(cook, response.json()["id"])
        assert job["status"] == "done", job
        assert job["progress"]["done"] == job["progress"]["total"] > 0
        progress = job["progress"]
        assert (progress["stage"], progress["stage_done"], progress["stage_total"]) == (
            "Manifest",
            1,
            1,
        )
        assert job["summary"]["input_rows"] == 9 and job["summary"]["balanced"] is True
        assert job["summary"]["cases"] == 6 and job["summary"]["letters"] == 4

        download = cook.get(job["links"]["download"])
        assert download.status_code == 200
        assert download.headers["content-type"] == "application/zip"
        run_id = job["summary"]["run_id"]
        with zipfile.ZipFile(io.BytesIO(download.content)) as zf:
            assert zf.testzip() is None
            manifest = json.loads(zf.read(f"{run_id}/manifest.json"))
            assert manifest["accounting"]["balanced"] is True
            assert manifest["input"]["file"] == "golden-input.csv"
            motions = [n for n in zf.namelist() if n.endswith("/motion.pdf")]
            assert len(motions) == 6
            assert zf.read(motions[0]).startswith(b"%PDF")

        assert cook.get(f"{job['links']['self']}/previews/motion.png").status_code == 200
        assert job["id"] in [j["id"] for j in cook.get("/api/jobs").json()]

    # The row in PostgreSQL, read with the database's own client library.
    with psycopg.connect(pg_service["url"]) as conn:
        status, attempts, summary, started, stage = conn.execute(
            "SELECT status, attempts, summary, started_at, progress_stage FROM jobs WHERE id = %s",
            (job["id"],),
        ).fetchone()
    assert (status, attempts, stage) == ("done", 1, "Manifest")
    assert summary["run_id"] == run_id  # JSON comes back as JSON
    assert started.endswith("Z")

    # Another office sees none of it.
    with server.client(pg_service["keys"]["other"]) as other:
        assert other.get(f"/api/jobs/{job['id']}").status_code == 404
        assert job["id"] not in [j["id"] for j in other.get("/api/jobs").json()]


def test_a_database_from_before_stages_serves_jobs_after_migration(
    pg_server: PostgresServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A PostgreSQL job store made by the release before progress stages, with a finished job in
    it: `docgen keys create` migrates it, the old job still reads, and a new job runs."""
    url = pg_server.create_database()
    old_metadata = MetaData()
    old_jobs = old_jobs_table(old_metadata)
    engine = create_engine(url)  # psycopg: SQLAlchemy 2.1's default
    old_metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            old_jobs.insert().values(
                id="a" * 32,
                office="Cook SAO",
                status="done",
                pack="il-cook",
                run_date="2026-11-01",
                formats="pdf",
                input_ext="csv",
                input_name="older.csv",
                input_bytes=10,
                created_at="2026-11-01T09:00:00Z",
                progress_done=4,
                progress_total=4,
                attempts=1,
                cancel_requested=False,
            )
        )
    engine.dispose()

    data_dir = tmp_path / "data"
    key = cli_key("Cook SAO", url, data_dir)  # creates the key table, adds the stage columns
    with psycopg.connect(url) as conn:
        columns = {
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'jobs'"
            )
        }
    assert {"progress_stage", "progress_stage_done", "progress_stage_total"} <= columns

    with (
        ThreadServer(make_settings(data_dir, database_url=url)) as server,
        server.client(key) as cook,
    ):
        older = cook.get(f"/api/jobs/{'a' * 32}").json()
        assert older["status"] == "done" and older["file"] == "older.csv"
        assert older["progress"] == {
            "done": 4,
            "total": 4,
            "stage": None,
            "stage_done": None,
            "stage_total": None,
        }
        job = wait_for(cook, upload(cook).json()["id"])
        assert job["status"] == "done", job
        assert job["progress"]["stage"] == "Manifest"


def test_delete_on_postgresql(pg_service: dict[str, Any]) -> None:
    with pg_service["server"].client(pg_service["keys"]["cook"]) as cook:
        job = wait_for(cook, upload(cook).json()["id"])
        assert cook.delete(f"/api/jobs/{job['id']}").status_code == 204
        assert cook.get(f"/api/jobs/{job['id']}").status_code == 404
    assert not (pg_service["data_dir"] / "jobs" / job["id"]).exists()


def test_keys_list_and_revoke_on_postgresql(pg_service: dict[str, Any]) -> None:
    url, data_dir = pg_service["url"], str(pg_service["data_dir"])
    key = cli_key("Revoked Office", url, Path(data_dir))
    key_id = key.split("_")[1]
    server = pg_service["server"]
    with server.client(key) as client:
        assert client.get("/api/jobs").status_code == 200

        listed = cli("keys", "list", "--database-url", url, "--data-dir", data_dir)
        assert listed.exit_code == 0, listed.output
        line = next(row for row in listed.stdout.splitlines() if row.startswith(key_id))
        assert "Revoked Office" in line and line.rstrip().endswith("-")
        assert key.rsplit("_", 1)[1] not in listed.output  # never the secret

        revoked = cli("keys", "revoke", key_id, "--database-url", url, "--data-dir", data_dir)
        assert revoked.exit_code == 0, revoked.output
        assert "revoked" in revoked.output and "Revoked Office" in revoked.output

        response = client.get("/api/jobs")  # the very next request
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
    with server.client(pg_service["keys"]["cook"]) as cook:
        assert cook.get("/api/jobs").status_code == 200  # other keys unaffected

    listed = cli("keys", "list", "--json", "--database-url", url, "--data-dir", data_dir)
    rows = {r["key_id"]: r for r in json.loads(listed.stdout)}
    assert rows[key_id]["revoked_at"] and rows[key_id]["office"] == "Revoked Office"


def test_a_wrong_password_is_one_clear_line_without_the_password(
    pg_server: PostgresServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    url = pg_server.create_database()
    wrong = url.replace(pg_server.password, "not-the-password")
    for command in (["keys", "list"], ["serve", "--port", "1"]):
        result = cli(*command, "--database-url", wrong, "--data-dir", str(tmp_path))
        assert result.exit_code == 1, result.output
        assert "cannot use the job store postgresql://docgen_test:***@127.0.0.1:" in result.output
        assert "not-the-password" not in result.output
        assert "password authentication failed" in result.output


def test_a_missing_driver_is_explained(tmp_path: Path) -> None:
    result = cli(
        "keys", "list", "--database-url", "postgresql+psycopg2://u:pw@127.0.0.1/x",
        "--data-dir", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "driver is not installed" in result.output and "postgresql://" in result.output
    assert ":pw@" not in result.output
