"""DOCX rendering: determinism, literal (escaped, never evaluated) text, Unicode, layout markers."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterator
from datetime import date
from typing import Any

import docx as python_docx
import pytest
from lxml import etree

from docgen.model import Case, ChargeRow, Person
from docgen.packs import Pack, load_pack
from docgen.plan.viewmodel import DocumentSpec, letter, motion, order
from docgen.render.docx import DocxRenderer, docx_text

RUN_DATE = date(2026, 12, 1)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
HOSTILE = "<script>x</script> {{ 7*7 }} & O'Brien"
UNICODE_NAMES = [
    ("Seamus", "O'Brien"),
    ("José", "Núñez-García"),
    ("Minh Khai", "Nguyễn Thị"),
    ("小龍", "李"),
]


def charge(row: int, case_number: str, **overrides: Any) -> ChargeRow:
    values: dict[str, Any] = {
        "row": row,
        "person_id": "P1",
        "last_name": "Doe",
        "first_name": "Jane",
        "date_of_birth": date(1980, 5, 17),
        "address_line1": "1234 West Example Avenue",
        "address_line2": "Apt. 2",
        "city": "Chicago",
        "state": "IL",
        "postal_code": "60612",
        "language": "en",
        "case_number": case_number,
        "arrest_date": date(2012, 3, 4),
        "arresting_agency": "Chicago Police Department",
        "statute": "720 ILCS 550/4(a)",
        "offense_description": "Possession of cannabis, not more than 2.5 grams",
        "offense_class": "Class C misdemeanor",
        "disposition": "Convicted",
        "disposition_date": date(2012, 6, 1),
        "determination": "vacate_expunge",
    }
    values.update(overrides)
    return ChargeRow(**values)


def person(first: str = "Jane", last: str = "Doe", charges: int = 1, **overrides: Any) -> Person:
    """One person with one case of `charges` charges (row numbers 2, 3, ...)."""
    case_number = overrides.pop("case_number", "12CR0000101")
    rows = [
        charge(i + 2, case_number, first_name=first, last_name=last, **overrides)
        for i in range(charges)
    ]
    case = Case(case_number=case_number, court_division="", charges=rows)
    return Person(person_id=rows[0].person_id, first=rows[0], cases=[case])


def specs_for(pack: Pack, who: Person) -> list[DocumentSpec]:
    case = who.cases[0]
    return [
        motion(pack, who, case, RUN_DATE),
        order(pack, who, case, RUN_DATE),
        letter(pack, who, who.cases, RUN_DATE),
    ]


def document_xml(data: bytes, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(part))


def view_strings(value: Any) -> Iterator[str]:
    """Every string a view model holds (the words a document must carry)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from view_strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from view_strings(v)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack("il-cook")


@pytest.fixture(scope="module")
def renderer(pack: Pack) -> DocxRenderer:
    return DocxRenderer(pack, RUN_DATE)


def test_same_input_gives_identical_bytes(pack: Pack) -> None:
    who = person(charges=2)
    for spec in specs_for(pack, who):
        first = DocxRenderer(pack, RUN_DATE).render(spec)
        second = DocxRenderer(pack, RUN_DATE).render(spec)
        assert first == second, spec.kind
        with zipfile.ZipFile(io.BytesIO(first)) as z:
            infos = z.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_core_properties_follow_spec_and_run_date(pack: Pack, renderer: DocxRenderer) -> None:
    spec = motion(pack, person(), person().cases[0], RUN_DATE)
    core = document_xml(renderer.render(spec), "docProps/core.xml")
    text = {el.tag.split("}")[1]: el.text for el in core}
    assert text["title"] == spec.title
    assert text["created"] == text["modified"] == "2026-12-01T00:00:00Z"
    assert text["revision"] == "1"


def test_hostile_name_is_literal_text_and_never_evaluated(
    pack: Pack, renderer: DocxRenderer
) -> None:
    who = person(first="Jane", last=HOSTILE)
    for spec in specs_for(pack, who):
        text = docx_text(renderer.render(spec))
        expected = who.full_name.upper() if spec.kind != "letter" else who.full_name
        assert expected in text, spec.kind
        assert "49" not in text, spec.kind
    # The escaped markup must not have become XML elements either.
    xml = document_xml(renderer.render(motion(pack, who, who.cases[0], RUN_DATE)))
    assert not xml.xpath("//*[local-name()='script']")


def test_control_characters_cannot_corrupt_the_xml(pack: Pack, renderer: DocxRenderer) -> None:
    who = person(last="Doe\x0bBell\x01")
    data = renderer.render(letter(pack, who, who.cases, RUN_DATE))
    assert "Jane DoeBell" in docx_text(data)


@pytest.mark.parametrize(("first", "last"), UNICODE_NAMES)
def test_unicode_names_verbatim(pack: Pack, renderer: DocxRenderer, first: str, last: str) -> None:
    who = person(first=first, last=last)
    for spec in specs_for(pack, who):
        text = docx_text(renderer.render(spec))
        name = who.full_name.upper() if spec.kind != "letter" else who.full_name
        assert name in text, spec.kind
    assert who.full_name in docx_text(renderer.render(specs_for(pack, who)[2]))


def test_every_view_model_string_appears(pack: Pack, renderer: DocxRenderer) -> None:
    who = person(charges=3)
    for spec in specs_for(pack, who):
        text = docx_text(renderer.render(spec))
        context = {k: v for k, v in spec.context.items() if k not in ("lang", "title")}
        strings = [s for s in view_strings(context) if s.strip()]
        assert len(strings) > 20, spec.kind
        missing = [s for s in strings if s not in text]
        assert not missing, (spec.kind, missing)


def test_order_lists_agencies_right_after_the_introducing_item(
    pack: Pack, renderer: DocxRenderer
) -> None:
    who = person()
    spec = order(pack, who, who.cases[0], RUN_DATE)
    lines = docx_text(renderer.render(spec)).splitlines()
    ctx = spec.context
    after = lines.index(ctx["orders"][ctx["agencies_after"] - 1])
    n = len(ctx["comply_agencies"])
    assert lines[after + 1 : after + 1 + n] == ctx["comply_agencies"]
    assert lines[after + 1 + n] == ctx["orders"][ctx["agencies_after"]]


def test_motion_has_an_empty_two_inch_stamp_box_first(pack: Pack, renderer: DocxRenderer) -> None:
    who = person()
    body = document_xml(renderer.render(motion(pack, who, who.cases[0], RUN_DATE))).find(
        f"{{{W}}}body"
    )
    first = body[0]
    assert first.tag == f"{{{W}}}tbl", "the stamp box is the first thing on page 1"
    cells = first.findall(".//w:tc", NS)
    assert len(cells) == 1
    assert "".join(cells[0].itertext()).strip() == ""
    assert first.find("w:tblPr/w:jc", NS).get(f"{{{W}}}val") == "right"
    assert cells[0].find("w:tcPr/w:tcW", NS).get(f"{{{W}}}w") == "2880"  # 2 in
    height = first.find(".//w:trHeight", NS)
    assert (height.get(f"{{{W}}}val"), height.get(f"{{{W}}}hRule")) == ("2880", "exact")


def test_order_has_no_stamp_box_unless_the_pack_asks(pack: Pack, renderer: DocxRenderer) -> None:
    who = person()
    spec = order(pack, who, who.cases[0], RUN_DATE)
    assert spec.context["caption"]["stamp_box"] is False
    body = document_xml(renderer.render(spec)).find(f"{{{W}}}body")
    assert body[0].tag == f"{{{W}}}p"  # the court heading, not a box
    ctx = dict(spec.context, caption=dict(spec.context["caption"], stamp_box=True))
    boxed = dataclasses.replace(spec, context=ctx)
    assert document_xml(renderer.render(boxed)).find(f"{{{W}}}body")[0].tag == f"{{{W}}}tbl"


@pytest.mark.parametrize("kind", ["motion", "order", "letter"])
def test_data_table_header_row_repeats(pack: Pack, renderer: DocxRenderer, kind: str) -> None:
    who = person(charges=2)
    spec = {s.kind: s for s in specs_for(pack, who)}[kind]
    xml = document_xml(renderer.render(spec))
    headers = spec.context["cases" if kind == "letter" else "charges"]["headers"]
    matches = [
        tbl
        for tbl in xml.iter(f"{{{W}}}tbl")
        if "".join(tbl.find("w:tr", NS).itertext()) == "".join(headers)
    ]
    assert len(matches) == 1
    rows = matches[0].findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    expected_rows = 1 if kind == "letter" else 2
    assert len(rows) == 1 + expected_rows


@pytest.mark.parametrize(("lang", "word_lang"), [("en", "en-US"), ("es", "es-US")])
def test_document_language(pack: Pack, renderer: DocxRenderer, lang: str, word_lang: str) -> None:
    who = person(language=lang)
    data = renderer.render(letter(pack, who, who.cases, RUN_DATE))
    styles = document_xml(data, "word/styles.xml")
    lang_el = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang_el.get(f"{{{W}}}val") == word_lang
    core = document_xml(data, "docProps/core.xml")
    assert core.find("{http://purl.org/dc/elements/1.1/}language").text == word_lang


def test_spanish_letter_is_spanish(pack: Pack, renderer: DocxRenderer) -> None:
    who = person(first="José", last="Núñez-García", language="es")
    data = renderer.render(letter(pack, who, who.cases, RUN_DATE))
    text = docx_text(data)
    assert "Atentamente" in text
    assert "1 de diciembre de 2026" in text
    assert "Sincerely" not in text and "December" not in text
    footer = "".join(document_xml(data, "word/footer1.xml").itertext())
    assert "Página" in footer and "Page" not in footer


def test_letter_address_block_sits_in_the_window(pack: Pack, renderer: DocxRenderer) -> None:
    """Row 1 is exactly 1.15 in (2.15 in from the page top with the 1 in margin); the
    recipient column is 3.5 in wide with no cell padding, starting 1 in from the left edge
    (the letter's 0.75 in margin and a 0.25 in spacer column)."""
    who = person()
    xml = document_xml(renderer.render(letter(pack, who, who.cases, RUN_DATE)))
    body = xml.find(f"{{{W}}}body")
    sect = body.find("w:sectPr", NS)
    assert sect.find("w:pgMar", NS).get(f"{{{W}}}top") == "1440"
    top = body[0]
    assert top.tag == f"{{{W}}}tbl"
    rows = top.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:trHeight", NS).get(f"{{{W}}}val") == "1656"  # 1.15 in
    assert rows[0].find("w:trPr/w:trHeight", NS).get(f"{{{W}}}hRule") == "exact"
    spacer, recipient = rows[1].findall("w:tc", NS)[:2]
    left = int(sect.find("w:pgMar", NS).get(f"{{{W}}}left"))
    assert left + int(spacer.find("w:tcPr/w:tcW", NS).get(f"{{{W}}}w")) == 1440  # 1 in
    assert "".join(spacer.itertext()) == ""
    assert recipient.find("w:tcPr/w:tcW", NS).get(f"{{{W}}}w") == "5040"  # 3.5 in
    assert "".join(recipient.itertext()).startswith(who.full_name)
    margins = top.find("w:tblPr/w:tblCellMar", NS)
    assert all(m.get(f"{{{W}}}w") == "0" for m in margins)


def test_unknown_key_in_template_is_a_pack_error(pack: Pack, renderer: DocxRenderer) -> None:
    from docgen.errors import PackError

    who = person()
    spec = motion(pack, who, who.cases[0], RUN_DATE)
    context = {k: v for k, v in spec.context.items() if k != "prayer"}
    broken = dataclasses.replace(spec, context=context)
    with pytest.raises(PackError, match=r"motion\.docx"):
        renderer.render(broken)


def test_case_numbers_have_no_break_point_at_their_hyphens(
    pack: Pack, renderer: DocxRenderer
) -> None:
    # LibreOffice showed the motion's prayer ending a line with "2016-" and starting the next
    # with "MC1-7477698": in Word the case number's hyphens are non-breaking hyphens.
    number = "2016-MC1-7477698"
    who = person(charges=2, case_number=number)
    for spec in specs_for(pack, who):
        if spec.kind not in ("motion", "order"):
            continue
        data = renderer.render(spec)
        root = document_xml(data)
        texts = [t.text or "" for t in root.iter(f"{{{W}}}t")]
        assert not any(number in t for t in texts), spec.kind  # never plain hyphens
        assert root.findall(".//w:noBreakHyphen", NS), spec.kind
        assert docx_text(data).count(number) >= 2, spec.kind  # read back whole, as "-"
        document = python_docx.Document(io.BytesIO(data))
        assert any(number in p.text for p in document.paragraphs), spec.kind
