"""Service settings: where jobs and the job store live, and the limits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("docgen-data")
DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024
ALLOWED_EXTENSIONS = ("csv", "xlsx", "jsonl")


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'docgen.db').resolve()}"


@dataclass(slots=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None  # default: SQLite file in data_dir
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    concurrent_jobs: int = 1  # each job already uses one worker process per core
    pipeline_workers: int | None = None  # per job; default: one per core
    max_attempts: int = 3  # a job interrupted by restarts this many times is failed
    cancel_grace_seconds: float = 15.0  # then a worker that ignores a cancel is killed
    poll_seconds: float = 0.25

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)

    @property
    def db_url(self) -> str:
        return self.database_url or default_database_url(self.data_dir)

    @property
    def jobs_dir(self) -> Path:
        return self.data_dir / "jobs"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from DOCGEN_* environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        if os.environ.get("DOCGEN_DATA_DIR"):
            values["data_dir"] = Path(os.environ["DOCGEN_DATA_DIR"])
        if os.environ.get("DOCGEN_DATABASE_URL"):
            values["database_url"] = os.environ["DOCGEN_DATABASE_URL"]
        if os.environ.get("DOCGEN_MAX_UPLOAD_MB"):
            values["max_upload_bytes"] = int(
                float(os.environ["DOCGEN_MAX_UPLOAD_MB"]) * 1024 * 1024
            )
        if os.environ.get("DOCGEN_PIPELINE_WORKERS"):
            values["pipeline_workers"] = int(os.environ["DOCGEN_PIPELINE_WORKERS"])
        if os.environ.get("DOCGEN_CONCURRENT_JOBS"):
            values["concurrent_jobs"] = int(os.environ["DOCGEN_CONCURRENT_JOBS"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
