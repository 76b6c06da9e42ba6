"""Tests for helpers.health_check.cleaning: the cleaned table and its change list."""

import pandas as pd

from helpers.health_check.cleaning import changes_by_reason, clean_table
from helpers.health_check.findings import check_health

# The hand-built register and its health report, as the fixtures "table" and "report".
pytest_plugins = ["support.health_tables"]



def test_clean_table_fixes_safely_and_logs_every_change(table, report):
    cleaned, changes = clean_table(table.frame, table.raw, report)
    assert cleaned.index.equals(table.frame.index)
    assert cleaned.loc[4, "Borough"] == "Hackney" and cleaned.loc[8, "Borough"] == "Hackney"
    assert cleaned.loc[5, "Email"] == "dan@example.org"
    assert cleaned.loc[5, "Phone"] == "07700 900004"
    assert cleaned.loc[3, "Post Code"] == "E8 1AB"
    # Invalid and unreadable values stay as typed for a person to check.
    assert cleaned.loc[4, "Email"] == "cat@example"
    assert cleaned.loc[6, "Post Code"] == "SW1A 1A"
    assert cleaned.loc[6, "Date of birth"] == "31/02/1985"
    assert cleaned.loc[2, "Visit date"] == pd.Timestamp("2025-05-01")
    assert pd.isna(cleaned.loc[9, "Visit date"])

    log = {(r["Row"], r["Column"]): (r["Before"], r["After"], r["Reason"]) for r in changes.to_dict("records")}
    assert log[(4, "Borough")] == ("hackney ", "Hackney", "extra spaces removed; one spelling for each category")
    assert log[(8, "Borough")] == ("Hackny", "Hackney", "one spelling for each category")
    assert log[(5, "Email")] == ("DAN@Example.org ", "dan@example.org",
                                 "extra spaces removed; email address in lower case")
    assert log[(9, "Visit date")] == ("N/A", "", "placeholder for a blank cell removed")
    # Every difference between the file as typed and the cleaned file is in the log.
    for column in table.raw.columns:
        for row in table.raw.index:
            before, after = table.raw.loc[row, column], cleaned.loc[row, column]
            after_text = after.strftime("%d/%m/%Y") if isinstance(after, pd.Timestamp) else after
            after_text = "" if pd.isna(after_text) else after_text
            assert (before != after_text) == ((row, column) in log), (row, column)


def test_clean_table_logs_numbers_read_from_text():
    frame = pd.DataFrame({"Amount": [1200.5, 3.0]})
    raw = pd.DataFrame({"Amount": ["£1,200.50", "3"]})
    report = check_health(frame, raw, {"Amount": "number"})
    cleaned, changes = clean_table(frame, raw, report)
    assert cleaned["Amount"].tolist() == [1200.5, 3.0]
    assert changes[["Row", "Before", "After", "Reason"]].values.tolist() == [
        [0, "£1,200.50", "1200.5", "number stored as a real number"]
    ]


def test_changes_by_reason_counts_each_reason(table, report):
    _, changes = clean_table(table.frame, table.raw, report)
    counts = changes_by_reason(changes).set_index("Change")["Cells"]
    assert counts["email address in lower case"] == 1
    assert counts["extra spaces removed"] == 2  # "hackney " and "DAN@Example.org "
    assert counts.sum() >= len(changes)


def test_control_characters_are_removed_and_shown_visibly_in_the_change_list(tmp_path):
    from helpers.health_check.workbooks import write_cleaned_workbook

    frame = pd.DataFrame({"Notes": ["tab\x0bhere", "bad\x00cell", "fine"]}, index=[2, 3, 4])
    cleaned, changes = clean_table(frame, None, check_health(frame))
    assert cleaned["Notes"].tolist() == ["tab here", "bad cell", "fine"]
    assert changes["Before"].tolist() == ["tab\u240bhere", "bad\u2400cell"]
    assert set(changes["Reason"]) == {"invisible control character removed"}
    path = write_cleaned_workbook(tmp_path / "cleaned.xlsx", cleaned, changes)  # no IllegalCharacterError
    assert path.exists()


def test_changes_by_reason_counts_each_reason_in_a_list_and_keeps_ties_in_first_order():
    log = pd.DataFrame({"Reason": ["b", "a", "c; a", "c", "b"]})
    counts = changes_by_reason(log)
    # a, b and c each touch 2 cells: equal counts keep the order they first appear in.
    assert counts.values.tolist() == [["b", 2], ["a", 2], ["c", 2]]
