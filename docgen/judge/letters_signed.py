"""Letters after the order: `docgen letters --run out/<run-id> --signed-only --input FILE`.

read the run (manifest, ledger) -> re-read the run's input (refused unless its SHA-256 is the one
the manifest records) -> keep, per person, the cases whose orders the judge signed -> a letter
saying so, with the date signed -> letters-signed/<person_id>.pdf|.docx and manifest entries.

A case whose order was denied, or is not signed yet, is never in such a letter; a person with
some cases signed and some denied gets a letter about the signed ones only. The wording is the
pack's `[letter_signed.<lang>]` table laid over its `[letter.<lang>]` table, with `signed_on`
(the long date, or dates, the judge signed) added to the wording's context; the agencies' days
run from the (last) day signed.

A person with a denied case also gets a letter about the denied ones, what that means and what
they can do: letters-denied/<person_id>.pdf|.docx, kind "letter-denied", worded by the pack's
`[letter_denied.<lang>]` over `[letter.<lang>]`. A case not signed yet gets no letter.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.judge.ledger import load_ledger, update_manifest
from docgen.packs import Pack, load_pack
from docgen.pipeline import FileEntry, RunOptions, render_all, validate_input
from docgen.plan import viewmodel
from docgen.plan.group import group_charges
from docgen.readers.addresses import apply_addresses

log = logging.getLogger("docgen.letters_signed")

SIGNED_LETTERS_DIR = "letters-signed"
KIND = "letter-signed"
DENIED_LETTERS_DIR = "letters-denied"
DENIED_KIND = "letter-denied"


class SignedLettersError(DocgenError):
    """The signed-only letters cannot be made from this run and input."""


@dataclass(slots=True)
class SignedLettersResult:
    letters: int = 0
    people_signed: int = 0  # people with at least one signed case
    people_without_address: int = 0
    cases_signed: int = 0
    cases_left_out: int = 0  # denied or not signed yet
    letters_denied: int = 0  # letters about denied cases (letters-denied/)
    cases_denied: int = 0
    files: list[str] = field(default_factory=list)


class _SignedWordingPack:
    """The pack, with [<overlay>.<lang>] over [letter.<lang>] and the signing date known."""

    def __init__(self, pack: Pack, extra: dict[str, Any], overlay: str = "letter_signed") -> None:
        self._pack = pack
        self._extra = extra
        self._overlay = overlay

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pack, name)

    def wording(self, section: str) -> dict[str, Any]:
        base = self._pack.wording(section)
        if section.startswith("letter."):
            lang = section.split(".", 1)[1]
            return base | self._pack.wording(f"{self._overlay}.{lang}")
        return base

    def render_wording(self, value: Any, context: dict[str, Any], where: str) -> Any:
        return self._pack.render_wording(value, context | self._extra, where)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_signed_letters(
    run_dir: Path,
    input_path: Path,
    letter_date: date,
    *,
    formats: tuple[str, ...] = ("pdf", "docx"),
    encoding: str | None = None,
    input_format: str | None = None,
    addresses: Path | None = None,
    workers: int | None = 1,
) -> SignedLettersResult:

    manifest_path = run_dir / "manifest.json"
    if not manifest_path.is_file():
        raise SignedLettersError(f"{run_dir}: no manifest.json; --run must be a finished run")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if _file_sha256(input_path) != manifest["input"]["sha256"]:
        raise SignedLettersError(
            f"{input_path}: not the input of run {manifest['run_id']} (its SHA-256 differs from "
            "the one in the run's manifest)",
            hint="Give --input the very file the run was generated from.",
        )
    ledger = load_ledger(run_dir, manifest["run_id"])
    signed_rows = ledger.signed_rows()
    denied_rows = ledger.denied_rows()
    pack = load_pack(manifest["pack"])
    run_date = date.fromisoformat(manifest["date"])
    options = RunOptions(
        input_path=input_path,
        pack_name=pack.name,
        run_date=run_date,  # validated as the run was, so every row means what it meant then
        out_dir=run_dir.parent,
        encoding=encoding,
        input_format=input_format,
        formats=formats,
        workers=workers,
    )
    validation = validate_input(options)
    charges = validation.charges
    if addresses is not None:
        charges = apply_addresses(charges, addresses)
    grouped = group_charges(charges, validation.file)
    letter_kinds = tuple(pack.config.determinations.letters)
    result = SignedLettersResult()
    specs = []
    for person in grouped.people:
        signed_cases = []
        denied_cases = []
        dates: set[str] = set()
        for case in person.cases:
            relief = case.charges_with(letter_kinds)
            if not relief:
                continue
            rows = {c.row for c in relief}
            if rows & denied_rows:
                denied_cases.append(case)
            if rows & denied_rows or not rows <= signed_rows.keys():
                result.cases_left_out += 1
                continue
            signed_cases.append(case)
            dates.update(signed_rows[r] for r in rows)
        if denied_cases and person.has_address:
            result.cases_denied += len(denied_cases)
            result.letters_denied += 1
            denied = viewmodel.letter(
                _SignedWordingPack(pack, {}, "letter_denied"),  # type: ignore[arg-type]
                person,
                denied_cases,
                letter_date,
            )
            specs.append(
                dataclasses.replace(
                    denied,
                    kind="letter",
                    relpath=f"{DENIED_LETTERS_DIR}/{viewmodel.safe_stem(person.person_id)}",
                )
            )
        if not signed_cases:
            continue
        result.people_signed += 1
        result.cases_signed += len(signed_cases)
        if not person.has_address:
            result.people_without_address += 1
            continue
        lang = person.language if person.language in pack.config.pack.languages else "en"
        long_dates = [viewmodel.long_date(date.fromisoformat(d), lang) for d in sorted(dates)]
        signed_pack = _SignedWordingPack(
            pack, {"signed_on": long_dates[-1], "signed_dates": long_dates}
        )
        # The agencies' period runs from the day the judge signed (the last of several days).
        spec = viewmodel.letter(
            signed_pack,  # type: ignore[arg-type]
            person,
            signed_cases,
            letter_date,
            period_start=date.fromisoformat(max(dates)),
        )
        specs.append(
            dataclasses.replace(
                spec,
                relpath=f"{SIGNED_LETTERS_DIR}/{viewmodel.safe_stem(person.person_id)}",
            )
        )
    letter_options = dataclasses.replace(options, run_date=letter_date)
    for folder in (SIGNED_LETTERS_DIR, DENIED_LETTERS_DIR):
        for stale in sorted((run_dir / folder).glob("*")):
            stale.unlink()  # the folders hold exactly this call's letters, as the manifest says
    entries: list[FileEntry] = render_all(specs, run_dir, letter_options) if specs else []
    for entry in entries:
        entry.kind = DENIED_KIND if entry.path.startswith(DENIED_LETTERS_DIR + "/") else KIND
    result.letters = len(specs) - result.letters_denied
    result.files = sorted(e.path for e in entries if e.kind == KIND)
    update_manifest(
        run_dir,
        (SIGNED_LETTERS_DIR + "/", DENIED_LETTERS_DIR + "/"),
        [e.as_dict() for e in entries],
    )
    log.info(
        "signed-only letters: %d letters, %d cases signed, %d left out, %d people without address; "
        "%d letters about %d denied cases",
        result.letters,
        result.cases_signed,
        result.cases_left_out,
        result.people_without_address,
        result.letters_denied,
        result.cases_denied,
    )
    return result
