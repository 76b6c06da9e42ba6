"""our-year-in-numbers: people not rows, periods as funders count them, small numbers hidden (issue 25)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.errors import InputProblem
from helpers.monitoring import count_activity, main_points, summary_figures
from helpers.monitoring.counts import compare_targets, count_periods
from helpers.monitoring.log import read_activity_log
from helpers.monitoring.periods import PeriodScheme, period_label, period_starts, read_scheme
from helpers.monitoring.suppression import FEWEST, suppress_column
from helpers.monitoring.words import headline, shown_totals

FINANCIAL = PeriodScheme("year", 4, 1)


def _log(frame: pd.DataFrame, scheme: PeriodScheme = FINANCIAL, **columns):
    return read_activity_log(SimpleNamespace(frame=frame), scheme, columns)


def _visits(rows):
    """rows: (id, date) pairs, plus optional extra columns as dicts."""
    return pd.DataFrame([{"Client ID": who, "Date": pd.Timestamp(day), **extra} for who, day, *more in rows
                         for extra in (more[0] if more else {},)])


def test_a_person_who_came_fifty_times_is_one_person_and_fifty_attendances():
    rows = [("A", pd.Timestamp("2025-04-07") + pd.Timedelta(days=7 * i)) for i in range(50)] + [("B", "2025-05-01")]
    counts = count_periods(_log(_visits(rows)))
    assert counts.totals.loc["2025-26", "people"] == 2
    assert counts.totals.loc["2025-26", "attendances"] == 51


@pytest.mark.parametrize("day,label", [
    ("2025-03-31", "2024-25"), ("2025-04-01", "2025-26"), ("2026-03-31", "2025-26"), ("2026-04-01", "2026-27"),
])
def test_financial_year_boundaries(day, label):
    start = period_starts(pd.Series([pd.Timestamp(day)]), FINANCIAL).iloc[0]
    assert period_label(start, FINANCIAL) == label


@pytest.mark.parametrize("day,label", [
    ("2025-06-30", "2025-Q1"), ("2025-07-01", "2025-Q2"), ("2025-12-31", "2025-Q3"), ("2026-01-01", "2025-Q4"),
    ("2026-03-31", "2025-Q4"),
])
def test_the_last_day_of_a_quarter_belongs_to_it(day, label):
    scheme = PeriodScheme("quarter", 4, 1)
    start = period_starts(pd.Series([pd.Timestamp(day)]), scheme).iloc[0]
    assert period_label(start, scheme) == label


def test_a_grant_year_starting_mid_month():
    scheme = read_scheme("year", "15/09/2024")
    starts = period_starts(pd.Series(pd.to_datetime(["2025-09-14", "2025-09-15"])), scheme)
    assert [period_label(s, scheme) for s in starts] == ["2024-25", "2025-26"]


@pytest.mark.parametrize("period,start", [("fortnight", ""), ("year", "someday"), ("year", "31/01/2025")])
def test_period_parameters_that_do_not_fit_are_refused_by_name(period, start):
    with pytest.raises(InputProblem, match="period"):
        read_scheme(period, start)


def test_a_birthday_during_the_year_counts_the_person_once_in_the_band_at_first_contact():
    rows = [("A", "2025-05-01", {"Date of birth": "20/06/2010"}),   # 14 at first contact, 15 later
            ("A", "2025-07-01", {"Date of birth": "20/06/2010"})]
    rows += [(f"P{i}", "2025-05-01", {"Date of birth": "01/01/1980"}) for i in range(10)]
    counts = count_periods(_log(_visits(rows)))
    ages = counts.demographics["age_band"]["2025-26"]
    assert ages["0-15"] == 1 and ages.sum() == 11


def test_a_group_of_4_is_hidden_and_so_is_the_complement_that_would_reveal_it():
    shown = suppress_column(pd.Series({"Female": 40, "Male": 30, "Non-binary": 4}))
    assert shown.isna().tolist() == [False, True, True]
    # A group of 5 is shown, and needs no complement.
    assert suppress_column(pd.Series({"Female": 40, "Male": 30, "Non-binary": 5})).notna().all()


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=8))
@settings(max_examples=200, deadline=None)
def test_no_count_of_1_to_4_is_shown_and_no_lone_hidden_cell_can_be_worked_out(values):
    shown = suppress_column(pd.Series(values, index=[f"c{i}" for i in range(len(values))]))
    assert not shown.dropna().between(1, FEWEST - 1).any()
    hidden = shown.isna()
    assert hidden.sum() != 1 or len(values) - 1 == int((pd.Series(values) == 0).sum())


def test_targets_are_met_at_equality_and_not_a_person_below():
    rows = [(f"P{i}", "2025-04-03") for i in range(400)] + [("Z", "2026-03-25")]
    log = _log(_visits(rows))
    counts = count_periods(log)
    targets = pd.DataFrame({"measure": ["people", "people"], "period": ["2025-26", "2025-26"], "target": [401, 402]})
    results = compare_targets(targets, counts, log)
    assert [r.status for r in results] == ["met", "not_met"]


def test_a_part_year_is_so_far_not_failed():
    rows = [(f"P{i}", "2025-05-01") for i in range(20)] + [("Q", "2025-09-01")]
    log = _log(_visits(rows))
    results = compare_targets(pd.DataFrame({"measure": ["people"], "period": ["2025-26"], "target": [100]}),
                              count_periods(log), log)
    assert not log.whole["2025-26"] and results[0].status == "in_progress"


def test_a_log_with_no_demographics_still_counts_people():
    rows = [(f"P{i % 30}", pd.Timestamp("2025-04-02") + pd.Timedelta(days=i * 3)) for i in range(120)]
    log = _log(_visits(rows))
    counts = count_periods(log)
    assert counts.demographics == {} and counts.totals["people"].sum() > 0
    assert "demographics" in summary_figures(counts, log, [])


def test_a_contact_list_is_recognised_and_said():
    rows = [(f"P{i}", pd.Timestamp("2025-04-02") + pd.Timedelta(days=i)) for i in range(60)]
    log = _log(_visits(rows))
    figures, sentences, claims = main_points(count_periods(log), log, [])
    assert log.one_row_each
    assert any(c.decision == "contact_list" for c in claims)
    assert any("list of people rather than a log of activity" in s for s in sentences)


def test_an_activity_log_is_not_called_a_contact_list():
    rows = [(f"P{i % 20}", pd.Timestamp("2025-04-02") + pd.Timedelta(days=i)) for i in range(60)]
    log = _log(_visits(rows))
    assert not log.one_row_each
    assert not any(c.decision == "contact_list" for c in main_points(count_periods(log), log, [])[2])


def test_a_period_of_fewer_than_5_people_hides_its_people_and_their_split():
    rows = [(f"P{i}", "2024-05-01") for i in range(30)] + [("P1", "2025-05-01"), ("X", "2025-06-01")]
    log = _log(_visits(rows + [("P2", "2026-03-30")]))
    totals = shown_totals(count_periods(log))
    assert pd.isna(totals.loc["2025-26", "people"]) and pd.isna(totals.loc["2025-26", "new_people"])


def test_more_and_fewer_are_counts_of_whole_periods_only():
    rows = [(f"P{i}", "2024-04-05") for i in range(30)] + [(f"P{i}", "2025-04-05") for i in range(25)]
    rows += [("P0", "2026-03-28"), ("P1", "2025-03-28")]
    log = _log(_visits(rows))
    h = headline(count_periods(log), log)
    assert (h.period, h.previous, h.change) == ("2025-26", "2024-25", "fewer")
    # The same log stopped half-way through the year: nothing is compared with a part year.
    short = _log(_visits([r for r in rows if pd.Timestamp(r[1]) < pd.Timestamp("2025-10-01")]))
    h = headline(count_periods(short), short)
    assert h.period == "2024-25" and h.latest_part == "2025-26"


def test_people_are_counted_by_name_when_there_is_no_id_and_the_report_says_so():
    frame = pd.DataFrame({"Name": ["Ann Lee", "ann lee ", "Bob Hart"], "Visit date": ["01/05/2025"] * 3})
    log = read_activity_log(SimpleNamespace(frame=frame), FINANCIAL, {})
    assert log.person_by == "name" and count_periods(log).totals.loc["2025-26", "people"] == 2
    assert any("counted by name" in note for note in log.notes)


def test_a_log_without_a_person_column_is_refused_with_what_to_do():
    frame = pd.DataFrame({"Visit date": ["01/05/2025"] * 3, "Service": ["Lunch"] * 3})
    with pytest.raises(InputProblem, match="id_column"):
        read_activity_log(SimpleNamespace(frame=frame), FINANCIAL, {})


def test_the_sample_reaches_its_planted_shape():
    from helpers.reading.loader import load_table
    from helpers.writing.playbook import DATASETS_DIR

    table = load_table(DATASETS_DIR / "community-centre.xlsx")
    year = count_activity(table, targets_table=load_table(DATASETS_DIR / "community-centre.xlsx", "Grant targets"))
    assert 18_000 < len(table.frame) < 24_000 and 1_300 < year.counts.first_contact.shape[0] <= 1_500
    assert year.log.periods == ["2023-24", "2024-25", "2025-26", "2026-27"]
    assert [year.log.whole[p] for p in year.log.periods] == [True, True, True, False]
    assert {r.status for r in year.targets} >= {"met", "not_met", "in_progress"}
