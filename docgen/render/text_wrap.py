"""Breaking a line of text to a width, measured with the bundled fonts (docgen.render.pdf_fonts).

For layouts that must know how many lines a text takes before WeasyPrint lays it out: the
Illinois caption puts one ")" beside each line of the parties, so it breaks the names itself
(`wrap_to_width` is the templates' Jinja filter of that name) and the layout never wraps them.
Breaks go at spaces and after hyphens, as Pango's would; a word wider than the width on its own
is cut where it stops fitting.
"""

from __future__ import annotations

import re
import threading

from docgen.render.pdf_fonts import Fonts

PT_PER_IN = 72.0
# Spaces are dropped at a break; a hyphen stays at the end of its line.
_PIECES = re.compile(r"[^\s-]*-+|[^\s-]+|\s+")
_local = threading.local()


def _fonts() -> Fonts:
    fonts = getattr(_local, "fonts", None)
    if fonts is None:
        fonts = _local.fonts = Fonts()
    return fonts


def text_width_pt(text: str, size_pt: float, face: str = "regular") -> float:
    return _fonts().width(text, face, size_pt)


def wrap_to_width(
    text: str, width_in: float, size_pt: float = 12.0, face: str = "regular"
) -> list[str]:
    """`text` as lines no wider than `width_in` at `size_pt` (at least one line, maybe "")."""
    limit = width_in * PT_PER_IN
    lines: list[str] = []
    line = ""
    for piece in _PIECES.findall(text):
        if piece.isspace():
            if line:
                line += " "
            continue
        candidate = line + piece
        if text_width_pt(candidate.rstrip(), size_pt, face) <= limit:
            line = candidate
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = ""
        while text_width_pt(piece, size_pt, face) > limit and len(piece) > 1:
            cut = len(piece) - 1
            while cut > 1 and text_width_pt(piece[:cut], size_pt, face) > limit:
                cut -= 1
            lines.append(piece[:cut])
            piece = piece[cut:]
        line = piece
    lines.append(line.rstrip())
    return lines
