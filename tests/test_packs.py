"""Packs are data: a county can be a pack.toml over a shared layout, and a broken one is named."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from docgen.errors import PackError
from docgen.packs import LAYOUT_WORDING, REPO_ROOT, available_packs, layouts_dir, load_pack


@pytest.fixture
def packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "templates"
    shutil.copytree(REPO_ROOT / "templates", copy)
    monkeypatch.setenv("DOCGEN_PACKS_DIR", str(copy))
    return copy


def test_layouts_are_not_packs() -> None:
    names = available_packs()
    assert {"il-cook", "ca-los-angeles", "ca-san-francisco"} <= set(names)
    assert not any(name.startswith("_") for name in names)


def test_a_county_over_a_layout_is_only_a_pack_toml() -> None:
    pack = load_pack("ca-san-francisco")
    assert sorted(p.name for p in pack.directory.iterdir()) == ["pack.toml"]
    assert pack.template_path("bulk-motion.html").parent.name == "california-pleading"
    assert pack.find_template("style.css") is not None


def test_a_file_in_the_pack_overrides_the_layout(packs: Path) -> None:
    own = packs / "ca-san-francisco" / "letter.html"
    own.write_text("<p>{{ doc.subject }}</p>")
    assert load_pack("ca-san-francisco").template_path("letter.html") == own
    # The other county still uses the letter every pack shares.
    assert load_pack("ca-los-angeles").template_path("letter.html").parent.name == "common"


def test_every_pack_shares_the_common_letter() -> None:
    for name in ("il-cook", "ca-los-angeles", "ca-san-francisco"):
        pack = load_pack(name)
        assert pack.template_dirs[-1].name == "common"
        assert pack.template_path("letter.docx").parent.name == "common"


def test_an_unknown_layout_names_the_pack_toml(packs: Path) -> None:
    toml = packs / "ca-los-angeles" / "pack.toml"
    toml.write_text(toml.read_text().replace('"california-pleading"', '"no-such-layout"', 1))
    with pytest.raises(
        PackError, match=r"ca-los-angeles/pack\.toml: \[pack\] layout 'no-such-layout'"
    ):
        load_pack("ca-los-angeles")


def test_a_layout_cannot_escape_the_layouts_folder(packs: Path) -> None:
    toml = packs / "ca-los-angeles" / "pack.toml"
    toml.write_text(toml.read_text().replace('"california-pleading"', '"../il-cook"', 1))
    with pytest.raises(PackError, match="is not a folder"):
        load_pack("ca-los-angeles")


def test_a_missing_template_lists_where_it_was_looked_for() -> None:
    with pytest.raises(
        PackError, match=r"nothing\.html is missing from .*ca-los-angeles or .*california-pleading"
    ):
        load_pack("ca-los-angeles").template_path("nothing.html")


def _repeated(shared: dict[str, Any], own: dict[str, Any], where: str = "") -> list[str]:
    """Keys `own` sets to exactly the value `shared` gives them (tables compared key by key)."""
    repeated = []
    for key, value in own.items():
        if key not in shared:
            continue
        if value == shared[key]:
            repeated.append(where + key)
        elif isinstance(value, dict) and isinstance(shared[key], dict):
            repeated += _repeated(shared[key], value, f"{where}{key}.")
    return repeated


def test_repeating_a_shared_key_is_found() -> None:
    shared = {"court": {"plaintiff": "THE PEOPLE", "lines": ["A"]}, "law": {"statute": "x"}}
    own = {"court": {"plaintiff": "THE PEOPLE", "lines": ["B"]}, "office": {"name": "DA"}}
    assert _repeated(shared, own) == ["court.plaintiff"]
    assert _repeated(shared, {"law": {"statute": "x"}}) == ["law"]


@pytest.mark.parametrize("name", available_packs())
def test_no_pack_repeats_its_layouts_wording(name: str) -> None:
    """A wording fix is made once, in the layout's wording.toml: a county pack.toml holds only
    the keys whose values are its own (a key equal to the shared one would hide a later fix)."""
    own = tomllib.loads((REPO_ROOT / "templates" / name / "pack.toml").read_text(encoding="utf-8"))
    layout = own.get("pack", {}).get("layout")
    wording = layouts_dir() / str(layout) / LAYOUT_WORDING
    if layout is None or not wording.is_file():
        return  # nothing shared to repeat
    shared = tomllib.loads(wording.read_text(encoding="utf-8"))
    assert _repeated(shared, own) == [], (
        f"{name}/pack.toml repeats {wording.relative_to(REPO_ROOT)}"
    )
