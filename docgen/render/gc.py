"""The garbage collector during a render (docgen.render.pdf): fewer passes of its young
generations while WeasyPrint lays out a document, the thresholds restored after."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator
from typing import Any

# Layout allocates hundreds of thousands of small objects per document, and the default
# thresholds run the cyclic garbage collector's young generations thousands of times per
# document for almost nothing (measured: 5-10 % of a motion's render time). Raised only
# while a document is rendered; restored after, so the rest of the process is unaffected.
_RENDER_GC_THRESHOLD = (50_000, 50, 100)


_gc_lock = threading.Lock()
_gc_state: dict[str, Any] = {"depth": 0, "previous": None}


@contextlib.contextmanager
def fewer_gc_passes() -> Iterator[None]:
    # Thresholds are process-wide: with renders on several threads (the service), the first in
    # raises them and the last out restores them.
    with _gc_lock:
        if _gc_state["depth"] == 0:
            _gc_state["previous"] = gc.get_threshold()
            gc.set_threshold(*_RENDER_GC_THRESHOLD)
        _gc_state["depth"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["depth"] -= 1
            if _gc_state["depth"] == 0:
                gc.set_threshold(*_gc_state["previous"])
