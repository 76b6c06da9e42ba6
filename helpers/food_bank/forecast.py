"""One food bank's forecast: the result, its files, tables, summary and chart.

The method is chosen and fitted by :mod:`helpers.food_bank.backtest`. Here the forecast
is labelled the charity's way (``week_ending`` beside ``week_start``), a partly
recorded last week is marked, weeks the food bank will be shut are forecast as
closed (their likely demand kept aside to say where it may go), and the forecast's
total gets its own 80% range.
"""

from __future__ import annotations

import math
import pathlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.food_bank.backtest import (
    LEVELS,
    MIN_HISTORY_WEEKS,
    MODEL_LABELS,
    MODEL_TECHNICAL_NAMES,
    BacktestPlan,
    ManyForecasts,
    choose_models,
    forecast_many,
    plan_backtest,
    run_backtest,
)
from helpers.errors import InputProblem
from helpers.food_bank.weekly import COUNTED, WeeklyDemand, date_words
from helpers.writing.workbooks import write_frames

__all__ = [
    "FORECAST_COLUMNS", "LEVELS", "MIN_HISTORY_WEEKS", "MODEL_LABELS", "MODEL_TECHNICAL_NAMES", "BacktestPlan",
    "DemandForecast", "ManyForecasts", "choose_models", "forecast_demand", "forecast_many", "plan_backtest",
    "run_backtest",
]


#: The columns of ``forecast.csv``, in order.
FORECAST_COLUMNS = ["week_start", "week_ending", "forecast", "lower_80", "upper_80", "lower_95", "upper_95",
                    "status"]
#: A forecast week's status: forecast, the partly recorded week the data ends in, or shut all week.
AHEAD, PARTLY_RECORDED, SHUT = "forecast", "partly recorded", "closed"


@dataclass
class DemandForecast:
    """One food bank's forecast and how its method was chosen.

    Attributes:
        forecast: One row per future week in order, :data:`FORECAST_COLUMNS`,
            rounded to whole parcels; closed weeks hold 0.
        backtest: One row per method: ``model``, ``method`` (plain name),
            ``mase``, ``mae``, ``relative_mae``, ``coverage_80``,
            ``coverage_95``, ``chosen``, ``baseline``...; best first.
        model: The chosen method (statsforecast name).
        baseline: The simple rule it was compared with.
        plan: The backtest plan.
        warnings: Plain-English warnings for the report.
        closed: Weeks ahead the food bank will be shut all week: ``week_start``
            and ``if_open`` (the parcels the week would have needed).
        partial: The partly recorded week the data ends in and its parcels so
            far, or None.
        label: "start" or "end": how the charity labels its weeks.
        seconds: Wall time of the backtest-and-forecast step (the statsforecast call).
        misses: The chosen method's backtest misses by window and step ahead (see
            :attr:`helpers.food_bank.backtest.ManyForecasts.misses`): the total's range comes from them.
    """

    forecast: pd.DataFrame
    backtest: pd.DataFrame
    model: str
    baseline: str
    plan: BacktestPlan
    warnings: list[str]
    closed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["week_start", "if_open"]))
    partial: tuple[pd.Timestamp, float] | None = None
    label: str = "start"
    seconds: float = 0.0
    misses: pd.DataFrame | None = None

    @property
    def model_label(self) -> str:
        return MODEL_LABELS[self.model]

    def score(self, model: str, column: str = "mase") -> float:
        """One backtest figure for one method, e.g. ``score("SeasonalNaive", "mae")``."""
        return float(self.backtest.set_index("model").loc[model, column])

    @property
    def open_weeks(self) -> pd.DataFrame:
        """The forecast weeks the food bank is open (closed weeks left out: no parcels, no stock)."""
        return self.forecast[self.forecast["status"] != SHUT]

    @property
    def total(self) -> dict[str, int]:
        """The forecast's total over the open weeks and an 80% range for that total (see :func:`total_range`)."""
        return total_range(self.open_weeks, self.misses)


def total_range(weeks: pd.DataFrame, misses: pd.DataFrame | None = None) -> dict[str, int]:
    """An 80% range for the total of several forecast weeks, from the backtest's summed misses.

    Misses made from one forecast origin share that origin's level error for the
    whole horizon, so they do not cancel out as independent (or quickly
    decorrelating) weekly misses would. The range is therefore read off the
    backtest itself, the way a conformal range is: in every backtest window the
    misses of the same steps ahead (the same positions as ``weeks`` in the
    forecast) are added up, and the total's half-width is Student's t (80%, one
    degree of freedom per stretch of distinct test weeks as long as the total, as
    neighbouring windows share most of their weeks) times the root mean square of those summed
    misses. A window missing some of the steps (a week with no data, or a test
    shorter than the forecast) counts with its sum scaled up to all of them, as
    a shared level error would grow. With fewer than :data:`MIN_TOTAL_WINDOWS`
    windows the range falls back to the sum of the weekly 80% ranges, which is
    wider than 80% (it assumes every week misses the same way at once).

    Measured by ``benchmarks/bench_calibration.py`` (rolling origins over a long
    series and the sample network): see the README's food-bank paragraph.

    Args:
        weeks: Rows of :attr:`DemandForecast.forecast` (``forecast``,
            ``lower_80``, ``upper_80``); their index gives their step ahead
            (row 0 is one week ahead), as the forecast's own index does.
        misses: :attr:`DemandForecast.misses` (``window``, ``step``, ``miss``), or None.

    Returns:
        ``{"central", "lower_80", "upper_80"}`` in whole parcels (lower at least 0).

    Example:
        >>> weeks = pd.DataFrame({"forecast": [100, 100], "lower_80": [90, 90], "upper_80": [110, 110]})
        >>> total_range(weeks)  # no backtest: the weekly ranges added up
        {'central': 200, 'lower_80': 180, 'upper_80': 220}
        >>> misses = pd.DataFrame({"window": [0, 0, 1, 1, 2, 2, 3, 3], "step": [1, 2] * 4,
        ...                        "miss": [5.0, 5.0, -5.0, -5.0, 5.0, 5.0, -5.0, -5.0]})
        >>> total_range(weeks, misses)  # t(4 df) x 10
        {'central': 200, 'lower_80': 185, 'upper_80': 215}
    """
    central = float(weeks["forecast"].sum())
    half = summed_miss_half_width(np.asarray(weeks.index) + 1, misses)
    if not np.isfinite(half):
        half = float(((weeks["upper_80"] - weeks["lower_80"]) / 2).sum())
    return {"central": int(round(central)), "lower_80": int(max(0, round(central - half))),
            "upper_80": int(round(central + half))}


#: Fewest backtest windows to read a total's range from; with fewer, the weekly ranges are added up.
MIN_TOTAL_WINDOWS = 3


def summed_miss_half_width(steps, misses: pd.DataFrame | None, level: float = 0.8) -> float:
    """Half the width of a ``level`` range for the sum of the forecast at ``steps``, from backtest misses.

    NaN when fewer than :data:`MIN_TOTAL_WINDOWS` windows hold at least half of the steps.

    Example:
        >>> misses = pd.DataFrame({"window": [0, 1, 2], "step": [1, 1, 1], "miss": [3.0, -4.0, 0.0]})
        >>> round(summed_miss_half_width([1], misses), 2)  # t(3 df, 90%) x sqrt(25 / 3)
        4.73
    """
    from scipy.stats import t as student

    steps = np.unique(np.asarray(steps, dtype="int64"))
    if misses is None or misses.empty or not len(steps):
        return math.nan
    wanted = misses[misses["step"].isin(steps)]
    per_window = wanted.groupby("window")["miss"].agg(["sum", "size"])
    per_window = per_window[per_window["size"] >= len(steps) / 2]
    if len(per_window) < MIN_TOTAL_WINDOWS:
        return math.nan
    summed = per_window["sum"] * len(steps) / per_window["size"]
    # Overlapping windows share test weeks, so they are worth fewer independent sums than there are
    # windows: one degree of freedom for each stretch of distinct test weeks as long as the total's.
    freedom = len(summed)
    if "week_start" in wanted:
        used = wanted[wanted["window"].isin(per_window.index)]
        freedom = min(freedom, max(1.0, used["week_start"].nunique() / len(steps)))
    return float(student.ppf(0.5 + level / 2, freedom) * math.sqrt(float((summed ** 2).mean())))


def demand_series(demand: WeeklyDemand, unique_id: str = "food bank") -> pd.DataFrame:
    """The history of a :class:`~helpers.food_bank.weekly.WeeklyDemand` as statsforecast's long format."""
    history = demand.history
    return pd.DataFrame({
        "unique_id": unique_id, "ds": history.index, "y": history["for_fitting"].to_numpy(),
        "observed": (history["status"] == COUNTED).to_numpy(),
    })


def label_forecast(forecast: pd.DataFrame, demand: WeeklyDemand) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Round a forecast to whole parcels, add ``week_ending`` and ``status``, and shut the closed weeks.

    Args:
        forecast: ``week_start``, ``forecast`` and the four bounds, one row per week.
        demand: The weekly history (its closure dates and partly recorded week).

    Returns:
        ``(forecast, closed)``: the forecast in :data:`FORECAST_COLUMNS` (closed
        weeks at 0), and the closed weeks with ``if_open``, the parcels they would
        have needed.
    """
    numbers = ["forecast", "lower_80", "upper_80", "lower_95", "upper_95"]
    out = forecast.reset_index(drop=True).copy()
    out[numbers] = out[numbers].round().astype("int64")
    out["week_ending"] = demand.week_end(out["week_start"])
    status = np.full(len(out), AHEAD, dtype=object)
    partial = demand.partial_week
    if partial is not None:
        status[(out["week_start"] == partial[0]).to_numpy()] = PARTLY_RECORDED
    shut = demand.closed_in(out["week_start"])
    if len(out) and np.asarray(shut).all():  # nothing open to forecast: a sentence, not an empty table's IndexError
        raise InputProblem("closed_dates shuts the food bank for every week of the forecast, so there is nothing to "
                           "forecast. Give only the dates it was or will be shut (days or weeks, not years).")
    status[shut] = SHUT
    out["status"] = pd.Series(status, dtype="str")
    closed = pd.DataFrame({"week_start": out.loc[shut, "week_start"], "if_open": out.loc[shut, "forecast"]})
    out.loc[shut, numbers] = 0
    return out[FORECAST_COLUMNS], closed.reset_index(drop=True)


def forecast_demand(demand: WeeklyDemand, horizon_weeks: int = 12, n_jobs: int = 1,
                    backend: str = "local") -> DemandForecast:
    """Forecast one food bank's weekly parcels with the method that did best on its past.

    Args:
        demand: From :func:`helpers.food_bank.weekly.weekly_demand`.
        horizon_weeks: Weeks ahead (the playbook's ``horizon_weeks``).
        n_jobs: Processes for statsforecast.
        backend: "local" or "spark" (see :func:`helpers.food_bank.backtest.forecast_many`).

    Returns:
        A :class:`DemandForecast`.

    Raises:
        InputProblem: Too little history, or an unknown backend.

    Example:
        >>> from helpers.food_bank.weekly import weekly_demand
        >>> from helpers.synthetic.foodbank import make_weekly_parcels
        >>> weekly = make_weekly_parcels(40, seed=3)
        >>> result = forecast_demand(weekly_demand(weekly, "week_start", "parcels"), horizon_weeks=6)
        >>> len(result.forecast), result.baseline, result.forecast["status"].unique().tolist()
        (6, 'Naive', ['forecast'])
    """
    series = demand_series(demand)
    result = forecast_many(series, horizon_weeks, demand.freq, n_jobs, backend)
    plan = result.plans[series["unique_id"].iloc[0]]
    forecast, closed = label_forecast(result.forecasts.drop(columns="unique_id"), demand)
    backtest = backtest_frame(result.scores.drop(columns="unique_id"), result.chosen.iloc[0], plan.baseline)
    warnings = list(plan.warnings)
    misses = result.misses.drop(columns="unique_id") if result.misses is not None else None
    return DemandForecast(forecast, backtest, result.chosen.iloc[0], plan.baseline, plan, warnings, closed,
                          demand.partial_week, demand.label, result.seconds, misses)


def backtest_frame(scores: pd.DataFrame, chosen: str, baseline: str) -> pd.DataFrame:
    """One series' backtest scores with plain method names and chosen/baseline flags, best first."""
    backtest = scores.assign(
        method=scores["model"].map(MODEL_LABELS), chosen=scores["model"] == chosen,
        baseline=scores["model"] == baseline,
    ).sort_values(["mase", "mae", "model"], ignore_index=True)
    return backtest[["model", "method", "mase", "mae", "relative_mae", "coverage_80", "coverage_95", "chosen",
                     "baseline", "windows", "weeks_scored", "widen_80", "widen_95", "error_correlation"]]


def write_forecast_files(forecast: pd.DataFrame, folder: pathlib.Path) -> list[pathlib.Path]:
    """Write ``forecast.csv`` and ``forecast.xlsx``: one row per future week, in order.

    Both keep ``week_start`` and add ``week_ending`` beside it, so a charity that
    labels weeks either way finds its own dates; ``status`` says which weeks are
    partly recorded already or closed. With a ``site`` column (a network), rows
    are grouped by site, the network total last.

    Args:
        forecast: :attr:`DemandForecast.forecast` (optionally with ``site`` first).
        folder: The output folder.

    Returns:
        The two paths.

    Example:
        >>> import tempfile
        >>> row = [pd.Timestamp("2025-03-24"), pd.Timestamp("2025-03-30"), 150, 130, 170, 120, 180, "forecast"]
        >>> paths = write_forecast_files(pd.DataFrame([row], columns=FORECAST_COLUMNS), pathlib.Path(tempfile.mkdtemp()))
        >>> paths[0].read_text().splitlines()[1]
        '2025-03-24,2025-03-30,150,130,170,120,180,forecast'
    """
    from helpers.writing.workbooks import write_csv

    folder = pathlib.Path(folder)
    columns = (["site"] if "site" in forecast else []) + FORECAST_COLUMNS
    table = forecast[columns].reset_index(drop=True)
    if "site" not in table:
        table = table.sort_values("week_start", ignore_index=True)
    csv_path, xlsx_path = folder / "forecast.csv", folder / "forecast.xlsx"
    dated = table.assign(week_start=table["week_start"].dt.strftime("%Y-%m-%d"),
                         week_ending=table["week_ending"].dt.strftime("%Y-%m-%d"))
    write_csv(dated, csv_path, lineterminator="\n")
    write_frames(xlsx_path, {"Forecast": table.assign(week_start=table["week_start"].dt.date,
                                                      week_ending=table["week_ending"].dt.date)})
    return [csv_path, xlsx_path]


def peak_weeks(forecast: pd.DataFrame, markers: pd.DataFrame | None = None, n: int = 3) -> pd.DataFrame:
    """The future weeks with the highest central forecast, busiest first.

    Only whole weeks still ahead count: never the partly recorded week the data
    ends in, nor a week the food bank is shut.

    Args:
        forecast: :attr:`DemandForecast.forecast`.
        markers: Optional :func:`helpers.food_bank.weekly.week_markers` for the same weeks,
            to say what falls in them.
        n: How many weeks.

    Example:
        >>> frame = pd.DataFrame({"week_start": pd.date_range("2025-01-06", periods=3, freq="W-MON"),
        ...                       "forecast": [12, 9, 7], "status": ["partly recorded", "forecast", "forecast"]})
        >>> peak_weeks(frame, n=2)["forecast"].tolist()
        [9, 7]
    """
    ahead = forecast[forecast["status"] == AHEAD] if "status" in forecast else forecast
    top = ahead.sort_values(["forecast", "week_start"], ascending=[False, True]).head(n)
    if markers is not None:
        top = top.join(markers, on="week_start")
    return top.reset_index(drop=True)


def forecast_summary(demand: WeeklyDemand, result: DemandForecast) -> dict:
    """The headline figures for ``summary.json``.

    Keys: ``history_weeks``, ``missing_weeks`` (count), ``missing_week_starts``,
    ``closed_weeks``, ``horizon_weeks``, ``model``, ``model_label``, ``baseline``,
    ``backtest`` (MASE per method, baseline included; null when it cannot be
    computed), ``backtest_mae``, ``backtest_relative_mae`` (each method's average
    miss over the baseline's), ``mase_scale`` ("same week last year" or "last
    week"), ``first_forecast_week``, ``forecast_total`` (central, the 80% range
    of the total, and the old sum of weekly upper 80% limits), ``input_kind``,
    ``week_starts_on``, ``week_label``, ``partial_week``, ``closed_weeks_ahead``,
    ``warnings``.
    """
    table = result.backtest.set_index("model")
    total = result.total

    def rounded(value, digits):
        return None if pd.isna(value) else round(float(value), digits)

    return {
        "history_weeks": demand.history_weeks,
        "missing_weeks": len(demand.missing_weeks),
        "missing_week_starts": [f"{w:%Y-%m-%d}" for w in demand.missing_weeks],
        "closed_weeks": len(demand.closed_weeks),
        "horizon_weeks": len(result.forecast),
        "model": result.model,
        "model_label": result.model_label,
        "baseline": result.baseline,
        "backtest": {m: rounded(v, 3) for m, v in table["mase"].items()},
        "backtest_mae": {m: rounded(v, 1) for m, v in table["mae"].items()},
        "backtest_relative_mae": {m: rounded(v, 3) for m, v in table["relative_mae"].items()},
        "mase_scale": "same week last year" if result.plan.scale_lag > 1 else "last week",
        "first_forecast_week": f"{result.forecast['week_start'].iloc[0]:%Y-%m-%d}",
        "forecast_total": {"central": total["central"], "lower_80": total["lower_80"],
                           "upper_80": total["upper_80"],
                           "sum_of_weekly_upper_80": int(result.open_weeks["upper_80"].sum())},
        "forecast_parcels": total["central"],
        "input_kind": demand.input_kind,
        "week_starts_on": demand.week_day,
        "week_label": demand.label,
        "partial_week": None if result.partial is None else {
            "week_start": f"{result.partial[0]:%Y-%m-%d}", "parcels_so_far": int(result.partial[1])},
        "closed_weeks_ahead": [f"{w:%Y-%m-%d}" for w in result.closed["week_start"]],
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
    """The forecast as the report shows it: one row per week, labelled the charity's way, ranges in words.

    Example:
        >>> row = [pd.Timestamp("2025-03-24"), pd.Timestamp("2025-03-30"), 1150, 1130, 1170, 1120, 1180, "forecast"]
        >>> result = DemandForecast(pd.DataFrame([row], columns=FORECAST_COLUMNS), pd.DataFrame(), "AutoETS",
        ...                         "Naive", None, [], label="end")
        >>> forecast_table(result).to_dict("records")
        [{'Week ending': '30 Mar 2025', 'Forecast': '1,150', 'Likely range (80%)': '1,130 to 1,170', 'Wider range (95%)': '1,120 to 1,180'}]
    """
    f = result.forecast
    heading = "Week ending" if result.label == "end" else "Week starting"
    named = f["week_ending"] if result.label == "end" else f["week_start"]

    def span(low, high):
        return [f"{a:,} to {b:,}" for a, b in zip(low, high, strict=True)]

    table = pd.DataFrame({
        heading: [date_words(week, short=True) for week in named],
        "Forecast": [f"{n:,}" for n in f["forecast"]],
        "Likely range (80%)": span(f["lower_80"], f["upper_80"]),
        "Wider range (95%)": span(f["lower_95"], f["upper_95"]),
    })
    shut = (f["status"] == SHUT).to_numpy()
    if shut.any():
        if_open = result.closed.set_index("week_start")["if_open"].reindex(f["week_start"]).to_numpy()
        table.loc[shut, "Forecast"] = [f"closed (about {int(n):,} if open)" for n in if_open[shut]]
        table.loc[shut, ["Likely range (80%)", "Wider range (95%)"]] = ""
    notes = pd.Series("", index=table.index, dtype="str")
    if result.partial is not None:
        partly = (f["status"] == PARTLY_RECORDED).to_numpy()
        notes[partly] = f"partly recorded: {int(result.partial[1]):,} so far"
    if markers is not None:
        on = _what_is_on(markers).reindex(f["week_start"]).fillna("").to_numpy()
        notes = pd.Series([("; ".join(x for x in (n, o) if x)) for n, o in zip(notes, on, strict=True)], dtype="str")
    if markers is not None or notes.str.len().any():
        table["What is on"] = notes.to_numpy()
    return table


def compared_with_baseline(relative: float) -> str:
    """A method's average miss over the baseline's, in words.

    Example:
        >>> compared_with_baseline(0.7), compared_with_baseline(1.004), compared_with_baseline(1.25)
        ('misses 30% smaller', 'about the same', 'misses 25% larger')
    """
    if pd.isna(relative):
        return "not tested"
    change = round(100 * (1 - relative))
    if change == 0:
        return "about the same"
    return f"misses {abs(change)}% {'smaller' if change > 0 else 'larger'}"


def backtest_table(result: DemandForecast) -> pd.DataFrame:
    """The backtest as the report shows it: each method's average miss against the baseline's, best first."""
    b = result.backtest
    method = b["method"].str.capitalize() + np.where(b["chosen"], " (chosen)", "") + np.where(
        b["baseline"], " (baseline)", "")
    scale = "same week last year" if result.plan is not None and result.plan.scale_lag > 1 else "last week"
    return pd.DataFrame({
        "Method": method,
        "Technical name": b["model"].map(MODEL_TECHNICAL_NAMES),
        "Average miss (parcels a week)": [f"{v:,.0f}" for v in b["mae"]],
        f"Against {MODEL_LABELS[result.baseline]}": [
            "the baseline" if base else compared_with_baseline(r)
            for base, r in zip(b["baseline"], b["relative_mae"], strict=True)],
        f"MASE (scale: {scale})": ["not available" if pd.isna(v) else f"{v:.2f}" for v in b["mase"]],
        "Actual weeks inside its own 80% range": (100 * b["coverage_80"]).round().astype("int64").astype("str") + "%",
    })
