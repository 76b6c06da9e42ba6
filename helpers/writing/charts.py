"""Charts for the charity's report: one look, colour-blind-safe, always with alt text.

A chart is drawn at twice the size it is shown (:data:`SHOWN_DPI` × :data:`DRAWN_SCALE`),
and the report's ``<img>`` is given its shown width, so that it stays sharp in print
and on high-density phone screens while its text keeps its size (at least
:data:`MIN_TEXT_PX` pixels as shown).

A chart function marked :func:`drawn_for_phones` is drawn twice by :func:`show_chart`:
once for the page and once, narrower and laid out afresh, for a phone
(:data:`PHONE_SHOWN_PX` wide), so that a trustee reading on a phone gets text as large
as on a laptop rather than the page's chart shrunk to 40%. The report shows the one
that fits the screen.
"""

from __future__ import annotations

import base64
import io
import warnings

import matplotlib.pyplot as plt

from helpers.writing import PHONE_MIMETYPE
from helpers.writing.chart_export import export_chart
from helpers.writing.chart_checks import overlapping_texts, small_text, smallest_text_px
from helpers.writing.chart_layout import (
    chart_titles,
    fit_to_phone,
    key_below,
    spread_labels,
    wrap_to_width,
)
from helpers.writing.chart_style import (
    DRAWN_SCALE,
    MIN_TEXT_PX,
    PAGE_SHOWN_PX,
    PAGE_WIDTH_INCHES,
    PALETTE,
    PHONE_SHOWN_PX,
    PHONE_STYLE,
    PHONE_WIDTH_INCHES,
    SAVE_PADDING_INCHES,
    SHOWN_DPI,
    _phone_drawing,
    drawn_for_phones,
    new_chart,
    on_phone,
)

#: The public surface: what a playbook's package or notebook imports from here.
__all__ = [
    "DRAWN_SCALE", "MIN_TEXT_PX", "PAGE_SHOWN_PX", "PAGE_WIDTH_INCHES", "PALETTE", "PHONE_MIMETYPE",
    "PHONE_SHOWN_PX", "PHONE_STYLE", "PHONE_WIDTH_INCHES", "SAVE_PADDING_INCHES", "SHOWN_DPI", "chart_titles",
    "count_bars", "drawn_for_phones", "figure_png", "fit_to_phone", "key_below", "main_finding", "new_chart", "on_phone", "overlapping_texts",
    "png_width", "report_drawings", "show_chart", "small_text", "smallest_text_px", "spread_labels",
    "wrap_to_width",
]


def _png(fig, dpi: int = SHOWN_DPI * DRAWN_SCALE) -> bytes:
    buffer = io.BytesIO()
    # No "Software" tag: the report should carry no web address, even inside an image.
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def figure_png(fig, dpi: int = SHOWN_DPI * DRAWN_SCALE) -> bytes:
    """Render a figure to PNG bytes (and close it so notebooks do not show it twice).

    Args:
        fig: A matplotlib figure.
        dpi: Pixels per inch of the drawing: by default twice the shown size.

    Returns:
        The PNG file's bytes.
    """
    png = _png(fig, dpi)
    plt.close(fig)
    return png


def png_width(png: bytes) -> int:
    """The width in pixels of a PNG, read from its header.

    Example:
        >>> from PIL import Image
        >>> buffer = io.BytesIO()
        >>> Image.new("RGB", (321, 20)).save(buffer, "PNG")
        >>> png_width(buffer.getvalue())
        321
    """
    return int.from_bytes(png[16:20], "big")


def _drawing(fig, widest_px: float | None = None) -> tuple[bytes, dict]:
    """A figure's PNG at twice its shown size, with what the report's checks read about it.

    With ``widest_px`` (a phone drawing), a drawing wider than that is narrowed and drawn
    again: a chart laid out for the phone fits at once; this catches a label placed past the
    edge. The PNG itself is measured: text measured at the screen's dpi is a pixel or two off.
    """
    png = _png(fig)
    for _ in range(3):
        shown = png_width(png) / DRAWN_SCALE
        if widest_px is None or shown <= widest_px:
            break
        fig.set_figwidth(max(1.0, fig.get_figwidth() - (shown - widest_px + 1) / SHOWN_DPI))
        png = _png(fig)
    # Laid out again at the screen's dpi: saving moved what is placed in display units (a key).
    overlaps = overlapping_texts(fig)
    smallest = smallest_text_px(fig)
    plt.close(fig)
    return png, {"width": max(1, round(png_width(png) / DRAWN_SCALE)),
                 "min_text_px": round(smallest, 1) if smallest else None, "overlapping_text": overlaps}


def report_drawings(fig) -> dict[str, tuple[bytes, dict]]:
    """Draw a chart as the report shows it: for the page and, when it can be, for a phone.

    Args:
        fig: A matplotlib figure, from a :func:`drawn_for_phones` chart function for a phone drawing.

    Returns:
        ``{"image/png": (png, about)}``, and :data:`PHONE_MIMETYPE` likewise for a phone drawing.
        ``about`` gives the ``width`` it is shown at (pixels, half the PNG's), the smallest
        text there (``min_text_px``) and any labels written over each other (``overlapping_text``):
        what the report's tests check.

    Example:
        >>> @drawn_for_phones
        ... def bars():
        ...     fig, ax = new_chart()
        ...     ax.bar(["Yes", "No"], [3, 1])
        ...     return fig
        >>> drawn = report_drawings(bars())
        >>> {kind: about["width"] <= (PHONE_SHOWN_PX if kind == PHONE_MIMETYPE else PAGE_SHOWN_PX)
        ...  for kind, (png, about) in drawn.items()}
        {'image/png': True, 'image/vnd.data-surgery.phone+png': True}
    """
    drawings = {"image/png": _drawing(fig)}
    redraw_for_phone = getattr(fig, "redraw_for_phone", None)
    if redraw_for_phone is not None:
        open_before = set(plt.get_fignums())
        try:
            with _phone_drawing():
                drawings[PHONE_MIMETYPE] = _drawing(redraw_for_phone(), widest_px=PHONE_SHOWN_PX)
        except Exception as error:  # noqa: BLE001  (any failure: the report must still be written)
            # A charity's data may find a layout the phone drawing cannot manage; the page drawing
            # still shows the chart (smaller on a phone), and the report is not lost for it.
            for number in set(plt.get_fignums()) - open_before:
                plt.close(number)
            warnings.warn(f"The phone drawing of a chart failed ({type(error).__name__}: {error}); "
                          "phones will be shown the page drawing.", stacklevel=2)
    return drawings


def main_finding(chart_function):
    """Mark a chart function's chart as the one that carries its playbook's main finding.

    The one-page summary for the board (``summary.pdf``) shows this chart; without a mark it shows
    the report's first chart.

    Example:
        >>> @main_finding
        ... def forecast_chart():
        ...     return new_chart()[0]
        >>> fig = forecast_chart(); fig.main_finding
        True
        >>> plt.close(fig)
    """
    import functools

    @functools.wraps(chart_function)
    def marked(*args, **kwargs):
        drawn = chart_function(*args, **kwargs)
        # A chart function returns its figure, or ``(figure, alt_text)``, or nothing to draw.
        fig = drawn[0] if isinstance(drawn, tuple) else drawn
        if fig is not None:
            fig.main_finding = True
        return drawn

    return marked


def show_chart(fig, alt_text: str, main_finding: bool | None = None) -> None:
    """Show a chart in the notebook with alt text that the report keeps.

    The report template reads the alt text from the output's metadata, so a
    screen reader, or a trustee whose email client blocks images, still gets
    what the chart says. A figure from a :func:`drawn_for_phones` chart function
    is also drawn for a phone, kept under :data:`PHONE_MIMETYPE` for the report
    (see :func:`report_drawings`). The page drawing is also saved in the playbook's
    ``charts/`` folder as a PNG and an SVG to paste into a bid
    (:func:`helpers.writing.chart_export.export_chart`).

    Args:
        fig: A matplotlib figure.
        alt_text: One or two plain sentences saying what the chart shows,
            with its key numbers.

        main_finding: Whether this chart carries the playbook's main finding (the board page
            shows it); by default what the chart function said with :func:`main_finding`.

    Raises:
        ValueError: ``alt_text`` is empty: every chart in a report needs it.
    """
    if not alt_text or not alt_text.strip():
        raise ValueError("Every chart needs alt text: say in words what it shows.")
    from IPython.display import display

    if main_finding is None:
        main_finding = bool(getattr(fig, "main_finding", False))
    export_chart(fig, alt_text)  # before drawing for the report, which closes the figure
    data = {"text/plain": f"[Chart] {alt_text}"}
    metadata = {}
    for kind, (png, about) in report_drawings(fig).items():
        data[kind] = base64.b64encode(png).decode("ascii")
        metadata[kind] = about
    metadata["image/png"]["alt"] = alt_text
    if main_finding:
        metadata["image/png"]["main_finding"] = True  # the board page (summary.pdf) shows this chart
    display(data, raw=True, metadata=metadata)


def count_bars(ax, names: list[str], counts: list[int], colours: list, axis_label: str, phone: bool):
    """Bars with their counts written on top, and a whole-number axis with thousands separators.

    On a phone the three or so bars share 300 pixels, so the axis is dropped: each bar already
    carries its count. On a page the axis has whole numbers only, never "1e6" over the subtitle.

    Args:
        ax: The chart's axes.
        names: The bars' labels, left to right.
        counts: Their counts.
        colours: One colour per bar.
        axis_label: The count axis's label (the page only).
        phone: Whether the chart is drawn for a phone.

    Returns:
        The bars.

    Example:
        >>> fig, ax = new_chart(8, 4)
        >>> bars = count_bars(ax, ["New", "Known"], [1200, 30], PALETTE[:2], "Records", phone=False)
        >>> [text.get_text() for text in ax.texts], ax.get_ylabel()
        (['1,200', '30'], 'Records')
        >>> plt.close(fig)
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    bars = ax.bar(names, counts, color=colours, width=0.6)
    top = max(1, max(int(count) for count in counts))
    for bar, count in zip(bars, counts):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + top * 0.02, f"{count:,}",
                ha="center", va="bottom", fontsize=None if phone else 12)
    ax.set_ylim(0, top * 1.15)
    if phone:
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
    else:
        ax.tick_params(axis="x", labelsize=12)
        ax.set_ylabel(axis_label, fontsize=12)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    return bars
