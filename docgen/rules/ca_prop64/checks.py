"""The legal tests of the ca-prop64 rule set: one small named function each, returning a Check.

A flow in rules.toml names these tests in order; each takes the conviction in its context and
says whether it passes, why (a plain sentence with the dates and numbers it used) and which law
it applies. Tests that are county policy rather than statute cite H&S 11361.9, under which the
prosecution reviews the records and decides what to challenge.
"""

from __future__ import annotations

from datetime import date

# The office's tests (gogen's later options file) register in CHECKS beside these when imported.
from docgen.rules.ca_prop64 import office_checks  # noqa: F401
from docgen.rules.ca_prop64.facts import Conviction, sentence_end
from docgen.rules.ca_prop64.legal_tests import (
    CHECKS,
    POLICY,
    PROP64,
    Context,
    legal_test,
    years_between,
)
from docgen.rules.core import Check

PRIOR_EXCEPTIONS = "H&S §§ 11358(d)(1), 11359(c)(1), 11360(a)(3)(A)"

# Every test by name, these and office_checks' (the rule set's flows name them): from here.
__all__ = ["CHECKS"]


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "unknown"


@legal_test
def before_cutoff(ctx: Context) -> Check:
    """Prop 64 took effect on 9 November 2016; relief covers offenses before it."""
    c = ctx.conviction
    day: date | None
    if ctx.flags.cutoff_date == "offense" and c.offense_date is not None:
        day, what = c.offense_date, "Offense date"
    else:
        day, what = c.date, "Conviction date"
    # gogen's unreadable date is year 1, which passes; otherwise a date is needed to know.
    passed = ctx.flags.unreadable_dates == "zero" if day is None else day < ctx.cutoff
    relation = "before" if passed else "not before"
    return Check(
        "before_cutoff",
        passed,
        f"{what} {_iso(day)} is {relation} {ctx.cutoff.isoformat()} (Prop 64's effective date)",
        f"{PROP64}(a), (e)",
    )


@legal_test
def offense_date_known(ctx: Context) -> Check:
    known = ctx.conviction.offense_date is not None
    return Check(
        "offense_date_known",
        known,
        "The offense date (CYC_DATE) is in the record"
        if known
        else "The offense date (CYC_DATE) is not in the record; only the conviction date is",
        f'{PROP64}(e) ("at the time of the offense")',
    )


@legal_test
def attempt_or_conspiracy(ctx: Context) -> Check:
    section = ctx.conviction.section
    flags = section.flags if section else ()
    return Check(
        "attempt_or_conspiracy",
        bool(flags),
        f"Charged with PC {'/'.join(flags)} (attempt or conspiracy) to the Prop 64 offense"
        if flags
        else "Not an attempt or conspiracy (no PC 664/182 flag)",
        f"{PROP64}(a); PC §§ 664, 182",
    )


@legal_test
def section_11357(ctx: Context) -> Check:
    passed = ctx.conviction.prop64 == "11357"
    return Check(
        "section_11357",
        passed,
        f"The code section is {'' if passed else 'not '}H&S 11357 (possession)",
        "H&S § 11357",
    )


def _subdivision(ctx: Context, letters: tuple[str, ...], any_case: bool) -> bool:
    c = ctx.conviction
    if ctx.flags.code_matching == "statute":
        s = c.section
        return bool(
            s and s.number == "11357" and s.subdivisions[:3] in tuple(f"({x})" for x in letters)
        )
    prefixes = tuple(f"11357({x})" for x in letters)
    return c.code.startswith(prefixes) if not any_case else c.code.upper().startswith(prefixes)


@legal_test
def subsection_11357_a_or_b(ctx: Context) -> Check:
    passed = _subdivision(ctx, ("A", "B"), any_case=False)
    return Check(
        "subsection_11357_a_or_b",
        passed,
        f"The conviction is {'' if passed else 'not '}under H&S 11357(a) or (b)",
        "H&S § 11357(a), (b)",
    )


@legal_test
def subsection_11357_b(ctx: Context) -> Check:
    # gogen tested a lower-case '11357(b)', which upper-case DOJ data never has.
    passed = (
        _subdivision(ctx, ("b",), any_case=False)
        if ctx.flags.code_matching == "gogen"
        else (_subdivision(ctx, ("B",), any_case=True))
    )
    return Check(
        "subsection_11357_b",
        passed,
        f"The conviction is {'' if passed else 'not '}under H&S 11357(b)",
        "H&S § 11357(b)",
    )


@legal_test
def code_starts_11357(ctx: Context) -> Check:
    c = ctx.conviction
    passed = (
        c.code.startswith("11357") if ctx.flags.code_matching == "gogen" else c.prop64 == "11357"
    )
    return Check(
        "code_starts_11357",
        passed,
        f"The code section is {'' if passed else 'not '}H&S 11357",
        "H&S § 11357",
    )


@legal_test
def superstrike_on_record(ctx: Context) -> Check:
    """gogen's Los Angeles test: any superstrike conviction, before or after, anywhere."""
    found = [c.code.strip() for c in ctx.subject.convictions if c.superstrike]
    return Check(
        "superstrike_on_record",
        bool(found),
        f"Superstrike conviction(s) on the record: {'; '.join(found)}"
        if found
        else "No superstrike conviction on the record",
        "PC § 667(e)(2)(C)(iv)",
    )


def _priors(ctx: Context, attribute: str) -> list[Conviction]:
    day = ctx.conviction.date
    if day is None:
        return []
    return [
        c
        for c in ctx.subject.convictions
        if getattr(c, attribute) and c.date is not None and c.date < day
    ]


def _prior_exception_applies(ctx: Context) -> bool:
    return ctx.conviction.prop64 in ("11358", "11359", "11360")


@legal_test
def prior_superstrike(ctx: Context) -> Check:
    """A prior superstrike keeps an 11358/11359/11360 offense a felony under Prop 64."""
    if not _prior_exception_applies(ctx):
        return Check(
            "prior_superstrike",
            False,
            "The prior-superstrike exception applies only to H&S 11358, 11359 and 11360",
            PRIOR_EXCEPTIONS,
        )
    priors = _priors(ctx, "superstrike")
    return Check(
        "prior_superstrike",
        bool(priors),
        f"Prior superstrike conviction(s) before {_iso(ctx.conviction.date)}: "
        + "; ".join(f"{c.code.strip()} ({_iso(c.date)})" for c in priors)
        if priors
        else f"No superstrike conviction before {_iso(ctx.conviction.date)}",
        f"{PRIOR_EXCEPTIONS}; PC § 667(e)(2)(C)(iv)",
    )


@legal_test
def prior_pc290(ctx: Context) -> Check:
    """A prior offense requiring PC 290(c) registration keeps 11358-11360 a felony."""
    if not _prior_exception_applies(ctx):
        return Check(
            "prior_pc290",
            False,
            "The prior-PC-290 exception applies only to H&S 11358, 11359 and 11360",
            PRIOR_EXCEPTIONS,
        )
    day = ctx.conviction.date
    priors = [f"{c.code.strip()} ({_iso(c.date)})" for c in _priors(ctx, "pc290")]
    if day is not None:
        priors += [
            f"PC 290 registration ({_iso(d)})"
            for d in ctx.subject.registration_dates
            if d is not None and d < day
        ]
    return Check(
        "prior_pc290",
        bool(priors),
        f"Prior offense(s) requiring PC 290 registration: {'; '.join(priors)}"
        if priors
        else f"No offense requiring PC 290 registration before {_iso(day)}",
        f"{PRIOR_EXCEPTIONS}; PC § 290(c)",
    )


@legal_test
def felony(ctx: Context) -> Check:
    passed = ctx.conviction.felony
    return Check(
        "felony",
        passed,
        "Convicted of a felony" if passed else "Convicted of a misdemeanor or infraction",
        f"{PROP64}(e), (f)",
    )


@legal_test
def more_than_one_conviction(ctx: Context) -> Check:
    n = len(ctx.subject.convictions)
    return Check(
        "more_than_one_conviction",
        n > 1,
        f"{n} conviction count(s) on the record",
        POLICY,
    )


@legal_test
def no_conviction_in_lookback(ctx: Context) -> Check:
    years = int(ctx.params["lookback_years"])
    latest = ctx.subject.latest_conviction
    since = years_between(latest, ctx.as_of) if latest else -1.0
    passed = since > years
    return Check(
        "no_conviction_in_lookback",
        passed,
        f"Latest conviction {_iso(latest)}, {since:.1f} years before {ctx.as_of.isoformat()}: "
        f"{'none' if passed else 'a conviction'} in the past {years} years",
        POLICY,
    )


@legal_test
def sentence_completed(ctx: Context) -> Check:
    end = sentence_end(ctx.conviction, ctx.flags)
    passed = end is not None and end < ctx.as_of
    return Check(
        "sentence_completed",
        passed,
        f"The sentence ended on {_iso(end)}, before {ctx.as_of.isoformat()}"
        if passed
        else f"The sentence has not ended by {ctx.as_of.isoformat()} (end: {_iso(end)})",
        f"{PROP64}(a), (e)",
    )


@legal_test
def related_charge(ctx: Context) -> Check:
    related = ctx.conviction.related
    return Check(
        "related_charge",
        related is not None,
        f"A related charge: {related.strip()}" if related else "Not a related charge",
        POLICY,
    )


@legal_test
def prop64_in_cycle(ctx: Context) -> Check:
    c = ctx.conviction
    if ctx.flags.related_cycle == "prop64_conviction":
        passed = c.cycle in ctx.subject.prop64_conviction_cycles
        what = "Prop 64 conviction"
    else:
        passed = c.cycle in ctx.subject.prop64_cycles
        what = "Prop 64 charge (on any row, convicted or not)"
    return Check(
        "prop64_in_cycle",
        passed,
        f"The same arrest cycle {'has a' if passed else 'has no'} {what}",
        POLICY,
    )


@legal_test
def code_is_4060_bp(ctx: Context) -> Check:
    c = ctx.conviction
    if ctx.flags.code_matching == "gogen":
        passed = c.code == "4060 BP"
    else:
        passed = bool(c.section and c.section.number == "4060" and c.section.code == "BP")
    return Check(
        "code_is_4060_bp", passed, f"The code section is {'' if passed else 'not '}BP 4060", POLICY
    )
