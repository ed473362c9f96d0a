"""The Word signing batch keeps every order's own footer (and header): each order is a section of
its own whose footer is a copy of the order's, with its case number and "Page X of Y" counted
within the order (docgen/judge/signing_docx.py)."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from docx import Document

from docgen.judge.batch_map import BATCH_MAP
from docgen.judge.docx_sections import per_order_page_count
from docgen.judge.signing_docx import write_signing_batch_docx
from docgen.judge.volumes import BATCH_DOCX, BatchDocument
from tests import paths
from tests.conftest import GOLDEN_INPUT, run_pipeline
from tests.judge.test_signing import run_ca_per_case

FIXTURES = paths.FIXTURES / "gogen"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _documents(run_dir: Path) -> list[dict]:
    return json.loads((run_dir / BATCH_MAP).read_text())["documents"]


def _footer_text(section) -> str:
    return "\n".join(p.text for p in section.footer.paragraphs)


def _instructions(part_xml: bytes) -> str:
    from lxml import etree

    root = etree.fromstring(part_xml)
    simple = [e.get(f"{W}instr") for e in root.iter(f"{W}fldSimple")]
    return " ".join([e.text or "" for e in root.iter(f"{W}instrText")] + simple)


def _assert_sections_are_the_orders(batch: Path, run_dir: Path, documents: list[dict]) -> None:
    """Section 0 is the index; section N is order N, with a copy of its footer and header."""
    document = Document(str(batch))
    sections = document.sections
    assert len(sections) == 1 + len(documents)
    assert _footer_text(sections[0]) == "Index, page i"
    assert sections[0]._sectPr.find(f"{W}pgNumType").get(f"{W}fmt") == "lowerRoman"
    numbers = []  # each order's number in the whole batch (its parts' names: word/order3-...)
    for section, order in zip(sections[1:], documents, strict=True):
        own = Document(str(run_dir / f"{order['relpath']}.docx")).sections[0]
        assert not section.footer.is_linked_to_previous
        text = _footer_text(section)
        own_text = _footer_text(own)
        if order["kind"] == "order":  # its case number ("Case No. X", "Order, X")
            assert order["key"] in text
        if own_text.startswith("Case No."):
            assert text.startswith(f"Case No. {order['key']}\t")  # Illinois: where it goes
        # The order's own footer, its page count now a page reference to its last page.
        own_xml = own.footer.part.blob
        copied = section.footer.part.blob
        no = int(re.match(r"/word/order(\d+)-", str(section.footer.part.partname))[1])
        numbers.append(no)
        assert "NUMPAGES" not in _instructions(copied) and "SECTIONPAGES" not in _instructions(
            copied
        )
        assert _instructions(copied) == _instructions(own_xml).replace(
            "NUMPAGES", f"PAGEREF o{no}_docgenOrderEnd"
        )
        if "NUMPAGES" in _instructions(own_xml):
            assert text == own_text[: own_text.rindex(" ") + 1] + str(order["pages"])
        else:
            assert text == own_text
        # Its header too (California's pleading paper), else none at all.
        if own.header.is_linked_to_previous:
            assert section.header.is_linked_to_previous or not section.header.paragraphs[0].text
        else:
            assert section.header.part.blob == own.header.part.blob
        numbering = section._sectPr.find(f"{W}pgNumType")
        assert numbering.get(f"{W}start") == "1"  # PAGE counts from 1 in every order
        assert section._sectPr.find(f"{W}type").get(f"{W}val") == "nextPage"
    _assert_each_order_end_is_on_its_last_page(batch, numbers)
    # Every part is listed: python-docx read them through the relationships; and each has a
    # content type.
    with zipfile.ZipFile(batch) as package:
        types = package.read("[Content_Types].xml").decode()
        parts = [n for n in package.namelist() if n.endswith(".xml") and "word/_rels" not in n]
        for name in parts:
            if "footer" in name or "header" in name:
                assert f'PartName="/{name}"' in types, name


def _assert_each_order_end_is_on_its_last_page(batch: Path, numbers: list[int]) -> None:
    """Order N's page-count bookmark is in its last paragraph: after every paragraph of order N
    and before order N+1's first (orders end at the paragraph holding their last section)."""
    from lxml import etree

    with zipfile.ZipFile(batch) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    order_of_paragraph, order = [], 0  # the index is order 0
    ends: dict[str, int] = {}
    paragraphs = [p for p in body.iter(f"{W}p")]
    for n, paragraph in enumerate(paragraphs):
        for start in paragraph.iter(f"{W}bookmarkStart"):
            if start.get(f"{W}name", "").endswith("_docgenOrderEnd"):
                ends[start.get(f"{W}name")] = n
        order_of_paragraph.append(order)
        section = paragraph.find(f"{W}pPr/{W}sectPr")
        if section is not None and section.find(f"{W}pgNumType") is not None:
            # a section break: the orders' first sections restart their page numbers
            order += 1 if n + 1 < len(paragraphs) else 0
    assert sorted(ends) == sorted(f"o{no}_docgenOrderEnd" for no in numbers)
    for no in numbers:
        at = ends[f"o{no}_docgenOrderEnd"]
        later = [i for i, o in enumerate(order_of_paragraph) if o == order_of_paragraph[at]]
        assert at == max(later), f"order {no}'s bookmark is not in its last paragraph"


def test_each_order_keeps_its_own_footer(golden_run) -> None:
    run_dir = golden_run.run_dir
    documents = _documents(run_dir)
    assert len(documents) == 6
    _assert_sections_are_the_orders(run_dir / BATCH_DOCX, run_dir, documents)


@pytest.fixture(scope="module")
def split_docx_run(tmp_path_factory: pytest.TempPathFactory):
    return run_pipeline(GOLDEN_INPUT, tmp_path_factory.mktemp("split-footers"), batch_pages=4)


def test_each_volume_keeps_its_orders_footers(split_docx_run) -> None:
    run_dir = split_docx_run.run_dir
    mapping = json.loads((run_dir / BATCH_MAP).read_text())
    assert len(mapping["volumes"]) == 3
    for volume in mapping["volumes"]:
        documents = [d for d in mapping["documents"] if d["volume"] == volume["number"]]
        batch = run_dir / volume["pdf"].replace(".pdf", ".docx")
        _assert_sections_are_the_orders(batch, run_dir, documents)
        with zipfile.ZipFile(batch) as package:  # parts named by the order's index number
            footers = sorted(n for n in package.namelist() if n.startswith("word/order"))
        first = mapping["documents"].index(documents[0]) + 1
        assert footers == [f"word/order{first + i}-footer1.xml" for i in range(len(documents))]


@pytest.fixture(scope="module")
def california_run(tmp_path_factory: pytest.TempPathFactory):
    """ca-san-francisco with per-case orders, in Word too: pleading paper header and footer."""
    yield from run_ca_per_case(tmp_path_factory.mktemp("ca-footers"), ("pdf", "docx"))


def test_california_orders_keep_their_pleading_header_and_footer(california_run) -> None:
    run_dir = california_run.run_dir
    documents = _documents(run_dir)
    assert len(documents) == 30
    _assert_sections_are_the_orders(run_dir / BATCH_DOCX, run_dir, documents)
    batch = Document(str(run_dir / BATCH_DOCX))
    assert all(not s.header.is_linked_to_previous for s in batch.sections[1:])
    assert batch.sections[0].header.is_linked_to_previous  # the index: no pleading lines


def _case_orders(tmp_path: Path, run_dir: Path, count: int) -> list[BatchDocument]:
    """`count` different orders of the golden run, copied into tmp_path as a run folder."""
    documents = []
    for order in _documents(run_dir)[:count]:
        target = tmp_path / f"{order['relpath']}.docx"
        target.parent.mkdir(parents=True)
        shutil.copy(run_dir / f"{order['relpath']}.docx", target)
        documents.append(
            BatchDocument(order["key"], "Person", order["relpath"], "order", order["pages"], ())
        )
    return documents


def _rewrite(path: Path, change) -> None:
    """Rewrite a DOCX's members through `change(name, data) -> data | None` (None: dropped)."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            data = change(info.filename, data)
            if data is not None:
                out.writestr(info, data)


def test_orders_through_docxcompose_keep_their_footers(golden_run, tmp_path: Path) -> None:
    """An order with numbering goes through docxcompose, which would keep no order's footer:
    the batch still gives each order its section and footer, and the same bytes each time."""
    documents = _case_orders(tmp_path, golden_run.run_dir, 3)

    def numbered(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        numbering = b'<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        return data.replace(b"<w:pPr>", numbering, 1)

    _rewrite(tmp_path / f"{documents[1].relpath}.docx", numbered)
    write_signing_batch_docx(tmp_path, "run-1", date(2026, 12, 1), documents)
    first = (tmp_path / BATCH_DOCX).read_bytes()
    batch = Document(io.BytesIO(first))
    assert batch.element.body.xml.count("<w:numPr>") == 1  # it did go through docxcompose
    expected = [
        {"key": d.key, "relpath": d.relpath, "kind": d.kind, "pages": d.pages} for d in documents
    ]
    _assert_sections_are_the_orders(tmp_path / BATCH_DOCX, tmp_path, expected)
    write_signing_batch_docx(tmp_path, "run-1", date(2026, 12, 1), documents)
    assert (tmp_path / BATCH_DOCX).read_bytes() == first


def test_an_order_without_footer_does_not_show_the_one_before(golden_run, tmp_path: Path) -> None:
    """Word gives a section without a footer the previous section's: here another order's case
    number. The batch gives it an empty footer instead."""
    documents = _case_orders(tmp_path, golden_run.run_dir, 3)

    def without_footer(name: str, data: bytes) -> bytes | None:
        if name == "word/document.xml":
            return data.replace(b'<w:footerReference w:type="default" r:id="rId9"/>', b"")
        return data

    _rewrite(tmp_path / f"{documents[1].relpath}.docx", without_footer)
    write_signing_batch_docx(tmp_path, "run-1", date(2026, 12, 1), documents)
    sections = Document(str(tmp_path / BATCH_DOCX)).sections
    assert documents[0].key in _footer_text(sections[1])
    assert not sections[2].footer.is_linked_to_previous
    assert _footer_text(sections[2]) == ""
    assert documents[2].key in _footer_text(sections[3])


@pytest.mark.parametrize(
    ("field", "pages", "shown"),
    [
        (  # a complex field, as the templates' footers have
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> NUMPAGES '
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>1</w:t></w:r><w:r><w:t>0</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/>'
            "</w:r>",
            3,
            "3",
        ),
        ('<w:fldSimple w:instr=" numpages "><w:r><w:t>1</w:t></w:r></w:fldSimple>', 4, "4"),
        ('<w:fldSimple w:instr="NUMPAGES"><w:r><w:t>1</w:t></w:r></w:fldSimple>', 0, "1"),
    ],
)
def test_page_count_field_becomes_a_reference_to_the_orders_last_page(
    field: str, pages: int, shown: str
) -> None:
    xml = (
        f'<w:ftr xmlns:w="{W[1:-1]}"><w:p><w:r><w:t>Page </w:t></w:r>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        f"<w:r><w:t> of </w:t></w:r>{field}</w:p></w:ftr>"
    ).encode()
    copied = per_order_page_count(xml, pages)
    instructions = _instructions(copied)
    assert "PAGEREF docgenOrderEnd" in instructions and " PAGE " in instructions
    assert "NUMPAGES" not in instructions and "SECTIONPAGES" not in instructions
    from lxml import etree

    text = "".join(t.text or "" for t in etree.fromstring(copied).iter(f"{W}t"))
    assert text == f"Page 1 of {shown}"


def test_the_batch_opens_in_libreoffice_with_each_orders_footer(golden_run, tmp_path: Path) -> None:
    """LibreOffice (if installed) lays the batch out: each order's pages carry its case number
    and "Page X of Y" of that order, Y worked out from the page reference to the order's last page."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    run_dir = golden_run.run_dir
    subprocess.run(
        [
            soffice,
            "--headless",
            "-env:UserInstallation=file://" + str(tmp_path / "profile"),
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(run_dir / BATCH_DOCX),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = pypdfium2.PdfDocument(str(tmp_path / "orders-for-judge.pdf"))
    try:
        feet = [page.get_textpage().get_text_range().strip().splitlines()[-1] for page in pdf]
    finally:
        pdf.close()
    expected = [
        f"Case No. {d['key']} Page {page} of {d['pages']}"
        for d in _documents(run_dir)
        for page in range(1, d["pages"] + 1)
    ]
    index_pages = len(feet) - len(expected)
    assert index_pages >= 1
    assert feet[:index_pages] == [f"Index, page {n}" for n in ("i", "ii", "iii")[:index_pages]]
    assert [" ".join(f.split()) for f in feet[index_pages:]] == expected


def test_a_footers_own_parts_are_copied_with_it(golden_run, tmp_path: Path) -> None:
    """A footer with a picture (a court seal, say): the picture comes along, renamed for the
    order, and the footer's relationship points at it."""
    documents = _case_orders(tmp_path, golden_run.run_dir, 2)
    seal = b"\x89PNG\r\n\x1a\n a court seal"
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Target="media/seal.png" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/image"/></Relationships>'
    )

    def with_seal(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1
            )
        return data

    path = tmp_path / f"{documents[1].relpath}.docx"
    _rewrite(path, with_seal)
    with zipfile.ZipFile(path, "a") as docx:
        docx.writestr("word/_rels/footer1.xml.rels", rels)
        docx.writestr("word/media/seal.png", seal)
    write_signing_batch_docx(tmp_path, "run-1", date(2026, 12, 1), documents)
    with zipfile.ZipFile(tmp_path / BATCH_DOCX) as batch:
        assert batch.read("word/media/order2-seal.png") == seal
        assert b'Target="media/order2-seal.png"' in batch.read("word/_rels/order2-footer1.xml.rels")
        assert (
            'PartName="/word/media/order2-seal.png"' in batch.read("[Content_Types].xml").decode()
        )
        assert not any("seal" in name for name in batch.namelist() if "order1" in name)
    footer = Document(str(tmp_path / BATCH_DOCX)).sections[2].footer.part
    assert [part.blob for part in footer.related_parts.values()] == [seal]


def test_index_columns_give_the_name_the_widest_share(golden_run) -> None:
    """Word's default is four equal columns; the name gets 40 % of the text width instead."""
    from docgen.judge.signing_docx import INDEX_COLUMN_SHARES

    document = Document(str(golden_run.run_dir / BATCH_DOCX))
    table = document.tables[0]
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    widths = [column.width for column in table.columns]
    twip = 635  # Word stores widths in twentieths of a point; python-docx reads back EMUs
    for width, share in zip(widths, INDEX_COLUMN_SHARES, strict=True):
        assert abs(width - text_width * share) < twip
    assert max(widths) == widths[2]  # the name
    for row in table.rows:
        assert [cell.width for cell in row.cells] == widths
