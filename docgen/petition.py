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
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from docgen import viewmodel
from docgen.bulk import wording_lines
from docgen.errors import DocgenError, RowProblem
from docgen.group import group_charges
from docgen.model import ALL_COLUMNS, Case, Person
from docgen.packs import Pack, load_pack, unprintable
from docgen.pipeline import RunOptions, RunResult, run
from docgen.plan import LazySpecs, Plan, plan_documents
from docgen.validate import ValidationResult
from docgen.viewmodel import DocumentSpec, long_date

FORM_NAME = "petition form"  # how the short form is named in messages, manifest and report
PERSON_ID = "petitioner"  # the short form's person_id (one person, no office id)
MAX_FIELD = 1000
# Canonical columns the short form fills, and the flag (or form field) a user types each into.
FORM_COLUMNS = [c for c in ALL_COLUMNS if c not in ("person_id", "determination", "reason")]


def flag_of(column: str) -> str:
    return "--" + column.replace("_", "-")


class PetitionError(DocgenError):
    """The petition cannot be made; `problems` names each file/row/column (or flag)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        problems = problems or []
        super().__init__("\n  ".join([message, *problems]))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class PetitionSettings:
    """Who signs and when the motion is heard: what the input rows do not say."""

    phone: str = ""  # the petitioner's own, for a pro se signature block
    email: str = ""
    lawyer: str = ""  # a (legal-aid) lawyer signing for the petitioner; empty: pro se
    organisation: str = ""
    lawyer_address: tuple[str, ...] = ()
    lawyer_phone: str = ""
    lawyer_email: str = ""
    attorney_code: str = ""  # the pack's attorney code (Cook County code, ARDC number)
    hearing_date: date | None = None
    hearing_time: str = ""
    courtroom: str = ""

    @property
    def pro_se(self) -> bool:
        return not self.lawyer

    def digest(self) -> str:
        data = asdict(self) | {"hearing_date": str(self.hearing_date or "")}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    def problems(self) -> list[str]:
        """Unusable values, named by flag (never quoted: they may be personal data)."""
        found = []
        for name, value in asdict(self).items():
            values = value if isinstance(value, tuple) else (value,)
            for text in values:
                if isinstance(text, str) and (problem := text_problem(text)):
                    found.append(f"{flag_of(name)}: {problem}")
        if not self.lawyer:
            for name in ("organisation", "lawyer_address", "lawyer_phone", "lawyer_email"):
                if getattr(self, name):
                    found.append(f"{flag_of(name)}: only with --lawyer (a lawyer who signs)")
        elif not self.lawyer_address:
            found.append("--lawyer-address: the lawyer's address is required (Rule 131)")
        return found


def text_problem(text: str) -> str | None:
    """Why a typed value cannot be printed in a filing, or None (same limits as input cells)."""
    if len(text) > MAX_FIELD:
        return f"longer than {MAX_FIELD:,} characters"
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        return "has control characters"
    if any("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" for ch in text):
        return "has bidirectional override characters"
    if missing := unprintable(text):
        return f"has characters the document fonts cannot print ({', '.join(missing[:5])})"
    return None


# ---------------------------------------------------------------- the short form as input


def form_csv(fields: dict[str, str]) -> bytes:
    """The short form's fields (canonical column names) as a one-row canonical CSV."""
    unknown = sorted(set(fields) - set(FORM_COLUMNS))
    if unknown:
        raise PetitionError("unknown petition field(s): " + ", ".join(unknown))
    # Every column, empty when not given: a missing value is then named by its flag
    # ("--statute: ...") like any other bad value, not as a missing column of a temporary file.
    row = {"person_id": PERSON_ID, "determination": "vacate_expunge"}
    row |= {column: (fields.get(column) or "").strip() for column in FORM_COLUMNS}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


@contextmanager
def form_file(fields: dict[str, str]) -> Iterator[Path]:
    """The form as a CSV file readable by its owner only, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="docgen-petition-") as folder:
        path = Path(folder) / "petition.csv"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(form_csv(fields))
        yield path


# ---------------------------------------------------------------- checking the input


def _named(file: str, row: int, reason: str, from_form: bool) -> list[str]:
    """A reject as lines a user can act on: by flag for the form, by file/row/column otherwise.
    Validation's reasons are "column: message" parts joined by "; " and never quote a value."""
    lines = []
    for part in reason.split("; "):
        column, sep, message = part.partition(": ")
        if not (sep and column in ALL_COLUMNS):
            column, message = "", part
        if from_form:
            lines.append(
                f"{FORM_NAME}, {flag_of(column)}: {message}"
                if column
                else f"{FORM_NAME}: {message}"
            )
        else:
            lines.append(str(RowProblem(file, row, column or None, message)))
    return lines


def check_petition(
    pack: Pack, validation: ValidationResult, run_date: date, from_form: bool
) -> None:
    """A petition is one person's, and every row of it must be usable: a motion silently missing a
    charge would ask the court for less than the person needs. Raises PetitionError."""
    plan = plan_documents(pack, validation, run_date)
    problems: list[str] = []
    for reject in plan.rejects:
        problems.extend(_named(validation.file, reject.row, reject.reason, from_form))
    if problems:
        raise PetitionError("the petition cannot be made:", problems)
    first_rows: dict[str, int] = {}  # person_id -> first row (one pass over the stored rows)
    for charge in validation.charges:
        first_rows[charge.person_id] = min(charge.row, first_rows.get(charge.person_id, charge.row))
    people = set(first_rows)
    if len(people) > 1:
        rows = ", ".join(str(r) for r in sorted(first_rows.values()))
        raise PetitionError(
            f"{validation.file}: a petition is for one person; this file has {len(people)} "
            f"person_id values (first rows {rows}): use `docgen generate` for many people"
        )
    if not plan.rows_in_documents:
        wanted = ", ".join(pack.config.determinations.documents)
        raise PetitionError(
            f"{validation.file}: no row is marked for a motion (column determination: {wanted})"
        )


# ---------------------------------------------------------------- view models


def _contact(person: Person, settings: PetitionSettings) -> dict[str, Any]:
    if not settings.pro_se:
        return {
            "address_lines": list(settings.lawyer_address),
            "phone": settings.lawyer_phone,
            "email": settings.lawyer_email,
        }
    first = person.first
    city_line = f"{first.city}, {first.state} {first.postal_code}".strip(" ,")
    lines = [x for x in (first.address_line1, first.address_line2, city_line) if x]
    return {"address_lines": lines, "phone": settings.phone, "email": settings.email}


def _served(pack: Pack, case: Case, w: dict[str, Any]) -> list[str]:
    """The State's Attorney, the pack's agencies served with petitions, the arresting agencies
    and their chief legal officers."""
    skipped = {
        f"{a.name}, {a.address}" if a.address else a.name
        for a in pack.config.agencies
        if not a.petition
    }
    agencies = [a for a in viewmodel._agencies(pack, case, "serve") if a not in skipped]
    return [w["service_prosecutor"], *agencies]


def _context(
    pack: Pack, person: Person, case: Case, run_date: date, settings: PetitionSettings
) -> dict[str, Any]:
    ctx = viewmodel._case_context(pack, person, case, run_date)
    hearing = settings.hearing_date
    ctx.update(
        petitioner=person.full_name,
        pro_se=settings.pro_se,
        lawyer=settings.lawyer,
        organisation=settings.organisation,
        attorney_code=settings.attorney_code,
        contact=_contact(person, settings),
        hearing={
            "date_long": long_date(hearing, "en") if hearing else "",
            "time": settings.hearing_time,
            "courtroom": settings.courtroom,
        },
    )
    return ctx


def _wording(pack: Pack, section: str, ctx: dict[str, Any]) -> dict[str, Any]:
    return pack.render_wording(pack.wording(section), ctx, section)


def petition_motion(
    pack: Pack, person: Person, case: Case, run_date: date, settings: PetitionSettings
) -> DocumentSpec:
    """The pack's motion with the petitioner moving and signing (same template, motion.html)."""
    spec = viewmodel.motion(pack, person, case, run_date)
    ctx = _context(pack, person, case, run_date, settings)
    w = _wording(pack, "petition_motion", ctx)
    view = dict(spec.context)
    view.update(
        caption=view["caption"] | {"defendant_role": w["defendant_role"]},
        intro=w["intro"],
        table_intro=w["table_intro"],
        paragraphs=w["paragraphs"],
        prayer=w["prayer"],
        signature={
            "intro": w["submitted"],
            "lines": wording_lines(w["signature"]),
            "date": w["dated"],
        },
        service={
            "title": w["service_title"],
            "intro": w["service_intro"],
            "recipients": _served(pack, case, w),
            "note": w["service_note"],
            "signer": w["service_signer"],
        },
    )
    return replace(spec, context=view)


def petition_order(
    pack: Pack, person: Person, case: Case, run_date: date, settings: PetitionSettings
) -> DocumentSpec:
    """The pack's proposed order, reciting the petitioner's motion; "Prepared by" the signer."""
    spec = viewmodel.order(pack, person, case, run_date)
    ctx = _context(pack, person, case, run_date, settings)
    w = _wording(pack, "petition_order", ctx)
    view = dict(spec.context)
    role = pack.wording("petition_motion")["defendant_role"]
    view["caption"] = view["caption"] | {"defendant_role": role}
    # Any order wording the pack words differently for a petition (the recital at least).
    view.update({k: v for k, v in w.items() if k in view and k != "prepared_by"})
    view["prepared_by"] = {
        "label": view["prepared_by"]["label"],
        "lines": wording_lines(w["prepared_by_lines"]),
    }
    return replace(spec, context=view)


def notice_of_filing(
    pack: Pack, person: Person, case: Case, run_date: date, settings: PetitionSettings
) -> DocumentSpec:
    """Notice to the State's Attorney and the agencies that the motion was filed, and when it will
    be heard (blanks when no date was given), with its own certificate of service."""
    motion = petition_motion(pack, person, case, run_date, settings).context
    ctx = _context(pack, person, case, run_date, settings)
    w = _wording(pack, "notice_of_filing", ctx)
    view = {
        "lang": "en",
        "title": f"{w['title'].title()}, {case.case_number}",
        "caption": motion["caption"],
        "heading": {"title": w["title"], "subtitle": w["subtitle"]},
        "unbreakable": motion["unbreakable"],
        "to_label": w["to_label"],
        "recipients": motion["service"]["recipients"],
        "body": w["body"],
        "hearing": w["hearing"],
        "signature": {"lines": motion["signature"]["lines"], "date": motion["signature"]["date"]},
        "service": {
            "title": w["service_title"],
            "text": w["service"],
            "signer": w["service_signer"],
        },
    }
    charges = ctx["charges"]
    return viewmodel.case_document("notice-of-filing", person, case, view["title"], view, charges)


def plan_petition(
    pack: Pack, validation: ValidationResult, run_date: date, settings: PetitionSettings
) -> Plan:
    """The run's accounting as for any run; the documents: per case of the person, the
    petitioner's motion, the order and the notice of filing (no letter: the person files)."""
    plan = plan_documents(pack, validation, run_date)
    rejected = {r.row for r in plan.rejects}
    grouped = group_charges(
        [c for c in validation.charges if c.row not in rejected], validation.file
    )
    documents = tuple(pack.config.determinations.documents)
    specs = LazySpecs()
    builders: list[Callable[..., DocumentSpec]] = [
        petition_motion,
        petition_order,
        notice_of_filing,
    ]
    for person in grouped.people:
        for case in person.cases:
            if case.charges_with(documents):
                for build in builders:
                    specs.defer(build, pack, person, case, run_date, settings)
    plan.specs = specs
    plan.people_without_address = []
    return plan


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


def make_petition(request: PetitionRequest) -> RunResult:
    """Check the request, then run the pipeline with the petition planner."""
    if request.input_path is not None and request.fields:
        raise PetitionError("give either a file or the form's fields, not both")
    if request.input_path is None and not request.fields:
        raise PetitionError("give a one-person file or the form's fields (name, case, charge)")
    problems = request.settings.problems()
    if problems:
        raise PetitionError("the petition cannot be made:", problems)
    pack = load_pack(request.pack_name)
    if "petition_motion" not in (pack.config.model_extra or {}):
        raise PetitionError(
            f"pack {pack.name} has no petition wording ([petition_motion], [petition_order], "
            "[notice_of_filing]): individual petitions are made for the Illinois packs"
        )
    if request.input_path is not None:
        return _run(request, pack, request.input_path, None)
    with form_file(request.fields) as path:
        return _run(request, pack, path, FORM_NAME)


def _run(request: PetitionRequest, pack: Pack, path: Path, input_name: str | None) -> RunResult:
    from docgen.pipeline import validate_input

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
    validation = validate_input(options)
    if input_name is not None:
        validation.file = input_name
    check_petition(pack, validation, request.run_date, from_form=input_name is not None)
    if request.settings.pro_se:
        person = group_charges(validation.charges, validation.file).people[0]
        if not person.has_address:
            where = (
                f"{FORM_NAME}: --address-line1, --city, --state and --postal-code"
                if input_name
                else f"{validation.file}: columns address_line1, city, state and postal_code"
            )
            raise PetitionError(
                f"{where} are required when the petitioner signs pro se (Rule 131: the signer's "
                "address); or give --lawyer and --lawyer-address"
            )
    return run(options)
