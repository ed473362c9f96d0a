"""Reading a signed batch's pages for `docgen.judge.ingest`: which order page each is, and the marks
on it.

- A page is identified by the line of text docgen printed in its top margin (the text layer) or,
  when the page has no text layer (a scan), by the QR code beside it, read from an image of the
  page; never by anything else.
- Marks: the share of an area that is ink (signature line, "Denied" box), the text in an area
  (the date field), ink added to a page that docgen did not print (`new_marks`), and the date
  written in a piece of text.

Nothing here logs: pages carry personal data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium

from docgen.judge.page_codes import CODE_PREFIX, PageCode, parse_marker, parse_payload
from docgen.judge.volumes import Box

if TYPE_CHECKING:  # for annotations only: pypdfium2's to_pil() makes the images
    from PIL import Image

CODE_DPI = 200  # the page image the QR code is read from (scans: the code's modules are ~4 px)
CODE_BAND_IN = 1.5  # the top band of the page where docgen prints the code (signing.toml)
MARK_DPI = 100  # the page image the signature and "Denied" areas are looked at in
INK_LEVEL = 128  # grey level below which a pixel is ink
# New marks: ink added to a page, counted in cells of MARK_CELL inches on a MARK_GRID_DPI image;
# MARK_CELLS cells each with MARK_ADDED_INK more ink than docgen printed there mean "marked".
MARK_GRID_DPI = 50
MARK_CELL = 0.25
MARK_ADDED_INK = 0.2
MARK_CELLS = 3


@dataclass(slots=True)
class PageRead:
    position: int  # 1-based page number in the signed file
    code: PageCode | None
    method: str  # "text", "code" or "" (unreadable)
    problem: str = ""


# ---------------------------------------------------------------- reading pages


def page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range() or ""
    finally:
        textpage.close()


def _read_code(page: pdfium.PdfPage) -> list[PageCode]:
    """The docgen codes on the page: looked for in the top band first (where docgen prints
    them; a fraction of the pixels), then on the whole page (a scan fed in upside down or
    shifted)."""
    _width, height = page.get_size()
    band = max(0.0, height - CODE_BAND_IN * 72)
    codes = _codes_in(page.render(scale=CODE_DPI / 72, grayscale=True, crop=(0, band, 0, 0)))
    return codes or _codes_in(page.render(scale=CODE_DPI / 72, grayscale=True))


def _codes_in(bitmap: Any) -> list[PageCode]:
    import zxingcpp

    codes = []
    for barcode in zxingcpp.read_barcodes(bitmap.to_pil()):
        if barcode.text.startswith(CODE_PREFIX + "|"):
            parsed = parse_payload(barcode.text)
            if parsed is not None:
                codes.append(parsed)
    return codes


def read_page(page: pdfium.PdfPage, position: int) -> PageRead:
    """Identify one page: by its marker text, else by its QR code; never by anything else."""
    by_text = parse_marker(page_text(page))
    if by_text is not None:
        return PageRead(position, by_text, "text")
    codes = _read_code(page)
    if len(set(codes)) == 1:
        return PageRead(position, codes[0], "code")
    if len(set(codes)) > 1:
        return PageRead(position, None, "", "more than one docgen code on the page")
    return PageRead(position, None, "", "no docgen text or code found")


# ---------------------------------------------------------------- marks on the last page


def _pixels(box: Box, page: pdfium.PdfPage, image: Image.Image) -> tuple[int, int, int, int]:
    width, height = page.get_size()  # points; a scan of another size is scaled to it
    sx = image.width / (width / 72)
    sy = image.height / (height / 72)
    x, y, w, h = box
    return (round(x * sx), round(y * sy), round((x + w) * sx), round((y + h) * sy))


def ink_share(page: pdfium.PdfPage, box: Box, image: Image.Image | None = None) -> float:
    """Share of the area `box` (inches from top-left) that is ink on the page's image."""
    if image is None:
        image = page.render(scale=MARK_DPI / 72, grayscale=True).to_pil().convert("L")
    region = image.crop(_pixels(box, page, image))
    histogram = region.histogram()
    total = sum(histogram) or 1
    return sum(histogram[:INK_LEVEL]) / total


def text_in(page: pdfium.PdfPage, box: Box) -> str:
    _width, height = page.get_size()
    x, y, w, h = (v * 72 for v in box)
    textpage = page.get_textpage()
    try:
        text: str = textpage.get_text_bounded(
            left=x, bottom=height - (y + h), right=x + w, top=height - y
        )
        return text
    finally:
        textpage.close()


def new_marks(page: pdfium.PdfPage, original: pdfium.PdfPage, allowed: list[Box]) -> bool:
    """Whether `page` carries ink that docgen's `original` of it does not, outside `allowed`.

    Compared on a coarse grid (MARK_CELL inches), so a scan that is a little off its place or
    blurred does not count as marked; a word written or stamped on the page does.
    """
    scale = MARK_GRID_DPI / 72
    signed = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    made = original.render(scale=scale, grayscale=True).to_pil().convert("L")
    if signed.size != made.size:
        signed = signed.resize(made.size)
    cell = max(1, round(MARK_CELL * MARK_GRID_DPI))
    blocked = [
        tuple(round(v * MARK_GRID_DPI) for v in (x - 0.1, y - 0.1, x + w + 0.1, y + h + 0.1))
        for x, y, w, h in allowed
    ]
    marked = 0
    for top in range(0, made.height - cell + 1, cell):
        for left in range(0, made.width - cell + 1, cell):
            if any(
                left < bx1 and left + cell > bx0 and top < by1 and top + cell > by0
                for bx0, by0, bx1, by1 in blocked
            ):
                continue
            box = (left, top, left + cell, top + cell)
            added = _ink(signed.crop(box)) - _ink(made.crop(box))
            if added > MARK_ADDED_INK:
                marked += 1
                if marked >= MARK_CELLS:
                    return True
    return False


def _ink(region: Image.Image) -> float:
    histogram = region.histogram()
    return sum(histogram[:INK_LEVEL]) / (sum(histogram) or 1)


_MONTHS = "January February March April May June July August September October November December"


def parse_date(text: str) -> date | None:
    """The first date written in `text`: 12/03/2026, 2026-12-03, December 3, 2026 (or Dec. 3)."""
    text = " ".join(text.split())
    patterns: tuple[tuple[str, Callable[[re.Match[str]], date]], ...] = (
        (r"\b(\d{4})-(\d{2})-(\d{2})\b", lambda m: date(int(m[1]), int(m[2]), int(m[3]))),
        (r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", lambda m: date(int(m[3]), int(m[1]), int(m[2]))),
        (
            r"\b([A-Z][a-z]{2,8})\.? (\d{1,2}), (\d{4})\b",
            lambda m: datetime.strptime(f"{m[1][:3]} {m[2]} {m[3]}", "%b %d %Y").date(),
        ),
    )
    for pattern, build in patterns:
        for match in re.finditer(pattern, text):
            try:
                if pattern.startswith(r"\b([A-Z]") and not any(
                    month.startswith(match[1][:3]) for month in _MONTHS.split()
                ):
                    continue
                return build(match)
            except ValueError:
                continue
    return None
