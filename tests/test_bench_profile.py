"""bench/profile_render.py takes template features out of rendered HTML to time what each costs:
the cut must take exactly the element asked for, whole, and nothing else."""

from __future__ import annotations

import importlib.util

import pytest

from tests import paths

BENCH = paths.REPO_ROOT / "bench" / "profile_render.py"


@pytest.fixture(scope="module")
def profile_render():
    spec = importlib.util.spec_from_file_location("profile_render", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_nested_element_goes_whole_and_its_neighbours_stay(profile_render) -> None:
    html = (
        '<div class="a"><div class="sig x"><div><p>in</p></div><div>in</div></div>'
        '<p>after</p></div><div class="sig-not">stays</div>'
    )
    cut, removed = profile_render.without_elements(html, "div", "sig")
    assert removed == 1
    assert cut == '<div class="a"><p>after</p></div><div class="sig-not">stays</div>'


def test_every_occurrence_goes_and_absent_features_count_zero(profile_render) -> None:
    html = (
        '<table class="charges"><tr><td>1</td></tr></table><p>x</p><table class="charges"></table>'
    )
    cut, removed = profile_render.without_elements(html, "table", "charges")
    assert (cut, removed) == ("<p>x</p>", 2)
    assert profile_render.without_elements(cut, "div", "parens") == (cut, 0)


def test_unbalanced_html_is_left_alone(profile_render) -> None:
    html = '<div class="parens"><div>never closed</div>'
    assert profile_render.without_elements(html, "div", "parens") == (html, 0)


def test_the_features_exist_in_a_real_order(profile_render, tmp_path) -> None:
    """The feature list names classes the shipped templates use: an order loses its ")" column,
    charges table, signature block and footers, and keeps its recital."""
    from datetime import date

    from docgen.demo.synth import synth_rows, write_csv
    from docgen.packs import load_pack
    from docgen.pipeline import RunOptions, validate_input
    from docgen.plan.planner import plan_documents
    from docgen.render.pdf import PdfRenderer

    csv_path = tmp_path / "cases.csv"
    write_csv(synth_rows(3, seed=7), csv_path)
    run_date = date(2026, 12, 1)
    options = RunOptions(
        input_path=csv_path, pack_name="il-cook", run_date=run_date, out_dir=tmp_path
    )
    pack = load_pack("il-cook")
    order = next(
        s
        for s in plan_documents(pack, validate_input(options), run_date).specs
        if s.kind == "order"
    )
    html = PdfRenderer(pack, run_date).render_html(order)
    wanted = {
        'caption ")" column',
        "charges / cases table",
        "signature block (order)",
        "running footers",
    }
    for label, elements in profile_render.FEATURES:
        if label not in wanted:
            continue
        cut = html
        for tag, css_class in elements:
            cut, removed = profile_render.without_elements(cut, tag, css_class)
            assert removed >= 1, (label, css_class)
            assert f'class="{css_class}' not in cut
        assert order.context["recital"][:20] in cut.replace("&#39;", "'")


def test_the_floor_is_the_documents_own_text_and_nothing_else(profile_render) -> None:
    """The floor page holds every text line of the PDF, one plain paragraph each, escaped, and
    none of the template's structure (no table, no caption, no footer strings)."""
    from datetime import date

    from docgen.render.pdf import html_to_pdf_with_pages
    from tests.paths import REPO_ROOT

    source = (
        "<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>"
        "<p>IN THE CIRCUIT COURT</p><table><tr><td>720 ILCS 550/4(a)</td>"
        "<td>A &amp; B &lt;x&gt;</td></tr></table></body></html>"
    )
    pdf, _ = html_to_pdf_with_pages(
        source, base_dir=REPO_ROOT / "templates", title="t", lang="en", run_date=date(2026, 12, 1)
    )
    floor = profile_render.text_only_html(pdf, "en")
    assert '<html lang="en">' in floor
    assert "<p>IN THE CIRCUIT COURT</p>" in floor
    assert "720 ILCS 550/4(a)" in floor and "A &amp; B &lt;x&gt;" in floor
    assert "<table" not in floor and "<td" not in floor
    assert floor.count("<p>") == 2  # the two cells sit on one line of text
