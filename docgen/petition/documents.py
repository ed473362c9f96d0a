"""A petition's documents: per case, the petitioner's motion, the order and the notice of filing.

The pack's motion and order templates with the petitioner moving and signing (pro se or by their
lawyer), plus a notice of filing to the State's Attorney and the agencies; every word is pack data
(`[petition_motion]`, `[petition_order]`, `[notice_of_filing]`). `plan_petition` is the planner
`pipeline.run` uses for a petition run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from docgen.model import Case, Person
from docgen.packs import Pack
from docgen.petition.input import PetitionSettings
from docgen.plan import viewmodel
from docgen.plan.admit import Admitted
from docgen.plan.bulk import wording_lines
from docgen.plan.group import StoredGroups, group_charges
from docgen.plan.planner import LazySpecs, Plan, plan_people
from docgen.plan.viewmodel import DocumentSpec, long_date

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
    wording: dict[str, Any] = pack.render_wording(pack.wording(section), ctx, section)
    return wording


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
    ctx["officers"] = spec.context["serve_officers"]  # as the State's order has them
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
    pack: Pack,
    admitted: Admitted,
    people: StoredGroups,
    run_date: date,
    settings: PetitionSettings,
) -> Plan:
    """The run's accounting as for any run; the documents: per case of the person, the
    petitioner's motion, the order and the notice of filing (no letter: the person files)."""
    plan = plan_people(pack, admitted, people, run_date)
    rejected = {r.row for r in plan.rejects}
    validation = admitted.validation
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
