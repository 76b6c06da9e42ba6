"""food-bank-demand's conclusions as rules: "busiest week" and "without a jump" only when the numbers allow.

Issue 20: the busiest week was named when the top weeks differed by 1 parcel and their ranges
overlapped by far more (and, on one file, it was just the first week of a falling forecast), and
"carries on ... without a jump" sat over a chart that dropped from 201 to 174. Each rule is tested
at its boundary, on the counterexample, and (Hypothesis) on generated weeks whose truth is known.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.food_bank.forecast import FORECAST_COLUMNS, DemandForecast
from helpers.food_bank.weekly import weekly_demand
from helpers.food_bank.words import (
    busiest_claim,
    busiest_contenders,
    busiest_figure,
    join_claim,
    next_steps,
    peaks_in_words,
    ranges_overlap,
)
from helpers.writing.claims import CONCLUSION_WORDS

WEEKS = pd.date_range("2025-03-31", periods=12, freq="W-MON")


def forecast_of(centres, half_widths=10, status="forecast", label="start") -> DemandForecast:
    """A forecast whose weeks have the given central values and likely ranges (centre +- half width)."""
    centres = list(centres)
    halves = half_widths if isinstance(half_widths, list) else [half_widths] * len(centres)
    weeks = WEEKS[: len(centres)]
    frame = pd.DataFrame({
        "week_start": weeks, "week_ending": weeks + pd.Timedelta(days=6), "forecast": centres,
        "lower_80": [max(0, c - h) for c, h in zip(centres, halves, strict=True)],
        "upper_80": [c + h for c, h in zip(centres, halves, strict=True)],
        "lower_95": [max(0, c - 2 * h) for c, h in zip(centres, halves, strict=True)],
        "upper_95": [c + 2 * h for c, h in zip(centres, halves, strict=True)], "status": status,
    })[FORECAST_COLUMNS]
    return DemandForecast(frame, pd.DataFrame(), "Naive", "Naive", None, [], label=label)


def printed(claim) -> str:
    return claim.sentence.lower()


def words_allowed(claim) -> None:
    """No conclusion phrase in a claim's sentence unless the claim reached that phrase's decision."""
    for phrase, decision in CONCLUSION_WORDS.items():
        if phrase in printed(claim):
            assert claim.decision == decision, (phrase, claim.decision, claim.sentence)


# --- busiest week -------------------------------------------------------------------------------

def test_ranges_overlap_in_parcels():
    assert ranges_overlap({"lower_80": 0, "upper_80": 10}, {"lower_80": 20, "upper_80": 30}) == 0
    assert ranges_overlap({"lower_80": 0, "upper_80": 10}, {"lower_80": 10, "upper_80": 30}) == 0
    assert ranges_overlap({"lower_80": 144, "upper_80": 198}, {"lower_80": 144, "upper_80": 199}) == 54


def test_a_week_ahead_by_exactly_the_overlap_is_not_named_the_busiest():
    # Ranges +-10: two weeks d apart share 20 - d parcels, so d = 10 is the boundary.
    at = busiest_claim(forecast_of([150, 110, 140, 110]))
    assert at.numbers["overlap"] == 10 and at.numbers["top"] - at.numbers["next"] == 10
    assert at.decision == "busy_period" and "busiest week" not in printed(at)
    beyond = busiest_claim(forecast_of([151, 110, 140, 110]))
    assert beyond.decision == "busiest_week" and beyond.numbers["overlap"] == 9
    assert printed(beyond).startswith("the busiest week is likely to be the week of 31 march")
    words_allowed(at), words_allowed(beyond)


def test_the_issue_s_top_weeks_a_parcel_apart_with_wide_ranges_are_not_a_busiest_week():
    claim = busiest_claim(forecast_of([100, 171, 171, 170, 100], [27, 27, 28, 27, 27]))
    assert claim.decision == "busy_period" and "busiest week" not in printed(claim)
    assert "the week of 7 april to the week of 21 april" in printed(claim)


def test_the_first_week_of_a_falling_forecast_is_not_named_the_busiest():
    falling = busiest_claim(forecast_of([200, 196, 192, 188, 184, 180, 176, 172, 168, 164, 160, 156], 20))
    assert falling.decision == "busy_period"
    assert falling.numbers["period_first"] == "2025-03-31"
    assert "busiest week" not in printed(falling)


def test_weeks_all_within_each_other_s_ranges_are_level():
    claim = busiest_claim(forecast_of([100, 102, 101, 99], 20))
    assert claim.decision == "level" and "no single week stands out" in printed(claim)


def test_a_flat_forecast_names_no_week():
    assert busiest_claim(forecast_of([80] * 6)).decision == "flat"


def test_the_partly_recorded_and_closed_weeks_are_never_the_busiest():
    result = forecast_of([300, 120, 100, 0], status="forecast")
    result.forecast.loc[0, "status"] = "partly recorded"
    result.forecast.loc[3, "status"] = "closed"
    claim = busiest_claim(result)
    assert claim.decision == "busiest_week" and claim.numbers["top_week"] == f"{WEEKS[1]:%Y-%m-%d}"


def test_only_a_named_busiest_week_reaches_main_points_next_steps_and_the_peaks_sentence():
    from helpers.food_bank.words import ForecastFacts

    for centres in ([151, 110, 140, 110], [150, 110, 140, 110], [100, 102, 101, 99], [80, 80, 80, 80]):
        result = forecast_of(centres, 10)
        claim = busiest_claim(result)
        facts = ForecastFacts(WEEKS[0], WEEKS[3] + pd.Timedelta(days=6), 4, 4, {"central": 1, "lower_80": 0,
                              "upper_80": 2}, 100, 90, 160, claim, None)
        figure = busiest_figure(facts, result, "Week starting")
        rendered = " ".join([*figure, peaks_in_words(facts, result)]).lower()
        assert ("busiest week" in rendered) == (claim.decision == "busiest_week"), rendered
        plan = type("Plan", (), {"totals": pd.DataFrame({"item": ["Soup"], "total_at_upper_80": [1]})})()
        demand = type("Demand", (), {"missing_weeks": []})()
        steps = " ".join(next_steps(demand, result, plan, facts)).lower()
        assert ("busiest week" in steps) == (claim.decision == "busiest_week")


week_values = st.integers(min_value=0, max_value=400)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(week_values, st.integers(min_value=0, max_value=80)), min_size=2, max_size=12),
       st.data())
def test_overlapping_top_weeks_never_yield_a_busiest_week(weeks, data):
    """Property: whenever another week's range overlaps the top week's by at least their difference,
    the decision is never busiest_week and "busiest week" is never printed."""
    centres = [c for c, _ in weeks]
    halves = [h for _, h in weeks]
    result = forecast_of(centres, halves)
    claim = busiest_claim(result)
    frame = result.forecast
    top = frame.sort_values(["forecast", "week_start"], ascending=[False, True]).iloc[0]
    rivals = [row for _, row in frame.iterrows() if row["week_start"] != top["week_start"]]
    overlapped = any(top["forecast"] - row["forecast"] <= ranges_overlap(top, row) for row in rivals)
    if overlapped:
        assert claim.decision != "busiest_week"
        assert "busiest week" not in printed(claim)
    else:
        assert claim.decision == "busiest_week"
    words_allowed(claim)
    assert len(busiest_contenders(frame)) >= 1


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=20, max_value=500), st.integers(min_value=0, max_value=30),
       st.integers(min_value=1, max_value=12), st.integers(min_value=2, max_value=12))
def test_two_weeks_tied_at_the_top_are_never_the_busiest_week(level, half, first, second):
    centres = [level // 2] * 12
    centres[first - 1] = centres[second - 1] = level
    if first == second:
        return
    claim = busiest_claim(forecast_of(centres, half))
    assert claim.decision != "busiest_week" and "busiest week" not in printed(claim)


# --- the join -----------------------------------------------------------------------------------

def history_with_last(last: float, usual: int = 10):
    """52 counted weeks alternating 100 and 100 + usual, then a last week of ``last``."""
    values = [100 + usual * (i % 2) for i in range(52)] + [last]
    weeks = pd.date_range("2024-03-25", periods=len(values), freq="W-MON")
    return weekly_demand(pd.DataFrame({"Week": weeks, "Parcels": values}), "Week", "Parcels")


def after(demand, first: int) -> DemandForecast:
    week = demand.weeks.index[-1] + pd.Timedelta(weeks=1)
    frame = pd.DataFrame([[week, week + pd.Timedelta(days=6), first, first - 40, first + 40, first - 60,
                           first + 60, "forecast"]], columns=FORECAST_COLUMNS)
    return DemandForecast(frame, pd.DataFrame(), "Naive", "Naive", None, [])


@pytest.mark.parametrize(("first", "decision"), [(110, "no_jump"), (90, "no_jump"), (111, "step"), (89, "step")])
def test_without_a_jump_only_within_a_usual_week_to_week_change(first, decision):
    demand = history_with_last(100)
    claim = join_claim(demand, after(demand, first))
    assert claim.numbers["usual_change"] == 10
    assert claim.decision == decision
    assert ("without a jump" in printed(claim)) == (decision == "no_jump")
    words_allowed(claim)


def test_the_issue_s_drop_from_201_to_174_is_a_step_not_without_a_jump():
    demand = history_with_last(201, usual=12)
    claim = join_claim(demand, after(demand, 174))
    assert claim.decision == "step" and "without a jump" not in printed(claim)
    assert printed(claim).startswith("the forecast starts 27 parcels lower")


def test_a_step_inside_the_likely_range_is_still_a_step():
    # The old rule compared the step with half the likely range (here 40): a 27-parcel drop passed.
    demand = history_with_last(201, usual=12)
    result = after(demand, 174)
    assert (result.forecast["upper_80"].iloc[0] - result.forecast["lower_80"].iloc[0]) / 2 > 27
    assert join_claim(demand, result).decision == "step"
