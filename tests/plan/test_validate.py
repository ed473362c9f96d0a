"""Validation: every row becomes a charge or a reject with a clear reason that leaks no data."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.errors import MissingColumns
from docgen.model import ALL_COLUMNS, REQUIRED_COLUMNS
from docgen.plan.validate import parse_date, validate_table
from docgen.readers import read_table
from tests import paths

DATA = paths.DATA
AS_OF = date(2026, 12, 1)

GOOD: dict[str, str] = {
    "person_id": "IL20000001",
    "last_name": "Quetzalcoatl",
    "first_name": "Xochitl",
    "middle_name": "",
    "date_of_birth": "1981-05-06",
    "address_line1": "1234 W Division St",
    "city": "Chicago",
    "state": "IL",
    "postal_code": "60622",
    "language": "en",
    "case_number": "2010-MC1-0000101",
    "arrest_date": "2010-02-01",
    "arresting_agency": "Chicago Police Department",
    "statute": "720 ILCS 550/4(a)",
    "offense_description": "Possession of cannabis, not more than 2.5 grams",
    "offense_class": "Class C misdemeanor",
    "disposition": "Guilty plea",
    "disposition_date": "2010-03-04",
    "determination": "vacate_expunge",
    "reason": "",
}


def write_rows(tmp_path: Path, rows: list[dict[str, str]], name: str = "in.csv") -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row)) or list(GOOD)
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path


def validate_rows(tmp_path: Path, *rows: dict[str, str]):
    return validate_table(read_table(write_rows(tmp_path, list(rows))), as_of=AS_OF)


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def only_reject(result):
    assert result.charges == []
    (reject,) = result.rejects
    return reject


# --------------------------------------------------------------------------- happy paths


def test_good_row_becomes_a_charge(tmp_path):
    result = validate_rows(tmp_path, row())
    (charge,) = result.charges
    assert charge.row == 2
    assert charge.date_of_birth == date(1981, 5, 6)
    assert charge.language == "en"
    assert result.rejects == [] and result.input_rows == 1


def test_fixture_file_normalises_values():
    result = validate_table(read_table(DATA / "charges.csv"), as_of=AS_OF)
    assert result.rejects == []
    a, b, c = result.charges
    assert (a.language, b.language, c.language) == ("es", "en", "es")  # es, "EN", "Spanish"
    assert b.determination == "not_eligible"  # "Not_Eligible " normalised
    assert b.date_of_birth == date(1975, 4, 5) and b.disposition_date == date(1999, 6, 7)
    assert b.arrest_date is None
    assert c.last_name == "李" and not c.has_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-02-28", date(2019, 2, 28)),
        ("02/28/2019", date(2019, 2, 28)),
        ("2/3/2019", date(2019, 2, 3)),
        ("20190228", date(2019, 2, 28)),
        ("2019-02-28T00:00:00", date(2019, 2, 28)),
        (" 2019-2-3 ", date(2019, 2, 3)),
    ],
)
def test_date_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2019-02-30", "date_of_birth: not a real calendar date"),
        ("13/01/1980", "date_of_birth: not a real calendar date"),
        ("1980-13-01", "date_of_birth: not a real calendar date"),
        ("12 March 1980", "date_of_birth: not a date (use YYYY-MM-DD or MM/DD/YYYY)"),
        ("3/12/80", "date_of_birth: not a date (use YYYY-MM-DD or MM/DD/YYYY)"),
        ("1980-03-12T14:00:00", "date_of_birth: not a date"),
        ("1880-03-12", "date_of_birth: before 1900"),
    ],
)
def test_bad_dates_rejected(tmp_path, value, message):
    reject = only_reject(validate_rows(tmp_path, row(date_of_birth=value)))
    assert reject.column == "date_of_birth"
    assert reject.reason.startswith(message)
    assert value.strip() not in reject.reason


@pytest.mark.parametrize(
    ("determination", "expected"),
    [
        ("Vacate_Expunge ", "vacate_expunge"),
        ("NEEDS REVIEW", "needs_review"),
        ("dismiss-seal", "dismiss_seal"),
    ],
)
def test_determination_normalised(tmp_path, determination, expected):
    (charge,) = validate_rows(tmp_path, row(determination=determination)).charges
    assert charge.determination == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("", "en"), ("EN", "en"), ("Spanish", "es"), ("español", "es"), (" Es ", "es")],
)
def test_language_normalised(tmp_path, language, expected):
    (charge,) = validate_rows(tmp_path, row(language=language)).charges
    assert charge.language == expected


# --------------------------------------------------------------------------- rejects


def test_unknown_determination(tmp_path):
    reject = only_reject(validate_rows(tmp_path, row(determination="eligible-ish")))
    assert reject.column == "determination"
    assert reject.reason == (
        "determination: unknown value (expected one of vacate_expunge, dismiss_seal, reduce, "
        "not_eligible, needs_review, automatic_expungement)"
    )


def test_unknown_language(tmp_path):
    reject = only_reject(validate_rows(tmp_path, row(language="Klingon")))
    assert reject.reason == "language: unknown value (expected en or es)"


def test_future_disposition(tmp_path):
    reject = only_reject(
        validate_rows(tmp_path, row(arrest_date="2026-12-01", disposition_date="2026-12-02"))
    )
    assert reject.column == "disposition_date"
    assert reject.reason == "disposition_date: in the future (after 2026-12-01)"


def test_future_arrest(tmp_path):
    reject = only_reject(validate_rows(tmp_path, row(arrest_date="2027-01-01")))
    assert reject.column == "arrest_date"
    assert "in the future" in reject.reason


def test_birth_after_arrest_and_disposition(tmp_path):
    reject = only_reject(validate_rows(tmp_path, row(date_of_birth="2011-01-01")))
    assert reject.column == "date_of_birth"
    assert reject.reason == (
        "date_of_birth: birth date is after the arrest date; "
        "date_of_birth: birth date is after the disposition date"
    )


def test_arrest_after_disposition(tmp_path):
    reject = only_reject(validate_rows(tmp_path, row(arrest_date="2010-05-01")))
    assert reject.reason == "arrest_date: arrest date is after the disposition date"


def test_required_empty_and_every_problem_reported(tmp_path):
    reject = only_reject(
        validate_rows(
            tmp_path, row(last_name="  ", statute="", determination="maybe", date_of_birth="x")
        )
    )
    assert reject.column == "last_name"  # first problem in contract order
    assert reject.reason.split("; ") == [
        "last_name: required but empty",
        "date_of_birth: not a date (use YYYY-MM-DD or MM/DD/YYYY)",
        "statute: required but empty",
        "determination: unknown value (expected one of vacate_expunge, dismiss_seal, reduce, "
        "not_eligible, needs_review, automatic_expungement)",
    ]


def test_missing_optional_columns_are_fine(tmp_path):
    minimal = {c: GOOD[c] for c in REQUIRED_COLUMNS}
    (charge,) = validate_rows(tmp_path, minimal).charges
    assert charge.arrest_date is None and charge.language == "en" and charge.city == ""


def test_missing_required_columns(tmp_path):
    incomplete = {k: v for k, v in GOOD.items() if k not in ("date_of_birth", "determination")}
    table = read_table(write_rows(tmp_path, [incomplete]))
    with pytest.raises(MissingColumns) as exc:
        validate_table(table, as_of=AS_OF)
    assert exc.value.missing == ["date_of_birth", "determination"]
    assert "date_of_birth, determination" in str(exc.value)
    assert "in.csv" in str(exc.value)


def test_header_only_validates_to_nothing(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(",".join(ALL_COLUMNS) + "\n", encoding="utf-8")
    result = validate_table(read_table(path), as_of=AS_OF)
    assert (result.input_rows, result.charges, result.rejects) == (0, [], [])


def test_extra_columns_ignored(tmp_path):
    (charge,) = validate_rows(tmp_path, row(notes="anything\x00at all", ssn="x" * 5000)).charges
    assert not hasattr(charge, "ssn")


def test_duplicate_row(tmp_path):
    result = validate_rows(
        tmp_path,
        row(),
        row(statute="720 ILCS 550/4(b)"),
        # same values, written differently: still the same charge
        row(date_of_birth="05/06/1981", determination="VACATE_EXPUNGE", last_name=" Quetzalcoatl"),
        row(statute="720 ILCS 550/4(b)"),
    )
    assert [c.row for c in result.charges] == [2, 3]
    assert [(r.row, r.reason, r.column) for r in result.rejects] == [
        (4, "duplicate of row 2", None),
        (5, "duplicate of row 3", None),
    ]
    assert result.rejects[0].case_number == GOOD["case_number"]  # helps find it


def test_long_field(tmp_path):
    long_name = "Ab" * 5000
    reject = only_reject(validate_rows(tmp_path, row(last_name=long_name)))
    assert reject.column == "last_name"
    assert reject.reason == "last_name: longer than 1,000 characters"
    (ok,) = validate_rows(tmp_path, row(last_name="A" * 1000)).charges
    assert len(ok.last_name) == 1000


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028"])
def test_control_characters_rejected(tmp_path, char):
    reject = only_reject(validate_rows(tmp_path, row(first_name=f"Xo{char}chitl")))
    assert reject.column == "first_name"
    assert reject.reason == "first_name: contains control characters (remove them and save again)"


def test_tab_and_newline_allowed_in_description_only(tmp_path):
    (charge,) = validate_rows(
        tmp_path, row(offense_description="Possession\tof cannabis,\nnot more than 2.5 g")
    ).charges
    assert "\n" in charge.offense_description
    reject = only_reject(validate_rows(tmp_path, row(last_name="Quetzal\ncoatl")))
    assert reject.column == "last_name"


def test_case_number_not_echoed_when_it_is_the_problem(tmp_path):
    reject = only_reject(validate_rows(tmp_path, row(case_number="2010\x01MC", statute="")))
    assert reject.case_number == ""
    reject = only_reject(validate_rows(tmp_path, row(statute="")))
    assert reject.case_number == GOOD["case_number"]


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_broken_lines_become_rejects():
    result = validate_table(read_table(DATA / "charges.jsonl"), as_of=AS_OF)
    assert result.input_rows == 4 and result.blank_rows == 1
    assert [c.row for c in result.charges] == [1, 5]  # "aliases" (a list) is an extra column
    assert result.charges[0].language == "es" and result.charges[0].postal_code == "60622"
    assert result.charges[1].determination == "vacate_expunge"
    by_row = {r.row: r for r in result.rejects}
    assert by_row[2].reason.startswith("the line is not valid JSON")
    assert by_row[4].reason == "the line is not a JSON object ({...})"
    assert by_row[2].column is None


def test_jsonl_nested_value_in_contract_column(tmp_path):
    path = tmp_path / "r.jsonl"
    obj = {**GOOD, "last_name": ["Quetzal", "coatl"], "first_name": ""}
    path.write_text(json.dumps(obj) + "\n", encoding="utf-8")
    reject = only_reject(validate_table(read_table(path), as_of=AS_OF))
    assert reject.column == "last_name"
    assert reject.reason == (
        "last_name: not a plain value (a list or object); first_name: required but empty"
    )


def test_jsonl_lone_surrogate_rejected(tmp_path):
    path = tmp_path / "r.jsonl"
    line = json.dumps(GOOD).replace('"Xochitl"', '"Xo\\ud800chitl"')
    path.write_text(line + "\n", encoding="utf-8")
    reject = only_reject(validate_table(read_table(path), as_of=AS_OF))
    assert reject.column == "first_name"


# --------------------------------------------------------------------------- XLSX end to end


def test_xlsx_dates_and_int_zip_validate(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    header = list(GOOD)
    ws.append(header)
    values = dict(GOOD)
    values.update(
        date_of_birth=datetime(1981, 5, 6),
        disposition_date=date(2010, 3, 4),
        arrest_date=datetime(2010, 2, 1),
        postal_code=60622,
    )
    ws.append([values[c] for c in header])
    values["postal_code"] = 60602.0
    values["case_number"] = "2010-MC1-0000102"
    ws.append([values[c] for c in header])
    wb.save(tmp_path / "r.xlsx")
    result = validate_table(read_table(tmp_path / "r.xlsx"), as_of=AS_OF)
    assert result.rejects == []
    a, b = result.charges
    assert a.date_of_birth == date(1981, 5, 6) and a.arrest_date == date(2010, 2, 1)
    assert (a.postal_code, b.postal_code) == ("60622", "60602")
    assert (a.row, b.row) == (2, 3)


# --------------------------------------------------------------------------- invariants


def test_accounting_identity_and_no_values_in_reasons(tmp_path):
    secret = {
        "last_name": "Zyxwvutsrq" * 150,  # too long
        "first_name": "Qwfpgjluy\x02",  # control character
        "date_of_birth": "1987-02-30",  # impossible
        "postal_code": "6O6O2",
        "language": "Vulcanian",
        "determination": "Perhapsable",
        "disposition_date": "2099-01-01",
    }
    rows = [
        row(),
        row(**{k: secret[k] for k in ("last_name", "first_name", "postal_code")}),
        row(date_of_birth=secret["date_of_birth"], language=secret["language"]),
        row(determination=secret["determination"], disposition_date=secret["disposition_date"]),
        row(),  # duplicate
        dict.fromkeys(GOOD, " "),  # a blank row: not an input row, counted apart
        row(case_number="2010-MC1-0000999", date_of_birth="2012-01-01"),
    ]
    result = validate_rows(tmp_path, *rows)
    assert result.blank_rows == 1
    assert result.input_rows == 6
    assert result.input_rows == len(result.charges) + len(result.rejects)
    assert len(result.charges) == 1 and len(result.rejects) == 5
    for reject in result.rejects:
        for value in secret.values():
            assert value not in reject.reason
            assert value.strip("\x02")[:9] not in reject.reason
        assert "2012-01-01" not in reject.reason


_cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "2019-02-30", "1980-01-02", "01/02/1980", "vacate_expunge", "ES", "x"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.fixed_dictionaries({c: _cell for c in GOOD}), max_size=8))
def test_property_every_row_accounted_for(tmp_path, rows):
    path = write_rows(tmp_path, rows or [dict.fromkeys(GOOD, "")], name="prop.csv")
    table = read_table(path, encoding="utf-8")
    result = validate_table(table, as_of=AS_OF)
    assert result.input_rows == len(result.charges) + len(result.rejects)
    assert result.input_rows + result.blank_rows == max(len(rows), 1)
    for reject in result.rejects:
        assert reject.reason
        assert reject.column is None or reject.column in ALL_COLUMNS
