"""Realistic fictional Illinois raw records (`docgen synth --raw`), for il-crta demos and tests.

People, addresses, case numbers and arresting agencies come from docgen.demo.synth (Faker, seeded);
this module adds what an Illinois criminal-history extract has and eligibility results do not:
amounts in grams, classes, non-conviction dispositions, 550/7 enhancements and the other charges
of a case. The mix is on purpose: eligible possession convictions, the motion route above 30 g,
amounts above 500 g, delivery, enhancements, associated violent crimes (domestic battery,
aggravated battery), associated felonies of both kinds, arrest-only records, supervision, arrests
after 25 June 2019 or before the windows, missing grams and missing dispositions, and a few
spellings an extract really uses ("720-550/4(c)", "F4", "Guilty plea").

The same `cases` and `seed` give the same rows. Every row passes il-crta's validation.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from docgen.demo.synth import Maker, day_between, years_before
from docgen.plan.accepts import SynthData
from docgen.rules.il_crta.records import RAW_COLUMN_ORDER

POSSESSION = "Possession of cannabis"
DELIVERY = "Manufacture or delivery of cannabis"
# subsection -> (class, min g, max g), as the bands of 720 ILCS 550/4 and 550/5 set them.
POSSESSION_BANDS = {
    "a": ("Class C misdemeanor", 0.1, 2.5),
    "b": ("Class B misdemeanor", 2.6, 10.0),
    "c": ("Class A misdemeanor", 10.1, 30.0),
    "d": ("Class 4 felony", 30.1, 500.0),
    "e": ("Class 3 felony", 500.1, 2000.0),
}
DELIVERY_BANDS = {
    "a": ("Class B misdemeanor", 0.1, 2.5),
    "b": ("Class A misdemeanor", 2.6, 10.0),
    "c": ("Class 4 felony", 10.1, 30.0),
    "d": ("Class 3 felony", 30.1, 500.0),
}
VIOLENT = (
    ("720 ILCS 5/12-3.2(a)(1)", "Domestic battery - bodily harm", "Class A misdemeanor"),
    ("720 ILCS 5/12-3.4(a)", "Violation of an order of protection", "Class A misdemeanor"),
    ("720 ILCS 5/12-3.05(d)(4)", "Aggravated battery - peace officer", "Class 2 felony"),
    ("720 ILCS 5/18-1(a)", "Robbery", "Class 2 felony"),
)
NON_VIOLENT = (
    ("720 ILCS 570/402(c)", "Possession of a controlled substance", "Class 4 felony"),
    ("625 ILCS 5/6-303(a)", "Driving while licence revoked", "Class A misdemeanor"),
    ("720 ILCS 5/16-1(a)(1)", "Theft - unauthorized control", "Class A misdemeanor"),
)
UNLISTED_FELONY = (
    ("720 ILCS 5/21-1(a)(1)", "Criminal damage to property", "Class 4 felony"),
    ("720 ILCS 5/31-1(a-7)", "Resisting a peace officer - injury", "Class 4 felony"),
)
CONVICTIONS = ("conviction", "Guilty plea", "Finding of guilty", "conviction", "conviction")
NON_CONVICTIONS = ("dismissed", "nolle_prosequi", "SOL", "acquitted", "released_without_charging")
# (kind, weight): what each case is built around.
KINDS = (
    ("possession_minor", 33),
    ("possession_motion", 8),
    ("possession_over_500", 4),
    ("delivery_minor", 7),
    ("delivery_over_30", 3),
    ("enhanced", 4),
    ("violent", 6),
    ("non_violent_felony", 3),
    ("unlisted_felony", 2),
    ("arrest_only", 15),
    ("supervision", 5),
    ("after_cutoff", 4),
    ("missing_grams", 4),
    ("no_disposition", 2),
)
EARLIEST_ARREST = date(1990, 1, 1)
CUTOFF = date(2019, 6, 25)


def _statute(rng: random.Random, section: str, sub: str) -> str:
    if rng.random() < 0.1:
        return f"720-550/{section}({sub})"  # an extract's compact form
    return f"720 ILCS 550/{section}({sub})"


def _class(rng: random.Random, label: str) -> str:
    if rng.random() < 0.08:  # short codes some extracts use
        letter = label.split()[1]
        return ("M" if label.endswith("misdemeanor") else "F") + letter
    return label


def _is_felony(label: str) -> bool:
    return label.endswith("felony") or (len(label) == 2 and label.startswith("F"))


def _grams(rng: random.Random, low: float, high: float) -> str:
    return f"{rng.uniform(low, high):.1f}".rstrip("0").rstrip(".")


class _RawMaker:
    def __init__(self, seed: int, synth: SynthData | None = None) -> None:
        self.maker = Maker(seed, synth)
        self.rng = self.maker.rng

    def charge(
        self, section: str, sub: str, *, grams: bool = True, enhanced: bool = False
    ) -> dict[str, str]:
        bands = POSSESSION_BANDS if section == "4" else DELIVERY_BANDS
        label, low, high = bands[sub]
        return {
            "statute": _statute(self.rng, section, sub),
            "offense_description": POSSESSION if section == "4" else DELIVERY,
            "offense_class": _class(self.rng, label),
            "amount_grams": _grams(self.rng, low, high) if grams else "",
            "enhancement_550_7": "Y" if enhanced else "",
        }

    def other(self, choices: tuple[tuple[str, str, str], ...]) -> dict[str, str]:
        statute, description, label = self.rng.choice(choices)
        return {
            "statute": statute,
            "offense_description": description,
            "offense_class": label,
            "amount_grams": "",
            "enhancement_550_7": "",
        }

    def case_charges(self, kind: str) -> tuple[list[dict[str, str]], str]:
        """The charges of one case and its disposition code."""
        rng = self.rng
        minor_sub = rng.choice("aabbc")
        disposition = rng.choice(CONVICTIONS)
        charges: list[dict[str, str]]
        if kind in ("possession_minor", "after_cutoff"):
            charges = [self.charge("4", minor_sub)]
        elif kind == "possession_motion":
            charges = [self.charge("4", "d")]
        elif kind == "possession_over_500":
            charges = [self.charge("4", "e")]
        elif kind == "delivery_minor":
            charges = [self.charge("5", rng.choice("abc"))]
        elif kind == "delivery_over_30":
            charges = [self.charge("5", "d")]
        elif kind == "enhanced":
            charges = [self.charge("5", "c", enhanced=rng.random() < 0.6)]
            if charges[0]["enhancement_550_7"] == "":  # charged as its own count instead
                charges.append(
                    {
                        "statute": "720 ILCS 550/7(b)",
                        "offense_description": "Delivery of cannabis on school grounds - enhancement",
                        "offense_class": "Class 3 felony",
                        "amount_grams": "",
                        "enhancement_550_7": "",
                    }
                )
        elif kind == "violent":
            charges = [self.charge("4", minor_sub), self.other(VIOLENT)]
        elif kind == "non_violent_felony":
            charges = [self.charge("4", minor_sub), self.other(NON_VIOLENT)]
        elif kind == "unlisted_felony":
            charges = [self.charge("4", minor_sub), self.other(UNLISTED_FELONY)]
        elif kind == "arrest_only":
            charges = [self.charge("4", minor_sub)]
            disposition = rng.choice(NON_CONVICTIONS)
        elif kind == "supervision":
            charges = [self.charge("4", minor_sub)]
            disposition = rng.choice(("supervision", "supervision_completed", "Court supervision"))
        elif kind == "missing_grams":
            charges = [self.charge("4", rng.choice("cd"), grams=False)]
        else:  # no_disposition
            charges = [self.charge("4", minor_sub)]
            disposition = ""
        if rng.random() < 0.12 and kind not in ("violent", "unlisted_felony", "non_violent_felony"):
            charges.append(self.other(NON_VIOLENT[1:]))  # a misdemeanor alongside, no bar
        return charges, disposition


def raw_rows(cases: int, seed: int, synth: SynthData | None = None) -> list[dict[str, str]]:
    """`cases` fictional cases (1-3 charge rows each) in the il-crta raw columns, in order, of the
    court whose `[accepts.synth]` is `synth` (docgen.demo.synth's default pack when None)."""
    if cases < 0:
        raise ValueError("cases must be 0 or more")
    raw = _RawMaker(seed, synth)
    maker, rng = raw.maker, raw.rng
    kinds, weights = zip(*KINDS, strict=True)
    rows: list[dict[str, str]] = []
    made = 0
    index = 0
    while made < cases:
        person = maker.person(index)
        index += 1
        n_cases = 1 if rng.random() >= 0.15 else rng.choice((2, 2, 3))
        n_cases = min(n_cases, cases - made)
        first_arrest = day_between(rng, EARLIEST_ARREST, date(2016, 12, 31))
        age = rng.randint(18, 40) if rng.random() > 0.02 else 17  # a few juvenile arrests
        dob = years_before(first_arrest, age) - timedelta(days=rng.randint(0, 300))
        for _ in range(n_cases):
            kind = rng.choices(kinds, weights=weights)[0]
            if kind == "after_cutoff":
                arrest = day_between(rng, CUTOFF + timedelta(days=1), date(2023, 12, 31))
            else:
                arrest = day_between(rng, first_arrest, first_arrest + timedelta(days=365 * 3))
                arrest = min(arrest, CUTOFF - timedelta(days=1))
            rows.extend(_case_rows(raw, person, dob, arrest, kind))
        made += n_cases
    return rows


def _case_rows(
    raw: _RawMaker, person: dict[str, str], dob: date, arrest: date, kind: str
) -> list[dict[str, str]]:
    maker, rng = raw.maker, raw.rng
    charges, disposition = raw.case_charges(kind)
    felony = any(_is_felony(c["offense_class"]) for c in charges)
    agency, place = maker.arrest(person["_town"])
    division = maker.synth.division_of(place, felony)
    number = maker.case_number(arrest.year, felony, place)
    disposed = arrest + timedelta(days=rng.choice((0, 1, rng.randint(2, 90), rng.randint(30, 300))))
    released = disposition == "released_without_charging"
    no_arrest_date = rng.random() < 0.03 and not released
    rows = []
    for charge in charges:
        row = {k: v for k, v in person.items() if not k.startswith("_")}
        row.update(
            {
                "date_of_birth": dob.isoformat(),
                "case_number": number,
                "court_division": division,
                "arrest_date": "" if no_arrest_date else arrest.isoformat(),
                "arresting_agency": agency,
                "disposition": disposition,
                "disposition_date": "" if released else disposed.isoformat(),
                **charge,
            }
        )
        rows.append({col: row.get(col, "") for col in RAW_COLUMN_ORDER})
    return rows
