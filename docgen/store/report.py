"""The run report for the office, in HTML and PDF: counts, the accounting sum, rejects, files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from docgen.packs import Pack
from docgen.plan.case_counts import CONVICTION, CaseCounts
from docgen.plural import counted
from docgen.render.pdf import html_to_pdf
from docgen.run_options import RunOptions, RunResult
from docgen.store.file_index import FileEntry
from docgen.store.output import write_atomic

TEMPLATES = Path(__file__).parent / "report_templates"
PDF_LIST_ROWS = 300  # rows of each list (review, no address, rejects) in report.pdf


def _env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined
    )
    env.globals["counted"] = counted
    return env


BAR_PX = 200  # the longest bar of a table by year or by division


def _bars(rows: list[tuple[Any, int]], total: int) -> list[dict[str, Any]]:
    """Each row's label, count and share of `total`, and its bar: the table's largest row gets
    BAR_PX, the rest in proportion, so twenty years of 3-8 % each still read as a chart."""
    largest = max((count for _, count in rows), default=1) or 1
    return [
        {
            "label": str(label),
            "count": count,
            "percent": round(100 * count / max(total, 1), 1),
            "bar_px": round(BAR_PX * count / largest, 1),
        }
        for label, count in rows
    ]


def case_tables(counts: CaseCounts) -> dict[str, Any]:
    """The report's "by year" and "by division" tables: what is counted, and the rows."""
    total = counts.total
    return {
        "noun": "conviction" if counts.unit == CONVICTION else "case",
        "exhibit": counts.unit == CONVICTION,
        "total": total,
        "by_year": _bars(list(counts.years()), total),
        "by_division": _bars(list(counts.divisions()), total),
        "without_division": counts.without_division,
    }


def report_context(result: RunResult, pack: Pack, options: RunOptions) -> dict[str, Any]:
    # Counted by the index (docgen.store.file_index), not by reading every entry.
    by_kind = {
        f"{t.kind} ({t.format.upper()})": {"files": t.files, "bytes": t.bytes, "pages": t.pages}
        for t in result.files.totals_by_kind()
    }
    total = max(result.input_rows, 1)
    accounting = [
        ("In documents", result.rows_in_documents),
        ("Not eligible", result.rows_not_eligible),
        ("Needs review", result.rows_needs_review),
        ("Rejected", result.rows_rejected),
    ]
    if result.rows_automatic:
        accounting.append(
            ("Automatic expungement (State Police, no motion)", result.rows_automatic)
        )
    if result.rows_context:
        accounting.append(("Context rows (record, no determination)", result.rows_context))
    return {
        "title": f"docgen run report: {result.run_id}",
        "result": result,
        "pack_title": pack.config.pack.title,
        "date": options.run_date.isoformat(),
        "accounting": [
            {"label": label, "count": count, "percent": round(100 * count / total, 1)}
            for label, count in accounting
        ],
        "sum_holds": result.accounted,
        "counts": case_tables(result.case_counts),
        "by_kind": sorted(by_kind.items()),
        "batches": result.files.with_kind_suffix("-batch"),
    }


def write_report(result: RunResult, pack: Pack, options: RunOptions) -> list[FileEntry]:
    context = report_context(result, pack, options)
    template = _env().get_template("report.html")
    html_bytes = template.render(context, list_limit=None, pdf=False).encode()
    # The PDF lists the first rows of each long list (the HTML has them all): a WeasyPrint table
    # of thousands of rows costs time and memory that grow faster than the rows.
    pdf_bytes = html_to_pdf(
        template.render(context, list_limit=PDF_LIST_ROWS, pdf=True),
        base_dir=TEMPLATES,
        title=context["title"],
        lang="en",
        run_date=options.run_date,
    )
    entries = []
    for name, data in (("report.html", html_bytes), ("report.pdf", pdf_bytes)):
        write_atomic(result.run_dir / name, data)
        entries.append(
            FileEntry(
                path=name,
                kind="report",
                format=name.rsplit(".", 1)[1],
                sha256=hashlib.sha256(data).hexdigest(),
                bytes=len(data),
                pages=None,
                rows=[],
            )
        )
    return entries
