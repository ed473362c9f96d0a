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
    batch_pages: Annotated[
        int,
        typer.Option(
            min=1,
            help="Split the letters print file and the judge's signing batch into volumes of "
            "at most this many pages (batches/letters-print-0001.pdf, "
            "batches/orders-for-judge-0001.pdf, ...).",
        ),
    ] = 2000,
    rules: RulesOpt = None,
    county: CountyOpt = None,
    as_of: AsOfOpt = None,
    mode: ModeOpt = None,
) -> None:
    """Make the motions, orders, letters, batches, manifest and report for one results file."""
    from docgen.pipeline import FORMATS, RunOptions, run

    input_name = None
    if rules:
        # Raw records: determine into the run folder first (determinations.csv), then generate.
        from docgen.rules.engine import determine_for_run

        input_name = input_path.name
        input_path, run_id, _ = _guard(
            lambda: determine_for_run(
                input_path,
                rules,
                _parse_date(as_of),
                county,
                mode,
                out_dir,
                pack,
                _parse_date(run_date),
                run_id,
            )
        )
        input_format = None

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
        input_name=input_name,
        batch_pages=batch_pages,
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
        + (f" + {result.rows_automatic} automatic expungement" if result.rows_automatic else "")
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
        + (
            f" {result.context_rows} context rows (no determination)."
            if result.context_rows
            else ""
        ),
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
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="Write Illinois raw records (for `docgen determine --rules il-crta`) instead "
            "of eligibility results.",
        ),
    ] = False,
) -> None:
    """Write realistic fictional eligibility results, or Illinois raw records (--raw)."""
    from docgen.synth import synth_raw_rows, synth_rows, write_csv

    def body() -> int:
        if raw:
            from docgen.rules.il_crta.records import RAW_COLUMN_ORDER

            rows = synth_raw_rows(cases, seed)
            columns: tuple[str, ...] = RAW_COLUMN_ORDER
        else:
            from docgen.model import ALL_COLUMNS

            rows = synth_rows(cases, seed)
            columns = ALL_COLUMNS
        output.parent.mkdir(parents=True, exist_ok=True)
        write_csv(rows, output, columns)
        return len(rows)

    count = _guard(body)
    kind = "raw record rows" if raw else "rows"
    out.print(f"Wrote {count} {kind} for {cases} cases to {output}", highlight=False)


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


# ---------------------------------------------------------------- the judge's side

RunDirOpt = Annotated[
    Path,
    typer.Option("--run", help="The run folder, out/<run-id>.", show_default=False),
]


@app.command("ingest-signed")
def ingest_signed(
    signed_batch: Annotated[
        Path,
        typer.Argument(
            help="The signing batch after the judge signed it: e-signed or scanned PDF.",
            show_default=False,
        ),
    ],
    run_dir: RunDirOpt,
    signed_on: Annotated[
        str | None,
        typer.Option(
            "--signed-on",
            help="Date the judge signed (YYYY-MM-DD), for orders whose date field has no "
            "readable date (scans). A date written in the field wins.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
) -> None:
    """Read a signed batch back: split it per order into signed/, record each order in ledger.json.

    Exit 0 when every page was matched to its order and every order found was recorded. Exit 1 when a page is unreadable, extra (another run's, or no order's) or duplicated, or an order found is incomplete, unsigned, unclear (marks outside the signature line) or without a date: those stay "generated". Orders left out of the signed batch stay "generated" and are listed.
    """
    from docgen.ingest import ingest_signed as ingest

    when = _parse_date(signed_on) if signed_on else None
    report = _guard(lambda: ingest(signed_batch, run_dir, when))
    if as_json:
        import json

        out.print_json(json.dumps(report.as_dict()), highlight=False)
    else:
        for line in report.summary_lines():
            out.print(escape(line), highlight=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def letters(
    run_dir: RunDirOpt,
    input_path: Annotated[
        Path,
        typer.Option(
            "--input",
            help="The run's input file (refused unless its SHA-256 is the manifest's).",
            show_default=False,
        ),
    ],
    signed_only: Annotated[
        bool,
        typer.Option(
            "--signed-only",
            help="Letters for the cases the judge signed (the only kind this command makes).",
        ),
    ] = False,
    run_date: Annotated[
        str | None,
        typer.Option("--date", help="Date printed on the letters (YYYY-MM-DD); default today."),
    ] = None,
    formats: Annotated[
        str, typer.Option("--formats", help="Comma-separated: pdf,docx.")
    ] = "pdf,docx",
    encoding: EncodingOpt = None,
    input_format: FormatOpt = None,
    addresses: Annotated[
        Path | None,
        typer.Option(help="The address file given to `generate`, if any (CSV by person_id)."),
    ] = None,
) -> None:
    """Letters telling people the judge signed: only signed cases, never a denied one."""
    from docgen.letters_signed import make_signed_letters

    if not signed_only:
        raise typer.BadParameter(
            "only --signed-only letters are made here; `generate` makes the first letters",
            param_hint="--signed-only",
        )
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    if not chosen or any(f not in ("pdf", "docx") for f in chosen):
        raise typer.BadParameter("use pdf, docx or pdf,docx", param_hint="--formats")
    when = _parse_date(run_date)
    result = _guard(
        lambda: make_signed_letters(
            run_dir,
            input_path,
            when,
            formats=chosen,
            encoding=encoding,
            input_format=input_format.value if input_format else None,
            addresses=addresses,
        )
    )
    out.print(
        f"{result.letters} letters for {result.cases_signed} signed cases of "
        f"{result.people_signed} people ({result.people_without_address} without address, no "
        f"letter); {result.cases_left_out} cases denied or not signed yet get none. "
        f"Output: {run_dir / 'letters-signed'}",
        highlight=False,
        soft_wrap=True,
    )


# ---------------------------------------------------------------- eligibility rules (docgen/rules/)

RulesOpt = Annotated[
    str | None,
    typer.Option(
        "--rules", help="Rule set in rules/ (e.g. ca-prop64, il-crta): judge raw records."
    ),
]
CountyOpt = Annotated[
    str | None,
    typer.Option(help='County whose convictions are judged, e.g. "LOS ANGELES" (ca-prop64).'),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Day eligibility is computed at (YYYY-MM-DD). Default: today."),
]
ModeOpt = Annotated[
    str | None,
    typer.Option("--mode", help="Rule-set mode, e.g. statute (default) or gogen for ca-prop64."),
]


@app.command()
def determine(
    input_path: Annotated[
        Path,
        typer.Argument(help="Raw records (e.g. a CA DOJ research extract).", show_default=False),
    ],
    rules: Annotated[str, typer.Option("--rules", help="Rule set in rules/, e.g. ca-prop64.")],
    county: CountyOpt = None,
    as_of: AsOfOpt = None,
    mode: ModeOpt = None,
    out_path: Annotated[
        Path, typer.Option("--out", help="Results CSV (canonical input of docgen generate).")
    ] = Path("results.csv"),
) -> None:
    """Judge raw records with a rule set: results CSV, review report (HTML, CSV) and rejects."""
    from docgen.rules.engine import accounted_rows, write_outputs
    from docgen.rules.engine import determine as run_rules

    day = _parse_date(as_of)

    def body() -> Any:
        result = run_rules(input_path, rules, day, county, mode)
        return result, write_outputs(result, out_path, input_path.name)

    result, paths = _guard(body)
    counts: dict[str, int] = {}
    for d in result.determinations:
        counts[d.outcome] = counts.get(d.outcome, 0) + 1
    out.print(
        f"{input_path.name}: {accounted_rows(result)} rows = {len(result.determinations)} decided"
        f" + {result.context_rows} context rows + {len(result.rejects)} rejected"
        + (f" + {result.blank_rows} blank" if result.blank_rows else "")
        + ". "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + f". Results: {paths.results}; review: {paths.review_html}, {paths.review_csv};"
        f" rejects: {paths.rejects}",
        highlight=False,
        soft_wrap=True,
    )


# ---- docgen petition: one person's own motion (pro se or by a legal-aid lawyer) -----------------

_Field = Annotated[str | None, typer.Option(show_default=False, rich_help_panel="The short form")]
_Signer = Annotated[str | None, typer.Option(show_default=False, rich_help_panel="Who signs")]
_Hearing = Annotated[str | None, typer.Option(show_default=False, rich_help_panel="Hearing")]


@app.command()
def petition(
    input_path: Annotated[
        Path | None,
        typer.Argument(
            help="One person's rows (canonical .csv, .xlsx or .jsonl); or use the short form.",
            show_default=False,
        ),
    ] = None,
    pack: Annotated[str, typer.Option(help="Jurisdiction pack, e.g. il-cook.")] = "il-cook",
    run_date: Annotated[
        str | None,
        typer.Option("--date", help="Date on the documents (YYYY-MM-DD). Default: today."),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for runs.")] = Path("out"),
    formats: Annotated[str, typer.Option("--formats", help="pdf, docx or pdf,docx.")] = "pdf,docx",
    run_id: Annotated[str | None, typer.Option(help="Name of the run folder.")] = None,
    encoding: EncodingOpt = None,
    input_format: FormatOpt = None,
    first_name: _Field = None,
    middle_name: _Field = None,
    last_name: _Field = None,
    name_suffix: _Field = None,
    date_of_birth: _Field = None,
    address_line1: _Field = None,
    address_line2: _Field = None,
    city: _Field = None,
    state: _Field = None,
    postal_code: _Field = None,
    case_number: _Field = None,
    court_division: _Field = None,
    arrest_date: _Field = None,
    arresting_agency: _Field = None,
    statute: _Field = None,
    offense_description: _Field = None,
    offense_class: _Field = None,
    disposition: _Field = None,
    disposition_date: _Field = None,
    phone: _Signer = None,
    email: _Signer = None,
    lawyer: Annotated[
        str | None,
        typer.Option(
            help="A lawyer signing for the petitioner (legal aid); without it: pro se.",
            rich_help_panel="Who signs",
            show_default=False,
        ),
    ] = None,
    organisation: _Signer = None,
    lawyer_address: Annotated[
        list[str] | None,
        typer.Option(
            help="The lawyer's address, one line per use of the option.",
            rich_help_panel="Who signs",
            show_default=False,
        ),
    ] = None,
    lawyer_phone: _Signer = None,
    lawyer_email: _Signer = None,
    attorney_code: _Signer = None,
    hearing_date: _Hearing = None,
    hearing_time: _Hearing = None,
    courtroom: _Hearing = None,
) -> None:
    """An individual's motion to vacate and expunge, order and notice of filing, for one person.

    From a one-person file, or from the short form: --first-name, --last-name, --date-of-birth,
    address, --case-number, --statute, --offense-description, --offense-class, --disposition,
    --disposition-date (one charge). With --lawyer (and --organisation, --lawyer-address, ...)
    the lawyer signs for the petitioner; otherwise the petitioner signs pro se.
    """
    from docgen.petition import PetitionRequest, PetitionSettings, make_petition

    given = dict(locals())
    fields = {
        column: given[column]
        for column in (
            "first_name",
            "middle_name",
            "last_name",
            "name_suffix",
            "date_of_birth",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "case_number",
            "court_division",
            "arrest_date",
            "arresting_agency",
            "statute",
            "offense_description",
            "offense_class",
            "disposition",
            "disposition_date",
        )
        if given[column] is not None
    }
    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    if not chosen or any(f not in ("pdf", "docx") for f in chosen):
        raise typer.BadParameter(
            f"use pdf, docx or pdf,docx (got {formats!r})", param_hint="--formats"
        )
    hearing = None
    if hearing_date:
        try:
            hearing = date.fromisoformat(hearing_date)
        except ValueError:
            raise typer.BadParameter(
                "not a date; use YYYY-MM-DD", param_hint="--hearing-date"
            ) from None
    settings = PetitionSettings(
        phone=phone or "",
        email=email or "",
        lawyer=lawyer or "",
        organisation=organisation or "",
        lawyer_address=tuple(lawyer_address or ()),
        lawyer_phone=lawyer_phone or "",
        lawyer_email=lawyer_email or "",
        attorney_code=attorney_code or "",
        hearing_date=hearing,
        hearing_time=hearing_time or "",
        courtroom=courtroom or "",
    )
    request = PetitionRequest(
        pack_name=pack,
        run_date=_parse_date(run_date),
        out_dir=out_dir,
        settings=settings,
        input_path=input_path,
        fields=fields,
        formats=chosen,
        run_id=run_id,
        encoding=encoding,
        input_format=input_format.value if input_format else None,
    )
    result = _guard(lambda: make_petition(request))
    made = ", ".join(f"{n} {k}" for k, n in sorted(result.documents.items()))
    out.print(
        f"Petition {result.run_id}: {result.input_rows} rows = {result.rows_in_documents} in "
        f"documents + {result.rows_not_eligible} not eligible + {result.rows_needs_review} needs "
        f"review + {result.rows_rejected} rejected; {result.cases} case(s): {made}. "
        f"Output: {result.run_dir}",
        highlight=False,
        soft_wrap=True,
    )
    if not result.accounted:
        err.print("[bold red]Error:[/] the row accounting does not add up; please report this.")
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
