"""The Open XML SDK's validation (openxml-audit, its port to Python) for the tests: what Word
would refuse or repair in a .docx, which LibreOffice opens without a word."""

from __future__ import annotations

from pathlib import Path

from openxml_audit import OpenXmlValidator


def docx_problems(path: Path, name: str = "") -> list[str]:
    """Every error and warning the validator reports, as "file part path: description"."""
    result = OpenXmlValidator(max_errors=100).validate(path)
    label = name or path.name
    # result.errors holds the warnings too (each with its severity).
    return [
        f"{label} {e.part_uri} {e.path or ''}: {e.severity.value}: {e.description}"
        for e in result.errors
    ]
