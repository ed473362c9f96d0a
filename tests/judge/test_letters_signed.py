"""`docgen letters --signed-only`: letters for signed cases only, with the date the judge signed."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from docgen.check.letters import letter_failures
from docgen.cli import app
from docgen.filing_rules import rules_of
from docgen.judge.ingest import ingest_signed
from docgen.judge.letters_signed import SignedLettersError, make_signed_letters
from docgen.packs import load_pack
from tests.conftest import GOLDEN_INPUT, run_pipeline
from tests.signing_helpers import sign_batch

runner = CliRunner()
LETTER_DATE = date(2026, 12, 10)


@pytest.fixture(scope="module")
def signed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden run after the judge signed: 2009-MC1-204511 held back (IL-100001's second
    case), 2013-MC2-100233 denied (IL-100004's only case), the rest signed on 12/03/2026."""
    tmp = tmp_path_factory.mktemp("letters-signed")
    run_dir = run_pipeline(GOLDEN_INPUT, tmp / "out").run_dir
    signed = sign_batch(
        run_dir,
        tmp / "signed.pdf",
        remove=("2009-MC1-204511",),
        deny_by_word=("2013-MC2-100233",),
    )
    assert ingest_signed(signed, run_dir).ok
    return run_dir


@pytest.fixture
def run_dir(signed_run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / signed_run.name
    shutil.copytree(signed_run, copy)
    return copy


def _text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(path).pages).split())


def test_letters_only_for_signed_cases_with_the_signing_date(run_dir: Path) -> None:
    result = make_signed_letters(run_dir, GOLDEN_INPUT, LETTER_DATE)
    folder = run_dir / "letters-signed"
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "IL-100001.pdf",
        "IL-100002.pdf",
        "IL-100003.pdf",
    ]
    # IL-100004's only case was denied: no letter. IL-100005 has no address: counted, no letter.
    assert (result.letters, result.people_without_address) == (3, 1)
    assert result.cases_signed == 4 and result.cases_left_out == 2
    both = _text(folder / "IL-100001.pdf")
    assert "2004-CR-0012345" in both and "2009-MC1-204511" not in both
    assert "on December 3, 2026, the judge signed the order" in both
    assert "December 10, 2026" in both  # the letter's own date
    spanish = _text(folder / "IL-100002.pdf")
    assert "el 3 de diciembre de 2026, el juez firmó" in spanish and "2011-CR-0456789" in spanish
    first_letter = _text(run_dir / "letters" / "IL-100001.pdf")
    assert "has asked the court to clear" in first_letter  # the first letter is unchanged


def test_manifest_lists_the_letters_truthfully(run_dir: Path) -> None:
    make_signed_letters(run_dir, GOLDEN_INPUT, LETTER_DATE)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    entries = [f for f in manifest["files"] if f["path"].startswith("letters-signed/")]
    assert len(entries) == 6  # three letters, PDF and DOCX
    on_disk = sorted(
        p.relative_to(run_dir).as_posix() for p in (run_dir / "letters-signed").iterdir()
    )
    assert sorted(e["path"] for e in entries) == on_disk
    for entry in entries:
        data = (run_dir / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["kind"] == "letter-signed"
        assert (run_dir / entry["path"]).stat().st_mode & 0o777 == 0o600
    by_path = {e["path"]: e for e in entries}
    assert by_path["letters-signed/IL-100001.pdf"]["rows"] == [2, 3]  # not 2009's row 4


def test_same_date_gives_the_same_bytes(run_dir: Path, tmp_path: Path) -> None:
    make_signed_letters(run_dir, GOLDEN_INPUT, LETTER_DATE)
    first = {p.name: p.read_bytes() for p in (run_dir / "letters-signed").iterdir()}
    make_signed_letters(run_dir, GOLDEN_INPUT, LETTER_DATE)
    again = {p.name: p.read_bytes() for p in (run_dir / "letters-signed").iterdir()}
    assert first == again and len(first) == 6


def test_another_input_file_is_refused(run_dir: Path, tmp_path: Path) -> None:
    changed = tmp_path / "changed.csv"
    changed.write_text(GOLDEN_INPUT.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(SignedLettersError, match="SHA-256"):
        make_signed_letters(run_dir, changed, LETTER_DATE)


def test_cli(run_dir: Path) -> None:
    args = ["letters", "--run", str(run_dir), "--input", str(GOLDEN_INPUT), "--date", "2026-12-10"]
    assert runner.invoke(app, args).exit_code == 2  # --signed-only is required
    result = runner.invoke(app, [*args, "--signed-only", "--formats", "pdf"])
    assert result.exit_code == 0, result.output
    assert "3 letters for 4 signed cases" in result.output, result.output
    assert "(s)" not in result.output and " 1 cases" not in result.output
    assert not list((run_dir / "letters-signed").glob("*.docx"))


def test_no_ledger_means_no_letters(tmp_path: Path) -> None:
    run_dir = run_pipeline(GOLDEN_INPUT, tmp_path / "out", formats=("pdf",)).run_dir
    result = runner.invoke(
        app,
        ["letters", "--run", str(run_dir), "--input", str(GOLDEN_INPUT), "--signed-only"],
    )
    assert result.exit_code == 1
    assert "ingest-signed" in result.output


def test_a_denied_case_gets_its_own_letter_saying_what_it_means(run_dir: Path) -> None:
    from docgen.check.checker import check_run

    result = make_signed_letters(run_dir, GOLDEN_INPUT, LETTER_DATE)
    # IL-100004's only case, 2013-MC2-100233, was denied: a letter about it, in letters-denied/.
    assert (result.letters_denied, result.cases_denied) == (1, 1)
    folder = run_dir / "letters-denied"
    assert sorted(p.name for p in folder.iterdir()) == ["IL-100004.docx", "IL-100004.pdf"]
    denied = _text(folder / "IL-100004.pdf")
    assert "2013-MC2-100233" in denied
    assert "The judge did not sign the order to clear your cannabis conviction" in denied
    assert "file your own motion to vacate and expunge" in denied  # what they can do
    assert "Access and Review" in denied  # how to check their record
    manifest = json.loads((run_dir / "manifest.json").read_text())
    kinds = {f["path"]: f["kind"] for f in manifest["files"]}
    assert kinds["letters-denied/IL-100004.pdf"] == "letter-denied"
    # The signed letters give the day the agencies' 60 days end, counted from the day signed.
    signed = _text(run_dir / "letters-signed" / "IL-100001.pdf")
    assert "from December 3, 2026, the day the judge signed" in signed
    assert "until February 1, 2027" in signed
    # docgen check holds every letter, signed and denied, to [rules.letters].
    report = check_run(run_dir)
    letters = [f for f in report.files if f.letter]
    assert {f.path for f in letters} >= {"letters-denied/IL-100004.pdf",
                                         "letters-signed/IL-100001.pdf"}  # fmt: skip
    assert all(f.ok for f in letters), [f.failures for f in letters if not f.ok]


@pytest.mark.parametrize(
    ("path", "signed"),
    [
        ("IL-100001.pdf", "on December 3, 2026, the judge signed"),
        ("IL-100002.pdf", "el 3 de diciembre de 2026, el juez firmó"),
    ],
)
def test_the_signed_letters_pass_the_date_comma_rule_and_the_old_sentence_fails(
    run_dir: Path, path: str, signed: str
) -> None:
    """Illinois' signed letter said "on December 3, 2026 the judge signed" (no comma after the
    year), the slip `docgen check` fails in a filing; [rules.letters] forbidden now fails it in
    a letter, in both Illinois packs' rules (the layout's, merged under il-will's own)."""
    make_signed_letters(run_dir, GOLDEN_INPUT, LETTER_DATE)
    pdf = (run_dir / "letters-signed" / path).read_bytes()
    text = _text(run_dir / "letters-signed" / path)
    old = signed.replace("2026, ", "2026 ")
    for pack in ("il-cook", "il-will"):
        rules = rules_of(load_pack(pack)).letters
        assert rules is not None
        assert not [f for f in letter_failures(pdf, [text], rules, "letter-signed") if "comma" in f]
        slipped = letter_failures(pdf, [text.replace(signed, old)], rules, "letter-signed")
        assert any(f.startswith("a date in a sentence without the comma") for f in slipped)
