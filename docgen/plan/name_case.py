"""Names printed in the person's own case: `name_case("LUKE O'BRIEN-MCDONALD")` is
"Luke O'Brien-McDonald".

Records from the California DOJ and some clerks' systems hold names in capitals (or in lower
case); a letter that opens "Dear LUKE," shouts at the person it is written to. A name already in
mixed case is the person's own spelling ("DeShawn", "Macy", "van der Berg") and is returned
exactly as given. Only an all-upper or all-lower name is recased, word by word:

- each part of a hyphenated or apostrophe name is capitalised: "O'Brien", "D'Angelo", "Smith-Jones";
- "Mc" is always followed by a capital ("McDonald"); "Mac" only in names known to be Mac + name
  (MAC_NAMES), since "Mack", "Macy", "Machado" and "Macias" are not;
- particles inside a name stay lower case ("Maria de la Cruz", "Ludwig van Beethoven"), never the
  first word ("De La Rosa" when the name starts with it is left capitalised);
- suffixes keep their usual form: "Jr.", "Sr.", "II", "III", "IV".
"""

from __future__ import annotations

import re

from docgen.model import ChargeRow

# Lower-case particles of Spanish, Portuguese, French, Italian, Dutch and German names.
# One is lowered only where more of the name follows it in the same field: a last name "VAN" or
# "LE" alone (Vietnamese names) stays "Van", "Le"; a one-letter "y" only after the first word,
# so a middle initial is never lowered.
PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "du", "van", "von", "der",
     "den", "y", "ter", "ten", "zu"}
)  # fmt: skip
SUFFIXES = {"JR": "Jr", "JR.": "Jr.", "SR": "Sr", "SR.": "Sr.", "II": "II", "III": "III",
            "IV": "IV", "V": "V", "VI": "VI"}  # fmt: skip
# Surnames that are Mac + a name (Scottish and Irish). A "Mac..." not listed is capitalised
# plainly: "Mack", "Macy", "Machado", "Macias", "Mackey" are names of their own.
MAC_NAMES = frozenset(
    {"macarthur", "macdonald", "macdougall", "macgregor", "macintosh", "macintyre", "mackenzie",
     "mackinnon", "maclean", "macleod", "macmillan", "macneil", "macpherson", "macrae",
     "macaulay", "macbride", "maccormack", "macfarlane", "macgowan", "maclaren", "macnamara"}
)  # fmt: skip
_PIECE = re.compile(r"([-'\u2019])")


def is_mixed_case(name: str) -> bool:
    """True when `name` has both upper- and lower-case letters: the person's own spelling."""
    return any(ch.isupper() for ch in name) and any(ch.islower() for ch in name)


def _piece(piece: str) -> str:
    lower = piece.lower()
    if not lower:
        return piece
    if lower.startswith("mc") and len(lower) > 2:
        return "Mc" + lower[2].upper() + lower[3:]
    if lower in MAC_NAMES:
        return "Mac" + lower[3].upper() + lower[4:]
    return lower[0].upper() + lower[1:]


def _word(word: str) -> str:
    # "O'BRIEN" -> "O'Brien", "SMITH-JONES" -> "Smith-Jones": each piece capitalised on its own.
    return "".join(p if _PIECE.fullmatch(p) else _piece(p) for p in _PIECE.split(word))


def name_case(name: str, *, inner: bool = False) -> str:
    """`name` in the person's own case (see the module's doc); mixed case is kept as given.
    `inner`: the name is not the start of the full name (a last name after a first name), so a
    particle may open it ("de la Cruz")."""
    if not name or is_mixed_case(name):
        return name
    words = name.split(" ")
    out: list[str] = []
    for index, word in enumerate(words):
        bare = word.rstrip(",")
        tail = word[len(bare) :]
        upper = bare.upper()
        if index > 0 and upper in SUFFIXES:
            out.append(SUFFIXES[upper] + tail)
        elif (
            bare.lower() in PARTICLES
            and index < len(words) - 1
            and (index > 0 or (inner and len(bare) > 1))
        ):
            out.append(bare.lower() + tail)
        else:
            out.append(_word(bare) + tail)
    return " ".join(out)


def cased_row(row: ChargeRow) -> ChargeRow:
    """`row` with its name fields in the person's own case (each field on its own, so a
    particle or suffix is read within its field), for a letter's salutation and address."""
    return row.model_copy(
        update={
            "first_name": name_case(row.first_name),
            "middle_name": name_case(row.middle_name, inner=True),
            "last_name": name_case(row.last_name, inner=True),
            "name_suffix": SUFFIXES.get(row.name_suffix.upper(), row.name_suffix),
        }
    )
