"""The food-bank report's charts: the history, the yearly pattern, the forecast, and a
network's small multiples.

Each is drawn for the page and again for a phone (:func:`helpers.writing.charts.drawn_for_phones`);
each carries its finding as the title, a source line, direct labels, and alt text with the numbers.
On a phone a chart gets fewer month ticks ("Jan 25"), no y-axis label (the subtitle gives the
units), its direct labels at the phone's text size, and titles wrapped to the room beside the
y-axis; a network's small charts go two to a row.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
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
    PHONE_WIDTH_INCHES,
    chart_titles,
    drawn_for_phones,
    main_finding,
    new_chart,
    on_phone,
    spread_labels,
    wrap_to_width,
)
from helpers.writing.narrative import plural

#: Direct labels on the page, in points (18 px as shown); on a phone they take the phone's text size.
PAGE_LABEL_SIZE = 12
#: The most month ticks a phone's time axis gets: "Jan 25" is about 45 px, the axis about 220.
PHONE_MONTH_TICKS = 4
#: Months between a phone's ticks, the fewest that leave no more than :data:`PHONE_MONTH_TICKS`.
_PHONE_MONTH_STEPS = (1, 2, 3, 4, 6, 12, 24, 48)
#: How far apart stacked direct labels sit, centre to centre, in font sizes.
LABEL_SPACING = 1.4


def _week_of_year_date(week: int) -> pd.Timestamp:
    """A date in week ``week`` of the year (counted from 1 January), for labels."""
    return pd.Timestamp(2001, 1, 1) + pd.Timedelta(days=7 * (int(week) - 1))


def _label_size() -> float:
    """The size of a chart's direct labels: the page's, or the phone's text size."""
    return plt.rcParams["font.size"] if on_phone() else PAGE_LABEL_SIZE


def _wrapped(fig, text: str, width: float, size: float, weight: str = "normal", most_lines: int = 0) -> str:
    """:func:`~helpers.writing.charts.wrap_to_width` with the room in points and the font by size and weight."""
    from matplotlib.font_manager import FontProperties

    return wrap_to_width(text, width * fig.dpi / 72, FontProperties(size=size, weight=weight),
                         fig.canvas.get_renderer(), most_lines=most_lines)


def _text_width(fig, text: str, size: float, weight: str = "normal") -> float:
    """How wide ``text`` is drawn, in points."""
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    width, _, _ = renderer.get_text_width_height_descent(text, FontProperties(size=size, weight=weight),
                                                         ismath=False)
    return width * 72 / fig.dpi


def format_month_axis(ax, most_ticks: int = PHONE_MONTH_TICKS) -> None:
    """Label a time axis with months and years in words ("Jan 2025"), not ISO dates.

    On a phone the axis is too narrow for a tick every two months: it gets at most
    ``most_ticks``, on the same months every year ("Jan 25", "Jul 25"), or just the
    year when they are a year or more apart. Call it once the axis's limits are set.

    Args:
        ax: The chart's axes, its x-axis holding dates.
        most_ticks: The most ticks on a phone.

    Example:
        >>> import matplotlib.dates as mdates
        >>> from helpers.writing.charts import _phone_drawing
        >>> with _phone_drawing():
        ...     fig, ax = new_chart()
        ...     _ = ax.plot(pd.date_range("2022-04-04", "2025-06-30", freq="W-MON"), range(170))
        ...     format_month_axis(ax)
        >>> low, high = ax.get_xlim()
        >>> [f"{mdates.num2date(tick):%Y}" for tick in ax.get_xticks() if low <= tick <= high]
        ['2023', '2024', '2025']
        >>> plt.close(fig)
    """
    import matplotlib.dates as mdates

    if not on_phone():
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=9))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        return
    low, high = ax.get_xlim()
    first, last = (mdates.num2date(limit).replace(tzinfo=None) for limit in (low, high))
    for step in _PHONE_MONTH_STEPS:
        locator = (mdates.MonthLocator(bymonth=range(1, 13, step)) if step < 12
                   else mdates.YearLocator(step // 12))
        # A locator offers a tick beyond each end too: only those inside the axis are drawn.
        if sum(low <= tick <= high for tick in locator.tick_values(first, last)) <= most_ticks:
            break
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %y" if step < 12 else "%Y"))
    # Unlabelled ticks between, every quarter or every year, so that a time can still be placed by eye.
    minor = (plt.NullLocator() if step <= 4 else mdates.MonthLocator(bymonth=(1, 4, 7, 10)) if step <= 12
             else mdates.YearLocator())
    ax.xaxis.set_minor_locator(minor)


def _count_axis(ax, label: str, most_ticks: int | str = "auto") -> None:
    """A y-axis of parcels: whole numbers with thousands separators ("3,000"), and its label on
    the page only (on a phone the subtitle gives the units, and the width is the chart's)."""
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    ax.yaxis.set_major_locator(MaxNLocator(most_ticks, steps=[1, 2, 2.5, 5, 10], integer=True))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    if label and not on_phone():
        ax.set_ylabel(label)


def _axes_size_points(ax) -> tuple[float, float]:
    """The axes' width and height in points, as the figure is laid out now.

    A figure with a layout engine (a phone's) is laid out first, with all it holds so far,
    so call this once the titles and ticks are in place.
    """
    figure = ax.figure
    if figure.get_layout_engine() is not None:
        figure.draw_without_rendering()
    box = ax.get_window_extent()
    return box.width * 72 / figure.dpi, box.height * 72 / figure.dpi


def _data_per_point(ax) -> float:
    """How many y-axis units one point of the axes' height is (see :func:`_axes_size_points`)."""
    low, high = ax.get_ylim()
    return (high - low) / max(_axes_size_points(ax)[1], 1.0)


def _along_inside(ax, x, text_width: float, prefer: str = "center", width: float | None = None) -> str:
    """The alignment ("left", "center" or "right") that keeps a label of ``text_width`` points
    anchored at date ``x`` inside the axes, trying ``prefer`` first; ``width`` is the axes' width
    in points when the caller has it (laying the figure out to measure it takes a while)."""
    import matplotlib.dates as mdates

    first, last = ax.get_xlim()
    width = width or _axes_size_points(ax)[0]
    at = (mdates.date2num(x) - first) / (last - first) * width
    room_left, room_right = at, width - at
    fits = {"left": room_right >= text_width + 4, "right": room_left >= text_width + 4,
            "center": min(room_left, room_right) >= text_width / 2 + 2}
    if fits[prefer]:
        return prefer
    return "left" if room_right >= room_left else "right"


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
        # Written away from the nearer end of the time axis, so that it stays inside the chart.
        late = gaps[0] > weeks.index[0] + (weeks.index[-1] - weeks.index[0]) * 0.6
        ax.annotate("grey: no data", (gaps[0] + pd.Timedelta(days=7 if late else 0), top * 1.02),
                    ha="right" if late else "left", fontsize=_label_size(), color="#555555")
    ax.set_ylim(0, top * 1.12)
    format_month_axis(ax)
    _count_axis(ax, "Parcels a week")

    early, recent = counted.dropna().iloc[:13].mean(), counted.dropna().iloc[-13:].mean()
    chart_titles(ax, f"About {recent:,.0f} parcels a week lately, against {early:,.0f} at the start",
            "Parcels given out each week (averages of the first and last 13 weeks with data)",
            "Source: the food bank's own records")
    busiest = counted.idxmax()
    alt = (
        f"Line chart of parcels given out each week from {weeks.index[0]:%B %Y} to {weeks.index[-1]:%B %Y}. "
        f"Weeks ranged from {counted.min():.0f} to {counted.max():.0f} parcels; the busiest was the week of "
        f"{busiest:%d %B %Y}. "
        + (f"{plural(len(gaps), 'week')} with no data {'is' if len(gaps) == 1 else 'are'} shaded grey."
           if len(gaps) else "No week is missing.")
    )
    return fig, alt


@drawn_for_phones
def yearly_pattern_chart(demand: WeeklyDemand):
    """One line per calendar year, parcels by week of the year, labelled at the line ends.

    The year labels sit in the right margin, spread apart when lines end close together
    and kept within the axes' height. On a phone a year still in progress is labelled with
    its year alone (the page adds "(to Jun)"), and the months are labelled every quarter.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.
    """
    import matplotlib.dates as mdates

    table = by_year(demand)
    fig, ax = new_chart(8.6, 4.4)
    x = [_week_of_year_date(week) for week in table.index]
    ends = []
    for position, year in enumerate(table.columns):
        colour = PALETTE[position % len(PALETTE)]
        values = table[year]
        ax.plot(x, values, color=colour, linewidth=1.6)
        if values.notna().any():
            last = values.last_valid_index()
            ends.append((year, colour, last, float(values[last])))
    margin = _week_of_year_date(54)
    ax.set_xlim(_week_of_year_date(1), margin)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, 3 if on_phone() else 1)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    ax.set_ylim(0, ax.get_ylim()[1])
    _count_axis(ax, "Parcels a week")

    profile = yearly_profile(demand)
    finding = ("Less than a year of data: no yearly pattern yet" if profile.empty else
               f"Busiest around {_week_of_year_date(profile.idxmax()):%-d %B}, quietest around "
               f"{_week_of_year_date(profile.idxmin()):%-d %B}")
    chart_titles(ax, finding, "Parcels a week, one line for each calendar year", "Source: the food bank's own records")

    # Labels sit in the right margin, pulled apart so that none touches another or a line.
    size = _label_size()
    point = _data_per_point(ax)
    heights = spread_labels([end[3] for end in ends], LABEL_SPACING * size * point, 0.6 * size * point,
                             ax.get_ylim()[1] - 0.6 * size * point)
    for (year, colour, last, _), height in zip(ends, heights, strict=True):
        text = str(year) if last >= 50 or on_phone() else f"{year} (to {_week_of_year_date(last):%b})"
        ax.annotate(text, (margin, height), xytext=(2, 0), textcoords="offset points", color=colour,
                    fontweight="bold", va="center", fontsize=size, annotation_clip=False)

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


@main_finding
@drawn_for_phones
def forecast_chart(demand: WeeklyDemand, result: DemandForecast, markers: pd.DataFrame | None = None,
                   weeks_shown: int = 52, facts=None):
    """The last year of actual parcels, then the forecast with its 80% and 95% ranges.

    Christmas weeks get a dotted line and bank holidays a triangle on the time axis,
    each labelled; school-holiday weeks (when the markers have any) are shaded
    light blue and labelled once, on the longest run of them. The labels of Christmas
    and school holidays sit in a band along the top, a row each, with the data below
    it; the lines and ranges are labelled directly at their ends, spread apart.

    Args:
        demand: The weekly history.
        result: The forecast.
        markers: :func:`helpers.food_bank.weekly.week_markers` covering the weeks shown.
        weeks_shown: Weeks of history to show before the forecast.
        facts: The report's :class:`~helpers.food_bank.words.ForecastFacts` (worked out here
            when not given): the title and alt text are written from them, as the text is.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.
    """
    from helpers.food_bank.words import forecast_facts

    facts = facts or forecast_facts(demand, result)
    history = demand.weeks.iloc[-weeks_shown:]
    actual = history["parcels"].where(history["status"] == COUNTED)
    f = result.forecast
    fig, ax = new_chart(9.5, 4.8)
    size = _label_size()
    ax.plot(history.index, actual, color=PALETTE[0], linewidth=1.6)
    ax.fill_between(f["week_start"], f["lower_95"], f["upper_95"], color=PALETTE[1], alpha=0.25, linewidth=0)
    ax.fill_between(f["week_start"], f["lower_80"], f["upper_80"], color=PALETTE[1], alpha=0.5, linewidth=0)
    shown = f["forecast"].where(f["status"] != SHUT)
    ax.plot(f["week_start"], shown, color=PALETTE[3], linewidth=2)
    last_actual = actual.last_valid_index()
    # The forecast line is joined to the last counted week, so a step at the join shows as one.
    ax.plot([last_actual, f["week_start"].iloc[0]], [actual[last_actual], shown.iloc[0]], color=PALETTE[3],
            linewidth=1.5, linestyle="--")
    start, end = f["week_start"].iloc[0], f["week_start"].iloc[-1]
    top = float(np.nanmax([actual.max(), f["upper_95"].max()]))
    shut_weeks = pd.DatetimeIndex(f.loc[f["status"] == SHUT, "week_start"])

    holidays_in_forecast: list[str] = []
    school_runs: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    school_in_forecast = 0
    christmases: list[pd.Timestamp] = []
    bank_holiday_weeks: list[pd.Timestamp] = []
    if markers is not None:
        marked = markers.loc[(markers.index >= history.index[0]) & (markers.index <= end)]
        school_runs = _school_holiday_runs(marked)
        school_in_forecast = int(marked.loc[marked.index >= start, "school_holiday"].sum())
        for week, row in marked.iterrows():
            middle = week + pd.Timedelta(days=3)
            if row["christmas"]:
                ax.axvline(middle, color=PALETTE[7], linestyle=":", linewidth=1)
                christmases.append(middle)
            elif row["bank_holidays"]:
                ax.plot([middle], [top * 0.02], marker="^", color=PALETTE[4], markersize=7)
                if week not in shut_weeks:  # a shut week has its own label there
                    bank_holiday_weeks.append(middle)
                if week >= start:
                    holidays_in_forecast.append(f"{row['bank_holidays']} (week of {date_words(week, year=False)})")
    for first, last in school_runs:
        ax.axvspan(first, last + pd.Timedelta(weeks=1), color=PALETTE[5], alpha=0.2, linewidth=0, zorder=0)
    ax.set_xlim(history.index[0], end + pd.Timedelta(weeks=max(3, len(f) // 4)))
    ax.set_ylim(0, top * 1.15)  # for now: the layout below reads the tick labels
    # Three at most on a phone: the labels of the lines' ends take a fifth of its width.
    format_month_axis(ax, most_ticks=3)
    _count_axis(ax, "Parcels a week")
    chart_titles(ax, f"About {facts.typical_week:,} parcels a week expected over the next {facts.weeks} weeks",
            "Parcels a week: the last year, then the forecast with its likely (80%) and wider (95%) ranges",
            "Source: the food bank's own records; forecast by the Data Surgery Kit")

    # A band along the top holds the labels of school holidays and Christmas, a row each, and the
    # scale is set so that the data stays below it, whatever the chart's height.
    row_height = LABEL_SPACING * size
    band = (bool(school_runs) + bool(christmases)) * row_height + 3
    width_points, height = _axes_size_points(ax)
    ceiling = top * 1.04 * height / max(height - band, height / 2)
    ax.set_ylim(0, ceiling)
    point = ceiling / height
    data_top = ceiling - band * point
    in_band = {"xycoords": ("data", "axes fraction"), "textcoords": "offset points", "va": "top", "fontsize": size}
    if school_runs:
        first, last = max(school_runs, key=lambda run: run[1] - run[0])
        if _along_inside(ax, first, _text_width(fig, "School holidays", size), "left", width_points) == "left":
            ax.annotate("School holidays", (first, 1), xytext=(3, -2), ha="left", color="#1F5F8B", **in_band)
        else:
            ax.annotate("School holidays", (last + pd.Timedelta(weeks=1), 1), xytext=(-3, -2), ha="right",
                        color="#1F5F8B", **in_band)
    for middle in christmases:
        ax.annotate("Christmas", (middle, 1), xytext=(0, -2 - bool(school_runs) * row_height),
                    ha=_along_inside(ax, middle, _text_width(fig, "Christmas", size), width=width_points), **in_band)

    label = {"textcoords": "offset points", "va": "center", "fontsize": size}
    if result.partial is not None:
        ax.plot([result.partial[0]], [result.partial[1]], marker="o", markerfacecolor="white",
                markeredgecolor=PALETTE[0], markersize=7, linestyle="none")
        ax.annotate("so far this week", (result.partial[0], result.partial[1]), xytext=(0, -14), ha="center",
                    color=PALETTE[0], **label)
    for first, last in _week_runs(shut_weeks):
        ax.annotate("closed", (first + (last - first) / 2, 0), xytext=(0, 10), ha="center", color=PALETTE[3],
                    **label)
    if bank_holiday_weeks:
        first_bank = bank_holiday_weeks[0]
        side = _along_inside(ax, first_bank, _text_width(fig, "bank holiday", size) + 6, "left", width_points)
        ax.annotate("bank holiday", (first_bank, top * 0.02), xytext=(6 if side == "left" else -6, 8),
                    textcoords="offset points", ha="left" if side == "left" else "right", color=PALETTE[4],
                    fontsize=size)
    at, up, side = _line_label_place(ax, actual, "Actual", size, data_top)
    ax.annotate("Actual", (at, actual[at]), xytext=(-6 if side == "right" else 0, up), ha=side, color=PALETTE[0],
                fontweight="bold", **label)
    # The ends of the lines and ranges, spread apart and kept under the band.
    open_weeks = f[f["status"] != SHUT]
    last_open = open_weeks.iloc[-1] if len(open_weeks) else f.iloc[-1]
    heights = spread_labels([last_open["upper_95"], last_open["forecast"], last_open["lower_80"]],
                             LABEL_SPACING * size * point, 0.6 * size * point, data_top - 0.6 * size * point)
    for text, height, style in zip(
            ("95% range", "Forecast", "80% range"), heights,
            ({"color": "#444444"}, {"color": PALETTE[3], "fontweight": "bold"}, {"color": "#444444"}), strict=True):
        ax.annotate(text, (end, height), xytext=(6, 0), **style, **label)

    marked_words = (f" Bank holidays in the forecast period: {'; '.join(holidays_in_forecast)}."
                    if holidays_in_forecast else "")
    alt = (
        f"Line chart of parcels given out each week from {history.index[0]:%B %Y}, then the forecast for "
        f"{facts.period}: about {facts.typical_week:,} a week, with likely (80%) ranges from {facts.likely_low:,} "
        f"to {facts.likely_high:,} parcels shaded around it. Christmas weeks are marked with dotted lines and bank holidays with "
        f"triangles.{marked_words}"
    )
    if school_runs:
        in_forecast = (f"{plural(school_in_forecast, 'week')} of the forecast period "
                       f"{'is' if school_in_forecast == 1 else 'are'}" if school_in_forecast
                       else "no week of the forecast period is")
        alt += f" School-holiday weeks are shaded light blue; {in_forecast} in the school holidays."
    return fig, alt


def _line_label_place(ax, line: pd.Series, text: str, size: float, ceiling: float) -> tuple[pd.Timestamp, float, str]:
    """Where a line's name goes so that the line does not run through it: ``(date, points up, alignment)``.

    First choice: just left of the line's last point and above every week it spans (beside the
    forecast it leads into). When that reaches ``ceiling`` (the band of labels along the top), it
    goes at the line's start instead, above the weeks it spans there or, failing that, below them.
    """
    first_x, last_x = ax.get_xlim()  # in days, as matplotlib counts dates
    days_per_point = (last_x - first_x) / max(_axes_size_points(ax)[0], 1.0)
    reach = pd.Timedelta(days=(_text_width(ax.figure, text, size, "bold") + 8) * days_per_point)
    point = _data_per_point(ax)
    half = 0.6 * size
    counted = line.dropna()
    last, first = counted.index[-1], counted.index[0]
    spanned = counted.loc[last - reach:last]
    above = max(14.0, (float(spanned.max()) - counted[last]) / point + half + 2)
    if counted[last] + (above + half) * point <= ceiling:
        return last, above, "right"
    spanned = counted.loc[first:first + reach]
    above = (float(spanned.max()) - counted[first]) / point + half + 4
    if counted[first] + (above + half) * point <= ceiling:
        return first, above, "left"
    return first, -((counted[first] - float(spanned.min())) / point + half + 4), "left"


def _week_runs(weeks) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Weeks as ``(first week, last week)`` runs of consecutive weeks.

    Example:
        >>> weeks = pd.DatetimeIndex(["2024-07-22", "2024-07-29", "2024-08-12"])
        >>> [(f"{a:%d %b}", f"{b:%d %b}") for a, b in _week_runs(weeks)]
        [('22 Jul', '29 Jul'), ('12 Aug', '12 Aug')]
    """
    runs: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for week in sorted(weeks):
        if runs and week - runs[-1][1] <= pd.Timedelta(weeks=1):
            runs[-1] = (runs[-1][0], week)
        else:
            runs.append((week, week))
    return runs


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
    return _week_runs(markers.index[markers["school_holiday"].to_numpy(dtype=bool)])


@drawn_for_phones
def small_multiples_chart(network: NetworkDemand, forecast: NetworkForecast, weeks_shown: int = 52):
    """A grid of small charts, one per food bank, each with its last year and its forecast.

    Every panel has its own scale (a small pantry's pattern must stay visible next
    to a big food bank), starting at zero. Up to :data:`MAX_PANELS` sites are all
    shown; a bigger network shows the total, the fastest growing and the least
    certain sites, and says so in the title. Four panels to a row on the page, two
    on a phone; a panel's title is wrapped to its width, on three lines at most.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.
    """
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
    phone = on_phone()
    columns = 2 if phone else 4
    rows = math.ceil(len(panels) / columns)
    size = plt.rcParams["font.size"] if phone else PAGE_LABEL_SIZE
    # 8.8 inches: 968 px as shown, inside the page's 1000 with the drawing's margins.
    fig = plt.figure(figsize=(PHONE_WIDTH_INCHES, 1.4 * rows + 1.3) if phone else (8.8, 2.1 * rows + 1.4), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax, (name, demand, result) in zip(axes.flat, panels, strict=False):
        history = demand.weeks.iloc[-weeks_shown:]
        actual = history["parcels"].where(history["status"] == COUNTED)
        f = result.forecast[result.forecast["status"] != SHUT]
        ax.fill_between(f["week_start"], f["lower_80"], f["upper_80"], color=PALETTE[1], alpha=0.45, linewidth=0)
        ax.plot(history.index, actual, color=PALETTE[0], linewidth=1.1)
        last = actual.last_valid_index()
        join = pd.concat([pd.Series([actual[last]], index=[last]), f.set_index("week_start")["forecast"]])
        ax.plot(join.index, join.to_numpy(), color=PALETTE[3], linewidth=1.4)
        ax.set_ylim(0, float(np.nanmax([actual.max(), f["upper_80"].max()])) * 1.1)
        ax.set_xticks([])
        ax.tick_params(labelsize=size)
        _count_axis(ax, "", 3 if phone else "auto")
        if phone:
            # "4k" rather than "4,000": the scale's labels take room from a column a third as wide as the page's.
            ax.yaxis.set_major_formatter(lambda value, _: f"{value / 1000:g}k" if value >= 1000 else f"{value:.0f}")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in list(axes.flat)[len(panels):]:
        ax.remove()  # an empty cell: hidden axes would keep tick labels that the report's checks still see

    # Titles are wrapped to the panels' width as laid out: one reaching past its panel would
    # meet the next panel's scale (and have the layout squeeze the panel under it).
    source = "Source: the network's own records. Each chart has its own scale, starting at zero."
    heading = (f"Each food bank: the last year (blue) and the next {len(forecast.total.forecast)} weeks "
               f"(red, with its likely range shaded)")
    title_size = plt.rcParams["axes.titlesize"] if phone else 13
    source_size = size - 1 if phone else 10
    room = fig.get_figwidth() * 72 - 12
    fig.suptitle(_wrapped(fig, heading, room, title_size), fontsize=title_size, x=0.01, ha="left")
    fig.supxlabel(_wrapped(fig, source, room, source_size), fontsize=source_size, color="#444444",
                  x=0.01, ha="left")
    fig.draw_without_rendering()
    for position, (ax, (name, _, _)) in enumerate(zip(axes.flat, panels, strict=False)):
        weight = "bold" if name == TOTAL else "normal"
        box = ax.get_window_extent()
        if not phone:
            room = box.width * 72 / fig.dpi - 2
            ax.set_title(_wrapped(fig, name, room, size, weight, most_lines=3), fontsize=size, loc="left",
                         fontweight=weight)
            continue
        # On a phone a title takes its column's whole width, over the scale's labels, so that a name
        # such as "Chapeltown Community Larder" takes two lines rather than three.
        column = position % columns
        left = (axes.flat[position - 1].get_window_extent().x1 * 72 / fig.dpi + 6 if column
                else plt.rcParams["figure.constrained_layout.w_pad"] * 72)
        start = box.x0 * 72 / fig.dpi - left
        ax.annotate(_wrapped(fig, name, box.x1 * 72 / fig.dpi - left - 2, size, weight, most_lines=3),
                    (0, 1), xycoords="axes fraction", xytext=(-start, 6), textcoords="offset points", ha="left",
                    va="bottom", fontsize=size, fontweight=weight)
    alt = (f"Small line charts, one for the network total and one each for {what} of "
           f"{plural(len(table), 'food bank')}: parcels a week over the last year, then the forecast with its "
           f"80% range. The network total is forecast at about {forecast.total.total['central']:,} parcels.")
    return fig, alt
