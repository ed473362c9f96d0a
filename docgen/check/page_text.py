"""The text of each page of a court document, as `docgen check` (docgen.check.checker) reads it:
its runs with their positions and sizes, the footer band's runs, and the rules read from them
there (searchable text, minimum font sizes, pleading paper's line numbers on every page)."""

from __future__ import annotations

import io
import math
from typing import Any

import pypdf

from docgen.check.ink import PT_PER_IN
from docgen.filing_rules import FilingRules, LineNumbers, PageLayout


def page_text_failures(
    data: bytes,
    rules: FilingRules,
    layouts: list[tuple[PageLayout, bool]],
    failures: list[str],
    footers: list[list[str]] | None = None,
) -> list[str]:
    """Text of each page; adds searchability, font-size and line-number failures. `footers`
    gets, per page, the runs of text in its footer band."""

    reader = pypdf.PdfReader(io.BytesIO(data))
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        small: list[float] = []
        runs: list[tuple[float, float, str]] = []
        layout, is_main = layouts[number - 1]
        band = None
        if layout.footer_band_in:
            band = (layout.footer_band_in[0] * PT_PER_IN, layout.footer_band_in[1] * PT_PER_IN)

        def visit(
            text: str,
            cm: Any,
            tm: Any,
            font: Any,
            size: float,
            small: list[float] = small,
            runs: list[tuple[float, float, str]] = runs,
            band: tuple[float, float] | None = band,
        ) -> None:
            if not text.strip() or not size:
                return
            _, _, c, d, e, f = (float(v) for v in tm)
            ca, cb, cc, cd, ce, cf = (float(v) for v in cm)
            effective = size * math.hypot(c * ca + d * cc, c * cb + d * cd)
            y = e * cb + f * cd + cf  # baseline, from the bottom edge of the page
            runs.append((e * ca + f * cc + ce, y, text.strip()))
            in_band = band is not None and band[0] - 2 <= y <= band[1] + 2
            minimum = (
                rules.footer_min_font_pt
                if in_band and rules.footer_min_font_pt is not None
                else rules.min_font_pt
            )
            if effective < minimum - 0.05:
                small.append(effective)

        text = page.extract_text(visitor_text=visit) or ""
        texts.append(text)
        if footers is not None:
            footers.append(
                [t for _, y, t in runs if band is not None and band[0] - 2 <= y <= band[1] + 2]
            )
        if small:
            failures.append(
                f"page {number}: text at {min(small):.1f} pt, below the minimum of "
                f"{rules.min_font_pt:g} pt"
                + (
                    f" ({rules.footer_min_font_pt:g} pt in the footer)"
                    if rules.footer_min_font_pt is not None
                    else ""
                )
            )
        if rules.searchable and sum(ch.isalnum() for ch in text) < 10:
            failures.append(f"page {number}: no searchable text (scanned image or outlines?)")
        if rules.line_numbers and is_main:
            line_number_failures(number, runs, rules.line_numbers, failures)
    return texts


def line_number_failures(
    number: int, runs: list[tuple[float, float, str]], rule: LineNumbers, failures: list[str]
) -> None:
    lo, hi = rule.left_in * PT_PER_IN, rule.right_in * PT_PER_IN
    found: dict[int, float] = {}
    for x, y, text in runs:
        if lo <= x <= hi and text.isdigit() and rule.first <= int(text) <= rule.last:
            found.setdefault(int(text), y)
    wanted = range(rule.first, rule.last + 1)
    missing = [n for n in wanted if n not in found]
    if missing:
        shown = ", ".join(map(str, missing[:5])) + (", ..." if len(missing) > 5 else "")
        failures.append(
            f"page {number}: pleading line numbers missing ({len(missing)} of "
            f"{rule.first}-{rule.last}: {shown})"
        )
        return
    if rule.pitch_pt:
        off = [
            n
            for n in wanted
            if abs(found[rule.first] - found[n] - (n - rule.first) * rule.pitch_pt) > 0.5
        ]
        if off:
            failures.append(
                f"page {number}: pleading line number {off[0]} is off the "
                f"{rule.pitch_pt:g} pt line pitch"
            )
