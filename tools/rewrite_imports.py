"""Rewrite references to docgen's old flat modules to where they live now (docgen/ by stage).

    python tools/rewrite_imports.py FILE...          rewrite the files in place
    python tools/rewrite_imports.py --check FILE...  list the files that would change (exit 1)

Rewrites `import docgen.X`, `from docgen.X import ...`, `from docgen import X` (to
`from docgen.pkg import new as X`, so the module's local name stays), names that moved to
another module or lost their underscore (NAME_MAP: `from docgen.judge.signing import Volume` to
`from docgen.judge.volumes import Volume`, `_guard` to `guard as _guard`), dotted names in strings
(mock.patch("docgen.X.f"), monkeypatch.setattr, entry points in pyproject.toml) and paths
`docgen/X.py` in comments and docs. Logger names (`getLogger("docgen.X")`) are left alone: a
record's name is behaviour. Attribute uses of a moved name (`render_pool._render_and_write` in a
monkeypatch) are not rewritten: the import-graph and the tests say where. Run `ruff check
--fix` and `ruff format` after it (import order). Running it twice changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Old flat module (under docgen.) -> its module now. Modules not listed stay where they are
# (docgen.model, docgen.errors, docgen.packs, docgen.filing_rules, docgen.pipeline, ...).
MODULE_MAP: dict[str, str] = {
    # readers/: input files to a SourceTable
    "gogen": "readers.gogen",
    "addresses": "readers.addresses",
    # plan/: validate against the pack, keep, group, plan, view models
    "accepts": "plan.accepts",
    "validate": "plan.validate",
    "charge_store": "plan.charge_store",
    "group": "plan.group",
    "plan": "plan.planner",
    "viewmodel": "plan.viewmodel",
    "grounds": "plan.grounds",
    "agency_directory": "plan.agency_directory",
    "bulk": "plan.bulk",
    "name_case": "plan.name_case",
    # render/: view models to files
    "render_pdf": "render.pdf",
    "render_docx": "render.docx",
    "render_pool": "render.pool",
    "render_gc": "render.gc",
    "cluster": "render.cluster",
    "bulk_render": "render.bulk",
    "exhibit_layout": "render.exhibit_layout",
    "exhibit_pdf": "render.exhibit_pdf",
    "pdf_fonts": "render.pdf_fonts",
    "pdf_tags": "render.pdf_tags",
    "docx_package": "render.docx_package",
    "ooxml_order": "render.ooxml_order",
    "text_wrap": "render.text_wrap",  # another branch's module
    # store/: the run folder
    "output": "store.output",
    "file_index": "store.file_index",
    "manifest": "store.manifest",
    "resume": "store.resume",
    "report": "store.report",
    "run_batches": "store.run_batches",
    # judge/: the signing batch and what comes back
    "signing": "judge.signing",
    "signing_docx": "judge.signing_docx",
    "docx_sections": "judge.docx_sections",
    "docx_stream": "judge.docx_stream",
    "batch_map": "judge.batch_map",
    "page_codes": "judge.page_codes",
    "batches": "judge.batches",
    "ingest": "judge.ingest",
    "ingest_pages": "judge.ingest_pages",
    "ingest_report": "judge.ingest_report",
    "ledger": "judge.ledger",
    "ingest_clean": "judge.ingest_clean",  # another branch's module: signed copies cleaned
    "letters_signed": "judge.letters_signed",
    # check/: `docgen check`
    "check": "check.checker",
    "check_content": "check.content",
    "check_ink": "check.ink",
    "check_wording": "check.wording",
    "check_layout": "check.layout",  # another branch's module
    "check_letters": "check.letters",
    # petition/
    "petition": "petition.petition",
    "petition_documents": "petition.documents",
    "petition_input": "petition.input",
    # demo/
    "synth": "demo.synth",
}

# Names that moved between modules when the import circles were broken:
# (module, name) -> (module, name now). `from M import name` becomes `from NEW import new as name`
# when the name changed, so the file's own uses keep working.
_VOLUMES = "docgen.judge.volumes"
_LEGAL_TESTS = "docgen.rules.ca_prop64.legal_tests"
NAME_MAP: dict[tuple[str, str], tuple[str, str]] = {
    **{
        ("docgen.judge.signing", name): (_VOLUMES, name)
        for name in (
            "BATCH_PDF",
            "BATCH_DOCX",
            "BATCH_TITLE",
            "BatchDocument",
            "Geometry",
            "Volume",
            "load_geometry",
            "plan_batch_volumes",
            "page_range",
            "ESTIMATED_ORDER_PAGES",
        )
    },
    ("docgen.judge.signing", "BATCH_MAP"): ("docgen.judge.batch_map", "BATCH_MAP"),
    ("docgen.judge.page_codes", "Box"): (_VOLUMES, "Box"),
    ("docgen.plan.agency_directory", "DirectoryEntry"): ("docgen.packs", "DirectoryEntry"),
    ("docgen.plan.planner", "_unfit_for_documents"): ("docgen.plan.admit", "unfit_for_documents"),
    ("docgen.plan.planner", "PRINTED_COLUMNS"): ("docgen.plan.admit", "PRINTED_COLUMNS"),
    ("docgen.plan.viewmodel", "_agencies"): ("docgen.plan.agency_directory", "agency_lines"),
    ("docgen.render.pool", "_init_worker"): ("docgen.render.worker", "init_worker"),
    ("docgen.render.pool", "_render_chunk"): ("docgen.render.worker", "render_chunk"),
    ("docgen.render.pool", "_render_and_write"): ("docgen.render.worker", "render_and_write"),
    ("docgen.render.pool", "FORMATS"): ("docgen.render.worker", "FORMATS"),
    ("docgen.render.pool", "RunCancelled"): ("docgen.render.worker", "RunCancelled"),
    ("docgen.render.pool", "carries_exhibit"): ("docgen.render.worker", "carries_exhibit"),
    ("docgen.rules.ca_prop64.config", "Flags"): ("docgen.rules.ca_prop64.facts", "Flags"),
    **{
        ("docgen.rules.ca_prop64.checks", name): (_LEGAL_TESTS, name)
        for name in ("PROP64", "POLICY", "Context", "Test", "legal_test", "years_between")
    },
    ("docgen.demo.synth", "_Maker"): ("docgen.demo.synth", "Maker"),
    ("docgen.demo.synth", "_day_between"): ("docgen.demo.synth", "day_between"),
    ("docgen.demo.synth", "_years_before"): ("docgen.demo.synth", "years_before"),
    ("docgen.demo.synth", "synth_raw_rows"): ("docgen.rules.il_crta.synth", "raw_rows"),
    ("docgen.readers.csv_reader", "_read_csv"): ("docgen.readers.csv_reader", "read_csv_table"),
    ("docgen.readers.xlsx_reader", "_read_xlsx"): ("docgen.readers.xlsx_reader", "read_xlsx_table"),
    ("docgen.readers.jsonl_reader", "_read_jsonl"): (
        "docgen.readers.jsonl_reader",
        "read_jsonl_table",
    ),
    ("docgen.readers.table", "_header_map"): ("docgen.readers.table", "header_map"),
    ("docgen.readers.table", "_is_blank"): ("docgen.readers.table", "is_blank"),
    ("docgen.cli", "_guard"): ("docgen.cli.common", "guard"),
    ("docgen.cli", "_parse_date"): ("docgen.cli.common", "parse_date"),
    **{("docgen.cli", name): ("docgen.cli.common", name) for name in ("err", "out")},
}
# Moved along with the names above when one of them is in the same import (a command module's
# `from docgen.cli import _guard, app`); alone, `from docgen.cli import app` is right as it is.
NAME_MAP_WITH_OTHERS = {("docgen.cli", "app"): ("docgen.cli.common", "app")}
FROM_IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)from (?P<module>docgen[\w.]*) import "
    r"(?P<names>\([^)]*\)|[^\n#(]+?)(?P<tail>[ \t]*(#[^\n]*)?)$",
    re.MULTILINE,
)

NEW_MODULES = {f"docgen.{new}" for new in MODULE_MAP.values()}
# Every module of the stage packages as they are (docgen.plan.admit is new, not a moved one), so
# that docgen.plan.admit is never read as the old docgen.plan module plus an attribute.
_DOCGEN = Path(__file__).resolve().parent.parent / "docgen"
NEW_MODULES |= {
    f"docgen.{package}.{path.stem}"
    for package in {new.split(".")[0] for new in MODULE_MAP.values()}
    for path in (_DOCGEN / package).glob("*.py")
}
_OLD = "|".join(sorted((re.escape(old) for old in MODULE_MAP), key=len, reverse=True))
# docgen.X as a whole dotted name (not docgen.readers.X, not docgen.X_more).
DOTTED = re.compile(rf"(?<![\w.])docgen\.({_OLD})(?![\w])((?:\.\w+)?)")
SLASHED = re.compile(rf"(?<![\w/])docgen/({_OLD})\.py\b")
FROM_PACKAGE = re.compile(
    r"^(?P<indent>[ \t]*)from docgen import (?P<names>\([^)]*\)|[^\n#]*?)(?P<tail>[ \t]*(#[^\n]*)?)$",
    re.MULTILINE,
)
FROM_MODULE = re.compile(r"\bfrom (docgen\.[\w.]+) import (\([^)]*\)|[^\n#]+)")


def _dotted(match: re.Match[str]) -> str:
    old, rest = match.group(1), match.group(2)
    if f"docgen.{old}{rest}" in NEW_MODULES:
        return match.group(0)  # already new: docgen.check.checker, docgen.plan.planner
    return f"docgen.{MODULE_MAP[old]}{rest}"


def _from_package(match: re.Match[str]) -> str:
    indent, names, tail = match.group("indent"), match.group("names"), match.group("tail")
    aliases = [part.strip() for part in names.strip("()").replace("\n", ",").split(",")]
    kept: list[str] = []
    lines: list[str] = []
    for alias in filter(None, aliases):
        name, _, local = alias.partition(" as ")
        name, local = name.strip(), (local.strip() or name.strip())
        if name not in MODULE_MAP:
            kept.append(alias)
            continue
        package, _, new = f"docgen.{MODULE_MAP[name]}".rpartition(".")
        as_part = "" if new == local else f" as {local}"
        lines.append(f"{indent}from {package} import {new}{as_part}")
    if not lines:
        return match.group(0)
    if kept:
        lines.insert(0, f"{indent}from docgen import {', '.join(kept)}")
    lines[-1] += tail
    return "\n".join(lines)


def _in_from_module(text: str) -> set[tuple[int, int]]:
    """Spans of `from docgen.pkg import sub` whose names are modules of the new layout."""
    spans = set()
    for match in FROM_MODULE.finditer(text):
        names = [n.strip().split(" as ")[0] for n in match.group(2).strip("()").split(",")]
        names = [n.strip() for n in names if n.strip()]
        if names and all(f"{match.group(1)}.{n}" in NEW_MODULES for n in names):
            spans.add(match.span(1))
    return spans


def _moved_names(match: re.Match[str]) -> str:
    indent, module, tail = match.group("indent"), match.group("module"), match.group("tail")
    aliases = [a.strip() for a in match.group("names").strip("()").replace("\n", ",").split(",")]
    targets: dict[str, list[str]] = {}
    aliases = list(filter(None, aliases))
    names = [a.partition(" as ")[0].strip() for a in aliases]
    table = NAME_MAP
    if any((module, name) in NAME_MAP for name in names):
        table = {**NAME_MAP, **NAME_MAP_WITH_OTHERS}
    moved = False
    for alias in aliases:
        name, _, local = alias.partition(" as ")
        name, local = name.strip(), local.strip() or name.strip()
        new_module, new_name = table.get((module, name), (module, name))
        moved = moved or (new_module, new_name) != (module, name)
        as_part = "" if new_name == local else f" as {local}"
        targets.setdefault(new_module, []).append(f"{new_name}{as_part}")
    if not moved:
        return match.group(0)
    lines = [f"{indent}from {m} import {', '.join(names)}" for m, names in targets.items()]
    lines[-1] += tail
    return "\n".join(lines)


def rewrite(text: str) -> str:
    text = _rewrite_modules(text)
    return FROM_IMPORT.sub(_moved_names, text)


def _rewrite_modules(text: str) -> str:
    text = FROM_PACKAGE.sub(_from_package, text)
    keep = _in_from_module(text)
    pieces: list[str] = []
    last = 0
    for match in DOTTED.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.start())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        skip = "getLogger(" in line or any(s <= match.start() < e for s, e in keep)
        pieces.append(text[last : match.start()])
        pieces.append(match.group(0) if skip else _dotted(match))
        last = match.end()
    pieces.append(text[last:])
    text = "".join(pieces)
    return SLASHED.sub(lambda m: f"docgen/{MODULE_MAP[m.group(1)].replace('.', '/')}.py", text)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed = []
    for name in (a for a in argv if a != "--check"):
        path = Path(name)
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite(text)
        if new != text:
            changed.append(name)
            if not check:
                path.write_text(new, encoding="utf-8")
    for name in changed:
        print(name)
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
