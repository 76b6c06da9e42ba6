"""The chart of matching a new list against the CRM: the new list's records by outcome.

Counts only (no personal data). The title is the finding, from the same figures as the Main points.
"""

from __future__ import annotations

from helpers.writing.charts import drawn_for_phones

#: The three outcomes as the bars name them (page, phone).
OUTCOME_NAMES = (("Matched to a CRM record", "Matched"), ("For a person to decide", "To decide"),
                 ("New to the CRM", "New"))


def outcome_finding(figures: dict) -> str:
    """The chart's title: what share of the new list matched a CRM record.

    Example:
        >>> outcome_finding({"new_list_records": 160, "already_in_crm": 71, "new": 85, "to_review": 4})
        '44% of the new list matched a CRM record; 53% is new to it'
        >>> outcome_finding({"new_list_records": 10, "already_in_crm": 0, "new": 10, "to_review": 0})
        'None of the new list matched a CRM record'
    """
    from helpers.writing.narrative import percent

    records, found, new = figures["new_list_records"], figures["already_in_crm"], figures["new"]
    if not found:
        return "None of the new list matched a CRM record"
    return f"{percent(found, records)} of the new list matched a CRM record; {percent(new, records)} is new to it"


def outcome_alt_text(figures: dict) -> str:
    """The chart's alt text, from the same figures."""
    return (f"Bar chart of the {figures['new_list_records']:,} records on the new list: "
            f"{figures['already_in_crm']:,} matched to a CRM record, {figures['to_review']:,} for a person to "
            f"decide and {figures['new']:,} new to the CRM.")


@drawn_for_phones
def outcome_chart(figures: dict):
    """Three labelled bars: matched to a CRM record, for a person to decide, new.

    Example:
        >>> fig = outcome_chart({"new_list_records": 160, "already_in_crm": 71, "new": 85, "to_review": 4})
        >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
        ['Matched to a CRM record', 'For a person to decide', 'New to the CRM']
    """
    from helpers.writing.charts import PALETTE, chart_titles, count_bars, new_chart, on_phone

    counts = [figures["already_in_crm"], figures["to_review"], figures["new"]]
    phone = on_phone()
    fig, ax = new_chart(8, 3.8 if phone else 4.4)
    names = [short if phone else long for long, short in OUTCOME_NAMES]
    count_bars(ax, names, counts, [PALETTE[0], PALETTE[1], PALETTE[2]], "Records on the new list", phone)
    chart_titles(ax, outcome_finding(figures), "Records on the new list, by what the kit found",
                 "Source: the kit's match of the new list against the CRM export")
    return fig
