"""Where a child goes in a WordprocessingML properties element: the schema's sequence
(ECMA-376 Part 1) for w:pPr, w:tblPr, w:tcPr and w:sectPr.

Word reports a file whose property children are out of order as unreadable content and offers
to repair it; LibreOffice opens it without a word (tests/render/test_docx_valid.py checks the files).
Used by the judge's Word batch (docgen.judge.docx_sections, docgen.judge.signing_docx) and the template
builders (tools/).
"""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SCHEMA_ORDER: dict[str, tuple[str, ...]] = {
    "pPr": (
        "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
        "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
        "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
        "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
        "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
        "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    ),
    "tblPr": (
        "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
        "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
        "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange",
    ),
    "tcPr": (
        "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
        "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel",
        "cellMerge", "tcPrChange",
    ),
    "sectPr": (
        "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
        "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
        "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
        "printerSettings", "sectPrChange",
    ),
}  # fmt: skip

# Border sides in the order CT_PBdr, CT_TblBorders and CT_TcBorders list them (left/start and
# right/end share a place; a borders element uses one of each pair).
BORDER_SIDES = (
    "top", "left", "start", "bottom", "right", "end", "insideH", "insideV", "between", "bar",
    "tl2br", "tr2bl",
)  # fmt: skip


def _local(element: Any) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""  # comments have no name
    return tag[len(W) :] if tag.startswith(W) else ""


def insert_in_order(parent: Any, child: Any) -> None:
    """Add `child` to `parent` (a w:pPr, w:tblPr, w:tcPr or w:sectPr) where the schema's
    sequence puts it: after any children of its own kind, before those that follow it."""
    sequence = SCHEMA_ORDER[_local(parent)]
    successors = set(sequence[sequence.index(_local(child)) + 1 :])
    for existing in parent:
        if _local(existing) in successors:
            existing.addprevious(child)
            return
    parent.append(child)
