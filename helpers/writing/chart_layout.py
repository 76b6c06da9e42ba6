"""Placing a chart's words: titles, wrapped labels, labels spread apart, a key under the chart,
all measured as drawn, so that nothing widens the image or writes over anything else."""

from __future__ import annotations

import matplotlib.pyplot as plt

from helpers.writing.chart_style import (
    PHONE_SHOWN_PX,
    SAVE_PADDING_INCHES,
    SHOWN_DPI,
    new_chart,  # noqa: F401  (the examples use it)
    on_phone,
)


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
