"""The impact report's two charts: how scores moved, and how much each person changed.

Both stay readable from 10 people to 10,000: the first draws one line per class of
change (improved, no meaningful change, worse) and the average, never one line per
person; the second is a histogram with the meaningful-change line labelled flat, in
words. Each chart says which way is better, carries its finding as the title, a
source line, a key for every colour, and alt text with the numbers.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from helpers.impact.outcomes import MeasureResult, measure_impact  # noqa: F401  (examples)
from helpers.impact.statistics import CLASSES, IMPROVED, NO_CHANGE, WORSE
from helpers.writing.charts import (
    PALETTE,
    PHONE_SHOWN_PX,
    SHOWN_DPI,
    chart_titles,
    drawn_for_phones,
    new_chart,
    on_phone,
    spread_labels,
)
from helpers.writing.narrative import plural

SOURCE = "Source: the charity's start and end forms"


def _colours() -> dict[str, str]:
    return {IMPROVED: PALETTE[0], NO_CHANGE: "#767676", WORSE: PALETTE[3]}


def _points(value: float) -> str:
    return f"{abs(value):.1f} {'point' if round(abs(value), 1) == 1 else 'points'}"


def _title(m: MeasureResult) -> str:
    f = m.figures
    change = f["mean_change"]
    if not change:
        return f"The average {m.measure} score did not change"
    better = (change > 0) == (m.better == "higher")
    verb = "rose" if change > 0 else "fell"
    return f"The average {m.measure} score {verb} by {_points(change)}" + (
        f" ({'better' if better else 'worse'})" if m.better == "lower" else "")


@drawn_for_phones
def before_after_chart(m: MeasureResult, before_name: str = "Start", after_name: str = "End"):
    """How scores moved: the average of each class of change from start to end, and the overall average.

    One line per class (improved, no meaningful change, worse), as thick as its
    share of people and labelled at the end with its count, plus the overall
    average in black. Labels are spread so that none collide. On a phone each label
    takes two lines and the axis label goes (the subtitle says what is measured).

    Args:
        m: One measure from :func:`~helpers.impact.outcomes.measure_impact`.
        before_name, after_name: Labels for the two time points.

    Returns:
        ``(figure, alt_text)`` ready for :func:`helpers.writing.charts.show_chart`.

    Example:
        >>> import pandas as pd, matplotlib.pyplot as plt
        >>> table = pd.DataFrame({"Score before": [19.25, 17.43, 20.73, 22.35], "Score after": [23.21, 17.98, 19.98, 22.35]})
        >>> fig, alt = before_after_chart(measure_impact(table).main)
        >>> len(fig.axes[0].lines), alt.split(". ")[1]  # improved, no meaningful change, the average
        (3, 'The average went from 19.9 to 20.9')
        >>> plt.close(fig)
    """
    phone = on_phone()
    colours = _colours()
    fig, ax = _new_chart(8, 5)
    f = m.figures
    changes = m.changes
    n = max(len(changes), 1)
    ends = []
    for label in CLASSES:
        part = changes[changes["class"].eq(label)]
        if part.empty:
            continue
        start, end = part["before"].mean(), part["after"].mean()
        ax.plot([0, 1], [start, end], color=colours[label], linewidth=2 + 10 * len(part) / n,
                solid_capstyle="round", alpha=0.9)
        ends.append((end, _end_label(f"{len(part):,} {label}", start, end, phone), colours[label]))
    ax.plot([0, 1], [f["mean_before"], f["mean_after"]], color="#000000", linewidth=3, marker="o", markersize=8)
    ends.append((f["mean_after"], _end_label(f"Average of all {f['n_pairs']:,}", f["mean_before"], f["mean_after"],
                                             phone), "#000000"))
    scores = np.concatenate([changes["before"].to_numpy(), changes["after"].to_numpy()]) if len(changes) else [0, 1]
    low, high = float(np.min(scores)), float(np.max(scores))
    pad = max((high - low) * 0.08, 0.5)
    ax.set_ylim(low - pad, high + pad)
    if phone:
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.set_xticks([0, 1], [textwrap.fill(before_name, 10), textwrap.fill(after_name, 10)])
    else:
        ax.set_xticks([0, 1], [before_name, after_name], fontsize=12)
        ax.set_ylabel(f"Average {m.measure} score")
    ax.set_xlim(-0.1, 1.1)
    better = " Lower is better." if m.better == "lower" else ""
    subtitle = (f"Average {m.measure} score; line width shows how many.{better}" if phone else
                f"Average {m.measure} score by how each person changed; line width shows how many.{better}")
    _titles(ax, _title(m), subtitle)

    # Spread the labels by their height as drawn, so that they clear each other at any size of chart.
    size = plt.rcParams["font.size"] if phone else 12
    lines = max(text.count("\n") + 1 for _, text, _ in ends)
    fig.canvas.draw()
    axes_points = ax.get_window_extent().height * 72 / fig.dpi
    data_per_point = (high - low + 2 * pad) / axes_points
    gap = (lines * 1.2 * size + 4) * data_per_point
    placed = _inside(spread_labels([e[0] for e in ends], gap), low - pad, high + pad, gap / 2)
    labels = [ax.annotate(text, (1, y), xycoords=("axes fraction", "data"), xytext=(8, 0),
                          textcoords="offset points", color=colour, va="center", ha="left", fontsize=size,
                          fontweight="bold", annotation_clip=False)
              for y, (_, text, colour) in zip(placed, ends, strict=True)]
    if not phone:
        # The labels sit right of the axes: narrow the axes so that they stay inside the figure's width.
        renderer = fig.canvas.get_renderer()
        widest = max(label.get_window_extent(renderer).width for label in labels)
        fig.subplots_adjust(right=1 - (widest + 14 * fig.dpi / 72) / (fig.get_figwidth() * fig.dpi))
    alt = (
        f"Line chart of {plural(f['n_pairs'], 'person', 'people')}'s {m.measure} scores. The average went from "
        f"{f['mean_before']:.1f} to {f['mean_after']:.1f}. {f['improved']:,} improved, {f['no_change']:,} showed "
        f"no meaningful change and {f['worse']:,} got worse.{better}"
    )
    return fig, alt


def _new_chart(width: float, height: float):
    """:func:`~helpers.writing.charts.new_chart`, with a phone figure's layout leaving the margin
    the saved drawing adds, so that the drawing is shown at exactly the width it is laid out for.

    Otherwise the drawing is narrowed after it is laid out, and what was placed to fit it no
    longer does.
    """
    fig, ax = new_chart(width, height)
    if on_phone():
        fig.get_layout_engine().set(w_pad=plt.rcParams["savefig.pad_inches"] + 0.02)
    return fig, ax


def _end_label(who: str, start: float, end: float, phone: bool) -> str:
    """A line's label: who and how their average moved; on a phone in lines of at most 20 characters.

    Example:
        >>> print(_end_label("49 no meaningful change", 19.94, 20.31, phone=True))
        49 no meaningful
        change: 19.9 to 20.3
        >>> _end_label("2 worse", 21.5, 18.6, phone=False)
        '2 worse: 21.5 to 18.6'
    """
    moved = f"{start:.1f} to {end:.1f}"
    if not phone:
        return f"{who}: {moved}"
    lines = textwrap.wrap(who, 20)
    if len(lines[-1]) + len(moved) + 2 <= 20:
        lines[-1] += f": {moved}"
    else:
        lines.append(moved)
    return "\n".join(lines)


def _inside(positions: list[float], low: float, high: float, margin: float) -> list[float]:
    """Shift spread label positions together so that they stay between ``low`` and ``high``.

    Example:
        >>> _inside([8.0, 10.0, 12.0], 0.0, 11.0, 0.5)
        [6.5, 8.5, 10.5]
    """
    shift = min(0.0, high - margin - max(positions)) or max(0.0, low + margin - min(positions))
    return [round(p + shift, 9) for p in positions]


def _titles(ax, title: str, subtitle: str):
    """:func:`~helpers.writing.charts.chart_titles` with the source line, fitted to a phone's width,
    and with the title lifted clear of a subtitle of several lines.

    ``chart_titles`` wraps to a share of the figure's width, but the title starts where the
    axes start, after the tick labels, so on a phone a long title can still run past the
    edge; and it leaves 1.2 font sizes for each extra line of subtitle, a little less than a
    line takes, so a subtitle of two lines on a phone touches the title.

    Returns:
        The source line's annotation.
    """
    from matplotlib.text import Text

    fig = ax.figure
    first = len(ax.texts)
    chart_titles(ax, title, subtitle, SOURCE)
    subtitle_text, source = ax.texts[first], ax.texts[first + 1]
    title_text = next(text for text in ax.findobj(Text) if text.get_text() == ax.get_title(loc="left"))
    if on_phone():
        _fit_to_phone(fig, [title_text, subtitle_text, source, ax.xaxis.label])
    renderer = fig.canvas.get_renderer()
    height = subtitle_text.get_window_extent(renderer).height * 72 / fig.dpi
    # chart_titles puts the subtitle 6 points above the axes; leave a third of a line above it.
    needed = 6 + height + subtitle_text.get_fontsize() / 3
    given = ax.titleOffsetTrans.get_matrix()[1, 2] * 72 / fig.dpi
    if needed > given:
        ax.set_title(title_text.get_text(), loc="left", pad=needed)
    return source


def _phone_reach(fig) -> float:
    """How far, in the figure's pixels, a phone drawing may reach from the leftmost thing drawn.

    The drawing is cropped to what is drawn, then padded on each side.
    """
    return (PHONE_SHOWN_PX / SHOWN_DPI - 2 * plt.rcParams["savefig.pad_inches"] - 0.05) * fig.dpi


def _fit_to_phone(fig, texts) -> None:
    """Wrap texts shorter until each ends inside the phone drawing's width (see :func:`_phone_reach`)."""
    reach = _phone_reach(fig)
    renderer = fig.canvas.get_renderer()
    for text in texts:
        for _ in range(8):
            fig.canvas.draw()
            left = fig.get_tightbbox(renderer).x0 * fig.dpi
            if text.get_window_extent(renderer).x1 - left <= reach:
                break
            longest = max(len(line) for line in text.get_text().split("\n"))
            text.set_text(textwrap.fill(" ".join(text.get_text().split()), max(12, longest - 3)))


def _key_under_axes(ax, ncol: int, centred: bool, handles=None, **legend_options):
    """A key under the axes' tick labels and axis label, however many lines they take.

    The key hangs from the bottom of the axes, lowered by the height the x axis draws below it
    (a height in inches, which does not change as the layout resizes the axes). On a phone its
    entries are wrapped to the drawing's width.

    Args:
        ax: The chart's axes.
        ncol: Entries side by side.
        centred: Centred under the axes, rather than from their left.
        handles: The key's entries (default: the labelled artists of the axes).
        **legend_options: For :meth:`matplotlib.axes.Axes.legend`.

    Returns:
        The legend.
    """
    from matplotlib.transforms import ScaledTranslation

    fig = ax.figure
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    else:
        labels = [handle.get_label() for handle in handles]
    fig.canvas.draw()
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
    fig = key.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    left = fig.get_tightbbox(renderer).x0 * fig.dpi
    reach = _phone_reach(fig)
    for text in key.get_texts():
        box = text.get_window_extent(renderer)
        room = left + reach - box.x0
        if box.width > room:
            longest = max(len(line) for line in text.get_text().split("\n"))
            text.set_text(textwrap.fill(" ".join(text.get_text().split()), max(12, int(longest * room / box.width))))


def _source_under(source, key) -> None:
    """Put the source line under the key as well as under the axes (chart_titles knows only the axes)."""
    from matplotlib.transforms import Bbox

    above = source.xycoords  # chart_titles' callable: everything the axes draw
    source.xycoords = lambda renderer: Bbox.union([above(renderer), key.get_window_extent(renderer)])


def _threshold_labels_inside(ax, labels) -> None:
    """Widen the x axis until each threshold label, outside its dashed line, stays inside the axes.

    A label running past the axes would write over the tick labels (or widen the image); inside
    its line it would cross the line at zero.
    """
    fig = ax.figure
    for _ in range(3):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        axes = ax.get_window_extent(renderer)
        low, high = ax.get_xlim()
        per_pixel = (high - low) / axes.width
        boxes = [label.get_window_extent(renderer) for label in labels]
        short_left = max([axes.x0 - box.x0 for box in boxes] + [0.0])
        short_right = max([box.x1 - axes.x1 for box in boxes] + [0.0])
        if not short_left and not short_right:
            return
        # A few pixels more: clear of the axis line, and the widened axis draws each unit a little narrower.
        ax.set_xlim(low - (short_left + 6) * per_pixel * bool(short_left),
                    high + (short_right + 6) * per_pixel * bool(short_right))


def _change_bins(change: np.ndarray, threshold: float) -> np.ndarray:
    """Bar edges about one point wide that put the threshold (or whole numbers) on an edge.

    With the threshold on an edge, no bar mixes people of two classes.

    Example:
        >>> _change_bins(np.array([-1.0, 0.5, 2.0]), 0).tolist()
        [-1.5, -0.5, 0.5, 1.5, 2.5]
    """
    target = max(1.0, float(np.ptp(change)) / 30)
    if threshold > 0:
        width = threshold / max(1, round(threshold / target))
        first, last = math.floor(change.min() / width + 1e-9), math.ceil(change.max() / width + 1e-9)
        return np.arange(first, last + 1) * width
    # Any change counts: centre bars on whole numbers so 0 stands alone.
    width = math.ceil(target)
    return np.arange(math.floor(change.min()) - width / 2, math.ceil(change.max()) + width, width)


@drawn_for_phones
def change_chart(m: MeasureResult):
    """How big each person's change was: a histogram coloured by class, with the threshold marked.

    The key sits under the chart, the source line under the key; on a phone the key is one
    entry a line and the axis label wraps.

    Args:
        m: One measure from :func:`~helpers.impact.outcomes.measure_impact`.

    Returns:
        ``(figure, alt_text)`` ready for :func:`helpers.writing.charts.show_chart`.

    Example:
        >>> import pandas as pd, matplotlib.pyplot as plt
        >>> table = pd.DataFrame({"Score before": [19.25, 17.43, 20.73], "Score after": [23.21, 17.98, 19.98]})
        >>> fig, alt = change_chart(measure_impact(table).main)
        >>> int(sum(p.get_height() for p in fig.axes[0].patches))
        3
        >>> plt.close(fig)
    """
    from matplotlib.patches import Patch

    phone = on_phone()
    colours = _colours()
    fig, ax = _new_chart(8, 5.6 if phone else 4.6)
    change = m.changes["change"].to_numpy()
    classes = m.changes["class"].to_numpy()
    entries, thresholds = [], []
    if change.size:
        edges = _change_bins(change, m.threshold)
        width = edges[1] - edges[0]
        bottom = np.zeros(len(edges) - 1)
        for label in (WORSE, NO_CHANGE, IMPROVED):
            counts, _ = np.histogram(change[classes == label], bins=edges)
            ax.bar(edges[:-1] + width / 2, counts, width=width * 0.9, bottom=bottom, color=colours[label],
                   alpha=0.55 if label == NO_CHANGE else 0.9)
            bottom += counts
        # The bars reach 80% of the height: the threshold labels sit in the space above them.
        top = max(bottom.max(), 1) * 1.25
        ax.set_ylim(0, top)
        ax.axvline(0, color="#000000", linewidth=1)
        if m.threshold > 0:
            for sign in (-1, 1):
                ax.axvline(sign * m.threshold, color="#000000", linestyle="--", linewidth=1)
                thresholds.append(ax.text(sign * m.threshold, 0.98, f" {sign * m.threshold:+.3g} ",
                                          ha="left" if sign > 0 else "right", va="top",
                                          fontsize=plt.rcParams["font.size"] if phone else 12,
                                          transform=ax.get_xaxis_transform()))
        entries = [Patch(color=colours[label], alpha=0.55 if label == NO_CHANGE else 0.9,
                         label=f"{int((classes == label).sum()):,} {label}") for label in CLASSES]
    ax.yaxis.set_major_locator(MaxNLocator(4 if phone else "auto", integer=True))
    if phone:
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    side = "below zero is better" if m.better == "lower" else "above zero is better"
    axis_label = f"Change in {m.measure} score, end minus start ({side})"
    ax.set_xlabel(textwrap.fill(axis_label, 34) if phone else axis_label)
    ax.set_ylabel("People")
    f = m.figures
    threshold = f"{m.threshold:.3g}"
    points = f"{threshold} {'point' if threshold == '1' else 'points'}"
    line = (f"Dashed lines: a change of {points}, the line for a meaningful change"
            if m.threshold > 0 else "Any change counts")
    source = _titles(ax, f"{f['improved']:,} of {f['n_pairs']:,} people improved by a meaningful amount", line)
    if entries:
        # On a phone one entry a line, so that the key is no wider than the chart.
        key = _key_under_axes(ax, ncol=1 if phone else 3, centred=not phone, handles=entries,
                              fontsize=None if phone else 12)
        _source_under(source, key)
    _threshold_labels_inside(ax, thresholds)
    if m.threshold > 0:
        moved = (f"{f['improved']:,} people changed by at least {points} for the better, "
                 f"{f['worse']:,} by that much for the worse.")
    else:
        moved = f"{f['improved']:,} people ended with a better score and {f['worse']:,} with a worse one."
    alt = (
        f"Bar chart of the change in score for {plural(f['n_pairs'], 'person', 'people')}. The middle "
        f"change was {_points(f['median_change'])}{' down' if f['median_change'] < 0 else ''}. {moved}"
    )
    return fig, alt
