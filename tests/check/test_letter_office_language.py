"""A Spanish letter names its office and signer in Spanish (`[office] letter_name`,
`letter_signer_title`, per language like `[court] letter_name`): letterhead, running footer and
signature, in PDF and Word; a pack whose languages lack one fails at load; and `docgen check`
(`[rules.letters] office_in_letter_language`) fails a Spanish letter printing the English ones."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from docgen.check.checker import check_run
from docgen.check.letters import english_office_failures
from docgen.cli import app
from docgen.errors import PackError
from docgen.filing_rules import rules_of
from docgen.packs import Pack, available_packs, load_pack
from docgen.plan import viewmodel
from docgen.render.docx import DocxRenderer
from docgen.render.pdf import PdfRenderer
from tests.factories import letter_row, person_of
from tests.pack_edit import packs_with_edit
from tests.paths import FIXTURES

RUN_DATE = date(2026, 12, 1)


def _spec(pack_name: str, lang: str) -> viewmodel.DocumentSpec:
    pack = load_pack(pack_name)
    row = letter_row(pack, lang)
    person = person_of([row])
    return viewmodel.letter(pack, person, person.cases, RUN_DATE)


def _marks(pack: Pack) -> tuple[str, str]:
    """The salutation and closing patterns that bound the letterhead and the signature."""
    rules = rules_of(pack).letters
    assert rules is not None
    return rules.greeting, rules.closing


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("pack_name", available_packs())
def test_the_spanish_letter_names_office_and_signer_in_spanish(pack_name: str) -> None:
    pack = load_pack(pack_name)
    office = pack.config.office
    spanish = _spec(pack_name, "es").context
    assert spanish["letterhead"]["name"] == office["letter_name"]["es"] != office["name"]
    assert spanish["signature"] == [office["signer"], office["letter_signer_title"]["es"]]
    assert office["letter_signer_title"]["es"] != office["signer_title"]
    english = _spec(pack_name, "en").context  # the English letter prints what it always did
    assert english["letterhead"]["name"] == office["name"]
    assert english["signature"] == [office["signer"], office["signer_title"]]


def test_pdf_and_word_carry_the_spanish_office_in_letterhead_footer_and_signature() -> None:
    pack = load_pack("il-cook")
    spec = _spec("il-cook", "es")
    (page,) = _texts(PdfRenderer(pack, RUN_DATE).render(spec))
    lines = page.splitlines()
    assert lines[0] == "Fiscalía del Condado de Cook"  # the letterhead
    assert lines[-1] == "Fiscalía del Condado de Cook Página 1 de 1"  # the running footer
    assert "Jordan A. Rivera\nFiscal Auxiliar\n" in page
    assert "Office of the Cook County" not in page and "Assistant State" not in page
    docx = zipfile.ZipFile(io.BytesIO(DocxRenderer(pack, RUN_DATE).render(spec)))
    parts = {n: docx.read(n).decode() for n in docx.namelist() if n.startswith("word/")}
    body, footers = (
        parts["word/document.xml"],
        [text for name, text in parts.items() if name.startswith("word/footer")],
    )
    assert "Fiscalía del Condado de Cook" in body and "Fiscal Auxiliar" in body
    assert any("Fiscalía del Condado de Cook" in f for f in footers)
    assert all("Office of the Cook" not in t for t in parts.values())


@pytest.mark.parametrize(
    ("old", "key"),
    [
        (', es = "Fiscalía del Condado de Cook" }', "letter_name.es"),
        (', es = "Fiscal Auxiliar" }', "letter_signer_title.es"),
    ],
)
def test_a_spanish_pack_without_the_spanish_office_fails_at_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, key: str
) -> None:
    packs_with_edit(tmp_path, monkeypatch, "il-cook/pack.toml", old, " }")
    with pytest.raises(PackError, match=rf"il-cook/pack\.toml: \[office\] {key} is missing"):
        load_pack("il-cook")


def test_an_english_only_pack_needs_no_spanish_office(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs = packs_with_edit(
        tmp_path, monkeypatch, "il-cook/pack.toml", 'languages = ["en", "es"]', 'languages = ["en"]'
    )
    toml = packs / "il-cook" / "pack.toml"
    lines = [ln for ln in toml.read_text().splitlines() if not ln.startswith("letter_")]
    toml.write_text("\n".join(lines) + "\n")
    assert load_pack("il-cook").letter_text("office", "letter_name", "en") == (
        "Office of the Cook County State's Attorney"
    )


def _english_render(pack_name: str) -> bytes:
    """The Spanish letter as it was printed before: English office name and signer title."""
    pack = load_pack(pack_name)
    spec = _spec(pack_name, "es")
    spec.context["letterhead"]["name"] = pack.config.office["name"]
    spec.context["signature"][1] = pack.config.office["signer_title"]
    return PdfRenderer(pack, RUN_DATE).render(spec)


@pytest.mark.parametrize("pack_name", ["il-cook", "ca-los-angeles"])
def test_the_check_passes_the_spanish_letter_and_fails_the_english_office(pack_name: str) -> None:
    pack = load_pack(pack_name)
    rules = rules_of(pack).letters
    assert rules is not None and rules.office_in_letter_language
    good = PdfRenderer(pack, RUN_DATE).render(_spec(pack_name, "es"))
    assert english_office_failures(_texts(good), pack, "es", *_marks(pack)) == []
    office = pack.config.office
    assert english_office_failures(
        _texts(_english_render(pack_name)), pack, "es", *_marks(pack)
    ) == [
        f"page 1: the English office name {office['name']!r} in a letter in 'es' "
        "(its letterhead, footer or signature prints [office] letter_name.es)",
        f"page 1: the English signer title {office['signer_title']!r} in a letter in 'es' "
        "(its letterhead, footer or signature prints [office] letter_signer_title.es)",
    ]
    # An English letter is English: nothing to find.
    english = PdfRenderer(pack, RUN_DATE).render(_spec(pack_name, "en"))
    assert english_office_failures(_texts(english), pack, "en", *_marks(pack)) == []


def test_a_letterhead_that_quotes_the_english_name_in_its_spanish_one_passes() -> None:
    pack = load_pack("il-cook")
    both = "Fiscalía del Condado de Cook (Office of the Cook County State's Attorney)"
    pack.config.office["letter_name"]["es"] = both
    spec = _spec("il-cook", "es")
    spec.context["letterhead"]["name"] = both
    pdf = PdfRenderer(pack, RUN_DATE).render(spec)
    assert english_office_failures(_texts(pdf), pack, "es", *_marks(pack)) == []


def test_only_letterhead_footer_and_signature_must_be_spanish() -> None:
    """The body of a Spanish letter may name the office in English (where to write, a quoted
    form's name); its letterhead, running footer and signature may not."""
    pack = load_pack("il-cook")
    english = pack.config.office["name"]
    spec = _spec("il-cook", "es")
    spec.context["contact"] += f" Escriba a «{english}», 69 West Washington Street."
    body = PdfRenderer(pack, RUN_DATE).render(spec)
    assert english in " ".join(_texts(body)).replace("\n", " ")
    assert english_office_failures(_texts(body), pack, "es", *_marks(pack)) == []
    spec = _spec("il-cook", "es")
    spec.context["letterhead"]["name"] = english  # also the running footer (letter.html)
    head = PdfRenderer(pack, RUN_DATE).render(spec)
    assert english_office_failures(_texts(head), pack, "es", *_marks(pack)) == [
        f"page 1: the English office name {english!r} in a letter in 'es' "
        "(its letterhead, footer or signature prints [office] letter_name.es)"
    ]


def test_docgen_check_names_the_letter_printing_the_english_office(tmp_path: Path) -> None:
    args = ["generate", str(FIXTURES / "golden-input.csv"), "--pack", "il-cook"]
    result = CliRunner().invoke(app, [*args, "--date", "2026-12-01", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (run_dir,) = tmp_path.glob("il-cook-2026-12-01-*")
    manifest_path = run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    (entry,) = [
        e for e in manifest["files"]
        if e["kind"] == "letter" and e["format"] == "pdf" and e["language"] == "es"
    ]  # fmt: skip
    assert all(f.ok for f in check_run(run_dir).files if f.letter)
    data = _english_render("il-cook")
    (run_dir / entry["path"]).write_bytes(data)
    entry["sha256"] = hashlib.sha256(data).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    (failed,) = check_run(run_dir).failed
    assert failed.path == entry["path"]
    assert any("English office name" in f for f in failed.failures)
