"""POST /api/petitions: one person's petition from the short form (docgen.service.petitions),
made during the request and answered with the run as a zip. API key needed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from docgen.errors import DocgenError
from docgen.service.api_errors import ApiError
from docgen.service.auth import Office
from docgen.service.petitions import FORM_SCHEMA, make_petition_zip
from docgen.service.state import Service

router = APIRouter()


@router.post(
    "/api/petitions",
    tags=["petitions"],
    summary="One person's petition (motion, order, notice of filing) from the short form",
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {}}, "description": "The run as a zip"},
        422: {"description": "A field cannot be used; `problems` names each field"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": FORM_SCHEMA}},
        }
    },
)
async def create_petition(request: Request, _office: Office, service: Service) -> Response:
    """The same as `docgen petition`: the form's fields are the CLI's flags with underscores
    (first_name, case_number, ..., lawyer, organisation, lawyer_address one line per line,
    hearing_date), plus pack, date and formats. Made at once (a petition is three short
    documents) and returned as a zip; nothing of it is kept on the server."""
    form = await request.form()
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    lines = [v for k, v in form.multi_items() if k == "lawyer_address" and isinstance(v, str)]
    try:
        name, data = await run_in_threadpool(
            make_petition_zip, fields, lines, service.settings.data_dir / "petitions"
        )
    except DocgenError as exc:
        problems = getattr(exc, "problems", None) or []
        raise ApiError(
            422,
            "invalid_petition",
            getattr(exc, "summary", None) or exc.message.splitlines()[0],
            [{"row": None, "column": None, "message": p} for p in problems],
        ) from None
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}.zip"'},
    )
