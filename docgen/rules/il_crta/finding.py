"""A legal test's outcome with a third state: the record cannot tell (a person must look).

`Finding` is a `docgen.rules.core.Check` (the review report and the engine read it as one) that
also says whether the test could be decided from the record at all. A test that cannot be decided
(no amount in grams, no disposition) is `passed=False, unknown=True`: it never makes a row
eligible and never makes it ineligible; it sends the row to needs_review with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.rules.core import Check


@dataclass(frozen=True, slots=True)
class Finding(Check):
    unknown: bool = False

    @property
    def failed(self) -> bool:
        """Decided against relief (not merely undecided)."""
        return not self.passed and not self.unknown


def passes(test: str, reason: str, citation: str) -> Finding:
    return Finding(test=test, passed=True, reason=reason, citation=citation)


def fails(test: str, reason: str, citation: str) -> Finding:
    return Finding(test=test, passed=False, reason=reason, citation=citation)


def undecided(test: str, reason: str, citation: str) -> Finding:
    return Finding(test=test, passed=False, reason=reason, citation=citation, unknown=True)


def combine(findings: list[Finding]) -> str:
    """'pass' when all pass, 'fail' when any is decided against, else 'unknown'."""
    if any(f.failed for f in findings):
        return "fail"
    if all(f.passed for f in findings):
        return "pass"
    return "unknown"
