"""A network of food banks in one run: every site and the network total, forecast together.

An umbrella body's file has a site column (the playbook's ``site_column``). Each
site becomes its own weekly series (:func:`network_demand`); the network total is
the sum of the sites, week by week. All of them, every backtest window included,
go to statsforecast in one call (:func:`forecast_network`), and each site takes the
method that did best on its own past. The report leads with the network: the
total, the sites growing fastest and the sites whose forecasts are least certain.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.errors import InputProblem
from helpers.food_bank.backtest import MIN_HISTORY_WEEKS, forecast_many
from helpers.food_bank.forecast import (
    DemandForecast,
    backtest_frame,
    demand_series,
    label_forecast,
)
from helpers.food_bank.reconcile import Reconciliation, coherent_rounding, reconcile_forecasts
from helpers.food_bank.weekly import (
    CLOSED,
    COUNTED,
    NO_DATA,
    WeeklyDemand,
    date_words,
    read_dates,
    weekly_demand,
)
from helpers.writing.narrative import list_in_words, plural

#: The network total's name in ``forecast.csv``'s ``site`` column and the report.
TOTAL = "Network total"
#: Excel's limit on a sheet name's length, and the characters it refuses.
SHEET_NAME_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
#: Weeks compared with the same weeks a year before, to say which sites are growing.
GROWTH_WEEKS = 13
#: The small-multiples chart shows every site up to this many, else a selection.
MAX_PANELS = 24


@dataclass
class NetworkDemand:
    """Each site's weekly demand and the network's.

    Attributes:
        sites: Site name -> :class:`~helpers.food_bank.weekly.WeeklyDemand`.
        total: The network total, week by week.
        log: Plain-English lines on what was done.
        left_out: Sites with too little history to forecast, and why.
    """

    sites: dict[str, WeeklyDemand]
    total: WeeklyDemand
    log: list[str] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)


def network_demand(frame: pd.DataFrame, date_column: str, site_column: str, count_column: str | None = None,
                   people_column: str | None = None, closed_dates: str | Iterable | None = None,
                   unreadable: Mapping[str, Sequence[int]] | None = None,
                   week_label: str = "auto") -> NetworkDemand:
    """Split a network's file by site and make each site's weekly series and the network total.

    Args:
        frame: The umbrella body's table (index = spreadsheet row numbers).
        date_column, count_column, people_column, closed_dates, unreadable, week_label:
            As for :func:`helpers.food_bank.weekly.weekly_demand`; closures apply to every site.
        site_column: The column naming each row's food bank.

    Returns:
        A :class:`NetworkDemand`.

    Raises:
        InputProblem: The site column is missing, names no site, or sites label
            their weeks on different weekdays.

    Example:
        >>> from helpers.synthetic.foodbank import make_network
        >>> network = network_demand(make_network(3, 30, seed=2), "Week commencing", "Food bank", "Parcels")
        >>> len(network.sites), network.total.history_weeks
        (3, 30)
    """
    if site_column not in frame.columns:
        raise InputProblem(f"The column '{site_column}' given for site_column is not in the file. "
                           f"The columns are: {list_in_words(frame.columns, limit=20)}.")
    names = frame[site_column].astype("str").str.strip()
    blank = frame[site_column].isna().to_numpy() | (names == "").to_numpy()
    log: list[str] = []
    if blank.all():
        raise InputProblem(f"The site column '{site_column}' is empty: set site_column to the column that "
                           "names each row's food bank, or leave it blank for one food bank.")
    if blank.any():
        log.append(f"{plural(int(blank.sum()), 'row')} with no site in '{site_column}' left out.")
    if date_column not in frame.columns:
        raise InputProblem(f"The column '{date_column}' given for date_column is not in the file. "
                           f"The columns are: {list_in_words(frame.columns, limit=20)}.")
    # Dates are read once for the whole file (the shared reader, one message per problem), not once a site.
    unreadable = dict(unreadable or {})
    frame = frame.assign(**{date_column: read_dates(frame, date_column, unreadable, log)})
    unreadable.pop(date_column, None)
    sites: dict[str, WeeklyDemand] = {}
    left_out: dict[str, str] = {}
    for name, rows in frame[~blank].groupby(names[~blank], sort=True):
        try:
            sites[str(name)] = weekly_demand(rows, date_column, count_column, people_column, closed_dates,
                                             unreadable, week_label)
        except InputProblem as problem:
            left_out[str(name)] = str(problem)
            continue
        if sites[str(name)].history_weeks < MIN_HISTORY_WEEKS:
            left_out[str(name)] = f"only {plural(sites.pop(str(name)).history_weeks, 'complete week')} of data"
    if not sites:
        raise InputProblem(f"No site in '{site_column}' has the {MIN_HISTORY_WEEKS} complete weeks a forecast "
                           "needs. Bring a longer export.")
    days = {demand.week_day for demand in sites.values()}
    if len(days) > 1:
        by_day = {day: [n for n, d in sites.items() if d.week_day == day] for day in days}
        raise InputProblem("The sites' weeks start on different days ("
                           + "; ".join(f"{day}: {list_in_words(n, limit=3)}" for day, n in by_day.items())
                           + "), so they cannot be added up. Give every site the same week labels.")
    log.append(f"{plural(len(sites), 'food bank')} found in '{site_column}'; each is forecast on its own, and "
               "the network total is the sum of them all.")
    if left_out:
        log.append(f"{plural(len(left_out), 'site')} left out, with too little data to forecast: "
                   f"{list_in_words(left_out, limit=8)}.")
    return NetworkDemand(sites, network_total(sites), log, left_out)


def network_total(sites: Mapping[str, WeeklyDemand]) -> WeeklyDemand:
    """The network's weekly total: the sum of its sites, week by week.

    A week is counted in the total only when every site open then was counted; a
    site adds nothing before its first week or after its last. For fitting, the
    sites' filled-in values are added.
    """
    first = next(iter(sites.values()))
    index = pd.DatetimeIndex(sorted(set().union(*(d.weeks.index for d in sites.values()))), name="week_start")
    parcels = pd.DataFrame({n: d.weeks["parcels"].where(d.weeks["status"] == COUNTED) for n, d in sites.items()})
    fitting = pd.DataFrame({n: d.weeks["for_fitting"] for n, d in sites.items()}).reindex(index)
    status = pd.DataFrame({n: d.weeks["status"] for n, d in sites.items()}).reindex(index)
    outside = status.isna()
    counted = (status == COUNTED) | outside
    weeks = pd.DataFrame(index=index)
    weeks["parcels"] = parcels.reindex(index).fillna(0).sum(axis=1).where(counted.all(axis=1))
    weeks["status"] = np.where(counted.all(axis=1), COUNTED,
                               np.where(((status == CLOSED) | outside).all(axis=1), CLOSED, NO_DATA))
    weeks.loc[weeks.index[-1], "status"] = (
        "incomplete" if (status.iloc[-1] == "incomplete").any() else weeks["status"].iloc[-1])
    weeks["for_fitting"] = fitting.where(~outside, 0.0).sum(axis=1, min_count=1).where(
        fitting.where(~outside, 0.0).notna().all(axis=1))
    return WeeklyDemand(weeks=weeks, input_kind=first.input_kind, week_day=first.week_day, log=[],
                        label=first.label, closed_ranges=first.closed_ranges, open_days=first.open_days)


@dataclass
class NetworkForecast:
    """Every site's forecast and the network total's.

    Attributes:
        sites: Site name -> :class:`~helpers.food_bank.forecast.DemandForecast`.
        total: The network total's forecast (fitted on the total, then reconciled with the sites).
        reconciliation: How the sites were reconciled with the total (see
            :mod:`helpers.food_bank.reconcile`): the sites add up to the total in every week.
        seconds: Wall time of the one statsforecast call (backtest and forecast).
        n_jobs: Processes statsforecast used.
    """

    sites: dict[str, DemandForecast]
    total: DemandForecast
    seconds: float = 0.0
    n_jobs: int = 1
    _table: pd.DataFrame | None = field(default=None, repr=False)
    reconciliation: Reconciliation | None = None

    @property
    def forecast(self) -> pd.DataFrame:
        """``forecast.csv``'s rows: every site's weeks, then the network total's, with a ``site`` column."""
        parts = [f.forecast.assign(site=name) for name, f in {**self.sites, TOTAL: self.total}.items()]
        table = pd.concat(parts, ignore_index=True)
        return table[["site", *[c for c in table.columns if c != "site"]]]

    def mase(self) -> pd.DataFrame:
        """Per site: the chosen method's MASE and the seasonal naive's (same weeks), where both exist."""
        rows = []
        for name, result in self.sites.items():
            table = result.backtest.set_index("model")
            rows.append({"site": name, "chosen": result.model, "mase": table.loc[result.model, "mase"],
                         "seasonal_naive": table["mase"].get("SeasonalNaive", math.nan)})
        return pd.DataFrame(rows)


def default_jobs() -> int:
    """statsforecast's processes for a network: every core of the machine."""
    return max(1, os.cpu_count() or 1)


def forecast_network(network: NetworkDemand, horizon_weeks: int = 12, n_jobs: int | None = None,
                     backend: str = "local") -> NetworkForecast:
    """Backtest and forecast every site and the network total in one statsforecast call.

    Args:
        network: From :func:`network_demand`.
        horizon_weeks: Weeks ahead.
        n_jobs: Processes (None: every core, :func:`default_jobs`).
        backend: "local" or "spark" (see :func:`helpers.food_bank.backtest.forecast_many`).

    Returns:
        A :class:`NetworkForecast`.
    """
    n_jobs = default_jobs() if n_jobs is None else n_jobs
    everyone = {**network.sites, TOTAL: network.total}
    series = pd.concat([demand_series(d, name) for name, d in everyone.items()], ignore_index=True)
    many = forecast_many(series, horizon_weeks, network.total.freq, n_jobs, backend)
    reconciled, how = reconcile_forecasts(many.forecasts, many.misses, TOTAL, list(network.sites))
    many.forecasts = reconciled
    results = results_from_many(many, everyone)
    total = results.pop(TOTAL)
    total.forecast = coherent_rounding({name: r.forecast for name, r in results.items()}, total.forecast)
    return NetworkForecast(results, total, many.seconds, n_jobs, reconciliation=how)


def results_from_many(many, demands: Mapping[str, WeeklyDemand]) -> dict[str, DemandForecast]:
    """One :class:`~helpers.food_bank.forecast.DemandForecast` per series of a :class:`ManyForecasts`."""
    results = {}
    forecasts = dict(iter(many.forecasts.groupby("unique_id", sort=False)))
    all_scores = dict(iter(many.scores.groupby("unique_id", sort=False)))
    misses = dict(iter(many.misses.groupby("unique_id", sort=False))) if many.misses is not None else {}
    for name, demand in demands.items():
        plan = many.plans[name]
        forecast, closed = label_forecast(forecasts[name].drop(columns="unique_id"), demand)
        scores = all_scores[name].drop(columns="unique_id")
        own = misses.get(name)
        results[name] = DemandForecast(forecast, backtest_frame(scores, many.chosen[name], plan.baseline), plan=plan,
                                       model=many.chosen[name], baseline=plan.baseline,
                                       warnings=list(plan.warnings), closed=closed, partial=demand.partial_week,
                                       label=demand.label, seconds=many.seconds,
                                       misses=None if own is None else own.drop(columns="unique_id"))
    return results


def growth(demand: WeeklyDemand, weeks: int = GROWTH_WEEKS) -> float:
    """Change in the last ``weeks`` counted weeks against the same weeks a year before (0.1 = 10% up).

    NaN with less than a year and ``weeks`` of history.

    Example:
        >>> from helpers.synthetic.foodbank import make_weekly_parcels
        >>> d = weekly_demand(make_weekly_parcels(120, seed=1).assign(parcels=lambda f: 100 + f.index),
        ...                   "week_start", "parcels")
        >>> round(growth(d, 4), 3)  # weeks 116-119 against 64-67
        0.314
    """
    history = demand.history["parcels"].where(demand.history["status"] == COUNTED)
    if len(history) < 52 + weeks:
        return math.nan
    recent = history.iloc[-weeks:]
    before = history.shift(52).iloc[-weeks:]
    both = recent.notna() & before.notna()
    return float(recent[both].sum() / before[both].sum() - 1) if both.any() and before[both].sum() > 0 else math.nan


def network_table(network: NetworkDemand, forecast: NetworkForecast) -> pd.DataFrame:
    """One row per site: its forecast total and 80% range, how uncertain, how fast it is growing.

    Returns:
        Columns ``site``, ``central``, ``lower_80``, ``upper_80``, ``uncertainty``
        (the range's width over the central total), ``growth`` (see :func:`growth`),
        ``model``; sorted by site. Worked out once per forecast, then reused.
    """
    if forecast._table is not None:
        return forecast._table.copy()
    rows = []
    for name, result in forecast.sites.items():
        total = result.total
        rows.append({"site": name, **total,
                     "uncertainty": (total["upper_80"] - total["lower_80"]) / max(total["central"], 1),
                     "growth": growth(network.sites[name]), "model": result.model})
    forecast._table = pd.DataFrame(rows).sort_values("site", ignore_index=True)
    return forecast._table.copy()


def percent_words(share: float) -> str:
    """A share as a whole percentage with a sign, in words ("12% up", "3% down", "no change").

    Example:
        >>> percent_words(0.123), percent_words(-0.031), percent_words(0.002)
        ('12% up', '3% down', 'no change')
    """
    if pd.isna(share):
        return "not known yet"
    value = round(100 * share)
    return "no change" if value == 0 else f"{abs(value)}% {'up' if value > 0 else 'down'}"


def network_in_words(network: NetworkDemand, forecast: NetworkForecast, n: int = 3) -> list[str]:
    """Sentences that lead the report: the total, the sites growing fastest, the least certain."""
    table = network_table(network, forecast)
    total = forecast.total.total
    weeks = len(forecast.total.forecast)
    sentences = [
        f"Across the {plural(len(table), 'food bank')}, the network should plan for about "
        f"{total['central']:,} parcels over the next {plural(weeks, 'week')} (likely between "
        f"{total['lower_80']:,} and {total['upper_80']:,}: a range that should hold the real total 8 times out of 10)."
    ]
    sentences.append(reconciliation_in_words(forecast.reconciliation))
    growing = table.dropna(subset=["growth"]).sort_values("growth", ascending=False).head(n)
    if not growing.empty:
        sentences.append("Growing fastest, against the same weeks last year: " + list_in_words(
            [f"{row.site} ({percent_words(row.growth)})" for row in growing.itertuples()], limit=n) + ".")
    unsure = table.sort_values("uncertainty", ascending=False).head(n)
    sentences.append("Least certain (the widest ranges for their size): " + list_in_words(
        [f"{row.site} (about {row.central:,}, likely {row.lower_80:,} to {row.upper_80:,})"
         for row in unsure.itertuples()], limit=n) + ".")
    return sentences


def reconciliation_in_words(how: Reconciliation | None) -> str:
    """Say that (and how) the sites were reconciled with the network total, or "" when they were not.

    Example:
        >>> reconciliation_in_words(Reconciliation("mint_shrink", ("A", "B"), ("C",), 0.3, 0.012))[-95:]
        'by at most 1.2%. 1 food bank with too little shared history to weigh (C) kept its own forecast.'
    """
    if how is None:
        return ""
    text = ("The food banks' forecasts were reconciled with the network total's, so they add up to it in every "
            "week, in forecast.csv and the stock plans too")
    if how.method == "bottom_up":
        return text + ": the network total is the sum of the food banks' forecasts."
    method = ("MinTrace with shrinkage" if how.method == "mint_shrink"
              else "MinTrace weighted by each forecast's past misses")
    text += (f" ({method}: the least certain forecasts move most). The network total moved by at most "
             f"{100 * how.change:.1f}%.")
    if how.bottom_up:
        one = len(how.bottom_up) == 1
        text += (f" {plural(len(how.bottom_up), 'food bank')} with too little shared history to weigh "
                 f"({list_in_words(how.bottom_up, limit=5)}) kept {'its' if one else 'their'} own "
                 f"forecast{'' if one else 's'}.")
    return text


def network_overview_table(network: NetworkDemand, forecast: NetworkForecast) -> pd.DataFrame:
    """The report's table of sites, one row each, biggest first: forecast total, range, growth."""
    table = network_table(network, forecast).sort_values(["central", "site"], ascending=[False, True])
    weeks = len(forecast.total.forecast)
    return pd.DataFrame({
        "Food bank": table["site"],
        f"Parcels, next {weeks} weeks": [f"{v:,}" for v in table["central"]],
        "Likely range (80%)": [f"{a:,} to {b:,}" for a, b in zip(table["lower_80"], table["upper_80"], strict=True)],
        "Against last year": [percent_words(g) for g in table["growth"]],
    })


def site_table(result: DemandForecast, block: int = 4) -> pd.DataFrame:
    """One site's short table: its forecast in blocks of ``block`` weeks, each with a total and 80% range.

    Example:
        >>> from helpers.food_bank.forecast import FORECAST_COLUMNS
        >>> weeks = pd.date_range("2025-01-06", periods=2, freq="W-MON")
        >>> frame = pd.DataFrame({"week_start": weeks, "week_ending": weeks + pd.Timedelta(days=6),
        ...     "forecast": [10, 12], "lower_80": [8, 9], "upper_80": [12, 15], "lower_95": [6, 7],
        ...     "upper_95": [14, 17], "status": ["forecast"] * 2})
        >>> result = DemandForecast(frame, pd.DataFrame({"model": ["Naive"]}), "Naive", "Naive", None, [])
        >>> site_table(result).to_dict("records")  # no backtest misses: the weekly ranges added up
        [{'Weeks': '6 Jan to 19 Jan', 'Parcels': '22', 'Likely range (80%)': '17 to 27'}]
    """
    from helpers.food_bank.forecast import total_range

    f = result.forecast.reset_index(drop=True)
    rows = []
    for first in range(0, len(f), block):
        part = f.iloc[first:first + block]
        open_part = part[part["status"] != "closed"]
        span = total_range(open_part, result.misses) if len(open_part) else {"central": 0, "lower_80": 0, "upper_80": 0}
        rows.append({"Weeks": f"{date_words(part['week_start'].iloc[0], year=False, short=True)} to "
                              f"{date_words(part['week_ending'].iloc[-1], year=False, short=True)}",
                     "Parcels": f"{span['central']:,}",
                     "Likely range (80%)": f"{span['lower_80']:,} to {span['upper_80']:,}"})
    return pd.DataFrame(rows)


def sheet_names(names: Iterable[str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Safe, unique Excel sheet names for names that are data (site names from the charity's file).

    Excel refuses ``[]:*?/\\``, names over 31 characters, names starting or ending
    with an apostrophe, "History", and two sheets whose names differ only in case.

    Args:
        names: The names, in order.
        reserved: Sheet names already taken (compared ignoring case).

    Returns:
        Each name -> its sheet name.

    Example:
        >>> sheet_names(["A/B: East", "a/b: east", "History"], reserved=["Totals"])
        {'A/B: East': 'A-B- East', 'a/b: east': 'a-b- east (2)', 'History': 'History (site)'}
    """
    taken = {r.lower() for r in reserved}
    out: dict[str, str] = {}
    for name in names:
        base = _SHEET_FORBIDDEN.sub("-", str(name)).strip().strip("'").strip() or "Site"
        if base.lower() == "history":
            base = f"{base} (site)"
        candidate, number = base[:SHEET_NAME_LIMIT], 1
        while candidate.lower() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = base[:SHEET_NAME_LIMIT - len(suffix)] + suffix
        taken.add(candidate.lower())
        out[str(name)] = candidate
    return out
