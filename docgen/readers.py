"""Read eligibility results (CSV, XLSX, JSON Lines) into a streaming `SourceTable`.

Every reader gives the same thing: normalised column names and an iterator of `SourceRow`s
whose cells are plain strings. Readers do not judge values; `docgen.validate` does.

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
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from docgen.errors import InputFileError, RowProblem
from docgen.model import SourceRow

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
DELIMITERS = ",;\t|"
_SAMPLE_CHARS = 64 * 1024
_UTF8_LATIN = re.compile(rb"[\xc2\xc3][\x80-\xbf]")
_DETECT_BYTES = 256 * 1024


@dataclass
class SourceTable:
    """A table being read. `rows` streams; `blank_rows` is final once `rows` is exhausted."""

    file: str  # the path as the user gave it (for messages)
    columns: list[str]  # normalised column names in file order
    rows: Iterator[SourceRow]
    blank_rows: int = 0
    context_rows: int = 0  # gogen: rows without a determination (the rest of the record)
    format: str = "csv"
    encoding: str | None = None  # the text encoding used (CSV, JSON Lines)
    delimiter: str | None = None  # CSV only
    problems: dict[int, list[RowProblem]] = field(default_factory=dict)  # by row number
    _close: Callable[[], None] | None = field(default=None, repr=False)

    def close(self) -> None:
        """Release the file early (also done when `rows` is exhausted)."""
        if self._close is not None:
            close, self._close = self._close, None
            close()

    def __enter__(self) -> SourceTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _problem(self, row: int, column: str | None, message: str) -> None:
        self.problems.setdefault(row, []).append(RowProblem(self.file, row, column, message))


def normalise_column(name: object) -> str:
    """' First Name\\ufeff' -> 'first_name'; 'date-of-birth' -> 'date_of_birth'."""
    text = "" if name is None else str(name)
    text = text.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


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
        return _read_csv(path, name, encoding)
    if fmt == "xlsx":
        return _read_xlsx(path, name, sheet)
    if fmt == "gogen":
        from docgen.gogen import read_gogen

        return read_gogen(path, name, encoding)
    return _read_jsonl(path, name, encoding)


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


def _header_map(table: SourceTable, raw_names: list[Any]) -> list[tuple[int, str]]:
    """(position, normalised name) for every named column; raises on duplicates."""
    seen: dict[str, int] = {}
    mapping: list[tuple[int, str]] = []
    for pos, raw in enumerate(raw_names):
        col = normalise_column(raw)
        if not col:
            continue  # unnamed column (e.g. trailing empty header cells): ignored
        if col in seen:
            raise InputFileError(
                f"{table.file}: column {col!r} appears twice in the header "
                f"(columns {seen[col] + 1} and {pos + 1})",
                hint="Rename or remove one of them.",
            )
        seen[col] = pos
        mapping.append((pos, col))
    return mapping


def _is_blank(values: list[str]) -> bool:
    return all(not v.strip() for v in values)


# ----------------------------------------------------------------------------- CSV


def detect_encoding(path: Path) -> str:
    """UTF-8 (BOM or not), then UTF-32/16 by BOM, then charset-normalizer, else cp1252."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            return "utf-32"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        # Whole-file UTF-8 check, streamed: a non-UTF-8 byte on the last line still counts.
        decoder = codecs.getincrementaldecoder("utf-8")()
        consumed = 0
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
                consumed += len(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError as exc:
            bad_at = max(consumed + exc.start, 0)
        fh.seek(0)
        sample = fh.read(_DETECT_BYTES)
        # Accented Latin letters as UTF-8 (C2/C3 + continuation byte) in a file that is not
        # UTF-8: two encodings in one file (e.g. pasted rows). Any single reading garbles names.
        if sample.count(0) <= len(sample) // 8 and _UTF8_LATIN.search(sample):
            fh.seek(0)
            line = fh.read(bad_at).count(b"\n") + 1
            raise InputFileError(
                f"{path}, line {line}: the file mixes UTF-8 with another encoding "
                "(some accented letters are UTF-8, this line's are not)",
                hint="Save the whole file again as UTF-8, or pass --encoding to force one reading.",
            )
    # Not UTF-8. US office exports are almost always Windows-1252, and charset-normalizer's
    # guesses on short Western text are unreliable (cp1250 turns "ñ" into "ń", big5 makes a
    # dash a Chinese character). So its guess is used only where cp1252 is clearly wrong:
    # UTF-16/32 without a BOM (many NUL bytes), or bytes cp1252 does not define.
    from charset_normalizer import from_bytes

    looks_wide = sample.count(0) > len(sample) // 8
    if not looks_wide:
        try:
            sample.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    best = from_bytes(sample).best()
    if best is not None:
        return codecs.lookup(best.encoding).name
    return "cp1252"


def _sniff_delimiter(sample: str, suffix: str) -> str:
    lines = sample.splitlines()
    header = next((ln for ln in lines if ln.strip()), "")
    counts = {d: header.count(d) for d in DELIMITERS}
    # Cut the sample at its last line break so the sniffer never sees half a record.
    cut = sample.rfind("\n")
    text = sample[: cut + 1] if cut > 0 else sample
    try:
        sniffed = csv.Sniffer().sniff(text, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and counts.get(sniffed, 0) > 0:
        return sniffed
    if suffix == ".tsv" and counts["\t"] > 0:
        return "\t"
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _runs_on(value: str, delimiter: str, width: int) -> bool:
    """A field holding a whole record on one of its later lines: an unclosed quote ate it."""
    if "\n" not in value and "\r" not in value:
        return False
    return any(line.count(delimiter) >= width - 1 for line in value.splitlines()[1:])


def _read_csv(path: Path, name: str, encoding: str | None) -> SourceTable:
    if encoding:
        try:
            enc = codecs.lookup(encoding).name
        except LookupError:
            raise InputFileError(f"{name}: unknown encoding {encoding!r}") from None
        if enc == "utf-8":
            enc = "utf-8-sig"  # a BOM is never data
    else:
        enc = detect_encoding(path)
    fh = path.open("r", encoding=enc, newline="")
    try:
        sample = fh.read(_SAMPLE_CHARS)
        fh.seek(0)
    except UnicodeDecodeError:
        fh.close()
        raise InputFileError(
            f"{name}: cannot be read as {enc}", hint="Pass the right --encoding."
        ) from None
    delimiter = _sniff_delimiter(sample, path.suffix.lower())
    # Excel's "sep=;" first line names the delimiter; Excel does not show it as a row, so it is
    # not counted and the header stays row 1.
    if excel_sep := re.match(r"\ufeff?sep=([^\r\n])\r?\n", sample):
        delimiter = excel_sep.group(1)
        fh.readline()
    reader = csv.reader(fh, delimiter=delimiter)
    table = SourceTable(
        file=name, columns=[], rows=iter(()), format="csv", encoding=enc, delimiter=delimiter
    )
    table._close = fh.close

    record = 0

    def next_record() -> list[str] | None:
        nonlocal record
        try:
            values = next(reader)
        except StopIteration:
            return None
        except UnicodeDecodeError:
            table.close()
            raise InputFileError(
                f"{name}, row {record + 1}: cannot be read as {enc}",
                hint="Pass the right --encoding (e.g. cp1252 or utf-8).",
            ) from None
        except csv.Error:
            table.close()
            raise InputFileError(
                f"{name}, row {record + 1}: cannot be parsed as CSV "
                "(a field is very long or a quote is not closed)",
            ) from None
        record += 1
        return values

    try:
        while (header := next_record()) is not None and _is_blank(header):
            pass
    except BaseException:
        table.close()
        raise
    if header is None:
        table.close()
        raise InputFileError(
            f"{name}: the file is empty", hint="The first row must name the columns."
        )
    try:
        mapping = _header_map(table, header)
    except InputFileError:
        table.close()
        raise
    table.columns = [col for _, col in mapping]
    width = len(header)

    def rows() -> Iterator[SourceRow]:
        try:
            while (values := next_record()) is not None:
                if _is_blank(values):
                    table.blank_rows += 1
                    continue
                if width > 2 and any(_runs_on(v, delimiter, width) for v in values):
                    raise InputFileError(
                        f"{name}, row {record}: a quoted field runs on over the lines after it, "
                        "so a quote is probably not closed (the rows after it cannot be counted)",
                        hint="Check the quotes in this row and save the file again.",
                    )
                if len(values) > width and not _is_blank(values[width:]):
                    table._problem(
                        record,
                        None,
                        f"the row has {len(values)} fields but the header has {width} "
                        "(check quotes and the delimiter)",
                    )
                cells = {col: values[pos] if pos < len(values) else "" for pos, col in mapping}
                yield SourceRow(file=name, row=record, cells=cells)
        finally:
            table.close()

    table.rows = rows()
    return table


# ----------------------------------------------------------------------------- XLSX


def cell_text(value: object) -> str:
    """An XLSX/JSON cell as text: dates ISO, whole numbers without '.0', None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def _read_xlsx(path: Path, name: str, sheet: str | None) -> SourceTable:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputFileError(
            f"{name}: not a readable .xlsx workbook ({type(exc).__name__})",
            hint="Open it in Excel and save it again as .xlsx, or export a CSV.",
        ) from None
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise InputFileError(
                    f"{name}: no sheet named {sheet!r}",
                    hint="sheets in the workbook: " + ", ".join(wb.sheetnames),
                )
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # some writers store a wrong sheet size; read what is there
        it = ws.iter_rows(min_row=1, values_only=True)
        table = SourceTable(file=name, columns=[], rows=iter(()), format="xlsx")
        table._close = wb.close
        rownum = 0
        header: list[str] | None = None
        for values in it:
            rownum += 1
            texts = [cell_text(v) for v in values]
            if not _is_blank(texts):
                header = texts
                break
        if header is None:
            others = [t for t in wb.sheetnames if t != ws.title]
            raise InputFileError(
                f"{name}: the file is empty (its first sheet, {ws.title!r}, has no rows)",
                hint="docgen reads the first sheet of a workbook; move the data there"
                + (f" (other sheets: {', '.join(others)})" if others else ""),
            )
        mapping = _header_map(table, header)
    except BaseException:
        wb.close()
        raise
    table.columns = [col for _, col in mapping]

    def rows() -> Iterator[SourceRow]:
        nonlocal rownum
        try:
            for values in it:
                rownum += 1
                texts = [cell_text(v) for v in values]
                if _is_blank(texts):
                    table.blank_rows += 1
                    continue
                cells = {col: texts[pos] if pos < len(texts) else "" for pos, col in mapping}
                yield SourceRow(file=name, row=rownum, cells=cells)
        finally:
            table.close()

    table.rows = rows()
    return table


# ----------------------------------------------------------------------------- JSON Lines


def _open_text(path: Path, name: str, encoding: str | None) -> tuple[IO[str], str]:
    enc = "utf-8-sig"
    if encoding:
        try:
            enc = codecs.lookup(encoding).name
        except LookupError:
            raise InputFileError(f"{name}: unknown encoding {encoding!r}") from None
        if enc == "utf-8":
            enc = "utf-8-sig"
    return path.open("r", encoding=enc, newline=None), enc


def _parse_json_line(line: str) -> tuple[dict[str, Any] | None, str | None]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"the line is not valid JSON (at character {exc.pos + 1})"
    except RecursionError:
        return None, "the line is not valid JSON (nested too deeply)"
    if not isinstance(obj, dict):
        return None, "the line is not a JSON object ({...})"
    return obj, None


def _read_jsonl(path: Path, name: str, encoding: str | None) -> SourceTable:
    # Pass 1 (streaming): the union of keys in file order is the column list, so a required
    # key that appears on no line at all is reported as a missing column before any row.
    fh, enc = _open_text(path, name, encoding)
    table = SourceTable(file=name, columns=[], rows=iter(()), format="jsonl", encoding=enc)
    columns: dict[str, None] = {}
    raw_to_col: dict[str, str] = {}
    lineno = 0
    nonblank = 0
    with fh:
        try:
            for line in fh:
                lineno += 1
                if not line.strip():
                    continue
                nonblank += 1
                obj, _ = _parse_json_line(line)
                for key in obj or ():
                    if key not in raw_to_col:
                        col = raw_to_col[key] = normalise_column(key)
                        if col:
                            columns.setdefault(col, None)
        except UnicodeDecodeError:
            raise InputFileError(
                f"{name}, line {lineno + 1}: cannot be read as {enc}",
                hint="JSON Lines files are UTF-8; pass --encoding if this one is not.",
            ) from None
    if nonblank == 0:
        raise InputFileError(f"{name}: the file is empty")
    table.columns = list(columns)

    def rows() -> Iterator[SourceRow]:
        fh2, _ = _open_text(path, name, encoding)
        table._close = fh2.close
        try:
            for lineno, line in enumerate(fh2, start=1):
                if not line.strip():
                    table.blank_rows += 1
                    continue
                obj, problem = _parse_json_line(line)
                cells: dict[str, str] = {}
                if obj is None:
                    table._problem(lineno, None, problem or "unreadable line")
                else:
                    for key, value in obj.items():
                        col = raw_to_col.get(key) or normalise_column(key)
                        if not col:
                            continue
                        if col in cells:
                            table._problem(lineno, col, "the key appears twice on this line")
                            continue
                        if isinstance(value, dict | list):
                            table._problem(lineno, col, "not a plain value (a list or object)")
                            cells[col] = ""
                            continue
                        cells[col] = cell_text(value)
                yield SourceRow(file=name, row=lineno, cells=cells)
        finally:
            table.close()

    table.rows = rows()
    return table
