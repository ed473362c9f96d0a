"""The files a run wrote, and the documents it planned, kept on disk: memory does not grow with them.

A 50,000-case run writes hundreds of thousands of files; holding an entry for each (path, digest,
rows...) in the main process cost hundreds of MB. A `FileIndex` is a private temporary SQLite
database, like docgen.plan.charge_store (`sqlite3.connect("")`: an owner-only file SQLite unlinks at
once and drops when the connection closes; only its page cache is in memory). It answers what
the run's later steps ask: an entry by path, every entry sorted by path (the manifest), counts
by kind and format (the report), and the documents of a kind in order (the print batches).

Iterating a `FileIndex` gives its entries sorted by path, stably (entries with the same path in
the order they were added): the order `sorted(entries, key=lambda e: e.path)` gives.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(slots=True)
class FileEntry:
    path: str
    kind: str
    format: str
    sha256: str
    bytes: int
    pages: int | None
    rows: list[int]
    language: str | None = None

    @classmethod
    def of(
        cls,
        relpath: str,
        kind: str,
        data: builtins.bytes,  # the field `bytes` shadows the type here
        rows: list[int],
        *,
        pages: int | None = None,
        language: str | None = None,
    ) -> FileEntry:
        """The entry of a file written from `data` (its format is the path's extension)."""
        return cls(
            path=relpath,
            kind=kind,
            format=relpath.rsplit(".", 1)[-1],
            sha256=hashlib.sha256(data).hexdigest(),
            bytes=len(data),
            pages=pages,
            rows=rows,
            language=language,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "format": self.format,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "pages": self.pages,
            "language": self.language,
            "rows": self.rows,
        }


class DocumentRef(NamedTuple):
    """What the batches need of a document once its view model is gone."""

    kind: str
    relpath: str
    bookmark: str
    sort_key: tuple[str, ...]


class KindTotals(NamedTuple):
    kind: str
    format: str
    files: int
    bytes: int
    pages: int


_SCHEMA = """
CREATE TABLE file (
    seq INTEGER PRIMARY KEY,   -- order added: ties of equal paths keep it
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    pages INTEGER,
    language TEXT,
    rows TEXT NOT NULL         -- JSON list of input rows
);
CREATE INDEX file_path ON file (path, seq);
CREATE TABLE document (
    seq INTEGER PRIMARY KEY,   -- planned order
    kind TEXT NOT NULL,
    relpath TEXT NOT NULL,
    bookmark TEXT NOT NULL,
    sort_key BLOB NOT NULL,    -- sort_key_bytes(sort_key): bytes order = tuple order
    sort_parts TEXT NOT NULL   -- the sort key itself, JSON
);
CREATE INDEX document_kind ON document (kind, sort_key, seq);
"""

_FILE_COLUMNS = "path, kind, format, sha256, bytes, pages, language, rows"


def sort_key_bytes(key: tuple[str, ...]) -> bytes:
    """Bytes that compare (memcmp, as SQLite compares BLOBs) as the tuple compares in Python.

    UTF-8 keeps code point order. Parts are ended by 00 00 and a NUL inside a part is written
    00 01: an ended part sorts before any longer one, as a shorter string does.
    """
    return b"".join(part.encode().replace(b"\0", b"\0\1") + b"\0\0" for part in key)


def _entry(row: tuple[Any, ...]) -> FileEntry:
    path, kind, fmt, sha256, size, pages, language, rows = row
    return FileEntry(path, kind, fmt, sha256, size, pages, json.loads(rows), language)


class FileIndex:
    """A run's file entries and planned documents, on disk. Used by one thread at a time."""

    def __init__(self, entries: Iterable[FileEntry] = ()) -> None:
        # check_same_thread=False: the service makes a run in one thread and reads it in another.
        self.db = sqlite3.connect("", check_same_thread=False)
        self.db.executescript(_SCHEMA)
        self.extend(entries)

    # ---- file entries

    def add(self, entry: FileEntry) -> None:
        self.extend((entry,))

    append = add  # where a list of entries was filled

    def extend(self, entries: Iterable[FileEntry]) -> None:
        def rows() -> Iterator[tuple[Any, ...]]:  # streamed: `entries` may be a generator
            for e in entries:
                rows_json = json.dumps(list(e.rows), separators=(",", ":"))
                yield (e.path, e.kind, e.format, e.sha256, e.bytes, e.pages, e.language, rows_json)

        self.db.executemany(
            f"INSERT INTO file ({_FILE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows()
        )

    def get(self, path: str) -> FileEntry | None:
        """The entry of `path` (the last one added, as a dict built from the entries keeps)."""
        row = self.db.execute(
            f"SELECT {_FILE_COLUMNS} FROM file WHERE path = ? ORDER BY seq DESC LIMIT 1", (path,)
        ).fetchone()
        return None if row is None else _entry(row)

    def __getitem__(self, path: str) -> FileEntry:
        entry = self.get(path)
        if entry is None:
            raise KeyError(path)
        return entry

    def __contains__(self, path: object) -> bool:
        query = "SELECT 1 FROM file WHERE path = ? LIMIT 1"
        return isinstance(path, str) and self.db.execute(query, (path,)).fetchone() is not None

    def __len__(self) -> int:
        count: int = self.db.execute("SELECT COUNT(*) FROM file").fetchone()[0]
        return count

    def __iter__(self) -> Iterator[FileEntry]:
        # A cursor of its own: other queries may run while this one is iterated.
        for row in self.db.execute(f"SELECT {_FILE_COLUMNS} FROM file ORDER BY path, seq"):
            yield _entry(row)

    def with_kind_suffix(self, suffix: str) -> list[FileEntry]:
        """Entries whose kind ends with `suffix` (the print batches: a few files), by path."""
        query = f"SELECT {_FILE_COLUMNS} FROM file WHERE substr(kind, -?) = ? ORDER BY path, seq"
        return [_entry(row) for row in self.db.execute(query, (len(suffix), suffix))]

    def totals_by_kind(self) -> list[KindTotals]:
        """Files, bytes and pages of each kind and format, sorted by kind and format."""
        query = (
            "SELECT kind, format, COUNT(*), SUM(bytes), SUM(COALESCE(pages, 0)) FROM file "
            "GROUP BY kind, format ORDER BY kind, format"
        )
        return [KindTotals(*row) for row in self.db.execute(query)]

    def count_by_format(self, kinds: Iterable[str]) -> Counter[str]:
        """How many files of each "kind.format" among `kinds` (the run result's `documents`)."""
        wanted = set(kinds)
        return Counter(
            {f"{t.kind}.{t.format}": t.files for t in self.totals_by_kind() if t.kind in wanted}
        )

    # ---- planned documents

    def add_document(self, ref: DocumentRef) -> None:
        self.db.execute(
            "INSERT INTO document (kind, relpath, bookmark, sort_key, sort_parts) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                ref.kind,
                ref.relpath,
                ref.bookmark,
                sort_key_bytes(ref.sort_key),
                json.dumps(list(ref.sort_key), ensure_ascii=False),
            ),
        )

    def documents(self, kinds: Iterable[str], *, by: str = "sort_key") -> Iterator[DocumentRef]:
        """The documents of these kinds, by sort key (ties in planned order) or by relpath."""
        order = {"sort_key": "sort_key, seq", "relpath": "relpath, seq"}[by]
        wanted = list(kinds)
        marks = ", ".join("?" * len(wanted))
        query = (
            f"SELECT kind, relpath, bookmark, sort_parts FROM document WHERE kind IN ({marks}) "
            f"ORDER BY {order}"
        )
        for kind, relpath, bookmark, parts in self.db.execute(query, wanted):
            yield DocumentRef(kind, relpath, bookmark, tuple(json.loads(parts)))

    def count_documents(self, kind: str) -> int:
        query = "SELECT COUNT(*) FROM document WHERE kind = ?"
        count: int = self.db.execute(query, (kind,)).fetchone()[0]
        return count

    def close(self) -> None:
        self.db.close()
