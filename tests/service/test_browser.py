"""End to end in a real headless Chromium (Debian's, driven by Playwright's Python package).

`docgen keys create` makes a key and `docgen serve` runs on 127.0.0.1 and a free port in a
subprocess; the test types the key, uploads the golden input, watches the progress bar, waits for
the previews and downloads the zip, then checks it. Only loopback traffic.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import GOLDEN_INPUT

CHROMIUM_PATHS = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM = next((p for p in CHROMIUM_PATHS if os.access(p, os.X_OK)), None)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (apt-get install -y chromium; CI installs it)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _docgen(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        **kw,
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    data_dir = tmp_path / "data"
    key = _docgen("keys", "create", "--office", "Cook SAO", "--data-dir", str(data_dir))
    api_key = key.stdout.strip()
    assert api_key.startswith("dgk_") and "shown only this once" in key.stderr
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--data-dir", str(data_dir), "--workers", "1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        yield url, api_key
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_paralegal_uploads_sees_progress_and_previews_and_downloads(
    served: tuple[str, str], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    # Generous waits: CI shares two cores with the rendering workers.
    expect.set_options(timeout=30_000)

    url, api_key = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(accept_downloads=True, viewport={"width": 1100, "height": 900})
            # Only this server: any other request fails the test.
            outside: list[str] = []
            page.on(
                "request",
                lambda r: (
                    None if r.url.startswith((url, "blob:", "data:")) else outside.append(r.url)
                ),
            )
            page.goto(url)
            expect(page.get_by_role("heading", level=1)).to_have_text("docgen")

            # Keyboard: the skip link first, then the key field.
            page.keyboard.press("Tab")
            expect(page.get_by_role("link", name="Skip to the upload form")).to_be_focused()
            page.keyboard.press("Tab")
            expect(page.get_by_label("API key")).to_be_focused()

            # A wrong key is refused, the right one accepted.
            page.get_by_label("API key").fill("dgk_nope")
            page.get_by_role("button", name="Use this key").click()
            expect(page.locator("#key-status")).to_contain_text("not accepted")
            page.get_by_label("API key").fill(api_key)
            page.keyboard.press("Enter")
            expect(page.locator("#key-status")).to_contain_text("Key accepted")

            # A file missing a column: the problems table a paralegal can act on.
            lines = GOLDEN_INPUT.read_text(encoding="utf-8").splitlines()
            bad = tmp_path / "no-dob.csv"
            bad.write_text(
                "\n".join(line.replace("date_of_birth", "birthday") for line in lines) + "\n",
                encoding="utf-8",
            )
            page.get_by_label("Results file").set_input_files(bad)
            page.get_by_role("button", name="Make documents").click()
            table = page.get_by_role("table").filter(has_text="Problem")
            expect(table).to_be_visible()
            expect(table.get_by_role("row").nth(1)).to_contain_text("date of birth")
            expect(page.locator("#status")).to_contain_text("no-dob.csv")
            expect(page.get_by_role("heading", name="Problems found in your file")).to_be_focused()

            # The real file, PDF only.
            page.get_by_label("Results file").set_input_files(GOLDEN_INPUT)
            page.get_by_label("Court").select_option("il-cook")
            page.get_by_label("Date printed on the documents").fill("2026-12-01")
            page.get_by_label("Word (DOCX)").uncheck()
            page.get_by_label("Letters print file for printing on both sides").check()
            page.get_by_role("button", name="Make documents").click()

            bar = page.get_by_role("progressbar")
            expect(bar).to_be_visible()
            seen = set()
            deadline = time.monotonic() + 120
            while "Finished" not in (page.locator("#status").text_content() or ""):
                seen.add(bar.get_attribute("aria-valuenow"))
                assert time.monotonic() < deadline, page.locator("#status").text_content()
                time.sleep(0.05)
            expect(bar).to_have_attribute("aria-valuemax", "16")
            expect(bar).to_have_attribute("aria-valuenow", "16")
            assert seen, "the progress bar was never seen"
            expect(page.locator("#status")).to_contain_text("6 cases, 4 letters")
            # The form's box reached the job (the print file for both sides).
            jobs = httpx.get(f"{url}/api/jobs", headers={"X-API-Key": api_key}, timeout=10).json()
            assert jobs[0]["duplex_letters"] is True
            expect(page.get_by_role("table").filter(has_text="Problem")).to_be_hidden()

            # Previews: real PNGs, loaded, with alt text.
            for kind in ("motion", "order", "letter"):
                image = page.locator(f"img[data-kind={kind}]")
                expect(image).to_be_visible()
                page.wait_for_function(
                    f"document.querySelector('img[data-kind={kind}]').naturalWidth > 500"
                )
                assert "First page of the" in (image.get_attribute("alt") or "")
            page.screenshot(path=str(tmp_path / "page.png"), full_page=True)

            # Download.
            with page.expect_download() as download_info:
                page.get_by_role("button", name="Download all documents (.zip)").click()
            download = download_info.value
            assert download.suggested_filename.startswith("il-cook-2026-12-01-")
            zip_path = tmp_path / "download.zip"
            download.save_as(zip_path)

            # The recent-jobs table lists the finished job.
            expect(page.locator("#jobs-table")).to_contain_text("golden-input.csv")
            assert not outside, outside
        finally:
            browser.close()

    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        run_id = download.suggested_filename.removesuffix(".zip")
        manifest = json.loads(zf.read(f"{run_id}/manifest.json"))
        assert manifest["accounting"]["balanced"] is True
        assert manifest["accounting"]["input_rows"] == 9
        assert sum(n.endswith("/motion.pdf") for n in names) == 6
        assert sum(n.endswith("/order.pdf") for n in names) == 6
        assert f"{run_id}/batches/orders-for-judge.pdf" in names
        assert zf.read(f"{run_id}/report.pdf").startswith(b"%PDF")


def test_api_docs_render_offline_and_can_call_the_api(served: tuple[str, str]) -> None:
    """/docs in Chromium with every request off this server refused: Swagger UI still renders
    (its files are served by docgen), and a call made from it with the office's key succeeds."""
    from playwright.sync_api import expect, sync_playwright

    # Generous waits: CI shares two cores with the rendering workers.
    expect.set_options(timeout=30_000)

    url, api_key = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            outside: list[str] = []
            problems: list[str] = []

            def only_this_server(route) -> None:
                if route.request.url.startswith((url, "data:", "blob:")):
                    route.continue_()
                else:  # as on a server without internet
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", only_this_server)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "console",
                lambda m: problems.append(m.text) if m.type == "error" else None,
            )
            page.goto(f"{url}/docs")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("docgen")
            operations = page.locator(".opblock")
            expect(operations.first).to_be_visible()
            assert operations.count() >= 9, operations.count()
            jobs_path = page.locator(".opblock-summary-path", has_text="/api/jobs")
            expect(jobs_path.first).to_be_visible()

            # Authorize with the key, then call GET /api/packs from the page.
            page.get_by_role("button", name="Authorize").first.click()
            dialog = page.locator(".modal-ux")
            dialog.locator("input").first.fill(api_key)  # the first scheme: HTTPBearer
            dialog.get_by_role("button", name="Apply credentials").first.click()
            expect(dialog.get_by_role("button", name="Remove authorization")).to_be_visible()
            dialog.get_by_role("button", name="Close").first.click()
            packs = page.locator(".opblock-get", has_text="/api/packs")
            packs.locator(".opblock-summary").click()
            packs.get_by_role("button", name="Try it out").click()
            packs.get_by_role("button", name="Execute").click()
            status = packs.locator(".live-responses-table tbody .response-col_status").first
            expect(status).to_have_text("200")
            expect(packs.locator(".live-responses-table")).to_contain_text("il-cook")
        finally:
            browser.close()
    assert not outside, outside
    assert not problems, problems
