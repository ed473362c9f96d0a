"""What a court document says, checked by `docgen check` from the pack's `[rules]` (the layout
rules are in docgen.check.checker and docgen.check.ink). One table of text rules, name -> pattern, matched
on the text with whitespace flattened:

- `[rules.court_wording]`: what no filing may print, on any page or across a page break: a
  fallback line printed as if it were a served party, an agency with no address, "1 persons",
  "each of the 0 convictions", a bare "Denied" box under a granting order, raw data (DOJ's
  charge prefix "CHRG 11358 HS", the apostrophe `determine` puts before = + - @ in its CSV);
- `[rules.required_wording.<kind>]`: what each document of that kind must hold (the Illinois
  order's separate denial line, the California order directing the Department of Justice to
  update its records, H&S 11361.9(f)); not looked for in a later volume, which holds exhibit
  rows only;
- `[rules.ground]`: the ground of relief a motion states names exactly the statutes and offense
  classes its charge table (or exhibit) lists.

Failures name the page and the rule, never the matching text (it may be personal data).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docgen.check.text import flat_text

if TYPE_CHECKING:
    from docgen.filing_rules import FilingRules, GroundRule


def content_failures(
    texts: list[str],
    rules: FilingRules,
    kind: str,
    failures: list[str],
    *,
    continued: bool = False,
) -> None:
    """The text rules on one document's pages; `continued`: a later volume (exhibit rows only)."""
    pages = [flat_text(t) for t in texts]
    whole = " ".join(pages)
    for name, pattern in rules.court_wording.items():
        compiled = re.compile(pattern)
        hits = [n for n, text in enumerate(pages, start=1) if compiled.search(text)]
        if hits:
            failures.append(f"page {hits[0]}: {name}")
        elif compiled.search(whole):  # a phrase running over a page break
            failures.append(f"{name} (across a page break)")
    for name, pattern in ({} if continued else rules.required_wording.get(kind, {})).items():
        if not re.search(pattern, whole):
            failures.append(f"the text does not contain {name}")
    if rules.ground and kind in rules.ground.documents:
        failures.extend(_ground_failures(whole, rules.ground))


def _named(text: str, patterns: dict[str, str]) -> set[str]:
    return {name for name, pattern in patterns.items() if re.search(pattern, text)}


def _ground_failures(whole: str, rule: GroundRule) -> list[str]:
    found = re.search(rule.paragraph, whole)
    if not found:
        return ["no ground of relief found (the paragraph [rules.ground] paragraph describes)"]
    ground = found.group(0)
    rest = whole[: found.start()] + " " + whole[found.end() :]
    failures = []
    stated, listed = _named(ground, rule.statutes), _named(rest, rule.statutes)
    if stated != listed:
        failures.append(
            "the ground of relief cites statute(s) "
            f"{', '.join(sorted(stated)) or 'none'} but the charges listed are under "
            f"{', '.join(sorted(listed)) or 'none'}"
        )
    listed_classes = _named(rest, rule.classes)
    # A bulk exhibit lists no class: then only the statutes can be compared.
    if listed_classes:
        stated_classes = _named(ground, rule.classes)
        if stated_classes != listed_classes:
            failures.append(
                "the ground of relief names offense class(es) "
                f"{', '.join(sorted(stated_classes)) or 'none'} but the charges listed are "
                f"{', '.join(sorted(listed_classes))}"
            )
    return failures
