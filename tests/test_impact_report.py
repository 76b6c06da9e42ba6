"""The impact report's words, tables and charts: honest, built from the figures, nothing personal."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from test_outcomes import grouped, sample_pairs

from helpers.impact.outcomes import measure_impact
from helpers.impact.words import (
    before_after_chart,
    change_chart,
    columns_in_words,
    effect_size_words,
    figures_table,
    groups_in_words,
    groups_table,
    headline,
    next_steps,
    p_in_words,
    people_table,
    summary_text,
    threshold_in_words,
    who_is_missing,
)


def test_headline_is_honest_and_built_from_the_figures():
    result = measure_impact(sample_pairs(40, start=19, rise=2.5, dropouts=6, seed=3))
    f = result.main.figures
    text = headline(result)
    assert f"{f['mean_before']:.1f} to {f['mean_after']:.1f}" in text
    assert f"between {f['ci95_low']:.1f} and {f['ci95_high']:.1f} points" in text
    assert f"{f['improved']} of the 40" in text and "Another 6 people" in text
    assert "not how much of the change the service caused" in text
    assert "we raised" not in text.lower() and "because of" not in text.lower()


def test_headline_says_chance_when_the_interval_spans_zero():
    result = measure_impact(sample_pairs(12, start=22, rise=0.2, seed=9))
    assert result.main.figures["ci95_low"] < 0 < result.main.figures["ci95_high"]
    assert "could be down to chance" in headline(result)
    assert "first look" in headline(result)




def _label_boxes(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # The direct labels at the lines' right-hand end (the subtitle sits above the chart).
    texts = [t for t in fig.axes[0].texts if t.get_text().strip() and t.get_position()[0] > 1]
    return [t.get_window_extent(renderer) for t in texts], texts


@pytest.mark.parametrize("n", [100, 1000])
def test_before_after_chart_stays_readable_at_100_and_1000_people(n):
    import matplotlib.pyplot as plt

    result = measure_impact(sample_pairs(n, start=19, rise=2, seed=n))
    fig, alt = before_after_chart(result.main, "Referral", "12 weeks")
    # One line per class of change and the average: never one per person.
    assert len(fig.axes[0].lines) <= 4
    boxes, texts = _label_boxes(fig)
    assert any(t.get_text().startswith(f"Average of all {n:,}") for t in texts)
    for i, first in enumerate(boxes):
        for second in boxes[i + 1:]:
            assert not first.overlaps(second), "two labels collide"
    # Labels sit clear of the axis (the old "Average 19.7" ran into it).
    axis = fig.axes[0].get_window_extent()
    assert all(box.x0 >= axis.x1 for box in boxes)
    assert all(t.get_fontsize() >= 12 for t in texts)
    assert f"{n:,} people" in alt or f"{n} people" in alt
    plt.close(fig)


def test_change_chart_counts_everyone_with_a_flat_readable_threshold_label():
    import matplotlib.pyplot as plt

    result = measure_impact(sample_pairs(35, start=19, rise=2))
    fig, alt = change_chart(result.main)
    assert sum(p.get_height() for p in fig.axes[0].patches) == 35 and "35 people" in alt
    labels = [t for t in fig.axes[0].texts if t.get_text().strip() in ("-2.87", "+2.87")]
    assert len(labels) == 2 and all(t.get_rotation() == 0 and t.get_fontsize() >= 12 for t in labels)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        f"{result.main.figures[k]} {label}" for k, label in
        (("improved", "improved"), ("no_change", "no meaningful change"), ("worse", "worse"))]
    plt.close(fig)


def test_summary_is_three_to_five_sentences_and_honest():
    result = measure_impact(sample_pairs(40, start=19, rise=2.5, dropouts=6, seed=3))
    text = summary_text(result, charity_name="Test Charity")
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    assert 3 <= len(sentences) <= 5
    assert text.startswith("40 people supported by Test Charity")
    assert "unlikely if nothing had really changed" in text and "not how much of the change the service caused" in text
    assert "more than chance" not in text and "chance alone is" not in text


def test_headline_for_a_fall_and_for_lower_is_better():
    table = pd.DataFrame({"b": [6, 7, 8, 6, 7, 9, 8, 7], "a": [4, 5, 6, 5, 4, 6, 6, 5]})
    result = measure_impact(table, before_column="b", after_column="a", scale="none",
                            higher_is_better=False, meaningful_change=2)
    text = headline(result)
    assert "fell from 7.2 to 5.1" in text and "a fall of 2.1 points" in text
    assert "scores fell while people were supported" in text
    assert "improved by at least 2 points" in text  # a fall is the good direction here


def test_who_is_missing_and_people_table():
    result = measure_impact(sample_pairs(30, start=20, rise=2, dropouts=10, seed=2))
    counts = people_table(result.main)
    assert counts["People"].tolist() == [30, 10, 0]
    text = who_is_missing(result)
    assert text.startswith("Of 40 people with a start score, 30 (75%)")
    assert "Those who left started" in text


def test_groups_table_and_words_hide_small_groups():
    result = measure_impact(grouped({"Walks": 9, "Garden": 6, "Art": 12, "Tiny": 3}))
    table = groups_table(result.main)
    assert table["Group"].tolist() == ["Art", "Walks"]
    assert table["Improved"].tolist()[0] == "6 (50%)"
    words = groups_in_words(result.main)
    assert "2 groups are not shown" in words and "1 more group is hidden too" in words
    assert "Tiny" not in words and "Garden" not in words
    assert groups_table(measure_impact(sample_pairs(10, 20, 1)).main) is None


def test_figures_table_has_a_column_per_measure():
    table = pd.DataFrame({"Confidence start": [3, 4, 5, 2, 6], "Confidence end": [5, 6, 5, 4, 7],
                          "Housing start": [2, 2, 3, 4, 1], "Housing end": [2, 3, 3, 3, 1]})
    result = measure_impact(table, before_column="Confidence start, Housing start",
                            after_column="Confidence end, Housing end", scale="none")
    figures = figures_table(result)
    assert list(figures.columns) == ["Figure", "Confidence", "Housing"]
    assert figures.set_index("Figure").loc["Average change", "Confidence"] == "1.40"


def test_small_formatters():
    assert p_in_words(0.0004) == "less than 0.001" and p_in_words(0.04) == "0.040"
    assert [effect_size_words(d) for d in (0.19, 0.2, 0.79, 0.8, np.nan)] == [
        "very small", "small", "medium", "large", "not available"]


def test_columns_in_words_shortens_long_lists():
    table = pd.DataFrame({f"pre{q}": [3, 2] for q in range(1, 8)} | {f"post{q}": [4, 3] for q in range(1, 8)})
    text = columns_in_words(measure_impact(table).collected)
    assert text == "start: 'pre1' to 'pre7'; end: 'post1' to 'post7'"


def test_next_steps_follow_the_findings():
    few = next_steps(measure_impact(sample_pairs(12, start=20, rise=2, dropouts=8)))
    assert any("at least 30 people" in s for s in few)
    assert any("40% of people have no end score" in s for s in few)
    many = next_steps(measure_impact(sample_pairs(80, start=20, rise=2)))
    assert not any("at least 30 people" in s or "no end score" in s for s in many)
    assert any("comparison" in s for s in many)


@pytest.mark.parametrize("rise", [2.5, 0.1, -2.0])
def test_no_causal_claims_in_any_wording(rise):
    result = measure_impact(sample_pairs(40, start=21, rise=rise, seed=11))
    for text in (headline(result), summary_text(result)):
        lowered = text.lower()
        assert "we raised" not in lowered and "caused by" not in lowered and "thanks to" not in lowered
        assert "due to the service" not in lowered and "because of" not in lowered



def test_threshold_in_words_names_the_source_or_says_there_is_none():
    published = measure_impact(sample_pairs(20, start=20, rise=2)).main
    text = threshold_in_words(published)
    assert "2.87 points" in text and "Shah and others (2018, Health and Quality of Life Outcomes 16:239)" in text
    assert "2.77 times the standard error of measurement" in text and "1 to 3 points" in text
    assert "authors count as meaningful" not in text and "Warwick" not in text
    counts = published.figures
    assert f"{counts['improved']} of 20 people" in text
    none = measure_impact(pd.DataFrame({"b": [3, 4, 5], "a": [4, 4, 3]}), before_column="b", after_column="a",
                          scale="none").main
    text = threshold_in_words(none)
    assert text.startswith("1 of 3 people improved. No line for a meaningful change is known")
    assert "meaningful amount" not in text


def test_no_change_at_all_gives_no_range_and_no_chance_talk():
    result = measure_impact(pd.DataFrame({"Score before": [19.25, 20.73, 18.59], "Score after": [19.25, 20.73, 18.59]}))
    assert "stayed at 19.5" in headline(result)
    assert "chance" not in summary_text(result) and "likely range" not in headline(result)
