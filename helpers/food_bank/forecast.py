"""Forecasting weekly demand with statsforecast, and choosing the method by testing it on the past.

Candidates, by how much history there is:

* two years or more (plus the horizon, to test): "same week last year" (seasonal
  naive, 52 weeks: the baseline), exponential smoothing (AutoETS, no seasonality)
  and a seasonal decomposition (MSTL: a 52-week yearly pattern, with AutoETS for
  the trend);
* one to two years: seasonal naive and AutoETS;
* less: "last week's number" (naive: the baseline) and AutoETS, with a warning that
  seasonal peaks cannot be learned yet.

Each candidate is tested by a rolling-origin backtest: pretend it is an earlier
week, forecast the next weeks from the data up to then, compare with what happened,
and repeat every four weeks. Weeks that had no data are not scored. The score is
MASE (mean absolute scaled error): the average miss divided by the average miss of
"same week last year" within the data known at the time, so below 1 beats that
simple rule. The lowest MASE wins and is refitted on all the history.

The ranges (prediction intervals at 80% and 95%) start as the model's own, then are
checked on the backtest: with two years of history the seasonal model's ranges are
too narrow (its yearly pattern soaks up some noise), so each range is widened or
narrowed by the factor that makes it hold 80% (or 95%) of the actual weeks in the
backtest, when at least 30 weeks were scored. Counts cannot be negative, so
forecasts and interval bounds are clipped at 0.
statsforecast's models here are compiled ahead of time (no numba JIT on first use);
importing the package takes about a second.
"""

from __future__ import annotations

import pathlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import MSTL, AutoETS, Naive, SeasonalNaive

from helpers.food_bank.weekly import COUNTED, SEASON_WEEKS, WeeklyDemand, date_words, format_month_axis
from helpers.errors import InputProblem
from helpers.writing.narrative import plural
from helpers.writing.workbooks import write_frames

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
FORECAST_COLUMNS = ["week_start", "forecast", "lower_80", "upper_80", "lower_95", "upper_95"]
MIN_TRAIN_WEEKS = 8
MIN_BACKTEST_HORIZON = 4
BACKTEST_STEP_WEEKS = 4
MAX_BACKTEST_WINDOWS = 12
#: Fewest backtest weeks from which to re-size the model's ranges.
MIN_CALIBRATION_WEEKS = 30
#: Fewest weeks to forecast from: the shortest training stretch plus a short test.
MIN_HISTORY_WEEKS = MIN_TRAIN_WEEKS + MIN_BACKTEST_HORIZON


@dataclass(frozen=True)
class BacktestPlan:
    """Which methods to try and how to test them, for a given length of history.

    Attributes:
        candidates: statsforecast model names to compare.
        baseline: The simple rule the others are measured against.
        horizon: Weeks ahead forecast in each backtest window.
        n_windows: How many backtest windows (forecast origins).
        step: Weeks between origins.
        scale_lag: Lag of the naive rule that scales MASE (52, or 1 when there is
            less than a year to compare with).
        warnings: Plain-English warnings for the report.
    """

    candidates: tuple[str, ...]
    baseline: str
    horizon: int
    n_windows: int
    step: int
    scale_lag: int
    warnings: tuple[str, ...] = ()


def plan_backtest(n_weeks: int, horizon_weeks: int = 12) -> BacktestPlan:
    """Choose the candidate methods and backtest windows for ``n_weeks`` of history.

    Args:
        n_weeks: Weeks of history (gaps included).
        horizon_weeks: Weeks the charity wants forecast.

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
        candidates, baseline, min_train, lag = ("SeasonalNaive", "AutoETS"), "SeasonalNaive", year, year
        warnings = (
            f"There are {n_weeks} weeks of history. The yearly pattern has been seen only once, so the "
            "method that learns it (it needs two years) was not used, and peaks such as Christmas are "
            "forecast from one year only.",
        )
    else:
        candidates, baseline, min_train, lag = ("Naive", "AutoETS"), "Naive", MIN_TRAIN_WEEKS, 1
        warnings = (
            f"There are only {n_weeks} weeks of history, less than a year to learn from and test on. "
            "The forecast cannot know about seasonal peaks such as Christmas or the summer holidays "
            "yet: it follows the recent level only. Treat it as a guide to the next few weeks.",
        )
    horizon = min(horizon_weeks, n_weeks - min_train)
    n_windows = min(MAX_BACKTEST_WINDOWS, (n_weeks - min_train - horizon) // BACKTEST_STEP_WEEKS + 1)
    return BacktestPlan(candidates, baseline, horizon, n_windows, BACKTEST_STEP_WEEKS, lag, warnings)


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


def _naive_scale(series: pd.DataFrame, lag: int) -> pd.DataFrame:
    """Running mean of |y(t) - y(t - lag)| over observed pairs, per series and week."""
    frame = series.sort_values(["unique_id", "ds"])
    grouped = frame.groupby("unique_id", sort=False)
    previous = grouped["y"].shift(lag)
    both = frame["observed"] & grouped["observed"].shift(lag, fill_value=False).astype(bool)
    change = (frame["y"] - previous).abs().where(both)
    frame = frame.assign(change_sum=change.fillna(0.0), change_n=change.notna().astype("float64"))
    sums = frame.groupby("unique_id", sort=False)[["change_sum", "change_n"]].cumsum()
    scale = (sums["change_sum"] / sums["change_n"]).where(lambda s: s > 0)
    return pd.DataFrame({"unique_id": frame["unique_id"], "cutoff": frame["ds"], "scale": scale})


def run_backtest(series: pd.DataFrame, plan: BacktestPlan, freq: str = "W-MON", n_jobs: int = 1) -> pd.DataFrame:
    """Score every candidate method on the series' own past.

    Args:
        series: Columns ``unique_id``, ``ds``, ``y`` (gaps filled) and
            ``observed`` (False for weeks that were filled in: not scored).
        plan: From :func:`plan_backtest`.
        freq: The weeks' pandas frequency.
        n_jobs: Processes for statsforecast.

    Returns:
        One row per series and method: ``unique_id``, ``model``, ``mase``,
        ``mae`` (average miss in parcels a week), ``coverage_80`` and
        ``coverage_95`` (share of actual weeks inside the ranges), ``windows``
        ``weeks_scored``, and ``widen_80`` and ``widen_95``: the factor that makes
        each range hold its share of actual weeks (1.0 with too few weeks scored).
    """
    forecaster = StatsForecast(models=build_models(plan.candidates), freq=freq, n_jobs=n_jobs)
    cv = forecaster.cross_validation(
        df=series[["unique_id", "ds", "y"]], h=plan.horizon, n_windows=plan.n_windows,
        step_size=plan.step, level=list(LEVELS),
    )
    # Miss relative to the range's half-width, before clipping changes the lower bound.
    relative_miss = {
        (model, level): (cv["y"] - cv[model]).abs()
        / np.maximum((cv[f"{model}-hi-{level}"] - cv[f"{model}-lo-{level}"]) / 2, 1e-9)
        for model in plan.candidates for level in LEVELS
    }
    cv = _clip_at_zero(cv, plan.candidates)
    cv = cv.assign(**{f"{model}-miss-{level}": miss for (model, level), miss in relative_miss.items()})
    cv = cv.merge(series[["unique_id", "ds", "observed"]], on=["unique_id", "ds"], how="left")
    cv = cv[cv["observed"].fillna(False).astype(bool)]
    cv = cv.merge(_naive_scale(series, plan.scale_lag), on=["unique_id", "cutoff"], how="left")
    rows = []
    for model in plan.candidates:
        error = (cv[model] - cv["y"]).abs()
        inside = {level: cv["y"].between(cv[f"{model}-lo-{level}"], cv[f"{model}-hi-{level}"]) for level in LEVELS}
        scored = pd.DataFrame({"unique_id": cv["unique_id"], "cutoff": cv["cutoff"], "error": error,
                               "scale": cv["scale"], "in_80": inside[80], "in_95": inside[95],
                               **{f"miss_{level}": cv[f"{model}-miss-{level}"] for level in LEVELS}})
        per_window = scored.groupby(["unique_id", "cutoff"]).agg(mae=("error", "mean"), scale=("scale", "first"))
        per_window["mase"] = per_window["mae"] / per_window["scale"]
        per_series = per_window.groupby("unique_id").agg(mase=("mase", "mean"), windows=("mae", "size"))
        totals = scored.groupby("unique_id").agg(
            mae=("error", "mean"), coverage_80=("in_80", "mean"), coverage_95=("in_95", "mean"),
            weeks_scored=("error", "size"))
        for level in LEVELS:
            widen = scored.groupby("unique_id")[f"miss_{level}"].quantile(level / 100)
            enough = totals["weeks_scored"] >= MIN_CALIBRATION_WEEKS
            totals[f"widen_{level}"] = widen.reindex(totals.index).where(enough, 1.0)
        rows.append(per_series.join(totals).reset_index().assign(model=model))
    columns = ["unique_id", "model", "mase", "mae", "coverage_80", "coverage_95", "windows", "weeks_scored",
               "widen_80", "widen_95"]
    return pd.concat(rows, ignore_index=True)[columns].sort_values(["unique_id", "model"], ignore_index=True)


def choose_models(scores: pd.DataFrame) -> pd.Series:
    """The method with the lowest MASE for each series (lowest MAE when MASE cannot be computed).

    Example:
        >>> scores = pd.DataFrame({"unique_id": ["a", "a"], "model": ["Naive", "AutoETS"],
        ...                        "mase": [1.0, 0.7], "mae": [10.0, 7.0]})
        >>> choose_models(scores).to_dict()
        {'a': 'AutoETS'}
    """
    key = scores["mase"].where(scores["mase"].notna(), scores["mae"] * 1e6)
    best = scores.assign(key=key).sort_values(["unique_id", "key", "model"]).groupby("unique_id").head(1)
    return best.set_index("unique_id")["model"]


def forecast_with(series: pd.DataFrame, chosen: pd.Series, horizon_weeks: int, freq: str = "W-MON",
                  n_jobs: int = 1, widen: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fit each series' chosen method on all its history and forecast ahead.

    Args:
        series: As for :func:`forecast_many`.
        chosen: The method per series.
        horizon_weeks: Weeks ahead.
        freq: The weeks' pandas frequency.
        n_jobs: Processes for statsforecast.
        widen: Optional ``widen_80`` and ``widen_95`` factors per series (index
            ``unique_id``) from :func:`run_backtest`, applied to the ranges.

    Returns:
        Columns ``unique_id``, ``week_start``, ``forecast``, ``lower_80``,
        ``upper_80``, ``lower_95``, ``upper_95`` (floats, clipped at 0).
    """
    frames = []
    for model, ids in chosen.groupby(chosen).groups.items():
        subset = series.loc[series["unique_id"].isin(ids), ["unique_id", "ds", "y"]]
        forecaster = StatsForecast(models=build_models([model]), freq=freq, n_jobs=n_jobs)
        predicted = forecaster.forecast(df=subset, h=horizon_weeks, level=list(LEVELS))
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
            "unique_id": predicted["unique_id"], "week_start": predicted["ds"], "forecast": predicted[model],
            **{f"{side}_{level}": predicted[f"{model}-{tag}-{level}"]
               for level in LEVELS for side, tag in (("lower", "lo"), ("upper", "hi"))},
        }))
    out = pd.concat(frames, ignore_index=True)
    return out[["unique_id", *FORECAST_COLUMNS]].sort_values(["unique_id", "week_start"], ignore_index=True)


@dataclass
class ManyForecasts:
    """Forecasts for several series at once (an umbrella body's food banks).

    Attributes:
        scores: Backtest scores, one row per series and method.
        chosen: The chosen method per series.
        forecasts: One row per series and future week.
        plans: The backtest plan used for each series.
    """

    scores: pd.DataFrame
    chosen: pd.Series
    forecasts: pd.DataFrame
    plans: dict[str, BacktestPlan] = field(default_factory=dict)


def forecast_many(series: pd.DataFrame, horizon_weeks: int = 12, freq: str = "W-MON",
                  n_jobs: int = 1) -> ManyForecasts:
    """Backtest, choose and forecast for one or many weekly series.

    Series are grouped by the methods their length allows; each group is tested
    with windows that fit its shortest series.

    Args:
        series: Columns ``unique_id``, ``ds``, ``y`` (no gaps: fill them first)
            and optionally ``observed`` (default all True).
        horizon_weeks: Weeks ahead.
        freq: The weeks' pandas frequency ("W-MON" for Monday labels).
        n_jobs: Processes for statsforecast.

    Returns:
        A :class:`ManyForecasts`.

    Raises:
        InputProblem: A series is too short or has gaps.

    Example:
        >>> weeks = pd.date_range("2024-01-01", periods=20, freq="W-MON")
        >>> toy = pd.DataFrame({"unique_id": "fb", "ds": weeks, "y": np.arange(20.0) % 4 + 10})
        >>> result = forecast_many(toy, horizon_weeks=4)
        >>> result.chosen["fb"] in ("Naive", "AutoETS"), len(result.forecasts)
        (True, 4)
    """
    if "observed" not in series:
        series = series.assign(observed=True)
    if series["y"].isna().any():
        raise InputProblem("The weekly series has gaps: fill them before forecasting.")
    lengths = series.groupby("unique_id")["ds"].size()
    plans = {uid: plan_backtest(int(n), horizon_weeks) for uid, n in lengths.items()}
    tier = pd.Series({uid: plan.candidates for uid, plan in plans.items()})
    scores = []
    for candidates, ids in tier.groupby(tier.map(",".join)).groups.items():
        group_plan = plan_backtest(int(lengths[ids].min()), horizon_weeks)
        subset = series[series["unique_id"].isin(ids)]
        scores.append(run_backtest(subset, group_plan, freq, n_jobs))
        plans.update(dict.fromkeys(ids, group_plan))
    scores = pd.concat(scores, ignore_index=True)
    chosen = choose_models(scores)
    widen = scores.merge(chosen.rename("model").reset_index(), on=["unique_id", "model"]).set_index("unique_id")
    forecasts = forecast_with(series, chosen, horizon_weeks, freq, n_jobs, widen[["widen_80", "widen_95"]])
    return ManyForecasts(scores, chosen, forecasts, plans)


@dataclass
class DemandForecast:
    """One food bank's forecast and how its method was chosen.

    Attributes:
        forecast: One row per future week in order, :data:`FORECAST_COLUMNS`,
            rounded to whole parcels.
        backtest: One row per method: ``model``, ``method`` (plain name),
            ``mase``, ``mae``, ``coverage_80``, ``coverage_95``, ``chosen``,
            ``baseline``; best first.
        model: The chosen method (statsforecast name).
        baseline: The simple rule it was compared with.
        plan: The backtest plan.
        warnings: Plain-English warnings for the report.
    """

    forecast: pd.DataFrame
    backtest: pd.DataFrame
    model: str
    baseline: str
    plan: BacktestPlan
    warnings: list[str]

    @property
    def model_label(self) -> str:
        return MODEL_LABELS[self.model]

    def score(self, model: str, column: str = "mase") -> float:
        """One backtest figure for one method, e.g. ``score("SeasonalNaive", "mae")``."""
        return float(self.backtest.set_index("model").loc[model, column])


def demand_series(demand: WeeklyDemand, unique_id: str = "food bank") -> pd.DataFrame:
    """The history of a :class:`~helpers.food_bank.weekly.WeeklyDemand` as statsforecast's long format."""
    history = demand.history
    return pd.DataFrame({
        "unique_id": unique_id, "ds": history.index, "y": history["for_fitting"].to_numpy(),
        "observed": (history["status"] == COUNTED).to_numpy(),
    })


def forecast_demand(demand: WeeklyDemand, horizon_weeks: int = 12, n_jobs: int = 1) -> DemandForecast:
    """Forecast one food bank's weekly parcels with the method that did best on its past.

    Args:
        demand: From :func:`helpers.food_bank.weekly.weekly_demand`.
        horizon_weeks: Weeks ahead (the playbook's ``horizon_weeks``).
        n_jobs: Processes for statsforecast.

    Returns:
        A :class:`DemandForecast`.

    Raises:
        InputProblem: Too little history.

    Example:
        >>> from helpers.food_bank.weekly import weekly_demand
        >>> from helpers.synthetic.foodbank import make_weekly_parcels
        >>> weekly = make_weekly_parcels(40, seed=3)
        >>> result = forecast_demand(weekly_demand(weekly, "week_start", "parcels"), horizon_weeks=6)
        >>> result.forecast.columns.tolist(), len(result.forecast), result.baseline
        (['week_start', 'forecast', 'lower_80', 'upper_80', 'lower_95', 'upper_95'], 6, 'Naive')
    """
    series = demand_series(demand)
    result = forecast_many(series, horizon_weeks, demand.freq, n_jobs)
    plan = result.plans[series["unique_id"].iloc[0]]
    forecast = result.forecasts.drop(columns="unique_id")
    forecast[FORECAST_COLUMNS[1:]] = forecast[FORECAST_COLUMNS[1:]].round().astype("int64")
    backtest = result.scores.drop(columns="unique_id")
    chosen = result.chosen.iloc[0]
    backtest = backtest.assign(
        method=backtest["model"].map(MODEL_LABELS), chosen=backtest["model"] == chosen,
        baseline=backtest["model"] == plan.baseline,
    ).sort_values(["mase", "model"], ignore_index=True)
    backtest = backtest[["model", "method", "mase", "mae", "coverage_80", "coverage_95", "chosen", "baseline",
                         "windows", "weeks_scored", "widen_80", "widen_95"]]
    return DemandForecast(forecast.reset_index(drop=True), backtest, chosen, plan.baseline, plan,
                          list(plan.warnings))


def write_forecast_files(forecast: pd.DataFrame, folder: pathlib.Path) -> list[pathlib.Path]:
    """Write ``forecast.csv`` and ``forecast.xlsx``: one row per future week, in order.

    Args:
        forecast: :attr:`DemandForecast.forecast`.
        folder: The output folder.

    Returns:
        The two paths.

    Example:
        >>> import tempfile
        >>> frame = pd.DataFrame([[pd.Timestamp("2025-03-24"), 150, 130, 170, 120, 180]], columns=FORECAST_COLUMNS)
        >>> paths = write_forecast_files(frame, pathlib.Path(tempfile.mkdtemp()))
        >>> paths[0].read_text().splitlines()
        ['week_start,forecast,lower_80,upper_80,lower_95,upper_95', '2025-03-24,150,130,170,120,180']
    """
    folder = pathlib.Path(folder)
    table = forecast[FORECAST_COLUMNS].sort_values("week_start", ignore_index=True)
    csv_path, xlsx_path = folder / "forecast.csv", folder / "forecast.xlsx"
    table.to_csv(csv_path, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    write_frames(xlsx_path, {"Forecast": table.assign(week_start=table["week_start"].dt.date)})
    return [csv_path, xlsx_path]


def peak_weeks(forecast: pd.DataFrame, markers: pd.DataFrame | None = None, n: int = 3) -> pd.DataFrame:
    """The future weeks with the highest central forecast, busiest first.

    Args:
        forecast: :attr:`DemandForecast.forecast`.
        markers: Optional :func:`helpers.food_bank.weekly.week_markers` for the same weeks,
            to say what falls in them.
        n: How many weeks.

    Example:
        >>> frame = pd.DataFrame({"week_start": pd.date_range("2025-01-06", periods=3, freq="W-MON"),
        ...                       "forecast": [5, 9, 7], "upper_80": [6, 11, 8]})
        >>> peak_weeks(frame, n=2)["forecast"].tolist()
        [9, 7]
    """
    top = forecast.sort_values(["forecast", "week_start"], ascending=[False, True]).head(n)
    if markers is not None:
        top = top.join(markers, on="week_start")
    return top.reset_index(drop=True)


def forecast_summary(demand: WeeklyDemand, result: DemandForecast) -> dict:
    """The headline figures for ``summary.json``.

    Keys: ``history_weeks``, ``missing_weeks`` (count), ``missing_week_starts``,
    ``closed_weeks``, ``horizon_weeks``, ``model``, ``model_label``, ``baseline``,
    ``backtest`` (MASE per method, baseline included), ``backtest_mae``,
    ``first_forecast_week``, ``forecast_total`` (central and upper 80% over the
    horizon), ``input_kind``, ``week_starts_on``, ``warnings``.
    """
    table = result.backtest.set_index("model")
    return {
        "history_weeks": demand.history_weeks,
        "missing_weeks": len(demand.missing_weeks),
        "missing_week_starts": [f"{w:%Y-%m-%d}" for w in demand.missing_weeks],
        "closed_weeks": len(demand.closed_weeks),
        "horizon_weeks": len(result.forecast),
        "model": result.model,
        "model_label": result.model_label,
        "baseline": result.baseline,
        "backtest": {m: round(float(v), 3) for m, v in table["mase"].items()},
        "backtest_mae": {m: round(float(v), 1) for m, v in table["mae"].items()},
        "first_forecast_week": f"{result.forecast['week_start'].iloc[0]:%Y-%m-%d}",
        "forecast_total": {"central": int(result.forecast["forecast"].sum()),
                           "sum_of_weekly_upper_80": int(result.forecast["upper_80"].sum())},
        "forecast_parcels": int(result.forecast["forecast"].sum()),
        "input_kind": demand.input_kind,
        "week_starts_on": demand.week_day,
        "warnings": list(result.warnings),
        # What `surgery rerun` compares with last time, in words.
        "headline": {
            "history_weeks": "weeks of records",
            "missing_weeks": "weeks with no records",
            "forecast_parcels": "parcels forecast for the weeks ahead",
        },
    }


def _what_is_on(markers: pd.DataFrame) -> pd.Series:
    parts = pd.DataFrame({
        "christmas": np.where(markers["christmas"], "Christmas", ""),
        "bank": markers["bank_holidays"].where(~markers["christmas"], ""),
        "school": np.where(markers["school_holiday"], "school holiday", ""),
    }, index=markers.index)
    return parts.apply(lambda row: "; ".join(p for p in row if p), axis=1).astype("str")


def forecast_table(result: DemandForecast, markers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The forecast as the report shows it: one row per week, ranges in words.

    Example:
        >>> frame = pd.DataFrame([[pd.Timestamp("2025-03-24"), 150, 130, 170, 120, 180]], columns=FORECAST_COLUMNS)
        >>> result = DemandForecast(frame, pd.DataFrame(), "AutoETS", "Naive", None, [])
        >>> forecast_table(result).to_dict("records")
        [{'Week starting': '24 Mar 2025', 'Forecast': 150, 'Likely range (80%)': '130 to 170', 'Wider range (95%)': '120 to 180'}]
    """
    f = result.forecast
    table = pd.DataFrame({
        "Week starting": [date_words(week, short=True) for week in f["week_start"]],
        "Forecast": f["forecast"],
        "Likely range (80%)": f["lower_80"].astype("str") + " to " + f["upper_80"].astype("str"),
        "Wider range (95%)": f["lower_95"].astype("str") + " to " + f["upper_95"].astype("str"),
    })
    if markers is not None:
        table["What is on"] = _what_is_on(markers).reindex(f["week_start"]).fillna("").to_numpy()
    return table


def backtest_table(result: DemandForecast) -> pd.DataFrame:
    """The backtest as the report shows it: each method's average miss and score, best first."""
    b = result.backtest
    method = b["method"].str.capitalize() + np.where(b["chosen"], " (chosen)", "") + np.where(
        b["baseline"], " (baseline)", "")
    return pd.DataFrame({
        "Method": method,
        "Technical name": b["model"].map(MODEL_TECHNICAL_NAMES),
        "Average miss (parcels a week)": b["mae"].round().astype("int64"),
        "Score (MASE: below 1 beats the baseline)": b["mase"].round(2),
        "Actual weeks inside its own 80% range": (100 * b["coverage_80"]).round().astype("int64").astype("str") + "%",
    })


def forecast_chart(demand: WeeklyDemand, result: DemandForecast, markers: pd.DataFrame | None = None,
                   weeks_shown: int = 52):
    """The last year of actual parcels, then the forecast with its 80% and 95% ranges.

    Christmas weeks get a dotted line and bank holidays a triangle on the time axis,
    each labelled once; school-holiday weeks (when the markers have any) are shaded
    light blue and labelled once, on the longest run of them. Lines and ranges are
    labelled directly.

    Args:
        demand: The weekly history.
        result: The forecast.
        markers: :func:`helpers.food_bank.weekly.week_markers` covering the weeks shown.
        weeks_shown: Weeks of history to show before the forecast.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.
    """
    from helpers.writing.charts import PALETTE, new_chart

    history = demand.weeks.iloc[-weeks_shown:]
    actual = history["parcels"].where(history["status"] == COUNTED)
    f = result.forecast
    fig, ax = new_chart(9.5, 4.8)
    ax.plot(history.index, actual, color=PALETTE[0], linewidth=1.6)
    ax.fill_between(f["week_start"], f["lower_95"], f["upper_95"], color=PALETTE[1], alpha=0.25, linewidth=0)
    ax.fill_between(f["week_start"], f["lower_80"], f["upper_80"], color=PALETTE[1], alpha=0.5, linewidth=0)
    ax.plot(f["week_start"], f["forecast"], color=PALETTE[3], linewidth=2)
    end = f["week_start"].iloc[-1]
    label = {"textcoords": "offset points", "va": "center", "fontsize": 10}
    last_actual = actual.last_valid_index()
    ax.annotate("Actual", (last_actual, actual[last_actual]), xytext=(-6, 14), ha="right",
                color=PALETTE[0], fontweight="bold", **label)
    ax.annotate("Forecast", (end, f["forecast"].iloc[-1]), xytext=(6, 0), color=PALETTE[3], fontweight="bold",
                **label)
    ax.annotate("95% range", (end, f["upper_95"].iloc[-1]), xytext=(6, 2), color="#9A6A00", **label)
    ax.annotate("80% range", (end, f["lower_80"].iloc[-1]), xytext=(6, 0), color="#9A6A00", **label)
    top = float(np.nanmax([actual.max(), f["upper_95"].max()]))
    holidays_in_forecast: list[str] = []
    school_runs: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    school_in_forecast = 0
    if markers is not None:
        shown = markers.loc[(markers.index >= history.index[0]) & (markers.index <= end)]
        school_runs = _school_holiday_runs(shown)
        school_in_forecast = int(shown.loc[shown.index >= f["week_start"].iloc[0], "school_holiday"].sum())
        first_bank = True
        for week, row in shown.iterrows():
            middle = week + pd.Timedelta(days=3)
            if row["christmas"]:
                ax.axvline(middle, color=PALETTE[7], linestyle=":", linewidth=1)
                ax.annotate("Christmas", (middle, top * 1.08), ha="center", fontsize=9)
            elif row["bank_holidays"]:
                ax.plot([middle], [top * 0.02], marker="^", color=PALETTE[4], markersize=7)
                if first_bank:
                    ax.annotate("bank holiday", (middle, top * 0.02), xytext=(6, 8), textcoords="offset points",
                                color=PALETTE[4], fontsize=9)
                    first_bank = False
                if week >= f["week_start"].iloc[0]:
                    holidays_in_forecast.append(f"{row['bank_holidays']} (week of {date_words(week, year=False)})")
    # With school holidays the top is a little higher, so their label clears the "Christmas" one.
    ceiling = top * (1.22 if school_runs else 1.15)
    for first, last in school_runs:
        ax.axvspan(first, last + pd.Timedelta(weeks=1), color=PALETTE[5], alpha=0.2, linewidth=0, zorder=0)
    if school_runs:
        first, _ = max(school_runs, key=lambda run: run[1] - run[0])
        ax.annotate("School holidays", (first, ceiling), xytext=(3, -3), textcoords="offset points",
                    ha="left", va="top", color="#1F5F8B", fontsize=9)
    ax.set_ylim(0, ceiling)
    ax.set_xlim(history.index[0], end + pd.Timedelta(weeks=max(3, len(f) // 4)))
    format_month_axis(ax)
    ax.set_ylabel("Parcels a week")
    ax.set_title(f"Parcels a week: the last year and the next {len(f)} weeks")
    marked = (f" Bank holidays in the forecast period: {'; '.join(holidays_in_forecast)}."
              if holidays_in_forecast else "")
    alt = (
        f"Line chart of parcels given out each week from {history.index[0]:%B %Y}, then the forecast for the "
        f"{len(f)} weeks from {date_words(f['week_start'].iloc[0])} to {date_words(end)}: about "
        f"{f['forecast'].mean():.0f} a week, with 80% ranges from {f['lower_80'].min()} to {f['upper_80'].max()} "
        f"parcels shaded around it. Christmas weeks are marked with dotted lines and bank holidays with "
        f"triangles.{marked}"
    )
    if school_runs:
        in_forecast = (f"{plural(school_in_forecast, 'week')} of the forecast period "
                       f"{'is' if school_in_forecast == 1 else 'are'}" if school_in_forecast
                       else "no week of the forecast period is")
        alt += f" School-holiday weeks are shaded light blue; {in_forecast} in the school holidays."
    return fig, alt


def _school_holiday_runs(markers: pd.DataFrame) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The school-holiday weeks of ``markers`` as ``(first week, last week)`` runs of consecutive weeks.

    Example:
        >>> weeks = pd.date_range("2024-07-15", periods=5, freq="W-MON")
        >>> marks = pd.DataFrame({"school_holiday": [False, True, True, False, True]}, index=weeks)
        >>> [(f"{a:%d %b}", f"{b:%d %b}") for a, b in _school_holiday_runs(marks)]
        [('22 Jul', '29 Jul'), ('12 Aug', '12 Aug')]
    """
    if "school_holiday" not in markers:
        return []
    weeks = markers.index[markers["school_holiday"].to_numpy(dtype=bool)]
    runs: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for week in weeks:
        if runs and week - runs[-1][1] <= pd.Timedelta(weeks=1):
            runs[-1] = (runs[-1][0], week)
        else:
            runs.append((week, week))
    return runs
