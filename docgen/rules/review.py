"""The review report of a `docgen determine` run, in HTML and CSV, for any rule set.

It shows, from a RuleSetResult alone: the row accounting, counts per determination and per rule
and reason, the people with a conviction that needs review, the rejected rows, and for each
decided record the chain of tests it passed or failed, each with its reason and citation.
People appear by person_id and case number only (no names or birth dates). HTML is rendered in
Jinja2's sandbox with autoescape; the CSV neutralises spreadsheet formulas (docgen.store.output).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from docgen.rules.core import Check, Determination, RuleSetResult
from docgen.store.output import csv_bytes

REVIEW_COLUMNS = (
    "row",
    "person_id",
    "case_number",
    "statute",
    "determination",
    "rule",
    "reason",
    "needs_review",
    "tests",
)


def _state(check: Check) -> str:
    """'pass', 'fail', or 'undecided' for a test the record could not decide (a rule set's
    Check subclass may carry `unknown`; such a test sends the row to review, it fails nothing)."""
    if check.passed:
        return "pass"
    return "undecided" if getattr(check, "unknown", False) else "fail"


def chain_text(d: Determination) -> str:
    """'PASS before_cutoff: ... [H&S § 11361.8(a), (e)] | FAIL felony: ...'"""
    return " | ".join(
        f"{_state(c).upper()} {c.test}: {c.reason}" + (f" [{c.citation}]" if c.citation else "")
        for c in d.checks
    )


def review_csv(result: RuleSetResult) -> bytes:
    rows = (
        (
            d.row,
            d.person_id,
            d.case_number,
            d.statute,
            d.outcome,
            d.rule,
            d.reason,
            "yes" if d.needs_review or d.outcome == "needs_review" else "",
            chain_text(d),
        )
        for d in sorted(result.determinations, key=lambda d: d.row)
    )
    return csv_bytes(REVIEW_COLUMNS, rows)


def review_context(result: RuleSetResult, input_name: str) -> dict[str, Any]:
    decided = sorted(result.determinations, key=lambda d: d.row)
    by_outcome = Counter(d.outcome for d in decided)
    by_rule = Counter((d.outcome, d.rule, d.reason) for d in decided)
    review_people: dict[str, list[Determination]] = defaultdict(list)
    for d in decided:
        if d.needs_review or d.outcome == "needs_review":
            review_people[d.person_id].append(d)
    total = len(decided) + len(result.rejects) + result.context_rows + result.blank_rows
    return {
        "input_name": input_name,
        "meta": sorted(result.meta.items()),
        "accounting": [
            ("Decided (one determination each)", len(decided)),
            ("Context rows (the rest of the record, not decided)", result.context_rows),
            ("Rejected (could not be read)", len(result.rejects)),
            ("Blank rows", result.blank_rows),
        ],
        "total": total,
        "title_rows": list(result.title_rows),
        "by_outcome": sorted(by_outcome.items()),
        "by_rule": [
            {"outcome": o, "rule": r, "reason": reason, "count": n}
            for (o, r, reason), n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "review_people": sorted(review_people.items()),
        "rejects": sorted(result.rejects, key=lambda r: r.row),
        # Plain tuples: the sandbox checks every attribute lookup, which at 100,000 records
        # costs more than the rest of `determine`; unpacking tuples costs nothing.
        "decided": [
            (
                d.row,
                d.person_id,
                d.case_number,
                d.statute,
                d.outcome,
                d.rule,
                d.reason,
                [
                    (
                        _state(c),
                        {"pass": "passed", "fail": "failed"}.get(_state(c), "undecided"),
                        c.test,
                        c.reason,
                        c.citation,
                    )
                    for c in d.checks
                ],
            )
            for d in decided
        ],
    }


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Eligibility review: {{ input_name }}</title>
<style>
body { font-family: sans-serif; margin: 2em; max-width: 75em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #999; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
.pass { color: #05620b; } .fail { color: #9b1c1c; } .undecided { color: #7a4f00; }
details { margin: 0.3em 0; }
</style></head>
<body>
<h1>Eligibility review</h1>
<p>Input: {{ input_name }}</p>
<table>{% for key, value in meta %}<tr><th scope="row">{{ key }}</th><td>{{ value }}</td></tr>{% endfor %}</table>

<h2>Row accounting</h2>
<table>
{% for label, count in accounting %}<tr><td>{{ label }}</td><td>{{ count }}</td></tr>{% endfor %}
<tr><th scope="row">Input rows</th><th>{{ total }}</th></tr>
</table>
{% if title_rows %}{% set one = title_rows | length == 1 %}<p>{{ "Row" if one else "Rows" }} {{ title_rows | join(", ") }}, above the column names, {{ "holds a single cell" if one else "hold a single cell each" }} (a title or a note): {{ "it is not a record and was" if one else "they are not records and were" }} not read as {{ "an input row" if one else "input rows" }}.</p>{% endif %}

<h2>Determinations</h2>
<table><tr><th scope="col">Determination</th><th scope="col">Records</th></tr>
{% for outcome, count in by_outcome %}<tr><td>{{ outcome }}</td><td>{{ count }}</td></tr>{% endfor %}
</table>

<h2>Counts per rule and reason</h2>
<table><tr><th scope="col">Determination</th><th scope="col">Rule</th><th scope="col">Reason</th><th scope="col">Records</th></tr>
{% for r in by_rule %}<tr><td>{{ r.outcome }}</td><td>{{ r.rule }}</td><td>{{ r.reason }}</td><td>{{ r.count }}</td></tr>{% endfor %}
</table>

<h2>People who need review ({{ review_people|length }})</h2>
{% if review_people %}<table><tr><th scope="col">Person</th><th scope="col">Row</th><th scope="col">Case</th><th scope="col">Statute</th><th scope="col">Reason</th></tr>
{% for person, items in review_people %}{% for d in items %}<tr><td>{{ person }}</td><td>{{ d.row }}</td><td>{{ d.case_number }}</td><td>{{ d.statute }}</td><td>{{ d.reason }}</td></tr>{% endfor %}{% endfor %}
</table>{% else %}<p>None.</p>{% endif %}

<h2>Rejected rows ({{ rejects|length }})</h2>
{% if rejects %}<table><tr><th scope="col">Row</th><th scope="col">Column</th><th scope="col">Reason</th></tr>
{% for r in rejects %}<tr><td>{{ r.row }}</td><td>{{ r.column or "" }}</td><td>{{ r.reason }}</td></tr>{% endfor %}
</table>{% else %}<p>None.</p>{% endif %}

<h2>Each record and its tests</h2>
{% for row, person, case, statute, outcome, rule, reason, checks in decided %}<details><summary>Row {{ row }}, person {{ person }}, case {{ case }}, {{ statute }}: <strong>{{ outcome }}</strong> ({{ rule }})</summary>
<p>{{ reason }}</p>
<table><tr><th scope="col">Test</th><th scope="col">Result</th><th scope="col">Why</th><th scope="col">Law</th></tr>
{% for css, result, test, why, law in checks %}<tr><td>{{ test }}</td><td class="{{ css }}">{{ result }}</td><td>{{ why }}</td><td>{{ law }}</td></tr>{% endfor %}
</table></details>
{% endfor %}
</body></html>
"""


def review_html(result: RuleSetResult, input_name: str) -> bytes:
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    html = env.from_string(_TEMPLATE).render(**review_context(result, input_name))
    return html.encode("utf-8")
