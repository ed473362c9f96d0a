"""The web page (/) and the API docs page (/docs), server-rendered; no API key needed.

The page is a form plus a little JavaScript (static/) that calls the API; /docs is Swagger UI
served from local files (FastAPI's own docs page loads a CDN).
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from docgen.errors import DocgenError
from docgen.service.settings import ALLOWED_EXTENSIONS
from docgen.service.state import Service

HERE = Path(__file__).resolve().parent
SWAGGER_ASSETS = "/static/swagger-ui"  # Swagger UI's files, from the swagger-ui-bundle-v2 package

templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page(service: Service) -> HTMLResponse:
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
        max_upload_mb=f"{service.settings.max_upload_bytes / (1024 * 1024):g}",
        extensions=ALLOWED_EXTENSIONS,
    )
    return HTMLResponse(html)


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs(request: Request) -> HTMLResponse:
    html = templates.get_template("docs.html").render(
        assets=SWAGGER_ASSETS, openapi_url=request.app.openapi_url
    )
    return HTMLResponse(html)
