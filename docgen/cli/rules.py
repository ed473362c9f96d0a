"""Eligibility rules (docgen/rules/): determine, raw records in, results CSV out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from docgen.cli.common import app, guard, out, parse_date, title_rows_note
from docgen.cli.options import AsOfOpt, CountyOpt, ModeOpt


@app.command()
def determine(
    input_path: Annotated[
        Path,
        typer.Argument(help="Raw records (e.g. a CA DOJ research extract).", show_default=False),
    ],
    rules: Annotated[str, typer.Option("--rules", help="Rule set in rules/, e.g. ca-prop64.")],
    county: CountyOpt = None,
    as_of: AsOfOpt = None,
    mode: ModeOpt = None,
    out_path: Annotated[
        Path, typer.Option("--out", help="Results CSV (canonical input of docgen generate).")
    ] = Path("results.csv"),
) -> None:
    """Judge raw records with a rule set: results CSV, review report (HTML, CSV) and rejects."""
    from docgen.rules.engine import accounted_rows, write_outputs
    from docgen.rules.engine import determine as run_rules

    day = parse_date(as_of)

    def body() -> Any:
        result = run_rules(input_path, rules, day, county, mode)
        return result, write_outputs(result, out_path, input_path.name)

    result, paths = guard(body)
    counts: dict[str, int] = {}
    for d in result.determinations:
        counts[d.outcome] = counts.get(d.outcome, 0) + 1
    out.print(
        f"{input_path.name}: {accounted_rows(result)} rows = {len(result.determinations)} decided"
        f" + {result.context_rows} context rows + {len(result.rejects)} rejected"
        + (f" + {result.blank_rows} blank" if result.blank_rows else "")
        + ". "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + f". Results: {paths.results}; review: {paths.review_html}, {paths.review_csv};"
        f" rejects: {paths.rejects}",
        highlight=False,
        soft_wrap=True,
    )
    if result.title_rows:
        out.print(title_rows_note(result.title_rows), highlight=False)
