"""The date tests: the offense before the Act took effect (25 June 2019), the motion route's
windows (from 13 Aug 1973 under 550/4, 24 Sep 1983 under 550/5), and the automatic route's
conditions (an adult arrest at least a year old) and schedule.

The offense date is the arrest date. When only the disposition date is known, it still decides
what it can: an offense is never after its disposition.
"""

from __future__ import annotations

from datetime import date

from docgen.rules.il_crta.config import RuleConfig
from docgen.rules.il_crta.finding import Finding, fails, passes, undecided


def long_date(day: date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def years_between(start: date, end: date) -> int:
    years = end.year - start.year
    return years - ((end.month, end.day) < (start.month, start.day))


def offense_before(
    arrest: date | None, disposition: date | None, before: date, cite: str
) -> Finding:
    """The offense was committed before `before` (the day the Act took effect)."""
    test = "offense_before_cutoff"
    if arrest is not None:
        if arrest < before:
            return passes(
                test, f"Arrested {arrest.isoformat()}, before {long_date(before)} ({cite})", cite
            )
        return fails(
            test, f"Arrested {arrest.isoformat()}, not before {long_date(before)} ({cite})", cite
        )
    if disposition is not None and disposition < before:
        return passes(
            test,
            f"Disposed of {disposition.isoformat()}, so the offense was before "
            f"{long_date(before)} ({cite})",
            cite,
        )
    return undecided(
        test,
        f"Arrest date not recorded: check that the offense was before {long_date(before)}",
        cite,
    )


def offense_in_motion_window(
    arrest: date | None, disposition: date | None, section: str, config: RuleConfig
) -> Finding:
    """The offense lies in the motion route's window for the section."""
    motion, law = config.motion, config.law
    if section == config.statutes.possession_section:
        start, statute = motion.possession_from, law.possession
    else:
        start, statute = motion.delivery_from, law.delivery
    end = motion.before
    test = "offense_in_motion_window"
    window = f"{long_date(start)} to before {long_date(end)} for {statute}"
    day = arrest
    if day is None:
        if disposition is not None and disposition < start:
            return fails(
                test, f"Disposed of {disposition.isoformat()}, before {window}", law.relief
            )
        return undecided(
            test, f"Arrest date not recorded: check it lies within {window}", law.relief
        )
    if start <= day < end:
        return passes(
            test, f"Arrested {day.isoformat()}, within {window} ({law.relief})", law.relief
        )
    return fails(test, f"Arrested {day.isoformat()}, outside {window} ({law.relief})", law.relief)


def adult_at_arrest(
    birth: date, arrest: date | None, disposition: date | None, config: RuleConfig
) -> Finding:
    """Automatic expungement covers adult arrests (juvenile records have their own law)."""
    age_limit, cite = config.automatic.min_age_years, config.law.automatic
    test = "adult_at_arrest"
    if arrest is not None:
        age = years_between(birth, arrest)
        if age >= age_limit:
            return passes(test, f"{age} years old at arrest ({cite})", cite)
        return fails(
            test,
            f"{age} years old at arrest, under {age_limit}: not an adult record ({cite})",
            cite,
        )
    if disposition is not None and years_between(birth, disposition) < age_limit:
        return fails(test, f"Under {age_limit} at disposition, so at arrest too ({cite})", cite)
    return undecided(
        test, f"Arrest date not recorded: check the person was {age_limit} or older", cite
    )


def arrest_old_enough(arrest: date | None, as_of: date, config: RuleConfig) -> Finding:
    """The arrest is at least a year old on the day eligibility is computed."""
    years, cite = config.automatic.min_years_since_arrest, config.law.automatic
    test = "arrest_old_enough"
    if arrest is None:
        return undecided(test, "Arrest date not recorded: the automatic route counts from it", cite)
    if years_between(arrest, as_of) >= years:
        return passes(
            test,
            f"Arrest {arrest.isoformat()} is at least {years} year(s) before {as_of.isoformat()}",
            cite,
        )
    return fails(
        test,
        f"Arrest {arrest.isoformat()} is less than {years} year(s) before {as_of.isoformat()}",
        cite,
    )


def automatic_due(arrest: date, config: RuleConfig) -> date:
    """The day by which the State Police must have expunged an arrest of this date."""
    for step in config.automatic.schedule:  # newest first
        if arrest >= step.start:
            return step.due
    return config.automatic.schedule[-1].due
