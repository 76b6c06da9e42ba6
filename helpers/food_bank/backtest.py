"""The forecasting engine: candidate methods, a leak-free rolling backtest, MASE, one statsforecast call.

Candidates, by how much history there is:

* two years or more (plus the horizon, to test): "same week last year" (seasonal
  naive, 52 weeks: the baseline), exponential smoothing (AutoETS, no seasonality)
  and a seasonal decomposition (MSTL: a 52-week yearly pattern, with AutoETS for
  the trend);
* one to two years: seasonal naive and AutoETS;
* less: "last week's number" (naive: the baseline) and AutoETS, with a warning that
  seasonal peaks cannot be learned yet.

Each candidate is tested by a rolling-origin backtest: pretend it is an earlier
week, forecast the next weeks from the data up to then (gaps filled from those
weeks only), compare with what happened, and repeat every four weeks. Weeks that
had no data are not scored. The score is MASE (mean absolute scaled error): the
average miss divided by the average week-to-week change of a naive rule within the
data known at the time. With two full years the naive rule is "same week last
year" (lag 52); with less, too few pairs a year apart exist, so the scale is last
week's number (lag 1) and seasonal methods cannot yet be compared on their own
terms. MASE is not read against 1: the baseline itself rarely scores 1. The report
compares each method with the baseline on the same weeks ("misses 30% smaller than
repeating last year"). The lowest MASE wins, unless its misses are within
:data:`MIN_GAIN` of the baseline's, and is refitted on all the history.

The ranges (prediction intervals at 80% and 95%) start as the model's own, then are
checked on the backtest: each range is widened or narrowed by the factor that makes
it hold 80% (or 95%) of the actual weeks in the backtest, when at least 30 weeks
were scored. Counts cannot be negative, so forecasts and bounds are clipped at 0.

All of it, every backtest window and the final fit of every series (an umbrella
body's food banks included), goes to statsforecast as one stacked panel in one call.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import MSTL, AutoETS, Naive, SeasonalNaive

from helpers.errors import InputProblem
from helpers.food_bank.weekly import SEASON_WEEKS, fill_gaps_for_fitting

#: How the report names each method, in plain words and by its technical name.
MODEL_LABELS = {
    "SeasonalNaive": "last year's number for the same week",
    "Naive": "last week's number",
    "AutoETS": "recent level and trend",
    "MSTL": "trend plus yearly pattern",
}
MODEL_TECHNICAL_NAMES = {
    "SeasonalNaive": "seasonal naive (52 weeks)",
    "Naive": "naive",
    "AutoETS": "exponential smoothing (AutoETS)",
    "MSTL": "seasonal decomposition (MSTL)",
}
LEVELS = (80, 95)
MIN_TRAIN_WEEKS = 8
MIN_BACKTEST_HORIZON = 4
BACKTEST_STEP_WEEKS = 4
MAX_BACKTEST_WINDOWS = 12
#: Model fits a network's backtest may make in all (series x windows), to keep a run of 200 sites short.
WINDOW_BUDGET = 1_000
#: A network's series get at least this many backtest windows each, whatever the budget.
MIN_BACKTEST_WINDOWS = 4
#: Fewest backtest weeks from which to re-size the model's ranges.
MIN_CALIBRATION_WEEKS = 30
#: Fewest weeks to forecast from: the shortest training stretch plus a short test.
MIN_HISTORY_WEEKS = MIN_TRAIN_WEEKS + MIN_BACKTEST_HORIZON
#: A method replaces the baseline only when its average miss is at least this much smaller.
MIN_GAIN = 0.03
#: Where statsforecast runs: here, or on Apache Spark through fugue.
BACKENDS = ("local", "spark")


@dataclass(frozen=True)
class BacktestPlan:
    """Which methods to try and how to test them, for a given length of history.

    Attributes:
        candidates: statsforecast model names to compare.
        baseline: The simple rule the others are measured against.
        horizon: Weeks ahead forecast in each backtest window.
        n_windows: How many backtest windows (forecast origins).
        step: Weeks between origins.
        scale_lag: Lag of the naive rule that scales MASE (52 with two full years,
            else 1).
        warnings: Plain-English warnings for the report.
    """

    candidates: tuple[str, ...]
    baseline: str
    horizon: int
    n_windows: int
    step: int
    scale_lag: int
    warnings: tuple[str, ...] = ()


def plan_backtest(n_weeks: int, horizon_weeks: int = 12, max_windows: int = MAX_BACKTEST_WINDOWS) -> BacktestPlan:
    """Choose the candidate methods and backtest windows for ``n_weeks`` of history.

    Args:
        n_weeks: Weeks of history (gaps included).
        horizon_weeks: Weeks the charity wants forecast.
        max_windows: At most this many backtest windows; with fewer than
            :data:`MAX_BACKTEST_WINDOWS` they are spaced further apart, so the test
            still spans about as many weeks (a network's many series share a budget).

    Returns:
        A :class:`BacktestPlan`.

    Raises:
        InputProblem: Fewer than :data:`MIN_HISTORY_WEEKS` weeks, or a horizon below 1.

    Example:
        >>> plan_backtest(155, 12).candidates
        ('SeasonalNaive', 'AutoETS', 'MSTL')
        >>> plan = plan_backtest(30, 12)
        >>> plan.candidates, plan.baseline, plan.horizon
        (('Naive', 'AutoETS'), 'Naive', 12)
    """
    if horizon_weeks < 1:
        raise InputProblem(f"horizon_weeks is {horizon_weeks}: set it to 1 or more weeks ahead.")
    if n_weeks < MIN_HISTORY_WEEKS:
        raise InputProblem(
            f"There are only {n_weeks} complete weeks of data; a forecast needs at least "
            f"{MIN_HISTORY_WEEKS}. Bring a longer export (a year or more is best)."
        )
    year = SEASON_WEEKS
    if n_weeks >= 2 * year + horizon_weeks:
        candidates, baseline, min_train, lag, warnings = (
            ("SeasonalNaive", "AutoETS", "MSTL"), "SeasonalNaive", 2 * year, year, ())
    elif n_weeks >= year + horizon_weeks:
        # Under two full years too few weeks have a week a year before them to scale by: use last week's.
        candidates, baseline, min_train, lag = ("SeasonalNaive", "AutoETS"), "SeasonalNaive", year, 1
        warnings = (
            f"There are {n_weeks} weeks of history. The yearly pattern has been seen only once, so the "
            "method that learns it (it needs two years) was not used, peaks such as Christmas are "
            "forecast from one year only, and seasonal methods cannot be compared fairly yet.",
        )
    else:
        candidates, baseline, min_train, lag = ("Naive", "AutoETS"), "Naive", MIN_TRAIN_WEEKS, 1
        warnings = (
            f"There are only {n_weeks} weeks of history, less than a year to learn from and test on. "
            "The forecast cannot know about seasonal peaks such as Christmas or the summer holidays "
            "yet: it follows the recent level only. Treat it as a guide to the next few weeks.",
        )
    horizon = min(horizon_weeks, n_weeks - min_train)
    max_windows = max(1, min(int(max_windows), MAX_BACKTEST_WINDOWS))
    step = BACKTEST_STEP_WEEKS * MAX_BACKTEST_WINDOWS // max_windows
    n_windows = min(max_windows, (n_weeks - min_train - horizon) // step + 1)
    return BacktestPlan(candidates, baseline, horizon, n_windows, step, lag, warnings)


def build_models(names: Sequence[str]) -> list:
    """statsforecast model objects for the given names (see :data:`MODEL_LABELS`).

    Example:
        >>> [repr(m) for m in build_models(["SeasonalNaive", "MSTL"])]
        ['SeasonalNaive', 'MSTL']
    """
    makers = {
        "SeasonalNaive": lambda: SeasonalNaive(season_length=SEASON_WEEKS),
        "Naive": Naive,
        # Seasonal ETS with a 52-week season is slow and unstable; MSTL carries the yearly pattern.
        "AutoETS": lambda: AutoETS(season_length=1, model="ZZN"),
        "MSTL": lambda: MSTL(season_length=SEASON_WEEKS, trend_forecaster=AutoETS(model="ZZN")),
    }
    return [makers[name]() for name in names]


def _clip_at_zero(frame: pd.DataFrame, models: Sequence[str]) -> pd.DataFrame:
    columns = [c for c in frame.columns if any(c == m or c.startswith(f"{m}-") for m in models)]
    return frame.assign(**{c: frame[c].clip(lower=0) for c in columns})


def window_ends(n_weeks: int, plan: BacktestPlan) -> list[int]:
    """Positions (0-based) of the last training week of each backtest window, earliest first.

    The last window's test weeks end with the last week of history, as in
    statsforecast's ``cross_validation``.

    Example:
        >>> window_ends(30, BacktestPlan(("Naive",), "Naive", horizon=4, n_windows=3, step=4, scale_lag=1))
        [17, 21, 25]
    """
    return [n_weeks - plan.horizon - plan.step * k - 1 for k in range(plan.n_windows)][::-1]


def naive_scale(values: np.ndarray, end: int, lag: int) -> float:
    """MASE's scale at a cutoff: the mean of |y(t) - y(t - lag)| over observed pairs up to ``end``.

    Only weeks up to the cutoff count, so the scale never sees the test weeks;
    NaN (a missing week) breaks a pair. NaN when no pair, or every change, is zero.

    Example:
        >>> naive_scale(np.array([1.0, 3.0, np.nan, 4.0, 8.0, 100.0]), end=4, lag=1)
        3.0
    """
    known = np.asarray(values, dtype="float64")[: end + 1]
    if len(known) <= lag:
        return math.nan
    changes = np.abs(known[lag:] - known[:-lag])
    changes = changes[~np.isnan(changes)]
    return float(changes.mean()) if len(changes) and changes.mean() > 0 else math.nan


def _training(weeks: np.ndarray, raw: np.ndarray, end: int) -> np.ndarray:
    """A backtest window's training values: gaps filled from the weeks up to the cutoff only."""
    known = raw[: end + 1]
    if not np.isnan(known).any():
        return known
    filled = fill_gaps_for_fitting(pd.Series(known, index=pd.DatetimeIndex(weeks[: end + 1])))
    # A gap at the cutoff itself has no week after it: carry the last known level forward.
    return filled.ffill().bfill().to_numpy()


@dataclass
class _Panel:
    """Every series' backtest windows and full history, stacked for one statsforecast call."""

    frame: pd.DataFrame  # unique_id (int key), ds, y
    keys: pd.DataFrame  # key -> series, window (-1: the full history), cutoff, scale


def _build_panel(series: pd.DataFrame, plans: Mapping[str, BacktestPlan], final: bool) -> _Panel:
    ids, weeks_out, values_out, keys = [], [], [], []
    for uid, group in series.groupby("unique_id", sort=False):
        plan = plans[uid]
        weeks = group["ds"].to_numpy()
        fitted = group["y"].to_numpy(dtype="float64")
        raw = np.where(group["observed"].to_numpy(dtype=bool), fitted, np.nan)
        windows = [(k, end, _training(weeks, raw, end)) for k, end in enumerate(window_ends(len(group), plan))]
        if final:
            windows.append((-1, len(group) - 1, fitted))
        for window, end, values in windows:
            key = len(keys)
            keys.append((key, uid, window, weeks[end], naive_scale(raw, end, plan.scale_lag)))
            ids.append(np.full(end + 1, key))
            weeks_out.append(weeks[: end + 1])
            values_out.append(values)
    frame = pd.DataFrame({"unique_id": np.concatenate(ids), "ds": np.concatenate(weeks_out),
                          "y": np.concatenate(values_out)})
    return _Panel(frame, pd.DataFrame(keys, columns=["key", "unique_id", "window", "cutoff", "scale"]))


def _forecast_panel(panel: _Panel, models: Sequence[str], horizon: int, freq: str, n_jobs: int,
                    backend: str = "local") -> pd.DataFrame:
    """One statsforecast call over every window of every series; rows tagged with series, window, step."""
    forecaster = StatsForecast(models=build_models(models), freq=freq, n_jobs=n_jobs)
    if backend == "spark":
        from helpers.food_bank.distributed import forecast_on_spark

        out = forecast_on_spark(forecaster, panel.frame, horizon, list(LEVELS))
    else:
        out = forecaster.forecast(df=panel.frame, h=horizon, level=list(LEVELS))
    out = out.sort_values(["unique_id", "ds"], kind="stable", ignore_index=True)
    out["step"] = out.groupby("unique_id").cumcount() + 1
    keys = panel.keys.rename(columns={"key": "panel_key"})
    out = out.rename(columns={"unique_id": "panel_key"}).merge(keys, on="panel_key", how="left").drop(
        columns="panel_key")
    return out.rename(columns={"ds": "week_start"})


def _score(cv: pd.DataFrame, series: pd.DataFrame, plans: Mapping[str, BacktestPlan]) -> pd.DataFrame:
    """Backtest scores per series and method from the windows' forecasts (see :func:`run_backtest`)."""
    horizon = cv["unique_id"].map({uid: plan.horizon for uid, plan in plans.items()})
    cv = cv[(cv["window"] >= 0) & (cv["step"] <= horizon)]
    actual = series.loc[series["observed"].astype(bool), ["unique_id", "ds", "y"]].rename(columns={"ds": "week_start"})
    cv = cv.merge(actual, on=["unique_id", "week_start"], how="inner")
    models = sorted({m for plan in plans.values() for m in plan.candidates})
    rows = []
    for model in models:
        if model not in cv:
            continue
        low = {level: cv[f"{model}-lo-{level}"] for level in LEVELS}
        high = {level: cv[f"{model}-hi-{level}"] for level in LEVELS}
        # Miss relative to the range's half-width, before clipping changes the lower bound.
        miss = {level: (cv["y"] - cv[model]).abs() / np.maximum((high[level] - low[level]) / 2, 1e-9)
                for level in LEVELS}
        central = cv[model].clip(lower=0)
        scored = pd.DataFrame({
            "unique_id": cv["unique_id"], "window": cv["window"], "step": cv["step"], "scale": cv["scale"],
            "signed": cv["y"] - central, "error": (cv["y"] - central).abs(),
            **{f"in_{level}": cv["y"].between(low[level].clip(lower=0), high[level]) for level in LEVELS},
            **{f"miss_{level}": miss[level] for level in LEVELS},
        })
        per_window = scored.groupby(["unique_id", "window"]).agg(mae=("error", "mean"), scale=("scale", "first"))
        per_window["mase"] = per_window["mae"] / per_window["scale"]
        per_series = per_window.groupby("unique_id").agg(mase=("mase", "mean"), windows=("mae", "size"))
        totals = scored.groupby("unique_id").agg(
            mae=("error", "mean"), coverage_80=("in_80", "mean"), coverage_95=("in_95", "mean"),
            weeks_scored=("error", "size"))
        enough = totals["weeks_scored"] >= MIN_CALIBRATION_WEEKS
        for level in LEVELS:
            share = per_series["windows"].map(lambda n, p=level / 100: conformal_level(p, int(n)))
            widen = scored.groupby("unique_id")[f"miss_{level}"].apply(
                lambda misses: misses.quantile(share.get(misses.name, level / 100)))
            totals[f"widen_{level}"] = widen.reindex(totals.index).where(enough, 1.0)
        totals["error_correlation"] = _lag_one_correlation(scored).reindex(totals.index)
        rows.append(per_series.join(totals).reset_index().assign(model=model))
    scores = pd.concat(rows, ignore_index=True)
    baseline = scores["unique_id"].map({uid: plan.baseline for uid, plan in plans.items()})
    baseline_mae = scores[scores["model"] == baseline].set_index("unique_id")["mae"]
    scores["relative_mae"] = scores["mae"] / scores["unique_id"].map(baseline_mae).where(lambda s: s > 0)
    columns = ["unique_id", "model", "mase", "mae", "relative_mae", "coverage_80", "coverage_95", "windows",
               "weeks_scored", "widen_80", "widen_95", "error_correlation"]
    return scores[columns].sort_values(["unique_id", "model"], ignore_index=True)


def conformal_level(level: float, windows: int) -> float:
    """The share of backtest misses a range is re-sized to hold, for ``windows`` backtest windows.

    A split-conformal range over ``n`` exchangeable scores takes their ``ceil((n + 1) p) / n``
    quantile, not the ``p`` one. The exchangeable units of a backtest are its windows: the weeks of
    one window share their origin's level error, so they count for much less than a week each.
    The level is capped half-way from ``p`` to 100%, so a handful of windows cannot make the range
    as wide as the worst week ever seen.

    Example:
        >>> conformal_level(0.8, 12), conformal_level(0.95, 12), conformal_level(0.8, 200)
        (0.9, 0.975, 0.805)
    """
    n = max(int(windows), 1)
    return min(math.ceil((n + 1) * level - 1e-9) / n, (1 + level) / 2)


def _lag_one_correlation(scored: pd.DataFrame) -> pd.Series:
    """Per series, the correlation of one week's miss with the next week's in the same backtest window."""
    ordered = scored.sort_values(["unique_id", "window", "step"])
    following = ordered.groupby(["unique_id", "window"])["signed"].shift(-1)
    pairs = pd.DataFrame({"unique_id": ordered["unique_id"], "a": ordered["signed"], "b": following}).dropna()
    if pairs.empty:
        return pd.Series(dtype="float64")
    return pairs.groupby("unique_id")[["a", "b"]].apply(
        lambda g: g["a"].corr(g["b"]) if len(g) > 2 else np.nan).astype("float64")


def run_backtest(series: pd.DataFrame, plan: BacktestPlan, freq: str = "W-MON", n_jobs: int = 1) -> pd.DataFrame:
    """Score every candidate method on the series' own past.

    Each window's model is fitted on the weeks up to its cutoff only, with gaps in
    them filled from those weeks alone (:func:`fill_gaps_for_fitting`), so the test
    weeks never leak into training or into the gap filling. MASE's scale is
    :func:`naive_scale` at the cutoff.

    Args:
        series: Columns ``unique_id``, ``ds``, ``y`` and ``observed`` (False for
            weeks that were filled in: they are not scored, and each window fills
            them again from its own past).
        plan: From :func:`plan_backtest`.
        freq: The weeks' pandas frequency.
        n_jobs: Processes for statsforecast.

    Returns:
        One row per series and method: ``unique_id``, ``model``, ``mase``,
        ``mae`` (average miss in parcels a week), ``relative_mae`` (the average
        miss over the baseline's on the same weeks: 0.7 = misses 30% smaller),
        ``coverage_80`` and ``coverage_95`` (share of actual weeks inside the
        ranges), ``windows``, ``weeks_scored``, ``widen_80`` and ``widen_95``
        (the factor that makes each range hold its share of actual weeks; 1.0
        with too few weeks scored) and ``error_correlation`` (of one week's miss
        with the next one's).
    """
    if "observed" not in series:
        series = series.assign(observed=True)
    plans = dict.fromkeys(series["unique_id"].unique(), plan)
    panel = _build_panel(series, plans, final=False)
    return _score(_forecast_panel(panel, plan.candidates, plan.horizon, freq, n_jobs), series, plans)


def choose_models(scores: pd.DataFrame, baselines: Mapping[str, str] | None = None) -> pd.Series:
    """The method with the lowest MASE for each series (lowest MAE when MASE cannot be computed).

    With ``baselines``, a method replaces its series' baseline only when its average
    miss is at least :data:`MIN_GAIN` smaller: a near tie, often decided in one
    short window, is not worth a more complicated method.

    Example:
        >>> scores = pd.DataFrame({"unique_id": ["a", "a", "b", "b"], "model": ["Naive", "AutoETS"] * 2,
        ...                        "mase": [1.0, 0.7, 1.0, 0.99], "mae": [10.0, 7.0, 10.0, 9.9]})
        >>> choose_models(scores, {"a": "Naive", "b": "Naive"}).to_dict()
        {'a': 'AutoETS', 'b': 'Naive'}
    """
    key = scores["mase"].where(scores["mase"].notna(), scores["mae"] * 1e6)
    best = scores.assign(key=key).sort_values(["unique_id", "key", "model"]).groupby("unique_id").head(1)
    chosen = best.set_index("unique_id")["model"]
    if baselines:
        mae = scores.set_index(["unique_id", "model"])["mae"]
        for uid, model in chosen.items():
            baseline = baselines.get(uid)
            if baseline and model != baseline and (uid, baseline) in mae.index:
                if mae[(uid, model)] > (1 - MIN_GAIN) * mae[(uid, baseline)]:
                    chosen[uid] = baseline
    return chosen


def _final_forecasts(out: pd.DataFrame, chosen: pd.Series, horizon_weeks: int,
                     widen: pd.DataFrame | None) -> pd.DataFrame:
    final = out[(out["window"] == -1) & (out["step"] <= horizon_weeks)]
    frames = []
    for model, ids in chosen.groupby(chosen).groups.items():
        predicted = final[final["unique_id"].isin(ids)].copy()
        if widen is not None:
            for level in LEVELS:
                factor = predicted["unique_id"].map(widen[f"widen_{level}"]).fillna(1.0)
                for tag in ("lo", "hi"):
                    bound = f"{model}-{tag}-{level}"
                    predicted[bound] = predicted[model] + factor * (predicted[bound] - predicted[model])
            # Keep the 95% range at least as wide as the 80% one after re-sizing.
            predicted[f"{model}-lo-95"] = predicted[[f"{model}-lo-95", f"{model}-lo-80"]].min(axis=1)
            predicted[f"{model}-hi-95"] = predicted[[f"{model}-hi-95", f"{model}-hi-80"]].max(axis=1)
        predicted = _clip_at_zero(predicted, [model])
        frames.append(pd.DataFrame({
            "unique_id": predicted["unique_id"], "week_start": predicted["week_start"],
            "forecast": predicted[model],
            **{f"{side}_{level}": predicted[f"{model}-{tag}-{level}"]
               for level in LEVELS for side, tag in (("lower", "lo"), ("upper", "hi"))},
        }))
    columns = ["unique_id", "week_start", "forecast", "lower_80", "upper_80", "lower_95", "upper_95"]
    return pd.concat(frames, ignore_index=True)[columns].sort_values(["unique_id", "week_start"],
                                                                      ignore_index=True)


@dataclass
class ManyForecasts:
    """Forecasts for several series at once (an umbrella body's food banks).

    Attributes:
        scores: Backtest scores, one row per series and method (see :func:`run_backtest`).
        chosen: The chosen method per series.
        forecasts: One row per series and future week.
        plans: The backtest plan used for each series.
        seconds: Wall time of the statsforecast calls (the backtest and forecast step).
        misses: The chosen method's backtest misses, one row per series, window and step:
            ``unique_id``, ``window``, ``cutoff`` (the window's last training week),
            ``week_start``, ``step`` and ``miss`` (actual minus forecast; weeks with
            no data left out). A total's range and the network's reconciliation read them.
    """

    scores: pd.DataFrame
    chosen: pd.Series
    forecasts: pd.DataFrame
    plans: dict[str, BacktestPlan] = field(default_factory=dict)
    seconds: float = 0.0
    misses: pd.DataFrame | None = None


def window_misses(out: pd.DataFrame, series: pd.DataFrame, plans: Mapping[str, BacktestPlan],
                  chosen: pd.Series) -> pd.DataFrame:
    """Each series' chosen method's misses in every backtest window (see :attr:`ManyForecasts.misses`).

    Only weeks that were counted are kept (a filled-in week is not a miss), and the
    forecast is clipped at zero as the report's is.

    Example:
        >>> out = pd.DataFrame({"unique_id": "a", "window": [0, 0, -1], "step": [1, 2, 1],
        ...     "cutoff": pd.Timestamp("2025-01-06"), "week_start": pd.date_range("2025-01-13", periods=3, freq="W-MON"),
        ...     "Naive": [10.0, -2.0, 9.0]})
        >>> history = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2025-01-13", periods=2, freq="W-MON"),
        ...     "y": [12.0, 3.0], "observed": True})
        >>> plan = BacktestPlan(("Naive",), "Naive", horizon=2, n_windows=1, step=4, scale_lag=1)
        >>> window_misses(out, history, {"a": plan}, pd.Series({"a": "Naive"}))["miss"].tolist()
        [2.0, 3.0]
    """
    horizon = out["unique_id"].map({uid: plan.horizon for uid, plan in plans.items()})
    tested = out[(out["window"] >= 0) & (out["step"] <= horizon) & out["unique_id"].isin(chosen.index)]
    model = tested["unique_id"].map(chosen)
    central = pd.Series(np.nan, index=tested.index)
    for name in model.unique():
        rows = model == name
        central[rows] = tested.loc[rows, name].clip(lower=0)
    actual = series.loc[series["observed"].astype(bool), ["unique_id", "ds", "y"]].rename(columns={"ds": "week_start"})
    frame = tested[["unique_id", "window", "cutoff", "week_start", "step"]].assign(forecast=central)
    frame = frame.merge(actual, on=["unique_id", "week_start"], how="inner")
    frame["miss"] = frame["y"] - frame["forecast"]
    return frame[["unique_id", "window", "cutoff", "week_start", "step", "miss"]].sort_values(
        ["unique_id", "window", "step"], ignore_index=True)


def forecast_many(series: pd.DataFrame, horizon_weeks: int = 12, freq: str = "W-MON",
                  n_jobs: int = 1, backend: str = "local") -> ManyForecasts:
    """Backtest, choose and forecast for one or many weekly series, in one statsforecast call.

    Series are grouped by the methods their length allows (usually one group);
    with many series each gets fewer, wider-spaced backtest windows (:data:`WINDOW_BUDGET`);
    each group's backtest windows and full histories are stacked and forecast by
    one call, and each series then takes the method that did best on its own past.

    Args:
        series: Columns ``unique_id``, ``ds``, ``y`` (gaps filled, for the final
            fit) and optionally ``observed`` (default all True; weeks that were
            filled in are refilled inside each backtest window from its past only).
        horizon_weeks: Weeks ahead.
        freq: The weeks' pandas frequency ("W-MON" for weeks starting on Monday).
        n_jobs: Processes for statsforecast (-1: every core).
        backend: "local" (this process and its workers) or "spark" (statsforecast's
            fugue back-end on Apache Spark).

    Returns:
        A :class:`ManyForecasts`.

    Raises:
        InputProblem: A series is too short or has gaps, or an unknown backend.

    Example:
        >>> weeks = pd.date_range("2024-01-01", periods=20, freq="W-MON")
        >>> toy = pd.DataFrame({"unique_id": "fb", "ds": weeks, "y": np.arange(20.0) % 4 + 10})
        >>> result = forecast_many(toy, horizon_weeks=4)
        >>> result.chosen["fb"] in ("Naive", "AutoETS"), len(result.forecasts)
        (True, 4)
    """
    backend = str(backend or "local").strip().lower()
    if backend not in BACKENDS:
        raise InputProblem(f"backend should be {' or '.join(BACKENDS)}, not '{backend}'.")
    if "observed" not in series:
        series = series.assign(observed=True)
    if series["y"].isna().any():
        raise InputProblem("The weekly series has gaps: fill them before forecasting.")
    started = time.perf_counter()
    lengths = series.groupby("unique_id", sort=False)["ds"].size()
    windows = max(MIN_BACKTEST_WINDOWS, min(MAX_BACKTEST_WINDOWS, WINDOW_BUDGET // len(lengths)))
    plans = {uid: plan_backtest(int(n), horizon_weeks, windows) for uid, n in lengths.items()}
    tier = pd.Series({uid: plan.candidates for uid, plan in plans.items()})
    outputs, scores, subsets = [], [], []
    for _, ids in tier.groupby(tier.map(",".join)).groups.items():
        group_plan = plan_backtest(int(lengths[ids].min()), horizon_weeks, windows)
        group_plans = dict.fromkeys(ids, group_plan)
        plans.update(group_plans)
        subset = series[series["unique_id"].isin(ids)]
        panel = _build_panel(subset, group_plans, final=True)
        out = _forecast_panel(panel, group_plan.candidates, horizon_weeks, freq, n_jobs, backend)
        scores.append(_score(out, subset, group_plans))
        outputs.append(out)
        subsets.append(subset)
    scores = pd.concat(scores, ignore_index=True)
    chosen = choose_models(scores, {uid: plan.baseline for uid, plan in plans.items()})
    widen = scores.merge(chosen.rename("model").reset_index(), on=["unique_id", "model"]).set_index("unique_id")
    forecasts = pd.concat([_final_forecasts(out, chosen[chosen.index.isin(out["unique_id"].unique())],
                                            horizon_weeks, widen[["widen_80", "widen_95"]]) for out in outputs],
                          ignore_index=True)
    misses = pd.concat([window_misses(out, subset, plans, chosen[chosen.index.isin(out["unique_id"].unique())])
                        for out, subset in zip(outputs, subsets, strict=True)], ignore_index=True)
    return ManyForecasts(scores, chosen, forecasts, plans, time.perf_counter() - started, misses)
