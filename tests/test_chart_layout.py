"""Tests for helpers.writing.chart_layout: titles, wrapping, spreading and keys, measured as drawn."""

import matplotlib.pyplot as plt
import pytest

from helpers.writing import PHONE_MIMETYPE
from helpers.writing.charts import (
    PAGE_SHOWN_PX,
    PHONE_SHOWN_PX,
    chart_titles,
    drawn_for_phones,
    new_chart,
    on_phone,
    report_drawings,
    small_text,
)


def test_chart_titles_give_title_subtitle_and_source_all_readable():
    fig, ax = new_chart()
    ax.bar(["Mon", "Tue"], [30, 12])
    chart_titles(ax, "Most visits come on Mondays", "Parcels given out, by day", "Source: the visit log")
    texts = {text.get_text() for text in fig.findobj(plt.Text) if text.get_text()}
    assert {"Most visits come on Mondays", "Parcels given out, by day", "Source: the visit log"} <= texts
    assert small_text(fig) == []  # every text at least 12 px as shown
    # The title sits above the subtitle, which sits above the axes: none overlap.
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    title = ax.title.get_window_extent(renderer)
    subtitle = next(t for t in ax.texts if t.get_text() == "Parcels given out, by day").get_window_extent(renderer)
    assert subtitle.y1 <= title.y0 and subtitle.y0 >= ax.get_window_extent(renderer).y1
    plt.close(fig)


def test_a_long_title_wraps_within_the_chart_and_the_source_sits_below_rotated_labels():
    fig, ax = new_chart()
    ax.bar([f"Week starting {n} March 2025" for n in range(1, 8)], range(7))
    ax.tick_params(axis="x", labelrotation=60)
    ax.set_xlabel("Week")
    long_title = "Most parcels went out in the week of 3 March, when the school holidays began across the county"
    chart_titles(ax, long_title, "Parcels a week", "Source: the food bank's visit log")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    title = ax.title.get_window_extent(renderer)
    assert "\n" in ax.get_title(loc="left") and ax.get_title(loc="left").replace("\n", " ") == long_title
    assert title.width <= fig.bbox.width  # wrapped: the title does not widen the image
    source = fig._supxlabel
    lowest_label = min(label.get_window_extent(renderer).y0 for label in ax.get_xticklabels())
    assert source.get_window_extent(renderer).y1 <= min(lowest_label, ax.xaxis.label.get_window_extent(renderer).y0)
    plt.close(fig)


def test_labels_are_spread_apart_in_order():
    from helpers.writing.charts import spread_labels

    placed = spread_labels([100.0, 101.0, 99.0], 5.0)
    assert sorted(placed) == pytest.approx([95.0, 100.0, 105.0])
    assert placed.index(max(placed)) == 1 and placed.index(min(placed)) == 2
    assert spread_labels([1.0, 20.0], 5.0) == [1.0, 20.0]  # already apart: left where they are


@drawn_for_phones
def _long_labels_chart(subtitle: str):
    fig, ax = new_chart(8, 4)
    names = ["Date of birth (day, month and year)", "Postcode of the home address", "Email"]
    ax.barh(range(3), [5, 3, 1], height=0.5)
    if on_phone():  # no room beside the bars: each name goes above its bar
        ax.set_yticks([])
        for row, name in enumerate(names):
            ax.text(0, row - 0.3, name, va="bottom")
        ax.invert_yaxis()
    else:
        ax.set_yticks(range(3), names)
    chart_titles(ax, "Most records are missing a date of birth, and a few are missing a postcode too",
                 subtitle, "Source: the charity's contact list, exported from its CRM on the first of the month")
    return fig


@pytest.mark.parametrize("subtitle", ["Records", "Records missing each detail, of all the records in the list",
                                      "Records missing each detail, of all the records in the list, counted "
                                      "once for each detail that is blank or could not be read as one"])
def test_titles_fit_beside_long_labels_and_clear_a_subtitle_of_any_length(subtitle):
    drawings = report_drawings(_long_labels_chart(subtitle))
    for kind, limit in (("image/png", PAGE_SHOWN_PX), (PHONE_MIMETYPE, PHONE_SHOWN_PX)):
        about = drawings[kind][1]
        assert about["overlapping_text"] == [] and about["width"] <= limit, (kind, about)
