"""Benchmark: ms per document for PDF and DOCX, and a whole run, on synthetic cases.

    .venv/bin/python bench/bench.py --cases 1000

Numbers are reported with a baseline measured in the same run (one worker, in-process), so a
busy or slow machine shifts both alike; compare the ratios, not absolute times across machines.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from docgen.packs import load_pack
from docgen.pipeline import RunOptions, plan_documents, run, validate_input
from docgen.render_docx import DocxRenderer
from docgen.render_pdf import PdfRenderer
from docgen.synth import synth_rows, write_csv

RUN_DATE = date(2026, 12, 1)


def time_renderer(renderer, specs) -> dict[str, float]:
    per_kind: dict[str, list[float]] = {}
    for spec in specs:
        start = time.perf_counter()
        renderer.render(spec)
        per_kind.setdefault(spec.kind, []).append((time.perf_counter() - start) * 1000)
    everything = [ms for values in per_kind.values() for ms in values]
    result = {f"{kind}_ms": round(statistics.mean(v), 1) for kind, v in sorted(per_kind.items())}
    result["mean_ms"] = round(statistics.mean(everything), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=150, help="documents timed one by one")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        input_csv = tmp_path / "bench.csv"
        write_csv(synth_rows(args.cases, seed=42), input_csv)
        options = RunOptions(
            input_path=input_csv, pack_name="il-cook", run_date=RUN_DATE, out_dir=tmp_path / "out"
        )
        start = time.perf_counter()
        validation = validate_input(options)
        pack = load_pack("il-cook")
        plan = plan_documents(pack, validation, RUN_DATE)
        prepare_s = time.perf_counter() - start
        sample = plan.specs[: args.sample]

        pdf = time_renderer(PdfRenderer(pack, RUN_DATE), sample)
        docx = time_renderer(DocxRenderer(pack, RUN_DATE), sample)

        results = {}
        for workers in (1, args.workers):
            options.workers = workers
            options.run_id = f"w{workers}"
            start = time.perf_counter()
            result = run(options)
            seconds = time.perf_counter() - start
            documents = len(plan.specs)
            results[f"run_workers_{workers}"] = {
                "seconds": round(seconds, 1),
                "ms_per_document_pdf_and_docx": round(1000 * seconds / documents, 1),
                "documents": documents,
                "files": len(result.files),
            }
        one = results["run_workers_1"]["seconds"]
        many = results[f"run_workers_{args.workers}"]["seconds"]
        report = {
            "cases": args.cases,
            "input_rows": validation.input_rows,
            "documents": len(plan.specs),
            "read_validate_plan_seconds": round(prepare_s, 2),
            "pdf_per_document_single": pdf,
            "docx_per_document_single": docx,
            **results,
            "speedup_workers_vs_one": round(one / many, 2),
            "max_rss_mb_parent": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "max_rss_mb_children": round(
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            ),
        }
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
