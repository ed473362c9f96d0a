"""--cluster: the same run on a real Dask cluster (two worker processes) gives the same bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from docgen.render import cluster
from tests.conftest import GOLDEN_INPUT, RUN_DATE, run_pipeline

distributed = pytest.importorskip("distributed")


def tree(run_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(run_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(run_dir.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def scheduler():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


@pytest.mark.parametrize("output", ["returned", "shared"])
def test_cluster_run_is_byte_identical_to_the_local_run(
    scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    local = run_pipeline(GOLDEN_INPUT, tmp_path / "local", workers=1)
    monkeypatch.setattr(cluster, "CHUNK", 2)  # many small tasks, so both workers render
    result = run_pipeline(
        GOLDEN_INPUT, tmp_path / "cluster", cluster=scheduler, cluster_output=output, workers=None
    )
    assert result.run_id == local.run_id
    assert tree(result.run_dir) == tree(local.run_dir)
    assert result.documents["motion.pdf"] == 6


def test_both_workers_rendered(scheduler: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(cluster, "CHUNK", 1)
    run_pipeline(GOLDEN_INPUT, tmp_path, cluster=scheduler, formats=("pdf",))
    with distributed.Client(scheduler) as client:
        prepared = client.run(lambda: cluster._ready.get("key") is not None)
    assert len(prepared) == 2 and all(prepared.values()), prepared


def test_a_worker_with_other_code_or_packs_refuses_to_render(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="differ from the client's"):
        cluster.render_returned("il-cook", RUN_DATE, ("pdf",), "0" * 64, [])
