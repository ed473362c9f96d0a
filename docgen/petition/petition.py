"""Individual and legal-aid petitions: one person's motion, order and notice of filing.

People with records the State's Attorney does not file for petition the court themselves, often
through legal aid. They file the same Illinois motion and order, with the person as petitioner
(the PEOPLE v. NAME caption stays), signed by the petitioner pro se or by their lawyer, plus a
notice of filing to the State's Attorney, the State Police and the arresting agency. Every word
is pack data: `[petition_motion]`, `[petition_order]` and `[notice_of_filing]` (the Illinois
packs share them in templates/_layouts/illinois/wording.toml).

Flow: the short form (CLI flags or the service's form) becomes a one-row canonical CSV, or a
one-person CSV is given; both go through the pipeline's own reading and validation, so a bad value
is named by file, row and column (or by its flag), never by its content. Then `plan_petition`
plans per case a motion, an order and a notice of filing, and `pipeline.run` renders and writes
them with the usual manifest and report into out/<run-id>/.

This module runs a petition; the input (settings, short form, checks) is in
docgen.petition.input, the documents and their planner in docgen.petition.documents.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from docgen.errors import InputFileError
from docgen.packs import Pack, load_pack
from docgen.petition.documents import plan_petition
from docgen.petition.input import (
    FLAGS,
    FORM_NAME,
    PetitionError,
    PetitionSettings,
    check_petition,
    flag_of,
    form_file,
)
from docgen.pipeline import RunOptions, RunResult, run, validate_input
from docgen.plan.group import group_charges

# ---------------------------------------------------------------- the run


@dataclass(slots=True)
class PetitionRequest:
    pack_name: str
    run_date: date
    out_dir: Path
    settings: PetitionSettings = field(default_factory=PetitionSettings)
    input_path: Path | None = None  # a one-person CSV/XLSX/JSONL; or
    fields: dict[str, str] = field(default_factory=dict)  # the short form (canonical columns)
    formats: tuple[str, ...] = ("pdf", "docx")
    run_id: str | None = None
    encoding: str | None = None
    input_format: str | None = None
    workers: int | None = 1
    names: str = FLAGS  # how messages name a typed value: FLAGS (CLI) or FIELDS (the form)


def make_petition(request: PetitionRequest) -> RunResult:
    """Check the request, then run the pipeline with the petition planner."""
    if request.input_path is not None and request.fields:
        raise PetitionError("give either a file or the form's fields, not both")
    if request.input_path is None and not request.fields:
        raise PetitionError("give a one-person file or the form's fields (name, case, charge)")
    problems = request.settings.problems(request.names)
    if problems:
        raise PetitionError("the petition cannot be made:", problems)
    pack = load_pack(request.pack_name)
    if "petition_motion" not in (pack.config.model_extra or {}):
        raise PetitionError(
            f"pack {pack.name} has no petition wording ([petition_motion], [petition_order], "
            "[notice_of_filing]): individual petitions are made for the Illinois packs"
        )
    if request.input_path is not None:
        if not request.input_path.exists():
            raise InputFileError(f"{request.input_path}: file not found")
        if not request.input_path.is_file():
            raise InputFileError(f"{request.input_path}: not a file")
        return _run(request, pack, request.input_path, None)
    with form_file(request.fields) as path:
        return _run(request, pack, path, FORM_NAME)


def _run(request: PetitionRequest, pack: Pack, path: Path, input_name: str | None) -> RunResult:

    settings_key = "petition|" + request.settings.digest()
    run_id = request.run_id
    if run_id is None:  # marked as a petition; the same input and options land in the same folder
        digest = hashlib.sha256(path.read_bytes() + settings_key.encode()).hexdigest()
        run_id = f"{request.pack_name}-petition-{request.run_date.isoformat()}-{digest[:10]}"
    options = RunOptions(
        input_path=path,
        pack_name=request.pack_name,
        run_date=request.run_date,
        out_dir=request.out_dir,
        encoding=request.encoding,
        input_format=request.input_format,
        formats=request.formats,
        workers=request.workers,
        run_id=run_id,
        input_name=input_name,
        planner=partial(plan_petition, settings=request.settings),
        settings_key=settings_key,
    )
    validation = validate_input(options, pack)  # a case of another court is refused too
    if input_name is not None:
        validation.file = input_name
    check_petition(
        pack, validation, request.run_date, from_form=input_name is not None, names=request.names
    )
    if request.settings.pro_se:
        person = group_charges(validation.charges, validation.file).people[0]
        if not person.has_address:
            named = partial(flag_of, names=request.names)
            where = (
                f"{FORM_NAME}: {named('address_line1')}, {named('city')}, {named('state')} and "
                f"{named('postal_code')}"
                if input_name
                else f"{validation.file}: columns address_line1, city, state and postal_code"
            )
            raise PetitionError(
                f"{where} are required when the petitioner signs pro se (Rule 131: the signer's "
                f"address); or give {named('lawyer')} and {named('lawyer_address')}"
            )
    return run(options)
