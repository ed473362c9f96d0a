"""The run's file entries on disk (docgen.store.file_index) and the manifest streamed from them.

The index must answer exactly as the lists and dicts it replaced: entries round-trip, iterate in
`sorted(..., key=path)` order (stable), `get` gives the last entry of a path (as a dict built
from the entries did), documents come back in `sorted(..., key=sort_key)` order; and the manifest
written from the index is byte for byte `json.dumps` of the list-based manifest.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from docgen.store.file_index import DocumentRef, FileEntry, FileIndex, sort_key_bytes
from docgen.store.manifest import StreamedList, build_manifest, json_pieces
from tests.conftest import GOLDEN_INPUT, RUN_DATE

KINDS = ("motion", "order", "letter", "letters-batch", "orders-batch", "report")


def _entries(count: int, seed: int = 3) -> list[FileEntry]:
    rng = random.Random(seed)
    entries = []
    for i in range(count):
        kind = rng.choice(KINDS)
        fmt = rng.choice(("pdf", "docx"))
        entries.append(
            FileEntry(
                # Repeated paths (ties keep the order added), non-ASCII, upper case.
                path=f"{rng.choice(('cases', 'letters', 'Été', 'batches'))}/{rng.randrange(40)}"
                f".{fmt}",
                kind=kind,
                format=fmt,
                sha256=hashlib.sha256(str(i).encode()).hexdigest(),
                bytes=rng.randrange(10**7),
                pages=rng.choice((None, 1, 2, 17)) if fmt == "pdf" else None,
                rows=sorted(rng.sample(range(2, 500), rng.randrange(4))),
                language=rng.choice((None, "en", "es")),
            )
        )
    return entries


def test_entries_round_trip_in_path_order() -> None:
    entries = _entries(400)
    index = FileIndex(entries[:150])
    for entry in entries[150:]:
        index.add(entry)
    assert len(index) == 400
    assert list(index) == sorted(entries, key=lambda e: e.path)  # every field, stable order
    by_path = {e.path: e for e in entries}  # what run() built before: the last entry wins
    assert len(by_path) < 400  # there were repeated paths to decide
    for path, entry in by_path.items():
        assert index.get(path) == entry
        assert index[path] == entry
        assert path in index
    assert index.get("cases/nope.pdf") is None and "cases/nope.pdf" not in index


def test_counts_by_kind_and_format() -> None:
    entries = _entries(300, seed=8)
    index = FileIndex(entries)
    expected: dict[tuple[str, str], list[int]] = {}
    for e in entries:
        row = expected.setdefault((e.kind, e.format), [0, 0, 0])
        row[0] += 1
        row[1] += e.bytes
        row[2] += e.pages or 0
    assert [(t.kind, t.format, t.files, t.bytes, t.pages) for t in index.totals_by_kind()] == [
        (k, f, *row) for (k, f), row in sorted(expected.items())
    ]
    counted = index.count_by_format(("motion", "letter"))
    assert counted == {
        f"{k}.{f}": row[0] for (k, f), row in expected.items() if k in ("motion", "letter")
    }
    batches = index.with_kind_suffix("-batch")
    assert batches == sorted(
        (e for e in entries if e.kind.endswith("-batch")), key=lambda e: e.path
    )
    assert batches  # the sample had batches


parts = st.text(alphabet=st.sampled_from(["a", "b", "\0", "\1", "é", "Z", " ", "0", "€"]))


@given(st.lists(st.tuples(parts, parts, parts), max_size=30))
def test_sort_key_bytes_order_as_tuples(keys: list[tuple[str, ...]]) -> None:
    assert sorted(keys, key=sort_key_bytes) == sorted(keys)


@given(st.lists(st.lists(parts, max_size=4).map(tuple), min_size=1, max_size=30))
def test_documents_by_sort_key_and_by_relpath(keys: list[tuple[str, ...]]) -> None:
    index = FileIndex()
    refs = [
        DocumentRef(kind, f"p/{i % 5}", f"bookmark {i}", key)
        for i, key in enumerate(keys)
        for kind in ("letter", "order")
    ]
    for ref in refs:
        index.add_document(ref)
    letters = [r for r in refs if r.kind == "letter"]
    assert list(index.documents(("letter",))) == sorted(letters, key=lambda r: r.sort_key)
    orders = [r for r in refs if r.kind == "order"]
    assert list(index.documents(("order", "x"), by="relpath")) == sorted(
        orders, key=lambda r: r.relpath
    )
    assert index.count_documents("letter") == len(letters)


def _manifest_like(files: list) -> dict:
    return {
        "docgen_manifest": 1,
        "input": {"file": "résumé\u2028«données».csv", "rows": 3},  # U+2028: not a line break
        "files": files,
        "accounting": {"balanced": True, "none": None, "empty": []},
        "resume_key": "ab" * 32,
    }


def test_streamed_list_writes_exactly_json_dumps() -> None:
    items = [e.as_dict() for e in _entries(60)]
    items[3]["path"] = "odd\u2028path\n«»"
    items[4]["rows"] = []
    for files in (items, items[:1], []):
        expected = (json.dumps(_manifest_like(files), indent=2, ensure_ascii=False) + "\n").encode()
        for piece_chars in (1, 100, 1 << 20):
            streamed = _manifest_like(StreamedList(iter(files)))  # type: ignore[arg-type]
            pieces = list(json_pieces(streamed, piece_chars=piece_chars))
            assert b"".join(pieces) == expected, (len(files), piece_chars)
        if len(files) > 50:
            assert len(list(json_pieces(_manifest_like(StreamedList(files)), 100))) > 50


def test_run_manifest_is_the_list_based_manifest(tmp_path: Path) -> None:
    """manifest.json of a real run: byte for byte the manifest built as a list and dumped whole,
    and every entry describes the file on disk."""
    from docgen.pipeline import RunOptions, run

    options = RunOptions(GOLDEN_INPUT, "il-cook", RUN_DATE, tmp_path)
    result = run(options)
    written = (result.run_dir / "manifest.json").read_bytes()
    listed = build_manifest(result, options, hashlib.sha256(GOLDEN_INPUT.read_bytes()).hexdigest())
    assert isinstance(listed["files"], list)
    listed["resume_key"] = json.loads(written)["resume_key"]
    assert written == (json.dumps(listed, indent=2, ensure_ascii=False) + "\n").encode()
    on_disk = {
        str(p.relative_to(result.run_dir))
        for p in result.run_dir.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert [f["path"] for f in listed["files"]] == sorted(on_disk)
    for entry in listed["files"]:
        data = (result.run_dir / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    kinds = {f["kind"] for f in listed["files"]}
    assert {"motion", "order", "letter", "letters-batch", "orders-batch", "report"} <= kinds
    assert result.letters == sum(
        1 for f in listed["files"] if f["path"].endswith(".pdf") and f["kind"] == "letter"
    )
