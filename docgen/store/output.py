"""Writing the run folder: atomic, owner-only files, and CSV that cannot carry live formulas."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from docgen.errors import OutputError

FILE_MODE = 0o600  # people's records: readable by their owner only
DIR_MODE = 0o700

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def make_dir(path: Path) -> None:
    missing = [p for p in (path, *path.parents) if not p.exists()]
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask; set it on every folder this call created.
        for created in (path, *missing):
            os.chmod(created, DIR_MODE)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {path}: {exc.strerror}") from None


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside `path`, renamed onto it (owner-only, synced) when the block
    succeeds and removed when it fails, so a killed run never leaves a partial final file."""
    make_dir(path.parent)
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "w+b") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


def _reason(exc: OSError) -> str:
    return "the disk is full" if exc.errno == errno.ENOSPC else str(exc.strerror)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` through `atomic_file`. `data` may be an iterable of byte strings (a large
    file written piece by piece)."""
    with atomic_file(path) as fh:
        if isinstance(data, bytes | bytearray):
            fh.write(data)
        else:
            for piece in data:
                fh.write(piece)


def neutralise_formula(value: str) -> str:
    """Prefix a quote so spreadsheet programs show the text instead of running it.

    One-to-one, so `restore_formula` undoes it exactly: a value that already starts with a
    quote and a formula character gets one more quote (it would otherwise read back without
    its own)."""
    if value.startswith(FORMULA_PREFIXES) or (
        value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES)
    ):
        return "'" + value
    return value


def restore_formula(value: str) -> str:
    """The inverse of `neutralise_formula`: the quote it put before = + - @ (tab, CR) is not
    data, so a CSV docgen wrote (`docgen determine`'s results) reads back as it was, and a
    court document never prints it. (A spreadsheet's own leading quote means "text" too.)"""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_formula("" if v is None else str(v)) for v in row])
    # UTF-8 with BOM so Excel on Windows opens accented names correctly.
    return buffer.getvalue().encode("utf-8-sig")


def clear_stale_temp_files(run_dir: Path) -> int:
    """Remove temporary files a killed run left behind; they never carry final names."""
    removed = 0
    if run_dir.is_dir():
        for tmp in run_dir.rglob(".tmp-*"):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed
