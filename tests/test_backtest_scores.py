"""MASE from the backtest, worked by hand on a short uneven series with two windows.

The series is 10, 14, 11, 19, 12, 20, 15, 30 (eight Mondays). Two one-week-ahead windows
with the naive method (next week = this week): cut at week 6 (20), it forecasts 20 for
15 (miss 5); cut at week 7 (15), it forecasts 15 for 30 (miss 15).

The scale is the average week-to-week change (lag 1) or change over two weeks (lag 2)
**up to each cut only**, so the future never informs the score of the past:

- lag 1: changes 4, 3, 8, 7, 8 up to week 6 (mean 6), then 5 more (mean 35/6);
  MASE = (5/6 + 15/(35/6)) / 2 = 143/84. Using the whole series (mean 50/7) gives 1.4.
- lag 2: changes 1, 5, 1, 1 up to week 6 (mean 2), then 3 more (mean 11/5);
  MASE = (5/2 + 15/(11/5)) / 2 = 205/44.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.food_bank.forecast import BacktestPlan, run_backtest

PARCELS = [10.0, 14.0, 11.0, 19.0, 12.0, 20.0, 15.0, 30.0]


def _backtest(scale_lag: int) -> dict:
    series = pd.DataFrame({"unique_id": "food bank", "ds": pd.date_range("2024-01-01", periods=8, freq="W-MON"),
                           "y": PARCELS, "observed": True})
    plan = BacktestPlan(candidates=("Naive",), baseline="Naive", horizon=1, n_windows=2, step=1,
                        scale_lag=scale_lag)
    return run_backtest(series, plan).set_index("model").loc["Naive"].to_dict()


def test_mase_scales_each_window_by_the_naive_change_before_its_cut():
    scores = _backtest(scale_lag=1)
    assert (scores["windows"], scores["weeks_scored"], scores["mae"]) == (2, 2, 10.0)
    assert scores["mase"] == pytest.approx(143 / 84, rel=1e-9)  # the whole series' scale gives 1.4


def test_seasonal_mase_scales_by_the_change_over_its_lag():
    assert _backtest(scale_lag=2)["mase"] == pytest.approx(205 / 44, rel=1e-9)
