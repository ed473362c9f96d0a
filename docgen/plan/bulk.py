"""Bulk filing: one motion with an Exhibit A listing every eligible conviction, and one order.

Used by packs with `[pack] filing_mode = "bulk"` (California under H&S 11361.9: the District
Attorney files one motion, the presiding judge signs one order covering the whole exhibit; Will
County, Illinois: the State's Attorney's motion to vacate and expunge for every listed case, one
order for the Chief Judge citing the exhibit by page and case number range). What the caption,
signature, service list and order say comes from the pack's wording and `[bulk]` table; the layout
(pleading paper or the Illinois caption) from its templates.

The exhibit must handle tens of thousands of rows, so it is not an HTML table: its rows are laid
out by docgen.render.exhibit_layout and the motion's PDF is drawn and joined by docgen.render.bulk.
This module says what the documents say: the view models of the motion, its exhibit rows and
the order (or one order per case).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from docgen.errors import PackError
from docgen.model import Case, ChargeRow, Person
from docgen.packs import Pack
from docgen.plan.agency_directory import agency_lines, officer_lines
from docgen.plan.grounds import ground_text
from docgen.plan.viewmodel import DocumentSpec, case_document, long_date, short_date
from docgen.render.exhibit_layout import bulk_settings, geometry, paginate, per_case_orders


def exhibit_name(charge: ChargeRow) -> str:
    given = " ".join(p for p in (charge.first_name, charge.middle_name) if p)
    name = f"{charge.last_name}, {given}" if given else charge.last_name
    return f"{name}, {charge.name_suffix}" if charge.name_suffix else name


def bulk_division(pack: Pack) -> str:
    """The division the bulk caption names ("" when none: California's pleading caption)."""
    court = pack.config.court
    return str(court.get("bulk_division", court.get("default_division", ""))).upper()


def _caption(pack: Pack, defendant: str, role: str, case_number: str, title: str) -> dict[str, Any]:
    court = pack.config.court
    return {
        "court_lines": list(court["lines"]),
        # Layouts whose caption names a division or has the clerk's stamp box (Illinois) use these.
        "division": bulk_division(pack),
        "stamp_box": bool(court.get("stamp_box")),
        "plaintiff": court["plaintiff"],
        "plaintiff_role": court["plaintiff_role"],
        "defendant": defendant,
        "defendant_role": role,
        "case_label": court["case_label"],
        "case_number": case_number,
        "title": title,
    }


def _attorney_block(pack: Pack) -> list[str]:
    """The attorney block above the caption (pleading paper); layouts without one have none."""
    office = pack.config.office
    return [
        pack.render_text(line, {"office": office}, "office.attorney_block")
        for line in office.get("attorney_block", [])
    ]


def _common(pack: Pack, run_date: date) -> dict[str, Any]:
    cfg = pack.config
    return {
        "office": cfg.office,
        "court": cfg.court,
        "law": cfg.law,
        "date_long": long_date(run_date, "en"),
        "date_short": short_date(run_date),
    }


# `[bulk] order_exhibit`: "attached" (default): the bulk order carries Exhibit A's pages after its
# own, so an agency served with the order alone has every name; "by_reference": the order only
# incorporates the motion's exhibit (a court that wants it so says so in the pack).
ORDER_EXHIBIT_MODES = ("attached", "by_reference")


def order_exhibit_attached(pack: Pack) -> bool:
    """Whether the bulk order carries Exhibit A (`[bulk] order_exhibit`, default "attached")."""
    mode: str = bulk_settings(pack).get("order_exhibit", "attached")
    if mode not in ORDER_EXHIBIT_MODES:
        raise PackError(
            f"{pack.directory / 'pack.toml'}: [bulk] order_exhibit {mode!r} is not one of "
            f"{', '.join(ORDER_EXHIBIT_MODES)}"
        )
    return mode == "attached"


def _by_name(c: ChargeRow) -> tuple[Any, ...]:
    return (
        c.last_name.casefold(),
        c.first_name.casefold(),
        c.middle_name.casefold(),
        c.date_of_birth,
        c.case_number,
        c.disposition_date,
        c.row,
    )


def _by_case_number(c: ChargeRow) -> tuple[Any, ...]:
    return (c.case_number, *_by_name(c))


# `[bulk] exhibit_order`: by name (California's exhibits), or by case number, so that each page
# of the exhibit covers one range of case numbers an order can cite (Illinois).
EXHIBIT_ORDERS = {"name": _by_name, "case_number": _by_case_number}


def birth_in_filings(pack: Pack, born: date) -> str:
    """A birth date as the pack's filings show it: `[pack] birth_date_in_filings` "full" or
    "year" (Ill. S. Ct. R. 138: no more of a birth date than needed)."""
    return str(born.year) if pack.config.pack.birth_date_in_filings == "year" else short_date(born)


def exhibit_rows(pack: Pack, people: list[Person]) -> list[tuple[str, ...]]:
    """Every conviction that gets relief, sorted by name (or case number), birth date, case, date.

    Each row: number, case number, name, birth, statute, disposition date, relief, input row.
    """
    documents = tuple(pack.config.determinations.documents)
    settings = bulk_settings(pack)
    relief = settings.get("relief_labels", {})
    order = settings.get("exhibit_order", "name")
    if order not in EXHIBIT_ORDERS:
        raise PackError(
            f"{pack.directory / 'pack.toml'}: [bulk] exhibit_order {order!r} is not one of "
            f"{', '.join(EXHIBIT_ORDERS)}"
        )
    sort_key = EXHIBIT_ORDERS[order]
    # Each charge becomes its sort key and its cells at once, as people are read one at a time:
    # the ChargeRows themselves are never all held (a few hundred bytes a row instead of 4 KB).
    keyed = sorted(
        (
            (
                sort_key(c),
                (
                    c.case_number,
                    exhibit_name(c),
                    birth_in_filings(pack, c.date_of_birth),
                    c.statute,
                    short_date(c.disposition_date),
                    relief.get(c.determination, c.determination),
                    str(c.row),
                ),
            )
            for p in people
            for case in p.cases
            for c in case.charges_with(documents)
        ),
        key=lambda keyed_row: keyed_row[0],  # stable: equal keys keep their reading order
    )
    return [(str(i), *cells) for i, (_, cells) in enumerate(keyed, 1)]


def bulk_specs(pack: Pack, people: list[Person], run_date: date) -> list[DocumentSpec]:
    """The bulk motion (with its exhibit rows) and the bulk order."""
    rows = exhibit_rows(pack, people)
    if not rows:
        return []
    settings = bulk_settings(pack)
    labels = settings.get("relief_labels", {})
    documents = tuple(pack.config.determinations.documents)
    counts = {
        "rows": len(rows),
        "people": sum(1 for p in people if any(c.charges_with(documents) for c in p.cases)),
        "cases": len({r[1] for r in rows}),
        "dismiss": sum(1 for r in rows if r[6] == labels.get("dismiss_seal")),
        "reduce": sum(1 for r in rows if r[6] == labels.get("reduce")),
    }
    attach_to_order = order_exhibit_attached(pack)
    charges = [c for p in people for case in p.cases for c in case.charges_with(documents)]
    ctx = _common(pack, run_date) | {
        "counts": counts,
        "exhibit_attached": attach_to_order,
        "ground": ground_text(pack, charges),
        "officers": agencies(pack, charges, "officers"),
    }
    court = pack.config.court
    # Where Exhibit A's pages begin and end, when the order cites them (Illinois).
    page_bounds = (
        exhibit_page_bounds(pack, rows) if settings.get("order_cites_exhibit_pages") else []
    )
    specs = []
    kinds = [("bulk-motion", "bulk_motion")]
    if not per_case_orders(pack):
        kinds.append(("bulk-order", "bulk_order"))
    exhibit_wording: dict[str, Any] = {}  # the motion's: the order attaches the same exhibit
    for kind, section in kinds:
        w = pack.render_wording(pack.wording(section), ctx, section)
        if isinstance(w.get("paragraphs"), list):
            # A paragraph the pack's wording leaves empty (one about zero convictions) is left out.
            w["paragraphs"] = [p for p in w["paragraphs"] if p.strip()]
        if kind == "bulk-motion":
            exhibit_wording = {
                "title": w.get("exhibit_title", ""),
                "cover": w.get("exhibit_cover", ""),
            }
        view = {
            "lang": "en",
            "title": w["footer_title"],
            "attorney": _attorney_block(pack),
            "caption": _caption(
                pack,
                court["bulk_defendants"],
                court["bulk_defendant_role"],
                court.get("bulk_case_number", ""),
                w["title"],
            ),
            "heading": {"title": w["title"], "subtitle": w.get("subtitle", "")},
            "unbreakable": [str(v) for k, v in pack.config.law.items() if k.endswith("_statute")],
            "wording": w,
            "signature": _signature(pack, w),
            # The box a judge marks to deny the order (read back by docgen ingest-signed).
            "denied_mark": w.get("denied_mark", ""),
            "judge": {
                "title": court.get("bulk_judge_title", court["judge_title"]),
                "number_label": court.get("judge_number_label", ""),
                "date_label": "Dated",
            },
            "exhibit": {
                "label": settings["exhibit_label"],
                "title": w.get("exhibit_title", exhibit_wording["title"]),
                "cover": w.get("exhibit_cover", exhibit_wording["cover"]),
                "headers": list(settings["exhibit_headers"]),
                # The Word table's columns (docgen.render.docx_columns), as the PDF's.
                "column_widths_in": list(settings["exhibit_column_widths_in"]),
                "attached": kind == "bulk-motion" or attach_to_order,
            },
        }
        if "service_title" in w:  # a certificate of service in the motion itself (Illinois)
            view["service"] = {
                "title": w["service_title"],
                "intro": w["service_intro"],
                "recipients": [*agencies(pack, charges, "serve"), w["service_person"]],
                "note": w.get("service_note", ""),
                "signer": f"/s/ {pack.config.office['signer']}",
            }
        if "agencies_intro" in w:  # the order lists the agencies that must comply (Illinois)
            view["comply_agencies"] = agencies(pack, charges, "comply")
        if "officers_intro" in w:  # then the chief legal officers it is served on
            view["serve_officers"] = ctx["officers"]
        if "prepared_by_lines" in w:
            view["prepared_by"] = {
                "label": w.get("prepared_by", ""),
                "lines": wording_lines(w["prepared_by_lines"]),
            }
        if view["exhibit"]["attached"]:  # the same rows (one list): memory is not doubled
            view["exhibit_rows"] = rows
            if page_bounds:  # the DOCX exhibit breaks its pages where the PDF's break
                view["exhibit_page_rows"] = [rows[a:b] for a, b in page_bounds]
        if kind == "bulk-order" and page_bounds:
            view["exhibit_pages"] = exhibit_page_index(rows, page_bounds)
        specs.append(
            DocumentSpec(
                kind=kind,
                relpath=f"bulk/{settings['files'][kind]}",
                lang="en",
                title=w["footer_title"],
                bookmark=w["footer_title"],
                context=view,
                rows=tuple(sorted(int(r[7]) for r in rows)),
            )
        )
    return specs


def agencies(pack: Pack, charges: list[ChargeRow], purpose: str) -> list[str]:
    """The pack's agencies to serve ("serve") or ordered to comply ("comply"), then every arresting
    agency of the listed convictions and (served) its chief legal officer, as for a per-case
    motion; "officers": those officers alone."""
    every_case = Case(case_number="", court_division="", charges=charges)
    if purpose == "officers":
        return officer_lines(pack, every_case)
    return agency_lines(pack, every_case, purpose)


def exhibit_page_bounds(pack: Pack, rows: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(first, end) row index of each exhibit page, laid out as the motion's exhibit is."""
    _, pages = paginate(rows, list(bulk_settings(pack)["exhibit_headers"]), geometry(pack))
    bounds, first = [], 0
    for page in pages:
        bounds.append((first, first + len(page)))
        first += len(page)
    return bounds


def exhibit_page_index(
    rows: list[tuple[str, ...]], bounds: list[tuple[int, int]]
) -> list[dict[str, str]]:
    """Per exhibit page: its number, its rows and its first and last case numbers, so an order
    can cite the exhibit by page and range."""
    return [
        {
            "page": str(number),
            "rows": f"{rows[first][0]}\u2013{rows[end - 1][0]}",
            "first_case": rows[first][1],
            "last_case": rows[end - 1][1],
        }
        for number, (first, end) in enumerate(bounds, 1)
    ]


def wording_lines(values: list[str]) -> list[str]:
    """Rendered wording lines as printed lines: a value may hold several (an address joined with
    newlines) or none (a line for a field the office left empty)."""
    return [part.strip() for value in values for part in value.split("\n") if part.strip()]


def _signature(pack: Pack, w: dict[str, Any]) -> dict[str, Any]:
    office = pack.config.office
    if "signature" in w:  # the wording's own signature lines (Illinois: /s/, office, code)
        return {"dated": w.get("dated", ""), "lines": wording_lines(w["signature"])}
    if "bar_number" not in office:  # nothing for the attorney to sign here (an Illinois order)
        return {"dated": w.get("dated", ""), "lines": []}
    return {
        "dated": w.get("dated", ""),
        "lines": [
            f"/s/ {office['signer']}",
            f"{office['signer']}, {office['signer_title']}",
            f"State Bar No. {office['bar_number']}",
            office["name"],
        ],
    }


def case_order(pack: Pack, person: Person, case: Any, run_date: date) -> DocumentSpec:
    """A per-case order (pack setting `[bulk] orders = "per_case"`), on pleading paper."""
    documents = tuple(pack.config.determinations.documents)
    relief = bulk_settings(pack)["relief_labels"]
    charges = case.charges_with(documents)
    ctx = _common(pack, run_date) | {
        "defendant": person.full_name,
        "case_number": case.case_number,
        "charges": charges,
    }
    w = pack.render_wording(pack.wording("case_order"), ctx, "case_order")
    court = pack.config.court
    view = {
        "lang": "en",
        "title": w["footer_title"],
        "attorney": _attorney_block(pack),
        "caption": _caption(
            pack, person.full_name.upper(), court["defendant_role"], case.case_number, w["title"]
        ),
        "wording": w,
        "signature": _signature(pack, w),
        "judge": {"title": court["judge_title"], "date_label": "Dated"},
        "charges": {
            "headers": list(bulk_settings(pack)["case_headers"]),
            "rows": [
                [c.statute, short_date(c.disposition_date), relief.get(c.determination, "")]
                for c in charges
            ],
        },
    }
    return case_document("order", person, case, w["footer_title"], view, charges)
