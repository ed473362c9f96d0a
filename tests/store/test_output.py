from __future__ import annotations

import csv
import errno
import io
import os
import stat
from pathlib import Path

import pytest

from docgen.errors import OutputError
from docgen.store.output import clear_stale_temp_files, csv_bytes, write_atomic


def test_atomic_write_is_owner_only_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.pdf"
    write_atomic(target, b"data")
    assert target.read_bytes() == b"data"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert [p.name for p in target.parent.iterdir()] == ["b.pdf"]


def test_full_disk_is_a_clear_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FullDisk:
        """Stands in for the file object: every write fails as on a full disk."""

        def __init__(self, fd: int, *args, **kwargs) -> None:
            self.fd = fd

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            os.close(self.fd)

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", FullDisk)
    with pytest.raises(OutputError, match="the disk is full"):
        write_atomic(tmp_path / "x.pdf", b"x")
    assert list(tmp_path.iterdir()) == []


def test_output_under_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot create output folder"):
        write_atomic(blocker / "run" / "x.pdf", b"x")


def test_csv_neutralises_spreadsheet_formulas() -> None:
    data = csv_bytes(
        ["a", "b"],
        [
            ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0"],
            ["@SUM(1+1)", "-2+3"],
            ["ok", "O'Brien"],
        ],
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["a", "b"]
    for cell in rows[1] + rows[2]:
        assert cell.startswith("'"), cell
    assert rows[3] == ["ok", "O'Brien"]
    assert data.startswith(b"\xef\xbb\xbf")


def test_stale_temp_files_are_removed(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / ".tmp-abc.pdf").write_bytes(b"partial")
    (tmp_path / "cases" / "motion.pdf").write_bytes(b"whole")
    assert clear_stale_temp_files(tmp_path) == 1
    assert [p.name for p in (tmp_path / "cases").iterdir()] == ["motion.pdf"]
