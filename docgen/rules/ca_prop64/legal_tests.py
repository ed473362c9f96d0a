"""What every legal test of the ca-prop64 rule set shares: the laws they cite, the context a test
reads (Context) and the registry of tests by name (CHECKS, filled by @legal_test in
docgen.rules.ca_prop64.checks and docgen.rules.ca_prop64.office_checks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from docgen.rules.ca_prop64.facts import Conviction, Flags, Subject
from docgen.rules.core import Check

PROP64 = "H&S § 11361.8"
POLICY = "H&S § 11361.9 (county policy)"


@dataclass(frozen=True, slots=True)
class Context:
    subject: Subject
    conviction: Conviction
    as_of: date
    cutoff: date
    flags: Flags
    params: dict[str, Any]


Test = Callable[[Context], Check]
CHECKS: dict[str, Test] = {}


def legal_test(fn: Test) -> Test:
    CHECKS[fn.__name__] = fn
    return fn


def years_between(earlier: date, later: date) -> float:
    """gogen's measure: days / 365.25."""
    return (later - earlier).days / 365.25
