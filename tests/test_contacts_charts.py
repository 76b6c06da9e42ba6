"""Tests for helpers.contacts.charts: the dedupe report's charts read on the page and on a phone."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from support.charts import chart_problems

from helpers.contacts.charts import match_weight_chart, probability_chart

# What the model learned from the sample contact list (datasets/contacts.csv), rounded as the report shows it.
SAMPLE_INFLUENCE = pd.DataFrame({
    "Detail": ["Date of birth", "Name", "Phone", "Email", "Where they live"],
    "Agree (bits)": [11.2, 10.9, 11.2, 11.5, 11.1],
    "Differ (bits)": [-9.5, -7.8, -5.0, -4.2, -2.6],
})


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _sample_probability_counts() -> pd.DataFrame:
    """The sample list's compared pairs in 5% bands: 28 under 50%, 6 from 50% to 90%, 545 at 90% or over."""
    starts = [round(0.05 * band, 2) for band in range(20)]
    pairs = [22, 0, 1, 1, 0, 0, 0, 1, 0, 3, 0, 0, 0, 0, 1, 0, 0, 5, 15, 530]
    return pd.DataFrame({"band_start": starts, "band_end": [round(start + 0.05, 2) for start in starts],
                         "pairs": pairs})


def test_match_weight_chart_reads_on_the_page_and_on_a_phone():
    assert chart_problems(match_weight_chart(SAMPLE_INFLUENCE)) == []


def test_match_weight_chart_with_eight_long_detail_names_reads_on_the_page_and_on_a_phone():
    influence = pd.DataFrame({
        "Detail": ["Date of birth (day/month/year)", "First name and surname", "Email address (personal)",
                   "Mobile phone number", "Postcode of home address", "Town or city", "Gender",
                   "Membership number"],
        # Agreeing and differing at the clip (15 bits) both ends, and a detail that says little either way.
        "Agree (bits)": [11.2, 10.9, 11.5, 11.2, 8.0, 2.1, 0.4, 40.0],
        "Differ (bits)": [-9.5, -7.8, -4.2, -5.0, -2.6, -0.3, -1.5, -40.0],
    })
    assert chart_problems(match_weight_chart(influence)) == []


def test_probability_chart_reads_on_the_page_and_on_a_phone():
    assert chart_problems(probability_chart(_sample_probability_counts(), 0.9)) == []


def test_probability_chart_with_counts_in_millions_reads_on_the_page_and_on_a_phone():
    counts = pd.DataFrame({"band_start": [0.0, 0.5, 0.95], "band_end": [0.05, 0.55, 1.0],
                           "pairs": [2_345_678, 1_234_567, 3_456_789]})
    assert chart_problems(probability_chart(counts, 0.95)) == []


def test_match_weight_scale_says_what_the_evidence_table_says_at_each_labelled_point():
    from helpers.contacts.charts import evidence_words

    for phone in (False, True):
        fig = match_weight_chart(SAMPLE_INFLUENCE)
        if phone:
            from helpers.writing.charts import _phone_drawing

            with _phone_drawing():
                fig = fig.redraw_for_phone()
        ax = fig.axes[0]
        for position, label in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True):
            words = " ".join(label.get_text().split())
            if position == 0:
                assert words == "little either way"
            else:
                strength, who = words.split(": ")
                assert evidence_words(position) == f"{strength} evidence of {'the ' if who == 'same person' else ''}{who}"


@pytest.mark.parametrize(("pairs", "title"), [
    ((28, 6, 545), "Most compared pairs are very likely the same person"),
    ((545, 6, 28), "Most compared pairs are clearly two people"),
    ((10, 300, 10), "Most compared pairs are unclear, for a person to check"),
    ((50, 0, 50), "More compared pairs are clearly two people than anything else"),
])
def test_probability_chart_title_says_what_most_pairs_are(pairs, title):
    starts = [0.0, 0.55, 0.95]
    counts = pd.DataFrame({"band_start": starts, "band_end": [s + 0.05 for s in starts], "pairs": list(pairs)})
    fig = probability_chart(counts, 0.9)
    assert fig.axes[0].get_title(loc="left").replace("\n", " ") == title
