"""Each California pack's own demo input: a gogen results file of its county (fictional people,
case numbers in its court's format) and two letter addresses in the county, written by
tests/fixtures/gogen/make_fixtures.py. ca-los-angeles reads golden.csv, ca-san-francisco golden-san-francisco.csv."""

from __future__ import annotations

from pathlib import Path

GOGEN_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gogen"
# pack -> (the county its rows are in, as DOJ writes STP_ORI_CNTY_NAME; the fixtures' file slug)
COUNTY_PACKS = {
    "ca-san-joaquin": ("SAN JOAQUIN", "san-joaquin"),
    "ca-sacramento": ("SACRAMENTO", "sacramento"),
    "ca-contra-costa": ("CONTRA COSTA", "contra-costa"),
}


def demo_input(pack: str) -> tuple[Path, Path]:
    """The pack's gogen results file and its addresses file."""
    if pack == "ca-san-francisco":  # golden.csv's rows as San Francisco convictions
        return GOGEN_FIXTURES / "golden-san-francisco.csv", GOGEN_FIXTURES / "addresses.csv"
    if pack not in COUNTY_PACKS:
        return GOGEN_FIXTURES / "golden.csv", GOGEN_FIXTURES / "addresses.csv"
    slug = COUNTY_PACKS[pack][1]
    return GOGEN_FIXTURES / f"golden-{slug}.csv", GOGEN_FIXTURES / f"addresses-{slug}.csv"
