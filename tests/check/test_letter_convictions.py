"""A letter's nouns follow the convictions it is about, not only its cases: one case with three
convictions is "your cannabis convictions" (its motion and order say "convictions"), and
`docgen check` (`[rules.letters] one_conviction_wording`) fails a letter about several
convictions that speaks of one."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from docgen.check.letters import letter_failures
from docgen.check.text import flat_text
from docgen.filing_rules import rules_of
from docgen.model import Case, Person
from docgen.packs import load_pack
from docgen.plan import viewmodel
from docgen.render.pdf import PdfRenderer
from tests.factories import letter_row, person_of

RUN_DATE = date(2026, 12, 1)


def _letter(lang: str, statutes: list[str]) -> tuple[bytes, list[str]]:
    """The il-cook letter in `lang` about one case holding a conviction under each statute."""
    pack = load_pack("il-cook")
    rows = [
        letter_row(pack, lang, row=2 + i).model_copy(update={"statute": statute})
        for i, statute in enumerate(statutes)
    ]
    person = Person(rows[0].person_id, rows[0], [Case(rows[0].case_number, "", rows)])
    pdf = PdfRenderer(pack, RUN_DATE).render(viewmodel.letter(pack, person, person.cases, RUN_DATE))
    return pdf, [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


SEVERAL = ["720 ILCS 550/4(a)", "720 ILCS 550/4(c)", "720 ILCS 550/5(a)"]


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        (
            "en",
            [
                "to clear your cannabis convictions.",
                "When the judge signs the order, the convictions are vacated",
                "and the records are expunged",
                "leave this arrest and these convictions off job",
                "may still ask about them.",
            ],
        ),
        (
            "es",
            [
                "que borre sus condenas por cannabis.",
                "Cuando el juez firme la orden, las condenas quedarán anuladas",
                "no tendrá que mencionar este arresto ni estas condenas",
                "si el juez firma ese mismo día",
            ],
        ),
    ],
)
def test_one_case_with_three_convictions_is_written_in_the_plural(
    lang: str, says: list[str]
) -> None:
    pdf, texts = _letter(lang, SEVERAL)
    whole = flat_text(" ".join(texts))
    for phrase in says:
        assert phrase in whole
    rules = rules_of(load_pack("il-cook")).letters
    assert rules is not None and rules.one_conviction_wording
    assert letter_failures(pdf, texts, rules, "letter", convictions=3) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_letter_speaking_of_one_conviction_fails_when_it_is_about_several(lang: str) -> None:
    pdf, texts = _letter(lang, SEVERAL[:1])
    whole = flat_text(" ".join(texts))
    assert ("your cannabis conviction." if lang == "en" else "su condena por cannabis.") in whole
    rules = rules_of(load_pack("il-cook")).letters
    assert rules is not None
    assert letter_failures(pdf, texts, rules, "letter", convictions=1) == []
    failures = letter_failures(pdf, texts, rules, "letter", convictions=3)
    assert any("your cannabis conviction" in f for f in failures)
    assert all(f.endswith("in a letter about 3 convictions") for f in failures)


@pytest.mark.parametrize("pack_name", ["il-cook", "il-will"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_telephone_number_is_split_over_two_lines(pack_name: str, lang: str) -> None:
    """The Spanish Cook letter printed "Cabrini Green Legal Aid, (312)" at a line's end and
    "738-2452" on the next; the packs write a number's space as a no-break space."""
    pack = load_pack(pack_name)
    person = person_of([letter_row(pack, lang)])
    pdf = PdfRenderer(pack, RUN_DATE).render(viewmodel.letter(pack, person, person.cases, RUN_DATE))
    texts = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    rules = rules_of(pack).letters
    assert rules is not None
    assert letter_failures(pdf, texts, rules, "letter") == []
    assert not any(re.search(r"\(\d{3}\)\s*\n", text) for text in texts)
    broken = [
        texts[0].replace("(312)\u00a0738", "(312)\n738").replace("(815)\u00a0555", "(815)\n555")
    ]
    assert letter_failures(pdf, broken, rules, "letter") == [
        "page 1: a telephone number broken across two lines"
    ]


@pytest.mark.parametrize(("lang", "says"), [("en", "signs the order,"), ("es", "firme la orden,")])
def test_a_will_letter_about_two_cases_speaks_of_the_one_bulk_order(lang: str, says: str) -> None:
    """Will County files one motion and the Chief Judge signs one order for every case: a
    letter about two cases read "When the judge signs the orders"."""
    pack = load_pack("il-will")
    rows = [
        letter_row(pack, lang, row=2, case_number="2004CM000111"),
        letter_row(pack, lang, row=3, case_number="2006CM000222"),
    ]
    person = person_of(rows)
    spec = viewmodel.letter(pack, person, person.cases, RUN_DATE)
    pdf = PdfRenderer(pack, RUN_DATE).render(spec)
    texts = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    assert says in flat_text(" ".join(texts))
    rules = rules_of(pack).letters
    assert rules is not None
    assert letter_failures(pdf, texts, rules, "letter", convictions=2) == []
    plural = [t.replace("signs the order,", "signs the orders,") for t in texts]
    plural = [t.replace("firme la orden,", "firme las órdenes,") for t in plural]
    (failure,) = letter_failures(pdf, plural, rules, "letter", convictions=2)
    assert failure.startswith('"the orders" in a letter')
    # Cook files one order per case: its letter about two cases says "the orders".
    cook = load_pack("il-cook")
    cook_person = person_of(
        [
            letter_row(cook, lang, row=2),
            letter_row(cook, lang, row=3, case_number="2006-CR-0000222"),
        ]
    )
    view = viewmodel.letter(cook, cook_person, cook_person.cases, RUN_DATE).context
    assert ("signs the orders," if lang == "en" else "firme las órdenes,") in view["meaning"][0]
