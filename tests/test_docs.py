"""Every command block in README.md and docs/*.md runs as written.

A ```sh block is run with bash (-e, -o pipefail), the blocks of one file in order in one
temporary folder laid out like a clone (tests/, templates/, rules/, fonts/, bench/, tools/ and
.venv linked in), with this virtual environment's bin/ first on PATH, so `docgen` is the project's.
A block fails the test when any command in it fails. Lines starting with `#` show output.

A block that cannot run in a test (./run itself, apt-get, a server, a cluster, an hour-long
benchmark) carries a visible marker, an HTML comment naming why:

    <!-- docs-test: not run: REASON -->                  on the line(s) before its fence, or
    <!-- docs-test: not run (2 blocks above): REASON -->  after blocks whose text must stay put

and NOT_RUN below counts them per file, so a block is skipped only on purpose.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import paths

ROOT = paths.REPO_ROOT
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINKED = ["tests", "templates", "rules", "fonts", "bench", "tools"]
SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}

# Blocks marked "not run", per file: change a number only when you mean to skip a block.
NOT_RUN = {
    "README.md": 2,  # ./run demo / ./run test, and apt-get
    "docs/cluster.md": 1,  # dask scheduler and workers
    "docs/judges-side.md": 1,  # needs a batch the judge has signed
    "docs/performance.md": 1,  # the benchmark: a minute to over an hour
    "docs/service.md": 3,  # docgen serve, PostgreSQL set-up, curl against a running server
    "docs/tests.md": 2,  # rewrites the goldens; ruff and mypy (.ci/run runs them)
}

BEFORE = re.compile(r"^<!-- docs-test: not run: (?P<reason>\S.*?) -->$")
AFTER = re.compile(
    r"^<!-- docs-test: not run \((?P<count>\d+) blocks? above\): (?P<reason>\S.*?) -->$"
)
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\s*$")


@dataclass
class Block:
    file: str
    line: int  # of the opening fence
    code: str
    not_run: str | None = None  # the reason, when marked


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def shell_blocks(path: Path, name: str | None = None) -> list[Block]:
    """The file's shell blocks, with their not-run markers; a marker that marks no shell block
    is an error. `name`: how messages name the file (its path in the repository)."""
    name = name or relative(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    pending: str | None = None  # a "not run" marker waiting for its block
    i = 0
    while i < len(lines):
        line = lines[i]
        if m := BEFORE.match(line):
            pending = m["reason"]
        elif m := AFTER.match(line):
            count = int(m["count"])
            above = blocks[-count:]
            if len(above) != count or any(b.not_run for b in above):
                raise AssertionError(f"{name}:{i + 1}: no {count} unmarked shell blocks above")
            for block in above:
                block.not_run = m["reason"]
        elif (m := FENCE.match(line)) and m["lang"]:
            start = i
            i += 1
            body = []
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            if m["lang"] in SHELL_LANGUAGES:
                if m["lang"] != "sh":
                    raise AssertionError(f"{name}:{start + 1}: write shell blocks as ```sh")
                blocks.append(Block(name, start + 1, "\n".join(body) + "\n", pending))
            elif pending:
                raise AssertionError(f"{name}:{start + 1}: a not-run marker on a non-shell block")
            pending = None
        elif line.startswith("```"):  # a block without a language: text, never commands
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                i += 1
        elif line.strip() and pending:
            raise AssertionError(f"{name}:{i + 1}: a not-run marker must stand before its block")
        i += 1
    if pending:
        raise AssertionError(f"{name}: a not-run marker at the end marks no block")
    return blocks


def test_every_shell_block_runs_or_is_marked_on_purpose() -> None:
    counted = {}
    for path in DOC_FILES:
        blocks = shell_blocks(path)
        skipped = [b for b in blocks if b.not_run]
        if skipped:
            counted[relative(path)] = len(skipped)
    assert counted == NOT_RUN


def test_the_readme_stays_short() -> None:
    # The README says how to start and where to read on; the rest is in docs/.
    assert (ROOT / "README.md").stat().st_size <= 12 * 1024


def test_marker_parsing(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text(
        "```sh\ntrue\n```\n<!-- docs-test: not run (1 block above): why -->\n\n"
        "<!-- docs-test: not run: because -->\n```sh\nfalse\n```\n```\nnot a command\n```\n"
        "```sh\necho run\n```\n",
        encoding="utf-8",
    )
    blocks = shell_blocks(doc, "x.md")
    assert [(b.line, b.not_run) for b in blocks] == [(1, "why"), (7, "because"), (13, None)]
    doc.write_text("<!-- docs-test: not run: x -->\ntext\n```sh\ntrue\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="before its block"):
        shell_blocks(doc, "x.md")


def clone_like(folder: Path) -> None:
    for name in LINKED:
        if (ROOT / name).exists():
            (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    (folder / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)


def run_blocks(blocks: list[Block], folder: Path) -> list[tuple[Block, float]]:
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "docgen").is_file(), f"no docgen beside {sys.executable}"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for name in ("DOCGEN_DATA_DIR", "DOCGEN_DATABASE_URL", "DOCGEN_CLUSTER"):
        env.pop(name, None)
    times = []
    for block in blocks:
        started = time.perf_counter()
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", block.code],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        took = time.perf_counter() - started
        assert done.returncode == 0, (
            f"{block.file}:{block.line}: the block failed (exit {done.returncode})\n"
            f"{block.code}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
        )
        times.append((block, took))
    return times


# Each file's examples render documents: 10 to 30 s a file on 2 shared cores.
@pytest.mark.slow
@pytest.mark.parametrize("doc", [relative(p) for p in DOC_FILES])
def test_doc_commands_run_as_written(doc: str, tmp_path: Path) -> None:
    blocks = [b for b in shell_blocks(ROOT / doc) if not b.not_run]
    if not blocks:
        pytest.skip(f"{doc} has no shell block to run")
    clone_like(tmp_path)
    run_blocks(blocks, tmp_path)
