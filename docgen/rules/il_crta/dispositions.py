"""The disposition tests: a conviction (the motion route, 20 ILCS 2630/5.2(i)(3)) or a
non-conviction record of arrest (automatic expungement, 20 ILCS 2630/5.2(i)(1)).

rules.toml [dispositions] says which codes are convictions. A successfully completed supervision
or qualified probation is not a conviction; one terminated unsatisfactorily is. A record with no
disposition cannot be routed: it goes to review.
"""

from __future__ import annotations

from docgen.rules.il_crta.config import RuleConfig
from docgen.rules.il_crta.finding import Finding, fails, passes, undecided


def is_conviction(disposition: str, config: RuleConfig) -> bool | None:
    return config.dispositions[disposition].conviction


def _label(disposition: str, config: RuleConfig) -> str:
    return config.dispositions[disposition].label


def conviction_on_record(disposition: str, config: RuleConfig) -> Finding:
    """The motion to vacate and expunge is for convictions."""
    law, label = config.law, _label(disposition, config)
    kind = is_conviction(disposition, config)
    test = "conviction_on_record"
    if kind is None:
        return undecided(
            test, f"Disposition: {label}; the route cannot be chosen without it", law.relief
        )
    if kind:
        return passes(test, f"Disposition: {label}, a conviction ({law.relief})", law.relief)
    return fails(test, f"Disposition: {label}, not a conviction ({law.relief})", law.relief)


def no_conviction_on_record(disposition: str, config: RuleConfig) -> Finding:
    """Automatic expungement is for records of arrest that did not end in a conviction."""
    law, label = config.law, _label(disposition, config)
    kind = is_conviction(disposition, config)
    test = "no_conviction_on_record"
    if kind is None:
        return undecided(
            test, f"Disposition: {label}; the route cannot be chosen without it", law.automatic
        )
    if kind:
        return fails(test, f"Disposition: {label}, a conviction ({law.automatic})", law.automatic)
    return passes(test, f"Disposition: {label}, not a conviction ({law.automatic})", law.automatic)
