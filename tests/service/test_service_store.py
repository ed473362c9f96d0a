"""The job store, on SQLite and on a real PostgreSQL server (tests/pg_server.py).

Every test runs on both: the service must behave the same whichever database an office gives it.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy import inspect as sa_inspect

from docgen.service.jobs_api import job_json
from docgen.service.keys import create_key, office_for_key, revoke_key
from docgen.service.settings import Settings
from docgen.service.store import ADDED_COLUMNS, Store, normalise_url, safe_url
from tests.pg_server import pg_server, pg_url  # noqa: F401  (fixtures)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return Settings(data_dir=tmp_path / "data").db_url
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store(db_url)
    store.create_schema()
    try:
        yield store
    finally:
        store.dispose()


def job_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": secrets.token_hex(16),
        "office": "Cook SAO",
        "pack": "il-cook",
        "run_date": "2026-12-01",
        "formats": "pdf,docx",
        "input_ext": "csv",
        "input_name": "results.csv",
        "input_bytes": 1234,
    }
    values.update(overrides)
    return values


def test_the_backend_is_the_one_asked_for(store: Store, db_url: str) -> None:
    assert store.engine.dialect.name == db_url.split(":")[0].split("+")[0]
    if store.is_postgresql:
        assert store.engine.dialect.driver == "psycopg"
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW server_version").scalar()
    tables = set(sa_inspect(store.engine).get_table_names())
    assert {"jobs", "api_keys"} <= tables


def test_schema_creation_is_idempotent_and_safe_when_concurrent(db_url: str) -> None:
    errors: list[BaseException] = []

    def create() -> None:
        store = Store(db_url)
        try:
            store.create_schema()
        except BaseException as exc:  # collected and reported below
            errors.append(exc)
        finally:
            store.dispose()

    threads = [threading.Thread(target=create) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    create()  # and once more over existing tables
    assert not errors, errors


def test_a_job_round_trips_with_its_types(store: Store) -> None:
    problems = [{"row": 5, "column": "date_of_birth", "message": "not a date"}]
    values = job_values(input_bytes=3 * 1024**3, problems=problems)  # past 32-bit INTEGER
    store.insert_job(**values)
    job = store.get_job(values["id"])
    assert job is not None
    assert job["status"] == "queued" and job["attempts"] == 0
    assert job["input_bytes"] == 3 * 1024**3
    assert job["cancel_requested"] is False
    assert job["problems"] == problems
    assert job["summary"] is None and job["progress_total"] is None
    assert job["created_at"].endswith("Z") and len(job["created_at"]) == 20

    summary = {"run_id": "r1", "balanced": True, "seconds": 1.25, "previews": {"motion": "a.pdf"}}
    assert store.update_job(values["id"], summary=summary, cancel_requested=True, progress_done=7)
    job = store.get_job(values["id"])
    assert job is not None
    assert job["summary"] == summary
    assert job["cancel_requested"] is True
    assert job["progress_done"] == 7


def test_offices_and_conditional_updates(store: Store) -> None:
    mine = job_values(created_at="2026-01-01T00:00:01Z")
    newer = job_values(created_at="2026-01-01T00:00:02Z")
    theirs = job_values(office="Other County")
    for values in (mine, newer, theirs):
        store.insert_job(**values)
    assert store.get_job(mine["id"], "Other County") is None
    assert store.get_job(mine["id"], "Cook SAO") is not None
    assert [j["id"] for j in store.list_jobs("Cook SAO")] == [newer["id"], mine["id"]]
    assert not store.update_job(mine["id"], only_if_status=("running",), status="done")
    assert store.update_job(mine["id"], only_if_status=("queued",), status="cancelled")
    assert not store.update_job("0" * 32, status="done")
    store.delete_job(theirs["id"])
    assert store.get_job(theirs["id"]) is None


def test_each_queued_job_is_claimed_exactly_once(db_url: str, store: Store) -> None:
    ids = {job_values()["id"] for _ in range(12)}
    for i, job_id in enumerate(sorted(ids)):
        store.insert_job(**job_values(id=job_id, created_at=f"2026-01-01T00:00:{i:02d}Z"))
    claimed: list[str] = []
    lock = threading.Lock()

    def claimer() -> None:
        own = Store(db_url)  # its own connections, as a second server process would have
        try:
            while (job := own.claim_next_queued()) is not None:
                assert job["status"] == "running" and job["attempts"] == 1
                with lock:
                    claimed.append(job["id"])
        finally:
            own.dispose()

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(claimed) == sorted(ids)  # every job once, none twice
    assert not store.jobs_with_status("queued")


def test_nul_characters_are_dropped_not_refused(store: Store) -> None:
    values = job_values(input_name="res\x00ults.csv")
    store.insert_job(**values)
    assert store.update_job(values["id"], message="bad\x00 row")
    job = store.get_job(values["id"])
    assert job is not None
    assert job["input_name"] == "results.csv" and job["message"] == "bad row"


def old_jobs_table(metadata: MetaData) -> Table:
    """`jobs` as the first release created it: no progress_stage columns."""
    return Table(
        "jobs",
        metadata,
        Column("id", String(32), primary_key=True),
        Column("office", String(200), nullable=False, index=True),
        Column("status", String(16), nullable=False, index=True),
        Column("pack", String(100), nullable=False),
        Column("run_date", String(10), nullable=False),
        Column("formats", String(20), nullable=False),
        Column("input_ext", String(8), nullable=False),
        Column("input_name", String(255), nullable=False),
        Column("input_bytes", BigInteger, nullable=False),
        Column("created_at", String(32), nullable=False),
        Column("started_at", String(32)),
        Column("finished_at", String(32)),
        Column("progress_done", Integer, nullable=False, default=0),
        Column("progress_total", Integer),
        Column("attempts", Integer, nullable=False, default=0),
        Column("cancel_requested", Boolean, nullable=False, default=False),
        Column("worker_pid", Integer),
        Column("message", Text),
        Column("problems", JSON),
        Column("summary", JSON),
        Column("run_dir", String(300)),
    )


def test_a_database_from_before_stages_is_migrated_and_keeps_working(db_url: str) -> None:
    old_metadata = MetaData()
    old_jobs = old_jobs_table(old_metadata)
    if db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True)
    old = Store(db_url)
    old_metadata.create_all(old.engine)
    finished = job_values(status="done", progress_done=16, progress_total=16, summary={"cases": 6})
    with old.engine.begin() as conn:
        conn.execute(old_jobs.insert().values(created_at="2026-01-01T00:00:00Z", **finished))
        conn.execute(
            old_jobs.insert().values(
                created_at="2026-01-01T00:00:01Z", progress_done=0, **job_values(status="queued")
            )
        )
    old.dispose()
    assert ADDED_COLUMNS[0] not in {c["name"] for c in sa_inspect(old.engine).get_columns("jobs")}

    store = Store(db_url)
    try:
        store.create_schema()
        store.create_schema()  # a second start finds the columns there
        columns = {c["name"] for c in sa_inspect(store.engine).get_columns("jobs")}
        assert set(ADDED_COLUMNS) <= columns
        # The old finished job reads back whole; its stage is unknown, not invented.
        job = store.get_job(finished["id"])
        assert job is not None and job["status"] == "done" and job["summary"] == {"cases": 6}
        shown = job_json(job)["progress"]
        assert (shown["done"], shown["total"], shown["stage"]) == (16, 16, None)
        # The old queued job is claimed and its stage recorded like a new one's.
        claimed = store.claim_next_queued()
        assert claimed is not None and claimed["progress_stage"] is None
        assert store.update_job(
            claimed["id"],
            progress_stage="Judge's batch",
            progress_stage_done=3,
            progress_stage_total=38,
        )
        shown = job_json(store.get_job(claimed["id"]))["progress"]  # type: ignore[arg-type]
        assert (shown["stage"], shown["stage_done"], shown["stage_total"]) == (
            "Judge's batch",
            3,
            38,
        )
        store.insert_job(**job_values())  # and new jobs go in
        assert len(store.list_jobs("Cook SAO")) == 3
    finally:
        store.dispose()


def test_keys_list_and_revoke(store: Store) -> None:
    first = create_key(store, "Cook SAO")
    second = create_key(store, "Other County")
    listed = store.list_keys()
    assert sorted(k["office"] for k in listed) == ["Cook SAO", "Other County"]
    assert {k["key_id"] for k in listed} == {first.split("_")[1], second.split("_")[1]}
    assert all(set(k) == {"key_id", "office", "created_at", "revoked_at"} for k in listed)
    assert all(k["revoked_at"] is None for k in listed)

    row = revoke_key(store, first.split("_")[1])
    assert row["office"] == "Cook SAO" and row["revoked_at"] and not row["already_revoked"]
    assert office_for_key(store, first) is None  # at once
    assert office_for_key(store, second) == "Other County"
    again = revoke_key(store, f"dgk_{first.split('_')[1]}")
    assert again["already_revoked"] and again["revoked_at"] == row["revoked_at"]
    with pytest.raises(KeyError):
        revoke_key(store, "0123456789abcdef")
    with pytest.raises(KeyError):
        revoke_key(store, "'; DROP TABLE api_keys; --")
    assert len(store.list_keys()) == 2


def test_urls() -> None:
    assert normalise_url("postgres://u:p@h/db") == "postgresql://u:p@h/db"
    assert normalise_url("sqlite:////x/docgen.db") == "sqlite:////x/docgen.db"
    assert safe_url("postgresql://u:secret@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert "secret" not in safe_url("postgres://u:secret@h/db")
