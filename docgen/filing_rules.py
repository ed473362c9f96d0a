"""A pack's filing rules: the schema of its `[rules]` table and `rules_of`, which reads it.

The rules are data in the pack (page size, margins, allowed ink, fonts, size cap, stamp box,
forbidden text, pleading line numbers, exhibit pages, bookmarks), so `docgen check` never branches
on a court's name; a bad table is a PackError naming pack.toml and the key, never a value.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, ValidationError

from docgen.check.letters import LetterRules
from docgen.errors import PackError
from docgen.packs import Pack


class Margins(BaseModel):
    model_config = ConfigDict(extra="forbid")
    top: float
    right: float
    bottom: float
    left: float


class InkBox(BaseModel):
    """A box, from the page's top-left corner, where ink in a margin is allowed."""

    model_config = ConfigDict(extra="forbid")
    what: str = ""
    left_in: float
    top_in: float
    width_in: float
    height_in: float


class LineNumbers(BaseModel):
    """Pleading-paper line numbers `first`..`last`, left of the text, at a fixed pitch."""

    model_config = ConfigDict(extra="forbid")
    first: int = 1
    last: int = 28
    left_in: float  # the band (from the left edge) the numbers are looked for in
    right_in: float
    pitch_pt: float | None = None  # baseline to baseline; checked when given


class PageLayout(BaseModel):
    """Pages of another size that a filing may carry (a landscape exhibit)."""

    model_config = ConfigDict(extra="forbid")
    page_size_in: tuple[float, float]
    margins_in: Margins
    footer_band_in: tuple[float, float] | None = None
    allowed_ink_in: list[InkBox] = []


class StampBox(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: list[str]
    page: int = 1
    left_in: float
    top_in: float
    width_in: float
    height_in: float


class SignatureRule(BaseModel):
    """A signature never stands on a page without the text it signs (docgen.check.content): a
    page holding a line that matches `line` ("/s/ ...") holds at least `min_lines_above` lines of
    text above it there, not counting the sign-off (`lead`: "Respectfully submitted,", "Dated:
    ..."), pleading line numbers or the footer band."""

    model_config = ConfigDict(extra="forbid")
    line: str
    lead: str = ""
    min_lines_above: int = 1


class GroundRule(BaseModel):
    """The ground of relief (a paragraph found by `paragraph`) names exactly the statutes and
    classes (name -> pattern) found in the rest of the document (docgen.check.wording)."""

    model_config = ConfigDict(extra="forbid")
    documents: list[str]
    paragraph: str
    statutes: dict[str, str]
    classes: dict[str, str] = {}


class ExhibitCountRule(BaseModel):
    """`[rules.exhibit_counts]`: the counts a bulk motion or order states agree with its Exhibit A.
    `total`: patterns of the sentence giving the number of convictions listed (group `count`;
    none: one); `marked`: the pattern of a sentence about the convictions marked with a relief
    (groups `count`, or none for one, and `label`); `labels`: the exhibit's relief cells."""

    model_config = ConfigDict(extra="forbid")
    documents: list[str]
    total: list[str] = []
    marked: str = ""
    labels: list[str] = []


class FilingRules(BaseModel):
    """The schema of a pack's `[rules]` table."""

    model_config = ConfigDict(extra="forbid")
    documents: list[str]
    page_size_in: tuple[float, float]
    margins_in: Margins
    footer_band_in: tuple[float, float] | None = None
    allowed_ink_in: list[InkBox] = []
    min_font_pt: float
    footer_min_font_pt: float | None = None
    max_bytes: int
    pdfa: str | None = None
    searchable: bool = True
    fonts_embedded: bool = True
    case_number_on_every_page: bool = False
    stamp_box: StampBox | None = None
    forbidden_text: dict[str, str] = {}
    line_numbers: LineNumbers | None = None  # required on every page of page_size_in
    exhibit_pages: PageLayout | None = None  # pages of this size are exhibit pages
    required_bookmarks: dict[str, list[str]] = {}  # kind -> outline titles (prefixes) it must have
    # What the documents say (docgen.check.wording), name -> pattern: what no filing may print
    # (fallback lines, "1 persons", raw DOJ codes), what each document of a kind must hold (the
    # order's denial line, the direction to the DOJ), and the ground of relief agreeing with the
    # charges listed.
    court_wording: dict[str, str] = {}
    required_wording: dict[str, dict[str, str]] = {}
    ground: GroundRule | None = None
    # Court content (docgen.check.content): kinds that carry Exhibit A (its bookmark and a
    # "Rows a-b" bookmark for every row; a bulk order only unless `[bulk] order_exhibit =
    # "by_reference"`), and kinds whose printed page numbers must read 1..N across the file
    # (Cal. Rules of Court 3.1110(c)).
    exhibit_in: list[str] = []
    consecutive_page_numbers: list[str] = []
    signature: SignatureRule | None = None
    exhibit_counts: ExhibitCountRule | None = None
    # A line introducing what follows (a pattern, e.g. ":$"): it never ends a page (content.py).
    lead_in: str | None = None
    # The notification letters (docgen.check.letters): salutation, relief words, the agencies'
    # end date, the address block inside the #10 window.
    letters: LetterRules | None = None

    @property
    def main_layout(self) -> PageLayout:
        return PageLayout(
            page_size_in=self.page_size_in,
            margins_in=self.margins_in,
            footer_band_in=self.footer_band_in,
            allowed_ink_in=self.allowed_ink_in,
        )


def rules_of(pack: Pack) -> FilingRules:
    raw = (pack.config.model_extra or {}).get("rules")
    toml = pack.directory / "pack.toml"
    if raw is None:
        raise PackError(f"{toml}: no [rules] table, so there is nothing to check filings against")
    try:
        rules = FilingRules.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"rules.{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise PackError(f"{toml}: {problems}") from None
    patterns = [
        *(("forbidden_text", n, p) for n, p in rules.forbidden_text.items()),
        *(("court_wording", n, p) for n, p in rules.court_wording.items()),
        *(
            (f"required_wording.{kind}", n, p)
            for kind, table in rules.required_wording.items()
            for n, p in table.items()
        ),
    ]
    if rules.letters:
        patterns.append(("letters", "greeting", rules.letters.greeting))
        patterns.extend(
            (f"letters.required.{kind}", n, p)
            for kind, table in rules.letters.required.items()
            for n, p in table.items()
        )
        for r in rules.letters.relief:
            patterns.extend(("letters.relief", r.what, p) for p in (r.when, r.unless, r.forbid))
    if rules.ground:
        patterns.append(("ground", "paragraph", rules.ground.paragraph))
        patterns.extend(("ground.statutes", n, p) for n, p in rules.ground.statutes.items())
        patterns.extend(("ground.classes", n, p) for n, p in rules.ground.classes.items())
    for table, name, pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise PackError(f"{toml}: rules.{table}.{name}: bad pattern: {exc}") from None
    return rules
