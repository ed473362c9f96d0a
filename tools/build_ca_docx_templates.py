"""Author the California pleading-paper .docx templates (bulk motion, bulk order, per-case order).

Run: /work/main/.venv/bin/python tools/build_ca_docx_templates.py
Writes them into templates/_layouts/california-pleading/, the layout every ca-* pack uses (the
words are the pack's; the letter comes from templates/_layouts/common/, shared by every pack).
Rebuilding gives byte-identical files (same normalisation as rendered output).

Pleading paper as Word court templates lay it out: a text box anchored in the page header holds
the line numbers 1-28 at an exact 24 pt pitch, starting 1 in from the top edge (where the body
text starts); two vertical lines left of the text and one right of it are shapes in the same
header, so they repeat on every page. Every body paragraph has exact 24 pt line spacing and no
space before or after, so text lines sit on the numbers. Footer: page number, a rule, the title.
Exhibit A (bulk motion, and bulk order) is a second, landscape section with its
own header ("EXHIBIT A", "Page N of M" running on from the document's pages), a cover page, no
line numbers, and a table whose header row repeats on every page.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))

import build_docx_templates as base  # noqa: E402

REPO_ROOT = TOOLS.parent
TEXT_WIDTH = 8.5 - 1.5 - 0.6
VML = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _exact(p, pt: float = 24) -> None:
    pf = p.paragraph_format
    pf.line_spacing = Pt(pt)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def line(box, text: str = "", **fmt):
    p = base.para(box, text, "Normal", **fmt)
    _exact(p)
    return p


def _number_line(n: int) -> CT_P:
    """Line number n, right-aligned on the body's exact 24 pt pitch. Written through python-docx,
    which puts w:pPr's children in the schema's order (Word may call w:jc before w:spacing
    unreadable content)."""
    p = Paragraph(OxmlElement("w:p"), None)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _exact(p)
    p.add_run(str(n)).font.size = Pt(12)
    return p._p


def _numbers_box() -> BaseOxmlElement:
    """The header's run: a text box with the line numbers 1-28 (the rules are page borders:
    LibreOffice draws no VML line)."""
    # Positions are from the page's top-left corner, in points.
    box = parse_xml(
        f"<w:r {VML}><w:pict>"
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
        '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        '<v:shape id="LineNumbers" o:spid="_x0000_s1025" type="#_x0000_t202" filled="f" stroked="f" '
        'style="position:absolute;margin-left:48pt;margin-top:72pt;width:40pt;height:674pt;z-index:-1;'
        'mso-position-horizontal-relative:page;mso-position-vertical-relative:page">'
        '<v:textbox inset="0,0,0,0"><w:txbxContent/></v:textbox></v:shape>'
        "</w:pict></w:r>"
    )
    numbers = box.find(f".//{qn('w:txbxContent')}")
    for n in range(1, 29):
        numbers.append(_number_line(n))
    return box


# The pleading paper's rules, as the PDF draws them (style.css): a double rule between the line
# numbers and the text, a single one right of the text. Page borders measured from the text
# (points; at most 31), so Word and LibreOffice both draw them on every page of the section.
MARGIN_RULES = {"left": ("double", "4", "11"), "right": ("single", "6", "4")}


def margin_rules(section) -> None:
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "text")
    for side, (kind, eighths, space) in MARGIN_RULES.items():
        edge = OxmlElement(f"w:{side}")
        for key, value in (("val", kind), ("sz", eighths), ("space", space), ("color", "000000")):
            edge.set(qn(f"w:{key}"), value)
        borders.append(edge)
    base.insert_in_order(section._sectPr, borders)


def pleading_document(title_hint: str):
    doc = base.base_document(title_hint)
    section = doc.sections[0]
    section.left_margin, section.right_margin = Inches(1.5), Inches(0.6)
    section.top_margin, section.bottom_margin = Inches(1), Inches(0.67)
    section.header_distance, section.footer_distance = Inches(0.3), Inches(0.2)
    header_p = section.header.paragraphs[0]
    header_p._p.append(_numbers_box())
    margin_rules(section)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    base.field_run(footer, "PAGE", "1")
    title = section.footer.add_paragraph("{{ title }}")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    base._paragraph_border(title, "top")
    for run in title.runs:
        run.font.size = Pt(10)
    # Lines 1-7: attorney block; line 8 on: the court title; then the caption.
    base.tag(doc, "{%p for l in attorney %}")
    line(doc, "{{ l }}")
    base.tag(doc, "{%p endfor %}")
    base.tag(doc, "{%p for l in caption.court_lines %}")
    p = line(doc, "{{ l }}", alignment=WD_ALIGN_PARAGRAPH.CENTER)
    p.runs[0].bold = True
    base.tag(doc, "{%p endfor %}")
    line(doc)
    # The parties box as wide as the PDF's (55 % of the text and its 12 pt padding, 3.68 in):
    # at 3.5 in "THE PEOPLE OF THE STATE OF CALIFORNIA," (252.3 pt) broke before its last word.
    t = base.table(doc, 1, [3.7, TEXT_WIDTH - 3.7], borders=False, caption="Caption")
    left, right = t.rows[0].cells
    base._borders(
        left._tc.get_or_add_tcPr(), "w:tcBorders", {"right": "single", "bottom": "single"}
    )
    for i, (text, indent) in enumerate(
        (
            ("{{ caption.plaintiff }},", 0),
            ("{{ caption.plaintiff_role }},", 1.6),
            ("v.", 0.5),
            ("{{ caption.defendant }},", 0),
            ("{{ caption.defendant_role }}.", 1.6),
        )
    ):
        p = base.cell_text(left, text, "Normal") if i == 0 else left.add_paragraph(text)
        _exact(p)
        if indent:
            p.paragraph_format.left_indent = Inches(indent)
    p = base.cell_text(
        right, "{{ caption.case_label }} {{ caption.case_number or '______________' }}", "Normal"
    )
    _exact(p)
    p.paragraph_format.left_indent = Inches(0.15)
    p = right.add_paragraph("{{ caption.title }}")
    _exact(p)
    p.paragraph_format.left_indent = Inches(0.15)
    p.runs[0].bold = True
    p = right.add_paragraph("{{ wording.subtitle }}")
    _exact(p)
    p.paragraph_format.left_indent = Inches(0.15)
    line(doc)
    return doc


def paragraphs(doc, expr: str) -> None:
    base.tag(doc, f"{{%p for para in {expr} %}}")
    line(doc, "{{ para }}", first_line_indent=Inches(0.5))
    base.tag(doc, "{%p endfor %}")


def judge_block(doc) -> None:
    line(doc)
    line(doc, "{{ wording.dated }}")
    line(doc)
    p = line(doc, "", left_indent=Inches(3))
    base._paragraph_border(p, "bottom")
    line(doc, "{{ judge.title }}", left_indent=Inches(3))
    # The box a judge marks to deny (as in the HTML order; docgen ingest-signed reads the PDF's).
    base.tag(doc, "{%p if wording.denied_mark %}")
    p = line(doc, "", left_indent=Inches(3))
    base._run_border(p.add_run("\u00a0\u00a0\u00a0"))
    p.add_run("  {{ wording.denied_mark }}")
    base.tag(doc, "{%p endif %}")


def build_bulk_motion():
    doc = pleading_document("bulk-motion")
    paragraphs(doc, "wording.paragraphs")
    line(doc)
    line(doc, "{{ signature.dated }}")
    line(doc, "{{ wording.submitted }}", left_indent=Inches(3))
    base.tag(doc, "{%p for l in signature.lines %}")
    line(doc, "{{ l }}", left_indent=Inches(3))
    base.tag(doc, "{%p endfor %}")
    exhibit_section(doc)
    return doc


def exhibit_section(doc) -> None:
    """Exhibit A, as the PDF has it: a landscape section (its own header: "EXHIBIT A: title",
    "Page N of M" continuing the document's numbers, Cal. Rules of Court 3.1110(c)), a cover
    page, then the table with a header row repeated on every page (only when `exhibit.attached`)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    for rules in section._sectPr.findall(qn("w:pgBorders")):  # the exhibit has none (the PDF's)
        section._sectPr.remove(rules)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Inches(11), Inches(8.5)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(0.75))
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    hp = section.header.paragraphs[0]
    hp.paragraph_format.tab_stops.add_tab_stop(Inches(9.5), base.WD_TAB_ALIGNMENT.RIGHT)
    hp.add_run("{{ exhibit.label }}: {{ exhibit.title }}\tPage ").bold = True
    base.field_run(hp, "PAGE", "1")
    hp.add_run(" of ")
    base.field_run(hp, "NUMPAGES", "1")
    fp = section.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("{{ title }}").font.size = Pt(10)
    section.header.paragraphs[0].paragraph_format.space_after = Pt(6)
    # The cover page (the PDF's exhibit.html): the label and the cover text, centred.
    base.tag(doc, "{%p if exhibit.attached %}")
    p = base.para(doc, "{{ exhibit.label }}", "Heading 1", alignment=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_before = Pt(150)
    p.paragraph_format.space_after = Pt(14)
    cover = base.para(doc, "{{ exhibit.cover }}", alignment=WD_ALIGN_PARAGRAPH.CENTER)
    cover.add_run().add_break(base.WD_BREAK.PAGE)
    widths = [0.65, 1.45, 2.7, 1.0, 1.3, 1.1, 1.3]
    t = base.table(doc, 3, widths, borders=True, caption="Exhibit A", pad=(2, 3))
    base.row_flags(t, 0, header=True)
    for i, cell in enumerate(t.rows[0].cells):
        base.cell_text(cell, f"{{{{ exhibit.headers[{i}] }}}}", "Table Header")
    base.cell_text(t.cell(1, 0), "{%tr for r in exhibit_rows %}")
    base.row_flags(t, 2)
    for i, cell in enumerate(t.rows[2].cells):
        base.cell_text(cell, f"{{{{ r[{i}] }}}}")
    end = t.add_row()
    base.cell_text(end.cells[0], "{%tr endfor %}")
    # Without the exhibit (by_reference) its sections are left blank, and the renderer drops
    # them (docgen.render.docx.drop_blank_last_sections).
    base.tag(doc, "{%p endif %}")


def build_bulk_order():
    doc = pleading_document("bulk-order")
    paragraphs(doc, "wording.paragraphs")
    judge_block(doc)
    # Exhibit A, as the PDF order carries it (`[bulk] order_exhibit`, default "attached"); the
    # judge's Word batch keeps its sections (docgen/judge/docx_sections.py).
    exhibit_section(doc)
    return doc


def build_case_order():
    doc = pleading_document("order")
    paragraphs(doc, "wording.paragraphs")
    line(doc)
    base.data_table(doc, "charges", [2.0, 2.0, TEXT_WIDTH - 4.0], "Convictions", gap_after=0)
    line(doc)
    paragraphs(doc, "wording.after_table")
    judge_block(doc)
    return doc


BUILDERS = {
    "bulk-motion": build_bulk_motion,
    "bulk-order": build_bulk_order,
    "order": build_case_order,
}


def main() -> int:
    # One layout folder serves every California county pack (their pack.toml set
    # layout = "california-pleading").
    layout = REPO_ROOT / "templates" / "_layouts" / "california-pleading"
    layout.mkdir(parents=True, exist_ok=True)
    for name, builder in BUILDERS.items():
        doc = builder()
        base.prune(doc)
        buf = BytesIO()
        doc.save(buf)
        (layout / f"{name}.docx").write_bytes(base.normalise_docx(buf.getvalue()))
        print(layout / f"{name}.docx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
