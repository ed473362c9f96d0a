"""`[rules.letters] closing_min_lines`: a letter of several pages never carries its sign-off onto
the last page almost alone (docgen.check.letters.closing_failures), read from the PDF's text."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from docgen.check.letters import closing_failures, letter_failures
from docgen.filing_rules import rules_of
from docgen.model import Person
from docgen.packs import load_pack
from docgen.plan import viewmodel
from docgen.render.pdf import PdfRenderer
from tests.factories import charge_row, person_of
from tests.paths import FIXTURES

RUN_DATE = date(2026, 12, 1)
# The Cook County two-case letter as the layout of 2ef2995 printed it (its golden's page texts):
# page 2 held "Questions?", the contact lines, the Spanish line and the signature.
BEFORE = FIXTURES / "letters" / "two-page-letter-2ef2995.txt"


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _letter_rules(pack_name: str):
    rules = rules_of(load_pack(pack_name)).letters
    assert rules is not None and rules.closing and rules.closing_min_lines > 0
    return rules


@pytest.mark.parametrize("pack_name", ["il-cook", "ca-los-angeles"])
def test_the_rule_fails_the_letter_whose_last_page_held_only_the_sign_off(pack_name: str) -> None:
    texts = BEFORE.read_text(encoding="utf-8").split("\n\f\n")
    assert len(texts) == 2 and "Sincerely," in texts[1]
    rules = _letter_rules(pack_name)
    failures = closing_failures(texts, rules.closing, rules.closing_min_lines)
    assert failures == [
        f"page 2: the last page holds 6 lines of text before the closing "
        f"(at least {rules.closing_min_lines}): it carries the sign-off almost alone"
    ]


def test_closing_alone_or_missing() -> None:
    closing = "^(?:Sincerely|Atentamente),"
    body = "\n".join(f"line {n}" for n in range(12))
    assert closing_failures([body, "Sincerely,\nA. Name"], closing, 8)
    assert closing_failures([body, "Two lines\nof text\nAtentamente,\nA. Name"], closing, 8)
    # The closing on page 1 and only the signature on page 2.
    only_signature = closing_failures([body + "\nSincerely,", "A. Name\nTitle"], closing, 8)
    assert only_signature == ["page 2: the last page holds only what follows the closing"]
    assert closing_failures([body, body], closing, 8) == [
        "no closing found ([rules.letters] closing)"
    ]
    # Enough lines before it, or one page: nothing to say.
    assert closing_failures([body, body + "\nSincerely,\nA. Name"], closing, 8) == []
    assert closing_failures(["Sincerely,\nA. Name"], closing, 8) == []


def _many_case_person(lang: str, count: int) -> Person:
    rows = [
        charge_row(
            row=2 + n,
            person_id="P-3",
            last_name="OKAFOR",
            first_name="DANA",
            date_of_birth=date(1980, 4, 2),
            address_line1="4410 W Example Ave",
            postal_code="60639",
            language=lang,
            case_number=f"2004-CR-000123{n}",
            offense_description="POSS CANNABIS",
            disposition="Convicted",
            disposition_date=date(2005, 3, 1),
        )
        for n in range(count)
    ]
    return person_of(rows)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_letter_that_needs_two_pages_carries_whole_sections_with_its_closing(lang: str) -> None:
    pack = load_pack("il-cook")
    # Five cases: since the court is named over the table, three fit on one sheet.
    person = _many_case_person(lang, 5)
    spec = viewmodel.letter(pack, person, person.cases, RUN_DATE)
    pdf = PdfRenderer(pack, RUN_DATE).render(spec)
    texts = _page_texts(pdf)
    assert len(texts) == 2  # five cases do not fit on one sheet
    rules = _letter_rules("il-cook")
    assert closing_failures(texts, rules.closing, rules.closing_min_lines) == []
    assert spec.context["check_title"] in texts[-1]  # "How to check" went with the closing
    assert letter_failures(pdf, texts, rules, "letter") == []
