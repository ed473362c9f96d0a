"""The filing-rule checks that look at pixels (docgen.check.checker): each page rendered in grey, and
no ink outside the margins except the footer band and the boxes the pack allows, and none in the
clerk's stamp box.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pypdfium2 as pdfium
from PIL import ImageDraw

from docgen.filing_rules import FilingRules, PageLayout

PT_PER_IN = 72.0
INK = 250  # a grey level darker than this (0-255) is ink
# On a scanned page (an image, re-sampled to 72 dpi here) a letter at the margin line smears a
# grey of 245-249 a pixel or three into the margin, and paper is never quite white: ink there is
# what a pen, a stamp or a printed letter leaves, darker than a quarter grey.
SCAN_INK = 192
# Anti-aliasing and glyph overshoot shade the pixel next to a margin line: 1 pt of tolerance.
TOLERANCE_PT = 1


def ink_failures(
    data: bytes,
    rules: FilingRules,
    layouts: list[tuple[PageLayout, bool]],
    kind: str,
    failures: list[str],
    scanned: Sequence[bool] = (),
) -> None:
    """Ink where none may be, page by page (rendered at 72 dpi): in the margins (less the
    ink the pack allows there and the footer band) and in the clerk's stamp box. `scanned[i]`:
    page i is a scan (held to SCAN_INK instead of INK)."""

    doc = pdfium.PdfDocument(data)
    try:
        for index in range(len(doc)):
            layout, _ = layouts[index]
            m = layout.margins_in
            page = doc[index]
            original = page.render(scale=1, grayscale=True).to_pil().convert("L")
            page.close()
            image = original
            if layout.allowed_ink_in:  # declared ink (line numbers, rules) does not count
                image = original.copy()
                draw = ImageDraw.Draw(image)
                for a in layout.allowed_ink_in:
                    x0, y0 = a.left_in * PT_PER_IN, a.top_in * PT_PER_IN
                    x1, y1 = x0 + a.width_in * PT_PER_IN, y0 + a.height_in * PT_PER_IN
                    draw.rectangle((x0, y0, x1, y1), fill=255)
            w, h = image.size
            t = TOLERANCE_PT
            left = int(m.left * PT_PER_IN) - t
            right = w - int(m.right * PT_PER_IN) + t
            top = int(m.top * PT_PER_IN) - t
            bottom = h - int(m.bottom * PT_PER_IN) + t
            regions = {
                "top margin": (0, 0, w, top),
                "left margin": (0, 0, left, h),
                "right margin": (right, 0, w, h),
            }
            number = index + 1
            ink = SCAN_INK if index < len(scanned) and scanned[index] else INK
            for name, box in regions.items():
                if _has_ink(image, box, ink):
                    failures.append(f"page {number}: ink in the {name}")
            bottom_box = (left, bottom, right, h)
            if layout.footer_band_in:
                lo, hi = layout.footer_band_in
                band_top = h - int(hi * PT_PER_IN)
                band_bottom = h - int(lo * PT_PER_IN)
                outside = [(left, bottom, right, band_top), (left, band_bottom, right, h)]
                if any(_has_ink(image, b, ink) for b in outside if b[3] > b[1]):
                    failures.append(f"page {number}: ink in the bottom margin outside the footer")
            elif _has_ink(image, bottom_box, ink):
                failures.append(f"page {number}: ink in the bottom margin")
            stamp = rules.stamp_box
            if stamp and kind in stamp.documents and number == stamp.page:
                x0 = int(stamp.left_in * PT_PER_IN) + 3
                y0 = int(stamp.top_in * PT_PER_IN) + 3
                x1 = int((stamp.left_in + stamp.width_in) * PT_PER_IN) - 3
                y1 = int((stamp.top_in + stamp.height_in) * PT_PER_IN) - 3
                if _has_ink(original, (x0, y0, x1, y1), ink):
                    failures.append(f"page {number}: the clerk's stamp box is not blank")
    finally:
        doc.close()


def _has_ink(image: Any, box: tuple[int, int, int, int], ink: int = INK) -> bool:
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return False
    lo: int
    lo, _ = image.crop(box).getextrema()  # a grey ("L") image: (darkest, lightest)
    return lo < ink
