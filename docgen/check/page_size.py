"""Which page layout each page of a filing is held to: the main page size or the exhibit's.

Shared by the filing check (docgen.check.checker) and the signed copies' check
(docgen.check.layout), so both apply one page-size rule.
"""

from __future__ import annotations

from typing import Any

from docgen.check.ink import PT_PER_IN
from docgen.filing_rules import FilingRules, PageLayout


def fits(size: tuple[float, float], w: float, h: float) -> bool:
    return abs(w - size[0] * PT_PER_IN) <= 0.5 and abs(h - size[1] * PT_PER_IN) <= 0.5


def page_layouts(
    pdf: Any, rules: FilingRules, failures: list[str]
) -> list[tuple[PageLayout, bool]]:
    """Per page: the layout it is checked against, and whether it is a main (not exhibit) page.

    A page is an exhibit page when its size is `[rules.exhibit_pages] page_size_in` (e.g. Letter
    landscape); any other size than the main one is a failure (checked as a main page)."""
    main = rules.main_layout
    layouts = []
    for number, page in enumerate(pdf.pages, start=1):
        box = [float(v) for v in page.mediabox]
        w, h = box[2] - box[0], box[3] - box[1]
        if fits(rules.page_size_in, w, h):
            layouts.append((main, True))
        elif rules.exhibit_pages and fits(rules.exhibit_pages.page_size_in, w, h):
            layouts.append((rules.exhibit_pages, False))
        else:
            allowed = f"{rules.page_size_in[0]} x {rules.page_size_in[1]} in"
            if rules.exhibit_pages:
                x = rules.exhibit_pages.page_size_in
                allowed += f" (or {x[0]} x {x[1]} in for exhibit pages)"
            failures.append(
                f"page {number}: size {w / PT_PER_IN:.2f} x {h / PT_PER_IN:.2f} in, not {allowed}"
            )
            layouts.append((main, True))
    return layouts
