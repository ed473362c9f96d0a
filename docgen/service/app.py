"""The HTTP API and the web page. Every endpoint but /health and the page itself needs an API key.

The page (/) is a server-rendered form plus a little JavaScript that calls this same API.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docgen.errors import DocgenError
from docgen.output import DIR_MODE, FILE_MODE
from docgen.service import worker
from docgen.service.dispatcher import Dispatcher
from docgen.service.keys import office_for_key
from docgen.service.petitions import FORM_SCHEMA as PETITION_FORM_SCHEMA
from docgen.service.previews import KIND_LABELS, render_first_page
from docgen.service.settings import ALLOWED_EXTENSIONS, Settings
from docgen.service.store import FINISHED, Store, now

HERE = Path(__file__).resolve().parent
SWAGGER_ASSETS = "/static/swagger-ui"  # Swagger UI's files, from the swagger-ui-bundle-v2 package
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
JOB_ID_RE = re.compile(r"^[0-9a-f]{32}$")
MAX_LISTED_PROBLEMS = 1000  # a file with more problems than this is listed in part
FORMATS = ("pdf", "docx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}
INLINE = ("pdf", "json")  # everything else is sent as an attachment


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        problems: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems
        self.headers = headers


def _error_body(code: str, message: str, problems: list[dict[str, Any]] | None = None) -> dict:
    body: dict[str, Any] = {"error": code, "message": message}
    if problems is not None:
        body["problems"] = problems
    return body


# ---------------------------------------------------------------- upload size limit


class UploadLimit:
    """Refuse request bodies over the limit with 413 before they are read to the end.

    Content-Length is checked first; a body without one (chunked) is counted as it arrives.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes + 64 * 1024  # room for the multipart framing and form fields

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(send)
                return
        state = {"received": 0, "exceeded": False, "started": False}

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_bytes:
                    state["exceeded"] = True
                    raise _TooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            if state["exceeded"]:
                return  # the app's answer to a cut-off body is replaced by the 413 below
            state["started"] = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            pass
        except Exception:
            if not state["exceeded"]:
                raise
        if state["exceeded"] and not state["started"]:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        limit_mb = (self.max_bytes - 64 * 1024) / (1024 * 1024)
        body = json.dumps(
            _error_body("too_large", f"the file is larger than the limit of {limit_mb:g} MB")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


# ---------------------------------------------------------------- auth

bearer = HTTPBearer(auto_error=False, description="An API key as a bearer token.")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def require_office(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    header_key: Annotated[str | None, Depends(api_key_header)],
) -> str:
    """The office of the request's API key; 401 without a valid one."""
    key = credentials.credentials if credentials else header_key
    if not key:
        raise ApiError(
            401,
            "unauthorized",
            "an API key is required (Authorization: Bearer <key> or X-API-Key)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    found = office_for_key(request.app.state.store, key)
    if found is None:
        raise ApiError(
            401, "unauthorized", "this API key is not valid", headers={"WWW-Authenticate": "Bearer"}
        )
    return found


Office = Annotated[str, Depends(require_office)]


# ---------------------------------------------------------------- helpers


def display_name(filename: str | None) -> str:
    """The uploaded file's own name, for people to recognise; never used as a path."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "upload"


def extension_of(filename: str | None) -> str:
    name = display_name(filename)
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


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
        "created_at": job["created_at"],
        "started_at": job["started_at"],
        "finished_at": job["finished_at"],
        "progress": {"done": job["progress_done"] or 0, "total": job["progress_total"]},
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


# ---------------------------------------------------------------- the app


def create_app(settings: Settings | None = None, *, run_jobs: bool = True) -> FastAPI:
    """The FastAPI app. run_jobs=False: accept and list jobs but start no worker (tests)."""
    settings = settings or Settings.from_env()
    store = Store(settings.db_url)
    dispatcher = Dispatcher(store, settings)
    zip_locks: dict[str, threading.Lock] = {}
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(settings.data_dir, DIR_MODE)
        settings.jobs_dir.mkdir(mode=DIR_MODE, exist_ok=True)
        store.create_schema()
        if run_jobs:
            dispatcher.start()
        try:
            yield
        finally:
            if run_jobs:
                await run_in_threadpool(dispatcher.stop)
            store.dispose()

    app = FastAPI(
        title="docgen",
        summary="Court-ready record-relief paperwork from eligibility results.",
        description="Upload a results file to create a job; follow its progress; download the "
        "documents. Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>` "
        "(keys come from `docgen keys create --office NAME`). A key sees only its office's jobs.",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served below from local files: FastAPI's own page loads a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.dispatcher = dispatcher
    app.add_middleware(UploadLimit, max_bytes=settings.max_upload_bytes)
    from swagger_ui_bundle import swagger_ui_path

    # Before /static, which would otherwise take these paths.
    app.mount(SWAGGER_ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            _error_body(exc.code, exc.message, exc.problems),
            status_code=exc.status,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _request_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": ".".join(str(p) for p in e["loc"][1:]) or None, "message": e["msg"]}
            for e in exc.errors()
        ]
        return JSONResponse(
            {**_error_body("invalid_request", "the request is incomplete"), "fields": fields},
            status_code=422,
        )

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        if request.url.path == "/":
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; img-src 'self' blob:; script-src 'self'; "
                "style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
            )
            response.headers["X-Frame-Options"] = "DENY"
        elif request.url.path == "/docs":
            response.headers["Content-Security-Policy"] = DOCS_CSP
            response.headers["X-Frame-Options"] = "DENY"
        return response

    # ------------------------------------------------------------ auth

    def own_job(job_id: str, office_name: str) -> dict[str, Any]:
        job = store.get_job(job_id, office_name) if JOB_ID_RE.match(job_id) else None
        if job is None:
            raise ApiError(404, "not_found", "no such job")
        return job

    def job_dir(job_id: str) -> Path:
        return worker.job_dir(settings.data_dir, job_id)

    def run_dir_of(job: dict[str, Any]) -> Path:
        if job["status"] != "done" or not job["run_dir"]:
            raise ApiError(409, "not_ready", f"the job is {job['status']}, not done")
        return job_dir(job["id"]) / job["run_dir"]

    def manifest_of(run_dir: Path) -> dict[str, Any]:
        try:
            return json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ApiError(410, "gone", "the job's files are no longer on the server") from None

    # ------------------------------------------------------------ endpoints

    @app.get("/health", tags=["service"], summary="Liveness and job store check (no key)")
    def health() -> dict[str, str]:
        from sqlalchemy import text

        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        from docgen.packs import available_packs, load_pack

        packs = []
        for name in available_packs():
            with contextlib.suppress(DocgenError):
                config = load_pack(name).config
                petitions = "petition_motion" in (config.model_extra or {})
                packs.append({"name": name, "title": config.pack.title, "petition": petitions})
        html = templates.get_template("index.html").render(
            packs=packs,
            today=date.today().isoformat(),
            max_upload_mb=f"{settings.max_upload_bytes / (1024 * 1024):g}",
            extensions=ALLOWED_EXTENSIONS,
        )
        return HTMLResponse(html)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        html = templates.get_template("docs.html").render(
            assets=SWAGGER_ASSETS, openapi_url=app.openapi_url
        )
        return HTMLResponse(html)

    @app.get("/api/packs", tags=["packs"], summary="The jurisdiction packs and what they make")
    def packs(_office: Office) -> list[dict[str, Any]]:
        from docgen.packs import available_packs, load_pack

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

    @app.post(
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
        file: Annotated[UploadFile, File(description="Eligibility results: .csv, .xlsx, .jsonl")],
        pack: Annotated[str, Form(description="Jurisdiction pack, e.g. il-cook")],
        run_date: Annotated[
            str | None, Form(alias="date", description="Date on the documents, YYYY-MM-DD")
        ] = None,
        formats: Annotated[str, Form(description="pdf, docx or pdf,docx")] = "pdf,docx",
        strict: Annotated[
            bool, Form(description="Refuse the file (422) if any row has a problem")
        ] = False,
    ) -> JSONResponse:
        from docgen.packs import load_pack
        from docgen.pipeline import RunOptions, validate_input

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
        chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
        if not chosen or any(f not in FORMATS for f in chosen):
            raise ApiError(422, "invalid_formats", "formats must be pdf, docx or pdf,docx")
        try:
            await run_in_threadpool(load_pack, pack)
        except DocgenError as exc:
            raise ApiError(
                422, "unknown_pack", exc.message + (f"; {exc.hint}" if exc.hint else "")
            ) from None

        job_id = secrets.token_hex(16)
        folder = job_dir(job_id)
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
            options = RunOptions(
                input_path=path, pack_name=pack, run_date=day, out_dir=folder / "out"
            )
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
                    f"{name}: {len(problems)} row(s) have problems; nothing was made",
                    problems[:MAX_LISTED_PROBLEMS],
                )
            store.insert_job(
                id=job_id,
                office=office_name,
                pack=pack,
                run_date=day.isoformat(),
                formats=",".join(chosen),
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
        dispatcher.wake()
        job = store.get_job(job_id)
        assert job is not None
        return JSONResponse(
            job_json(job), status_code=201, headers={"Location": f"/api/jobs/{job_id}"}
        )

    @app.get("/api/jobs", tags=["jobs"], summary="Your office's jobs, newest first")
    def list_jobs(office_name: Office) -> list[dict[str, Any]]:
        return [job_json(j, full=False) for j in store.list_jobs(office_name)]

    @app.get("/api/jobs/{job_id}", tags=["jobs"], summary="A job's status, progress and problems")
    def get_job(job_id: str, office_name: Office) -> dict[str, Any]:
        return job_json(own_job(job_id, office_name))

    @app.post("/api/jobs/{job_id}/cancel", tags=["jobs"], summary="Stop a queued or running job")
    def cancel_job(job_id: str, office_name: Office) -> JSONResponse:
        job = own_job(job_id, office_name)
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
        dispatcher.wake()
        job = own_job(job_id, office_name)
        return JSONResponse(job_json(job), status_code=202)

    @app.delete(
        "/api/jobs/{job_id}",
        status_code=204,
        tags=["jobs"],
        summary="Delete a job and all its files (stops it first if it runs)",
    )
    def delete_job(job_id: str, office_name: Office) -> Response:
        job = own_job(job_id, office_name)
        if job["status"] not in FINISHED:
            store.update_job(job_id, cancel_requested=True)
            dispatcher.kill(job_id)
        store.delete_job(job_id)
        shutil.rmtree(job_dir(job_id), ignore_errors=True)
        return Response(status_code=204)

    @app.get(
        "/api/jobs/{job_id}/download",
        tags=["files"],
        summary="The whole run as a zip (manifest, report, documents, batches, rejects)",
        response_class=FileResponse,
    )
    def download(job_id: str, office_name: Office) -> FileResponse:
        job = own_job(job_id, office_name)
        run_dir = run_dir_of(job)
        manifest = manifest_of(run_dir)
        target = job_dir(job_id) / "download.zip"
        lock = zip_locks.setdefault(job_id, threading.Lock())
        with lock:
            if not target.is_file():
                _build_zip(run_dir, manifest, target)
        return FileResponse(
            target,
            media_type="application/zip",
            filename=f"{manifest['run_id']}.zip",
        )

    @app.get(
        "/api/jobs/{job_id}/files/{path:path}",
        tags=["files"],
        summary="One file of the run, by its path in manifest.json",
    )
    def one_file(job_id: str, path: str, office_name: Office) -> FileResponse:
        job = own_job(job_id, office_name)
        run_dir = run_dir_of(job)
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

    @app.get(
        "/api/jobs/{job_id}/previews/{kind}.png",
        tags=["files"],
        summary="PNG of the first page of the first document of a kind (motion, order, ...)",
        response_class=FileResponse,
    )
    def preview(job_id: str, kind: str, office_name: Office) -> FileResponse:
        job = own_job(job_id, office_name)
        run_dir = run_dir_of(job)
        sources = (job["summary"] or {}).get("previews") or {}
        if kind not in KIND_LABELS or kind not in sources:
            raise ApiError(404, "not_found", "no preview of that kind for this job")
        image = job_dir(job_id) / "previews" / f"{kind}.png"
        if not image.is_file():  # e.g. removed to save space: render it again
            from docgen.output import write_atomic

            write_atomic(image, render_first_page(run_dir / sources[kind]))
        return FileResponse(image, media_type="image/png")

    # ------------------------------------------------------------ the judge's side

    def _after_signing_change(job_id: str) -> None:
        (job_dir(job_id) / "download.zip").unlink(missing_ok=True)  # the zip is rebuilt

    @app.post(
        "/api/jobs/{job_id}/signed",
        tags=["judge"],
        summary="Upload the signed batch: split per order, record each order in the ledger",
        responses={415: {"description": "Not a PDF"}, 422: {"description": "Cannot be used"}},
    )
    async def upload_signed(
        job_id: str,
        office_name: Office,
        file: Annotated[UploadFile, File(description="The signed batch (e-signed or scanned PDF)")],
        signed_on: Annotated[
            str | None,
            Form(description="Date signed, YYYY-MM-DD, for orders whose date field is unreadable"),
        ] = None,
    ) -> dict[str, Any]:
        """The same as `docgen ingest-signed`: the report (signed, denied, missing, extra,
        unreadable, reordered pages; `ok`). Signed orders and ledger.json join the manifest."""
        from docgen.ingest import ingest_signed

        job = own_job(job_id, office_name)
        run_dir = run_dir_of(job)
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
        target = job_dir(job_id) / "signed-batch.pdf"  # the uploaded name never reaches the disk

        def ingest() -> dict[str, Any]:
            from docgen.output import write_atomic

            with zip_locks.setdefault(job_id, threading.Lock()):  # one change to a run at a time
                write_atomic(target, data)
                try:
                    report = ingest_signed(target, run_dir, when)
                except DocgenError as exc:
                    raise ApiError(422, "invalid_signed_batch", exc.message) from None
                _after_signing_change(job_id)
                return report.as_dict()

        return await run_in_threadpool(ingest)

    @app.post(
        "/api/jobs/{job_id}/letters-signed",
        tags=["judge"],
        summary="Letters for the cases the judge signed (after a signed batch was uploaded)",
    )
    def letters_signed(
        job_id: str,
        office_name: Office,
        letter_date: Annotated[
            str | None, Form(alias="date", description="Date on the letters, YYYY-MM-DD")
        ] = None,
        formats: Annotated[str, Form(description="pdf, docx or pdf,docx")] = "pdf,docx",
    ) -> dict[str, Any]:
        """The same as `docgen letters --signed-only` on the job's own upload: files go to
        letters-signed/ and into the manifest (download them with /files/ or /download)."""
        from docgen.letters_signed import make_signed_letters

        job = own_job(job_id, office_name)
        run_dir = run_dir_of(job)
        try:
            day = date.fromisoformat(letter_date) if letter_date else date.today()
        except ValueError:
            raise ApiError(422, "invalid_date", "date must be YYYY-MM-DD") from None
        chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
        if not chosen or any(f not in FORMATS for f in chosen):
            raise ApiError(422, "invalid_formats", "formats must be pdf, docx or pdf,docx")
        source = job_dir(job_id) / f"input.{job['input_ext']}"
        with zip_locks.setdefault(job_id, threading.Lock()):
            try:
                result = make_signed_letters(run_dir, source, day, formats=chosen)
            except DocgenError as exc:
                raise ApiError(
                    422, "cannot_make_letters", exc.message + (f"; {exc.hint}" if exc.hint else "")
                ) from None
            _after_signing_change(job_id)
        return {
            "letters": result.letters,
            "cases_signed": result.cases_signed,
            "cases_left_out": result.cases_left_out,
            "people_without_address": result.people_without_address,
            "files": result.files,
        }

    @app.post(
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
                "content": {"multipart/form-data": {"schema": PETITION_FORM_SCHEMA}},
            }
        },
    )
    async def create_petition(request: Request, _office: Office) -> Response:
        """The same as `docgen petition`: the form's fields are the CLI's flags with underscores
        (first_name, case_number, ..., lawyer, organisation, lawyer_address one line per line,
        hearing_date), plus pack, date and formats. Made at once (a petition is three short
        documents) and returned as a zip; nothing of it is kept on the server."""
        from docgen.service.petitions import make_petition_zip

        form = await request.form()
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        lines = [v for k, v in form.multi_items() if k == "lawyer_address" and isinstance(v, str)]
        try:
            name, data = await run_in_threadpool(
                make_petition_zip, fields, lines, settings.data_dir / "petitions"
            )
        except DocgenError as exc:
            problems = getattr(exc, "problems", None) or []
            raise ApiError(
                422,
                "invalid_petition",
                exc.message.splitlines()[0],
                [{"row": None, "column": None, "message": p} for p in problems],
            ) from None
        return Response(
            data,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{name}.zip"'},
        )

    return app


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
