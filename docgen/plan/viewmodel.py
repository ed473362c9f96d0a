"""View models: one plain dict per document, the single source of what it says.

The PDF renderer (HTML templates) and the DOCX renderer (docxtpl templates) both lay out the same
dict, so both formats carry the same words. All wording comes from the pack; this module only
assembles facts from the input and renders the pack's wording strings with them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from babel.dates import format_date

from docgen.model import Case, ChargeRow, Person
from docgen.packs import Pack
from docgen.plan.agency_directory import agency_lines, officer_lines
from docgen.plan.grounds import ground_text
from docgen.plan.name_case import cased_row
from docgen.render.exhibit_layout import per_case_orders

SAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    """One document to render: what it is, where it goes, and its view model."""

    kind: str  # template name: motion, order, letter
    relpath: str  # output path without extension, relative to the run folder
    lang: str
    title: str
    bookmark: str
    context: dict[str, Any]
    rows: tuple[int, ...]
    sort_key: tuple[str, ...] = field(default=())


def safe_stem(value: str) -> str:
    """A file-name-safe, readable stem; a short hash keeps distinct values distinct."""
    cleaned = SAFE_CHARS.sub("_", value).strip("._") or "x"
    if cleaned != value:
        cleaned += "-" + hashlib.sha256(value.encode()).hexdigest()[:6]
    return cleaned[:80]


def long_date(value: date, lang: str) -> str:
    return format_date(value, format="long", locale="es" if lang == "es" else "en_US")


def short_date(value: date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def _common(pack: Pack, run_date: date, lang: str) -> dict[str, Any]:
    cfg = pack.config
    return {
        "office": cfg.office,
        "court": cfg.court,
        "law": cfg.law,
        "date_long": long_date(run_date, lang),
        "date_short": short_date(run_date),
    }


def caption_division(pack: Pack, case: Case) -> str:
    """The division or district a per-case document's caption names ("" when none)."""
    return (case.court_division or pack.config.court["default_division"]).upper()


def _caption(pack: Pack, person: Person, case: Case, stamp_box: bool) -> dict[str, Any]:
    court = pack.config.court
    return {
        "court_lines": list(court["lines"]),
        "division": caption_division(pack, case),
        "plaintiff": court["plaintiff"],
        "plaintiff_role": court["plaintiff_role"],
        "defendant": person.full_name.upper(),
        "defendant_role": court["defendant_role"],
        "case_label": court["case_label"],
        "case_number": case.case_number,
        "stamp_box": stamp_box,
    }


def _charge_table(pack: Pack, charges: list[ChargeRow]) -> dict[str, Any]:
    return {
        "headers": list(pack.config.court["charge_table_headers"]),
        "rows": [
            [
                c.statute,
                c.offense_description,
                c.offense_class,
                f"{c.disposition}, {short_date(c.disposition_date)}",
                ", ".join(x for x in (short_date(c.arrest_date), c.arresting_agency) if x),
            ]
            for c in charges
        ],
    }


def _years_between(earlier: date, later: date) -> int:
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return max(years, 0)


def _agencies(pack: Pack, case: Case, purpose: str) -> list[str]:
    """Agencies to serve (purpose "serve") or ordered to comply ("comply"), as display lines."""
    return agency_lines(pack, case, purpose)


def _unbreakable(pack: Pack, case: Case) -> list[str]:
    """Phrases a layout should keep on one line: the case number and the statute citations."""
    law = pack.config.law
    return [case.case_number, *(str(v) for k, v in law.items() if k.endswith("_statute"))]


def _signature(pack: Pack) -> list[str]:
    office = pack.config.office
    return [
        f"/s/ {office['signer']}",
        f"{office['signer']}, {office['signer_title']}",
        office["name"],
        *office["address_lines"],
        f"Tel. {office['phone']}",
        office["email"],
        f"{office['attorney_code_label']}: {office['attorney_code']}",
    ]


def _case_context(pack: Pack, person: Person, case: Case, run_date: date) -> dict[str, Any]:
    charges = case.charges_with(pack.config.determinations.documents)
    latest = max(c.disposition_date for c in charges)
    ctx = _common(pack, run_date, "en")
    ctx.update(
        defendant=person.full_name,
        case_number=case.case_number,
        charges=charges,
        years_since=_years_between(latest, run_date),
        ground=ground_text(pack, charges),
    )
    return ctx


def case_document(
    kind: str,
    person: Person,
    case: Case,
    title: str,
    view: dict[str, Any],
    charges: list[ChargeRow],
) -> DocumentSpec:
    """A per-case court document: filed under cases/<case>/, bookmarked by case and name."""
    return DocumentSpec(
        kind=kind,
        relpath=f"cases/{safe_stem(case.case_number)}/{kind}",
        lang="en",
        title=title,
        bookmark=f"{case.case_number} — {person.full_name}",
        context=view,
        rows=tuple(c.row for c in charges),
    )


def motion(pack: Pack, person: Person, case: Case, run_date: date) -> DocumentSpec:
    ctx = _case_context(pack, person, case, run_date)
    w = pack.render_wording(pack.wording("motion"), ctx, "motion")
    charges = ctx["charges"]
    view = {
        "lang": "en",
        "title": f"{w['title'].title()}, {case.case_number}",
        "caption": _caption(pack, person, case, bool(pack.config.court.get("stamp_box"))),
        "heading": {"title": w["title"], "subtitle": w["subtitle"]},
        "intro": w["intro"],
        "table_intro": w["table_intro"],
        "charges": _charge_table(pack, charges),
        "paragraphs": w["paragraphs"],
        "prayer": w["prayer"],
        "signature": {"intro": w["submitted"], "lines": _signature(pack), "date": w["dated"]},
        "unbreakable": _unbreakable(pack, case),
        "service": {
            "title": w["service_title"],
            "intro": w["service_intro"],
            "recipients": [*_agencies(pack, case, "serve"), w["service_person"]],
            "note": w["service_note"],
            "signer": f"/s/ {pack.config.office['signer']}",
        },
    }
    return case_document("motion", person, case, view["title"], view, charges)


def order(pack: Pack, person: Person, case: Case, run_date: date) -> DocumentSpec:
    ctx = _case_context(pack, person, case, run_date)
    officers = officer_lines(pack, case)
    ctx["officers"] = officers  # the wording says whether the order is served on any
    w = pack.render_wording(pack.wording("order"), ctx, "order")
    charges = ctx["charges"]
    court = pack.config.court
    office = pack.config.office
    view = {
        "lang": "en",
        "title": f"{w['title'].title()}, {case.case_number}",
        "caption": _caption(pack, person, case, bool(court.get("order_stamp_box", False))),
        "unbreakable": _unbreakable(pack, case),
        "heading": {"title": w["title"], "subtitle": w["subtitle"]},
        "recital": w["recital"],
        "findings": w["findings"],
        "charges": _charge_table(pack, charges),
        "order_intro": w["order_intro"],
        "orders": w["orders"],
        "comply_agencies": _agencies(pack, case, "comply"),
        # The agency list follows the order paragraph that introduces it (the third), the chief
        # legal officers served (who hold no records to expunge) the fourth.
        "agencies_after": 3,
        "serve_officers": officers,
        "officers_after": 4,
        "entered": w["entered"],
        # The box a judge marks to deny the order (read back by docgen ingest-signed).
        "denied_mark": w.get("denied_mark", ""),
        "judge": {
            "title": court["judge_title"],
            "number_label": court["judge_number_label"],
            "date_label": "Date",
        },
        "prepared_by": {
            "label": w["prepared_by"],
            "lines": [
                f"{office['signer']}, {office['signer_title']}",
                office["name"],
                *office["address_lines"],
                f"Tel. {office['phone']}",
                f"{office['attorney_code_label']}: {office['attorney_code']}",
            ],
        },
    }
    return case_document("order", person, case, view["title"], view, charges)


def _plain_offense(pack: Pack, statute: str, description: str, lang: str) -> str:
    best = ""
    for prefix in pack.config.plain_offenses:
        if statute.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    if best:
        return pack.config.plain_offenses[best].get(lang, description)
    return description


def _relief_kinds(cases: list[Case], eligible: list[str] | tuple[str, ...]) -> list[str]:
    return sorted({c.determination for case in cases for c in case.charges_with(eligible)})


def _letter_court(pack: Pack, cases: list[Case], lang: str) -> str:
    """The one court all of a letter's cases are in, as the letter names it (the pack's
    `[court] letter_name.<lang>` for its own court), or "" where they are in several."""
    courts = {case.court or pack.config.court["name"] for case in cases}
    if len(courts) != 1:
        return ""
    (court,) = courts
    if court != pack.config.court["name"]:
        return court
    return pack.letter_text("court", "letter_name", lang)


def _order_count(pack: Pack, cases: list[Case]) -> int:
    """How many orders a letter's cases are in: one per case, or one for all where the pack
    files one bulk order for its whole exhibit (Will County: "the order", never "the orders")."""
    if pack.config.pack.filing_mode == "bulk" and not per_case_orders(pack):
        return 1
    return len(cases)


def compliance_end(pack: Pack, start: date) -> date | None:
    """The day the agencies' period (`[law] compliance_days`) ends, counted from `start`."""
    days = pack.config.law.get("compliance_days")
    return start + timedelta(days=int(days)) if days else None


def letter(
    pack: Pack,
    person: Person,
    cases: list[Case],
    run_date: date,
    *,
    period_start: date | None = None,
) -> DocumentSpec:
    """The letter to one person about all their cases. `period_start`: the day the agencies'
    period runs from (the date the judge signed); by default the run's date, the order's date."""
    lang = person.language if person.language in pack.config.pack.languages else "en"
    first = cased_row(person.first)  # "Dear Luke," even where the record says LUKE
    eligible = pack.config.determinations.letters
    ctx = _common(pack, run_date, lang)
    ends = compliance_end(pack, period_start or run_date)
    # Named once in the sentence over the table, which then has no court column; "" (several
    # courts): the wording says "the courts" and each row names its court.
    one_court = _letter_court(pack, cases, lang)
    ctx.update(
        letter_court=one_court,
        first_name=first.first_name,
        cases=cases,
        # The letter's nouns follow the convictions, not only the cases: one case may hold
        # several ("your cannabis convictions", as its motion says).
        convictions=sum(len(case.charges_with(eligible)) for case in cases),
        orders=_order_count(pack, cases),
        relief_kinds=_relief_kinds(cases, eligible),
        order_date=long_date(period_start or run_date, lang),
        compliance_ends=long_date(ends, lang) if ends else "",
        record_check=(pack.config.model_extra or {}).get("record_check", {}).get(lang, {}),
    )
    w = pack.render_wording(pack.wording(f"letter.{lang}"), ctx, f"letter.{lang}")
    office = pack.config.office
    relief_names: dict[str, str] = w["relief_names"]
    rows: list[int] = []
    case_rows = []
    for case in cases:
        charges = case.charges_with(eligible)
        rows.extend(c.row for c in charges)
        # One row per relief asked in the case, so each offense stands beside its own relief
        # ("Dismiss and seal" / "Reduce to a misdemeanor"), never two lists side by side that
        # the reader cannot pair up.
        for kind in sorted({c.determination for c in charges}):
            asked = [c for c in charges if c.determination == kind]
            offenses = sorted(
                {_plain_offense(pack, c.statute, c.offense_description, lang) for c in asked}
            )
            years = sorted({str(c.disposition_date.year) for c in asked})
            row = [case.case_number, case.court or pack.config.court["name"]]
            row += [", ".join(years), "; ".join(offenses), relief_names[kind]]
            case_rows.append(row)
    columns = ["case", "court", "year", "offense", "relief"]
    if one_court:
        columns.remove("court")
        case_rows = [row[:1] + row[2:] for row in case_rows]
    headers = [w[f"{k}_label"] for k in columns]
    other_contacts = [
        pack.render_wording(
            pack.wording(f"letter.{other}")["contact_other_language"],
            ctx | {"first_name": first.first_name},
            f"letter.{other}.contact_other_language",
        )
        for other in pack.config.pack.languages
        if other != lang and "contact_other_language" in pack.wording(f"letter.{other}")
    ]
    city_line = f"{first.city}, {first.state} {first.postal_code}".strip()
    view = {
        "lang": lang,
        "title": w["subject"],
        "letterhead": {
            "name": pack.letter_text("office", "letter_name", lang),
            "address_lines": list(office["address_lines"]),
            "contact": f"{office['letter_phone']} · {office['email']}",
        },
        "date_long": ctx["date_long"],
        "recipient": [
            line
            for line in (
                first.full_name,
                first.address_line1,
                first.address_line2,
                city_line,
            )
            if line
        ],
        "subject": w["subject"],
        "greeting": w["greeting"],
        "main_point": w["main_point"],
        "cases_intro": w["cases_intro"],
        "cases": {
            "headers": headers,
            "rows": case_rows,
            "court_column": not one_court,  # case, court, year, offense, relief; else no court
        },
        "meaning_title": w["meaning_title"],
        # An item the wording leaves empty (about a relief this letter does not ask) is left out.
        "meaning": [item for item in w["meaning"] if item.strip()],
        "check_title": w["check_title"],
        "check": w["check"],
        "contact_title": w["contact_title"],
        "contact": w["contact"],
        "contact_other_languages": other_contacts,
        "closing": w["closing"],
        # The office is the letterhead's first line and the footer's: name and title suffice here.
        "signature": [office["signer"], pack.letter_text("office", "letter_signer_title", lang)],
    }
    return DocumentSpec(
        kind="letter",
        relpath=f"letters/{safe_stem(person.person_id)}",
        lang=lang,
        title=view["title"],
        bookmark=f"{first.postal_code} — {person.full_name}",
        context=view,
        rows=tuple(rows),
        sort_key=(first.postal_code, first.last_name, first.first_name, person.person_id),
    )
