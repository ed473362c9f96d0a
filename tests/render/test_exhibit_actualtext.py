"""Exhibit A cells drawn on more than one line carry their whole text as /ActualText on their
structure element (docgen/render/exhibit_pdf.py), so assistive technology reads "2011-MC1-9550725" as
one value rather than "2011-MC1-" and "9550725"; one-line cells carry none."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from docgen.packs import load_pack
from docgen.plan import bulk
from docgen.plan.group import group_charges
from docgen.render import bulk as bulk_render
from docgen.render import exhibit_layout
from docgen.render.pdf import PdfRenderer
from docgen.render.pdf_tags import text_string
from tests.conftest import RUN_DATE
from tests.render.test_california import _charges
from tests.render.test_exhibit_pdf import use_small_volumes

PACK = "ca-los-angeles"
LONG_CASE = "2011-MC1-9550725-0042"  # wider than the case column: breaks after a hyphen
LONG_SURNAME = "WOLFESCHLEGELSTEINHAUSENBERGERDORFFVONALTENSTEIN"  # split mid-word
TRICKY_SURNAME = "O'NEIL (BACK\\SLASH) 李"  # parentheses, a backslash, a CJK character
TRICKY_FIRST = "MARIA GUADALUPE DEL CARMEN ESPERANZA"


def _exhibit() -> tuple[bytes, list[tuple[str, ...]]]:
    charges = _charges(40)
    charges[3] = charges[3].model_copy(update={"case_number": LONG_CASE})
    charges[8] = charges[8].model_copy(update={"last_name": LONG_SURNAME})
    charges[12] = charges[12].model_copy(
        update={"last_name": TRICKY_SURNAME, "first_name": TRICKY_FIRST}
    )
    pack = load_pack(PACK)
    spec = bulk.bulk_specs(pack, group_charges(charges, "t").people, RUN_DATE)[0]
    volumes = bulk_render.render_bulk_motion_pdf(PdfRenderer(pack, RUN_DATE), spec)
    assert len(volumes) == 1
    return volumes[0].data, spec.context["exhibit_rows"]


@pytest.fixture(scope="module")
def exhibit() -> tuple[bytes, list[tuple[str, ...]]]:
    return _exhibit()


def _table_cells(data: bytes) -> list[list[str | None]]:
    """Each exhibit table row's cells' /ActualText (None where absent), header row first."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        table = pdf.Root.StructTreeRoot.K[0].K[-1]
        assert str(table.S) == "/Table"
        return [
            [str(cell.ActualText) if "/ActualText" in cell else None for cell in tr.K]
            for tr in table.K
        ]


def test_wrapped_cells_read_whole_and_one_line_cells_carry_nothing(exhibit) -> None:
    data, rows = exhibit
    pack = load_pack(PACK)
    headers = list(exhibit_layout.bulk_settings(pack)["exhibit_headers"])
    head, pages = exhibit_layout.paginate(rows, headers, exhibit_layout.geometry(pack))
    laid_out = [head, *(row for page in pages for row in page)]
    originals = [headers, *rows]
    read = _table_cells(data)
    assert len(read) == len(laid_out) == len(rows) + 1
    wrapped = 0
    for lines_row, text_row, actual_row in zip(laid_out, originals, read, strict=True):
        assert len(actual_row) == len(lines_row)
        for lines, text, actual in zip(lines_row, text_row, actual_row, strict=False):
            if len(lines) > 1:
                assert actual == text, (lines, actual)
                wrapped += 1
            else:
                assert actual is None, (lines, actual)
    assert wrapped >= 4  # at least the long case number and the three long names

    def cells_of(value: str) -> list[list[str]]:
        column = 1 if value == LONG_CASE else 2
        return [
            lines_row[column]
            for lines_row, r in zip(laid_out, originals, strict=True)
            if value in r[column]
        ]

    # The forced cases really wrap as the brief describes, and read back as one value.
    (case_lines,) = cells_of(LONG_CASE)
    assert case_lines[0].endswith("-") and "".join(case_lines) == LONG_CASE
    (surname_lines,) = cells_of(LONG_SURNAME)
    assert len(surname_lines) > 1 and " " not in surname_lines[0]
    flat = [a for row in read for a in row if a is not None]
    assert LONG_CASE in flat
    assert any(a.startswith(LONG_SURNAME + ",") for a in flat)
    assert f"{TRICKY_SURNAME}, {TRICKY_FIRST}" in flat  # round-trips exactly


def test_volumes_stay_under_the_size_limit_when_every_row_wraps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The volume split's size estimate counts the /ActualText entries (exhibit_pdf.tag_bytes)."""
    use_small_volumes(tmp_path, monkeypatch)
    charges = [
        c.model_copy(update={"case_number": f"{LONG_CASE}-{i:04d}", "first_name": TRICKY_FIRST})
        for i, c in enumerate(_charges(400))
    ]
    pack = load_pack(PACK)
    spec = bulk.bulk_specs(pack, group_charges(charges, "t").people, RUN_DATE)[0]
    volumes = bulk_render.render_bulk_motion_pdf(PdfRenderer(pack, RUN_DATE), spec)
    assert len(volumes) >= 2
    with_text = 0
    for volume in volumes:
        assert len(volume.data) <= 120000
        rows = _table_cells(volume.data)[1:]
        assert len(rows) == len(volume.rows)
        with_text += sum(row[1] is not None and row[2] is not None for row in rows)
    assert with_text == 400  # every row's case number and name wrapped


def test_the_pages_are_drawn_as_before(exhibit) -> None:
    """ActualText is structure only: no content stream mentions it."""
    data, _ = exhibit
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            assert b"ActualText" not in page.Contents.read_bytes()


def test_equal_input_gives_equal_bytes(exhibit) -> None:
    data, _ = exhibit
    again, _ = _exhibit()
    assert again == data


@pytest.mark.parametrize(
    "text",
    [
        "2011-MC1-9550725",
        "O'NEIL (JR.)",
        "unbalanced ) ( \\ back\\slash \\\\ and \\( escaped",
        "李, 小龍",
        "ÉMILE ZOË",
        "emoji \U0001f600 outside the BMP",
        "line\nbreak\tand tab",
        "",
    ],
)
def test_text_string_round_trips(text: str) -> None:
    token = text_string(text)
    assert token.isascii()  # safe in a raw object body
    with pikepdf.new() as pdf:
        stream = pikepdf.Stream(pdf, f"{token} Tj".encode("ascii"))
        ((operands, operator),) = pikepdf.parse_content_stream(stream)
    assert str(operator) == "Tj"
    assert str(operands[0]) == text
    if not (text.isascii() and text.isprintable()):
        assert token.startswith("<FEFF")  # UTF-16BE with its byte order mark
