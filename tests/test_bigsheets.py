"""Tests for helpers.writing.bigsheets: big tables written fast, read back with openpyxl."""

import datetime as dt

import numpy as np
import pandas as pd
from openpyxl import load_workbook

import helpers.writing.bigsheets as bigsheets
from helpers.writing.bigsheets import write_big_frames, xml_text


def test_values_types_and_house_style_survive_the_round_trip(tmp_path):
    table = pd.DataFrame({
        "Name": ["Ann & Co <ltd>", None, "=HYPERLINK(\"x\")", "  spaced  "],
        "Count": [1, 2, 3, 4],
        "Amount": [1.5, np.nan, -2.0, 1e20],
        "When": pd.to_datetime(["2024-01-31", None, "1900-03-01", "2099-12-31"]),
        "Mixed": ["text", 7, pd.Timestamp("2020-05-06"), True],
    })
    sheet = load_workbook(write_big_frames(tmp_path / "t.xlsx", {"Data": table}))["Data"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Name", "Count", "Amount", "When", "Mixed"]
    assert rows[1] == ["Ann & Co <ltd>", 1, 1.5, dt.datetime(2024, 1, 31), "text"]
    assert rows[2][:4] == [None, 2, None, None] and rows[2][4] == 7
    assert rows[3][0] == '=HYPERLINK("x")' and sheet["A4"].data_type == "s"  # text, never a formula
    assert rows[3][3] == dt.datetime(1900, 3, 1) and rows[3][4] == dt.datetime(2020, 5, 6)
    assert rows[4][0] == "  spaced  " and rows[4][2] == 1e20 and rows[4][4] is True
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert sheet["D2"].number_format == "dd/mm/yyyy"


def test_control_characters_are_written_as_excel_writes_them(tmp_path):
    table = pd.DataFrame({"Notes": ["tab\x0bhere", "nul\x00", "literal _x0041_"]})
    sheet = load_workbook(write_big_frames(tmp_path / "c.xlsx", {"S": table}))["S"]
    # Excel turns _x000B_ back into the character (and _x005F_ into "_"); openpyxl shows the escapes.
    assert [sheet.cell(row, 1).value for row in (2, 3, 4)] == ["tab_x000B_here", "nul_x0000_", "literal _x005F_x0041_"]
    assert xml_text("a\x0bb") == "a_x000B_b"


def test_a_table_longer_than_a_sheet_continues_on_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(bigsheets, "SHEET_ROWS", 3)
    monkeypatch.setattr(bigsheets, "_BLOCK_ROWS", 2)
    table = pd.DataFrame({"N": range(7)})
    workbook = load_workbook(write_big_frames(tmp_path / "long.xlsx", {"Changes made": table}))
    assert workbook.sheetnames == ["Changes made", "Changes made (2)", "Changes made (3)"]
    values = [cell.value for name in workbook.sheetnames for (cell,) in workbook[name].iter_rows(min_row=2)]
    assert values == list(range(7))
    assert [workbook[name]["A1"].value for name in workbook.sheetnames] == ["N"] * 3
