"""Do the ranges hold as often as they say? Rolling forecast origins over known histories.

A range is only as good as its coverage: the share of real weeks (or real totals) that fall
inside it. Here the kit is put back to earlier weeks (forecast origins, every ``step`` weeks),
forecasts the ``horizon`` weeks after each with exactly the code the report uses (backtest,
method choice, widened weekly ranges, the total's range, and for a network the reconciliation),
and the forecasts are scored against what happened. ``benchmarks/bench_calibration.py`` prints
the figures; ``tests/test_backtest_calibration.py`` holds them to their bands.

Every origin of a single series goes to statsforecast in one call (each origin is its own
series there), so rolling a dozen origins costs about one network run.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers.food_bank.forecast import DemandForecast, demand_series, total_range
from helpers.food_bank.weekly import COUNTED, WeeklyDemand


def origin_positions(n_weeks: int, n_origins: int, horizon: int, step: int = 4) -> list[int]:
    """How many weeks of history each origin keeps, latest origin last; each leaves ``horizon`` to score.

    Example:
        >>> origin_positions(100, 3, 12, step=4)
        [80, 84, 88]
    """
    last = n_weeks - horizon
    return sorted(last - step * k for k in range(n_origins) if last - step * k > 0)


def score_forecast(result: DemandForecast, actual: pd.Series) -> dict:
    """One forecast against what happened: weekly hits of each range and whether the total's range held.

    Only weeks that were counted (and forecast open) are scored; the total is the sum over those
    weeks, and its range is the report's own (:func:`helpers.food_bank.forecast.total_range`) over
    the same weeks.

    Args:
        result: The forecast made at the origin.
        actual: Parcels per week (index: week start), NaN where there was no data.

    Returns:
        ``weeks``, ``in_80``, ``in_95`` (counts of weeks), ``total_in_80`` (True/False, or None
        with no week to score), ``total``, ``total_lower_80``, ``total_upper_80``.
    """
    f = result.open_weeks
    truth = actual.reindex(f["week_start"]).to_numpy(dtype="float64")
    seen = ~np.isnan(truth)
    weeks = f[seen]
    truth = truth[seen]
    row = {"weeks": int(seen.sum()),
           "in_80": int(((truth >= weeks["lower_80"]) & (truth <= weeks["upper_80"])).sum()),
           "in_95": int(((truth >= weeks["lower_95"]) & (truth <= weeks["upper_95"])).sum()),
           "total_in_80": None, "total": float(truth.sum())}
    if len(weeks):
        span = total_range(weeks, result.misses)
        row.update(total_in_80=bool(span["lower_80"] <= truth.sum() <= span["upper_80"]),
                   total_lower_80=span["lower_80"], total_upper_80=span["upper_80"])
    return row


def _actuals(demand: WeeklyDemand) -> pd.Series:
    return demand.weeks["parcels"].where(demand.weeks["status"] == COUNTED)


def rolling_single(series: Mapping[str, pd.DataFrame], n_origins: int = 12, horizon: int = 12,
                   step: int = 4, n_jobs: int = 1) -> pd.DataFrame:
    """Roll forecast origins over single weekly series and score every forecast.

    Args:
        series: Name -> a weekly table with ``week_start`` and ``parcels`` (as
            :func:`helpers.synthetic.foodbank.make_weekly_parcels` gives).
        n_origins: Origins per series.
        horizon: Weeks forecast (and scored) from each origin.
        step: Weeks between origins.
        n_jobs: Processes for statsforecast.

    Returns:
        One row per series and origin: ``series``, ``origin`` (the first forecast week) and
        the columns of :func:`score_forecast`.
    """
    from helpers.food_bank.backtest import forecast_many
    from helpers.food_bank.network import results_from_many
    from helpers.food_bank.weekly import weekly_demand

    demands, truths, keys = {}, {}, []
    for name, frame in series.items():
        whole = weekly_demand(frame, "week_start", "parcels")
        for keep in origin_positions(len(frame), n_origins, horizon, step):
            uid = f"{name}@{keep}"
            demands[uid] = weekly_demand(frame.iloc[:keep], "week_start", "parcels")
            truths[uid] = _actuals(whole)
            keys.append((uid, name))
    stacked = pd.concat([demand_series(d, uid) for uid, d in demands.items()], ignore_index=True)
    freq = next(iter(demands.values())).freq
    results = results_from_many(forecast_many(stacked, horizon, freq, n_jobs), demands)
    rows = []
    for uid, name in keys:
        result = results[uid]
        rows.append({"series": name, "origin": result.forecast["week_start"].iloc[0],
                     **score_forecast(result, truths[uid])})
    return pd.DataFrame(rows)


def rolling_network(frame: pd.DataFrame, date_column: str, site_column: str, count_column: str,
                    n_origins: int = 10, horizon: int = 12, step: int = 4, n_jobs: int = 1) -> pd.DataFrame:
    """Roll forecast origins over a network's file, forecasting (and reconciling) as the report does.

    Returns:
        One row per origin and series (every site and the network total): ``series``,
        ``origin`` and the columns of :func:`score_forecast`.
    """
    from helpers.food_bank.network import TOTAL, forecast_network, network_demand
    from helpers.food_bank.weekly import read_dates

    dates = read_dates(frame, date_column, {}, [])
    whole = network_demand(frame, date_column, site_column, count_column)
    truths = {**{n: _actuals(d) for n, d in whole.sites.items()}, TOTAL: _actuals(whole.total)}
    weeks = whole.total.weeks.index
    rows = []
    for keep in origin_positions(len(weeks), n_origins, horizon, step):
        cut = weeks[keep]
        network = network_demand(frame[(dates < cut).to_numpy()], date_column, site_column, count_column)
        forecast = forecast_network(network, horizon, n_jobs=n_jobs)
        for name, result in {**forecast.sites, TOTAL: forecast.total}.items():
            rows.append({"series": name, "origin": cut, **score_forecast(result, truths[name])})
    return pd.DataFrame(rows)


def coverage(scores: pd.DataFrame) -> dict[str, float]:
    """Coverage figures from :func:`rolling_single` or :func:`rolling_network` rows.

    Example:
        >>> rows = pd.DataFrame({"weeks": [12, 12], "in_80": [10, 9], "in_95": [12, 11], "total_in_80": [True, False]})
        >>> coverage(rows)
        {'weekly_80': 0.792, 'weekly_95': 0.958, 'total_80': 0.5, 'forecasts': 2, 'weeks': 24}
    """
    totals = scores["total_in_80"].dropna().astype(bool)
    weeks = int(scores["weeks"].sum())
    return {"weekly_80": round(float(scores["in_80"].sum() / max(weeks, 1)), 3),
            "weekly_95": round(float(scores["in_95"].sum() / max(weeks, 1)), 3),
            "total_80": round(float(totals.mean()), 3) if len(totals) else float("nan"),
            "forecasts": int(len(totals)), "weeks": weeks}
