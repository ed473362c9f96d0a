"""Letters are plain language: the English letter reads at grade 8 or below (Flesch-Kincaid).

The text measured is what the person reads: the letter's view model (all wording from the pack,
rendered for one case and for several), without the letterhead, address and case table.
"""

from __future__ import annotations

from datetime import date

import pytest
import textstat

from docgen.model import Person
from docgen.packs import available_packs, load_pack
from docgen.plan import viewmodel
from tests.factories import charge_row, person_of

MAX_GRADE = 8.0


def _person(cases: int) -> Person:
    rows = [
        charge_row(
            row=i + 2,
            last_name="Rivera",
            first_name="Ana",
            case_number=f"2010-CR-{i:07d}",
            offense_description="Possession of cannabis",
        )
        for i in range(cases)
    ]
    return person_of(rows)


def letter_text(pack_name: str, cases: int) -> list[str]:
    pack = load_pack(pack_name)
    person = _person(cases)
    ctx = viewmodel.letter(pack, person, person.cases, date(2026, 12, 1)).context
    parts = [
        ctx["greeting"],
        ctx["main_point"],
        ctx["cases_intro"],
        ctx["meaning_title"],
        *ctx["meaning"],
        ctx["check_title"],
        ctx["check"],
        ctx["contact_title"],
        ctx["contact"],
    ]
    # Headings and a trailing colon end a sentence for the formula.
    return [p if p.rstrip().endswith((".", "?", "!")) else p.rstrip(":,") + "." for p in parts]


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


@pytest.mark.parametrize("cases", [1, 3])
@pytest.mark.parametrize("pack_name", [p for p in available_packs() if p.startswith("il-")])
def test_english_letter_is_grade_8_or_below(pack_name: str, cases: int) -> None:
    parts = letter_text(pack_name, cases)
    whole = " ".join(parts)
    assert len(whole.split()) > 100  # the real letter, not a stub
    assert grade(whole) <= MAX_GRADE, f"letter reads at grade {grade(whole)}"
    # And no single long paragraph is much harder than the whole.
    for part in parts:
        if len(part.split()) >= 15:
            assert grade(part) <= MAX_GRADE + 1, (grade(part), part)


def test_the_measure_can_fail() -> None:
    legalese = (
        "Notwithstanding the foregoing, the petitioner's conviction, having been adjudicated "
        "eligible for vacatur pursuant to the applicable statutory provisions, shall be "
        "expunged, and all associated documentation shall be sequestered from public "
        "dissemination by the respective governmental instrumentalities."
    )
    assert grade(legalese) > MAX_GRADE
