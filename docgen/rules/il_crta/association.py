"""The associated-violent-crime test (20 ILCS 2630/5.2(i); "violent crime" as in
725 ILCS 120/3(c)).

A cannabis charge is associated with the person's other charges in the same case, and (rules.toml
[association] same_arrest_date) with their charges from the same arrest under another case
number. A violent one among them excludes relief. An associated felony the configuration lists
neither as violent nor as non-violent goes to review: "any felony in which force or threat of
force was used" is violent, and a statute alone does not say whether force was used. A row of the
same case that could not be read also goes to review: it might be the violent charge.
"""

from __future__ import annotations

from collections.abc import Iterable

from docgen.rules.il_crta.config import RuleConfig
from docgen.rules.il_crta.finding import Finding, fails, passes, undecided
from docgen.rules.il_crta.offense_class import is_felony
from docgen.rules.il_crta.records import RawRecord
from docgen.rules.il_crta.statutes import CANNABIS_ACT, matches, normalise_statute, parse_statute


def _violent_name(statute: str, config: RuleConfig) -> str | None:
    for entry in config.violent.statutes:
        if matches(statute, entry.prefix):
            return entry.name
    return None


def _known_non_violent(statute: str, config: RuleConfig) -> bool:
    citation = parse_statute(statute)
    if citation is not None and (citation.chapter, citation.act) == CANNABIS_ACT:
        return True  # other Cannabis Control Act counts are judged on their own
    return any(matches(statute, e.prefix) for e in config.non_violent.statutes)


def no_associated_violent_crime(
    associated: Iterable[RawRecord], unreadable_rows: Iterable[int], config: RuleConfig
) -> Finding:
    law = config.law
    cite = f"{law.definition}; {law.violent_definition}"
    test = "no_associated_violent_crime"
    others = sorted(associated, key=lambda r: r.row)
    for other in others:
        name = _violent_name(other.statute, config)
        if name is not None:
            return fails(
                test,
                f"Associated with {normalise_statute(other.statute)} ({name}, row {other.row}), a "
                f"violent crime under {law.violent_definition}: not a minor cannabis offense "
                f"({law.definition})",
                cite,
            )
    doubts: list[str] = []
    missing = sorted(unreadable_rows)
    if missing:
        rows = ", ".join(str(r) for r in missing)
        doubts.append(
            f"row(s) {rows} of the same case could not be read and may be a violent crime"
        )
    if config.association.review_unlisted_felonies:
        for other in others:
            felony = is_felony(other.offense_class)
            if felony is False or _known_non_violent(other.statute, config):
                continue
            kind = "a felony" if felony else "a charge of unrecorded class"
            doubts.append(
                f"associated {normalise_statute(other.statute)} (row {other.row}) is {kind}: "
                f"check that no force or threat of force was used ({law.violent_definition})"
            )
    if doubts:
        text = "; ".join(doubts)
        return undecided(test, text[0].upper() + text[1:], cite)
    if others:
        return passes(
            test,
            f"No associated violent crime among {len(others)} other charge(s) ({law.violent_definition})",
            cite,
        )
    return passes(test, f"No other charge associated with it ({law.violent_definition})", cite)
