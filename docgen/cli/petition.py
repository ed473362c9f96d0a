"""docgen petition: one person's own motion (pro se or by a legal-aid lawyer)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from docgen.cli.common import app, err, guard, out, parse_date
from docgen.cli.options import EncodingOpt, FormatOpt
from docgen.plural import counted

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
    from docgen.petition.input import PetitionSettings
    from docgen.petition.petition import PetitionRequest, make_petition

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
        run_date=parse_date(run_date),
        out_dir=out_dir,
        settings=settings,
        input_path=input_path,
        fields=fields,
        formats=chosen,
        run_id=run_id,
        encoding=encoding,
        input_format=input_format.value if input_format else None,
    )
    result = guard(lambda: make_petition(request))
    made = ", ".join(f"{n} {k}" for k, n in sorted(result.documents.items()))
    out.print(
        f"Petition {result.run_id}: {result.input_rows} rows = {result.rows_in_documents} in "
        f"documents + {result.rows_not_eligible} not eligible + {result.rows_needs_review} needs "
        f"review + {result.rows_rejected} rejected; {counted(result.cases, 'case')}: {made}. "
        f"Output: {result.run_dir}",
        highlight=False,
        soft_wrap=True,
    )
    if not result.accounted:
        err.print("[bold red]Error:[/] the row accounting does not add up; please report this.")
        raise typer.Exit(1)
