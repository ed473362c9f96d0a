"""Running a county flow: the first step whose tests all pass gives the outcome.

Each test runs at most once per conviction and only when a step needs it, in the order the flow
asks; the chain of Checks it leaves is exactly what decided the outcome (a reviewer reads it in
the review report).
"""

from __future__ import annotations

from datetime import date

from docgen.rules.ca_prop64.checks import CHECKS
from docgen.rules.ca_prop64.config import Flow
from docgen.rules.ca_prop64.facts import Conviction, Flags, Subject
from docgen.rules.ca_prop64.legal_tests import Context
from docgen.rules.core import Check


def run_flow(
    flow: Flow,
    subject: Subject,
    conviction: Conviction,
    as_of: date,
    cutoff: date,
    flags: Flags,
) -> tuple[str, list[Check]]:
    ctx = Context(subject, conviction, as_of, cutoff, flags, flow.params)
    done: dict[str, Check] = {}
    chain: list[Check] = []
    for step in flow.steps:
        for condition in step.when:
            negated = condition.startswith("not ")
            name = condition.removeprefix("not ")
            check = done.get(name)
            if check is None:
                check = done[name] = CHECKS[name](ctx)
                chain.append(check)
            if check.passed == negated:
                break
        else:
            return step.then, chain
    raise AssertionError("a validated flow ends with an unconditional step")
