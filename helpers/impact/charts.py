"""The impact report's two charts: how scores moved, and how much each person changed.

Both stay readable from 10 people to 10,000: the first draws one line per class of
change (improved, no meaningful change, worse) and the average, never one line per
person; the second is a histogram with the meaningful-change line labelled flat, in
words. Each chart says which way is better, carries its finding as the title, a
source line, a key for every colour, and alt text with the numbers.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.impact.outcomes import MeasureResult, measure_impact  # noqa: F401  (examples)
from helpers.impact.statistics import CLASSES, IMPROVED, NO_CHANGE, WORSE
from helpers.writing.charts import drawn_for_phones, spread_labels
from helpers.writing.narrative import plural

SOURCE = "Source: the charity's start and end forms"


def _colours() -> dict[str, str]:
    from helpers.writing.charts import PALETTE

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
    average in black. Labels are spread so that none collide.

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
    from helpers.writing.charts import chart_titles, new_chart

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
        ends.append((end, f"{len(part):,} {label}: {start:.1f} to {end:.1f}", colours[label]))
    ax.plot([0, 1], [f["mean_before"], f["mean_after"]], color="#000000", linewidth=3, marker="o", markersize=8)
    ends.append((f["mean_after"], f"Average of all {f['n_pairs']:,}: {f['mean_before']:.1f} to {f['mean_after']:.1f}",
                 "#000000"))
    scores = np.concatenate([changes["before"].to_numpy(), changes["after"].to_numpy()]) if len(changes) else [0, 1]
    low, high = float(np.min(scores)), float(np.max(scores))
    pad = max((high - low) * 0.08, 0.5)
    ax.set_ylim(low - pad, high + pad)
    gap = (high - low + 2 * pad) * 0.075
    for y, (_, text, colour) in zip(spread_labels([e[0] for e in ends], gap), ends, strict=True):
        ax.text(1.04, y, text, color=colour, va="center", ha="left", fontsize=12, fontweight="bold",
                transform=ax.get_yaxis_transform())
    ax.set_xticks([0, 1], [before_name, after_name], fontsize=12)
    ax.set_xlim(-0.1, 1.1)
    better = " Lower is better." if m.better == "lower" else ""
    ax.set_ylabel(f"Average {m.measure} score")
    chart_titles(ax, _title(m), f"Average {m.measure} score by how each person changed; line width shows how "
                 f"many.{better}", SOURCE)
    alt = (
        f"Line chart of {plural(f['n_pairs'], 'person', 'people')}'s {m.measure} scores. The average went from "
        f"{f['mean_before']:.1f} to {f['mean_after']:.1f}. {f['improved']:,} improved, {f['no_change']:,} showed "
        f"no meaningful change and {f['worse']:,} got worse.{better}"
    )
    return fig, alt


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

    from helpers.writing.charts import chart_titles, new_chart

    colours = _colours()
    fig, ax = new_chart(8, 4.6)
    change = m.changes["change"].to_numpy()
    classes = m.changes["class"].to_numpy()
    if change.size:
        edges = _change_bins(change, m.threshold)
        width = edges[1] - edges[0]
        bottom = np.zeros(len(edges) - 1)
        for label in (WORSE, NO_CHANGE, IMPROVED):
            counts, _ = np.histogram(change[classes == label], bins=edges)
            ax.bar(edges[:-1] + width / 2, counts, width=width * 0.9, bottom=bottom, color=colours[label],
                   alpha=0.55 if label == NO_CHANGE else 0.9)
            bottom += counts
        top = max(bottom.max(), 1) * 1.25
        ax.set_ylim(0, top)
        ax.axvline(0, color="#000000", linewidth=1)
        if m.threshold > 0:
            for sign in (-1, 1):
                ax.axvline(sign * m.threshold, color="#000000", linestyle="--", linewidth=1)
                ax.text(sign * m.threshold, top * 0.98, f" {sign * m.threshold:+.3g} ", ha="left" if sign > 0 else "right",
                        va="top", fontsize=12)
        key = [Patch(color=colours[label], alpha=0.55 if label == NO_CHANGE else 0.9,
                     label=f"{int((classes == label).sum()):,} {label}") for label in CLASSES]
        ax.legend(handles=key, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False, fontsize=12)
    side = "below zero is better" if m.better == "lower" else "above zero is better"
    ax.set_xlabel(f"Change in {m.measure} score, end minus start ({side})")
    ax.set_ylabel("People")
    f = m.figures
    line = (f"Dashed lines: a change of {m.threshold:.3g} points, the line for a meaningful change"
            if m.threshold > 0 else "Any change counts")
    chart_titles(ax, f"{f['improved']:,} of {f['n_pairs']:,} people improved by a meaningful amount", line, SOURCE)
    if m.threshold > 0:
        moved = (f"{f['improved']:,} people changed by at least {m.threshold:.3g} points for the better, "
                 f"{f['worse']:,} by that much for the worse.")
    else:
        moved = f"{f['improved']:,} people ended with a better score and {f['worse']:,} with a worse one."
    alt = (
        f"Bar chart of the change in score for {plural(f['n_pairs'], 'person', 'people')}. The middle "
        f"change was {_points(f['median_change'])}{' down' if f['median_change'] < 0 else ''}. {moved}"
    )
    return fig, alt
