"""The judge's signing batch in volumes: what goes in it (BatchDocument), the page layout the
pack's signing layout gives (Geometry), and how the orders are split into volumes of at most
`batch_pages` pages. Shared by docgen.judge.signing (the PDF), docgen.judge.signing_docx (the
Word batch), docgen.judge.batch_map and docgen.judge.page_codes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass

from docgen.errors import PackError
from docgen.judge.batches import plan_volumes, volume_relpath
from docgen.packs import Pack

Box = tuple[float, float, float, float]  # inches from the page's top-left: x, y, width, height


BATCH_PDF = "batches/orders-for-judge.pdf"
BATCH_DOCX = "batches/orders-for-judge.docx"
BATCH_TITLE = "Proposed orders for signature"


@dataclass(frozen=True, slots=True)
class BatchDocument:
    """One order in the batch (what the run still knows of it once its view model is gone)."""

    key: str  # the case number of a per-case order; the title of a bulk order
    name: str  # the person's name (printed in the index only); "" for a bulk order
    relpath: str  # the order's path in the run folder, without extension
    kind: str  # "order" or "bulk-order"
    pages: int
    rows: tuple[int, ...]
    # The page the judge signs (1-based): the order's last, or the last before the exhibit it
    # carries (a bulk order with Exhibit A attached, `[bulk] order_exhibit`).
    signature_page: int = 0

    @property
    def signed_before_its_last_page(self) -> bool:
        """A bulk order carrying Exhibit A: signed before the exhibit, not on its last page."""
        return 0 < self.signature_page < self.pages


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where the code goes on every page and the judge's marks on an order's last page."""

    code: Box
    marker: Box
    signature: Box | None = None
    date: Box | None = None
    denied: Box | None = None


def load_geometry(pack: Pack, kind: str = "order") -> Geometry:
    """The layout's signing.toml: code position, and the judge's areas for this kind of order."""
    path = pack.find_template("signing.toml")
    if path is None:
        raise PackError(
            f"pack {pack.name}: no signing.toml in {pack.template_dirs[0]} or its layout"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        page = data["page"]
        areas = data.get(kind, {})
        return Geometry(
            code=tuple(page["code"]),
            marker=tuple(page["marker"]),
            signature=tuple(areas["signature"]) if "signature" in areas else None,
            date=tuple(areas["date"]) if "date" in areas else None,
            denied=tuple(areas["denied"]) if "denied" in areas else None,
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise PackError(f"{path}: cannot be read as a signing layout: {exc}") from None


# ---------------------------------------------------------------- volumes


@dataclass(frozen=True, slots=True)
class Volume:
    """One file of the batch: all of it, or one volume when it is split (docgen.judge.batches)."""

    number: int  # 1, 2, ... when split; 0 when the batch is one file
    count: int  # how many volumes; 0 when the batch is one file
    first_no: int  # the index number of its first order: numbers run on across volumes
    documents: Sequence[BatchDocument]

    def relpath(self, relpath: str) -> str:
        return volume_relpath(relpath, max(self.number, 1), max(self.count, 1))

    @property
    def title(self) -> str:
        return (
            f"{BATCH_TITLE}, volume {self.number} of {self.count}" if self.number else BATCH_TITLE
        )

    @property
    def heading(self) -> str:
        """The index's line naming the volume ("" when the batch is one file)."""
        if not self.number:
            return ""
        first, last = self.documents[0].key, self.documents[-1].key
        return f"Volume {self.number} of {self.count}, cases {first} to {last}"


# A DOCX-only run has no page counts; an order is counted as this many pages to split it.
ESTIMATED_ORDER_PAGES = 2


def plan_batch_volumes(documents: Sequence[BatchDocument], max_pages: int) -> list[Volume]:
    """The batch's volumes: the letters' rule (batches.plan_volumes) on the orders' pages."""
    counts = [d.pages or ESTIMATED_ORDER_PAGES for d in documents]
    spans = plan_volumes(counts, max_pages)
    if len(spans) == 1:
        return [Volume(0, 0, 1, documents)]
    return [
        Volume(number, len(spans), span.start + 1, documents[span.start : span.stop])
        for number, span in enumerate(spans, 1)
    ]


# ---------------------------------------------------------------- the index


def page_range(first: int, pages: int) -> str:
    return str(first) if pages == 1 else f"{first}–{first + pages - 1}"
