"""Forecasting: method choice by backtest, MASE, intervals, short history, output files."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.food_bank.forecast import (
    FORECAST_COLUMNS,
    MIN_HISTORY_WEEKS,
    forecast_demand,
    forecast_many,
    forecast_summary,
    peak_weeks,
    plan_backtest,
    run_backtest,
    write_forecast_files,
)
from helpers.food_bank.weekly import weekly_demand
from helpers.synthetic.foodbank import make_weekly_parcels
from helpers.writing.playbook import DATASETS_DIR


@pytest.fixture(scope="module")
def sample():
    # Read without the kit's loader so that this test checks the forecast only.
    frame = pd.read_csv(DATASETS_DIR / "foodbank-visits.csv", dtype="str")
    frame["Visit date"] = pd.to_datetime(frame["Visit date"], format="%d/%m/%Y")
    demand = weekly_demand(frame, "Visit date")
    return demand, forecast_demand(demand, horizon_weeks=12)


def weekly(values, start="2022-01-03", observed=None) -> pd.DataFrame:
    values = np.asarray(values, dtype=float)
    return pd.DataFrame({
        "unique_id": "fb", "ds": pd.date_range(start, periods=len(values), freq="W-MON"), "y": values,
        "observed": True if observed is None else observed,
    })


def test_chosen_model_beats_same_week_last_year_on_the_sample(sample):
    _, result = sample
    assert set(result.backtest["model"]) == {"SeasonalNaive", "AutoETS", "MSTL"}
    assert result.baseline == "SeasonalNaive"
    assert result.score(result.model) <= 0.8 * result.score("SeasonalNaive")
    assert result.model == result.backtest.loc[result.backtest["mase"].idxmin(), "model"]


def test_mase_of_same_week_last_year_is_one_on_a_straight_line():
    # y = t: every seasonal-naive miss is 52, and so is its in-sample scale: MASE exactly 1.
    series = weekly(np.arange(160))
    plan = dataclasses.replace(plan_backtest(160, 12), candidates=("SeasonalNaive",))
    scores = run_backtest(series, plan).set_index("model")
    assert scores.loc["SeasonalNaive", "mase"] == pytest.approx(1.0)
    assert scores.loc["SeasonalNaive", "mae"] == pytest.approx(52.0)
    assert scores.loc["SeasonalNaive", "windows"] == plan.n_windows


def test_weeks_that_were_filled_in_are_not_scored():
    series = weekly(np.arange(160), observed=[True] * 150 + [False] * 10)
    plan = dataclasses.replace(plan_backtest(160, 12), candidates=("SeasonalNaive", "Naive"))
    scores = run_backtest(series, plan).set_index("model")
    full = run_backtest(weekly(np.arange(160)), plan).set_index("model")
    assert (scores["weeks_scored"] < full["weeks_scored"]).all()


def test_forecast_file_has_one_row_per_week_in_order(sample, tmp_path):
    demand, result = sample
    csv_path, xlsx_path = write_forecast_files(result.forecast, tmp_path)
    table = pd.read_csv(csv_path)
    assert table.columns.tolist() == FORECAST_COLUMNS
    assert len(table) == 12
    weeks = pd.to_datetime(table["week_start"], format="%Y-%m-%d")
    assert weeks.iloc[0] == demand.first_forecast_week
    assert (weeks.diff().dropna() == pd.Timedelta(weeks=1)).all()
    ordered = table[["lower_95", "lower_80", "forecast", "upper_80", "upper_95"]].to_numpy()
    assert (np.diff(ordered, axis=1) >= 0).all() and (ordered >= 0).all()
    from_excel = pd.read_excel(xlsx_path)
    assert from_excel.columns.tolist() == FORECAST_COLUMNS
    assert (pd.to_datetime(from_excel["week_start"]) == weeks).all()
    assert from_excel["forecast"].tolist() == table["forecast"].tolist()


def test_sample_forecast_starts_with_the_incomplete_week(sample):
    demand, result = sample
    assert demand.weeks["status"].iloc[-1] == "incomplete"
    assert result.forecast["week_start"].iloc[0] == demand.weeks.index[-1]


def test_counts_cannot_go_below_zero():
    rng = np.random.default_rng(5)
    series = weekly(rng.poisson(0.6, 60))
    result = forecast_many(series, horizon_weeks=8)
    bounds = result.forecasts[["forecast", "lower_80", "lower_95"]]
    assert (bounds.to_numpy() >= 0).all()
    assert (result.forecasts["lower_95"] == 0).any()


def test_missing_weeks_do_not_drag_the_forecast_down():
    # The level is exactly 100 (alternating 110 and 90), so a forecast should sit at 100; filling the
    # gap with zeros makes "last week's number" win and forecasts 90, ten parcels off.
    values = pd.Series(100.0 + 10 * np.where(np.arange(40) % 2 == 0, 1, -1))
    values.iloc[33:38] = np.nan  # five weeks with no data near the end
    frame = pd.DataFrame({"Week": pd.date_range("2024-01-01", periods=40, freq="W-MON"), "Parcels": values})
    result = forecast_demand(weekly_demand(frame, "Week", "Parcels"), horizon_weeks=4)
    assert result.forecast["forecast"].mean() == pytest.approx(100, abs=3)
    zero_filled = forecast_demand(weekly_demand(frame.fillna({"Parcels": 0}), "Week", "Parcels"), 4)
    assert zero_filled.forecast["forecast"].mean() < 95


def test_short_history_uses_simple_methods_and_warns():
    frame = make_weekly_parcels(30, seed=2)
    result = forecast_demand(weekly_demand(frame, "week_start", "parcels"), horizon_weeks=12)
    assert set(result.backtest["model"]) == {"Naive", "AutoETS"}
    assert result.baseline == "Naive"
    assert result.warnings and "cannot know about seasonal peaks" in result.warnings[0]
    assert len(result.forecast) == 12


def test_plan_depends_on_history_length():
    assert plan_backtest(160, 12).candidates == ("SeasonalNaive", "AutoETS", "MSTL")
    middle = plan_backtest(80, 12)
    assert middle.candidates == ("SeasonalNaive", "AutoETS") and "only once" in middle.warnings[0]
    assert plan_backtest(20, 12).horizon == 12 and plan_backtest(15, 12).horizon == 15 - 8
    with pytest.raises(InputProblem, match=f"at least {MIN_HISTORY_WEEKS}"):
        plan_backtest(MIN_HISTORY_WEEKS - 1, 12)
    with pytest.raises(InputProblem, match="horizon_weeks"):
        plan_backtest(100, 0)


def test_ranges_are_resized_to_hold_their_share_on_the_backtest(sample):
    _, result = sample
    chosen = result.backtest.set_index("model").loc[result.model]
    forecast = result.forecast
    assert chosen["widen_80"] > 0 and chosen["widen_95"] > 0
    assert ((forecast["upper_95"] - forecast["lower_95"]) >= (forecast["upper_80"] - forecast["lower_80"])).all()


def test_many_food_banks_at_once():
    frames = [make_weekly_parcels(n, seed=i, base=50 + 30 * i).assign(unique_id=f"bank {i}")
              for i, n in enumerate((170, 170, 90, 40))]
    series = pd.concat(frames).rename(columns={"week_start": "ds", "parcels": "y"})
    result = forecast_many(series, horizon_weeks=6)
    assert sorted(result.chosen.index) == ["bank 0", "bank 1", "bank 2", "bank 3"]
    assert result.forecasts.groupby("unique_id").size().eq(6).all()
    assert "MSTL" in set(result.scores.loc[result.scores["unique_id"] == "bank 0", "model"])
    assert set(result.scores.loc[result.scores["unique_id"] == "bank 3", "model"]) == {"Naive", "AutoETS"}


def test_summary_has_the_issue_keys(sample):
    demand, result = sample
    summary = forecast_summary(demand, result)
    for key in ("history_weeks", "missing_weeks", "horizon_weeks", "model", "backtest"):
        assert key in summary
    assert summary["history_weeks"] == demand.history_weeks
    assert summary["missing_weeks"] == 3  # the fortnight in August 2023 and a week in February 2024
    assert set(summary["backtest"]) == {"SeasonalNaive", "AutoETS", "MSTL"}


def test_report_tables_and_chart(sample):
    import matplotlib.pyplot as plt

    from helpers.food_bank.charts import forecast_chart
    from helpers.food_bank.forecast import backtest_table, forecast_table
    from helpers.food_bank.weekly import week_markers

    demand, result = sample
    markers = week_markers(demand.weeks.index.union(result.forecast["week_start"]), "england")
    table = forecast_table(result, markers)
    assert len(table) == 12 and table["What is on"].str.contains("Easter Monday").sum() == 1
    assert table["Likely range (80%)"].iloc[0] == f"{result.forecast['lower_80'].iloc[0]} to " \
                                                 f"{result.forecast['upper_80'].iloc[0]}"
    backtest = backtest_table(result)
    assert backtest["Method"].iloc[0].endswith("(chosen)") and backtest["Method"].str.endswith("(baseline)").any()
    fig, alt = forecast_chart(demand, result, markers)
    assert f"about {result.forecast['forecast'].mean():.0f} a week" in alt and "Easter Monday" in alt
    plt.close(fig)


def test_partly_recorded_week_is_forecast_but_never_the_busiest():
    # A log that stops on a Wednesday in a week that would be the busiest of all.
    weeks = pd.date_range("2023-01-02", periods=60, freq="W-MON")
    rows = []
    for i, monday in enumerate(weeks):
        per_day = 20 + (15 if i == 59 else 0)
        for offset in (0, 2, 4):
            if i == 59 and offset == 4:
                continue  # Friday of the last week not recorded yet
            rows += [monday + pd.Timedelta(days=offset)] * per_day
    demand = weekly_demand(pd.DataFrame({"Date": rows}), "Date")
    result = forecast_demand(demand, horizon_weeks=6)
    assert result.partial == (weeks[-1], 70.0)
    assert demand.history.index[-1] == weeks[-2]  # left out of fitting
    assert result.forecast["status"].tolist() == ["partly recorded"] + ["forecast"] * 5
    peaks = peak_weeks(result.forecast, n=6)
    assert weeks[-1] not in set(peaks["week_start"]) and len(peaks) == 5
    assert forecast_summary(demand, result)["partial_week"] == {"week_start": "2024-02-19", "parcels_so_far": 70}


def test_future_closed_weeks_are_forecast_as_closed_and_need_no_stock(tmp_path):
    from helpers.food_bank.stock import load_default_parcel_contents, stock_plan
    from helpers.food_bank.words import closures_in_words

    frame = make_weekly_parcels(120, seed=5, start="2022-09-05")
    last = pd.Timestamp(frame["week_start"].iloc[-1])
    shut = last + pd.Timedelta(weeks=3)
    demand = weekly_demand(frame, "week_start", "parcels",
                           closed_dates=f"{shut:%d/%m/%Y} to {shut + pd.Timedelta(days=6):%d/%m/%Y}")
    result = forecast_demand(demand, horizon_weeks=6)
    row = result.forecast.set_index("week_start").loc[shut]
    assert row["status"] == "closed" and row[["forecast", "lower_80", "upper_80", "upper_95"]].eq(0).all()
    assert result.closed["week_start"].tolist() == [shut] and result.closed["if_open"].iloc[0] > 0
    plan = stock_plan(result.forecast, load_default_parcel_contents())
    assert shut not in set(plan.weekly["week_start"]) and plan.weekly["week_start"].nunique() == 5
    words = closures_in_words(result)
    assert f"about {int(result.closed['if_open'].iloc[0]):,} parcels" in words and "either side" in words
    table = pd.read_csv(write_forecast_files(result.forecast, tmp_path)[0])
    assert table.loc[table["week_start"] == f"{shut:%Y-%m-%d}", "status"].item() == "closed"


def test_week_ending_files_keep_the_charity_s_dates(tmp_path):
    frame = make_weekly_parcels(60, seed=6, start="2023-01-07")  # Saturdays
    frame = frame.rename(columns={"week_start": "Week ending"})
    demand = weekly_demand(frame, "Week ending", "parcels")
    result = forecast_demand(demand, horizon_weeks=4)
    table = pd.read_csv(write_forecast_files(result.forecast, tmp_path)[0])
    expected_first = pd.Timestamp(frame["Week ending"].iloc[-1]) + pd.Timedelta(weeks=1)
    assert table["week_ending"].iloc[0] == f"{expected_first:%Y-%m-%d}"
    assert table["week_start"].iloc[0] == f"{expected_first - pd.Timedelta(days=6):%Y-%m-%d}"


def test_sample_forecast_first_and_last_week(sample):
    # The sample log stops on Wednesday 26 March 2025: the forecast starts with that week (Monday 24
    # March, partly recorded) and its twelfth week starts on Monday 9 June 2025.
    _, result = sample
    assert result.forecast["week_start"].iloc[0] == pd.Timestamp("2025-03-24")
    assert result.forecast["week_start"].iloc[-1] == pd.Timestamp("2025-06-09")
    assert result.forecast["week_ending"].iloc[-1] == pd.Timestamp("2025-06-15")
    assert result.forecast["status"].iloc[0] == "partly recorded"


def level_error_misses(windows: int, steps: int, error: float) -> pd.DataFrame:
    """Backtest misses where each window is off by the same amount all through (a shared level error)."""
    rows = [(w, s, error if w % 2 else -error) for w in range(windows) for s in range(1, steps + 1)]
    return pd.DataFrame(rows, columns=["window", "step", "miss"])


def twelve_weeks(half_width: float = 12.8) -> pd.DataFrame:
    return pd.DataFrame({"forecast": [100.0] * 12, "lower_80": [100 - half_width] * 12,
                         "upper_80": [100 + half_width] * 12})


def test_the_total_s_range_comes_from_the_backtest_windows_summed_misses():
    # Issue 22: misses from one origin share a level error, so a 12-week total misses by 12 x it.
    from scipy.stats import t as student

    from helpers.food_bank.forecast import total_range

    span = total_range(twelve_weeks(), level_error_misses(8, 12, 10.0))
    half = student.ppf(0.9, 8) * 120
    assert span == {"central": 1200, "lower_80": round(1200 - half), "upper_80": round(1200 + half)}


def test_the_total_s_range_is_not_the_narrow_decorrelating_formula():
    # The old range took misses rho^lag apart: with weekly 80% half-widths of 12.8 (sd 10) and rho 0.5
    # it gave about 1200 +- 76, holding a shared level error of 10 (a 120 miss) far less than 8 in 10.
    from helpers.food_bank.forecast import total_range

    span = total_range(twelve_weeks(), level_error_misses(8, 12, 10.0))
    assert span["upper_80"] - span["central"] >= 1.28 * 120


def test_without_enough_backtest_windows_the_total_adds_up_the_weekly_ranges():
    from helpers.food_bank.forecast import MIN_TOTAL_WINDOWS, total_range

    few = level_error_misses(MIN_TOTAL_WINDOWS - 1, 12, 10.0)
    assert total_range(twelve_weeks(), few) == {"central": 1200, "lower_80": 1046, "upper_80": 1354}
    assert total_range(twelve_weeks(), None) == total_range(twelve_weeks(), few)


def test_overlapping_windows_count_as_fewer_independent_totals():
    from scipy.stats import t as student

    from helpers.food_bank.forecast import summed_miss_half_width

    misses = level_error_misses(12, 12, 10.0)
    # Windows four weeks apart: 12 windows of 12 weeks cover 56 distinct weeks, worth 56 / 12 totals.
    misses["week_start"] = [pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=4 * w + s)
                            for w, s in zip(misses["window"], misses["step"], strict=True)]
    assert summed_miss_half_width(range(1, 13), misses) == pytest.approx(student.ppf(0.9, 56 / 12) * 120)


def test_the_sample_s_total_range_holds_the_backtest_s_level_errors(sample):
    _, result = sample
    assert result.misses is not None and set(result.misses.columns) >= {"window", "step", "miss"}
    total = result.total
    assert total["lower_80"] < total["central"] < total["upper_80"]
