"""The monitoring report's chart: people reached in each period, new and returning, labelled directly."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.monitoring.counts import PeriodCounts
from helpers.monitoring.log import ActivityLog
from helpers.monitoring.suppression import count_in_words
from helpers.monitoring.words import chart_words, shown_totals
from helpers.writing.charts import PALETTE, chart_titles, drawn_for_phones, key_below, main_finding, new_chart, on_phone

NEW, RETURNING, WHOLE = PALETTE[0], PALETTE[1], "#8a8a8a"
#: The most periods the chart shows (the latest ones): twelve months read; sixty do not.
MOST_PERIODS = 12


@main_finding
@drawn_for_phones
def people_chart(counts: PeriodCounts, log: ActivityLog, compare_previous: bool = True):
    """Bars of people reached per period, split into new and returning where both are shown.

    A part period is drawn lighter and labelled "so far"; a period of fewer than 5 people draws no
    bar and says so. Title and alt text come from :func:`helpers.monitoring.words.chart_words`.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.
    """
    totals = shown_totals(counts).loc[log.periods[-MOST_PERIODS:]]
    title, alt = chart_words(counts, log, compare_previous)
    fig, ax = new_chart(8, 4.2)
    x = np.arange(len(totals))
    highest = float(np.nanmax(totals["people"].to_numpy(dtype=float))) if totals["people"].notna().any() else 1.0
    for i, (period, row) in enumerate(totals.iterrows()):
        alpha = 1.0 if log.whole[period] else 0.45
        if pd.isna(row["people"]):
            ax.text(i, highest * 0.02, "fewer\nthan 5", ha="center", va="bottom", fontsize=9, color="#444444")
            continue
        if pd.notna(row["new_people"]) and pd.notna(row["returning_people"]):
            ax.bar(i, row["returning_people"], color=RETURNING, alpha=alpha, width=0.7,
                   label="Came back before" if i == 0 else None)
            ax.bar(i, row["new_people"], bottom=row["returning_people"], color=NEW, alpha=alpha, width=0.7,
                   label="New" if i == 0 else None)
        else:
            ax.bar(i, row["people"], color=WHOLE, alpha=alpha, width=0.7)
        label = count_in_words(row["people"]) + ("" if log.whole[period] else "\nso far")
        ax.text(i, row["people"] + highest * 0.02, label, ha="center", va="bottom", fontsize=10)
    # A phone has room for about three labels side by side: beyond that each goes on two lines ("2025-\n26").
    names = [p.replace("-", "-\n", 1) if on_phone() and len(x) > 3 else p for p in totals.index]
    upright = len(x) <= (6 if on_phone() else 8)
    ax.set_xticks(x, names, rotation=0 if upright else 45, ha="center" if upright else "right")
    ax.set_ylim(0, highest * 1.25)
    ax.set_ylabel("People")
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    handles = [h for h in ax.get_legend_handles_labels()[0]]
    if handles:
        key_below(ax, ncol=1 if on_phone() else 2)
    chart_titles(ax, title, "People reached each period: each person counted once a period",
                 source="Source: the charity's activity log; counts of fewer than 5 people are not shown")
    return fig, alt
