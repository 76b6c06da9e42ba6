"""The survey report's chart: a diverging stacked bar per rating question (GOV.UK and Datawrapper style).

Negative answers run left of the centre line, positive answers right, and a middle answer ("Neither",
"Don't know") straddles it, so questions on different scales line up on one line: how far right a bar
reaches is the share positive. Segments are labelled with their percentage where there is room.
"""

from __future__ import annotations

import textwrap

import matplotlib.patches as mpatches

from helpers.survey.ratings import QuestionResult
from helpers.survey.words import chart_words
from helpers.writing.charts import (
    PALETTE, chart_titles, drawn_for_phones, key_below, main_finding, new_chart, on_phone,
)

def _tint(colour: str, strength: float) -> str:
    """A palette colour at some opacity on white (still the colour-blind-safe palette's colour).

    Example:
        >>> _tint("#0072B2", 0.5)
        '#80b8d8'
    """
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - strength * (255 - c)):02x}" for c in (red, green, blue))


#: Strongest first: the palette's vermilion and blue, then lighter tints of each.
NEGATIVE_SHADES = [PALETTE[3], _tint(PALETTE[3], 0.7), _tint(PALETTE[3], 0.5), _tint(PALETTE[3], 0.35)]
POSITIVE_SHADES = [PALETTE[0], _tint(PALETTE[0], 0.7), _tint(PALETTE[0], 0.5), _tint(PALETTE[0], 0.35)]
MIDDLE = "#BDBDBD"
#: The smallest segment labelled with its percentage (a share of the answers): page, phone.
SMALLEST_LABEL = (0.08, 0.2)


def _colours(points: int, positive: int) -> list[str]:
    """A colour per point, lowest first: the ``positive`` top points blue, the same number at the bottom
    orange, any between them grey (the middle)."""
    negative = positive
    middle = points - positive - negative
    lows = [NEGATIVE_SHADES[min(i, len(NEGATIVE_SHADES) - 1)] for i in range(negative)]
    highs = [POSITIVE_SHADES[min(i, len(POSITIVE_SHADES) - 1)] for i in range(positive)][::-1]
    return lows + [MIDDLE] * max(middle, 0) + highs


@main_finding
@drawn_for_phones
def ratings_chart(results: list[QuestionResult]):
    """One diverging bar per rating question with answers (see the module docstring).

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`, or ``None`` with no answers.
    """
    answered = [r for r in results if r.n]
    if not answered:
        return None
    title, alt = chart_words(results)
    phone = on_phone()
    # Room for each question's wrapped text beside its bar, and for the titles and key (more on a phone,
    # where the question wraps onto more lines).
    fig, ax = new_chart(8, (2.2 + 1.0 * len(answered)) if phone else (1.8 + 0.8 * len(answered)))
    smallest = SMALLEST_LABEL[1 if phone else 0]
    # On a phone each question is written above its bar, so the bars get the whole width.
    spacing = 2.0 if phone else 1.0
    for position, result in enumerate(reversed(answered)):
        row = position * spacing
        shares = [count / result.n for count in result.counts.values()]
        points, positive = len(shares), result.scale.positive
        negative = positive
        middle = shares[negative:points - positive]
        start = -sum(shares[:negative]) - sum(middle) / 2
        for share, colour in zip(shares, _colours(points, positive)):
            if share > 0:
                ax.barh(row, share, left=start, color=colour, height=0.7, edgecolor="white", linewidth=0.5)
                if share >= smallest:
                    dark = colour in (NEGATIVE_SHADES[:1] + POSITIVE_SHADES[:1])
                    ax.text(start + share / 2, row, f"{100 * share:.0f}%", ha="center", va="center",
                            fontsize=9 if phone else 10, color="white" if dark else "#222222")
            start += share
    questions = list(reversed(answered))
    if phone:
        ax.set_yticks([])
        for position, result in enumerate(questions):
            label = ax.annotate(textwrap.fill(result.header, 34), (-1, position * spacing + 0.38), xytext=(0, 2),
                                textcoords="offset points", ha="left", va="bottom", fontsize=9,
                                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
            label.set_in_layout(False)  # it sits inside the axes' width: the bars keep the whole of it
        ax.set_ylim(-0.6, (len(questions) - 1) * spacing + 1.6)
        ax.set_xticks([-1, 0, 1], ["100%", "0", "100%"])
    else:
        ax.set_yticks(range(len(questions)), [textwrap.fill(r.header, 26) for r in questions])
        ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["100%", "50%", "0", "50%", "100%"])
    ax.axvline(0, color="#222222", linewidth=0.8)
    ax.set_xlim(-1, 1)
    ax.spines[["left", "top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    handles = [mpatches.Patch(color=NEGATIVE_SHADES[1], label="Negative"),
               mpatches.Patch(color=MIDDLE, label="Middle"),
               mpatches.Patch(color=POSITIVE_SHADES[1], label="Positive")]
    key_below(ax, handles=handles, ncol=1 if phone else 3)
    chart_titles(ax, title, "Share of answers to each question: negative to the left, positive to the right",
                 source="Source: the charity's feedback survey; blanks are left out")
    return fig, alt
