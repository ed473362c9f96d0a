"""The judge-side tests' run: one PDF run of the golden input per test module, copied fresh for
each test, since ingest writes the ledger and signed/ into the run folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import GOLDEN_INPUT, run_pipeline


@pytest.fixture(scope="module")
def made_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_pipeline(GOLDEN_INPUT, tmp_path_factory.mktemp("run"), formats=("pdf",)).run_dir


@pytest.fixture
def run_dir(made_run: Path, tmp_path: Path) -> Path:
    """A fresh copy of the run for each test."""
    copy = tmp_path / made_run.name
    shutil.copytree(made_run, copy)
    return copy
