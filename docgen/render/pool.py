"""Rendering: every planned document to its files, in this process, a worker pool or a cluster.

Workers are forked from a fork server with the renderers preloaded; a pool is replaced every
WORKER_DOCUMENTS documents per worker. A resumed run reuses documents already complete on disk.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    wait,
)
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.plan.viewmodel import DocumentSpec
from docgen.render import cluster, worker
from docgen.render.worker import FORMATS, RunCancelled, carries_exhibit, init_worker, render_chunk
from docgen.store.file_index import FileEntry, FileIndex
from docgen.store.manifest import pdf_pages

if TYPE_CHECKING:
    from docgen.run_options import RunOptions

# Logs carry row numbers, counts and document kinds only: never names, birth dates or addresses.
log = logging.getLogger("docgen.pipeline")  # the name these records had before the split

# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 24
# Documents a render worker makes before a fresh one replaces it (render_all): bounds whatever
# a worker accumulates. A fresh worker's first documents cost about 1 s more (fonts, caches):
# under 1% of the time 5,000 documents take.
WORKER_DOCUMENTS = 5000

Progress = Callable[[int, int], None]
# Asked between documents; True stops the run (RunCancelled). Files already written stay complete.
Cancel = Callable[[], bool]


# Imported by the fork server before it forks workers ("__main__" is multiprocessing's default).
_FORKSERVER_PRELOAD = ("__main__", "docgen.render.pool", "docgen.render.pdf", "docgen.render.docx")


def _reusable_entries(
    run_dir: Path, spec: DocumentSpec, formats: tuple[str, ...]
) -> list[FileEntry] | None:
    """The entries of a document a resumed run finds complete on disk, else None.

    Writes are atomic: a file under its final name is whole. Its entry is recomputed from the file
    (the same fields `render_and_write` (docgen.render.worker) gives). A bulk motion (several files) is always redone.
    """
    if carries_exhibit(spec):
        return None
    paths = [f"{spec.relpath}.{fmt}" for fmt in FORMATS if fmt in formats]
    if not all((run_dir / p).is_file() for p in paths):
        return None
    entries: list[FileEntry] = []
    for relpath in paths:
        data = (run_dir / relpath).read_bytes()
        fmt = relpath.rsplit(".", 1)[-1]
        entries.append(
            FileEntry(
                path=relpath,
                kind=spec.kind,
                format=fmt,
                sha256=hashlib.sha256(data).hexdigest(),
                bytes=len(data),
                pages=pdf_pages(data) if fmt == "pdf" else None,
                rows=list(spec.rows),
                language=spec.lang,
            )
        )
    return entries


# Documents a task carries at most, and chunks per worker the documents left are cut into.
MAX_CHUNK = 50
CHUNKS_PER_WORKER = 8


def _chunks(
    specs: Iterable[DocumentSpec], total: int, workers: int
) -> Iterator[list[DocumentSpec]]:
    """Chunks of at most MAX_CHUNK documents, smaller as the documents left run out: with chunks
    of one size to the end, one worker could still have a whole chunk (37 documents, 2 s) to
    render while the others had nothing left (measured: 600 documents on 2 workers took 21.2 s,
    where one worker took 34.3)."""
    items = iter(specs)
    left = total
    while chunk := list(
        itertools.islice(items, max(1, min(MAX_CHUNK, left // (workers * CHUNKS_PER_WORKER))))
    ):
        left -= len(chunk)
        yield chunk


def render_all(
    specs: Iterable[DocumentSpec],
    run_dir: Path,
    options: RunOptions,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    *,
    total: int | None = None,
    reuse: bool = False,
    stats: dict[str, int] | None = None,
    into: FileIndex | None = None,
) -> Any:
    """Render every spec (streamed: few view models exist at once) and return the file entries:
    a list, or `into` (a FileIndex the entries were added to: run() keeps none in memory).

    reuse: skip documents already complete on disk (a resumed run; see docgen.store.resume); their
    entries are recomputed from the files and counted in stats["reused"].
    Local worker processes by default; a Dask cluster when options.cluster is set.
    """
    workers = options.workers or os.cpu_count() or 1
    entries: FileIndex | list[FileEntry] = into if into is not None else []
    if total is None:
        specs = list(specs)
        total = len(specs)
    stats = stats if stats is not None else {}
    stats.setdefault("reused", 0)
    done = 0

    def to_render() -> Iterator[DocumentSpec]:
        nonlocal done
        for spec in specs:
            found = _reusable_entries(run_dir, spec, options.formats) if reuse else None
            if found is None:
                yield spec
                continue
            entries.extend(found)
            stats["reused"] += 1
            done += 1

    if options.cluster:

        def cluster_progress(rendered: int, _: int) -> None:
            if progress:
                progress(rendered + stats["reused"], total)

        cluster.render_on_cluster(
            options.cluster,
            to_render(),
            total,
            run_dir,
            options.pack_name,
            options.run_date,
            options.formats,
            output=options.cluster_output,
            progress=cluster_progress,
            cancel=cancel,
            into=entries,
        )
        return entries
    if workers <= 1 or total < PARALLEL_THRESHOLD:
        init_worker(options.pack_name, options.run_date, options.formats)
        for spec in to_render():
            if cancel and cancel():
                raise RunCancelled()
            entries.extend(worker.render_and_write(run_dir, spec))
            done += 1
            if progress:
                progress(done, total)
        if progress and total:
            progress(done, total)
        return entries
    # forkserver: workers start clean (no inherited threads from the progress display).
    context = multiprocessing.get_context("forkserver")
    # The fork server imports the renderers (WeasyPrint, docxtpl) once and every worker forks
    # from it ready to render, instead of each importing them again (measured: about 1 s less
    # per pool start on 2 cores). No effect once a fork server is running; a failed import
    # there is skipped and the worker imports as before.
    context.set_forkserver_preload([*_FORKSERVER_PRELOAD])
    window = workers * 4  # chunks in flight: memory stays bounded however many cases
    # A worker grows with what it renders (the renderers' caches): each pool renders at most
    # WORKER_DOCUMENTS per worker, then a fresh pool takes over (its workers fork from the fork
    # server, renderers preloaded) while the old one finishes its chunks and exits.
    # (Not max_tasks_per_child: it can deadlock on Python 3.11, cpython gh-115634.)
    pool_documents = workers * WORKER_DOCUMENTS
    pools: list[ProcessPoolExecutor] = []
    in_flight: dict[Future[list[FileEntry]], int] = {}

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(options.pack_name, options.run_date, options.formats),
        )

    def collect() -> None:
        nonlocal done
        finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in finished:
            entries.extend(future.result())
            done += in_flight.pop(future)
        if progress:
            progress(done, total)
        if cancel and done < total and cancel():
            raise RunCancelled()

    given = 0  # documents given to the newest pool
    try:
        for chunk in _chunks(to_render(), total, workers):
            if not pools or given >= pool_documents:
                if pools:
                    pools[-1].shutdown(wait=False)  # it renders what it has, then its workers exit
                pools.append(new_pool())
                given = 0
            in_flight[pools[-1].submit(render_chunk, run_dir, chunk)] = len(chunk)
            given += len(chunk)
            if len(in_flight) >= window:
                collect()
        while in_flight:
            collect()
    finally:
        for pool in pools:  # all done, or a failure or cancel: what was not started is dropped
            pool.shutdown(wait=True, cancel_futures=True)
    if progress and total:
        progress(done, total)
    return entries
