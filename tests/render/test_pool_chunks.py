"""How render_all cuts the documents into tasks (docgen.render.pool._chunks): every document
once, in order; at most MAX_CHUNK a task; and the last tasks small, so no worker is left with a
long chunk while the others have nothing to do."""

from __future__ import annotations

import pytest

from docgen.render import pool


@pytest.mark.parametrize(("total", "workers"), [(1, 2), (30, 2), (600, 2), (5000, 4), (50_000, 2)])
def test_every_document_once_in_order_and_the_tail_in_small_chunks(
    total: int, workers: int
) -> None:
    chunks = list(pool._chunks(iter(range(total)), total, workers))
    assert [n for chunk in chunks for n in chunk] == list(range(total))
    assert max(len(chunk) for chunk in chunks) <= pool.MAX_CHUNK
    # What the other workers may wait for at the end: no more than one document each.
    assert all(len(chunk) == 1 for chunk in chunks[-workers:])
    # Not one document a task from the start (each task costs a round trip).
    if total >= 600:
        assert (
            len(chunks[0]) >= total // (workers * pool.CHUNKS_PER_WORKER)
            or len(chunks[0]) == pool.MAX_CHUNK
        )


def test_fewer_documents_than_announced_end_the_chunks() -> None:
    # A resumed run skips documents already on disk: the chunks end where the documents do.
    chunks = list(pool._chunks(iter(range(10)), 600, 2))
    assert [n for chunk in chunks for n in chunk] == list(range(10))
