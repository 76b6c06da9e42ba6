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

from helpers.impact.findings import improvement_title, number
from helpers.impact.findings import points as points_of
from helpers.impact.outcomes import MeasureResult, measure_impact  # noqa: F401  (examples)
from helpers.impact.statistics import CLASSES, IMPROVED, NO_CHANGE, WORSE
from helpers.writing.charts import (
    PALETTE,
    chart_titles,
    drawn_for_phones,
    fit_to_phone,
    key_below,
    new_chart,
    on_phone,
    spread_labels,
)
from helpers.writing.narrative import plural

SOURCE = "Source: the charity's start and end forms"


def _colours() -> dict[str, str]:
    return {IMPROVED: PALETTE[0], NO_CHANGE: "#767676", WORSE: PALETTE[3]}


def _class_name(m: MeasureResult, label: str) -> str:
    """A class as the chart names it: with no line for a meaningful change, "no change" is exactly that."""
    return "no change" if label == NO_CHANGE and m.threshold <= 0 else label


def _title(m: MeasureResult) -> str:
    f = m.figures
    change = f["mean_change"]
    if not change:
        return f"The average {m.measure} score did not change"
    better = (change > 0) == (m.better == "higher")
    verb = "rose" if change > 0 else "fell"
    # The change as printed equals the end label minus the start label (see findings.change_decimals).
    return f"The average {m.measure} score {verb} by {points_of(change, f['decimals'])}" + (
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
        (3, 'The average went from 19.94 to 20.88')
        >>> plt.close(fig)
    """
    phone = on_phone()
    colours = _colours()
    fig, ax = new_chart(8, 5)
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
        ends.append((end, _end_label(f"{len(part):,} {_class_name(m, label)}", start, end, phone), colours[label]))
    ax.plot([0, 1], [f["mean_before"], f["mean_after"]], color="#000000", linewidth=3, marker="o", markersize=8)
    ends.append((f["mean_after"], _end_label(f"Average of all {f['n_pairs']:,}", f["mean_before"], f["mean_after"],
                                             phone, f["decimals"]), "#000000"))
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
    chart_titles(ax, _title(m), subtitle, SOURCE)

    # Spread the labels by their height as drawn, so that they clear each other at any size of chart.
    size = plt.rcParams["font.size"] if phone else 12
    lines = max(text.count("\n") + 1 for _, text, _ in ends)
    fig.draw_without_rendering()
    axes_points = ax.get_window_extent().height * 72 / fig.dpi
    data_per_point = (high - low + 2 * pad) / axes_points
    gap = (lines * 1.2 * size + 4) * data_per_point
    placed = spread_labels([e[0] for e in ends], gap, low - pad + gap / 2, high + pad - gap / 2)
    # Constrained layout narrows the axes so that these labels, right of them, stay inside the figure.
    for y, (_, text, colour) in zip(placed, ends, strict=True):
        ax.annotate(text, (1, y), xycoords=("axes fraction", "data"), xytext=(8, 0), textcoords="offset points",
                    color=colour, va="center", ha="left", fontsize=size, fontweight="bold", annotation_clip=False)
    alt = (
        f"Line chart of {plural(f['n_pairs'], 'person', 'people')}'s {m.measure} scores. The average went from "
        f"{number(f['mean_before'], f['decimals'])} to {number(f['mean_after'], f['decimals'])}. "
        f"{f['improved']:,} improved, {f['no_change']:,} showed {_class_name(m, NO_CHANGE)} and {f['worse']:,} got "
        f"worse.{better}"
    )
    return fig, alt


def _end_label(who: str, start: float, end: float, phone: bool, digits: int = 1) -> str:
    """A line's label: who and how their average moved; on a phone in lines of at most 20 characters.

    Example:
        >>> print(_end_label("49 no meaningful change", 19.94, 20.31, phone=True))
        49 no meaningful
        change: 19.9 to 20.3
        >>> _end_label("2 worse", 21.5, 18.6, phone=False)
        '2 worse: 21.5 to 18.6'
    """
    moved = f"{number(start, digits)} to {number(end, digits)}"
    if not phone:
        return f"{who}: {moved}"
    lines = textwrap.wrap(who, 20)
    if len(lines[-1]) + len(moved) + 2 <= 20:
        lines[-1] += f": {moved}"
    else:
        lines.append(moved)
    return "\n".join(lines)


def _threshold_labels_inside(ax, labels) -> None:
    """Widen the x axis until each threshold label, outside its dashed line, stays inside the axes.

    A label running past the axes would write over the tick labels (or widen the image); inside
    its line it would cross the line at zero.
    """
    fig = ax.figure
    for _ in range(3):
        fig.draw_without_rendering()
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
    fig, ax = new_chart(8, 5.6 if phone else 4.6)
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
                         label=f"{int((classes == label).sum()):,} {_class_name(m, label)}") for label in CLASSES]
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
    # The title is the improvement claim's sentence: "meaningful" only for a measurement-error line.
    chart_titles(ax, improvement_title(m), line, SOURCE)
    if phone:
        fit_to_phone(fig, [ax.xaxis.label])
    if entries:
        # On a phone one entry a line, so that the key is no wider than the chart.
        key_below(ax, ncol=1 if phone else 3, centred=not phone, handles=entries, fontsize=None if phone else 12)
    _threshold_labels_inside(ax, thresholds)
    if m.threshold > 0:
        moved = (f"{f['improved']:,} people changed by at least {points} for the better, "
                 f"{f['worse']:,} by that much for the worse.")
    else:
        moved = f"{f['improved']:,} people ended with a better score and {f['worse']:,} with a worse one."
    alt = (
        f"{improvement_title(m)}. Bar chart of the change in score for {plural(f['n_pairs'], 'person', 'people')}. The middle "
        f"change was {points_of(f['median_change'], 1)}{' down' if f['median_change'] < 0 else ''}. {moved}"
    )
    return fig, alt
