"""A/B of a template change: the same documents rendered by the production renderer from two
template trees (this checkout's templates/ and another, e.g. `git archive` of an older commit),
in one process, timed in turn (best of 3 rounds: profile_render's timing), so that load on a
shared machine hits both alike. Ratios across bench.py runs cannot show a template change: its
naive loop renders the same templates and gains as much.

    .venv/bin/python bench/ab_templates.py OLD_TEMPLATES_DIR [--cases 40] [--docs 24]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from profile_render import _ms_per_document_each  # noqa: E402

from docgen.demo.synth import synth_rows, write_csv  # noqa: E402
from docgen.packs import load_pack  # noqa: E402
from docgen.pipeline import RunOptions, validate_input  # noqa: E402
from docgen.plan.planner import plan_documents  # noqa: E402
from docgen.render.pdf import PdfRenderer  # noqa: E402

RUN_DATE = date(2026, 12, 1)
KINDS = ("motion", "order", "letter")


def renderer_from(templates: Path, pack_name: str) -> PdfRenderer:
    os.environ["DOCGEN_PACKS_DIR"] = str(templates)
    try:
        return PdfRenderer(load_pack(pack_name), RUN_DATE)
    finally:
        del os.environ["DOCGEN_PACKS_DIR"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("old_templates", type=Path)
    parser.add_argument("--pack", default="il-cook")
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--docs", type=int, default=24, help="documents of each kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docgen-ab-") as tmp:
        csv = Path(tmp) / "cases.csv"
        write_csv(synth_rows(args.cases, seed=42), csv)
        options = RunOptions(
            input_path=csv, pack_name=args.pack, run_date=RUN_DATE, out_dir=Path(tmp)
        )
        pack = load_pack(args.pack)
        specs = list(plan_documents(pack, validate_input(options), RUN_DATE).specs)
    new = PdfRenderer(pack, RUN_DATE)
    old = renderer_from(args.old_templates.resolve(), args.pack)
    print(f"load {os.getloadavg()[0]:.2f}")
    for kind in KINDS:
        sample = [s for s in specs if s.kind == kind][: args.docs]
        if not sample:
            continue
        for spec in sample[:2]:  # warm both: fonts, stylesheets
            new.render_with_pages(spec)
            old.render_with_pages(spec)
        timed = _ms_per_document_each(
            {
                "old": lambda i, s=sample: old.render_with_pages(s[i]),
                "new": lambda i, s=sample: new.render_with_pages(s[i]),
            },
            len(sample),
        )
        saving = timed["old"] - timed["new"]
        print(
            f"{kind:7} n={len(sample):3}  old {timed['old']:6.1f} ms/doc  new {timed['new']:6.1f} "
            f"ms/doc  saving {saving:5.1f} ms ({saving / timed['old']:.1%})"
        )
    print(dict(Counter(s.kind for s in specs)))


if __name__ == "__main__":
    main()
