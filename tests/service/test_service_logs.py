"""The service's logs hold a traceback's stack only: never an exception's message, which may
quote input (a name, a birth date from a row)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from docgen.errors import stack_only
from docgen.service import jobs_api
from tests.service.test_service_api import ThreadServer, add_key, make_settings

FAKE_NAME = "Zebulon Quixote-Marmaduke"


def _raise_with_a_name() -> list[str]:
    raise ValueError(f"row 7: cannot read {FAKE_NAME}, born 1981-04-05")


def test_an_endpoint_error_logs_its_stack_not_its_message(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    settings = make_settings(tmp_path / "data")
    key = add_key(settings, "Cook SAO")
    monkeypatch.setattr(jobs_api, "available_packs", _raise_with_a_name)
    caplog.set_level(logging.DEBUG)
    # A real server (uvicorn in a thread): its own error log is what would print the message.
    with ThreadServer(settings, run_jobs=False) as server, server.client(key) as client:
        response = client.get("/api/packs")
    assert response.status_code == 500
    printed = capfd.readouterr()
    for text in (caplog.text, printed.out, printed.err):
        assert FAKE_NAME not in text and "1981-04-05" not in text
    assert response.json()["error"] == "internal_error"
    assert FAKE_NAME not in response.text
    # The stack is there: where it happened, file, line and function.
    assert "_raise_with_a_name" in caplog.text and "jobs_api.py" in caplog.text
    assert response.headers.get("x-content-type-options") == "nosniff"


def test_stack_only_names_frames_and_type_not_message_nor_cause() -> None:
    try:
        try:
            _raise_with_a_name()
        except ValueError as first:
            raise RuntimeError(f"again: {first}") from first
    except RuntimeError as exc:
        text = stack_only(exc)
    assert FAKE_NAME not in text
    assert text.startswith("RuntimeError")
    assert "test_stack_only_names_frames_and_type_not_message_nor_cause" in text
