"""Court-content rules of `docgen check` (docgen.check.checker), from the pack's `[rules]` table.

- `exhibit_in`: the kinds that carry Exhibit A (a bulk motion; a bulk order unless the pack's
  `[bulk] order_exhibit = "by_reference"`): the file has the exhibit's bookmark and its "Rows a-b"
  bookmarks cover exactly the rows the manifest says it holds, so an agency served with the
  order alone has every name.
- `consecutive_page_numbers`: the kinds whose printed page numbers ("Page 5 of 11" or the pleading
  footer's number) read 1, 2, ... N across the whole file, exhibit and its cover included, with
  one total N (Cal. Rules of Court 3.1110(c)); a later volume runs on from the one before.
- `signature`: no page holds a signature ("/s/ ...") without text it signs above it (the lone
  signer a long certificate of service once pushed onto a page of its own).
- `lead_in`: no page but the last ends with a line introducing what follows ("IT IS HEREBY
  ORDERED:"), its items or table on the next page.
- `exhibit_counts`: the number of convictions a bulk motion or order says Exhibit A lists, and
  the number it says are marked with each relief, are the exhibit's (its rows, and its rows
  ending in that relief), in a file that holds the whole exhibit (not a volume of a split one).

What the text must and must not say is one table, checked by docgen.check.wording.

Failures name the page and the rule, never the matching text.
"""

from __future__ import annotations

import re
from typing import Any

from docgen.filing_rules import ExhibitCountRule, FilingRules, SignatureRule
from docgen.packs import Pack
from docgen.plural import counted
from docgen.render.exhibit_layout import bulk_settings

_PAGE_OF = re.compile(r"\bPage (\d+) of (\d+)\b")
_ROWS = re.compile(r"^Rows ([\d,]+)\u2013([\d,]+)$")
_VOLUME = re.compile(r"-vol-(\d+)\.pdf$")


def is_continuation(relpath: str) -> bool:
    """A volume after the first (`motion-with-exhibit-vol-02.pdf`): its numbers run on."""
    found = _VOLUME.search(relpath)
    return found is not None and int(found[1]) > 1


def must_carry_exhibit(pack: Pack, rules: FilingRules, kind: str) -> bool:
    if kind not in rules.exhibit_in:
        return False
    by_reference = bulk_settings(pack).get("order_exhibit", "attached") == "by_reference"
    return not (kind == "bulk-order" and by_reference)


def exhibit_failures(pdf: Any, rows: int, failures: list[str]) -> None:
    """The exhibit's bookmark is there and its row bookmarks cover `rows` rows."""
    exhibit, covered = False, 0
    with pdf.open_outline() as outline:
        for item in outline.root:
            title = str(item.title or "").strip()
            if title.startswith("EXHIBIT"):
                exhibit = True
                for child in item.children:
                    if found := _ROWS.match(str(child.title or "").strip()):
                        first, last = (int(v.replace(",", "")) for v in found.groups())
                        covered += last - first + 1
    if not exhibit:
        failures.append(
            "no Exhibit A in the file: it must carry its exhibit (bookmark and rows) unless "
            "the pack's bulk order_exhibit setting is by_reference"
        )
    elif covered != rows:
        failures.append(
            f"Exhibit A's row bookmarks cover {covered:,} rows; the file holds {rows:,}"
        )


def printed_page_numbers(text: str, footer: list[str]) -> tuple[int, int | None] | None:
    """The page number a page prints (and its "of N"), from "Page X of Y" or a lone number in
    the footer band; None when it prints none."""
    if found := _PAGE_OF.search(re.sub(r"\s+", " ", text)):
        return int(found[1]), int(found[2])
    numbers = [int(t) for t in footer if t.isdigit()]
    return (numbers[0], None) if len(numbers) == 1 else None


def page_number_failures(
    texts: list[str], footers: list[list[str]], failures: list[str], *, continued: bool
) -> None:
    printed = [printed_page_numbers(t, f) for t, f in zip(texts, footers, strict=True)]
    for number, found in enumerate(printed, 1):
        if found is None:
            failures.append(f"page {number}: no page number printed (CRC 3.1110(c))")
            return
    numbers = [p[0] for p in printed if p is not None]
    first = numbers[0] if continued else 1
    expected = list(range(first, first + len(numbers)))
    if numbers != expected:
        at = next(i for i, (a, b) in enumerate(zip(numbers, expected, strict=True), 1) if a != b)
        failures.append(
            f"page {at}: printed page number {numbers[at - 1]}, not {expected[at - 1]}: pages "
            "must be numbered consecutively across the document and its exhibits (CRC 3.1110(c))"
        )
        return
    totals = {p[1] for p in printed if p is not None and p[1] is not None}
    if len(totals) > 1 or (totals and not continued and totals != {expected[-1]}):
        failures.append(
            f"page totals {sorted(totals)} do not match the file's {expected[-1]} pages "
            "(one running count across the document and its exhibits, CRC 3.1110(c))"
        )


def court_text_failures(
    texts: list[str],
    footers: list[list[str]],
    rules: FilingRules,
    kind: str,
    failures: list[str],
    *,
    continued: bool = False,
) -> None:
    if kind in rules.consecutive_page_numbers:
        page_number_failures(texts, footers, failures, continued=continued)
    if rules.signature:
        lone_signature_failures(texts, footers, rules.signature, failures)
    if rules.lead_in:
        lead_in_failures(texts, footers, rules.lead_in, failures)


def lone_signature_failures(
    texts: list[str], footers: list[list[str]], rule: SignatureRule, failures: list[str]
) -> None:
    """A page whose first signature line has fewer than `rule.min_lines_above` lines of text
    above it on that page (the sign-off, line numbers and footer runs not counted)."""
    signer, lead = re.compile(rule.line), re.compile(rule.lead) if rule.lead else None
    for number, (text, footer) in enumerate(zip(texts, footers, strict=True), start=1):
        lines = body_lines(text, footer)
        at = next((i for i, line in enumerate(lines) if signer.search(line)), None)
        if at is None:
            continue
        above = [line for line in lines[:at] if not (lead and lead.search(line))]
        if len(above) < rule.min_lines_above:
            failures.append(
                f"page {number}: a signature stands without the text it signs (fewer than "
                f"{counted(rule.min_lines_above, 'line')} above it on the page): keep it with "
                "its last paragraph"
            )


def lead_in_failures(
    texts: list[str], footers: list[list[str]], pattern: str, failures: list[str]
) -> None:
    """A page (not the last) whose last line of text introduces what follows ("IT IS HEREBY
    ORDERED:", "... the following charges:"), which is then on the next page."""
    lead_in = re.compile(pattern)
    for number, (text, footer) in enumerate(zip(texts[:-1], footers, strict=False), start=1):
        lines = body_lines(text, footer)
        if lines and lead_in.search(lines[-1]):
            failures.append(
                f"page {number}: ends with a line that introduces what follows, which is on "
                "the next page ([rules] lead_in): keep them together"
            )


def body_lines(text: str, footer: list[str]) -> list[str]:
    """A page's lines of text, without blank lines, pleading line numbers and the lines made
    of the footer band's runs alone."""
    lines = (line.strip() for line in text.splitlines())
    return [
        line for line in lines if line and not line.isdigit() and not _only_footer(line, footer)
    ]


def _only_footer(line: str, footer: list[str]) -> bool:
    """The line is made of the footer band's runs of text (and spaces) alone."""
    rest = line
    for run in footer:
        rest = rest.replace(run, "")
    return bool(footer) and not rest.strip()


def exhibit_count_failures(
    texts: list[str],
    exhibit_pages: list[bool],
    rows: int,
    rule: ExhibitCountRule,
    failures: list[str],
) -> None:
    """The counts the document's own pages state against Exhibit A's `rows` and relief cells
    (`exhibit_pages`: per page, whether it is an exhibit page)."""
    stated = " ".join(
        " ".join(t.split()) for t, x in zip(texts, exhibit_pages, strict=True) if not x
    )
    listed: dict[str, int] = {}
    for text, is_exhibit in zip(texts, exhibit_pages, strict=True):
        if not is_exhibit:
            continue
        for line in text.splitlines():
            line = line.strip()
            for label in rule.labels:
                if line.endswith(f" {label}"):
                    listed[label] = listed.get(label, 0) + 1
    for pattern in rule.total:
        for found in re.finditer(pattern, stated):
            count = _count(found)
            if count != rows:
                failures.append(
                    f"the text says Exhibit A lists {count:,} conviction(s); it lists {rows:,}"
                )
    if rule.marked:
        for found in re.finditer(rule.marked, stated):
            label, count = found["label"], _count(found)
            if label in rule.labels and count != listed.get(label, 0):
                failures.append(
                    f'the text says {count:,} conviction(s) are marked "{label}"; Exhibit A '
                    f"marks {listed.get(label, 0):,}"
                )


def _count(found: re.Match[str]) -> int:
    """A pattern's `count` group as a number, or 1 where the sentence names one conviction."""
    value = found.groupdict().get("count")
    return int(value.replace(",", "")) if value else 1
