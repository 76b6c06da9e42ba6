"""The food-bank-demand report's sentences: numbers from the results, grammar for one or many."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from helpers.food_bank.forecast import forecast_demand, peak_weeks
from helpers.food_bank.stock import (
    load_default_parcel_contents,
    stock_on_hand_for,
    stock_plan,
)
from helpers.food_bank.weekly import week_markers, weekly_demand
from helpers.food_bank.words import (
    backtest_in_words,
    bank_holidays_in_words,
    forecast_facts,
    gaps_in_words,
    limitations,
    next_steps,
    ranges_in_words,
    stock_in_words,
    summary_in_words,
)
from helpers.writing.playbook import DATASETS_DIR


@pytest.fixture(scope="module")
def sample():
    frame = pd.read_csv(DATASETS_DIR / "foodbank-visits.csv", dtype="str")
    frame["Visit date"] = pd.to_datetime(frame["Visit date"], format="%d/%m/%Y")
    frame["People fed"] = pd.to_numeric(frame["People fed"], errors="coerce")
    demand = weekly_demand(frame, "Visit date", people_column="People fed")
    result = forecast_demand(demand, 12)
    markers = week_markers(demand.weeks.index.union(result.forecast["week_start"]), "england")
    return demand, result, markers, peak_weeks(result.forecast, markers)


@pytest.fixture(scope="module")
def flat():
    weeks = pd.date_range("2024-01-01", periods=20, freq="W-MON")
    frame = pd.DataFrame({"Week": weeks, "Parcels": np.r_[np.full(18, 50.0), [np.nan, 50.0]]})
    demand = weekly_demand(frame, "Week", "Parcels")
    return demand, forecast_demand(demand, 4)


def test_summary_quotes_the_forecast_totals(sample):
    demand, result, _, peaks = sample
    facts = forecast_facts(demand, result)
    text = " ".join(summary_in_words(demand, result, facts, "Test Pantry"))
    assert f"about {int(result.forecast['forecast'].sum()):,} parcels" in text
    total = result.total
    assert f"between {total['lower_80']:,} and {total['upper_80']:,}" in text and "8 times out of 10" in text
    # An 80% range for the total is narrower than adding up each week's upper limit.
    assert total["upper_80"] < int(result.forecast["upper_80"].sum())
    assert f"about {result.score(result.model, 'mae'):.0f} parcels a week" in text
    assert "3 weeks had no data. They are shown as gaps, never counted as zero" in text
    assert "Test Pantry's own past weeks" in text
    assert facts.total_claim("Test Pantry").sentence in text


def test_a_method_no_better_than_the_baseline_is_said_plainly(flat):
    demand, result = flat
    as_baseline = dataclasses.replace(result, model=result.baseline)
    assert backtest_in_words(as_baseline, "the food bank").startswith("No method did clearly better")
    assert "last week's number" in backtest_in_words(as_baseline, "the food bank")
    assert gaps_in_words(demand).startswith("1 week had no data. It is shown as a gap, never counted as zero")
    facts = forecast_facts(demand, result)
    assert ranges_in_words(result, facts).startswith("Expect about 50 parcels a week.")
    assert "same each week" in " ".join(summary_in_words(demand, result, facts, "the food bank"))
    assert facts.busiest.decision == "flat"


def test_bank_holidays_named_with_their_weeks(sample):
    _, result, markers, _ = sample
    text = bank_holidays_in_words(result, markers)
    assert text.startswith("4 weeks in the forecast have a bank holiday")
    assert "Easter Monday (week of 21 April)" in text


def test_stock_sentences_with_and_without_a_stock_count(sample):
    demand, result, _, peaks = sample
    contents = load_default_parcel_contents()
    without = stock_plan(result.forecast, contents, demand.household_sizes)
    assert "come from the people column" in stock_in_words(without, demand, 12)[0]
    assert stock_in_words(without, demand, 12)[1].startswith("No stock count was given")
    stock, notes = stock_on_hand_for(str(DATASETS_DIR / "foodbank-stock.csv"), contents)
    assert "'Jam'" in notes[0] and "'Toilet roll'" in notes[1]
    counted = stock_plan(result.forecast, contents, demand.household_sizes, stock)
    runs_out = counted.totals[counted.totals["weeks_of_cover"] < 12]
    assert stock_in_words(counted, demand, 12)[1].startswith(f"{len(runs_out)} item")
    steps = next_steps(demand, result, counted, forecast_facts(demand, result))
    assert any("count as closed" in step for step in steps) and "soup" in steps[2]


def test_a_step_at_the_join_is_explained(sample):
    from helpers.food_bank.words import join_in_words

    demand, result, _, _ = sample
    plain = join_in_words(demand, result)
    assert plain.startswith("The forecast line carries on") or plain.startswith("The forecast starts")
    first = result.open_weeks.iloc[0]
    last = demand.history["parcels"].dropna().iloc[-1]
    moved = result.forecast.copy()
    moved.loc[moved.index[0], "forecast"] = int(last + 3 * (first["upper_80"] - first["lower_80"]))
    stepped = dataclasses.replace(result, forecast=moved)
    text = join_in_words(demand, stepped)
    assert text.startswith(f"The forecast starts {int(3 * (first['upper_80'] - first['lower_80'])):,} parcels higher")
    assert "The dashed line joins the two." in text


def test_gap_sentences_never_contradict_each_other(sample, flat):
    # Issue 20: "left as gaps, not counted as zero" beside "Weeks with no data were filled in".
    for demand, _ in (sample[:2], flat):
        said = gaps_in_words(demand) + " " + " ".join(limitations(demand))
        assert "left as gaps" not in said and "were filled in to fit" not in said
        assert "never counted as zero" in said
        assert "estimated from the weeks around" in " ".join(limitations(demand))
    complete = weekly_demand(pd.DataFrame({"Week": pd.date_range("2024-01-01", periods=20, freq="W-MON"),
                                           "Parcels": range(20)}), "Week", "Parcels")
    assert gaps_in_words(complete) == ""
    assert not any("no data" in point for point in limitations(complete))


def test_the_weekly_range_sentence_gives_the_likely_ranges_not_the_spread_of_forecasts(sample):
    # Issue 20: "Expect about 148 to 174 parcels a week" while the likely ranges ran 120-201.
    demand, result, _, _ = sample
    facts = forecast_facts(demand, result)
    text = ranges_in_words(result, facts)
    ahead = result.open_weeks
    assert f"between {int(ahead['lower_80'].min()):,} and {int(ahead['upper_80'].max()):,}" in text
    assert f"{ahead['forecast'].min()} to {ahead['forecast'].max()}" not in text
    assert facts.range_claim().sentence in text
