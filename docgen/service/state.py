"""What the routes share, made once per app by create_app: settings, the job store, the
dispatcher, one lock per job's run folder, and the lookups every job route starts with."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from docgen.service import worker
from docgen.service.api_errors import ApiError
from docgen.service.dispatcher import Dispatcher
from docgen.service.settings import Settings
from docgen.service.store import Store

JOB_ID_RE = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class ServiceState:
    settings: Settings
    store: Store
    dispatcher: Dispatcher
    # One change to a job's run folder at a time (building its zip, adding signed orders).
    run_locks: dict[str, threading.Lock] = field(default_factory=dict)

    def run_lock(self, job_id: str) -> threading.Lock:
        return self.run_locks.setdefault(job_id, threading.Lock())

    def own_job(self, job_id: str, office_name: str) -> dict[str, Any]:
        """The office's job; 404 for another office's job, as for one that does not exist."""
        job = self.store.get_job(job_id, office_name) if JOB_ID_RE.match(job_id) else None
        if job is None:
            raise ApiError(404, "not_found", "no such job")
        return job

    def job_dir(self, job_id: str) -> Path:
        return worker.job_dir(self.settings.data_dir, job_id)

    def run_dir_of(self, job: dict[str, Any]) -> Path:
        if job["status"] != "done" or not job["run_dir"]:
            raise ApiError(409, "not_ready", f"the job is {job['status']}, not done")
        run_dir: str = job["run_dir"]  # the run folder's name inside the job's folder
        return self.job_dir(job["id"]) / run_dir


def manifest_of(run_dir: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(
            (run_dir / "manifest.json").read_text(encoding="utf-8")
        )
        return manifest
    except (OSError, ValueError):
        raise ApiError(410, "gone", "the job's files are no longer on the server") from None


async def service_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


Service = Annotated[ServiceState, Depends(service_state)]
