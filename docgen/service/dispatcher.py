"""Runs queued jobs: one worker process per running job, at most `concurrent_jobs` at once.

On start it recovers what a previous server left: jobs still "running" are queued again (they are
deterministic and written atomically, so a re-run is safe) unless they were already interrupted
`max_attempts` times, in which case they fail with that reason. Nothing stays "running" forever:
a worker process that dies without finishing its job marks the job failed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from docgen.errors import stack_only
from docgen.service.settings import Settings
from docgen.service.store import Store, now
from docgen.service.worker import WORKER_DATABASE_ENV

log = logging.getLogger("docgen.service")


@dataclass
class _Running:
    job_id: str
    process: subprocess.Popen[bytes]
    started: float = field(default_factory=time.monotonic)
    term_sent_at: float | None = None


def recover(store: Store, settings: Settings) -> None:
    """Make every job a previous server left unfinished either queued again or failed."""
    for job in store.jobs_with_status("running"):
        if job["attempts"] >= settings.max_attempts:
            store.update_job(
                job["id"],
                status="failed",
                finished_at=now(),
                message=f"the server stopped {job['attempts']} times while this job ran; "
                "upload the file again to retry",
            )
        elif job["cancel_requested"]:
            store.update_job(job["id"], status="cancelled", finished_at=now(), message="cancelled")
        else:
            store.update_job(
                job["id"],
                status="queued",
                worker_pid=None,
                progress_done=0,
                progress_stage=None,
                progress_stage_done=None,
                progress_stage_total=None,
                message="resumed after a server restart",
            )


class Dispatcher:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._running: dict[str, _Running] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        recover(self.store, self.settings)
        self._thread = threading.Thread(target=self._loop, name="docgen-dispatcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop dispatching and stop running workers; their jobs resume at the next start."""
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)
        with self._lock:
            running = list(self._running.values())
        for r in running:
            with contextlib.suppress(ProcessLookupError):
                r.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for r in running:
            try:
                r.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                r.process.kill()
                r.process.wait()

    def wake(self) -> None:
        self._wake.set()

    # ------------------------------------------------------------ control from the API

    def kill(self, job_id: str, timeout: float = 10.0) -> None:
        """Stop a job's worker now (used before deleting the job)."""
        with self._lock:
            r = self._running.get(job_id)
        if r is None:
            return
        with contextlib.suppress(ProcessLookupError):
            r.process.send_signal(signal.SIGTERM)
        try:
            r.process.wait(timeout)
        except subprocess.TimeoutExpired:
            r.process.kill()
            r.process.wait()

    def is_running(self, job_id: str) -> bool:
        with self._lock:
            return job_id in self._running

    # ------------------------------------------------------------ the loop

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._reap()
                self._enforce_cancels()
                self._start_queued()
            except Exception as exc:  # keep dispatching; the store may be briefly unavailable
                log.error("dispatcher error\n%s", stack_only(exc))
            self._wake.wait(self.settings.poll_seconds)
            self._wake.clear()

    def _reap(self) -> None:
        with self._lock:
            items = list(self._running.items())
        for job_id, r in items:
            code = r.process.poll()
            if code is None:
                continue
            with self._lock:
                self._running.pop(job_id, None)
            if self._stop.is_set():
                continue
            # A worker that exits leaves its job finished; if it did not, say so.
            job = self.store.get_job(job_id)
            if job is not None and job["status"] == "running":
                if job["cancel_requested"]:
                    self.store.update_job(
                        job_id, status="cancelled", finished_at=now(), message="cancelled"
                    )
                else:
                    self.store.update_job(
                        job_id,
                        status="failed",
                        finished_at=now(),
                        message=f"the worker process stopped unexpectedly (exit code {code}); "
                        "details are in the server log",
                    )

    def _enforce_cancels(self) -> None:
        """A worker checks its cancel flag between documents; one that does not stop is ended."""
        with self._lock:
            items = list(self._running.items())
        for job_id, r in items:
            job = self.store.get_job(job_id)
            if job is None or not job["cancel_requested"]:
                continue
            t = time.monotonic()
            if r.term_sent_at is None:
                r.term_sent_at = t
            elif t - r.term_sent_at > self.settings.cancel_grace_seconds:
                r.process.kill()

    def _start_queued(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                if len(self._running) >= self.settings.concurrent_jobs:
                    return
            job = self.store.claim_next_queued()
            if job is None:
                return
            command = [
                sys.executable,
                "-m",
                "docgen.service.worker",
                "--data-dir",
                str(self.settings.data_dir.resolve()),
            ]
            if self.settings.pipeline_workers:
                command += ["--pipeline-workers", str(self.settings.pipeline_workers)]
            command.append(job["id"])
            try:
                # The URL may hold a database password: environment, not argv (visible in ps).
                env = {**os.environ, WORKER_DATABASE_ENV: self.store.url}
                process = subprocess.Popen(command, stdin=subprocess.DEVNULL, env=env)
            except OSError as exc:
                self.store.update_job(
                    job["id"],
                    status="failed",
                    finished_at=now(),
                    message=f"cannot start a worker process: {exc.strerror}",
                )
                continue
            self.store.update_job(job["id"], worker_pid=process.pid)
            with self._lock:
                self._running[job["id"]] = _Running(job["id"], process)
