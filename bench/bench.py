"""Benchmark: per-document PDF and DOCX speed, parallel speed-up, the California exhibit, memory.

    .venv/bin/python bench/bench.py --quick                 # about a minute
    .venv/bin/python bench/bench.py --cases 1000            # fuller: a few minutes more
    .venv/bin/python bench/bench.py --cases 1000 --rss-cases 5000,50000 --exhibit-rows 50000

One run on synthetic cases (docgen.demo.synth, fixed seed) prints a table and writes it as JSON
(--json, default bench-results.json):

- PDF, the same documents three ways: (a) naive: one WeasyPrint pass per document with nothing
  reused (new FontConfiguration, stylesheets parsed again: `HTML().write_pdf()` per document),
  in this process; (b) the production path (pipeline.render_all: cached fonts and stylesheets,
  files written atomically, page counts from the layout) with 1 worker; (c) the same with all
  cores. ms/document, documents/s, and the ratios b/a and c/a (speed-ups over naive).
- --cluster: (c)'s documents again through Dask (`generate --cluster`) on a LocalCluster of this
  machine's cores: Dask's own cost per document against the local pool's, the figure to scale
  when an office adds machines.
- DOCX: naive docxtpl (a fresh DocxTemplate per document) against the fast path
  (render_docx._FastTemplate: each template parsed once); outputs are byte-identical (tested).
- The California bulk motion with an N-row Exhibit A, by bench/ca_exhibit.py in a subprocess:
  seconds and peak RSS (and the peak before rendering: the synthetic rows themselves).
- Peak RSS of whole `docgen generate` runs at two sizes (DOCX only unless --rss-formats says
  otherwise: PDF at 50,000 cases takes hours on 2 cores), each in its own subprocess, measured
  with getrusage(RUSAGE_CHILDREN) in a wrapper process: the largest single process (the main
  process or one worker), not their sum.
- Typst (the `typst` PyPI package) on letters and on the exhibit's very rows (same columns,
  Letter landscape, 12 pt, repeated header), when importable (`pip install typst`, or
  --typst-path DIR with a `pip install --target DIR typst`); reported as unavailable otherwise.
  The letters are only similar to ours (same words, simpler layout): an order of magnitude.
- With --rss-formats pdf,docx, those runs are full runs (PDF, DOCX, batches, report): the one at
  50,000 cases is the full-run target MEASURED (over an hour on 2 cores).
- A full PDF+DOCX run at 50,000 cases, EXTRAPOLATED (labelled so in the table and the JSON): the
  PDFs of 50,000 cases at (c)'s marginal ms/document plus the DOCX-only run at the largest
  --rss-cases size scaled linearly.
Every section records the load average when it started.

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
sys.path.insert(0, str(ROOT / "bench"))  # profile_render, when imported as bench.bench

from profile_render import engine_caches_ab, profile_renders, table_lines  # noqa: E402  (beside this script)

from docgen.demo.synth import synth_rows, write_csv  # noqa: E402
from docgen.packs import load_pack  # noqa: E402
from docgen.pipeline import RunOptions, render_all, validate_input  # noqa: E402
from docgen.plan.planner import plan_documents  # noqa: E402
from docgen.plan.viewmodel import DocumentSpec  # noqa: E402
from docgen.render.docx import DocxRenderer, render_docxtpl_uncached  # noqa: E402
from docgen.render.pdf import PdfRenderer  # noqa: E402
from docgen.render.pool import PARALLEL_THRESHOLD  # noqa: E402

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


def _cpu_ms(cpu_start: float, documents: int) -> float:
    return round(1000 * (time.process_time() - cpu_start) / max(documents, 1), 2)


def _time_each(render: Callable[[DocumentSpec], Any], specs: list[DocumentSpec]) -> dict:
    per_kind: dict[str, list[float]] = {}
    start, cpu_start = time.perf_counter(), time.process_time()
    for spec in specs:
        t0 = time.perf_counter()
        render(spec)
        per_kind.setdefault(spec.kind, []).append(1000 * (time.perf_counter() - t0))
    result = _rate(time.perf_counter() - start, len(specs))
    # CPU time of this process: less sensitive than wall time to other processes on the machine.
    result["cpu_ms_per_document"] = _cpu_ms(cpu_start, len(specs))
    result["ms_by_kind"] = {k: round(statistics.mean(v), 1) for k, v in sorted(per_kind.items())}
    return result


def _pdf_options(tmp: Path, workers: int | None = None, cluster: str | None = None) -> RunOptions:
    """Options for render_all of PDFs only (the input path is not read: specs are given)."""
    return RunOptions(
        input_path=tmp / "unused.csv",
        pack_name=PACK,
        run_date=RUN_DATE,
        out_dir=tmp,
        formats=("pdf",),
        workers=workers,
        cluster=cluster,
    )


def bench_pdf(specs: list[DocumentSpec], tmp: Path, workers: int) -> dict[str, Any]:
    pack = load_pack(PACK)
    renderer = PdfRenderer(pack, RUN_DATE)
    renderer.render(specs[0])  # warm: fontconfig cache, imports
    out: dict[str, Any] = {"load": _load()}
    naive = _time_each(lambda s: renderer.render_with_pages(s, cached=False), specs)
    out["a_naive_one_pass_per_document"] = naive
    for label, n in (("b_production_1_worker", 1), ("c_production_all_cores", workers)):
        options = _pdf_options(tmp, workers=n)
        run_dir = tmp / f"pdf-{label}"
        run_dir.mkdir()
        start, cpu_start = time.perf_counter(), time.process_time()
        entries = render_all(list(specs), run_dir, options)
        out[label] = _rate(time.perf_counter() - start, len(entries))
        if n == 1:  # rendered in this process, so its CPU time is the rendering's
            out[label]["cpu_ms_per_document"] = _cpu_ms(cpu_start, len(entries))
        out[label]["workers"] = n
        shutil.rmtree(run_dir)
    # Starting the worker processes (forkserver, imports, fonts) costs a few seconds whatever the
    # number of documents: time a run of PARALLEL_THRESHOLD documents too and report the
    # marginal cost per document beyond it (what a long run pays per document).
    few = specs[:PARALLEL_THRESHOLD]
    if len(specs) > 2 * len(few):
        run_dir = tmp / "pdf-startup"
        run_dir.mkdir()
        options = _pdf_options(tmp, workers=workers)
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
    out["ratio_b_over_a_cpu"] = round(
        naive["cpu_ms_per_document"] / out["b_production_1_worker"]["cpu_ms_per_document"], 2
    )
    return out


def bench_cluster(specs: list[DocumentSpec], tmp: Path, workers: int) -> dict[str, Any]:
    """The production path through Dask (`--cluster`) on a LocalCluster of this machine's cores.

    Same documents and cores as (c): what remains is Dask's own cost per document (scheduling,
    returning the files' bytes to the client), the figure that scales a cluster of N machines.
    """
    try:
        import distributed
    except ImportError:
        return {"unavailable": "dask[distributed] is not installed"}
    out: dict[str, Any] = {"load": _load(), "workers": workers}
    with distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        for label, sample in (("startup_run", specs[:PARALLEL_THRESHOLD]), ("run", specs)):
            run_dir = tmp / f"pdf-cluster-{label}"
            run_dir.mkdir()
            options = _pdf_options(tmp, cluster=local.scheduler_address)
            start = time.perf_counter()
            entries = render_all(list(sample), run_dir, options)
            out[label] = _rate(time.perf_counter() - start, len(entries))
            shutil.rmtree(run_dir)
    run, few = out["run"], out["startup_run"]
    extra = run["documents"] - few["documents"]
    if extra > 0 and run["seconds"] > few["seconds"]:
        out["marginal_ms_per_document"] = round(1000 * (run["seconds"] - few["seconds"]) / extra, 2)
    return out


def bench_docx(specs: list[DocumentSpec]) -> dict[str, Any]:
    pack = load_pack(PACK)
    load = _load()
    fast = DocxRenderer(pack, RUN_DATE)
    fast.render(specs[0])
    render_docxtpl_uncached(pack, RUN_DATE, specs[0])
    naive = _time_each(lambda s: render_docxtpl_uncached(pack, RUN_DATE, s), specs)
    cached_plain = _time_each(fast.render_plain, specs)
    fast_path = _time_each(fast.render, specs)
    return {
        "load": load,
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
    return {
        "workers": workers,
        "cases_with_documents": result.cases,
        "seconds": round(seconds, 1),
        "files": files,
        "load": _load(),
    }


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
    argv = [sys.executable, str(script), "--rows", str(rows), "--out", str(out)]
    argv += ["--rows-json", str(tmp / "exhibit-rows.json")]  # the same rows for Typst
    report: dict[str, Any] = {"rows_requested": rows, "load": _load()}
    result = _measured_subprocess(argv, timeout)
    report["wall_seconds"] = result["seconds"]
    match = re.search(
        r"rows=(\d+).*pages=(\d+).*seconds=([\d.]+) peak_rss_mb=(\d+)"
        r"(?: peak_before_render_mb=(\d+))?",
        result["stdout"],
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
    if match[5]:  # the synthetic rows and their grouping, before anything is rendered
        report["peak_rss_before_render_mb"] = int(match[5])
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
        load = _load()
        result = _measured_subprocess(argv, timeout)
        entry = {"cases": cases, "rc": result["rc"], "seconds": result["seconds"], "load": load}
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


PLAN_ONLY = (
    "import sys; sys.path.insert(0, sys.argv[1]); from datetime import date; "
    "from pathlib import Path; from docgen.packs import load_pack; "
    "from docgen.pipeline import RunOptions, validate_input; from docgen.plan.planner import plan_documents; "
    "o = RunOptions(Path(sys.argv[2]), sys.argv[3], date.fromisoformat(sys.argv[4]), Path('.')); "
    "plan = plan_documents(load_pack(o.pack_name), validate_input(o), o.run_date); "
    "print('specs=%d' % sum(1 for _ in plan.specs))"
)


def bench_plan_rss(sizes: list[int], tmp: Path, timeout: float) -> dict[str, Any]:
    """Peak RSS of read -> validate -> group -> plan -> every view model (no rendering, no
    batches, no report), each size in its own process: what holding the input costs."""
    report: dict[str, Any] = {"covers": "read, validate, group, plan, build every view model"}
    report["runs"] = []
    for cases in sizes:
        csv = tmp / f"plan-{cases}.csv"
        write_csv(synth_rows(cases, seed=42), csv)
        load = _load()
        argv = [sys.executable, "-c", PLAN_ONLY, str(ROOT), str(csv), PACK, RUN_DATE.isoformat()]
        result = _measured_subprocess(argv, timeout)
        report["runs"].append(
            {
                "cases": cases,
                "rc": result["rc"],
                "seconds": result["seconds"],
                "peak_rss_mb": result["peak_rss_mb"],
                "load": load,
            }
        )
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

# The exhibit as a user would write it in Typst: the same rows and columns as docgen's exhibit,
# Letter landscape, 0.75 in margins, 12 pt, the header repeated, "Page X of Y" on every page.
TYPST_EXHIBIT = r"""
#let d = json(bytes(sys.inputs.data))
#set page(paper: "us-letter", flipped: true, margin: 0.75in, header: context [
  *EXHIBIT A* #h(1fr) *Page #counter(page).display() of #counter(page).final().first()*
], footer: context [
  #set text(10pt)
  #align(center)[Motion for Relief (Exhibit A)]
])
#set text(font: "Liberation Serif", size: 12pt)
#table(
  columns: (0.65in, 1.45in, 2.7in, 1.0in, 1.3in, 1.1in, 1.3in),
  stroke: (x: none, y: 0.5pt),
  table.header(..d.headers.map(h => [*#h*])),
  ..d.rows.flatten(),
)
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
    # The exhibit: the very rows bench/ca_exhibit.py laid out (written by bench_exhibit), else
    # rows of the same shape.
    exhibit_src = tmp / "exhibit.typ"
    exhibit_src.write_text(TYPST_EXHIBIT, encoding="utf-8")
    same_rows = tmp / "exhibit-rows.json"
    if same_rows.is_file():
        (tmp / "exhibit.json").write_bytes(same_rows.read_bytes())
        exhibit_rows = len(json.loads(same_rows.read_text(encoding="utf-8"))["rows"])
    else:
        rows = [
            [
                str(i + 1),
                f"BA{100000 + i}",
                f"PERSON{i // 2:05d}, ALEX",
                f"01/{1 + i % 28:02d}/19{60 + i % 30}",
                "11357(A) HS" if i % 2 else "11359 HS",
                "01/15/1995",
                "Dismiss and seal" if i % 3 else "Reduce",
            ]
            for i in range(exhibit_rows)
        ]
        headers = ["No.", "Case Number", "Name", "Date of Birth", "Code Section"]
        headers += ["Disposition Date", "Relief"]
        data = json.dumps({"headers": headers, "rows": rows})
        (tmp / "exhibit.json").write_text(data, encoding="utf-8")
    report["exhibit_load"] = _load()
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
    report["exhibit"] = {
        "rows": exhibit_rows,
        "same_rows_as_docgen": same_rows.is_file(),
        "peak_rss_mb": result["peak_rss_mb"],
    }
    match = re.search(r"seconds=([\d.]+)", result["stdout"])
    if match:
        report["exhibit"]["seconds"] = float(match[1])
    else:
        report["exhibit"]["error"] = result["stderr"][-500:]
    return report


# ---------------------------------------------------------------- derived figures


def _compare_exhibit_with_typst(report: dict[str, Any]) -> None:
    ex = report.get("exhibit") or {}
    ty = (report.get("typst") or {}).get("exhibit") or {}
    if "render_seconds" not in ex or "seconds" not in ty:
        return
    report["exhibit_vs_typst"] = {
        "rows": ex["rows"],
        "same_rows": ty.get("same_rows_as_docgen", False),
        "docgen_seconds": ex["render_seconds"],
        "typst_seconds": ty["seconds"],
        "typst_over_docgen_time": round(ty["seconds"] / max(ex["render_seconds"], 0.01), 2),
        "docgen_peak_rss_mb": ex["peak_rss_mb"],
        "typst_peak_rss_mb": ty["peak_rss_mb"],
    }


def _extrapolate_full_run(report: dict[str, Any], cases: int) -> None:
    """A full PDF+DOCX run at `cases`, estimated (not measured: on 2 cores it takes over an hour).

    = the measured DOCX-only `generate` run at the largest --rss-cases size, scaled linearly to
    `cases` (read, validate, plan, DOCX, batches, report), + the PDF documents of `cases` at (c)'s
    marginal ms/document. Per-case PDFs dominate; the PDF batches' joins are not in it.
    """
    pdf = report.get("pdf") or {}
    c = pdf.get("c_production_all_cores") or {}
    ms = c.get("marginal_ms_per_document") or c.get("ms_per_document")
    rss = report.get("rss") or {}
    runs = [r for r in rss.get("runs", []) if r.get("rc") == 0]
    if {"pdf", "docx"} <= {f.strip() for f in rss.get("formats", "").split(",")}:
        # --rss-formats pdf,docx: the runs ARE full runs (batches and report included), so the
        # one at `cases` is the measurement itself, and none is a DOCX-only run to scale.
        for run in runs:
            if run["cases"] == cases:
                report["full_run_measured"] = {
                    "cases": cases,
                    "seconds": run["seconds"],
                    "minutes": round(run["seconds"] / 60, 1),
                    "peak_rss_mb": run["peak_rss_mb"],
                    "load_before": run.get("load"),
                }
        runs = []
    if not ms or not report.get("cases"):
        return
    docs_per_case = report["documents_planned"] / report["cases"]
    pdf_seconds = cases * docs_per_case * ms / 1000
    estimate: dict[str, Any] = {
        "cases": cases,
        "measured": False,
        "pdf_documents": round(cases * docs_per_case),
        "pdf_ms_per_document_used": ms,
        "pdf_seconds": round(pdf_seconds),
    }
    if runs:
        largest = runs[-1]
        rest = largest["seconds"] * cases / largest["cases"]
        estimate["docx_only_run_seconds_scaled"] = round(rest)
        estimate["from_docx_only_run_at_cases"] = largest["cases"]
        estimate["total_seconds"] = round(pdf_seconds + rest)
        estimate["total_minutes"] = round((pdf_seconds + rest) / 60, 1)
    whole = report.get("whole_run_all_cores")
    if whole and report.get("cases"):
        # The second estimate, from a real run of everything (PDF, DOCX, both batches, report,
        # manifest) at --cases, scaled linearly: it includes what the first leaves out (the
        # judge's batch, the letters' print file), and the pool's start-up (a small overcount).
        scaled = whole["seconds"] * cases / report["cases"]
        estimate["whole_run_scaled_from_cases"] = report["cases"]
        estimate["whole_run_scaled_minutes"] = round(scaled / 60, 1)
    report["full_run_estimate"] = estimate


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
        lines.append(f"PDF (same documents each way; load {pdf.get('load')})")
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
        lines.append(
            f"  CPU ms/doc (this process): a {pdf['a_naive_one_pass_per_document']['cpu_ms_per_document']}"
            f"  b {pdf['b_production_1_worker']['cpu_ms_per_document']}"
            f"  ratio b/a {pdf['ratio_b_over_a_cpu']}x"
        )
    ec = report.get("engine_caches")
    if ec and "unavailable" in ec:
        lines.append(f"PDF layout caches on/off: {ec['unavailable']}")
    elif ec:
        lines.append(
            f"PDF layout caches (--engine-caches, 1 process, {ec['documents_per_round']} new "
            f"documents a round, best of 3; load {ec['load']}): off {ec['ms_per_document_off']}"
            f" / on {ec['ms_per_document_on']} ms/doc, {100 * ec['gain_share']:.1f} % less; "
            f"lines {ec['line_cache']}"
        )
    if report.get("profile"):
        lines.extend(table_lines(report["profile"]))
    cl = report.get("pdf_cluster")
    if cl and "unavailable" in cl:
        lines.append(f"PDF on a local Dask cluster: {cl['unavailable']}")
    elif cl:
        row(f"(c) through Dask, LocalCluster of {cl['workers']} workers", cl["run"])
        c = (pdf or {}).get("c_production_all_cores", {})
        if cl.get("marginal_ms_per_document") and c.get("marginal_ms_per_document"):
            lines.append(
                f"  beyond the first {PARALLEL_THRESHOLD} documents: Dask "
                f"{cl['marginal_ms_per_document']:.1f} ms/doc against the local pool's "
                f"{c['marginal_ms_per_document']:.1f} (load {cl.get('load')})"
            )
    docx = report.get("docx")
    if docx:
        lines.append(f"DOCX (load {docx.get('load')})")
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
                f"peak RSS {ex['peak_rss_mb']} MB (before rendering "
                f"{ex.get('peak_rss_before_render_mb', '?')} MB; load {ex.get('load')})"
            )
    rss = report.get("rss")
    if rss:
        for r in rss["runs"]:
            lines.append(
                f"generate --formats {rss['formats']} {r['cases']:,} cases: {r['seconds']} s, "
                f"peak RSS {r['peak_rss_mb']} MB (rc {r['rc']}; load {r.get('load')})"
            )
        if "rss_ratio_largest_over_smallest" in rss:
            lines.append(
                f"  peak RSS ratio largest/smallest {rss['rss_ratio_largest_over_smallest']}x (target <= 1.3)"
            )
    plan = report.get("rss_read_validate_plan")
    if plan:
        for r in plan["runs"]:
            lines.append(
                f"read..plan only {r['cases']:,} cases: {r['seconds']} s, peak RSS "
                f"{r['peak_rss_mb']} MB (rc {r['rc']}; load {r.get('load')})"
            )
        if "rss_ratio_largest_over_smallest" in plan:
            lines.append(f"  ratio {plan['rss_ratio_largest_over_smallest']}x")
    vs = report.get("exhibit_vs_typst")
    if vs:
        lines.append(
            f"  exhibit {vs['rows']:,} rows (same rows: {vs['same_rows']}): docgen "
            f"{vs['docgen_seconds']} s / {vs['docgen_peak_rss_mb']} MB, Typst {vs['typst_seconds']} s"
            f" / {vs['typst_peak_rss_mb']} MB: Typst takes {vs['typst_over_docgen_time']}x docgen's time"
        )
    measured = report.get("full_run_measured")
    if measured:
        lines.append(
            f"Full run at {measured['cases']:,} cases (PDF+DOCX+batches+report), MEASURED: "
            f"{measured['minutes']} min, peak RSS {measured['peak_rss_mb']} MB (target <= 20 min)"
        )
    est = report.get("full_run_estimate")
    if est and "total_minutes" in est:
        lines.append(
            f"Full run at {est['cases']:,} cases (PDF+DOCX), EXTRAPOLATED not measured: "
            f"{est['total_minutes']} min = {est['pdf_documents']:,} PDFs x "
            f"{est['pdf_ms_per_document_used']} ms + the DOCX-only run at "
            f"{est['from_docx_only_run_at_cases']:,} cases scaled ({est['docx_only_run_seconds_scaled']} s)"
        )
    if est and "whole_run_scaled_minutes" in est:
        lines.append(
            f"Full run at {est['cases']:,} cases, EXTRAPOLATED from the whole run at "
            f"{est['whole_run_scaled_from_cases']:,} cases (everything, batches included): "
            f"{est['whole_run_scaled_minutes']} min (target <= 20)"
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
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="also render (c)'s documents through Dask (--cluster) on a LocalCluster of this machine",
    )
    parser.add_argument("--exhibit-rows", type=int, help="default 50000, quick 2000; 0 skips")
    parser.add_argument(
        "--rss-cases", help="comma-separated sizes (default 5000,50000; quick 300,1000); '' skips"
    )
    parser.add_argument("--rss-formats", default="docx")
    parser.add_argument(
        "--typst-path", help="folder holding the typst package (pip install --target)"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile the per-case PDFs: phases (cProfile) and what each template feature "
        "costs; .pstats files beside --json",
    )
    parser.add_argument(
        "--profile-docs", type=int, help="documents of each kind profiled (default 40, quick 10)"
    )
    parser.add_argument(
        "--engine-caches",
        action="store_true",
        help="also time the production renderer with its layout caches on and off (one process)",
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
        if args.cluster:
            print("PDF on a local Dask cluster ...", file=sys.stderr)
            report["pdf_cluster"] = bench_cluster(pdf_specs, tmp, args.workers)
        if args.engine_caches:
            print("PDF layout caches on and off ...", file=sys.stderr)
            report["engine_caches"] = engine_caches_ab(PdfRenderer(pack, RUN_DATE), pdf_specs)
        if args.profile:
            print("profiling per-case PDFs ...", file=sys.stderr)
            report["profile"] = profile_renders(
                PdfRenderer(pack, RUN_DATE),
                specs,
                args.profile_docs or (10 if quick else 40),
                args.json.resolve().parent,
            )
        print("DOCX ...", file=sys.stderr)
        report["docx"] = bench_docx(_pick(specs, docx_docs))
        if args.whole_run:
            print("whole run ...", file=sys.stderr)
            report["whole_run_all_cores"] = bench_whole_run(csv, tmp, args.workers)
        if exhibit_rows:
            print(f"CA exhibit {exhibit_rows} rows ...", file=sys.stderr)
            report["exhibit"] = bench_exhibit(exhibit_rows, tmp, timeout=3600)
        if rss_sizes:
            print(f"peak RSS of read..plan at {rss_sizes} cases ...", file=sys.stderr)
            report["rss_read_validate_plan"] = bench_plan_rss(rss_sizes, tmp, 3600)
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
    _compare_exhibit_with_typst(report)
    _extrapolate_full_run(report, 50000)
    report["load_after"] = _load()
    report["bench_seconds"] = round(time.perf_counter() - started, 1)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(_table(report))
    print(f"(JSON: {args.json}; {report['bench_seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
