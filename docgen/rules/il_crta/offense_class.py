"""Offense classes: reading the class cell, and the class test of the motion route.

20 ILCS 2630/5.2(i)(3) reaches misdemeanors and Class 4 felonies under 720 ILCS 550/4 and
Class 4 felonies under 720 ILCS 550/5; rules.toml [motion] lists the classes per section.
"""

from __future__ import annotations

import re

from docgen.rules.il_crta.config import RuleConfig
from docgen.rules.il_crta.finding import Finding, fails, passes, undecided

_MISD = re.compile(
    r"(?:CLASS\s*)?([ABC])\s*MISD(?:EMEANOR)?|MISD(?:EMEANOR)?\s*(?:CLASS\s*)?([ABC])|CLASS\s*([ABC])|M([ABC])"
)
_FEL = re.compile(
    r"(?:CLASS\s*)?([1-4X])\s*FEL(?:ONY)?|FEL(?:ONY)?\s*(?:CLASS\s*)?([1-4X])|CLASS\s*([1-4X])|F([1-4X])"
)
_OTHER = {
    "PETTY": "Petty offense",
    "PETTY OFFENSE": "Petty offense",
    "BUSINESS OFFENSE": "Business offense",
    "CIVIL LAW VIOLATION": "Civil law violation",
    "CIVIL": "Civil law violation",
}
_UNKNOWN = frozenset({"", "UNKNOWN", "NOT RECORDED", "NONE", "N/A", "NA"})
NOT_RECORDED = "Not recorded"


def parse_offense_class(text: str) -> str | None:
    """'Class A misdemeanor', 'Class 4 felony', ... from common spellings; None if not recorded.

    Raises ValueError (message without the value) for anything else.
    """
    key = re.sub(r"[\s\-_.]+", " ", text.strip().upper()).strip()
    if key in _UNKNOWN:
        return None
    if key in _OTHER:
        return _OTHER[key]
    compact = key.replace(" ", "")
    spaced = key
    for pattern, kind in ((_MISD, "misdemeanor"), (_FEL, "felony")):
        for candidate in (spaced, compact):
            match = pattern.fullmatch(candidate)
            if match:
                letter = next(g for g in match.groups() if g)
                return f"Class {letter} {kind}"
    raise ValueError(
        "unknown offense class (use e.g. Class A misdemeanor, Class 4 felony, or leave empty)"
    )


def is_felony(label: str | None) -> bool | None:
    if label is None:
        return None
    return label.endswith("felony")


def motion_class_allowed(offense_class: str | None, section: str, config: RuleConfig) -> Finding:
    """The class is one the motion to vacate and expunge reaches for this section."""
    law = config.law
    if section == config.statutes.possession_section:
        allowed, statute = config.motion.possession_classes, law.possession
    else:
        allowed, statute = config.motion.delivery_classes, law.delivery
    shown = ", ".join(allowed)
    if offense_class is None:
        return undecided(
            "motion_class_allowed",
            f"Offense class not recorded; a motion under {law.relief} reaches only {shown} "
            f"under {statute}: check the class in the court file",
            law.relief,
        )
    if offense_class in allowed:
        return passes(
            "motion_class_allowed",
            f"{offense_class} under {statute}, a class {law.relief} reaches",
            law.relief,
        )
    return fails(
        "motion_class_allowed",
        f"{offense_class} under {statute}: {law.relief} reaches only {shown}",
        law.relief,
    )
