"""Realistic fictional eligibility results for one court (demo and test data).

Everything is invented: people come from Faker (en_US and es_MX, seeded) and a fixed list of
names that exercise Unicode and long names; addresses are made-up numbers on real streets with
real ZIP codes. The places, their police departments, the sheriff, the court divisions and the
case-number style are the pack's (`[accepts.synth]` in templates/<pack>/pack.toml; il-cook's
when no pack is named), so Will County's rows name Joliet and its agencies, Cook's Chicago. The
same `cases`, `seed` and pack always give the same rows (for the pinned Faker version), and
every row passes `docgen.plan.validate`.

Shape: about 15% of people have several cases, each case has 1-3 charges (counts) under
720 ILCS 550/4 or 550/5; about 20% of people read Spanish; about 5% have no address;
determinations are about 70% vacate_expunge, 15% not_eligible and 15% needs_review.

`docgen synth --raw` makes Illinois raw records instead, for the il-crta rule set: the same
people and places (this module's `Maker`), with amounts, classes and dispositions to judge
(`raw_rows` in docgen/rules/il_crta/synth.py).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from docgen.demo.synth_tables import (
    DISPOSITIONS,
    FELONY_4C,
    FIRST_DISPOSITION,
    ILLINOIS_OUTCOMES,
    LAST_DISPOSITION,
    SPECIAL_EVERY,
    SPECIAL_LATER,
    SPECIAL_NAMES,
    STATUTE_WEIGHTS,
    STATUTES,
)
from docgen.errors import PackError
from docgen.model import ALL_COLUMNS
from docgen.packs import load_pack
from docgen.plan.accepts import SynthCharge, SynthData, SynthFelony, SynthPlace

# The court whose rows `docgen synth` writes when no pack is named.
DEFAULT_PACK = "il-cook"


def pack_synth(pack_name: str = DEFAULT_PACK) -> SynthData:
    """The pack's `[accepts.synth]`: its places, agencies, divisions and case numbers (and, from
    its layout, the state's charges and determinations), with the pack's [pack] state."""
    config = load_pack(pack_name).config
    synth = config.accepts.synth
    if synth is None:
        raise PackError(
            f"pack {pack_name} has no [accepts.synth] table (the case numbers, places and "
            "agencies `docgen synth` writes for its court): add one to its pack.toml, as "
            "templates/il-will/pack.toml does"
        )
    return synth if synth.state else synth.model_copy(update={"state": config.pack.state})


# The Illinois charges, dispositions and determinations, for an [accepts.synth] that sets none.
ILLINOIS_CHARGES: tuple[SynthCharge, ...] = tuple(
    SynthCharge(
        statute=statute,
        description=description,
        offense_class=offense_class,
        weight=weight,
        felony=SynthFelony(description=FELONY_4C[1], offense_class=FELONY_4C[2], share=0.35)
        if statute == FELONY_4C[0]
        else None,
    )
    for (statute, description, offense_class), weight in zip(STATUTES, STATUTE_WEIGHTS, strict=True)
)


def day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Maker:
    def __init__(self, seed: int, synth: SynthData | None = None) -> None:
        self.synth = synth or pack_synth()
        self.state = self.synth.state or "IL"
        self.charges = list(self.synth.charges or ILLINOIS_CHARGES)
        self.dispositions = list(self.synth.dispositions or DISPOSITIONS)
        self.outcomes = self.synth.determinations or ILLINOIS_OUTCOMES
        self.rng = random.Random(seed)
        self.fake = Faker(["en_US", "es_MX"])
        self.fake.seed_instance(seed)
        self.case_numbers: set[str] = set()
        self.person_ids: set[str] = set()
        self.special = 0

    # -- people

    def person(self, index: int) -> dict[str, str]:
        rng, fake = self.rng, self.fake
        hispanic = rng.random() < 0.32
        loc = fake["es_MX"] if hispanic else fake["en_US"]
        female = rng.random() < 0.3
        first = loc.first_name_female() if female else loc.first_name_male()
        last = loc.last_name()
        if hispanic and rng.random() < 0.4:
            last = f"{last} {loc.last_name()}"
        middle = ""
        if rng.random() < 0.4:
            middle = loc.first_name_female() if female else loc.first_name_male()
            if rng.random() < 0.5:
                middle = middle[0] + "."
        suffix = "" if female or rng.random() > 0.04 else rng.choice(("Jr.", "Sr.", "III"))
        language = "es" if hispanic and rng.random() < 0.62 else "en"
        person = {
            "first_name": first,
            "middle_name": middle,
            "last_name": last,
            "name_suffix": suffix,
            "language": language,
        }
        first_pass = index % SPECIAL_EVERY == 1 and self.special < len(SPECIAL_NAMES)
        if first_pass or index % SPECIAL_LATER == SPECIAL_LATER // 2:
            special = SPECIAL_NAMES[self.special % len(SPECIAL_NAMES)]
            self.special += 1
            person.update({"middle_name": "", "name_suffix": "", **special})
        while True:
            pid = f"{self.state}{rng.randint(10_000_000, 99_999_999)}"
            if pid not in self.person_ids:
                self.person_ids.add(pid)
                break
        person["person_id"] = pid
        person.update(self.address())
        return person

    def address(self) -> dict[str, str]:
        rng = self.rng
        empty = dict.fromkeys(
            ("address_line1", "address_line2", "city", "state", "postal_code", "_town"), ""
        )
        if rng.random() < 0.05:
            return empty
        line2 = ""
        if rng.random() < 0.3:
            line2 = rng.choice(("Apt ", "Unit ", "Apt. ", "# ")) + rng.choice(
                (str(rng.randint(1, 30)), f"{rng.randint(1, 6)}{rng.choice('ABCDEF')}")
            )
        synth = self.synth
        # The city's street is drawn before its number, a town's after: the order of draws that
        # keeps every pack's rows as they were.
        if rng.random() < synth.city_share:
            place, town = synth.city, ""
            street = rng.choice(place.streets)
            number = rng.randint(*place.street_numbers)
        else:
            place = rng.choice(synth.towns)
            town = place.name
            number = rng.randint(*place.street_numbers)
            street = rng.choice(place.streets)
        zip_code = place.zips[0] if len(place.zips) == 1 else rng.choice(place.zips)
        return {
            **empty,
            "address_line1": f"{number} {street}",
            "address_line2": line2,
            "city": place.name,
            "state": self.state,
            "postal_code": zip_code,
            "_town": town,
        }

    # -- cases

    def case_number(self, year: int, felony: bool, place: SynthPlace) -> str:
        # The pack's style: Cook's YYYY-CR-NNNNNNN (criminal division) or YYYY-MCd-NNNNNNN
        # (municipal district d), Will's 2015CF001234 ...
        style = self.synth
        while True:
            # One draw of the same range for every style, so the rest of the rows stay the same.
            drawn = self.rng.randint(1, 9_999_999) % 10**style.digits
            number = style.case_number(year, felony, place.district, drawn)
            if number not in self.case_numbers:
                self.case_numbers.add(number)
                return number

    def arrest(self, town_name: str) -> tuple[str, SynthPlace]:
        """The arresting agency of a case of someone living in `town_name` ("" the city), and the
        place whose court district hears it."""
        rng, synth = self.rng, self.synth
        town = synth.town(town_name) if town_name else None
        if town is not None and rng.random() < 0.8:
            return town.police, town
        roll = rng.random()
        if roll < 0.8:
            return synth.city.police, synth.city
        if roll < 0.92:
            return synth.sheriff, rng.choice(synth.towns)
        return synth.state_police, synth.city

    def case_rows(
        self, person: dict[str, str], dob: date, disposition: date
    ) -> list[dict[str, str]]:
        rng = self.rng
        arrest = disposition - timedelta(
            days=rng.choice((0, 1, rng.randint(2, 60), rng.randint(20, 240)))
        )
        agency, place = self.arrest(person["_town"])
        charges = rng.choices((1, 2, 3), weights=(60, 28, 12))[0]
        pool = list(self.charges)
        charges = min(charges, len(pool))
        weights = [c.weight for c in pool]
        drawn: list[SynthCharge] = []
        for _ in range(charges):
            i = rng.choices(range(len(pool)), weights=weights)[0]
            drawn.append(pool.pop(i))
            weights.pop(i)
        picks = [(c.statute, c.description, c.offense_class) for c in drawn]
        first = drawn[0]
        felony = False
        if first.felony is not None and rng.random() < first.felony.share:
            picks[0] = (first.statute, first.felony.description, first.felony.offense_class)
            felony = True
        division = self.synth.division_of(place, felony)
        number = self.case_number(arrest.year, felony, place)
        choices = list(self.outcomes)
        det_weights = [o.weight for o in self.outcomes.values()]
        case_det = rng.choices(choices, weights=det_weights)[0]
        disposition_text = rng.choice(self.dispositions)
        rows = []
        for statute, description, offense_class in picks:
            det = case_det
            if charges > 1 and rng.random() < 0.1:
                det = rng.choices(choices, weights=det_weights)[0]
            reasons = self.outcomes[det].reasons_for(statute, offense_class, disposition)
            if not reasons:  # e.g. "reduce" drawn for an infraction: one that fits the charge
                det, reasons = self._fitting(statute, offense_class, disposition, det)
            row = {k: v for k, v in person.items() if not k.startswith("_")}
            row.update(
                {
                    "date_of_birth": dob.isoformat(),
                    "case_number": number,
                    "court_division": division,
                    "arrest_date": arrest.isoformat(),
                    "arresting_agency": agency,
                    "statute": statute,
                    "offense_description": description,
                    "offense_class": offense_class,
                    "disposition": disposition_text,
                    "disposition_date": disposition.isoformat(),
                    "determination": det,
                    "reason": rng.choice(reasons),
                }
            )
            rows.append({col: row.get(col, "") for col in ALL_COLUMNS})
        return rows

    def _fitting(
        self, statute: str, offense_class: str, disposed: date, drawn: str
    ) -> tuple[str, list[str]]:
        """A determination, weighted, among those with a reason that fits the charge, and those
        reasons (`drawn` with every reason when none fits)."""
        fitting = {
            name: outcome.reasons_for(statute, offense_class, disposed)
            for name, outcome in self.outcomes.items()
        }
        names = [name for name, reasons in fitting.items() if reasons]
        if not names:
            return drawn, self.outcomes[drawn].reasons_for(
                statute, offense_class, disposed, every=True
            )
        weights = [self.outcomes[name].weight for name in names]
        name = self.rng.choices(names, weights=weights)[0]
        return name, fitting[name]


def synth_rows(cases: int, seed: int, synth: SynthData | None = None) -> list[dict[str, str]]:
    """`cases` fictional cases (1-3 charge rows each) with the canonical columns, in order, of the
    court whose `[accepts.synth]` is `synth` (DEFAULT_PACK's when None)."""
    if cases < 0:
        raise ValueError("cases must be 0 or more")
    maker = Maker(seed, synth)
    rng = maker.rng
    rows: list[dict[str, str]] = []
    made = 0
    index = 0
    while made < cases:
        person = maker.person(index)
        index += 1
        n_cases = 1
        if rng.random() < 0.15:
            n_cases = rng.choices((2, 3, 4), weights=(65, 25, 10))[0]
        n_cases = min(n_cases, cases - made)
        # Dispositions of one person lie within a few years, so the age stays 18-40 at arrest.
        first = day_between(rng, FIRST_DISPOSITION, LAST_DISPOSITION - timedelta(days=365 * 3))
        drawn: set[date] = set()
        while len(drawn) < n_cases:
            drawn.add(day_between(rng, first, first + timedelta(days=365 * 3)))
        dispositions = sorted(drawn)
        earliest_arrest = dispositions[0] - timedelta(days=240)
        age = rng.randint(18, 35)
        dob = years_before(earliest_arrest, age) - timedelta(days=rng.randint(0, 300))
        for disposition in dispositions:
            rows.extend(maker.case_rows(person, dob, disposition))
        made += n_cases
    return rows


def write_csv(
    rows: Iterable[dict[str, str]], path: Path, columns: Iterable[str] = ALL_COLUMNS
) -> None:
    """Write rows as CSV (UTF-8, header in `columns` order, extra keys kept after them)."""
    rows = list(rows)
    columns = list(columns)
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
