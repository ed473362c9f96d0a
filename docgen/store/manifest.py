"""The run's manifest: a file entry (digest, size, pages) per file written, streamed to JSON.

json_pieces writes the manifest piece by piece, so a 250,000-file run never holds it whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf

from docgen.store.file_index import FileEntry, FileIndex

if TYPE_CHECKING:
    from docgen.run_options import RunOptions, RunResult


def pdf_pages(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def entry_for(run_dir: Path, relpath: str, kind: str, data: bytes, rows: list[int]) -> FileEntry:
    pages = pdf_pages(data) if relpath.endswith(".pdf") else None
    return FileEntry.of(relpath, kind, data, rows, pages=pages)


def entry_for_file(
    run_dir: Path, relpath: str, kind: str, rows: list[int], pages: int | None = None
) -> FileEntry:
    """Like entry_for, for a file too big to hold: digest streamed; `pages` when the caller
    knows them (a batch: the sum of its parts'), else counted by pikepdf."""
    path = run_dir / relpath
    if pages is None and relpath.endswith(".pdf"):
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
    return FileEntry(
        path=relpath,
        kind=kind,
        format=relpath.rsplit(".", 1)[-1],
        sha256=file_digest(path),
        bytes=path.stat().st_size,
        pages=pages,
        rows=rows,
    )


class StreamedList:
    """A list json_pieces writes item by item as `items` yields them, never holding them all.

    Only as a value of the top-level dict (the manifest's "files"); single use.
    """

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def json_pieces(value: Any, piece_chars: int = 1 << 20) -> Iterator[bytes]:
    """`json.dumps(value, indent=2, ensure_ascii=False) + "\n"`, encoded piece by piece, where
    a StreamedList stands for the list of its items.

    Why: dumping a 250,000-file manifest whole holds every fragment and then their join (about
    600 MB measured); this holds about `piece_chars` characters. Same bytes.
    """
    pieces: list[str] = []
    size = 0
    for fragment in _json_fragments(value):
        pieces.append(fragment)
        size += len(fragment)
        if size >= piece_chars:
            yield "".join(pieces).encode()
            pieces, size = [], 0
    pieces.append("\n")
    yield "".join(pieces).encode()


def _json_fragments(value: Any) -> Iterator[str]:
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    if not isinstance(value, dict) or not any(isinstance(v, StreamedList) for v in value.values()):
        yield from encoder.iterencode(value)
        return
    # The rest of the dict is dumped with a marker string for each streamed list (top level:
    # its items are indented by 4 spaces, its "]" by 2), then each marker is replaced.
    streamed: dict[str, StreamedList] = {}
    plain: dict[Any, Any] = {}
    for key, item in value.items():
        if isinstance(item, StreamedList):
            marker = f"\0docgen streamed list {len(streamed)}\0"
            streamed[encoder.encode(marker)] = item
            item = marker
        plain[key] = item
    text = encoder.encode(plain)
    at = 0
    for match in re.finditer("|".join(re.escape(m) for m in streamed), text):
        yield text[at : match.start()]
        opening = "["
        for item in streamed[match.group()].items:
            # JSON text has no raw newline inside a string: every "\n" starts a line to indent
            # (not str.splitlines, which also splits at U+2028 and other separators).
            yield opening + "\n    " + encoder.encode(item).replace("\n", "\n    ")
            opening = ","
        yield "[]" if opening == "[" else "\n  ]"
        at = match.end()
    yield text[at:]


def build_manifest(
    result: RunResult, options: RunOptions, input_sha256: str, *, streamed: bool = False
) -> dict[str, Any]:
    """The manifest; "files" sorted by path: a list, or (streamed) a StreamedList read from the
    run's FileIndex as json_pieces writes it (the same bytes, without holding every entry)."""
    entries = (e.as_dict() for e in sorted(result.files, key=lambda e: e.path))
    if isinstance(result.files, FileIndex):  # iterated sorted by path already
        entries = (e.as_dict() for e in result.files)
    return {
        "docgen_manifest": 1,
        "run_id": result.run_id,
        "pack": result.pack,
        "date": options.run_date.isoformat(),
        "input": {
            "file": result.input_file,
            "sha256": input_sha256,  # hashed once, at the start of the run
            "rows": result.input_rows,
            "blank_rows_skipped": result.blank_rows,
        },
        "accounting": {
            "input_rows": result.input_rows,
            "in_documents": result.rows_in_documents,
            "not_eligible": result.rows_not_eligible,
            "needs_review": result.rows_needs_review,
            "rejected": result.rows_rejected,
            "context": result.rows_context,
            "automatic_expungement": result.rows_automatic,
            "balanced": result.accounted,
        },
        "files": StreamedList(entries) if streamed else list(entries),
    }
