"""The wheel: built with `pip wheel . --no-deps`, installed into a fresh venv, it makes documents.

Packs, rules and fonts must come from the installed package (docgen/_data/), not from the
repository, so the run happens in a temporary folder with a copy of the sources that is deleted
before docgen runs. The project's dependencies are not installed again (offline, fast): a .pth
file in the new venv points at this venv's site-packages, where the docgen of the checkout is
invisible (its editable-install hook is a .pth there, which Python reads only in site folders).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.packs import REPO_ROOT

# What a source checkout holds that the build does not need (and the venv, which is large).
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "out", "dist", "build", "*.egg-info", "__pycache__", "*.pyc", "tests", "bench"
)


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{args[:3]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the built wheel installed: (its bin folder, the environment to run it)."""
    root = tmp_path_factory.mktemp("wheel")
    sources = root / "src"
    shutil.copytree(REPO_ROOT, sources, ignore=NOT_SOURCES)
    dist = root / "dist"
    _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-w", dist, "-q"], cwd=sources)
    wheels = list(dist.glob("docgen-*.whl"))
    assert len(wheels) == 1, wheels
    shutil.rmtree(sources)  # nothing of the repository is left to be found beside the install

    env_dir = root / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    site = Path(
        _run(
            [bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            root,
        ).strip()
    )
    (site / "docgen-test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(
        [bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheels[0]],
        root,
    )

    run_env = {
        k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_") and k != "PYTHONPATH"
    }
    return bin_dir, run_env


def test_installed_docgen_reads_its_own_package_data(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    where = _run(
        [
            bin_dir / "python",
            "-c",
            "import docgen, docgen.packs as p, docgen.rules.engine as r;"
            "print(docgen.__file__); print(p.packs_dir()); print(p.FONTS_DIR); print(r.rules_dir())",
        ],
        tmp_path,
        env,
    ).split()
    package = Path(where[0]).parent
    assert not package.is_relative_to(REPO_ROOT)
    assert [Path(p) for p in where[1:]] == [
        package / "_data" / "templates",
        package / "_data" / "fonts",
        package / "_data" / "rules",
    ]
    for shipped in (
        "service/static/app.js",
        "service/templates/index.html",
        "store/report_templates",
    ):
        assert (package / shipped).exists(), shipped


def test_installed_docgen_generates_the_demo(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    docgen = bin_dir / "docgen"
    _run([docgen, "synth", "--cases", "4", "--seed", "1", "--out", "demo.csv"], tmp_path, env)
    _run(
        [
            docgen,
            "generate",
            "demo.csv",
            "--pack",
            "il-cook",
            "--date",
            "2026-12-01",
            "--out",
            "out",
        ],
        tmp_path,
        env,
    )
    (run_dir,) = (tmp_path / "out").iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pack"] == "il-cook" and manifest["accounting"]["balanced"]
    motions = sorted(run_dir.glob("cases/*/motion.pdf"))
    assert motions, sorted(p.name for p in run_dir.rglob("*"))
    motion = PdfReader(motions[0])
    assert len(motion.pages) >= 2
    first_page = motion.pages[0].extract_text()
    assert "IN THE CIRCUIT COURT OF COOK COUNTY, ILLINOIS" in first_page
    assert f"Case No. {motions[0].parent.name}" in first_page
    assert "<title>docgen run report" in (run_dir / "report.html").read_text(encoding="utf-8")
    assert len(PdfReader(run_dir / "batches" / "orders-for-judge.pdf").pages) >= 2


def test_installed_docgen_applies_its_rule_sets(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    docgen = bin_dir / "docgen"
    _run(
        [docgen, "synth", "--raw", "--cases", "3", "--seed", "7", "--out", "raw.csv"], tmp_path, env
    )
    said = _run(
        [
            docgen,
            "determine",
            "raw.csv",
            "--rules",
            "il-crta",
            "--as-of",
            "2026-12-01",
            "--out",
            "r.csv",
        ],
        tmp_path,
        env,
    )
    assert re.search(r"raw\.csv: (\d+) rows = \1 decided \+ 0 context rows \+ 0 rejected", said), (
        said
    )
    results = list(
        csv.DictReader((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert results and all(row["determination"] for row in results)
