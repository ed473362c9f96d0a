"""A letter about one case or two is one sheet, closing included, in every pack and both
languages, before the judge signs and after (signed, denied): what a person opens and what a mail
house pays for. Counted from the rendered PDF. Each case holds two convictions, so the offense and
relief cells hold two entries each, and the case numbers are the court's longest."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.judge.letters_signed import _SignedWordingPack
from docgen.model import Case, Person
from docgen.packs import available_packs, load_pack
from docgen.plan import viewmodel
from docgen.render.docx import DocxRenderer
from docgen.render.pdf import PdfRenderer
from tests.factories import charge_row

RUN_DATE = date(2026, 12, 1)
KINDS = ("letter", "signed", "denied")
# The longest case number of each court's style (the letter never breaks one); packs that list
# examples ([accepts] case_number_examples) give their own.
LONG_CASE_NUMBERS = {
    "ca-san-joaquin": "STK-CR-FE-2016-0001234",
    "ca-sacramento": "16FE012345",
    "ca-contra-costa": "05-123456-7",
}
# Two convictions in the one case, so the offense and relief cells hold two entries each.
CHARGES = {
    "illinois": [
        ("720 ILCS 550/4(a)", "POSS CANNABIS", "vacate_expunge"),
        ("720 ILCS 550/5(a)", "MFG/DEL CANNABIS", "vacate_expunge"),
    ],
    "california-pleading": [
        ("11357(A) HS", "POSSESS MARIJUANA", "dismiss_seal"),
        ("11359 HS", "POSSESS MARIJUANA FOR SALE", "reduce"),
    ],
}


def _one_case_person(pack_name: str, lang: str, cases: int = 1) -> Person:
    pack = load_pack(pack_name)
    examples = pack.config.accepts.case_number_examples if pack.config.accepts else []
    case_number = max(examples, key=len) if examples else LONG_CASE_NUMBERS.get(pack_name)
    case_number = case_number or "BA400000"
    rows = [
        charge_row(
            row=2 + index,
            last_name="HERNANDEZ-OYELARAN",
            first_name="MAXIMILIANA",
            address_line1="12345 North Martin Luther King Junior Drive",
            address_line2="Apartment 1204",
            city="Springfield",
            state=pack.config.pack.state,
            language=lang,
            case_number=case_number,
            statute=statute,
            offense_description=description,
            offense_class="Class A misdemeanor",
            disposition="Convicted",
            disposition_date=date(2008, 3, 4),
            determination=determination,
        )
        for index, (statute, description, determination) in enumerate(
            CHARGES[pack.config.pack.layout]
        )
    ]
    case_list = [Case(case_number, "", rows)]
    for number in range(1, cases):
        # Another case of the same length: the last digit changed.
        other = case_number[:-1] + str((int(case_number[-1]) + number) % 10)
        other_rows = [
            r.model_copy(update={"row": r.row + 10 * number, "case_number": other}) for r in rows
        ]
        case_list.append(Case(other, "", other_rows))
    return Person(person_id="P-1", first=rows[0], cases=case_list)


def _spec(pack_name: str, lang: str, kind: str, cases: int = 1):
    pack = load_pack(pack_name)
    person = _one_case_person(pack_name, lang, cases)
    if kind == "signed":  # as `docgen letters --signed-only` words it (docgen/judge/letters_signed)
        signed_on = viewmodel.long_date(date(2026, 12, 3), lang)
        wording = _SignedWordingPack(pack, {"signed_on": signed_on, "signed_dates": [signed_on]})
        return viewmodel.letter(
            wording,  # type: ignore[arg-type]
            person,
            person.cases,
            RUN_DATE,
            period_start=date(2026, 12, 3),
        )
    if kind == "denied":
        wording = _SignedWordingPack(pack, {}, "letter_denied")
        return viewmodel.letter(wording, person, person.cases, RUN_DATE)  # type: ignore[arg-type]
    return viewmodel.letter(pack, person, person.cases, RUN_DATE)


@pytest.mark.parametrize("cases", [1, 2])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("pack_name", available_packs())
def test_a_one_or_two_case_letter_is_one_page(
    pack_name: str, lang: str, kind: str, cases: int
) -> None:
    pack = load_pack(pack_name)
    assert lang in pack.config.pack.languages
    spec = _spec(pack_name, lang, kind, cases)
    pages = PdfReader(io.BytesIO(PdfRenderer(pack, RUN_DATE).render(spec))).pages
    text = pages[0].extract_text() or ""
    assert len(pages) == 1, f"{pack_name} {lang} {kind} {cases} cases: {len(pages)} pages"
    # The whole letter is on it: every case, how to check, whom to call, the closing.
    for part in ("check_title", "contact_title", "closing"):
        assert spec.context[part] in text, part
    assert spec.context["signature"][0] in text
    # A case whose convictions ask for two reliefs has a row for each (offense beside relief).
    assert len({row[0] for row in spec.context["cases"]["rows"]}) == cases
    for row in spec.context["cases"]["rows"]:
        assert row[0] in text


@pytest.fixture(scope="module")
def word_letters_in_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every pack's one-case Word letters (en/es x letter/signed/denied), converted to PDF by
    LibreOffice in one run: name -> <name>.pdf in the returned folder."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    folder = tmp_path_factory.mktemp("word-letters")
    files = []
    for pack_name in available_packs():
        renderer = DocxRenderer(load_pack(pack_name), RUN_DATE)
        for lang in ("en", "es"):
            for kind in KINDS:
                path = folder / f"{pack_name}-{lang}-{kind}.docx"
                path.write_bytes(renderer.render(_spec(pack_name, lang, kind)))
                files.append(str(path))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), *files],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return folder


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("pack_name", available_packs())
def test_a_one_case_word_letter_is_one_page_in_libreoffice(
    word_letters_in_libreoffice: Path, pack_name: str, lang: str, kind: str
) -> None:
    pdf = PdfReader(word_letters_in_libreoffice / f"{pack_name}-{lang}-{kind}.pdf")
    assert len(pdf.pages) == 1, f"{pack_name} {lang} {kind}: {len(pdf.pages)} pages"
    text = " ".join((pdf.pages[0].extract_text() or "").split())
    spec = _spec(pack_name, lang, kind)
    # The closing and the run-in "Questions?" are on it, as in the PDF letter.
    assert f"{spec.context['contact_title']} {spec.context['contact'].split()[0]}" in text
    assert spec.context["closing"] in text and spec.context["signature"][0] in text
