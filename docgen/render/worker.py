"""Rendering on the worker's side: one process's renderers (init_worker), and each planned
document to its files (render_and_write), for the worker pool and cluster workers
(docgen.render.pool, docgen.render.cluster) alike.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from docgen.packs import load_pack
from docgen.plan.viewmodel import DocumentSpec
from docgen.render.bulk import write_bulk_motion
from docgen.render.docx import DocxRenderer
from docgen.render.pdf import PdfRenderer
from docgen.store.file_index import FileEntry
from docgen.store.output import write_atomic

# Logs carry row numbers, counts and document kinds only: never names, birth dates or addresses.
log = logging.getLogger("docgen.pipeline")  # the name these records had before the split

FORMATS = ("pdf", "docx")


class RunCancelled(Exception):
    """The run was stopped because its `cancel` callback returned True."""


_worker_state: dict[str, Any] = {}


def init_worker(pack_name: str, run_date: date, formats: tuple[str, ...]) -> None:
    pack = load_pack(pack_name)
    _worker_state["renderers"] = {
        "pdf": PdfRenderer(pack, run_date) if "pdf" in formats else None,
        "docx": DocxRenderer(pack, run_date) if "docx" in formats else None,
    }


def carries_exhibit(spec: DocumentSpec) -> bool:
    """A bulk motion, or a bulk order carrying Exhibit A (`[bulk] order_exhibit`): drawn with
    its exhibit pages by docgen.render.bulk."""
    return spec.kind in ("bulk-motion", "bulk-order") and "exhibit_rows" in spec.context


def render_and_write(run_dir: Path, spec: DocumentSpec) -> list[FileEntry]:
    if carries_exhibit(spec):  # document + exhibit in chunks, maybe volumes (docgen.plan.bulk)
        return write_bulk_motion(run_dir, spec, _worker_state["renderers"])
    log.debug("rendering a %s (%s) for rows %s", spec.kind, spec.lang, list(spec.rows))
    entries = []
    for fmt, renderer in _worker_state["renderers"].items():
        if renderer is None:
            continue
        if fmt == "pdf":  # the page count comes from the layout, not from parsing the PDF again
            data, pages = renderer.render_with_pages(spec)
        else:
            data, pages = renderer.render(spec), None
        relpath = f"{spec.relpath}.{fmt}"
        write_atomic(run_dir / relpath, data)
        entries.append(
            FileEntry.of(relpath, spec.kind, data, list(spec.rows), pages=pages, language=spec.lang)
        )
    return entries


def render_chunk(run_dir: Path, specs: list[DocumentSpec]) -> list[FileEntry]:
    entries: list[FileEntry] = []
    for spec in specs:
        entries.extend(render_and_write(run_dir, spec))
    return entries
