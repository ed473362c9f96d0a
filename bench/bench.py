"""Benchmark: per-document PDF and DOCX speed, parallel speed-up, the California exhibit, memory.

    .venv/bin/python bench/bench.py --quick                 # about a minute
    .venv/bin/python bench/bench.py --cases 1000            # fuller: a few minutes more
    .venv/bin/python bench/bench.py --cases 1000 --rss-cases 5000,50000 --exhibit-rows 50000

One run on synthetic cases (docgen.synth, fixed seed) prints a table and writes it as JSON
(--json, default bench-results.json):

- PDF, the same documents three ways: (a) naive: one WeasyPrint pass per document with nothing
  reused (new FontConfiguration, stylesheets parsed again: `HTML().write_pdf()` per document),
  in this process; (b) the production path (pipeline.render_all: cached fonts and stylesheets,
  files written atomically, page counts from the layout) with 1 worker; (c) the same with all
  cores. ms/document, documents/s, and the ratios b/a and c/a (speed-ups over naive).
- DOCX: naive docxtpl (a fresh DocxTemplate per document) against the fast path
  (render_docx._FastTemplate: each template parsed once); outputs are byte-identical (tested).
- The California bulk motion with an N-row Exhibit A, by bench/ca_exhibit.py in a subprocess:
  seconds and peak RSS.
- Peak RSS of whole `docgen generate` runs at two sizes (DOCX only unless --rss-formats says
  otherwise: PDF at 50,000 cases takes hours on 2 cores), each in its own subprocess, measured
  with getrusage(RUSAGE_CHILDREN) in a wrapper process (includes the worker processes).
- Typst (the `typst` PyPI package) on letters and on the exhibit rows, when importable
  (`pip install typst`, or --typst-path DIR with a `pip install --target DIR typst`);
  reported as unavailable otherwise. Its documents are only similar to ours (same words,
  simpler layout), so read that ratio as an order of magnitude.

Other processes on the machine slow every figure; the load average is recorded with the results.
Compare ratios measured in one run rather than absolute times across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.packs import load_pack  # noqa: E402
from docgen.pipeline import (  # noqa: E402
    PARALLEL_THRESHOLD,
    RunOptions,
    plan_documents,
    render_all,
    validate_input,
)
from docgen.render_docx import DocxRenderer, render_docxtpl_uncached  # noqa: E402
from docgen.render_pdf import PdfRenderer  # noqa: E402
from docgen.synth import synth_rows, write_csv  # noqa: E402
from docgen.viewmodel import DocumentSpec  # noqa: E402

RUN_DATE = date(2026, 12, 1)
PACK = "il-cook"


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _pick(specs: list[DocumentSpec], count: int) -> list[DocumentSpec]:
    """`count` documents in the plan's own order (motion, order per case; letters per person)."""
    kinds = ("motion", "order", "letter")
    return [s for s in specs if s.kind in kinds][:count]


def _rate(seconds: float, documents: int) -> dict[str, float]:
    return {
        "documents": documents,
        "seconds": round(seconds, 2),
        "ms_per_document": round(1000 * seconds / max(documents, 1), 2),
        "documents_per_second": round(documents / seconds, 2) if seconds else 0.0,
    }


def _time_each(render: Callable[[DocumentSpec], Any], specs: list[DocumentSpec]) -> dict:
    per_kind: dict[str, list[float]] = {}
    start = time.perf_counter()
    for spec in specs:
        t0 = time.perf_counter()
        render(spec)
        per_kind.setdefault(spec.kind, []).append(1000 * (time.perf_counter() - t0))
    result = _rate(time.perf_counter() - start, len(specs))
    result["ms_by_kind"] = {k: round(statistics.mean(v), 1) for k, v in sorted(per_kind.items())}
    return result


def bench_pdf(specs: list[DocumentSpec], tmp: Path, workers: int) -> dict[str, Any]:
    pack = load_pack(PACK)
    renderer = PdfRenderer(pack, RUN_DATE)
    renderer.render(specs[0])  # warm: fontconfig cache, imports
    naive = _time_each(lambda s: renderer.render_with_pages(s, cached=False), specs)
    out: dict[str, Any] = {"a_naive_one_pass_per_document": naive}
    for label, n in (("b_production_1_worker", 1), ("c_production_all_cores", workers)):
        options = RunOptions(
            input_path=tmp / "unused.csv",
            pack_name=PACK,
            run_date=RUN_DATE,
            out_dir=tmp,
            formats=("pdf",),
            workers=n,
        )
        run_dir = tmp / f"pdf-{label}"
        run_dir.mkdir()
        start = time.perf_counter()
        entries = render_all(list(specs), run_dir, options)
        out[label] = _rate(time.perf_counter() - start, len(entries))
        out[label]["workers"] = n
        shutil.rmtree(run_dir)
    # Starting the worker processes (forkserver, imports, fonts) costs a few seconds whatever the
    # number of documents: time a run of PARALLEL_THRESHOLD documents too and report the
    # marginal cost per document beyond it (what a long run pays per document).
    few = specs[:PARALLEL_THRESHOLD]
    if len(specs) > 2 * len(few):
        run_dir = tmp / "pdf-startup"
        run_dir.mkdir()
        options = RunOptions(
            input_path=tmp / "unused.csv",
            pack_name=PACK,
            run_date=RUN_DATE,
            out_dir=tmp,
            formats=("pdf",),
            workers=workers,
        )
        start = time.perf_counter()
        render_all(list(few), run_dir, options)
        few_seconds = time.perf_counter() - start
        shutil.rmtree(run_dir)
        c = out["c_production_all_cores"]
        marginal = (c["seconds"] - few_seconds) / (len(specs) - len(few))
        c["startup_run_seconds"] = round(few_seconds, 2)
        c["marginal_ms_per_document"] = round(1000 * marginal, 2) if marginal > 0 else None
    a = naive["ms_per_document"]
    out["ratio_b_over_a"] = round(a / out["b_production_1_worker"]["ms_per_document"], 2)
    out["ratio_c_over_a"] = round(a / out["c_production_all_cores"]["ms_per_document"], 2)
    return out


def bench_docx(specs: list[DocumentSpec]) -> dict[str, Any]:
    pack = load_pack(PACK)
    fast = DocxRenderer(pack, RUN_DATE)
    fast.render(specs[0])
    render_docxtpl_uncached(pack, RUN_DATE, specs[0])
    naive = _time_each(lambda s: render_docxtpl_uncached(pack, RUN_DATE, s), specs)
    cached_plain = _time_each(fast.render_plain, specs)
    fast_path = _time_each(fast.render, specs)
    return {
        "naive_docxtpl": naive,
        "docxtpl_with_cached_jinja": cached_plain,
        "fast_path": fast_path,
        "ratio_fast_over_naive": round(naive["ms_per_document"] / fast_path["ms_per_document"], 2),
    }


def bench_whole_run(csv: Path, tmp: Path, workers: int) -> dict[str, Any]:
    from docgen.pipeline import run

    options = RunOptions(
        input_path=csv, pack_name=PACK, run_date=RUN_DATE, out_dir=tmp / "run", workers=workers
    )
    start = time.perf_counter()
    result = run(options)
    seconds = time.perf_counter() - start
    files = len(result.files)
    shutil.rmtree(tmp / "run")
    return {"workers": workers, "seconds": round(seconds, 1), "files": files}


def _measured_subprocess(argv: list[str], timeout: float) -> dict[str, Any]:
    """Run argv in a wrapper that reports the peak RSS of it and all its descendants."""
    wrapper = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "s = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'rc': p.returncode, 'seconds': round(s, 1),"
        " 'peak_rss_mb': round(rss), 'stdout': p.stdout[-2000:], 'stderr': p.stderr[-2000:]}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_exhibit(rows: int, tmp: Path, timeout: float) -> dict[str, Any]:
    script = ROOT / "bench" / "ca_exhibit.py"
    if not script.is_file():
        return {"unavailable": "bench/ca_exhibit.py is missing"}
    out = tmp / "exhibit"
    result = _measured_subprocess(
        [sys.executable, str(script), "--rows", str(rows), "--out", str(out)], timeout
    )
    report: dict[str, Any] = {"rows_requested": rows, "wall_seconds": result["seconds"]}
    match = re.search(
        r"rows=(\d+).*pages=(\d+).*seconds=([\d.]+) peak_rss_mb=(\d+)", result["stdout"]
    )
    if result["rc"] != 0 or not match:
        report["error"] = (result["stderr"] or result["stdout"])[-500:]
        return report
    report.update(
        rows=int(match[1]),
        pages=int(match[2]),
        render_seconds=float(match[3]),
        peak_rss_mb=int(match[4]),
    )
    shutil.rmtree(out, ignore_errors=True)
    return report


def bench_rss(sizes: list[int], formats: str, workers: int, tmp: Path, timeout: float) -> dict:
    report: dict[str, Any] = {"formats": formats, "workers": workers, "runs": []}
    for cases in sizes:
        csv = tmp / f"rss-{cases}.csv"
        write_csv(synth_rows(cases, seed=42), csv)
        out = tmp / f"rss-out-{cases}"
        argv = [sys.executable, "-m", "docgen", "generate", str(csv), "--pack", PACK]
        argv += ["--date", RUN_DATE.isoformat(), "--out", str(out), "--formats", formats]
        argv += ["--workers", str(workers)]
        result = _measured_subprocess(argv, timeout)
        entry = {"cases": cases, "rc": result["rc"], "seconds": result["seconds"]}
        entry["peak_rss_mb"] = result["peak_rss_mb"]
        if result["rc"] not in (0,):
            entry["error"] = result["stderr"][-500:]
        report["runs"].append(entry)
        shutil.rmtree(out, ignore_errors=True)
        csv.unlink()
    ok = [r for r in report["runs"] if r["rc"] == 0]
    if len(ok) >= 2:
        report["rss_ratio_largest_over_smallest"] = round(
            ok[-1]["peak_rss_mb"] / ok[0]["peak_rss_mb"], 2
        )
    return report


# ---------------------------------------------------------------- Typst (optional)

TYPST_LETTER = r"""
#let d = json(bytes(sys.inputs.data))
#set page(paper: "us-letter", margin: 1in, footer: context [
  #set text(10pt)
  #d.footer #h(1fr) #d.page_words.at(0) #counter(page).display() #d.page_words.at(1) #counter(page).final().first()
])
#set text(font: "Liberation Serif", size: 12pt, lang: d.lang)
#for line in d.letterhead [#line \ ]
#v(12pt)
#for line in d.recipient [#line \ ]
#v(12pt)
#d.date_long
#v(12pt)
*#d.subject*

#d.greeting

#d.main_point

#d.cases_intro

#table(columns: d.headers.len(), ..d.headers.map(h => [*#h*]), ..d.rows.flatten())

#for section in d.sections [
  *#section.at(0)*

  #for p in section.at(1) [#p \ ]
]
"""

TYPST_EXHIBIT = r"""
#let d = json(bytes(sys.inputs.data))
#set page(paper: "us-letter", margin: 0.75in, footer: context [
  #set text(9pt)
  Exhibit A #h(1fr) Page #counter(page).display() of #counter(page).final().first()
])
#set text(font: "Liberation Serif", size: 9pt)
#table(columns: d.headers.len(), ..d.headers.map(h => [*#h*]), ..d.rows.flatten())
"""


def _import_typst(path: str | None) -> Any:
    if path:
        sys.path.insert(0, path)
    try:
        import typst  # type: ignore[import-not-found]
    except ImportError:
        return None
    return typst


def _letter_data(spec: DocumentSpec) -> dict[str, Any]:
    d = spec.context
    words = {"es": ["Página", "de"]}.get(spec.lang, ["Page", "of"])
    cases = d["cases"]
    return {
        "lang": spec.lang,
        "footer": d["letterhead"]["name"],
        "page_words": words,
        "letterhead": [d["letterhead"]["name"], *d["letterhead"]["address_lines"]],
        "recipient": list(d["recipient"]),
        "date_long": d["date_long"],
        "subject": d["subject"],
        "greeting": d["greeting"],
        "main_point": d["main_point"],
        "cases_intro": d["cases_intro"],
        "headers": [str(h) for h in cases["headers"]],
        "rows": [[str(c) for c in row] for row in cases["rows"]],
        "sections": [
            [d["meaning_title"], list(d["meaning"])],
            [d["check_title"], [d["check"]]],
            [d["contact_title"], [d["contact"], d["closing"], *d["signature"]]],
        ],
    }


def bench_typst(
    typst: Any, letters: list[DocumentSpec], exhibit_rows: int, tmp: Path
) -> dict[str, Any]:
    from docgen.packs import FONTS_DIR

    report: dict[str, Any] = {"version": getattr(typst, "__version__", "?")}
    letter_src = tmp / "letter.typ"
    letter_src.write_text(TYPST_LETTER, encoding="utf-8")
    fonts = [str(FONTS_DIR)]

    def compile_letter(spec: DocumentSpec) -> bytes:
        data = json.dumps(_letter_data(spec))
        return typst.compile(str(letter_src), font_paths=fonts, sys_inputs={"data": data})

    compile_letter(letters[0])
    report["letters"] = _time_each(compile_letter, letters)
    pack = load_pack(PACK)
    ours = _time_each(PdfRenderer(pack, RUN_DATE).render, letters)
    report["letters_weasyprint_production"] = ours
    report["letters_ratio_weasyprint_over_typst"] = round(
        ours["ms_per_document"] / report["letters"]["ms_per_document"], 2
    )
    # The exhibit: the same synthetic rows shape as bench/ca_exhibit.py (name, DOB, case, code).
    rows = [
        [
            f"PERSON{i // 2:05d}, ALEX",
            f"19{60 + i % 30}-01-{1 + i % 28:02d}",
            f"BA{100000 + i}",
            "11357(A) HS" if i % 2 else "11359 HS",
            "Dismiss and seal" if i % 3 else "Reduce",
        ]
        for i in range(exhibit_rows)
    ]
    exhibit_src = tmp / "exhibit.typ"
    exhibit_src.write_text(TYPST_EXHIBIT, encoding="utf-8")
    data = json.dumps(
        {"headers": ["Name", "Date of birth", "Case", "Code", "Relief"], "rows": rows}
    )
    (tmp / "exhibit.json").write_text(data, encoding="utf-8")
    result = _measured_subprocess(
        [
            sys.executable,
            "-c",
            "import sys, json, time; sys.path.insert(0, sys.argv[1]); import typst; "
            "data = open(sys.argv[3]).read(); t = time.perf_counter(); "
            "pdf = typst.compile(sys.argv[2], font_paths=[sys.argv[4]], sys_inputs={'data': data}); "
            "print('seconds=%.1f bytes=%d' % (time.perf_counter() - t, len(pdf)))",
            str(Path(typst.__file__).parent.parent),
            str(exhibit_src),
            str(tmp / "exhibit.json"),
            str(FONTS_DIR),
        ],
        timeout=1800,
    )
    report["exhibit"] = {"rows": exhibit_rows, "peak_rss_mb": result["peak_rss_mb"]}
    match = re.search(r"seconds=([\d.]+)", result["stdout"])
    if match:
        report["exhibit"]["seconds"] = float(match[1])
    else:
        report["exhibit"]["error"] = result["stderr"][-500:]
    return report


# ---------------------------------------------------------------- table


def _table(report: dict[str, Any]) -> str:
    lines = [
        f"docgen bench  {report['started']}  load average before/after: "
        f"{report['load_before']} / {report['load_after']}  cpus: {report['cpus']}"
    ]

    def row(label: str, r: dict[str, Any] | None, extra: str = "") -> None:
        if not r:
            return
        lines.append(
            f"  {label:<44} {r['ms_per_document']:>8.1f} ms/doc {r['documents_per_second']:>8.1f} doc/s"
            f"  n={r['documents']} {extra}"
        )

    pdf = report.get("pdf")
    if pdf:
        lines.append("PDF (same documents each way)")
        row(
            "(a) naive, one pass per document",
            pdf["a_naive_one_pass_per_document"],
            str(pdf["a_naive_one_pass_per_document"]["ms_by_kind"]),
        )
        row("(b) production path, 1 worker", pdf["b_production_1_worker"])
        row(
            f"(c) production path, {pdf['c_production_all_cores']['workers']} workers",
            pdf["c_production_all_cores"],
        )
        c = pdf["c_production_all_cores"]
        if c.get("marginal_ms_per_document"):
            m = c["marginal_ms_per_document"]
            lines.append(
                f"  (c) beyond the first {PARALLEL_THRESHOLD} documents (worker start-up excluded):"
                f" {m:.1f} ms/doc, {1000 / m:.1f} doc/s, {pdf['a_naive_one_pass_per_document']['ms_per_document'] / m:.2f}x naive"
            )
        lines.append(
            f"  ratio b/a {pdf['ratio_b_over_a']}x   c/a {pdf['ratio_c_over_a']}x  (target c/a >= 5)"
        )
    docx = report.get("docx")
    if docx:
        lines.append("DOCX")
        row("naive docxtpl", docx["naive_docxtpl"])
        row("docxtpl + cached Jinja (plain path)", docx["docxtpl_with_cached_jinja"])
        row("fast path", docx["fast_path"])
        lines.append(f"  ratio fast/naive {docx['ratio_fast_over_naive']}x  (target >= 5)")
    for key in ("whole_run_all_cores",):
        if report.get(key):
            r = report[key]
            lines.append(
                f"Whole run ({report['cases']} cases, PDF+DOCX+batches+report), "
                f"{r['workers']} workers: {r['seconds']} s, {r['files']} files"
            )
    ex = report.get("exhibit")
    if ex:
        if "error" in ex or "unavailable" in ex:
            lines.append(f"CA exhibit: {ex.get('unavailable') or ex.get('error')}")
        else:
            lines.append(
                f"CA exhibit {ex['rows']:,} rows: {ex['render_seconds']} s, {ex['pages']} pages, "
                f"peak RSS {ex['peak_rss_mb']} MB"
            )
    rss = report.get("rss")
    if rss:
        for r in rss["runs"]:
            lines.append(
                f"generate --formats {rss['formats']} {r['cases']:,} cases: {r['seconds']} s, "
                f"peak RSS {r['peak_rss_mb']} MB (rc {r['rc']})"
            )
        if "rss_ratio_largest_over_smallest" in rss:
            lines.append(
                f"  peak RSS ratio largest/smallest {rss['rss_ratio_largest_over_smallest']}x (target <= 1.3)"
            )
    ty = report.get("typst")
    if ty:
        if "unavailable" in ty or "error" in ty:
            lines.append(f"Typst: {ty.get('unavailable') or ty.get('error')}")
        else:
            row(f"Typst {ty['version']} letters", ty["letters"])
            row("WeasyPrint production letters", ty["letters_weasyprint_production"])
            lines.append(
                f"  letters: WeasyPrint/Typst time ratio {ty['letters_ratio_weasyprint_over_typst']}x"
            )
            e = ty["exhibit"]
            lines.append(
                f"Typst exhibit {e['rows']:,} rows as a table: {e.get('seconds', e.get('error'))} s, "
                f"peak RSS {e['peak_rss_mb']} MB"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="about a minute: small samples")
    parser.add_argument("--cases", type=int, help="synthetic cases (default 1000, quick 40)")
    parser.add_argument(
        "--docs", type=int, help="PDF documents timed each way (default 600, quick 60)"
    )
    parser.add_argument(
        "--docx-docs", type=int, help="DOCX documents timed (default 600, quick 150)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--whole-run", action="store_true", help="also time `run` on all cases")
    parser.add_argument("--exhibit-rows", type=int, help="default 50000, quick 2000; 0 skips")
    parser.add_argument(
        "--rss-cases", help="comma-separated sizes (default 5000,50000; quick 300,1000); '' skips"
    )
    parser.add_argument("--rss-formats", default="docx")
    parser.add_argument(
        "--typst-path", help="folder holding the typst package (pip install --target)"
    )
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"))
    args = parser.parse_args()
    quick = args.quick
    cases = args.cases or (40 if quick else 1000)
    docs = args.docs or (60 if quick else 600)
    docx_docs = args.docx_docs or (150 if quick else 600)
    exhibit_rows = (
        args.exhibit_rows if args.exhibit_rows is not None else (2000 if quick else 50000)
    )
    rss_arg = (
        args.rss_cases if args.rss_cases is not None else ("300,1000" if quick else "5000,50000")
    )
    rss_sizes = [int(x) for x in rss_arg.split(",") if x.strip()]

    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "mode": "quick" if quick else "full",
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_before": _load(),
        "cases": cases,
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        csv = tmp / "bench.csv"
        write_csv(synth_rows(cases, seed=42), csv)
        options = RunOptions(input_path=csv, pack_name=PACK, run_date=RUN_DATE, out_dir=tmp)
        pack = load_pack(PACK)
        t0 = time.perf_counter()
        plan = plan_documents(pack, validate_input(options), RUN_DATE)
        specs = list(plan.specs)
        report["read_validate_plan_seconds"] = round(time.perf_counter() - t0, 2)
        report["documents_planned"] = len(specs)
        pdf_specs = _pick(specs, docs)
        report["pdf_sample"] = dict(Counter(s.kind for s in pdf_specs))
        print(f"PDF: {len(pdf_specs)} documents each way ...", file=sys.stderr)
        report["pdf"] = bench_pdf(pdf_specs, tmp, args.workers)
        print("DOCX ...", file=sys.stderr)
        report["docx"] = bench_docx(_pick(specs, docx_docs))
        if args.whole_run:
            print("whole run ...", file=sys.stderr)
            report["whole_run_all_cores"] = bench_whole_run(csv, tmp, args.workers)
        if exhibit_rows:
            print(f"CA exhibit {exhibit_rows} rows ...", file=sys.stderr)
            report["exhibit"] = bench_exhibit(exhibit_rows, tmp, timeout=3600)
        if rss_sizes:
            print(f"peak RSS at {rss_sizes} cases ...", file=sys.stderr)
            report["rss"] = bench_rss(rss_sizes, args.rss_formats, args.workers, tmp, 7200)
        typst = _import_typst(args.typst_path)
        if typst is None:
            report["typst"] = {
                "unavailable": "the typst package is not importable here "
                "(pip install typst, or --typst-path)"
            }
        else:
            print("Typst ...", file=sys.stderr)
            letters = [s for s in specs if s.kind == "letter"][: (20 if quick else 100)]
            try:
                report["typst"] = bench_typst(typst, letters, exhibit_rows or 5000, tmp)
            except Exception as exc:  # an optional comparison never fails the run
                report["typst"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    report["load_after"] = _load()
    report["bench_seconds"] = round(time.perf_counter() - started, 1)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(_table(report))
    print(f"(JSON: {args.json}; {report['bench_seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
