"""California packs: gogen results in, pleading-paper bulk motion with Exhibit A and one order out."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from docgen.model import ChargeRow
from docgen.packs import load_pack
from docgen.plan import bulk
from docgen.plan.group import group_charges
from docgen.render import bulk as bulk_render
from docgen.render import exhibit_layout
from tests import paths as test_paths
from tests.conftest import GOGEN_GOLDEN, RUN_DATE, run_pipeline
from tests.pack_edit import set_in_pack
from tests.render.test_accessibility import headerless_tables

FIXTURES = test_paths.FIXTURES / "gogen"
GOLDEN = FIXTURES / "golden.csv"
ADDRESSES = FIXTURES / "addresses.csv"
CA_PACKS = ["ca-los-angeles", "ca-san-francisco"]


@pytest.fixture(scope="session", params=CA_PACKS)
def ca_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    return run_pipeline(
        GOGEN_GOLDEN[request.param],
        tmp_path_factory.mktemp(request.param),
        pack_name=request.param,
        input_format="gogen",
        addresses=ADDRESSES,
    )


def _text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def test_accounting_with_context_rows(ca_run) -> None:
    assert ca_run.accounted
    assert ca_run.input_rows == 50  # every data row of golden.csv
    assert ca_run.rows_context == 18
    assert ca_run.rows_in_documents == 30
    assert (ca_run.rows_not_eligible, ca_run.rows_needs_review, ca_run.rows_rejected) == (1, 1, 0)
    manifest = json.loads((ca_run.run_dir / "manifest.json").read_text())
    assert manifest["accounting"]["context"] == 18
    assert manifest["accounting"]["balanced"]


def test_bulk_files_and_no_per_case_filings(ca_run) -> None:
    paths = {e.path for e in ca_run.files}
    for name in ("bulk/motion-with-exhibit", "bulk/order"):
        assert f"{name}.pdf" in paths and f"{name}.docx" in paths
    assert not any(p.startswith("cases/") for p in paths)
    motion = next(e for e in ca_run.files if e.path == "bulk/motion-with-exhibit.pdf")
    assert len(motion.rows) == 30


def test_pleading_caption_is_not_tagged_as_a_table(ca_run) -> None:
    """The pleading caption is laid out as a table, not tagged as one: Exhibit A's table (with
    its column headers) is the only table a screen reader meets."""
    for name in ("bulk/motion-with-exhibit.pdf", "bulk/order.pdf"):
        assert headerless_tables(ca_run.run_dir / name) == 0, name
        with pikepdf.open(ca_run.run_dir / name) as pdf:  # the title bar shows the title
            assert pdf.Root.ViewerPreferences.DisplayDocTitle, name


def test_exhibit_two_pages_header_page_numbers_bookmarks(ca_run) -> None:
    pdf_path = ca_run.run_dir / "bulk/motion-with-exhibit.pdf"
    pages = _text(pdf_path)
    # Two motion pages, the cover, two table pages: the exhibit's pages, cover included, carry
    # the motion's running page numbers (Cal. Rules of Court 3.1110(c)).
    assert len(pages) == 5
    assert "Page 3 of 5" in pages[2] and "EXHIBIT A" in pages[2]
    exhibit = pages[3:]
    for text in exhibit:  # the table header repeats on every exhibit page
        assert "Case Number" in text and "Code Section" in text
    assert "Page 4 of 5" in exhibit[0] and "Page 5 of 5" in exhibit[1]
    full = "\n".join(pages)
    assert "ABARCA, ALMA M" in full and "11357(A) HS" in full and "Dismiss and seal" in full
    # Needs review and not-eligible convictions are never in a court document.
    assert "BA499001" not in full and "BA499002" not in full
    with pikepdf.open(pdf_path) as pdf:
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
            children = [c.title for item in outline.root for c in item.children]
        assert titles[1] == "EXHIBIT A"
        assert children == ["Rows 1\u201330"]
        assert pdf.open_metadata().pdfa_status == "2B"
        assert pdf.Root.PageMode == "/UseOutlines"


def test_review_list_and_context_in_report(ca_run) -> None:
    html = (ca_run.run_dir / "report.html").read_text()
    assert "Needs review (1)" in html and "BA499001" in html
    assert "18 context rows" in html
    assert ca_run.review[0]["case_number"] == "BA499001"


def test_letters_only_for_people_with_address(ca_run) -> None:
    letters = sorted(e.path for e in ca_run.files if e.kind == "letter")
    assert letters == [
        "letters/G001.docx",
        "letters/G001.pdf",
        "letters/G002.docx",
        "letters/G002.pdf",
    ]
    assert len(ca_run.people_without_address) == 16
    # DOJ records hold names in capitals; the letter greets the person in their own case.
    assert "Estimado/a Bruno:" in _text(ca_run.run_dir / "letters/G002.pdf")[0]


def _baselines(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run on a PDF page."""
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("name", ["bulk/motion-with-exhibit.pdf", "bulk/order.pdf"])
def test_pleading_text_lines_sit_on_line_numbers(ca_run, name: str) -> None:
    reader = PdfReader(str(ca_run.run_dir / name))
    for page in reader.pages[:2]:
        if float(page.mediabox.width) > float(page.mediabox.height):
            continue  # exhibit pages (landscape) have no line numbers
        runs = _baselines(page)
        numbers = {int(t): y for x, y, t in runs if x < 100 and re.fullmatch(r"\d{1,2}", t)}
        assert sorted(numbers) == list(range(1, 29))
        pitch = [numbers[n] - numbers[n + 1] for n in range(1, 28)]
        assert all(abs(p - 24) < 0.01 for p in pitch)
        body = [(y, t) for x, y, t in runs if x >= 100 and y > numbers[28] - 6]
        assert body
        for y, text in body:
            nearest = min(abs(y - ny) for ny in numbers.values())
            assert nearest < 0.5, f"{text!r} is {nearest:.2f} pt off its line"
        first_line = min(numbers.values(), key=lambda y: -y)
        attorney = [t for x, y, t in runs if x >= 100 and abs(y - first_line) < 0.5]
        assert attorney  # line 1 carries the attorney block


def _charges(n: int) -> list[ChargeRow]:
    out = []
    for i in range(n):
        out.append(
            ChargeRow(
                row=i + 2,
                person_id=f"P{i // 2}",
                last_name=f"PERSON{i // 2:05d}",
                first_name="ALEX" if i % 7 else "MARIA GUADALUPE DEL CARMEN ESPERANZA",
                date_of_birth=date(1960 + i // 2 % 30, 1 + i // 2 % 12, 1 + i // 2 % 28),
                case_number=f"BA{100000 + i}",
                statute="11357(A) HS" if i % 2 else "11359 HS",
                offense_description="POSSESS MARIJUANA",
                offense_class="Felony",
                disposition="CONVICTED",
                disposition_date=date(1995, 1 + i % 12, 1 + i % 28),
                determination="reduce" if i % 3 == 0 else "dismiss_seal",
            )
        )
    return out


def test_exhibit_chunks_and_volumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1,200 rows in chunks of 300, with a size limit that forces volumes: pages are numbered
    across chunks and volumes, every row is in exactly one volume, in order."""
    packs = tmp_path / "packs"
    # The whole templates folder: a county pack uses the shared California layout.
    shutil.copytree(test_paths.REPO_ROOT / "templates", packs)
    toml = packs / "ca-los-angeles" / "pack.toml"
    set_in_pack(toml, "bulk", chunk_rows="300")
    set_in_pack(toml, "pack", max_document_bytes="150000")
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    from docgen.render.pdf import PdfRenderer

    pack = load_pack("ca-los-angeles")
    people = group_charges(_charges(1200), "t").people
    spec = bulk.bulk_specs(pack, people, RUN_DATE)[0]
    _head, layout = exhibit_layout.paginate(
        spec.context["exhibit_rows"],
        spec.context["exhibit"]["headers"],
        exhibit_layout.geometry(pack),
    )
    volumes = bulk_render.render_bulk_motion_pdf(PdfRenderer(pack, RUN_DATE), spec)
    assert len(volumes) >= 2
    rows = [r for v in volumes for r in v.rows]
    assert sorted(rows) == list(range(2, 1202))
    numbers = []
    for v in volumes:
        assert len(v.data) <= 150000
        path = tmp_path / f"{Path(v.relpath).name}.pdf"
        path.write_bytes(v.data)
        for text in _text(path):
            if m := re.search(r"Page (\d+) of (\d+)", text):
                numbers.append((int(m[1]), int(m[2])))
    # The motion's 2 pages, then the cover ("Page 3 of N"), then the table pages: one running
    # count across volumes (Cal. Rules of Court 3.1110(c)).
    total = 2 + 1 + len(layout)
    assert numbers == [(i, total) for i in range(3, total + 1)]
    assert volumes[1].relpath.endswith("-vol-02")


def test_wrap_never_exceeds_the_column() -> None:
    for text in ["MARIA GUADALUPE DEL CARMEN ESPERANZA", "2011-CR-000123456789", "", "李小龍 X"]:
        for line in exhibit_layout.wrap(text, 60):
            assert exhibit_layout.text_width(line) <= 60 or len(line) == 1


def test_per_case_orders_is_a_pack_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packs = tmp_path / "packs"
    # The whole templates folder: a county pack uses the shared California layout.
    shutil.copytree(test_paths.REPO_ROOT / "templates", packs)
    set_in_pack(packs / "ca-san-francisco" / "pack.toml", "bulk", orders='"per_case"')
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    result = run_pipeline(
        GOGEN_GOLDEN["ca-san-francisco"],
        tmp_path / "out",
        pack_name="ca-san-francisco",
        input_format="gogen",
        formats=("pdf",),
    )
    paths = {e.path for e in result.files}
    assert "bulk/motion-with-exhibit.pdf" in paths and "bulk/order.pdf" not in paths
    orders = [p for p in paths if p.startswith("cases/") and p.endswith("/order.pdf")]
    assert len(orders) == 30
    assert "batches/orders-for-judge.pdf" in paths
    text = _text(result.run_dir / "cases/BA400000/order.pdf")[0]
    assert "ABARCA" in text and "11357(A) HS" in text


@pytest.mark.parametrize("kind", ["bulk-motion", "bulk-order"])
def test_word_exhibit_has_the_packs_column_widths(kind: str) -> None:
    """San Joaquin sets wider case-number columns ([bulk] exhibit_column_widths_in) than the
    layout's: its Word exhibit has them too, so "STK-CR-MI-2004-1267244" fits on one line as in
    the PDF (the template's 1.45 in broke every case number in two, and the Word exhibit ran to
    8 pages where the PDF has 6)."""
    from docx import Document

    from docgen.render.docx import DocxRenderer

    pack = load_pack("ca-san-joaquin")
    widths_in = exhibit_layout.geometry(pack).column_widths_in
    assert widths_in != tuple(
        bulk.bulk_settings(load_pack("ca-los-angeles"))["exhibit_column_widths_in"]
    )
    charges = [
        c.model_copy(update={"case_number": f"STK-CR-MI-2004-{1267244 + c.row}"})
        for c in _charges(4)
    ]
    people = group_charges(charges, "t").people
    spec = next(s for s in bulk.bulk_specs(pack, people, RUN_DATE) if s.kind == kind)
    document = Document(BytesIO(DocxRenderer(pack, RUN_DATE).render(spec)))
    exhibit = next(t for t in document.tables if len(t.columns) == len(widths_in))
    grid = [round(col.width / 914400, 3) for col in exhibit.columns]
    assert grid == [round(w, 3) for w in widths_in]
    case_column_pt = widths_in[1] * 72 - 2 * 3  # less the cells' 3 pt side padding
    for row in exhibit.rows[1:]:
        case_number = row.cells[1].text
        if case_number.startswith("STK"):
            assert exhibit_layout.text_width(case_number) <= case_column_pt


@pytest.mark.parametrize("kind", ["bulk-motion", "bulk-order"])
def test_word_caption_holds_the_plaintiff_on_one_line(kind: str) -> None:
    """The Word caption's parties box was 3.5 in (252 pt) and "THE PEOPLE OF THE STATE OF
    CALIFORNIA," is 252.3 pt: Word and LibreOffice put "CALIFORNIA," on a line of its own,
    where the PDF (3.68 in) has one line. The box is as wide as the PDF's."""
    from docx import Document

    from docgen.render.docx import DocxRenderer

    pack = load_pack("ca-los-angeles")
    people = group_charges(_charges(2), "t").people
    spec = next(s for s in bulk.bulk_specs(pack, people, RUN_DATE) if s.kind == kind)
    document = Document(BytesIO(DocxRenderer(pack, RUN_DATE).render(spec)))
    caption = document.tables[0]
    plaintiff = caption.rows[0].cells[0].paragraphs[0].text
    assert plaintiff == "THE PEOPLE OF THE STATE OF CALIFORNIA,"
    parties_pt = caption.columns[0].width / 12700
    assert exhibit_layout.text_width(plaintiff) < parties_pt
