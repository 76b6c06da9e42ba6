"""Checking a chart can be read as shown: no text under 12 px, no labels written over each other."""

from __future__ import annotations

import matplotlib.pyplot as plt  # noqa: F401  (the examples use it)

from helpers.writing.chart_style import MIN_TEXT_PX, SHOWN_DPI, new_chart  # noqa: F401  (the examples)


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
