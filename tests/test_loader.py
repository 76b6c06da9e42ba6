"""Tests for helpers.reading.loader: messy CSV and Excel exports read into a LoadedTable."""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import hashlib
import io
import pathlib
import re
import time
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

import helpers.reading.loader as loader
from helpers.errors import InputProblem
from helpers.reading.loader import LoadedTable, column_letter, describe_rows, load_table

DATASETS = pathlib.Path(__file__).resolve().parents[1] / "datasets"


def write_xlsx(path: pathlib.Path, sheets: dict[str, list[list]], epoch_1904: bool = False) -> pathlib.Path:
    """A workbook with one sheet per entry; each row is a list of cell values (None = empty)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    if epoch_1904:
        workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_docstring_examples_run():
    result = doctest.testmod(loader)
    assert result.attempted >= 5 and result.failed == 0


# ----- CSV: encodings and separators --------------------------------------------------------------

CLIENTS = [["Name", "Amount", "Joined"], ["Zoë Smith", "£1,200.50", "03/04/2024"], ["Ben “Benny” Jones", "(12.00)", "15/11/2023"]]


def csv_text(rows, delimiter=",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected", "words"),
    [
        ("utf-8", b"", "utf-8", "UTF-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig", "byte-order mark"),
        ("cp1252", b"", "cp1252", "Windows-1252"),
        ("utf-16", b"", "utf-16", "UTF-16"),
    ],
)
def test_csv_encodings_are_detected_and_logged(tmp_path, encoding, prefix, expected, words):
    path = tmp_path / "clients.csv"
    path.write_bytes(prefix + csv_text(CLIENTS).encode(encoding))
    table = load_table(path)
    assert table.encoding == expected
    assert words in table.log[0]
    assert list(table.frame.columns) == ["Name", "Amount", "Joined"]  # no BOM glued to the first name
    assert table.frame["Name"].tolist() == ["Zoë Smith", "Ben “Benny” Jones"]
    assert table.frame["Amount"].tolist() == [1200.5, -12.0]
    assert table.frame["Joined"].tolist() == [pd.Timestamp("2024-04-03"), pd.Timestamp("2023-11-15")]


def test_windows_1252_bytes_are_really_invalid_utf8(tmp_path):
    data = csv_text(CLIENTS).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path = tmp_path / "old.csv"
    path.write_bytes(data)
    assert load_table(path).raw.loc[3, "Name"] == "Ben “Benny” Jones"


@pytest.mark.parametrize(
    ("delimiter", "suffix", "name"),
    [(",", ".csv", "commas"), (";", ".csv", "semicolons"), ("\t", ".tsv", "tabs"), ("\t", ".txt", "tabs"),
     ("|", ".csv", "pipes")],
)
def test_csv_separators_are_sniffed(tmp_path, delimiter, suffix, name):
    rows = [["Ref", "Notes", "Amount"], ["00012", "likes tea, not coffee; no sugar", "3,000"], ["00013", "", "4"]]
    path = tmp_path / f"data{suffix}"
    path.write_text(csv_text(rows, delimiter), encoding="utf-8")
    table = load_table(path)
    assert table.delimiter == delimiter
    assert name in table.log[0]
    assert table.frame.loc[2, "Notes"] == "likes tea, not coffee; no sugar"
    assert table.frame["Amount"].tolist() == [3000.0, 4.0]
    assert table.frame["Ref"].tolist() == ["00012", "00013"]


def test_semicolon_file_with_decimal_commas_is_still_semicolons(tmp_path):
    path = tmp_path / "euro.csv"
    path.write_text("Name;Score;Note\nA;1,5;x\nB;2,5;y\nC;3,5;z\n", encoding="utf-8")
    assert load_table(path).delimiter == ";"


def test_csv_row_numbers_are_excel_rows_even_with_line_breaks_in_cells(tmp_path):
    text = 'Name,Note,Visits\nAsha,"line one\nline two",3\n\nBen,plain,4\nCai,,five\n'
    path = tmp_path / "notes.csv"
    path.write_text(text, encoding="utf-8")
    table = load_table(path)
    # Excel shows: 1 header, 2 Asha (one row despite the line break), 3 blank, 4 Ben, 5 Cai.
    assert list(table.frame.index) == [2, 4, 5]
    assert table.frame.index.name == "row"
    assert table.unreadable == {"Visits": [5]}
    assert "row 5" in table.log_text()
    assert any("1 blank row (row 3)" in line for line in table.log)


def test_very_long_cell_is_read(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text('Name,Note\nAsha,"' + "word " * 40_000 + '"\n', encoding="utf-8")
    assert len(load_table(path).frame.loc[2, "Note"]) == 200_000


def test_a_quote_that_runs_to_the_end_of_the_file_is_refused_naming_its_row(tmp_path):
    # Issue 20: an unclosed quote in row 2 gave "1 rows checked ... No row has a problem".
    path = tmp_path / "quote.csv"
    for rows in (1, 30, 3000):
        path.write_text('Name,Visits\n"Asha,1\n' + "Ben,2\n" * rows, encoding="utf-8")
        with pytest.raises(InputProblem, match=r"quote mark .* opens a cell in row 2 and is never closed"):
            load_table(path)
    path.write_text('Name,Visits\nAsha,1\nBen,2\nCal,"3', encoding="utf-8")  # the last row, no line break
    with pytest.raises(InputProblem, match="row 4"):
        load_table(path)


def test_a_quote_closed_on_a_later_line_is_one_cell_not_a_problem(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('Name,Notes\nAsha,"two\nlines"\nBen,"said ""hi"""\n', encoding="utf-8")
    table = load_table(path)
    assert table.frame["Notes"].tolist() == ["two\nlines", 'said "hi"']


def test_a_quote_running_past_a_megabyte_is_refused_at_once_naming_its_row(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text('Name,Visits\nAsha,1\n"Ben,2\n' + "Cal,3\n" * 300_000, encoding="utf-8")
    with pytest.raises(InputProblem, match=r"cell that starts in row 3 runs on for more than 1,048,576"):
        load_table(path)


def test_a_line_of_many_megabytes_is_refused_before_it_is_decoded(tmp_path, monkeypatch):
    import helpers.reading.loader as loader

    path = tmp_path / "long.csv"
    path.write_text("Name,Notes\nAsha," + "x" * 5000 + "\nBen,y\n", encoding="utf-8")
    monkeypatch.setattr(loader, "MAX_CSV_LINE_CHARS", 1000)
    monkeypatch.setattr(loader, "_decode", lambda data: pytest.fail("decoded"))
    with pytest.raises(InputProblem, match="line 2 runs on for more than"):
        load_table(path)


def test_csv_with_a_sheet_name_logs_that_it_was_ignored(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("A,B\n1,2\n", encoding="utf-8")
    table = load_table(path, sheet="Clients")
    assert table.sheet is None
    assert any("no sheets" in line and "Clients" in line for line in table.log)


def test_single_column_csv(tmp_path):
    path = tmp_path / "emails.csv"
    path.write_text("Email\na@example.com\nb@example.com\n", encoding="utf-8")
    table = load_table(path)
    assert table.frame["Email"].tolist() == ["a@example.com", "b@example.com"]


def test_ragged_rows_get_named_columns(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("Name,Visits\nAsha,3\nBen,4,extra\n", encoding="utf-8")
    table = load_table(path)
    assert list(table.frame.columns) == ["Name", "Visits", "Column 3"]
    assert table.frame.loc[3, "Column 3"] == "extra"
    assert any("Column 3" in line for line in table.log)


# ----- Excel ------------------------------------------------------------------------------------


def messy_rows() -> list[list]:
    """A sheet as charities make them: titles, a blank row and column, a totals row."""
    rows = [
        ["Pantry register"],  # row 1
        ["Exported 03/10/2025"],  # row 2
        [],  # row 3
        [" Name ", "Date of birth", None, "Visits", "Donation", "Phone", "Post Code"],  # row 4: header
    ]
    for n in range(12):  # rows 5-16
        rows.append([f"Person {n}", dt.datetime(1980, 1, n + 1), None, n, f"£{n}.50", f"07700 900{n:03d}", "E8 1DY"])
    rows[9][1] = "03/04/1987"  # row 10: a date typed as text
    rows[10][1] = "31/02/1990"  # row 11: impossible
    rows[11][1] = "last year"  # row 12: unreadable
    rows[12][1] = 45000  # row 13: an Excel serial in a date column
    rows[13][3] = "N/A"  # row 14
    rows.insert(10, [])  # a blank row: the people after it move down one (row 11 is blank)
    visits = sum(n for n in range(12) if n != 9)
    rows.append(["Total", None, None, visits, None, None, None])
    return rows


@pytest.fixture
def messy_xlsx(tmp_path) -> pathlib.Path:
    return write_xlsx(tmp_path / "register.xlsx", {"Empty": [], "Clients": messy_rows(), "Lookup": [["Borough"], ["Hackney"]]})


def test_excel_messy_sheet(messy_xlsx):
    table = load_table(messy_xlsx)
    assert isinstance(table, LoadedTable)
    assert table.sheet == "Clients"  # the first sheet with data, the empty one skipped
    assert table.header_row == 4
    assert list(table.frame.columns) == ["Name", "Date of birth", "Visits", "Donation", "Phone", "Post Code"]
    assert table.column_types == {"Name": "text", "Date of birth": "date", "Visits": "number",
                                  "Donation": "number", "Phone": "text", "Post Code": "text"}
    # 12 people on rows 5-10 and 12-17; row 11 is blank; row 18 is the totals row.
    assert list(table.frame.index) == [*range(5, 11), *range(12, 18)]
    assert table.totals_rows == [18]
    assert table.encoding is None and table.delimiter is None
    log = table.log_text()
    assert "Read sheet 'Clients' of register.xlsx" in log
    assert "Skipped 2 title rows" in log and "row 4" in log
    assert "1 blank row (row 11)" in log and "1 blank column (column C)" in log
    assert "1 totals row (row 18) not counted" in log
    assert "2 dates in 'Date of birth' could not be read: rows 12 and 13" in log


def test_excel_row_numbers_match_the_cells(messy_xlsx):
    table = load_table(messy_xlsx)
    sheet = openpyxl.load_workbook(messy_xlsx)["Clients"]
    for row_number in table.frame.index:
        assert table.frame.loc[row_number, "Name"] == sheet.cell(row=row_number, column=1).value
    assert table.source_columns["Visits"] == "D"


def test_excel_dates_serials_and_unreadable_rows(messy_xlsx):
    table = load_table(messy_xlsx)
    dates = table.frame["Date of birth"]
    assert dates.dtype == "datetime64[ns]"
    assert dates[5] == pd.Timestamp("1980-01-01")
    assert dates[10] == pd.Timestamp("1987-04-03")  # text, read day-first
    assert dates[14] == pd.Timestamp("2023-03-15")  # serial 45000
    assert table.unreadable["Date of birth"] == [12, 13]
    assert table.raw.loc[12, "Date of birth"] == "31/02/1990"
    assert table.raw.loc[5, "Date of birth"] == "01/01/1980"


def test_excel_numbers_missing_tokens_and_identifiers(messy_xlsx):
    table = load_table(messy_xlsx)
    assert np.isnan(table.frame.loc[15, "Visits"]) and "Visits" not in table.unreadable
    assert table.frame.loc[6, "Donation"] == 1.5
    assert table.frame.loc[6, "Phone"] == "07700 900001"
    assert table.raw.loc[15, "Visits"] == "N/A"
    assert table.frame["Visits"].sum() == sum(n for n in range(12) if n != 9)  # totals row not counted


def test_raw_is_text_on_the_same_shape(messy_xlsx):
    table = load_table(messy_xlsx)
    assert table.raw.index.equals(table.frame.index) and list(table.raw.columns) == list(table.frame.columns)
    assert all(pd.api.types.is_string_dtype(table.raw[c]) for c in table.raw.columns)
    assert table.raw.loc[5, "Visits"] == "0"


def test_choose_sheet_by_name(messy_xlsx):
    assert load_table(messy_xlsx, sheet="Lookup").frame["Borough"].tolist() == ["Hackney"]
    table = load_table(messy_xlsx, sheet=" lookup ")
    assert table.sheet == "Lookup" and any("no sheet 'lookup' exactly" in line for line in table.log)
    assert load_table(messy_xlsx, sheet="").sheet == "Clients"


def test_unknown_sheet_lists_the_real_ones(messy_xlsx):
    with pytest.raises(InputProblem) as problem:
        load_table(messy_xlsx, sheet="Clinets")
    message = str(problem.value)
    assert "'Clinets'" in message and "'Empty', 'Clients', 'Lookup'" in message and "Did you mean 'Clients'" in message


def test_empty_sheet_chosen_by_name(messy_xlsx):
    with pytest.raises(InputProblem, match="Sheet 'Empty' of 'register.xlsx' is empty"):
        load_table(messy_xlsx, sheet="Empty")


@pytest.mark.parametrize("label", ["Total", "Totals", "Grand total", "TOTAL:", "  total "])
def test_totals_row_by_label(tmp_path, label):
    rows = [["Name", "Visits"], ["A", 1], ["B", 2], ["C", 3], [label, 99]]
    table = load_table(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert table.totals_rows == [5]
    assert table.frame["Name"].tolist() == ["A", "B", "C"]


def test_totals_row_under_a_short_table(tmp_path):
    table = load_table(write_xlsx(tmp_path / "t.xlsx", {"S": [["Name", "Visits"], ["A", 1], ["B", 2], ["Total", 3]]}))
    assert table.totals_rows == [4] and len(table.frame) == 2


def test_first_visible_sheet_is_preferred(tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", {"Codes": [["Code"], ["A1"]], "Clients": [["Name"], ["Asha"]]})
    workbook = openpyxl.load_workbook(path)
    workbook["Codes"].sheet_state = "hidden"
    workbook.active = 1
    workbook.save(path)
    assert load_table(path).sheet == "Clients"
    assert load_table(path, sheet="Codes").frame["Code"].tolist() == ["A1"]


def test_totals_row_by_sums_without_a_label(tmp_path):
    rows = [["Name", "Visits", "Amount"], ["A", 1, "£1.50"], ["B", 2, 2], ["C", 3, "3"], [None, 6, "£6.50"]]
    table = load_table(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert table.totals_rows == [5]
    assert len(table.frame) == 3


def test_last_row_that_is_not_a_sum_is_data(tmp_path):
    rows = [["Name", "Visits"], ["A", 1], ["B", 2], ["C", 3], [None, 7]]
    table = load_table(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert table.totals_rows == [] and len(table.frame) == 4


def test_header_names_are_cleaned_deduplicated_and_filled(tmp_path):
    rows = [["  Name ", "Name", "Date of\nbirth", None, "name"], ["A", "B", "01/02/2000", "x", "C"]]
    table = load_table(write_xlsx(tmp_path / "h.xlsx", {"S": rows}))
    assert list(table.frame.columns) == ["Name", "Name (2)", "Date of birth", "Column 4", "name (3)"]
    log = table.log_text()
    assert "'Name (2)'" in log and "'name (3)'" in log and "D ('Column 4')" in log


def test_header_with_a_column_but_no_data_is_kept_as_empty(tmp_path):
    rows = [["Name", "Spare", "Visits"], ["A", None, 1], ["B", "N/A", 2]]
    table = load_table(write_xlsx(tmp_path / "e.xlsx", {"S": rows}))
    assert table.column_types["Spare"] == "empty"


def test_1904_date_system_serials(tmp_path):
    rows = [["Name", "Date registered"], ["A", 43538], ["B", 43539]]
    table = load_table(write_xlsx(tmp_path / "mac.xlsx", {"S": rows}, epoch_1904=True))
    assert table.frame["Date registered"].tolist() == [pd.Timestamp("2023-03-15"), pd.Timestamp("2023-03-16")]


def test_month_first_column_is_read_that_way_loudly(tmp_path):
    path = tmp_path / "us.csv"
    path.write_text("Name,Visit date\nA,12/25/2024\nB,03/31/2024\nC,01/02/2024\n", encoding="utf-8")
    table = load_table(path)
    assert table.frame["Visit date"].tolist() == [pd.Timestamp(d) for d in ("2024-12-25", "2024-03-31", "2024-01-02")]
    assert table.month_first_columns == ["Visit date"]
    assert any(line.startswith("WARNING") and "month-first" in line for line in table.log)


def test_day_first_dates_are_not_logged_as_month_first(tmp_path):
    path = tmp_path / "uk.csv"
    path.write_text("Name,Visit date\nA,25/12/2024\nB,01/02/2024\n", encoding="utf-8")
    table = load_table(path)
    assert table.frame.loc[3, "Visit date"] == pd.Timestamp("2024-02-01")
    assert table.month_first_columns == [] and "month-first" not in table.log_text()


def test_long_lists_of_unreadable_rows_are_shortened(tmp_path):
    rows = [["Name", "Visits"]] + [[f"P{n}", n] for n in range(30)] + [[f"Q{n}", "lots"] for n in range(8)]
    table = load_table(write_xlsx(tmp_path / "many.xlsx", {"S": rows}))
    assert table.unreadable["Visits"] == list(range(32, 40))
    assert "8 numbers in 'Visits' could not be read: rows 32, 33, 34, 35, 36 and 3 more" in table.log_text()


def test_xlsm_is_read_like_xlsx(tmp_path, messy_xlsx):
    path = tmp_path / "macro.xlsm"
    path.write_bytes(messy_xlsx.read_bytes())
    assert load_table(path).header_row == 4


def test_csv_text_saved_with_an_excel_name_is_read_as_csv(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("Name;Visits\nA;1\nB;2\n", encoding="utf-8")
    table = load_table(path)
    assert table.frame["Visits"].tolist() == [1.0, 2.0]
    assert "really CSV text" in table.log[0]


# ----- problems with the file -------------------------------------------------------------------


def problem(path, **kwargs) -> str:
    with pytest.raises(InputProblem) as caught:
        load_table(path, **kwargs)
    message = str(caught.value)
    assert str(path.parent) not in message  # the file by name only, never its folder
    return message


def test_missing_file(tmp_path):
    assert "'nothere.csv' was not found" in problem(tmp_path / "nothere.csv")


def test_folder_instead_of_file(tmp_path):
    (tmp_path / "a folder.csv").mkdir()
    assert "is a folder" in problem(tmp_path / "a folder.csv")


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert "'empty.csv' is empty" in problem(path)


def test_header_but_no_rows(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("Name,Visits\n\n", encoding="utf-8")
    assert "no rows of data" in problem(path)


def test_workbook_with_no_data(tmp_path):
    path = write_xlsx(tmp_path / "blank.xlsx", {"One": [], "Two": [[None, "  "]]})
    assert "no data in any sheet" in problem(path)


def test_old_xls_says_save_as_xlsx_or_csv(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    message = problem(path)
    assert "old-style Excel file (.xls)" in message and "save it as .xlsx or CSV" in message


@pytest.mark.parametrize("name", ["letter.docx", "report.pdf", "data.json", "sheet.ods", "noending"])
def test_unsupported_kinds(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 something")
    message = problem(path)
    assert name in message and (".xlsx" in message or "CSV" in message)


def test_binary_file_named_csv(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(bytes(range(256)) * 4)
    assert "not a CSV table" in problem(path)


def test_word_document_named_csv(tmp_path):
    path = tmp_path / "letter.csv"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", "<w:document/>")
    path.write_bytes(buffer.getvalue())
    assert "zipped package" in problem(path)


def test_broken_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(300))
    assert "'broken.xlsx' is damaged" in problem(path)


def test_password_protected_workbook(tmp_path):
    # Excel saves a workbook with a password as a compound file holding an "EncryptedPackage" stream.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le"))
    assert "is an encrypted workbook" in problem(path) and "save it without a password" in problem(path)


def test_old_xls_renamed_xlsx_is_called_old_style_not_encrypted(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "Workbook".encode("utf-16-le"))
    assert "old-style Excel file (.xls)" in problem(path)


# ----- provenance -------------------------------------------------------------------------------


def test_file_is_never_changed_and_fingerprinted(messy_xlsx, tmp_path):
    before_xlsx = sha256(messy_xlsx)
    csv_path = tmp_path / "c.csv"
    csv_path.write_bytes(csv_text(CLIENTS).encode("cp1252"))
    before_csv = sha256(csv_path)
    xlsx_table, csv_table = load_table(messy_xlsx), load_table(csv_path)
    assert sha256(messy_xlsx) == before_xlsx == xlsx_table.sha256
    assert sha256(csv_path) == before_csv == csv_table.sha256


def test_source_name_is_the_file_name_only(messy_xlsx):
    table = load_table(str(messy_xlsx))
    assert table.source_name == "register.xlsx"
    assert str(messy_xlsx.parent) not in table.log_text()


def test_describe_rows_and_column_letter():
    assert describe_rows([3]) == "row 3"
    assert describe_rows([3, 9]) == "rows 3 and 9"
    assert describe_rows([14, 27, 90]) == "rows 14, 27, 90"
    assert describe_rows(range(1, 16)) == "rows 1, 2, 3, 4, 5 and 10 more"
    assert [column_letter(n) for n in (1, 9, 26, 27, 52, 703)] == ["A", "I", "Z", "AA", "AZ", "AAA"]


def test_5000_row_workbook_loads_quickly(tmp_path):
    from helpers.synthetic.register import write_register_xlsx

    path = write_register_xlsx(tmp_path / "big.xlsx", n_clients=5000)
    started = time.perf_counter()
    table = load_table(path)
    elapsed = time.perf_counter() - started
    assert len(table.frame) > 5000
    # Well under a second on a quiet machine (see the report); generous here for busy test runners.
    assert elapsed < 6, f"took {elapsed:.2f}s"


# ----- the committed sample files ---------------------------------------------------------------


def test_sample_register_xlsx():
    path = DATASETS / "register.xlsx"
    table = load_table(path)
    sheet = openpyxl.load_workbook(path)["Clients"]
    assert table.sheet == "Clients" and table.header_row == 4
    assert table.totals_rows == [sheet.max_row] and sheet.cell(sheet.max_row, 1).value == "Total"
    assert "Column 9" not in table.frame.columns and "1 blank column (column I)" in table.log_text()
    # Independent check of the unreadable dates of birth: text cells strptime cannot read.
    expected = []
    for row in range(5, sheet.max_row):
        value = sheet.cell(row, 4).value
        if isinstance(value, str) and value.strip().lower() not in {"n/a", "unknown", ""}:
            try:
                dt.datetime.strptime(value, "%d/%m/%Y")
            except ValueError:
                expected.append(row)
    assert expected and table.unreadable["Date of birth"] == expected
    for row in expected:
        assert table.raw.loc[row, "Date of birth"] == sheet.cell(row, 4).value
    # every kept row number shows the same Client ID as the sheet
    assert all(table.frame.loc[r, "Client ID"] == sheet.cell(r, 1).value for r in table.frame.index)
    assert table.column_types["Phone"] == "text" and table.column_types["Donation"] == "number"
    assert table.column_types["Date registered"] == "date"


def test_sample_register_csv():
    path = DATASETS / "register-cp1252.csv"
    table = load_table(path)
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    with path.open(encoding="cp1252", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert table.frame["Ref"].tolist() == [r[0] for r in rows[1:]]  # leading zeros kept
    bad_births = [n for n, r in enumerate(rows, start=1) if n > 1 and not _is_uk_date(r[2])]
    assert table.unreadable == {"Date of birth": bad_births}
    balances = {r[6]: v for r, v in zip(rows[1:], table.frame["Balance"])}
    assert balances["£1,200.50"] == 1200.5 and balances["(12.00)"] == -12.0
    assert table.column_types["Last visit"] == "date" and table.column_types["Phone"] == "text"


def _is_uk_date(text: str) -> bool:
    try:
        dt.datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        return False
    return True


# ----- headers a person would read differently (issue 12) -----------------------------------------

PEOPLE = [["Ann", "Lee", "ann@example.org", "07700 900001"], ["Bob", "Ray", "bob@example.org", "07700 900002"],
          ["Cy", "Poe", "cy@example.org", "07700 900003"]]


def test_merged_group_row_above_the_header_is_passed_over(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [["Person", None, "Contact details", None], ["First name", "Last name", "Email", "Phone"], *PEOPLE]:
        sheet.append(row)
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:D1")
    workbook.save(tmp_path / "groups.xlsx")
    table = load_table(tmp_path / "groups.xlsx")
    assert list(table.frame.columns) == ["First name", "Last name", "Email", "Phone"]
    assert table.header_row == 2 and len(table.frame) == 3 and table.frame.index[0] == 3
    assert "Row 1 holds group names over the column names ('Person', 'Contact details')" in table.log_text()
    assert table.header_doubt is None


def test_a_merged_group_over_two_columns_beside_a_single_column_group(tmp_path):
    # One gap for two group names: only the merge in the file says it is a group row.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [["Person", None, "Email"], ["First name", "Last name", "Email address"], *[r[:3] for r in PEOPLE]]:
        sheet.append(row)
    sheet.merge_cells("A1:B1")
    workbook.save(tmp_path / "one-merge.xlsx")
    assert list(load_table(tmp_path / "one-merge.xlsx").frame.columns) == ["First name", "Last name", "Email address"]


def test_a_header_with_one_blank_name_over_text_is_still_the_header(tmp_path):
    rows = [["Name", None, "Town"], ["Ann", "Lee", "Leeds"], ["Bob", "Ray", "York"]]
    table = load_table(write_xlsx(tmp_path / "blank.xlsx", {"S": rows}))
    assert table.header_row == 1 and list(table.frame.columns) == ["Name", "Column 2", "Town"]


@pytest.mark.parametrize(
    "header",
    [
        ["Name", "Email", "Phone", 2021, 2022, 2023, 2024],
        ["Name", "Email", "Phone", "2021", "2022", "2023", "2024"],
        ["Name", "Email", "Phone", "Attended", "Attended", "Attended", "Attended"],
    ],
)
def test_years_and_repeated_names_over_yes_no_answers_are_the_header(tmp_path, header):
    answers = [["Ann", "ann@example.org", "07700 900001", "Yes", "No", "Yes", "Yes"],
               ["Bob", "bob@example.org", "07700 900002", "No", "No", "Yes", "No"]]
    table = load_table(write_xlsx(tmp_path / "years.xlsx", {"S": [header, *answers]}))
    assert table.header_row == 1 and len(table.frame) == 2
    assert table.frame["Name"].tolist() == ["Ann", "Bob"]  # the first person is data, not column names
    assert "ann@example.org" not in " ".join(table.frame.columns)


def test_a_row_of_someones_details_is_never_the_header(tmp_path):
    # Only people's details, no names row at all: the loader uses the first row and says it is unsure.
    rows = [["Ann", "ann@example.org", "07700 900001", "Yes"], ["Bob", "bob@example.org", "07700 900002", "No"],
            ["Cy", "cy@example.org", "07700 900003", "Yes"]]
    table = load_table(write_xlsx(tmp_path / "noheader.xlsx", {"S": rows}))
    assert table.header_doubt and "No row looks clearly like column names" in table.header_doubt
    assert "WARNING: No row looks clearly like column names" in table.log_text()


def test_a_wide_row_skipped_above_the_header_leaves_the_header_in_doubt(tmp_path):
    rows = [["Export", "admin@crm.example", "12.5", "7"], ["Name", "Email", "Phone", "Visits"],
            *[[r[0], r[2], r[3], 3] for r in PEOPLE]]
    table = load_table(write_xlsx(tmp_path / "doubt.xlsx", {"S": rows}))
    assert table.header_row == 2
    assert table.header_doubt.startswith("The column names were taken from row 2; row 1 above it")


def test_a_plain_header_is_not_in_doubt(tmp_path):
    rows = [["Report title"], [], ["Name", "Email"], ["Ann", "ann@example.org"], ["Bob", "bob@example.org"]]
    table = load_table(write_xlsx(tmp_path / "plain.xlsx", {"S": rows}))
    assert table.header_row == 3 and table.header_doubt is None


def test_formulas_never_calculated_are_named_not_called_blank(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Amount", "Double"])
    for row in range(2, 6):
        sheet.append([f"P{row}", row, f"=B{row}*2"])  # openpyxl saves formulas without values
    workbook.save(tmp_path / "script.xlsx")
    table = load_table(tmp_path / "script.xlsx")
    assert table.uncalculated == {"Double": [2, 3, 4, 5]}
    assert ("Column 'Double' holds formulas Excel never calculated (4 cells, rows 2, 3, 4, 5): "
            "open and save the file in Excel") in table.log_text()


def test_formulas_with_saved_values_are_read_as_values(tmp_path):
    # A workbook Excel has saved: the formula cell carries its value in <v>.
    path = write_xlsx(tmp_path / "saved.xlsx", {"S": [["Name", "Double"], ["A", 2], ["B", 4]]})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    parts[sheet] = re.sub(rb'(<c r="B2"[^>]*>)', rb"\1<f>1+1</f>", parts[sheet])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    table = load_table(path)
    assert table.uncalculated == {} and table.frame["Double"].tolist() == [2.0, 4.0]


def test_load_log_names_the_date_form_of_each_column(tmp_path):
    path = tmp_path / "febrl.csv"
    path.write_text("given_name,date_of_birth,visit\nAnn,19560409,03/04/2024\nBob,19871231,04/04/2024\n")
    table = load_table(path)
    assert table.column_types["date_of_birth"] == "date"
    assert table.frame["date_of_birth"].tolist() == [pd.Timestamp("1956-04-09"), pd.Timestamp("1987-12-31")]
    assert "date_of_birth: read as YYYYMMDD." in table.log
    assert "visit: read as dd/mm/yyyy." in table.log
    assert table.date_forms == {"date_of_birth": {"YYYYMMDD": 2}, "visit": {"dd/mm/yyyy": 2}}


def test_yyyymmdd_numbers_in_a_workbook_are_dates(tmp_path):
    rows = [["Name", "Date of birth"], ["Ann", 19560409], ["Bob", 19871231]]
    table = load_table(write_xlsx(tmp_path / "dob.xlsx", {"S": rows}))
    assert table.frame["Date of birth"].tolist() == [pd.Timestamp("1956-04-09"), pd.Timestamp("1987-12-31")]
    assert "Date of birth: read as YYYYMMDD." in table.log


# ----- files that are not what they seem (issue 10) -----------------------------------------------


def corner_cell_workbook(path: pathlib.Path, value=None) -> pathlib.Path:
    """A small table plus one bold cell at XFD1048576, the last cell Excel has."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Clients"
    for row in [["Name", "Visits"], ["Ann", 3], ["Bob", 4]]:
        sheet.append(row)
    sheet["XFD1048576"].font = openpyxl.styles.Font(bold=True)
    sheet["XFD1048576"].value = value
    workbook.save(path)
    return path


def test_an_empty_bold_cell_in_the_far_corner_does_not_pad_the_sheet(tmp_path):
    path = corner_cell_workbook(tmp_path / "corner.xlsx")
    assert path.stat().st_size < 10_000
    started = time.perf_counter()
    table = load_table(path)
    assert time.perf_counter() - started < 20  # it once padded 1,048,576 x 16,384 cells (over 6 GB)
    assert table.frame.shape == (2, 2) and table.frame["Visits"].tolist() == [3.0, 4.0]


def test_a_value_in_the_far_corner_is_refused_naming_the_sheet_and_its_size(tmp_path):
    path = corner_cell_workbook(tmp_path / "corner.xlsx", value="stray")
    with pytest.raises(InputProblem) as error:
        load_table(path)
    message = str(error.value)
    assert "Sheet 'Clients' of 'corner.xlsx' has data across at least 1,048,576 rows and 16,384 columns" in message
    assert "more than the kit reads at once" in message


def test_the_cell_cap_is_the_boundary(tmp_path, monkeypatch):
    import helpers.reading.sheets as sheets

    path = write_xlsx(tmp_path / "six.xlsx", {"S": [["A", "B"], [1, 2], [3, 4]]})  # 3 rows x 2 columns
    monkeypatch.setattr(sheets, "MAX_CELLS", 6)
    assert load_table(path).frame.shape == (2, 2)
    monkeypatch.setattr(sheets, "MAX_CELLS", 5)
    with pytest.raises(InputProblem, match="3 rows and 2 columns"):
        load_table(path)


def test_control_characters_are_kept_and_named_not_a_crash(tmp_path):
    lines = ["Name,Notes"] + [f"P{i},note {i}" for i in range(600)] + ["Ann,bad\x00cell", "Bob,tab\x0bhere"]
    path = tmp_path / "notes.csv"
    path.write_text("\n".join(lines) + "\n")  # the NUL comes after the first 8 KB
    assert path.stat().st_size > 8192
    table = load_table(path)
    assert table.frame.loc[[602, 603], "Notes"].tolist() == ["bad\x00cell", "tab\x0bhere"]
    assert ("2 cells hold invisible control characters (such as a vertical tab or a NUL) that Excel cannot "
            "store: 'Notes' (rows 602 and 603)") in table.log_text()


def test_an_html_table_saved_as_xls_is_read_with_pandas_and_said(tmp_path):
    page = ("<html><head><meta charset='utf-8'></head><body><h1>Contacts export</h1><table>"
            "<tr><th>Name</th><th>Phone</th><th>Joined</th></tr>"
            "<tr><td>Zoë</td><td>07700 900001</td><td>03/04/2024</td></tr>"
            "<tr><td>Ben</td><td>07700 900002</td><td>15/11/2023</td></tr></table></body></html>")
    path = tmp_path / "crm.xls"
    path.write_bytes(page.encode("utf-8"))
    table = load_table(path)
    assert table.frame["Name"].tolist() == ["Zoë", "Ben"]
    assert table.frame["Phone"].tolist() == ["07700 900001", "07700 900002"]  # the leading 0 is kept
    assert table.frame["Joined"].tolist() == [pd.Timestamp("2024-04-03"), pd.Timestamp("2023-11-15")]
    assert "is really a web page holding a table" in table.log[0] and "pandas' HTML reader" in table.log[0]


def zip_with(path: pathlib.Path, members: dict[str, bytes]) -> pathlib.Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
         "is an OpenDocument spreadsheet"),
        ({"clients.csv": b"Name\nAnn\n", "donors.csv": b"Name\nBob\n"},
         "is a zip archive holding 2 files (clients.csv, donors.csv), not an Excel workbook. Unzip it"),
        ({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}, "is a word-processor document"),
    ],
)
def test_a_zip_that_is_not_a_workbook_is_named(tmp_path, members, expected):
    path = zip_with(tmp_path / "export.xlsx", members)
    assert expected in problem(path)


def test_max_columns_reads_the_first_ones_and_says_how_many_were_left_out(tmp_path):
    rows = [["Name", "Q1", "Q2", "Q3"], ["Ann", 1, 2, 3], ["Bob", 4, 5, 6]]
    path = write_xlsx(tmp_path / "wide.xlsx", {"S": rows})
    assert load_table(path, max_columns=4).columns_left_out == 0  # exactly at the limit: all read
    table = load_table(path, max_columns=3)
    assert list(table.frame.columns) == ["Name", "Q1", "Q2"] and table.columns_left_out == 1
    assert ("WARNING: the table has 4 columns. The kit reads the first 3 (columns A to C) and leaves out "
            "the other 1.") in table.log_text()


def test_csv_lines_are_cut_as_stringio_cuts_them():
    # The reader takes lines cut from the text instead of a StringIO copy; cells with line
    # breaks, lone carriage returns and other separators must come out as they did.
    import csv
    import io

    from helpers.reading.loader import _Lines as _lines

    for text in ["", "a", "a\r\nb", "a\rb\r", "\n\n\r\r\n", 'x,"multi\r\nline\rcell\nhere",y\r\nz',
                 "a\x0bb\u2028c\x1cd\n\x85e", "a\r\r\n\n"]:
        assert list(_lines(text)) == list(io.StringIO(text, newline=""))
        assert list(csv.reader(_lines(text))) == list(csv.reader(io.StringIO(text, newline="")))


# ----- bounded workbook reading (issue 21) ---------------------------------------------------------

from helpers.reading import xmlparts  # noqa: E402


def _zip_with(parts: dict[str, bytes]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return zipfile.ZipFile(buffer)


_WORKBOOK = (b'<workbook><sheets><sheet name="Clients" sheetId="1" r:id="rId1"/></sheets></workbook>',
             b'<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>')


def _sheet_parts(sheet: bytes, **more) -> dict[str, bytes]:
    return {"xl/workbook.xml": _WORKBOOK[0], "xl/_rels/workbook.xml.rels": _WORKBOOK[1],
            "xl/worksheets/sheet1.xml": sheet, **more}


def test_the_sheet_scan_carries_at_most_one_cell_from_one_read_to_the_next():
    # The old scan kept everything since the last </row> or "/>": quadratic on a long row.
    row = b'<worksheet><sheetData><row r="1">' + b'<c r="A1"><v>1</v></c>' * 1_000_000
    blocks = list(xmlparts.xml_blocks(io.BytesIO(row), (b"<c ", b"<row ")))
    assert sum(map(len, blocks)) == len(row)
    assert max(map(len, blocks)) <= xmlparts.CHUNK_BYTES + 64


def test_the_scan_s_byte_budget_is_counted_as_it_reads():
    xml = b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    assert xmlparts.scan_sheet_xml(io.BytesIO(xml), budget=len(xml)).merged_rows == set()
    with pytest.raises(xmlparts._Refused, match=f"more than 0 MB"):
        xmlparts.scan_sheet_xml(io.BytesIO(xml), budget=len(xml) - 1)


def test_a_part_declared_bigger_than_the_budget_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(xmlparts, "MAX_PART_BYTES", 100)
    archive = _zip_with(_sheet_parts(b"<worksheet><sheetData>" + b" " * 200 + b"</sheetData></worksheet>"))
    with pytest.raises(InputProblem, match="sheet 'Clients' holds 0 MB when unpacked, more than the 0 MB"):
        xmlparts.check_workbook_parts(archive, "big.xlsx")


def test_a_cell_over_1_mb_is_refused_by_its_name_and_one_under_is_read():
    def sheet(size):
        return (b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
                b'<row r="2"><c r="C2" t="inlineStr"><is><t>' + b"n" * size + b"</t></is></c></row></sheetData></worksheet>")
    assert xmlparts.check_workbook_parts(_zip_with(_sheet_parts(sheet(900_000))), "ok.xlsx")
    with pytest.raises(InputProblem, match=r"^Cell C2 of sheet 'Clients' in 'big.xlsx' holds more than 1 MB"):
        xmlparts.check_workbook_parts(_zip_with(_sheet_parts(sheet(1_100_000))), "big.xlsx")


def test_a_shared_string_over_1_mb_is_refused_naming_the_cell_that_shows_it():
    strings = b"<sst><si><t>Name</t></si><si><t>" + b"s" * 1_500_000 + b"</t></si></sst>"
    sheet = (b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             b'<row r="2"><c r="A2" t="n"><v>1</v></c><c r="B2" t="s"><v>1</v></c></row></sheetData></worksheet>')
    with pytest.raises(InputProblem, match=r"^Cell B2 of sheet 'Clients' in 'x.xlsx' holds more than 1 MB"):
        xmlparts.check_workbook_parts(_zip_with(_sheet_parts(sheet, **{"xl/sharedStrings.xml": strings})), "x.xlsx")


def test_shared_strings_are_counted_against_their_cap(monkeypatch):
    monkeypatch.setattr(xmlparts, "MAX_SHARED_STRINGS", 1000)
    sheet = b'<worksheet><sheetData></sheetData></worksheet>'
    for count, refused in ((1000, False), (1001, True)):
        strings = b"<sst>" + b"<si><t>x</t></si>" * (count // 2) + b"<si/>" * (count - count // 2) + b"</sst>"
        archive = _zip_with(_sheet_parts(sheet, **{"xl/sharedStrings.xml": strings}))
        if refused:
            with pytest.raises(InputProblem, match="more than 1,000 different texts"):
                xmlparts.check_workbook_parts(archive, "x.xlsx")
        else:
            xmlparts.check_workbook_parts(archive, "x.xlsx")


def test_comments_are_allowed_small_and_refused_over_1_mb_even_full_of_cells():
    def sheet(comment):
        return (b'<worksheet><!--' + comment + b'--><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                b'</sheetData></worksheet>')
    assert xmlparts.check_workbook_parts(_zip_with(_sheet_parts(sheet(b"saved by a script"))), "ok.xlsx")
    for comment in (b"a" * 1_100_000, b'<c r="A1">' * 200_000):
        with pytest.raises(InputProblem, match="XML comment of more than 1 MB"):
            xmlparts.check_workbook_parts(_zip_with(_sheet_parts(sheet(comment))), "x.xlsx")


def test_a_doctype_is_refused_in_any_part():
    parts = _sheet_parts(b"<worksheet><sheetData/></worksheet>",
                         **{"xl/styles.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><styleSheet/>'})
    with pytest.raises(InputProblem, match="DOCTYPE"):
        xmlparts.check_workbook_parts(_zip_with(parts), "x.xlsx")


def test_a_row_wider_than_excel_allows_is_refused_naming_it(monkeypatch):
    monkeypatch.setattr(xmlparts, "EXCEL_COLUMNS", 50)
    for cells, refused in ((50, False), (51, True)):
        for rows_after in (0, 3):  # the wide row last, or inside one block with rows after it
            sheet = (b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="7">'
                     + b"<c><v>1</v></c>" * cells + b"</row>"
                     + b"".join(b'<row r="%d"><c r="A%d"/></row>' % (n, n) for n in range(8, 8 + rows_after))
                     + b"</sheetData></worksheet>")
            archive = _zip_with(_sheet_parts(sheet))
            if refused:
                with pytest.raises(InputProblem, match=r"a row \(row 7\) of more than 50 cells"):
                    xmlparts.check_workbook_parts(archive, "x.xlsx")
            else:
                xmlparts.check_workbook_parts(archive, "x.xlsx")


def test_pictures_and_other_parts_that_are_not_xml_are_skipped_unread(monkeypatch):
    monkeypatch.setattr(xmlparts, "MAX_PART_BYTES", 1000)
    parts = _sheet_parts(b"<worksheet><sheetData/></worksheet>", **{"xl/media/image1.png": b"\x89PNG" + b"\0" * 5000})
    assert xmlparts.check_workbook_parts(_zip_with(parts), "x.xlsx") == {
        "xl/worksheets/sheet1.xml": xmlparts.SheetXml()}


def test_a_bounded_workbook_still_loads_with_its_merges_and_uncalculated_formulas(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Person", None, "Visits"])
    sheet.append(["First", "Last", "Total"])
    sheet.append(["Ann", "Lee", "=1+1"])
    sheet.merge_cells("A1:B1")
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    table = load_table(path)
    assert table.header_row == 2 and table.uncalculated == {"Total": [3]}


# ----- sentences, not tracebacks (issue 21) --------------------------------------------------------


def test_a_header_with_control_characters_is_read_without_them_and_logged(tmp_path):
    path = tmp_path / "control.csv"
    path.write_text("Name,To\x01wn,\x1b[31mRed\n" + "Ann,Leeds,1\nBen,York,2\n", encoding="utf-8")
    table = load_table(path)
    assert list(table.frame.columns) == ["Name", "Town", "[31mRed"]
    assert any("control characters" in line and "'Town' (column B)" in line for line in table.log)


def test_a_column_named_like_one_the_kit_adds_is_renamed_on_reading(tmp_path):
    path = tmp_path / "cleaned.csv"
    path.write_text("Original row,Name,row\n5,Ann,1\n6,Ben,2\n", encoding="utf-8")
    table = load_table(path)
    assert list(table.frame.columns) == ["Original row (in the file)", "Name", "row (in the file)"]
    assert any("'Original row' is read as 'Original row (in the file)'" in line for line in table.log)
    assert table.frame.reset_index().columns[0] == "row"  # the index no longer clashes
