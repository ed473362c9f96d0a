"""Options and arguments that several commands share (input file, encoding, format, rules).

The commands' annotations are strings (`from __future__ import annotations`); Typer resolves them
in each command's module, so a module that uses one of these imports it by name.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class InputFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    jsonl = "jsonl"
    gogen = "gogen"


InputArg = Annotated[
    Path,
    typer.Argument(
        help="Eligibility results: .csv, .xlsx or .jsonl (one row per charge).", show_default=False
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        help="Text encoding of a CSV (e.g. utf-8, cp1252, utf-16). Detected when not given."
    ),
]
FormatOpt = Annotated[
    InputFormat | None,
    typer.Option("--input-format", help="Input format when the file extension does not say."),
]

RulesOpt = Annotated[
    str | None,
    typer.Option(
        "--rules", help="Rule set in rules/ (e.g. ca-prop64, il-crta): judge raw records."
    ),
]
CountyOpt = Annotated[
    str | None,
    typer.Option(help='County whose convictions are judged, e.g. "LOS ANGELES" (ca-prop64).'),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Day eligibility is computed at (YYYY-MM-DD). Default: today."),
]
ModeOpt = Annotated[
    str | None,
    typer.Option("--mode", help="Rule-set mode, e.g. statute (default) or gogen for ca-prop64."),
]
