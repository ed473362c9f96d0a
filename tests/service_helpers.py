"""A job already claimed by a worker (status "running"), its input in place: what
docgen.service.worker.run_job expects, for tests that run a job in this process."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from docgen.service import worker
from docgen.service.store import Store
from tests.conftest import GOLDEN_INPUT


def running_job(tmp_path: Path, formats: str) -> tuple[Store, str, Path]:
    """(store, job id, data folder) of a running job over the golden input."""
    store = Store(f"sqlite:///{tmp_path / 'jobs.db'}")
    store.create_schema()
    job_id = secrets.token_hex(16)
    store.insert_job(
        id=job_id,
        office="Cook SAO",
        pack="il-cook",
        run_date="2026-12-01",
        formats=formats,
        input_ext="csv",
        input_name="golden-input.csv",
        input_bytes=GOLDEN_INPUT.stat().st_size,
        status="running",
    )
    data_dir = tmp_path / "data"
    worker.job_dir(data_dir, job_id).mkdir(parents=True)
    shutil.copy(GOLDEN_INPUT, worker.job_dir(data_dir, job_id) / "input.csv")
    return store, job_id, data_dir
