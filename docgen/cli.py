"""The command line: a thin shell over the pipeline.

Exit codes: 0 the run finished and every row is accounted for (rejects included, unless --strict);
1 the input or pack cannot be used; 2 usage errors (Typer's own).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from docgen.errors import DocgenError

app = typer.Typer(
    name="docgen",
    help="Turn eligibility results for criminal-record relief into court-ready paperwork.",
    no_args_is_help=True,
    add_completion=False,
    # Locals in a traceback would print people's records.
    pretty_exceptions_show_locals=False,
)
# soft_wrap: a long path or message stays on one line, so it can be copied and grepped.
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


class InputFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    jsonl = "jsonl"
    gogen = "gogen"


def _fail(exc: DocgenError) -> None:
    # escape: a message may hold "[motion.intro]" or a path with brackets, which is not markup.
    err.print(f"[bold red]Error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True)
    if exc.hint:
        err.print(f"Hint: {escape(exc.hint)}", highlight=False)
    raise typer.Exit(1)


def _guard(action: Callable[[], Any]) -> Any:
    """Run a command body: named errors become one line; anything else hides its details."""
    try:
        return action()
    except DocgenError as exc:
        _fail(exc)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        err.print("Interrupted; files already written are complete, nothing partial is left.")
        raise typer.Exit(130) from None
    except Exception as exc:
        err.print(
            f"[bold red]Internal error[/] ({type(exc).__name__}). This is a bug in docgen; "
            "set DOCGEN_DEBUG=1 to see where it happened."
        )
        if os.environ.get("DOCGEN_DEBUG"):
            # The stack only: exception messages can quote input values.
            traceback.print_tb(exc.__traceback__, file=sys.stderr)
        raise typer.Exit(1) from None


InputArg = Annotated[
    Path,
    typer.Argument(
        help="Eligibility results: .csv, .xlsx or .jsonl (one row per charge).", show_default=False
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        help="Text encoding of a CSV (e.g. utf-8, cp1252, utf-16). Detected when not given."
    ),
]
FormatOpt = Annotated[
    InputFormat | None,
    typer.Option("--input-format", help="Input format when the file extension does not say."),
]


def _parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; use YYYY-MM-DD", param_hint="--date"
        ) from None


class _RateColumn(ProgressColumn):
    """Documents per second (rich's own speed column counts bytes)."""

    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f} docs/s" if speed else "- docs/s", style="progress.data.speed")


@app.command()
def generate(
    input_path: InputArg,
    pack: Annotated[
        str, typer.Option(help="Jurisdiction pack, e.g. il-cook (see `docgen packs`).")
    ],
    run_date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Date printed on the documents (YYYY-MM-DD). Default: today. "
            "The same input, options and date give byte-identical files.",
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for runs; each run gets out/<run-id>/.")
    ] = Path("out"),
    encoding: EncodingOpt = None,
    input_format: FormatOpt = None,
    formats: Annotated[
        str, typer.Option("--formats", help="Comma-separated: pdf,docx.")
    ] = "pdf,docx",
    strict: Annotated[bool, typer.Option(help="Exit 1 if any row is rejected.")] = False,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: one per core).")
    ] = None,
    run_id: Annotated[
        str | None, typer.Option(help="Name of the run folder (default: pack-date-inputhash).")
    ] = None,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    addresses: Annotated[
        Path | None,
        typer.Option(
            help="CSV of person_id and address columns, for inputs without addresses (gogen)."
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            envvar="DOCGEN_CLUSTER",
            help="Render on a Dask cluster: the scheduler's address, e.g. tcp://host:8786.",
        ),
    ] = None,
    cluster_output: Annotated[
        str,
        typer.Option(
            help="With --cluster: 'returned' (workers send the files back) or 'shared' "
            "(workers write into --out, which must be the same path on every worker)."
        ),
    ] = "returned",
) -> None:
    """Make the motions, orders, letters, batches, manifest and report for one results file."""
    from docgen.pipeline import FORMATS, RunOptions, run

    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise typer.BadParameter(
            f"use pdf, docx or pdf,docx (got {formats!r})", param_hint="--formats"
        )
    options = RunOptions(
        input_path=input_path,
        pack_name=pack,
        run_date=_parse_date(run_date),
        out_dir=out_dir,
        encoding=encoding,
        input_format=input_format.value if input_format else None,
        formats=chosen,
        workers=workers,
        run_id=run_id,
        addresses=addresses,
        cluster=cluster or None,
        cluster_output=cluster_output,
    )
    if cluster_output not in ("returned", "shared"):
        raise typer.BadParameter("use returned or shared", param_hint="--cluster-output")

    def body() -> Any:
        if quiet or not err.is_terminal:
            return run(options)
        columns = (
            TextColumn("Rendering"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("documents"),
            _RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task("render", total=None)
            return run(
                options, progress=lambda done, total: bar.update(task, completed=done, total=total)
            )

    result = _guard(body)
    out.print(
        f"Run {result.run_id}: {result.input_rows} rows = {result.rows_in_documents} in documents"
        f" + {result.rows_not_eligible} not eligible + {result.rows_needs_review} needs review"
        f" + {result.rows_rejected} rejected"
        + (f" + {result.rows_context} context rows." if result.rows_context else ".")
        + f" {result.cases} cases, {result.letters} letters, "
        f"{len(result.people_without_address)} people without address."
        f" Output: {result.run_dir} ({result.seconds:.1f} s)",
        highlight=False,
        soft_wrap=True,
    )
    if result.rows_rejected:
        out.print(
            f"{result.rows_rejected} row(s) rejected: see {result.run_dir / 'rejects.csv'}",
            highlight=False,
        )
    if not result.accounted:
        err.print("[bold red]Error:[/] the row accounting does not add up; please report this.")
        raise typer.Exit(1)
    if strict and result.rows_rejected:
        raise typer.Exit(1)


@app.command()
def validate(
    input_path: InputArg,
    encoding: EncodingOpt = None,
    input_format: FormatOpt = None,
    run_date: Annotated[
        str | None,
        typer.Option("--date", help="Dates after this are rejected as future. Default: today."),
    ] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 if any row is rejected.")] = False,
) -> None:
    """Check a results file and list every problem (file, row, column) without making documents."""
    from docgen.pipeline import RunOptions, validate_input

    options = RunOptions(
        input_path=input_path,
        pack_name="",
        run_date=_parse_date(run_date),
        out_dir=Path("."),
        encoding=encoding,
        input_format=input_format.value if input_format else None,
    )
    result = _guard(lambda: validate_input(options))
    for reject in result.rejects:
        where = f"{result.file}, row {reject.row}" + (
            f", column {reject.column}" if reject.column else ""
        )
        out.print(f"{where}: {reject.reason}", highlight=False, soft_wrap=True)
    out.print(
        f"{result.file}: {result.input_rows} rows, {len(result.charges)} valid, {len(result.rejects)} rejected."
        + (f" {result.context_rows} context rows (no determination)." if result.context_rows else ""),
        highlight=False,
    )
    if strict and result.rejects:
        raise typer.Exit(1)


@app.command()
def check(
    run_dir: Annotated[
        Path, typer.Argument(help="A run folder, out/<run-id>/ (it holds manifest.json).")
    ],
) -> None:
    """Check every court document of a run against its pack's filing rules ([rules])."""
    from docgen.check import check_run

    report = _guard(lambda: check_run(run_dir))
    for file in report.failed:
        out.print(f"{file.path}: FAIL", highlight=False, soft_wrap=True)
        for failure in file.failures:
            out.print(f"  - {failure}", highlight=False, soft_wrap=True)
    passed = len(report.files) - len(report.failed)
    out.print(
        f"{report.run_dir}: {len(report.files)} court document(s) checked against the "
        f"{report.pack} rules: {passed} pass, {len(report.failed)} fail.",
        highlight=False,
        soft_wrap=True,
    )
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def synth(
    cases: Annotated[int, typer.Option(min=1, help="Number of cases to make.")] = 50,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same file.")] = 1,
    output: Annotated[Path, typer.Option("--out", help="CSV file to write.")] = Path(
        "out/demo-results.csv"
    ),
) -> None:
    """Write realistic fictional eligibility results (demo and test data)."""
    from docgen.synth import synth_rows, write_csv

    def body() -> int:
        rows = synth_rows(cases, seed)
        output.parent.mkdir(parents=True, exist_ok=True)
        write_csv(rows, output)
        return len(rows)

    count = _guard(body)
    out.print(f"Wrote {count} rows for {cases} cases to {output}", highlight=False)


@app.command()
def packs() -> None:
    """List the jurisdiction packs and the documents each makes."""
    from docgen.packs import available_packs, load_pack

    def body() -> list[str]:
        lines = []
        for name in available_packs():
            p = load_pack(name).config
            lines.append(f"{name}  {p.pack.title}")
            lines.append(
                f"    filing: {p.pack.filing_mode}; documents for: "
                f"{', '.join(p.determinations.documents)}; letters for: "
                f"{', '.join(p.determinations.letters)}; languages: {', '.join(p.pack.languages)}"
            )
        return lines

    for line in _guard(body):
        out.print(line, highlight=False)


# ---------------------------------------------------------------- the service (docgen/service/)

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

    _guard(
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

    key = _guard(lambda: create_api_key(office, data_dir=data_dir, database_url=database_url))
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

    rows = _guard(lambda: list_api_keys(data_dir=data_dir, database_url=database_url))
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
        out.print(escape(f"{line}  {row[3]}"), highlight=False)


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

    row = _guard(lambda: revoke_api_key(key_id, data_dir=data_dir, database_url=database_url))
    when = "already revoked" if row["already_revoked"] else "revoked"
    message = f"API key {row['key_id']} of office {row['office']!r} {when} at {row['revoked_at']}."
    err.print(escape(message), highlight=False)


if __name__ == "__main__":
    app()
