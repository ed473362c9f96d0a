"""Entry points for the CLI: `docgen serve` and `docgen keys create|list|revoke` (imported lazily)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import DocgenError
from docgen.service.settings import Settings
from docgen.store.output import DIR_MODE

if TYPE_CHECKING:
    from docgen.service.store import Store


def _settings(**overrides: object) -> Settings:
    return Settings.from_env(**overrides)


def _prepare(settings: Settings) -> None:
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(settings.data_dir, DIR_MODE)
    except OSError as exc:
        raise DocgenError(f"cannot use data folder {settings.data_dir}: {exc.strerror}") from None


def _store_error(url: str, exc: BaseException) -> DocgenError:
    """A one-line reason the job store cannot be used; the URL's password never shown."""
    from docgen.service.store import safe_url

    if isinstance(exc, ImportError):
        return DocgenError(
            f"cannot use the job store {safe_url(url)}: its database driver is not installed "
            f"({exc.name or exc})",
            hint="PostgreSQL works with the psycopg driver docgen installs: "
            "use a URL starting with postgresql:// (not postgresql+psycopg2://)",
        )
    orig = getattr(exc, "orig", None)
    detail = str(orig or exc).strip().splitlines()
    reason = detail[0] if detail else exc.__class__.__name__
    return DocgenError(f"cannot use the job store {safe_url(url)}: {reason}")


@contextmanager
def open_store(settings: Settings) -> Iterator[Store]:
    """The job store with its tables created; its errors as DocgenError."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from docgen.service.store import Store

    url = settings.db_url
    try:
        store = Store(url)
    except (ArgumentError, ImportError) as exc:
        raise _store_error(url, exc) from None
    try:
        try:
            store.create_schema()
        except SQLAlchemyError as exc:
            raise _store_error(url, exc) from None
        yield store
    finally:
        store.dispose()


def create_api_key(
    office: str, data_dir: Path | None = None, database_url: str | None = None
) -> str:
    from sqlalchemy.exc import SQLAlchemyError

    from docgen.service.keys import create_key

    settings = _settings(data_dir=data_dir, database_url=database_url)
    _prepare(settings)
    with open_store(settings) as store:
        try:
            return create_key(store, office)
        except ValueError as exc:
            raise DocgenError(str(exc)) from None
        except SQLAlchemyError as exc:
            raise _store_error(settings.db_url, exc) from None


def list_api_keys(
    data_dir: Path | None = None, database_url: str | None = None
) -> list[dict[str, Any]]:
    """Every key's id, office, created and revoked times (never the secret, salt or hash)."""
    from sqlalchemy.exc import SQLAlchemyError

    settings = _settings(data_dir=data_dir, database_url=database_url)
    _prepare(settings)
    with open_store(settings) as store:
        try:
            return store.list_keys()
        except SQLAlchemyError as exc:
            raise _store_error(settings.db_url, exc) from None


def revoke_api_key(
    key_id: str, data_dir: Path | None = None, database_url: str | None = None
) -> dict[str, Any]:
    """Revoke a key by its id (the part after `dgk_`); the next request with it gets 401."""
    from sqlalchemy.exc import SQLAlchemyError

    from docgen.service.keys import revoke_key

    settings = _settings(data_dir=data_dir, database_url=database_url)
    _prepare(settings)
    with open_store(settings) as store:
        try:
            return revoke_key(store, key_id)
        except KeyError:
            raise DocgenError(
                f"no API key with the id {key_id.strip()[:40]!r}",
                hint="`docgen keys list` shows the ids",
            ) from None
        except SQLAlchemyError as exc:
            raise _store_error(settings.db_url, exc) from None


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
    with open_store(settings):  # a wrong URL or an unreachable server: one clear line, now
        pass
    os.umask(0o077)  # everything the service writes is for its own user only
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
