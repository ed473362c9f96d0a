"""A letter names its court once: where all the person's cases are in one court (a pack is one
court), the sentence over the case table names it, in the letter's language, and the table has
no court column; where the cases are in several courts, the table keeps a court column and the
sentence says "the courts". Before signing, after signing and the denial letter; PDF and Word."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from lxml import etree
from pypdf import PdfReader

from docgen.judge.letters_signed import _SignedWordingPack
from docgen.model import Case, Person
from docgen.packs import Pack, available_packs, load_pack
from docgen.plan import viewmodel
from docgen.render.docx import DocxRenderer
from docgen.render.pdf import PdfRenderer
from tests.factories import letter_row

RUN_DATE = date(2026, 12, 1)
OTHER_COURT = "Circuit Court of the Eighteenth Judicial Circuit, DuPage County"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _person(pack: Pack, lang: str, courts: tuple[str, ...]) -> Person:
    cases = []
    for index, court in enumerate(courts):
        row = letter_row(pack, lang, row=2 + index, case_number=f"2004-CR-001234{index}")
        cases.append(Case(row.case_number, "", [row], court=court))
    return Person(person_id="P-1", first=cases[0].charges[0], cases=cases)


def _letter(pack: Pack, lang: str, kind: str, courts: tuple[str, ...]) -> viewmodel.DocumentSpec:
    person = _person(pack, lang, courts)
    if kind == "signed":
        signed_on = viewmodel.long_date(date(2026, 12, 3), lang)
        wording = _SignedWordingPack(pack, {"signed_on": signed_on, "signed_dates": [signed_on]})
        return viewmodel.letter(wording, person, person.cases, RUN_DATE)  # type: ignore[arg-type]
    if kind == "denied":
        wording = _SignedWordingPack(pack, {}, "letter_denied")
        return viewmodel.letter(wording, person, person.cases, RUN_DATE)  # type: ignore[arg-type]
    return viewmodel.letter(pack, person, person.cases, RUN_DATE)


def _court_label(pack: Pack, lang: str) -> str:
    return str(pack.wording(f"letter.{lang}")["court_label"])


@pytest.mark.parametrize("kind", ["letter", "signed", "denied"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("pack_name", available_packs())
def test_one_court_is_named_once_over_a_table_without_a_court_column(
    pack_name: str, lang: str, kind: str
) -> None:
    pack = load_pack(pack_name)
    spec = _letter(pack, lang, kind, ("", ""))  # two cases, both in the pack's court
    cases = spec.context["cases"]
    name = pack.config.court["letter_name"][lang]
    assert name in spec.context["cases_intro"]
    assert len(cases["headers"]) == 4
    assert _court_label(pack, lang) not in cases["headers"]
    assert all(len(row) == 4 for row in cases["rows"])
    assert not cases["court_column"]
    for cell in (cell for row in cases["rows"] for cell in row):
        assert pack.config.court["name"] not in cell and name not in cell


def test_the_spanish_letter_names_the_court_in_spanish() -> None:
    pack = load_pack("il-cook")
    spec = _letter(pack, "es", "letter", ("",))
    assert spec.context["cases_intro"] == (
        "Pedimos al Tribunal de Circuito del Condado de Cook que borre este caso:"
    )
    english = _letter(pack, "en", "letter", ("",))
    assert english.context["cases_intro"] == (
        "This is the case we asked the Circuit Court of Cook County to clear:"
    )


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("pack_name", ["il-cook", "ca-los-angeles"])
def test_cases_in_several_courts_keep_the_court_column(pack_name: str, lang: str) -> None:
    pack = load_pack(pack_name)
    spec = _letter(pack, lang, "letter", ("", OTHER_COURT))
    cases = spec.context["cases"]
    assert cases["court_column"]
    assert len(cases["headers"]) == 5
    assert cases["headers"][1] == _court_label(pack, lang)
    assert [row[1] for row in cases["rows"]] == [pack.config.court["name"], OTHER_COURT]
    assert pack.config.court["letter_name"][lang] not in spec.context["cases_intro"]
    assert ("the courts" if lang == "en" else "a los tribunales") in spec.context["cases_intro"]


def _docx_tables(data: bytes) -> list[list[list[str]]]:
    xml = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return [
        [["".join(cell.itertext()) for cell in tr.iter(f"{W}tc")] for tr in tbl.iter(f"{W}tr")]
        for tbl in xml.iter(f"{W}tbl")
    ]


@pytest.mark.parametrize(
    ("courts", "columns"), [(("", ""), 4), (("", OTHER_COURT), 5)], ids=["one", "several"]
)
def test_pdf_and_word_lay_out_the_court_column_only_for_several_courts(
    courts: tuple[str, ...], columns: int
) -> None:
    pack = load_pack("il-cook")
    spec = _letter(pack, "en", "letter", courts)
    headers = spec.context["cases"]["headers"]
    html = PdfRenderer(pack, RUN_DATE).render_html(spec)
    assert html.count('<th scope="col"') == columns
    pdf = PdfReader(io.BytesIO(PdfRenderer(pack, RUN_DATE).render(spec)))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert ("DuPage County" in text) == (columns == 5)
    assert ("Court Year" in text) == (columns == 5)  # the headers: Case Court Year ...
    word_tables = [t for t in _docx_tables(DocxRenderer(pack, RUN_DATE).render(spec)) if t]
    (case_table,) = [t for t in word_tables if t[0] == headers]
    assert len(case_table) == 1 + len(courts)
    assert all(len(row) == columns for row in case_table)
    if columns == 5:
        assert [row[1] for row in case_table[1:]] == [pack.config.court["name"], OTHER_COURT]
