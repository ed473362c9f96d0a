"""Time and peak memory of a California bulk motion with an N-row Exhibit A.

    .venv/bin/python bench/ca_exhibit.py --rows 50000 [--pack ca-los-angeles] [--out /tmp/x]
        [--with-order]            # also the bulk order carrying the same Exhibit A
        [--rows-json rows.json]   # also write the exhibit's rows, e.g. for Typst (bench.py)

Rows come from `docgen synth` (fictional people); every eligible row gets dismiss_seal or reduce
(alternating), and only the bulk motion is rendered (no letters), which is the part that must
scale. Prints rows, pages, seconds (from the view model to the finished volumes), peak RSS of
the whole process (the synthetic rows included) and the peak before rendering started.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docgen.demo.synth import synth_rows
from docgen.packs import load_pack
from docgen.plan import bulk
from docgen.plan.group import group_charges
from docgen.plan.validate import validate_table
from docgen.render import bulk as bulk_render
from docgen.render.pdf import PdfRenderer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--pack", default="ca-los-angeles")
    parser.add_argument("--out", type=Path, default=Path("/tmp/docgen-bench"))
    parser.add_argument("--rows-json", type=Path, help="write the exhibit rows here (JSON)")
    parser.add_argument(
        "--with-order", action="store_true", help="also the bulk order with its exhibit"
    )
    args = parser.parse_args()
    run_date = date(2026, 12, 1)

    from docgen.model import ChargeRow

    charges: list[ChargeRow] = []
    seed = 1
    while len(charges) < args.rows:
        from docgen.readers import SourceTable

        rows = synth_rows(max(args.rows // 2, 10), seed)
        seed += 1
        from docgen.model import SourceRow

        source = [
            SourceRow("synth", i + 2, {k: str(v) for k, v in r.items()}) for i, r in enumerate(rows)
        ]
        table = SourceTable(file="synth", columns=list(source[0].cells), rows=iter(source))
        for c in validate_table(table, as_of=run_date).charges:
            if c.determination == "vacate_expunge":
                det = "dismiss_seal" if len(charges) % 3 else "reduce"
                charges.append(
                    c.model_copy(
                        update={
                            "determination": det,
                            "row": len(charges) + 2,
                            "person_id": f"{seed}-{c.person_id}",
                            "case_number": f"{seed}-{c.case_number}",
                        }
                    )
                )
            if len(charges) >= args.rows:
                break
    pack = load_pack(args.pack)
    people = group_charges(charges, "synth").people
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    specs = bulk.bulk_specs(pack, people, run_date)
    renderer = PdfRenderer(pack, run_date)
    args.out.mkdir(parents=True, exist_ok=True)
    volumes = bulk_render.render_bulk_motion_pdf(renderer, specs[0])
    if args.with_order:  # the bulk order carrying the same exhibit ([bulk] order_exhibit)
        order = next(s for s in specs if s.kind == "bulk-order")
        volumes += bulk_render.render_bulk_motion_pdf(renderer, order)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for vol in volumes:
        (args.out / f"{Path(vol.relpath).name}.pdf").write_bytes(vol.data)
    if args.rows_json:
        exhibit = specs[0].context["exhibit"]
        rows = [list(r[:7]) for r in specs[0].context["exhibit_rows"]]
        args.rows_json.write_text(json.dumps({"headers": exhibit["headers"], "rows": rows}))
    pages = sum(v.pages for v in volumes)
    print(
        f"rows={len(charges)} volumes={len(volumes)} pages={pages} "
        f"bytes={sum(len(v.data) for v in volumes):,} seconds={seconds:.1f} peak_rss_mb={peak_mb:.0f} "
        f"peak_before_render_mb={before_mb:.0f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
