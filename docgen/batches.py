"""Convenience bundles: all orders for the judge, all letters for the mail house.

Per-case PDFs are the filings; a bundle concatenates their pages with one bookmark per document
and keeps the PDF/A identification (XMP metadata and output intent) of the parts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf


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


def bundle_pdfs(parts: Sequence[BundlePart], title: str) -> bytes:
    """Concatenate PDFs with one top-level bookmark per part; deterministic bytes."""
    out = pikepdf.new()
    sources: list[pikepdf.Pdf] = []
    try:
        with out.open_outline() as outline:
            for part in parts:
                src = pikepdf.open(part.path)
                sources.append(src)
                first_page = len(out.pages)
                out.pages.extend(src.pages)
                outline.root.append(pikepdf.OutlineItem(part.bookmark, first_page))
        if sources:
            first = sources[0]
            # PDF/A: the bundle inherits the parts' output intent and XMP identification.
            if "/OutputIntents" in first.Root:
                out.Root.OutputIntents = _copy_into(out, first.Root.OutputIntents)
            if "/Lang" in first.Root:
                out.Root.Lang = first.Root.Lang
            out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
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
        out.docinfo["/Title"] = title
        out.Root.PageMode = pikepdf.Name.UseOutlines
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, compress_streams=True)
        return buffer.getvalue()
    finally:
        for src in sources:
            src.close()
