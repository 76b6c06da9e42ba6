"""Words and tables for scales of several measures (ONS4, MYCaW): each measure its own way round.

Every sentence says which way is better, so anxiety that fell reads as an
improvement and a MYCaW concern score that fell reads as one too. Counts of people
in bands and of concern categories are shown only where at least
:data:`~helpers.impact.statistics.MIN_GROUP_SIZE` stand behind them.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.impact.findings import improvement_claim, in_sentence, number, points
from helpers.impact.outcomes import ImpactResult, MeasureResult, measure_impact  # noqa: F401  (examples)
from helpers.impact.statistics import MIN_GROUP_SIZE
from helpers.writing.narrative import percent, plural


def change_in_words(m: MeasureResult) -> str:
    """The average change said the right way round: "fell by 1.1 points (better)".

    Example:
        >>> table = pd.DataFrame({"Anxious (start)": [7, 6, 8, 5], "Anxious (end)": [5, 5, 6, 5]})
        >>> change_in_words(measure_impact(table, scale="ons4").main)
        'fell by 1.25 points, an improvement (lower is better)'
    """
    change = m.figures["mean_change"]
    if not change:
        return "did not change on average"
    better = (change > 0) == (m.better == "higher")
    size = points(change, m.figures["decimals"])
    return (f"{'rose' if change > 0 else 'fell'} by {size}, {'an improvement' if better else 'a worsening'} "
            f"({m.better} is better)")


def measures_table(result: ImpactResult) -> pd.DataFrame:
    """One row per measure: people, averages, the change in words and its likely range.

    Example:
        >>> table = pd.DataFrame({"Happy (start)": [4, 5, 6, 3], "Happy (end)": [6, 6, 7, 5]})
        >>> measures_table(measure_impact(table, scale="ons4"))["Change"].tolist()
        ['rose by 1.5 points, an improvement (higher is better)']
    """
    rows = []
    for m in result.measures:
        f = m.figures
        digits = f["decimals"]
        likely = ("" if not math.isfinite(f["ci95_low"]) else
                  f"{number(f['ci95_low'], digits, signed=True)} to {number(f['ci95_high'], digits, signed=True)}")
        rows.append({"Measure": m.measure, "Better": m.better, "People": f"{f['n_pairs']:,}",
                     "Average at the start": number(f["mean_before"], digits),
                     "Average at the end": number(f["mean_after"], digits),
                     "Change": change_in_words(m), "Likely range of the change": likely})
    return pd.DataFrame(rows)


def _count(value) -> str:
    # A hidden count is under 5, or the one more hidden so that it cannot be worked out from the total.
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "hidden"
    return f"{int(value):,}"


def bands_table(m: MeasureResult) -> pd.DataFrame | None:
    """People in each ONS band at the start and the end (small counts hidden); ``None`` without bands.

    Example:
        >>> table = pd.DataFrame({"Life satisfaction (start)": [3] * 6 + [5] * 5,
        ...                       "Life satisfaction (end)": [7] * 6 + [9] * 5})
        >>> bands_table(measure_impact(table, scale="ons4").main)["At the start"].tolist()
        ['6', '5', '0', '0']
    """
    if m.bands is None:
        return None
    rows = []
    for row in m.bands.itertuples():
        rows.append({"Band": f"{row.band.capitalize()} ({row.low:g} to {row.high:g})",
                     "At the start": _count(row.start), "At the end": _count(row.end)})
    return pd.DataFrame(rows)


def bands_in_words(result: ImpactResult, m: MeasureResult) -> str:
    """How many people left the worst band (low, or high anxiety), and the UK average for context.

    Example:
        >>> table = pd.DataFrame({"Anxious (start)": [8] * 6 + [7] * 5, "Anxious (end)": [3] * 6 + [7] * 5})
        >>> bands_in_words(measure_impact(table, scale="ons4"), measure_impact(table, scale="ons4").main).split(". ")[0]
        'Of the 11 people whose anxiety score was high at the start, 6 (55%) were out of that band at the end'
    """
    if m.band_moves is None:
        return ""
    moves, item = m.band_moves, m.item
    band = moves["band"]
    if moves["started_in"] is None:
        text = (f"Fewer than {MIN_GROUP_SIZE} people had {in_sentence(m.measure)} in the {band} band at the start, "
                f"so how many left it is not shown.")
    elif not moves["shown"]:
        text = (f"{moves['started_in']:,} people had {in_sentence(m.measure)} in the {band} band at the start; how many "
                f"left it is not shown, because one of the two groups has fewer than {MIN_GROUP_SIZE} people.")
    else:
        text = (f"Of the {moves['started_in']:,} people whose {in_sentence(m.measure)} score was {band} at the start, "
                f"{moves['moved_out']:,} ({percent(moves['moved_out'], moves['started_in'])}) were out of that "
                f"band at the end.")
    if item is not None and item.national_mean is not None:
        text += (f" For context, the UK average was {item.national_mean:g} in April 2022 to March 2023; these "
                 f"people started at {number(m.figures['mean_before'], m.figures['decimals'])} and ended at "
                 f"{number(m.figures['mean_after'], m.figures['decimals'])}.")
    return text


def categories_table(result: ImpactResult) -> pd.DataFrame | None:
    """Concerns per category the file already holds (small categories hidden); ``None`` without categories."""
    if result.categories is None:
        return None
    return pd.DataFrame({"Kind of concern": result.categories["category"],
                         "Concerns": [f"{n:,}" for n in result.categories["concerns"]]})


def categories_in_words(result: ImpactResult) -> str:
    """Say what the categories table counts and what it leaves out."""
    hidden = result.categories_hidden
    columns = result.collected.category_columns
    text = (f"Each concern is counted by the category already recorded in the file "
            f"({plural(len(columns), 'column')}); what people wrote in their own words is never shown.")
    if hidden["hidden"]:
        text += (f" {plural(hidden['hidden'], 'category', 'categories')} with fewer than {MIN_GROUP_SIZE} "
                 f"concerns (or needed to keep one hidden) {'is' if hidden['hidden'] == 1 else 'are'} not shown.")
    return text


def scale_in_words(result: ImpactResult) -> str:
    """Where the scale comes from, its terms of use, and where its thresholds come from."""
    scale = result.collected.scale
    if not scale.items:
        return ""
    text = f"The measures are {scale.source}. {scale.licence}"
    if scale.national_source:
        text += (f" National averages: {scale.national_source}. Local-authority averages are published too but "
                 f"are not included with the kit.")
    thresholds = {m.threshold_source for m in result.measures if m.threshold_rule == "published"}
    for source in sorted(thresholds):
        text += f" The line for a change in one person's score is {source}."
    if any(m.item is not None and m.item.key == "profile" for m in result.measures):
        from helpers.impact.mycaw import PROFILE_SOURCE

        text += f" The MYCaW profile score is {PROFILE_SOURCE}."
    return text


def others_improved_in_words(result: ImpactResult) -> str:
    """How many improved on each measure after the first, each in the words its own threshold licenses.

    Example:
        >>> table = pd.DataFrame({"Happy (start)": [4, 5, 6, 3], "Happy (end)": [6, 6, 7, 5],
        ...                       "Anxious (start)": [7, 6, 8, 5], "Anxious (end)": [5, 5, 6, 5]})
        >>> others_improved_in_words(measure_impact(table, scale="ons4"))
        'Anxiety: 3 of 4 people improved.'
    """
    return " ".join(f"{m.measure}: {improvement_claim(m).sentence}" for m in result.measures[1:])
