"""The judge's side of a finished job: upload the signed batch (as `docgen ingest-signed`), then
make letters for the cases the judge signed (as `docgen letters --signed-only`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from docgen.errors import DocgenError
from docgen.service.api_errors import ApiError
from docgen.service.auth import Office
from docgen.service.jobs_api import chosen_formats
from docgen.service.state import Service, ServiceState

router = APIRouter()


def _after_signing_change(service: ServiceState, job_id: str) -> None:
    (service.job_dir(job_id) / "download.zip").unlink(missing_ok=True)  # the zip is rebuilt


@router.post(
    "/api/jobs/{job_id}/signed",
    tags=["judge"],
    summary="Upload the signed batch: split per order, record each order in the ledger",
    responses={415: {"description": "Not a PDF"}, 422: {"description": "Cannot be used"}},
)
async def upload_signed(
    job_id: str,
    office_name: Office,
    service: Service,
    file: Annotated[UploadFile, File(description="The signed batch (e-signed or scanned PDF)")],
    signed_on: Annotated[
        str | None,
        Form(description="Date signed, YYYY-MM-DD, for orders whose date field is unreadable"),
    ] = None,
) -> dict[str, Any]:
    """The same as `docgen ingest-signed`: the report (signed, denied, missing, extra,
    unreadable, reordered pages; `ok`). Signed orders and ledger.json join the manifest."""
    from docgen.judge.ingest import ingest_signed

    settings = service.settings
    job = service.own_job(job_id, office_name)
    run_dir = service.run_dir_of(job)
    try:
        when = date.fromisoformat(signed_on) if signed_on else None
    except ValueError:
        raise ApiError(422, "invalid_date", "signed_on must be YYYY-MM-DD") from None
    data = await file.read(settings.max_upload_bytes + 1)
    await file.close()
    if len(data) > settings.max_upload_bytes:
        raise ApiError(413, "too_large", "the file is larger than the upload limit")
    if not data.startswith(b"%PDF"):
        raise ApiError(415, "unsupported_type", "the signed batch must be a PDF")
    target = (
        service.job_dir(job_id) / "signed-batch.pdf"
    )  # the uploaded name never reaches the disk

    def ingest() -> dict[str, Any]:
        from docgen.store.output import write_atomic

        with service.run_lock(job_id):  # one change to a run at a time
            write_atomic(target, data)
            try:
                report = ingest_signed(target, run_dir, when)
            except DocgenError as exc:
                raise ApiError(422, "invalid_signed_batch", exc.message) from None
            _after_signing_change(service, job_id)
            return report.as_dict()

    return await run_in_threadpool(ingest)


@router.post(
    "/api/jobs/{job_id}/letters-signed",
    tags=["judge"],
    summary="Letters for the cases the judge signed (after a signed batch was uploaded)",
)
def letters_signed(
    job_id: str,
    office_name: Office,
    service: Service,
    letter_date: Annotated[
        str | None, Form(alias="date", description="Date on the letters, YYYY-MM-DD")
    ] = None,
    formats: Annotated[str, Form(description="pdf, docx or pdf,docx")] = "pdf,docx",
) -> dict[str, Any]:
    """The same as `docgen letters --signed-only` on the job's own upload: files go to
    letters-signed/ and into the manifest (download them with /files/ or /download)."""
    from docgen.judge.letters_signed import make_signed_letters

    job = service.own_job(job_id, office_name)
    run_dir = service.run_dir_of(job)
    try:
        day = date.fromisoformat(letter_date) if letter_date else date.today()
    except ValueError:
        raise ApiError(422, "invalid_date", "date must be YYYY-MM-DD") from None
    chosen = chosen_formats(formats)
    source = service.job_dir(job_id) / f"input.{job['input_ext']}"
    with service.run_lock(job_id):
        try:
            result = make_signed_letters(run_dir, source, day, formats=chosen)
        except DocgenError as exc:
            raise ApiError(
                422, "cannot_make_letters", exc.message + (f"; {exc.hint}" if exc.hint else "")
            ) from None
        _after_signing_change(service, job_id)
    return {
        "letters": result.letters,
        "cases_signed": result.cases_signed,
        "cases_left_out": result.cases_left_out,
        "people_without_address": result.people_without_address,
        "files": result.files,
    }
