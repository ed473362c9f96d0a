"""The service's commands (docgen/service/): serve, and keys create/list/revoke."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from docgen.cli.common import app, err, guard, out

DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder for the job store and the jobs' files (default: ./docgen-data, "
        "or $DOCGEN_DATA_DIR).",
    ),
]
DatabaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL of the job store, e.g. postgresql://user@host/docgen "
        "(default: SQLite in the data folder, or $DOCGEN_DATABASE_URL).",
    ),
]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: DataDirOpt = None,
    database_url: DatabaseUrlOpt = None,
    max_upload_mb: Annotated[
        float | None, typer.Option(help="Largest upload accepted, in MB (default 100).")
    ] = None,
    jobs: Annotated[int | None, typer.Option(help="Jobs run at the same time (default 1).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes per job (default: one per core).")
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            envvar="DOCGEN_CLUSTER",
            help="Dask scheduler address (tcp://host:8786): jobs render on that cluster.",
        ),
    ] = None,
) -> None:
    """Run the HTTP API and web page (http://HOST:PORT/, API docs at /docs)."""
    from docgen.service.server import serve as run_server

    if cluster:
        # Job workers are separate processes; they read the address from the environment.
        os.environ["DOCGEN_CLUSTER"] = cluster

    guard(
        lambda: run_server(
            host=host,
            port=port,
            data_dir=data_dir,
            database_url=database_url,
            max_upload_mb=max_upload_mb,
            concurrent_jobs=jobs,
            pipeline_workers=workers,
        )
    )


keys_app = typer.Typer(help="API keys for the service.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    office: Annotated[
        str, typer.Option(help="The office the key belongs to; it sees only its jobs.")
    ],
    data_dir: DataDirOpt = None,
    database_url: DatabaseUrlOpt = None,
) -> None:
    """Make an API key for an office. It is printed once; only a hash of it is kept."""
    from docgen.service.server import create_api_key

    key = guard(lambda: create_api_key(office, data_dir=data_dir, database_url=database_url))
    err.print(f"API key for office {office!r} (shown only this once; keep it safe):")
    out.print(key, highlight=False)


@keys_app.command("list")
def keys_list(
    data_dir: DataDirOpt = None,
    database_url: DatabaseUrlOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the API keys: id, office, when created, when revoked. Never the keys themselves."""
    import json

    from docgen.service.server import list_api_keys

    rows = guard(lambda: list_api_keys(data_dir=data_dir, database_url=database_url))
    if as_json:
        out.print_json(json.dumps(rows), highlight=False)
        return
    if not rows:
        err.print("No API keys yet; make one with `docgen keys create --office NAME`.")
        return
    table = [("ID", "OFFICE", "CREATED", "REVOKED")] + [
        (r["key_id"], r["office"], r["created_at"], r["revoked_at"] or "-") for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3]))
        out.print(f"{line}  {row[3]}", highlight=False)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[
        str,
        typer.Argument(help="The key's id, as `docgen keys list` shows it.", show_default=False),
    ],
    data_dir: DataDirOpt = None,
    database_url: DatabaseUrlOpt = None,
) -> None:
    """Revoke an API key: from the next request on, it gets 401. Its office's jobs stay."""
    from docgen.service.server import revoke_api_key

    row = guard(lambda: revoke_api_key(key_id, data_dir=data_dir, database_url=database_url))
    when = "already revoked" if row["already_revoked"] else "revoked"
    message = f"API key {row['key_id']} of office {row['office']!r} {when} at {row['revoked_at']}."
    err.print(escape(message), highlight=False)
