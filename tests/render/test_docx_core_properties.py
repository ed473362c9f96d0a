"""docProps/core.xml of every DOCX docgen writes (and ships) holds only OPC core properties.

Word reports a file whose core properties hold elements of another namespace as unreadable
content (python-docx#1037, docxcompose#101). docxtpl imports docxcompose, which rebinds
python-docx's "cp" prefix to the custom-properties namespace, so python-docx's own setters wrote
cp:revision and cp:lastPrinted there, beside the real ones, into every order, motion and letter.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree

from docgen.judge.volumes import BATCH_TITLE
from docgen.render.docx import DocxRenderer
from docgen.render.docx_package import set_core_properties
from tests.render.test_fast_render import PACK_TEMPLATES, TEMPLATES, _spec_for

RUN_DATE = date(2026, 12, 1)
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
ALLOWED = {CORE, DC, DCTERMS}


def core_of(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("docProps/core.xml"))


def assert_only_core_properties(core: etree._Element, where: str) -> None:
    assert etree.QName(core).namespace == CORE, where
    names = [etree.QName(child) for child in core]
    strays = [f"{{{n.namespace}}}{n.localname}" for n in names if n.namespace not in ALLOWED]
    assert not strays, f"{where}: elements outside the core properties: {strays}"
    repeated = [k for k, n in Counter((n.namespace, n.localname) for n in names).items() if n > 1]
    assert not repeated, f"{where}: repeated elements {repeated}"


def value(core: etree._Element, namespace: str, name: str) -> str | None:
    element = core.find(f"{{{namespace}}}{name}")
    return None if element is None else element.text


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.docx")), ids=lambda p: p.name)
def test_shipped_templates_hold_only_core_properties(template: Path) -> None:
    assert_only_core_properties(core_of(template.read_bytes()), str(template))


@pytest.mark.parametrize(
    ("pack_name", "template"), PACK_TEMPLATES, ids=[f"{n}/{p.name}" for n, p in PACK_TEMPLATES]
)
def test_rendered_documents_hold_only_core_properties(pack_name: str, template: Path) -> None:
    pack, spec = _spec_for(pack_name, template)
    renderer = DocxRenderer(pack, RUN_DATE)
    for data in (renderer.render(spec), renderer.render_plain(spec)):  # fast path, docxtpl
        core = core_of(data)
        assert_only_core_properties(core, f"{pack_name} {spec.kind}")
        assert value(core, DC, "title") == spec.title
        assert value(core, DC, "language") in (f"{spec.lang}-US", spec.lang)
        assert value(core, CORE, "revision") == "1"
        assert value(core, CORE, "lastModifiedBy") == "docgen"
        for name in ("created", "modified"):
            assert value(core, DCTERMS, name) == "2026-12-01T00:00:00Z"
        assert core.find(f"{{{CORE}}}lastPrinted") is None  # never printed


def test_a_stray_element_in_a_template_is_dropped_not_copied() -> None:
    custom = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    core = etree.fromstring(
        f'<cp:coreProperties xmlns:cp="{CORE}" xmlns:dc="{DC}" xmlns:x="{custom}">'
        "<dc:title>old</dc:title><dc:title>older</dc:title><x:revision>7</x:revision>"
        "<cp:category>order</cp:category></cp:coreProperties>"
    )
    set_core_properties(core, "New & <title>", "es-US", datetime(2026, 12, 1))
    assert_only_core_properties(core, "doctored")
    assert value(core, DC, "title") == "New & <title>"
    assert value(core, CORE, "category") == "order"  # the template's own properties stay
    assert value(core, DC, "language") == "es-US"


def test_word_judge_batch_index_holds_only_core_properties(golden_run) -> None:
    batch = golden_run.run_dir / "batches" / "orders-for-judge.docx"
    core = core_of(batch.read_bytes())
    assert_only_core_properties(core, batch.name)
    assert value(core, DC, "title") == BATCH_TITLE
    assert value(core, DCTERMS, "created") == "2026-12-01T00:00:00Z"
