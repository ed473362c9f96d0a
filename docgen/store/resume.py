"""Resuming a killed run: which documents are already complete, and whether they may be reused.

Writes are atomic (docgen.store.output.write_atomic), so a file under its final name is complete. A
file may be reused only if it was made by the same docgen code, pack and fonts, on the same rendering
libraries (docgen.render.engine), from the same input, pack and date: the *run key*. A run writes the key to a stamp file before it renders and removes the
stamp after the manifest (which carries the key as `resume_key`) is written; a later run with the
same key skips the documents already on disk and recomputes their manifest entries from the files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from functools import cache
from pathlib import Path

from docgen.packs import FONTS_DIR, packs_dir
from docgen.render.engine import engine_versions
from docgen.store.output import write_atomic

log = logging.getLogger("docgen.resume")

STAMP = ".docgen-run.json"
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # docgen/: every module and template of it


def _tree_digest(
    digest: hashlib._Hash, root: Path, suffixes: tuple[str, ...] | None = None
) -> None:
    if not root.is_dir():
        digest.update(f"missing:{root.name}".encode())
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts or (suffixes and path.suffix not in suffixes):
            continue
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def code_fingerprint(pack_name: str) -> str:
    """SHA-256 over what decides the bytes of a document: docgen's code, the pack, the fonts and
    the rendering libraries' versions (WeasyPrint, Pango, HarfBuzz, its subsetter or not ...).

    Read afresh each time (about 0.1 s): a pack edited on disk must not reuse older documents.
    """
    digest = hashlib.sha256()
    _tree_digest(digest, PACKAGE_DIR, (".py", ".html", ".css", ".toml", ".docx"))
    _tree_digest(digest, packs_dir() / pack_name)
    _tree_digest(digest, packs_dir() / "_layouts")  # shared templates and wording packs use
    _tree_digest(digest, FONTS_DIR)
    digest.update(json.dumps(engine_versions(), sort_keys=True).encode())
    return digest.hexdigest()


@cache
def cached_code_fingerprint(pack_name: str, packs_root: str) -> str:
    """For long-lived cluster workers, keyed on the packs folder they read."""
    return code_fingerprint(pack_name)


def run_key(pack_name: str, run_date: str, input_digest: str) -> str:
    material = f"{code_fingerprint(pack_name)}|{pack_name}|{run_date}|{input_digest}"
    return hashlib.sha256(material.encode()).hexdigest()


# The manifest ends with its resume key (pipeline.run adds it last); a 50,000-case manifest is
# tens of MB, and parsing it whole to read one key would cost hundreds of MB.
_TAIL_KEY = re.compile(rb'\n  "resume_key": "([0-9a-f]{64})"\n}\n?$')
_TAIL_BYTES = 4096


def _manifest_key(path: Path) -> str | None:
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - _TAIL_BYTES))
        match = _TAIL_KEY.search(fh.read())
    if match:
        return match[1].decode()
    value = json.loads(path.read_text(encoding="utf-8")).get("resume_key")  # another layout
    return value if isinstance(value, str) else None


def previous_key(run_dir: Path) -> str | None:
    """The run key of an earlier run in this folder: an interrupted one, else a finished one."""
    stamp, manifest = run_dir / STAMP, run_dir / "manifest.json"
    if stamp.is_file():
        try:
            value = json.loads(stamp.read_text(encoding="utf-8")).get("run_key")
        except (OSError, ValueError, AttributeError):
            value = None
        if isinstance(value, str):
            return value
    if manifest.is_file():
        try:
            return _manifest_key(manifest)
        except (OSError, ValueError, AttributeError):
            return None
    return None


def begin(run_dir: Path, key: str) -> bool:
    """Mark the run as started; True when documents already in the folder may be reused."""
    reusable = previous_key(run_dir) == key
    if not reusable and any(run_dir.iterdir()):
        log.info("the run folder holds files from another version or input: rendering everything")
    write_atomic(run_dir / STAMP, (json.dumps({"run_key": key}) + "\n").encode())
    return reusable


def finish(run_dir: Path) -> None:
    (run_dir / STAMP).unlink(missing_ok=True)
