"""The service's app factory: the HTTP API and the web page. Every endpoint but /health, the page
and /docs needs an API key (docgen.service.auth).

The routes live by job: pages (/ and /docs), jobs_api (packs, jobs), files_api (a run's files
and previews), judge_api (signed batch, letters after signing), petitions_api (one person's
petition). What they share (settings, store, dispatcher) is a ServiceState on `app.state`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from docgen.service import files_api, jobs_api, judge_api, pages, petitions_api
from docgen.service.api_errors import add_error_handlers
from docgen.service.dispatcher import Dispatcher
from docgen.service.middleware import StackOnlyErrors, UploadLimit, security_headers
from docgen.service.settings import Settings
from docgen.service.state import ServiceState
from docgen.service.store import Store
from docgen.store.output import DIR_MODE


def create_app(settings: Settings | None = None, *, run_jobs: bool = True) -> FastAPI:
    """The FastAPI app. run_jobs=False: accept and list jobs but start no worker (tests)."""
    settings = settings or Settings.from_env()
    store = Store(settings.db_url)
    dispatcher = Dispatcher(store, settings)

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
        docs_url=None,  # served by docgen.service.pages from local files: FastAPI's loads a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.dispatcher = dispatcher
    app.state.service = ServiceState(settings, store, dispatcher)
    app.add_middleware(UploadLimit, max_bytes=settings.max_upload_bytes)
    from swagger_ui_bundle import swagger_ui_path

    # Before /static, which would otherwise take these paths.
    app.mount(pages.SWAGGER_ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=pages.HERE / "static"), name="static")
    add_error_handlers(app)
    app.add_middleware(StackOnlyErrors)  # inside security_headers: a 500 carries them too
    app.middleware("http")(security_headers)

    @app.get("/health", tags=["service"], summary="Liveness and job store check (no key)")
    def health() -> dict[str, str]:
        from sqlalchemy import text

        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok"}

    # In this order: the order of the API docs (and of matching, where paths overlap).
    for routes in (pages, jobs_api, files_api, judge_api, petitions_api):
        app.include_router(routes.router)
    return app
