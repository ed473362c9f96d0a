"""Exhibit A's table pages drawn by docgen/exhibit_pdf.py: every cell's text is on the page whole
and searchable (CJK names too), the header and "Page X of Y" repeat, the file passes the pack's
filing rules (fonts embedded, margins, font size, PDF/A claim), and equal input gives equal bytes."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from docgen import bulk
from docgen.check import check_pdf, rules_of
from docgen.group import group_charges
from docgen.packs import REPO_ROOT, load_pack
from docgen.render_pdf import PdfRenderer
from tests.conftest import RUN_DATE
from tests.test_california import _charges

PACK = "ca-los-angeles"


def _volumes(n: int, cjk_every: int = 0) -> tuple[list[bulk.Volume], list[tuple[str, ...]]]:
    charges = _charges(n)
    if cjk_every:
        charges = [
            c.model_copy(update={"last_name": "李", "first_name": "小龍"})
            if i % cjk_every == 0
            else c
            for i, c in enumerate(charges)
        ]
    pack = load_pack(PACK)
    spec = bulk.bulk_specs(pack, group_charges(charges, "t").people, RUN_DATE)[0]
    return bulk.render_bulk_motion_pdf(PdfRenderer(pack, RUN_DATE), spec), spec.context[
        "exhibit_rows"
    ]


@pytest.fixture(scope="module")
def drawn() -> tuple[list[bulk.Volume], list[tuple[str, ...]]]:
    return _volumes(120, cjk_every=5)


def _page_texts(data: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def test_every_cell_is_on_its_page_whole_and_searchable(drawn) -> None:
    volumes, rows = drawn
    assert len(volumes) == 1
    pages = _page_texts(volumes[0].data)
    table_pages = [t for t in pages if re.search(r"Page \d+ of \d+", t)]
    assert len(table_pages) >= 2
    words = " ".join(" ".join(t.split()) for t in table_pages)
    assert "李, 小龍" in words  # drawn with the fallback font, extracted through its ToUnicode map
    for row in rows:
        for cell in row[:7]:  # (No., case, name, birth date, code, date, relief); row[7] is input
            for word in cell.split():
                assert word in words, f"{word!r} missing from the exhibit"
    for number, text in enumerate(table_pages, 1):
        assert f"Page {number} of {len(table_pages)}" in text
        assert "Case Number" in text and "Code Section" in text  # the header on every page
        assert "Motion for Relief" in text  # the footer title


def test_exhibit_passes_the_filing_rules(drawn) -> None:
    volumes, _ = drawn
    rules = rules_of(load_pack(PACK))
    assert check_pdf(volumes[0].data, rules, "bulk-motion") == []
    with pikepdf.open(io.BytesIO(volumes[0].data)) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert len(pdf.pages) == volumes[0].pages  # the count passed on is the file's
        last = pdf.pages[-1]
        fonts = last.Resources.Font
        assert {str(f.DescendantFonts[0].Subtype) for f in fonts.values()} == {"/CIDFontType2"}
        for font in fonts.values():
            assert "/FontFile2" in font.DescendantFonts[0].FontDescriptor
            assert "/ToUnicode" in font


def test_equal_input_gives_equal_bytes(drawn) -> None:
    from docgen import exhibit_pdf

    volumes, _ = drawn
    exhibit_pdf._subset_bytes.cache_clear()  # the font subsets are made again, not reused
    again, _ = _volumes(120, cjk_every=5)
    assert [v.data for v in again] == [v.data for v in volumes]


def test_page_size_and_margin_come_from_the_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    toml = packs / PACK / "pack.toml"
    text = toml.read_text().replace(
        "exhibit_page_height_in = 7.0",
        "exhibit_page_height_in = 6.5\nexhibit_margin_in = 1.0",
    )
    toml.write_text(
        text.replace("[0.65, 1.45, 2.7, 1.0, 1.3, 1.1, 1.3]", "[0.6, 1.4, 2.5, 1.0, 1.3, 1.0, 1.2]")
    )
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    volumes, _ = _volumes(30)
    reader = PdfReader(io.BytesIO(volumes[0].data))
    page = reader.pages[-1]
    assert [float(v) for v in page.mediabox] == [0, 0, 792, 612]
    xs: list[float] = []
    page.extract_text(
        visitor_text=lambda t, cm, tm, f, s: xs.append(float(tm[4])) if t.strip() else None
    )
    assert min(xs) == pytest.approx(72.0)  # the title line starts at the 1 in margin


def test_every_drawn_line_stays_inside_its_column(drawn) -> None:
    """Text never runs into the next column: each run ends before its column's padding."""
    from docgen.exhibit_pdf import MARGIN_PT, PAD_X_PT, Fonts

    volumes, _ = drawn
    widths = bulk.geometry(load_pack(PACK)).column_widths_pt
    edges = [MARGIN_PT]
    for w in widths:
        edges.append(edges[-1] + w)
    fonts = Fonts()
    reader = PdfReader(io.BytesIO(volumes[0].data))
    checked = 0
    for page in reader.pages:
        if "Page " not in (page.extract_text() or "") or float(page.mediabox[2]) < 700:
            continue
        runs: list[tuple[float, float, float, str]] = []
        page.extract_text(
            visitor_text=lambda t, cm, tm, f, s, runs=runs: (
                runs.append((float(tm[4]), float(tm[5]), float(s), t)) if t.strip() else None
            )
        )
        for x, y, size, text in runs:
            if size != 12 or y > 540:  # the title line and the footer span the page
                continue
            column = max(i for i, edge in enumerate(edges[:-1]) if edge <= x + 0.01)
            face = "bold" if y > 490 else "regular"  # the header row is bold
            right = x + fonts.width(text.strip(), face, size)
            assert right <= edges[column + 1] - PAD_X_PT + 0.01, (text, column)
            checked += 1
    assert checked > 500
