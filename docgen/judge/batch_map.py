"""The judge's batch map, batches/orders-for-judge.json: which page of the batch is which order.

docgen.judge.signing writes it with the batch; docgen.judge.ingest reads it to split a signed batch back into
its orders. A map written before batches were split into volumes is read as one volume.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pikepdf

from docgen.judge.volumes import Geometry, Volume

BATCH_MAP = "batches/orders-for-judge.json"


def batch_map_of(
    run_id: str, geometry: Geometry, volumes: Sequence[Volume], written: Sequence[tuple[str, int]]
) -> dict[str, Any]:
    """The map ingest reads: every volume (its file and index pages) and every order (its
    volume, and its first page in that volume's file)."""
    volume_entries = []
    documents = []
    for volume, (pdf, index_pages) in zip(volumes, written, strict=True):
        volume_entries.append(
            {
                "number": max(volume.number, 1),
                "pdf": pdf,
                "index_pages": index_pages,
                "pages": index_pages + sum(d.pages for d in volume.documents),
                "orders": len(volume.documents),
                "first_key": volume.documents[0].key,
                "last_key": volume.documents[-1].key,
            }
        )
        first_page = index_pages + 1
        for d in volume.documents:
            documents.append(
                {
                    "key": d.key,
                    "kind": d.kind,
                    "relpath": d.relpath,
                    "pages": d.pages,
                    "signature_page": d.signature_page or d.pages,
                    "volume": max(volume.number, 1),
                    "first_page": first_page,
                    "rows": list(d.rows),
                }
            )
            first_page += d.pages
    batch_map: dict[str, Any] = {"docgen_signing_batch": 1, "run_id": run_id}
    if len(volumes) == 1:  # one file: where readers of the unsplit map look
        batch_map |= {"pdf": written[0][0], "index_pages": written[0][1]}
    return batch_map | {
        "geometry": asdict(geometry),
        "volumes": volume_entries,
        "documents": documents,
    }


def read_batch_map(run_dir: Path) -> dict[str, Any] | None:
    path = run_dir / BATCH_MAP
    if not path.is_file():
        return None
    batch_map: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return batch_map


def map_volumes(batch_map: dict[str, Any]) -> list[dict[str, Any]]:
    """The map's volumes; a map written before volumes existed is one volume."""
    if "volumes" in batch_map:
        volumes: list[dict[str, Any]] = batch_map["volumes"]
        return volumes
    return [{"number": 1, "pdf": batch_map["pdf"], "index_pages": batch_map["index_pages"]}]


def signature_page(pdf_path: Path, pages: int) -> int:
    """The page of an order the judge signs: the page before its second top-level bookmark
    (the exhibit it carries: docgen.render.bulk gives the order one bookmark, its exhibit
    another), else its last page."""
    with pikepdf.open(pdf_path) as pdf, pdf.open_outline() as outline:
        tops = list(outline.root)
        if len(tops) < 2 or tops[1].destination is None:
            return pages
        destination = tops[1].destination
        target = destination[0] if isinstance(destination, pikepdf.Array) else destination
        for number, page in enumerate(pdf.pages):
            if page.obj.objgen == getattr(target, "objgen", None):
                return max(number, 1)
    return pages
