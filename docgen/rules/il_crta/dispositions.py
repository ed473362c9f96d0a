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


def _route(
    test: str, disposition: str, config: RuleConfig, *, conviction: bool, law: str
) -> Finding:
    """Passes when the disposition is (conviction=True) or is not a conviction, citing `law`."""
    label = _label(disposition, config)
    kind = is_conviction(disposition, config)
    if kind is None:
        return undecided(test, f"Disposition: {label}; the route cannot be chosen without it", law)
    what = "a conviction" if kind else "not a conviction"
    verdict = passes if kind == conviction else fails
    return verdict(test, f"Disposition: {label}, {what} ({law})", law)


def conviction_on_record(disposition: str, config: RuleConfig) -> Finding:
    """The motion to vacate and expunge is for convictions."""
    return _route(
        "conviction_on_record", disposition, config, conviction=True, law=config.law.relief
    )


def no_conviction_on_record(disposition: str, config: RuleConfig) -> Finding:
    """Automatic expungement is for records of arrest that did not end in a conviction."""
    return _route(
        "no_conviction_on_record", disposition, config, conviction=False, law=config.law.automatic
    )
