"""The Word letter's address block sits where the PDF's does, in the #10 window (docs/letters.md):
10 pt on exactly 10.5 pt lines, from 2.15 in down and 1 in from the left, 3.5 in wide. Read from
the DOCX with python-docx, and measured in LibreOffice's rendering of it where soffice is
installed, where a Word letter of two pages also keeps whole sections with its closing."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Emu, Pt
from pypdf import PdfReader

from docgen.check.letters import closing_failures, window_failures
from docgen.filing_rules import rules_of
from docgen.packs import load_pack
from docgen.plan import viewmodel
from docgen.render.docx import DocxRenderer
from tests.factories import charge_row, person_of

RUN_DATE = date(2026, 12, 1)


def _six_line_letter(pack_name: str):
    pack = load_pack(pack_name)
    person = person_of(
        [
            charge_row(
                person_id="P-6",
                last_name="WOLFESCHLEGELSTEINHAUSEN",
                first_name="MAXIMILIANA",
                address_line1="12345 North Martin Luther King Junior Drive Building C",
                address_line2="Apartment 1204, in care of the building manager",
                postal_code="60601-1234",
                case_number="2012-MC1-000001",
                offense_description="POSS CANNABIS",
                disposition="Convicted",
                disposition_date=date(2012, 3, 4),
            )
        ]
    )
    spec = viewmodel.letter(pack, person, person.cases, RUN_DATE)
    return pack, spec, DocxRenderer(pack, RUN_DATE).render(spec)


def _emu_in(value: Emu | int | None) -> float:
    assert value is not None
    return Emu(value).inches


def test_the_word_address_block_is_10_pt_in_the_window_position() -> None:
    _, spec, data = _six_line_letter("il-cook")
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    layout = document.tables[0]  # letterhead over recipient and date
    head = layout.rows[0]
    assert head.height_rule is not None and "EXACT" in str(head.height_rule)
    top_in = _emu_in(section.top_margin) + _emu_in(head.height)
    assert top_in == pytest.approx(2.15, abs=0.005)
    cells = layout.rows[1].cells
    column = next(i for i, c in enumerate(cells) if spec.context["recipient"][0] in c.text)
    cell = cells[column]
    left_in = _emu_in(section.left_margin) + sum(_emu_in(c.width) for c in cells[:column])
    assert left_in == pytest.approx(1.0, abs=0.005)
    assert _emu_in(cell.width) == pytest.approx(3.5, abs=0.01)
    lines = [p for p in cell.paragraphs if p.text.strip()]
    assert [p.text for p in lines] == spec.context["recipient"]
    for paragraph in lines:
        style = paragraph.style
        size = paragraph.runs[0].font.size or style.font.size
        spacing = paragraph.paragraph_format.line_spacing or style.paragraph_format.line_spacing
        rule = (
            paragraph.paragraph_format.line_spacing_rule or style.paragraph_format.line_spacing_rule
        )
        assert size == Pt(10)
        assert spacing == Pt(10.5) and rule == WD_LINE_SPACING.EXACTLY
        assert (
            not paragraph.paragraph_format.space_before and not style.paragraph_format.space_before
        )
    # Six lines of 10.5 pt end above the window box's bottom edge ([rules.letters] window_in).
    window = rules_of(load_pack("il-cook")).letters.window_in
    assert top_in + 6 * 10.5 / 72 <= window.top_in + window.height_in
    assert left_in + _emu_in(cell.width) <= window.left_in + window.width_in


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize("pack_name", ["il-cook", "ca-los-angeles"])
def test_the_word_letter_in_libreoffice_keeps_its_address_in_the_window(
    pack_name: str, tmp_path: Path
) -> None:
    pack, _, data = _six_line_letter(pack_name)
    docx = tmp_path / "letter.docx"
    docx.write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    rules = rules_of(pack).letters
    assert rules is not None and rules.window_in is not None
    pdf = (tmp_path / "letter.pdf").read_bytes()
    assert window_failures(pdf, rules.window_in, rules.clear_below_in) == []
    # On one page, or with whole sections before the closing on the last (keep-with-next).
    texts = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    assert closing_failures(texts, rules.closing, rules.closing_min_lines) == []
