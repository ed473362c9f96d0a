"""Batch commands: generate, validate, check, synth, packs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from docgen.cli.common import app, err, guard, out, parse_date, title_rows_note
from docgen.cli.options import (
    AsOfOpt,
    CountyOpt,
    EncodingOpt,
    FormatOpt,
    InputArg,
    ModeOpt,
    RulesOpt,
)
from docgen.plural import counted


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
    duplex_letters: Annotated[
        bool,
        typer.Option(
            "--duplex-letters",
            help="Make the letters print file for printing on both sides: a blank back after "
            "each letter of an odd number of pages, so no sheet holds two people's letters. "
            "Without it, the file is marked for one-sided printing.",
        ),
    ] = False,
    rules: RulesOpt = None,
    county: CountyOpt = None,
    as_of: AsOfOpt = None,
    mode: ModeOpt = None,
) -> None:
    """Make the motions, orders, letters, batches, manifest and report for one results file."""
    from docgen.pipeline import FORMATS, RunOptions, run

    input_name = None
    raw = None
    if rules:
        # Raw records: determine into the run folder first (determinations.csv), then generate.
        from docgen.rules.engine import determine_for_run

        input_name = input_path.name
        from docgen.rules.engine import RawAccounting

        input_path, run_id, determined = guard(
            lambda: determine_for_run(
                input_path,
                rules,
                parse_date(as_of),
                county,
                mode,
                out_dir,
                pack,
                parse_date(run_date),
                run_id,
            )
        )
        input_format = None
        raw = RawAccounting.of(determined)

    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise typer.BadParameter(
            f"use pdf, docx or pdf,docx (got {formats!r})", param_hint="--formats"
        )
    options = RunOptions(
        input_path=input_path,
        pack_name=pack,
        run_date=parse_date(run_date),
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
        duplex_letters=duplex_letters,
        strict=strict,
        raw=raw,
    )
    if cluster_output not in ("returned", "shared"):
        raise typer.BadParameter("use returned or shared", param_hint="--cluster-output")
    if "pdf" in chosen:
        from docgen.render.engine import subsetter_warning

        if note := subsetter_warning():
            err.print(f"Warning: {note}", highlight=False)

    def body() -> Any:
        if quiet or not err.is_terminal:
            return run(options)
        from rich.progress import Progress

        from docgen.cli.progress import StageBar, progress_columns

        with Progress(*progress_columns(), console=err, transient=True) as bar:
            return run(options, stage=StageBar(bar))

    result = guard(body)
    # The file index is a temporary SQLite database: closed here, not left to the collector.
    result.files.close()
    out.print(
        f"Run {result.run_id}: {result.input_rows} rows = {result.rows_in_documents} in documents"
        f" + {result.rows_not_eligible} not eligible + {result.rows_needs_review} needs review"
        f" + {result.rows_rejected} rejected"
        + (f" + {result.rows_automatic} automatic expungement" if result.rows_automatic else "")
        + (f" + {result.rows_context} context rows." if result.rows_context else ".")
        + f" {counted(result.cases, 'case')}, {counted(result.letters, 'letter')}, "
        f"{counted(len(result.people_without_address), 'person', 'people')} without address."
        f" Output: {result.run_dir} ({result.seconds:.1f} s)",
        highlight=False,
        soft_wrap=True,
    )
    from docgen.stage_times import summary_line

    if result.stage_times:  # where the time went: shown here only, never in the run's files
        out.print(
            summary_line(result.stage_times, result.documents_reused),
            highlight=False,
            soft_wrap=True,
        )
    if result.title_rows:
        out.print(title_rows_note(result.title_rows), highlight=False)
    if result.rows_rejected:
        out.print(
            f"{counted(result.rows_rejected, 'row')} rejected: see {result.run_dir / 'rejects.csv'}",
            highlight=False,
        )
    if result.agencies_not_in_directory:
        cases = sum(result.agencies_not_in_directory.values())
        out.print(
            "To fix before filing: "
            f"{counted(len(result.agencies_not_in_directory), 'arresting agency', 'arresting agencies')}"
            f" without an address in the pack's agency directory ({counted(cases, 'case')}): see "
            f"{result.run_dir / 'report.html'}",
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
        run_date=parse_date(run_date),
        out_dir=Path("."),
        encoding=encoding,
        input_format=input_format.value if input_format else None,
    )
    result = guard(lambda: validate_input(options))
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
    """Check every court document of a run against its pack's filing rules (pack.toml's rules
    table)."""
    from docgen.check.checker import check_run

    report = guard(lambda: check_run(run_dir))
    for file in report.failed:
        out.print(f"{file.path}: FAIL", highlight=False, soft_wrap=True)
        for failure in file.failures:
            out.print(f"  - {failure}", highlight=False, soft_wrap=True)
    court = [f for f in report.files if not f.letter]
    letters = [f for f in report.files if f.letter]
    court_failed = sum(1 for f in court if not f.ok)
    out.print(
        f"{report.run_dir}: {counted(len(court), 'court document')} checked against the "
        f"{report.pack} rules: {len(court) - court_failed} pass, {court_failed} fail.",
        highlight=False,
        soft_wrap=True,
    )
    if letters:
        letters_failed = sum(1 for f in letters if not f.ok)
        out.print(
            f"{counted(len(letters), 'letter')} checked against the {report.pack} letter rules: "
            f"{len(letters) - letters_failed} pass, {letters_failed} fail.",
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
    pack: Annotated[
        str | None,
        typer.Option(
            help="Write this pack's court's rows (the accepts.synth table of its pack.toml: "
            "case numbers, towns, ZIP codes, streets, police, court divisions), e.g. il-will. "
            "Default: il-cook."
        ),
    ] = None,
) -> None:
    """Write realistic fictional eligibility results, or Illinois raw records (--raw)."""
    from docgen.demo.synth import DEFAULT_PACK, pack_synth, synth_rows, write_csv
    from docgen.errors import PackError
    from docgen.rules.engine import load_rule_set
    from docgen.rules.il_crta.synth import raw_rows

    def body() -> int:
        synth = pack_synth(pack or DEFAULT_PACK)
        raw_state = (
            load_rule_set("il-crta").config.get("rule_set", {}).get("state", "") if raw else ""
        )
        if raw and synth.state != raw_state:
            raise PackError(
                f"--raw writes {raw_state} raw records (for --rules il-crta); pack "
                f"{pack} is a {synth.state} court: leave out --raw for its eligibility results, "
                "or see docs/determine.md for the raw records its rule set reads"
            )
        if raw:
            from docgen.rules.il_crta.records import RAW_COLUMN_ORDER

            rows = raw_rows(cases, seed, synth)
            columns: tuple[str, ...] = RAW_COLUMN_ORDER
        else:
            from docgen.model import ALL_COLUMNS

            rows = synth_rows(cases, seed, synth)
            columns = ALL_COLUMNS
        output.parent.mkdir(parents=True, exist_ok=True)
        write_csv(rows, output, columns)
        return len(rows)

    count = guard(body)
    kind = "raw record row" if raw else "row"
    out.print(
        f"Wrote {counted(count, kind)} for {counted(cases, 'case')} to {output}", highlight=False
    )


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
            lines.append(f"    accepts: {p.accepts.describe()}")
        return lines

    for line in guard(body):
        out.print(line, highlight=False, markup=False)  # patterns hold "[...]"
