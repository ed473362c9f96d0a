"""Reading a CA DOJ research extract (one row per event or count) by its header names.

gogen dropped the first line unparsed and took columns by position, crashing on a short row. Here
the header is required and columns are found by name (case and surrounding spaces ignored, any
order, extra columns such as gogen's 12 result columns ignored); a missing column stops the read
with the file and the column's name; a row with the wrong number of fields is rejected with its
row number. Row numbers are those a spreadsheet shows (header = row 1; a quoted line break stays
one row). Messages never quote a cell.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import InputFileError
from docgen.model import Reject
from docgen.readers import detect_encoding
from docgen.readers.table import CsvRecords, csv_lines, encoding_label

# Columns the rule set reads. A file without one of REQUIRED is refused as a whole.
REQUIRED = (
    "CNT_ORDER",
    "STP_EVENT_DATE",
    "STP_TYPE_DESCR",
    "STP_ORI_CNTY_NAME",
    "OFFENSE_DESCR",
    "DISP_DESCR",
)
OPTIONAL = (
    "SUBJECT_ID",
    "CII_NUMBER",
    "PRI_NAME",
    "PRI_DOB",
    "CYC_DATE",
    "STP_ORI_DESCR",
    "OFN",
    "OFFENSE_TOC",
    "CONV_OFFENSE_DESCR",
    "CONV_STAT_DESCR",
    "FE_NUM_CRT_CASE",
    "SENT_LENGTH",
    "SENT_TIME_CODE",
    "COMMENT_TEXT",
)


@dataclass(frozen=True, slots=True)
class DojRow:
    """The cells of one DOJ row the rule set uses (missing optional columns read as '')."""

    row: int
    subject_id: str
    cii_number: str
    pri_name: str
    pri_dob: str
    cyc_date: str
    stp_event_date: str
    stp_type_descr: str
    stp_ori_descr: str
    county: str
    cnt_order: str
    ofn: str
    offense_descr: str
    offense_toc: str
    conv_offense_descr: str
    disp_descr: str
    conv_stat_descr: str
    fe_num_crt_case: str
    sent_length: str
    sent_time_code: str
    comment_text: str

    @property
    def person_id(self) -> str:
        return self.subject_id.strip() or self.cii_number.strip()


_FIELDS = (
    "SUBJECT_ID",
    "CII_NUMBER",
    "PRI_NAME",
    "PRI_DOB",
    "CYC_DATE",
    "STP_EVENT_DATE",
    "STP_TYPE_DESCR",
    "STP_ORI_DESCR",
    "STP_ORI_CNTY_NAME",
    "CNT_ORDER",
    "OFN",
    "OFFENSE_DESCR",
    "OFFENSE_TOC",
    "CONV_OFFENSE_DESCR",
    "DISP_DESCR",
    "CONV_STAT_DESCR",
    "FE_NUM_CRT_CASE",
    "SENT_LENGTH",
    "SENT_TIME_CODE",
    "COMMENT_TEXT",
)


@dataclass(slots=True)
class DojFile:
    rows: list[DojRow]
    rejects: list[Reject]
    blank_rows: int
    total_rows: int  # data rows, blank ones included


def read_doj(path: Path, encoding: str | None = None) -> DojFile:
    name = str(path)
    try:
        enc = encoding or detect_encoding(path)
        # Line by line, so an undecodable byte is named by its own row (csv_lines).
        lines, close = csv_lines(path, enc)
    except FileNotFoundError:
        raise InputFileError(f"{name}: no such file") from None
    except LookupError:
        raise InputFileError(f"{name}: unknown encoding {encoding!r}") from None

    def unreadable(number: int, error: Exception) -> InputFileError:
        if isinstance(error, UnicodeDecodeError):
            return InputFileError(f"{name}, row {number}: cannot be read as {encoding_label(enc)}")
        return InputFileError(f"{name}, row {number}: not a readable CSV row")

    records = CsvRecords(csv.reader(lines), close, unreadable)
    try:
        header = records.next()
        if header is None:
            raise InputFileError(f"{name}: the file is empty")
        names = [h.strip().upper().lstrip("\ufeff") for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if not {"SUBJECT_ID", "CII_NUMBER"} & set(names):
            missing.append("SUBJECT_ID (or CII_NUMBER)")
        if missing:
            raise InputFileError(
                f"{name}, row 1: missing DOJ column(s): {', '.join(missing)}",
                hint="The first row must name the CA DOJ research file's columns "
                "(RECORD_ID, SUBJECT_ID, ..., CNT_ORDER, ...).",
            )
        dupes = sorted({n for n in names if n and names.count(n) > 1})
        if dupes:
            raise InputFileError(f"{name}, row 1: column(s) named twice: {', '.join(dupes)}")
        # A header ending in a comma (gogen's cadoj_san_joaquin_extra_comma.csv) names an empty
        # last column: gogen reads such files, and so do we. Rows may then have the header's
        # fields or those without the unnamed ones.
        full = len(names)
        while len(names) > 1 and not names[-1]:
            names.pop()
        width = len(names)
        positions = [names.index(c) if c in names else -1 for c in _FIELDS]
        rows: list[DojRow] = []
        rejects: list[Reject] = []
        blank = 0
        while (values := records.next()) is not None:
            record = records.number
            if not any(v.strip() for v in values):
                blank += 1
                continue
            if not width <= len(values) <= full:
                rejects.append(
                    Reject(
                        name,
                        record,
                        None,
                        f"the row has {len(values)} fields, the header has {full} "
                        "(check quotes and commas)",
                    )
                )
                continue
            rows.append(DojRow(record, *(values[p] if p >= 0 else "" for p in positions)))
    finally:
        close()
    return DojFile(rows, rejects, blank, records.number - 1)
