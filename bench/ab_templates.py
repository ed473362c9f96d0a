"""A/B of a template change: the same documents rendered by the production renderer from two
template trees (this checkout's templates/ and another, e.g. `git archive` of an older commit),
in one process. Each document is rendered once from each tree, the order alternating from one
document to the next, and each render is timed in CPU time (time.process_time), so that other
processes on a shared machine and the warming of the caches hit both sides alike. A null pass
(this checkout's tree on both sides, other documents) says how large a difference noise makes.
Ratios across bench.py runs cannot show a template change: its naive loop renders the same
templates and gains as much.

    .venv/bin/python bench/ab_templates.py OLD_TEMPLATES_DIR [--cases 400] [--docs 80]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.demo.synth import synth_rows, write_csv  # noqa: E402
from docgen.packs import load_pack  # noqa: E402
from docgen.pipeline import RunOptions, validate_input  # noqa: E402
from docgen.plan.planner import plan_documents  # noqa: E402
from docgen.plan.viewmodel import DocumentSpec  # noqa: E402
from docgen.render.pdf import PdfRenderer  # noqa: E402

RUN_DATE = date(2026, 12, 1)
KINDS = ("motion", "order", "letter")
Render = Callable[[DocumentSpec], object]


def renderer_from(templates: Path, pack_name: str) -> PdfRenderer:
    os.environ["DOCGEN_PACKS_DIR"] = str(templates)
    try:
        return PdfRenderer(load_pack(pack_name), RUN_DATE)
    finally:
        del os.environ["DOCGEN_PACKS_DIR"]


def paired_ms(old: Render, new: Render, sample: Sequence[DocumentSpec]) -> dict[str, float]:
    """Each document rendered by both, order alternating; CPU ms/document of each side, and the
    mean per-document saving (old - new) with its standard error."""
    old_ms: list[float] = []
    new_ms: list[float] = []
    for i, spec in enumerate(sample):
        sides = ((old, old_ms), (new, new_ms)) if i % 2 else ((new, new_ms), (old, old_ms))
        for render, times in sides:
            start = time.process_time()
            render(spec)
            times.append(1000 * (time.process_time() - start))
    savings = [a - b for a, b in zip(old_ms, new_ms, strict=True)]
    error = statistics.stdev(savings) / len(savings) ** 0.5 if len(savings) > 1 else float("nan")
    return {
        "old": statistics.fmean(old_ms),
        "new": statistics.fmean(new_ms),
        "saving": statistics.fmean(savings),
        "error": error,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("old_templates", type=Path)
    parser.add_argument("--pack", default="il-cook")
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--docs", type=int, default=80, help="documents of each kind")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated, e.g. order")
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
    print(f"load {os.getloadavg()[0]:.2f}; CPU ms/document, saving = old - new (± standard error)")
    for kind in args.kinds.split(","):
        docs = [s for s in specs if s.kind == kind]
        warm, sample, null = docs[:4], docs[4 : 4 + args.docs], docs[4 + args.docs :][: args.docs]
        if not sample:
            continue
        for spec in warm:  # fonts, stylesheets, the first entries of the caches
            new.render_with_pages(spec)
            old.render_with_pages(spec)
        ab = paired_ms(old.render_with_pages, new.render_with_pages, sample)
        line = (
            f"{kind:7} n={len(sample):3}  old {ab['old']:6.1f}  new {ab['new']:6.1f}  "
            f"saving {ab['saving']:5.1f} ± {ab['error']:.1f} ms ({ab['saving'] / ab['old']:.1%})"
        )
        if len(null) > 1:
            control = paired_ms(new.render_with_pages, new.render_with_pages, null)
            line += f"  null (new vs new, n={len(null)}): {control['saving']:+.1f} ± {control['error']:.1f}"
        print(line)
    print(dict(Counter(s.kind for s in specs)))


if __name__ == "__main__":
    main()
