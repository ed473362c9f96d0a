"""Exhibit A's table pages drawn straight into PDF: pre-wrapped lines at fixed places, no HTML.

docgen/render/exhibit_layout.py decides every cell's line breaks (from the font's advance widths) and
every page's rows before anything is drawn, so nothing is left for a layout engine to decide.
Laying those lines out again with WeasyPrint cost about 7 ms a row (a box per cell, a line box per
line, a tag tree, then joining the chunks), which made a 50,000-row exhibit take minutes. Here a
page is one content stream of positioned text runs and thin filled rectangles for the rules:
about 0.1 ms a row.

What the pages keep: the title line with "Page X of Y", the header row on every page, the rules
under every row, the document title in the footer, text that is searchable and copyable (each
font carries a ToUnicode map), and PDF/A-2b (fonts embedded as CID TrueType subsets with their
widths; the bundle takes its output intent and XMP from the motion, see bulk_render.render_bulk_motion_pdf),
and tags like the rest of the document: every cell is a marked-content sequence (/TH, /TD) with
an MCID, page furniture is /Artifact, and `table_objects` writes the /Table of /TR rows of cells
that a screen reader follows (PageDrawer.page says which parts are content and why). A cell
drawn on more than one line has its whole text as the /TD's (or /TH's) /ActualText, so assistive
technology reads "2011-MC1-9550725" as one value, not "2011-MC1-" and "9550725" (`actual_texts`).
The bundled Liberation Serif draws the text; characters it lacks (CJK names) fall back to
WenQuanYi Micro Hei, as in the HTML documents. No kerning: exhibit_layout.wrap measured without it.

Geometry (in step with exhibit_layout.paginate and the pack's `[bulk]` exhibit settings): the page size and
margin from the pack (default Letter landscape, 0.75 in), 12 pt text on 14 pt lines, a title line of 2 lines + 6 pt, cells padded
2 pt x 3 pt with a 0.5 pt rule below (and one above the header), the first column right-aligned,
the footer at 10 pt centred 0.25 in into the bottom margin.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pikepdf

from docgen.render.pdf_fonts import Fonts
from docgen.render.pdf_tags import text_string

PAGE_SIZE_PT = (792.0, 612.0)  # default: Letter landscape (`[bulk] exhibit_page_size_in`)
MARGIN_PT = 54.0  # default: 0.75 in (`[bulk] exhibit_margin_in`)
FONT_PT = 12.0
FOOTER_FONT_PT = 10.0
LINE_PT = 14.0
PAD_X_PT = 3.0
PAD_Y_PT = 2.0
RULE_PT = 0.5
TITLE_GAP_PT = 6.0  # below the 2-line title line
FOOTER_DROP_PT = 0.25 * 72  # the footer's line box starts this far into the bottom margin


# ---------------------------------------------------------------- pages


@dataclass(frozen=True, slots=True)
class PageText:
    """What every page of one exhibit shows besides its rows."""

    heading: str  # "EXHIBIT A: Convictions for which ..." (2 lines at most, "\n" between)
    footer: str  # the document title
    head: list[list[str]]  # header cells as lines
    column_widths_pt: tuple[float, ...]
    total_pages: int
    page_size_pt: tuple[float, float] = PAGE_SIZE_PT
    margin_pt: float = MARGIN_PT
    # The number printed on the exhibit's first table page: 1, or where it falls in the file
    # when the exhibit carries the document's running page numbers (CRC 3.1110(c)).
    first_page_number: int = 1


class PageDrawer:
    """Content streams for exhibit pages; `fonts` records the glyphs they use."""

    def __init__(self, text: PageText, fonts: Fonts) -> None:
        self.text = text
        self.fonts = fonts
        regular, bold = fonts.uses["regular"].program, fonts.uses["bold"].program
        self.baseline = regular.baseline_offset(FONT_PT, LINE_PT)
        self.bold_baseline = bold.baseline_offset(FONT_PT, LINE_PT)
        self.footer_baseline = regular.baseline_offset(FOOTER_FONT_PT, LINE_PT)
        self.page_width, self.page_height = text.page_size_pt
        self.margin = text.margin_pt
        lefts = [self.margin]
        for width in text.column_widths_pt:
            lefts.append(lefts[-1] + width)
        self.lefts = lefts  # column edges, lefts[-1] is the table's right edge

    def _show(
        self, out: list[str], text: str, x: float, top: float, face: str, size: float
    ) -> None:
        """Draw `text` with its baseline `top` points below the page top, starting at x."""
        y = self.page_height - top
        for use, codes, width in self.fonts.runs(text, face):
            out.append(f"{use.resource} {size:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <{codes}> Tj")
            x += width * size

    def _rule(self, out: list[str], top: float) -> None:
        width = self.lefts[-1] - self.lefts[0]
        y = self.page_height - top - RULE_PT
        out.append(f"{self.lefts[0]:.2f} {y:.2f} {width:.2f} {RULE_PT:g} re f")

    def _row(
        self,
        text_ops: list[str],
        rules: list[str],
        cells: list[list[str]],
        top: float,
        face: str,
        tag: str | None,
        mcid: int,
    ) -> tuple[float, int]:
        """Draw one row whose box starts at `top`, each cell one marked-content sequence /`tag`
        (MCIDs from `mcid` on), or the whole row an artifact when `tag` is None.

        Returns the top of the next row and the next free MCID. An empty cell still gets its
        (empty) sequence, so every row has one structure element per column.
        """
        baseline = self.bold_baseline if face == "bold" else self.baseline
        lines = max(len(c) for c in cells)
        if tag is None:
            text_ops.append(_PAGINATION_ARTIFACT)
        for column, cell in enumerate(cells):
            if tag is not None:
                text_ops.append(f"/{tag} <</MCID {mcid}>> BDC")
                mcid += 1
            for i, line in enumerate(cell):
                if not line:
                    continue
                line_top = top + PAD_Y_PT + i * LINE_PT + baseline
                if column == 0:  # the row number, right-aligned
                    x = self.lefts[1] - PAD_X_PT - self.fonts.width(line, face, FONT_PT)
                else:
                    x = self.lefts[column] + PAD_X_PT
                self._show(text_ops, line, x, line_top, face, FONT_PT)
            if tag is not None:
                text_ops.append("EMC")
        if tag is None:
            text_ops.append("EMC")
        bottom = top + PAD_Y_PT + lines * LINE_PT + PAD_Y_PT
        self._rule(rules, bottom)
        return bottom + RULE_PT, mcid

    def page(self, number: int, rows: list[list[list[str]]], opens_table: bool) -> bytes:
        """The content stream of exhibit page `number` (1-based) holding `rows`.

        Tags (see `table_structure`): each cell is marked content /TD (header cells /TH) with an
        MCID, in reading order. On the page that `opens_table` (the first exhibit page of a
        file) the heading is content (MCID 0, an /H2) and the header row is the table's /TH row.
        On every other page the heading, the header row, "Page X of Y", the footer and every
        rule are artifacts: repeated page furniture. A screen reader user then meets one table
        with one header row and every data row once, and the column headers still apply to each
        cell through the table structure; repeating /TH rows on each of thousands of pages would
        read as thousands of extra table rows in the middle of the data.
        """
        t = self.text
        text_ops: list[str] = []
        rules: list[str] = []
        top = self.margin
        text_ops.append("/H2 <</MCID 0>> BDC" if opens_table else _PAGINATION_ARTIFACT)
        for i, line in enumerate(t.heading.split("\n")[:2]):  # the title line holds 2 lines
            self._show(
                text_ops, line, self.margin, top + i * LINE_PT + self.bold_baseline, "bold", FONT_PT
            )
        text_ops.append("EMC")
        page_label = f"Page {t.first_page_number + number - 1} of {t.total_pages}"
        x = self.lefts[-1] - self.fonts.width(page_label, "bold", FONT_PT)
        text_ops.append(_PAGINATION_ARTIFACT)
        self._show(text_ops, page_label, x, top + self.bold_baseline, "bold", FONT_PT)
        text_ops.append("EMC")
        top += 2 * LINE_PT + TITLE_GAP_PT
        self._rule(rules, top)  # the rule above the header row
        top += RULE_PT
        mcid = 1 if opens_table else 0
        top, mcid = self._row(
            text_ops, rules, t.head, top, "bold", "TH" if opens_table else None, mcid
        )
        for cells in rows:
            top, mcid = self._row(text_ops, rules, cells, top, "regular", "TD", mcid)
        footer_width = self.fonts.width(t.footer, "regular", FOOTER_FONT_PT)
        x = (self.page_width - footer_width) / 2
        footer_top = self.page_height - self.margin + FOOTER_DROP_PT
        text_ops.append(_FOOTER_ARTIFACT)
        self._show(
            text_ops, t.footer, x, footer_top + self.footer_baseline, "regular", FOOTER_FONT_PT
        )
        text_ops.append("EMC")
        stream = (
            "0 0 0 rg\n/Artifact BMC\n"  # the rules: layout, not content
            + "\n".join(rules)
            + "\nEMC\nBT\n"
            + "\n".join(text_ops)
            + "\nET\n"
        )
        return zlib.compress(stream.encode("ascii"), 6)


_PAGINATION_ARTIFACT = "/Artifact <</Type /Pagination /Subtype /Header>> BDC"
_FOOTER_ARTIFACT = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"


# Bytes a page adds to a file besides its deflated content stream (page and stream dictionaries,
# cross-reference entries, a share of the outline): generous, so volumes stay under the cap.
PAGE_OVERHEAD_BYTES = 400


def append_pages(
    pdf: pikepdf.Pdf,
    contents: Sequence[bytes],
    fonts: Fonts,
    page_size_pt: tuple[float, float] = PAGE_SIZE_PT,
    first_struct_key: int = 0,
) -> pikepdf.Object | None:
    """Append one page per deflated content stream, sharing one /Resources; their /StructParents
    (ParentTree keys) count from `first_struct_key`. Returns the first page added, if any."""
    resources = pdf.make_indirect(
        pikepdf.Dictionary(
            Font=fonts.resources(pdf), ProcSet=pikepdf.Array([pikepdf.Name.PDF, pikepdf.Name.Text])
        )
    )
    box = pikepdf.Array([0, 0, *page_size_pt])
    first = None
    for key, data in enumerate(contents, first_struct_key):
        stream = pikepdf.Stream(pdf, data)
        stream.Filter = pikepdf.Name.FlateDecode
        page = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=box,
                Resources=resources,
                Contents=stream,
                StructParents=key,
                Tabs=pikepdf.Name.S,  # annotations (none yet) in structure order
            )
        )
        pdf.pages.append(pikepdf.Page(page))
        if first is None:
            first = page
    return first


# ---------------------------------------------------------------- structure (tags)

# The structure objects' bytes a data cell and a row add to a file (deflated in object streams,
# with their cross-reference entries and ParentTree references): 50,000 rows of 7 cells took
# about 130 bytes a row (6.5 MB); these allow 136. The marked-content operators are in the pages'
# deflated content, which the volume split counts already.
TAG_BYTES_PER_CELL = 16
TAG_BYTES_PER_ROW = 24
ACTUAL_TEXT_KEY = "/ActualText"


def tag_bytes(row: Sequence[Sequence[str]]) -> int:
    """A generous estimate of the bytes a data row's structure elements add to a file (the row's
    cells as lines): the fixed share, plus each wrapped cell's /ActualText at half its raw
    length. Deflated in the object streams they took about 6 bytes each (50,000 rows of
    bench/ca_exhibit.py: 100,287 of them, 17.6 characters on average, added 604 KB)."""
    size = len(row) * TAG_BYTES_PER_CELL + TAG_BYTES_PER_ROW
    for lines in row:
        if len(lines) > 1:  # " ".join is at least as long as the cell's own text
            size += (len(ACTUAL_TEXT_KEY) + 2 + len(text_string(" ".join(lines)))) // 2
    return size


def actual_texts(
    laid_out: Iterable[Sequence[Sequence[str]]], texts: Iterable[Sequence[str]]
) -> Iterator[list[str | None]]:
    """Each row's /ActualText per cell, for `table_objects`: the cell's whole text (whitespace
    runs made one space, as `exhibit_layout.wrap` draws it) when it is drawn on more than one
    line, else None (a one-line cell reads right as it is; 400,000 cells stay small).

    `laid_out`: rows of cells as drawn lines; `texts`: the same rows' cell texts (a row may hold
    more values than columns, e.g. the input row number). Made row by row, as they are written.
    """
    for lines_row, text_row in zip(laid_out, texts, strict=True):
        yield [
            " ".join(text.split()) if len(lines) > 1 else None
            for lines, text in zip(lines_row, text_row, strict=False)
        ]


@dataclass(frozen=True, slots=True)
class TableTags:
    """Where the exhibit's structure goes: object numbers in the file being written."""

    document: int  # the /Document element the /Table is a kid of
    table: int  # the /Table element (its placeholder is replaced)
    parent_tree_leaf: int  # the ParentTree leaf for the exhibit pages (replaced)
    heading: int  # the /H2 element: MCID 0 on the first exhibit page
    first_key: int  # the first exhibit page's /StructParents
    first_new: int  # the first free object number


def table_objects(
    tags: TableTags,
    pages: Sequence[tuple[int, int]],
    columns: int,
    cell_actual_texts: Iterable[Sequence[str | None]] = (),
) -> Iterator[tuple[int, bytes]]:
    """The exhibit's /TR, /TH and /TD elements, then the /Table and the ParentTree leaf, as
    (object number, body) for `pdf_tags.append_objects`, made as they are written.

    `pages`: (page object number, data rows drawn on it) for each exhibit page of the file, in
    order; the first opens the table (see PageDrawer.page for the MCIDs each page uses).
    `cell_actual_texts` (from `actual_texts`): per table row, the header row first, each cell's
    /ActualText or None. Each cell element owns exactly its cell's one marked-content sequence,
    so the entry goes on the element; rows it does not reach get none.
    """
    rows: list[str] = []  # "n 0 R" of every /TR, header row first
    nums: list[str] = []
    number = tags.first_new
    actual = iter(cell_actual_texts)
    th_attributes = "/A <</O /Table /Scope /Column>> "
    for index, (page, row_count) in enumerate(pages):
        parents: list[str] = []  # by MCID
        first_row = 0
        mcid = 0
        if index == 0:
            parents.append(f"{tags.heading} 0 R")
            mcid = 1
            first_row = -1  # the header row
        for row in range(first_row, row_count):
            tr = number
            number += 1
            cell_tag, attributes = ("/TH", th_attributes) if row < 0 else ("/TD", "")
            kids = []
            texts = next(actual, None) or ()
            for column in range(columns):
                text = texts[column] if column < len(texts) else None
                extra = "" if text is None else f"{ACTUAL_TEXT_KEY} {text_string(text)} "
                cell = f"<</S {cell_tag} /P {tr} 0 R /Pg {page} 0 R {attributes}{extra}/K {mcid}>>"
                yield number, cell.encode()
                kids.append(f"{number} 0 R")
                parents.append(f"{number} 0 R")
                number += 1
                mcid += 1
            yield tr, f"<</S /TR /P {tags.table} 0 R /K [{' '.join(kids)}]>>".encode()
            rows.append(f"{tr} 0 R")
        nums.append(f"{tags.first_key + index} [{' '.join(parents)}]")
    table = f"<</Type /StructElem /S /Table /P {tags.document} 0 R /K [{' '.join(rows)}]>>"
    yield tags.table, table.encode()
    last_key = tags.first_key + len(pages) - 1
    leaf = f"<</Limits [{tags.first_key} {last_key}] /Nums [{' '.join(nums)}]>>"
    yield tags.parent_tree_leaf, leaf.encode()
