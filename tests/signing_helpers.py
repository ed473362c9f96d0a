"""A test's stand-in for the judge: stamps a signature image and a date, marks denials, scans.

Used by tests/judge/test_signing.py, test_ingest_signed.py and test_letters_signed.py.
"""

from __future__ import annotations

import io
import json
import zlib
from pathlib import Path

import pikepdf
import pypdfium2
from PIL import Image, ImageDraw

PT = 72.0


def _signature_image() -> Image.Image:
    """A scribble, as a signature pad would give."""
    image = Image.new("L", (360, 60), 255)
    draw = ImageDraw.Draw(image)
    points = [(10 + i * 12, 30 + (14 if i % 2 else -14)) for i in range(29)]
    draw.line(points, fill=0, width=4)
    return image


def _image_xobject(pdf: pikepdf.Pdf, image: Image.Image) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, zlib.compress(image.tobytes()))
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width, stream.Height = image.size
    stream.ColorSpace = pikepdf.Name.DeviceGray
    stream.BitsPerComponent = 8
    stream.Filter = pikepdf.Name.FlateDecode
    return stream


def _helvetica(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )


def stamp(pdf: pikepdf.Pdf, index: int, ops: bytes, image: Image.Image | None = None) -> None:
    """Draw `ops` (PDF operators; /SigImg and /SigFont available) on page `index`, on top."""
    page = pikepdf.Page(pdf.pages[index])
    page.add_resource(_helvetica(pdf), pikepdf.Name.Font, pikepdf.Name("/SigFont"))
    if image is not None:
        page.add_resource(
            pdf.make_indirect(_image_xobject(pdf, image)),
            pikepdf.Name.XObject,
            pikepdf.Name("/SigImg"),
        )
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n" + ops))


def box_to_pdf(box: list[float], page_height: float) -> tuple[float, float, float, float]:
    """[x, y, w, h] in inches from the top-left -> x, y (bottom), w, h in points."""
    x, y, w, h = box
    return x * PT, page_height - (y + h) * PT, w * PT, h * PT


def batch_map(run_dir: Path) -> dict:
    return json.loads((run_dir / "batches" / "orders-for-judge.json").read_text())


def sign_batch(
    run_dir: Path,
    out: Path,
    *,
    signed_date: str = "12/03/2026",
    remove: tuple[str, ...] = (),
    deny_by_word: tuple[str, ...] = (),
    deny_by_box: tuple[str, ...] = (),
    swap_pages_of: tuple[str, ...] = (),
    unsigned: tuple[str, ...] = (),
    write_date: bool = True,
    volume: int | None = None,
) -> Path:
    """Sign every order of the run's batch like a judge with an e-signature tool would.

    remove: orders taken out; deny_by_word: DENIED written on the signed page; deny_by_box: the
    Denied box marked; swap_pages_of: the order's first two pages swapped; unsigned: no signature.
    volume: the volume of a split batch to sign (its number; the batch's one file when None).
    """
    mapping = batch_map(run_dir)
    geometry = mapping["geometry"]
    number = volume or 1
    pdf_path = next(v["pdf"] for v in mapping["volumes"] if v["number"] == number)
    documents = [d for d in mapping["documents"] if d["volume"] == number]
    with pikepdf.open(run_dir / pdf_path) as pdf:
        height = float(pdf.pages[0].MediaBox[3])
        for document in documents:
            # 0-based index of the page the judge signs (before an attached exhibit)
            last = document["first_page"] + document.get("signature_page", document["pages"]) - 2
            key = document["key"]
            ops = b""
            if key not in unsigned:
                x, y, w, h = box_to_pdf(geometry["signature"], height)
                ops += f"q {w * 0.8:.2f} 0 0 {h * 0.8:.2f} {x + 4:.2f} {y + 2:.2f} cm /SigImg Do Q\n".encode()
            if write_date:
                x, y, w, h = box_to_pdf(geometry["date"], height)
                ops += f"BT /SigFont 11 Tf {x + 6:.2f} {y + h / 2:.2f} Td ({signed_date}) Tj ET\n".encode()
            if key in deny_by_word:
                ops += b"BT /SigFont 40 Tf 150 400 Td (DENIED) Tj ET\n"
            if key in deny_by_box:
                x, y, w, h = box_to_pdf(geometry["denied"], height)
                ops += f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re f\n".encode()
            stamp(pdf, last, ops, _signature_image())
        for key in swap_pages_of:
            document = next(d for d in documents if d["key"] == key)
            first = document["first_page"] - 1
            pdf.pages[first], pdf.pages[first + 1] = (
                pikepdf.Page(pdf.pages[first + 1]),
                pikepdf.Page(pdf.pages[first]),
            )
        for key in remove:
            document = next(d for d in documents if d["key"] == key)
            first = document["first_page"] - 1
            # delete from the end so earlier indexes stay valid
            for index in reversed(range(first, first + document["pages"])):
                del pdf.pages[index]
        pdf.save(out)
    return out


def scan(pdf_path: Path, out: Path, dpi: int = 150) -> Path:
    """Rasterize every page and rebuild a PDF of images only: no text layer, as a scanner gives."""
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        images = [
            page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document
        ]
    finally:
        document.close()
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    out.write_bytes(buffer.getvalue())
    return out
