"""ca-prop64: California Proposition 64 relief (H&S 11361.8) from a CA DOJ research extract.

read (records.py) -> facts per person (facts.py) -> the county's flow of legal tests (flow.py over
checks.py, configured in rules/ca-prop64/rules.toml) -> Determinations and canonical rows.

Which convictions are judged: as in gogen, a conviction (the first convicted row of a count) in
the chosen county whose code is a Prop 64 section (or, in flows that say so, a "related" one).
All other rows are the rest of the record: counted as context rows, never lost.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from docgen.errors import RulesError
from docgen.readers import gogen
from docgen.rules.ca_prop64.config import CaProp64Config, Flow, Mode
from docgen.rules.ca_prop64.facts import Conviction, Subject, build_facts, parse_yyyymmdd
from docgen.rules.ca_prop64.flow import run_flow
from docgen.rules.ca_prop64.records import read_doj
from docgen.rules.core import Determination, RuleSetResult

__all__ = ["determine_file", "load_config"]


def load_config(config: dict[str, Any]) -> CaProp64Config:
    try:
        return CaProp64Config.model_validate(config)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RulesError(
            f"rules/ca-prop64/rules.toml: {where}: {first['msg']}"
            + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")
        ) from None


def _normalise(county: str) -> str:
    return " ".join(county.split()).upper()


def known_county(counties: list[str], county: str) -> str:
    """The county as rules.toml spells it; stops on one it does not know (a typo would
    otherwise decide nothing)."""
    names = {_normalise(c): c for c in counties}
    if not names:
        return county
    if _normalise(county) in names:
        return names[_normalise(county)]
    close = difflib.get_close_matches(_normalise(county), list(names), n=1, cutoff=0.75)
    raise RulesError(
        f"unknown county {county!r}" + (f" (did you mean {names[close[0]]!r}?)" if close else ""),
        hint=f"Known counties: {', '.join(counties)}.",
    )


def choose_flow(mode: Mode, county: str, exact: bool) -> tuple[str, Flow]:
    names = {c if exact else _normalise(c): flow for c, flow in mode.counties.items()}
    key = county if exact else _normalise(county)
    flow_name = names.get(key) or mode.default_flow
    if flow_name is None:
        raise RulesError(
            f"no Prop 64 flow for county {county!r}",
            hint=f"Known counties: {', '.join(sorted(mode.counties))}.",
        )
    return flow_name, mode.flows[flow_name]


def determine_file(
    path: Path, config: dict[str, Any], as_of: date, county: str | None = None
) -> RuleSetResult:
    cfg = load_config(config)
    if not county:
        raise RulesError("ca-prop64 needs --county (the county whose convictions are judged)")
    county = known_county(cfg.rule_set.counties, county)
    try:
        mode_name, mode, flags = cfg.active_mode()
    except KeyError as exc:
        raise RulesError(
            f"ca-prop64 has no mode {exc.args[0]!r}", hint=f"Modes: {', '.join(cfg.modes)}."
        ) from None
    exact = flags.county_match == "exact"
    flow_name, flow = choose_flow(mode, county, exact)
    doj = read_doj(Path(path))
    facts = build_facts(doj.rows, flags, str(path))
    wanted = county if exact else _normalise(county)

    result = RuleSetResult(
        rejects=doj.rejects + facts.rejects,
        blank_rows=doj.blank_rows,
        meta={
            "rule_set": cfg.name,
            "mode": mode_name,
            "mode_description": mode.description,
            "county": county,
            "flow": flow_name,
            "as_of": as_of.isoformat(),
        },
    )
    for subject, conviction in facts.convictions:
        row_county = conviction.row.county if exact else _normalise(conviction.row.county)
        if row_county != wanted or not _applies(flow, conviction):
            continue
        outcome_id, checks = run_flow(flow, subject, conviction, as_of, cfg.cutoff, flags)
        outcome = cfg.outcomes[outcome_id]
        reason = outcome.reason.format_map(_reason_fields(flow, conviction))
        canonical = canonical_row(subject, conviction, outcome.determination, reason)
        result.canonical_rows.append(canonical)
        result.determinations.append(
            Determination(
                row=conviction.row.row,
                person_id=subject.id,
                case_number=canonical["case_number"],
                outcome=outcome.determination,
                reason=reason,
                checks=tuple(checks),
                needs_review=outcome.determination == "needs_review",
                rule=outcome_id,
                statute=canonical["statute"],
            )
        )
    decided = len(result.determinations)
    result.context_rows = doj.total_rows - doj.blank_rows - len(result.rejects) - decided
    return result


def _applies(flow: Flow, conviction: Conviction) -> bool:
    return bool(
        ("prop64" in flow.applies_to and conviction.prop64)
        or ("related" in flow.applies_to and conviction.related)
    )


def _reason_fields(flow: Flow, conviction: Conviction) -> dict[str, str]:
    fields = {k: str(v) for k, v in flow.params.items()}
    fields["related_code"] = (conviction.related or "").strip()
    fields["code"] = conviction.code.strip()
    return fields


def _iso(value: str) -> str:
    day = parse_yyyymmdd(value)
    return day.isoformat() if day else value.strip()


def canonical_row(
    subject: Subject, conviction: Conviction, determination: str, reason: str
) -> dict[str, str]:
    """The conviction as a row of docgen's canonical input (docgen/model.py ALL_COLUMNS)."""
    row = conviction.row
    name = gogen.split_name(row.pri_name) or ("", "", "")
    numbers = subject.case_numbers.get(row.cnt_order[:6], [])
    statute, description = gogen.code_section(conviction.code, "")
    klass = " ".join(row.conv_stat_descr.split()).title() or gogen.CLASSES.get(
        row.offense_toc.strip().upper(), ""
    )
    return {
        "person_id": subject.id,
        "last_name": name[0],
        "first_name": name[1],
        "middle_name": name[2],
        "date_of_birth": _iso(row.pri_dob),
        "case_number": gogen.case_numbers("; ".join(numbers), row.fe_num_crt_case),
        "statute": statute,
        "offense_description": gogen.code_section(row.offense_descr, row.comment_text)[1]
        or description
        or statute,
        "offense_class": klass,
        "disposition": " ".join(row.disp_descr.split()),
        "disposition_date": _iso(row.stp_event_date),
        "arrest_date": _iso(row.cyc_date) if parse_yyyymmdd(row.cyc_date) else "",
        "arresting_agency": " ".join(row.stp_ori_descr.split()),
        "determination": determination,
        "reason": reason,
        "county": " ".join(row.county.split()),
        "source_row": str(row.row),
    }
