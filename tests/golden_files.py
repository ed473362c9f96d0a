"""Golden-file comparison for rendered documents.

PDFs: every page rendered with pypdfium2 at a fixed DPI (compared with a small tolerance) and the
extracted text (compared exactly). DOCX: the normalised word/document.xml (compared exactly).
On a mismatch, actual, expected and diff images are written to tests/goldens-results/ (git-ignored).
Goldens change only through `pytest --update-goldens`.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.dom import minidom

import pypdfium2
from PIL import Image, ImageChops
from pypdf import PdfReader

TESTS_DIR = Path(__file__).resolve().parent
GOLDENS_DIR = TESTS_DIR / "goldens"
RESULTS_DIR = TESTS_DIR / "goldens-results"
DPI = 72
# A pixel "differs" when its grey level moves by more than this (anti-aliasing noise is smaller).
PIXEL_THRESHOLD = 48
# A page fails when more than this share of its pixels differ.
MAX_DIFF_SHARE = 0.0005


@dataclass
class Mismatch:
    what: str
    detail: str

    def __str__(self) -> str:
        return f"{self.what}: {self.detail}"


def render_pages(pdf_path: Path, dpi: int = DPI) -> list[Image.Image]:
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in pdf]
    finally:
        pdf.close()


def pdf_text(pdf_path: Path) -> str:
    reader = PdfReader(str(pdf_path))
    pages = [page.extract_text() or "" for page in reader.pages]
    return "\n\f\n".join(pages).strip() + "\n"


def docx_xml(docx_path: Path) -> str:
    with zipfile.ZipFile(docx_path) as zf:
        xml = zf.read("word/document.xml")
    pretty = minidom.parseString(xml).toprettyxml(indent=" ")
    # rsid attributes are editing-session ids from Word, not content.
    pretty = re.sub(r' w:rsid\w*="[0-9A-Fa-f]+"', "", pretty)
    return "\n".join(line for line in pretty.splitlines() if line.strip()) + "\n"


def image_diff_share(actual: Image.Image, expected: Image.Image) -> float:
    if actual.size != expected.size:
        return 1.0
    diff = ImageChops.difference(actual, expected).point(
        lambda v: 255 if v > PIXEL_THRESHOLD else 0
    )
    histogram = diff.histogram()
    return histogram[255] / (actual.size[0] * actual.size[1])


def _write_failure_images(
    name: str, index: int, actual: Image.Image, expected: Image.Image
) -> Path:
    out = RESULTS_DIR / name
    out.mkdir(parents=True, exist_ok=True)
    actual.save(out / f"page-{index}-actual.png")
    expected.save(out / f"page-{index}-expected.png")
    if actual.size == expected.size:
        diff = ImageChops.difference(actual, expected).point(lambda v: 255 - min(255, v * 4))
        diff.save(out / f"page-{index}-diff.png")
    return out


def compare_pdf(pdf_path: Path, golden: Path, name: str, update: bool) -> list[Mismatch]:
    """Compare one PDF with its golden folder (page-N.png + text.txt); update rewrites them."""
    pages = render_pages(pdf_path)
    text = pdf_text(pdf_path)
    if update:
        if golden.exists():
            shutil.rmtree(golden)
        golden.mkdir(parents=True)
        for index, image in enumerate(pages, 1):
            image.save(golden / f"page-{index}.png", optimize=True)
        (golden / "text.txt").write_text(text, encoding="utf-8")
        return []
    problems: list[Mismatch] = []
    expected_pages = sorted(golden.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    if not expected_pages:
        return [Mismatch(name, f"no goldens in {golden}; run pytest --update-goldens")]
    if len(expected_pages) != len(pages):
        problems.append(Mismatch(name, f"{len(pages)} pages, golden has {len(expected_pages)}"))
    for index, (image, expected_path) in enumerate(zip(pages, expected_pages, strict=False), 1):
        expected = Image.open(expected_path).convert("L")
        share = image_diff_share(image, expected)
        if share > MAX_DIFF_SHARE:
            where = _write_failure_images(name, index, image, expected)
            problems.append(
                Mismatch(f"{name} page {index}", f"{share:.3%} of pixels differ; see {where}")
            )
    expected_text = (golden / "text.txt").read_text(encoding="utf-8")
    if text != expected_text:
        out = RESULTS_DIR / name
        out.mkdir(parents=True, exist_ok=True)
        (out / "text-actual.txt").write_text(text, encoding="utf-8")
        problems.append(
            Mismatch(f"{name} text", f"extracted text differs; see {out / 'text-actual.txt'}")
        )
    return problems


def compare_docx(docx_path: Path, golden: Path, name: str, update: bool) -> list[Mismatch]:
    xml = docx_xml(docx_path)
    target = golden / "document.xml"
    if update:
        golden.mkdir(parents=True, exist_ok=True)
        target.write_text(xml, encoding="utf-8")
        return []
    if not target.exists():
        return [Mismatch(name, f"no golden {target}; run pytest --update-goldens")]
    if xml != target.read_text(encoding="utf-8"):
        out = RESULTS_DIR / name
        out.mkdir(parents=True, exist_ok=True)
        (out / "document-actual.xml").write_text(xml, encoding="utf-8")
        return [
            Mismatch(f"{name} docx", f"document.xml differs; see {out / 'document-actual.xml'}")
        ]
    return []
