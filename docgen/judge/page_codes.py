"""The code on every page of the judge's batch: what it says, as a QR code and as a line of
text, how both are read back, and drawing them onto the pages.

A code names the run, the batch page (and the volume when the batch is split), the order's key
(its case number) and its page i of n, so a signed batch can be matched to its cases by text or,
once scanned, by the QR code (docgen.judge.ingest). docgen.judge.signing puts the codes on its batches; the
layout's signing.toml says where.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
import segno

from docgen.judge.volumes import Box, Volume
from docgen.render.pdf_fonts import Fonts

CODE_PREFIX = "DGB1"
PT_PER_IN = 72.0


@dataclass(frozen=True, slots=True)
class PageCode:
    """What the code (or the marker text) on one batch page says."""

    run_id: str
    batch_page: int  # the page's label in the batch: orders count from 1 (as the index says)
    page: int  # page i of the order (or of the index)
    pages: int
    key: str  # "" on an index page
    # The batch's volume when it is split (orders-for-judge-0002.pdf is volume 2): page numbers
    # start again in every volume, so the code must say which one. 0: the batch is one file.
    volume: int = 0
    volumes: int = 0


# ---------------------------------------------------------------- the page code


def code_payload(code: PageCode) -> str:
    # Case numbers hold only letters, digits, spaces and . _ / # : - (docgen.plan.validate): no "|".
    # A volume's pages say "<volume>/<volumes>:<batch page>"; an unsplit batch's, the page alone.
    batch = f"{code.volume}/{code.volumes}:{code.batch_page}" if code.volume else code.batch_page
    return f"{CODE_PREFIX}|{code.run_id}|{batch}|{code.page}/{code.pages}|{code.key}"


def parse_payload(text: str) -> PageCode | None:
    parts = text.split("|", 4)
    if len(parts) != 5 or parts[0] != CODE_PREFIX:
        return None
    batch = re.fullmatch(r"(?:(\d+)/(\d+):)?(\d+)", parts[2])
    match = re.fullmatch(r"(\d+)/(\d+)", parts[3])
    if not batch or not match:
        return None
    volume, volumes = (int(batch[1]), int(batch[2])) if batch[1] else (0, 0)
    return PageCode(
        parts[1], int(batch[3]), int(match[1]), int(match[2]), parts[4], volume, volumes
    )


_VOLUME_MARKER = r"(?:Volume (?P<volume>\d+) of (?P<volumes>\d+) · )?"
ORDER_MARKER_RE = re.compile(
    _VOLUME_MARKER + r"Batch page (?P<batch>\d+) · order page (?P<page>\d+) of (?P<pages>\d+) · "
    r"(?P<key>[^\n\r]+?) · run (?P<run>\S+)"
)
INDEX_MARKER_RE = re.compile(
    _VOLUME_MARKER + r"Batch index page (?P<page>\d+) of (?P<pages>\d+) · run (?P<run>\S+)"
)


def marker_text(code: PageCode) -> str:
    """The code's content as one line a person (and a text extractor) can read."""
    volume = f"Volume {code.volume} of {code.volumes} · " if code.volume else ""
    if not code.key:
        return f"{volume}Batch index page {code.page} of {code.pages} · run {code.run_id}"
    return (
        f"{volume}Batch page {code.batch_page} · order page {code.page} of {code.pages} · "
        f"{code.key} · run {code.run_id}"
    )


def _marker_volume(match: re.Match[str]) -> tuple[int, int]:
    return (int(match["volume"]), int(match["volumes"])) if match["volume"] else (0, 0)


def parse_marker(text: str) -> PageCode | None:
    match = ORDER_MARKER_RE.search(text)
    if match:
        return PageCode(
            match["run"],
            int(match["batch"]),
            int(match["page"]),
            int(match["pages"]),
            match["key"].strip(),
            *_marker_volume(match),
        )
    match = INDEX_MARKER_RE.search(text)
    if match:
        page = int(match["page"])
        return PageCode(match["run"], page, page, int(match["pages"]), "", *_marker_volume(match))
    return None


def qr_drawing(payload: str, box: Box, top_left: tuple[float, float]) -> bytes:
    """PDF operators that draw the QR code of `payload` filling `box`, one rectangle per run of
    dark modules (vector: sharp at any scan resolution). The mask is fixed: the same bytes every
    time, and 8x faster than letting segno try every mask."""
    matrix = segno.make(payload, error="m", micro=False, mask=0, boost_error=False).matrix
    x, y, width, _height = box
    module = width * PT_PER_IN / len(matrix)
    left, top = top_left[0] + x * PT_PER_IN, top_left[1] - y * PT_PER_IN  # PDF points
    rects = []
    for row, cells in enumerate(matrix):
        column = 0
        while column < len(cells):
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < len(cells) and cells[column]:
                column += 1
            rects.append(
                f"{left + start * module:.3f} {top - (row + 1) * module:.3f} "
                f"{(column - start) * module:.3f} {module:.3f} re"
            )
    return ("q 0 g\n" + "\n".join(rects) + "\nf Q\n").encode()


MARKER_PT = 8.0  # the marker line: 8 pt Liberation Serif on an 8 pt line, as in the order's margin


def _marker_ops(
    fonts: Fonts, code: PageCode, marker: Box, page_top_left: tuple[float, float]
) -> str:
    """PDF text operators that write the code's marker line in the `marker` box.

    Drawn straight into the page rather than laid out: one line of known text at a fixed place
    needs no layout engine, and laying out one overlay page per batch page with WeasyPrint was
    about 40 % of the batch's time (5 ms a page). The glyphs come from the bundled font, embedded
    as a subset with a ToUnicode map (docgen.render.pdf_fonts), so the line stays searchable text:
    ingest reads the page by it.
    """
    left, top = page_top_left
    mx, my, _mw, _mh = marker
    program = fonts.uses["regular"].program
    x = left + mx * PT_PER_IN
    y = top - my * PT_PER_IN - program.baseline_offset(MARKER_PT, MARKER_PT)
    ops = []
    for use, glyphs, width in fonts.runs(marker_text(code), "regular"):
        ops.append(
            f"/DocgenCode{use.resource[1:]} {MARKER_PT:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <{glyphs}> Tj"
        )
        x += width * MARKER_PT
    return "BT 0 g\n" + "\n".join(ops) + "\nET\n"


def stamp_codes(
    batch: pikepdf.Pdf, codes: Sequence[PageCode], code_box: Box, marker_box: Box
) -> None:
    """Draw page i's code (`codes[i]`): its marker line and QR code in the boxes, measured from
    the page's top-left corner.

    Resource names are fixed (/DocgenCodeF1 ...), never pikepdf's random ones: the batch must be
    the same bytes every time. Pages may share one resource dictionary; the names and the font
    objects are the same for every page, so sharing is harmless.
    """
    fonts = Fonts()
    drawn = []
    for index, code in enumerate(codes):
        box = pikepdf.Page(batch.pages[index]).mediabox
        top_left = (float(box[0]), float(box[3]))
        text = _marker_ops(fonts, code, marker_box, top_left)
        qr = qr_drawing(code_payload(code), code_box, top_left)
        drawn.append(text.encode() + qr)
    # Embedded once the glyphs of every marker are known: one subset per face for the volume.
    embedded = fonts.resources(batch)
    for index, draw in enumerate(drawn):
        page = pikepdf.Page(batch.pages[index])
        for name, font in embedded.items():
            page.add_resource(font, pikepdf.Name.Font, pikepdf.Name(f"/DocgenCode{name[1:]}"))
        page.contents_add(pikepdf.Stream(batch, b"q\n"), prepend=True)
        # One marked-content section: ingest-signed takes exactly it off the copy for the record.
        page.contents_add(
            pikepdf.Stream(batch, b"\nQ q\n/DocgenPageCode BMC\n" + draw + b"EMC\nQ\n")
        )


def volume_codes(volume: Volume, run_id: str, index_pages: int) -> list[PageCode]:
    """Every page's code in one volume of the judge's batch: its index pages, then each order's."""
    number, count = volume.number, volume.count
    codes = [
        PageCode(run_id, i, i, index_pages, "", number, count) for i in range(1, index_pages + 1)
    ]
    batch_page = 0
    for document in volume.documents:
        for page in range(1, document.pages + 1):
            batch_page += 1
            codes.append(
                PageCode(run_id, batch_page, page, document.pages, document.key, number, count)
            )
    return codes
