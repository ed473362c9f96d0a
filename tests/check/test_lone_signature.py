"""A signature never stands on a page without the text it signs (`[rules.signature]`,
docgen.check.content): the Will bulk motion's certificate of service, longer than a page, once
put its "/s/" signer alone on the last page. The rule on its own, then a real Will run with the
old certificate put back (failed) and as shipped (passed, the note above the signer)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.check.checker import check_run
from docgen.check.content import lone_signature_failures
from docgen.filing_rules import SignatureRule, rules_of
from docgen.packs import load_pack
from tests.conftest import FIXTURES, run_pipeline
from tests.pack_edit import packs_with_edit

RULE = rules_of(load_pack("il-will")).signature
FOOTER = ["Case No. ______________", "Page 4 of 4"]


def test_every_pack_has_the_rule() -> None:
    for name in ("il-cook", "il-will", "ca-los-angeles", "ca-san-joaquin"):
        assert rules_of(load_pack(name)).signature is not None, name


def test_a_page_holding_only_the_signer_fails() -> None:
    assert RULE is not None
    failures: list[str] = []
    lone = "/s/ Morgan T. Ellison\nCase No. ______________ Page 4 of 4"
    lone_signature_failures(["Some text\nmore", lone], [[], FOOTER], RULE, failures)
    assert len(failures) == 1 and failures[0].startswith("page 2: a signature stands without")


def test_the_note_above_the_signer_passes() -> None:
    assert RULE is not None
    failures: list[str] = []
    page = "Notice is given to the Prisoner Review Board.\n/s/ Morgan T. Ellison\nPage 4 of 4"
    lone_signature_failures([page], [FOOTER], RULE, failures)
    assert failures == []


def test_the_sign_off_and_line_numbers_do_not_count_as_text() -> None:
    rule = SignatureRule(line="^/s/ ", lead=r"^(?:Respectfully submitted,?|Dated:.*)$")
    only_sign_off = "1\n2\nDated: December 1, 2026\nRespectfully submitted,\n/s/ Dana K. Whitfield"
    failures: list[str] = []
    lone_signature_failures([only_sign_off], [[]], rule, failures)
    assert len(failures) == 1
    failures.clear()
    lone_signature_failures(["WHEREFORE, the People ask.\n" + only_sign_off], [[]], rule, failures)
    assert failures == []


def _will_run(out: Path) -> tuple[Path, list[str]]:
    result = run_pipeline(
        FIXTURES / "il-will-input.csv", out, pack_name="il-will", formats=("pdf",)
    )
    report = check_run(result.run_dir)
    return result.run_dir, [
        line for file in report.files for line in file.failures if "signature stands" in line
    ]


def test_will_bulk_motion_keeps_its_signer_with_the_note(tmp_path: Path) -> None:
    run_dir, failures = _will_run(tmp_path / "out")
    assert failures == []
    manifest = json.loads((run_dir / "manifest.json").read_text())
    motion = next(f["path"] for f in manifest["files"] if f["kind"] == "bulk-motion")
    texts = [page.extract_text() for page in PdfReader(run_dir / motion).pages]
    # The certificate's signer: the last "/s/" of the motion (the first signs the motion itself).
    signer_page = [t for t in texts if "/s/ Morgan T. Ellison" in t][-1]
    assert "Notice is given to the Prisoner Review Board" in signer_page


def test_check_fails_the_old_certificate_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closing = "_layouts/illinois/_closing.html"
    packs_with_edit(tmp_path, monkeypatch, closing, '<div class="keep signed-note">', "<div>")
    _, failures = _will_run(tmp_path / "out")
    assert failures, "the lone signer of the old certificate of service was not reported"
