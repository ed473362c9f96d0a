"""Adapter for gogen results: the CA DOJ research file plus gogen's 12 eligibility columns.

gogen (Code for America, 2019) writes `doj_results.csv`: every row of the DOJ file (95 columns,
one row per event or count, in a fixed order) followed by Case Number, ..., Eligibility
Determination, Eligibility Reason. Only convictions gogen judged carry a determination; the other
rows are the rest of the person's record.

This module maps such a file onto the common model, as a `SourceTable` with canonical column
names, so validation, grouping and rendering are the same as for every other input:

- columns are taken by position, as gogen does; the first line is a header when it names the DOJ
  columns (``RECORD_ID,...``) and data otherwise (gogen's own output has one, exports may not);
- the person is gogen's subject (SUBJECT_ID, the key gogen grouped and judged by; CII_NUMBER when
  SUBJECT_ID is empty). Sample files show one CII number shared by different people, so the CII
  number alone would put one person's convictions under another's name;
- "SKYWALKER,LUKE S" -> last SKYWALKER, first LUKE, middle S; PRI_DOB and STP_EVENT_DATE are
  YYYYMMDD; the code section is OFFENSE_DESCR (COMMENT_TEXT when it says SEE COMMENT FOR CHARGE)
  before the first "-", e.g. "11357(A) HS", and the text after it is the description;
- the case number is gogen's Case Number (the court action numbers of the conviction's cycle and
  step, "NULL" entries dropped, joined with " / "), else FE_NUM_CRT_CASE;
- determinations: Eligible for Dismissal -> dismiss_seal, Eligible for Reduction -> reduce,
  Not eligible -> not_eligible, Maybe Eligible - Flag for Review and Hand Review -> needs_review;
- a row without a determination is record context: counted in `SourceTable.context_rows`, never
  yielded, never lost.

Problems with a value are reported against the canonical column they feed (row numbers as in the
canonical reader, the message naming the gogen column), never quoting the value.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from docgen.errors import InputFileError
from docgen.model import SourceRow
from docgen.readers.csv_reader import detect_encoding
from docgen.readers.table import CsvRecords, SourceTable, csv_lines, encoding_label

DOJ_COLUMNS: tuple[str, ...] = tuple(
    [
        "RECORD_ID",
        "SUBJECT_STATUS",
        "SUBJECT_ID",
        "REQ_SEG_SEP",
        "REQ_CII_NUMBER",
        "REQ_NAME",
        "REQ_GENDER",
        "REQ_DOB",
        "REQ_CDL",
        "REQ_SSN",
        "PII_SEG_SEP",
        "CII_NUMBER",
        "PRI_NAME",
        "GENDER",
        "PRI_DOB",
        "PRI_SSN",
        "PRI_CDL",
        "PRI_IDN",
        "PRI_INN",
        "FBI_NUMBER",
        "PDR_SEG_SEP",
        "RACE_CODE",
        "RACE_DESCR",
        "EYE_COLOR_CODE",
        "EYE_COLOR_DESCR",
        "HAIR_COLOR_CODE",
        "HAIR_COLOR_DESCR",
        "HEIGHT",
        "WEIGHT",
        "SINGLE_SOURCE",
        "MULTI_SOURCE",
        "POB_CODE",
        "POB_NAME",
        "POB_TYPE",
        "CITIZENSHIP_LIST",
        "CYC_SEG_SEP",
        "CYC_ORDER",
        "CYC_DATE",
        "STP_SEG_SEP",
        "STP_ORDER",
        "STP_EVENT_DATE",
        "STP_TYPE_CODE",
        "STP_TYPE_DESCR",
        "STP_ORI_TYPE",
        "STP_ORI_TYPE_DESCR",
        "STP_ORI_CODE",
        "STP_ORI_DESCR",
        "STP_ORI_CNTY_CODE",
        "STP_ORI_CNTY_NAME",
        "CNT_SEG_SEP",
        "CNT_ORDER",
        "DISP_DATE",
        "OFN",
        "OFFENSE_CODE",
        "OFFENSE_DESCR",
        "OFFENSE_TOC",
        "OFFENSE_QUAL_LST",
        "DISP_OFFENSE_CODE",
        "DISP_OFFENSE_DESCR",
        "DISP_OFFENSE_TOC",
        "DISP_OFFENSE_QUAL_LST",
        "CONV_OFFENSE_ORDER",
        "CONV_OFFENSE_CODE",
        "CONV_OFFENSE_DESCR",
        "CONV_OFFENSE_TOC",
        "CONV_OFFENSE_QUAL_LST",
        "FE_NUM_ORDER",
        "FE_NUM_ARR_AGY",
        "FE_NUM_BNCH_WARR",
        "FE_NUM_CITE",
        "FE_NUM_DOCKET",
        "FE_NUM_INCIDENT",
        "FE_NUM_BOOKING",
        "FE_NUM_NUMBER",
        "FE_NUM_REMAND",
        "FE_NUM_OOS_INN",
        "FE_NUM_CRT_CASE",
        "FE_NUM_WARRANT",
        "DISP_ORDER",
        "DISP_CODE",
        "DISP_DESCR",
        "CONV_STAT_CODE",
        "CONV_STAT_DESCR",
        "SENT_SEG_SEP",
        "SENT_ORDER",
        "SENT_LOC_CODE",
        "SENT_LOC_DESCR",
        "SENT_LENGTH",
        "SENT_TIME_CODE",
        "SENT_TIME_DESCR",
        "CYC_AGE",
        "CII_TYPE",
        "CII_TYPE_ALPHA",
        "COMMENT_TEXT",
        "END_OF_REC",
    ]
)
ELIGIBILITY_COLUMNS: tuple[str, ...] = (
    "Case Number",
    "# of convictions on record",
    "Superstrike Code Section(s)",
    "PC290 Code Section(s)",
    "PC290 Registration",
    "Date of Conviction",
    "Years Since This Conviction",
    "Years Since Any Conviction",
    "# of Prop 64 convictions",
    "Deceased",
    "Eligibility Determination",
    "Eligibility Reason",
)
ALL_GOGEN_COLUMNS = DOJ_COLUMNS + ELIGIBILITY_COLUMNS
_POS = {name: i for i, name in enumerate(ALL_GOGEN_COLUMNS)}
assert len(DOJ_COLUMNS) == 95 and len(ALL_GOGEN_COLUMNS) == 107

DETERMINATIONS: dict[str, str] = {
    "eligible for dismissal": "dismiss_seal",
    "eligible for reduction": "reduce",
    "not eligible": "not_eligible",
    "maybe eligible - flag for review": "needs_review",
    "hand review": "needs_review",
}
CLASSES = {"F": "Felony", "M": "Misdemeanor", "I": "Infraction"}
# Canonical columns the adapter fills (validate.py checks them like any other input's).
COLUMNS: tuple[str, ...] = (
    "person_id",
    "last_name",
    "first_name",
    "middle_name",
    "date_of_birth",
    "case_number",
    "arresting_agency",
    "statute",
    "offense_description",
    "offense_class",
    "disposition",
    "disposition_date",
    "determination",
    "reason",
    "cii_number",
    "county",
)

_SECTION = re.compile(r"^\s*(?P<num>[0-9][0-9A-Z().,/]*?)\s*(?P<code>[A-Z]{2,3})\s*$")
_YYYYMMDD = re.compile(r"\d{8}")


def _clean(value: str) -> str:
    return " ".join(value.split())


def split_name(raw: str) -> tuple[str, str, str] | None:
    """'SKYWALKER,LUKE S' -> ('SKYWALKER', 'LUKE', 'S'); None when not LAST,FIRST [MIDDLE]."""
    if "," not in raw:
        return None
    last, _, rest = raw.partition(",")
    last = _clean(last)
    given = _clean(rest).split(" ")
    if not last or not given or not given[0]:
        return None
    return last, given[0], " ".join(given[1:])


# DOJ's COMMENT_TEXT often leads with a marker ("CHRG 11358 HS", ":CHRG 11358 HS"): DOJ's data
# entry, not part of the code section a court document prints.
_DOJ_MARKER = re.compile(r"^[\s:;.,]*(?:CHRG|CHARGE)\b[\s:]*", re.IGNORECASE)


def code_section(offense: str, comment: str) -> tuple[str, str]:
    """(statute, description) from OFFENSE_DESCR (or COMMENT_TEXT), e.g. '11357(A) HS'; a
    leading CHRG marker is dropped ('CHRG 11358 HS' -> '11358 HS')."""
    text = comment if offense.strip() == "SEE COMMENT FOR CHARGE" else offense
    section, _, description = text.partition("-")
    section = _clean(_DOJ_MARKER.sub("", section))
    if m := _SECTION.match(section):
        section = f"{m['num']} {m['code']}"  # '11359HS' -> '11359 HS'
    return section, _clean(description)


def case_numbers(gogen_case: str, court_case: str) -> str:
    """gogen's 'NULL  ; 140192; 140193' -> '140192 / 140193'; FE_NUM_CRT_CASE otherwise."""
    parts: list[str] = []
    for part in gogen_case.split(";"):
        part = _clean(part)
        if part and part.upper() != "NULL" and part not in parts:
            parts.append(part)
    return " / ".join(parts) or _clean(court_case)


def _compact_date(value: str) -> str | None:
    value = value.strip()
    return value if _YYYYMMDD.fullmatch(value) else None


def is_header(values: list[str]) -> bool:
    return (bool(values) and values[0].strip().upper() == "RECORD_ID") or (
        len(values) > 12 and values[11].strip().upper() == "CII_NUMBER"
    )


def read_gogen(path: Path, name: str, encoding: str | None = None) -> SourceTable:
    enc = encoding or detect_encoding(path)
    try:
        lines, close = csv_lines(path, enc)
    except LookupError:
        raise InputFileError(f"{name}: unknown encoding {encoding!r}") from None
    reader = csv.reader(lines)
    table = SourceTable(
        file=name, columns=list(COLUMNS), rows=iter(()), format="gogen", encoding=enc, delimiter=","
    )
    table._close = close
    records = CsvRecords(
        reader,
        table.close,
        lambda number, _error: InputFileError(
            f"{name}, row {number}: cannot be read as a gogen results CSV ({encoding_label(enc)})"
        ),
    )

    first: list[str] | None = None
    while (first := records.next()) is not None and not any(v.strip() for v in first):
        table.blank_rows += 1
    if first is None:
        table.close()
        raise InputFileError(f"{name}: the file is empty")
    width = len(first)
    if width == len(DOJ_COLUMNS):
        table.close()
        raise InputFileError(
            f"{name}: has the 95 DOJ columns but no eligibility columns",
            hint="This is gogen's input (the DOJ file); pass gogen's doj_results.csv instead.",
        )
    if width < len(ALL_GOGEN_COLUMNS):
        table.close()
        raise InputFileError(
            f"{name}: row {records.number} has {width} fields; gogen results have "
            f"{len(ALL_GOGEN_COLUMNS)} (95 DOJ columns and 12 eligibility columns)",
            hint="Pass gogen's doj_results.csv (not the condensed file), or use --input-format csv.",
        )
    pending = None if is_header(first) else first

    def rows() -> Iterator[SourceRow]:
        try:
            values = pending
            if values is None:
                values = records.next()
            while values is not None:
                row = _row(table, records.number, values)
                if row is not None:
                    yield row
                values = records.next()
        finally:
            table.close()

    table.rows = rows()
    return table


def _row(table: SourceTable, record: int, values: list[str]) -> SourceRow | None:
    if not any(v.strip() for v in values):
        table.blank_rows += 1
        return None
    if len(values) != len(ALL_GOGEN_COLUMNS):
        # Not knowing where the determination is, the row cannot be context: it is rejected.
        table._problem(
            record,
            None,
            f"the row has {len(values)} fields, gogen results have {len(ALL_GOGEN_COLUMNS)} "
            "(check quotes and commas)",
        )
        return SourceRow(file=table.file, row=record, cells={})

    def get(column: str) -> str:
        return values[_POS[column]]

    raw_determination = _clean(get("Eligibility Determination"))
    if not raw_determination:
        table.context_rows += 1
        return None
    problem = table._problem
    cells: dict[str, str] = {}
    determination = DETERMINATIONS.get(raw_determination.lower())
    if determination is None:
        problem(
            record,
            "determination",
            "Eligibility Determination is not one of gogen's values (Eligible for Dismissal, "
            "Eligible for Reduction, Not eligible, Maybe Eligible - Flag for Review, Hand Review)",
        )
    cells["determination"] = determination or ""
    cells["reason"] = _clean(get("Eligibility Reason"))

    cii = _clean(get("CII_NUMBER")) or _clean(get("REQ_CII_NUMBER"))
    cells["cii_number"] = cii
    cells["person_id"] = _clean(get("SUBJECT_ID")) or cii
    if not cells["person_id"]:
        problem(record, "person_id", "SUBJECT_ID and CII_NUMBER are both empty")

    name = split_name(get("PRI_NAME"))
    if name is None:
        problem(record, "last_name", "PRI_NAME is not in the form LAST,FIRST MIDDLE")
        name = ("", "", "")
    cells["last_name"], cells["first_name"], cells["middle_name"] = name

    for column, source in (("date_of_birth", "PRI_DOB"), ("disposition_date", "STP_EVENT_DATE")):
        value = _compact_date(get(source))
        if value is None:
            problem(record, column, f"{source} is not a YYYYMMDD date")
        cells[column] = value or ""

    statute, description = code_section(get("OFFENSE_DESCR"), get("COMMENT_TEXT"))
    if not statute:
        problem(record, "statute", "OFFENSE_DESCR (or COMMENT_TEXT) has no code section")
    cells["statute"] = statute
    cells["offense_description"] = description or statute

    klass = _clean(get("CONV_STAT_DESCR")).title() or CLASSES.get(
        _clean(get("OFFENSE_TOC")).upper(), ""
    )
    if not klass:
        problem(record, "offense_class", "CONV_STAT_DESCR and OFFENSE_TOC are both empty")
    cells["offense_class"] = klass

    cells["disposition"] = _clean(get("DISP_DESCR"))
    cells["case_number"] = case_numbers(get("Case Number"), get("FE_NUM_CRT_CASE"))
    if not cells["case_number"] and cells["determination"] != "needs_review":
        # A row for review without one is listed for review (the reviewer finds the number).
        problem(
            record,
            "case_number",
            "no court case number (gogen's Case Number and FE_NUM_CRT_CASE are empty); "
            "find the case number and add it to Case Number",
        )
    cells["arresting_agency"] = _clean(get("STP_ORI_DESCR"))
    cells["county"] = _clean(get("STP_ORI_CNTY_NAME"))
    return SourceRow(file=table.file, row=record, cells=cells)
