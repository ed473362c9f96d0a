"""Rendering on a Dask distributed cluster (`docgen generate --cluster tcp://host:8786`).

The client (the machine running `docgen generate`) reads, validates and plans; the workers render.
Each task is an importable function of this module, so workers need docgen installed (the same
version), the same packs, the same fonts and the same rendering libraries (docgen.render.engine:
WeasyPrint, Pango, HarfBuzz and its subsetter): a worker checks that all of these have the same
fingerprint as the client's before it renders, so a cluster can never produce documents that
differ from a local run.

Output, `--cluster-output`:
- `returned` (default): a worker renders into a private temporary folder and returns the files'
  bytes; the client writes them (atomically) into the run folder. Needs no shared storage.
- `shared`: workers write into the run folder themselves; it must be the same path on every worker
  and the client (a shared file system). Less traffic through the scheduler.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.packs import packs_dir
from docgen.plan.viewmodel import DocumentSpec
from docgen.render import worker
from docgen.store.file_index import FileEntry
from docgen.store.output import write_atomic
from docgen.store.resume import cached_code_fingerprint, code_fingerprint

log = logging.getLogger("docgen.cluster")

ENV_VAR = "DOCGEN_CLUSTER"
OUTPUT_MODES = ("returned", "shared")
CHUNK = 20  # documents per task
IN_FLIGHT_PER_WORKER = 3  # chunks queued per worker thread: keeps memory bounded

_lock = threading.Lock()  # renderers are not thread-safe: one render at a time per process
_ready: dict[str, Any] = {}


class ClusterError(DocgenError):
    pass


def _prepare(pack_name: str, run_date: date, formats: tuple[str, ...], fingerprint: str) -> None:
    """On a worker: check it renders like the client, then set up renderers once per process."""
    key = (pack_name, run_date, formats, fingerprint)
    if _ready.get("key") == key:
        return
    mine = cached_code_fingerprint(pack_name, str(packs_dir()))
    if mine != fingerprint:
        raise RuntimeError(
            "this worker's docgen code, pack, fonts or rendering libraries differ from the "
            f"client's (fingerprint {mine[:12]} here, {fingerprint[:12]} on the client): install "
            "the same docgen version, packs, fonts and system libraries (Pango, HarfBuzz, "
            "libharfbuzz-subset0) on every worker"
        )
    worker.init_worker(pack_name, run_date, formats)
    _ready["key"] = key


def render_returned(
    pack_name: str,
    run_date: date,
    formats: tuple[str, ...],
    fingerprint: str,
    specs: list[DocumentSpec],
) -> list[tuple[FileEntry, bytes]]:
    """Task: render `specs` in a private folder and return each file's entry and bytes."""

    with _lock:
        _prepare(pack_name, run_date, formats, fingerprint)
        with tempfile.TemporaryDirectory(prefix="docgen-worker-") as tmp:
            entries = worker.render_chunk(Path(tmp), specs)
            return [(e, (Path(tmp) / e.path).read_bytes()) for e in entries]


def render_shared(
    pack_name: str,
    run_date: date,
    formats: tuple[str, ...],
    fingerprint: str,
    run_dir: str,
    specs: list[DocumentSpec],
) -> list[FileEntry]:
    """Task: render `specs` straight into the shared run folder."""

    with _lock:
        _prepare(pack_name, run_date, formats, fingerprint)
        if not Path(run_dir).is_dir():
            raise RuntimeError(f"the run folder {run_dir} is not visible on this worker")
        return worker.render_chunk(Path(run_dir), specs)


def connect(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask[distributed] is a dependency
        raise ClusterError("--cluster needs dask[distributed] installed") from None
    try:
        # distributed leaves Client.__init__ (and as_completed and its add, below) unannotated.
        return Client(address, timeout="20s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address}: {exc}",
            hint="start one with `dask scheduler` and workers with `dask worker <address>`",
        ) from None


def _chunks(specs: Iterable[DocumentSpec], size: int) -> Iterator[list[DocumentSpec]]:
    chunk: list[DocumentSpec] = []
    for spec in specs:
        chunk.append(spec)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def render_on_cluster(
    address: str,
    specs: Iterable[DocumentSpec],
    total: int,
    run_dir: Path,
    pack_name: str,
    run_date: date,
    formats: tuple[str, ...],
    output: str = "returned",
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    into: Any = None,
) -> Any:
    """Render every spec on the cluster at `address`; a bounded number of chunks in flight.

    Returns the file entries: a list, or `into` (anything with `append` and `extend`, e.g. a
    docgen.store.file_index.FileIndex) after adding them to it."""
    from distributed import as_completed

    if output not in OUTPUT_MODES:
        raise ClusterError(f"--cluster-output must be one of {', '.join(OUTPUT_MODES)}")
    fingerprint = code_fingerprint(pack_name)
    client = connect(address)
    entries = into if into is not None else []
    try:
        threads = sum(client.nthreads().values()) or 1
        window = max(2, threads * IN_FLIGHT_PER_WORKER)
        log.info("rendering %d documents on %s (%d worker threads)", total, address, threads)
        chunks = _chunks(specs, CHUNK)
        sizes: dict[str, int] = {}

        def submit(chunk: list[DocumentSpec]) -> Any:
            if output == "returned":
                args: tuple[Any, ...] = (pack_name, run_date, formats, fingerprint, chunk)
                future = client.submit(render_returned, *args, pure=False)
            else:
                args = (pack_name, run_date, formats, fingerprint, str(run_dir), chunk)
                future = client.submit(render_shared, *args, pure=False)
            sizes[future.key] = len(chunk)
            return future

        first = []
        for chunk in chunks:
            first.append(submit(chunk))
            if len(first) >= window:
                break
        if not first:
            return entries
        with client.as_current():
            pending = as_completed(first)  # type: ignore[no-untyped-call]
        done = 0
        for future in pending:
            try:
                result = future.result()
            except RuntimeError as exc:
                raise ClusterError(f"a cluster worker failed: {exc}") from None
            count = sizes.pop(future.key)
            if output == "returned":
                for entry, data in result:
                    write_atomic(run_dir / entry.path, data)
                    entries.append(entry)
            else:
                entries.extend(result)
            del result, future
            done += count
            if progress:
                progress(done, total)
            if cancel and done < total and cancel():
                raise worker.RunCancelled()
            nxt = next(chunks, None)
            if nxt is not None:
                pending.add(submit(nxt))  # type: ignore[no-untyped-call]
    finally:
        client.close()
    return entries
