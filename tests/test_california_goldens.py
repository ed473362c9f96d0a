"""Goldens of the California packs: bulk motion (pleading paper + a two-page Exhibit A), bulk order,
letters in English and Spanish; PDF page images and text, DOCX XML. The page images catch a line
number drifting off its text line. Update only with `pytest --update-goldens`, then look."""

from __future__ import annotations

import pytest

from tests.ca_county_fixtures import COUNTY_PACKS, demo_input
from tests.conftest import run_pipeline
from tests.golden_files import GOLDENS_DIR, compare_docx, compare_pdf

# Each pack on its own county's input (tests/ca_county_fixtures.py).
PACKS = ["ca-los-angeles", "ca-san-francisco", *COUNTY_PACKS]
DOCUMENTS = {
    "bulk-motion": "bulk/motion-with-exhibit",
    "bulk-order": "bulk/order",
    "letter-en": "letters/G001",
    "letter-es": "letters/G002",
}
_runs: dict[str, object] = {}


def _run(pack: str, tmp_path_factory: pytest.TempPathFactory):
    if pack not in _runs:
        results, addresses = demo_input(pack)
        _runs[pack] = run_pipeline(
            results,
            tmp_path_factory.mktemp(f"golden-{pack}"),
            pack_name=pack,
            input_format="gogen",
            addresses=addresses,
        )
    return _runs[pack]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
@pytest.mark.parametrize("pack", PACKS)
def test_pdf_matches_golden(tmp_path_factory, update_goldens: bool, pack: str, name: str) -> None:
    run = _run(pack, tmp_path_factory)
    problems = compare_pdf(
        run.run_dir / f"{DOCUMENTS[name]}.pdf",
        GOLDENS_DIR / pack / name / "pdf",
        f"{pack}-{name}",
        update_goldens,
    )
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
@pytest.mark.parametrize("pack", PACKS)
def test_docx_matches_golden(tmp_path_factory, update_goldens: bool, pack: str, name: str) -> None:
    run = _run(pack, tmp_path_factory)
    problems = compare_docx(
        run.run_dir / f"{DOCUMENTS[name]}.docx",
        GOLDENS_DIR / pack / name / "docx",
        f"{pack}-{name}",
        update_goldens,
    )
    assert not problems, "\n".join(map(str, problems))
