import base64
import io

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from helpers.writing import PHONE_MIMETYPE
from helpers.writing.charts import (DRAWN_SCALE, MIN_TEXT_PX, PAGE_SHOWN_PX, PALETTE, PHONE_SHOWN_PX, SHOWN_DPI,
                                    chart_titles, drawn_for_phones, figure_png, new_chart, on_phone,
                                    overlapping_texts, png_width, report_drawings, show_chart, small_text)


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


def test_small_text_finds_text_under_12_px_at_its_shown_size():
    fig, ax = new_chart()
    ax.text(0, 0, "just big enough", fontsize=MIN_TEXT_PX * 72 / SHOWN_DPI)
    ax.text(0, 1, "too small", fontsize=MIN_TEXT_PX * 72 / SHOWN_DPI - 0.2)
    assert [problem.split(" (")[0] for problem in small_text(fig)] == ["too small"]
    plt.close(fig)


def test_maths_parsing_is_off_so_a_header_with_dollars_draws_as_text():
    assert plt.rcParams["text.parse_math"] is False
    fig, ax = new_chart()
    ax.bar([r"$$\LaTeX$$ score", "Price $#$"], [3, 4])
    chart_titles(ax, r"$$\LaTeX$$ score is highest", "Price $#$ per item", None)
    png = figure_png(fig)  # mathtext would raise a ParseException on "$#$"
    assert png_width(png) > 100


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
    (page_png, page), (phone_png, phone) = drawings["image/png"], drawings[PHONE_MIMETYPE]
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


def test_overlapping_texts_counts_only_the_ticks_a_drawing_shows():
    fig, ax = new_chart(4, 3)
    ax.plot(range(10), range(10))
    ax.set_xlim(2, 4)  # matplotlib keeps labels for ticks outside this range, and does not draw them
    assert overlapping_texts(fig) == []
    ax.set_xticks([2.0, 2.01], ["Monday", "Tuesday"])
    assert overlapping_texts(fig) == ["'Monday' / 'Tuesday'"]
    plt.close(fig)


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
