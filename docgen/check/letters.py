"""`docgen check` rules for the notification letters, from the pack's `[rules.letters]`:

- the salutation (`greeting`, a pattern whose group `name` is the name) is not in capitals
  ("Dear LUKE," shouts; names are printed in the person's own case, docgen.plan.name_case);
- `relief`: a letter that lists a relief (`when`) and not another (`unless`) must not use words
  (`forbid`) that say otherwise, e.g. "cleared"/"borre" where only a reduction was asked;
- `forbidden`: name -> pattern no letter of the pack prints (a full date inside a sentence
  without the comma after its year, "on December 3, 2026 the judge signed"; a Will County letter
  speaking of "the orders": one bulk order covers every case);
- `required`: kind -> {name -> pattern} every letter of that kind holds (the date the
  agencies' days end, in a letter before or after signing; a denial letter has none);
- `window_in`: every line of text on page 1 that lies across the window's left-right span is
  either wholly inside the window box (the address block) or wholly outside it, and the band just
  under the window (`clear_below_in`) holds no text: an address block never runs below the
  window, where the envelope would hide it;
- `closing` / `closing_min_lines`: a letter of more than one page holds, on its last page, at
  least that many lines of text before its closing ("Sincerely,"): never the sign-off alone, or
  the sign-off and a line or two, on a sheet of its own;
- `one_conviction_wording`: name -> pattern of wording about one conviction ("your cannabis
  conviction", "la condena quedará anulada"), which a letter about several convictions (one
  case may hold several; the manifest's rows) never prints;
- `broken_across_lines`: name -> pattern of a phrase split by a line break (matched on each
  page's text with its lines), e.g. a telephone number "(312)" / "738-2452";
- `office_in_letter_language`: a letter in another language than English prints neither the
  office's English name nor the signer's English title (`[office] letter_name.en` / `name`,
  `letter_signer_title.en` / `signer_title`, read from the pack) in its letterhead, running
  footer or signature (`office_lines`), outside the letter language's own value (which may
  quote it); its body may name the office in English (an address to write to, a quotation).

Failures name the rule and page, never the matching text (it is personal data); the office's
name and title are the pack's, not personal data, and are named.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium
from pydantic import BaseModel, ConfigDict

from docgen.check.text import flat_text
from docgen.packs import PLAIN_LANGUAGE, Pack

PT_PER_IN = 72.0


class Box(BaseModel):
    model_config = ConfigDict(extra="forbid")
    left_in: float
    top_in: float
    width_in: float
    height_in: float


class ReliefRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    what: str
    when: str
    unless: str = ""
    forbid: str


class LetterRules(BaseModel):
    """The schema of `[rules.letters]`."""

    model_config = ConfigDict(extra="forbid")
    kinds: list[str]
    greeting: str
    relief: list[ReliefRule] = []
    forbidden: dict[str, str] = {}  # name -> pattern no letter may print (a slip of style)
    required: dict[str, dict[str, str]] = {}  # kind -> {name -> pattern}
    window_in: Box | None = None
    clear_below_in: float = 0.25
    closing: str = ""  # a pattern matching the closing's line, e.g. "^(?:Sincerely|Atentamente),"
    closing_min_lines: int = 0
    office_in_letter_language: bool = False
    # name -> pattern of wording about one conviction ("your cannabis conviction."): a letter
    # about several convictions (its manifest rows) that prints it fails.
    one_conviction_wording: dict[str, str] = {}
    # name -> pattern of a phrase broken across two lines (a "\n" in it), e.g. a telephone
    # number: "(312)" at a line's end and "738-2452" on the next is misdialled.
    broken_across_lines: dict[str, str] = {}


def _lines(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """(left, top, right, bottom) in inches from the page's top-left, per line of text."""
    height = page.get_height()
    textpage = page.get_textpage()
    boxes: list[list[float]] = []
    for index in range(textpage.count_chars()):
        left, bottom, right, top = textpage.get_charbox(index)
        if right - left <= 0 or top - bottom < 2:  # spaces, rules: no glyph to place
            continue
        box = [left, height - top, right, height - bottom]
        middle = (box[1] + box[3]) / 2
        # One line: characters whose vertical middles lie within 3 pt of each other and with
        # less than half an inch between them (the date beside the address is another line).
        for line in boxes:
            near = box[0] <= line[2] + 36 and box[2] >= line[0] - 36
            if near and abs((line[1] + line[3]) / 2 - middle) < 3:
                line[0], line[1] = min(line[0], box[0]), min(line[1], box[1])
                line[2], line[3] = max(line[2], box[2]), max(line[3], box[3])
                break
        else:
            boxes.append(box)
    return [(a / PT_PER_IN, b / PT_PER_IN, c / PT_PER_IN, d / PT_PER_IN) for a, b, c, d in boxes]


def window_failures(data: bytes, window: Box, clear_below_in: float) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        lines = _lines(pdf[0])
    finally:
        pdf.close()
    left, top = window.left_in, window.top_in
    right, bottom = left + window.width_in, top + window.height_in
    failures = []
    for x0, y0, x1, y1 in lines:
        if x1 <= left or x0 >= right:
            continue  # beside the window (the date on the right)
        inside = y0 >= top and y1 <= bottom
        if inside and x1 > right:
            failures.append("page 1: an address line runs past the window's right edge")
        elif not inside and y0 < bottom and y1 > top:
            failures.append(
                f"page 1: a line of text at {y0:.2f}-{y1:.2f} in from the top crosses the "
                f"envelope window's edge ({top:.2f}-{bottom:.2f} in)"
            )
        elif bottom <= y0 < bottom + clear_below_in:
            failures.append(
                f"page 1: text at {y0:.2f} in, just below the envelope window "
                f"(which ends at {bottom:.2f} in): the address block runs below it"
            )
    return failures


def closing_failures(texts: list[str], closing: str, min_lines: int) -> list[str]:
    """The last page of a letter of several pages (`texts`: its page texts, in the PDF's text
    order) must hold `min_lines` lines of text before the line matching `closing`."""
    if len(texts) < 2 or not closing:
        return []
    pattern = re.compile(closing)
    pages = [[line for line in text.splitlines() if line.strip()] for text in texts]
    last = len(pages)
    before = next((i for i, line in enumerate(pages[-1]) if pattern.search(line)), None)
    if before is None:
        if any(pattern.search(line) for page in pages[:-1] for line in page):
            return [f"page {last}: the last page holds only what follows the closing"]
        return ["no closing found ([rules.letters] closing)"]
    if before < min_lines:
        return [
            f"page {last}: the last page holds {before} lines of text before the closing "
            f"(at least {min_lines}): it carries the sign-off almost alone"
        ]
    return []


def letter_failures(
    data: bytes, texts: list[str], rules: LetterRules, kind: str, convictions: int = 1
) -> list[str]:
    """Every letter rule `data` (its page texts `texts`, about `convictions` convictions:
    the manifest's rows) breaks."""
    whole = flat_text(" ".join(texts))
    failures: list[str] = []
    greeting = re.search(rules.greeting, whole)
    if not greeting:
        failures.append("no salutation found ([rules.letters] greeting)")
    else:
        name = greeting["name"]
        # Capitals only: two or more upper-case letters and no lower-case one (a name in a
        # script without case, 小龍, is never "in capitals").
        if sum(ch.isupper() for ch in name) > 1 and not any(ch.islower() for ch in name):
            failures.append("the salutation's name is in capitals (print it in the person's case)")
    for rule in rules.relief:
        listed = re.search(rule.when, whole) and not (rule.unless and re.search(rule.unless, whole))
        if listed and re.search(rule.forbid, whole):
            failures.append(rule.what)
    failures.extend(name for name, pattern in rules.forbidden.items() if re.search(pattern, whole))
    for name, pattern in rules.required.get(kind, {}).items():
        if not re.search(pattern, whole):
            failures.append(f"no {name}")
    if convictions > 1:
        failures.extend(
            f"{name} in a letter about {convictions} convictions"
            for name, pattern in rules.one_conviction_wording.items()
            if re.search(pattern, whole)
        )
    for name, pattern in rules.broken_across_lines.items():
        failures.extend(
            f"page {number}: {name} broken across two lines"
            for number, text in enumerate(texts, start=1)
            if re.search(pattern, text)
        )
    if rules.window_in is not None:
        failures.extend(window_failures(data, rules.window_in, rules.clear_below_in))
    failures.extend(closing_failures(texts, rules.closing, rules.closing_min_lines))
    return failures


def office_lines(texts: list[str], greeting: str, closing: str) -> list[tuple[int, str]]:
    """(page, line) of the parts of a letter that print the office (its page texts `texts`, in
    the PDF's text order): the letterhead (page 1 above the salutation `greeting`), the running
    footer (each page's last line) and the signature (the two lines after the `closing`: the
    signer's name and title). The body may name anyone, the office in English too."""
    pages = [[line for line in text.splitlines() if line.strip()] for text in texts]
    found: list[tuple[int, str]] = []
    for number, lines in enumerate(pages, start=1):
        if number == 1:
            head = next((i for i, ln in enumerate(lines) if re.search(greeting, ln)), 0)
            found.extend((number, ln) for ln in lines[:head])
        if closing:
            after = next((i for i, ln in enumerate(lines) if re.search(closing, ln)), None)
            if after is not None:
                found.extend((number, ln) for ln in lines[after + 1 : after + 3])
        if lines:
            found.append((number, lines[-1]))
    return found


def english_office_failures(
    texts: list[str], pack: Pack, lang: str, greeting: str, closing: str
) -> list[str]:
    """The office's English name or signer title printed in the letterhead, running footer or
    signature (`office_lines`) of a letter in `lang` (its page texts `texts`), where that
    language's own value differs (docgen.packs.LETTER_TEXTS)."""
    if lang == PLAIN_LANGUAGE:
        return []
    checked = [
        ("office name", "letter_name", "name"),
        ("signer title", "letter_signer_title", "signer_title"),
    ]
    lines = office_lines(texts, greeting, closing)
    failures: list[str] = []
    for what, key, plain in checked:
        own = flat_text(pack.letter_text("office", key, lang))
        english = {flat_text(pack.letter_text("office", key, PLAIN_LANGUAGE))}
        english.add(flat_text(str(pack.config.office.get(plain, ""))))
        for value in sorted(v for v in english if v and v != own):
            pages = sorted({n for n, ln in lines if value in flat_text(ln).replace(own, "")})
            failures.extend(
                f"page {number}: the English {what} {value!r} in a letter in {lang!r} "
                f"(its letterhead, footer or signature prints [office] {key}.{lang})"
                for number in pages
            )
    return failures
