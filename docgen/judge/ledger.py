"""The run's ledger: what became of each order after docgen made it (out/<run-id>/ledger.json).

One entry per order of the judge's signing batch (a case number, or the bulk order): its status
(`generated`, `signed`, `denied`), the date the judge signed and where that date came from
(`page`: read from the order's date field; `option`: given with --signed-on), the signed file
split from the batch, and the input rows it covers (so letters can follow the signature).
Written atomically and readable by its owner only (docgen.store.output); it holds case numbers, never
names.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from docgen.errors import DocgenError
from docgen.store.output import write_atomic

LEDGER = "ledger.json"
STATUSES = ("generated", "signed", "denied")


class LedgerError(DocgenError):
    """The ledger cannot be read or does not belong to this run."""


@dataclass(slots=True)
class LedgerEntry:
    key: str  # case number of a per-case order; title of a bulk order
    kind: str
    relpath: str  # the generated order, without extension
    rows: list[int]
    status: str = "generated"
    signed_on: str | None = None  # ISO date the judge signed (or denied)
    date_source: str | None = None  # "page" or "option"
    signed_file: str | None = None  # signed/<case>.pdf, relative to the run folder
    signed_sha256: str | None = None
    batch_sha256: str | None = None  # the signed batch this status came from


@dataclass(slots=True)
class Ledger:
    run_id: str
    entries: dict[str, LedgerEntry] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "docgen_ledger": 1,
            "run_id": self.run_id,
            "orders": [asdict(self.entries[key]) for key in sorted(self.entries)],
        }

    def signed_rows(self) -> dict[int, str]:
        """Input row -> the ISO date its order was signed, for every signed order."""
        rows: dict[int, str] = {}
        for entry in self.entries.values():
            if entry.status == "signed" and entry.signed_on:
                for row in entry.rows:
                    rows[row] = entry.signed_on
        return rows

    def denied_rows(self) -> set[int]:
        return {r for e in self.entries.values() if e.status == "denied" for r in e.rows}


def new_ledger(run_id: str, batch_map: dict[str, Any]) -> Ledger:
    """Every order of the batch, as generated."""
    ledger = Ledger(run_id)
    for document in batch_map["documents"]:
        ledger.entries[document["key"]] = LedgerEntry(
            key=document["key"],
            kind=document["kind"],
            relpath=document["relpath"],
            rows=list(document["rows"]),
        )
    return ledger


def load_ledger(run_dir: Path, run_id: str, batch_map: dict[str, Any] | None = None) -> Ledger:
    """The run's ledger; a new one (every order generated) when there is none yet."""
    path = run_dir / LEDGER
    if not path.is_file():
        if batch_map is None:
            raise LedgerError(
                f"{path}: no ledger yet",
                hint="Ingest the signed batch first: docgen ingest-signed FILE --run RUN_DIR",
            )
        return new_ledger(run_id, batch_map)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("run_id") != run_id:
            raise LedgerError(f"{path}: the ledger belongs to another run")
        ledger = Ledger(run_id)
        for raw in data["orders"]:
            entry = LedgerEntry(**raw)
            if entry.status not in STATUSES:
                raise LedgerError(f"{path}: unknown status for {entry.key!r}")
            ledger.entries[entry.key] = entry
        return ledger
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise LedgerError(f"{path}: cannot be read: {type(exc).__name__}") from None


def save_ledger(run_dir: Path, ledger: Ledger) -> None:
    data = json.dumps(ledger.as_dict(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(run_dir / LEDGER, data.encode())


def update_manifest(
    run_dir: Path, prefixes: tuple[str, ...], entries: list[dict[str, Any]]
) -> None:
    """Replace the manifest's entries under `prefixes` (paths or folders/) with `entries`.

    Files made after the run (signed orders, the ledger, signed-only letters) are listed in the
    manifest like the rest, so the service serves and zips them and `docgen check` sees them.
    """
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    kept = [f for f in manifest["files"] if not f["path"].startswith(prefixes)]
    manifest["files"] = sorted([*kept, *entries], key=lambda f: f["path"])
    write_atomic(path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())


def file_entry(run_dir: Path, relpath: str, kind: str, rows: list[int]) -> dict[str, Any]:
    """A manifest entry for a file in the run folder (the fields docgen.store.file_index.FileEntry has)."""

    data = (run_dir / relpath).read_bytes()
    pages = None
    if relpath.endswith(".pdf"):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
    return {
        "path": relpath,
        "kind": kind,
        "format": relpath.rsplit(".", 1)[-1],
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "pages": pages,
        "language": None,
        "rows": rows,
    }
