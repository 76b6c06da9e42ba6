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
import contextlib
import contextvars
import functools
import io
import warnings

import matplotlib
import matplotlib.pyplot as plt

from helpers.writing import PHONE_MIMETYPE

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
        chart_function: Returns a figure, or a ``(figure, alt_text)`` pair.

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
        if not on_phone():
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


def chart_titles(ax, title: str, subtitle: str | None = None, source: str | None = None) -> None:
    """Title a chart as a statistical release does: the finding as the title, the units
    in a subtitle, and a source line under the chart.

    Each is wrapped, in lines of even length, to the width it has as the chart is laid out
    (the title and subtitle from where the axes start, the source line the figure's width),
    so that no line widens the image and shrinks everything else when the image is fitted
    to the page or a phone. The title sits above the subtitle however many lines that takes.
    The source line sits under everything the axes draw (tick labels, axis label, rotated
    dates, a key below), so it never collides with them: as the figure's own label, which
    constrained layout (:func:`new_chart`) places, or else just under the axes' drawing.

    Args:
        ax: The chart's axes, with its data drawn (its tick labels decide where it starts).
        title: The finding, in words ("Most visits come on Mondays").
        subtitle: The units and what is counted ("Parcels given out each week").
        source: Where the numbers come from ("Source: the food bank's visit log").

    Example:
        >>> fig, ax = new_chart()
        >>> chart_titles(ax, "Most said yes", "People, by answer", "Source: sample survey")
        >>> ax.get_title(loc="left"), [text.get_text() for text in ax.texts], fig.get_supxlabel()
        ('Most said yes', ['People, by answer'], 'Source: sample survey')
        >>> plt.close(fig)
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    fig = ax.figure
    fig.draw_without_rendering()  # lay the axes out first: where they start decides the width the titles have
    renderer = fig.canvas.get_renderer()
    margin = 0.02 * fig.bbox.width
    from_axes = fig.bbox.x1 - ax.get_window_extent(renderer).x0 - margin
    text_size = plt.rcParams["font.size"]
    title_size = plt.rcParams["axes.titlesize"]
    title_size = title_size if isinstance(title_size, (int, float)) else 13
    subtitle_text = None
    if subtitle:
        # Offset in points from the top of the axes, so the gap stays the same whatever the chart's height.
        subtitle_text = ax.annotate(wrap_to_width(subtitle, from_axes, FontProperties(size=text_size), renderer),
                                    (0, 1), xycoords="axes fraction", xytext=(0, 6), textcoords="offset points",
                                    ha="left", va="bottom", fontsize=text_size, color="#444444")
    # The title's baseline clears the subtitle's top by the title's descent and a little air.
    pad = (6 + subtitle_text.get_window_extent(renderer).height * 72 / fig.dpi + 0.45 * title_size
           if subtitle_text is not None else 8)
    ax.set_title(wrap_to_width(title, from_axes, FontProperties(size=title_size, weight="bold"), renderer),
                 loc="left", pad=pad)
    if source:
        source = wrap_to_width(source, fig.bbox.width - 2 * margin, FontProperties(size=text_size - 1), renderer)
        if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
            # The layout keeps a figure label clear of everything the axes draw (ticks, labels, a key below).
            fig.supxlabel(source, x=0, ha="left", fontsize=text_size - 1, color="#444444")
        else:
            ax.annotate(source, (0, 0), xycoords=lambda renderer: _drawn_extent(ax, renderer), xytext=(0, -6),
                        textcoords="offset points", ha="left", va="top", fontsize=text_size - 1, color="#444444",
                        annotation_clip=False)


def wrap_to_width(text: str, width: float, font, renderer, most_lines: int = 0) -> str:
    """``text`` in as few lines as fit in ``width`` display pixels, the lines as even in length
    as they can be (a last line of one word reads as an afterthought).

    Line breaks already in ``text`` are kept.

    Args:
        text: What to wrap.
        width: The room it has, in the renderer's pixels (the figure's dpi).
        font: A :class:`matplotlib.font_manager.FontProperties` it is drawn in.
        renderer: The figure's renderer (``fig.canvas.get_renderer()``).
        most_lines: Keep this many lines at most, the last cut short with "…" (0: all).

    Example:
        >>> from matplotlib.font_manager import FontProperties
        >>> fig, ax = new_chart()
        >>> renderer = fig.canvas.get_renderer()
        >>> print(wrap_to_width("Most visits come on Mondays, fewest on Fridays", 220, FontProperties(size=11),
        ...                     renderer))
        Most visits come on
        Mondays, fewest on Fridays
        >>> print(wrap_to_width("Killingbeck Church Food Bank and Community Larder", 100, FontProperties(size=9),
        ...                     renderer, most_lines=2))
        Killingbeck
        Church Food…
        >>> plt.close(fig)
    """
    import textwrap

    def fits(lines: str) -> bool:
        return all(renderer.get_text_width_height_descent(line, font, ismath=False)[0] <= width
                   for line in lines.split("\n"))

    def wrapped(line: str) -> str:
        characters = max(1, len(line))
        while characters > 12 and not fits(textwrap.fill(line, characters)):
            characters -= 1
        lines = textwrap.fill(line, characters).count("\n")
        # As narrow as the same number of lines allows: the lines come out even.
        while characters > 12 and textwrap.fill(line, characters - 1).count("\n") == lines:
            characters -= 1
        return textwrap.fill(line, characters)

    lines = "\n".join(wrapped(line) for line in str(text).split("\n")).split("\n")
    if most_lines and len(lines) > most_lines:
        # Cut short: fill each kept line as full as it goes, so that as much as can be is shown.
        lines = []
        for word in " ".join(str(text).split()).split(" "):
            longer = f"{lines[-1]} {word}" if lines else word
            if lines and fits(longer):
                lines[-1] = longer
            else:
                lines.append(word)
        lines = lines[:most_lines - 1] + [" ".join(lines[most_lines - 1:])]
        while len(lines[-1]) > 1 and not fits(lines[-1] + "…"):
            lines[-1] = lines[-1][:-1].rstrip()
        lines[-1] += "…"
    return "\n".join(lines)


def spread_labels(positions, min_gap: float, low: float | None = None, high: float | None = None) -> list[float]:
    """Move label positions apart so that no two are closer than ``min_gap``, keeping their
    order and their average (labels at the ends of lines that finish close together); then,
    when bounds are given, move them together to lie between ``low`` and ``high`` (the bottom
    kept, should they not fit): labels pushed off the axes would meet its titles.

    Args:
        positions: Where each label would sit, in data units.
        min_gap: The least distance between two labels, in the same units.
        low: The lowest a label may sit, or ``None``.
        high: The highest a label may sit, or ``None``.

    Returns:
        The new positions, in the order given.

    Example:
        >>> spread_labels([10.0, 10.5, 30.0], 2.0)
        [9.5, 11.5, 29.5]
        >>> spread_labels([98.0, 99.0, 100.0], 4.0, 0.0, 100.0)
        [92.0, 96.0, 100.0]
    """
    positions = [float(p) for p in positions]
    order = sorted(range(len(positions)), key=positions.__getitem__)
    placed: list[float] = []
    for i in order:
        placed.append(positions[i] if not placed else max(positions[i], placed[-1] + min_gap))
    shift = (sum(placed) - sum(positions)) / len(placed) if placed else 0.0
    out = [0.0] * len(positions)
    for rank, i in enumerate(order):
        out[i] = placed[rank] - shift
    if out:
        move = -max(0.0, max(out) - high) if high is not None else 0.0
        if low is not None:
            move += max(0.0, low - (min(out) + move))
        out = [p + move for p in out]
    return [round(p, 9) for p in out]


def _drawn_extent(ax, renderer):
    """Everything the axes draw (ticks, labels, a key), without its own titles' annotations: where the source goes."""
    from matplotlib.transforms import Bbox

    parts = [ax.get_window_extent(renderer)]
    for axis in (ax.xaxis, ax.yaxis):
        box = axis.get_tightbbox(renderer)
        if box is not None and box.width and box.height:
            parts.append(box)
    key = ax.get_legend()
    if key is not None and key.get_visible():
        parts.append(key.get_window_extent(renderer))
    return Bbox.union(parts)


def _phone_reach(fig) -> float:
    """How far, in the figure's pixels, a phone drawing may reach from the leftmost thing drawn
    (the drawing is cropped to what is drawn, then padded on each side)."""
    return (PHONE_SHOWN_PX / SHOWN_DPI - 2 * SAVE_PADDING_INCHES - 0.05) * fig.dpi


def fit_to_phone(fig, texts) -> None:
    """Wrap texts shorter until each ends inside a phone drawing's width.

    For what a chart places itself (an axis label, a note) when :func:`on_phone`: a text
    wider than the phone would widen the drawing, and the browser would shrink it all.

    Args:
        fig: The phone figure.
        texts: Matplotlib texts (``ax.xaxis.label``, an annotation...).
    """
    import textwrap

    reach = _phone_reach(fig)
    renderer = fig.canvas.get_renderer()
    for text in texts:
        for _ in range(8):
            fig.draw_without_rendering()
            left = fig.get_tightbbox(renderer).x0 * fig.dpi
            if text.get_window_extent(renderer).x1 - left <= reach:
                break
            longest = max(len(line) for line in text.get_text().split("\n"))
            text.set_text(textwrap.fill(" ".join(text.get_text().split()), max(12, longest - 3)))


def key_below(ax, handles=None, ncol: int = 1, centred: bool = False, **legend_options):
    """A key under the axes' tick labels and axis label, however many lines they take.

    A key beside a chart takes the width a phone does not have, and one inside the axes can
    cover bars; under the chart it is read after the chart, as a statistical release puts it.
    The key hangs from the bottom of the axes, lowered by the height the x axis draws below
    it. On a phone its entries are wrapped to the drawing's width. :func:`chart_titles`'
    source line goes under it.

    Args:
        ax: The chart's axes.
        handles: The key's entries (default: the labelled artists of the axes).
        ncol: Entries side by side.
        centred: Centred under the axes, rather than from their left.
        **legend_options: For :meth:`matplotlib.axes.Axes.legend`.

    Returns:
        The legend.

    Example:
        >>> fig, ax = new_chart()
        >>> _ = ax.bar([1, 2], [3, 4], label="Your clients")
        >>> key_below(ax).get_texts()[0].get_text()
        'Your clients'
        >>> plt.close(fig)
    """
    import textwrap

    from matplotlib.transforms import ScaledTranslation

    fig = ax.figure
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    else:
        labels = [handle.get_label() for handle in handles]
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    if on_phone():
        # A first cut, at about 0.55 em a character after the key's markers (3.7 em): a key far
        # wider than the phone would squeeze the axes to nothing.
        size = (legend_options.get("fontsize") or plt.rcParams["font.size"]) * fig.dpi / 72
        room = _phone_reach(fig) - (ax.get_window_extent(renderer).x0 - fig.get_tightbbox(renderer).x0 * fig.dpi)
        labels = [textwrap.fill(label, max(12, int((room - 3.7 * size) / (0.55 * size)))) for label in labels]
    axis = ax.xaxis.get_tightbbox(renderer)
    below = (ax.get_window_extent(renderer).y0 - axis.y0) / fig.dpi if axis is not None else 0.0
    lowered = ax.transAxes + ScaledTranslation(0, -max(below, 0.0), fig.dpi_scale_trans)
    key = ax.legend(handles, labels, loc="upper center" if centred else "upper left",
                    bbox_to_anchor=(0.5 if centred else 0, 0), bbox_transform=lowered, ncol=ncol, frameon=False,
                    **legend_options)
    if on_phone():
        _fit_key_to_phone(key)
    return key


def _fit_key_to_phone(key) -> None:
    """Wrap a key's entries so that it ends inside the phone drawing's width.

    Measured from where each entry starts, which stays put: were the key left too wide, the
    layout would squeeze the axes to make room for it.
    """
    import textwrap

    fig = key.figure
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    left = fig.get_tightbbox(renderer).x0 * fig.dpi
    reach = _phone_reach(fig)
    for text in key.get_texts():
        box = text.get_window_extent(renderer)
        room = left + reach - box.x0
        if box.width > room:
            longest = max(len(line) for line in text.get_text().split("\n"))
            text.set_text(textwrap.fill(" ".join(text.get_text().split()), max(12, int(longest * room / box.width))))


def _visible_texts(fig):
    """The texts a drawing of ``fig`` shows: not hidden, not empty, and, for tick labels, only
    the ticks inside the axes' range (matplotlib keeps labels for ticks it does not draw)."""
    from matplotlib.text import Text

    tick_labels, drawn_tick_labels = set(), set()
    for ax in fig.axes:
        for axis in ax._axis_map.values():
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_labels.update((id(tick.label1), id(tick.label2)))
            for tick in axis._update_ticks():  # the ticks a draw shows
                drawn_tick_labels.update((id(tick.label1), id(tick.label2)))
    return [text for text in fig.findobj(Text)
            if text.get_visible() and text.get_text().strip()
            and (id(text) not in tick_labels or id(text) in drawn_tick_labels)]


def overlapping_texts(fig, tolerance_px: float = 1.0) -> list[str]:
    """The pairs of texts that collide when ``fig`` is drawn: labels written over each other.

    Args:
        fig: A matplotlib figure.
        tolerance_px: How far, in pixels as shown, two texts may touch before they count
            as overlapping (glyph boxes include a little space).

    Returns:
        ``"'first' / 'second'"`` for each colliding pair; empty when every label stands clear.

    Example:
        >>> fig, ax = new_chart()
        >>> _ = ax.text(0.5, 0.5, "Average 19.7")
        >>> _ = ax.text(0.5, 0.5, "Target 20")
        >>> overlapping_texts(fig)
        ["'Average 19.7' / 'Target 20'"]
        >>> plt.close(fig)
    """
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    inset = tolerance_px * fig.dpi / SHOWN_DPI
    boxes = []
    for text in _visible_texts(fig):
        box = text.get_window_extent(renderer)
        boxes.append((text.get_text(), box.x0 + inset, box.y0 + inset, box.x1 - inset, box.y1 - inset))
    found = []
    for i, (first, *a) in enumerate(boxes):
        for second, *b in boxes[i + 1:]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                found.append(f"{first[:40]!r} / {second[:40]!r}")
    return found


def smallest_text_px(fig, dpi: float = SHOWN_DPI) -> float | None:
    """The size in pixels, as shown, of the smallest visible text of a figure (``None``: no text).

    Example:
        >>> fig, ax = new_chart()
        >>> _ = ax.text(0, 0, "small", fontsize=9)
        >>> fig.canvas.draw()
        >>> round(smallest_text_px(fig), 1)
        13.8
        >>> plt.close(fig)
    """
    sizes = [text.get_fontsize() * dpi / 72 for text in _visible_texts(fig)]
    return min(sizes) if sizes else None


def small_text(fig, min_px: float = MIN_TEXT_PX, dpi: float = SHOWN_DPI) -> list[str]:
    """The visible texts of a figure smaller than ``min_px`` pixels at the size it is shown.

    Args:
        fig: A matplotlib figure.
        min_px: The smallest size allowed, in pixels.
        dpi: Pixels per inch as shown (a point is 1/72 inch).

    Returns:
        ``"text (size px)"`` for each text that is too small; empty when all can be read.

    Example:
        >>> fig, ax = new_chart()
        >>> _ = ax.text(0, 0, "tiny", fontsize=6)
        >>> small_text(fig)
        ['tiny (9.2 px)']
        >>> plt.close(fig)
    """
    problems = []
    for text in _visible_texts(fig):
        size = text.get_fontsize() * dpi / 72
        if size < min_px - 1e-9:
            problems.append(f"{text.get_text()} ({size:.1f} px)")
    return problems


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


def show_chart(fig, alt_text: str) -> None:
    """Show a chart in the notebook with alt text that the report keeps.

    The report template reads the alt text from the output's metadata, so a
    screen reader, or a trustee whose email client blocks images, still gets
    what the chart says. A figure from a :func:`drawn_for_phones` chart function
    is also drawn for a phone, kept under :data:`PHONE_MIMETYPE` for the report
    (see :func:`report_drawings`).

    Args:
        fig: A matplotlib figure.
        alt_text: One or two plain sentences saying what the chart shows,
            with its key numbers.

    Raises:
        ValueError: ``alt_text`` is empty: every chart in a report needs it.
    """
    if not alt_text or not alt_text.strip():
        raise ValueError("Every chart needs alt text: say in words what it shows.")
    from IPython.display import display

    data = {"text/plain": f"[Chart] {alt_text}"}
    metadata = {}
    for kind, (png, about) in report_drawings(fig).items():
        data[kind] = base64.b64encode(png).decode("ascii")
        metadata[kind] = about
    metadata["image/png"]["alt"] = alt_text
    display(data, raw=True, metadata=metadata)
