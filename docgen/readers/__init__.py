"""Read eligibility results (CSV, XLSX, JSON Lines) into a streaming `SourceTable`.

Every reader gives the same thing: normalised column names and an iterator of `SourceRow`s
whose cells are plain strings. Readers do not judge values; `docgen.plan.validate` does.

Row numbers are locators a person can use to find the row:

- CSV: the record's position in the file as a spreadsheet shows it. The header is row 1 and the
  first data record row 2; a field with a quoted line break stays one row; blank lines count
  (a spreadsheet shows them as empty rows) but yield no `SourceRow`.
- XLSX: the worksheet's own row number.
- JSON Lines: the line number (first line is 1); there is no header line.

Problems the reader finds in one row (a JSON Lines line that is not a JSON object, a CSV record
with more fields than the header, a JSON value that is a list) do not stop the read. The row is
still yielded, so that it is counted, and `SourceTable.problems[row]` holds its `RowProblem`s
*before* the row is yielded; `validate_table` rejects such a row with those reasons. A row whose
whole content is unusable is yielded with empty cells, so even a consumer that ignored
`problems` would reject it (its required columns are empty), never let it through.

Messages never contain cell values (personal data): only the file, the row and the column.

Layout: the table model in `table`, one module per format (`csv_reader`, `xlsx_reader`,
`jsonl_reader`; gogen files in `docgen.readers.gogen`); `read_table` here picks the reader.
"""

from __future__ import annotations

from pathlib import Path

from docgen.errors import InputFileError
from docgen.readers.csv_reader import detect_encoding, read_csv_table
from docgen.readers.gogen import read_gogen
from docgen.readers.jsonl_reader import read_jsonl_table
from docgen.readers.table import SourceTable, cell_text, normalise_column
from docgen.readers.xlsx_reader import read_xlsx_table

__all__ = [
    "FORMATS",
    "SourceTable",
    "cell_text",
    "detect_encoding",
    "normalise_column",
    "read_table",
]

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def read_table(
    path: Path,
    *,
    encoding: str | None = None,
    input_format: str | None = None,
    sheet: str | None = None,
) -> SourceTable:
    """Open `path` and read its header; rows are read lazily from `table.rows`.

    Raises `InputFileError` when the file cannot be used at all (missing, unknown format,
    empty, undecodable, duplicate column names).
    """
    path = Path(path)
    name = str(path)
    fmt = _format_of(path, input_format)
    if not path.exists():
        raise InputFileError(f"{name}: file not found")
    if not path.is_file():
        raise InputFileError(f"{name}: not a file")
    if fmt == "csv":
        return read_csv_table(path, name, encoding)
    if fmt == "xlsx":
        return read_xlsx_table(path, name, sheet)
    if fmt == "gogen":
        return read_gogen(path, name, encoding)
    return read_jsonl_table(path, name, encoding)


def _format_of(path: Path, input_format: str | None) -> str:
    if input_format:
        fmt = input_format.strip().lower().lstrip(".")
        fmt = {"tsv": "csv", "txt": "csv", "ndjson": "jsonl", "json": "jsonl"}.get(fmt, fmt)
        if fmt not in {"csv", "xlsx", "jsonl", "gogen"}:
            raise InputFileError(
                f"{path}: unknown input format {input_format!r}",
                hint="use csv, xlsx, jsonl or gogen",
            )
        return fmt
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    hint = "Use a .csv, .xlsx or .jsonl file, or pass --input-format."
    if suffix == ".xls":
        hint = "Old .xls workbooks are not read: save the sheet as .xlsx or .csv in Excel."
    raise InputFileError(f"{path}: cannot tell the file format from its name", hint=hint)
