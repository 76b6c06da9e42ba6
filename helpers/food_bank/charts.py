"""The food-bank report's charts: the history, the yearly pattern, the forecast, and a
network's small multiples.

Each is drawn for the page and again for a phone (:func:`helpers.writing.charts.drawn_for_phones`);
each carries its finding as the title, a source line, direct labels, and alt text with the numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from helpers.food_bank.forecast import SHUT, DemandForecast
from helpers.food_bank.network import (
    MAX_PANELS,
    TOTAL,
    NetworkDemand,
    NetworkForecast,
    network_table,
)
from helpers.food_bank.weekly import (
    CLOSED,
    COUNTED,
    NO_DATA,
    WeeklyDemand,
    by_year,
    date_words,
    yearly_profile,
)
from helpers.writing.charts import (
    PALETTE,
    chart_titles,
    drawn_for_phones,
    new_chart,
    spread_labels,
)
from helpers.writing.narrative import plural


def _week_of_year_date(week: int) -> pd.Timestamp:
    """A date in week ``week`` of the year (counted from 1 January), for labels."""
    return pd.Timestamp(2001, 1, 1) + pd.Timedelta(days=7 * (int(week) - 1))


def format_month_axis(ax) -> None:
    """Label a time axis with months and years in words ("Jan 2025"), not ISO dates."""
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=9))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))


@drawn_for_phones
def history_chart(demand: WeeklyDemand):
    """A line chart of parcels a week over the whole history, with gaps shaded.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.
    """

    weeks = demand.weeks
    counted = weeks["parcels"].where(weeks["status"] == COUNTED)
    fig, ax = new_chart(9, 4.2)
    ax.plot(weeks.index, counted, color=PALETTE[0], linewidth=1.5)
    gaps = weeks.index[weeks["status"].isin([NO_DATA, CLOSED]).to_numpy()]
    for week in gaps:
        ax.axvspan(week, week + pd.Timedelta(days=7), color="#BBBBBB", alpha=0.6, linewidth=0)
    top = float(counted.max()) if counted.notna().any() else 1.0
    if len(gaps):
        ax.annotate("grey: no data", (gaps[0], top * 1.02), fontsize=12, color="#555555")
    ax.set_ylim(0, top * 1.12)
    format_month_axis(ax)
    ax.set_ylabel("Parcels a week")

    early, recent = counted.dropna().iloc[:13].mean(), counted.dropna().iloc[-13:].mean()
    chart_titles(ax, f"About {recent:,.0f} parcels a week lately, against {early:,.0f} at the start",
                 "Parcels given out each week (averages of the first and last 13 weeks with data)",
                 "Source: the food bank's own records")
    busiest = counted.idxmax()
    alt = (
        f"Line chart of parcels given out each week from {weeks.index[0]:%B %Y} to {weeks.index[-1]:%B %Y}. "
        f"Weeks ranged from {counted.min():.0f} to {counted.max():.0f} parcels; the busiest was the week of "
        f"{busiest:%d %B %Y}. {plural(len(gaps), 'week')} with no data "
        f"{'is' if len(gaps) == 1 else 'are'} shaded grey."
    )
    return fig, alt


@drawn_for_phones
def yearly_pattern_chart(demand: WeeklyDemand):
    """One line per calendar year, parcels by week of the year, labelled at the line ends.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.
    """
    import matplotlib.dates as mdates


    table = by_year(demand)
    fig, ax = new_chart(9, 4.4)
    x = [_week_of_year_date(week) for week in table.index]
    ends = []
    for position, year in enumerate(table.columns):
        colour = PALETTE[position % len(PALETTE)]
        values = table[year]
        ax.plot(x, values, color=colour, linewidth=1.6)
        if values.notna().any():
            last = values.last_valid_index()
            ends.append((year, colour, last, float(values[last])))
    # Labels sit in the right margin, pulled apart so that none touches another or a line.
    top = float(np.nanmax(table.to_numpy())) if table.notna().any().any() else 1.0
    heights = spread_labels([end[3] for end in ends], 0.08 * top)
    margin = _week_of_year_date(54)
    for (year, colour, last, _), height in zip(ends, heights, strict=True):
        text = str(year) if last >= 50 else f"{year} (to {_week_of_year_date(last):%b})"
        ax.annotate(text, (margin, height), xytext=(2, 0), textcoords="offset points", color=colour,
                    fontweight="bold", va="center", fontsize=12, annotation_clip=False)
    ax.set_xlim(_week_of_year_date(1), margin)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    ax.set_ylim(bottom=0)
    ax.set_ylabel("Parcels a week")

    profile = yearly_profile(demand)
    finding = ("Less than a year of data: no yearly pattern yet" if profile.empty else
               f"Busiest around {_week_of_year_date(profile.idxmax()):%-d %B}, quietest around "
               f"{_week_of_year_date(profile.idxmin()):%-d %B}")
    chart_titles(ax, finding, "Parcels a week, one line for each calendar year",
                 "Source: the food bank's own records")
    if profile.empty:
        pattern = "There is less than a year of data, so no yearly pattern can be seen yet."
    else:
        busy, quiet = profile.idxmax(), profile.idxmin()
        pattern = (
            f"The busiest time of year is usually the week around {_week_of_year_date(busy):%d %B}, "
            f"about {100 * (profile[busy] - 1):.0f}% above the usual level; the quietest is around "
            f"{_week_of_year_date(quiet):%d %B}, about {100 * (1 - profile[quiet]):.0f}% below."
        )
    alt = (f"Line chart with one line for each year from {table.columns[0]} to {table.columns[-1]}, showing "
           f"parcels each week from January to December. {pattern}")
    return fig, alt


@drawn_for_phones
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

    history = demand.weeks.iloc[-weeks_shown:]
    actual = history["parcels"].where(history["status"] == COUNTED)
    f = result.forecast
    fig, ax = new_chart(9.5, 4.8)
    ax.plot(history.index, actual, color=PALETTE[0], linewidth=1.6)
    ax.fill_between(f["week_start"], f["lower_95"], f["upper_95"], color=PALETTE[1], alpha=0.25, linewidth=0)
    ax.fill_between(f["week_start"], f["lower_80"], f["upper_80"], color=PALETTE[1], alpha=0.5, linewidth=0)
    shown = f["forecast"].where(f["status"] != SHUT)
    ax.plot(f["week_start"], shown, color=PALETTE[3], linewidth=2)
    last_actual = actual.last_valid_index()
    # The forecast line is joined to the last counted week, so a step at the join shows as one.
    ax.plot([last_actual, f["week_start"].iloc[0]], [actual[last_actual], shown.iloc[0]], color=PALETTE[3],
            linewidth=1.5, linestyle="--")
    end = f["week_start"].iloc[-1]
    label = {"textcoords": "offset points", "va": "center", "fontsize": 12}
    if result.partial is not None:
        ax.plot([result.partial[0]], [result.partial[1]], marker="o", markerfacecolor="white",
                markeredgecolor=PALETTE[0], markersize=7, linestyle="none")
        ax.annotate("so far this week", (result.partial[0], result.partial[1]), xytext=(0, -14), ha="center",
                    color=PALETTE[0], **label)
    for week in f.loc[f["status"] == SHUT, "week_start"]:
        ax.annotate("closed", (week, 0), xytext=(0, 10), ha="center", color=PALETTE[3], **label)
    ax.annotate("Actual", (last_actual, actual[last_actual]), xytext=(-6, 14), ha="right",
                color=PALETTE[0], fontweight="bold", **label)
    ax.annotate("Forecast", (end, f["forecast"].iloc[-1]), xytext=(6, 0), color=PALETTE[3], fontweight="bold",
                **label)
    ax.annotate("95% range", (end, f["upper_95"].iloc[-1]), xytext=(6, 2), color="#444444", **label)
    ax.annotate("80% range", (end, f["lower_80"].iloc[-1]), xytext=(6, 0), color="#444444", **label)
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
                ax.annotate("Christmas", (middle, top * 1.08), ha="center", fontsize=12)
            elif row["bank_holidays"]:
                ax.plot([middle], [top * 0.02], marker="^", color=PALETTE[4], markersize=7)
                if first_bank:
                    ax.annotate("bank holiday", (middle, top * 0.02), xytext=(6, 8), textcoords="offset points",
                                color=PALETTE[4], fontsize=12)
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
                    ha="left", va="top", color="#1F5F8B", fontsize=12)
    ax.set_ylim(0, ceiling)
    ax.set_xlim(history.index[0], end + pd.Timedelta(weeks=max(3, len(f) // 4)))
    format_month_axis(ax)
    ax.set_ylabel("Parcels a week")

    weekly = round(result.total["central"] / max(len(result.open_weeks), 1))
    chart_titles(ax, f"About {weekly:,} parcels a week expected over the next {len(f)} weeks",
                 "Parcels a week: the last year, then the forecast with its likely (80%) and wider (95%) ranges",
                 "Source: the food bank's own records; forecast by the Data Surgery Kit")
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


@drawn_for_phones
def small_multiples_chart(network: NetworkDemand, forecast: NetworkForecast, weeks_shown: int = 52):
    """A grid of small charts, one per food bank, each with its last year and its forecast.

    Every panel has its own scale (a small pantry's pattern must stay visible next
    to a big food bank), starting at zero. Up to :data:`MAX_PANELS` sites are all
    shown; a bigger network shows the total, the fastest growing and the least
    certain sites, and says so in the title.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.
    """
    import matplotlib.pyplot as plt


    table = network_table(network, forecast)
    if len(table) + 1 <= MAX_PANELS:
        chosen, what = list(table["site"]), "every food bank"
    else:
        half = (MAX_PANELS - 1) // 2
        fast = table.dropna(subset=["growth"]).sort_values("growth", ascending=False)["site"].head(half).tolist()
        unsure = [s for s in table.sort_values("uncertainty", ascending=False)["site"] if s not in fast]
        chosen = fast + unsure[: MAX_PANELS - 1 - len(fast)]
        what = f"the {len(fast)} growing fastest and the {len(chosen) - len(fast)} least certain"
    panels = [(TOTAL, network.total, forecast.total)] + [(s, network.sites[s], forecast.sites[s]) for s in chosen]
    columns = 4
    rows = math.ceil(len(panels) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(11, 2.1 * rows + 1.2), squeeze=False)
    for ax, (name, demand, result) in zip(axes.flat, panels, strict=False):
        history = demand.weeks.iloc[-weeks_shown:]
        actual = history["parcels"].where(history["status"] == COUNTED)
        f = result.forecast[result.forecast["status"] != "closed"]
        ax.fill_between(f["week_start"], f["lower_80"], f["upper_80"], color=PALETTE[1], alpha=0.45, linewidth=0)
        ax.plot(history.index, actual, color=PALETTE[0], linewidth=1.1)
        last = actual.last_valid_index()
        join = pd.concat([pd.Series([actual[last]], index=[last]), f.set_index("week_start")["forecast"]])
        ax.plot(join.index, join.to_numpy(), color=PALETTE[3], linewidth=1.4)
        ax.set_ylim(0, float(np.nanmax([actual.max(), f["upper_80"].max()])) * 1.1)
        ax.set_title(name if len(name) <= 30 else name[:29] + "…", fontsize=12, loc="left",
                     fontweight="bold" if name == TOTAL else "normal")
        ax.set_xticks([])
        ax.tick_params(labelsize=12)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    fig.tight_layout(rect=(0, 0.02, 1, 0.93))
    fig.text(0.01, 0.0, "Source: the network's own records. Each chart has its own scale, starting at zero.",
             fontsize=10, color="#444444")
    fig.suptitle(f"Each food bank: the last year (blue) and the next {len(forecast.total.forecast)} weeks "
                 f"(red, with its likely range shaded)", fontsize=13, x=0.01, ha="left")
    alt = (f"Small line charts, one for the network total and one each for {what} of "
           f"{plural(len(table), 'food bank')}: parcels a week over the last year, then the forecast with its "
           f"80% range. The network total is forecast at about {forecast.total.total['central']:,} parcels.")
    return fig, alt
