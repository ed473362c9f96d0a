"""The fixed tables docgen.demo.synth draws from: Cook County's statutes, dispositions and
reasons (any Illinois pack without its own `[accepts.synth]` lists), and the names that must
render correctly (Unicode, a 60-letter hyphenated surname, a suffix), given to some people.
"""

from __future__ import annotations

from datetime import date

from docgen.plan.accepts import SynthOutcome

# (statute, description, class); 550/4(c) is a Class 4 felony on a subsequent offense.
STATUTES: tuple[tuple[str, str, str], ...] = (
    (
        "720 ILCS 550/4(a)",
        "Possession of cannabis, not more than 2.5 grams",
        "Class C misdemeanor",
    ),
    (
        "720 ILCS 550/4(b)",
        "Possession of cannabis, more than 2.5 grams but not more than 10 grams",
        "Class B misdemeanor",
    ),
    (
        "720 ILCS 550/4(c)",
        "Possession of cannabis, more than 10 grams but not more than 30 grams",
        "Class A misdemeanor",
    ),
    (
        "720 ILCS 550/5(a)",
        "Manufacture or delivery of cannabis, not more than 2.5 grams",
        "Class B misdemeanor",
    ),
    (
        "720 ILCS 550/5(b)",
        "Manufacture or delivery of cannabis, more than 2.5 grams but not more than 10 grams",
        "Class A misdemeanor",
    ),
)
FELONY_4C = (
    "720 ILCS 550/4(c)",
    "Possession of cannabis, more than 10 grams but not more than 30 grams, subsequent offense",
    "Class 4 felony",
)
STATUTE_WEIGHTS = (40, 25, 15, 12, 8)

DISPOSITIONS = (
    "Guilty plea",
    "Plea of guilty",
    "Finding of guilty",
    "Conviction",
    "Bench trial - finding of guilty",
)

REASONS: dict[str, tuple[str, ...]] = {
    "vacate_expunge": (
        "Minor cannabis offense (30 g or less) before 25 June 2019; no violent offense in case",
        "Possession under 720 ILCS 550/4 before 25 June 2019; qualifies under 20 ILCS "
        "2630/5.2(i)(3)",
        "Delivery of 30 g or less before 25 June 2019; no enhancement under 550/7",
    ),
    "not_eligible": (
        "Associated violent offense in the same case",
        "Sentencing enhancement under 720 ILCS 550/7",
        "Delivery to a person under 18",
        "Offense on school grounds",
    ),
    "needs_review": (
        "Quantity not recorded; verify the weight before filing",
        "Possible associated offense in the same case; hand review",
        "Disposition record incomplete; check the court file",
        "Identity match uncertain; confirm person before filing",
    ),
}

DETERMINATION_CHOICES = ("vacate_expunge", "not_eligible", "needs_review")
DETERMINATION_WEIGHTS = (70, 15, 15)
ILLINOIS_OUTCOMES: dict[str, SynthOutcome] = {
    det: SynthOutcome(weight=weight, reasons=list(REASONS[det]))
    for det, weight in zip(DETERMINATION_CHOICES, DETERMINATION_WEIGHTS, strict=True)
}

# Names that must render correctly; they appear deterministically for some people.
LONG_HYPHENATED = "Wolfeschlegelsteinhausen-Bergerdorff-Montgomery-Fitzwilliams"
assert len(LONG_HYPHENATED) == 60
SPECIAL_NAMES: tuple[dict[str, str], ...] = (
    {"first_name": "Siobhán", "middle_name": "Mary", "last_name": "O'Brien", "language": "en"},
    {"first_name": "José", "middle_name": "Luis", "last_name": "Núñez-García", "language": "es"},
    {"first_name": "Minh Khai", "middle_name": "Thị", "last_name": "Nguyễn", "language": "en"},
    {"first_name": "小龍", "middle_name": "", "last_name": "李", "language": "en"},
    {"first_name": "Alexandra", "middle_name": "", "last_name": LONG_HYPHENATED, "language": "en"},
    {"first_name": "DeShawn", "middle_name": "", "last_name": "Jackson", "name_suffix": "Jr."},
    {"first_name": "María José", "middle_name": "", "last_name": "Peña de la Cruz"},
)
# People 1, 7, 13, ... get the special names once each; after that one person in SPECIAL_LATER.
SPECIAL_EVERY = 6
SPECIAL_LATER = 40

FIRST_DISPOSITION = date(1995, 1, 1)
LAST_DISPOSITION = date(2018, 12, 31)
