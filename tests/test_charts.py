"""Tests for helpers.writing.charts and chart_style: the look, the phone switch, and drawing for the report."""

import base64
import io

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from helpers.writing import PHONE_MIMETYPE
from helpers.writing.charts import (
    DRAWN_SCALE,
    MIN_TEXT_PX,
    PAGE_SHOWN_PX,
    PALETTE,
    PHONE_SHOWN_PX,
    SHOWN_DPI,
    chart_titles,
    drawn_for_phones,
    figure_png,
    new_chart,
    on_phone,
    png_width,
    report_drawings,
    show_chart,
)


def test_show_chart_needs_alt_text():
    fig, _ = new_chart()
    with pytest.raises(ValueError, match="alt text"):
        show_chart(fig, "  ")


def _shown(monkeypatch, fig, alt):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw, metadata: shown.append((data, metadata)))
    show_chart(fig, alt)
    data, metadata = shown[0]
    return Image.open(io.BytesIO(base64.b64decode(data["image/png"]))), metadata["image/png"]


def test_show_chart_carries_alt_text_and_its_shown_width_in_the_output_metadata(monkeypatch):
    fig, ax = new_chart()
    ax.bar(["a", "b"], [1, 2])
    image, metadata = _shown(monkeypatch, fig, "Two bars: a is 1 and b is 2.")
    assert metadata["alt"] == "Two bars: a is 1 and b is 2."
    # Its smallest text is the tick labels' 11 points (font.size), at 110 px an inch.
    assert metadata["min_text_px"] == round(11 * SHOWN_DPI / 72, 1)
    # Drawn at twice the size it is shown: an 8-inch chart is about 880 px shown, 1,760 drawn.
    assert image.width >= 1.5 * metadata["width"] and abs(image.width - 2 * metadata["width"]) <= 1
    # Cropped to what is drawn (bbox "tight"), so a little under 8 inches; never wider than the column.
    assert 8 * SHOWN_DPI * 0.75 <= metadata["width"] <= 8 * SHOWN_DPI * 1.05


def test_a_smaller_chart_is_still_drawn_at_twice_its_shown_width(monkeypatch):
    fig, ax = new_chart(4, 3)
    ax.plot([1, 2, 3], [3, 1, 2])
    image, metadata = _shown(monkeypatch, fig, "A line that falls then rises.")
    assert image.width == pytest.approx(DRAWN_SCALE * metadata["width"], abs=1)
    assert metadata["width"] < 4 * SHOWN_DPI * 1.2


def test_png_carries_no_web_address_and_uses_the_palette():
    fig, ax = new_chart()
    ax.bar(["a"], [1])
    png = figure_png(fig)
    assert b"http" not in png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    first = tuple(int(PALETTE[0][i:i + 2], 16) for i in (1, 3, 5))
    assert first in {colour for _, colour in image.getcolors(1_000_000)}
    assert png_width(png) == image.width


def test_maths_parsing_is_off_so_a_header_with_dollars_draws_as_text():
    assert plt.rcParams["text.parse_math"] is False
    fig, ax = new_chart()
    ax.bar([r"$$\LaTeX$$ score", "Price $#$"], [3, 4])
    chart_titles(ax, r"$$\LaTeX$$ score is highest", "Price $#$ per item", None)
    png = figure_png(fig)  # mathtext would raise a ParseException on "$#$"
    assert png_width(png) > 100


# --- the phone drawing ------------------------------------------------------------------------

@drawn_for_phones
def _months_chart(labels_above: bool = True):
    """Twelve months: short names on the page; on a phone every third, so they do not collide."""
    fig, ax = new_chart(8, 3.5)
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    ax.bar(range(12), range(1, 13))
    ax.set_xticks(range(12), [month[:3] for month in months] if labels_above else months)
    if on_phone() and labels_above:
        ax.set_xticks(range(0, 12, 3), [months[i][:3] for i in range(0, 12, 3)])
    chart_titles(ax, "Visits grew every month of the year, from 1 in January to 12 in December",
                 "Visits a month", "Source: the visit log of a food bank in the north of England")
    return fig, "Bars of visits by month, rising from 1 in January to 12 in December."


def test_a_chart_drawn_for_phones_is_drawn_again_narrow_in_the_phone_style():
    fig, _ = _months_chart()
    drawings = report_drawings(fig)
    assert set(drawings) == {"image/png", PHONE_MIMETYPE}
    (_, page), (phone_png, phone) = drawings["image/png"], drawings[PHONE_MIMETYPE]
    assert 600 < page["width"] <= PAGE_SHOWN_PX and phone["width"] <= PHONE_SHOWN_PX
    assert png_width(phone_png) == pytest.approx(DRAWN_SCALE * phone["width"], abs=1)
    # The phone's type is a step smaller (9 points, the source line 8), still 12 px or more.
    assert phone["min_text_px"] == round(8 * SHOWN_DPI / 72, 1) >= MIN_TEXT_PX
    assert page["overlapping_text"] == [] and phone["overlapping_text"] == []
    assert not on_phone(), "drawing for a phone leaves the page style behind it"
    assert plt.rcParams["font.size"] == 11


def test_the_phone_drawing_finds_labels_that_collide_when_the_chart_does_not_lay_itself_out():
    fig, _ = _months_chart(labels_above=False)
    phone = report_drawings(fig)[PHONE_MIMETYPE][1]
    assert "'January' / 'February'" in phone["overlapping_text"]


def test_a_figure_made_outside_a_chart_function_has_only_the_page_drawing():
    fig, ax = new_chart()
    ax.bar(["a", "b"], [1, 2])
    assert list(report_drawings(fig)) == ["image/png"]


def test_show_chart_puts_the_phone_drawing_beside_the_page_one(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw, metadata: shown.append((data, metadata)))
    show_chart(*_months_chart())
    data, metadata = shown[0]
    phone = Image.open(io.BytesIO(base64.b64decode(data[PHONE_MIMETYPE])))
    assert phone.width == pytest.approx(DRAWN_SCALE * metadata[PHONE_MIMETYPE]["width"], abs=1)
    assert metadata["image/png"]["alt"].startswith("Bars of visits") and "alt" not in metadata[PHONE_MIMETYPE]


def test_a_phone_drawing_that_fails_leaves_the_page_drawing_and_says_so():
    @drawn_for_phones
    def fragile():
        if on_phone():
            raise ValueError("no room for the labels")
        fig, ax = new_chart()
        ax.bar(["a"], [1])
        return fig

    @drawn_for_phones
    def half_drawn():
        fig, ax = new_chart()
        if on_phone():
            raise ValueError("no room for the labels")
        ax.bar(["a"], [1])
        return fig

    for chart in (fragile, half_drawn):
        open_before = plt.get_fignums()
        with pytest.warns(UserWarning, match="phone drawing of a chart failed.*no room for the labels"):
            drawings = report_drawings(chart())
        assert list(drawings) == ["image/png"] and not on_phone() and plt.rcParams["font.size"] == 11
        assert plt.get_fignums() == open_before, "the half-made phone figure is closed"


def test_a_chart_function_with_nothing_to_draw_returns_none_as_before():
    @drawn_for_phones
    def nothing():
        return None

    assert nothing() is None
