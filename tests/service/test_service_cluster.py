"""`docgen serve --cluster`: a service job renders on a Dask cluster, with the CLI's bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from docgen.service import worker
from tests.conftest import GOLDEN_INPUT, run_pipeline
from tests.service_helpers import running_job

distributed = pytest.importorskip("distributed")


def _documents(run_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(run_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(run_dir.glob("cases/*/*")) + sorted(run_dir.glob("letters/*"))
    }


def test_a_service_job_renders_on_the_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, job_id, data_dir = running_job(tmp_path, "pdf,docx")

    rendered_on: set[str] = set()
    from docgen.render import cluster as cluster_module

    real = cluster_module.render_on_cluster

    def spy(address: str, *args, **kwargs):
        rendered_on.add(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(cluster_module, "render_on_cluster", spy)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        monkeypatch.setenv("DOCGEN_CLUSTER", local.scheduler_address)
        status = worker.run_job(store, data_dir, job_id, pipeline_workers=1)
        assert status == "done", store.get_job(job_id)
        assert rendered_on == {local.scheduler_address}

    job = store.get_job(job_id)
    service_run = worker.job_dir(data_dir, job_id) / job["run_dir"]
    cli_run = run_pipeline(GOLDEN_INPUT, tmp_path / "cli").run_dir
    assert _documents(service_run) == _documents(cli_run)
    assert len(_documents(cli_run)) == 6 * 4 + 4 * 2
    store.dispose()
