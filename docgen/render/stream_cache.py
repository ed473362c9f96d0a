"""Compressed PDF streams kept across documents, for the production PDF renderer.

Nearly every byte a per-case PDF compresses is a stream an earlier document of the worker
compressed already: the subset of a font for the same glyphs (HarfBuzz keeps glyph ids, so equal
glyph sets give equal bytes), the sRGB output-intent profile PDF/A needs. Measured on il-cook:
172.7 of 173.7 KB of stream data per document repeat within 60 documents, and deflating them at
pydyf's level 9 is 3.1 of the 3.9 ms a document spends in zlib.

pydyf compresses a stream with `zlib.compressobj(level=9)`, one `compress()` and a `flush()`
(`Stream.data`). While a cache is active, `MemoZlib` stands in for the zlib module pydyf
imported and answers those calls from the cache: a stream's bytes seen for the second time are
stored with their deflated bytes (a stream seen once, a page's own drawing, is only noted),
least recently used dropped past `max_bytes`. Deflate is deterministic for the same bytes and
level, so the output is byte-identical (tests/render/test_layout_cache.py).
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

# Shorter streams (dictionaries' worth of text) cost less to deflate than to look up and keep.
MIN_LENGTH = 1024
# Streams seen once whose second sighting would store them; beyond, the oldest are forgotten.
MAX_SEEN = 4096


def deflate(data: bytes, level: int) -> bytes:
    """What pydyf's Stream.data writes for `data`: one compressobj, one compress, a flush."""
    compressor = zlib.compressobj(level=level)
    return compressor.compress(data) + compressor.flush()


class StreamCache:
    """Deflated bytes by (level, stream bytes), for the streams documents repeat."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[int, bytes], bytes] = OrderedDict()
        self.seen: OrderedDict[int, None] = OrderedDict()  # hashes of keys seen once
        self.bytes = 0  # stream bytes and deflated bytes held
        self.hits = 0
        self.misses = 0

    def deflate(self, data: bytes, level: int) -> bytes:
        if len(data) < MIN_LENGTH:
            return deflate(data, level)
        key = (level, data)
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            self.hits += 1
            return found
        self.misses += 1
        deflated = deflate(data, level)
        seen = hash(key)
        if seen not in self.seen:
            self.seen[seen] = None
            if len(self.seen) > MAX_SEEN:
                self.seen.popitem(last=False)
            return deflated
        del self.seen[seen]
        self.entries[key] = deflated
        self.bytes += len(data) + len(deflated)
        while self.bytes > self.max_bytes and self.entries:
            (_, old), old_deflated = self.entries.popitem(last=False)
            self.bytes -= len(old) + len(old_deflated)
        return deflated


class _OneShotCompressor:
    """A compressobj for pydyf's one compress() and flush(): the deflated bytes come at flush,
    from the cache. The same bytes as zlib's for the single compress() pydyf makes."""

    def __init__(self, cache: StreamCache, level: int) -> None:
        self._cache = cache
        self._level = level
        self._parts: list[bytes] = []

    def compress(self, data: bytes) -> bytes:
        self._parts.append(bytes(data))
        return b""

    def flush(self) -> bytes:
        return self._cache.deflate(b"".join(self._parts), self._level)


class MemoZlib:
    """Stands in for the zlib module inside pydyf: compressobj through `active()`'s cache when
    there is one and pydyf asks only for a level, zlib itself otherwise."""

    def __init__(self, active: Callable[[], StreamCache | None]) -> None:
        self._active = active

    def compressobj(self, level: int = -1, *args: Any, **kwargs: Any) -> Any:
        cache = self._active()
        if cache is None or args or kwargs:
            return zlib.compressobj(level, *args, **kwargs)
        return _OneShotCompressor(cache, level)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)
