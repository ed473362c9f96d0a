"""The form of a PDF's extracted text that `docgen check`'s text rules match patterns on."""

from __future__ import annotations

import re


def flat_text(text: str) -> str:
    """`text` with each run of whitespace (line and page breaks) one space, ends trimmed."""
    return re.sub(r"\s+", " ", text).strip()
