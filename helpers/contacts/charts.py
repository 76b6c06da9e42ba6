"""The dedupe report's charts."""

from __future__ import annotations

import numpy as np
import pandas as pd


def match_weight_chart(parameters: pd.DataFrame):
    """Draw how much each level of each detail moves the odds of a match.

    Drawn from the model's own m and u probabilities: a bar to the right means
    "this makes a match more likely", to the left "less likely"; one bit
    doubles or halves the odds. Very long bars are cut at 20 bits and labelled.

    Args:
        parameters: ``LinkageResult.parameters``.

    Returns:
        A matplotlib figure.

    Example:
        >>> params = pd.DataFrame({"comparison": ["Email", "Email"], "level": ["The same", "Different"],
        ...                        "match_weight": [11.0, -4.0]})
        >>> match_weight_chart(params).axes[0].get_title()
        'Which details decide whether two records are the same person'
    """
    from helpers.writing.charts import PALETTE, new_chart

    table = parameters.dropna(subset=["match_weight"]).reset_index(drop=True)
    labels = [f"{row.comparison}: {row.level[:1].lower() + row.level[1:]}" for row in table.itertuples()]
    weights = table["match_weight"].clip(-20, 20)
    fig, ax = new_chart(8.5, max(3.0, 0.32 * len(table) + 1.2))
    colours = [PALETTE[0] if w > 0 else PALETTE[3] for w in table["match_weight"]]
    positions = np.arange(len(table))[::-1]
    ax.barh(positions, weights, color=colours)
    ax.set_yticks(positions, labels, fontsize=8.5)
    ax.axvline(0, color="#444444", linewidth=0.8)
    for y, shown, real in zip(positions, weights, table["match_weight"]):
        text = f"{real:+.0f}" if abs(real) < 99 else ("+99" if real > 0 else "-99")
        ax.text(shown + (0.4 if shown >= 0 else -0.4), y, text, va="center",
                ha="left" if shown >= 0 else "right", fontsize=8)
    ax.set_xlim(-24, 24)
    ax.set_xlabel("Evidence for (right) or against (left) the same person, in bits (each bit doubles the odds)")
    ax.set_title("Which details decide whether two records are the same person")
    return fig


def probability_chart(probability_counts: pd.DataFrame, threshold: float):
    """Bar chart of compared pairs by match probability, with the threshold marked.

    Args:
        probability_counts: ``LinkageResult.probability_counts``.
        threshold: The match threshold.

    Returns:
        A matplotlib figure.

    Example:
        >>> bands = pd.DataFrame({"band_start": [0.0, 0.95], "band_end": [0.05, 1.0], "pairs": [40, 12]})
        >>> probability_chart(bands, 0.9).axes[0].get_xlabel()
        'Match probability (%)'
    """
    from helpers.writing.charts import PALETTE, new_chart

    fig, ax = new_chart()
    starts = probability_counts["band_start"].to_numpy()
    counts = probability_counts["pairs"].to_numpy()
    shown = counts > 0  # an empty band has no bar (a log scale cannot show zero)
    colours = [PALETTE[0] if start >= threshold - 1e-9 else PALETTE[5] for start in starts[shown]]
    ax.bar(starts[shown] * 100 + 2.5, counts[shown], width=4.6, color=colours, log=True)
    ax.set_ylim(bottom=0.7)
    ax.axvline(threshold * 100, color=PALETTE[3], linestyle="--", linewidth=1.2)
    ax.text(threshold * 100 - 1, ax.get_ylim()[1] * 0.6, f"threshold {threshold:.0%}", ha="right",
            color=PALETTE[3], fontsize=9)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Match probability (%)")
    ax.set_ylabel("Pairs of records (log scale)")
    ax.set_title("Most compared pairs are clearly different people or clearly the same")
    return fig
