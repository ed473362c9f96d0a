"""The run's print batches, written once every document is rendered: the letters' print file
and the judge's signing batch (docgen.judge.signing), each in volumes of at most `batch_pages` pages.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from docgen.judge.batches import (
    BundlePart,
    padded_pages,
    plan_volumes,
    volume_relpath,
    write_bundle,
)
from docgen.judge.signing import write_judge_batches
from docgen.packs import Pack
from docgen.store.file_index import DocumentRef, FileIndex
from docgen.store.manifest import entry_for_file

# (volumes written, volumes in all): called before the first volume and after each.
VolumeProgress = Callable[[int, int], None]


def write_letter_batches(
    run_dir: Path,
    index: FileIndex,
    batch_pages: int,
    on_volume: VolumeProgress | None = None,
    *,
    duplex: bool = False,
) -> None:
    """The letters' print batch, by sort key (ZIP code first), in volumes of at most
    `batch_pages` pages (a join holds all of its pages). Letters are read from the index a
    volume at a time; only their page counts are held all at once. `on_volume(done, total)`:
    before the first volume and after each. `duplex`: for printing on both sides, each letter
    padded to an even number of pages (a blank back), so no sheet holds two people's letters;
    the file says which it is for (its print dialog's default)."""
    relpath, kind = "batches/letters-print.pdf", "letters-batch"
    title = "Letters for mailing, by ZIP code"

    def letters() -> Iterator[DocumentRef]:
        return index.documents(("letter",), by="sort_key")

    counts = [padded_pages(index[f"{s.relpath}.pdf"].pages or 0, duplex) for s in letters()]
    if not counts:
        return
    volumes = plan_volumes(counts, batch_pages)
    if on_volume:
        on_volume(0, len(volumes))
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
            duplex=duplex,
        )
        rows = sorted(r for s in part_specs for r in index[f"{s.relpath}.pdf"].rows)
        pages = sum(counts[span.start : span.stop])
        index.add(entry_for_file(run_dir, volume_path, kind, rows, pages))
        if on_volume:
            on_volume(number, len(volumes))


def write_judge_batch(
    run_dir: Path,
    index: FileIndex,
    pack: Pack,
    run_id: str,
    run_date: date,
    batch_pages: int,
    workers: int,
    on_volume: VolumeProgress | None = None,
) -> None:
    """The judge's signing batch (index, page codes, PDF and DOCX) of the run's orders, split
    like the letters (docgen.judge.signing); its files are added to `index`."""
    judge_orders = (
        (d.kind, d.relpath, d.bookmark)
        for d in index.documents(("order", "bulk-order"), by="relpath")
    )
    for relpath, kind, rows, pages in write_judge_batches(
        run_dir,
        pack,
        run_id,
        run_date,
        list(judge_orders),
        index,  # looked up by path
        batch_pages,
        workers=workers,
        on_volume=on_volume,
    ):
        index.add(entry_for_file(run_dir, relpath, kind, rows, pages))


# The folders of the documents and batches a run writes. Signed orders, signed letters and the
# ledger (docgen judge) live elsewhere and are never removed by a rerun.
RUN_FOLDERS = ("cases", "bulk", "letters", "batches")


def remove_stale_files(run_dir: Path, written: FileIndex) -> None:
    """Delete documents and batches this run did not write: a rerun into the same folder with
    another input, --formats or --batch-pages must not leave an earlier run's files (PDFs of a
    PDF run beside a DOCX-only one, old volumes, cases no longer in the input) that the new
    manifest does not list. A killed run never gets here: its files stay for the resume."""
    for folder in RUN_FOLDERS:
        root = run_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), reverse=True):  # files before their folders
            relpath = path.relative_to(run_dir).as_posix()
            if path.is_file() and not path.name.startswith(".") and relpath not in written:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
