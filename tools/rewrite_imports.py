"""Rewrite references to docgen's old flat modules to where they live now (docgen/ by stage).

    python tools/rewrite_imports.py FILE...          rewrite the files in place
    python tools/rewrite_imports.py --check FILE...  list the files that would change (exit 1)

Rewrites `import docgen.X`, `from docgen.X import ...`, `from docgen import X` (to
`from docgen.pkg import new as X`, so the module's local name stays), dotted names in strings
(mock.patch("docgen.X.f"), monkeypatch.setattr, entry points in pyproject.toml) and paths
`docgen/X.py` in comments and docs. Logger names (`getLogger("docgen.X")`) are left alone: a
record's name is behaviour. Running it twice changes nothing the second time.
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
    "ingest_clean": "readers.ingest_clean",  # another branch's module: where it belongs
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
    "letters_signed": "judge.letters_signed",
    # check/: `docgen check`
    "check": "check.checker",
    "check_content": "check.content",
    "check_ink": "check.ink",
    "check_wording": "check.wording",
    "check_layout": "check.layout",  # another branch's module
    # petition/
    "petition": "petition.petition",
    "petition_documents": "petition.documents",
    "petition_input": "petition.input",
    # demo/
    "synth": "demo.synth",
}

NEW_MODULES = {f"docgen.{new}" for new in MODULE_MAP.values()}
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


def rewrite(text: str) -> str:
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
