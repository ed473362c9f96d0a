"""PNG previews of the first page of each kind of document, rendered server-side (pypdfium2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docgen.store.output import write_atomic

KIND_LABELS = {
    "motion": "Motion to vacate and expunge",
    "order": "Proposed order",
    "letter": "Notification letter",
    "orders-batch": "Orders for the judge (signing batch, first volume)",
    "letters-batch": "Letters for the mail house (print file, first volume)",
    "report": "Run report",
}
PREVIEW_SCALE = 1.0  # 72 DPI: a letter page is 612 x 792 pixels


def first_pdf_per_kind(manifest: dict[str, Any]) -> dict[str, str]:
    """The first PDF (by path) of every kind the page shows, in KIND_LABELS order."""
    first: dict[str, str] = {}
    for entry in sorted(manifest.get("files", []), key=lambda e: e["path"]):
        if entry.get("format") == "pdf" and entry.get("kind") in KIND_LABELS:
            first.setdefault(entry["kind"], entry["path"])
    return {kind: first[kind] for kind in KIND_LABELS if kind in first}


def render_first_page(pdf_path: Path) -> bytes:
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[0]
        image = page.render(scale=PREVIEW_SCALE).to_pil()
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", optimize=True)
        page.close()
        return buffer.getvalue()
    finally:
        pdf.close()


def render_previews(run_dir: Path, preview_dir: Path) -> dict[str, str]:
    """Write preview_dir/<kind>.png for each kind; returns {kind: source document path}."""
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    sources = first_pdf_per_kind(manifest)
    for kind, relpath in sources.items():
        write_atomic(preview_dir / f"{kind}.png", render_first_page(run_dir / relpath))
    return sources
