"""The job store: API keys and jobs in SQL (SQLite by default, PostgreSQL through SQLAlchemy)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    select,
    update,
)

metadata = MetaData()

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("office", String(200), nullable=False, index=True),
    Column("salt", String(64), nullable=False),
    Column("key_hash", String(128), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32), nullable=True),
)

# status: queued -> running -> done | failed | cancelled
STATUSES = ("queued", "running", "done", "failed", "cancelled")
FINISHED = ("done", "failed", "cancelled")

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("office", String(200), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("pack", String(100), nullable=False),
    Column("run_date", String(10), nullable=False),
    Column("formats", String(20), nullable=False),
    Column("input_ext", String(8), nullable=False),
    Column("input_name", String(255), nullable=False),  # shown to people only, never a path
    Column("input_bytes", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("started_at", String(32)),
    Column("finished_at", String(32)),
    Column("progress_done", Integer, nullable=False, default=0),
    Column("progress_total", Integer),
    Column("attempts", Integer, nullable=False, default=0),
    Column("cancel_requested", Boolean, nullable=False, default=False),
    Column("worker_pid", Integer),
    Column("message", Text),  # why it failed / was cancelled / was resumed
    Column("problems", JSON),  # [{row, column, message}]
    Column("summary", JSON),  # counts of the finished run
    Column("run_dir", String(300)),  # relative to the job folder
)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # the server reads while a worker writes
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    def create_schema(self) -> None:
        sqlite_path = (
            self.url.removeprefix("sqlite:///") if self.url.startswith("sqlite:///") else None
        )
        if sqlite_path:
            os.makedirs(os.path.dirname(sqlite_path) or ".", mode=0o700, exist_ok=True)
        metadata.create_all(self.engine)
        if sqlite_path:
            path = sqlite_path
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.chmod(path + suffix, 0o600)

    def dispose(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ keys

    def add_key(self, key_id: str, office: str, salt: str, key_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                api_keys.insert().values(
                    key_id=key_id, office=office, salt=salt, key_hash=key_hash, created_at=now()
                )
            )

    def get_key(self, key_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).first()
        return dict(row._mapping) if row else None

    # ------------------------------------------------------------ jobs

    def insert_job(self, **values: Any) -> None:
        values.setdefault("created_at", now())
        values.setdefault("status", "queued")
        values.setdefault("progress_done", 0)
        values.setdefault("attempts", 0)
        values.setdefault("cancel_requested", False)
        with self.engine.begin() as conn:
            conn.execute(jobs.insert().values(**values))

    def get_job(self, job_id: str, office: str | None = None) -> dict[str, Any] | None:
        query = select(jobs).where(jobs.c.id == job_id)
        if office is not None:
            query = query.where(jobs.c.office == office)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return dict(row._mapping) if row else None

    def list_jobs(self, office: str, limit: int = 100) -> list[dict[str, Any]]:
        query = (
            select(jobs)
            .where(jobs.c.office == office)
            .order_by(jobs.c.created_at.desc(), jobs.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def jobs_with_status(self, *statuses: str) -> list[dict[str, Any]]:
        query = select(jobs).where(jobs.c.status.in_(statuses)).order_by(jobs.c.created_at)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def update_job(
        self, job_id: str, *, only_if_status: tuple[str, ...] = (), **values: Any
    ) -> bool:
        """Update one job; with only_if_status, only while it has one of those statuses."""
        stmt = update(jobs).where(jobs.c.id == job_id)
        if only_if_status:
            stmt = stmt.where(jobs.c.status.in_(only_if_status))
        with self.engine.begin() as conn:
            return conn.execute(stmt.values(**values)).rowcount == 1

    def claim_next_queued(self) -> dict[str, Any] | None:
        """Atomically move the oldest queued job to running and return it."""
        for job in self.jobs_with_status("queued"):
            claimed = self.update_job(
                job["id"],
                only_if_status=("queued",),
                status="running",
                started_at=now(),
                attempts=job["attempts"] + 1,
                progress_done=0,
            )
            if claimed:
                return self.get_job(job["id"])
        return None

    def delete_job(self, job_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(jobs.delete().where(jobs.c.id == job_id))
