"""Entry points for the CLI: `docgen serve` and `docgen keys create` (imported lazily)."""

from __future__ import annotations

import os
from pathlib import Path

from docgen.errors import DocgenError
from docgen.output import DIR_MODE
from docgen.service.settings import Settings


def _settings(**overrides: object) -> Settings:
    return Settings.from_env(**overrides)


def _prepare(settings: Settings) -> None:
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(settings.data_dir, DIR_MODE)
    except OSError as exc:
        raise DocgenError(f"cannot use data folder {settings.data_dir}: {exc.strerror}") from None


def create_api_key(
    office: str, data_dir: Path | None = None, database_url: str | None = None
) -> str:
    from sqlalchemy.exc import SQLAlchemyError

    from docgen.service.keys import create_key
    from docgen.service.store import Store

    settings = _settings(data_dir=data_dir, database_url=database_url)
    _prepare(settings)
    store = Store(settings.db_url)
    try:
        store.create_schema()
        return create_key(store, office)
    except ValueError as exc:
        raise DocgenError(str(exc)) from None
    except SQLAlchemyError as exc:
        raise DocgenError(f"cannot use the job store: {exc.__class__.__name__}") from None
    finally:
        store.dispose()


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    data_dir: Path | None = None,
    database_url: str | None = None,
    max_upload_mb: float | None = None,
    concurrent_jobs: int | None = None,
    pipeline_workers: int | None = None,
) -> None:
    import uvicorn

    from docgen.service.app import create_app

    settings = _settings(
        data_dir=data_dir,
        database_url=database_url,
        max_upload_bytes=int(max_upload_mb * 1024 * 1024) if max_upload_mb else None,
        concurrent_jobs=concurrent_jobs,
        pipeline_workers=pipeline_workers,
    )
    _prepare(settings)
    os.umask(0o077)  # everything the service writes is for its own user only
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
