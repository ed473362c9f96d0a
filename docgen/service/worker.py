"""One job, in its own process: `python -m docgen.service.worker --data-dir D --database-url U ID`.

The dispatcher in the server starts one such process per running job. It runs the same
`pipeline.run` as the CLI (which starts its own worker processes), writes progress to the job
store, and stops at the next document when the job is cancelled or the process gets SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError, MissingColumns, stack_only
from docgen.service.store import Store, now

WORKER_DATABASE_ENV = "DOCGEN_WORKER_DATABASE_URL"
PROGRESS_EVERY = 0.3  # seconds between progress writes
CANCEL_CHECK_EVERY = 0.5  # seconds between looks at the job's cancel flag


def job_dir(data_dir: Path, job_id: str) -> Path:
    return data_dir / "jobs" / job_id


def input_path(data_dir: Path, job: dict[str, Any]) -> Path:
    return job_dir(data_dir, job["id"]) / f"input.{job['input_ext']}"


def public_message(exc: DocgenError, path: Path, display_name: str) -> str:
    """The error's message with the server's path replaced by the name the user uploaded."""
    text = exc.message.replace(str(path), display_name).replace(path.name, display_name)
    if exc.hint:
        text += f" ({exc.hint})"
    return text


def problems_for_error(exc: DocgenError) -> list[dict[str, Any]]:
    if isinstance(exc, MissingColumns):
        return [
            {"row": 1, "column": c, "message": "this required column is missing from the header"}
            for c in exc.missing
        ]
    return []


def problem_dicts(rejects: list[Any]) -> list[dict[str, Any]]:
    return [{"row": r.row, "column": r.column, "message": r.reason} for r in rejects]


class _Watch:
    """Progress writes and cancel checks, throttled so the store is not hammered.

    `stage` is the pipeline's Stage callback: while "Rendering" it also counts the documents
    (progress_done/progress_total, as before stages existed); every stage is written when it
    starts and when it ends, and in between at most every PROGRESS_EVERY seconds.
    """

    def __init__(self, store: Store, job_id: str) -> None:
        self.store = store
        self.job_id = job_id
        self.stop_requested = False
        self._last_progress = 0.0
        self._last_cancel_check = 0.0
        self.cancel_flag = False
        self.done = 0
        self.total = 0
        self.stage_label: str | None = None
        self.stage_done = 0
        self.stage_total: int | None = None

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        t = time.monotonic()
        if done == total or t - self._last_progress >= PROGRESS_EVERY:
            self._last_progress = t
            self.store.update_job(self.job_id, progress_done=done, progress_total=total)

    def stage(self, label: str, done: int, total: int | None) -> None:
        from docgen.pipeline import STAGES

        if label not in STAGES:  # only the pipeline's fixed labels reach the store
            return
        values: dict[str, Any] = {}
        if label == "Rendering" and total is not None:
            self.done, self.total = done, total
            values = {"progress_done": done, "progress_total": total}
        started = label != self.stage_label
        self.stage_label, self.stage_done, self.stage_total = label, done, total
        t = time.monotonic()
        if started or done == total or t - self._last_progress >= PROGRESS_EVERY:
            self._last_progress = t
            self.store.update_job(self.job_id, **values, **self.stage_values())

    def stage_values(self) -> dict[str, Any]:
        return {
            "progress_stage": self.stage_label,
            "progress_stage_done": self.stage_done if self.stage_label else None,
            "progress_stage_total": self.stage_total,
        }

    def cancel(self) -> bool:
        if self.cancel_flag:
            return True
        t = time.monotonic()
        if t - self._last_cancel_check >= CANCEL_CHECK_EVERY:
            self._last_cancel_check = t
            job = self.store.get_job(self.job_id)
            self.cancel_flag = job is None or bool(job["cancel_requested"])
        return self.cancel_flag or self.stop_requested


def run_job(store: Store, data_dir: Path, job_id: str, pipeline_workers: int | None = None) -> str:
    """Run one job that the dispatcher has marked running; returns its final status."""
    from docgen.pipeline import RunCancelled, RunOptions, run
    from docgen.service.previews import render_previews

    job = store.get_job(job_id)
    if job is None:
        return "deleted"
    path = input_path(data_dir, job)
    name = job["input_name"]
    if not path.is_file():
        store.update_job(
            job_id,
            status="failed",
            finished_at=now(),
            message="the uploaded file is no longer in the server's data folder; upload it again",
        )
        return "failed"
    watch = _Watch(store, job_id)
    signal.signal(signal.SIGTERM, lambda *_: setattr(watch, "stop_requested", True))
    options = RunOptions(
        input_path=path,
        pack_name=job["pack"],
        run_date=date.fromisoformat(job["run_date"]),
        out_dir=job_dir(data_dir, job_id) / "out",
        formats=tuple(job["formats"].split(",")),
        duplex_letters=bool(job.get("duplex_letters")),
        workers=pipeline_workers,
        input_name=name,  # the report and manifest name the file the office uploaded
        # `docgen serve --cluster` (or DOCGEN_CLUSTER) sends every job's rendering to Dask.
        cluster=os.environ.get("DOCGEN_CLUSTER") or None,
    )
    try:
        result = run(options, cancel=watch.cancel, stage=watch.stage)
    except RunCancelled:
        if watch.stop_requested and not watch.cancel_flag:
            # Server shutdown: the job stays "running" and the next start resumes it.
            return "interrupted"
        store.update_job(
            job_id,
            only_if_status=("running",),
            status="cancelled",
            finished_at=now(),
            message=f"cancelled after {watch.done} of {watch.total} documents",
        )
        return "cancelled"
    except DocgenError as exc:
        store.update_job(
            job_id,
            status="failed",
            finished_at=now(),
            message=public_message(exc, path, name),
            problems=problems_for_error(exc),
        )
        return "failed"
    except Exception as exc:
        print(stack_only(exc), file=sys.stderr)
        store.update_job(
            job_id,
            status="failed",
            finished_at=now(),
            message="internal error while making the documents (details are in the server log)",
        )
        return "failed"

    run_rel = result.run_dir.relative_to(job_dir(data_dir, job_id)).as_posix()
    previews: dict[str, str] = {}
    if "pdf" in options.formats:
        try:
            previews = render_previews(result.run_dir, job_dir(data_dir, job_id) / "previews")
        except Exception as exc:  # a preview is a convenience; the run itself is complete
            print(stack_only(exc), file=sys.stderr)
    summary = {
        "run_id": result.run_id,
        "input_rows": result.input_rows,
        "blank_rows": result.blank_rows,
        "rows_in_documents": result.rows_in_documents,
        "rows_not_eligible": result.rows_not_eligible,
        "rows_needs_review": result.rows_needs_review,
        "rows_automatic": result.rows_automatic,
        "rows_rejected": result.rows_rejected,
        "balanced": result.accounted,
        "cases": result.cases,
        "people": result.people,
        "letters": result.letters,
        "people_without_address": len(result.people_without_address),
        "documents": result.documents,
        "files": len(result.files),
        "seconds": round(result.seconds, 2),
        # How long each stage took (docgen.stage_times), in the order they ran.
        "stages": [{"stage": t.stage, "seconds": round(t.seconds, 2)} for t in result.stage_times],
        "previews": previews,
    }
    # The run's file index is a temporary database: closed here, not left to the garbage
    # collector, since a worker runs job after job.
    result.files.close()
    store.update_job(
        job_id,
        only_if_status=("running",),
        status="done",
        finished_at=now(),
        progress_done=watch.total,
        progress_total=watch.total,
        **watch.stage_values(),  # the last stage: "Manifest", 1 of 1
        run_dir=run_rel,
        summary=summary,
        problems=problem_dicts(result.rejects),
        message=None,
    )
    return "done"


def _die_with_parent() -> None:
    """Linux: get SIGTERM when the server process dies, so no job runs on unsupervised."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="docgen-service-worker")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url", default=os.environ.get(WORKER_DATABASE_ENV))
    parser.add_argument("--pipeline-workers", type=int, default=None)
    parser.add_argument("job_id")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error(f"give --database-url or set {WORKER_DATABASE_ENV}")
    _die_with_parent()
    store = Store(args.database_url)
    try:
        status = run_job(store, args.data_dir, args.job_id, args.pipeline_workers)
    finally:
        store.dispose()
    return 3 if status == "interrupted" else 0


if __name__ == "__main__":
    sys.exit(main())
