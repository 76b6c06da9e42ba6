"""Weekly demand: aggregation, gaps, closures, date styles, bad counts and bank holidays."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.food_bank.weekly import (
    CLOSED,
    COUNTED,
    INCOMPLETE,
    NO_DATA,
    bank_holidays,
    by_year,
    fill_gaps_for_fitting,
    parse_date_ranges,
    region_code,
    week_markers,
    week_of,
    weekly_demand,
)
from helpers.reading.loader import load_table
from helpers.synthetic.foodbank import make_visit_log

# The half-year visit log, as the fixture "visit_log".
pytest_plugins = ["support.food_bank"]


def counted_by_hand(dates: pd.Series) -> dict[dt.date, int]:
    """Parcels per Monday-start week, counted one row at a time (independent of the helper)."""
    counts: dict[dt.date, int] = {}
    for day in dates:
        monday = day.date() - dt.timedelta(days=day.weekday())
        counts[monday] = counts.get(monday, 0) + 1
    return counts


def test_visit_log_is_counted_into_monday_weeks(visit_log):
    demand = weekly_demand(visit_log, "Visit date")
    expected = counted_by_hand(visit_log["Visit date"])
    counted = demand.weeks[demand.weeks["status"] == COUNTED]
    assert {w.date(): int(n) for w, n in counted["parcels"].items()} == expected
    assert (demand.weeks.index.day_of_week == 0).all()
    assert demand.input_kind == "visit log" and demand.freq == "W-MON"


def test_visit_log_and_weekly_counts_give_the_same_series(visit_log):
    from_log = weekly_demand(visit_log, "Visit date")
    weekly = from_log.weeks.loc[from_log.weeks["parcels"].notna(), ["parcels"]].reset_index()
    weekly.columns = ["Week commencing", "Parcels"]
    from_counts = weekly_demand(weekly, "Week commencing", "Parcels")
    assert from_counts.input_kind == "weekly counts"
    pd.testing.assert_frame_equal(from_log.weeks[["parcels", "status", "for_fitting"]],
                                  from_counts.weeks[["parcels", "status", "for_fitting"]])


def test_week_with_no_rows_is_missing_not_zero(visit_log):
    demand = weekly_demand(visit_log, "Visit date")
    gap = pd.Timestamp("2024-02-12")  # the generator's closed week: no rows at all
    assert demand.weeks.loc[gap, "status"] == NO_DATA
    assert np.isnan(demand.weeks.loc[gap, "parcels"])
    assert demand.missing_weeks == [gap]
    before, after = demand.weeks["parcels"].loc[[gap - pd.Timedelta(weeks=1), gap + pd.Timedelta(weeks=1)]]
    # Filled for fitting from its neighbours (under two years: a straight line), never zero.
    assert demand.weeks.loc[gap, "for_fitting"] == pytest.approx((before + after) / 2)
    assert any("missing, not as zero" in line for line in demand.log)


def test_closed_dates_mark_a_week_closed_not_missing(visit_log):
    demand = weekly_demand(visit_log, "Visit date", closed_dates="12/02/2024 to 16/02/2024")
    assert demand.weeks.loc["2024-02-12", "status"] == CLOSED
    assert demand.missing_weeks == [] and demand.closed_weeks == [pd.Timestamp("2024-02-12")]
    assert demand.weeks.loc["2024-02-12", "for_fitting"] > 0


def test_typed_zero_in_counts_is_a_real_zero_and_blank_is_missing():
    weeks = pd.date_range("2024-01-01", periods=5, freq="W-MON")
    frame = pd.DataFrame({"Week": weeks, "Parcels": [10.0, 0.0, np.nan, 12.0, 11.0]})
    demand = weekly_demand(frame, "Week", "Parcels")
    assert demand.weeks["status"].tolist() == [COUNTED, COUNTED, NO_DATA, COUNTED, COUNTED]
    assert demand.weeks["parcels"].iloc[1] == 0


def test_daily_counts_are_summed_and_a_blank_day_does_not_make_a_zero_week():
    days = pd.to_datetime(["2024-03-04", "2024-03-06", "2024-03-11", "2024-03-13", "2024-03-18", "2024-03-20"])
    frame = pd.DataFrame({"Day": days, "Parcels given": [5, 7, np.nan, np.nan, 4, 6]})
    demand = weekly_demand(frame, "Day", "Parcels given")
    assert demand.input_kind == "daily counts"
    assert demand.weeks["parcels"].tolist()[0] == 12 and demand.weeks["parcels"].tolist()[2] == 10
    assert demand.weeks["status"].iloc[1] == NO_DATA


def test_incomplete_last_week_is_left_out_and_the_forecast_starts_there():
    log = make_visit_log(seed=3, start=dt.date(2024, 1, 8), end=dt.date(2024, 3, 20))  # ends on a Wednesday
    demand = weekly_demand(log, "Visit date")
    assert demand.weeks["status"].iloc[-1] == INCOMPLETE
    assert np.isnan(demand.weeks["for_fitting"].iloc[-1])
    assert demand.history.index[-1] == pd.Timestamp("2024-03-11")
    assert demand.first_forecast_week == pd.Timestamp("2024-03-18")


def test_weekly_file_keeps_its_own_week_labels():
    tuesdays = pd.date_range("2024-01-02", periods=6, freq="W-TUE")
    frame = pd.DataFrame({"Week": tuesdays.strftime("%d/%m/%Y"), "Parcels": [5, 6, 7, 8, 9, 10]})
    demand = weekly_demand(frame, "Week", "Parcels")
    assert list(demand.weeks.index) == list(tuesdays) and demand.label == "start"
    assert demand.week_day == "Tuesday" and demand.freq == "W-TUE"
    assert demand.first_forecast_week == pd.Timestamp("2024-02-13")


@pytest.mark.parametrize(("header", "labels", "week_label", "expected"), [
    ("Week ending", "W-SUN", "auto", "end"),      # the header's words decide
    ("W/E", "W-SUN", "auto", "end"),
    ("Date", "W-SAT", "auto", "end"),             # a Saturday label is a week's end
    ("Week commencing", "W-SAT", "auto", "start"),
    ("W/C", "W-MON", "auto", "start"),
    ("Date", "W-SAT", "start", "start"),          # the parameter overrides
    ("Week commencing", "W-MON", "end", "end"),
])
def test_week_endings_are_recognised(header, labels, week_label, expected):
    dates = pd.date_range("2024-11-30", periods=6, freq=labels)
    frame = pd.DataFrame({header: dates.strftime("%d/%m/%Y"), "Parcels": [5, 6, 7, 8, 9, 10]})
    demand = weekly_demand(frame, header, "Parcels", week_label=week_label)
    assert demand.label == expected
    first_day = dates - pd.Timedelta(days=6) if expected == "end" else dates
    assert list(demand.weeks.index) == list(first_day)
    assert list(demand.label_of(demand.weeks.index)) == list(dates)


def test_week_ending_labels_put_christmas_and_closures_in_the_right_week():
    # Weeks ending on Saturdays: "w/e 27/12/2025" is Sunday 21 to Saturday 27 December, which holds Christmas.
    saturdays = pd.date_range("2025-11-01", periods=10, freq="W-SAT")
    frame = pd.DataFrame({"w/e": saturdays.strftime("%d/%m/%Y"), "Parcels": [50.0] * 10})
    frame.loc[7, "Parcels"] = np.nan  # w/e 20 December: shut that week
    demand = weekly_demand(frame, "w/e", "Parcels", closed_dates="14/12/2025 to 20/12/2025")
    assert demand.week_day == "Sunday"
    assert demand.weeks.loc[pd.Timestamp("2025-12-14"), "status"] == CLOSED
    markers = week_markers(demand.weeks.index, "england")
    christmas = markers.index[markers["christmas"]]
    assert list(demand.label_of(christmas)) == [pd.Timestamp("2025-12-27")]
    assert "Christmas Day" in markers.loc[pd.Timestamp("2025-12-21"), "bank_holidays"]


def test_unknown_week_label_is_refused():
    frame = pd.DataFrame({"Week": ["06/01/2025", "13/01/2025", "20/01/2025"], "Parcels": [1, 2, 3]})
    with pytest.raises(InputProblem, match="week_label"):
        weekly_demand(frame, "Week", "Parcels", week_label="middle")


def test_future_closures_are_kept_for_the_forecast(visit_log):
    demand = weekly_demand(visit_log, "Visit date", closed_dates="22/12/2025 to 28/12/2025, 30/12/2025")
    weeks = pd.DatetimeIndex(["2025-12-15", "2025-12-22", "2025-12-29"])
    # Shut all of Christmas week; only one day of the next week, so that week is open.
    assert demand.closed_in(weeks).tolist() == [False, True, False]
    assert "after the data ends" in demand.log[-1]


def test_iso_dates_are_read():
    frame = pd.DataFrame({"Date": ["2024-05-06", "2024-05-08", "2024-05-13", "2024-05-15"]})
    demand = weekly_demand(frame, "Date")
    assert demand.weeks["parcels"].tolist() == [2, 2]
    assert list(demand.weeks.index) == [pd.Timestamp("2024-05-06"), pd.Timestamp("2024-05-13")]


def test_uk_day_first_dates_are_never_swapped():
    frame = pd.DataFrame({"Date": ["03/04/2024", "05/04/2024", "10/04/2024", "12/04/2024"]})
    demand = weekly_demand(frame, "Date")
    # 3 April 2024 is a Wednesday: its week starts on Monday 1 April, not in March.
    assert demand.weeks.index[0] == pd.Timestamp("2024-04-01")
    assert not any("month first" in line for line in demand.log)


def test_us_month_first_dates_are_read_with_a_loud_log_line(tmp_path):
    path = tmp_path / "visits.csv"
    pd.DataFrame({"Date": ["12/23/2024", "12/27/2024", "12/30/2024", "01/03/2025"]}).to_csv(path, index=False)
    table = load_table(path)
    assert any("month-first" in line and line.startswith("WARNING") for line in table.log)
    demand = weekly_demand(table.frame, "Date", unreadable=table.unreadable)
    assert list(demand.weeks.index) == [pd.Timestamp("2024-12-23"), pd.Timestamp("2024-12-30")]
    # Handed the raw text instead, the kit reads it month first and says so itself.
    raw = weekly_demand(pd.DataFrame({"Date": ["12/23/2024", "12/27/2024", "12/30/2024"]}), "Date")
    assert raw.weeks.index[0] == pd.Timestamp("2024-12-23")
    assert any(line.startswith("WARNING") and "month first" in line for line in raw.log)


def test_text_in_the_count_column_names_the_column_and_rows(tmp_path):
    path = tmp_path / "counts.csv"
    pd.DataFrame({"Week": ["01/01/2024", "08/01/2024", "15/01/2024", "22/01/2024", "29/01/2024"],
                  "Parcels": ["10", "twelve", "11", "14", "see notes"]}).to_csv(path, index=False)
    table = load_table(path)
    with pytest.raises(InputProblem) as problem:
        weekly_demand(table.frame, "Week", "Parcels", unreadable=table.unreadable)
    message = str(problem.value)
    assert "'Parcels'" in message and "rows 3 and 6" in message
    # The same check when the column arrives as text, without the loader.
    frame = pd.DataFrame({"Week": ["01/01/2024", "08/01/2024"], "Parcels": ["10", "ten"]}, index=[2, 3])
    with pytest.raises(InputProblem, match=r"'Parcels'.*row 3"):
        weekly_demand(frame, "Week", "Parcels")


def test_negative_count_is_refused():
    frame = pd.DataFrame({"Week": pd.date_range("2024-01-01", periods=3, freq="W-MON"), "Parcels": [3, -2, 4]},
                         index=[2, 3, 4])
    with pytest.raises(InputProblem, match="negative.*row 3"):
        weekly_demand(frame, "Week", "Parcels")


def test_mostly_unreadable_dates_mean_the_wrong_column():
    frame = pd.DataFrame({"Notes": ["fine", "busy", "quiet", "2024-01-01"]}, index=[2, 3, 4, 5])
    with pytest.raises(InputProblem, match="date_column"):
        weekly_demand(frame, "Notes")


def test_a_few_unreadable_dates_are_left_out_and_named():
    dates = [f"{d:%d/%m/%Y}" for d in pd.date_range("2024-01-01", periods=40, freq="D")] + ["31/02/2024"]
    demand = weekly_demand(pd.DataFrame({"Date": dates}, index=range(2, 43)), "Date")
    assert int(demand.weeks["parcels"].sum()) == 40
    assert any("row 42" in line for line in demand.log)


def test_a_weekly_table_s_single_column_of_numbers_is_the_count_and_the_log_says_so():
    # Issue 20: the kit named the column itself ("perhaps 'parcels'") and then refused the file.
    frame = pd.DataFrame({"Week": pd.date_range("2024-01-01", periods=6, freq="W-MON"), "parcels": range(6),
                          "Notes": ["", "wet", "", "", "", ""]})
    demand = weekly_demand(frame, "Week")
    assert demand.input_kind == "weekly counts"
    assert demand.weeks["parcels"].tolist() == [0, 1, 2, 3, 4, 5]
    assert any("'parcels', the only column of numbers" in line and "count_column" in line for line in demand.log)


def test_a_weekly_table_s_count_is_the_column_headed_as_one_among_several():
    frame = pd.DataFrame({"Week": pd.date_range("2024-01-01", periods=6, freq="W-MON"),
                          "Volunteers": [3] * 6, "Vouchers fulfilled": range(10, 16)})
    demand = weekly_demand(frame, "Week")
    assert demand.weeks["parcels"].tolist() == list(range(10, 16))
    assert any("'Vouchers fulfilled', the column of numbers headed as a count" in line for line in demand.log)


def test_a_weekly_table_with_two_unnamed_columns_of_numbers_is_refused_naming_both():
    frame = pd.DataFrame({"Week": pd.date_range("2024-01-01", periods=6, freq="W-MON"), "A": range(6),
                          "B": range(6)})
    with pytest.raises(InputProblem, match="count_column.*'A' and 'B'"):
        weekly_demand(frame, "Week")


def test_a_weekly_table_s_people_column_is_never_taken_for_the_count():
    frame = pd.DataFrame({"Week": pd.date_range("2024-01-01", periods=6, freq="W-MON"), "People fed": [9] * 6,
                          "Total": range(6)})
    assert weekly_demand(frame, "Week", people_column="People fed").weeks["parcels"].tolist() == list(range(6))


def test_unknown_column_is_refused():
    with pytest.raises(InputProblem, match="'Visit'.*date_column"):
        weekly_demand(pd.DataFrame({"Date": ["2024-01-01"]}), "Visit")


def test_gaps_in_long_history_are_filled_with_the_time_of_year():
    weeks = pd.date_range("2021-01-04", periods=156, freq="W-MON")
    position = np.minimum((weeks.day_of_year - 1) // 7, 51)
    values = pd.Series(np.where(position == 50, 200.0, 100.0), index=weeks)
    peak = values.index[(position == 50)][-1]
    values[peak] = np.nan
    filled = fill_gaps_for_fitting(values)
    assert filled[peak] == pytest.approx(200.0)  # a straight line would say 100
    assert filled.drop(peak).equals(values.drop(peak))


def test_region_bank_holidays():
    year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    names = {region: set(bank_holidays(region, *year)["name"]) for region in
             ("england", "wales", "scotland", "northern-ireland")}
    assert "Easter Monday" in names["england"] and "Easter Monday" not in names["scotland"]
    assert "Saint Andrew's Day" in names["scotland"] and "Saint Andrew's Day" not in names["wales"]
    assert "Battle of the Boyne" in names["northern-ireland"]
    assert "Summer Bank Holiday" in names["scotland"] and "Late Summer Bank Holiday" in names["england"]
    assert region_code("Northern_Ireland") == "NIR"
    with pytest.raises(InputProblem, match="region"):
        region_code("france")


def test_week_markers_mark_christmas_bank_holidays_and_school_holidays():
    weeks = pd.date_range("2024-03-25", "2025-01-06", freq="W-MON")
    markers = week_markers(weeks, "england", school_holidays="22/07/2024 to 30/08/2024")
    assert markers.loc["2024-03-25", "bank_holidays"] == "Good Friday"
    assert markers.loc["2024-04-01", "bank_holidays"] == "Easter Monday"
    assert markers.index[markers["christmas"]].tolist() == [pd.Timestamp("2024-12-23")]
    school = markers.index[markers["school_holiday"]]
    assert school[0] == pd.Timestamp("2024-07-22") and school[-1] == pd.Timestamp("2024-08-26")
    scotland = week_markers(weeks, "scotland")
    assert scotland.loc["2024-08-05", "bank_holidays"] == "Summer Bank Holiday"
    assert scotland.loc["2024-08-26", "bank_holidays"] == ""


def test_parse_date_ranges():
    ranges = parse_date_ranges("25/12/2024; 2024-07-22 to 2024-08-30, 01/09/2024-03/09/2024", "closed_dates")
    assert ranges == [
        (pd.Timestamp("2024-12-25"), pd.Timestamp("2024-12-25")),
        (pd.Timestamp("2024-07-22"), pd.Timestamp("2024-08-30")),
        (pd.Timestamp("2024-09-01"), pd.Timestamp("2024-09-03")),
    ]
    assert parse_date_ranges("", "closed_dates") == []
    with pytest.raises(InputProblem, match="closed_dates.*'Christmas'"):
        parse_date_ranges("Christmas", "closed_dates")
    with pytest.raises(InputProblem, match="ends before it starts"):
        parse_date_ranges("30/08/2024 to 22/07/2024", "school_holidays")


def test_week_label_uses_mondays():
    labels = week_of(pd.DatetimeIndex(["2024-01-07", "2024-01-08", "2024-01-14"]))
    assert labels.tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-08"), pd.Timestamp("2024-01-08")]


def test_people_column_gives_household_sizes(visit_log):
    demand = weekly_demand(visit_log, "Visit date", people_column="People fed")
    sizes = visit_log["People fed"].dropna().astype(int).value_counts().sort_index()
    assert demand.household_sizes.to_dict() == sizes.to_dict()
    assert demand.weeks["people"].sum() == visit_log["People fed"].sum()


def test_by_year_puts_each_year_in_a_column(visit_log):
    table = by_year(weekly_demand(visit_log, "Visit date"))
    assert table.columns.tolist() == [2024]
    assert table.loc[2, 2024] == counted_by_hand(visit_log["Visit date"])[dt.date(2024, 1, 8)]


def test_yearly_profile_finds_the_christmas_peak():
    from helpers.food_bank.weekly import yearly_profile
    from helpers.synthetic.foodbank import make_weekly_parcels

    frame = make_weekly_parcels(156, seed=4, start="2021-01-04")
    profile = yearly_profile(weekly_demand(frame, "week_start", "parcels"))
    assert profile.idxmax() in (50, 51)  # the fortnight before Christmas
    assert profile.max() > 1.25
