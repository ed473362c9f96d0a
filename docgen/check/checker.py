"""The filing-rule checker: `docgen check out/<run>`.

Every court document of a run (the manifest's files whose kind the pack's `[rules] documents`
lists, in PDF) is checked against the pack's `[rules]` table (read by docgen.filing_rules), so a
court's rules are data in its pack, never a branch on its name:

- page size; no ink outside the margins except the footer band and the boxes the pack declares
  as allowed ink (pleading paper's line numbers and vertical rules); minimum font size (body and
  footer); text searchable on every page; every font embedded; not encrypted; the PDF/A claim;
  size under the cap; the clerk's stamp box blank; no text matching a forbidden pattern (full
  SSN, driver's licence number); the case number on every page; pleading-paper line numbers on
  every page; the bookmarks a document kind must carry (e.g. its exhibit); what the documents say
  (docgen.check.wording: no fallback or placeholder wording, counts in their plural forms, the
  ground of relief agreeing with the charges listed);
- pages of another size (a landscape exhibit) are allowed only where the pack declares them
  (`[rules.exhibit_pages]`): they are checked against their own margins and have no line numbers;
- and the file is the one the manifest describes (SHA-256), so a file changed after the run is
  noticed.

Failures name the file, the page and the rule, never the matching text (it is personal data).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
import pypdf

from docgen.check.content import (
    court_text_failures,
    exhibit_count_failures,
    exhibit_failures,
    is_continuation,
    must_carry_exhibit,
)
from docgen.check.ink import ink_failures
from docgen.check.layout import signed_copies, signed_copy_failures, text_layer_failures
from docgen.check.letters import LetterRules, english_office_failures, letter_failures
from docgen.check.page_size import page_layouts
from docgen.check.page_text import page_text_failures
from docgen.check.text import flat_text
from docgen.check.wording import content_failures
from docgen.errors import DocgenError
from docgen.filing_rules import FilingRules, rules_of
from docgen.packs import PLAIN_LANGUAGE, Pack, load_pack
from docgen.plural import counted


class CheckError(DocgenError):
    """The run folder cannot be checked at all (no manifest, pack without rules)."""


@dataclass
class FileReport:
    path: str
    failures: list[str] = field(default_factory=list)
    letter: bool = False  # a notification letter, held to [rules.letters]

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass
class CheckReport:
    run_dir: Path
    pack: str
    files: list[FileReport]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if not f.ok]


def check_run(run_dir: Path) -> CheckReport:
    """Check every court document listed in `run_dir/manifest.json`."""
    run_dir = Path(run_dir)
    manifest_path = run_dir / "manifest.json"
    if not manifest_path.is_file():
        raise CheckError(
            f"{run_dir}: no manifest.json here", hint="Give a run folder: out/<run-id>."
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        pack_name = manifest["pack"]
        entries = list(manifest["files"])
    except (ValueError, KeyError, TypeError):
        raise CheckError(f"{manifest_path}: not a docgen manifest") from None
    pack = load_pack(pack_name)
    rules = rules_of(pack)
    case_label = str(pack.config.court.get("case_label", ""))
    court_line = str((pack.config.court.get("lines") or [""])[0])
    reports = []
    letter_kinds = rules.letters.kinds if rules.letters else []
    for entry in sorted(entries, key=lambda e: e["path"]):
        if entry.get("format") != "pdf":
            continue
        if entry.get("kind") in letter_kinds and rules.letters:
            reports.append(_check_letter(run_dir, entry, rules.letters, pack))
            continue
        if entry.get("kind") not in rules.documents:
            continue
        report = FileReport(entry["path"])
        data = _listed_file(run_dir, entry, report)
        if data is not None:
            report.failures.extend(
                check_pdf(
                    data,
                    rules,
                    entry["kind"],
                    case_label,
                    continued=is_continuation(entry["path"]),
                    court_line=court_line,
                    whole_exhibit="-vol-" not in entry["path"],
                    exhibit_rows=(
                        len(entry.get("rows") or [])
                        if must_carry_exhibit(pack, rules, entry["kind"])
                        else None
                    ),
                )
            )
        reports.append(report)
    for path in signed_copies(run_dir):  # the copies for the record (docgen ingest-signed)
        report = FileReport(str(path.relative_to(run_dir)))
        report.failures.extend(signed_copy_failures(path.read_bytes(), rules))
        reports.append(report)
    if not any(not r.letter for r in reports):  # letters alone are no filing to check
        raise _nothing_to_check(run_dir, entries, rules.documents)
    return CheckReport(run_dir=run_dir, pack=pack.name, files=reports)


def _listed_file(run_dir: Path, entry: dict[str, Any], report: FileReport) -> bytes | None:
    """The bytes of the manifest's file `entry` (None when it is not there), with a failure on
    `report` when it is missing or has changed since the run."""
    path = run_dir / str(entry["path"])
    if not path.is_file():
        report.failures.append("missing: the manifest lists it but the file is not there")
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        report.failures.append("changed since the run: SHA-256 differs from the manifest")
    return data


def _check_letter(
    run_dir: Path, entry: dict[str, Any], rules: LetterRules, pack: Pack
) -> FileReport:
    """A letter is held to the letter rules (not the court's filing rules)."""

    report = FileReport(entry["path"], letter=True)
    data = _listed_file(run_dir, entry, report)
    if data is None:
        return report
    texts = [p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    convictions = len(entry.get("rows") or []) or 1
    report.failures.extend(letter_failures(data, texts, rules, entry["kind"], convictions))
    if rules.office_in_letter_language:
        report.failures.extend(
            english_office_failures(
                texts,
                pack,
                str(entry.get("language") or PLAIN_LANGUAGE),
                rules.greeting,
                rules.closing,
            )
        )
    return report


def _nothing_to_check(
    run_dir: Path, entries: list[dict[str, Any]], documents: list[str]
) -> CheckError:
    """Checking nothing is an error, never "0 pass": the court's rules are rules for the PDFs it
    takes (PDF/A, embedded fonts, page size, text layer), which a Word file cannot be held to."""
    word = sum(1 for e in entries if e.get("kind") in documents and e.get("format") == "docx")
    if word:
        return CheckError(
            f"{run_dir}: no PDF court documents to check: the run made "
            f"{counted(word, 'court document')} as DOCX only, and the filing rules are the "
            "court's rules for PDF filings",
            hint="Make the PDFs (docgen generate ... --formats pdf or pdf,docx) and check that run.",
        )
    return CheckError(f"{run_dir}: the run made no court documents: nothing to check")


# ---------------------------------------------------------------------------- one PDF


def check_pdf(
    data: bytes,
    rules: FilingRules,
    kind: str,
    case_label: str = "",
    *,
    continued: bool = False,
    exhibit_rows: int | None = None,
    court_line: str | None = None,
    whole_exhibit: bool = True,
) -> list[str]:
    """Every rule `data` breaks, as readable lines (empty when it passes). `continued`: a later
    volume (its page numbers run on from the one before); `exhibit_rows`: the rows the manifest
    says the file's exhibit covers, when the kind must carry its exhibit; `court_line`: the
    court's first caption line, to check the text layer's reading order against;
    `whole_exhibit`: the file holds all of its exhibit (not one volume of a split one)."""

    failures: list[str] = []
    if len(data) > rules.max_bytes:
        failures.append(f"size {len(data):,} bytes is over the cap of {rules.max_bytes:,} bytes")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return [*failures, "encrypted: it needs a password to open"]
    except pikepdf.PdfError:
        return [*failures, "not a readable PDF"]
    with pdf:
        if pdf.is_encrypted:
            failures.append("encrypted (courts require unencrypted PDFs)")
            plain = io.BytesIO()
            pdf.save(plain)  # the other rules are checked on the decrypted content
            data = plain.getvalue()
        if rules.pdfa:
            status = pdf.open_metadata().pdfa_status
            if status != rules.pdfa:
                failures.append(f"no PDF/A-{rules.pdfa} claim (found {status or 'none'})")
            elif "/OutputIntents" not in pdf.Root:
                failures.append(f"PDF/A-{rules.pdfa} claimed but no output intent")
        if rules.fonts_embedded:
            failures.extend(_font_failures(pdf))
        layouts = page_layouts(pdf, rules, failures)
        _bookmark_failures(pdf, rules.required_bookmarks.get(kind, []), failures)
        if exhibit_rows is not None:
            exhibit_failures(pdf, exhibit_rows, failures)
    footers: list[list[str]] = []  # per page, the footer band's runs of text
    texts = page_text_failures(data, rules, layouts, failures, footers)
    _forbidden(texts, rules, failures)
    content_failures(texts, rules, kind, failures, continued=continued)
    court_text_failures(texts, footers, rules, kind, failures, continued=continued)
    counts = rules.exhibit_counts
    if counts and kind in counts.documents and exhibit_rows is not None and whole_exhibit:
        exhibit_count_failures(
            texts, [not main for _, main in layouts], exhibit_rows, counts, failures
        )
    if rules.case_number_on_every_page and case_label:
        _case_number_failures(texts, case_label, failures)
    ink_failures(data, rules, layouts, kind, failures)
    if court_line is not None:  # on the text read above, not a second extraction
        failures.extend(text_layer_failures(texts, court_line, case_label))
    return failures


def _bookmark_failures(pdf: Any, wanted: list[str], failures: list[str]) -> None:
    if not wanted:
        return
    titles: list[str] = []
    with pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop()
            titles.append(str(item.title or "").strip())
            stack.extend(item.children)
    for prefix in wanted:
        if not any(t.startswith(prefix) for t in titles):
            failures.append(f"no bookmark {prefix!r} in the outline (exhibits must be bookmarked)")


def _walk_fonts(resources: Any, seen: set[tuple[int, int]]) -> list[Any]:
    fonts: list[Any] = []
    if resources is None:
        return fonts
    for font in (resources.get("/Font") or {}).values():
        fonts.append(font)
    for xobj in (resources.get("/XObject") or {}).values():
        key = xobj.objgen
        if key in seen or xobj.get("/Subtype") != "/Form":
            continue
        seen.add(key)
        fonts.extend(_walk_fonts(xobj.get("/Resources"), seen))
    return fonts


def _font_failures(pdf: Any) -> list[str]:
    missing: dict[str, int] = {}
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        for font in _walk_fonts(page.get("/Resources"), seen):
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs drawn by the PDF itself: nothing to embed
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0] if descendants else font).get("/FontDescriptor")
            embedded = desc is not None and any(
                k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            if not embedded:
                missing.setdefault(str(font.get("/BaseFont", "?")).lstrip("/"), number)
    return [f"page {page}: font {name} is not embedded" for name, page in missing.items()]


def _forbidden(texts: list[str], rules: FilingRules, failures: list[str]) -> None:
    for number, text in enumerate(texts, start=1):
        flat = flat_text(text)
        for name, pattern in rules.forbidden_text.items():
            if re.search(pattern, flat):
                failures.append(f"page {number}: text that looks like a full {name}")


def _case_number_failures(texts: list[str], label: str, failures: list[str]) -> None:
    if not texts:
        return
    found = re.search(re.escape(label) + r"\s*(\S+)", texts[0])
    if not found:
        failures.append(f"page 1: no case number after {label!r}")
        return
    wanted = flat_text(f"{label} {found.group(1)}")
    for number, text in enumerate(texts, start=1):
        if wanted not in flat_text(text):
            failures.append(f"page {number}: the case number ({label} ...) is not on this page")
