"""The copy of a signed order for the record (signed/<case>.pdf) without the batch's page codes.

docgen's signing batch draws a QR code and a marker line in the top margin of every page
(docgen.judge.page_codes, at signing.toml's `code` and `marker` boxes). They identify the page on its
way back from the judge; the order entered in the record must not carry them. A signed page is
one of two things:

- e-signed (vector): docgen's drawing is still the marked-content section it was stamped as
  (`/DocgenPageCode BMC ... EMC`, or, in batches stamped before it was marked, the content stream
  docgen appended): that section is taken out of the page's content, and the marker's fonts out
  of its resources. Nothing else on the page is touched (the judge's signature, date, marks).
- scanned (an image of the page): the band of the top margin where docgen placed the code is
  painted white in the scanned image itself, not covered, so the code is gone from the file. The
  order has nothing there: the top margin is blank on every order (checked by `docgen check`).

`docgen check` checks signed/*.pdf against the margin rules afterwards (docgen.check.layout).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from typing import Any

import pikepdf
from PIL import Image, ImageDraw

PT_PER_IN = 72.0
MARK = pikepdf.Name("/DocgenPageCode")  # the marked-content tag docgen.judge.page_codes stamps with
FONT_PREFIX = "/DocgenCode"
BAND_ALLOWANCE_IN = 0.05  # a scan sits a little off: white out this much past the codes' boxes


def code_band_in(boxes: Sequence[Sequence[float]], top_margin_in: float = 1.0) -> float:
    """Depth from the page's top edge (inches) of the band holding the code boxes, kept above
    the text area (1 pt inside the top margin)."""
    lowest = max(y + h for _, y, _, h in boxes)
    return min(lowest + BAND_ALLOWANCE_IN, top_margin_in - 1 / PT_PER_IN)


def clean_page(pdf: pikepdf.Pdf, page: pikepdf.Page, band_in: float) -> bool:
    """Take docgen's page code off `page` (vector) or white out its band (scan); True when
    something was taken out."""
    removed = _remove_marked_code(pdf, page) or _remove_legacy_code_stream(page)
    _drop_code_fonts(page)
    whitened = _whiten_images(page, band_in)
    return removed or whitened


# ---------------------------------------------------------------- vector (e-signed)


def _remove_marked_code(pdf: pikepdf.Pdf, page: pikepdf.Page) -> bool:
    # pikepdf types its instructions as not iterable; they unpack to (operands, operator)
    operations: list[Any] = list(pikepdf.parse_content_stream(page))
    kept: list[Any] = []
    depth = 0  # marked-content nesting inside docgen's section (0: outside it)
    removed = False
    for operands, operator in operations:
        name = str(operator)
        if depth:
            if name in ("BMC", "BDC"):
                depth += 1
            elif name == "EMC":
                depth -= 1
            continue
        if name == "BMC" and operands and operands[0] == MARK:
            depth, removed = 1, True
            continue
        kept.append((operands, operator))
    if removed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
    return removed


def _remove_legacy_code_stream(page: pikepdf.Page) -> bool:
    """A batch stamped before the section was marked: docgen appended one stream, starting
    "\\nQ q\\n" and naming its fonts /DocgenCode...; it becomes an empty q/Q pair."""
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    removed = False
    for stream in streams:
        if not isinstance(stream, pikepdf.Stream):
            continue
        data = stream.read_bytes()
        if data.startswith(b"\nQ q\n") and FONT_PREFIX.encode() in data:
            stream.write(b"\nQ q\nQ\n")
            removed = True
    return removed


def _drop_code_fonts(page: pikepdf.Page) -> None:
    obj: Any = page.obj
    fonts = obj.get("/Resources", {}).get("/Font")
    if fonts is None:
        return
    for name in [k for k in fonts if k.startswith(FONT_PREFIX)]:
        del fonts[name]


# ---------------------------------------------------------------- scanned (images)


def _whiten_images(page: pikepdf.Page, band_in: float) -> bool:
    """Paint the top band white in every upright image drawn over it."""
    height = float(page.mediabox[3]) - float(page.mediabox[1])
    band_bottom = height - band_in * PT_PER_IN  # page y (from the bottom) of the band's lower edge
    obj: Any = page.obj
    images = obj.get("/Resources", {}).get("/XObject", {})
    done: set[tuple[int, int]] = set()
    changed = False
    for name, ctm in _image_placements(page):
        xobject = images.get(name)
        if xobject is None or xobject.get("/Subtype") != pikepdf.Name.Image:
            continue
        if xobject.objgen in done:
            continue
        a, b, c, d, _e, f = ctm
        if b or c or a <= 0 or d <= 0:  # rotated or mirrored: left for `docgen check` to report
            continue
        top = f + d
        if top <= band_bottom:
            continue
        done.add(xobject.objgen)
        changed |= _whiten_rows(xobject, (top - band_bottom) / d)
    return changed


def _image_placements(page: pikepdf.Page) -> list[tuple[pikepdf.Name, tuple[float, ...]]]:
    """Each `Do` of the page with the transformation in force (page content only)."""
    ctm: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack: list[tuple[float, ...]] = []
    placed: list[tuple[pikepdf.Name, tuple[float, ...]]] = []
    operations: list[Any] = list(pikepdf.parse_content_stream(page))
    for operands, operator in operations:
        name = str(operator)
        if name == "q":
            stack.append(ctm)
        elif name == "Q" and stack:
            ctm = stack.pop()
        elif name == "cm" and len(operands) == 6:
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif name == "Do" and operands:
            placed.append((operands[0], ctm))
    return placed


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _whiten_rows(xobject: pikepdf.Stream, share: float) -> bool:
    """White over the top `share` (0-1) of the image's rows, written back into the image."""
    try:
        image = pikepdf.PdfImage(xobject).as_pil_image()
    except (pikepdf.PdfError, NotImplementedError, ValueError):
        return False
    if image.mode not in ("L", "RGB", "CMYK"):
        image = image.convert("L" if image.mode in ("1", "LA", "P") else "RGB")
    rows = min(image.height, max(0, round(share * image.height)))
    if rows == 0:
        return False
    white: Any = {"L": 255, "RGB": (255, 255, 255), "CMYK": (0, 0, 0, 0)}[image.mode]
    ImageDraw.Draw(image).rectangle((0, 0, image.width, rows - 1), fill=white)
    _write_image(xobject, image)
    return True


def _write_image(xobject: pikepdf.Stream, image: Image.Image) -> None:
    space = {"L": "/DeviceGray", "RGB": "/DeviceRGB", "CMYK": "/DeviceCMYK"}[image.mode]
    if xobject.get("/Filter") == pikepdf.Name.DCTDecode:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=90)
        xobject.write(buffer.getvalue(), filter=pikepdf.Name.DCTDecode)
    else:
        xobject.write(zlib.compress(image.tobytes()), filter=pikepdf.Name.FlateDecode)
    for key in ("/DecodeParms", "/Decode"):
        if key in xobject:
            del xobject[key]
    xobject.ColorSpace = pikepdf.Name(space)
    xobject.BitsPerComponent = 8
    xobject.Width, xobject.Height = image.size
