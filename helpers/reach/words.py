"""The report's sentences for who-we-reach, written from the numbers."""

from __future__ import annotations

import pandas as pd

from helpers.reach.analysis import Reach, status_counts
from helpers.reach.profile import HIDE_BELOW, RATE_FROM, shown_count, shown_share
from helpers.writing.narrative import plural


def share_words(fraction: float | None) -> str:
    """A fraction as a whole percentage in words.

    Example:
        >>> share_words(0.394), share_words(0.004), share_words(0.0), share_words(None)
        ('39%', 'under 1%', 'none', 'too few to say')
    """
    if fraction is None:
        return "too few to say"
    return shown_share(round(fraction * 100_000), 100_000)


def headline(reach: Reach) -> str:
    """The one-sentence finding, or why it cannot be given.

    Example:
        >>> from helpers.reach.analysis import analyse
        >>> frame = pd.DataFrame({"Postcode": ["E8 1DY"] * 12})
        >>> headline(analyse(frame, "Postcode")).startswith("None of your clients")
        True
    """
    with_decile = int(reach.profile["clients"].sum())
    if with_decile < RATE_FROM or reach.resident_share is None:
        return (f"Too few clients live in England ({shown_count(with_decile)}) to compare them with "
                "the index of deprivation.")
    ours = share_words(reach.client_share)
    opening = "All" if reach.client_share == 1 else ours[0].upper() + ours[1:]
    return (f"{opening} of your clients live in the 20% most deprived neighbourhoods in England, against "
            f"{share_words(reach.resident_share)} of {reach.area_name}'s residents.")


def comparison(reach: Reach) -> str:
    """Whether clients come more or less from the most deprived areas than residents do.

    Example:
        >>> class R: client_share, resident_share = 0.40, 0.34
        >>> comparison(R())
        'more'
    """
    if reach.client_share is None or reach.resident_share is None:
        return "unknown"
    gap = reach.client_share - reach.resident_share
    if abs(gap) < 0.03:
        return "about the same"
    return "more" if gap > 0 else "less"


def main_point_sentences(reach: Reach, who: str) -> list[str]:
    """Three to five sentences for the Main points box."""
    counts = status_counts(reach)
    records = int(counts.sum())
    usable = int(counts["located"] + counts["outside England"])
    sentences = [headline(reach)]
    side = comparison(reach)
    if side == "more":
        sentences.append("So you reach the most deprived neighbourhoods more than their share of the population.")
    elif side == "less":
        sentences.append("So the most deprived neighbourhoods are under-represented among your clients.")
    elif side == "about the same":
        sentences.append("So your clients come from the most deprived neighbourhoods about in line with the population.")
    sentences.append(f"{who} has {plural(records, 'record')}; {usable:,} have a postcode the kit could place "
                     f"({share_words(usable / records if records else None)}).")
    rates = reach.profile[reach.profile["clients_in_area"] >= RATE_FROM]
    if len(rates) >= 2 and rates["residents"].gt(0).all():
        best, worst = rates["per_1000"].idxmax(), rates["per_1000"].idxmin()
        sentences.append(f"You reach most people per head in decile {best} and fewest in decile {worst} "
                         "(1 is the most deprived).")
    sentences.append("A neighbourhood's deprivation describes the area, not each person who lives there.")
    return sentences[:5]


def status_table(reach: Reach) -> pd.DataFrame:
    """What happened to each record's postcode, in words, small counts hidden."""
    meaning = {
        "located": "found, in England",
        "outside England": "found, but outside England (no English index)",
        "terminated": "no longer in use",
        "not found": "the right shape, but not in the postcode directory",
        "not a UK postcode": "not a UK postcode",
        "blank": "blank",
    }
    counts = status_counts(reach)
    rows = [{"Postcode": meaning[status], "Records": shown_count(int(n)) if n else "none"}
            for status, n in counts.items()]
    return pd.DataFrame(rows)


def next_steps(reach: Reach, group_table: pd.DataFrame | None) -> list[str]:
    """Practical actions from the findings."""
    if reach.clients.empty:
        return ["Check that the postcode column holds clients' home postcodes, typed in full (such as E8 1DY): "
                "the file reach.csv says what was wrong with each row.",
                "Then run this playbook again on the corrected list."]
    steps = []
    side = comparison(reach)
    if side == "less":
        steps.append("Plan outreach in the most deprived neighbourhoods first: the map and the areas file "
                     "(areas.csv) show where they are and how many clients you already have there.")
    else:
        steps.append("Keep the referral routes that reach the most deprived neighbourhoods, and check the "
                     "neighbourhoods with many residents but few clients in the areas file (areas.csv).")
    if group_table is not None and len(group_table):
        shown = group_table[~group_table.iloc[:, 2].isin(["too few to say", "none"])]
        if len(shown) >= 2:
            values = shown.iloc[:, 2].str.rstrip("%").str.replace("under 1", "0").astype(float)
            best = shown.iloc[int(values.to_numpy().argmax()), 0]
            low = shown.iloc[int(values.to_numpy().argmin()), 0]
            steps.append(f"Ask why '{best}' brings more people from the most deprived neighbourhoods than "
                         f"'{low}', and whether the other routes could learn from it.")
    counts = status_counts(reach)
    fixable = int(counts["blank"] + counts["not a UK postcode"] + counts["not found"])
    if fixable >= HIDE_BELOW:
        steps.append(f"Fix or fill in the {fixable:,} postcodes that could not be placed: the file reach.csv "
                     "lists each row and what was wrong.")
    steps.append("Use the headline figure in funding bids, with the index and year it comes from, and run "
                 "this again next year to see if the mix changes.")
    return steps


def council_table(reach: Reach, limit: int = 10) -> tuple[pd.DataFrame, int]:
    """Clients by local authority, largest first, councils with fewer than 5 clients left out.

    Returns:
        The table and how many councils were left out.
    """
    by_council = reach.clients["local_authority"].replace("", "not known").value_counts()
    rows = [{"Local authority": name, "Clients": shown_count(n), "Share": share_words(n / len(reach.clients))}
            for name, n in by_council.items() if n >= HIDE_BELOW]
    return pd.DataFrame(rows[:limit]), int(by_council.size - min(len(rows), limit))


def rate_table(reach: Reach) -> pd.DataFrame:
    """Clients per 1,000 residents in each served local authority, small numbers handled."""
    from helpers.reach.profile import areas_table, shown_rate

    councils = areas_table(reach.clients, reach.areas)
    rows = []
    for code in reach.areas:
        clients = int((reach.clients["local_authority_code"] == code).sum())
        residents = councils.loc[councils["area_code"] == code, "residents"].iloc[0]
        rows.append({
            "Local authority": councils.loc[councils["area_code"] == code, "area"].iloc[0],
            "Clients": shown_count(clients),
            "Residents": "not known" if pd.isna(residents) else f"{int(residents):,}",
            "Clients per 1,000 residents": shown_rate(clients, None if pd.isna(residents) else int(residents)),
        })
    return pd.DataFrame(rows)
