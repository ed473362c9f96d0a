"""Every PDF a run writes meets the filing rules the foundation promises (Ill. S. Ct. R. 10, 131)."""

from __future__ import annotations

import pikepdf
import pypdfium2

LETTER = [0, 0, 612, 792]


def _pdfs(run_dir):
    return sorted(run_dir.rglob("*.pdf"))


def test_every_pdf_is_pdfa_letter_unencrypted_with_title_and_language(golden_run) -> None:
    pdfs = _pdfs(golden_run.run_dir)
    assert len(pdfs) >= 12 + 4 + 2 + 1
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            assert not pdf.is_encrypted, path
            assert pdf.open_metadata().pdfa_status == "2B", path
            assert str(pdf.docinfo.get("/Title", "")).strip(), path
            assert str(pdf.Root.get("/Lang", "")) in ("en", "es"), path
            for page in pdf.pages:
                assert [float(v) for v in page.mediabox] == LETTER, path


def test_every_font_is_embedded_and_bundled(golden_run) -> None:
    for path in _pdfs(golden_run.run_dir):
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                fonts = page.Resources.get("/Font", {})
                for font in fonts.values():
                    descendants = font.get("/DescendantFonts")
                    desc = (descendants[0] if descendants else font).get("/FontDescriptor")
                    assert desc is not None, path
                    assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), path
                    name = str(font.BaseFont)
                    # WeasyPrint names a subset after the family ("Liberation-Serif"); the pages
                    # docgen draws itself (page codes, exhibit tables) use the PostScript name.
                    bundled = ("Liberation-Serif", "LiberationSerif", "WenQuanYi")
                    assert any(b in name for b in bundled), (path, name)


def test_letters_match_the_language_of_the_person(golden_run) -> None:
    with pikepdf.open(golden_run.run_dir / "letters" / "IL-100002.pdf") as pdf:
        assert str(pdf.Root.Lang) == "es"
    with pikepdf.open(golden_run.run_dir / "letters" / "IL-100001.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en"


def test_stamp_box_is_blank_on_every_motion(golden_run) -> None:
    # The 2 x 2 in box sits inside the top-right corner of the 1 in margins on page 1.
    dpi = 72
    for path in sorted(golden_run.run_dir.glob("cases/*/motion.pdf")):
        pdf = pypdfium2.PdfDocument(str(path))
        image = pdf[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        pdf.close()
        left, top = int(5.5 * dpi), int(1 * dpi)
        interior = image.crop((left + 3, top + 3, left + 2 * dpi - 3, top + 2 * dpi - 3))
        assert interior.getextrema()[0] > 250, f"ink inside the stamp box of {path}"
        # ...and the box itself is drawn, so the clerk sees where to stamp.
        border = image.crop((left, top, left + 2 * dpi, top + 2))
        assert border.getextrema()[0] < 200, path


def test_report_names_the_batches_without_links_that_point_elsewhere(golden_run) -> None:
    """The HTML report links each batch file (relative to the run folder). The PDF names them
    only: WeasyPrint would resolve a relative link against the template folder, an address that
    is wrong and that changes the PDF's bytes with the folder docgen is installed in."""
    html = (golden_run.run_dir / "report.html").read_text(encoding="utf-8")
    assert '<a href="batches/orders-for-judge.pdf">' in html
    with pikepdf.open(golden_run.run_dir / "report.pdf") as pdf:
        uris = [
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.obj.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        ]
    document = pypdfium2.PdfDocument(str(golden_run.run_dir / "report.pdf"))
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    assert uris == []
    assert "batches/orders-for-judge.pdf" in text
