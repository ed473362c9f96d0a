"""What a run is asked to do (RunOptions) and what it did (RunResult): the pipeline's input and
output (docgen.pipeline), read by the renderers, the manifest, the report, the CLI and the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.judge.batches import DEFAULT_VOLUME_PAGES
from docgen.model import Reject
from docgen.packs import Pack
from docgen.plan.admit import Admitted
from docgen.plan.case_counts import CaseCounts
from docgen.plan.group import StoredGroups
from docgen.plan.planner import Plan
from docgen.render.worker import FORMATS
from docgen.stage_times import StageTime
from docgen.store.file_index import FileIndex

if TYPE_CHECKING:
    from docgen.rules.engine import RawAccounting


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
    cluster_output: str = (
        "returned"  # or "shared": workers write into run_dir (docgen.render.cluster)
    )
    batch_pages: int = DEFAULT_VOLUME_PAGES  # a print batch above this many pages is split
    # The letters' print file for printing on both sides: each letter padded to even pages.
    duplex_letters: bool = False
    # Plans the documents instead of plan_people (docgen.petition.petition: one person's petition).
    planner: Callable[[Pack, Admitted, StoredGroups, date], Plan] | None = None
    # Options outside the input that change the documents (a petition's signer, hearing): part of
    # the run id and the resume key, so a rerun with other options never reuses older files.
    settings_key: str = ""
    # --strict: a row of another court ([accepts]) stops the run before any file is written.
    strict: bool = False
    # `generate --rules`: the raw file's accounting (docgen.rules.engine.RawAccounting); the
    # report counts the raw file's rows and names raw row numbers (determinations' source_row).
    raw: RawAccounting | None = None


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
    # Every file written, on disk (docgen.store.file_index): `len`, iteration (sorted by path) and
    # `.get(path)`; deleted when the result is.
    files: FileIndex = field(default_factory=FileIndex)
    seconds: float = 0.0
    title_rows: list[int] = field(default_factory=list)  # one-cell rows above the header (a title)
    rows_context: int = 0  # gogen rows without a determination: the rest of the record
    rows_automatic: int = 0  # automatic_expungement: the State Police expunge; no document
    review: list[dict[str, str]] = field(default_factory=list)  # needs_review rows, for the office
    # arresting agency -> cases affected, for agencies without an address in the pack's
    # [agency_directory]: problems to fix before filing (docgen.plan.agency_directory)
    agencies_not_in_directory: dict[str, int] = field(default_factory=dict)
    # the cases with documents (a bulk run: Exhibit A's convictions) by year and by division,
    # counted in planning's one pass (docgen.plan.case_counts): the report's two tables
    case_counts: CaseCounts = field(default_factory=CaseCounts)
    documents_reused: int = 0  # documents a resumed run found complete on disk (not rendered)
    # How long each stage took (READING, then STAGES that ran), for the CLI's summary and the
    # service's job: never in the run's files, which are the same bytes on every rerun.
    stage_times: tuple[StageTime, ...] = ()

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
