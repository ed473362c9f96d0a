"""Case numbers kept whole in Word: their hyphens become Word's non-breaking hyphens.

Why: Word, like any layout, may break a line after a hyphen, and "2016-" at a line end with
"MC1-7477698" on the next is a case number a clerk misreads or cannot search for (the PDF keeps
it on one line with `.nobr`, docgen.render.pdf.keep_unbroken). `<w:noBreakHyphen/>` prints as a
hyphen, is read as "-" by python-docx and Word's text export, and is never a break point. Only
hyphens inside the document's unbreakable phrases change; every other character stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from docx.oxml.ns import qn

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def keep_phrases_whole(body: Any, phrases: Iterable[str]) -> None:
    """In every `w:t` of `body` (an lxml element), each hyphen inside one of `phrases` becomes
    a `w:noBreakHyphen` between two `w:t` of the same run."""
    hyphenated = sorted({p for p in phrases if p and "-" in p}, key=len, reverse=True)
    if not hyphenated:
        return
    pattern = re.compile("|".join(re.escape(p) for p in hyphenated))
    for text_element in list(body.iter(qn("w:t"))):
        text = text_element.text or ""
        if pattern.search(text):
            _split_at_hyphens(text_element, _pieces(text, pattern))


def _pieces(text: str, pattern: re.Pattern[str]) -> list[str]:
    """`text` cut at each hyphen inside a match of `pattern` (the hyphens left out)."""
    pieces, current, position = [], "", 0
    for match in pattern.finditer(text):
        current += text[position : match.start()]
        first, *rest = match.group(0).split("-")
        current += first
        for part in rest:
            pieces.append(current)
            current = part
        position = match.end()
    pieces.append(current + text[position:])
    return pieces


def _split_at_hyphens(text_element: Any, pieces: list[str]) -> None:
    text_element.text = pieces[0]
    text_element.set(_XML_SPACE, "preserve")
    anchor = text_element
    for piece in pieces[1:]:
        hyphen = text_element.makeelement(qn("w:noBreakHyphen"), {})
        anchor.addnext(hyphen)
        anchor = hyphen
        if piece:
            following = text_element.makeelement(qn("w:t"), {_XML_SPACE: "preserve"})
            following.text = piece
            anchor.addnext(following)
            anchor = following
