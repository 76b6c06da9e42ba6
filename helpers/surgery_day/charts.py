"""The organiser's charts: requests by the kind of help they need, matched on the day or not; and after the
day, the charities helped by kind, answered the feedback form or not."""

from __future__ import annotations

from helpers.surgery_day.day import DayPlan
from helpers.surgery_day.triage import KINDS
from helpers.surgery_day.words import KIND_WORDS_IN_REPORT, commonest_kind, helped_by_kind, programme_chart_words
from helpers.writing.charts import (
    PALETTE, chart_titles, drawn_for_phones, key_below, main_finding, new_chart, on_phone,
)

#: Each kind's name on the chart: short enough to sit beside its bar on a phone.
SHORT_NAMES = {"capture": "Data capture", "crm": "CRM", "spreadsheets": "Spreadsheets", "analysis": "Analysis",
               "impact": "Impact", "open-data": "Open data", "other": "Other",
               "unknown": "Not in requests"}


@main_finding
@drawn_for_phones
def requests_chart(plan: DayPlan):
    """Horizontal bars of requests by kind, split into matched and not matched, the total at each bar's end.

    The title is the commonest need, the same fact as the Main points sentence.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.
    """
    matched = {s.charity for s in plan.sessions}
    kinds = [k for k in KINDS if any(t.kind == k for t in plan.triage)]
    done = [sum(1 for c, t in enumerate(plan.triage) if t.kind == k and c in matched) for k in kinds]
    left = [sum(1 for c, t in enumerate(plan.triage) if t.kind == k and c not in matched) for k in kinds]
    kind, count = commonest_kind(plan)
    fig, ax = new_chart(8, (2.2 if on_phone() else 0.9) + 0.45 * len(kinds))
    positions = list(range(len(kinds)))
    ax.barh(positions, done, color=PALETTE[0], label="Matched on the day")
    ax.barh(positions, left, left=done, color=PALETTE[1], label="Not matched yet")
    widest = max((a + b for a, b in zip(done, left)), default=1)
    for position, a, b in zip(positions, done, left):
        ax.text(a + b + widest * 0.02, position, f"{a + b}", va="center")
    ax.set_yticks(positions, [SHORT_NAMES[k] for k in kinds])
    ax.set_ylim(len(kinds) - 0.5, -0.5)
    ax.set_xlim(0, widest * 1.15)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    key_below(ax, ncol=1 if on_phone() else 2)  # a phone has no room for the key's two entries side by side
    title = f"The commonest need is {KIND_WORDS_IN_REPORT[kind]}: {count} of {len(plan.requests)} requests"
    chart_titles(ax, title, "Requests by the kind of help they need", source="Source: the request form's export")
    described = "; ".join(f"{KIND_WORDS_IN_REPORT[k]}: {a + b} ({a} matched)" for k, a, b in zip(kinds, done, left))
    return fig, f"Bar chart of requests by the kind of help they need, and how many were matched. {described}."


@main_finding
@drawn_for_phones
def programme_chart(programme):
    """Horizontal bars of charities helped by kind, split into answered the feedback form or not, the total at
    each bar's end. The title is the commonest challenge, the same fact as the Main points sentence.

    Returns:
        ``(figure, alt_text)`` for :func:`helpers.writing.charts.show_chart`.
    """
    counts = helped_by_kind(programme)
    kinds = list(counts)
    answered = programme.helped.groupby("kind")["answered"].sum()
    said = [int(answered[k]) for k in kinds]
    quiet = [counts[k] - a for k, a in zip(kinds, said)]
    fig, ax = new_chart(8, (2.2 if on_phone() else 0.9) + 0.45 * len(kinds))
    positions = list(range(len(kinds)))
    ax.barh(positions, said, color=PALETTE[0], label="Answered the feedback form")
    ax.barh(positions, quiet, left=said, color=PALETTE[1], label="Did not answer")
    widest = max(counts.values(), default=1)
    for position, kind in zip(positions, kinds):
        ax.text(counts[kind] + widest * 0.02, position, f"{counts[kind]}", va="center")
    ax.set_yticks(positions, [SHORT_NAMES.get(k, k) for k in kinds])
    ax.set_ylim(len(kinds) - 0.5, -0.5)
    ax.set_xlim(0, widest * 1.15)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    key_below(ax, ncol=1 if on_phone() else 2)
    title, alt = programme_chart_words(programme)
    chart_titles(ax, title, "Charities helped, by the kind of help they asked for",
                 source="Source: the sessions held, the request form and the feedback form")
    return fig, alt
