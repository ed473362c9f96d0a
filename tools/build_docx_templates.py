"""Author the Illinois .docx templates (motion, order, letter) with python-docx.

Run: /work/main/.venv/bin/python tools/build_docx_templates.py [--out DIR]

The .docx files in templates/_layouts/illinois/ (the layout every Illinois pack uses) are pack data an office may later edit in Word; this script is
how the shipped versions are made, so they are reproducible and reviewable as code. Every word they
show comes from the view model (docgen/plan/viewmodel.py) through docxtpl tags; the only literal text is
caption punctuation ("v.", ")") and the page-number line.

docxtpl tag forms used here:
  {{ x }}             a value, autoescaped (the renderer's sandbox has autoescape on)
  {%p ... %}          a block tag that replaces its whole paragraph (loops, conditions)
  {%tr ... %}         a block tag that replaces its whole table row (one row per charge)

Layout, mirroring the PDF: US Letter, 1 in margins, Liberation Serif 12 pt.
  motion: 2 x 2 in clerk's stamp box (an empty right-aligned table cell, exact height, bordered)
          above the court heading; caption as a borderless three-column table; charges table
          with a repeating header row; footer "Case No. X    Page N of M" (PAGE/NUMPAGES fields).
  order:  the same caption (stamp box only if caption.stamp_box), then the order's parts.
  letter: the address block for a #10 window envelope is placed by an in-flow layout table (no
          cell padding) rather than a floating frame, so Word and LibreOffice agree on it and the
          reading order stays letterhead, recipient, date. Row 1 (letterhead) has an exact height
          of 1.15 in, so row 2 (recipient in a 3.5 in column, date right-aligned beside it) starts
          exactly 2.15 in from the top of the page and 1 in from its left edge (USPS Pub. 25:
          2.1-2.25 in, at most 3.5 in wide), in 10 pt on exactly 10.5 pt lines ("Address Line",
          as the PDF): six lines end at 3.03 in, inside the window. Row 2 is exactly 1.25 in
          high, so the body starts 3.4 in down, below the window. Footer: office name and
          "Page N of M" ("Página N de M").

Unused parts of python-docx's default package (stylesWithEffects, customXml, thumbnail, latent and
unused styles) are pruned: they were 95% of the package and most of the render time.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from docgen.judge.docx_sections import set_in_order  # noqa: E402
from docgen.render.docx_package import (  # noqa: E402  (after the sys.path tweak)
    CORE_NS,
    DC_NS,
    normalise_docx,
    set_core_properties,
    set_core_value,
)
from docgen.render.ooxml_order import BORDER_SIDES, insert_in_order  # noqa: E402

FONT = "Liberation Serif"
TWIPS_PER_INCH = 1440
TEXT_WIDTH_IN = 6.5  # 8.5 in paper minus two 1 in margins
# A fixed date for the template's own core properties; the renderer replaces it with the run date.
TEMPLATE_DATE = datetime(2020, 1, 1)
THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"

Container = DocxDocument | _Cell


# ------------------------------------------------------------------ document and styles


def _set_fonts(rpr_parent: OxmlElement) -> None:
    """Point all four font slots at Liberation Serif and drop theme fonts (which would win)."""
    rpr = rpr_parent.get_or_add_rPr() if hasattr(rpr_parent, "get_or_add_rPr") else rpr_parent
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _doc_defaults(doc: DocxDocument) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    for tag in ("w:sz", "w:szCs", "w:lang"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "24")
        rpr.append(el)
    # The renderer rewrites w:val from spec.lang; en-US is the template's own language.
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "en-US")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)


def _paragraph_style(
    doc: DocxDocument,
    name: str,
    *,
    base: str = "Normal",
    align: WD_ALIGN_PARAGRAPH | None = None,
    bold: bool = False,
    size: float = 12,
    before: float = 0,
    after: float = 0,
    line_pt: float = 15,
    first_indent: float = 0,
    left_indent: float = 0,
    keep_next: bool = False,
    outline: int | None = None,
) -> None:
    """Create or restyle a paragraph style (headings keep their built-in names for outline)."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base] if name != base else None
    style.quick_style = True
    font = style.font
    font.name = FONT
    _set_fonts(style.element)
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    color = style.element.rPr.find(qn("w:color"))
    for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
        color.attrib.pop(qn(attr), None)
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    # "At least" N pt mirrors CSS line-height (the PDF) and still grows for taller CJK glyphs.
    pf.line_spacing = Pt(line_pt)
    pf.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    pf.first_line_indent = Inches(first_indent) if first_indent else None
    pf.left_indent = Inches(left_indent) if left_indent else None
    pf.keep_with_next = keep_next or None
    pf.widow_control = True
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        lvl = ppr.find(qn("w:outlineLvl"))
        if lvl is None:
            lvl = OxmlElement("w:outlineLvl")
            insert_in_order(ppr, lvl)
        lvl.set(qn("w:val"), str(outline))


def _styles(doc: DocxDocument) -> None:
    """Paragraph styles mirroring style.css (line heights as "at least" points)."""
    _doc_defaults(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph_style(doc, "Normal", base="Normal")
    # Real heading styles so Word's navigation pane and tagged-PDF export see the structure.
    _paragraph_style(doc, "Heading 1", align=center, bold=True, keep_next=True, outline=0)
    _paragraph_style(doc, "Heading 2", bold=True, before=10, after=2, keep_next=True, outline=1)
    _paragraph_style(doc, "Court Heading", align=center, bold=True, keep_next=True)
    _paragraph_style(doc, "Subtitle Line", align=center, bold=True, after=18, keep_next=True)
    _paragraph_style(doc, "Body Paragraph", after=12, line_pt=18, first_indent=0.5)
    _paragraph_style(doc, "Body Flush", after=12, line_pt=18)
    _paragraph_style(doc, "Letter Text", after=4, line_pt=13.44)  # letter.css: 1.12
    _paragraph_style(doc, "List Line", after=4, first_indent=-0.25, left_indent=0.75)
    _paragraph_style(doc, "Block Line", line_pt=14.4)
    # The letter's address block, as the PDF's .recipient: 10 pt on exactly 10.5 pt lines, so
    # six lines take 0.875 in and stay inside the #10 window (docs/letters.md).
    _paragraph_style(doc, "Address Line", size=10, line_pt=10.5)
    doc.styles["Address Line"].paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _paragraph_style(doc, "Caption Line", line_pt=15)
    _paragraph_style(doc, "Table Text", line_pt=14.4)
    _paragraph_style(doc, "Table Header", bold=True, line_pt=14.4, keep_next=True)
    _paragraph_style(doc, "Letter Table Text", line_pt=13.2)  # letter.css: 1.1
    _paragraph_style(doc, "Letter Table Header", bold=True, line_pt=13.2, keep_next=True)
    _paragraph_style(doc, "Footer Line", size=10, line_pt=12)
    _paragraph_style(doc, "List Bullet", after=1, line_pt=13.44)  # the letter's list
    bullet_ppr = doc.styles["List Bullet"].element.pPr
    spacing_off = bullet_ppr.find(qn("w:contextualSpacing"))
    if spacing_off is not None:
        bullet_ppr.remove(spacing_off)


def _plain_header_style(doc: DocxDocument) -> None:
    """python-docx's header parts use paragraph style "Header": keep it defined (Word wants every
    referenced style in styles.xml) but as plain Normal, which is how header text has always been
    laid out; its default tab stops would move a header's tab-aligned text."""
    style = doc.styles["Header"].element
    for name in ("w:pPr", "w:rPr", "w:link", "w:rsid"):
        child = style.find(qn(name))
        if child is not None:
            style.remove(child)


def base_document(title_hint: str) -> DocxDocument:
    doc = Document()
    # python-docx's default package carries a thumbnail of a blank page: misleading, drop it.
    pkg_rels = doc.part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype == THUMBNAIL_REL:
            del pkg_rels[rid]
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    section.header_distance = Inches(0.5)
    section.footer_distance = Inches(0.5)
    _styles(doc)
    _plain_header_style(doc)
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids", "w:proofState"):
        el = settings.find(qn(tag))
        if el is not None:
            settings.remove(el)
    docid = settings.find(qn("w14:docId"))
    if docid is not None:
        settings.remove(docid)
    # By namespace, not python-docx's setters: see docx_package.set_core_properties (docxcompose,
    # imported by docxtpl, rebinds the "cp" prefix those setters use).
    core = doc.core_properties._element
    set_core_properties(core, "", None, TEMPLATE_DATE)  # the title is set at render time
    for namespace, name, value in (
        (DC_NS, "creator", "docgen"),
        (DC_NS, "description", ""),
        (DC_NS, "subject", ""),
        (CORE_NS, "keywords", ""),
        (CORE_NS, "category", title_hint),
    ):
        set_core_value(core, namespace, name, value)
    # Remove the default empty first paragraph so the document starts with our content.
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return doc


# ------------------------------------------------------------------ paragraphs and tables


def para(box: Container, text: str = "", style: str = "Normal", **fmt: object) -> Paragraph:
    p = box.add_paragraph(text, style=style)
    pf = p.paragraph_format
    for key, value in fmt.items():
        setattr(pf, key, value)
    return p


def tag(box: Container, text: str) -> None:
    """A docxtpl block tag ({%p ... %}) in a paragraph of its own; docxtpl removes the paragraph."""
    box.add_paragraph(text, style="Normal")


def _twips(inches: float) -> str:
    return str(round(inches * TWIPS_PER_INCH))


def _borders(
    parent: OxmlElement,
    tag_name: str,
    sides: dict[str, str],
    *,
    color: str = "000000",
    eighths: int = 4,
) -> None:
    """Add a borders element; sides maps side name to 'single' or 'nil' (width in 1/8 pt).
    Sides are written in the schema's order whatever the order of `sides`."""
    el = OxmlElement(tag_name)
    for side, kind in sorted(sides.items(), key=lambda item: BORDER_SIDES.index(item[0])):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), kind)
        if kind != "nil":
            b.set(qn("w:sz"), str(eighths))
            b.set(qn("w:space"), "0")
            b.set(qn("w:color"), color)
        el.append(b)
    insert_in_order(parent, el)


ALL_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def table(
    box: Container,
    rows: int,
    widths: list[float],
    *,
    borders: bool,
    align: WD_TABLE_ALIGNMENT = WD_TABLE_ALIGNMENT.LEFT,
    pad: tuple[float, float] = (0.0, 0.0),
    caption: str = "",
    border_color: str = "000000",
    border_eighths: int = 4,
) -> Table:
    """A fixed-layout table with explicit column widths (inches) and single or no borders."""
    t = box.add_table(rows=rows, cols=len(widths))
    t.alignment = align
    t.autofit = False  # w:tblLayout fixed: column widths are the template's, not the text's
    tbl_pr = t._tbl.tblPr
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:
        tbl_pr.remove(style)
    width = tbl_pr.find(qn("w:tblW"))  # python-docx adds an "auto" one: make it exact
    if width is None:
        width = OxmlElement("w:tblW")
        insert_in_order(tbl_pr, width)
    width.set(qn("w:w"), _twips(sum(widths)))
    width.set(qn("w:type"), "dxa")
    if pad[1]:
        # Word (compatibility mode 14, as here) puts cell text, not the border, at the indent:
        # indent by the cell padding so the border lines up with the margin, as in the PDF.
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(round(pad[1] * 20)))
        ind.set(qn("w:type"), "dxa")
        insert_in_order(tbl_pr, ind)
    _borders(
        tbl_pr,
        "w:tblBorders",
        dict.fromkeys(ALL_SIDES, "single" if borders else "nil"),
        color=border_color,
        eighths=border_eighths,
    )
    margins = OxmlElement("w:tblCellMar")
    pad_y, pad_x = pad  # points, like CSS padding: vertical, horizontal
    for side, value in (("top", pad_y), ("left", pad_x), ("bottom", pad_y), ("right", pad_x)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(round(value * 20)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    insert_in_order(tbl_pr, margins)
    if caption:
        # Accessible name for the table (Word: Table Properties > Alt Text).
        cap = OxmlElement("w:tblCaption")
        cap.set(qn("w:val"), caption)
        insert_in_order(tbl_pr, cap)
    for col, w in zip(t.columns, widths, strict=True):
        col.width = Inches(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Inches(w)
    return t


def row_height(row_index: int, t: Table, inches: float, rule: str = "exact") -> None:
    tr_pr = t.rows[row_index]._tr.get_or_add_trPr()
    h = OxmlElement("w:trHeight")
    h.set(qn("w:val"), _twips(inches))
    h.set(qn("w:hRule"), rule)
    tr_pr.append(h)


def row_flags(t: Table, row_index: int, *, header: bool = False) -> None:
    """Rows never split across pages; a header row repeats on every page (w:tblHeader)."""
    tr_pr = t.rows[row_index]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def cell_text(cell: _Cell, text: str, style: str = "Table Text", **fmt: object) -> Paragraph:
    """Write into a cell's existing first paragraph (a cell always has one)."""
    p = cell.paragraphs[0]
    p.style = style
    if text:
        p.add_run(text)
    for key, value in fmt.items():
        setattr(p.paragraph_format, key, value)
    return p


MOTION_END_BOOKMARK = "MotionEnd"
ORDER_END_BOOKMARK = "OrderEnd"
EXHIBIT_END_BOOKMARK = "ExhibitEnd"


def bookmark(p: Paragraph, name: str, number: int) -> None:
    """An empty bookmark `name` in paragraph `p` (a PAGEREF field gives its page)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    finish = OxmlElement("w:bookmarkEnd")
    finish.set(qn("w:id"), str(number))
    p._p.append(start)
    p._p.append(finish)


def field_run(p: Paragraph, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES) with a cached value; Word and LibreOffice update it."""

    def run_with(el: OxmlElement) -> None:
        r = p.add_run()
        r._r.append(el)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    p.add_run(cached)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def restart_page_numbers(section: Section) -> None:
    """The section's pages are counted on their own (Page 1 of N of Exhibit A): w:pgNumType,
    put where CT_SectPr's sequence has it (before w:cols, which python-docx always writes)."""
    set_in_order(section._sectPr, "pgNumType", {"start": "1"})


# ------------------------------------------------------------------ shared parts


def stamp_box(doc: DocxDocument) -> None:
    """The clerk's blank 2 x 2 in stamp box, top right of page 1, only if caption.stamp_box.

    An in-flow, right-aligned one-cell table with an exact 2 in row: the court heading starts
    below it, so nothing can ever be printed inside the box (same as the PDF's float + clear).
    """
    tag(doc, "{%p if caption.stamp_box %}")
    t = table(
        doc,
        1,
        [2.0],
        borders=True,
        align=WD_TABLE_ALIGNMENT.RIGHT,
        caption="Clerk's stamp box (leave blank)",
        border_color="777777",
    )
    row_height(0, t, 2.0)
    cell_text(t.cell(0, 0), "")
    para(doc, "", space_after=Pt(0), line_spacing=Pt(12))  # 12 pt gap, like the PDF
    tag(doc, "{%p endif %}")


def caption(doc: DocxDocument) -> None:
    tag(doc, "{%p for line in caption.court_lines %}")
    para(doc, "{{ line }}", "Court Heading")
    tag(doc, "{%p endfor %}")
    para(doc, "{{ caption.division }}", "Court Heading", space_before=Pt(4), space_after=Pt(18))

    # Left: the parties; middle: the traditional ")" column, one per caption line; right: the
    # case number, centred vertically. One row, so the parties read as one unit.
    t = table(doc, 1, [3.5, 0.4, 2.6], borders=False, caption="Caption")
    left, mid, right = t.rows[0].cells
    lines = [
        ("{{ caption.plaintiff }},", 0, 0),
        ("{{ caption.plaintiff_role }},", 1.5, 0),
        ("v.", 0.75, 15),
        ("{{ caption.defendant }},", 0, 15),
        ("{{ caption.defendant_role }}.", 1.5, 0),
    ]
    for i, (text, indent, before) in enumerate(lines):
        p = cell_text(left, text, "Caption Line") if i == 0 else para(left, text, "Caption Line")
        p.paragraph_format.left_indent = Inches(indent) if indent else None
        p.paragraph_format.space_before = Pt(before) if before else None
    # Seven ")" lines cover the five lines plus the two 15 pt gaps around "v.".
    for i in range(7):
        if i == 0:
            cell_text(mid, ")", "Caption Line")
        else:
            para(mid, ")", "Caption Line")
    # A long name wraps in the 3.5 in column (about 30 capitals a line); add one ")" per extra
    # line so the column stays as tall as the parties (the PDF clips a long column instead).
    tag(mid, "{%p for _ in range((caption.defendant|length + 1) // 30) %}")
    para(mid, ")", "Caption Line")
    tag(mid, "{%p endfor %}")
    right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    cell_text(
        right,
        "{{ caption.case_label }} {{ caption.case_number or '______________' }}",
        "Caption Line",
        left_indent=Inches(0.1),
    )
    para(doc, "", line_spacing=Pt(18), line_spacing_rule=WD_LINE_SPACING.EXACTLY)


def data_table(
    doc: DocxDocument,
    expr: str,
    widths: list[float],
    name: str,
    gap_after: float = 14,
    *,
    styles: tuple[str, str] = ("Table Header", "Table Text"),
    pad: tuple[float, float] = (3, 4),
) -> None:
    """A bordered table: header row from {expr}.headers (repeats on each page), one row per item
    of {expr}.rows. Column count is fixed by the template, like the pack's header list.
    `styles`: the header's and the cells' paragraph styles; `pad`: cell padding (pt)."""
    header_style, text_style = styles
    t = table(doc, 3, widths, borders=True, caption=name, pad=pad)
    row_flags(t, 0, header=True)
    for i, cell in enumerate(t.rows[0].cells):
        cell_text(cell, f"{{{{ {expr}.headers[{i}] }}}}", header_style)
    cell_text(t.cell(1, 0), f"{{%tr for row in {expr}.rows %}}")
    row_flags(t, 2)
    for i, cell in enumerate(t.rows[2].cells):
        cell_text(cell, f"{{{{ row[{i}] }}}}", text_style)
    end = t.add_row()
    cell_text(end.cells[0], "{%tr endfor %}")
    if gap_after:
        para(doc, "", line_spacing=Pt(gap_after), line_spacing_rule=WD_LINE_SPACING.EXACTLY)


def charges_table(doc: DocxDocument) -> None:
    # Columns: court.charge_table_headers (Statute, Offense, Class, Disposition, Arrest).
    data_table(doc, "charges", [1.15, 1.75, 1.1, 1.2, 1.3], "Charges")


def footer(
    doc: DocxDocument, left_expr: str, total: str = "NUMPAGES", width_in: float = TEXT_WIDTH_IN
) -> None:
    """Footer: a left text and "Page N of M" (Spanish for Spanish letters), as in _footer.html.
    `total` "SECTIONPAGES" counts the first section only (a motion before its exhibit)."""
    p = doc.sections[0].footer.paragraphs[0]
    p.style = "Footer Line"
    p.paragraph_format.tab_stops.add_tab_stop(Inches(width_in), WD_TAB_ALIGNMENT.RIGHT)
    p.add_run(f"{left_expr}\t{{{{ 'Página' if lang == 'es' else 'Page' }}}} ")
    field_run(p, "PAGE", "1")
    p.add_run(" {{ 'de' if lang == 'es' else 'of' }} ")
    field_run(p, total, "1")


def heading(doc: DocxDocument) -> None:
    para(doc, "{{ heading.title }}", "Heading 1")
    para(doc, "{{ heading.subtitle }}", "Subtitle Line")


def loop_lines(doc: DocxDocument, expr: str, style: str = "Block Line", **fmt: object) -> None:
    tag(doc, f"{{%p for line in {expr} %}}")
    para(doc, "{{ line }}", style, **fmt)
    tag(doc, "{%p endfor %}")


# ------------------------------------------------------------------ the three documents


def build_motion() -> DocxDocument:
    doc = base_document("motion")
    stamp_box(doc)
    caption(doc)
    heading(doc)
    para(doc, "{{ intro }}", "Body Paragraph")
    para(doc, "{{ table_intro }}", "Body Paragraph", keep_with_next=True)
    charges_table(doc)
    tag(doc, "{%p for paragraph in paragraphs %}")
    para(doc, "{{ paragraph }}", "Body Paragraph")
    tag(doc, "{%p endfor %}")
    para(doc, "{{ prayer }}", "Body Paragraph", keep_with_next=True)
    # Signature block in the right half (3.25 in), kept together; the date closes it.
    sig = Inches(3.25)
    para(doc, "", "Block Line", keep_with_next=True)
    para(
        doc,
        "{{ signature.intro }}",
        "Block Line",
        left_indent=sig,
        keep_with_next=True,
        space_after=Pt(10),
    )
    loop_lines(doc, "signature.lines", left_indent=sig, keep_with_next=True)
    para(doc, "{{ signature.date }}", "Block Line", left_indent=sig, space_before=Pt(10))

    title = para(doc, "{{ service.title }}", "Heading 2", space_before=Pt(30), space_after=Pt(12))
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "{{ service.intro }}", "Body Flush", keep_with_next=True)
    loop_lines(doc, "service.recipients", "List Line", keep_with_next=True)
    para(doc, "{{ service.note }}", "Body Flush", space_before=Pt(8), keep_with_next=True)
    para(doc, "{{ service.signer }}", "Block Line", left_indent=sig)
    footer(doc, "{{ caption.case_label }} {{ caption.case_number }}")
    return doc


def build_order() -> DocxDocument:
    doc = base_document("order")
    stamp_box(doc)
    caption(doc)
    heading(doc)
    para(doc, "{{ recital }}", "Body Paragraph")
    tag(doc, "{%p for finding in findings %}")
    para(doc, "{{ finding }}", "Body Paragraph")
    tag(doc, "{%p endfor %}")
    charges_table(doc)
    para(doc, "{{ order_intro }}", "Body Flush", keep_with_next=True).runs[0].bold = True
    # The comply_agencies list follows the order item numbered agencies_after (1-based).
    tag(doc, "{%p for item in orders %}")
    para(doc, "{{ item }}", "Body Paragraph")
    tag(doc, "{%p if loop.index == agencies_after %}")
    tag(doc, "{%p for agency in comply_agencies %}")
    para(doc, "{{ agency }}", "List Line", left_indent=Inches(1.25), space_after=Pt(3))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    # The chief legal officers the order is served on follow item officers_after.
    tag(doc, "{%p if loop.index == officers_after %}")
    tag(doc, "{%p for officer in serve_officers %}")
    para(doc, "{{ officer }}", "List Line", left_indent=Inches(1.25), space_after=Pt(3))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    # ENTERED block in the right half: label, 0.5 in signing space above a rule, judge labels.
    judge = Inches(3.25)
    para(doc, "", "Block Line", space_before=Pt(12), keep_with_next=True)
    entered = para(doc, "{{ entered }}", "Block Line", left_indent=judge, keep_with_next=True)
    entered.runs[0].bold = True
    sign = para(doc, "", "Block Line", left_indent=judge, keep_with_next=True)
    sign.paragraph_format.line_spacing = Inches(0.5)
    sign.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _paragraph_border(sign, "bottom")
    para(
        doc,
        "{{ judge.title }}",
        "Block Line",
        left_indent=judge,
        space_before=Pt(2),
        keep_with_next=True,
    )
    for label in ("{{ judge.number_label }}", "{{ judge.date_label }}:"):
        p = para(
            doc,
            label + " ",
            "Block Line",
            left_indent=judge,
            space_before=Pt(10),
            keep_with_next=True,
        )
        # A 1.5 in writing line: an underlined tab to a tab stop (no literal underscores).
        p.paragraph_format.tab_stops.add_tab_stop(judge + Inches(2.9))
        p.add_run("\t").underline = True
    denied_line(doc, judge)

    para(doc, "{{ prepared_by.label }}", "Block Line", space_before=Pt(24), keep_with_next=True)
    loop_lines(doc, "prepared_by.lines", keep_with_next=True)
    footer(doc, "{{ caption.case_label }} {{ caption.case_number }}")
    return doc


def _run_border(run: object) -> None:
    """A thin box around a run: Word's character border."""
    rpr = run._r.get_or_add_rPr()  # type: ignore[attr-defined]
    border = OxmlElement("w:bdr")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
        border.set(qn(key), value)
    rpr.append(border)


def _paragraph_border(p: Paragraph, side: str, eighths: int = 6, space_pt: int = 1) -> None:
    ppr = p._p.get_or_add_pPr()
    _borders(ppr, "w:pBdr", {side: "single"}, eighths=eighths)
    ppr.find(qn("w:pBdr"))[0].set(qn("w:space"), str(space_pt))


LETTER_SIDE_IN = 0.75  # letter.css: the letter's page has 0.75 in sides and bottom, 1 in top
LETTER_WIDTH_IN = 8.5 - 2 * LETTER_SIDE_IN


def build_letter() -> DocxDocument:
    doc = base_document("letter")
    section = doc.sections[0]
    for side in ("left_margin", "right_margin", "bottom_margin"):
        setattr(section, side, Inches(LETTER_SIDE_IN))
    # Layout table, no padding: row 1 (letterhead) is exactly 1.15 in high, so row 2 (recipient
    # and date) starts 2.15 in from the top of the page, in the #10 window, 1 in from the left
    # edge (after a 0.25 in spacer column); row 2 is exactly 1.2 in high, so the body starts
    # 3.35 in down, below the window (as the PDF's .letter-top).
    widths = [1.0 - LETTER_SIDE_IN, 3.5, LETTER_WIDTH_IN - 3.5 - (1.0 - LETTER_SIDE_IN)]
    t = table(doc, 2, widths, borders=False, caption="Letterhead and address")
    row_height(0, t, 1.15)
    row_height(1, t, 1.2)
    row_flags(t, 0)
    row_flags(t, 1)
    head = t.cell(0, 0)
    name = cell_text(head, "{{ letterhead.name }}", "Block Line")
    name.runs[0].bold = True
    name.runs[0].font.size = Pt(14)
    # The letterhead is wider than the recipient column: merge row 1 across every column.
    head = head.merge(t.cell(0, 2))
    loop_lines(head, "letterhead.address_lines")
    para(head, "{{ letterhead.contact }}", "Block Line", space_before=Pt(2))
    recipient = t.cell(1, 1)
    cell_text(recipient, "{%p for line in recipient %}", "Block Line")
    para(recipient, "{{ line }}", "Address Line")
    tag(recipient, "{%p endfor %}")
    date_cell = t.cell(1, 2)
    cell_text(date_cell, "{{ date_long }}", "Block Line", alignment=WD_ALIGN_PARAGRAPH.RIGHT)

    para(doc, "{{ subject }}", "Letter Text", space_after=Pt(6)).runs[0].bold = True
    para(doc, "{{ greeting }}", "Letter Text")
    main = para(doc, "{{ main_point }}", "Letter Text")
    main.runs[0].bold = True
    _paragraph_border(main, "left", eighths=24, space_pt=8)  # the PDF's .main-point bar
    main.paragraph_format.left_indent = Pt(11)
    para(doc, "{{ cases_intro }}", "Letter Text", keep_with_next=True)
    # No spacer: the next heading's space before separates it (CSS margins collapse).
    # Case, court, year, offense, what was asked for (the view model's five columns) where the
    # cases are in several courts; else the intro names the one court and the table has four.
    # The cells as the PDF's (letter.css): 1.1 lines, 2 pt above and below.
    cases_layout = {"styles": ("Letter Table Header", "Letter Table Text"), "pad": (2.0, 4.0)}
    tag(doc, "{%p if cases.court_column %}")
    data_table(doc, "cases", [1.55, 1.6, 0.5, 2.05, 1.3], "Cases", 0, **cases_layout)
    tag(doc, "{%p else %}")
    data_table(doc, "cases", [1.55, 0.5, 3.25, 1.7], "Cases", 0, **cases_layout)
    tag(doc, "{%p endif %}")

    heading_space = {"space_before": Pt(6), "space_after": Pt(1)}  # letter.css h2
    para(doc, "{{ meaning_title }}", "Heading 2", **heading_space)
    tag(doc, "{%p for item in meaning %}")
    para(doc, "{{ item }}", "List Bullet", left_indent=Inches(0.3), first_line_indent=Inches(-0.2))
    tag(doc, "{%p endfor %}")
    # How to check and whom to call travel with the closing (as the PDF's .keep): a letter that
    # needs a second page never carries the sign-off onto it alone.
    para(doc, "{{ check_title }}", "Heading 2", **heading_space)
    para(doc, "{{ check }}", "Letter Text", keep_with_next=True)
    # "Questions?" runs into its paragraph, as the PDF's: a line saved.
    contact = para(doc, "", "Letter Text", space_before=Pt(6), keep_with_next=True)
    contact.add_run("{{ contact_title }}").bold = True
    contact.add_run(" {{ contact }}")
    para(doc, "{%p for line in contact_other_languages %}", "Letter Text")
    para(doc, "{{ line }}", "Letter Text", keep_with_next=True)
    para(doc, "{%p endfor %}", "Letter Text")
    para(
        doc,
        "{{ closing }}",
        "Letter Text",
        space_before=Pt(2),
        space_after=Pt(4),
        keep_with_next=True,
    )
    loop_lines(doc, "signature", keep_with_next=True)
    footer(doc, "{{ letterhead.name }}", width_in=LETTER_WIDTH_IN)
    return doc


DROP_RELS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
)
APP_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>docgen</Application></Properties>'
)


def prune(doc: DocxDocument) -> None:
    """Drop what python-docx's default package carries but these documents never use.

    The default styles.xml (355 KB, mostly latent and unused styles) and stylesWithEffects.xml
    (438 KB) dominate parsing and compression time on every render; a lean package renders
    several times faster and is easier for an office to read in Word's style pane.
    """
    rels = doc.part.rels
    for rid, rel in list(rels.items()):
        if rel.reltype in DROP_RELS:
            del rels[rid]
    for rel in doc.part.package.rels.values():
        if rel.reltype == APP_REL:
            rel.target_part._blob = APP_XML  # not "Microsoft Macintosh Word"

    styles = doc.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    used: set[str] = {sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1"}
    parts = [doc.element]
    parts += [
        rel.target_part.element
        for rel in doc.part.rels.values()
        if rel.reltype in (RT.HEADER, RT.FOOTER)
    ]
    for root in parts:
        for tag_name in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            used.update(el.get(qn("w:val")) for el in root.iter(qn(tag_name)))
    # Close over basedOn / next / link references.
    pending = list(used)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for ref in ("w:basedOn", "w:next", "w:link"):
            el = style.find(qn(ref))
            if el is not None and el.get(qn("w:val")) not in used:
                used.add(el.get(qn("w:val")))
                pending.append(el.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in used:
            styles.remove(style)
    for style in styles.findall(qn("w:style")):
        rsid = style.find(qn("w:rsid"))
        if rsid is not None:
            style.remove(rsid)


# ------------------------------------------------------------------ bulk mode (Illinois)
# The per-case motion and order in the plural (docgen/plan/bulk.py's views): caption over the persons
# listed in Exhibit A, wording from `wording.*`, and Exhibit A as a landscape section whose table
# header repeats on every page (Word paginates it; the PDF's exhibit is laid out by docgen).


def signature_block(doc: DocxDocument, intro: str, lines: str, dated: str) -> None:
    sig = Inches(3.25)
    para(doc, "", "Block Line", keep_with_next=True)
    para(doc, intro, "Block Line", left_indent=sig, keep_with_next=True, space_after=Pt(10))
    loop_lines(doc, lines, left_indent=sig, keep_with_next=True)
    para(doc, dated, "Block Line", left_indent=sig, space_before=Pt(10))


def service_block(doc: DocxDocument) -> None:
    title = para(doc, "{{ service.title }}", "Heading 2", space_before=Pt(30), space_after=Pt(12))
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "{{ service.intro }}", "Body Flush", keep_with_next=True)
    loop_lines(doc, "service.recipients", "List Line", keep_with_next=True)
    para(doc, "{{ service.note }}", "Body Flush", space_before=Pt(8), keep_with_next=True)
    para(doc, "{{ service.signer }}", "Block Line", left_indent=Inches(3.25))


EXHIBIT_WIDTHS_IN = [0.7, 1.8, 2.9, 0.8, 1.6, 1.2]  # as [bulk] exhibit_column_widths_in


def _landscape_section(doc: DocxDocument) -> object:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Inches(11), Inches(8.5)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    fp = section.footer.paragraphs[0]
    fp.style = "Footer Line"
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("{{ title }}")
    return section


def exhibit_section(doc: DocxDocument) -> None:
    """Exhibit A as in the PDF: a cover page, then the table pages, broken where the PDF's pages
    break (exhibit_page_rows: one table per page, header row included), so "Exhibit A page N" in
    the order is the same page in both formats. The bulk motion always carries it, the bulk
    order when `exhibit.attached` (`[bulk] order_exhibit`)."""
    _landscape_section(doc)  # the cover: no page number (the PDF's cover has none either)
    tag(doc, "{%p if exhibit.attached %}")
    para(doc, "", "Block Line", space_before=Inches(1.75))
    para(doc, "{{ exhibit.label }}", "Heading 1", space_after=Pt(14)).runs[0].font.size = Pt(24)
    para(doc, "{{ exhibit.cover }}", "Block Line").alignment = WD_ALIGN_PARAGRAPH.CENTER
    tag(doc, "{%p endif %}")
    section = _landscape_section(doc)
    hp = section.header.paragraphs[0]
    hp.paragraph_format.tab_stops.add_tab_stop(Inches(9.0), WD_TAB_ALIGNMENT.RIGHT)
    hp.add_run("{{ exhibit.label }}: {{ exhibit.title }}\tPage ").bold = True
    field_run(hp, "PAGE", "1")
    # Of the exhibit's pages: a page reference to a bookmark after its last row (its numbers
    # restart at 1), as SECTIONPAGES shows only its cached value in LibreOffice.
    hp.add_run(" of ")
    field_run(hp, f"PAGEREF {EXHIBIT_END_BOOKMARK} \\h", "1")
    restart_page_numbers(section)
    tag(doc, "{%p for page in (exhibit_page_rows if exhibit.attached else []) %}")
    tag(doc, "{%p if not loop.first %}")
    para(doc, "", "Block Line").add_run().add_break(WD_BREAK.PAGE)
    tag(doc, "{%p endif %}")
    t = table(doc, 3, EXHIBIT_WIDTHS_IN, borders=True, caption="Exhibit A", pad=(2, 3))
    row_flags(t, 0, header=True)
    for i, cell in enumerate(t.rows[0].cells):
        cell_text(cell, f"{{{{ exhibit.headers[{i}] }}}}", "Table Header")
    cell_text(t.cell(1, 0), "{%tr for r in page %}")
    row_flags(t, 2)
    for i, cell in enumerate(t.rows[2].cells):
        cell_text(cell, f"{{{{ r[{i}] }}}}")
    end = t.add_row()
    cell_text(end.cells[0], "{%tr endfor %}")
    tag(doc, "{%p endfor %}")
    end = para(doc, "", "Block Line", line_spacing=Pt(1), line_spacing_rule=WD_LINE_SPACING.EXACTLY)
    bookmark(end, EXHIBIT_END_BOOKMARK, 2)


def build_bulk_motion() -> DocxDocument:
    doc = base_document("bulk-motion")
    stamp_box(doc)
    caption(doc)
    heading(doc)
    para(doc, "{{ wording.intro }}", "Body Paragraph")
    loop_lines(doc, "wording.paragraphs", "Body Paragraph")
    para(doc, "{{ wording.prayer }}", "Body Paragraph", keep_with_next=True)
    signature_block(doc, "{{ wording.submitted }}", "signature.lines", "{{ signature.dated }}")
    service_block(doc)
    # "Page N of M" with M the motion's pages, not the exhibit's: a page reference to a bookmark
    # on the motion's last line. (SECTIONPAGES would count the section, but LibreOffice shows
    # its cached value: "Page 2 of 1".)
    footer(
        doc,
        "{{ caption.case_label }} {{ caption.case_number or '______________' }}",
        f"PAGEREF {MOTION_END_BOOKMARK} \\h",
    )
    end = para(doc, "", "Block Line", line_spacing=Pt(1), line_spacing_rule=WD_LINE_SPACING.EXACTLY)
    bookmark(end, MOTION_END_BOOKMARK, 1)
    exhibit_section(doc)
    return doc


def build_bulk_order() -> DocxDocument:
    doc = base_document("bulk-order")
    stamp_box(doc)
    caption(doc)
    heading(doc)
    para(doc, "{{ wording.recital }}", "Body Paragraph")
    loop_lines(doc, "wording.findings", "Body Paragraph")
    para(doc, "{{ wording.order_intro }}", "Body Flush", keep_with_next=True).runs[0].bold = True
    tag(doc, "{%p for item in wording.orders %}")
    para(doc, "{{ item }}", "Body Paragraph")
    tag(doc, "{%p if loop.index == wording.agencies_intro %}")
    tag(doc, "{%p for agency in comply_agencies %}")
    para(doc, "{{ agency }}", "List Line", left_indent=Inches(1.25), space_after=Pt(3))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if loop.index == wording.officers_intro %}")
    tag(doc, "{%p for officer in serve_officers %}")
    para(doc, "{{ officer }}", "List Line", left_indent=Inches(1.25), space_after=Pt(3))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    # Exhibit A's pages with their rows and case number ranges (after the last order item).
    t = table(doc, 3, [1.3, 1.2, 2.0, 2.0], borders=True, caption="Exhibit A pages", pad=(3, 4))
    row_flags(t, 0, header=True)
    for i, cell in enumerate(t.rows[0].cells):
        cell_text(cell, f"{{{{ wording.exhibit_pages_headers[{i}] }}}}", "Table Header")
    cell_text(t.cell(1, 0), "{%tr for p in exhibit_pages %}")
    row_flags(t, 2)
    for i, key in enumerate(("page", "rows", "first_case", "last_case")):
        cell_text(t.rows[2].cells[i], f"{{{{ p.{key} }}}}")
    end = t.add_row()
    cell_text(end.cells[0], "{%tr endfor %}")
    judge = Inches(3.25)
    # The closing paragraph stays on the page the judge signs.
    para(doc, "{{ wording.closing }}", "Body Paragraph", space_before=Pt(12), keep_with_next=True)
    entered = para(
        doc, "{{ wording.entered }}", "Block Line", left_indent=judge, keep_with_next=True
    )
    entered.runs[0].bold = True
    sign = para(doc, "", "Block Line", left_indent=judge, keep_with_next=True)
    sign.paragraph_format.line_spacing = Inches(0.5)
    sign.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _paragraph_border(sign, "bottom")
    para(doc, "{{ judge.title }}", "Block Line", left_indent=judge, keep_with_next=True)
    tag(doc, "{%p if judge.number_label %}")
    writing_line(doc, "{{ judge.number_label }} ", judge)
    tag(doc, "{%p endif %}")
    writing_line(doc, "{{ wording.dated }}: ", judge)
    denied_line(doc, judge)
    para(doc, "{{ prepared_by.label }}", "Block Line", space_before=Pt(24), keep_with_next=True)
    loop_lines(doc, "prepared_by.lines", keep_with_next=True)
    # "Page N of M" with M the order's pages, not its exhibit's (as the PDF's footer): a page
    # reference to a bookmark on the order's last line, as in the bulk motion.
    footer(
        doc,
        "{{ caption.case_label }} {{ caption.case_number or '______________' }}",
        f"PAGEREF {ORDER_END_BOOKMARK} \\h",
    )
    end = para(doc, "", "Block Line", line_spacing=Pt(1), line_spacing_rule=WD_LINE_SPACING.EXACTLY)
    bookmark(end, ORDER_END_BOOKMARK, 3)
    exhibit_section(doc)
    return doc


def denied_line(doc: DocxDocument, left: object) -> None:
    """The box a judge marks to deny, with the pack's separate denial line (`denied_mark`), as
    in _signature_block.html; docgen ingest-signed reads the PDF's."""
    tag(doc, "{%p if denied_mark %}")
    denied = para(doc, "", "Block Line", left_indent=left, space_before=Pt(10), keep_with_next=True)
    _run_border(denied.add_run("\u00a0\u00a0\u00a0"))
    denied.add_run("  {{ denied_mark }}")
    tag(doc, "{%p endif %}")


def writing_line(doc: DocxDocument, label: str, left: object) -> None:
    """A label and a 1.5 in line to write on: an underlined tab to a tab stop."""
    p = para(doc, label, "Block Line", left_indent=left, space_before=Pt(10), keep_with_next=True)
    p.paragraph_format.tab_stops.add_tab_stop(left + Inches(2.9))
    p.add_run("\t").underline = True


def build_notice_of_filing() -> DocxDocument:
    """An individual's notice of filing (docgen/petition/petition.py): caption, TO: list, notice and
    hearing, the signer's block and a certificate of service."""
    doc = base_document("notice-of-filing")
    stamp_box(doc)
    caption(doc)
    heading(doc)
    para(doc, "{{ to_label }}", "Block Line", keep_with_next=True).runs[0].bold = True
    loop_lines(doc, "recipients", "List Line")
    para(doc, "", "Block Line")
    para(doc, "{{ body }}", "Body Paragraph")
    para(doc, "{{ hearing }}", "Body Paragraph", keep_with_next=True)
    sig = Inches(3.25)
    loop_lines(doc, "signature.lines", left_indent=sig, keep_with_next=True)
    para(doc, "{{ signature.date }}", "Block Line", left_indent=sig, space_before=Pt(10))
    title = para(doc, "{{ service.title }}", "Heading 2", space_before=Pt(30), space_after=Pt(12))
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "{{ service.text }}", "Body Paragraph", keep_with_next=True)
    para(doc, "{{ service.signer }}", "Block Line", left_indent=sig)
    footer(doc, "{{ caption.case_label }} {{ caption.case_number }}")
    return doc


BUILDERS = {
    "motion": build_motion,
    "order": build_order,
    "letter": build_letter,
    "bulk-motion": build_bulk_motion,
    "bulk-order": build_bulk_order,
    "notice-of-filing": build_notice_of_filing,
}
SHARED = {"letter"}
DEFAULT_OUT = REPO_ROOT / "templates" / "_layouts" / "illinois"
COMMON_DIR = REPO_ROOT / "templates" / "_layouts" / "common"


def build_all(out_dir: Path, only: set[str] | None = None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in BUILDERS.items():
        if only is not None and name not in only:
            continue
        buf = BytesIO()
        doc = builder()
        prune(doc)
        doc.save(buf)
        # The letter is shared by every pack (templates/_layouts/common/); the court documents
        # belong to the Illinois layout.
        target = COMMON_DIR if name in SHARED and out_dir == DEFAULT_OUT else out_dir
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.docx"
        # Same normalisation as rendered output: rebuilding gives byte-identical templates.
        path.write_bytes(normalise_docx(buf.getvalue()))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--only", help=f"comma-separated templates to build (default all: {', '.join(BUILDERS)})"
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    if only and only - set(BUILDERS):
        parser.error(f"unknown template(s): {', '.join(sorted(only - set(BUILDERS)))}")
    for path in build_all(args.out, only):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
