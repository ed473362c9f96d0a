"""Readers: formats, encodings, delimiters, row numbers, header rules, XLSX cells, JSON Lines."""

from __future__ import annotations

import codecs
from datetime import date, datetime
from pathlib import Path

import pytest

from docgen.errors import InputFileError
from docgen.readers import detect_encoding, normalise_column, read_table
from tests import paths

DATA = paths.DATA
HEADER = ["person_id", "last_name", "first_name", "date_of_birth", "city"]


def rows_of(table):
    return list(table.rows)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def csv_text(delim: str = ",", newline: str = "\n") -> str:
    lines = [
        delim.join(HEADER),
        delim.join(["IL1", "Pérez", "José", "1980-01-02", "Chicago"]),
        delim.join(["IL2", "Smith", "Ann", "1981-03-04", "Evanston"]),
    ]
    return newline.join(lines) + newline


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
        ("cp1252", b"", "cp1252"),
    ],
)
def test_encodings_detected_and_decoded(tmp_path, encoding, bom, expected):
    path = write(tmp_path, "in.csv", bom + csv_text().encode(encoding))
    assert detect_encoding(path) == expected
    table = read_table(path)
    assert table.columns == HEADER  # no BOM left in the first column name
    rows = rows_of(table)
    assert [r.cells["last_name"] for r in rows] == ["Pérez", "Smith"]
    assert rows[0].cells["first_name"] == "José"


def test_cp1252_spanish_letters_not_read_as_cp1250(tmp_path):
    # charset-normalizer guesses cp1250 for short Western text; that would turn ñ into ń.
    text = "person_id,last_name\nIL1,Núñez-Ibáñez\nIL2,Peña “Jr”\n"
    path = write(tmp_path, "in.csv", text.encode("cp1252"))
    assert [r.cells["last_name"] for r in read_table(path).rows] == ["Núñez-Ibáñez", "Peña “Jr”"]


def test_cp1252_dash_not_mistaken_for_a_multibyte_encoding(tmp_path):
    # charset-normalizer guessed big5hkscs for this one and made the dash a Chinese character.
    path = write(tmp_path, "in.csv", "person_id,last_name\r\nIL1,Pe\u2013a\r\n".encode("cp1252"))
    assert detect_encoding(path) == "cp1252"
    assert [r.cells["last_name"] for r in read_table(path).rows] == ["Pe\u2013a"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path, encoding):
    path = write(tmp_path, "in.csv", csv_text().encode(encoding))
    assert [r.cells["last_name"] for r in read_table(path).rows] == ["Pérez", "Smith"]


def test_utf8_detected_even_when_non_ascii_only_at_the_end(tmp_path):
    body = "person_id,last_name\n" + "IL1,Smith\n" * 50_000 + "IL2,Nguyễn\n"
    path = write(tmp_path, "in.csv", body.encode("utf-8"))
    assert detect_encoding(path) == "utf-8"
    assert list(read_table(path).rows)[-1].cells["last_name"] == "Nguyễn"


def test_given_encoding_is_used(tmp_path):
    path = write(tmp_path, "in.csv", csv_text().encode("cp1252"))
    rows = rows_of(read_table(path, encoding="latin-1"))
    assert rows[0].cells["last_name"] == "Pérez"


def test_wrong_given_encoding_is_an_input_error_without_data(tmp_path):
    path = write(tmp_path, "in.csv", csv_text().encode("cp1252"))
    with pytest.raises(InputFileError) as exc:
        rows_of(read_table(path, encoding="utf-8"))
    assert "in.csv" in str(exc.value)
    assert "P" + "\ufffd" not in str(exc.value) and "rez" not in str(exc.value)


def test_unknown_encoding_name(tmp_path):
    path = write(tmp_path, "in.csv", csv_text().encode())
    with pytest.raises(InputFileError, match="unknown encoding"):
        read_table(path, encoding="no-such-codec")


# --------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_delimiters_sniffed(tmp_path, delim):
    path = write(tmp_path, "in.csv", csv_text(delim).encode())
    table = read_table(path)
    assert table.delimiter == delim
    assert table.columns == HEADER
    assert rows_of(table)[1].cells["city"] == "Evanston"


def test_semicolon_file_with_commas_inside_values(tmp_path):
    text = 'person_id;last_name;offense_description\nIL1;Smith;"Possession, 2.5 g; or less"\n'
    path = write(tmp_path, "in.csv", text.encode())
    table = read_table(path)
    assert table.delimiter == ";"
    assert rows_of(table)[0].cells["offense_description"] == "Possession, 2.5 g; or less"


def test_tsv_extension(tmp_path):
    path = write(tmp_path, "in.tsv", csv_text("\t", "\r\n").encode())
    assert rows_of(read_table(path))[0].cells["first_name"] == "José"


def test_single_column_file_falls_back_to_comma(tmp_path):
    path = write(tmp_path, "in.csv", b"person_id\nIL1\nIL2\n")
    table = read_table(path)
    assert table.delimiter == ","
    assert [r.cells["person_id"] for r in table.rows] == ["IL1", "IL2"]


# --------------------------------------------------------------------------- rows


def test_quoted_newline_and_row_numbers_count_records_not_lines(tmp_path):
    text = (
        "person_id,offense_description,city\n"
        'IL1,"line one\nline two\r\nline three",Chicago\n'
        "IL2,plain,Cicero\n"
        "\n"
        ",,\n"
        "IL3,after blanks,Berwyn\n"
    )
    path = write(tmp_path, "in.csv", text.encode())
    table = read_table(path)
    rows = rows_of(table)
    assert rows[0].cells["offense_description"] == "line one\nline two\r\nline three"
    # header row 1; records 2, 3; blank records 4 and 5 are counted as rows but not yielded
    assert [r.row for r in rows] == [2, 3, 6]
    assert table.blank_rows == 2


def test_fixture_file_reads_with_quoted_newline():
    table = read_table(DATA / "charges.csv")
    rows = rows_of(table)
    assert [r.row for r in rows] == [2, 3, 4]
    assert "\n" in rows[1].cells["offense_description"]
    assert rows[2].cells["last_name"] == "李"


def test_header_only_file_has_no_rows(tmp_path):
    path = write(tmp_path, "in.csv", (",".join(HEADER) + "\n").encode())
    table = read_table(path)
    assert table.columns == HEADER
    assert rows_of(table) == []
    assert table.blank_rows == 0


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", codecs.BOM_UTF8, b",,,\n"])
def test_empty_file_is_an_input_error(tmp_path, data):
    path = write(tmp_path, "empty.csv", data)
    with pytest.raises(InputFileError, match=r"empty\.csv: the file is empty"):
        read_table(path)


def test_short_rows_are_padded_and_long_rows_flagged(tmp_path):
    text = "person_id,last_name,city\nIL1,Smith\nIL2,Jones,Chicago,EXTRA\nIL3,Lee,Cicero,\n"
    path = write(tmp_path, "in.csv", text.encode())
    table = read_table(path)
    rows = rows_of(table)
    assert rows[0].cells == {"person_id": "IL1", "last_name": "Smith", "city": ""}
    assert set(table.problems) == {3}  # trailing empty field on row 4 is not a problem
    (problem,) = table.problems[3]
    assert "4 fields" in problem.message and "EXTRA" not in problem.message


def test_unclosed_quote_reports_row_not_crash(tmp_path):
    text = 'person_id,last_name\nIL1,"Smith\n' + "x" * 200_000 + "\n"
    path = write(tmp_path, "in.csv", text.encode())
    with pytest.raises(InputFileError, match=r"row 2: cannot be parsed"):
        rows_of(read_table(path))


# --------------------------------------------------------------------------- header rules


def test_column_names_normalised():
    assert normalise_column("\ufeff Date of Birth ") == "date_of_birth"
    assert normalise_column("First-Name") == "first_name"
    assert normalise_column("CASE_NUMBER") == "case_number"
    assert normalise_column(None) == ""


def test_header_normalised_in_file(tmp_path):
    text = "Person ID, Last Name ,DATE-OF-BIRTH,Extra Column,\nIL1,Smith,1980-01-01,x,\n"
    path = write(tmp_path, "in.csv", text.encode("utf-8-sig"))
    table = read_table(path)
    assert table.columns == ["person_id", "last_name", "date_of_birth", "extra_column"]
    assert rows_of(table)[0].cells["date_of_birth"] == "1980-01-01"


def test_duplicate_column_names_rejected(tmp_path):
    path = write(tmp_path, "in.csv", b"person_id,Last Name,last_name\nIL1,a,b\n")
    with pytest.raises(InputFileError, match=r"last_name.*twice"):
        read_table(path)


# --------------------------------------------------------------------------- formats


def test_unknown_extension(tmp_path):
    path = write(tmp_path, "results.pdf", b"%PDF")
    with pytest.raises(InputFileError, match=r"results\.pdf"):
        read_table(path)


def test_old_xls_gets_a_hint(tmp_path):
    path = write(tmp_path, "results.xls", b"\xd0\xcf")
    with pytest.raises(InputFileError) as exc:
        read_table(path)
    assert ".xlsx" in (exc.value.hint or "")


def test_input_format_overrides_extension(tmp_path):
    path = write(tmp_path, "results.dat", csv_text().encode())
    assert len(rows_of(read_table(path, input_format="csv"))) == 2
    with pytest.raises(InputFileError, match="unknown input format"):
        read_table(path, input_format="parquet")


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        read_table(tmp_path / "nope.csv")


# --------------------------------------------------------------------------- XLSX


def make_xlsx(path: Path, rows: list[list[object]], title: str = "Results", extra=None):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if extra:
        extra(wb, ws)
    wb.save(path)
    return path


def test_xlsx_dates_numbers_and_blank_rows(tmp_path):
    header = ["Person ID", "Last Name", "Date of Birth", "Postal Code", "Disposition Date", "n"]
    path = make_xlsx(
        tmp_path / "r.xlsx",
        [
            header,
            ["IL1", "Núñez", datetime(1980, 4, 12), 60602, date(2012, 3, 15), 2.5],
            [None, None, None, None, None, None],
            ["IL2", "李", datetime(1981, 1, 2, 13, 30), 60602.0, "03/04/2010", None],
        ],
    )
    table = read_table(path)
    assert table.columns == [
        "person_id",
        "last_name",
        "date_of_birth",
        "postal_code",
        "disposition_date",
        "n",
    ]
    rows = rows_of(table)
    assert rows[0].cells == {
        "person_id": "IL1",
        "last_name": "Núñez",
        "date_of_birth": "1980-04-12",
        "postal_code": "60602",
        "disposition_date": "2012-03-15",
        "n": "2.5",
    }
    assert rows[1].cells["postal_code"] == "60602"
    assert rows[1].cells["date_of_birth"] == "1981-01-02 13:30:00"  # a time is not dropped
    assert rows[1].cells["disposition_date"] == "03/04/2010"
    assert [r.row for r in rows] == [2, 4]
    assert table.blank_rows == 1


def test_xlsx_sheet_option_and_merged_cells(tmp_path):
    def extra(wb, ws):
        other = wb.create_sheet("Second")
        other.append(["person_id", "last_name", "city"])
        other.append(["IL9", "Merged", "Chicago"])
        other.append(["IL10", None, None])
        other.merge_cells("B2:B3")

    path = make_xlsx(tmp_path / "r.xlsx", [["person_id"], ["IL1"]], extra=extra)
    assert [r.cells["person_id"] for r in read_table(path).rows] == ["IL1"]
    rows = rows_of(read_table(path, sheet="Second"))
    assert [r.cells["last_name"] for r in rows] == ["Merged", ""]
    with pytest.raises(InputFileError) as exc:
        read_table(path, sheet="Nope")
    assert "Second" in (exc.value.hint or "")


def test_xlsx_header_only_and_empty(tmp_path):
    path = make_xlsx(tmp_path / "h.xlsx", [["person_id", "last_name"]])
    table = read_table(path)
    assert table.columns == ["person_id", "last_name"]
    assert rows_of(table) == []
    empty = make_xlsx(tmp_path / "e.xlsx", [])
    with pytest.raises(InputFileError, match="the file is empty"):
        read_table(empty)


def test_xlsx_that_is_not_a_workbook(tmp_path):
    path = write(tmp_path, "r.xlsx", b"person_id\nIL1\n")
    with pytest.raises(InputFileError, match="not a readable"):
        read_table(path)


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_fixture_with_broken_lines():
    table = read_table(DATA / "charges.jsonl")
    assert table.columns[:3] == ["person_id", "last_name", "first_name"]
    assert "aliases" in table.columns  # keys of every line, normalised
    rows = rows_of(table)
    # line 3 is blank: counted, not yielded; lines 2 and 4 are broken but still rows
    assert [r.row for r in rows] == [1, 2, 4, 5]
    assert table.blank_rows == 1
    assert rows[0].cells["postal_code"] == "60622"  # JSON number -> text
    assert rows[0].cells["middle_name"] == ""  # null -> empty
    assert rows[1].cells == {} and rows[2].cells == {}
    assert "not valid JSON" in table.problems[2][0].message
    assert "not a JSON object" in table.problems[4][0].message
    assert table.problems[5][0].column == "aliases"
    assert rows[3].cells["first_name"] == "Ann"
    for probs in table.problems.values():
        for p in probs:
            assert "IL1000000" not in p.message and "Siob" not in p.message


def test_jsonl_all_blank_is_empty(tmp_path):
    path = write(tmp_path, "r.jsonl", b"\n \n")
    with pytest.raises(InputFileError, match="empty"):
        read_table(path)


def test_jsonl_ndjson_extension_and_bom(tmp_path):
    path = write(tmp_path, "r.ndjson", codecs.BOM_UTF8 + b'{"Person_ID": "IL1"}\r\n')
    table = read_table(path)
    assert table.columns == ["person_id"]
    assert [r.cells for r in table.rows] == [{"person_id": "IL1"}]


def test_a_record_that_cannot_be_parsed_names_its_row(tmp_path):
    import csv

    limit = csv.field_size_limit()
    field = "x" * (limit + 1)
    path = write(tmp_path, "in.csv", (csv_text() + f"IL3,{field},A,1980-01-02,X\n").encode())
    with pytest.raises(InputFileError) as exc:
        rows_of(read_table(path))
    assert str(exc.value).startswith(f"{path}, row 4: cannot be parsed as CSV")


def test_a_gogen_record_that_cannot_be_parsed_names_its_row(tmp_path):
    import csv

    source = (paths.FIXTURES / "gogen" / "small.csv").read_text()
    lines = source.splitlines(keepends=True)
    lines[2] = lines[2].replace(",", "," + "x" * (csv.field_size_limit() + 1), 1)  # row 3
    path = write(tmp_path, "results.csv", "".join(lines).encode())
    with pytest.raises(InputFileError) as exc:
        rows_of(read_table(path, input_format="gogen"))
    assert str(exc.value) == f"{path}, row 3: cannot be read as a gogen results CSV (utf-8)"


def test_an_undecodable_byte_is_named_by_the_row_that_holds_it(tmp_path):
    """Past the first 64 KB (the delimiter sample), the row named is the one with the byte, not
    the one being read when a text file's 8 KB read-ahead met it (row 3794 for row 4000)."""
    rows = [",".join(HEADER)] + [f"IL{n},Smith,Ann,1981-03-04,Evanston" for n in range(2, 6000)]
    data = ("\n".join(rows) + "\n").encode().replace(b"IL4000,Smith", b"IL4000,Sm\xffth")
    path = write(tmp_path, "in.csv", data)
    with pytest.raises(InputFileError) as exc:
        rows_of(read_table(path, encoding="utf-8"))
    assert str(exc.value).startswith(f"{path}, row 4000: cannot be read as utf-8")


def test_an_undecodable_byte_in_the_delimiter_sample_is_named_by_its_row(tmp_path):
    """Inside the first 64 KB the delimiter sniffing must not fail first (no row in that error)."""
    data = csv_text().encode().replace(b"Smith", b"Sm\xffth")  # row 3
    path = write(tmp_path, "in.csv", data)
    with pytest.raises(InputFileError) as exc:
        rows_of(read_table(path, encoding="utf-8"))
    assert str(exc.value) == f"{path}, row 3: cannot be read as utf-8"  # as the user named it
    assert "Pass the right --encoding" in (exc.value.hint or "")
    assert "Sm" not in str(exc.value) and "IL2" not in str(exc.value)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
@pytest.mark.parametrize("row", [3, 300])
def test_an_undecodable_unit_in_wide_text_is_named_by_its_row(tmp_path, encoding, row):
    """UTF-16/32 are decoded as text (8 KB ahead): the row is still the one holding the unit."""
    rows = [",".join(HEADER)] + [f"IL{n},Smith,Ann,1981-03-04,Evanston" for n in range(2, 400)]
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16" else codecs.BOM_UTF32_LE
    data = bom + ("\n".join(rows) + "\n").encode(encoding + "-le")
    at = data.index(f"IL{row},".encode(encoding + "-le"))
    # a lone low surrogate (UTF-16), a code point past U+10FFFF (UTF-32)
    unit = b"\x00\xdc" if encoding == "utf-16" else b"\x00\x00\x11\x00"
    path = write(tmp_path, "in.csv", data[:at] + unit + data[at:])
    with pytest.raises(InputFileError) as exc:
        rows_of(read_table(path, encoding=encoding))
    assert str(exc.value) == f"{path}, row {row}: cannot be read as {encoding}"


def test_a_file_wholly_in_another_encoding_still_says_pass_the_right_encoding(tmp_path):
    text = "\n".join(";".join(["Pérez", "José", "Muñoz"]) for _ in range(5)) + "\n"
    path = write(tmp_path, "in.csv", text.encode("cp1252"))
    with pytest.raises(InputFileError) as exc:
        rows_of(read_table(path, encoding="utf-8"))
    assert str(exc.value) == f"{path}, row 1: cannot be read as utf-8"
    assert "Pass the right --encoding" in (exc.value.hint or "")
    assert "rez" not in str(exc.value) and "Mu" not in str(exc.value)


def test_a_gogen_byte_that_cannot_be_decoded_is_named_by_its_row(tmp_path):
    source = (paths.FIXTURES / "gogen" / "small.csv").read_bytes()
    lines = source.splitlines(keepends=True)
    lines[2] = lines[2].replace(b",", b",\xff", 1)  # row 3, inside the first 8 KB
    path = write(tmp_path, "results.csv", b"".join(lines))
    with pytest.raises(InputFileError) as exc:
        rows_of(read_table(path, input_format="gogen", encoding="utf-8"))
    assert str(exc.value) == f"{path}, row 3: cannot be read as a gogen results CSV (utf-8)"


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_line_breaks_of_every_kind_split_records(tmp_path, newline):
    for encoding in ("utf-8", "cp1252", "utf-16"):
        path = write(tmp_path, "in.csv", csv_text(newline=newline).encode(encoding))
        rows = rows_of(read_table(path, encoding=encoding))
        assert [r.row for r in rows] == [2, 3], (encoding, newline)
        assert [r.cells["last_name"] for r in rows] == ["Pérez", "Smith"], (encoding, newline)
