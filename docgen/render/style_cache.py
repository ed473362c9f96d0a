"""Computed styles shared across documents by signature, for docgen.render.layout_cache.

WeasyPrint computes an element's values lazily, once per document. Each new element's style gets
a signature (its declared values compared as values, its parent's signature, so the whole chain
up to the root, pseudo-element, base URL, fonts); the immutable values computed under a
signature are recorded as WeasyPrint computes them (before layout changes any style) and handed
to the next element with that signature. A value depending on the page size (viewport units) or
setting more than itself is computed each time. layout_cache installs this and bounds it.
"""

from __future__ import annotations

from typing import Any

import tinycss2
from weasyprint.css import ComputedStyle

# Computed at the signature's first element, never served from a shared value: these also set
# WeasyPrint's "specified" values, or depend on the parent in a way of their own.
_COMPUTED_EACH_TIME = frozenset(("display", "float", "position", "page"))
# Viewport units depend on the page size, which is not in the signature.
_VIEWPORT_UNITS = ("vw", "vh", "vmin", "vmax", "vi", "vb")


class _Unshareable(Exception):
    """A declared value that cannot be part of a signature."""


def _frozen(value: Any) -> Any:
    """A declared value as a comparable, hashable one (its CSS text for tinycss2 nodes)."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if type(value) is list:
        return ("list", tuple(_frozen(item) for item in value))
    if isinstance(value, tuple):
        if getattr(value, "unit", None) in _VIEWPORT_UNITS:
            raise _Unshareable
        return (type(value).__name__, tuple(_frozen(item) for item in value))
    if isinstance(value, tinycss2.ast.Node):
        text = value.serialize()
        if any(unit in text for unit in _VIEWPORT_UNITS):
            raise _Unshareable
        return (type(value).__name__, text)
    raise _Unshareable


def _immutable(value: Any) -> bool:
    if value is None or type(value) in (str, int, float, bool):
        return True
    return isinstance(value, tuple) and all(_immutable(item) for item in value)


def style_key(parent_number: Any, computed: Any, declared: tuple[Any, ...]) -> tuple[Any, ...]:
    """What an element's computed values depend on: its parent's signature (through it the
    whole chain up to the root), its declared values, pseudo-element, base URL and fonts."""
    return (parent_number, computed.pseudo_type, computed.base_url, computed.font_config, declared)


WEASYPRINT_STYLE_KEY = style_key  # the key as built here (tests break style_key on purpose)


def page_style_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A page's or margin box's signature: never one of an element, whatever the declarations."""
    return ("page", key)


class StyleCache:
    """One thread's computed values by style signature: an element whose declarations, parent
    signature, pseudo-element, base URL and fonts are those of an element of an earlier
    document gets the values computed there (immutable ones only, recorded when WeasyPrint
    computes them, so before layout changes anything)."""

    def __init__(self, max_signatures: int) -> None:
        self.max_signatures = max_signatures
        # signature -> (its number, the values computed under it)
        self.signatures: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
        # id of a declared value -> (the value, kept so that its id is not reused; frozen)
        self.frozen: dict[int, tuple[Any, Any]] = {}
        self.numbered = 0
        self.hits = self.misses = 0

    def frozen_value(self, value: Any) -> Any:
        found = self.frozen.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        frozen = self.frozen[id(value)] = (value, _frozen(value))
        return frozen[1]

    def share(self, computed: Any, page: bool = False) -> None:
        """Give a new element's (or, with `page`, a page's or margin box's) ComputedStyle its
        signature's shared values, if it has one."""
        parent = computed.parent_style
        parent_number = "root" if parent is None else parent.__dict__.get("_docgen_signature")
        if parent_number is None:
            return
        try:
            declared = tuple(
                (name, self.frozen_value(values), _frozen(weight) if page else weight)
                for name, (values, weight) in computed.cascaded.items()
            )  # (an @page rule's specificity is a list)
        except _Unshareable:
            return
        key = style_key(parent_number, computed, declared)
        if page:
            key = page_style_key(key)
        found = self.signatures.get(key)
        if found is None:
            full = max(len(self.signatures), len(self.frozen) // 4) >= self.max_signatures
            if full:
                self.signatures.clear()
                self.frozen.clear()
            self.numbered += 1
            found = self.signatures[key] = (self.numbered, {})
            self.misses += 1
        else:
            self.hits += 1
        computed.__class__ = SharedComputedStyle
        computed._docgen_signature, computed._docgen_values = found
        # The values already shared, all at once: one dict update instead of one __missing__
        # call per value read (measured: 2 % of a render, the same bytes).
        computed.update(found[1])


class SharedComputedStyle(ComputedStyle):  # type: ignore[misc]  # weasyprint ships no types
    """A ComputedStyle that takes each value its signature already has, and records the
    immutable ones it computes."""

    _docgen_values: dict[str, Any]

    def __missing__(self, key: str) -> Any:
        if key in _COMPUTED_EACH_TIME or key.startswith("text_decoration_"):
            return super().__missing__(key)
        shared = self._docgen_values
        if key in shared:
            value = self[key] = shared[key]
            return value
        value = super().__missing__(key)
        if _immutable(value):
            shared[key] = value
        return value
