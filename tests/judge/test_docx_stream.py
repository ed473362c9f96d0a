"""The Word batch reads each order's word/document.xml once, and its spool, in memory or spilled
into a temporary file, gives the same bytes (docgen/judge/docx_stream.py)."""

from __future__ import annotations

import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

import docgen.judge.docx_stream
from docgen.judge.signing_docx import write_signing_batch_docx
from docgen.judge.volumes import BATCH_DOCX
from tests.judge.test_signing_docx_footers import _case_orders


def test_each_order_document_is_read_once(golden_run, tmp_path: Path, monkeypatch) -> None:
    documents = _case_orders(tmp_path, golden_run.run_dir, 4)
    reads: Counter[str] = Counter()
    read = zipfile.ZipFile.read

    def counting_read(self: zipfile.ZipFile, name, pwd=None) -> bytes:
        if name == "word/document.xml" and isinstance(self.filename, str):
            reads[Path(self.filename).relative_to(tmp_path).as_posix()] += 1
        return read(self, name, pwd)

    monkeypatch.setattr(zipfile.ZipFile, "read", counting_read)
    write_signing_batch_docx(tmp_path, "run", date(2026, 1, 15), documents)
    once = {f"{d.relpath}.docx": 1 for d in documents}
    # The first order is read once more, by python-docx, as the index's base (not for its body).
    once[f"{documents[0].relpath}.docx"] = 2
    assert dict(reads) == once


@pytest.mark.parametrize("spool_bytes", [1, 16])
def test_a_spilled_spool_gives_the_same_batch(
    golden_run, tmp_path: Path, monkeypatch, spool_bytes: int
) -> None:
    in_memory, spilled = tmp_path / "memory", tmp_path / "spilled"
    batches = []
    for run_dir, limit in (
        (in_memory, docgen.judge.docx_stream.SPOOL_IN_MEMORY),
        (spilled, spool_bytes),
    ):
        run_dir.mkdir()
        documents = _case_orders(run_dir, golden_run.run_dir, 3)
        monkeypatch.setattr(docgen.judge.docx_stream, "SPOOL_IN_MEMORY", limit)
        write_signing_batch_docx(run_dir, "run", date(2026, 1, 15), documents)
        batches.append((run_dir / BATCH_DOCX).read_bytes())
        # The spool's temporary file is gone: only the batch is in its folder.
        assert [p.name for p in (run_dir / BATCH_DOCX).parent.iterdir()] == [Path(BATCH_DOCX).name]
    assert batches[0] == batches[1]
    with zipfile.ZipFile(spilled / BATCH_DOCX) as package:
        document = package.read("word/document.xml")
    assert document.count(b"<w:sectPr") == 3 + 1  # the index's section, then one per order
