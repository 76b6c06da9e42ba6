"""The backtest engine: MASE by hand, no look-ahead in gap filling or scaling, the scale under two years."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from helpers.food_bank.backtest import (
    BacktestPlan, _build_panel, choose_models, naive_scale, plan_backtest, run_backtest, window_ends,
)


def weekly(values, observed=None) -> pd.DataFrame:
    values = np.asarray(values, dtype=float)
    return pd.DataFrame({
        "unique_id": "fb", "ds": pd.date_range("2024-01-01", periods=len(values), freq="W-MON"), "y": values,
        "observed": True if observed is None else observed,
    })


SQUARES = np.arange(1, 9) ** 2.0  # 1, 4, 9, ... 64: a curve, so the naive scale grows window by window


def test_mase_by_hand_with_a_non_seasonal_scale():
    # Two windows of two weeks. Window 1 trains on 1, 4, 9, 16: last week's number, 16, misses 25 and 36
    # by 9 and 20 (mean 14.5); its scale is the mean change up to the cutoff, (3 + 5 + 7) / 3 = 5:
    # MASE 2.9. Window 2 trains up to 36, misses 49 and 64 by 13 and 28 (20.5), scale
    # (3 + 5 + 7 + 9 + 11) / 5 = 7: MASE 20.5 / 7. The score is the mean over windows.
    plan = BacktestPlan(("Naive",), "Naive", horizon=2, n_windows=2, step=2, scale_lag=1)
    scores = run_backtest(weekly(SQUARES), plan).set_index("model").loc["Naive"]
    assert scores["mase"] == pytest.approx((2.9 + 20.5 / 7) / 2, rel=1e-9)
    assert scores["mae"] == pytest.approx((9 + 20 + 13 + 28) / 4, rel=1e-9)
    assert scores["windows"] == 2 and scores["weeks_scored"] == 4


def test_mase_by_hand_with_a_seasonal_scale():
    # The same misses scaled by changes two weeks apart: window 1 (9-1, 16-4) = 10, window 2
    # (8, 12, 16, 20) = 14.
    plan = BacktestPlan(("Naive",), "Naive", horizon=2, n_windows=2, step=2, scale_lag=2)
    scores = run_backtest(weekly(SQUARES), plan).set_index("model").loc["Naive"]
    assert scores["mase"] == pytest.approx((14.5 / 10 + 20.5 / 14) / 2, rel=1e-9)


def test_the_scale_never_sees_the_test_weeks():
    values = np.array([1.0, 3.0, np.nan, 4.0, 8.0, 100.0])
    assert naive_scale(values, end=4, lag=1) == pytest.approx((2 + 4) / 2)
    changed = values.copy()
    changed[5] = -500
    assert naive_scale(changed, end=4, lag=1) == naive_scale(values, end=4, lag=1)


def test_gaps_are_filled_from_each_window_s_own_past():
    # A gap at week 20 is filled for window 1 (cutoff 23) from weeks up to 23 only: changing every
    # week after that cutoff must not change what window 1 trains on.
    rng = np.random.default_rng(4)
    values = 100 + rng.normal(0, 5, 60)
    observed = np.ones(60, dtype=bool)
    observed[20] = False
    plan = BacktestPlan(("Naive",), "Naive", horizon=12, n_windows=3, step=12, scale_lag=1)
    assert window_ends(60, plan)[0] == 23
    later = values.copy()
    later[24:] += 400
    first = {}
    for name, series in (("before", values), ("after", later)):
        panel = _build_panel(weekly(series, observed), {"fb": plan}, final=False)
        window = panel.keys.loc[panel.keys["window"] == 0, "key"].iloc[0]
        first[name] = panel.frame.loc[panel.frame["unique_id"] == window, "y"].to_numpy()
    assert len(first["before"]) == 24
    np.testing.assert_array_equal(first["before"], first["after"])
    assert first["before"][20] == pytest.approx(np.mean([values[19], values[21]]))


def test_under_two_years_the_scale_is_last_week_and_every_mase_is_known():
    plan = plan_backtest(64, 12)
    assert plan.scale_lag == 1 and "cannot be compared fairly yet" in plan.warnings[0]
    assert plan_backtest(2 * 52 + 12, 12).scale_lag == 52
    rng = np.random.default_rng(8)
    weeks = np.arange(64)
    series = weekly(200 + 40 * np.sin(2 * np.pi * weeks / 52) + rng.normal(0, 8, 64))
    scores = run_backtest(series, plan)
    assert scores["mase"].notna().all()


def test_a_near_tie_keeps_the_baseline():
    scores = pd.DataFrame({"unique_id": ["a", "a"], "model": ["SeasonalNaive", "AutoETS"],
                           "mase": [1.00, 0.99], "mae": [20.0, 19.5]})
    assert choose_models(scores)["a"] == "AutoETS"
    assert choose_models(scores, {"a": "SeasonalNaive"})["a"] == "SeasonalNaive"
    clear = scores.assign(mae=[20.0, 19.3])
    assert choose_models(clear, {"a": "SeasonalNaive"})["a"] == "AutoETS"


def test_plan_replace_keeps_working():
    plan = dataclasses.replace(plan_backtest(160, 12), candidates=("SeasonalNaive",))
    assert plan.scale_lag == 52 and plan.n_windows == 12
