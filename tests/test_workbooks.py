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
