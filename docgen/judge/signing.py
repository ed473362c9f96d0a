"""The judge's signing batch: an index, then every order, each page carrying a code.

batches/orders-for-judge.pdf opens with an index (number, case, name, page, a column for the
judge's notes; page labels i, ii, ...), then every order with one bookmark per order and page
labels 1, 2, ... matching the index. Every page carries, in its top margin, a QR code and one line
of text naming the run, the batch page, the order's key (its case number) and its page i of n, so
a signed batch can be matched to its cases by text or, once scanned, by the code
(docgen/judge/ingest.py). The order templates put the judge's signature block at the same place on
every order; the layout's signing.toml says where (and where the code goes).

batches/orders-for-judge.json (the batch map) records which page is which, for ingest.
batches/orders-for-judge.docx is the same batch for courts that sign in Word: an index table,
then every order in a section of its own, with its own footer (docgen.judge.signing_docx; the orders'
XML streamed into the zip one at a time).

Above `--batch-pages` pages (the letters' rule, docgen.judge.batches.plan_volumes) the batch is split
into volumes, orders-for-judge-0001.pdf/.docx ...: each has its own index (its orders, "Volume 1
of 3, cases X to Y"), page labels, bookmarks and page numbers, and every page's code names its
volume, so page 3 of volume 2 is never taken for page 3 of volume 1. The one map lists them all.
"""

from __future__ import annotations

import gc
import io
import json
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf

from docgen.judge.batch_map import BATCH_MAP, batch_map_of, signature_page
from docgen.judge.batches import (
    DEFAULT_VOLUME_PAGES,
    BundlePart,
    save_pdf_atomic,
    write_bundle,
)
from docgen.judge.page_codes import stamp_codes, volume_codes
from docgen.judge.signing_docx import write_signing_batch_docx
from docgen.judge.volumes import (
    BATCH_PDF,
    BatchDocument,
    Geometry,
    Volume,
    load_geometry,
    page_range,
    plan_batch_volumes,
)
from docgen.packs import Pack, load_pack
from docgen.plan.viewmodel import DocumentSpec
from docgen.render.pdf import PdfRenderer
from docgen.store.file_index import FileIndex
from docgen.store.output import write_atomic

# The name column of a bulk order's index row (PDF and Word): it names no one person, but
# everyone in its exhibit; a blank cell reads as a name missing.
BULK_ORDER_NAME = "The persons listed in Exhibit A"


def index_context(
    documents: Sequence[BatchDocument],
    run_id: str,
    run_date: date,
    geometry: Geometry,
    volume: Volume | None = None,
) -> dict[str, Any]:
    entries = []
    first = 1
    first_no = volume.first_no if volume is not None else 1
    for no, document in enumerate(documents, first_no):
        # A bulk order carrying Exhibit A is signed before the exhibit, not on its last page:
        # the index names that page, or a judge turns to the exhibit's last page to sign.
        early = document.signed_before_its_last_page
        entries.append(
            {
                "no": no,
                "key": document.key,
                "name": document.name,
                "pages": page_range(first, document.pages),
                "signature_page": first + document.signature_page - 1 if early else 0,
            }
        )
        first += document.pages
    return {
        "entries": entries,
        "orders": len(documents),
        "pages": first - 1,
        "run_id": run_id,
        "date": run_date.isoformat(),
        "bulk": any(d.kind != "order" for d in documents),
        "fixed_signature": geometry.signature is not None,
        "signed_before_last_page": any(e["signature_page"] for e in entries),
        "denied_box": geometry.denied is not None,
        "volume": volume.heading if volume is not None else "",
    }


def _render_index(
    pack: Pack,
    volume: Volume,
    run_id: str,
    run_date: date,
    geometry: Geometry,
) -> bytes:

    spec = DocumentSpec(
        kind="judge-index",
        relpath=volume.relpath(BATCH_PDF).removesuffix(".pdf"),
        lang="en",
        title=f"{volume.title}: index",
        bookmark="Index",
        context=index_context(volume.documents, run_id, run_date, geometry, volume),
        rows=(),
    )
    return PdfRenderer(pack, run_date).render(spec)


# ---------------------------------------------------------------- the PDF batch


def write_signing_batch(
    run_dir: Path,
    pack: Pack,
    run_id: str,
    run_date: date,
    volume: Volume,
    geometry: Geometry,
) -> tuple[str, int]:
    """Write one file of the PDF batch; return its path (relative to the run folder) and its
    number of index pages."""
    documents = volume.documents
    relpath = volume.relpath(BATCH_PDF)
    # One temporary join per volume: volumes may be written side by side (write_judge_batches).
    joined = run_dir / "batches" / f".orders-joined-{max(volume.number, 1):04d}.pdf"
    write_bundle(
        joined,
        [
            BundlePart(run_dir / f"{d.relpath}.pdf", f"{d.key} — {d.name}" if d.name else d.key)
            for d in documents
        ],
        volume.title,
    )
    try:
        index_bytes = _render_index(pack, volume, run_id, run_date, geometry)
        with pikepdf.open(io.BytesIO(index_bytes)) as index, pikepdf.open(joined) as batch:
            index_pages = len(index.pages)
            for position, page in enumerate(index.pages):
                batch.pages.insert(position, page)
            stamp_codes(
                batch, volume_codes(volume, run_id, index_pages), geometry.code, geometry.marker
            )
            batch.Root.PageLabels = pikepdf.Dictionary(
                Nums=pikepdf.Array(
                    [
                        0,
                        pikepdf.Dictionary(S=pikepdf.Name.r),
                        index_pages,
                        pikepdf.Dictionary(S=pikepdf.Name.D, St=1),
                    ]
                )
            )
            save_pdf_atomic(batch, run_dir / relpath)
    finally:
        joined.unlink(missing_ok=True)
    return relpath, index_pages


def _write_volume(
    run_dir: Path,
    pack: Pack,
    run_id: str,
    run_date: date,
    volume: Volume,
    geometry: Geometry | None,
    with_docx: bool,
) -> tuple[tuple[str, int] | None, list[str]]:
    """One volume's PDF (path, index pages) when the orders have PDFs, and its DOCX paths."""
    pdf = None
    if geometry is not None:
        pdf = write_signing_batch(run_dir, pack, run_id, run_date, volume, geometry)
    docx = []
    if with_docx:
        docx = list(write_signing_batch_docx(run_dir, run_id, run_date, volume.documents, volume))
    # A volume leaves reference cycles (python-docx and WeasyPrint objects) holding large lxml
    # and layout trees in native memory, which does not prompt Python's collector: without this,
    # a 40-volume batch grew the process by about 7 MB a volume (measured).
    gc.collect()
    return pdf, docx


def _write_volume_by_pack_name(run_dir: Path, pack_name: str, *args: Any) -> Any:
    # In a worker process: the pack is loaded again by name (a loaded Pack holds its template
    # environment, which does not pickle), as the render workers do.

    return _write_volume(run_dir, load_pack(pack_name), *args)


def write_judge_batches(
    run_dir: Path,
    pack: Pack,
    run_id: str,
    run_date: date,
    orders: Sequence[tuple[str, str, str]],
    entries: FileIndex,
    max_pages: int = DEFAULT_VOLUME_PAGES,
    *,
    workers: int = 1,
    on_volume: Callable[[int, int], None] | None = None,
) -> list[tuple[str, str, list[int], int | None]]:
    """The run's signing batches from its orders: (kind, relpath, bookmark) and file entries.

    Returns (relpath, manifest kind, rows, pages or None) for each file written. Orders are in
    case-number order (their folder names); a bookmark reads "<case> — <name>" (docgen.plan.viewmodel.case_document).
    Above `max_pages` pages the batch is split into volumes (the letters' rule): each volume is
    a PDF and a DOCX with its own index; one map lists them all. Volumes are written by up to
    `workers` processes; the files are the same bytes either way. `on_volume(done, total)`:
    before the first volume and after each (in volume order).
    """
    documents = []
    # Whether every order in the batch has a PDF (and a DOCX): known from the lookups here.
    with_pdf = with_docx = True
    for kind, relpath, bookmark in sorted(orders, key=lambda o: o[1]):
        pdf = entries.get(f"{relpath}.pdf")
        docx = entries.get(f"{relpath}.docx")
        entry = pdf or docx
        if entry is None:
            continue
        with_pdf = with_pdf and pdf is not None
        with_docx = with_docx and docx is not None
        key, _, name = bookmark.partition(" — ")
        documents.append(
            BatchDocument(
                key=key,
                name=name if kind == "order" else BULK_ORDER_NAME,
                relpath=relpath,
                kind=kind,
                pages=(pdf.pages or 0) if pdf is not None else 0,  # a PDF entry has its pages
                rows=tuple(entry.rows),
                signature_page=(
                    signature_page(run_dir / f"{relpath}.pdf", pdf.pages or 0)
                    if pdf is not None and kind == "bulk-order"
                    else pdf.pages or 0
                    if pdf is not None
                    else 0
                ),
            )
        )
    if not documents:
        return []
    volumes = plan_batch_volumes(documents, max_pages)
    geometry = load_geometry(pack, documents[0].kind) if with_pdf else None
    # (relpath, manifest kind, rows, pages): a PDF volume's pages are its index and its orders,
    # known here, so the manifest need not open the file again to count them.
    written: list[tuple[str, str, list[int], int | None]] = []
    pdfs: list[tuple[str, int]] = []
    results: list[tuple[tuple[str, int] | None, list[str]]] = []
    if on_volume:
        on_volume(0, len(volumes))
    if workers > 1 and len(volumes) > 1:
        # Each volume is independent (its own index, codes and files): one per core. A 50,000
        # case batch is about 40 volumes of 15 s each (index layout, QR codes, joining).
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(min(workers, len(volumes)), mp_context=context) as pool:
            for result in pool.map(
                _write_volume_by_pack_name,
                *zip(
                    *(
                        (run_dir, pack.name, run_id, run_date, v, geometry, with_docx)
                        for v in volumes
                    ),
                    strict=True,
                ),
            ):
                results.append(result)
                if on_volume:
                    on_volume(len(results), len(volumes))
    else:
        for volume in volumes:
            results.append(
                _write_volume(run_dir, pack, run_id, run_date, volume, geometry, with_docx)
            )
            if on_volume:
                on_volume(len(results), len(volumes))
    for volume, (pdf_volume, docx_paths) in zip(volumes, results, strict=True):
        rows = sorted(r for d in volume.documents for r in d.rows)
        if pdf_volume is not None:
            pdfs.append(pdf_volume)
            relpath, index_pages = pdf_volume
            pages = index_pages + sum(d.pages for d in volume.documents)
            written.append((relpath, "orders-batch", rows, pages))
        written.extend((path, "orders-batch", rows, None) for path in docx_paths)
    if geometry is not None:
        batch_map = batch_map_of(run_id, geometry, volumes, pdfs)
        write_atomic(
            run_dir / BATCH_MAP,
            (json.dumps(batch_map, indent=2, ensure_ascii=False) + "\n").encode(),
        )
        rows = sorted(r for d in documents for r in d.rows)
        written.append((BATCH_MAP, "orders-batch-map", rows, None))
    return written
