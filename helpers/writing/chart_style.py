"""What a chart looks like: the kit's palette, sizes and type, and the switch between drawing a
chart for the page and drawing it for a phone.

A chart is drawn at twice the size it is shown (:data:`SHOWN_DPI` × :data:`DRAWN_SCALE`),
and the report's ``<img>`` is given its shown width, so that it stays sharp in print
and on high-density phone screens while its text keeps its size (at least
:data:`MIN_TEXT_PX` pixels as shown). A chart function marked :func:`drawn_for_phones`
is drawn again, narrower and laid out afresh, for a phone (:data:`PHONE_SHOWN_PX` wide).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools

import matplotlib
import matplotlib.pyplot as plt

#: Okabe-Ito: distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

#: Pixels per inch of a chart as the report shows it (a 8-inch chart is 880 px wide).
SHOWN_DPI = 110
#: How many times its shown size a chart is drawn.
DRAWN_SCALE = 2
#: The smallest text a chart may have, in pixels as shown (8 points at :data:`SHOWN_DPI`).
MIN_TEXT_PX = 12
#: The widest the report's column shows a chart, in CSS pixels (62 rem at 17 px, less its margins).
PAGE_SHOWN_PX = 1000
#: The widest a phone chart is shown, in CSS pixels: a 360 px phone (the narrowest common
#: one) less the report's margins on a phone (0.9 rem each side at 16 px).
PHONE_SHOWN_PX = 330
#: The white margin savefig leaves round a chart cropped to what is drawn.
SAVE_PADDING_INCHES = 0.1
#: A phone figure's width: :data:`PHONE_SHOWN_PX` less the padding savefig adds on each side.
PHONE_WIDTH_INCHES = PHONE_SHOWN_PX / SHOWN_DPI - 2 * SAVE_PADDING_INCHES
#: The widest a page figure may be: :data:`PAGE_SHOWN_PX` less savefig's padding on each side.
PAGE_WIDTH_INCHES = PAGE_SHOWN_PX / SHOWN_DPI - 2 * SAVE_PADDING_INCHES
#: The phone drawing's type sizes: a step smaller than the page's, still 12 px or more as shown.
PHONE_STYLE = {"font.size": 9, "axes.titlesize": 11, "axes.labelsize": 9, "xtick.labelsize": 9,
               "ytick.labelsize": 9, "legend.fontsize": 9}

plt.rcParams.update(
    {
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.labelsize": 11,
        "font.size": 11,
        "figure.figsize": (8, 4.2),
        "figure.dpi": 100,
        "savefig.bbox": "tight",
        "savefig.pad_inches": SAVE_PADDING_INCHES,
        # Headers and values from a charity's file are text: "$$ score" must not be read as maths.
        "text.parse_math": False,
    }
)


_drawing_for_phone: contextvars.ContextVar[bool] = contextvars.ContextVar("drawing_for_phone", default=False)


def on_phone() -> bool:
    """Whether the chart being drawn now is its phone drawing (see :func:`drawn_for_phones`).

    A chart function asks this to lay itself out for a narrow screen: fewer ticks, labels
    wrapped or above their bars, a key below the chart rather than beside it.

    Example:
        >>> on_phone()
        False
    """
    return _drawing_for_phone.get()


@contextlib.contextmanager
def _phone_drawing():
    token = _drawing_for_phone.set(True)
    try:
        with plt.rc_context(PHONE_STYLE):
            yield
    finally:
        _drawing_for_phone.reset(token)


def drawn_for_phones(chart_function):
    """Mark a chart function as one that can lay itself out for a phone.

    The function is called as usual for the page. Its figure also remembers how it was
    made, so that :func:`show_chart` can call it again with :func:`on_phone` true, the
    phone's type sizes, and :func:`new_chart` giving a phone-wide figure.

    Args:
        chart_function: Returns a figure, or a ``(figure, alt_text)`` pair, or ``None`` when
            there is nothing to draw.

    Returns:
        The same function, whose figures carry ``redraw_for_phone()``.

    Example:
        >>> @drawn_for_phones
        ... def bars(counts):
        ...     fig, ax = new_chart()
        ...     ax.bar(list(counts), list(counts.values()))
        ...     return fig
        >>> page = bars({"Yes": 3, "No": 1})
        >>> phone = page.redraw_for_phone()
        >>> round(page.get_figwidth() * SHOWN_DPI), round(phone.get_figwidth() * SHOWN_DPI)
        (880, 308)
        >>> plt.close("all")
    """

    @functools.wraps(chart_function)
    def draw(*args, **kwargs):
        made = chart_function(*args, **kwargs)
        figure = made[0] if isinstance(made, tuple) else made
        if figure is not None and not on_phone():  # None: nothing to draw (say, no neighbourhood to map)
            def redraw_for_phone():
                with _phone_drawing():
                    again = chart_function(*args, **kwargs)
                return again[0] if isinstance(again, tuple) else again

            figure.redraw_for_phone = redraw_for_phone
        return made

    return draw


def new_chart(width: float = 8, height: float = 4.2):
    """Start a chart in the kit's style.

    The figure is laid out by matplotlib's constrained layout, so that tick labels, titles
    and keys fit inside its width rather than widening the image. Drawing for a phone
    (:func:`on_phone`), it is :data:`PHONE_SHOWN_PX` wide whatever ``width`` says; on the
    page it is at most :data:`PAGE_SHOWN_PX` wide, the report's column.

    Args:
        width: Inches on the page (shown at :data:`SHOWN_DPI`).
        height: Inches, on the page and on a phone.

    Returns:
        A ``(figure, axes)`` pair from :func:`matplotlib.pyplot.subplots`.

    Example:
        >>> fig, ax = new_chart()
        >>> _ = ax.bar(["Yes", "No"], [3, 1])
        >>> plt.close(fig)
    """
    if on_phone():
        # savefig pads the drawing on each side: the figure is that much narrower than the screen.
        return plt.subplots(figsize=(PHONE_WIDTH_INCHES, height), layout="constrained")
    return plt.subplots(figsize=(min(width, PAGE_WIDTH_INCHES), height), layout="constrained")
