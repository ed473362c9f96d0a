"""The fast render paths give the same documents as the plain, one-at-a-time paths.

- PDF: the production path (per-thread FontConfiguration, parsed stylesheets, page count from the
  layout) against the naive one-pass-per-document path (everything fresh per document): same
  bytes, hence the same text and pages; the page count matches the PDF's.
- DOCX: the fast path (each template parsed once, parts rendered and zipped directly) against a
  fresh DocxTemplate per document, on every .docx template of every pack in templates/: same
  bytes, same normalised document.xml, same text; and the fallback to plain docxtpl for template
  features the fast path does not handle.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from docgen.model import Case, ChargeRow, Person
from docgen.packs import available_packs, load_pack
from docgen.petition import documents as petition_documents
from docgen.petition import input as petition_input
from docgen.pipeline import RunOptions, validate_input
from docgen.plan import bulk, viewmodel
from docgen.plan.group import group_charges
from docgen.plan.planner import plan_documents
from docgen.plan.viewmodel import DocumentSpec
from docgen.render.docx import DocxRenderer, docx_text, render_docxtpl_uncached
from tests import paths
from tests.golden_files import docx_xml, image_diff_share, pdf_text, render_pages

RUN_DATE = date(2026, 12, 1)
ROOT = paths.REPO_ROOT
TEMPLATES = ROOT / "templates"
FIXTURES = paths.FIXTURES


def _pack_templates() -> list[tuple[str, Path]]:
    """Every (pack, .docx template) a pack renders with: its own and its shared layout's."""
    pairs = []
    for name in available_packs():
        pack = load_pack(name)
        kinds = sorted({p.stem for d in pack.template_dirs for p in d.glob("*.docx")})
        pairs.extend((name, pack.template_path(f"{kind}.docx")) for kind in kinds)
    return pairs


PACK_TEMPLATES = _pack_templates()
DOCX_TEMPLATES = [path for _, path in PACK_TEMPLATES]


def _cook_specs() -> list[DocumentSpec]:
    options = RunOptions(
        input_path=FIXTURES / "golden-input.csv",
        pack_name="il-cook",
        run_date=RUN_DATE,
        out_dir=Path("unused"),
    )
    pack = load_pack("il-cook")
    return plan_documents(pack, validate_input(options), RUN_DATE).specs


def _ca_person(pack_name: str) -> Person:
    rows = [
        ChargeRow(
            row=i + 2,
            person_id="P1",
            last_name="NÚÑEZ-GARCÍA",
            first_name="MARIA GUADALUPE",
            date_of_birth=date(1970, 5, 17),
            address_line1="100 Example St",
            city="Los Angeles" if pack_name == "ca-los-angeles" else "San Francisco",
            state="CA",
            postal_code="90012",
            case_number="BA100001",
            statute="11357(A) HS" if i else "11359 HS",
            offense_description="POSSESS MARIJUANA",
            offense_class="Felony",
            disposition="CONVICTED",
            disposition_date=date(1995, 3, 1),
            determination="dismiss_seal" if i else "reduce",
        )
        for i in range(2)
    ]
    case = Case(case_number="BA100001", court_division="", charges=rows)
    return Person(person_id="P1", first=rows[0], cases=[case])


def _illinois_specs(pack_name: str) -> list[DocumentSpec]:
    """An Illinois pack's run of the golden input, plus every kind its layout also makes: the
    per-case motion and order, the bulk motion and order, a petition's notice of filing."""
    pack = load_pack(pack_name)
    options = RunOptions(
        input_path=FIXTURES / "golden-input.csv",
        pack_name=pack_name,
        run_date=RUN_DATE,
        out_dir=Path("unused"),
    )
    validation = validate_input(options)
    specs = list(plan_documents(pack, validation, RUN_DATE).specs)
    people = group_charges(validation.charges, validation.file).people
    who, case = people[0], people[0].cases[0]
    specs += [
        viewmodel.motion(pack, who, case, RUN_DATE),
        viewmodel.order(pack, who, case, RUN_DATE),
    ]
    specs += bulk.bulk_specs(pack, people, RUN_DATE)
    settings = petition_input.PetitionSettings()
    specs.append(petition_documents.notice_of_filing(pack, who, case, RUN_DATE, settings))
    return specs


def pack_specs(pack_name: str) -> list[DocumentSpec]:
    """Every kind of document the pack's templates can be filled with, in plan order."""
    pack = load_pack(pack_name)
    if pack.config.pack.layout == "illinois":
        return _illinois_specs(pack_name)
    who = _ca_person(pack_name)
    specs = bulk.bulk_specs(pack, [who], RUN_DATE)
    specs.append(viewmodel.letter(pack, who, who.cases, RUN_DATE))
    specs.append(bulk.case_order(pack, who, who.cases[0], RUN_DATE))
    return specs


def _specs_for_pack(pack_name: str) -> dict[str, DocumentSpec]:
    """One spec (the first) per document kind the pack's templates can be filled with."""
    by_kind: dict[str, DocumentSpec] = {}
    for spec in pack_specs(pack_name):
        by_kind.setdefault(spec.kind, spec)
    return by_kind


_SPEC_CACHE: dict[str, dict[str, DocumentSpec]] = {}


def _spec_for(pack_name: str, template: Path) -> tuple[Any, DocumentSpec]:
    kind = template.stem
    if pack_name not in _SPEC_CACHE:
        _SPEC_CACHE[pack_name] = _specs_for_pack(pack_name)
    spec = _SPEC_CACHE[pack_name].get(kind)
    assert spec is not None, f"no view model for {template}: teach _specs_for_pack this kind"
    return load_pack(pack_name), spec


# ---------------------------------------------------------------- DOCX


def test_every_pack_template_is_covered() -> None:
    assert {name for name, _ in PACK_TEMPLATES} == set(available_packs())
    assert len(DOCX_TEMPLATES) >= 3


@pytest.mark.parametrize(
    ("pack_name", "template"), PACK_TEMPLATES, ids=[f"{n}/{p.name}" for n, p in PACK_TEMPLATES]
)
def test_docx_fast_path_equals_plain_docxtpl(pack_name: str, template: Path) -> None:
    pack, spec = _spec_for(pack_name, template)
    renderer = DocxRenderer(pack, RUN_DATE)
    fast = renderer.render(spec)
    assert renderer._fast_template(spec.kind) is not None, "fast path fell back to docxtpl"
    plain = render_docxtpl_uncached(pack, RUN_DATE, spec)
    assert _docx_part_xml(fast) == _docx_part_xml(plain)
    assert docx_text(fast) == docx_text(plain)
    assert _normalised_xml(fast) == _normalised_xml(plain)
    assert fast == plain  # every part, byte for byte
    assert renderer.render(spec) == fast  # parse once, render many: nothing leaks between renders
    assert renderer.render_plain(spec) == fast


def test_docx_fast_path_renders_many_languages_and_kinds() -> None:
    pack = load_pack("il-cook")
    renderer = DocxRenderer(pack, RUN_DATE)
    specs = _cook_specs()
    assert {s.lang for s in specs} >= {"en", "es"}
    for spec in specs:
        assert renderer.render(spec) == render_docxtpl_uncached(pack, RUN_DATE, spec), spec.relpath


def test_docx_falls_back_to_docxtpl_for_templated_core_properties(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(TEMPLATES, packs)
    # The pack's own letter.docx overrides the shared one; doctor that copy.
    shutil.copy(TEMPLATES / "_layouts" / "common" / "letter.docx", packs / "il-cook")
    letter = packs / "il-cook" / "letter.docx"
    with zipfile.ZipFile(letter) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    entries["docProps/core.xml"] = entries["docProps/core.xml"].replace(
        b"<dc:subject></dc:subject>", b"<dc:subject>{{ title }}</dc:subject>"
    )
    with zipfile.ZipFile(letter, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(packs))
    pack = load_pack("il-cook")
    spec = next(s for s in _cook_specs() if s.kind == "letter")
    renderer = DocxRenderer(pack, RUN_DATE)
    data = renderer.render(spec)
    assert renderer._fast_template("letter") is None
    assert data == render_docxtpl_uncached(pack, RUN_DATE, spec)


def _docx_part_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def _normalised_xml(data: bytes) -> str:
    path = io.BytesIO(data)
    return docx_xml(path)  # type: ignore[arg-type]  # zipfile accepts a file object


# ---------------------------------------------------------------- PDF


def test_pdf_production_path_equals_naive_per_document(tmp_path: Path) -> None:
    from docgen.render.pdf import PdfRenderer

    pack = load_pack("il-cook")
    renderer = PdfRenderer(pack, RUN_DATE)
    specs = _cook_specs()
    chosen = {}
    for spec in specs:  # every kind and both letter languages
        chosen.setdefault((spec.kind, spec.lang), spec)
    assert len(chosen) >= 4
    for (kind, lang), spec in sorted(chosen.items()):
        fast, pages = renderer.render_with_pages(spec)
        naive, naive_pages = renderer.render_with_pages(spec, cached=False)
        with pikepdf.open(io.BytesIO(fast)) as pdf:
            assert len(pdf.pages) == pages == naive_pages
        fast_path, naive_path = (
            tmp_path / f"{kind}-{lang}-fast.pdf",
            tmp_path / f"{kind}-{lang}.pdf",
        )
        fast_path.write_bytes(fast)
        naive_path.write_bytes(naive)
        assert pdf_text(fast_path) == pdf_text(naive_path)
        for a, b in zip(render_pages(fast_path), render_pages(naive_path), strict=True):
            assert image_diff_share(a, b) == 0.0
        assert fast == naive  # byte-identical, so every PDF/A, tag and metadata property holds


def test_pdf_render_restores_gc_thresholds() -> None:
    import gc

    from docgen.render.pdf import PdfRenderer

    before = gc.get_threshold()
    spec = next(s for s in _cook_specs() if s.kind == "letter")
    PdfRenderer(load_pack("il-cook"), RUN_DATE).render(spec)
    assert gc.get_threshold() == before
