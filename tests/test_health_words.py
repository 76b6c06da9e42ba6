"""Tests for helpers.health_check.words: the report's tables and words: top fixes, problem counts, summary.json figures."""

import json

import pandas as pd

from helpers.health_check.words import (
    for_display,
    problem_counts,
    rows_with_problems,
    show_findings,
    summary_figures,
    top_fixes,
)

# The hand-built register and its health report, as the fixtures "table" and "report".
pytest_plugins = ["support.health_tables"]



def test_top_fixes_are_ranked_and_short(report):
    fixes = top_fixes(report)
    assert 1 <= len(fixes) <= 6
    assert fixes["Rows affected"].is_monotonic_decreasing
    assert fixes.iloc[0]["Fix"].startswith("Use one spelling for each entry in 'Borough'")
    assert fixes.iloc[0]["Rows affected"] == 2


def test_summary_has_counts_and_no_values(report):
    summary = summary_figures(report)
    assert summary["rows"] == 8 and summary["columns"] == 8
    assert summary["missing"]["Visit date"] == 1
    assert summary["invalid_emails"] == summary["invalid_phones"] == summary["invalid_postcodes"] == 1
    assert summary["unreadable_dates"] == 1
    assert summary["future_dates"] == 1
    assert summary["implausible_dates_of_birth"] == 2
    assert summary["duplicate_rows"] == 1
    assert summary["personal_data_columns"] == ["First name", "Email", "Phone", "Post Code", "Date of birth"]
    text = json.dumps(summary)
    for value in ["Ann", "example.org", "07700", "E8 1AA", "1980"]:
        assert value not in text


def test_for_display_shortens_lists(report):
    shown = for_display(pd.DataFrame({"Row numbers": [list(range(2, 30))]}), limit=3)
    assert shown["Row numbers"].item() == "2, 3, 4 and 25 more"


def test_problem_counts_and_rows_with_problems(report):
    counts = problem_counts(report).set_index("Problem")["Rows"]
    assert counts["Category typed another way"] == 2
    assert counts["Email address not valid"] == 1
    assert counts["Row has a copy"] == 2
    assert counts["Date in the future or impossible"] == 2  # row 8 twice, row 4 once: rows 4 and 8
    # spellings 4 and 8, email/phone 4, postcode and unreadable 6, dates 4 and 8, copies 3 and 7
    expected = {3, 4, 6, 7, 8}
    assert rows_with_problems(report) == sorted(expected)
    assert summary_figures(report)["rows_with_problems"] == len(expected)


def test_headline_names_only_numeric_keys(report):
    summary = summary_figures(report)
    for key in summary["headline"]:
        assert isinstance(summary[key], int)


def test_show_findings_shows_only_tables_with_rows(monkeypatch):
    shown = []
    monkeypatch.setattr("helpers.writing.narrative.show_table", lambda frame, caption, max_rows: shown.append((frame, caption)))
    show_findings(pd.DataFrame({"Rows": [2], "Row numbers": [[4, 5]]}), "Some")
    show_findings(pd.DataFrame({"Rows": [], "Row numbers": []}), "None")
    assert [caption for _, caption in shown] == ["Some"]
    assert shown[0][0]["Row numbers"].item() == "4, 5"
