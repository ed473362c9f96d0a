"""CSV: the text encoding (detected unless given), the delimiter (sniffed), then the records.

The header is row 1 (or the first row of two or more cells, below an export's title rows); a
record's row is its position in the file as a spreadsheet shows it.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from docgen.errors import InputFileError
from docgen.model import SourceRow
from docgen.readers.table import (
    CsvRecords,
    Record,
    SourceTable,
    csv_lines,
    encoding_label,
    header_after_titles,
    header_map,
    is_blank,
)
from docgen.store.output import restore_formula

DELIMITERS = ",;\t|"
_SAMPLE_CHARS = 64 * 1024
_UTF8_LATIN = re.compile(rb"[\xc2\xc3][\x80-\xbf]")
_DETECT_BYTES = 256 * 1024


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
    # The first line holding a delimiter: an export's title line above the header may hold none.
    filled = [ln for ln in lines if ln.strip()]
    header = next(
        (ln for ln in filled if any(d in ln for d in DELIMITERS)), filled[0] if filled else ""
    )
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


def read_csv_table(path: Path, name: str, encoding: str | None) -> SourceTable:
    if encoding:
        try:
            enc = codecs.lookup(encoding).name
        except LookupError:
            raise InputFileError(f"{name}: unknown encoding {encoding!r}") from None
        if enc == "utf-8":
            enc = "utf-8-sig"  # a BOM is never data
    else:
        enc = detect_encoding(path)
    # Undecodable bytes become U+FFFD here, so sniffing never fails on one: the record loop
    # below then names the row that holds it (its error gives the --encoding hint).
    with path.open("r", encoding=enc, errors="replace", newline="") as fh:
        sample = fh.read(_SAMPLE_CHARS)
    delimiter = _sniff_delimiter(sample, path.suffix.lower())
    # Excel's "sep=;" first line names the delimiter; Excel does not show it as a row, so it is
    # not counted and the header stays row 1.
    if excel_sep := re.match(r"\ufeff?sep=([^\r\n])\r?\n", sample):
        delimiter = excel_sep.group(1)
    lines, close = csv_lines(path, enc, skip=1 if excel_sep else 0)
    reader = csv.reader(lines, delimiter=delimiter)
    table = SourceTable(
        file=name, columns=[], rows=iter(()), format="csv", encoding=enc, delimiter=delimiter
    )
    table._close = close

    def unreadable(number: int, error: Exception) -> InputFileError:
        if isinstance(error, UnicodeDecodeError):
            return InputFileError(
                f"{name}, row {number}: cannot be read as {encoding_label(enc)}",
                hint="Pass the right --encoding (e.g. cp1252 or utf-8).",
            )
        return InputFileError(
            f"{name}, row {number}: cannot be parsed as CSV "
            "(a field is very long or a quote is not closed)",
        )

    records = CsvRecords(reader, table.close, unreadable)

    def next_record() -> Record | None:
        values = records.next()
        return None if values is None else (records.number, values)

    try:
        found, table.title_rows, pending = header_after_titles(next_record)
    except BaseException:
        table.close()
        raise
    header = found[1] if found else None
    if header is None:
        table.close()
        raise InputFileError(
            f"{name}: the file is empty", hint="The first row must name the columns."
        )
    try:
        mapping = header_map(table, header)
    except InputFileError:
        table.close()
        raise
    table.columns = [col for _, col in mapping]
    width = len(header)

    def rows() -> Iterator[SourceRow]:
        try:
            for number, values in itertools.chain(pending, iter(next_record, None)):
                if is_blank(values):
                    table.blank_rows += 1
                    continue
                if width > 2 and any(_runs_on(v, delimiter, width) for v in values):
                    raise InputFileError(
                        f"{name}, row {number}: a quoted field runs on over the lines after it, "
                        "so a quote is probably not closed (the rows after it cannot be counted)",
                        hint="Check the quotes in this row and save the file again.",
                    )
                if len(values) > width and not is_blank(values[width:]):
                    table._problem(
                        number,
                        None,
                        f"the row has {len(values)} fields but the header has {width} "
                        "(check quotes and the delimiter)",
                    )
                # The quote a CSV writer put before = + - @ is not data (docgen.store.output).
                cells = {
                    col: restore_formula(values[pos]) if pos < len(values) else ""
                    for pos, col in mapping
                }
                yield SourceRow(file=name, row=number, cells=cells)
        finally:
            table.close()

    table.rows = rows()
    return table
