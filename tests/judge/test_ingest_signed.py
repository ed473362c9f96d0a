"""`docgen ingest-signed`: the signed batch back into the run, order by order, without guessing."""

from __future__ import annotations

import json
import logging
import shutil
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from docgen.cli import app
from docgen.judge.ingest import ingest_signed
from tests import paths
from tests.conftest import GOLDEN_INPUT, run_pipeline
from tests.signing_helpers import scan, sign_batch

runner = CliRunner()
CASES = [
    "2004-CR-0012345",
    "2009-MC1-204511",
    "2011-CR-0456789",
    "2012-MC1-318870",
    "2013-MC2-100233",
    "2015-CR-0777001",
]
REMOVED, SWAPPED, DENIED = "2009-MC1-204511", "2011-CR-0456789", "2013-MC2-100233"
NAMES = ("O'Brien", "Núñez", "Nguyễn", "李小龍", "Wolfeschlegelsteinhausen")


def _ledger(run_dir: Path) -> dict[str, dict]:
    data = json.loads((run_dir / "ledger.json").read_text())
    return {entry["key"]: entry for entry in data["orders"]}


def test_round_trip_reports_exactly_what_the_judge_did(
    run_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    signed = sign_batch(
        run_dir,
        tmp_path / "signed.pdf",
        remove=(REMOVED,),
        swap_pages_of=(SWAPPED,),
        deny_by_word=(DENIED,),
    )
    with caplog.at_level(logging.DEBUG, logger="docgen"):
        report = ingest_signed(signed, run_dir)
    assert report.missing == [REMOVED]
    assert [o.key for o in report.by_status("denied")] == [DENIED]
    signed_cases = [c for c in CASES if c not in (REMOVED, DENIED)]
    assert [o.key for o in report.by_status("signed")] == signed_cases
    assert len(report.reordered) == 1 and report.reordered[0].startswith(SWAPPED)
    assert report.extra == report.unreadable == report.duplicates == []
    assert report.read_by_text == report.pages == 11 and report.read_by_code == 0
    assert report.ok
    ledger = _ledger(run_dir)
    assert ledger[REMOVED]["status"] == "generated" and ledger[REMOVED]["signed_on"] is None
    assert ledger[DENIED]["status"] == "denied"
    for case in signed_cases:
        entry = ledger[case]
        assert (entry["status"], entry["signed_on"], entry["date_source"]) == (
            "signed",
            "2026-12-03",
            "page",
        )
        # The split order: its pages back in order (the swapped one too), the signature on it.
        pages = PdfReader(run_dir / entry["signed_file"]).pages
        assert len(pages) == 2
        assert "Page 1 of 2" in pages[0].extract_text()
        assert "Page 2 of 2" in pages[1].extract_text()
        assert f"Case No. {case}" in pages[0].extract_text()
        assert "12/03/2026" in pages[1].extract_text()
    assert not (run_dir / "signed" / f"{REMOVED}.pdf").exists()
    assert (run_dir / "ledger.json").stat().st_mode & 0o777 == 0o600
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged and not any(name in logged for name in NAMES)
    assert not any(case in logged for case in CASES)


def test_cli_summary_and_exit_code(run_dir: Path, tmp_path: Path) -> None:
    signed = sign_batch(run_dir, tmp_path / "signed.pdf", remove=(REMOVED,))
    result = runner.invoke(app, ["ingest-signed", str(signed), "--run", str(run_dir)])
    assert result.exit_code == 0, result.output
    assert "Recorded: 5 signed, 0 denied." in result.output
    assert f"Not in the signed batch (still generated): {REMOVED}" in result.output
    assert "date from the page" in result.output
    assert not any(name in result.output for name in NAMES)
    as_json = runner.invoke(app, ["ingest-signed", str(signed), "--run", str(run_dir), "--json"])
    assert json.loads(as_json.output)["missing"] == [REMOVED]


def test_scanned_batch_is_read_by_its_codes(run_dir: Path, tmp_path: Path) -> None:
    """No text layer: pages matched by the QR code; a denial shows as a mark in the box;
    DENIED written elsewhere cannot be read from an image, so that order is not recorded."""
    signed = sign_batch(
        run_dir,
        tmp_path / "signed.pdf",
        deny_by_box=(DENIED,),
        deny_by_word=("2004-CR-0012345",),
        swap_pages_of=(SWAPPED,),
    )
    scanned = scan(signed, tmp_path / "scanned.pdf")
    assert not "".join(p.extract_text() or "" for p in PdfReader(scanned).pages).strip()
    report = ingest_signed(scanned, run_dir, signed_on=date(2026, 12, 4))
    assert report.read_by_code == report.pages == 13 and report.read_by_text == 0
    assert [o.key for o in report.by_status("denied")] == [DENIED]
    assert [o.key for o in report.by_status("unclear")] == ["2004-CR-0012345"]
    signed_cases = [c for c in CASES if c not in (DENIED, "2004-CR-0012345")]
    assert [o.key for o in report.by_status("signed")] == signed_cases
    assert report.reordered and not report.missing
    assert not report.ok  # an order needs a person's look
    ledger = _ledger(run_dir)
    assert ledger["2004-CR-0012345"]["status"] == "generated"
    for case in signed_cases:
        assert (ledger[case]["signed_on"], ledger[case]["date_source"]) == ("2026-12-04", "option")
    result = runner.invoke(
        app,
        ["ingest-signed", str(scanned), "--run", str(run_dir), "--signed-on", "2026-12-04"],
    )
    assert result.exit_code == 1
    assert "NOT RECORDED (unclear): 2004-CR-0012345" in result.output


def test_scan_without_a_date_is_not_recorded(run_dir: Path, tmp_path: Path) -> None:
    scanned = scan(sign_batch(run_dir, tmp_path / "signed.pdf"), tmp_path / "scanned.pdf")
    report = ingest_signed(scanned, run_dir)
    assert {o.status for o in report.outcomes} == {"no-date"}
    assert all(e["status"] == "generated" for e in _ledger(run_dir).values())


def test_unsigned_order_and_unknown_pages_are_reported(run_dir: Path, tmp_path: Path) -> None:
    signed = sign_batch(run_dir, tmp_path / "signed.pdf", unsigned=("2012-MC1-318870",))
    with pikepdf.open(signed, allow_overwriting_input=True) as pdf:
        pdf.add_blank_page()  # a page with neither docgen's text nor its code
        with pikepdf.open(run_dir / "cases" / "2004-CR-0012345" / "order.pdf") as order:
            pdf.pages.append(order.pages[0])  # the order itself, not from the batch: no code
        pdf.save(signed)
    report = ingest_signed(signed, run_dir)
    assert [o.key for o in report.outcomes if o.status == "unsigned"] == ["2012-MC1-318870"]
    assert report.unreadable == [14, 15]
    assert len(report.by_status("signed")) == 5
    assert not report.ok
    assert _ledger(run_dir)["2012-MC1-318870"]["status"] == "generated"


def test_pages_of_another_run_are_extra(run_dir: Path, tmp_path: Path) -> None:
    other = run_pipeline(
        GOLDEN_INPUT, tmp_path / "other", formats=("pdf",), run_id="another-run"
    ).run_dir
    signed = sign_batch(other, tmp_path / "other-signed.pdf")
    report = ingest_signed(signed, run_dir)
    assert len(report.extra) == 13 and all("another run" in e for e in report.extra)
    assert report.outcomes == [] and len(report.missing) == 6
    assert not report.ok


def test_an_order_with_a_page_missing_is_incomplete(run_dir: Path, tmp_path: Path) -> None:
    signed = sign_batch(run_dir, tmp_path / "signed.pdf")
    with pikepdf.open(signed, allow_overwriting_input=True) as pdf:
        del pdf.pages[1]  # the first page of the first order
        pdf.save(signed)
    report = ingest_signed(signed, run_dir)
    incomplete = [o for o in report.outcomes if o.status == "incomplete"]
    assert [o.key for o in incomplete] == ["2004-CR-0012345"]
    assert "order page(s) 1 not in the signed batch" in incomplete[0].note
    assert _ledger(run_dir)["2004-CR-0012345"]["status"] == "generated"


def test_a_run_without_a_batch_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest-signed", str(GOLDEN_INPUT), "--run", str(tmp_path)])
    assert result.exit_code == 1
    assert "manifest.json" in result.output and "Traceback" not in result.output


def test_service_upload_signed_batch_then_letters(tmp_path: Path) -> None:
    """The judge's side through the HTTP API: the same functions, behind the API key."""
    from tests.service.test_service_api import (
        ThreadServer,
        add_key,
        make_settings,
        upload,
        wait_for,
    )

    settings = make_settings(tmp_path / "data", max_upload_bytes=4 * 1024 * 1024)
    cook_key, other_key = add_key(settings, "Cook SAO"), add_key(settings, "Other County")
    with ThreadServer(settings) as server, server.client(cook_key) as cook:
        job = wait_for(cook, upload(cook, formats="pdf").json()["id"])
        assert job["status"] == "done", job
        files = f"/api/jobs/{job['id']}/files"
        run_dir = tmp_path / "batch"
        for path in ("batches/orders-for-judge.pdf", "batches/orders-for-judge.json"):
            response = cook.get(f"{files}/{path}")
            assert response.status_code == 200
            (run_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (run_dir / path).write_bytes(response.content)
        signed = sign_batch(
            run_dir, tmp_path / "signed.pdf", remove=(REMOVED,), deny_by_word=(DENIED,)
        )
        body = signed.read_bytes()
        url = f"/api/jobs/{job['id']}/signed"
        with server.client() as anonymous:
            assert anonymous.post(url, files={"file": ("s.pdf", body)}).status_code == 401
        with server.client(other_key) as other:
            assert other.post(url, files={"file": ("s.pdf", body)}).status_code == 404
        assert cook.post(url, files={"file": ("s.pdf", b"not a pdf")}).status_code == 415
        response = cook.post(url, files={"file": ("signed.pdf", body, "application/pdf")})
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["ok"] and report["missing"] == [REMOVED] and report["denied"] == [DENIED]
        assert len(report["signed"]) == 4
        ledger = cook.get(f"{files}/ledger.json").json()
        assert {o["key"]: o["status"] for o in ledger["orders"]}[DENIED] == "denied"
        assert cook.get(f"{files}/signed/2004-CR-0012345.pdf").status_code == 200
        response = cook.post(
            f"/api/jobs/{job['id']}/letters-signed", data={"date": "2026-12-10", "formats": "pdf"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["files"] == [
            "letters-signed/IL-100001.pdf",
            "letters-signed/IL-100002.pdf",
            "letters-signed/IL-100003.pdf",
        ]
        letter = cook.get(f"{files}/letters-signed/IL-100001.pdf")
        assert letter.status_code == 200 and letter.content.startswith(b"%PDF")


# ---------------------------------------------------------------- a batch in volumes

# The golden run's six two-page orders at 4 pages a volume: three volumes of two orders.
VOLUMES = {1: CASES[0:2], 2: CASES[2:4], 3: CASES[4:6]}


@pytest.fixture(scope="module")
def made_split_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ingest-split")
    return run_pipeline(GOLDEN_INPUT, out, formats=("pdf",), batch_pages=4).run_dir


@pytest.fixture
def split_dir(made_split_run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / made_split_run.name
    shutil.copytree(made_split_run, copy)
    return copy


def test_volumes_are_ingested_one_after_another_into_one_ledger(
    split_dir: Path, tmp_path: Path
) -> None:
    mapping = json.loads((split_dir / "batches" / "orders-for-judge.json").read_text())
    assert {
        v["number"]: [d["key"] for d in mapping["documents"] if d["volume"] == v["number"]]
        for v in mapping["volumes"]
    } == VOLUMES
    removed = VOLUMES[2][1]
    signed = sign_batch(split_dir, tmp_path / "v2.pdf", volume=2, remove=(removed,))
    report = ingest_signed(signed, split_dir)
    assert (report.volume, report.volumes) == (2, 3)
    # Missing from volume 2 only: volumes 1 and 3 are not in this file and not reported.
    assert report.missing == [removed]
    assert [o.key for o in report.by_status("signed")] == [VOLUMES[2][0]]
    assert report.ok and report.extra == [] and report.index_pages == 1
    ledger = _ledger(split_dir)
    assert {k for k, e in ledger.items() if e["status"] == "signed"} == {VOLUMES[2][0]}
    assert len(ledger) == 6
    result = runner.invoke(app, ["ingest-signed", str(signed), "--run", str(split_dir)])
    assert "volume 2 of 3" in result.output
    assert f"Not in the signed volume (still generated): {removed}" in result.output

    # Volume 1, signed later (and scanned: read by its codes), adds to the same ledger.
    scanned = scan(sign_batch(split_dir, tmp_path / "v1.pdf", volume=1), tmp_path / "v1-scan.pdf")
    report = ingest_signed(scanned, split_dir, signed_on=date(2026, 12, 4))
    assert report.volume == 1 and report.read_by_code == report.pages == 5
    assert [o.key for o in report.by_status("signed")] == VOLUMES[1] and report.missing == []
    ledger = _ledger(split_dir)
    assert {k for k, e in ledger.items() if e["status"] == "signed"} == {*VOLUMES[1], VOLUMES[2][0]}
    assert ledger[removed]["status"] == "generated"
    assert all(ledger[k]["status"] == "generated" for k in VOLUMES[3])
    assert ledger[VOLUMES[2][0]]["signed_on"] == "2026-12-03"  # volume 2's record kept
    assert ledger[VOLUMES[1][0]]["signed_on"] == "2026-12-04"
    manifest = json.loads((split_dir / "manifest.json").read_text())
    listed = {f["path"] for f in manifest["files"] if f["kind"] == "signed-order"}
    assert listed == {f"signed/{k}.pdf" for k in (*VOLUMES[1], VOLUMES[2][0])}


def test_a_page_of_another_volume_is_reported_not_taken(split_dir: Path, tmp_path: Path) -> None:
    """Volume 1's page 2 has the same batch page number as volume 2's page 2: the code's volume
    tells them apart."""
    volume_1 = sign_batch(split_dir, tmp_path / "v1.pdf", volume=1)
    signed = sign_batch(split_dir, tmp_path / "v2.pdf", volume=2)
    with (
        pikepdf.open(signed, allow_overwriting_input=True) as pdf,
        pikepdf.open(volume_1) as other,
    ):
        pdf.pages.insert(3, other.pages[1])  # volume 1's first order page, amid volume 2's
        pdf.save(signed)
    report = ingest_signed(signed, split_dir)
    assert report.volume == 2
    assert report.extra == [
        "page 4 belongs to volume 1 of this run, not to volume 2: ingest it with its own volume"
    ]
    assert [o.key for o in report.by_status("signed")] == VOLUMES[2]
    assert report.missing == [] and report.outcomes and not report.ok
    assert _ledger(split_dir)[VOLUMES[1][0]]["status"] == "generated"


def test_a_file_half_one_volume_half_another_is_refused(split_dir: Path, tmp_path: Path) -> None:
    volume_1 = sign_batch(split_dir, tmp_path / "v1.pdf", volume=1)
    volume_2 = sign_batch(split_dir, tmp_path / "v2.pdf", volume=2)
    with pikepdf.open(volume_1) as first, pikepdf.open(volume_2) as second:
        mixed = pikepdf.new()
        mixed.pages.extend(first.pages[1:])  # no index pages: they would name the volume
        mixed.pages.extend(second.pages[1:])
        mixed.save(tmp_path / "mixed.pdf")
    result = runner.invoke(
        app, ["ingest-signed", str(tmp_path / "mixed.pdf"), "--run", str(split_dir)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "as many pages of volume 1 as of volume 2" in result.output
    assert not (split_dir / "ledger.json").exists()


# ---------------------------------------------------------------- a bulk order with its exhibit

GOGEN_GOLDEN = paths.FIXTURES / "gogen" / "golden.csv"


@pytest.mark.parametrize("deny", [False, True])
def test_a_bulk_order_carrying_its_exhibit_is_read_on_its_signature_page(
    tmp_path: Path, deny: bool
) -> None:
    """The Los Angeles order carries Exhibit A after its own pages: the judge signs (or marks
    DENIED) on the order's last page, not on the exhibit's, and ingest reads that page."""
    run_dir = run_pipeline(
        GOGEN_GOLDEN,
        tmp_path / "out",
        pack_name="ca-los-angeles",
        input_format="gogen",
        formats=("pdf",),
    ).run_dir
    document = json.loads((run_dir / "batches" / "orders-for-judge.json").read_text())["documents"][
        0
    ]
    assert document["kind"] == "bulk-order"
    assert document["signature_page"] == 2 < document["pages"] == 5  # 2 order + cover + 2 table
    key = document["key"]
    signed = sign_batch(run_dir, tmp_path / "signed.pdf", deny_by_box=(key,) if deny else ())
    report = ingest_signed(signed, run_dir)
    assert [o.key for o in report.by_status("denied" if deny else "signed")] == [key]
