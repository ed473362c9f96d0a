"""The amount tests: not more than 30 g for a minor cannabis offense (20 ILCS 2630/5.2(i)), and
the motion route's limits (500 g possession under 550/4, 30 g delivery under 550/5 per
rules.toml [motion]). An amount that is not recorded is never guessed: it goes to review.
"""

from __future__ import annotations

from docgen.rules.il_crta.config import RuleConfig
from docgen.rules.il_crta.finding import Finding, fails, passes, undecided


def _grams(value: float) -> str:
    return f"{value:g} g"


def within_minor_amount(grams: float | None, config: RuleConfig) -> Finding:
    """Not more than 30 grams of any substance containing cannabis."""
    limit, cite = config.minor_offense.max_grams, config.law.definition
    test = "within_minor_amount"
    if grams is None:
        return undecided(
            test,
            f"Amount not recorded: a minor cannabis offense is not more than {_grams(limit)} "
            f"({cite}); check the amount in the court file",
            cite,
        )
    if grams <= limit:
        return passes(test, f"{_grams(grams)}, not more than {_grams(limit)} ({cite})", cite)
    return fails(
        test,
        f"{_grams(grams)}, more than {_grams(limit)}: not a minor cannabis offense ({cite})",
        cite,
    )


def within_motion_amount(grams: float | None, section: str, config: RuleConfig) -> Finding:
    """Within the motion route's limit for the section (500 g under 550/4, 30 g under 550/5)."""
    motion, law = config.motion, config.law
    if section == config.statutes.possession_section:
        limit, statute = motion.possession_max_grams, law.possession
    else:
        limit, statute = motion.delivery_max_grams, law.delivery
    test = "within_motion_amount"
    if grams is None:
        return undecided(
            test,
            f"Amount not recorded: a minor cannabis offense is not more than "
            f"{_grams(config.minor_offense.max_grams)} ({law.definition}) and a motion under "
            f"{law.relief} for {statute} reaches not more than {_grams(limit)}; check the amount "
            f"in the court file",
            law.relief,
        )
    if grams <= limit:
        return passes(
            test,
            f"{_grams(grams)} under {statute}, within {_grams(limit)} ({law.relief})",
            law.relief,
        )
    return fails(
        test,
        f"{_grams(grams)} under {statute}, more than the {_grams(limit)} a motion under "
        f"{law.relief} reaches",
        law.relief,
    )
