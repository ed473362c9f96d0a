"""Recognising code sections in DOJ offense text: Prop 64, related, superstrike and PC 290.

Two readings, chosen by the rule set's mode:

- **gogen** reproduces gogen (Code for America, 2019, commit 0700fba) as
  ../shared/docs/gogen-flows.md section 1 specifies it: case-sensitive, unanchored matches
  anywhere in the text (so `11357.5` counts as Prop 64 and `137 PC` as a superstrike).
- **statute** parses the section (`664/11359(A) HS` -> flags 664, section 11359, subdivisions
  (A), code HS) and compares whole sections against lists kept as data in rules.toml, where an
  entry `286(C)*` means 286(C) and any of its subdivisions and `286` means exactly 286.

Everything is cached per distinct text: a DOJ extract repeats a few thousand codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PROP64_SECTIONS = ("11357", "11358", "11359", "11360")
LAW_CODES = frozenset({"HS", "PC", "VC", "BP", "MV", "WI", "GC", "FG", "CC", "RT", "UI", "ED"})

# ------------------------------------------------------------------ gogen's matchers (verbatim)

_GOGEN_PROP64 = re.compile(r"(11357|11358|11359|11360)", re.ASCII)
_GOGEN_RELATED = re.compile(
    r"(647\(f\)\s*PC|602\s*PC|466\s*PC|148\.9\s*PC|148\s*PC|11364\s*HS|11550\s*HS"
    r"|4140\s*BP|4149\s*BP|4060\s*BP|40508\s*VC|1320[^\d.][^.]*PC)",
    re.ASCII,
)
_GOGEN_RELATED_ANY_CASE = re.compile(_GOGEN_RELATED.pattern, re.ASCII | re.IGNORECASE)
_SUPERSTRIKE_SECTIONS = (
    r"37|128|187|188|189|189\.1|189\.5|190(?:\.\d{1,2})?(?:\(.*\))?|191|191\.5|205|207|209"
    r"|209\.5|217\.1|218|219|220|245\(D\)\(3\)|261(?:\(.*\))?|262(?:\(.*\))?|264\.1|269"
    r"|273AB(?:\(.*\))?|286|286\(C\)\([1-3]\)(?:\([A-C]\))?|286\(D\)\([1-3]\)|287"
    r"|288|288\(A\)|288\(B\)\([1-2]\)|288A|288A\(D\)|288A\(C\)\(1\)|288A\(C\)\(2\)\([A-C]\)"
    r"|288\.5|288\.5\(A\)|289|289\(J\)|289\(A\)\(1\)\([A-C]\)|289\(A\)\(2\)\(C\)|451\.5|653F"
    r"|667\.61|667\.7|667\.71|4500|11418\(A\)\(1\)|11418\(B\)\([1-2]\)|12308|12310|18745|18755"
)
_GANG_PARTNERS = r"(?:136\.1|215|213\(A\)\(1\)\(A\)|246|519|12022\.55)"
_GOGEN_SUPERSTRIKE = re.compile(
    rf"(?:(?:{_SUPERSTRIKE_SECTIONS}) PC"
    rf"|{_GANG_PARTNERS}.*186\.22\(B\)\(4\) PC|186\.22\(B\)\(4\).*{_GANG_PARTNERS} PC"
    r"|1672\(A\) MV)",
    re.ASCII,
)
_GOGEN_PC290 = re.compile(
    r"(?:236\.1\(B|236\.1\(C|243\.4|261 PC|261[(.A-Z]+|262\(A\) PC|262\(A\)\(1\) PC"
    r"|264\.1 PC|264\.1\(|(?:266|266C|266J|267|269|272|285|287|288) PC|266H\(B\)|266I\(B\)"
    r"|269[(.A-Z]|286[^.]* PC|288A|288\.[23457]|289[^.]* PC|311\.1|311\.2\([BCD]\) PC"
    r"|311\.3|311\.4|311\.10|311\.11|314\(1\) PC|314\(2\) PC|451\.5 PC|647\.6|647A"
    r"|653F\(B\) PC|653F\(C\) PC)",
    re.ASCII,
)


def _remove_flag(code: str, flag: str) -> str:
    return re.sub(rf"\s?[-/+]?\s?{flag}\s?[-/+]?\s?", " ", code)


@lru_cache(maxsize=65536)
def gogen_prop64_section(code: str) -> str | None:
    """'664/11359 HS' -> '11359'; any text containing one of the four numbers counts."""
    m = _GOGEN_PROP64.search(code)
    return m.group(1) if m else None


@lru_cache(maxsize=65536)
def gogen_related_section(code: str, any_case: bool = False) -> str | None:
    m = (_GOGEN_RELATED_ANY_CASE if any_case else _GOGEN_RELATED).search(code)
    return m.group(1) if m else None


@lru_cache(maxsize=65536)
def gogen_is_superstrike(code: str) -> bool:
    return any(
        _GOGEN_SUPERSTRIKE.search(_remove_flag(code, flag)) is not None for flag in ("664", "182")
    )


@lru_cache(maxsize=65536)
def gogen_is_pc290(code: str) -> bool:
    return _GOGEN_PC290.search(code) is not None


# ------------------------------------------------------------------ parsed sections (statute)

_PARSE = re.compile(
    r"^\s*(?P<flags>(?:(?:664|182)\s*[-/+]\s*)*)"
    r"(?P<number>\d+(?:\.\d+)?[A-Z]{0,2})"
    r"(?P<subs>(?:\s?\([0-9A-Z]{1,4}\))*)"
    r"\s*(?P<code>[A-Z]{2,3})?\b"
)


# DOJ comment text sometimes leads with a marker: 'CHRG 11358 HS', ':CHRG 11358 HS'.
_NOISE = re.compile(r"^[\s:;.,]*(?:CHRG|CHARGE)?[\s:]*")


@dataclass(frozen=True, slots=True)
class Section:
    """A code section as the law names it: '664/11359(A) HS' -> 11359(A) HS with flag 664."""

    number: str  # '11359', '288A', '191.5'
    subdivisions: str  # '(A)(1)' or ''
    code: str  # 'HS', 'PC', ... or '' when the text does not say
    flags: tuple[str, ...]  # '664' (attempt), '182' (conspiracy)

    @property
    def full(self) -> str:
        return self.number + self.subdivisions


@lru_cache(maxsize=65536)
def parse_section(text: str) -> Section | None:
    """Parse the start of a code section, case-insensitively; None when it is not one."""
    m = _PARSE.match(_NOISE.sub("", text.upper()))
    if m is None:
        return None
    number, code = m["number"], m["code"] or ""
    letters = re.search(r"[A-Z]+$", number)
    if letters and letters.group(0) in LAW_CODES and not m["subs"] and not code:
        # '11359HS': the letters are the code, not part of the section number.
        number, code = number[: letters.start()], letters.group(0)
    flags = tuple(re.findall(r"664|182", m["flags"]))
    return Section(number, m["subs"].replace(" ", ""), code, flags)


def statute_prop64_section(section: Section | None) -> str | None:
    if section is None or section.number not in PROP64_SECTIONS:
        return None
    return section.number if section.code in ("HS", "") else None


def matches_entry(section: Section, entry: str) -> bool:
    """`entry` from a rules.toml list: '286(C)*' = 286(C) and its subdivisions, '286' = exactly."""
    if entry.endswith("*"):
        stem = entry[:-1].upper()
        return section.full == stem or section.full.startswith(stem + "(")
    return section.full == entry.upper()


@lru_cache(maxsize=65536)
def in_section_list(section: Section | None, entries: tuple[str, ...], code: str = "PC") -> bool:
    if section is None or section.code not in (code, ""):
        return False
    return any(matches_entry(section, entry) for entry in entries)
