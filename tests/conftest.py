from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.paths import FIXTURES

GOLDEN_INPUT = FIXTURES / "golden-input.csv"
RUN_DATE = date(2026, 12, 1)
# The gogen golden input of each California pack: its own county's convictions, the only rows
# the pack accepts ([accepts] in pack.toml); tests/fixtures/gogen/make_fixtures.py writes both.
GOGEN_GOLDEN = {
    "ca-los-angeles": FIXTURES / "gogen" / "golden.csv",
    "ca-san-francisco": FIXTURES / "gogen" / "golden-san-francisco.csv",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite tests/goldens/ from the current templates (look at every changed page first).",
    )


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def run_pipeline(input_path: Path, out_dir: Path, **kwargs):
    from docgen.pipeline import RunOptions, run

    stage = kwargs.pop("stage", None)  # run()'s stage callback, not an option
    options = RunOptions(
        input_path=input_path,
        pack_name=kwargs.pop("pack_name", "il-cook"),
        run_date=kwargs.pop("run_date", RUN_DATE),
        out_dir=out_dir,
        workers=kwargs.pop("workers", 1),
        **kwargs,
    )
    return run(options, stage=stage)


@pytest.fixture(scope="session")
def golden_run(tmp_path_factory: pytest.TempPathFactory):
    """One pipeline run over the fixed golden input, shared by the tests that read its output."""
    return run_pipeline(GOLDEN_INPUT, tmp_path_factory.mktemp("golden-run"))
