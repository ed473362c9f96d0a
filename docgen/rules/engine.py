"""The rules engine: find rules/<name>/rules.toml, load it, run its module, write the outputs.

The rules folder is `rules/` beside `templates/` in a clone, or `$DOCGEN_RULES_DIR` (as
`$DOCGEN_PACKS_DIR` is for packs, e.g. for an installed package). A rule set's rules.toml names
its Python module (`[rule_set] module = "docgen.rules.<name>"`, or a top-level `module`); the
module exposes `determine_file(path, config, as_of, county) -> RuleSetResult`
(docgen/rules/core.py). With `--mode`, the engine passes `config["mode"]`; rule sets with modes
(ca-prop64: statute, gogen) pick their flags and flows by it.

Outputs of `docgen determine --out results.csv`: results.csv (canonical input of `docgen
generate`, columns of docgen/model.py ALL_COLUMNS, rows in input order), results-rejects.csv
(raw rows that could not be read, with row, column and reason) and the review report
results-review.html / results-review.csv (docgen/rules/review.py). Files are written atomically,
owner-only; the same input and options give byte-identical files.
"""

from __future__ import annotations

import hashlib
import importlib
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from docgen.errors import RulesError
from docgen.model import ALL_COLUMNS, Reject
from docgen.plan.viewmodel import safe_stem
from docgen.resources import data_dir
from docgen.rules import review
from docgen.rules.core import RuleSetResult
from docgen.store.output import csv_bytes, write_atomic

EXTRA_COLUMNS = ("county", "source_row")


def rules_dir() -> Path:
    return data_dir("rules", "DOCGEN_RULES_DIR")


def available_rule_sets() -> list[str]:
    root = rules_dir()
    return sorted(p.parent.name for p in root.glob("*/rules.toml")) if root.is_dir() else []


class RuleSetHeader(BaseModel):
    """The part of rules.toml the engine needs; the module validates the rest."""

    model_config = ConfigDict(extra="ignore")
    name: str
    module: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class RuleSet:
    name: str
    path: Path  # the rules.toml
    header: RuleSetHeader
    config: dict[str, Any]

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def load_rule_set(name: str) -> RuleSet:
    path = rules_dir() / name / "rules.toml"
    if not name or "/" in name or name.startswith(".") or not path.is_file():
        known = ", ".join(available_rule_sets()) or "none"
        raise RulesError(f"unknown rule set {name!r}", hint=f"Rule sets in {rules_dir()}: {known}.")
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML ({exc})") from None
    raw_header = config.get("rule_set", config)
    try:
        header = RuleSetHeader.model_validate(raw_header)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RulesError(f"{path}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    if not header.module.startswith("docgen.rules."):
        raise RulesError(f"{path}: module must be a docgen.rules.* module")
    return RuleSet(name, path, header, config)


def determine(
    input_path: Path,
    rules: str,
    as_of: date,
    county: str | None = None,
    mode: str | None = None,
) -> RuleSetResult:
    rule_set = load_rule_set(rules)
    config = dict(rule_set.config)
    if mode is not None:
        if "modes" not in config:
            raise RulesError(f"rule set {rules!r} has no modes; leave out --mode")
        config["mode"] = mode
    try:
        module = importlib.import_module(rule_set.header.module)
    except ImportError:
        raise RulesError(
            f"{rule_set.path}: module {rule_set.header.module} cannot be imported"
        ) from None
    if not Path(input_path).is_file():
        raise RulesError(f"{input_path}: no such file")
    result: RuleSetResult = module.determine_file(Path(input_path), config, as_of, county)
    result.meta.setdefault("rule_set", rules)
    result.meta.setdefault("as_of", as_of.isoformat())
    result.meta["rules_sha256"] = rule_set.digest
    return result


@dataclass(frozen=True, slots=True)
class DetermineOutputs:
    results: Path
    rejects: Path
    review_html: Path
    review_csv: Path


def output_paths(out: Path) -> DetermineOutputs:
    stem = out.with_suffix("")
    return DetermineOutputs(
        results=out,
        rejects=stem.with_name(stem.name + "-rejects.csv"),
        review_html=stem.with_name(stem.name + "-review.html"),
        review_csv=stem.with_name(stem.name + "-review.csv"),
    )


def write_outputs(result: RuleSetResult, out: Path, input_name: str) -> DetermineOutputs:

    paths = output_paths(out)
    # source_row (the raw file's row) is an extra column `docgen generate` ignores: it ties a
    # results row, and any reject of it in a later run, back to the raw record.
    columns = ALL_COLUMNS + tuple(
        c for c in EXTRA_COLUMNS if any(c in row for row in result.canonical_rows)
    )
    write_atomic(
        paths.results,
        csv_bytes(columns, ([row.get(c, "") for c in columns] for row in result.canonical_rows)),
    )
    write_atomic(
        paths.rejects,
        csv_bytes(
            ("file", "row", "column", "reason"),
            ((input_name, r.row, r.column or "", r.reason) for r in result.rejects),
        ),
    )
    write_atomic(paths.review_csv, review.review_csv(result))
    write_atomic(paths.review_html, review.review_html(result, input_name))
    return paths


@dataclass(frozen=True, slots=True)
class RawAccounting:
    """What `generate --rules` counts of the raw file beside determinations.csv's rows: the raw
    rows determine rejected, the context rows (the rest of each record) and the blank rows."""

    rejects: list[Reject]
    context_rows: int
    blank_rows: int
    title_rows: tuple[int, ...] = ()  # one-cell rows above the raw file's column names

    @classmethod
    def of(cls, result: RuleSetResult) -> RawAccounting:
        return cls(
            list(result.rejects), result.context_rows, result.blank_rows, tuple(result.title_rows)
        )


def accounted_rows(result: RuleSetResult) -> int:
    return (
        len(result.determinations) + len(result.rejects) + result.context_rows + result.blank_rows
    )


def determine_for_run(
    input_path: Path,
    rules: str,
    as_of: date,
    county: str | None,
    mode: str | None,
    out_dir: Path,
    pack: str,
    run_date: date,
    run_id: str | None = None,
) -> tuple[Path, str, RuleSetResult]:
    """`docgen generate --rules`: determine into the run folder, so the run is auditable.

    Writes <run>/determinations.csv (the canonical input the pipeline then reads) with its
    review report and rejects beside it. The run id depends on the raw input, the rules file,
    the county, the date of eligibility and the mode, so a change to any gives a new folder.
    """

    result = determine(input_path, rules, as_of, county, mode)
    digest = hashlib.sha256()
    with Path(input_path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    for part in (result.meta.get("rules_sha256", ""), county or "", as_of.isoformat(), mode or ""):
        digest.update(b"\0" + part.encode())
    run_id = run_id or f"{pack}-{run_date.isoformat()}-{digest.hexdigest()[:10]}"
    target = out_dir / safe_stem(run_id) / "determinations.csv"
    write_outputs(result, target, Path(input_path).name)
    return target, run_id, result
