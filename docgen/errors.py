"""Named errors of the pipeline. The CLI and the service turn them into one readable line.

Messages name the file, row and column, never the personal data in the cell.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass


class DocgenError(Exception):
    """Base class: an error a user can act on (exit code 1 in the CLI)."""

    hint: str | None = None

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputFileError(DocgenError):
    """The input file cannot be used at all (unreadable, wrong format, no rows)."""


class MissingColumns(InputFileError):
    def __init__(self, path: str, missing: list[str]) -> None:
        cols = ", ".join(missing)
        super().__init__(
            f"{path}: missing required column(s): {cols}",
            hint="Column names must match the contract in docs/input.md (case-insensitive).",
        )
        self.missing = missing


class UnknownPack(DocgenError):
    def __init__(self, name: str, available: list[str]) -> None:
        super().__init__(
            f"unknown pack {name!r}",
            hint="available packs: " + (", ".join(available) or "(none)"),
        )


class PackError(DocgenError):
    """A pack's pack.toml or template is broken; the message names the file and line."""


class RulesError(DocgenError):
    """A rule set cannot be used: unknown name, broken rules.toml, unknown county or mode."""


class OutputError(DocgenError):
    """The output directory cannot be written."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem with one cell (or one row) of the input."""

    file: str
    row: int  # 1-based data row number as a user counts it in a spreadsheet (header is row 1)
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


def stack_only(exc: BaseException) -> str:
    """A traceback for a log: the exception's type, then each frame's file, line and function.

    Never the exception's message (nor its cause's): a message may quote input, a name or a
    birth date from a row, and logs must not hold personal data.
    """
    lines = [f"{type(exc).__name__} (message not logged: it may quote input); innermost last:"]
    for frame in traceback.extract_tb(exc.__traceback__):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
    return "\n".join(lines)
