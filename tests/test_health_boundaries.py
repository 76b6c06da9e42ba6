"""The health check's promises, each pinned on both sides of its boundary.

Each expected value comes from the rule as the report states it (or from the formula of
the library it uses), not from running the code.
"""

import pandas as pd
import pytest
from rapidfuzz import fuzz

from helpers.health_check.findings import (
    check_health,
    find_date_problems,
    find_invalid_formats,
)
from helpers.health_check.profile import (
    CATEGORY_MAX_VALUES,
    FORMAT_SHARE,
    MISSING_FIX_SHARE,
    OLDEST_AGE,
    SPELLING_RARITY,
    SPELLING_SIMILARITY,
    profile_columns,
    spelling_groups,
)
from helpers.health_check.words import top_fixes

TODAY = "2025-06-01"


# --- spelling: similarity of 85 and rarity of a third ------------------------------------


def test_the_thresholds_are_the_ones_the_report_states():
    # The analysts' section says "at least 85% alike" and "at most a third as often".
    assert SPELLING_SIMILARITY == 85 and SPELLING_RARITY == pytest.approx(1 / 3)
    assert OLDEST_AGE == 110


def test_one_letter_typed_wrong_in_seven_is_joined_in_six_is_not():
    # Indel ratio of two equal-length words one letter apart: 100 * (1 - 2 / (2n)).
    assert fuzz.ratio("hackney", "hackmey") == pytest.approx(100 * (1 - 1 / 7))  # 85.7: at least 85
    assert fuzz.ratio("camden", "camdan") == pytest.approx(100 * (1 - 1 / 6))  # 83.3: under 85
    joined = spelling_groups(pd.Series(["Hackney"] * 6 + ["Hackmey"]))
    apart = spelling_groups(pd.Series(["Camden"] * 6 + ["Camdan"]))
    assert joined["Hackmey"] == "Hackney"
    assert apart["Camdan"] == "Camdan"


def test_a_typo_used_a_third_as_often_is_joined_and_more_often_is_not():
    at_a_third = spelling_groups(pd.Series(["Hackney"] * 6 + ["Hackmey"] * 2))  # 2 <= 6 / 3
    over_a_third = spelling_groups(pd.Series(["Hackney"] * 6 + ["Hackmey"] * 3))  # 3 > 6 / 3
    assert at_a_third["Hackmey"] == "Hackney"
    assert over_a_third["Hackmey"] == "Hackmey"


# --- dates: in the future, and ages over 110 -----------------------------------------------


def test_today_is_not_in_the_future_and_tomorrow_is():
    frame = pd.DataFrame({"Visit date": pd.to_datetime(["2025-06-01", "2025-06-02"])})
    found = find_date_problems(frame, profile_columns(frame), today=TODAY)
    assert found[["Problem", "Row numbers"]].values.tolist() == [["date in the future", [1]]]


@pytest.mark.parametrize(("born", "flagged"), [("1915-06-01", False), ("1915-05-31", True), ("1915-06-02", False)])
def test_an_age_of_exactly_110_is_possible_and_a_day_more_is_not(born, flagged):
    frame = pd.DataFrame({"Date of birth": pd.to_datetime([born])})
    found = find_date_problems(frame, profile_columns(frame), today=TODAY)
    assert (f"age over {OLDEST_AGE}" in found["Problem"].tolist()) is flagged


def test_born_today_is_possible_and_tomorrow_is_not():
    frame = pd.DataFrame({"Date of birth": pd.to_datetime(["2025-06-01", "2025-06-02"])})
    found = find_date_problems(frame, profile_columns(frame), today=TODAY)
    assert found[["Problem", "Row numbers"]].values.tolist() == [["born after today", [1]]]


# --- categories: at most 30 distinct values ------------------------------------------------


@pytest.mark.parametrize(("distinct", "category"), [(CATEGORY_MAX_VALUES, True), (CATEGORY_MAX_VALUES + 1, False)])
def test_a_column_of_30_answers_is_a_category_and_31_is_not(distinct, category):
    values = [f"Answer {chr(65 + n // 26)}{chr(65 + n % 26)}" for n in range(distinct)] * 2
    frame = pd.DataFrame({"Service": values})
    assert (profile_columns(frame).columns["Service"].type == "category") is category


# --- formats: checked when half the values look like one -----------------------------------


@pytest.mark.parametrize(("emails", "checked"), [(2, True), (1, False)])
def test_a_column_half_emails_is_checked_as_emails(emails, checked):
    assert FORMAT_SHARE == 0.5
    values = ["a@example.org", "b@example.org"][:emails] + ["hello", "there", "friend"][: 4 - emails]
    frame = pd.DataFrame({"Contact": values})  # a header that says nothing
    found = find_invalid_formats(frame, None, profile_columns(frame))
    assert (len(found) == 1) is checked


# --- the fill-in fix: from 5% blank to under half ------------------------------------------


@pytest.mark.parametrize(("blank", "suggested"), [(4, False), (5, True), (49, True), (50, False)])
def test_fill_in_is_suggested_from_5_percent_blank_to_under_half(blank, suggested):
    assert MISSING_FIX_SHARE == (0.05, 0.5)
    frame = pd.DataFrame({"Town": [None] * blank + ["Leeds", "York"] * ((100 - blank) // 2) + ["Hull"] * (blank % 2)})
    fixes = top_fixes(check_health(frame, today=TODAY), limit=10)["Fix"].tolist()
    assert any(fix.startswith("Fill in 'Town'") for fix in fixes) is suggested
