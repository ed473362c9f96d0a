"""The pipeline: read -> validate -> group -> view models -> render -> write.

The CLI and the service are thin shells over `run`.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import logging
import multiprocessing
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf

from docgen import resume, viewmodel
from docgen.batches import (
    DEFAULT_VOLUME_PAGES,
    BundlePart,
    plan_volumes,
    volume_relpath,
    write_bundle,
)
from docgen.charge_store import ChargeStore, count_determinations
from docgen.file_index import DocumentRef, FileEntry, FileIndex
from docgen.group import StoredGroups, group_store
from docgen.model import NO_DOCUMENT_DETERMINATIONS, ChargeRow, Person, Reject
from docgen.output import clear_stale_temp_files, csv_bytes, make_dir, write_atomic
from docgen.packs import Pack, load_pack, unprintable
from docgen.readers import read_table
from docgen.validate import ValidationResult, validate_table
from docgen.viewmodel import DocumentSpec

# Logs carry row numbers, counts and document kinds only: never names, birth dates or addresses.
log = logging.getLogger("docgen.pipeline")

FORMATS = ("pdf", "docx")
# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 24
# Documents a render worker makes before a fresh one replaces it (render_all): bounds whatever
# a worker accumulates. A fresh worker's first documents cost about 1 s more (fonts, caches):
# under 1% of the time 5,000 documents take.
WORKER_DOCUMENTS = 5000

Progress = Callable[[int, int], None]
# Asked between documents; True stops the run (RunCancelled). Files already written stay complete.
Cancel = Callable[[], bool]


class RunCancelled(Exception):
    """The run was stopped because its `cancel` callback returned True."""


@dataclass(slots=True)
class RunOptions:
    input_path: Path
    pack_name: str
    run_date: date
    out_dir: Path
    encoding: str | None = None
    input_format: str | None = None
    formats: tuple[str, ...] = FORMATS
    workers: int | None = None
    run_id: str | None = None
    addresses: Path | None = None  # CSV: person_id -> address, for inputs without addresses
    input_name: str | None = None  # shown in manifest and report instead of input_path.name
    cluster: str | None = None  # Dask scheduler address (tcp://host:8786): render there
    cluster_output: str = "returned"  # or "shared": workers write into run_dir (docgen.cluster)
    batch_pages: int = DEFAULT_VOLUME_PAGES  # a print batch above this many pages is split
    # Plans the documents instead of plan_documents (docgen.petition: one person's petition).
    planner: Callable[[Pack, ValidationResult, date], Plan] | None = None
    # Options outside the input that change the documents (a petition's signer, hearing): part of
    # the run id and the resume key, so a rerun with other options never reuses older files.
    settings_key: str = ""


@dataclass(slots=True)
class RunResult:
    run_id: str
    run_dir: Path
    pack: str
    input_file: str
    input_rows: int
    blank_rows: int
    rows_in_documents: int
    rows_not_eligible: int
    rows_needs_review: int
    rows_rejected: int
    determinations: dict[str, int]
    documents: dict[str, int]
    cases: int
    people: int
    letters: int
    people_without_address: list[dict[str, str]]
    rejects: list[Reject]
    # Every file written, on disk (docgen.file_index): `len`, iteration (sorted by path) and
    # `.get(path)`; deleted when the result is.
    files: FileIndex = field(default_factory=FileIndex)
    seconds: float = 0.0
    rows_context: int = 0  # gogen rows without a determination: the rest of the record
    rows_automatic: int = 0  # automatic_expungement: the State Police expunge; no document
    review: list[dict[str, str]] = field(default_factory=list)  # needs_review rows, for the office
    documents_reused: int = 0  # documents a resumed run found complete on disk (not rendered)

    @property
    def accounted(self) -> bool:
        return self.input_rows == (
            self.rows_in_documents
            + self.rows_not_eligible
            + self.rows_needs_review
            + self.rows_rejected
            + self.rows_context
            + self.rows_automatic
        )


# ---------------------------------------------------------------- planning


class LazySpecs:
    """The run's documents, in order; view models are built when iterated, not all at once.

    Holding every view model of a 50,000-case run costs gigabytes; a deferred entry is a function
    and the (already grouped) objects it reads. Indexing and slicing build the specs asked for.
    """

    def __init__(self) -> None:
        self._items: list[DocumentSpec | tuple[Callable[..., DocumentSpec], tuple[Any, ...]]] = []

    def append(self, spec: DocumentSpec) -> None:
        self._items.append(spec)

    def defer(self, build: Callable[..., DocumentSpec], *args: Any) -> None:
        self._items.append((build, args))

    @staticmethod
    def _built(item: Any) -> DocumentSpec:
        if isinstance(item, tuple):
            build, args = item
            return build(*args)
        return item

    def __setitem__(self, index: slice, specs: list[DocumentSpec]) -> None:
        self._items[index] = list(specs)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._built(item) for item in self._items[index]]
        return self._built(self._items[index])

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[DocumentSpec]:
        for item in self._items:
            yield self._built(item)


@dataclass(slots=True)
class Plan:
    specs: LazySpecs
    rejects: list[Reject]
    rows_in_documents: int
    rows_not_eligible: int
    rows_needs_review: int
    cases: int
    people: int
    # (person_id, name, case numbers with letters): compact, one per person without an address
    people_without_address: list[tuple[str, str, str]]
    # needs_review rows (never in court documents), compact: (row, person_id, name, case_number,
    # statute, reason)
    review: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    rows_automatic: int = 0  # automatic_expungement rows (no document)


# Columns that end up printed in a document (person_id, language and reason never are).
PRINTED_COLUMNS = (
    "last_name",
    "first_name",
    "middle_name",
    "name_suffix",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "case_number",
    "court_division",
    "arresting_agency",
    "statute",
    "offense_description",
    "offense_class",
    "disposition",
)


def _unfit_for_documents(
    pack: Pack, charges: list[ChargeRow], file: str, rejects: list[Reject]
) -> list[ChargeRow]:
    """Drop (into `rejects`) charges that would produce documents but cannot be printed truly.

    - a statute the pack does not file for (`[law] document_statutes`, prefixes; when the pack
      lists them): the motion would assert a ground of relief that does not apply;
    - characters no bundled font can draw: the filing would show empty boxes instead of a name.
    """
    makes = {*pack.config.determinations.documents, *pack.config.determinations.letters}
    prefixes = [str(p) for p in pack.config.law.get("document_statutes", [])]
    patterns = [re.compile(re.escape(p) + r"(?![0-9])", re.IGNORECASE) for p in prefixes]
    kept = []
    for charge in charges:
        if charge.determination not in makes:
            kept.append(charge)
            continue
        problems: list[tuple[str, str]] = []
        statute = " ".join(charge.statute.split())
        if (
            patterns
            and charge.determination in pack.config.determinations.documents
            and not any(p.match(statute) for p in patterns)
        ):
            problems.append(
                (
                    "statute",
                    f"statute {statute} is not one pack {pack.name} files for "
                    f"(it files for: {', '.join(prefixes)})",
                )
            )
        for col in PRINTED_COLUMNS:
            codes = unprintable(str(getattr(charge, col)))
            if codes:
                shown = ", ".join(codes[:5]) + (" ..." if len(codes) > 5 else "")
                problems.append((col, f"has characters the document fonts cannot print ({shown})"))
        if not problems:
            kept.append(charge)
            continue
        rejects.append(
            Reject(
                file=file,
                row=charge.row,
                column=problems[0][0],
                reason="; ".join(f"{c}: {m}" for c, m in problems),
                case_number=charge.case_number,
            )
        )
    return kept


class _StoredPeople:
    """The planned people, read back from the charge store when a document is built.

    Deferred documents name a person by id, not by object, so planning holds no charges; the last
    person read is kept (a person's motions, orders and letter are built one after another).
    Cases get the same `_unfit_for_documents` filter as in planning (same input, same result).
    """

    def __init__(self, pack: Pack, groups: StoredGroups, file: str) -> None:
        self.pack, self.groups, self.file = pack, groups, file
        self._last: Person | None = None

    def _fit(self, person: Person) -> Person:
        for case in person.cases:
            case.charges = _unfit_for_documents(self.pack, case.charges, self.file, [])
        return person

    def get(self, person_id: str) -> Person:
        if self._last is None or self._last.person_id != person_id:
            self._last = self._fit(self.groups.person(person_id))
        return self._last

    def __iter__(self) -> Iterator[Person]:  # every person, as planning saw them (bulk mode)
        for person in self.groups.people():
            yield self._fit(person)


def _case_document(
    people: _StoredPeople, build: Callable[..., DocumentSpec], person_id: str, case: int, day: date
) -> DocumentSpec:
    person = people.get(person_id)
    return build(people.pack, person, person.cases[case], day)


def _letter(
    people: _StoredPeople, person_id: str, cases: tuple[int, ...], day: date
) -> DocumentSpec:
    person = people.get(person_id)
    return viewmodel.letter(people.pack, person, [person.cases[i] for i in cases], day)


def plan_documents(pack: Pack, validation: ValidationResult, run_date: date) -> Plan:
    """Decide every document of the run and account for every valid row.

    People are read one at a time from the charge store (docgen.group.group_store) and the
    documents are deferred by person id: memory does not grow with the charges.
    """
    store = validation.charges
    if not isinstance(store, ChargeStore):  # a list (tests, --addresses): stored the same way
        store = ChargeStore(store)
    grouped = group_store(store, validation.file)
    people = _StoredPeople(pack, grouped, validation.file)
    rejects = [*validation.rejects, *grouped.rejects]
    documents = set(pack.config.determinations.documents)
    letters = set(pack.config.determinations.letters)
    specs = LazySpecs()
    counted: Counter[str] = Counter()
    in_documents = 0
    case_count = 0
    without_address: list[tuple[str, str, str]] = []
    review: list[tuple[int, str, str, str, str, str]] = []
    bulk_mode = pack.config.pack.filing_mode == "bulk"
    if bulk_mode:
        from docgen import bulk
    for person in grouped.people():
        letter_cases = []
        for case_index, case in enumerate(person.cases):
            case.charges = _unfit_for_documents(pack, case.charges, validation.file, rejects)
            for charge in case.charges:
                if charge.determination in documents:
                    in_documents += 1
                elif charge.determination in NO_DOCUMENT_DETERMINATIONS:
                    counted[charge.determination] += 1
                else:
                    rejects.append(
                        Reject(
                            file=validation.file,
                            row=charge.row,
                            column="determination",
                            reason=f"determination {charge.determination} produces no documents "
                            f"in pack {pack.name} (it produces: {', '.join(sorted(documents))})",
                            case_number=charge.case_number,
                        )
                    )
            review.extend(
                (c.row, c.person_id, c.full_name, c.case_number, c.statute, c.reason)
                for c in case.charges_with(("needs_review",))
            )
            if case.charges_with(tuple(documents)):
                case_count += 1
                pid = person.person_id
                if not bulk_mode:
                    specs.defer(_case_document, people, viewmodel.motion, pid, case_index, run_date)
                    specs.defer(_case_document, people, viewmodel.order, pid, case_index, run_date)
                elif bulk.per_case_orders(pack):
                    specs.defer(_case_document, people, bulk.case_order, pid, case_index, run_date)
            if case.charges_with(tuple(letters)):
                letter_cases.append(case_index)
        if letter_cases:
            if person.has_address:
                specs.defer(_letter, people, person.person_id, tuple(letter_cases), run_date)
            else:
                cases = ", ".join(person.cases[i].case_number for i in letter_cases)
                without_address.append((person.person_id, person.full_name, cases))
    rejects.sort(key=lambda r: r.row)
    if bulk_mode:
        specs[0:0] = bulk.bulk_specs(pack, people, run_date)  # type: ignore[arg-type]
    return Plan(
        specs=specs,
        rejects=rejects,
        rows_in_documents=in_documents,
        rows_not_eligible=counted["not_eligible"],
        rows_needs_review=counted["needs_review"],
        rows_automatic=counted["automatic_expungement"],
        cases=case_count,
        people=grouped.people_count,
        people_without_address=without_address,
        review=review,
    )


# ---------------------------------------------------------------- rendering (worker side)

_worker_state: dict[str, Any] = {}
# Imported by the fork server before it forks workers ("__main__" is multiprocessing's default).
_FORKSERVER_PRELOAD = ("__main__", "docgen.pipeline", "docgen.render_pdf", "docgen.render_docx")


def _init_worker(pack_name: str, run_date: date, formats: tuple[str, ...]) -> None:
    from docgen.render_docx import DocxRenderer
    from docgen.render_pdf import PdfRenderer

    pack = load_pack(pack_name)
    _worker_state["renderers"] = {
        "pdf": PdfRenderer(pack, run_date) if "pdf" in formats else None,
        "docx": DocxRenderer(pack, run_date) if "docx" in formats else None,
    }


def _pdf_pages(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _render_and_write(run_dir: Path, spec: DocumentSpec) -> list[FileEntry]:
    if spec.kind == "bulk-motion":  # motion + exhibit in chunks, maybe volumes (docgen.bulk)
        from docgen.bulk import write_bulk_motion

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
            FileEntry(
                path=relpath,
                kind=spec.kind,
                format=fmt,
                sha256=hashlib.sha256(data).hexdigest(),
                bytes=len(data),
                pages=pages,
                rows=list(spec.rows),
                language=spec.lang,
            )
        )
    return entries


def _render_chunk(run_dir: Path, specs: list[DocumentSpec]) -> list[FileEntry]:
    entries: list[FileEntry] = []
    for spec in specs:
        entries.extend(_render_and_write(run_dir, spec))
    return entries


def _reusable_entries(run_dir: Path, spec: DocumentSpec, formats: tuple[str, ...]):
    """The entries of a document a resumed run finds complete on disk, else None.

    Writes are atomic: a file under its final name is whole. Its entry is recomputed from the file
    (the same fields `_render_and_write` gives). A bulk motion (several files) is always redone.
    """
    if spec.kind == "bulk-motion":
        return None
    paths = [f"{spec.relpath}.{fmt}" for fmt in FORMATS if fmt in formats]
    if not all((run_dir / p).is_file() for p in paths):
        return None
    entries = []
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
                pages=_pdf_pages(data) if fmt == "pdf" else None,
                rows=list(spec.rows),
                language=spec.lang,
            )
        )
    return entries


def _chunks(specs: Iterable[DocumentSpec], size: int) -> Iterator[list[DocumentSpec]]:
    items = iter(specs)
    while chunk := list(itertools.islice(items, size)):
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

    reuse: skip documents already complete on disk (a resumed run; see docgen.resume); their
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
        from docgen.cluster import render_on_cluster

        def cluster_progress(rendered: int, _: int) -> None:
            if progress:
                progress(rendered + stats["reused"], total)

        render_on_cluster(
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
        _init_worker(options.pack_name, options.run_date, options.formats)
        for spec in to_render():
            if cancel and cancel():
                raise RunCancelled()
            entries.extend(_render_and_write(run_dir, spec))
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
    chunk_size = max(1, min(50, total // (workers * 8) or 1))
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
            initializer=_init_worker,
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
        for chunk in _chunks(to_render(), chunk_size):
            if not pools or given >= pool_documents:
                if pools:
                    pools[-1].shutdown(wait=False)  # it renders what it has, then its workers exit
                pools.append(new_pool())
                given = 0
            in_flight[pools[-1].submit(_render_chunk, run_dir, chunk)] = len(chunk)
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


# ---------------------------------------------------------------- the run


def _remove_stale_batches(run_dir: Path, written: FileIndex) -> None:
    """Delete batch files this run did not write: a rerun into the same folder with another
    --batch-pages must not leave the old volumes (or the unsplit file) beside the new ones."""
    batches = run_dir / "batches"
    if not batches.is_dir():
        return
    for path in sorted(batches.iterdir()):
        if (
            path.is_file()
            and not path.name.startswith(".")
            and f"batches/{path.name}" not in written
        ):
            path.unlink()


def default_run_id(options: RunOptions, input_digest: str) -> str:
    """Deterministic: the same input, pack and date land in the same folder."""
    return f"{options.pack_name}-{options.run_date.isoformat()}-{input_digest[:10]}"


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry_for(run_dir: Path, relpath: str, kind: str, data: bytes, rows: list[int]) -> FileEntry:
    fmt = relpath.rsplit(".", 1)[-1]
    return FileEntry(
        path=relpath,
        kind=kind,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
        pages=_pdf_pages(data) if fmt == "pdf" else None,
        rows=rows,
    )


def _entry_for_file(
    run_dir: Path, relpath: str, kind: str, rows: list[int], pages: int | None = None
) -> FileEntry:
    """Like _entry_for, for a file too big to hold: digest streamed; `pages` when the caller
    knows them (a batch: the sum of its parts'), else counted by pikepdf."""
    path = run_dir / relpath
    if pages is None and relpath.endswith(".pdf"):
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
    return FileEntry(
        path=relpath,
        kind=kind,
        format=relpath.rsplit(".", 1)[-1],
        sha256=_file_digest(path),
        bytes=path.stat().st_size,
        pages=pages,
        rows=rows,
    )


def _write_letter_batches(run_dir: Path, index: FileIndex, batch_pages: int) -> None:
    """The letters' print batch, by sort key (ZIP code first), in volumes of at most
    `batch_pages` pages (a join holds all of its pages). Letters are read from the index a
    volume at a time; only their page counts are held all at once."""
    relpath, kind = "batches/letters-print.pdf", "letters-batch"
    title = "Letters for mailing, by ZIP code"

    def letters() -> Iterator[DocumentRef]:
        return index.documents(("letter",), by="sort_key")

    counts = [index[f"{s.relpath}.pdf"].pages or 0 for s in letters()]
    if not counts:
        return
    volumes = plan_volumes(counts, batch_pages)
    in_order = letters()
    for number, span in enumerate(volumes, 1):
        part_specs = list(itertools.islice(in_order, span.stop - span.start))
        volume_path = volume_relpath(relpath, number, len(volumes))
        volume_title = title
        if len(volumes) > 1:
            volume_title = f"{title}, volume {number} of {len(volumes)}"
        write_bundle(
            run_dir / volume_path,
            [BundlePart(run_dir / f"{s.relpath}.pdf", s.bookmark) for s in part_specs],
            volume_title,
        )
        rows = sorted(r for s in part_specs for r in index[f"{s.relpath}.pdf"].rows)
        pages = sum(counts[span.start : span.stop])
        index.add(_entry_for_file(run_dir, volume_path, kind, rows, pages))


def validate_input(options: RunOptions) -> ValidationResult:
    with read_table(
        options.input_path, encoding=options.encoding, input_format=options.input_format
    ) as table:
        return validate_table(table, as_of=options.run_date)


def run(
    options: RunOptions, progress: Progress | None = None, cancel: Cancel | None = None
) -> RunResult:
    from docgen import report

    started = time.perf_counter()
    pack = load_pack(options.pack_name)
    validation = validate_input(options)
    if options.addresses is not None:
        from docgen.addresses import apply_addresses

        validation.charges = apply_addresses(validation.charges, options.addresses)
    plan = (options.planner or plan_documents)(pack, validation, options.run_date)
    log.info(
        "validated %d input rows (%d blank skipped): %d valid, %d rejected by validation",
        validation.input_rows,
        validation.blank_rows,
        len(validation.charges),
        len(validation.rejects),
    )
    for reject in plan.rejects:
        log.debug("row %d rejected (column %s)", reject.row, reject.column or "-")
    log.info(
        "planned %d documents: %d in documents, %d not eligible, %d review, %d rejected",
        len(plan.specs),
        plan.rows_in_documents,
        plan.rows_not_eligible,
        plan.rows_needs_review,
        len(plan.rejects),
    )

    input_digest = _file_digest(options.input_path)
    key_digest = input_digest
    if options.settings_key:
        key_digest = hashlib.sha256(f"{input_digest}|{options.settings_key}".encode()).hexdigest()
    run_id = options.run_id or default_run_id(options, key_digest)
    run_dir = options.out_dir / viewmodel.safe_stem(run_id)
    make_dir(run_dir)
    clear_stale_temp_files(run_dir)
    run_key = resume.run_key(options.pack_name, options.run_date.isoformat(), key_digest)
    reuse = resume.begin(run_dir, run_key)

    # Specs are built as they are rendered; what the batches need of each, and every file
    # entry, go to an index on disk (docgen.file_index): memory does not grow with the run.
    files = FileIndex()

    def streamed() -> Iterator[DocumentSpec]:
        for spec in plan.specs:
            files.add_document(DocumentRef(spec.kind, spec.relpath, spec.bookmark, spec.sort_key))
            yield spec

    stats: dict[str, int] = {}
    render_all(
        streamed(),
        run_dir,
        options,
        progress,
        cancel,
        total=len(plan.specs),
        reuse=reuse,
        stats=stats,
        into=files,
    )
    if stats["reused"]:
        log.info("resumed: %d documents were already complete on disk", stats["reused"])
    if cancel and cancel():
        raise RunCancelled()
    plan.specs = LazySpecs()  # all rendered: the deferred documents (one per file) may go

    if "pdf" in options.formats:
        _write_letter_batches(run_dir, files, options.batch_pages)
    # The judge's signing batch (index, page codes, PDF and DOCX): docgen.signing.
    from docgen.signing import write_judge_batches

    judge_orders = (
        (d.kind, d.relpath, d.bookmark)
        for d in files.documents(("order", "bulk-order"), by="relpath")
    )
    for relpath, kind, rows, pages in write_judge_batches(
        run_dir,
        pack,
        run_id,
        options.run_date,
        list(judge_orders),
        files,  # looked up by path
        options.batch_pages,  # the letters' volume size: the judge's batch splits alike
        workers=1 if options.cluster else (options.workers or os.cpu_count() or 1),
    ):
        files.append(_entry_for_file(run_dir, relpath, kind, rows, pages))
    _remove_stale_batches(run_dir, files)

    reject_rows = [(r.row, r.column or "", r.case_number, r.reason) for r in plan.rejects]
    rejects_data = csv_bytes(("row", "column", "case_number", "reason"), reject_rows)
    write_atomic(run_dir / "rejects.csv", rejects_data)
    files.append(
        _entry_for(run_dir, "rejects.csv", "rejects", rejects_data, [r.row for r in plan.rejects])
    )

    determinations = count_determinations(validation.charges)
    documents = files.count_by_format(
        ("motion", "order", "letter", "bulk-motion", "bulk-order", "notice-of-filing")
    )
    result = RunResult(
        run_id=run_id,
        run_dir=run_dir,
        pack=pack.name,
        input_file=options.input_name or options.input_path.name,
        input_rows=validation.input_rows + validation.context_rows,
        rows_context=validation.context_rows,
        review=[
            {
                "row": str(row),
                "person_id": person_id,
                "name": name,
                "case_number": case_number,
                "statute": statute,
                "reason": reason,
            }
            for row, person_id, name, case_number, statute, reason in sorted(
                plan.review, key=lambda r: r[0]
            )
        ],
        blank_rows=validation.blank_rows,
        rows_in_documents=plan.rows_in_documents,
        rows_not_eligible=plan.rows_not_eligible,
        rows_needs_review=plan.rows_needs_review,
        rows_automatic=plan.rows_automatic,
        rows_rejected=len(plan.rejects),
        determinations=dict(sorted(determinations.items())),
        documents=dict(sorted(documents.items())),
        cases=plan.cases,
        people=plan.people,
        letters=files.count_documents("letter"),
        people_without_address=[
            {"person_id": person_id, "name": name, "cases": cases}
            for person_id, name, cases in plan.people_without_address
        ],
        rejects=plan.rejects,
        files=files,
        documents_reused=stats["reused"],
    )
    report_entries = report.write_report(result, pack, options)
    files.extend(report_entries)
    manifest = build_manifest(result, options, input_digest, streamed=True)
    manifest["resume_key"] = run_key  # a later run with the same key may reuse these files
    write_atomic(run_dir / "manifest.json", json_pieces(manifest))
    resume.finish(run_dir)
    result.seconds = time.perf_counter() - started
    return result


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
