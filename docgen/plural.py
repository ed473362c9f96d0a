"""A count with its noun in the right number ("1 case", "2 cases"), for what people read: the run
report, the CLI's summaries. Court wording has its own plurals in the packs' Jinja."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun: "1 letter", "0 letters", "1,204 court documents"."""
    noun = singular if count == 1 else (plural or f"{singular}s")
    return f"{count:,} {noun}"
