"""Tests for helpers.writing.workbooks, reading each file back with openpyxl."""

import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.health_check.cleaning import clean_table
from helpers.health_check.findings import check_health
from helpers.health_check.profile import profile_columns
from helpers.health_check.workbooks import (
    write_capture_template,
    write_cleaned_workbook,
    write_data_dictionary,
)
from helpers.writing.workbooks import DATE_FORMAT


def sample_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Forename": ["Ann", "Bob", "Cat", "Dan", "Eve", "Fay"],
            "Email": ["ann@example.org", "bob@example.org", "cat@example.org", "dan@example.org", None,
                      "fay@example.org"],
            "Mobile": ["07700 900001", "07700 900002", "07700 900003", "07700 900004", "07700 900005", None],
            "Post Code": ["E8 1AA", "E8 1AB", "N1 1AA", "N1 1AB", "N1 1AD", "E8 1AD"],
            "Borough": ["Hackney", "Hackney", "Islington", "Islington", "Hackney", "hackney"],
            "Date of birth": pd.to_datetime(["1980-01-01", "1990-02-02", "1975-03-03", "2001-04-04",
                                             "1966-05-05", "1999-06-06"]),
            "Visits": [1, 2, 3, 4, 5, 6],
            "Balance": [1.5, -2.25, 0.0, 3.0, 4.5, 5.0],
            "Notes": ["a", "b", "c", "d", "e", "f"],
        },
        index=range(2, 8),
    )


def test_write_cleaned_workbook_has_data_and_every_change(tmp_path):
    table = sample_table()
    cleaned, changes = clean_table(table, None, check_health(table))
    path = write_cleaned_workbook(tmp_path / "cleaned.xlsx", cleaned, changes)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Cleaned data", "Changes made"]
    data = workbook["Cleaned data"]
    assert [cell.value for cell in data[1]][:2] == ["Original row", "Forename"]
    assert [row[0].value for row in data.iter_rows(min_row=2)] == list(table.index)
    assert data["F7"].value == "Hackney"  # row 7's "hackney" given the common spelling
    assert isinstance(data["G2"].value, dt.datetime)
    log = workbook["Changes made"]
    assert [cell.value for cell in log[1]] == ["Row", "Column", "Before", "After", "Reason"]
    assert log.max_row == len(changes) + 1


def test_write_data_dictionary(tmp_path):
    profile = profile_columns(sample_table())
    sheet = load_workbook(write_data_dictionary(tmp_path / "dd.xlsx", profile))["Data dictionary"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    header = [cell.value for cell in sheet[1]]
    assert header == ["Column", "Type", "Allowed values", "Range found", "% missing", "Example",
                      "Personal data", "Description"]
    assert rows["Borough"][1:3] == ("category", "Hackney, Islington")
    assert rows["Email"][4] == pytest.approx(16.7)
    assert rows["Email"][5] == "***@example.org"
    assert rows["Forename"][5] == "A***" and rows["Forename"][6] == "yes"
    assert rows["Visits"][3] == "1 to 6"
    assert rows["Date of birth"][3] == "1966 to 2001"  # years only: a full date of birth is personal
    assert all(row[7] is None for row in rows.values())


def _validations(sheet) -> dict:
    return {str(rule.sqref).split(":")[0][:-1]: rule for rule in sheet.data_validations.dataValidation}


def test_write_capture_template_rules(tmp_path):
    profile = profile_columns(sample_table())
    workbook = load_workbook(write_capture_template(tmp_path / "t.xlsx", profile, rows=100))
    sheet = workbook["Data entry"]
    assert [cell.value for cell in sheet[1]] == list(sample_table().columns)
    assert sheet.max_row == 101
    rules = _validations(sheet)
    assert set(rules) == set("ABCDEFGHI")
    assert str(rules["E"].sqref) == "E2:E101"
    assert rules["E"].type == "list" and rules["E"].formula1 == '"Hackney,Islington"'
    assert rules["F"].type == "date" and rules["F"].formula2 == "TODAY()"
    assert rules["G"].type == "whole" and rules["G"].operator == "greaterThanOrEqual"
    assert rules["H"].type == "decimal" and rules["H"].operator == "between"
    assert rules["B"].type == "custom" and "@" in rules["B"].formula1
    assert rules["D"].type == "textLength"
    assert rules["I"].type is None and rules["I"].prompt
    assert all(rule.showInputMessage and rule.prompt for rule in rules.values())
    assert sheet["F2"].number_format == DATE_FORMAT and sheet["F101"].number_format == DATE_FORMAT
    assert sheet["C2"].number_format == "@"
    assert all(cell.comment is not None for cell in sheet[1])
    assert "Lists" not in workbook.sheetnames


def test_long_category_lists_go_on_a_hidden_sheet(tmp_path):
    wards = [f"Ward number {chr(65 + i)} of the borough" for i in range(20)]
    table = pd.DataFrame({"Ward": wards * 3})
    workbook = load_workbook(write_capture_template(tmp_path / "t.xlsx", profile_columns(table)))
    lists = workbook["Lists"]
    assert lists.sheet_state == "hidden"
    assert [row[0] for row in lists.iter_rows(min_row=2, values_only=True)] == sorted(wards)
    rule = _validations(workbook["Data entry"])["A"]
    assert rule.type == "list" and rule.formula1 == "'Lists'!$A$2:$A$21"
