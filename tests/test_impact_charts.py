"""Tests for helpers.impact.charts: both charts read on the page and on a phone, from 10 to 1,000 people."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from support.charts import chart_problems
from test_outcomes import sample_pairs

from helpers.impact.charts import before_after_chart, change_chart
from helpers.impact.outcomes import measure_impact
from helpers.reading.loader import load_table
from helpers.writing.playbook import resolve_data_path


@pytest.fixture(scope="module")
def sample_measure():
    """The playbook's sample: 97 people's SWEMWBS scores, a meaningful change of 2.87 points."""
    return measure_impact(load_table(resolve_data_path("../datasets/outcomes.csv")), scale="swemwbs").main


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_before_after_chart_reads_on_page_and_phone(sample_measure):
    fig, _ = before_after_chart(sample_measure)
    assert chart_problems(fig) == []


def test_change_chart_reads_on_page_and_phone(sample_measure):
    fig, _ = change_chart(sample_measure)
    assert chart_problems(fig) == []


@pytest.mark.parametrize("people", [10, 1000])
def test_before_after_chart_reads_at_10_and_1000_people(people):
    measure = measure_impact(sample_pairs(people, start=19, rise=2, seed=people)).main
    fig, _ = before_after_chart(measure, "Referral assessment", "Twelve weeks later")
    assert chart_problems(fig) == []


@pytest.mark.parametrize("people", [10, 1000])
def test_change_chart_reads_at_10_and_1000_people(people):
    # seed 4 at 10 people: nobody changed by less than the threshold's negative, so the "-2.87"
    # label sits at the very left of the chart, where it once ran into the tick labels.
    measure = measure_impact(sample_pairs(people, start=19, rise=2, seed=4 if people == 10 else people)).main
    fig, _ = change_chart(measure)
    assert chart_problems(fig) == []


def test_change_chart_with_a_small_threshold_and_lower_is_better():
    table = pd.DataFrame({"Loneliness start": [3, 9, 4, 8, 5, 7, 6, 6, 9, 3] * 30,
                          "Loneliness end": [4, 8, 4, 6, 7, 7, 3, 6, 9, 5] * 30})
    measure = measure_impact(table, before_column="Loneliness start", after_column="Loneliness end", scale="none",
                             higher_is_better=False, meaningful_change=0.5).main
    fig, _ = change_chart(measure)
    assert chart_problems(fig) == []
