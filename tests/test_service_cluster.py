"""`docgen serve --cluster`: a service job renders on a Dask cluster, with the CLI's bytes."""

from __future__ import annotations

import hashlib
import secrets
import shutil
from pathlib import Path

import pytest

from docgen.service import worker
from docgen.service.store import Store
from tests.conftest import GOLDEN_INPUT, run_pipeline

distributed = pytest.importorskip("distributed")


def _documents(run_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(run_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(run_dir.glob("cases/*/*")) + sorted(run_dir.glob("letters/*"))
    }


def test_a_service_job_renders_on_the_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'jobs.db'}")
    store.create_schema()
    job_id = secrets.token_hex(16)
    store.insert_job(
        id=job_id,
        office="Cook SAO",
        pack="il-cook",
        run_date="2026-12-01",
        formats="pdf,docx",
        input_ext="csv",
        input_name="golden-input.csv",
        input_bytes=GOLDEN_INPUT.stat().st_size,
        status="running",
    )
    data_dir = tmp_path / "data"
    worker.job_dir(data_dir, job_id).mkdir(parents=True)
    shutil.copy(GOLDEN_INPUT, worker.job_dir(data_dir, job_id) / "input.csv")

    rendered_on: set[str] = set()
    from docgen import cluster as cluster_module

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
