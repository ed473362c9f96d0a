"""The judge's side: read a signed batch back (ingest-signed), then letters for signed cases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from docgen.cli.common import app, guard, out, parse_date
from docgen.cli.options import EncodingOpt, FormatOpt
from docgen.plural import counted

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
    from docgen.judge.ingest import ingest_signed as ingest

    when = parse_date(signed_on) if signed_on else None
    report = guard(lambda: ingest(signed_batch, run_dir, when))
    if as_json:
        import json

        out.print_json(json.dumps(report.as_dict()), highlight=False)
    else:
        for line in report.summary_lines():
            out.print(line, highlight=False)
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
    from docgen.judge.letters_signed import make_signed_letters

    if not signed_only:
        raise typer.BadParameter(
            "only --signed-only letters are made here; `generate` makes the first letters",
            param_hint="--signed-only",
        )
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    if not chosen or any(f not in ("pdf", "docx") for f in chosen):
        raise typer.BadParameter("use pdf, docx or pdf,docx", param_hint="--formats")
    when = parse_date(run_date)
    result = guard(
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
        f"{counted(result.letters, 'letter')} for {counted(result.cases_signed, 'signed case')}"
        f" of {counted(result.people_signed, 'person', 'people')} "
        f"({result.people_without_address} without address, no letter); "
        f"{counted(result.cases_left_out, 'case')} denied or not signed yet "
        f"{'is' if result.cases_left_out == 1 else 'are'} not in them. "
        f"{counted(result.letters_denied, 'letter')} about "
        f"{counted(result.cases_denied, 'denied case')}. "
        f"Output: {run_dir / 'letters-signed'}, {run_dir / 'letters-denied'}",
        highlight=False,
        soft_wrap=True,
    )
