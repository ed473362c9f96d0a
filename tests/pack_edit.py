"""Changing one setting in a test's copy of a pack.toml.

A county pack holds only what differs from its layout's wording.toml, so the key a test wants to
change may not be in the pack's own file: then it is added (a key set in the pack overrides the
layout's, docgen.packs._merged).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

from docgen.packs import REPO_ROOT


def set_in_pack(toml: Path, table: str, **values: str) -> None:
    """Set keys of `[table]` in `toml`, each value written as TOML (e.g. chunk_rows="300")."""
    lines = toml.read_text(encoding="utf-8").splitlines()
    header = f"[{table}]"
    if header not in lines:
        lines += ["", header]
    start = lines.index(header) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("[")), len(lines))
    for key, value in values.items():
        line = f"{key} = {value}"
        at = next((i for i in range(start, end) if re.match(rf"{key}\s*=", lines[i])), None)
        if at is None:
            lines.insert(start, line)
            end += 1
        else:
            lines[at] = line
    text = "\n".join(lines) + "\n"
    parsed = tomllib.loads(text)
    for part in table.split("."):
        parsed = parsed[part]
    assert all(key in parsed for key in values), (table, values)
    toml.write_text(text, encoding="utf-8")


def packs_with_edit(tmp_path: Path, monkeypatch: Any, relpath: str, old: str, new: str) -> Path:
    """A copy of templates/ in which `relpath` has `old` replaced by `new` (the text must be
    there: a fault put back into a file that no longer holds it would test nothing), used by
    the packs the rest of the test loads (DOCGEN_PACKS_DIR)."""
    packs = tmp_path / "packs"
    shutil.copytree(REPO_ROOT / "templates", packs)
    path = packs / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, (relpath, old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    return packs
