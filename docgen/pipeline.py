"""The pipeline: read -> validate against the pack -> group -> plan -> render -> write.

The CLI and the service are thin shells over `run`. Its steps live in their own modules: reading
and validating each row (docgen.readers, docgen.plan.validate), validating against the pack, the
one step that decides every reject (docgen.plan.admit), grouping (docgen.plan.group), planning
(docgen.plan.planner), rendering (docgen.render.pool), the print batches
(docgen.store.run_batches), the report (docgen.store.report) and the manifest
(docgen.store.manifest). `run` reports the stage it is in through `stage` and times each
(docgen.stage_times: RunResult.stage_times, kept out of the run's files).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from functools import partial

from docgen.errors import DocgenError
from docgen.model import Reject
from docgen.packs import Pack, load_pack
from docgen.plan import viewmodel
from docgen.plan.admit import admit
from docgen.plan.charge_store import count_determinations
from docgen.plan.group import group_stored
from docgen.plan.planner import LazySpecs, plan_documents, plan_people
from docgen.plan.validate import ValidationResult, validate_table
from docgen.plan.viewmodel import DocumentSpec
from docgen.plural import counted
from docgen.readers import read_table
from docgen.readers.addresses import apply_addresses
from docgen.render.pool import Cancel, Progress, render_all
from docgen.render.worker import FORMATS, RunCancelled
from docgen.run_options import RunOptions, RunResult
from docgen.stage_times import READING, StageClock, StageTime
from docgen.store import report, resume
from docgen.store.file_index import DocumentRef, FileEntry, FileIndex
from docgen.store.manifest import build_manifest, entry_for, file_digest, json_pieces
from docgen.store.output import clear_stale_temp_files, csv_bytes, make_dir, write_atomic
from docgen.store.run_batches import remove_stale_files, write_judge_batch, write_letter_batches

SOURCE_ROW = "source_row"  # determinations.csv: the raw file's row of each conviction

# Imported from here by many callers; they live in the modules named above.
__all__ = [
    "FORMATS",
    "Cancel",
    "FileEntry",
    "Progress",
    "RunCancelled",
    "RunOptions",
    "RunResult",
    "Stage",
    "StageTime",
    "plan_documents",
    "render_all",
    "run",
    "validate_input",
]

# Logs carry row numbers, counts and document kinds only: never names, birth dates or addresses.
log = logging.getLogger("docgen.pipeline")

# (stage, done, total or None): what the run is doing and how far, e.g. ("Rendering", 120, 800)
# documents, ("Judge's batch", 3, 40) volumes, ("Report", 0, 1). Stages in order: STAGES; one with
# nothing to do (no letters, no orders) is not reported.
Stage = Callable[[str, int, int | None], None]
STAGES = ("Rendering", "Letters print file", "Judge's batch", "Report", "Manifest")


def default_run_id(options: RunOptions, input_digest: str) -> str:
    """Deterministic: the same input, pack and date land in the same folder."""
    return f"{options.pack_name}-{options.run_date.isoformat()}-{input_digest[:10]}"


def validate_input(options: RunOptions, pack: Pack | None = None) -> ValidationResult:
    """Read and check the input; with `pack`, rows its court does not take are rejected."""
    accepts = partial(pack.config.accepts.problems, pack.name) if pack is not None else None
    with read_table(
        options.input_path, encoding=options.encoding, input_format=options.input_format
    ) as table:
        return validate_table(
            table,
            as_of=options.run_date,
            accepts=accepts,
            row_column=SOURCE_ROW if options.raw is not None else None,
        )


class OtherCourtRows(DocgenError):
    """--strict: the input holds rows the pack's court does not take."""

    def __init__(self, file: str, pack: str, rejects: list[Reject]) -> None:
        first = rejects[0]
        super().__init__(
            f"{file}, row {first.row}: {first.reason}; "
            f"{counted(len(rejects), 'row')} {'is' if len(rejects) == 1 else 'are'} not for pack {pack}'s court and --strict stops the run",
            hint="Run with the pack of the court these rows belong to, or without --strict "
            "to reject them and make the rest.",
        )


def run(
    options: RunOptions,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    stage: Stage | None = None,
) -> RunResult:
    """Make every file of the run; `progress(done, total)` counts rendered documents, `stage`
    (optional) follows every stage (Stage), `cancel` is asked between documents."""
    started = time.perf_counter()
    # Times every stage whether or not anyone shows them (--quiet, no terminal), then passes
    # each call on to `stage`.
    clock = StageClock(stage)
    pack = load_pack(options.pack_name)
    # read -> validate each row (columns, values, the court's [accepts])
    validation = validate_input(options, pack)
    if options.strict and validation.other_court:
        name = options.input_name or options.input_path.name
        raise OtherCourtRows(name, pack.name, validation.other_court)
    if options.addresses is not None:
        validation.charges = apply_addresses(validation.charges, options.addresses)
    # -> validate against the pack: every reject of the run is decided here
    raw_rejects = options.raw.rejects if options.raw is not None else []
    admitted = admit(pack, validation, raw_rejects)
    # -> group (people read on demand) -> plan
    grouped = group_stored(admitted.store)
    plan = (options.planner or plan_people)(pack, admitted, grouped, options.run_date)
    raw_rows = len(raw_rejects)  # generate --rules: raw rows rejected or kept as context
    if options.raw is not None:
        validation.context_rows += options.raw.context_rows
        validation.blank_rows += options.raw.blank_rows
        validation.title_rows = [*options.raw.title_rows, *validation.title_rows]
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

    input_digest = file_digest(options.input_path)
    key_digest = input_digest
    settings_key = options.settings_key
    if set(options.formats) != set(FORMATS):
        # A DOCX-only run is another run than the PDF and DOCX one of the same input: its own
        # folder and resume key, so the two never mix (issue 15, item 16).
        settings_key += "|formats=" + ",".join(sorted(set(options.formats)))
    if settings_key:
        key_digest = hashlib.sha256(f"{input_digest}|{settings_key}".encode()).hexdigest()
    run_id = options.run_id or default_run_id(options, key_digest)
    run_dir = options.out_dir / viewmodel.safe_stem(run_id)
    make_dir(run_dir)
    clear_stale_temp_files(run_dir)
    run_key = resume.run_key(options.pack_name, options.run_date.isoformat(), key_digest)
    reuse = resume.begin(run_dir, run_key)

    # Specs are built as they are rendered; what the batches need of each, and every file
    # entry, go to an index on disk (docgen.store.file_index): memory does not grow with the run.
    files = FileIndex()

    def streamed() -> Iterator[DocumentSpec]:
        for spec in plan.specs:
            files.add_document(DocumentRef(spec.kind, spec.relpath, spec.bookmark, spec.sort_key))
            yield spec

    def rendering(done: int, total: int) -> None:
        if progress:
            progress(done, total)
        clock("Rendering", done, total)

    def in_stage(label: str) -> Callable[[int, int], None]:
        return lambda done, total: clock(label, done, total)

    stats: dict[str, int] = {}
    clock.lap(READING)
    with clock.step():
        clock("Rendering", 0, len(plan.specs))
        render_all(
            streamed(),
            run_dir,
            options,
            rendering,
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
        with clock.step():
            write_letter_batches(
                run_dir,
                files,
                options.batch_pages,
                on_volume=in_stage("Letters print file"),
                duplex=options.duplex_letters,
            )
    with clock.step():
        write_judge_batch(
            run_dir,
            files,
            pack,
            run_id,
            options.run_date,
            options.batch_pages,  # the letters' volume size: the judge's batch splits alike
            workers=1 if options.cluster else (options.workers or os.cpu_count() or 1),
            on_volume=in_stage("Judge's batch"),
        )
    remove_stale_files(run_dir, files)

    reject_rows = [(r.row, r.column or "", r.case_number, r.reason) for r in plan.rejects]
    rejects_data = csv_bytes(("row", "column", "case_number", "reason"), reject_rows)
    write_atomic(run_dir / "rejects.csv", rejects_data)
    files.add(
        entry_for(run_dir, "rejects.csv", "rejects", rejects_data, [r.row for r in plan.rejects])
    )

    if options.raw is not None:  # generate --rules: determine's files are part of the run
        for path in sorted(run_dir.glob(f"{options.input_path.stem}*")):
            if path.is_file() and path.suffix in (".csv", ".html"):
                kind = path.stem.replace(options.input_path.stem, "determinations", 1)
                files.add(entry_for(run_dir, path.name, kind, path.read_bytes(), []))
    determinations = count_determinations(validation.charges)
    documents = files.count_by_format(
        ("motion", "order", "letter", "bulk-motion", "bulk-order", "notice-of-filing")
    )
    result = RunResult(
        run_id=run_id,
        run_dir=run_dir,
        pack=pack.name,
        input_file=options.input_name or options.input_path.name,
        input_rows=validation.input_rows + validation.context_rows + raw_rows,
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
        title_rows=validation.title_rows,
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
        agencies_not_in_directory=plan.agencies_not_in_directory,
        case_counts=plan.case_counts,
    )
    with clock.step():
        clock("Report", 0, 1)
        files.extend(report.write_report(result, pack, options))
        clock("Report", 1, 1)
    with clock.step():
        clock("Manifest", 0, 1)
        manifest = build_manifest(result, options, input_digest, streamed=True)
        manifest["resume_key"] = run_key  # a later run with the same key may reuse these files
        write_atomic(run_dir / "manifest.json", json_pieces(manifest))
        resume.finish(run_dir)
        clock("Manifest", 1, 1)
    result.stage_times = clock.times()
    result.seconds = time.perf_counter() - started
    return result
