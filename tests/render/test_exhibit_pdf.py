"""Exhibit A's table pages drawn by docgen/render/exhibit_pdf.py: every cell's text is on the page whole
and searchable (CJK names too), the header and "Page X of Y" repeat, the file passes the pack's
filing rules (fonts embedded, margins, font size, PDF/A claim), and equal input gives equal bytes."""

from __future__ import annotations

import collections
import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from docgen.check.checker import check_pdf, rules_of
from docgen.packs import REPO_ROOT, load_pack
from docgen.plan import bulk
from docgen.plan.group import group_charges
from docgen.render import bulk as bulk_render
from docgen.render import exhibit_layout
from docgen.render.pdf import PdfRenderer
from tests.conftest import RUN_DATE
from tests.pack_edit import set_in_pack
from tests.render.test_accessibility import assert_in_order, struct_text
from tests.render.test_california import _charges

PACK = "ca-los-angeles"


def _volumes(n: int, cjk_every: int = 0) -> tuple[list[bulk_render.Volume], list[tuple[str, ...]]]:
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
    return bulk_render.render_bulk_motion_pdf(PdfRenderer(pack, RUN_DATE), spec), spec.context[
        "exhibit_rows"
    ]


@pytest.fixture(scope="module")
def drawn() -> tuple[list[bulk_render.Volume], list[tuple[str, ...]]]:
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
    # The cover and the table pages carry the file's running numbers (CRC 3.1110(c)).
    cover = len(pages) - len(table_pages) + 1
    assert f"Page {cover} of {len(pages)}" in table_pages[0] and "EXHIBIT A" in table_pages[0]
    table_pages = table_pages[1:]
    for number, text in enumerate(table_pages, cover + 1):
        assert f"Page {number} of {len(pages)}" in text
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
    from docgen.render import pdf_fonts

    volumes, _ = drawn
    pdf_fonts._subset_bytes.cache_clear()  # the font subsets are made again, not reused
    again, _ = _volumes(120, cjk_every=5)
    assert [v.data for v in again] == [v.data for v in volumes]


def test_page_size_and_margin_come_from_the_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    toml = packs / PACK / "pack.toml"
    set_in_pack(
        toml,
        "bulk",
        exhibit_page_height_in="6.5",
        exhibit_margin_in="1.0",
        exhibit_column_widths_in="[0.6, 1.4, 2.5, 1.0, 1.3, 1.0, 1.2]",
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
    from docgen.render.exhibit_pdf import MARGIN_PT, PAD_X_PT
    from docgen.render.pdf_fonts import Fonts

    volumes, _ = drawn
    widths = exhibit_layout.geometry(load_pack(PACK)).column_widths_pt
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


# ---------------------------------------------------------------- tags (accessibility)


def _layout(pack_name: str, rows: list[tuple[str, ...]]) -> tuple[list[str], list[list[str]]]:
    """(header cells, data rows) as drawn: each cell's wrapped lines joined by a space."""
    pack = load_pack(pack_name)
    headers = list(exhibit_layout.bulk_settings(pack)["exhibit_headers"])
    head, pages = exhibit_layout.paginate(rows, headers, exhibit_layout.geometry(pack))
    return [" ".join(c) for c in head], [[" ".join(c) for c in r] for page in pages for r in page]


def _page_marks(page: pikepdf.Page) -> tuple[dict[int, str], int]:
    """(text of each MCID on the page, text-showing operators neither in an MCID nor an
    Artifact), read from the content stream through each font's ToUnicode map."""
    unicode: dict[str, dict[int, str]] = {}
    for name, font in page.Resources.Font.items():
        cmap = font.ToUnicode.read_bytes().decode("ascii")
        unicode[str(name)] = {
            int(gid, 16): bytes.fromhex(text).decode("utf-16-be")
            for gid, text in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap)
        }
    texts: dict[int, str] = {}
    last_y: dict[int, float] = {}
    stack: list[tuple[str, int | None]] = []
    font, y, untagged = "", 0.0, 0
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            props = operands[1]
            mcid = (
                int(props.MCID)
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                else None
            )
            stack.append((str(operands[0]), mcid))
            if mcid is not None:
                assert mcid not in texts, f"MCID {mcid} used twice on a page"
                texts[mcid] = ""
        elif op == "BMC":
            stack.append((str(operands[0]), None))
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            font = str(operands[0])
        elif op == "Tm":
            y = float(operands[5])
        elif op in ("Tj", "TJ", "'", '"'):
            mcid = next((m for _, m in reversed(stack) if m is not None), None)
            if mcid is None:
                untagged += not any(tag == "/Artifact" for tag, _ in stack)
                continue
            raw = bytes(operands[0])
            chars = "".join(
                unicode[font][int.from_bytes(raw[i : i + 2], "big")] for i in range(0, len(raw), 2)
            )
            gap = " " if mcid in last_y and last_y[mcid] != y else ""  # a new line of the cell
            texts[mcid] += gap + chars
            last_y[mcid] = y
    assert not stack, "unbalanced marked content"
    return texts, untagged


def _parent_tree(tree: pikepdf.Dictionary) -> dict[int, pikepdf.Object]:
    entries: dict[int, pikepdf.Object] = {}

    def walk(node: pikepdf.Object) -> None:
        nums = node.get("/Nums", [])
        for i in range(0, len(nums), 2):
            assert int(nums[i]) not in entries
            entries[int(nums[i])] = nums[i + 1]
        for kid in node.get("/Kids", []):
            walk(kid)

    walk(tree.ParentTree)
    return entries


def _check_exhibit_tags(data: bytes, head: list[str], expected_rows: list[list[str]]) -> None:
    """The file's last /Table is the exhibit: its rows read the header, then `expected_rows`;
    every MCID on the exhibit pages is referenced once from the ParentTree; nothing untagged."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.StructTreeRoot
        assert pdf.Root.MarkInfo.Marked
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        parent_tree = _parent_tree(tree)
        keys = [int(p.obj.StructParents) for p in pdf.pages]
        assert len(set(keys)) == len(keys)  # the joined parts' keys no longer collide
        assert set(keys) <= set(parent_tree)
        assert int(tree.ParentTreeNextKey) > max(keys)
        for page in pdf.pages:  # the motion's and cover's slots too: each names its own page
            for element in parent_tree[int(page.obj.StructParents)]:
                assert element.Pg.objgen == page.objgen
        document = tree.K[0]
        heading, table = document.K[-2], document.K[-1]
        assert (str(heading.S), str(table.S)) == ("/H2", "/Table")
        exhibit_pages = sorted({pages[cell.Pg.objgen] for tr in table.K for cell in tr.K})
        assert exhibit_pages == list(range(exhibit_pages[0], len(pdf.pages)))
        marks = {}
        for index in exhibit_pages:
            texts, untagged = _page_marks(pdf.pages[index])
            assert untagged == 0, f"page {index + 1}: text outside tags and artifacts"
            marks[index] = texts
        assert pages[heading.Pg.objgen] == exhibit_pages[0] and int(heading.K) == 0
        assert marks[exhibit_pages[0]][0].startswith("EXHIBIT A")
        read: list[list[str]] = []
        for r, tr in enumerate(table.K):
            assert str(tr.S) == "/TR" and tr.P.objgen == table.objgen
            cells = []
            for cell in tr.K:
                assert str(cell.S) == ("/TH" if r == 0 else "/TD")
                assert cell.P.objgen == tr.objgen
                cells.append(marks[pages[cell.Pg.objgen]][int(cell.K)])
            read.append(cells)
        assert read == [head, *expected_rows]
        # Every MCID on an exhibit page: one ParentTree slot, naming the element that owns it.
        referenced: collections.Counter = collections.Counter()
        for index in exhibit_pages:
            page = pdf.pages[index]
            slots = parent_tree[int(page.obj.StructParents)]
            assert len(slots) == len(marks[index])
            for mcid, element in enumerate(slots):
                assert mcid in marks[index]
                assert int(element.K) == mcid and element.Pg.objgen == page.objgen
                referenced[element.objgen] += 1
        elements = [cell.objgen for tr in table.K for cell in tr.K] + [heading.objgen]
        assert sorted(referenced) == sorted(elements)
        assert set(referenced.values()) == {1}


def test_exhibit_is_tagged_as_one_table(drawn, tmp_path: Path) -> None:
    """Screen readers get one table: the header row once, then every drawn row's cells in order
    (CJK names too); rules, "Page X of Y", repeated headers and the footer are artifacts."""
    volumes, rows = drawn
    head, expected = _layout(PACK, rows)
    assert len(expected) == len(rows)
    _check_exhibit_tags(volumes[0].data, head, expected)
    # The motion's and the cover's own tags survive the join, before the exhibit's.
    path = tmp_path / "motion.pdf"
    path.write_bytes(volumes[0].data)
    types, pieces = struct_text(path)
    assert types.count("/Document") == 1 and types.count("/H2") == 1
    assert_in_order(
        pieces,
        [
            "SUPERIOR COURT OF THE STATE OF CALIFORNIA",
            "WHEREFORE",
            "EXHIBIT A",
            "List of convictions",
        ],
    )
    # (struct_text reads text through pypdf, which hands a run over when the next one moves,
    # by then under the next tag; _check_exhibit_tags reads the exhibit's operators directly.)


def use_small_volumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the packs where ca-los-angeles splits its bulk motion into volumes of 100-row
    groups under 120,000 bytes (DOCGEN_PACKS_DIR points at it for the test)."""
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    toml = packs / PACK / "pack.toml"
    set_in_pack(toml, "bulk", chunk_rows="100")
    set_in_pack(toml, "pack", max_document_bytes="120000")
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))


def test_a_later_volume_opens_its_own_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_small_volumes(tmp_path, monkeypatch)
    volumes, rows = _volumes(400)
    assert len(volumes) >= 2
    head, expected = _layout(PACK, rows)
    start = 0
    for volume in volumes:
        assert len(volume.data) <= 120000  # the size estimate counts the tags
        count = len(volume.rows)
        _check_exhibit_tags(volume.data, head, expected[start : start + count])
        start += count
    assert start == len(expected)
