"""Jurisdiction packs: templates/<pack>/pack.toml plus its templates, loaded as data.

Court differences live here as data, never as Python branches on a county's name.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTCollection, TTFont
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel, ConfigDict, ValidationError

from docgen.errors import PackError, UnknownPack
from docgen.plan.accepts import Accepts
from docgen.resources import REPO_ROOT as REPO_ROOT  # the checkout, for tests and tools
from docgen.resources import data_dir

FONTS_DIR = data_dir("fonts", "DOCGEN_FONTS_DIR")


@cache
def printable_characters(fonts_dir: Path = FONTS_DIR) -> frozenset[int]:
    """Code points the bundled fonts can draw in every style of at least one family.

    Why: fonts come only from the fonts folder, so a character none of them has would come out
    as an empty box in a court filing; such rows are rejected instead (docgen.plan.planner).
    """

    families: dict[str, set[int]] = {}
    for path in sorted(fonts_dir.iterdir()):
        suffix = path.suffix.lower()
        if suffix not in (".ttf", ".otf", ".ttc"):
            continue
        opened = TTCollection(path) if suffix == ".ttc" else TTFont(path)
        with opened:  # the font file is read lazily: closed here, not left to the collector
            fonts = opened.fonts if isinstance(opened, TTCollection) else [opened]
            for font in fonts:
                family = str(font["name"].getDebugName(1))
                cmap = set(font.getBestCmap() or {})
                families[family] = families[family] & cmap if family in families else cmap
    return frozenset().union(*families.values())


def unprintable(text: str) -> list[str]:
    """The characters of `text` no bundled font can draw, as "U+XXXX" (default-ignorables pass)."""
    known = printable_characters()
    missing = {ch for ch in text if ord(ch) not in known and unicodedata.category(ch) != "Cf"}
    return [f"U+{ord(ch):04X}" for ch in sorted(missing)]


def packs_dir() -> Path:
    return data_dir("templates", "DOCGEN_PACKS_DIR")


class DirectoryEntry(BaseModel):
    """One arresting agency of the pack's `[agency_directory]` (docgen.plan.agency_directory):
    where it is, and who answers for its unit of local government."""

    model_config = ConfigDict(extra="forbid")
    address: str = ""
    legal_officer: str = ""
    legal_officer_address: str = ""
    # The agency is already one of the pack's standing [[agencies]] (this name): not listed twice.
    served_as: str = ""


class PackInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str
    state: str
    filing_mode: str = "per_case"
    languages: list[str] = ["en"]
    paper: str = "letter"
    max_document_bytes: int = 25 * 1024 * 1024
    birth_date_in_filings: str = "year"
    # A shared layout folder (templates/_layouts/<layout>/) whose templates, stylesheet and .docx
    # files this pack uses where its own folder has none: counties of one state share a layout
    # and differ only in pack.toml.
    layout: str | None = None


class Determinations(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: list[str]
    letters: list[str]


class Agency(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    address: str = ""
    serve: bool = True
    comply: bool = True
    # Served with an individual's own petition too (docgen.petition.petition); the Prisoner Review Board
    # notice, for one, is due only on the State's Attorney's motions.
    petition: bool = True


class PackConfig(BaseModel):
    """The schema of pack.toml. Wording sections are free-form tables of Jinja strings."""

    model_config = ConfigDict(extra="allow")
    pack: PackInfo
    determinations: Determinations
    court: dict[str, Any]
    office: dict[str, Any]
    law: dict[str, Any]
    agencies: list[Agency] = []
    # Arresting agencies as the input spells them: address and chief legal officer
    # (docgen.plan.agency_directory).
    agency_directory: dict[str, DirectoryEntry] = {}
    plain_offenses: dict[str, dict[str, str]] = {}
    # The rows this court takes (docgen.plan.accepts); without it, every row.
    accepts: Accepts = Accepts()


def _text_env() -> ImmutableSandboxedEnvironment:
    # Wording becomes plain text; escaping happens once, in the HTML or DOCX template.
    return ImmutableSandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


class Pack:
    """A loaded pack: its configuration and its two sandboxed template environments."""

    def __init__(
        self,
        directory: Path,
        config: PackConfig,
        shared: tuple[Path, dict[str, Any]] | None = None,
        own: dict[str, Any] | None = None,
    ) -> None:
        self.directory = directory
        self.config = config
        # The layout's wording.toml and what it holds, and the pack.toml's own tables, when the
        # pack is merged over its layout's wording: error messages name the file a value is in.
        self.shared = shared
        self._own = own or {}
        self._text_env = _text_env()
        self._text_cache: dict[str, Any] = {}

    @property
    def name(self) -> str:
        return self.config.pack.name

    def wording(self, section: str) -> dict[str, Any]:
        """A wording table, e.g. "motion" or "letter.es"."""
        data: Any = self.config.model_extra or {}
        for part in section.split("."):
            if not isinstance(data, dict) or part not in data:
                raise PackError(f"{self.directory / 'pack.toml'}: no [{section}] table")
            data = data[part]
        table: dict[str, Any] = data
        return table

    def render_text(self, source: str, context: dict[str, Any], where: str) -> str:
        """Render one wording string of pack.toml with the document's context, as plain text."""
        try:
            template = self._text_cache.get(source)
            if template is None:
                template = self._text_env.from_string(source)
                self._text_cache[source] = template
            return template.render(context)
        except TemplateError as exc:
            raise PackError(
                f"{self.source_of(where)}: wording [{where}] cannot be rendered: {exc}"
            ) from None

    def source_of(self, where: str) -> Path:
        """The file a wording value (e.g. "motion.intro" or "motion.paragraphs[1]") came from."""
        own = self.directory / "pack.toml"
        if self.shared is None:
            return own
        path, shared = self.shared
        keys = where.split("[")[0].split(".")
        # The pack's own value wins where it has one.
        return own if _has(self._own, keys) or not _has(shared, keys) else path

    def render_wording(self, value: Any, context: dict[str, Any], where: str) -> Any:
        """Render a wording value: a string, or a list/table of strings, recursively."""
        if isinstance(value, str):
            return self.render_text(value, context, where)
        if isinstance(value, list):
            return [self.render_wording(v, context, f"{where}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, dict):
            return {k: self.render_wording(v, context, f"{where}.{k}") for k, v in value.items()}
        return value

    def letter_text(self, table: str, key: str, lang: str) -> str:
        """One of LETTER_TEXTS in the letter's language, e.g. ("office", "letter_name", "es");
        the plain key (`[office] name`) where the table has no entry for `lang`."""
        section: dict[str, Any] = getattr(self.config, table)
        values = section.get(key)
        if isinstance(values, dict) and lang in values:
            return str(values[lang])
        return str(section[LETTER_TEXTS[(table, key)][0]])

    @cached_property
    def template_dirs(self) -> list[Path]:
        """Where the pack's templates are looked up: its own folder, its layout, the common one."""
        dirs = [self.directory]
        if self.config.pack.layout:
            dirs.append(layouts_dir() / self.config.pack.layout)
        # Last, the pieces every pack shares (the letter, table macro, footer) unless it has its own.
        common = layouts_dir() / COMMON_LAYOUT
        if common.is_dir():
            dirs.append(common)
        return dirs

    def find_template(self, filename: str) -> Path | None:
        for directory in self.template_dirs:
            path = directory / filename
            if path.is_file():
                return path
        return None

    def template_path(self, filename: str) -> Path:
        path = self.find_template(filename)
        if path is None:
            where = " or ".join(str(d) for d in self.template_dirs)
            raise PackError(f"pack {self.name}: template {filename} is missing from {where}")
        return path


# What a letter prints that differs by language, as `[table] key = { en = "...", es = "..." }`
# (docgen.plan.viewmodel), with the table's plain key that English falls back to (the court
# documents' language, which the plain keys are written in) and where the letter prints it.
# Every other language a pack's letters are in must have its entry (load_pack).
LETTER_TEXTS: dict[tuple[str, str], tuple[str, str]] = {
    ("court", "letter_name"): ("name", "the sentence over the case table"),
    ("office", "letter_name"): ("name", "the letterhead and the running footer"),
    ("office", "letter_signer_title"): ("signer_title", "the signer's title under the signature"),
}
PLAIN_LANGUAGE = "en"

COMMON_LAYOUT = "common"
LAYOUT_WORDING = "wording.toml"  # in a layout folder: tables every pack of that layout shares


def layouts_dir() -> Path:
    return packs_dir() / "_layouts"


def available_packs() -> list[str]:
    base = packs_dir()
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "pack.toml").is_file())


def _has(data: Any, keys: list[str]) -> bool:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return True


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message carries "(at line N, column M)".
        raise PackError(f"{path}: invalid TOML: {exc}") from None


def _merged(shared: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """`own` over `shared`, table by table and key by key; a list or string is replaced whole."""
    merged = dict(shared)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def _layout_name_problem(layout: object) -> bool:
    return not isinstance(layout, str) or (
        not layout
        or "/" in layout
        or "\\" in layout
        or layout.startswith(".")
        or not (layouts_dir() / layout).is_dir()
    )


def load_pack(name: str) -> Pack:
    directory = packs_dir() / name
    toml_path = directory / "pack.toml"
    if "/" in name or "\\" in name or name.startswith(".") or not toml_path.is_file():
        raise UnknownPack(name, available_packs())
    raw = _read_toml(toml_path)
    own = raw
    shared_wording: tuple[Path, dict[str, Any]] | None = None
    # A layout's wording.toml holds what every court using that layout says alike (the law it
    # cites, the wording of motion, order, letters, petitions): the pack's own tables and keys
    # override it key by key, so a county's pack.toml holds only what differs.
    layout = raw.get("pack", {}).get("layout") if isinstance(raw.get("pack"), dict) else None
    if isinstance(layout, str) and _layout_name_problem(layout):
        # Before validating: a pack without its layout's wording lacks tables it never sets.
        raise PackError(f"{toml_path}: [pack] layout {layout!r} is not a folder in {layouts_dir()}")
    if layout is not None and not _layout_name_problem(layout):
        shared_path = layouts_dir() / layout / LAYOUT_WORDING
        if shared_path.is_file():
            shared = _read_toml(shared_path)
            if "pack" in shared:
                raise PackError(f"{shared_path}: a layout's wording cannot set [pack]")
            raw = _merged(shared, raw)
            shared_wording = (shared_path, shared)
    try:
        config = PackConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise PackError(f"{toml_path}: {problems}") from None
    if config.pack.name != name:
        raise PackError(f"{toml_path}: [pack] name is {config.pack.name!r}, folder is {name!r}")
    layout = config.pack.layout
    if layout is not None and _layout_name_problem(layout):
        raise PackError(f"{toml_path}: [pack] layout {layout!r} is not a folder in {layouts_dir()}")
    _check_letter_texts(config, toml_path)
    return Pack(directory, config, shared_wording, own)


def _check_letter_texts(config: PackConfig, toml_path: Path) -> None:
    """Every language of the pack's letters has its LETTER_TEXTS entry: a Spanish letter never
    prints the English office name or signer title because its Spanish one was forgotten."""
    for (table, key), (plain, where) in LETTER_TEXTS.items():
        section: dict[str, Any] = getattr(config, table)
        values = section.get(key)
        if values is not None and not isinstance(values, dict):
            raise PackError(
                f'{toml_path}: [{table}] {key} must be a table of languages ({{ en = "...", '
                f'es = "..." }}), one value per letter language'
            )
        for lang in config.pack.languages:
            found = (values or {}).get(lang)
            if lang == PLAIN_LANGUAGE and found is None and plain in section:
                continue
            if not isinstance(found, str) or not found.strip():
                raise PackError(
                    f"{toml_path}: [{table}] {key}.{lang} is missing: [pack] languages lists "
                    f"{lang!r}, and a letter in it prints {where} from this key"
                )
