"""Taking the judge's signed batch back: `docgen ingest-signed signed.pdf --run out/<run-id>`.

read -> identify each page -> group by order -> check each order -> split and record.

- A signed file is the whole batch or one volume of it: the volume its index pages name (else
  most of its pages). Its orders are checked; pages of another volume are reported, orders of
  other volumes are not "missing". Volumes ingested one after another add up in the one ledger.
- Each page is identified by the line of text docgen printed in its top margin (the text layer)
  or, when the page has no text layer (a scan), by the QR code beside it, read from an image of
  the page. A page whose text and code disagree, that belongs to another run or to no order of
  this batch, or that carries neither is reported and never guessed at.
- An order is complete when each of its pages is there exactly once. Pages out of their order
  are reported and put back in order (their codes say where they go); an order missing a page
  is reported and not recorded.
- On the page the judge signs (the last of a complete order, or the last before the exhibit a
  bulk order carries; its signature block is at a fixed place, signing.toml):
  ink in the signature area means signed; the word DENIED (in capitals) in the page's text that
  the generated order does not have, or a mark in the order's "Denied" box, means denied.
  The signing date is the date written in the order's date field when the text layer has one
  (MM/DD/YYYY, YYYY-MM-DD or "December 3, 2026"), else the --signed-on date.
- Each signed or denied order is written to signed/<case>.pdf and its status goes into the run's
  ledger (docgen.judge.ledger). Orders not in the signed batch stay "generated".

Logs carry page numbers and counts only; the report names case numbers, never people.

Reading pages (text, QR codes) and the marks on them is docgen.judge.ingest_pages; this module is
the run's side: volumes, checking each order, signed/ and the ledger.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import logging
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium

from docgen.errors import DocgenError
from docgen.judge import ledger as ledger_mod
from docgen.judge.batch_map import map_volumes, read_batch_map
from docgen.judge.batches import save_pdf_atomic
from docgen.judge.ingest_clean import clean_page, code_band_in
from docgen.judge.ingest_pages import (
    MARK_DPI,
    PageRead,
    ink_share,
    new_marks,
    page_text,
    parse_date,
    read_page,
    text_in,
)
from docgen.judge.ingest_report import IngestReport, OrderOutcome
from docgen.judge.page_codes import PageCode
from docgen.plan.viewmodel import safe_stem

log = logging.getLogger("docgen.ingest")

SIGNED_DIR = "signed"
SIGNATURE_INK = 0.004  # share of the signature area that must be ink to count as signed
DENIED_INK = 0.08  # share of the inside of the "Denied" box that must be ink to count as marked
DENIED_WORD = re.compile(r"\bDENIED\b")  # capitals only: the order's own text says "denied"


class IngestError(DocgenError):
    """The signed batch or the run cannot be used at all."""


# ---------------------------------------------------------------- the run's side


def _load_run(run_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    manifest_path = run_dir / "manifest.json"
    if not manifest_path.is_file():
        raise IngestError(
            f"{run_dir}: no manifest.json",
            hint="--run must be a finished run folder (out/<run-id>)",
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    batch_map = read_batch_map(run_dir)
    if batch_map is None:
        raise IngestError(
            f"{run_dir}: no signing batch map (batches/orders-for-judge.json)",
            hint="The run made no orders in PDF, or was made by an older docgen: generate it again.",
        )
    if batch_map["run_id"] != manifest["run_id"]:
        raise IngestError(f"{run_dir}: the batch map belongs to another run")
    return manifest, batch_map


def ingest_signed(signed_pdf: Path, run_dir: Path, signed_on: date | None = None) -> IngestReport:
    """Read a signed batch (or one volume of it) back into the run: split per order, record
    statuses in the run's one ledger (volumes ingested one after another add up there)."""
    manifest, batch_map = _load_run(run_dir)
    run_id = manifest["run_id"]
    volumes = {v["number"]: v for v in map_volumes(batch_map)}
    all_documents = {d["key"]: d for d in batch_map["documents"]}
    geometry = batch_map["geometry"]
    code_band = code_band_in([geometry["code"], geometry["marker"]])
    report = IngestReport(run_id, volumes=len(volumes))
    try:
        batch_bytes = signed_pdf.read_bytes()
        pdf = pdfium.PdfDocument(batch_bytes)
    except (OSError, pdfium.PdfiumError) as exc:
        raise IngestError(f"{signed_pdf}: cannot be read as a PDF: {exc}") from None
    batch_sha256 = hashlib.sha256(batch_bytes).hexdigest()
    try:
        report.pages = len(pdf)
        reads = [read_page(pdf[index], index + 1) for index in range(len(pdf))]
        number = _which_volume(reads, run_id, len(volumes))
        report.volume = number
        documents = {
            k: d
            for k, d in all_documents.items()
            if number is not None and d.get("volume", 1) == number
        }
        found: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        sequence: list[tuple[str, int]] = []  # (key, page i) in the signed file's order
        for read in reads:
            if read.code is None:
                report.unreadable.append(read.position)
                continue
            code = read.code
            if read.method == "text":
                report.read_by_text += 1
            else:
                report.read_by_code += 1
            if code.run_id != run_id:
                report.extra.append(f"page {read.position} belongs to another run")
                continue
            page_volume = _code_volume(code, len(volumes))
            if page_volume is None:
                report.extra.append(
                    f"page {read.position} is not a page of any volume of this run's batch"
                )
                continue
            if page_volume != number:
                report.extra.append(
                    f"page {read.position} belongs to volume {page_volume} of this run, not to "
                    f"volume {number}: ingest it with its own volume"
                )
                continue
            if not code.key:
                report.index_pages += 1
                continue
            document = documents.get(code.key)
            if document is None or code.pages != document["pages"] or code.page > code.pages:
                report.extra.append(f"page {read.position} is not a page of any order of this run")
                continue
            found[code.key][code.page].append(read.position)
            sequence.append((code.key, code.page))
        log.info(
            "signed batch: %d pages, %d by text, %d by code, %d unreadable",
            report.pages,
            report.read_by_text,
            report.read_by_code,
            len(report.unreadable),
        )
        _report_order(report, sequence, batch_map)
        ledger = ledger_mod.load_ledger(run_dir, run_id, batch_map)
        generated_pdf = volumes[number]["pdf"] if number is not None else volumes[1]["pdf"]
        generated = pdfium.PdfDocument(str(run_dir / generated_pdf))
        with pikepdf.open(io.BytesIO(batch_bytes)) as source, contextlib.closing(generated):
            for key in sorted(found, key=lambda k: documents[k]["first_page"]):
                outcome = _check_order(
                    key, found[key], documents[key], geometry, pdf, generated, signed_on
                )
                report.outcomes.append(outcome)
                if outcome.status not in ("signed", "denied"):
                    continue
                relpath = f"{SIGNED_DIR}/{safe_stem(key)}.pdf"
                signed_sha = _write_signed(source, outcome.pages, run_dir / relpath, code_band)
                entry = ledger.entries[key]
                entry.status = outcome.status
                entry.signed_on = outcome.signed_on
                entry.date_source = outcome.date_source
                entry.signed_file = relpath
                entry.signed_sha256 = signed_sha
                entry.batch_sha256 = batch_sha256
        report.missing = [k for k in documents if k not in found]
        ledger_mod.save_ledger(run_dir, ledger)
        ledger_mod.update_manifest(
            run_dir,
            (f"{SIGNED_DIR}/", ledger_mod.LEDGER),
            [
                ledger_mod.file_entry(run_dir, e.signed_file, "signed-order", e.rows)
                for e in sorted(ledger.entries.values(), key=lambda e: e.key)
                if e.signed_file
            ]
            + [ledger_mod.file_entry(run_dir, ledger_mod.LEDGER, "ledger", [])],
        )
    finally:
        pdf.close()
    log.info(
        "ingested: %d signed, %d denied, %d not recorded, %d missing",
        len(report.by_status("signed")),
        len(report.by_status("denied")),
        sum(1 for o in report.outcomes if o.status not in ("signed", "denied")),
        len(report.missing),
    )
    return report


def _code_volume(code: PageCode, volumes: int) -> int | None:
    """The volume a page's code names (1 for a batch in one file); None when it cannot be one
    of this batch's (a volume's page against an unsplit batch, or the other way)."""
    if volumes == 1:
        return 1 if code.volume == 0 else None
    if code.volume == 0 or code.volumes != volumes or code.volume > volumes:
        return None
    return code.volume


def _which_volume(reads: list[PageRead], run_id: str, volumes: int) -> int | None:
    """The volume the signed file is: the one its index pages name, else the one most of its
    pages name. Pages of other volumes are then reported, never taken for this one's."""
    if volumes == 1:
        return 1
    index_votes: Counter[int] = Counter()
    page_votes: Counter[int] = Counter()
    for read in reads:
        if read.code is None or read.code.run_id != run_id:
            continue
        number = _code_volume(read.code, volumes)
        if number is not None:
            (page_votes if read.code.key else index_votes)[number] += 1
    votes = index_votes if len(index_votes) == 1 else page_votes
    if not votes:
        return None
    ranked = votes.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        raise IngestError(
            f"the signed file holds as many pages of volume {ranked[0][0]} as of volume "
            f"{ranked[1][0]}: it cannot be told which volume it is",
            hint="Ingest each signed volume as its own file.",
        )
    return ranked[0][0]


def _report_order(
    report: IngestReport, sequence: list[tuple[str, int]], batch_map: dict[str, Any]
) -> None:
    """Pages and orders not in the batch's order: reported (the codes put them back)."""
    rank = {d["key"]: i for i, d in enumerate(batch_map["documents"])}
    seen: dict[tuple[str, int], int] = {}
    for key, page in sequence:
        seen[(key, page)] = seen.get((key, page), 0) + 1
    for (key, page), times in seen.items():
        if times > 1:
            report.duplicates.append(f"{key}, order page {page}, {times} times")
    order_keys = [(rank[key], page) for key, page in sequence]
    for before, after in itertools.pairwise(order_keys):
        if after < before:
            key_before = batch_map["documents"][before[0]]["key"]
            key_after = batch_map["documents"][after[0]]["key"]
            report.reordered.append(
                f"{key_after} page {after[1]} comes after {key_before} page {before[1]}"
            )


def _check_order(
    key: str,
    pages_found: dict[int, list[int]],
    document: dict[str, Any],
    geometry: dict[str, Any],
    pdf: pdfium.PdfDocument,
    generated: pdfium.PdfDocument,
    signed_on: date | None,
) -> OrderOutcome:
    expected = range(1, document["pages"] + 1)
    missing_pages = [p for p in expected if p not in pages_found]
    if missing_pages:
        return OrderOutcome(
            key,
            "incomplete",
            note="order page(s) " + ", ".join(map(str, missing_pages)) + " not in the signed batch",
            pages=sorted(p for ps in pages_found.values() for p in ps),
        )
    if any(len(positions) > 1 for positions in pages_found.values()):
        return OrderOutcome(key, "duplicate", note="a page is in the signed batch twice")
    positions = [pages_found[p][0] for p in expected]
    originals = [generated[document["first_page"] - 1 + i] for i in range(document["pages"])]
    # The page the judge signs: the last of the order, or the last before an attached exhibit.
    signed_page = int(document.get("signature_page") or document["pages"])
    last = pdf[positions[signed_page - 1] - 1]
    denied_words = sum(len(DENIED_WORD.findall(page_text(pdf[p - 1]))) for p in positions) - sum(
        len(DENIED_WORD.findall(page_text(page))) for page in originals
    )
    image = last.render(scale=MARK_DPI / 72, grayscale=True).to_pil().convert("L")
    denied_box = geometry.get("denied")
    denied = denied_words > 0 or (
        denied_box is not None and ink_share(last, tuple(denied_box), image) > DENIED_INK
    )
    # Without a known signature area (a layout whose signing.toml has none for this kind of
    # order) the judge's signature would itself count as a new mark: not checked then.
    if not denied and geometry.get("signature"):
        judge_areas = [
            tuple(geometry[a]) for a in ("signature", "date", "denied") if geometry.get(a)
        ]
        for number, (position, original) in enumerate(zip(positions, originals, strict=True), 1):
            areas = judge_areas if number == signed_page else []
            if new_marks(pdf[position - 1], original, areas):
                return OrderOutcome(
                    key,
                    "unclear",
                    note=f"marks on order page {number} (page {position} of the signed file) "
                    "outside the signature line, date field and Denied box, maybe DENIED written "
                    "on it: look at the page; to deny, mark the Denied box; then ingest again",
                    pages=positions,
                )
    signature = geometry.get("signature")
    signed = signature is None or ink_share(last, tuple(signature), image) > SIGNATURE_INK
    if not signed and not denied:
        return OrderOutcome(
            key, "unsigned", note="no signature on the signature line", pages=positions
        )
    page_date = parse_date(text_in(last, tuple(geometry["date"]))) if geometry.get("date") else None
    if page_date is not None:
        when, source = page_date, "page"
    elif signed_on is not None:
        when, source = signed_on, "option"
    else:
        return OrderOutcome(
            key,
            "no-date",
            note="no date in the order's date field; give --signed-on DATE",
            pages=positions,
        )
    note = (
        "" if signature is not None else "signature area not checked (none known for this layout)"
    )
    return OrderOutcome(
        key,
        "denied" if denied else "signed",
        signed_on=when.isoformat(),
        date_source=source,
        pages=positions,
        note=note,
    )


def _write_signed(source: pikepdf.Pdf, positions: list[int], path: Path, band_in: float) -> str:
    """The order's pages for the record: the batch's page codes taken off (docgen.judge.ingest_clean)."""
    out = pikepdf.new()
    try:
        for position in positions:
            out.pages.append(source.pages[position - 1])
            clean_page(out, out.pages[-1], band_in)
        save_pdf_atomic(out, path)
    finally:
        out.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()
