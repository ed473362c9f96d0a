"""An Illinois order directs the agencies that hold the records to expunge them and is served on
the chief legal officer of each arresting agency's unit of local government (20 ILCS 2630/5.2(d)):
the officer ("Corporation Counsel of the City of Chicago") is listed after the service paragraph,
never under "The following agencies shall expunge their records", and `docgen check`
([rules.court_wording]) fails an order that orders an officer to expunge."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from docgen.check.text import flat_text
from docgen.check.wording import content_failures
from docgen.filing_rules import rules_of
from docgen.packs import load_pack
from docgen.plan import viewmodel
from docgen.render.pdf import PdfRenderer
from tests.factories import charge_row, person_of

RUN_DATE = date(2026, 12, 1)
OFFICER = "Corporation Counsel of the City of Chicago"
RULE = (
    "a chief legal officer ordered to expunge records (it is served with the order, it holds none)"
)


def _order_texts(move_officers_up: bool = False) -> list[str]:
    pack = load_pack("il-cook")
    person = person_of([charge_row(arresting_agency="Chicago Police Department")])
    spec = viewmodel.order(pack, person, person.cases[0], RUN_DATE)
    if move_officers_up:  # the order as it was: officers among the agencies ordered to expunge
        spec.context["comply_agencies"] += spec.context["serve_officers"]
        spec.context["serve_officers"] = []
    pdf = PdfRenderer(pack, RUN_DATE).render(spec)
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_order_orders_the_agencies_and_is_served_on_the_officer() -> None:
    whole = flat_text(" ".join(_order_texts()))
    ordered = re.search(r"shall expunge their records.*?(?= 4\. )", whole)
    assert ordered and "Chicago Police Department, 3510 South Michigan" in ordered.group(0)
    assert OFFICER not in ordered.group(0)
    served = whole[whole.index(" 4. The Clerk") :]
    assert (
        "on each agency listed above, on the defendant at the last known address, and on the chief "
        "legal officer of the unit of local government of each arresting agency:" in served
    )
    assert f"{OFFICER}, 121 North LaSalle Street" in served
    failures: list[str] = []
    content_failures(_order_texts(), rules_of(load_pack("il-cook")), "order", failures)
    assert failures == []


def test_an_order_with_no_officer_to_serve_ends_its_service_paragraph() -> None:
    pack = load_pack("il-cook")
    person = person_of([charge_row(arresting_agency="Illinois State Police")])
    spec = viewmodel.order(pack, person, person.cases[0], RUN_DATE)
    assert spec.context["serve_officers"] == []
    assert spec.context["orders"][3].endswith("on the defendant at the last known address.")


def test_check_fails_an_order_that_orders_an_officer_to_expunge() -> None:
    failures: list[str] = []
    texts = _order_texts(move_officers_up=True)
    content_failures(texts, rules_of(load_pack("il-cook")), "order", failures)
    assert any(f.endswith(RULE) for f in failures)
