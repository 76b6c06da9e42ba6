"""Tests for helpers.health_check.profile: the column profile and the spellings of each category."""

import pandas as pd
import pytest
from support.health_tables import TODAY

from helpers.health_check.findings import check_health
from helpers.health_check.profile import profile_columns, spelling_groups

# The hand-built register and its health report, as the fixtures "table" and "report".
pytest_plugins = ["support.health_tables"]


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


def test_canonical_is_the_best_formed_spelling_not_the_most_common():
    groups = spelling_groups(pd.Series([" Camden"] * 5 + ["camden"] * 2 + ["Camden"]))
    assert groups[" Camden"] == "Camden" and groups["camden"] == "Camden"
    # Among equally well-formed spellings the most used wins.
    groups = spelling_groups(pd.Series(["Job Centre"] * 3 + ["Jobcentre"] * 2))
    assert groups["Jobcentre"] == "Job Centre"


def test_find_spelling_variants_lists_rows(report):
    found = report.spellings.set_index("Spelling found")
    assert set(found.index) == {"'hackney '", "'Hackny'"}
    assert found.loc["'Hackny'", "Row numbers"] == [8]
    assert (found["Use this spelling"] == "Hackney").all()


def test_roles_chosen_by_the_volunteer_override_headers():
    frame = pd.DataFrame({"Contact": ["a@b.org", "c@d.org"], "Born": pd.to_datetime(["1900-01-01", "1990-01-01"])})
    profile = profile_columns(frame, roles={"date_of_birth_column": "Born", "email_column": None})
    assert profile.columns["Born"].role == "date_of_birth"
    assert profile.columns["Born"].personal == "date_of_birth"
    report = check_health(frame, today=TODAY, roles={"date_of_birth_column": "Born"})
    assert report.dates["Problem"].tolist() == ["age over 110"]


def test_formulas_never_calculated_are_not_counted_as_blank_and_are_a_fix():
    frame = pd.DataFrame({"Amount": [1.0, 2.0, 3.0], "Double": [None, None, None]}, index=[2, 3, 4])
    report = check_health(frame, uncalculated={"Double": [2, 3]})
    info = report.profile.columns["Double"]
    assert (info.missing, info.uncalculated) == (1, 2)  # row 4 is truly blank
    from helpers.health_check.words import top_fixes
    assert "Open the file in Excel and save it: 'Double' holds 2 formulas Excel never calculated." in \
        top_fixes(report)["Fix"].tolist()


def test_fold_series_folds_exactly_as_fold_text_does():
    from helpers.health_check.profile import fold_series, fold_text

    values = ["  HACKNEY   Wick. ", "G.P.", "Self-referral", "Straße", "O’Neil", "a__b", "İstanbul", "x\u00a0y",
              "", "  ", "ǅ", "ﬁne", 12, 3.5]
    assert fold_series(pd.Series(values, dtype=object)).tolist() == [fold_text(value) for value in values]
