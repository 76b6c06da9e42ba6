"""Tests for helpers.health_check.findings: the findings: formats, unreadable cells, dates, personal columns, and the sample register."""

from pathlib import Path

import pandas as pd
import pytest
from support.health_tables import TODAY

from helpers.errors import InputProblem
from helpers.health_check.cleaning import clean_table
from helpers.health_check.findings import (
    allows_future_dates,
    check_loaded_table,
    find_date_problems,
    find_invalid_formats,
    find_personal_columns,
    find_unreadable_values,
    parse_check_date,
)
from helpers.health_check.profile import profile_columns
from helpers.health_check.words import GDPR_REMINDER

# The hand-built register and its health report, as the fixtures "table" and "report".
pytest_plugins = ["support.health_tables"]

DATASETS = Path(__file__).resolve().parents[1] / "datasets"


@pytest.fixture(scope="module")
def sample_register():
    from helpers.reading.loader import load_table

    table = load_table(DATASETS / "register.xlsx")
    return table, check_loaded_table(table, today="2025-10-03")


def test_find_invalid_formats_counts_and_rows(report):
    formats = report.formats.set_index("Column")
    assert formats.loc["Email", "Row numbers"] == [4]
    assert formats.loc["Phone", "Row numbers"] == [4]
    assert formats.loc["Post Code", "Row numbers"] == [6]
    # Faults in words (SW1A 1A lacks the last part's second letter), never the value or its pattern.
    assert formats.loc["Post Code", "Examples"] == ["the last part should be a digit and two letters"]
    assert formats.loc["Email", "Examples"] == ["no dot after the @"]
    assert formats.loc["Phone", "Examples"] == ["too few digits (10)"]  # 07700 90003
    assert formats["Checked"].tolist() == [8, 8, 8]


def test_phone_column_stored_as_numbers_keeps_leading_zero_in_raw():
    frame = pd.DataFrame({"Mobile": [7700900123.0, 7700900124.0, 12.0]})
    raw = pd.DataFrame({"Mobile": ["07700900123", "07700900124", "12"]})
    formats = find_invalid_formats(frame, raw, profile_columns(frame, raw, {"Mobile": "number"}))
    assert formats["Row numbers"].tolist() == [[2]]


def test_unreadable_values_in_personal_columns_are_said_in_words(report):
    found = report.unreadable.set_index("Column")
    assert found.loc["Date of birth", "Row numbers"] == [6]
    assert found.loc["Date of birth", "Should be"] == "a date"
    assert found.loc["Date of birth", "Examples"] == ["a day that does not exist"]  # 31/02/1985


@pytest.mark.parametrize(
    ("typed", "kind", "words"),
    [("31/02/1990", "date", "a day that does not exist"), ("01/13/1990", "date", "a month that does not exist"),
     ("last year", "date", "words instead of a date"), ("1987?", "date", "a sign that does not belong in a date"),
     ("two", "number", "words instead of a number"), ("3-4", "number", "not written as one number")],
)
def test_unreadable_faults_in_words(typed, kind, words):
    from helpers.health_check.findings import unreadable_fault

    assert unreadable_fault(typed, kind) == words


def test_unreadable_numbers_show_what_was_typed():
    frame = pd.DataFrame({"Parcels": [3.0, None]})
    raw = pd.DataFrame({"Parcels": ["3", "three"]})
    found = find_unreadable_values(raw, profile_columns(frame, raw, {"Parcels": "number"}), {"Parcels": [1]})
    assert found[["Should be", "Examples"]].values.tolist() == [["a number", ["three"]]]


def test_date_problems(report):
    problems = {(r["Column"], r["Problem"]): r["Row numbers"] for r in report.dates.to_dict("records")}
    assert problems == {
        ("Date of birth", "age over 110"): [4],
        ("Date of birth", "born after today"): [8],
        ("Visit date", "date in the future"): [8],
    }
    assert report.future_allowed == ["Next appointment"]


@pytest.mark.parametrize(
    ("header", "allowed"),
    [("Next appointment", True), ("Due date", True), ("Expiry", True), ("Membership end date", True),
     ("Review by", True), ("Visit date", False), ("Date joined", False), ("Weekend shift", False)],
)

def test_allows_future_dates(header, allowed):
    assert allows_future_dates(header) is allowed


def test_oldest_possible_age_is_not_flagged():
    frame = pd.DataFrame({"DOB": pd.to_datetime(["1915-06-02", "1915-05-31"])})
    found = find_date_problems(frame, profile_columns(frame), today=TODAY)
    assert found["Row numbers"].tolist() == [[1]]


def test_personal_columns(report):
    personal = find_personal_columns(report.profile).set_index("Column")
    assert list(personal.index) == ["First name", "Email", "Phone", "Post Code", "Date of birth"]
    assert personal.loc["Phone", "Holds"] == "phone numbers"
    assert "GDPR" in GDPR_REMINDER


def test_parse_check_date():
    assert parse_check_date(" 03/10/2025 ") == pd.Timestamp("2025-10-03")
    assert parse_check_date("") is None
    with pytest.raises(InputProblem, match="check_date"):
        parse_check_date("next Tuesday")


def test_sample_register_repeats(sample_register):
    _, report = sample_register
    assert report.duplicates.exact_copies == 5
    # The sample's near repeats were each given a new Client ID: as far as the file says they are
    # other people, so the health check does not call them copies (deduplicate-contacts weighs them).
    assert report.duplicates.near_copies == 0
    groups = report.duplicates.groups
    assert (groups["Rows"] == 2).all() and len(groups) == 5


def test_sample_register_categories(sample_register):
    _, report = sample_register
    borough = report.profile.columns["Borough"].spellings
    for spelling in ["Hackney", "hackney ", " Hackney", "Hackny", "HACKNEY", "Hackney."]:
        assert borough[spelling] == "Hackney"
    assert set(report.profile.columns["Borough"].categories) == {"Hackney", "Tower Hamlets", "Islington", "Haringey"}
    gender = report.profile.columns["Gender"].spellings
    assert gender["F"] == gender["female"] == "Female" and gender["M"] == "Male"
    referral = report.profile.columns["Referral route"].spellings
    assert referral["G.P."] == referral["gp"] == "GP"
    assert referral["self referral"] == "Self-referral"


def test_sample_register_dates_and_formats(sample_register):
    table, report = sample_register
    future = report.dates[report.dates["Problem"] == "date in the future"]
    rows = future["Row numbers"].item()
    assert sorted(table.raw.loc[rows, "Date registered"]) == ["01/07/2031", "14/03/2026"]
    unreadable = report.unreadable.set_index("Column")
    typed = set(table.raw.loc[unreadable.loc["Date of birth", "Row numbers"], "Date of birth"])
    assert typed <= {"31/02/1990", "30/02/1985", "32/01/1979", "last year", "1987?"}
    assert {"two", "3 or 4", "lots"} <= set(
        table.raw.loc[unreadable.loc["Household size", "Row numbers"], "Household size"])
    formats = report.formats.set_index("Column")
    bad_postcodes = set(table.raw.loc[formats.loc["Post Code", "Row numbers"], "Post Code"])
    assert {"E8 1XX1", "E8", "SW1A1AA1"} <= bad_postcodes
    bad_phones = set(table.raw.loc[formats.loc["Phone", "Row numbers"], "Phone"])
    assert {"07700 9001", "7700900", "077009001234", "0207 946"} <= bad_phones
    assert set(report.personal["Column"]) == {
        "Client ID", "First name", "Surname", "Date of birth", "Email", "Phone", "Address", "Post Code", "Notes"}


def test_sample_csv_unreadable_dates_of_birth():
    from helpers.reading.loader import load_table

    table = load_table(DATASETS / "register-cp1252.csv")
    report = check_loaded_table(table, today="2025-10-03")
    unreadable = report.unreadable.set_index("Column")
    assert unreadable.loc["Date of birth", "Row numbers"] == [18, 89]
    cleaned, changes = clean_table(table.frame, table.raw, report)
    assert cleaned.loc[18, "Date of birth"] == "31/02/1990"
    assert (changes["Column"] == "Balance").sum() > 0
