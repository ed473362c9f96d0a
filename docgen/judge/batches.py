"""Convenience bundles: all orders for the judge, all letters for the mail house.

Per-case PDFs are the filings; a bundle concatenates their pages with one bookmark per document
and keeps the PDF/A identification (XMP metadata and output intent) of the parts.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from docgen.errors import OutputError
from docgen.store.output import FILE_MODE, atomic_file, make_dir, write_atomic


@dataclass(frozen=True, slots=True)
class BundlePart:
    path: Path
    bookmark: str


def _copy_into(target: pikepdf.Pdf, obj: object) -> object:
    """Copy a possibly direct object from another PDF (copy_foreign takes indirect ones only)."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return target.copy_foreign(obj)
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy_into(target, value) for key, value in obj.items()})
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy_into(target, value) for value in obj])
    return obj


def padded_pages(pages: int, duplex: bool | None) -> int:
    """A part's pages in a bundle: printed on both sides, a part of an odd number of pages gets
    a blank one, so the next part (another person's letter) starts on a sheet of its own."""
    return pages + pages % 2 if duplex else pages


def _add_part(out: pikepdf.Pdf, src: pikepdf.Pdf, duplex: bool | None) -> None:
    out.pages.extend(src.pages)
    if padded_pages(len(src.pages), duplex) > len(src.pages):
        last = src.pages[-1]
        out.add_blank_page(page_size=(float(last.mediabox[2]), float(last.mediabox[3])))


def print_mode(out: pikepdf.Pdf, duplex: bool | None) -> None:
    """Say how the bundle is to be printed (PDF 1.7 /ViewerPreferences /Duplex), so the print
    dialog starts right: one side, or both with every part on sheets of its own. None: unsaid."""
    if duplex is not None:
        mode = "/DuplexFlipLongEdge" if duplex else "/Simplex"
        out.Root.ViewerPreferences.Duplex = pikepdf.Name(mode)


def bundle_pdfs(parts: Sequence[BundlePart], title: str, duplex: bool | None = None) -> bytes:
    """Concatenate PDFs with one top-level bookmark per part; deterministic bytes. `duplex`:
    print on both sides (parts padded to an even number of pages) or on one; None: unsaid."""
    out = pikepdf.new()
    sources: list[pikepdf.Pdf] = []
    try:
        with out.open_outline() as outline:
            for part in parts:
                src = pikepdf.open(part.path)
                sources.append(src)
                first_page = len(out.pages)
                _add_part(out, src, duplex)
                outline.root.append(pikepdf.OutlineItem(part.bookmark, first_page))
        if sources:
            identify_bundle(out, sources[0], title)
            print_mode(out, duplex)
        out.docinfo["/Title"] = title
        out.Root.PageMode = pikepdf.Name.UseOutlines
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, compress_streams=True)
        return buffer.getvalue()
    finally:
        for src in sources:
            src.close()


def identify_bundle(out: pikepdf.Pdf, first: pikepdf.Pdf, title: str) -> None:
    """PDF/A: the bundle inherits the first part's output intent and XMP identification.

    Not the parts' tags: joining pages leaves their structure trees behind, so a bundle does not
    claim to be tagged (/MarkInfo) unless its maker installs a tree (docgen.render.pdf_tags, as the bulk
    motion does). The tagged documents are the per-case files; a print file's volume of 2,000
    pages would hold some 300,000 structure elements.
    """
    if "/OutputIntents" in first.Root:
        out.Root.OutputIntents = _copy_into(out, first.Root.OutputIntents)
    if "/Lang" in first.Root:
        out.Root.Lang = first.Root.Lang
    # A viewer's title bar shows the document's title, not its file name, as it does for the
    # files WeasyPrint writes (WCAG 2.4.2).
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    meta_src = first.open_metadata()
    with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for key in (
            "pdfaid:part",
            "pdfaid:conformance",
            "xmp:CreateDate",
            "xmp:ModifyDate",
            "xmp:MetadataDate",
            "xmp:CreatorTool",
            "pdf:Producer",
        ):
            if key in meta_src:
                meta[key] = meta_src[key]
        meta["dc:title"] = title
    for key in ("/CreationDate", "/ModDate", "/Producer", "/Creator"):
        if key in first.docinfo:
            out.docinfo[key] = first.docinfo[key]


# A print file (the letters for the mail house, the judge's orders) is split into volumes of at
# most this many pages: a join holds every page of its file, so without a cap its memory would
# grow with the run (about 130 KB a page). `docgen generate --batch-pages N`.
DEFAULT_VOLUME_PAGES = 2000


def plan_volumes(page_counts: Sequence[int], max_pages: int) -> list[range]:
    """Split parts (their page counts, in bundle order) into volumes of at most `max_pages`
    pages, never splitting a part: a list of index ranges, one range when everything fits.

    The one rule for every batch that is split (letters, orders), so they split alike.
    """
    if max_pages < 1:
        raise ValueError("max_pages must be at least 1")
    volumes: list[range] = []
    start, pages = 0, 0
    for i, count in enumerate(page_counts):
        if i > start and pages + count > max_pages:
            volumes.append(range(start, i))
            start, pages = i, 0
        pages += count
    volumes.append(range(start, len(page_counts)))
    return volumes


def volume_relpath(relpath: str, number: int, volumes: int) -> str:
    """`batches/letters-print.pdf` alone; `batches/letters-print-0001.pdf` ... when split."""
    if volumes == 1:
        return relpath
    stem, dot, suffix = relpath.rpartition(".")
    return f"{stem}-{number:04d}{dot}{suffix}"


# A bundle of many parts is joined in groups: at most this many part files are open at once.
GROUP = 250


def write_bundle(
    path: Path,
    parts: Sequence[BundlePart],
    title: str,
    group: int = GROUP,
    duplex: bool | None = None,
) -> None:
    """Write the bundle of `parts` to `path` (atomically), holding few files open and no bytes.

    Up to `group` parts: exactly `bundle_pdfs`. More: each group of parts is joined into a
    temporary file and its parts closed, then the group files are joined with one bookmark per
    part. Deterministic bytes either way. `duplex` as for bundle_pdfs.
    """
    if len(parts) <= group:
        write_atomic(path, bundle_pdfs(parts, title, duplex))
        return
    make_dir(path.parent)
    temps: list[Path] = []
    opened: list[pikepdf.Pdf] = []
    try:
        marks: list[tuple[str, int]] = []
        pages = 0
        for start in range(0, len(parts), group):
            joined = pikepdf.new()
            sources = []
            try:
                for part in parts[start : start + group]:
                    src = pikepdf.open(part.path)
                    sources.append(src)
                    marks.append((part.bookmark, pages))
                    pages += padded_pages(len(src.pages), duplex)
                    _add_part(joined, src, duplex)
                temps.append(_temp_beside(path))
                joined.save(temps[-1], deterministic_id=True, compress_streams=True)
            finally:
                joined.close()
                for src in sources:
                    src.close()
        out = pikepdf.new()
        for temp in temps:
            opened.append(pikepdf.open(temp))
            out.pages.extend(opened[-1].pages)
        with out.open_outline() as outline:
            for bookmark, first_page in marks:
                outline.root.append(pikepdf.OutlineItem(bookmark, first_page))
        with pikepdf.open(parts[0].path) as first:
            identify_bundle(out, first, title)
        print_mode(out, duplex)
        out.docinfo["/Title"] = title
        out.Root.PageMode = pikepdf.Name.UseOutlines
        final = _temp_beside(path)
        temps.append(final)
        out.save(final, deterministic_id=True, compress_streams=True)
        out.close()
        with final.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(final, FILE_MODE)
        os.replace(final, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        for pdf in opened:
            pdf.close()
        for temp in temps:
            temp.unlink(missing_ok=True)


def _temp_beside(path: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
    os.close(fd)
    return Path(name)


def save_pdf_atomic(pdf: pikepdf.Pdf, path: Path) -> None:
    """Save an open PDF under `path` atomically and owner-only, with deterministic bytes."""
    with atomic_file(path) as fh:
        pdf.save(fh, deterministic_id=True, compress_streams=True)
