"""The job store: API keys and jobs in SQL (SQLite by default, PostgreSQL through SQLAlchemy).

The same schema and queries run on both, and the tests run them on both (a throwaway PostgreSQL
server in tests/pg_server.py). Times are ISO-8601 UTC strings ("2026-11-01T09:30:00Z"): they sort
correctly as text, read back the same on both databases, and existing SQLite files keep working.
Postgres needs what SQLite lets pass: lengths are enforced (names are cut to fit), sizes can pass
2 GiB (BIGINT), text can hold no NUL character (removed), and two processes creating the tables
at once must not collide (an advisory lock; on SQLite, another pass).

Columns added after the first release are added to an existing `jobs` table by create_schema
(ADDED_COLUMNS: ALTER TABLE ... ADD COLUMN, nullable, so older rows stay valid); a database from
an older version keeps working without a manual step.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

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
    Column("input_bytes", BigInteger, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("started_at", String(32)),
    Column("finished_at", String(32)),
    Column("progress_done", Integer, nullable=False, default=0),
    Column("progress_total", Integer),
    # The pipeline's stage (docgen.pipeline.STAGES, never personal data) and how far it is, e.g.
    # "Judge's batch", 3, 38 (volumes): after rendering, documents alone stay at 100 % for minutes.
    Column("progress_stage", Text),
    Column("progress_stage_done", Integer),
    Column("progress_stage_total", Integer),
    Column("attempts", Integer, nullable=False, default=0),
    Column("cancel_requested", Boolean, nullable=False, default=False),
    Column("worker_pid", Integer),
    Column("message", Text),  # why it failed / was cancelled / was resumed
    Column("problems", JSON),  # [{row, column, message}]
    Column("summary", JSON),  # counts of the finished run
    Column("run_dir", String(300)),  # relative to the job folder
    # The letters print file for printing on both sides (generate --duplex-letters); NULL in
    # rows of a version before it: one-sided.
    Column("duplex_letters", Boolean),
)

# Added to `jobs` after tables existed in the field; create_schema adds them where missing.
ADDED_COLUMNS = (
    "progress_stage",
    "progress_stage_done",
    "progress_stage_total",
    "duplex_letters",
)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalise_url(url: str) -> str:
    """`postgres://` (as many hosts print it) is `postgresql://` to SQLAlchemy (driver: psycopg)."""
    if url.startswith("postgres://"):
        return "postgresql://" + url.removeprefix("postgres://")
    return url


def safe_url(url: str) -> str:
    """The URL for messages and logs: the password masked."""
    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except Exception:
        return "(an unreadable database URL)"


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL text cannot hold NUL; SQLite can. Drop it so both store the same."""
    return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in values.items()}


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
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
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def create_schema(self) -> None:
        sqlite_path = (
            self.url.removeprefix("sqlite:///") if self.url.startswith("sqlite:///") else None
        )
        if sqlite_path:
            os.makedirs(os.path.dirname(sqlite_path) or ".", mode=0o700, exist_ok=True)
        if self.is_postgresql:
            # `keys create` and `serve` may create the tables at the same moment; CREATE TABLE
            # IF NOT EXISTS is not safe against that on PostgreSQL, so take turns.
            with self.engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(72710001)"))
                metadata.create_all(conn)
                self._add_missing_columns(conn)
        else:
            # SQLite: another process may create a table between the check and the CREATE;
            # the next pass sees it and goes on.
            for attempt in range(5):
                try:
                    metadata.create_all(self.engine)
                    break
                except OperationalError as exc:
                    if "already exists" not in str(exc) or attempt == 4:
                        raise
            for attempt in range(5):
                try:
                    with self.engine.begin() as conn:
                        self._add_missing_columns(conn)
                    break
                except OperationalError as exc:
                    # Another process added the column between the look and the ALTER.
                    if "duplicate column" not in str(exc) or attempt == 4:
                        raise
        if sqlite_path:
            path = sqlite_path
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.chmod(path + suffix, 0o600)

    @staticmethod
    def _add_missing_columns(conn: Connection) -> None:
        """Bring a `jobs` table made by an older version up to date (ADDED_COLUMNS)."""
        present = {c["name"] for c in inspect(conn).get_columns("jobs")}
        for name in ADDED_COLUMNS:
            if name in present:
                continue
            column_type = jobs.c[name].type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE jobs ADD COLUMN {name} {column_type}"))

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

    def list_keys(self) -> list[dict[str, Any]]:
        """Every key, oldest first: id, office, created_at, revoked_at (never salt or hash)."""
        query = select(
            api_keys.c.key_id, api_keys.c.office, api_keys.c.created_at, api_keys.c.revoked_at
        ).order_by(api_keys.c.created_at, api_keys.c.key_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def revoke_key(self, key_id: str) -> bool:
        """Mark a key revoked now; False if there is no such key or it was revoked already."""
        stmt = (
            update(api_keys)
            .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now())
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    # ------------------------------------------------------------ jobs

    def insert_job(self, **values: Any) -> None:
        values.setdefault("created_at", now())
        values.setdefault("status", "queued")
        values.setdefault("progress_done", 0)
        values.setdefault("attempts", 0)
        values.setdefault("cancel_requested", False)
        with self.engine.begin() as conn:
            conn.execute(jobs.insert().values(**_clean(values)))

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
        query = (
            select(jobs).where(jobs.c.status.in_(statuses)).order_by(jobs.c.created_at, jobs.c.id)
        )
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
            return conn.execute(stmt.values(**_clean(values))).rowcount == 1

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
                progress_stage=None,
                progress_stage_done=None,
                progress_stage_total=None,
            )
            if claimed:
                return self.get_job(job["id"])
        return None

    def delete_job(self, job_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(jobs.delete().where(jobs.c.id == job_id))
