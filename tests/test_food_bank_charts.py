"""The food-bank report's charts (helpers.food_bank.charts): what they say, and that they read on
the page and on a phone (no text cut short or too small, no labels written over each other)."""

from __future__ import annotations

import datetime as dt

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from support.charts import chart_problems

from helpers.food_bank.charts import (
    forecast_chart,
    history_chart,
    small_multiples_chart,
    yearly_pattern_chart,
)
from helpers.food_bank.forecast import DemandForecast, forecast_demand
from helpers.food_bank.network import TOTAL, NetworkForecast, network_demand
from helpers.food_bank.weekly import COUNTED, week_markers, weekly_demand
from helpers.synthetic.foodbank import make_network, make_weekly_parcels
from helpers.writing.playbook import DATASETS_DIR

# The half-year visit log, as the fixture "visit_log".
pytest_plugins = ["support.food_bank"]


@pytest.fixture(scope="module")
def sample():
    """The bundled visit log (April 2022 to April 2025), its 12-week forecast and its weeks' markers."""
    frame = pd.read_csv(DATASETS_DIR / "foodbank-visits.csv", dtype="str")
    frame["Visit date"] = pd.to_datetime(frame["Visit date"], format="%d/%m/%Y")
    demand = weekly_demand(frame, "Visit date")
    result = forecast_demand(demand, horizon_weeks=12)
    markers = week_markers(demand.weeks.index.union(result.forecast["week_start"]), "england")
    return demand, result, markers


def stand_in_forecast(demand, weeks: int = 12) -> DemandForecast:
    """A forecast made in a millisecond (the last 13 weeks' level, ranges widening): these tests are
    about the chart, and a network's real forecast takes longer than a test may."""
    recent = demand.history["parcels"].dropna().iloc[-13:]
    level, spread = float(recent.mean()), float(recent.std())
    starts = pd.date_range(demand.weeks.index[-1] + pd.Timedelta(weeks=1), periods=weeks, freq=demand.freq)
    widening = np.sqrt(np.arange(1, weeks + 1))
    frame = pd.DataFrame({"week_start": starts, "week_ending": starts + pd.Timedelta(days=6),
                          "forecast": round(level)})
    for name, z in (("80", 1.28), ("95", 1.96)):
        frame[f"lower_{name}"] = np.maximum(0, np.round(level - z * spread * widening)).astype("int64")
        frame[f"upper_{name}"] = np.round(level + z * spread * widening).astype("int64")
    frame["status"] = "forecast"
    backtest = pd.DataFrame({"model": ["SeasonalNaive"], "mase": [1.0]})
    return DemandForecast(frame, backtest, "SeasonalNaive", "SeasonalNaive", plan=None, warnings=[])


def network_with_forecast(frame: pd.DataFrame):
    network = network_demand(frame, "Week commencing", "Food bank", "Parcels")
    sites = {name: stand_in_forecast(demand) for name, demand in network.sites.items()}
    return network, NetworkForecast(sites, stand_in_forecast(network.total))


def year_labels(fig) -> list:
    return [text for text in fig.axes[0].texts if text.get_text()[:4].isdigit()]


# The history ------------------------------------------------------------------------------------


def test_history_alt_text_states_the_numbers(visit_log):
    demand = weekly_demand(visit_log, "Visit date")
    counted = demand.weeks["parcels"].where(demand.weeks["status"] == COUNTED)
    fig, alt = history_chart(demand)
    assert f"from {counted.min():.0f} to {counted.max():.0f} parcels" in alt and "1 week with no data is" in alt
    plt.close(fig)


def test_history_chart_reads_on_the_page_and_a_phone(sample):
    fig, _ = history_chart(sample[0])
    assert chart_problems(fig) == []


def test_five_years_of_thousands_keep_their_month_axis_apart_on_a_phone():
    # A network's total: five years, thousands a week, and a fortnight without data near the end
    # (its "no data" label must stay inside the chart).
    frame = make_weekly_parcels(270, seed=3, start="2020-01-06", base=2500)
    frame = frame.drop(index=[255, 256])
    demand = weekly_demand(frame, "week_start", "parcels")
    fig, _ = history_chart(demand)
    phone = fig.redraw_for_phone()
    phone.canvas.draw()
    low, high = phone.axes[0].get_xlim()
    ticks = [tick for tick in phone.axes[0].get_xticks() if low <= tick <= high]
    assert len(ticks) <= 4
    assert "3,000" in [label.get_text() for label in phone.axes[0].get_yticklabels()]
    plt.close(phone)
    assert chart_problems(fig) == []


# The yearly pattern -----------------------------------------------------------------------------


def test_yearly_pattern_alt_text_says_when_there_is_too_little_data(visit_log):
    fig, alt = yearly_pattern_chart(weekly_demand(visit_log, "Visit date"))
    assert "less than a year" in alt
    plt.close(fig)


def test_year_labels_sit_apart_in_the_margin(sample):
    fig, _ = yearly_pattern_chart(sample[0])
    fig.canvas.draw()
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    labels = year_labels(fig)
    assert [t.get_text()[:4] for t in labels] == ["2022", "2023", "2024", "2025"]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    right_edge = ax.get_window_extent(renderer).x1
    assert all(box.x0 >= right_edge - 1 for box in boxes)  # outside the plot area: no line underneath
    plt.close(fig)


def test_yearly_pattern_chart_reads_on_the_page_and_a_phone(sample):
    fig, _ = yearly_pattern_chart(sample[0])
    assert chart_problems(fig) == []


def test_six_years_ending_at_the_same_height_keep_their_labels_apart_and_inside():
    # Every year's last week, and the year in progress, at the busiest level of all: six labels that
    # all want the same place at the very top of the chart.
    frame = make_weekly_parcels(282, seed=5, start="2020-01-06")
    last_weeks = frame.groupby(frame["week_start"].dt.year).tail(1).index
    frame.loc[last_weeks, "parcels"] = frame["parcels"].max()
    fig, _ = yearly_pattern_chart(weekly_demand(frame, "week_start", "parcels"))
    phone = fig.redraw_for_phone()
    labels = year_labels(phone)
    assert [label.get_text() for label in labels] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    top = phone.axes[0].get_ylim()[1]
    assert all(0 < label.xy[1] < top for label in labels)  # none pushed up into the titles
    plt.close(phone)
    assert chart_problems(fig) == []


# The forecast -----------------------------------------------------------------------------------


def _school_spans(ax):
    """The (start, end) dates of the light-blue spans shading school-holiday weeks."""
    import matplotlib.colors as mcolors
    import matplotlib.dates as mdates

    from helpers.writing.charts import PALETTE

    spans = []
    for patch in ax.patches:
        if mcolors.to_hex(patch.get_facecolor()) == PALETTE[5].lower():
            xs = patch.get_path().transformed(patch.get_patch_transform()).vertices[:, 0]
            spans.append((mdates.num2date(xs.min()).date(), mdates.num2date(xs.max()).date()))
    return sorted(set(spans))


def test_forecast_chart_shades_school_holidays_only_when_given(sample):
    demand, result, _ = sample
    weeks = demand.weeks.index.union(result.forecast["week_start"])
    fig, plain_alt = forecast_chart(demand, result, week_markers(weeks, "england"))
    assert _school_spans(fig.axes[0]) == [] and "chool" not in plain_alt
    assert not any(t.get_text() == "School holidays" for t in fig.axes[0].texts)
    plt.close(fig)

    holidays = "22/07/2024 to 30/08/2024, 07/04/2025 to 17/04/2025, 26/05/2025 to 30/05/2025"
    fig, alt = forecast_chart(demand, result, week_markers(weeks, "england", holidays))
    ax = fig.axes[0]
    assert _school_spans(ax) == [
        (dt.date(2024, 7, 22), dt.date(2024, 9, 2)),
        (dt.date(2025, 4, 7), dt.date(2025, 4, 21)),
        (dt.date(2025, 5, 26), dt.date(2025, 6, 2)),
    ]
    assert [t.get_text() for t in ax.texts].count("School holidays") == 1
    assert alt.startswith(plain_alt)
    assert alt.endswith("School-holiday weeks are shaded light blue; 3 weeks of the forecast period are in the "
                        "school holidays.")
    plt.close(fig)


def test_forecast_chart_reads_on_the_page_and_a_phone(sample):
    demand, result, markers = sample
    fig, _ = forecast_chart(demand, result, markers)
    assert chart_problems(fig) == []


def test_forecast_chart_with_every_marker_reads_on_a_phone():
    # Counts to 9 December 2024, shut over Christmas: the chart shows Christmas 2023 at its left
    # edge and Christmas 2024 in the forecast, bank holidays, four runs of school holidays, and
    # the closed fortnight, labelled once.
    weeks = len(pd.date_range("2022-01-03", "2024-12-09", freq="W-MON"))
    demand = weekly_demand(make_weekly_parcels(weeks, seed=11, start="2022-01-03"), "week_start", "parcels",
                           closed_dates="23/12/2024 to 03/01/2025")
    result = forecast_demand(demand, horizon_weeks=12)
    holidays = ("22/07/2024 to 30/08/2024, 28/10/2024 to 01/11/2024, 23/12/2024 to 03/01/2025, "
                "17/02/2025 to 21/02/2025")
    markers = week_markers(demand.weeks.index.union(result.forecast["week_start"]), "england", holidays)
    fig, _ = forecast_chart(demand, result, markers)
    texts = [text.get_text() for text in fig.axes[0].texts]
    assert texts.count("Christmas") == 2 and texts.count("closed") == 1
    assert {"School holidays", "bank holiday", "Actual", "Forecast"} <= set(texts)
    assert chart_problems(fig) == []


# A network's small multiples --------------------------------------------------------------------


def test_small_multiples_read_on_the_page_and_a_phone():
    network, forecast = network_with_forecast(pd.read_csv(DATASETS_DIR / "foodbank-network.csv", dtype="str"))
    fig, alt = small_multiples_chart(network, forecast)
    assert "every food bank of 12 food banks" in alt
    phone = fig.redraw_for_phone()
    columns = {round(ax.get_position().x0, 2) for ax in phone.axes}
    assert len(phone.axes) == 13 and len(columns) == 2
    plt.close(phone)
    assert chart_problems(fig) == []


def test_long_names_keep_their_panel_titles_whole_on_a_phone():
    frame = make_network(9, 60, seed=3)
    frame["Food bank"] = frame["Food bank"] + " and District"  # "Killingbeck Church Food Bank and District"
    network, forecast = network_with_forecast(frame)
    fig, _ = small_multiples_chart(network, forecast)
    phone = fig.redraw_for_phone()
    titles = [text.get_text() for ax in phone.axes for text in ax.texts]
    assert len(titles) == 10 and titles[0] == TOTAL
    assert all(title.endswith("District") for title in titles[1:])  # wrapped, not cut short
    assert sorted(title.replace("\n", " ") for title in titles[1:]) == sorted(network.sites)
    plt.close(phone)
    assert chart_problems(fig) == []


def test_the_forecast_chart_s_alt_text_is_written_from_the_report_s_facts(sample):
    # Issue 20: the alt text gave a different last week from the text, and the spread of the central
    # forecasts where the text gave the likely ranges.
    from helpers.food_bank.words import forecast_facts, summary_in_words

    demand, result, markers = sample
    facts = forecast_facts(demand, result)
    fig, alt = forecast_chart(demand, result, markers, facts=facts)
    plt.close(fig)
    assert f"the forecast for {facts.period}:" in alt
    assert facts.period in summary_in_words(demand, result, facts, "the food bank")[0]
    assert f"about {facts.typical_week:,} a week" in alt
    assert f"likely (80%) ranges from {facts.likely_low:,} to {facts.likely_high:,} parcels" in alt


def test_the_history_alt_text_never_says_zero_weeks_are_shaded():
    frame = make_weekly_parcels(30, seed=4)
    demand = weekly_demand(frame, "week_start", "parcels")
    fig, alt = history_chart(demand)
    plt.close(fig)
    assert "0 weeks" not in alt and "No week is missing." in alt
