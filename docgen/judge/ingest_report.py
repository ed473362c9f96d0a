"""What reading a signed batch back found (docgen.judge.ingest): each order's outcome, and the report
as JSON (ledger and API) and as the lines `docgen ingest-signed` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class OrderOutcome:
    key: str
    status: str  # signed, denied, or a problem: incomplete, unsigned, no-date
    signed_on: str | None = None
    date_source: str | None = None
    pages: list[int] = field(default_factory=list)  # positions in the signed file
    note: str = ""


@dataclass(slots=True)
class IngestReport:
    run_id: str
    volume: int | None = None  # the volume the signed file is (1 when the batch is one file)
    volumes: int = 1
    pages: int = 0
    read_by_text: int = 0
    read_by_code: int = 0
    index_pages: int = 0
    outcomes: list[OrderOutcome] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # orders with no page in the signed file
    extra: list[str] = field(default_factory=list)  # pages of another run or of no order
    unreadable: list[int] = field(default_factory=list)  # pages with neither text nor code
    reordered: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    def by_status(self, status: str) -> list[OrderOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def ok(self) -> bool:
        """Every page was read and used, and every order found was recorded."""
        return not (
            self.extra
            or self.unreadable
            or self.duplicates
            or any(o.status not in ("signed", "denied") for o in self.outcomes)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "volume": self.volume,
            "volumes": self.volumes,
            "pages": self.pages,
            "read_by_text": self.read_by_text,
            "read_by_code": self.read_by_code,
            "index_pages": self.index_pages,
            "signed": [o.key for o in self.by_status("signed")],
            "denied": [o.key for o in self.by_status("denied")],
            "not_recorded": [
                {"key": o.key, "problem": o.status, "note": o.note, "pages": o.pages}
                for o in self.outcomes
                if o.status not in ("signed", "denied")
            ],
            "dates": {
                o.key: {"signed_on": o.signed_on, "source": o.date_source}
                for o in self.outcomes
                if o.status in ("signed", "denied")
            },
            "missing": self.missing,
            "extra": self.extra,
            "unreadable_pages": self.unreadable,
            "reordered": self.reordered,
            "duplicates": self.duplicates,
            "ok": self.ok,
        }

    def summary_lines(self) -> list[str]:
        volume = ""
        if self.volumes > 1:
            volume = f", volume {self.volume or '?'} of {self.volumes}"
        lines = [
            f"Signed batch for run {self.run_id}{volume}: {self.pages} pages "
            f"({self.read_by_text} read by text, {self.read_by_code} by code, "
            f"{self.index_pages} index pages).",
            f"Recorded: {len(self.by_status('signed'))} signed, "
            f"{len(self.by_status('denied'))} denied.",
        ]
        for outcome in self.outcomes:
            if outcome.status in ("signed", "denied"):
                lines.append(
                    f"  {outcome.status}: {outcome.key} on {outcome.signed_on} "
                    f"(date from {'the page' if outcome.date_source == 'page' else '--signed-on'})"
                    + (f"; {outcome.note}" if outcome.note else "")
                )
        for outcome in self.outcomes:
            if outcome.status not in ("signed", "denied"):
                lines.append(f"  NOT RECORDED ({outcome.status}): {outcome.key}: {outcome.note}")
        if self.missing:
            where = "signed batch" if self.volumes == 1 else "signed volume"
            lines.append(f"Not in the {where} (still generated): {', '.join(self.missing)}")
        for item in self.extra:
            lines.append(f"Extra page: {item}")
        if self.unreadable:
            pages = ", ".join(str(p) for p in self.unreadable)
            lines.append(f"Unreadable pages (no docgen text or code found): {pages}")
        for item in self.reordered:
            lines.append(f"Reordered: {item}")
        for item in self.duplicates:
            lines.append(f"Duplicate: {item}")
        return lines
