"""The checks of `docgen check` on the page layout itself (docgen.check.checker calls them):

- the text layer reads as the page does: page 1 reads the court's heading before the case
  number (the caption first, as it is shown), and no page has a long run of lone ")" lines (a
  caption's ")" column drawn with more ")" than it shows pollutes what a screen reader or a
  search finds);
- the signed copies for the record (`signed/*.pdf`, written by `docgen ingest-signed`) are held to
  the pack's page size and margin rules: the batch's page codes in the top margin, or any other
  ink in a margin, fail; so does ink in the clerk's stamp box.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pikepdf

from docgen.check.ink import ink_failures
from docgen.check.page_size import page_layouts
from docgen.filing_rules import FilingRules

MAX_PAREN_LINES = 15  # a caption's ")" column: one a caption line; a long name takes 9
SIGNED_DIR = "signed"
SIGNED_KIND = "order"  # what a signed copy is held to (the stamp box of an order's page 1)


def text_layer_failures(texts: list[str], court_line: str, case_label: str) -> list[str]:
    """Reading-order failures of a court document's text layer (texts: one per page)."""
    failures = []
    for number, text in enumerate(texts, start=1):
        run = longest = 0
        for line in text.splitlines():
            run = run + 1 if line.strip() == ")" else 0
            longest = max(longest, run)
        if longest > MAX_PAREN_LINES:
            failures.append(
                f'page {number}: {longest} lines of a lone ")" in the text layer (more than '
                f"{MAX_PAREN_LINES}: a ')' column with more than it shows)"
            )
    if texts and court_line and case_label:
        flat = re.sub(r"\s+", " ", texts[0])
        court = flat.find(re.sub(r"\s+", " ", court_line))
        number = flat.find(case_label)
        if court >= 0 and number >= 0 and number < court:
            failures.append(
                "page 1: the text layer reads the case number before the court's heading "
                "(the caption is not first in reading order)"
            )
    return failures


def signed_copy_failures(data: bytes, rules: FilingRules) -> list[str]:
    """Page size and ink outside the margins of one signed copy (a scan has no text layer, so
    the text rules do not apply; its pages are held to the scan's ink level, check_ink.SCAN_INK)."""
    failures: list[str] = []
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError:
        return ["not a readable PDF"]
    with pdf:
        layouts = page_layouts(pdf, rules, failures)
        scanned = [_is_scan(page) for page in pdf.pages]
    ink_failures(data, rules, layouts, SIGNED_KIND, failures, scanned=scanned)
    return failures


def _is_scan(page: pikepdf.Page) -> bool:
    """A page that is an image and nothing drawn as text: a scanned page (docgen.judge.ingest_clean has
    taken docgen's own code fonts off it)."""
    obj: Any = page.obj
    resources = obj.get("/Resources", {})
    images = [x for x in resources.get("/XObject", {}).values() if x.get("/Subtype") == "/Image"]
    return bool(images) and not resources.get("/Font")


def signed_copies(run_dir: Path) -> list[Path]:
    folder = Path(run_dir) / SIGNED_DIR
    return sorted(folder.glob("*.pdf")) if folder.is_dir() else []
