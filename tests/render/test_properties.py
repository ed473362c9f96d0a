"""Property-based tests (Hypothesis): any valid row set renders and every row is accounted for;
any name in the bundled fonts' scripts comes out verbatim in the PDF text and the DOCX."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

import pypdf
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.model import DETERMINATIONS, Case, ChargeRow, Person
from docgen.packs import load_pack, unprintable
from docgen.plan import viewmodel
from docgen.render.docx import DocxRenderer
from docgen.render.pdf import PdfRenderer
from tests.conftest import run_pipeline

RUN_DATE = date(2026, 12, 1)
# Latin, Latin-1 and Latin Extended-A letters, Vietnamese, and common CJK ideographs: the
# scripts the bundled fonts (Liberation Serif, WenQuanYi Micro Hei) cover.
LETTERS = st.one_of(
    st.characters(min_codepoint=0x41, max_codepoint=0x5A),
    st.characters(min_codepoint=0x61, max_codepoint=0x7A),
    st.characters(min_codepoint=0xC0, max_codepoint=0x17F, categories=("Lu", "Ll")),
    st.characters(min_codepoint=0x1EA0, max_codepoint=0x1EF9),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
)
WORD = st.text(LETTERS, min_size=1, max_size=12)
NAME = st.builds(
    lambda words, joiner: joiner.join(words),
    st.lists(WORD, min_size=1, max_size=3),
    st.sampled_from([" ", "-", "'"]),
).filter(lambda s: not unprintable(s))

HEADER = [
    "person_id",
    "last_name",
    "first_name",
    "date_of_birth",
    "address_line1",
    "city",
    "state",
    "postal_code",
    "case_number",
    "statute",
    "offense_description",
    "offense_class",
    "disposition",
    "disposition_date",
    "determination",
]
ROW = st.fixed_dictionaries(
    {
        "person": st.integers(1, 3),
        "case": st.integers(1, 4),
        "last_name": NAME,
        "first_name": NAME,
        "statute": st.sampled_from(["720 ILCS 550/4(a)", "720 ILCS 550/5(b)", "720 ILCS 570/402"]),
        "determination": st.sampled_from(DETERMINATIONS),
        "address": st.booleans(),
        "year": st.integers(1995, 2019),
    }
)


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for r in rows:
        person = r["person"]
        writer.writerow(
            [
                f"P-{person}",
                r["last_name"],
                r["first_name"],
                f"19{70 + person}-01-0{person}",
                "1 Main St" if r["address"] else "",
                "Chicago",
                "IL",
                "60601",
                f"2010-CR-{person}{r['case']:05d}",
                r["statute"],
                "Possession of cannabis",
                "Class C misdemeanor",
                "Conviction",
                f"{r['year']}-06-01",
                r["determination"],
            ]
        )
    return buffer.getvalue()


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(ROW, min_size=1, max_size=6))
def test_any_row_set_renders_and_every_row_is_accounted_for(rows, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("prop")
    source = folder / "in.csv"
    source.write_text(_csv(rows), encoding="utf-8")
    result = run_pipeline(source, folder / "out", formats=("pdf",))
    assert result.input_rows == len(rows)
    assert result.accounted
    assert result.input_rows == (
        result.rows_in_documents
        + result.rows_not_eligible
        + result.rows_needs_review
        + result.rows_rejected
        + result.rows_automatic
    )
    motions = list(result.run_dir.glob("cases/*/motion.pdf"))
    assert len(motions) == result.cases
    assert (result.rows_in_documents > 0) == (result.cases > 0)


@cache
def _renderers():  # type: ignore[no-untyped-def]
    pack = load_pack("il-cook")
    return pack, PdfRenderer(pack, RUN_DATE), DocxRenderer(pack, RUN_DATE)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@settings(max_examples=20, deadline=None)
@given(first=NAME, last=NAME)
def test_any_name_appears_verbatim_in_pdf_and_docx(first: str, last: str) -> None:
    pack, pdf_renderer, docx_renderer = _renderers()
    charge = ChargeRow(
        row=2,
        person_id="P-1",
        last_name=last,
        first_name=first,
        date_of_birth=date(1980, 1, 2),
        case_number="2010-CR-0000001",
        statute="720 ILCS 550/4(a)",
        offense_description="Possession of cannabis",
        offense_class="Class C misdemeanor",
        disposition="Conviction",
        disposition_date=date(2010, 3, 4),
        determination="vacate_expunge",
    )
    person = Person("P-1", charge, [Case("2010-CR-0000001", "", [charge])])
    spec = viewmodel.motion(pack, person, person.cases[0], RUN_DATE)
    pdf_text = " ".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf_renderer.render(spec))).pages
    )
    doc = Document(io.BytesIO(docx_renderer.render(spec)))
    docx_text = " ".join(p.text for p in doc.paragraphs)
    full = person.full_name
    # Lines may wrap inside a long name: compare without white space.
    assert _squeeze(full) in _squeeze(pdf_text), (full, pdf_text[:400])
    assert full in docx_text or _squeeze(full) in _squeeze(docx_text)


def test_strategy_covers_the_scripts() -> None:
    assert not unprintable("Nguyễn Thị Ánh Łukasz Đặng 李小龍")
    assert Path(__file__).exists()
