"""The ground of relief a motion states, built from the charges it lists.

The pack's `[[law.grounds]]` name what the relief statute covers, one entry per statute:

    [[law.grounds]]
    statute = "720 ILCS 550/4"                  # a prefix: 550/4(a) to (d), not 550/40
    name = "720 ILCS 550/4 (possession)"        # how the motion cites it
    classes = ["misdemeanor", "Class 4 felony"] # the offense classes the statute covers

`ground_text` says "a misdemeanor under 720 ILCS 550/4 (possession) or 720 ILCS 550/5 (...)" from
the statutes and classes actually listed, never a class the table does not show. A charge that
fits no ground (`unfit_reason`) is a determination problem: docgen.plan.planner rejects it into the run's
rejects, so no motion claims a ground that does not cover it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docgen.model import ChargeRow
    from docgen.packs import Pack

MISDEMEANOR = "misdemeanor"


def class_kind(offense_class: str) -> str:
    """ "Class A misdemeanor" -> "misdemeanor"; a felony keeps its class ("Class 4 felony")."""
    text = " ".join(offense_class.split())
    if re.search(r"\bmisdemeanor\b", text, re.IGNORECASE):
        return MISDEMEANOR
    found = re.search(r"\bclass\s+(\w+)\s+felony\b", text, re.IGNORECASE)
    if found:
        return f"Class {found.group(1).upper()} felony"
    return text


def _grounds(pack: Pack) -> list[dict[str, Any]]:
    return list(pack.config.law.get("grounds", []))


def _matches(statute: str, prefix: str) -> bool:
    return re.match(re.escape(prefix) + r"(?![0-9])", " ".join(statute.split()), re.I) is not None


def ground_of(pack: Pack, charge: ChargeRow) -> dict[str, Any] | None:
    """The pack's ground covering `charge` (its statute and class), or None."""
    kind = class_kind(charge.offense_class)
    for ground in _grounds(pack):
        if _matches(charge.statute, str(ground["statute"])) and kind in ground["classes"]:
            return ground
    return None


def unfit_reason(pack: Pack, charge: ChargeRow) -> str:
    """Why `charge` fits none of the pack's grounds ("" when it fits, or the pack has none)."""
    grounds = _grounds(pack)
    if not grounds or ground_of(pack, charge) is not None:
        return ""
    covered = "; ".join(f"{g['name']}: {' or '.join(g['classes'])}" for g in grounds)
    return (
        f"a {class_kind(charge.offense_class) or 'conviction without a class'} under "
        f"{' '.join(charge.statute.split())} is not a ground of relief under "
        f"{pack.config.law.get('relief_statute', 'the relief statute')} (it covers {covered}): "
        "a determination problem, review the row"
    )


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def ground_text(pack: Pack, charges: Iterable[ChargeRow]) -> str:
    """ "a misdemeanor or Class 4 felony under X" for the statutes and classes listed."""
    grounds = _grounds(pack)
    listed: dict[str, list[str]] = {}  # ground name -> classes listed under it, in pack order
    for charge in charges:
        ground = ground_of(pack, charge)
        if ground is None:
            continue
        kinds = listed.setdefault(ground["name"], [])
        kind = class_kind(charge.offense_class)
        if kind not in kinds:
            kinds.append(kind)
    # Statutes with the same classes are cited together: "a misdemeanor under X or Y".
    by_classes: dict[tuple[str, ...], list[str]] = {}
    for ground in grounds:
        found = listed.get(ground["name"])
        if found:
            ordered = tuple(k for k in ground["classes"] if k in found)
            by_classes.setdefault(ordered, []).append(ground["name"])
    parts = [
        f"{'an' if kinds[0][0].lower() in 'aeiou' else 'a'} {_either(list(kinds))} "
        f"under {_either(names)}"
        for kinds, names in by_classes.items()
    ]
    return _either(parts) if parts else ""
