"""Statute citations, and the tests that turn on the statute: which Cannabis Control Act section
was charged (720 ILCS 550/4 or 550/5), and whether the case carries a 550/7 enhancement.

Citations are read in the forms extracts use ("720 ILCS 550/4(c)", "720-550/4(c)",
"720 550/4-C") and printed in one form, "720 ILCS 550/4(c)".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docgen.rules.il_crta.config import RuleConfig
from docgen.rules.il_crta.finding import Finding, fails, passes, undecided

if TYPE_CHECKING:
    from docgen.rules.il_crta.records import RawRecord

_CITATION = re.compile(
    r"(\d{1,3})\s*(?:ILCS\s*|-\s*|\s+)(\d{1,4})\s*/\s*(\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?)\s*(.*)",
    re.IGNORECASE,
)
_SUBSECTION_DASH = re.compile(r"-([a-z0-9]{1,3})$", re.IGNORECASE)
_CANNABIS_WORDS = re.compile(r"cannabis|marijuana|marihuana", re.IGNORECASE)
CANNABIS_ACT = ("720", "550")


@dataclass(frozen=True, slots=True)
class Citation:
    chapter: str
    act: str
    section: str  # "4", "5.1", "12-3.2"
    rest: str  # "(c)", "(d)(1)", ""

    @property
    def text(self) -> str:
        return f"{self.chapter} ILCS {self.act}/{self.section}{self.rest}"


def parse_statute(text: str) -> Citation | None:
    match = _CITATION.fullmatch(" ".join(text.split()))
    if not match:
        return None
    chapter, act, section, rest = match.groups()
    rest = rest.strip().lower().replace(" ", "")
    if dash := _SUBSECTION_DASH.fullmatch(rest):  # "4-C" read as 4(c)
        rest = f"({dash.group(1)})"
    if rest and not rest.startswith("("):
        return None
    return Citation(chapter, act, section, rest)


def normalise_statute(text: str) -> str:
    citation = parse_statute(text)
    return citation.text if citation else " ".join(text.split())


def matches(statute: str, prefix: str) -> bool:
    """Whether a statute falls under a prefix: "720 ILCS 5/12-3.2" matches "...12-3.2(a)(1)",
    not "...12-3.25"; "720 ILCS 550/4" does not match 550/40."""
    pattern = re.escape(normalise_statute(prefix)) + r"(?![0-9]|[.\-][0-9])"
    return re.match(pattern, normalise_statute(statute), re.IGNORECASE) is not None


def cannabis_section(record: RawRecord, config: RuleConfig) -> tuple[Finding, str | None]:
    """The charge is under 720 ILCS 550/4 (possession) or 550/5 (manufacture or delivery).

    Returns the finding and the section ("4" or "5") when it passes.
    """
    law, statutes = config.law, config.statutes
    citation = parse_statute(record.statute)
    sections = (statutes.possession_section, statutes.delivery_section)
    test = "cannabis_section"
    if citation is None:
        if _CANNABIS_WORDS.search(record.offense_description):
            return undecided(
                test,
                "The statute cannot be read as an ILCS citation but the offense mentions "
                f"cannabis: check whether it is {law.possession} or {law.delivery}",
                law.definition,
            ), None
        return fails(
            test,
            f"Not charged under {law.possession} or {law.delivery}: not a cannabis offense "
            f"under {law.definition}",
            law.definition,
        ), None
    if (citation.chapter, citation.act) == CANNABIS_ACT and citation.section in sections:
        statute = law.possession if citation.section == sections[0] else law.delivery
        return passes(test, f"Charged under {statute}", law.definition), citation.section
    return fails(
        test,
        f"Charged under {citation.text}, not {law.possession} or {law.delivery}: not a cannabis "
        f"offense under {law.definition}",
        law.definition,
    ), None


def is_enhancement_row(record: RawRecord, config: RuleConfig) -> bool:
    citation = parse_statute(record.statute)
    return (
        citation is not None
        and (citation.chapter, citation.act) == CANNABIS_ACT
        and citation.section == config.statutes.enhancement_section
    )


def no_enhancement(
    record: RawRecord, associated: Iterable[RawRecord], config: RuleConfig
) -> Finding:
    """No penalty enhancement under 720 ILCS 550/7 (flagged on the charge, or charged in the case)."""
    law = config.law
    test = "no_550_7_enhancement"
    if record.enhancement_550_7:
        return fails(
            test,
            f"Sentence enhanced under {law.enhancement}: not a minor cannabis offense "
            f"({law.definition})",
            law.enhancement,
        )
    for other in sorted(associated, key=lambda r: r.row):
        if is_enhancement_row(other, config):
            return fails(
                test,
                f"The case also charges {law.enhancement} (row {other.row}): the cannabis charge "
                f"carries a penalty enhancement, so it is not a minor cannabis offense "
                f"({law.definition})",
                law.enhancement,
            )
    return passes(test, f"No penalty enhancement under {law.enhancement}", law.enhancement)
