"""The ca-prop64 tests of gogen's later options file: choices an office makes (age, years since
the conviction, its own dismissal and reduction lists), not statute, so each cites H&S 11361.9.

Registered in CHECKS (docgen.rules.ca_prop64.legal_tests) like the statutory tests, under their function names.
"""

from __future__ import annotations

from docgen.rules.ca_prop64.legal_tests import POLICY, PROP64, Context, legal_test, years_between
from docgen.rules.core import Check


@legal_test
def under_21_at_conviction(ctx: Context) -> Check:
    dob, day = ctx.subject.dob, ctx.conviction.date
    passed = bool(dob and day and years_between(dob, day) < 21)
    return Check(
        "under_21_at_conviction",
        passed,
        f"{'Under' if passed else 'Not under'} 21 on the conviction date",
        f"{POLICY}; H&S § 11361.1 (age 21)",
    )


@legal_test
def age_at_least(ctx: Context) -> Check:
    threshold = int(ctx.params["age_threshold"])
    dob = ctx.subject.dob
    passed = bool(dob and years_between(dob, ctx.as_of) >= threshold)
    return Check(
        "age_at_least",
        passed,
        f"{'At least' if passed else 'Under'} {threshold} on {ctx.as_of}",
        POLICY,
    )


@legal_test
def years_since_conviction_at_least(ctx: Context) -> Check:
    threshold = float(ctx.params["years_since_conviction"])
    day = ctx.conviction.date
    since = years_between(day, ctx.as_of) if day else -1.0
    return Check(
        "years_since_conviction_at_least",
        since >= threshold,
        f"{since:.1f} years since this conviction (threshold {threshold:g})",
        POLICY,
    )


@legal_test
def deceased(ctx: Context) -> Check:
    passed = ctx.subject.deceased
    return Check(
        "deceased",
        passed,
        "The record shows the person deceased" if passed else "Not deceased",
        POLICY,
    )


@legal_test
def only_prop64_convictions(ctx: Context) -> Check:
    s = ctx.subject
    passed = s.prop64_convictions == len(s.convictions)
    return Check(
        "only_prop64_convictions",
        passed,
        f"{s.prop64_convictions} of {len(s.convictions)} conviction count(s) are Prop 64 offenses",
        POLICY,
    )


def _section_in_list(ctx: Context, test: str, param: str, list_name: str, law: str) -> Check:
    """Is the conviction's Prop 64 section in one of the office's lists (`param`)?"""
    sections = [str(s) for s in ctx.params.get(param, [])]
    passed = ctx.conviction.prop64 in sections
    return Check(
        test,
        passed,
        f"H&S {ctx.conviction.prop64} is {'' if passed else 'not '}in the office's {list_name}",
        law,
    )


@legal_test
def section_in_dismiss_list(ctx: Context) -> Check:
    return _section_in_list(
        ctx,
        "section_in_dismiss_list",
        "dismiss_sections",
        "dismissal list",
        f"{PROP64}(e); {POLICY}",
    )


@legal_test
def section_in_reduce_list(ctx: Context) -> Check:
    return _section_in_list(
        ctx,
        "section_in_reduce_list",
        "reduce_sections",
        "reduction list",
        f"{PROP64}(e), (f); {POLICY}",
    )
