"""The jobs API: the packs to choose from, then upload a results file to create a job, follow
it, cancel it, delete it. Every route needs an API key, and a key sees only its office's jobs.

The job itself runs in a worker (docgen.service.dispatcher); its files are served by
docgen.service.files_api.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from docgen.errors import DocgenError
from docgen.packs import available_packs, load_pack
from docgen.plural import counted
from docgen.service import worker
from docgen.service.api_errors import ApiError
from docgen.service.auth import Office
from docgen.service.previews import KIND_LABELS
from docgen.service.settings import ALLOWED_EXTENSIONS
from docgen.service.state import Service
from docgen.service.store import FINISHED, now
from docgen.store.output import DIR_MODE, FILE_MODE

MAX_LISTED_PROBLEMS = 1000  # a file with more problems than this is listed in part
FORMATS = ("pdf", "docx")

router = APIRouter()


def display_name(filename: str | None) -> str:
    """The uploaded file's own name, for people to recognise; never used as a path."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "upload"


def extension_of(filename: str | None) -> str:
    name = display_name(filename)
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def chosen_formats(formats: str) -> tuple[str, ...]:
    """The `formats` field ("pdf", "docx" or "pdf,docx") as a tuple; 422 for anything else."""
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
    if not chosen or any(f not in FORMATS for f in chosen):
        raise ApiError(422, "invalid_formats", "formats must be pdf, docx or pdf,docx")
    return chosen


def job_json(job: dict[str, Any], full: bool = True) -> dict[str, Any]:
    base = f"/api/jobs/{job['id']}"
    summary = job["summary"] or {}
    problems = job["problems"] or []
    data: dict[str, Any] = {
        "id": job["id"],
        "status": job["status"],
        "finished": job["status"] in FINISHED,
        "file": job["input_name"],
        "pack": job["pack"],
        "date": job["run_date"],
        "formats": job["formats"].split(","),
        "duplex_letters": bool(job.get("duplex_letters")),
        "created_at": job["created_at"],
        "started_at": job["started_at"],
        "finished_at": job["finished_at"],
        # done/total: documents rendered. stage: the pipeline's stage (docgen.pipeline.STAGES) or
        # None before it starts; stage_done/stage_total count that stage's units (documents,
        # volumes, or 0/1 for the report and manifest).
        "progress": {
            "done": job["progress_done"] or 0,
            "total": job["progress_total"],
            "stage": job["progress_stage"],
            "stage_done": job["progress_stage_done"],
            "stage_total": job["progress_stage_total"],
        },
        "message": job["message"],
        "cancel_requested": bool(job["cancel_requested"]),
        "problem_count": len(problems),
        "summary": summary or None,
        "links": {
            "self": base,
            "cancel": f"{base}/cancel",
            "download": f"{base}/download" if job["status"] == "done" else None,
            "manifest": f"{base}/files/manifest.json" if job["status"] == "done" else None,
        },
    }
    if full:
        data["problems"] = problems[:MAX_LISTED_PROBLEMS]
        data["previews"] = [
            {
                "kind": kind,
                "label": KIND_LABELS[kind],
                "document": document,
                "url": f"{base}/previews/{kind}.png",
            }
            for kind, document in (summary.get("previews") or {}).items()
            if kind in KIND_LABELS
        ]
    return data


def _write_private(path: Path) -> Any:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    return os.fdopen(fd, "wb")


@router.get("/api/packs", tags=["packs"], summary="The jurisdiction packs and what they make")
def packs(_office: Office) -> list[dict[str, Any]]:
    result = []
    for name in available_packs():
        try:
            config = load_pack(name).config
        except DocgenError:
            continue
        result.append(
            {
                "name": name,
                "title": config.pack.title,
                "state": config.pack.state,
                "documents_for": config.determinations.documents,
                "letters_for": config.determinations.letters,
                "languages": config.pack.languages,
            }
        )
    return result


@router.post(
    "/api/jobs",
    status_code=201,
    tags=["jobs"],
    summary="Upload a results file and start a job",
    responses={
        413: {"description": "The file is over the upload limit"},
        415: {"description": "Not a .csv, .xlsx or .jsonl file"},
        422: {
            "description": "The file or the options cannot be used; `problems` lists "
            "each problem with row, column and message"
        },
    },
)
async def create_job(
    office_name: Office,
    service: Service,
    file: Annotated[UploadFile, File(description="Eligibility results: .csv, .xlsx, .jsonl")],
    pack: Annotated[str, Form(description="Jurisdiction pack, e.g. il-cook")],
    run_date: Annotated[
        str | None, Form(alias="date", description="Date on the documents, YYYY-MM-DD")
    ] = None,
    formats: Annotated[str, Form(description="pdf, docx or pdf,docx")] = "pdf,docx",
    strict: Annotated[
        bool, Form(description="Refuse the file (422) if any row has a problem")
    ] = False,
    duplex_letters: Annotated[
        bool,
        Form(
            description="The letters print file for printing on both sides: a blank back after "
            "each letter of an odd number of pages, so no sheet holds two people's letters"
        ),
    ] = False,
) -> JSONResponse:
    from docgen.packs import load_pack
    from docgen.pipeline import RunOptions, validate_input

    settings, store = service.settings, service.store
    name = display_name(file.filename)
    ext = extension_of(file.filename)
    if ext not in ALLOWED_EXTENSIONS:
        raise ApiError(
            415,
            "unsupported_type",
            f"{name}: use a .csv, .xlsx or .jsonl file (this one is "
            f"{'.' + ext if ext else 'without an extension'})",
        )
    try:
        day = date.fromisoformat(run_date) if run_date else date.today()
    except ValueError:
        raise ApiError(422, "invalid_date", "date must be YYYY-MM-DD") from None
    chosen = chosen_formats(formats)
    try:
        await run_in_threadpool(load_pack, pack)
    except DocgenError as exc:
        raise ApiError(
            422, "unknown_pack", exc.message + (f"; {exc.hint}" if exc.hint else "")
        ) from None

    job_id = secrets.token_hex(16)
    folder = service.job_dir(job_id)
    folder.mkdir(mode=DIR_MODE, parents=True)
    path = folder / f"input.{ext}"  # the uploaded name never reaches the file system
    try:
        size = 0
        with _write_private(path) as out:
            while chunk := await file.read(1 << 20):
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    raise ApiError(
                        413,
                        "too_large",
                        f"the file is larger than the limit of "
                        f"{settings.max_upload_bytes / (1024 * 1024):g} MB",
                    )
                out.write(chunk)
        if size == 0:
            raise ApiError(422, "empty_file", f"{name}: the file is empty")
        if ext == "xlsx":
            with path.open("rb") as fh:
                if fh.read(4) != b"PK\x03\x04":
                    raise ApiError(
                        415, "unsupported_type", f"{name}: this is not an Excel .xlsx file"
                    )
        options = RunOptions(input_path=path, pack_name=pack, run_date=day, out_dir=folder / "out")
        try:
            validation = await run_in_threadpool(validate_input, options)
        except DocgenError as exc:
            raise ApiError(
                422,
                "invalid_file",
                worker.public_message(exc, path, name),
                worker.problems_for_error(exc),
            ) from None
        problems = worker.problem_dicts(validation.rejects)
        if strict and problems:
            raise ApiError(
                422,
                "rows_rejected",
                f"{name}: {counted(len(problems), 'row')} {'has' if len(problems) == 1 else 'have'} problems; nothing was made",
                problems[:MAX_LISTED_PROBLEMS],
            )
        store.insert_job(
            id=job_id,
            office=office_name,
            pack=pack,
            run_date=day.isoformat(),
            formats=",".join(chosen),
            duplex_letters=duplex_letters,
            input_ext=ext,
            input_name=name,
            input_bytes=size,
            problems=problems,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        await file.close()
    service.dispatcher.wake()
    job = store.get_job(job_id)
    assert job is not None
    return JSONResponse(job_json(job), status_code=201, headers={"Location": f"/api/jobs/{job_id}"})


@router.get("/api/jobs", tags=["jobs"], summary="Your office's jobs, newest first")
def list_jobs(office_name: Office, service: Service) -> list[dict[str, Any]]:
    return [job_json(j, full=False) for j in service.store.list_jobs(office_name)]


@router.get("/api/jobs/{job_id}", tags=["jobs"], summary="A job's status, progress and problems")
def get_job(job_id: str, office_name: Office, service: Service) -> dict[str, Any]:
    return job_json(service.own_job(job_id, office_name))


@router.post("/api/jobs/{job_id}/cancel", tags=["jobs"], summary="Stop a queued or running job")
def cancel_job(job_id: str, office_name: Office, service: Service) -> JSONResponse:
    store = service.store
    job = service.own_job(job_id, office_name)
    if job["status"] in FINISHED:
        raise ApiError(409, "finished", f"the job is already {job['status']}")
    store.update_job(job_id, cancel_requested=True)
    store.update_job(
        job_id,
        only_if_status=("queued",),
        status="cancelled",
        message="cancelled before it started",
        finished_at=now(),
    )
    service.dispatcher.wake()
    job = service.own_job(job_id, office_name)
    return JSONResponse(job_json(job), status_code=202)


@router.delete(
    "/api/jobs/{job_id}",
    status_code=204,
    tags=["jobs"],
    summary="Delete a job and all its files (stops it first if it runs)",
)
def delete_job(job_id: str, office_name: Office, service: Service) -> Response:
    job = service.own_job(job_id, office_name)
    if job["status"] not in FINISHED:
        service.store.update_job(job_id, cancel_requested=True)
        service.dispatcher.kill(job_id)
    service.store.delete_job(job_id)
    shutil.rmtree(service.job_dir(job_id), ignore_errors=True)
    return Response(status_code=204)
