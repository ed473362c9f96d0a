"""Where one per-case PDF's time goes: bench.py --profile.

Two views of the production renderer (render_pdf.PdfRenderer, cached fonts and stylesheets, one
process), for each kind of per-case document:

- phases: cProfile over the documents, each phase's cumulative time as a share of the render,
  and that share of the unprofiled ms/document. cProfile slows Python code more than the C it
  calls (Pango, zlib), so these are estimates, labelled so; the top functions by own time say
  what the layout engine is busy with. The .pstats files are kept for snakeviz or pstats.
- template features: the same documents rendered with one feature taken out of their HTML (the
  caption's ")" column, the charges table, the signature block, the running footers ...), timed
  without the profiler. The difference is what that feature costs per document: the part of the
  time a template decision could buy back, and what a changed layout would have to re-approve.
- the floor: each document's own text, read back from its PDF, laid out as one plain paragraph a
  line (same stylesheets, no caption, table, signature block or footer), with the production
  renderer and naively. No template can print the same words for less, so naive over production
  on that floor is the best ratio over the naive loop that template work could ever reach.
"""

from __future__ import annotations

import contextlib
import cProfile
import os
import pstats
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from markupsafe import escape

from docgen.plan.viewmodel import DocumentSpec
from docgen.render import layout_cache
from docgen.render.pdf import PdfRenderer

# (label, file path ending, function name): cumulative time of the outermost match. Nested
# phases are listed under their parent with "  " (their time is part of the parent's).
PHASES: tuple[tuple[str, str, str], ...] = (
    ("Jinja template (docgen)", "docgen/render/pdf.py", "render_html"),
    ("HTML parse", "tinyhtml5/parser.py", "parse"),
    ("CSS cascade", "weasyprint/css/__init__.py", "get_all_computed_styles"),
    ("box tree", "weasyprint/formatting_structure/build.py", "build_formatting_structure"),
    ("layout", "weasyprint/layout/__init__.py", "layout_document"),
    ("  tables", "weasyprint/layout/table.py", "table_layout"),
    ("  absolutely positioned boxes", "weasyprint/layout/absolute.py", "absolute_layout"),
    ("  page margin boxes (running footers)", "weasyprint/layout/page.py", "make_margin_boxes"),
    ("  line breaking (Pango)", "weasyprint/text/line_break.py", "split_first_line"),
    ("PDF generation", "weasyprint/pdf/__init__.py", "generate_pdf"),
    ("  painting (content streams)", "weasyprint/draw/__init__.py", "draw_page"),
    ("  font subsetting", "weasyprint/pdf/fonts.py", "build_fonts_dictionary"),
    ("  structure tags", "weasyprint/pdf/tags.py", "add_tags"),
    ("PDF serialisation (pydyf)", "pydyf/__init__.py", "write"),
)
TOTAL = ("docgen/render/pdf.py", "render_with_pages")

# (label, [(tag, class)]): elements taken out of the rendered HTML, every occurrence. A feature
# a document does not have is reported as absent, not as free.
FEATURES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ('caption ")" column', (("div", "parens"),)),
    ("caption table (with its ')' column)", (("table", "caption"),)),
    ("court heading and stamp box", (("div", "top"),)),
    ("charges / cases table", (("table", "charges"),)),
    ("signature block (order)", (("div", "signature-space"),)),
    ("closing and certificate of service (motion)", (("div", "signature"), ("div", "service"))),
    ("letterhead and address block (letter)", (("div", "letter-top"),)),
    ("running footer (its named strings)", (("div", "footer-strings"),)),
)


def without_elements(html: str, tag: str, css_class: str) -> tuple[str, int]:
    """`html` without every `<tag class="... css_class ...">` element (its whole subtree), and
    how many were taken out. Nesting of the same tag is counted, so a div holding divs goes
    whole."""
    opening = re.compile(
        rf"<{tag}\b[^>]*\bclass=\"(?:[^\"]*\s)?{re.escape(css_class)}(?:\s[^\"]*)?\""
    )
    either = re.compile(rf"<(/?){tag}\b[^>]*>")
    removed = 0
    while match := opening.search(html):
        depth, end = 0, None
        for tag_match in either.finditer(html, match.start()):
            depth += -1 if tag_match.group(1) else 1
            if depth == 0:
                end = tag_match.end()
                break
        if end is None:  # unbalanced: leave the HTML alone rather than cut it wrong
            break
        html, removed = html[: match.start()] + html[end:], removed + 1
    return html, removed


def _ms_per_document_each(
    passes: dict[str, Callable[[int], Any]], count: int, repeats: int = 3
) -> dict[str, float]:
    """ms/document of each pass over the documents: the best of `repeats` rounds, the passes
    taken in turn within a round, so that a change in load hits them all alike (other
    processes only ever add time)."""
    best = dict.fromkeys(passes, float("inf"))
    for _ in range(repeats):
        for label, render in passes.items():
            start = time.perf_counter()
            for i in range(count):
                render(i)
            best[label] = min(best[label], time.perf_counter() - start)
    return {label: 1000 * seconds / count for label, seconds in best.items()}


def engine_caches_ab(
    renderer: PdfRenderer, specs: Sequence[DocumentSpec], rounds: int = 3
) -> dict[str, Any]:
    """The production renderer with its layout caches (docgen.render.layout_cache) on and off,
    in this process: `specs` cut into rounds + 1 parts, the first to warm the caches, then each
    round renders a part it never rendered before off, then on (as a run meets new documents
    with a warm cache). ms/document: the best round of each."""
    part = len(specs) // (rounds + 1)
    if part == 0:
        return {"unavailable": f"too few documents ({len(specs)}) for {rounds} rounds"}
    layout_cache.clear_caches()
    for spec in specs[:part]:
        renderer.render_with_pages(spec)
    best = {"off": float("inf"), "on": float("inf")}
    for k in range(1, rounds + 1):
        sample = specs[k * part : (k + 1) * part]
        for label in ("off", "on"):
            with layout_cache.switched_off() if label == "off" else contextlib.nullcontext():
                start = time.perf_counter()
                for spec in sample:
                    renderer.render_with_pages(spec)
                best[label] = min(best[label], time.perf_counter() - start)
    stats = layout_cache.cache_stats()
    return {
        "documents_per_round": part,
        "load": [round(x, 2) for x in os.getloadavg()],
        "ms_per_document_off": round(1000 * best["off"] / part, 1),
        "ms_per_document_on": round(1000 * best["on"] / part, 1),
        "gain_share": round(1 - best["on"] / best["off"], 3),
        "line_cache": stats,
    }


def _cumulative(stats: pstats.Stats, path_end: str, function: str) -> float:
    """Cumulative seconds of the outermost function matching (path end, name)."""
    found = [
        row[3]
        for (path, _line, name), row in stats.stats.items()  # type: ignore[attr-defined]
        if name == function and path.replace("\\", "/").endswith(path_end)
    ]
    return max(found, default=0.0)


def _top_functions(stats: pstats.Stats, total: float, count: int) -> list[dict[str, Any]]:
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
    top = []
    for (path, line, name), (_cc, calls, own, _cum, _callers) in rows[:count]:
        where = "/".join(Path(path).parts[-2:]) if path != "~" else "built-in"
        top.append(
            {
                "function": f"{where}:{line}({name})",
                "calls_per_document": None,  # filled by the caller, who knows the count
                "calls": calls,
                "own_share": round(own / total, 3) if total else None,
            }
        )
    return top


def text_only_html(pdf: bytes, lang: str) -> str:
    """The PDF's text as HTML with one plain paragraph a line: the floor of any template."""
    document = pdfium.PdfDocument(pdf)
    try:
        lines = [
            line
            for page in document
            for line in page.get_textpage().get_text_range().splitlines()
            if line.strip()
        ]
    finally:
        document.close()
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return f'<!DOCTYPE html><html lang="{escape(lang)}"><head><title>floor</title></head><body>{body}</body></html>'


def _floor(renderer: PdfRenderer, specs: Sequence[DocumentSpec], ms: float) -> dict[str, Any]:
    """Production and naive ms/document on the documents' text alone (text_only_html)."""
    pages = [text_only_html(renderer.render_with_pages(spec)[0], spec.lang) for spec in specs]
    timed = _ms_per_document_each(
        {
            "production": lambda i: renderer.pdf_from_html(specs[i], pages[i]),
            "naive": lambda i: renderer.pdf_from_html(specs[i], pages[i], cached=False),
            "naive, as templated": lambda i: renderer.render_with_pages(specs[i], cached=False),
        },
        len(specs),
    )
    return {
        "lines_per_document": round(sum(p.count("<p>") for p in pages) / len(pages)),
        "text_only_ms": round(timed["production"], 1),
        "text_only_share_of_render": round(timed["production"] / ms, 3),
        "text_only_naive_ms": round(timed["naive"], 1),
        "naive_ms": round(timed["naive, as templated"], 1),
        # The best a template could do: production down to the floor, naive with it.
        "best_ratio_any_template": round(timed["naive"] / timed["production"], 2),
        "ratio_now": round(timed["naive, as templated"] / ms, 2),
    }


def profile_kind(
    renderer: PdfRenderer, specs: Sequence[DocumentSpec], pstats_path: Path | None
) -> dict[str, Any]:
    """Phases (cProfile shares) and template-feature costs for documents of one kind."""
    htmls = [renderer.render_html(spec) for spec in specs]
    for spec in specs[:2]:  # warm: fonts, stylesheets, first-use imports
        renderer.render_with_pages(spec)

    # Each feature's documents without it; a feature none of them has is left out.
    variants: dict[str, list[str]] = {}
    for label, elements in FEATURES:
        pages, removed = [], 0
        for html in htmls:
            for tag, css_class in elements:
                html, n = without_elements(html, tag, css_class)
                removed += n
            pages.append(html)
        if removed:
            variants[label] = pages
    passes: dict[str, Callable[[int], Any]] = {"": lambda i: renderer.render_with_pages(specs[i])}
    for label, pages in variants.items():
        passes[label] = lambda i, pages=pages: renderer.pdf_from_html(specs[i], pages[i])
    timed = _ms_per_document_each(passes, len(specs))
    ms = timed.pop("")
    features = [
        {
            "feature": label,
            "ms_without": round(without, 1),
            "saving_ms": round(ms - without, 1),
            "saving_share": round((ms - without) / ms, 3),
        }
        for label, without in timed.items()
    ]

    floor = _floor(renderer, specs, ms)

    profiler = cProfile.Profile()
    profiler.enable()
    for spec in specs:
        renderer.render_with_pages(spec)
    profiler.disable()
    stats = pstats.Stats(profiler)
    if pstats_path is not None:
        stats.dump_stats(pstats_path)
    total = _cumulative(stats, *TOTAL)
    phases = []
    for label, path_end, function in PHASES:
        seconds = _cumulative(stats, path_end, function)
        share = seconds / total if total else 0.0
        phases.append(
            {"phase": label, "share": round(share, 3), "estimated_ms": round(share * ms, 1)}
        )
    top = _top_functions(stats, total, 12)
    for row in top:
        row["calls_per_document"] = round(row.pop("calls") / len(specs))
    return {
        "documents": len(specs),
        "ms_per_document": round(ms, 1),
        "profiled_ms_per_document": round(1000 * total / len(specs), 1),
        "phases_cprofile_share_of_render": phases,
        "top_functions_by_own_time": top,
        "template_features": features,
        "floor": floor,
    }


def profile_renders(
    renderer: PdfRenderer,
    specs: Sequence[DocumentSpec],
    per_kind: int,
    pstats_dir: Path | None,
) -> dict[str, Any]:
    """profile_kind for each per-case kind (motion, order, letter) found in `specs`."""
    out: dict[str, Any] = {}
    for kind in ("motion", "order", "letter"):
        sample = [s for s in specs if s.kind == kind][:per_kind]
        if not sample:
            continue
        path = pstats_dir / f"profile-{kind}.pstats" if pstats_dir else None
        out[kind] = profile_kind(renderer, sample, path)
        if path:
            out[kind]["pstats_file"] = str(path)
    return out


def table_lines(profile: dict[str, Any]) -> list[str]:
    lines = ["Where a per-case PDF's time goes (one process; phases are cProfile shares)"]
    for kind, r in profile.items():
        lines.append(f"  {kind}: {r['ms_per_document']} ms/doc unprofiled, n={r['documents']}")
        for p in r["phases_cprofile_share_of_render"]:
            lines.append(
                f"    {p['phase']:<44} {100 * p['share']:5.1f} %  ~{p['estimated_ms']:5.1f} ms"
            )
        busiest = ", ".join(
            f"{t['function']} {100 * t['own_share']:.1f} %"
            for t in r["top_functions_by_own_time"][:4]
        )
        lines.append(f"    busiest (own time): {busiest}")
        for f in r["template_features"]:
            lines.append(
                f"    without {f['feature']:<46} {f['ms_without']:6.1f} ms/doc"
                f"  saves {f['saving_ms']:5.1f} ms ({100 * f['saving_share']:.0f} %)"
            )
        if floor := r.get("floor"):
            lines.append(
                f"    floor: its text alone, {floor['lines_per_document']} plain lines       "
                f"{floor['text_only_ms']:6.1f} ms/doc ({100 * floor['text_only_share_of_render']:.0f} % "
                f"of the render); naive {floor['text_only_naive_ms']} ms"
            )
            lines.append(
                f"    naive/production now {floor['ratio_now']}x; at the floor "
                f"{floor['best_ratio_any_template']}x (the most any template could reach, 1 core)"
            )
    return lines
