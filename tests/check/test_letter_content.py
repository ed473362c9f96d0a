"""The notification letters: names in the person's own case, what was asked for each conviction,
how to check one's record, the agencies' end date, contact lines in both languages, and the
address block inside a #10 window, measured in the rendered PDF (docgen.check.letters)."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from docgen.check.letters import letter_failures, window_failures
from docgen.filing_rules import rules_of
from docgen.model import Case, ChargeRow, Person
from docgen.packs import load_pack
from docgen.plan import viewmodel
from docgen.plan.name_case import name_case
from docgen.render.pdf import PdfRenderer

RUN_DATE = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("given", "printed"),
    [
        ("LUKE", "Luke"),
        ("luke", "Luke"),
        ("O'BRIEN", "O'Brien"),
        ("SMITH-JONES", "Smith-Jones"),
        ("MCDONALD", "McDonald"),
        ("MACDONALD", "MacDonald"),
        ("MACHADO", "Machado"),
        ("MACY", "Macy"),
        ("ORTEGA Y GASSET", "Ortega y Gasset"),
        ("JOHN E SMITH", "John E Smith"),
        ("MARÍA JOSÉ", "María José"),
        ("DeShawn", "DeShawn"),
        ("van der Berg", "van der Berg"),
        ("McKenzie-O'Neil", "McKenzie-O'Neil"),
    ],
)
def test_name_case(given: str, printed: str) -> None:
    assert name_case(given) == printed


def test_name_case_particles_and_suffixes_inside_a_name() -> None:
    assert name_case("DE LA CRUZ", inner=True) == "de la Cruz"
    assert name_case("DE LA CRUZ") == "De la Cruz"  # the first word of a name stays capitalised
    assert name_case("VAN", inner=True) == "Van"  # a Vietnamese last name is not a particle
    assert name_case("JOHN SMITH JR.") == "John Smith Jr."
    assert name_case("JOHN SMITH III") == "John Smith III"


def _row(row: int, case: str, determination: str, **extra: object) -> ChargeRow:
    fields: dict[str, object] = {
        "row": row,
        "person_id": "CA-1",
        "last_name": "SKYWALKER",
        "first_name": "LUKE",
        "date_of_birth": date(1980, 1, 2),
        "address_line1": "1 Main St",
        "city": "Los Angeles",
        "state": "CA",
        "postal_code": "90012",
        "case_number": case,
        "statute": "11359 HS",
        "offense_description": "Possession for sale",
        "offense_class": "F",
        "disposition": "Convicted",
        "disposition_date": date(2012, 3, 4),
        "determination": determination,
    }
    fields.update(extra)
    return ChargeRow(**fields)


def _person(rows: list[ChargeRow]) -> Person:
    cases: dict[str, Case] = {}
    for r in rows:
        cases.setdefault(r.case_number, Case(r.case_number, "", [])).charges.append(r)
    return Person(person_id=rows[0].person_id, first=rows[0], cases=list(cases.values()))


def _text(pdf: bytes) -> str:
    import io

    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(p.extract_text() or "" for p in pages).split())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_california_reduction_letter_says_reduce_with_a_relief_column(lang: str) -> None:
    pack = load_pack("ca-los-angeles")
    person = _person([_row(2, "BA123456", "reduce", language=lang)])
    spec = viewmodel.letter(pack, person, person.cases, RUN_DATE)
    view = spec.context
    assert view["greeting"] == ("Dear Luke," if lang == "en" else "Estimado/a Luke:")
    assert view["recipient"][0] == "Luke Skywalker"
    relief = "Reduce to a misdemeanor" if lang == "en" else "Reducir a delito menor"
    assert view["cases"]["rows"][0][-1] == relief
    # Case, year, offense, relief: the one court is named in the sentence over the table.
    assert len(view["cases"]["headers"]) == 4
    words = view["main_point"] + " " + view["cases_intro"]
    assert ("reduce" if lang == "en" else "reduzca") in words
    for wrong in ("clear", "borre", "borrar"):
        assert wrong not in words
    pdf = PdfRenderer(pack, RUN_DATE).render(spec)
    rules = rules_of(pack).letters
    assert rules is not None
    assert letter_failures(pdf, [_text(pdf)], rules, "letter") == []
    # The rule fails a letter that calls a reduction "cleared", and one that shouts the name.
    shouted = _text(pdf).replace("Luke", "LUKE") + " cleared borre"
    failures = letter_failures(pdf, [shouted], rules, "letter")
    assert any("capitals" in f for f in failures)
    assert any("reduction" in f for f in failures)


def test_letter_lists_every_case_with_how_to_check_and_both_languages() -> None:
    pack = load_pack("ca-los-angeles")
    person = _person([_row(2, "BA1", "dismiss_seal"), _row(3, "BA2", "reduce")])
    view = viewmodel.letter(pack, person, person.cases, RUN_DATE).context
    assert [r[0] for r in view["cases"]["rows"]] == ["BA1", "BA2"]
    assert "convictions in 2 cases" in view["main_point"]
    assert "clear or reduce" in view["main_point"]
    assert "(916) 227-3849" in view["check"] and "Record Review" in view["check"]
    assert view["contact_other_languages"] and "En español" in view["contact_other_languages"][0]


def test_illinois_letter_gives_the_day_the_agencies_60_days_end() -> None:
    pack = load_pack("il-cook")
    person = _person(
        [_row(2, "2012-MC1-000001", "vacate_expunge", statute="720 ILCS 550/4(a)", state="IL")]
    )
    view = viewmodel.letter(pack, person, person.cases, RUN_DATE).context
    assert "January 30, 2027" in " ".join(view["meaning"])  # 60 days from December 1, 2026
    signed = viewmodel.letter(
        pack, person, person.cases, RUN_DATE, period_start=date(2026, 12, 3)
    ).context
    assert "February 1, 2027" in " ".join(signed["meaning"])
    assert "(815)\u00a0740-5160" in view["check"] and "Access and Review" in view["check"]


def test_a_six_line_wrapping_address_sits_inside_the_window() -> None:
    pack = load_pack("il-cook")
    rows = [
        _row(
            2,
            "2012-MC1-000001",
            "vacate_expunge",
            statute="720 ILCS 550/4(a)",
            first_name="MAXIMILIANA-JOSEFINA ALEXANDRINA",
            last_name="WOLFESCHLEGELSTEINHAUSEN-BERGERDORFF",
            address_line1="12345 North Martin Luther King Junior Drive Building C",
            address_line2="Apartment 1204, in care of the building manager, rear door by the alley behind",
            city="Chicago",
            state="IL",
            postal_code="60601-1234",
        )
    ]
    person = _person(rows)
    spec = viewmodel.letter(pack, person, person.cases, RUN_DATE)
    pdf = PdfRenderer(pack, RUN_DATE).render(spec)
    rules = rules_of(pack).letters
    assert rules is not None and rules.window_in is not None
    import pypdfium2 as pdfium

    from docgen.check.letters import _lines  # the measured lines of text

    doc = pdfium.PdfDocument(pdf)
    lines = _lines(doc[0])
    doc.close()
    box = rules.window_in
    address = [ln for ln in lines if box.top_in <= ln[1] and ln[3] <= box.top_in + box.height_in
               and ln[0] < box.left_in + box.width_in]  # fmt: skip
    assert window_failures(pdf, box, rules.clear_below_in) == []
    assert len(address) == 6  # the name, both address lines and the city wrap to six lines
    assert window_failures(pdf, box, rules.clear_below_in) == []


def test_window_rule_fails_an_address_block_that_runs_below_the_window() -> None:
    pack = load_pack("il-cook")
    person = _person([_row(2, "2012-MC1-000001", "vacate_expunge", statute="720 ILCS 550/4(a)")])
    pdf = PdfRenderer(pack, RUN_DATE).render(viewmodel.letter(pack, person, person.cases, RUN_DATE))
    rules = rules_of(pack).letters
    assert rules is not None and rules.window_in is not None
    assert window_failures(pdf, rules.window_in, rules.clear_below_in) == []
    # A window that ends 0.45 in higher: the block's last lines now cross or follow its edge.
    short = rules.window_in.model_copy(update={"height_in": rules.window_in.height_in - 0.45})
    failures = window_failures(pdf, short, rules.clear_below_in)
    assert failures and all("window" in f for f in failures)


def test_illinois_letter_for_several_cases_speaks_in_the_plural() -> None:
    pack = load_pack("il-cook")
    il = {"statute": "720 ILCS 550/4(a)", "state": "IL"}
    person = _person(
        [_row(2, "2012-MC1-000001", "vacate_expunge", **il),
         _row(3, "2013-MC1-000002", "vacate_expunge", **il)]
    )  # fmt: skip
    view = viewmodel.letter(pack, person, person.cases, RUN_DATE).context
    meaning = " ".join(view["meaning"])
    assert "the orders, the convictions are vacated" in meaning
    assert "these arrests and convictions" in meaning
    assert "your 2 cannabis cases" in view["main_point"]
    assert view["cases_intro"].startswith("These are the cases")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_california_case_asking_two_reliefs_pairs_each_offense_with_its_relief(lang: str) -> None:
    """One case, three convictions: possession for sale dismissed, possession and transport
    reduced. The letter used to print one row, 'cannabis possession; possessing cannabis for
    sale; selling or transporting cannabis' beside 'Dismiss and seal; Reduce to a misdemeanor',
    which a reader pairs wrongly, and called the three convictions 'your cannabis conviction'."""
    pack = load_pack("ca-los-angeles")
    person = _person(
        [
            _row(2, "BA038701", "reduce", statute="11360(A) HS", language=lang),
            _row(3, "BA038701", "dismiss_seal", statute="11359 HS", language=lang),
            _row(4, "BA038701", "reduce", statute="11357(B) HS", language=lang),
        ]
    )
    view = viewmodel.letter(pack, person, person.cases, RUN_DATE).context
    offenses = {
        "en": (
            "possessing cannabis for sale",
            "cannabis possession; selling or transporting cannabis",
        ),
        "es": (
            "posesión de cannabis para la venta",
            "posesión de cannabis; venta o transporte de cannabis",
        ),
    }[lang]
    reliefs = {
        "en": ("Dismiss and seal", "Reduce to a misdemeanor"),
        "es": ("Anular y sellar", "Reducir a delito menor"),
    }[lang]
    assert view["cases"]["rows"] == [
        ["BA038701", "2012", offenses[0], reliefs[0]],
        ["BA038701", "2012", offenses[1], reliefs[1]],
    ]
    plural = (
        "your cannabis convictions under" if lang == "en" else "sus condenas por cannabis según"
    )
    assert plural in view["main_point"]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("asked", ["reduce", "dismiss_seal"])
def test_california_letter_speaks_only_of_the_relief_it_asks(lang: str, asked: str) -> None:
    """A reduction-only letter said 'a conviction marked for dismissal is dismissed and sealed'
    and 'A dismissed conviction no longer counts against you'; a dismissal-only one spoke of
    'a felony marked for reduction'. Each now says what its own relief does, and `docgen check`
    ([rules.letters] relief) fails a letter that speaks of the other."""
    pack = load_pack("ca-los-angeles")
    person = _person([_row(2, "BA123456", asked, language=lang)])
    spec = viewmodel.letter(pack, person, person.cases, RUN_DATE)
    meaning = " ".join(spec.context["meaning"])
    other = {
        ("reduce", "en"): "dismiss",
        ("reduce", "es"): "anulad",
        ("dismiss_seal", "en"): "reduc",
        ("dismiss_seal", "es"): "reduc",
    }[(asked, lang)]
    assert other not in meaning.lower()
    assert all(item.strip() for item in spec.context["meaning"])
    pdf = PdfRenderer(pack, RUN_DATE).render(spec)
    rules = rules_of(pack).letters
    assert rules is not None
    assert letter_failures(pdf, [_text(pdf)], rules, "letter") == []
    old = {
        "en": "a conviction marked for dismissal is dismissed and sealed, and a felony marked "
        "for reduction becomes a misdemeanor or an infraction.",
        "es": "una condena marcada para anular quedará anulada y sellada, y un delito grave "
        "marcado para reducir pasará a ser un delito menor o una infracción.",
    }[lang]
    failures = letter_failures(pdf, [_text(pdf) + " " + old], rules, "letter")
    assert any(f.startswith("the letter speaks of a") for f in failures), failures


def test_word_letter_keeps_a_long_case_number_on_one_line() -> None:
    """San Joaquin's 'STK-CR-FE-2016-0001234' (1.88 in) broke after '2016-' in the Word letter's
    1.55 in case column (the PDF's pack.css widens it): the Word table's case column now takes
    the width its longest number needs from the offense column."""
    import io
    import zipfile

    from docx.oxml.ns import qn
    from lxml import etree

    from docgen.render.docx import DocxRenderer
    from docgen.render.exhibit_layout import text_width

    pack = load_pack("ca-san-joaquin")
    case = "STK-CR-FE-2016-0001234"
    person = _person([_row(2, case, "dismiss_seal", city="Stockton")])
    spec = viewmodel.letter(pack, person, person.cases, RUN_DATE)
    data = DocxRenderer(pack, RUN_DATE).render(spec)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    table = next(
        t
        for t in root.iter(qn("w:tbl"))
        if t.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}").get(qn("w:val")) == "Cases"
    )
    widths = [int(c.get(qn("w:w"))) / 20 for c in table.iter(qn("w:gridCol"))]
    assert widths[0] >= text_width(case, 12.0) + 8
    assert sum(widths) == (1.55 + 0.5 + 3.25 + 1.7) * 72  # the table keeps its width


@pytest.mark.parametrize("lang", ["en", "es"])
def test_california_signed_letter_puts_a_comma_after_the_year(lang: str) -> None:
    """The letter after signing said "on December 3, 2026 the judge signed" ("el 3 de diciembre
    de 2026 el juez firmó"), the slip `docgen check` already fails in a filing; it now has the
    comma, and [rules.letters] forbidden fails a letter without it."""
    from docgen.judge.letters_signed import _SignedWordingPack

    pack = load_pack("ca-los-angeles")
    person = _person([_row(2, "BA123456", "dismiss_seal", language=lang)])
    signed_on = viewmodel.long_date(date(2026, 12, 3), lang)
    wording = _SignedWordingPack(pack, {"signed_on": signed_on, "signed_dates": [signed_on]})
    spec = viewmodel.letter(
        wording,  # type: ignore[arg-type]
        person,
        person.cases,
        RUN_DATE,
        period_start=date(2026, 12, 3),
    )
    expected = {
        "en": "on December 3, 2026, the judge signed",
        "es": "el 3 de diciembre de 2026, el juez firmó",
    }
    assert expected[lang] in spec.context["main_point"]
    pdf = PdfRenderer(pack, RUN_DATE).render(spec)
    rules = rules_of(pack).letters
    assert rules is not None
    assert letter_failures(pdf, [_text(pdf)], rules, "letter-signed") == []
    old = {
        "en": "on December 3, 2026 the judge signed",
        "es": "el 3 de diciembre de 2026 el juez firmó",
    }
    slipped = _text(pdf).replace(expected[lang], old[lang])
    assert expected[lang] not in slipped
    failures = letter_failures(pdf, [slipped], rules, "letter-signed")
    assert any(f.startswith("a date in a sentence without the comma") for f in failures), failures
    # Two dates joined by "and" / "y" are no slip before the "and".
    joined = {
        "en": "on December 3, 2026 and December 9, 2026, the judge",
        "es": "el 3 de diciembre de 2026 y el 9 de diciembre de 2026, el juez",
    }
    assert letter_failures(pdf, [_text(pdf) + " " + joined[lang]], rules, "letter-signed") == []
