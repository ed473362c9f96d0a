"""Font subsets kept across documents, for the production PDF renderer.

Each PDF embeds the glyphs it uses of each font, and WeasyPrint subsets the font again for every
document (Font.subset: 1.2 ms of an il-cook document with HarfBuzz). Documents of one run use
the same few glyph sets over and over (the boilerplate's letters; a name adds a capital or two),
so while a cache is active a subset made once is handed to the next document asking for the
same glyphs of the same face. The key is everything the subset is made from: the HarfBuzz face
(its address, the face kept alive by the cache so that the address can never name other data),
the face index, the glyphs, hinting, whether .notdef is drawn (glyphs missing from the font),
and SOURCE_DATE_EPOCH (which fontTools, used without HarfBuzz's subsetter, stamps into the
font). Output is byte-identical (tests/render/test_layout_cache.py).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any

from weasyprint.pdf import fonts as weasy_fonts
from weasyprint.text.ffi import ffi, harfbuzz

# WeasyPrint's own method, before layout_cache routes it through the cache.
WEASYPRINT_SUBSET = weasy_fonts.Font.subset


def subset_key(address: int, font: Any, to_unicode: dict[int, str], hinting: bool) -> Any:
    """What a subset is made from (`address`: the face's, kept alive by the cache)."""
    return (
        address,
        font.index,
        tuple(sorted(to_unicode)),
        bool(hinting),
        bool(font.missing),
        os.environ.get("SOURCE_DATE_EPOCH"),
    )


class SubsetCache:
    """Subset font programs by face, glyphs and options (least recently used dropped)."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.entries: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._faces: dict[int, Any] = {}  # address -> a reference that keeps the face alive
        self.hits = self.misses = 0

    def subset(self, font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        """Font.subset: `font.file_content` becomes the subset for `to_unicode`'s glyphs."""
        if not to_unicode:  # WeasyPrint keeps the whole font then
            return
        address = int(ffi.cast("uintptr_t", font.hb_face))
        if address not in self._faces:
            self._faces[address] = harfbuzz.hb_face_reference(font.hb_face)
        key = subset_key(address, font, to_unicode, hinting)
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            self.hits += 1
            font.file_content = found
            return
        self.misses += 1
        WEASYPRINT_SUBSET(font, to_unicode, hinting)
        self.entries[key] = font.file_content
        if len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
