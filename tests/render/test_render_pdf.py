"""PDF renderer: filing-format guarantees (PDF/A-2b, US Letter, margins, fonts, determinism),
Cook County layout (stamp box, caption, window-envelope address) and template safety."""

from __future__ import annotations

import ctypes
import io
import shutil
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest

from docgen.errors import PackError
from docgen.model import Case, ChargeRow, Person
from docgen.packs import FONTS_DIR, Pack, PackConfig, load_pack
from docgen.plan import viewmodel
from docgen.plan.viewmodel import DocumentSpec
from docgen.render.pdf import PdfRenderer, ResourceRefused, html_to_pdf

RUN_DATE = date(2024, 5, 1)
PT = 72  # points per inch; pages are rendered at 72 dpi so one pixel is one point
LONG_NAME = ("Maximiliana-Josefina-Alexandrina", "Wolfeschlegelsteinhausen-Berg")
ALLOWED_FONTS = {
    "Liberation-Serif",
    "Liberation-Serif-Bold",
    "Liberation-Serif-Italic",
    "Liberation-Serif-Bold-Italic",
    "WenQuanYi-Micro-Hei",
}


# ---- fixtures: small people and cases built in the test --------------------------------------


def _charge(row: int, first: str, last: str, case: str, **extra: object) -> ChargeRow:
    fields: dict[str, object] = {
        "row": row,
        "person_id": f"P-{first}-{last}",
        "last_name": last,
        "first_name": first,
        "date_of_birth": date(1980, 1, 2),
        "address_line1": "1234 W Example Ave Apt 5",
        "city": "Chicago",
        "state": "IL",
        "postal_code": "60601",
        "case_number": case,
        "statute": "720 ILCS 550/4(a)",
        "offense_description": "Possession of cannabis, 2.5 grams or less",
        "offense_class": "Class C misdemeanor",
        "disposition": "Convicted",
        "disposition_date": date(2012, 3, 4),
        "arrest_date": date(2012, 1, 5),
        "arresting_agency": "Chicago Police Department",
        "determination": "vacate_expunge",
    }
    fields.update(extra)
    return ChargeRow(**fields)


def make_person(
    first: str, last: str, case: str = "12 CR 0004567", charges: int = 2, **extra: object
) -> Person:
    rows = [_charge(i + 2, first, last, case, **extra) for i in range(charges)]
    return Person(person_id=rows[0].person_id, first=rows[0], cases=[Case(case, "", rows)])


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack("il-cook")


@pytest.fixture(scope="module")
def renderer(pack: Pack) -> PdfRenderer:
    return PdfRenderer(pack, RUN_DATE)


PEOPLE = {
    "plain": ("John", "Smith", {}),
    "long": (*LONG_NAME, {"charges": 3}),
    "viet": ("Nguyễn Thị", "Minh Khai", {"language": "es"}),
    "cjk": ("小龍", "李", {}),
}


def spec_for(pack: Pack, who: str, kind: str) -> DocumentSpec:
    first, last, extra = PEOPLE[who]
    person = make_person(first, last, **extra)  # type: ignore[arg-type]
    if kind == "letter":
        return viewmodel.letter(pack, person, person.cases, RUN_DATE)
    build = viewmodel.motion if kind == "motion" else viewmodel.order
    return build(pack, person, person.cases[0], RUN_DATE)


@pytest.fixture(scope="module")
def rendered(pack: Pack, renderer: PdfRenderer):  # type: ignore[no-untyped-def]
    """Renders each (person, kind) once per module; tests share the bytes."""

    @cache
    def get(who: str, kind: str) -> tuple[DocumentSpec, bytes]:
        spec = spec_for(pack, who, kind)
        return spec, renderer.render(spec)

    return get


ALL_DOCS = [(who, kind) for who in PEOPLE for kind in ("motion", "order", "letter")]


# ---- helpers ---------------------------------------------------------------------------------


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def font_dicts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for _, font in fonts.items():
            yield font
        for _, xobj in page.obj.get("/Resources", {}).get("/XObject", {}).items():
            for _, font in xobj.get("/Resources", {}).get("/Font", {}).items():
                yield font


def chars(pdf: bytes, page_index: int = 0) -> list[tuple[str, str, tuple[float, ...]]]:
    """(character, font name, (left, bottom, right, top) in points) for every char on a page."""
    doc = pdfium.PdfDocument(pdf)
    textpage = doc[page_index].get_textpage()
    out = []
    for i in range(textpage.count_chars()):
        char = chr(pdfium_raw.FPDFText_GetUnicode(textpage.raw, i))
        buf = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        pdfium_raw.FPDFText_GetFontInfo(textpage.raw, i, buf, 256, ctypes.byref(flags))
        out.append((char, buf.value.decode("latin-1"), textpage.get_charbox(i)))
    return out


def find(char_list: list[tuple[str, str, tuple[float, ...]]], word: str) -> list[int]:
    """Start indexes of `word` in the page's character sequence."""
    text = "".join(c for c, _, _ in char_list)
    starts, at = [], text.find(word)
    while at != -1:
        starts.append(at)
        at = text.find(word, at + 1)
    return starts


def paren_column(page: list[tuple[str, str, tuple[float, ...]]]) -> tuple[float, int]:
    """x of the caption's ")" column (the x where most ")" characters line up) and its count."""
    by_x: dict[int, list[float]] = {}
    for c, _, box in page:
        if c == ")":
            by_x.setdefault(round(box[0]), []).append(box[0])
    xs = max(by_x.values(), key=len)
    return min(xs), len(xs)


def pixels(pdf: bytes, page_index: int):  # type: ignore[no-untyped-def]
    """Grey-scale image of a page at 72 dpi: one pixel per point, (0, 0) at the top left."""
    doc = pdfium.PdfDocument(pdf)
    return doc[page_index].render(scale=1).to_pil().convert("L")


def ink_rows_cols(img, box: tuple[int, int, int, int]) -> int:  # type: ignore[no-untyped-def]
    """Number of non-white pixels (darker than 250) in box = (left, top, right, bottom)."""
    region = img.crop(box)
    return sum(1 for v in region.tobytes() if v < 250)


# ---- PDF format ------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "kind"), ALL_DOCS)
def test_pdfa_title_language_letter_paper_not_encrypted(rendered, who: str, kind: str) -> None:
    spec, pdf = rendered(who, kind)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.open_metadata().pdfa_status == "2B"
        assert "/OutputIntents" in doc.Root
        assert not doc.is_encrypted
        assert str(doc.docinfo["/Title"]) == spec.title
        assert str(doc.Root["/Lang"]) == spec.lang
        assert str(doc.docinfo["/CreationDate"]) == "D:20240501000000Z"
        for page in doc.pages:
            assert [float(v) for v in page.mediabox] == [0, 0, 612, 792]  # 8.5 x 11 in
    assert pypdf.PdfReader(io.BytesIO(pdf)).metadata.title == spec.title


def test_tagged_pdf_with_real_table_headers(rendered) -> None:
    spec, pdf = rendered("plain", "motion")
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(str(node["/S"]))
            walk(node.get("/K"))
        elif isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.Root["/MarkInfo"]["/Marked"]
        walk(doc.Root["/StructTreeRoot"])
    assert found.count("/TH") == len(spec.context["charges"]["headers"])
    assert "/Table" in found


def test_spanish_letter_is_spanish(rendered) -> None:
    spec, pdf = rendered("viet", "letter")
    assert spec.lang == "es"
    text = text_of(pdf)
    assert "Sus antecedentes de cannabis" in text
    # The page label is Spanish (a one-case letter, closing included, is one page).
    assert "Página 1 de 1" in text and "Page 1" not in text


@pytest.mark.parametrize(("who", "kind"), ALL_DOCS)
def test_fonts_embedded_and_only_bundled(rendered, who: str, kind: str) -> None:
    _, pdf = rendered(who, kind)
    seen = set()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for font in font_dicts(doc):
            descendants = font.get("/DescendantFonts")
            target = descendants[0] if descendants else font
            name = str(target["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            descriptor = target["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
            seen.add(name)
    assert seen, "no fonts found"
    assert seen <= ALLOWED_FONTS
    assert "Liberation-Serif" in seen


def test_cjk_glyphs_come_from_wenquanyi_and_latin_from_liberation(rendered) -> None:
    _, pdf = rendered("cjk", "motion")
    page = chars(pdf, 0)
    for glyph in "李小龍":
        fonts = {font for c, font, _ in page if c == glyph}
        assert fonts, f"{glyph} is missing from page 1"
        assert all("WenQuanYi-Micro-Hei" in f for f in fonts)
    latin = {font for c, font, _ in page if c in "PEOPLE"}
    assert latin and all("Liberation-Serif" in f for f in latin)


@pytest.mark.parametrize("who", ["plain", "viet", "cjk", "long"])
def test_text_searchable_names_and_case_number_verbatim(rendered, who: str) -> None:
    first, last, _ = PEOPLE[who]
    full = last + first if who == "cjk" else f"{first} {last}"  # CJK: family name first
    motion = text_of(rendered(who, "motion")[1])
    order = text_of(rendered(who, "order")[1])
    letter = text_of(rendered(who, "letter")[1])
    for text in (motion, order, letter):
        assert "12 CR 0004567" in text
    # Caption has the upper-case name; the body and the letter the name as written.
    # (Long names may be broken across lines, so compare without whitespace.)
    squash = "".join
    assert squash(full.upper().split()) in squash(motion.split())
    assert squash(full.split()) in squash(motion.split())
    assert full in letter or squash(full.split()) in squash(letter.split())
    if who in ("viet", "cjk"):
        assert full in letter  # short enough to stay on one line: exactly as written


def test_deterministic_bytes_and_dates_from_run_date(pack: Pack) -> None:
    spec = spec_for(pack, "cjk", "motion")
    first = PdfRenderer(pack, RUN_DATE).render(spec)
    second = PdfRenderer(pack, RUN_DATE).render(spec)
    assert first == second
    later = PdfRenderer(pack, date(2025, 1, 2)).render(spec)
    assert later != first
    with pikepdf.open(io.BytesIO(later)) as doc:
        assert str(doc.docinfo["/CreationDate"]) == "D:20250102000000Z"
        assert str(doc.docinfo["/ModDate"]) == "D:20250102000000Z"


# ---- page geometry ---------------------------------------------------------------------------

# The footer (case number, page X of Y) is the only ink allowed in a margin: it sits in the
# bottom margin, between 0.4 in and 0.75 in above the bottom edge, horizontally inside the side
# margins. Court documents have 1 in margins (Ill. S. Ct. R. 10); the letter, which is mailed,
# not filed, has 1 in at the top and 0.75 in at the sides and bottom (letter.css).
FOOTER_BAND = (792 - int(0.75 * PT), 792 - int(0.4 * PT))
MARGINS_PT = {"letter": (72, 54, 54, 54)}  # kind -> (top, right, bottom, left)


@pytest.mark.parametrize(("who", "kind"), ALL_DOCS)
def test_nothing_in_the_margins_but_the_footer(rendered, who: str, kind: str) -> None:
    _, pdf = rendered(who, kind)
    top, right, bottom_margin, left = MARGINS_PT.get(kind, (72, 72, 72, 72))
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for index in range(pages):
        img = pixels(pdf, index)
        assert img.size == (612, 792)
        # 1 pt of tolerance at the margin lines: anti-aliasing and glyph overshoot of text
        # that starts exactly at the margin (e.g. "J", "(") shade the adjacent pixel.
        assert ink_rows_cols(img, (0, 0, 612, top - 1)) == 0, f"top margin, page {index + 1}"
        assert ink_rows_cols(img, (0, 0, left - 1, 792)) == 0, f"left margin, page {index + 1}"
        edge = 612 - right + 1
        assert ink_rows_cols(img, (edge, 0, 612, 792)) == 0, f"right margin, page {index + 1}"
        bottom = (left, 792 - bottom_margin, 612 - right, 792)
        band = (left, FOOTER_BAND[0], 612 - right, FOOTER_BAND[1])
        assert ink_rows_cols(img, band) > 0, f"no footer on page {index + 1}"
        assert ink_rows_cols(img, bottom) == ink_rows_cols(img, band), f"page {index + 1}"
        # And the body does use the page: ink right up to near the 1 in lines.
        assert ink_rows_cols(img, (72, 72, 540, 720)) > 0


def test_footer_has_case_number_and_page_x_of_y(rendered) -> None:
    _, pdf = rendered("long", "motion")
    texts = page_texts(pdf)
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert "Case No. 12 CR 0004567" in text


@pytest.mark.parametrize("who", ["plain", "long", "cjk"])
def test_stamp_box_top_right_of_page_one_is_blank(rendered, who: str) -> None:
    _, pdf = rendered(who, "motion")
    img = pixels(pdf, 0)
    # Box: 2 x 2 in, top right inside the margins: x 5.5-7.5 in, y 1-3 in.
    left, top, right, bottom = int(5.5 * PT), PT, int(7.5 * PT), 3 * PT
    assert ink_rows_cols(img, (left + 3, top + 3, right - 3, bottom - 3)) == 0, "ink in box"
    # The thin border is there (so the test looks at the real box, not at empty paper).
    assert ink_rows_cols(img, (left, top, left + 2, bottom)) > 100
    assert ink_rows_cols(img, (left, bottom - 2, right, bottom)) > 100


def test_order_has_no_stamp_box_unless_the_caption_asks(pack: Pack, renderer: PdfRenderer) -> None:
    spec = spec_for(pack, "plain", "order")
    assert spec.context["caption"]["stamp_box"] is False
    img = pixels(renderer.render(spec), 0)
    edge = (int(7.5 * PT) - 2, PT, int(7.5 * PT), 3 * PT)  # right edge of where a box would be
    assert ink_rows_cols(img, edge) < 20
    spec.context["caption"]["stamp_box"] = True
    img = pixels(renderer.render(spec), 0)
    assert ink_rows_cols(img, edge) > 100


@pytest.mark.parametrize(
    ("first", "last"), [LONG_NAME, ("Bartholomew", "Q" * 48)], ids=["hyphenated", "unbroken"]
)
def test_long_name_wraps_inside_the_caption_column(
    pack: Pack, renderer: PdfRenderer, first: str, last: str
) -> None:
    assert len(f"{first} {last}") >= 60
    person = make_person(first, last)
    pdf = renderer.render(viewmodel.motion(pack, person, person.cases[0], RUN_DATE))
    page = chars(pdf, 0)
    paren_left, count = paren_column(page)
    assert count >= 7  # a straight column, one ")" per caption line
    # The caption spells the name in upper case (the body does not): collect its glyphs.
    full = f"{first} {last}".upper()
    (start,) = find(page, first.upper())
    glyphs = []
    for c, _, box in page[start:]:
        if len(glyphs) == len(full.replace(" ", "")):
            break
        if c.strip():
            glyphs.append((c, box))
    assert "".join(c for c, _ in glyphs) == full.replace(" ", "")
    assert max(box[2] for _, box in glyphs) < paren_left - 2, "name runs into the ) column"
    assert min(box[0] for _, box in glyphs) >= PT - 1, "name runs into the left margin"
    assert len({round(box[1]) for _, box in glyphs}) >= 2  # it wrapped


def test_caption_parties_and_case_number(rendered) -> None:
    _, pdf = rendered("plain", "motion")
    text = text_of(pdf)
    for expected in (
        "IN THE CIRCUIT COURT OF COOK COUNTY, ILLINOIS",
        "COUNTY DEPARTMENT, CRIMINAL DIVISION",
        "PEOPLE OF THE STATE OF ILLINOIS,",
        "Plaintiff,",
        "JOHN SMITH,",
        "Defendant.",
        "Case No. 12 CR 0004567",
        "MOTION TO VACATE AND EXPUNGE",
        "WHEREFORE",
        "CERTIFICATE OF SERVICE",
        "/s/ Jordan A. Rivera",
        "Cook County Attorney Code: 99500",
    ):
        assert expected in text, expected
    page = chars(pdf, 0)
    # Case number is in the right column, right of the ")" column.
    (at,) = [i for i in find(page, "Case No.") if page[i][2][1] > 792 - 6 * PT][:1]
    paren_left, count = paren_column(page)
    assert count >= 7
    assert page[at][2][0] > paren_left


def test_charges_table_has_header_cells_repeated_on_each_page(
    pack: Pack, renderer: PdfRenderer
) -> None:
    person = make_person("Ann", "Lee", charges=30)
    spec = viewmodel.motion(pack, person, person.cases[0], RUN_DATE)
    html = renderer.render_html(spec)
    assert html.count('<th scope="col">') == len(spec.context["charges"]["headers"])
    texts = page_texts(renderer.render(spec))
    pages_with_rows = [t for t in texts if "550/4(a)" in t]
    assert len(pages_with_rows) >= 2
    for text in pages_with_rows:
        assert "Statute" in text and "Disposition" in text


def test_order_agencies_follow_item_three_and_signature_block_kept_together(rendered) -> None:
    spec, pdf = rendered("long", "order")
    text = text_of(pdf)
    flat = " ".join(text.split())
    third = flat.index("3. The following agencies")
    fourth = flat.index("4. The Clerk of the Circuit Court")
    for agency in spec.context["comply_agencies"]:
        at = flat.index(" ".join(agency.split()[:3]), third)
        assert third < at < fourth, agency
    block_pages = [
        i
        for i, t in enumerate(page_texts(pdf))
        if "ENTERED:" in t or "Judge's No." in t or "Prepared by:" in t
    ]
    assert len(set(block_pages)) == 1
    page_text = page_texts(pdf)[block_pages[0]]
    for expected in ("ENTERED:", "Judge", "Judge's No.", "Date:", "Prepared by:"):
        assert expected in page_text


@pytest.mark.parametrize("who", ["plain", "viet", "cjk", "long"])
def test_letter_address_block_in_window_envelope_position(rendered, who: str) -> None:
    spec, pdf = rendered(who, "letter")
    page = chars(pdf, 0)
    recipient = spec.context["recipient"]
    # The highest occurrence of the name on the page (the greeting repeats the first name).
    name_start = max(find(page, recipient[0][:6]), key=lambda i: page[i][2][3])
    top_in = (792 - page[name_start][2][3]) / PT
    left_in = page[name_start][2][0] / PT
    assert 2.1 <= top_in <= 2.25, top_in
    assert 0.95 <= left_in <= 1.1, left_in
    # Every recipient line stays within 3.5 in of width and above the window's bottom.
    for line in recipient:
        key = line.split()[0][:6]
        starts = [i for i in find(page, key) if 792 - 3.4 * PT < page[i][2][1] < 792 - 2 * PT]
        assert starts, line
        boxes = [b for c, _, b in page[starts[0] : starts[0] + len(line)] if c.strip()]
        assert max(b[2] for b in boxes) <= 4.5 * PT
        assert min(b[1] for b in boxes) >= 792 - 3.3 * PT
    # Body text starts below the window (about 3.35 in from the top).
    subject = find(page, spec.context["subject"])
    assert subject and (792 - page[subject[0]][2][3]) / PT > 3.35


def test_letter_case_numbers_never_break(pack: Pack, renderer: PdfRenderer) -> None:
    rows = [
        _charge(2, "Pat", "Long", "2004-CR-0012345"),
        _charge(3, "Pat", "Long", "2009-MC1-204511", statute="720 ILCS 550/5(a)"),
    ]
    cases = [Case(r.case_number, "", [r]) for r in rows]
    person = Person(person_id="P-1", first=rows[0], cases=cases)
    text = text_of(renderer.render(viewmodel.letter(pack, person, cases, RUN_DATE)))
    assert "2004-CR-0012345" in text and "2009-MC1-204511" in text


def test_letter_main_point_first_and_sections(rendered) -> None:
    spec, pdf = rendered("plain", "letter")
    flat = " ".join(text_of(pdf).split())
    ctx = spec.context
    order = [
        ctx["greeting"],
        " ".join(ctx["main_point"].split()[:6]),
        ctx["cases"]["headers"][0],
        ctx["meaning_title"],
        ctx["check_title"],
        ctx["contact_title"],
        ctx["closing"],
    ]
    positions = [flat.index(part) for part in order]
    assert positions == sorted(positions)
    page = chars(pdf, 0)
    head = find(page, ctx["letterhead"]["name"])
    assert head and min((792 - page[i][2][3]) / PT for i in head) < 1.3  # letterhead at the top
    main = find(page, ctx["main_point"][:20])
    assert main and "Bold" in page[main[0]][1]  # the main point stands out


# ---- safety ----------------------------------------------------------------------------------


def test_autoescape_names_are_text_not_markup_or_code(pack: Pack, renderer: PdfRenderer) -> None:
    person = make_person("<script>alert(1)</script>", "{{ 7*7 }}")
    for spec in (
        viewmodel.motion(pack, person, person.cases[0], RUN_DATE),
        viewmodel.order(pack, person, person.cases[0], RUN_DATE),
        viewmodel.letter(pack, person, person.cases, RUN_DATE),
    ):
        html = renderer.render_html(spec)
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        text = text_of(renderer.render(spec))
        assert "<script>alert(1)</script> {{ 7*7 }}" in text
        assert "49" not in text


def _without_layout(pack: Pack) -> PackConfig:
    """The pack's configuration with no shared layout: only the given folder holds templates."""
    info = pack.config.pack.model_copy(update={"layout": None})
    return pack.config.model_copy(update={"pack": info})


def _hostile_pack(pack: Pack, tmp_path: Path, body: str) -> Pack:
    folder = tmp_path / "pack"
    folder.mkdir()
    shutil.copy(pack.template_path("style.css"), folder / "style.css")
    (folder / "motion.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="style.css"></head>'
        f"<body><p>{{{{ doc.caption.defendant }}}}</p>{body}</body></html>",
        encoding="utf-8",
    )
    # Without the layout, so only this folder's motion.html is found.
    return Pack(folder, _without_layout(pack))


@pytest.mark.parametrize(
    "body",
    [
        '<img src="http://example.com/x.png">',
        '<img src="file:///etc/passwd">',
        '<img src="../../../../../../etc/passwd">',
        '<link rel="stylesheet" href="https://example.com/x.css">',
        "<style>@import url(http://example.com/x.css);</style>",
    ],
    ids=["http-img", "file-etc", "relative-escape", "https-css", "css-import"],
)
def test_url_fetcher_refuses_network_and_outside_files(
    pack: Pack, tmp_path: Path, body: str
) -> None:
    hostile = _hostile_pack(pack, tmp_path, body)
    spec = spec_for(pack, "plain", "motion")
    with pytest.raises(ResourceRefused):
        PdfRenderer(hostile, RUN_DATE).render(spec)


def test_url_fetcher_allows_pack_and_font_files(pack: Pack, tmp_path: Path) -> None:
    hostile = _hostile_pack(pack, tmp_path, '<img src="dot.svg" alt="">')
    (hostile.directory / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', encoding="utf-8"
    )
    pdf = PdfRenderer(hostile, RUN_DATE).render(spec_for(pack, "plain", "motion"))
    assert "JOHN SMITH" in text_of(pdf)


def test_html_to_pdf_generic_refuses_outside_files(tmp_path: Path) -> None:
    html = '<html lang="en"><body><p>Report</p><img src="file:///etc/hostname"></body></html>'
    with pytest.raises(ResourceRefused):
        html_to_pdf(html, base_dir=tmp_path, title="Run report", lang="en", run_date=RUN_DATE)
    ok = html_to_pdf(
        '<html lang="en"><body><p>Run report 李</p></body></html>',
        base_dir=tmp_path,
        title="Run report",
        lang="en",
        run_date=RUN_DATE,
    )
    assert "Run report 李" in text_of(ok)
    with pikepdf.open(io.BytesIO(ok)) as doc:
        assert doc.open_metadata().pdfa_status == "2B"
        names = {
            str((f.get("/DescendantFonts") or [f])[0]["/BaseFont"]).split("+", 1)[-1]
            for f in font_dicts(doc)
        }
    assert names <= ALLOWED_FONTS  # bundled fonts even without the pack's stylesheet


def test_missing_template_is_a_pack_error(pack: Pack, tmp_path: Path) -> None:
    empty = Pack(tmp_path, _without_layout(pack))
    with pytest.raises(PackError, match=r"motion\.html"):
        PdfRenderer(empty, RUN_DATE).render_html(spec_for(pack, "plain", "motion"))


def test_system_fonts_never_used_even_when_asked_for(tmp_path: Path) -> None:
    # DejaVu is installed on the build machines; with the system fontconfig it would be used.
    html = (
        '<html lang="en"><body><p style="font-family: \'DejaVu Sans\', sans-serif">'
        "Hello Nguyễn 李 ✓</p></body></html>"
    )
    pdf = html_to_pdf(html, base_dir=tmp_path, title="t", lang="en", run_date=RUN_DATE)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        names = {
            str((f.get("/DescendantFonts") or [f])[0]["/BaseFont"]).split("+", 1)[-1]
            for f in font_dicts(doc)
        }
    assert names and names <= ALLOWED_FONTS
    assert "Hello Nguyễn 李" in text_of(pdf)


def test_fontconfig_sees_only_bundled_fonts() -> None:
    import os

    conf = Path(os.environ["FONTCONFIG_FILE"]).read_text(encoding="utf-8")
    assert f"<dir>{FONTS_DIR.resolve()}</dir>" in conf
    assert conf.count("<dir>") == 1
    assert "<include" not in conf  # no system configuration, so no system font folders


def test_fork_server_preloads_the_renderers() -> None:
    # The worker pool's fork server imports these before it forks the workers; a name that does
    # not import is skipped there without a word, and every worker would import it again.
    import importlib

    from docgen.render import pool as render_pool

    names = [name for name in render_pool._FORKSERVER_PRELOAD if name != "__main__"]
    assert {"docgen.render.pdf", "docgen.render.docx"} <= set(names)
    for name in names:
        importlib.import_module(name)
