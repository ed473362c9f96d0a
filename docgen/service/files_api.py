"""A finished job's files: the whole run as a zip, one file by its manifest path, and PNG
previews of the first page of each kind of document. API key needed; the office's jobs only."""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse

from docgen.service.api_errors import ApiError
from docgen.service.auth import Office
from docgen.service.previews import KIND_LABELS, render_first_page
from docgen.service.state import Service, manifest_of
from docgen.store.output import FILE_MODE

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}
INLINE = ("pdf", "json")  # everything else is sent as an attachment

router = APIRouter()


@router.get(
    "/api/jobs/{job_id}/download",
    tags=["files"],
    summary="The whole run as a zip (manifest, report, documents, batches, rejects)",
    response_class=FileResponse,
)
def download(job_id: str, office_name: Office, service: Service) -> FileResponse:
    job = service.own_job(job_id, office_name)
    run_dir = service.run_dir_of(job)
    manifest = manifest_of(run_dir)
    target = service.job_dir(job_id) / "download.zip"
    with service.run_lock(job_id):
        if not target.is_file():
            _build_zip(run_dir, manifest, target)
    return FileResponse(
        target,
        media_type="application/zip",
        filename=f"{manifest['run_id']}.zip",
    )


@router.get(
    "/api/jobs/{job_id}/files/{path:path}",
    tags=["files"],
    summary="One file of the run, by its path in manifest.json",
)
def one_file(job_id: str, path: str, office_name: Office, service: Service) -> FileResponse:
    job = service.own_job(job_id, office_name)
    run_dir = service.run_dir_of(job)
    manifest = manifest_of(run_dir)
    listed = {e["path"] for e in manifest.get("files", [])} | {"manifest.json"}
    if path not in listed:
        raise ApiError(404, "not_found", "no such file in this run (see manifest.json)")
    full = (run_dir / path).resolve()
    if not full.is_relative_to(run_dir.resolve()) or not full.is_file():
        raise ApiError(404, "not_found", "no such file in this run (see manifest.json)")
    ext = full.suffix.lstrip(".")
    return FileResponse(
        full,
        media_type=MEDIA_TYPES.get(ext, "application/octet-stream"),
        filename=full.name,
        content_disposition_type="inline" if ext in INLINE else "attachment",
    )


@router.get(
    "/api/jobs/{job_id}/previews/{kind}.png",
    tags=["files"],
    summary="PNG of the first page of the first document of a kind (motion, order, ...)",
    response_class=FileResponse,
)
def preview(job_id: str, kind: str, office_name: Office, service: Service) -> FileResponse:
    job = service.own_job(job_id, office_name)
    run_dir = service.run_dir_of(job)
    sources = (job["summary"] or {}).get("previews") or {}
    if kind not in KIND_LABELS or kind not in sources:
        raise ApiError(404, "not_found", "no preview of that kind for this job")
    image = service.job_dir(job_id) / "previews" / f"{kind}.png"
    if not image.is_file():  # e.g. removed to save space: render it again
        from docgen.store.output import write_atomic

        write_atomic(image, render_first_page(run_dir / sources[kind]))
    return FileResponse(image, media_type="image/png")


def _build_zip(run_dir: Path, manifest: dict[str, Any], target: Path) -> None:
    """Zip the manifest's files (only those) under <run-id>/, written atomically, owner-only."""
    run_id = manifest["run_id"]
    paths = sorted({e["path"] for e in manifest.get("files", [])} | {"manifest.json"})
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for rel in paths:
                source = run_dir / rel
                # PDFs are compressed already; storing them is much faster and barely bigger.
                method = zipfile.ZIP_STORED if rel.endswith(".pdf") else zipfile.ZIP_DEFLATED
                zf.write(source, f"{run_id}/{rel}", compress_type=method)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
