"""The service's petition form: the fields of `docgen petition`, answered with the run as a zip.

A petition is one person's three short documents, so it is made during the request (in a thread)
instead of as a queued job, in a private temporary folder that is removed afterwards: the server
keeps nothing of the person's data.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
import zipfile
from datetime import date
from pathlib import Path

from docgen.petition.input import FIELDS, FORM_COLUMNS, PetitionError, PetitionSettings
from docgen.petition.petition import PetitionRequest, make_petition
from docgen.store.output import DIR_MODE

SETTINGS_FIELDS = (
    "phone",
    "email",
    "lawyer",
    "organisation",
    "lawyer_phone",
    "lawyer_email",
    "attorney_code",
    "hearing_time",
    "courtroom",
)
OTHER_FIELDS = {"pack", "date", "formats", "hearing_date", "lawyer_address"}
# The form as OpenAPI documents it (the endpoint reads the fields itself, blank meaning not given).
FORM_SCHEMA = {
    "type": "object",
    "required": ["first_name", "last_name", "date_of_birth", "case_number", "statute"],
    "properties": {
        "pack": {"type": "string", "example": "il-cook"},
        "date": {"type": "string", "format": "date", "description": "date on the documents"},
        "formats": {"type": "string", "example": "pdf,docx"},
        **{c: {"type": "string"} for c in FORM_COLUMNS},
        **{c: {"type": "string"} for c in SETTINGS_FIELDS},
        "hearing_date": {"type": "string", "format": "date"},
        "lawyer_address": {
            "type": "array",
            "items": {"type": "string"},
            "description": "the lawyer's address, one field per line",
        },
    },
}
# One petition at a time in this process: an in-process run keeps its pack's renderers in the
# pipeline's module state (docgen.render.pool._worker_state), which two threads would share.
_ONE_AT_A_TIME = threading.Lock()


def _date(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PetitionError("the petition cannot be made:", [f"{field}: use YYYY-MM-DD"]) from None


def request_from_form(
    fields: dict[str, str], lawyer_address: list[str], out_dir: Path
) -> PetitionRequest:
    """A PetitionRequest from the form's fields (blank fields count as not given)."""
    unknown = sorted(set(fields) - set(FORM_COLUMNS) - set(SETTINGS_FIELDS) - OTHER_FIELDS)
    if unknown:
        raise PetitionError(
            "the petition cannot be made:", [f"{u}: not a petition field" for u in unknown]
        )
    formats = tuple(f.strip() for f in fields.get("formats", "pdf,docx").split(",") if f.strip())
    if not formats or any(f not in ("pdf", "docx") for f in formats):
        raise PetitionError("the petition cannot be made:", ["formats: use pdf, docx or pdf,docx"])
    settings = PetitionSettings(
        **{k: fields.get(k, "").strip() for k in SETTINGS_FIELDS},
        lawyer_address=tuple(line.strip() for line in lawyer_address if line.strip()),
        hearing_date=_date(fields.get("hearing_date", ""), "hearing_date"),
    )
    return PetitionRequest(
        pack_name=fields.get("pack", "").strip() or "il-cook",
        run_date=_date(fields.get("date", ""), "date") or date.today(),
        out_dir=out_dir,
        settings=settings,
        fields={k: v for k, v in fields.items() if k in FORM_COLUMNS and v.strip()},
        formats=formats,
        names=FIELDS,  # messages name the form's fields (last_name), not the CLI's flags
    )


def make_petition_zip(
    fields: dict[str, str], lawyer_address: list[str], work_root: Path
) -> tuple[str, bytes]:
    """(run id, zip of the run folder: documents, manifest, report)."""
    work_root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=work_root))  # mode 0700
    try:
        request = request_from_form(fields, lawyer_address, folder)
        with _ONE_AT_A_TIME:
            result = make_petition(request)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(p for p in result.run_dir.rglob("*") if p.is_file()):
                if path.name.startswith("."):
                    continue
                # A fixed time stamp: the same petition gives the same zip.
                info = zipfile.ZipInfo(f"{result.run_id}/{path.relative_to(result.run_dir)}")
                info.date_time = (
                    request.run_date.year,
                    request.run_date.month,
                    request.run_date.day,
                    0,
                    0,
                    0,
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
        return result.run_id, buffer.getvalue()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
