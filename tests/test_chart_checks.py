"""Tests for helpers.writing.chart_checks: text under 12 px, and labels written over each other."""

import matplotlib.pyplot as plt

from helpers.writing.charts import (
    MIN_TEXT_PX,
    SHOWN_DPI,
    new_chart,
    overlapping_texts,
    small_text,
)


def test_small_text_finds_text_under_12_px_at_its_shown_size():
    fig, ax = new_chart()
    ax.text(0, 0, "just big enough", fontsize=MIN_TEXT_PX * 72 / SHOWN_DPI)
    ax.text(0, 1, "too small", fontsize=MIN_TEXT_PX * 72 / SHOWN_DPI - 0.2)
    assert [problem.split(" (")[0] for problem in small_text(fig)] == ["too small"]
    plt.close(fig)


def test_overlapping_texts_counts_only_the_ticks_a_drawing_shows():
    fig, ax = new_chart(4, 3)
    ax.plot(range(10), range(10))
    ax.set_xlim(2, 4)  # matplotlib keeps labels for ticks outside this range, and does not draw them
    assert overlapping_texts(fig) == []
    ax.set_xticks([2.0, 2.01], ["Monday", "Tuesday"])
    assert overlapping_texts(fig) == ["'Monday' / 'Tuesday'"]
    plt.close(fig)
