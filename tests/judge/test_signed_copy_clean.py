"""The copy of a signed order for the record carries no page code (issue 15, item 4), and
`docgen check` holds signed/*.pdf to the margin rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import ImageDraw
from pypdf import PdfReader

from docgen.check.checker import check_run
from docgen.check.layout import signed_copy_failures
from docgen.filing_rules import rules_of
from docgen.judge.ingest import ingest_signed
from docgen.packs import load_pack
from tests.signing_helpers import scan, sign_batch

CASE = "2004-CR-0012345"


def _top_margin_ink(path: Path) -> list[int]:
    """Pages (1-based) with ink in the top inch, less 1 pt (72 dpi, grey < 250)."""
    doc = pdfium.PdfDocument(path)
    try:
        inked = []
        for number, page in enumerate(doc, start=1):
            image = page.render(scale=1, grayscale=True).to_pil().convert("L")
            if image.crop((0, 0, image.width, 71)).getextrema()[0] < 250:
                inked.append(number)
        return inked
    finally:
        doc.close()


def _mark_left_margin(scanned: Path, out: Path, grey: int) -> Path:
    """The scan with a mark of `grey` (0-255) 0.3-0.7 in from the left edge of every page, as a
    pen note or a stamp in the margin leaves (150 dpi, as tests.signing_helpers.scan makes)."""
    doc = pdfium.PdfDocument(scanned)
    try:
        images = [page.render(scale=150 / 72).to_pil().convert("L") for page in doc]
    finally:
        doc.close()
    for image in images:
        ImageDraw.Draw(image).rectangle((45, 600, 105, 660), fill=grey)
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=150)
    return out


def _signed_copy(run_dir: Path, tmp_path: Path, scanned: bool, mark: int | None = None) -> Path:
    signed = sign_batch(run_dir, tmp_path / "signed.pdf")
    if scanned:
        signed = scan(signed, tmp_path / "scanned.pdf")
    if mark is not None:
        signed = _mark_left_margin(signed, tmp_path / "marked.pdf", mark)
    report = ingest_signed(signed, run_dir, signed_on=date(2026, 12, 4))
    assert [o.key for o in report.by_status("signed")]
    return run_dir / "signed" / f"{CASE}.pdf"


@pytest.mark.parametrize("scanned", [False, True], ids=["e-signed", "scanned"])
def test_signed_copy_has_no_page_code(run_dir: Path, tmp_path: Path, scanned: bool) -> None:
    batch = run_dir / "batches" / "orders-for-judge.pdf"
    assert _top_margin_ink(batch)  # the batch has its codes
    copy = _signed_copy(run_dir, tmp_path, scanned)
    assert _top_margin_ink(copy) == []
    text = "".join(page.extract_text() or "" for page in PdfReader(copy).pages)
    if not scanned:  # the order's words and the judge's date stay; the marker line goes
        assert "Page 1 of" in text and "12/03/2026" in text
        assert "batch page" not in text.lower() and "order page" not in text.lower()
    # the judge's signature is still there: ink in the signature area of the last page
    doc = pdfium.PdfDocument(copy)
    try:
        image = doc[len(doc) - 1].render(scale=1, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    assert (
        image.crop((int(4.25 * 72), int(8.0 * 72), int(7.5 * 72), int(8.48 * 72))).getextrema()[0]
        < 128
    )


@pytest.mark.parametrize("scanned", [False, True], ids=["e-signed", "scanned"])
def test_check_passes_clean_signed_copies(run_dir: Path, tmp_path: Path, scanned: bool) -> None:
    _signed_copy(run_dir, tmp_path, scanned)
    report = check_run(run_dir)
    signed = [f for f in report.files if f.path.startswith("signed/")]
    assert len(signed) == 6
    assert all(f.ok for f in signed), [f.failures for f in signed if not f.ok]


def _as_stamped_before_marking(signed: Path, out: Path) -> Path:
    """The signed batch as a batch stamped before docgen marked its page code as a section: the
    code's stream appended unmarked ("\\nQ q\\n" + drawing + "Q\\n")."""
    unmarked = 0
    with pikepdf.open(signed) as pdf:
        for page in pdf.pages:
            contents = page.obj.Contents
            for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
                data = stream.read_bytes()
                if data.startswith(b"\nQ q\n/DocgenPageCode BMC\n"):
                    data = b"\nQ q\n" + data[len(b"\nQ q\n/DocgenPageCode BMC\n") :]
                    stream.write(data.replace(b"EMC\nQ\n", b"Q\n"))
                    unmarked += 1
        assert unmarked == len(pdf.pages)
        pdf.save(out)
    return out


def test_signed_copy_of_a_batch_stamped_before_marking_has_no_page_code(
    run_dir: Path, tmp_path: Path
) -> None:
    signed = _as_stamped_before_marking(
        sign_batch(run_dir, tmp_path / "signed.pdf"), tmp_path / "old-stamp.pdf"
    )
    assert _top_margin_ink(signed)
    ingest_signed(signed, run_dir, signed_on=date(2026, 12, 4))
    copy = run_dir / "signed" / f"{CASE}.pdf"
    assert _top_margin_ink(copy) == []
    text = "".join(page.extract_text() or "" for page in PdfReader(copy).pages)
    assert "Page 1 of" in text and "12/03/2026" in text
    assert "batch page" not in text.lower()
    assert all(f.ok for f in check_run(run_dir).files if f.path.startswith("signed/"))


def test_check_fails_a_scanned_copy_with_ink_in_the_left_margin(
    run_dir: Path, tmp_path: Path
) -> None:
    """The scan's own level of ink still catches a real mark: a mid-grey stamp in the margin."""
    _signed_copy(run_dir, tmp_path, scanned=True, mark=128)
    report = check_run(run_dir)
    signed = [f for f in report.files if f.path.startswith("signed/")]
    assert len(signed) == 6
    for copy in signed:
        assert "page 1: ink in the left margin" in copy.failures, copy.failures


def test_check_fails_a_signed_copy_with_the_batch_code(run_dir: Path) -> None:
    """A copy cut from the batch as it was stamped (what ingest wrote before) fails."""
    rules = rules_of(load_pack("il-cook"))
    with pikepdf.open(run_dir / "batches" / "orders-for-judge.pdf") as batch:
        out = pikepdf.new()
        out.pages.append(batch.pages[-1])
        (run_dir / "signed").mkdir(exist_ok=True)
        out.save(run_dir / "signed" / "stamped.pdf")
    data = (run_dir / "signed" / "stamped.pdf").read_bytes()
    assert "page 1: ink in the top margin" in signed_copy_failures(data, rules)
    report = check_run(run_dir)
    failed = {f.path for f in report.failed}
    assert "signed/stamped.pdf" in failed
