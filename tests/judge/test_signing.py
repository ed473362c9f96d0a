"""The judge's signing batch: index, page labels, bookmarks, the fixed signature line, page codes."""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2
import pytest
import zxingcpp
from docx import Document
from lxml import etree
from pypdf import PdfReader

from docgen.judge.batch_map import BATCH_MAP
from docgen.judge.batches import plan_volumes
from docgen.judge.page_codes import PageCode, code_payload, marker_text, parse_marker, parse_payload
from docgen.judge.signing_docx import write_signing_batch_docx
from docgen.judge.volumes import BATCH_DOCX, BATCH_PDF, BatchDocument
from tests import paths
from tests.conftest import GOGEN_GOLDEN, GOLDEN_INPUT, run_pipeline
from tests.golden_files import GOLDENS_DIR, compare_pdf
from tests.ooxml_check import docx_problems
from tests.pack_edit import set_in_pack

FIXTURES = paths.FIXTURES / "gogen"
PT = 72.0
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _map(run_dir: Path) -> dict:
    return json.loads((run_dir / BATCH_MAP).read_text())


def _order_cases(run_dir: Path) -> list[str]:
    return sorted(p.parent.name for p in (run_dir / "cases").glob("*/order.pdf"))


def test_index_rows_and_page_labels_match_the_real_pages(golden_run) -> None:
    run_dir = golden_run.run_dir
    reader = PdfReader(run_dir / BATCH_PDF)
    mapping = _map(run_dir)
    index_pages = mapping["index_pages"]
    labels = reader.page_labels
    assert labels[:index_pages] == ["i", "ii", "iii"][:index_pages]
    orders = [d for d in mapping["documents"]]
    assert [d["key"] for d in orders] == _order_cases(run_dir)
    index_text = " ".join(
        " ".join((reader.pages[i].extract_text() or "").split()) for i in range(index_pages)
    )
    for no, document in enumerate(orders, 1):
        first = document["first_page"] - 1  # 0-based in the file
        last = first + document["pages"] - 1
        # The index row says where the order is, in the labels the PDF viewer shows.
        shown = labels[first] if first == last else f"{labels[first]}–{labels[last]}"
        assert re.search(rf"\b{no} {re.escape(document['key'])} .*? {shown}\b", index_text)
        # ... and that page is the order's first page: its caption and its "Page 1 of n".
        page_text = reader.pages[first].extract_text()
        assert f"Case No. {document['key']}" in page_text
        assert f"Page 1 of {document['pages']}" in page_text
        assert f"Page {document['pages']} of {document['pages']}" in (
            reader.pages[last].extract_text()
        )
    # Orders count from 1 after the index, in the index's numbers.
    assert labels[index_pages] == "1"
    assert len(reader.pages) == index_pages + sum(d["pages"] for d in orders)
    # Names are in the index (for the judge), from the run's own people.
    assert "José Núñez-García" in index_text


def test_one_bookmark_per_case_pointing_at_its_first_page(golden_run) -> None:
    run_dir = golden_run.run_dir
    reader = PdfReader(run_dir / BATCH_PDF)
    mapping = _map(run_dir)
    outline = reader.outline
    assert len(outline) == len(_order_cases(run_dir)) == 6
    for item, document in zip(outline, mapping["documents"], strict=True):
        assert item.title.split(" — ")[0] == document["key"]
        assert reader.get_destination_page_number(item) == document["first_page"] - 1
    with pikepdf.open(run_dir / BATCH_PDF) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"


def _signature_rule(page: pypdfium2.PdfPage) -> tuple[float, float, float]:
    """The judge's signature line: the path nearest below the "ENTERED:"/"Dated:" label that is
    at least 3 in wide, as (left, right, y from the top) in points."""
    height = page.get_size()[1]
    candidates = []
    for obj in page.get_objects():
        if obj.type != pypdfium2.raw.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, _top = obj.get_bounds()
        if right - left >= 3 * PT and height - bottom > 7.5 * PT:
            candidates.append((round(left, 1), round(right, 1), round(height - bottom, 1)))
    assert len(candidates) == 1, candidates
    return candidates[0]


def _denied_box(page: pypdfium2.PdfPage) -> tuple[float, float, float, float]:
    """The printed "Denied" box: the one small square path, as x0, y0 (from the top), x1, y1."""
    height = page.get_size()[1]
    squares = []
    for obj in page.get_objects():
        if obj.type != pypdfium2.raw.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        if 0.1 * PT < right - left < 0.3 * PT and abs((right - left) - (top - bottom)) < 1:
            squares.append((left, height - top, right, height - bottom))
    assert len(squares) == 1, squares
    return squares[0]


def _assert_inside(box_in: list[float], outer: tuple[float, float, float, float]) -> None:
    x, y, w, h = (v * PT for v in box_in)
    x0, y0, x1, y1 = outer
    assert x0 < x and y0 < y and x + w < x1 and y + h < y1, (box_in, outer)


def _label_box(page: pypdfium2.PdfPage, label: str) -> tuple[float, float]:
    textpage = page.get_textpage()
    found = textpage.search(label, match_case=True).get_next()
    assert found, label
    left, _bottom, _right, top = textpage.get_charbox(found[0])
    return round(left, 1), round(page.get_size()[1] - top, 1)


def _last_pages(paths: list[Path]):
    for path in paths:
        pdf = pypdfium2.PdfDocument(str(path))
        yield path, pdf, pdf[len(pdf) - 1]


def test_signature_line_at_the_same_place_on_every_order(golden_run) -> None:
    run_dir = golden_run.run_dir
    geometry = _map(run_dir)["geometry"]
    places = set()
    ends = set()
    for _path, pdf, page in _last_pages(sorted((run_dir / "cases").glob("*/order.pdf"))):
        rule = _signature_rule(page)
        _assert_inside(geometry["denied"], _denied_box(page))
        places.add(
            (
                rule,
                _label_box(page, "ENTERED:"),
                _label_box(page, "Date:"),
                _label_box(page, "Judge's No."),
            )
        )
        # Where the order text ends differs from order to order (the rule does not).
        textpage = page.get_textpage()
        found = textpage.search("4. The Clerk", match_case=True).get_next()
        ends.add(round(textpage.get_charbox(found[0])[1]))
        pdf.close()
    assert len(places) == 1, places
    assert len(ends) > 1
    (left, right, y), _, (_, date_top), (_, judge_no_top) = places.pop()
    # signing.toml's signature area sits on that rule, over its width: ingest looks there.
    x, top, width, height = (v * PT for v in geometry["signature"])
    assert abs((top + height) - y) < 4
    assert left - 1 <= x and x + width <= right + 1
    # Its date area is on the "Date:" line (12 pt text), below the "Judge's No." line, so a
    # date stamped in its middle reads as the order's date.
    _, date_area_top, _, date_area_height = (v * PT for v in geometry["date"])
    assert judge_no_top + 12 < date_area_top < date_top
    assert date_top + 9 < date_area_top + date_area_height


def test_every_page_carries_a_code_and_the_same_words_as_text(golden_run) -> None:
    run_dir = golden_run.run_dir
    mapping = _map(run_dir)
    pdf = pypdfium2.PdfDocument(str(run_dir / BATCH_PDF))
    reader = PdfReader(run_dir / BATCH_PDF)
    try:
        for index in range(len(pdf)):
            image = pdf[index].render(scale=150 / 72, grayscale=True).to_pil()
            codes = [parse_payload(b.text) for b in zxingcpp.read_barcodes(image)]
            assert len(codes) == 1 and codes[0] is not None
            code = codes[0]
            assert code.run_id == golden_run.run_id
            text = reader.pages[index].extract_text()
            assert parse_marker(pdf[index].get_textpage().get_text_range()) == code
            if index < mapping["index_pages"]:
                assert code.key == "" and code.page == index + 1
                continue
            assert code.batch_page == index - mapping["index_pages"] + 1
            assert f"Case No. {code.key}" in text  # the case number in the order's own text
            assert f"Page {code.page} of {code.pages}" in text
    finally:
        pdf.close()


def test_index_page_matches_golden(golden_run, update_goldens: bool, tmp_path: Path) -> None:
    run_dir = golden_run.run_dir
    index_only = tmp_path / "index.pdf"
    with pikepdf.open(run_dir / BATCH_PDF) as pdf:
        del pdf.pages[_map(run_dir)["index_pages"] :]
        pdf.save(index_only, deterministic_id=True)
    problems = compare_pdf(
        index_only,
        GOLDENS_DIR / "il-cook" / "judge-index" / "pdf",
        "il-cook-judge-index",
        update_goldens,
    )
    assert not problems, "\n".join(map(str, problems))


def test_docx_batch_has_the_index_table_then_every_order(golden_run) -> None:
    run_dir = golden_run.run_dir
    document = Document(str(run_dir / BATCH_DOCX))
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["No.", "Case number", "Name", "Judge's notes"]
    assert [r[1] for r in rows[1:]] == _order_cases(run_dir)
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 7)]
    body = "\n".join(p.text for p in document.paragraphs)
    assert body.count("ORDER TO VACATE AND EXPUNGE") == 6
    xml = document.element.body.xml
    assert xml.count("<w:sectPr") == 7  # the index's section, then one per order
    assert len(document.sections) == 7
    manifest = json.loads((run_dir / "manifest.json").read_text())
    listed = {f["path"]: f for f in manifest["files"]}
    for path in (BATCH_PDF, BATCH_DOCX, BATCH_MAP):
        assert listed[path]["kind"].startswith("orders-batch")


def test_batch_bytes_are_reproducible(tmp_path: Path) -> None:
    first = run_pipeline(GOLDEN_INPUT, tmp_path / "a")
    second = run_pipeline(GOLDEN_INPUT, tmp_path / "b")
    for path in (BATCH_PDF, BATCH_DOCX, BATCH_MAP):
        assert (first.run_dir / path).read_bytes() == (second.run_dir / path).read_bytes(), path


@pytest.fixture(scope="module")
def ca_per_case_run(tmp_path_factory: pytest.TempPathFactory):
    """ca-san-francisco with the pack setting `[bulk] orders = "per_case"`."""
    yield from run_ca_per_case(tmp_path_factory.mktemp("ca-per-case"), ("pdf",))


def run_ca_per_case(tmp: Path, formats: tuple[str, ...]) -> Iterator[Any]:
    """The golden gogen file through a copy of the packs where ca-san-francisco makes an order
    per case (`[bulk] orders = "per_case"`); yields the run's result (for a fixture)."""
    packs = tmp / "packs"
    shutil.copytree(paths.REPO_ROOT / "templates", packs)
    set_in_pack(packs / "ca-san-francisco" / "pack.toml", "bulk", orders='"per_case"')
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOCGEN_PACKS_DIR", str(packs))
        yield run_pipeline(
            GOGEN_GOLDEN["ca-san-francisco"],
            tmp / "out",
            pack_name="ca-san-francisco",
            input_format="gogen",
            formats=formats,
        )


def test_california_per_case_orders_batch(ca_per_case_run) -> None:
    run_dir = ca_per_case_run.run_dir
    mapping = _map(run_dir)
    assert len(mapping["documents"]) == 30
    reader = PdfReader(run_dir / BATCH_PDF)
    assert len(reader.outline) == 30
    assert reader.page_labels[mapping["index_pages"]] == "1"
    places = set()
    orders = sorted((run_dir / "cases").glob("*/order.pdf"))
    for _path, pdf, page in _last_pages(orders):
        places.add((_signature_rule(page), _label_box(page, "Dated:")))
        _assert_inside(mapping["geometry"]["denied"], _denied_box(page))
        pdf.close()
    assert len(places) == 1, places
    (left, right, y), _ = places.pop()
    x, top, width, height = (v * PT for v in mapping["geometry"]["signature"])
    assert abs((top + height) - y) < 4 and left - 1 <= x and x + width <= right + 1


def test_the_index_names_the_page_a_bulk_order_with_its_exhibit_is_signed_on(
    tmp_path: Path,
) -> None:
    """Will County's bulk order carries Exhibit A after the page the Chief Judge signs: the index
    said "its signature line is ... at the foot of its last page" (an exhibit page)."""
    result = run_pipeline(paths.FIXTURES / "il-will-input.csv", tmp_path, pack_name="il-will")
    mapping = _map(result.run_dir)
    (document,) = mapping["documents"]
    assert 0 < document["signature_page"] < document["pages"]
    index_text = " ".join(PdfReader(result.run_dir / BATCH_PDF).pages[0].extract_text().split())
    assert "at the foot of its last page" not in index_text
    signed_on = document["signature_page"]  # the batch's pages count from the order's first
    assert f"1–{document['pages']}; sign on page {signed_on}" in index_text
    word = Document(str(result.run_dir / BATCH_DOCX))
    assert word.tables[0].rows[0].cells[1].text == "Order"  # its title, not a case number
    assert "signed before the exhibit" in word.paragraphs[1].text + word.paragraphs[2].text


def test_a_bulk_order_batch_is_the_index_and_that_order(tmp_path: Path) -> None:
    result = run_pipeline(
        FIXTURES / "golden.csv",
        tmp_path,
        pack_name="ca-los-angeles",
        input_format="gogen",
        formats=("pdf", "docx"),
    )
    mapping = _map(result.run_dir)
    assert [d["kind"] for d in mapping["documents"]] == ["bulk-order"]
    reader = PdfReader(result.run_dir / BATCH_PDF)
    order_pages = len(PdfReader(result.run_dir / "bulk" / "order.pdf").pages)
    assert len(reader.pages) == mapping["index_pages"] + order_pages
    assert len(reader.outline) == 1
    index_text = reader.pages[0].extract_text()
    assert "Order Granting Relief" in index_text and f"1–{order_pages}" in index_text
    assert "The persons listed in Exhibit A" in index_text  # not a blank name cell
    # The order is signed on its page before Exhibit A, not on its last page (the index said
    # "at the foot of its last page", where the judge found the exhibit's last rows).
    signature = mapping["documents"][0]["signature_page"]
    assert 1 < signature < order_pages
    flat = " ".join(index_text.split())
    assert f"1–{order_pages}; sign on page {signature}" in flat
    assert "the page the index names (an order with Exhibit A attached is signed before" in flat
    word_index = Document(str(result.run_dir / BATCH_DOCX)).tables[0]
    assert word_index.rows[1].cells[2].text == "The persons listed in Exhibit A"
    with pikepdf.open(io.BytesIO((result.run_dir / BATCH_PDF).read_bytes())) as pdf:
        assert len(pdf.pages) == len(reader.pages)


# ---------------------------------------------------------------- volumes

SPLIT_PAGES = 4  # the golden run's six two-page orders: three volumes of two orders


@pytest.fixture(scope="module")
def split_run_stages(tmp_path_factory: pytest.TempPathFactory):
    """The split run and every (stage, done, total) its `stage` callback was given."""
    stages: list[tuple[str, int, int | None]] = []
    result = run_pipeline(
        GOLDEN_INPUT,
        tmp_path_factory.mktemp("split"),
        batch_pages=SPLIT_PAGES,
        stage=lambda *event: stages.append(event),
    )
    return result, stages


@pytest.fixture(scope="module")
def split_run(split_run_stages):
    return split_run_stages[0]


def _counts(stages: list[tuple[str, int, int | None]], label: str) -> list[tuple[int, int | None]]:
    return [(done, total) for name, done, total in stages if name == label]


def test_a_run_reports_each_stage_in_order_with_its_counts(split_run_stages) -> None:
    from docgen.pipeline import STAGES

    result, stages = split_run_stages
    labels = [label for label, _, _ in stages]
    in_order = [label for i, label in enumerate(labels) if i == 0 or labels[i - 1] != label]
    assert in_order == list(STAGES)  # each stage once, none interleaved
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    kinds = [f["kind"] for f in manifest["files"] if f["format"] == "pdf"]
    documents = sum(kinds.count(k) for k in ("motion", "order", "letter"))
    rendering = _counts(stages, "Rendering")
    assert rendering[0] == (0, documents) and rendering[-1] == (documents, documents)
    assert [d for d, _ in rendering] == sorted(d for d, _ in rendering)
    letter_volumes = kinds.count("letters-batch")
    # batch_pages applies to the letters as well (tests/judge/test_batch_volumes.py splits them):
    # their volumes are the ones their page counts give.
    letter_pages = [
        f["pages"] for f in manifest["files"] if f["kind"] == "letter" and f["format"] == "pdf"
    ]
    assert letter_volumes == len(plan_volumes(letter_pages, SPLIT_PAGES))
    assert _counts(stages, "Letters print file") == [
        (n, letter_volumes) for n in range(letter_volumes + 1)
    ]
    assert _counts(stages, "Judge's batch") == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert _counts(stages, "Report") == [(0, 1), (1, 1)]
    assert _counts(stages, "Manifest") == [(0, 1), (1, 1)]


def test_page_codes_name_the_volume_and_read_back() -> None:
    code = PageCode("run-1", 3, 1, 2, "2011-CR-0456789", 2, 3)
    assert parse_payload(code_payload(code)) == code
    assert parse_marker(marker_text(code)) == code
    assert marker_text(code).startswith("Volume 2 of 3 · Batch page 3 ·")
    index = PageCode("run-1", 1, 1, 1, "", 2, 3)
    assert parse_marker(marker_text(index)) == index
    # Page 3 of volume 1 is not page 3 of volume 2.
    assert parse_payload(code_payload(PageCode("run-1", 3, 1, 2, "K", 1, 3))) != code
    unsplit = PageCode("run-1", 3, 1, 2, "2011-CR-0456789")
    assert code_payload(unsplit) == "DGB1|run-1|3|1/2|2011-CR-0456789"  # as before volumes


def test_a_split_batch_is_volumes_each_with_its_own_index(split_run) -> None:
    run_dir = split_run.run_dir
    mapping = _map(run_dir)
    volumes = mapping["volumes"]
    assert len(volumes) == 3 and "pdf" not in mapping
    assert not (run_dir / BATCH_PDF).exists() and not (run_dir / BATCH_DOCX).exists()
    # Every order in exactly one volume, in case-number order across the volumes.
    keys = [d["key"] for d in mapping["documents"]]
    assert keys == _order_cases(run_dir)
    manifest = {f["path"]: f for f in json.loads((run_dir / "manifest.json").read_text())["files"]}
    seen: list[str] = []
    no = 0
    for volume in volumes:
        number = volume["number"]
        assert volume["pdf"] == f"batches/orders-for-judge-{number:04d}.pdf"
        documents = [d for d in mapping["documents"] if d["volume"] == number]
        seen += [d["key"] for d in documents]
        reader = PdfReader(run_dir / volume["pdf"])
        labels = reader.page_labels
        index_pages = volume["index_pages"]
        assert labels[:index_pages] == ["i", "ii", "iii"][:index_pages]
        assert labels[index_pages] == "1"
        order_pages = sum(d["pages"] for d in documents)
        assert order_pages <= SPLIT_PAGES or len(documents) == 1
        assert len(reader.pages) == index_pages + order_pages == volume["pages"]
        index_text = " ".join(
            " ".join((reader.pages[i].extract_text() or "").split()) for i in range(index_pages)
        )
        assert (
            f"Volume {number} of 3, cases {documents[0]['key']} to {documents[-1]['key']}"
            in index_text
        )
        for document in documents:
            no += 1  # index numbers run on across the volumes
            first = document["first_page"] - 1
            last = first + document["pages"] - 1
            shown = labels[first] if first == last else f"{labels[first]}–{labels[last]}"
            assert re.search(rf"\b{no} {re.escape(document['key'])} .*? {shown}\b", index_text)
            assert f"Case No. {document['key']}" in reader.pages[first].extract_text()
        for other in set(keys) - {d["key"] for d in documents}:
            assert other not in index_text  # its own orders only
        assert [item.title.split(" — ")[0] for item in reader.outline] == [
            d["key"] for d in documents
        ]
        # The code on every page names the volume, by text and by QR code.
        pdf = pypdfium2.PdfDocument(str(run_dir / volume["pdf"]))
        try:
            for index in range(len(pdf)):
                code = parse_marker(pdf[index].get_textpage().get_text_range())
                assert code is not None and (code.volume, code.volumes) == (number, 3)
                if index >= index_pages:
                    assert str(code.batch_page) == labels[index]
            image = pdf[index_pages].render(scale=150 / 72, grayscale=True).to_pil()
            (barcode,) = zxingcpp.read_barcodes(image)
            assert parse_payload(barcode.text) == parse_marker(
                pdf[index_pages].get_textpage().get_text_range()
            )
        finally:
            pdf.close()
        rows = sorted(r for d in documents for r in d["rows"])
        assert manifest[volume["pdf"]]["kind"] == "orders-batch"
        assert manifest[volume["pdf"]]["rows"] == rows
        assert manifest[volume["pdf"]]["pages"] == len(reader.pages)  # passed on, and true
        docx_path = volume["pdf"].replace(".pdf", ".docx")
        assert manifest[docx_path]["rows"] == rows
        # The DOCX volume holds the same orders, with the same heading.
        document = Document(str(run_dir / docx_path))
        table_keys = [row.cells[1].text for row in document.tables[0].rows[1:]]
        assert table_keys == [d["key"] for d in documents]
        assert f"Volume {number} of 3, cases {documents[0]['key']}" in document.paragraphs[1].text
    assert seen == keys
    assert manifest[BATCH_MAP]["kind"] == "orders-batch-map"


def test_split_batch_bytes_are_reproducible(split_run, tmp_path: Path) -> None:
    """Again, with the volumes written side by side by two processes: the same bytes."""
    stages: list[tuple[str, int, int | None]] = []
    again = run_pipeline(
        GOLDEN_INPUT,
        tmp_path,
        batch_pages=SPLIT_PAGES,
        workers=2,
        stage=lambda *event: stages.append(event),
    )
    # The volumes written by a process pool are counted as they come back, in order.
    assert _counts(stages, "Judge's batch") == [(0, 3), (1, 3), (2, 3), (3, 3)]
    paths = sorted(p.name for p in (split_run.run_dir / "batches").glob("orders-for-judge*"))
    assert len(paths) == 7  # three PDFs, three DOCX, one map
    for name in paths:
        first = (split_run.run_dir / "batches" / name).read_bytes()
        assert first == (again.run_dir / "batches" / name).read_bytes(), name


# ---------------------------------------------------------------- the DOCX batch, streamed


def _c14n(element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True)


def _without_sections(element):
    """A copy of `element` without what the batch put in its last paragraph: the section
    properties and the bookmark its footer's page count refers to (docgenOrderEnd)."""
    element = copy.deepcopy(element)
    for section in list(element.iter(f"{W}sectPr")):
        section.getparent().remove(section)
    ends = {
        b.get(f"{W}id")
        for b in element.iter(f"{W}bookmarkStart")
        if b.get(f"{W}name", "").endswith("_docgenOrderEnd")
    }
    for mark in list(element.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd")):
        if mark.get(f"{W}id") in ends:
            mark.getparent().remove(mark)
    return element


def _batch_body_after_index(path: Path) -> list:
    """The batch's body elements after the index table, without the final section."""
    body = Document(str(path)).element.body
    children = [c for c in body if c.tag != f"{W}sectPr"]
    table_at = next(i for i, c in enumerate(children) if c.tag == f"{W}tbl")
    return children[table_at + 1 :]


@pytest.mark.parametrize("which", ["unsplit", "split"])
def test_docx_batch_is_the_index_then_each_order_exactly(which, golden_run, split_run) -> None:
    """What the former implementation (python-docx, every order's elements moved into one
    tree) gave: each order's own body elements, unchanged but for the section properties
    and the bookmark of its last page (tests/judge/test_signing_docx_footers.py) in its last
    paragraph, after the index's section."""
    run = golden_run if which == "unsplit" else split_run
    run_dir = run.run_dir
    batches = sorted((run_dir / "batches").glob("orders-for-judge*.docx"))
    mapping = _map(run_dir)
    assert len(batches) == len(mapping["volumes"])
    for path, volume in zip(batches, mapping["volumes"], strict=True):
        documents = [d for d in mapping["documents"] if d["volume"] == volume["number"]]
        expected = []
        for document in documents:
            order = Document(str(run_dir / f"{document['relpath']}.docx")).element.body
            expected += [_c14n(c) for c in order if c.tag != f"{W}sectPr"]
        index_break, *elements = _batch_body_after_index(path)
        # The index's section ends with a paragraph holding only its section properties.
        assert [c.tag for c in index_break] == [f"{W}pPr"]
        assert [c.tag for c in index_break[0]] == [f"{W}sectPr"]
        assert [_c14n(_without_sections(c)) for c in elements] == expected
        sections = Document(str(path)).element.body.iter(f"{W}sectPr")
        assert len(list(sections)) == 1 + len(documents)
        # python-docx reads it: the index's paragraphs, then each order's paragraphs' text.
        paragraphs = [p.text for p in Document(str(path)).paragraphs]
        order_text = [""]  # the index's section break
        for document in documents:
            order_text += [
                p.text for p in Document(str(run_dir / f"{document['relpath']}.docx")).paragraphs
            ]
        assert paragraphs[0] == "Orders for signature"
        assert paragraphs[-len(order_text) :] == order_text


def _order_folder(tmp_path: Path, source: Path, count: int) -> list[BatchDocument]:
    documents = []
    for i in range(count):
        folder = tmp_path / "cases" / f"C{i:04d}"
        folder.mkdir(parents=True)
        shutil.copy(source, folder / "order.docx")
        documents.append(
            BatchDocument(f"C{i:04d}", f"Person {i}", f"cases/C{i:04d}/order", "order", 2, (i,))
        )
    return documents


_PEAK_SCRIPT = """
import pickle, resource, sys
from datetime import date
from pathlib import Path
from docgen.judge.signing_docx import write_signing_batch_docx
run_dir = Path(sys.argv[1])
documents = pickle.loads(Path(sys.argv[2]).read_bytes())
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
write_signing_batch_docx(run_dir, "run-1", date(2026, 12, 1), documents)
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_docx_batch_memory_does_not_grow_with_the_orders(golden_run, tmp_path: Path) -> None:
    """Peak RSS (no timing) of writing a batch of 400 orders against one of 40, each in its
    own process. Holding every order's tree (the former way) costs about 120 KB an order here,
    over 40 MB for the 360 more; streaming them, the only growth is the index table's rows."""
    import pickle
    import subprocess
    import sys

    source = golden_run.run_dir / "cases" / _order_cases(golden_run.run_dir)[0] / "order.docx"
    peaks = {}
    for count in (40, 400):
        run_dir = tmp_path / str(count)
        documents = _order_folder(run_dir, source, count)
        (run_dir / "documents.pickle").write_bytes(pickle.dumps(documents))
        out = subprocess.run(
            [sys.executable, "-c", _PEAK_SCRIPT, str(run_dir), str(run_dir / "documents.pickle")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        peaks[count] = int(out[1])  # KB
        written = Document(str(run_dir / BATCH_DOCX))
        assert len(written.tables[0].rows) == count + 1
    growth_mb = (peaks[400] - peaks[40]) / 1024
    assert growth_mb < 12, peaks


def _with_numbering(source: Path, target: Path) -> None:
    """The order with a numbered paragraph (w:numPr): it cannot be copied as plain XML."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                # In the schema's place: after the paragraph's style, before anything else.
                data = re.sub(
                    rb"(<w:pPr>(?:<w:pStyle [^>]*/>)?)",
                    rb'\1<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>',
                    data,
                    count=1,
                )
            dst.writestr(info, data)


def test_docx_batch_of_orders_with_numbering_goes_through_docxcompose(
    golden_run, tmp_path: Path
) -> None:
    source = golden_run.run_dir / "cases" / _order_cases(golden_run.run_dir)[0] / "order.docx"
    documents = _order_folder(tmp_path, source, 3)
    _with_numbering(source, tmp_path / f"{documents[1].relpath}.docx")
    write_signing_batch_docx(tmp_path, "run-1", date(2026, 12, 1), documents)
    first = (tmp_path / BATCH_DOCX).read_bytes()
    batch = Document(io.BytesIO(first))
    assert [row.cells[1].text for row in batch.tables[0].rows[1:]] == ["C0000", "C0001", "C0002"]
    text = "\n".join(p.text for p in batch.paragraphs)
    assert text.count("ORDER TO VACATE AND EXPUNGE") == 3
    assert batch.element.body.xml.count("<w:numPr>") == 1
    assert not docx_problems(tmp_path / BATCH_DOCX)  # the docxcompose way is valid OOXML too
    # The streamed attempt was given up without leaving a file behind; the bytes are stable.
    assert [p.name for p in (tmp_path / "batches").iterdir()] == ["orders-for-judge.docx"]
    write_signing_batch_docx(tmp_path, "run-1", date(2026, 12, 1), documents)
    assert (tmp_path / BATCH_DOCX).read_bytes() == first


def test_the_word_index_keeps_each_case_number_on_one_line(golden_run) -> None:
    """The Word batch's index broke "1996-MC1-" / "5277603" in its case number column: the
    column now holds the longest number at 12 pt, and its hyphens do not break."""
    from PIL import ImageFont

    document = Document(str(golden_run.run_dir / BATCH_DOCX))
    table = document.tables[0]
    keys = [row.cells[1].text for row in table.rows[1:]]
    font = ImageFont.truetype(str(paths.REPO_ROOT / "fonts" / "LiberationSerif-Regular.ttf"), 1200)
    widest = max(font.getlength(key) for key in [*keys, "2016-MC1-5134907"]) / 100  # pt at 12 pt
    cell_margins = 2 * 5.4  # Word's default cell margins, 0.075 in each side
    assert table.columns[1].width.pt - cell_margins >= widest
    column = [etree.tostring(row.cells[1]._tc).decode() for row in table.rows[1:]]
    assert all("noBreakHyphen" in xml for xml in column)
