"""The service's HTTP API, over real HTTP (uvicorn on 127.0.0.1) with httpx and a real SQLite file.

Jobs run as in production: a worker process per job running the real pipeline. The restart tests
run on PostgreSQL too (a throwaway server, tests/pg_server.py); test_service_postgres.py runs a
whole job there.
"""

from __future__ import annotations

import functools
import io
import json
import secrets
import stat
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from docgen.service.app import create_app
from docgen.service.keys import create_key, office_for_key
from docgen.service.settings import Settings
from docgen.service.store import Store
from tests.conftest import GOLDEN_INPUT
from tests.pg_server import pg_server, pg_url  # noqa: F401  (fixtures)
from tests.service_helpers import running_job

MAX_UPLOAD = 256 * 1024


class ThreadServer:
    """uvicorn serving the app on 127.0.0.1 and a free port, in a thread (lifespan included)."""

    def __init__(self, settings: Settings, run_jobs: bool = True) -> None:
        self.settings = settings
        self.app = create_app(settings, run_jobs=run_jobs)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert self.thread.is_alive(), "server failed to start"
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)

    def client(self, key: str | None = None, bearer: bool = False) -> httpx.Client:
        headers = {}
        if key:
            headers = {"Authorization": f"Bearer {key}"} if bearer else {"X-API-Key": key}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


def make_settings(data_dir: Path, **kw: Any) -> Settings:
    kw.setdefault("pipeline_workers", 1)
    kw.setdefault("max_upload_bytes", MAX_UPLOAD)
    kw.setdefault("concurrent_jobs", 2)
    kw.setdefault("poll_seconds", 0.1)
    return Settings(data_dir=data_dir, **kw)


def add_key(settings: Settings, office: str) -> str:
    store = Store(settings.db_url)
    store.create_schema()
    try:
        return create_key(store, office)
    finally:
        store.dispose()


def upload(
    client: httpx.Client,
    path: Path = GOLDEN_INPUT,
    name: str | None = None,
    data: bytes | None = None,
    **fields: str,
) -> httpx.Response:
    form = {"pack": "il-cook", "date": "2026-12-01", "formats": "pdf", **fields}
    content = data if data is not None else path.read_bytes()
    return client.post(
        "/api/jobs", files={"file": (name or path.name, content, "text/csv")}, data=form
    )


def wait_for(client: httpx.Client, job_id: str, timeout: float = 120, until=None) -> dict:
    until = until or (lambda j: j["finished"])
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if until(job):
            return job
        assert time.monotonic() < deadline, f"job still {job['status']}: {job}"
        time.sleep(0.15)


def synth_file(path: Path, cases: int) -> Path:
    from docgen.demo.synth import synth_rows, write_csv

    write_csv(synth_rows(cases, 5), path)
    return path


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data_dir = tmp_path_factory.mktemp("service-data")
    settings = make_settings(data_dir)
    keys = {"cook": add_key(settings, "Cook SAO"), "other": add_key(settings, "Other County")}
    with ThreadServer(settings) as server:
        yield {"server": server, "settings": settings, "keys": keys, "data_dir": data_dir}


@pytest.fixture(scope="module")
def cook(service: dict[str, Any]) -> Iterator[httpx.Client]:
    with service["server"].client(service["keys"]["cook"]) as client:
        yield client


@pytest.fixture(scope="module")
def done_job(cook: httpx.Client) -> dict[str, Any]:
    """One finished job over the golden input, shared by the tests that only read it."""
    response = upload(cook)
    assert response.status_code == 201, response.text
    return wait_for(cook, response.json()["id"])


# ---------------------------------------------------------------- auth


def test_health_needs_no_key(service: dict[str, Any]) -> None:
    with service["server"].client() as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


ENDPOINTS = [
    ("GET", "/api/packs"),
    ("GET", "/api/jobs"),
    ("POST", "/api/jobs"),
    ("GET", "/api/jobs/0123456789abcdef0123456789abcdef"),
    ("POST", "/api/jobs/0123456789abcdef0123456789abcdef/cancel"),
    ("DELETE", "/api/jobs/0123456789abcdef0123456789abcdef"),
    ("GET", "/api/jobs/0123456789abcdef0123456789abcdef/download"),
    ("GET", "/api/jobs/0123456789abcdef0123456789abcdef/files/manifest.json"),
    ("GET", "/api/jobs/0123456789abcdef0123456789abcdef/previews/motion.png"),
]


@pytest.mark.parametrize(
    "key", [None, "", "not-a-key", "dgk_0123456789abcdef_" + "A" * 43], ids=repr
)
def test_every_api_endpoint_needs_a_valid_key(service: dict[str, Any], key: str | None) -> None:
    with service["server"].client(key) as client:
        for method, path in ENDPOINTS:
            response = client.request(method, path)
            assert response.status_code == 401, (method, path, response.text)
            assert response.json()["error"] == "unauthorized"
            assert response.headers["www-authenticate"] == "Bearer"


def test_bearer_and_x_api_key_both_work(service: dict[str, Any]) -> None:
    for bearer in (True, False):
        with service["server"].client(service["keys"]["cook"], bearer=bearer) as client:
            response = client.get("/api/packs")
            assert response.status_code == 200
            assert "il-cook" in [p["name"] for p in response.json()]


def test_a_tampered_key_is_refused(service: dict[str, Any]) -> None:
    key = service["keys"]["cook"]
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    with service["server"].client(tampered) as client:
        assert client.get("/api/jobs").status_code == 401


def test_keys_are_stored_hashed(service: dict[str, Any]) -> None:
    from sqlalchemy import select

    from docgen.service.store import api_keys

    # (Read through SQL: opening the database file directly would drop SQLite's POSIX locks.)
    settings = service["settings"]
    store = Store(settings.db_url)
    try:
        with store.engine.connect() as conn:
            stored = " ".join(str(v) for row in conn.execute(select(api_keys)) for v in row)
        for key in service["keys"].values():
            assert key.rsplit("_", 1)[1] not in stored
            assert key.split("_")[1] in stored  # the key id is the lookup
        assert office_for_key(store, service["keys"]["cook"]) == "Cook SAO"
        assert office_for_key(store, "dgk_zz_zz") is None
    finally:
        store.dispose()


def test_a_revoked_key_is_refused_at_once(service: dict[str, Any]) -> None:
    from typer.testing import CliRunner

    from docgen.cli import app as cli_app

    settings = service["settings"]
    key = add_key(settings, "Short-lived Office")
    with service["server"].client(key) as client:
        assert client.get("/api/packs").status_code == 200
        result = CliRunner().invoke(
            cli_app, ["keys", "revoke", key.split("_")[1], "--data-dir", str(settings.data_dir)]
        )
        assert result.exit_code == 0, result.output
        for method, path in ENDPOINTS:  # the very next requests, on every endpoint
            response = client.request(method, path)
            assert response.status_code == 401, (method, path)
            assert response.json()["message"] == "this API key is not valid"
    with service["server"].client(service["keys"]["cook"]) as cook:
        assert cook.get("/api/packs").status_code == 200


# ---------------------------------------------------------------- a whole job


def test_upload_runs_to_done_with_counts(done_job: dict[str, Any]) -> None:
    assert done_job["status"] == "done", done_job
    assert done_job["file"] == "golden-input.csv"
    assert done_job["progress"]["done"] == done_job["progress"]["total"] > 0
    # The last stage of the pipeline, finished (docgen.pipeline.STAGES).
    progress = done_job["progress"]
    assert (progress["stage"], progress["stage_done"], progress["stage_total"]) == (
        "Manifest",
        1,
        1,
    )
    summary = done_job["summary"]
    assert summary["input_rows"] == 9
    assert summary["balanced"] is True
    assert summary["cases"] == 6 and summary["letters"] == 4
    assert {p["kind"] for p in done_job["previews"]} >= {"motion", "order", "letter"}
    # How long each stage took (docgen.stage_times): in the job's summary, not in its files.
    from docgen.pipeline import STAGES
    from docgen.stage_times import READING

    stages = summary["stages"]
    assert [s["stage"] for s in stages] == [READING, *STAGES]
    assert all(s["seconds"] >= 0 for s in stages)
    assert sum(s["seconds"] for s in stages) <= summary["seconds"] + 0.005 * (len(stages) + 1)


def test_the_worker_stores_each_stage_while_the_job_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run one job in this process (as the worker process does), with 2-page print volumes so the
    judge's batch has several, and record the stage the store holds after every write."""
    from docgen import pipeline
    from docgen.service import worker
    from docgen.service.jobs_api import job_json

    store, job_id, data_dir = running_job(tmp_path, "pdf")
    monkeypatch.setattr(
        pipeline, "RunOptions", functools.partial(pipeline.RunOptions, batch_pages=2)
    )
    monkeypatch.setattr(worker, "PROGRESS_EVERY", 0.0)  # every call written: the whole sequence

    stored: list[tuple[str | None, int | None, int | None]] = []
    update_job = store.update_job

    def recording_update(job: str, **values: Any) -> bool:
        changed = update_job(job, **values)
        row = store.get_job(job)
        assert row is not None
        stored.append(
            (row["progress_stage"], row["progress_stage_done"], row["progress_stage_total"])
        )
        return changed

    monkeypatch.setattr(store, "update_job", recording_update)
    try:
        assert worker.run_job(store, data_dir, job_id, pipeline_workers=1) == "done"
        job = store.get_job(job_id)
    finally:
        store.dispose()
    assert job is not None

    labels = [label for label, _, _ in stored]
    in_order = [label for i, label in enumerate(labels) if i == 0 or labels[i - 1] != label]
    assert in_order == list(pipeline.STAGES)  # PDF letters and orders: every stage, in order
    judge = [(done, total) for label, done, total in stored if label == "Judge's batch"]
    volumes = judge[-1][1]
    run_dir = worker.job_dir(data_dir, job_id) / job["run_dir"]
    assert volumes == len(list(run_dir.glob("batches/orders-for-judge-*.pdf"))) >= 2
    assert [done for done, _ in judge] == sorted(done for done, _ in judge)  # counts up
    assert len({done for done, _ in judge}) >= 2 and judge[-1] == (volumes, volumes)
    rendering = [(done, total) for label, done, total in stored if label == "Rendering"]
    assert rendering[0][0] == 0 and rendering[-1][0] == rendering[-1][1] == job["progress_total"]
    assert stored[-1] == ("Manifest", 1, 1)
    progress = job_json(job)["progress"]
    assert progress["done"] == progress["total"] == job["progress_total"] > 0
    assert (progress["stage"], progress["stage_done"], progress["stage_total"]) == (
        "Manifest",
        1,
        1,
    )


def test_stage_writes_are_throttled_and_only_pipeline_stages_are_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from docgen.service import worker

    writes: list[dict[str, Any]] = []

    class RecordingStore:
        def update_job(self, job_id: str, **values: Any) -> bool:
            writes.append(values)
            return True

    monkeypatch.setattr(worker, "PROGRESS_EVERY", 3600.0)
    watch = worker._Watch(RecordingStore(), "job")  # type: ignore[arg-type]
    for done in range(501):
        watch.stage("Rendering", done, 500)
    for done in range(41):
        watch.stage("Judge's batch", done, 40)
    watch.stage("Smith, Jane 1990-01-01", 0, 1)  # not a pipeline stage: never stored
    # Each stage's start and end are written; the calls in between wait for PROGRESS_EVERY.
    assert [(w["progress_stage"], w["progress_stage_done"]) for w in writes] == [
        ("Rendering", 0),
        ("Rendering", 500),
        ("Judge's batch", 0),
        ("Judge's batch", 40),
    ]
    assert writes[1]["progress_done"] == writes[1]["progress_total"] == 500
    assert "progress_done" not in writes[3]  # the document count stays as rendering left it
    assert (watch.done, watch.total) == (500, 500)


def test_download_zip_holds_the_manifest_and_every_document(
    cook: httpx.Client, done_job: dict[str, Any]
) -> None:
    response = cook.get(done_job["links"]["download"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    run_id = done_job["summary"]["run_id"]
    assert f'filename="{run_id}.zip"' in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read(f"{run_id}/manifest.json"))
        assert manifest["accounting"]["balanced"] is True
        assert manifest["input"]["file"] == "golden-input.csv"  # the name uploaded, not input.csv
        listed = {f"{run_id}/{e['path']}" for e in manifest["files"]}
        assert names == listed | {f"{run_id}/manifest.json"}
        motions = [n for n in names if n.endswith("/motion.pdf")]
        assert len(motions) == 6
        assert zf.read(motions[0]).startswith(b"%PDF")
        assert zf.testzip() is None


def test_single_file_and_preview(cook: httpx.Client, done_job: dict[str, Any]) -> None:
    base = done_job["links"]["self"]
    manifest = cook.get(done_job["links"]["manifest"]).json()
    motion = next(e for e in manifest["files"] if e["kind"] == "motion")
    response = cook.get(f"{base}/files/{motion['path']}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    import hashlib

    assert hashlib.sha256(response.content).hexdigest() == motion["sha256"]
    rejects = cook.get(f"{base}/files/rejects.csv")
    assert rejects.status_code == 200
    assert rejects.headers["content-disposition"].startswith("attachment")
    for preview in done_job["previews"]:
        image = cook.get(preview["url"])
        assert image.status_code == 200
        assert image.headers["content-type"] == "image/png"
        assert image.content.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    "path",
    [
        "../input.csv",
        "..%2Finput.csv",
        "..%2F..%2F..%2Fdocgen.db",
        "%2e%2e/%2e%2e/docgen.db",
        "cases/../../input.csv",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "input.csv",
        "cases",
        "report.html%2F..%2Fmanifest.json",
        "..\\..\\docgen.db",
    ],
)
def test_path_traversal_is_refused(cook: httpx.Client, done_job: dict[str, Any], path: str) -> None:
    response = cook.get(f"{done_job['links']['self']}/files/{path}")
    assert response.status_code == 404, response.text
    assert b"SQLite" not in response.content and b"root:" not in response.content


@pytest.mark.parametrize(
    "kind", ["..%2Fpreviews%2Fmotion", "nope", "..%2F..%2Fdocgen", "motion%00"]
)
def test_preview_kind_is_checked(cook: httpx.Client, done_job: dict[str, Any], kind: str) -> None:
    response = cook.get(f"{done_job['links']['self']}/previews/{kind}.png")
    assert response.status_code == 404


def test_job_ids_are_checked(cook: httpx.Client) -> None:
    for job_id in ("..", "..%2F..", "x" * 32, "ABCDEF0123456789ABCDEF0123456789"):
        assert cook.get(f"/api/jobs/{job_id}").status_code == 404


def test_list_shows_own_jobs(cook: httpx.Client, done_job: dict[str, Any]) -> None:
    jobs = cook.get("/api/jobs").json()
    assert done_job["id"] in [j["id"] for j in jobs]
    assert "problems" not in jobs[0]


def test_files_are_owner_only(service: dict[str, Any], done_job: dict[str, Any]) -> None:
    job_dir = service["data_dir"] / "jobs" / done_job["id"]
    files = [p for p in job_dir.rglob("*") if p.is_file()]
    assert files
    for path in [*files, job_dir]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))


# ---------------------------------------------------------------- offices


def test_an_office_sees_only_its_own_jobs(
    service: dict[str, Any], done_job: dict[str, Any]
) -> None:
    job_id = done_job["id"]
    with service["server"].client(service["keys"]["other"]) as other:
        assert job_id not in [j["id"] for j in other.get("/api/jobs").json()]
        for method, path in [
            ("GET", f"/api/jobs/{job_id}"),
            ("GET", f"/api/jobs/{job_id}/download"),
            ("GET", f"/api/jobs/{job_id}/files/manifest.json"),
            ("GET", f"/api/jobs/{job_id}/previews/motion.png"),
            ("POST", f"/api/jobs/{job_id}/cancel"),
            ("DELETE", f"/api/jobs/{job_id}"),
        ]:
            response = other.request(method, path)
            assert response.status_code == 404, (method, path)
    # still there for its own office
    assert (service["data_dir"] / "jobs" / job_id).is_dir()


# ---------------------------------------------------------------- bad input


def test_missing_column_is_structured_json(cook: httpx.Client) -> None:
    lines = GOLDEN_INPUT.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    drop = header.index("case_number")
    import csv

    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    buf = io.StringIO()
    csv.writer(buf).writerows([r[:drop] + r[drop + 1 :] for r in rows])
    response = upload(cook, name="no-case.csv", data=buf.getvalue().encode())
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_file"
    assert "no-case.csv" in body["message"] and "case_number" in body["message"]
    assert "input.csv" not in body["message"] and "/jobs/" not in body["message"]
    assert body["problems"] == [
        {
            "row": 1,
            "column": "case_number",
            "message": "this required column is missing from the header",
        }
    ]


def _one_bad_row() -> bytes:
    lines = GOLDEN_INPUT.read_text(encoding="utf-8").splitlines()
    assert "1985-11-02" in lines[4]
    lines[4] = lines[4].replace("1985-11-02", "1985-13-45")
    return ("\n".join(lines) + "\n").encode()


def test_row_problems_are_listed_and_the_rest_is_made(cook: httpx.Client) -> None:
    response = upload(cook, name="one-bad.csv", data=_one_bad_row())
    assert response.status_code == 201
    job = response.json()
    assert job["problems"] == [
        {"row": 5, "column": "date_of_birth", "message": job["problems"][0]["message"]}
    ]
    assert "1985-13-45" not in json.dumps(job)  # never the personal data in the cell
    job = wait_for(cook, job["id"])
    assert job["status"] == "done"
    assert job["summary"]["rows_rejected"] == 1
    assert job["problems"][0]["row"] == 5


def test_strict_refuses_a_file_with_row_problems(cook: httpx.Client) -> None:
    before = len(cook.get("/api/jobs").json())
    response = upload(cook, name="one-bad.csv", data=_one_bad_row(), strict="true")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "rows_rejected"
    assert [(p["row"], p["column"]) for p in body["problems"]] == [(5, "date_of_birth")]
    assert len(cook.get("/api/jobs").json()) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("results.txt", b"a,b\n1,2\n"),
        ("results", b"a,b\n1,2\n"),
        ("results.csv.exe", b"MZ\x90\x00"),
        ("results.xlsx", b"person_id,last_name\n"),  # not really an Excel file
    ],
)
def test_wrong_file_type_is_refused(cook: httpx.Client, name: str, data: bytes) -> None:
    response = upload(cook, name=name, data=data)
    assert response.status_code == 415, response.text
    assert response.json()["error"] == "unsupported_type"


def test_bad_options_are_refused(cook: httpx.Client) -> None:
    assert upload(cook, pack="il-nowhere").json()["error"] == "unknown_pack"
    assert upload(cook, pack="../il-cook").status_code == 422
    assert upload(cook, date="12/01/2026").json()["error"] == "invalid_date"
    assert upload(cook, formats="pdf,exe").json()["error"] == "invalid_formats"
    missing = cook.post("/api/jobs", data={"pack": "il-cook"})
    assert missing.status_code == 422
    assert missing.json()["fields"][0]["field"] == "file"


def test_oversize_upload_is_refused(cook: httpx.Client, service: dict[str, Any]) -> None:
    before = set((service["data_dir"] / "jobs").iterdir())
    big = GOLDEN_INPUT.read_bytes() * (MAX_UPLOAD // 2000)
    assert len(big) > MAX_UPLOAD
    response = upload(cook, name="big.csv", data=big)
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    # a body without Content-Length (chunked) is counted as it arrives
    boundary = "docgenboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="pack"\r\n\r\nil-cook\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()

    def chunks() -> Iterator[bytes]:
        yield head
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]
        yield f"\r\n--{boundary}--\r\n".encode()

    response = cook.post(
        "/api/jobs",
        content=chunks(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert set((service["data_dir"] / "jobs").iterdir()) == before


def test_uploaded_file_name_never_reaches_the_file_system(
    cook: httpx.Client, service: dict[str, Any]
) -> None:
    for name, shown in [
        ("../../../escape.csv", "escape.csv"),
        ("C:\\fakepath\\..\\..\\escape.csv", "escape.csv"),
        ("/etc/cron.d/escape.jsonl", "escape.jsonl"),
    ]:
        response = upload(cook, name=name)
        assert response.status_code in (201, 422), response.text
        if response.status_code == 201:
            job = response.json()
            assert job["file"] == shown
            job_dir = service["data_dir"] / "jobs" / job["id"]
            assert sorted(p.name for p in job_dir.iterdir()) == ["input.csv"]
            assert (job_dir / "input.csv").read_bytes() == GOLDEN_INPUT.read_bytes()
            cook.delete(f"/api/jobs/{job['id']}")
        else:  # a CSV sent as .jsonl is read as JSON Lines and refused; its name still shown
            assert "escape.jsonl" in response.json()["message"]
    assert not list(service["data_dir"].parent.rglob("escape*"))
    assert not Path("/etc/cron.d/escape.jsonl").exists()


# ---------------------------------------------------------------- cancel and delete


def test_cancel_a_running_job(cook: httpx.Client, service: dict[str, Any], tmp_path: Path) -> None:
    source = synth_file(tmp_path / "sixty.csv", 60)
    job = upload(cook, source).json()
    job = wait_for(cook, job["id"], until=lambda j: j["progress"]["done"] > 0 or j["finished"])
    assert job["status"] == "running", job
    response = cook.post(f"/api/jobs/{job['id']}/cancel")
    assert response.status_code == 202
    assert response.json()["cancel_requested"] is True
    job = wait_for(cook, job["id"], timeout=30)
    assert job["status"] == "cancelled", job
    assert job["progress"]["done"] < job["progress"]["total"]
    assert job["links"]["download"] is None
    assert cook.get(f"/api/jobs/{job['id']}/download").status_code == 409
    assert cook.post(f"/api/jobs/{job['id']}/cancel").status_code == 409


def test_delete_removes_the_job_and_its_files(cook: httpx.Client, service: dict[str, Any]) -> None:
    job = wait_for(cook, upload(cook).json()["id"])
    job_dir = service["data_dir"] / "jobs" / job["id"]
    assert job_dir.is_dir()
    assert cook.delete(f"/api/jobs/{job['id']}").status_code == 204
    assert not job_dir.exists()
    assert cook.get(f"/api/jobs/{job['id']}").status_code == 404
    assert cook.delete(f"/api/jobs/{job['id']}").status_code == 404


def test_delete_a_running_job_stops_it(
    cook: httpx.Client, service: dict[str, Any], tmp_path: Path
) -> None:
    source = synth_file(tmp_path / "forty.csv", 40)
    job = upload(cook, source).json()
    wait_for(cook, job["id"], until=lambda j: j["status"] == "running" or j["finished"])
    assert cook.delete(f"/api/jobs/{job['id']}").status_code == 204
    assert not (service["data_dir"] / "jobs" / job["id"]).exists()
    time.sleep(1)
    assert not (service["data_dir"] / "jobs" / job["id"]).exists()  # the worker wrote no more


# ---------------------------------------------------------------- restarts


def _insert_job(settings: Settings, office: str, status: str, attempts: int) -> str:

    job_id = secrets.token_hex(16)
    folder = settings.jobs_dir / job_id
    folder.mkdir(parents=True)
    (folder / "input.csv").write_bytes(GOLDEN_INPUT.read_bytes())
    store = Store(settings.db_url)
    try:
        store.insert_job(
            id=job_id,
            office=office,
            status=status,
            attempts=attempts,
            pack="il-cook",
            run_date="2026-12-01",
            formats="pdf",
            input_ext="csv",
            input_name="golden-input.csv",
            input_bytes=GOLDEN_INPUT.stat().st_size,
            started_at="2026-11-01T00:00:00Z" if status == "running" else None,
        )
    finally:
        store.dispose()
    return job_id


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """None: the default SQLite file in the data folder; or a new PostgreSQL database."""
    return None if request.param == "sqlite" else request.getfixturevalue("pg_url")


def test_a_restarted_server_resumes_or_fails_unfinished_jobs(
    tmp_path: Path, database_url: str | None
) -> None:
    settings = make_settings(tmp_path / "data", database_url=database_url)
    key = add_key(settings, "Cook SAO")
    interrupted = _insert_job(settings, "Cook SAO", "running", attempts=1)
    given_up = _insert_job(settings, "Cook SAO", "running", attempts=settings.max_attempts)
    waiting = _insert_job(settings, "Cook SAO", "queued", attempts=0)
    lost_input = _insert_job(settings, "Cook SAO", "running", attempts=1)
    (settings.jobs_dir / lost_input / "input.csv").unlink()
    with ThreadServer(settings) as server, server.client(key) as client:
        job = wait_for(client, interrupted)
        assert job["status"] == "done", job
        assert job["message"] is None
        assert job["summary"]["input_rows"] == 9
        job = client.get(f"/api/jobs/{given_up}").json()
        assert job["status"] == "failed"
        assert "the server stopped 3 times" in job["message"]
        assert wait_for(client, waiting)["status"] == "done"
        job = wait_for(client, lost_input)
        assert job["status"] == "failed"
        assert "no longer in the server's data folder" in job["message"]
        assert not [j for j in client.get("/api/jobs").json() if not j["finished"]]


def test_a_job_running_when_the_server_stops_is_finished_after_restart(
    tmp_path: Path, database_url: str | None
) -> None:
    settings = make_settings(tmp_path / "data", database_url=database_url)
    key = add_key(settings, "Cook SAO")
    source = synth_file(tmp_path / "thirty.csv", 30)
    with ThreadServer(settings) as server, server.client(key) as client:
        job = upload(client, source).json()
        wait_for(client, job["id"], until=lambda j: j["progress"]["done"] > 0 or j["finished"])
    store = Store(settings.db_url)
    try:
        left = store.get_job(job["id"])
    finally:
        store.dispose()
    assert left is not None and left["status"] == "running"  # stopped mid-run
    with ThreadServer(settings) as server, server.client(key) as client:
        done = wait_for(client, job["id"])
    assert done["status"] == "done", done
    assert done["summary"]["balanced"] is True


def test_jobs_wait_while_no_worker_runs_and_can_be_cancelled(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    key = add_key(settings, "Cook SAO")
    with ThreadServer(settings, run_jobs=False) as server, server.client(key) as client:
        job = upload(client).json()
        time.sleep(0.5)
        assert client.get(f"/api/jobs/{job['id']}").json()["status"] == "queued"
        response = client.post(f"/api/jobs/{job['id']}/cancel")
        assert response.status_code == 202
        assert response.json()["status"] == "cancelled"


# ---------------------------------------------------------------- docs and page


def test_openapi_documents_the_api(service: dict[str, Any]) -> None:
    with service["server"].client() as client:
        schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/jobs",
        "/api/jobs/{job_id}",
        "/api/jobs/{job_id}/cancel",
        "/api/jobs/{job_id}/download",
        "/api/jobs/{job_id}/files/{path}",
        "/api/packs",
        "/health",
    } <= paths
    assert set(schema["components"]["securitySchemes"]) == {"HTTPBearer", "APIKeyHeader"}


def test_docs_page_loads_everything_from_this_server(service: dict[str, Any]) -> None:
    """/docs works on a server without internet: Swagger UI's files come from docgen itself."""
    import re

    with service["server"].client() as client:
        response = client.get("/docs")
        assert response.status_code == 200
        html = response.text
        assert "http://" not in html and "https://" not in html and "//cdn" not in html
        scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
        styles = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html)
        icons = re.findall(r'<link[^>]*rel="icon"[^>]*href="([^"]+)"', html)
        assert "/static/swagger-ui/swagger-ui-bundle.js" in scripts
        assert styles == ["/static/swagger-ui/swagger-ui.css"]
        assert re.search(r"<script>|<script\s+type=", html) is None  # no inline script
        assert 'data-openapi-url="/openapi.json"' in html
        for url in scripts:
            asset = client.get(url)
            assert asset.status_code == 200, url
            assert "javascript" in asset.headers["content-type"], url
        assert len(client.get(scripts[0]).content) > 500_000  # the real Swagger UI bundle
        for url in styles:
            asset = client.get(url)
            assert asset.status_code == 200 and asset.headers["content-type"].startswith("text/css")
            assert b".swagger-ui" in asset.content
        for url in icons:
            assert client.get(url).headers["content-type"] == "image/png"
        # The policy forbids loading anything from elsewhere, should the page ever try.
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self';" in policy
        assert client.get("/redoc").status_code == 404  # ReDoc would need a CDN: not offered


def test_page_is_served_with_a_strict_policy(service: dict[str, Any]) -> None:
    with service["server"].client() as client:
        response = client.get("/")
        assert client.get("/static/app.js").status_code == 200
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    html = response.text
    assert '<label for="file">' in html and '<label for="api-key">' in html
    assert 'role="progressbar"' in html and 'aria-live="polite"' in html
    assert '<option value="il-cook">' in html


def test_the_page_shows_the_stage_after_rendering(tmp_path: Path) -> None:
    """In Chromium: a running job past rendering shows its stage's own count, not documents at
    100 %. The job is written to the store by hand (no worker runs), one stage after another."""
    from tests.service.test_browser import CHROMIUM, CHROMIUM_ARGS

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import expect, sync_playwright

    settings = make_settings(tmp_path / "data")
    key = add_key(settings, "Cook SAO")
    job_id = _insert_job(settings, "Cook SAO", "running", 1)
    store = Store(settings.db_url)

    def at(stage: str, done: int, total: int, documents: int = 40) -> None:
        store.update_job(
            job_id,
            progress_done=documents,
            progress_total=40,
            progress_stage=stage,
            progress_stage_done=done,
            progress_stage_total=total,
        )

    at("Judge's batch", 3, 38)
    expect.set_options(timeout=15_000)
    try:
        with ThreadServer(settings, run_jobs=False) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(server.url)
                page.get_by_label("API key").fill(key)
                page.keyboard.press("Enter")
                page.get_by_role("button", name="Open job for golden-input.csv").click()
                bar = page.get_by_role("progressbar", name="Judge's batch")
                expect(bar).to_have_attribute("aria-valuetext", "3 of 38 volumes")
                expect(page.locator("#status")).to_have_text("Judge's batch: 3 of 38 volumes.")
                page.screenshot(path=str(tmp_path / "judge-stage.png"))

                at("Manifest", 0, 1)  # the page polls while the job runs
                expect(page.locator("#status")).to_have_text("Writing the manifest…")
                at("Rendering", 12, 40, documents=12)  # a resumed job starts over: documents again
                expect(page.get_by_role("progressbar", name="Documents made")).to_have_attribute(
                    "aria-valuetext", "12 of 40 documents"
                )
            finally:
                browser.close()
    finally:
        store.dispose()


def test_a_job_can_ask_for_letters_printed_on_both_sides(
    cook: httpx.Client, done_job: dict[str, Any]
) -> None:
    """`duplex_letters` as `generate --duplex-letters`: each letter of its print file starts on
    the front of a sheet, and the file says it is for both sides; a job without it, one side."""
    import pikepdf

    assert done_job["duplex_letters"] is False
    response = upload(cook, duplex_letters="true")
    assert response.status_code == 201, response.text
    job = wait_for(cook, response.json()["id"])
    assert job["status"] == "done" and job["duplex_letters"] is True
    for finished, mode in ((done_job, "/Simplex"), (job, "/DuplexFlipLongEdge")):
        data = cook.get(f"{finished['links']['self']}/files/batches/letters-print.pdf")
        assert data.status_code == 200
        with pikepdf.open(io.BytesIO(data.content)) as pdf, pdf.open_outline() as outline:
            assert pdf.Root.ViewerPreferences.Duplex == pikepdf.Name(mode)
            starts = [pdf.pages.index(item.destination[0]) for item in outline.root]
            if mode != "/Simplex":
                assert all(first % 2 == 0 for first in starts), starts
                assert len(pdf.pages) % 2 == 0
