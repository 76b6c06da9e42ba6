"""Tests for helpers.writing.workbooks, reading each file back with openpyxl."""

import datetime as dt

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from helpers.writing.workbooks import DATE_FORMAT, write_frames


def test_write_frames_house_style(tmp_path):
    frame = pd.DataFrame({"When": pd.to_datetime(["2025-03-05", None]), "Count": [np.int64(3), 4],
                          "Share": [0.5, np.nan], "Formula-like": ["=SUM(A1:A2)", "ok"],
                          "A rather long column header": ["x", "y"]})
    path = write_frames(tmp_path / "out.xlsx", {"First": frame, "Second": frame.head(1)})
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["First", "Second"]
    sheet = workbook["First"]
    assert [cell.value for cell in sheet[1]] == list(frame.columns)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert isinstance(sheet["A2"].value, dt.datetime) and sheet["A2"].number_format == DATE_FORMAT
    assert sheet["A3"].value is None and sheet["C3"].value is None
    assert sheet["B2"].value == 3
    assert sheet["D2"].value == "=SUM(A1:A2)" and sheet["D2"].data_type == "s"
    assert sheet.column_dimensions["E"].width >= len("A rather long column header")
    assert sheet.column_dimensions["B"].width >= 8


def test_write_frames_writes_a_large_table_quickly(tmp_path):
    frame = pd.DataFrame({"A": np.arange(20_000), "B": ["text"] * 20_000})
    path = write_frames(tmp_path / "big.xlsx", {"Data": frame})
    rows = list(load_workbook(path, read_only=True)["Data"].iter_rows(values_only=True))
    assert len(rows) == 20_001 and rows[-1] == (19_999, "text")


# --- the formula guard and characters .xlsx cannot hold (issue 10) --------------------------

import csv  # noqa: E402

import pytest  # noqa: E402

from helpers.writing.workbooks import csv_safe, looks_like_formula, write_csv  # noqa: E402

HOSTILE = ['=HYPERLINK("http://example.invalid","x")', "=1+1", "+1+1", "@SUM(1,1)", "-2+3", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_formula_start_is_recognised(text):
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["Leeds", " =1", "1=1", "", "'=1", "é=1"])
def test_text_that_only_contains_a_formula_character_later_is_plain(text):
    # Boundary: only the first character decides; a leading space is already text to Excel.
    assert not looks_like_formula(text)
    assert csv_safe(text) == text


def test_numbers_stay_numbers_and_negative_numbers_are_not_text(tmp_path):
    frame = pd.DataFrame({"n": [-2, 3], "x": [-0.5, 1.5]})
    write_frames(tmp_path / "n.xlsx", {"S": frame})
    sheet = load_workbook(tmp_path / "n.xlsx")["S"]
    assert [sheet["A2"].value, sheet["B2"].value] == [-2, -0.5]
    assert sheet["A2"].data_type == "n"
    write_csv(frame, tmp_path / "n.csv")
    assert (tmp_path / "n.csv").read_text().splitlines()[1] == "-2,-0.5"


def test_hostile_headers_and_values_are_text_cells_never_formulas(tmp_path):
    frame = pd.DataFrame({text: [text, 1] for text in HOSTILE})
    write_frames(tmp_path / "h.xlsx", {"=Sheet": frame})
    workbook = load_workbook(tmp_path / "h.xlsx")
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    # XML reads a carriage return back as a line feed; the cell is still text.
    expected = [text.replace("\r", "\n") for text in HOSTILE]
    assert [cell.value for cell in workbook.active[1]] == expected
    assert [cell.value for cell in workbook.active[2]] == expected


def test_hostile_csv_fields_get_an_apostrophe(tmp_path):
    frame = pd.DataFrame({"=id": HOSTILE, "n": range(len(HOSTILE))})
    write_csv(frame, tmp_path / "h.csv")
    with open(tmp_path / "h.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["'=id", "n"]
    assert len(rows) == len(HOSTILE) + 1  # a carriage return in a value does not start a row
    assert [row[0] for row in rows[1:]] == ["'" + text.replace("\r", "\n") for text in HOSTILE]
    assert [row[1] for row in rows[1:]] == [str(n) for n in range(len(HOSTILE))]


def test_control_characters_are_taken_out_with_a_note_not_a_crash(tmp_path):
    notes = []
    frame = pd.DataFrame({"Town\x0b": ["Leeds\x0b", "a\x00b", "tab\tand\nline"]})
    with pytest.warns(UserWarning, match="2 cells"):
        write_frames(tmp_path / "c.xlsx", {"S": frame}, notes=notes)
    sheet = load_workbook(tmp_path / "c.xlsx")["S"]
    assert [sheet[f"A{row}"].value for row in (1, 2, 3, 4)] == ["Town", "Leeds", "ab", "tab\tand\nline"]
    assert len(notes) == 1 and "c.xlsx" in notes[0]


def test_a_clean_table_gives_no_note(tmp_path):
    notes = []
    write_frames(tmp_path / "ok.xlsx", {"S": pd.DataFrame({"a": ["x"]})}, notes=notes)
    assert notes == []


def test_sheet_names_excel_refuses_are_made_safe(tmp_path):
    write_frames(tmp_path / "s.xlsx", {"a/b?c*[d]:e": pd.DataFrame({"a": [1]}), "x" * 40: pd.DataFrame()})
    assert load_workbook(tmp_path / "s.xlsx").sheetnames == ["a-b-c--d--e", "x" * 31]


def test_repeated_column_names_are_written(tmp_path):
    frame = pd.DataFrame([["=1", 2]], columns=["dup", "dup"])
    write_frames(tmp_path / "d.xlsx", {"S": frame})
    sheet = load_workbook(tmp_path / "d.xlsx")["S"]
    assert [sheet["A2"].value, sheet["B2"].value] == ["=1", 2] and sheet["A2"].data_type == "s"
