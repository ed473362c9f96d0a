"""Input rows and people for tests that build view models without reading a file: one charge row
with every field a document prints, any of which a test overrides, and a person of such rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from docgen.model import Case, ChargeRow, Person

CHARGE_DEFAULTS: dict[str, Any] = {
    "row": 2,
    "person_id": "P-1",
    "last_name": "Smith",
    "first_name": "John",
    "date_of_birth": date(1980, 1, 2),
    "address_line1": "1 Main St",
    "city": "Chicago",
    "state": "IL",
    "postal_code": "60601",
    "case_number": "2010-MC1-0000001",
    "statute": "720 ILCS 550/4(a)",
    "offense_description": "Possession of cannabis, not more than 2.5 grams",
    "offense_class": "Class C misdemeanor",
    "disposition": "Conviction",
    "disposition_date": date(2010, 3, 4),
    "determination": "vacate_expunge",
}


def charge_row(**fields: Any) -> ChargeRow:
    """A valid charge row: CHARGE_DEFAULTS with `fields` over them."""
    return ChargeRow(**(CHARGE_DEFAULTS | fields))


def person_of(rows: list[ChargeRow]) -> Person:
    """The person of `rows` (their first row's person id), one case per row."""
    return Person(rows[0].person_id, rows[0], [Case(r.case_number, "", [r]) for r in rows])


def letter_row(
    pack: Any, lang: str, *, row: int = 2, case_number: str = "2004-CR-0012345"
) -> ChargeRow:
    """One conviction of a fictional person with an address, fit for the pack's letters (its
    state, a statute and determination of its layout's), in `lang`."""
    illinois = pack.config.pack.layout == "illinois"
    return charge_row(
        row=row,
        last_name="OKAFOR",
        first_name="DANA",
        date_of_birth=date(1980, 4, 2),
        address_line1="4410 W Example Ave",
        state=pack.config.pack.state,
        postal_code="60639",
        language=lang,
        case_number=case_number,
        statute="720 ILCS 550/4(a)" if illinois else "11357 HS",
        offense_description="POSS CANNABIS",
        disposition="Convicted",
        disposition_date=date(2005, 3, 1),
        determination="vacate_expunge" if illinois else "dismiss_seal",
    )
