"""Tests for helpers.health_check.health on small hand-built tables whose problems are known."""

import dataclasses
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.health_check import health
from helpers.errors import InputProblem
from helpers.health_check.health import (
    allows_future_dates,
    changes_by_reason,
    check_health,
    check_loaded_table,
    clean_table,
    find_date_problems,
    find_duplicate_rows,
    find_invalid_formats,
    find_personal_columns,
    find_unreadable_values,
    for_display,
    missing_chart,
    problem_counts,
    problems_chart,
    profile_columns,
    rows_with_problems,
    spelling_groups,
    summary_figures,
    top_fixes,
)

TODAY = "2025-06-01"


@dataclasses.dataclass
class StandIn:
    """The parts of helpers.reading.loader.LoadedTable that the health check reads."""

    frame: pd.DataFrame
    raw: pd.DataFrame
    column_types: dict
    unreadable: dict


def register() -> StandIn:
    """Eight people in spreadsheet rows 2-9, with problems planted on purpose."""
    index = pd.RangeIndex(2, 10)
    raw = pd.DataFrame(
        {
            "First name": ["Ann", "Bob", "Cat", "Dan", "Eve", "Bob", "Fay", "Gus"],
            "Email": ["ann@example.org", "bob@example.org", "cat@example", "DAN@Example.org ",
                      "eve@example.org", "bob@example.org", "fay@example.org", "gus@example.org"],
            "Phone": ["07700 900001", "07700 900002", "07700 90003", "+44 7700 900004",
                      "07700 900005", "07700 900002", "07700 900007", "07700 900008"],
            "Post Code": ["E8 1AA", "e8 1ab", "E8 1AD", "N1 1AA", "SW1A 1A", "e8 1ab", "N1 1AB", "N1 1AE"],
            "Borough": ["Hackney", "Hackney", "hackney ", "Islington", "Hackney", "Hackney", "Hackny", "Islington"],
            "Date of birth": ["01/01/1980", "02/02/1990", "03/03/1905", "04/04/1970", "31/02/1985",
                              "02/02/1990", "05/05/2030", "06/06/2000"],
            "Visit date": ["01/05/2025", "02/05/2025", "03/05/2025", "04/05/2025", "05/05/2025",
                           "02/05/2025", "01/07/2026", "N/A"],
            "Next appointment": ["01/09/2025"] * 8,
        },
        index=index,
    )
    frame = raw.copy()
    frame["Date of birth"] = pd.to_datetime(raw["Date of birth"], format="%d/%m/%Y", errors="coerce")
    frame["Visit date"] = pd.to_datetime(raw["Visit date"], format="%d/%m/%Y", errors="coerce")
    frame["Next appointment"] = pd.to_datetime(raw["Next appointment"], format="%d/%m/%Y")
    types = {column: "text" for column in raw.columns}
    types.update({"Date of birth": "date", "Visit date": "date", "Next appointment": "date"})
    return StandIn(frame, raw, types, {"Date of birth": [6]})


@pytest.fixture
def table():
    return register()


@pytest.fixture
def report(table):
    return check_loaded_table(table, today=TODAY)


# --- profile ---------------------------------------------------------------


def test_profile_types_and_counts(report):
    columns = report.profile.columns
    assert report.profile.rows == 8
    assert columns["Email"].type == "email address"
    assert columns["Phone"].type == "UK phone number"
    assert columns["Post Code"].type == "UK postcode"
    assert columns["Borough"].type == "category"
    assert columns["Borough"].categories == ["Hackney", "Islington"]
    assert columns["Visit date"].type == "date"
    assert columns["Visit date"].missing == 1
    assert columns["Date of birth"].missing == 1  # the unreadable 31/02
    assert columns["First name"].distinct == 7


def test_profile_masks_personal_examples(report):
    examples = {name: info.example for name, info in report.profile.columns.items()}
    assert examples["First name"] == "A***"
    assert examples["Email"] == "***@example.org"
    assert examples["Post Code"] == "E8 ***"
    assert examples["Date of birth"] == "**/**/1980"
    assert examples["Borough"] == "Hackney"
    shown = report.profile.as_frame()
    assert shown.loc[shown["Column"] == "Visit date", "% missing"].item() == pytest.approx(12.5)


def test_profile_spots_contact_columns_by_content_whatever_the_header():
    frame = pd.DataFrame({"Col A": ["a@b.org", "c@d.org", "x"], "Col B": ["07700 900123"] * 3,
                          "Col C": ["E1 6AN", "N1 1AA", None]})
    columns = profile_columns(frame).columns
    assert [columns[name].checked_as for name in frame.columns] == ["email", "phone", "postcode"]
    assert all(columns[name].personal_reason == "content" for name in frame.columns)


def test_profile_treats_long_free_text_as_personal_notes():
    notes = pd.Series([f"Called on day {i} about the rent arrears and the housing letter" for i in range(6)])
    info = profile_columns(pd.DataFrame({"Remarks col": notes})).columns["Remarks col"]
    assert info.personal == "notes"
    assert info.example == "***"


def test_profile_without_loader_uses_dtypes():
    frame = pd.DataFrame({"Count": [1.0, 2.0, None], "Amount": [1.5, 2.0, 3.0], "Blank": [None] * 3})
    columns = profile_columns(frame).columns
    assert columns["Count"].type == "whole number"
    assert columns["Amount"].type == "number"
    assert (columns["Amount"].minimum, columns["Amount"].maximum) == (1.5, 3.0)
    assert columns["Blank"].type == "empty"


# --- spellings -------------------------------------------------------------


def test_spelling_groups_merge_case_space_and_typos():
    values = pd.Series(["Hackney"] * 6 + ["hackney ", "HACKNEY", "Hackny", "Islington", "Islington"])
    groups = spelling_groups(values)
    assert {groups[v] for v in ["Hackney", "hackney ", "HACKNEY", "Hackny"]} == {"Hackney"}
    assert groups["Islington"] == "Islington"


@pytest.mark.parametrize(
    ("common", "rare"),
    [("Female", "Male"), ("Group A", "Group B"), ("Year 10", "Year 11"), ("Mrs", "Mr")],
)
def test_spelling_groups_keep_real_categories_apart(common, rare):
    groups = spelling_groups(pd.Series([common] * 10 + [rare]))
    assert groups[rare] == rare


def test_spelling_groups_leave_two_common_lookalikes_apart():
    groups = spelling_groups(pd.Series(["Lambeth"] * 5 + ["Lambert"] * 5))
    assert groups["Lambert"] == "Lambert"


def test_canonical_is_most_common_cleanly_typed_form():
    groups = spelling_groups(pd.Series([" Camden"] * 5 + ["camden"] * 2 + ["Camden"]))
    assert groups[" Camden"] == "camden"


def test_find_spelling_variants_lists_rows(report):
    found = report.spellings.set_index("Spelling found")
    assert set(found.index) == {"'hackney '", "'Hackny'"}
    assert found.loc["'Hackny'", "Row numbers"] == [8]
    assert (found["Use this spelling"] == "Hackney").all()


# --- formats ---------------------------------------------------------------


def test_find_invalid_formats_counts_and_rows(report):
    formats = report.formats.set_index("Column")
    assert formats.loc["Email", "Row numbers"] == [4]
    assert formats.loc["Phone", "Row numbers"] == [4]
    assert formats.loc["Post Code", "Row numbers"] == [6]
    assert formats.loc["Post Code", "Examples"] == ["AA9A 9A"]
    assert formats.loc["Email", "Examples"] == ["no dot after the @"]
    assert formats["Checked"].tolist() == [8, 8, 8]


def test_phone_column_stored_as_numbers_keeps_leading_zero_in_raw():
    frame = pd.DataFrame({"Mobile": [7700900123.0, 7700900124.0, 12.0]})
    raw = pd.DataFrame({"Mobile": ["07700900123", "07700900124", "12"]})
    formats = find_invalid_formats(frame, raw, profile_columns(frame, raw, {"Mobile": "number"}))
    assert formats["Row numbers"].tolist() == [[2]]


# --- unreadable and dates --------------------------------------------------


def test_unreadable_values_are_listed_masked_for_personal_columns(report):
    found = report.unreadable.set_index("Column")
    assert found.loc["Date of birth", "Row numbers"] == [6]
    assert found.loc["Date of birth", "Should be"] == "a date"
    assert found.loc["Date of birth", "Examples"] == ["99/99/9999"]


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


# --- duplicates ------------------------------------------------------------


def test_duplicates_in_register(report):
    duplicates = report.duplicates
    assert duplicates.exact_copies == 1
    groups = duplicates.groups
    assert groups.loc[groups["Kind"] == "exact copy", "Row numbers"].tolist() == [[3, 7]]


def test_near_duplicates_after_tidying_and_in_one_field_ignoring_ids():
    frame = pd.DataFrame(
        {
            "Name": ["Ann Lee", "ann  lee", "Bob Roy", "Bob Roy", "Cy Dee", "Cy Dee", "Di Fox", "Di Fox"],
            "Email": ["ann@x.org", "ANN@x.org", "bob@x.org", "bob@x.org", "cy@x.org", "cy@x.org",
                      "di@x.org", "di@x.org"],
            "Town": ["Leeds", "Leeds", "York", "York", "Hull", "Bath", "Ely", "Rye"],
            "Phone": ["07700 900001", "07700900001", "07700 900002", "+44 7700 900002", "07700 900003",
                      "07700 900003", "07700 900004", "07700 900005"],
            "Ref": ["1", "2", "3", "4", "5", "6", "7", "8"],
        },
        index=range(2, 10),
    )
    found = find_duplicate_rows(frame, profile_columns(frame))
    by_rows = {tuple(g["Row numbers"]): (g["Kind"], g["Differs in"]) for g in found.groups.to_dict("records")}
    assert by_rows == {
        (2, 3): ("same once tidied", "Ref"),
        (4, 5): ("same once tidied", "Ref"),
        (6, 7): ("differs in one column", "Town, Ref"),
    }
    assert found.exact_copies == 0
    assert found.near_copies == 3


def test_exact_copies_keep_their_id():
    frame = pd.DataFrame({"Client ID": ["A1", "A1", "A2", "A3"], "Name": ["Ann", "Ann", "Ann", "Bob"]})
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.exact_copies == 1 and found.near_copies == 1
    assert found.groups[["Kind", "Row numbers", "Differs in"]].values.tolist() == [
        ["same once tidied", [0, 1, 2], "Client ID"]
    ]


def test_repeats_in_a_visit_log_are_not_near_copies():
    # Two visits on one day by households of the same size from the same partner are two visits.
    frame = pd.DataFrame({
        "Visit date": pd.to_datetime(["2024-01-02"] * 4 + ["2024-01-03"] * 4),
        "Voucher no": [f"V{i}" for i in range(8)],
        "People fed": [2, 2, 3, 3, 2, 2, 1, 1],
        "Referral partner": ["CAB", "CAB", "GP", "GP", "CAB", "CAB", "CAB", "GP"],
        "Notes": [None] * 8,
    })
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.groups.empty and found.near_copies == 0
    assert health.identifier_columns(frame, profile_columns(frame)) == ["Voucher no"]


def test_identifier_columns_by_header_and_values():
    frame = pd.DataFrame({"Batch no": ["A", "A", "B", "B"], "Member number": ["1", "2", "3", "4"],
                          "Ref": ["R1", "R1", "R2", "R3"],
                          "Phone": ["07700 900001", "07700 900002", "07700 900003", "07700 900004"]})
    # "Ref" is an ID by its header alone, repeats and all; "Batch no" repeats, so it is a category.
    assert health.identifier_columns(frame, profile_columns(frame)) == ["Member number", "Ref"]


def test_a_table_of_ids_only_has_exact_copies_only():
    frame = pd.DataFrame({"ID": ["1", "1", "2"]})
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.exact_copies == 1 and found.near_copies == 0


def test_rows_differing_in_two_fields_are_not_near_copies():
    frame = pd.DataFrame({"A": ["x", "x"], "B": ["y", "y"], "C": ["p", "q"], "D": ["r", "s"]})
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.groups.empty and found.near_copies == 0


def test_nearly_empty_rows_are_not_near_copies():
    frame = pd.DataFrame({"A": ["x", "x"], "B": [None, None], "C": [None, None], "D": ["p", "q"]})
    assert find_duplicate_rows(frame, profile_columns(frame)).groups.empty


def test_three_columns_use_tidying_only():
    frame = pd.DataFrame({"A": ["x", "X "], "B": ["y", "y"], "C": ["p", "q"]})
    found = find_duplicate_rows(frame, profile_columns(frame))
    assert found.groups.empty


def test_duplicates_scale_linearly():
    rng = np.random.default_rng(1)
    n = 50_000
    frame = pd.DataFrame({"Id": np.arange(n).astype(str), "A": rng.integers(0, 10**9, n).astype(str),
                          "B": rng.integers(0, 10**9, n).astype(str), "C": rng.integers(0, 10**9, n).astype(str)})
    frame.iloc[-1, 1:] = frame.iloc[0, 1:]
    profile = profile_columns(frame)
    started = time.perf_counter()
    found = find_duplicate_rows(frame, profile)
    assert time.perf_counter() - started < 10
    assert found.groups["Row numbers"].tolist() == [[0, n - 1]]


# --- personal data, fixes, summary -----------------------------------------


def test_personal_columns(report):
    personal = find_personal_columns(report.profile).set_index("Column")
    assert list(personal.index) == ["First name", "Email", "Phone", "Post Code", "Date of birth"]
    assert personal.loc["Phone", "Holds"] == "phone numbers"
    assert "GDPR" in health.GDPR_REMINDER


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


# --- cleaning --------------------------------------------------------------


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


# --- the sample register (datasets/README.md says what was planted) --------

DATASETS = Path(__file__).resolve().parents[1] / "datasets"


@pytest.fixture(scope="module")
def sample_register():
    from helpers.reading.loader import load_table

    table = load_table(DATASETS / "register.xlsx")
    return table, check_loaded_table(table, today="2025-10-03")


def test_sample_register_repeats(sample_register):
    _, report = sample_register
    assert report.duplicates.exact_copies == 5
    assert report.duplicates.near_copies == 9
    groups = report.duplicates.groups
    assert (groups["Rows"] == 2).all() and len(groups) == 14


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
        "First name", "Surname", "Date of birth", "Email", "Phone", "Address", "Post Code", "Notes"}


def test_sample_csv_unreadable_dates_of_birth():
    from helpers.reading.loader import load_table

    table = load_table(DATASETS / "register-cp1252.csv")
    report = check_loaded_table(table, today="2025-10-03")
    unreadable = report.unreadable.set_index("Column")
    assert unreadable.loc["Date of birth", "Row numbers"] == [18, 89]
    cleaned, changes = clean_table(table.frame, table.raw, report)
    assert cleaned.loc[18, "Date of birth"] == "31/02/1990"
    assert (changes["Column"] == "Balance").sum() > 0


# --- roles, overview and charts --------------------------------------------


def test_roles_chosen_by_the_volunteer_override_headers():
    frame = pd.DataFrame({"Contact": ["a@b.org", "c@d.org"], "Born": pd.to_datetime(["1900-01-01", "1990-01-01"])})
    profile = profile_columns(frame, roles={"date_of_birth_column": "Born", "email_column": None})
    assert profile.columns["Born"].role == "date_of_birth"
    assert profile.columns["Born"].personal == "date_of_birth"
    report = check_health(frame, today=TODAY, roles={"date_of_birth_column": "Born"})
    assert report.dates["Problem"].tolist() == ["age over 110"]


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


def test_missing_chart_alt_text_gives_the_numbers(report):
    fig, alt = missing_chart(report.profile)
    assert "'Visit date' is 12% blank" in alt  # 1 of 8
    assert "6 columns have no blanks" in alt
    labels = [label.get_text() for label in fig.axes[0].get_yticklabels()]
    assert set(labels) == {"Visit date", "Date of birth"}


def test_problems_chart_orders_bars_and_describes_them(report):
    fig, alt = problems_chart(problem_counts(report), report.profile.rows)
    values = [patch.get_width() for patch in fig.axes[0].patches]
    assert values == sorted(values, reverse=True)
    assert alt.startswith("Bar chart of rows with each kind of problem, out of 8 rows:")
    assert "Row has a copy 2 (25%)" in alt


def test_parse_check_date():
    assert health.parse_check_date(" 03/10/2025 ") == pd.Timestamp("2025-10-03")
    assert health.parse_check_date("") is None
    with pytest.raises(InputProblem, match="check_date"):
        health.parse_check_date("next Tuesday")


def test_show_findings_shows_only_tables_with_rows(monkeypatch):
    shown = []
    monkeypatch.setattr("helpers.writing.narrative.show_table", lambda frame, caption, max_rows: shown.append((frame, caption)))
    health.show_findings(pd.DataFrame({"Rows": [2], "Row numbers": [[4, 5]]}), "Some")
    health.show_findings(pd.DataFrame({"Rows": [], "Row numbers": []}), "None")
    assert [caption for _, caption in shown] == ["Some"]
    assert shown[0][0]["Row numbers"].item() == "4, 5"
