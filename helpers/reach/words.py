"""The report's sentences for who-we-reach, written from the findings (:mod:`helpers.reach.findings`).

Every conclusion is a :class:`~helpers.writing.claims.Claim` built here from one computed value:
the Main points, the chart's title, subtitle and alt text, and ``summary.json``'s ``claims`` are
all rendered from it, so they cannot disagree. A sentence holds plain text (council and route
names included); the notebook passes it through ``md_text`` before ``say``.
"""

from __future__ import annotations

import pandas as pd

from helpers.reach.accuracy import FEWEST_TESTED, GOOD_ENOUGH, CouncilAccuracy, national_accuracy
from helpers.reach.analysis import Reach, status_counts
from helpers.reach.findings import (ABOUT_THE_SAME, GROUP_DIFFERS, NO_RESIDENTS, TOO_FEW, YEAR_FELL, YEAR_ROSE,
                                    GroupGap, Representation)
from helpers.reach.profile import HIDE_BELOW, shown_count, shown_share
from helpers.writing.claims import Claim
from helpers.writing.narrative import plural

#: How a volunteer gets exact neighbourhoods, in one line (no web address: the report carries none).
DIRECTORY_HINT = ("download the ONS Postcode Directory once from the ONS Open Geography portal (search for "
                  "'ONS Postcode Directory') and run: surgery data add FILE")

REPRESENTATION_RULE = (
    "Clients who live in the served area are compared with its residents. Residents are mid-2015 estimates, so "
    "the comparison is population-weighted. The 20% most deprived neighbourhoods are deciles 1 and 2 of the "
    "English Indices of Deprivation 2019. Clients are said to come from them less or more often than residents "
    "only when the residents' share lies outside the clients' 95% Wilson interval. Nothing is concluded on "
    "fewer than 10 clients. Clients who live outside the served area are counted apart."
)
GROUP_RULE = (
    "Routes are compared on clients who live in the served area. Groups of fewer than 10, and 'not recorded', "
    "are left out. The groups with the highest and lowest shares in the most deprived 20% are called different "
    "only when the 95% interval of their difference leaves out zero. That interval is Newcombe's hybrid score "
    "interval, widened for the number of pairs the two were picked from (Bonferroni)."
)
YEAR_RULE = (
    "Years are compared the same way: the first and the last year with 10 or more clients, with no widening."
)


def possessive(name: str) -> str:
    """A place's name with its possessive ending.

    Example:
        >>> possessive("Hackney"), possessive("Tower Hamlets")
        ("Hackney's", "Tower Hamlets'")
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def share_words(fraction: float | None) -> str:
    """A fraction as a whole percentage in words.

    Example:
        >>> share_words(0.394), share_words(0.004), share_words(0.0), share_words(None)
        ('39%', 'under 1%', 'none', 'too few to say')
    """
    if fraction is None:
        return "too few to say"
    return shown_share(round(fraction * 100_000), 100_000)


def percents(*fractions: float) -> list[str]:
    """Percentages that keep apart what differs: whole numbers, or one decimal when two would collide.

    A residents' share of 34.4% and an interval bound of 34.2% both read "34%" in whole numbers,
    which would print the share on the bound of an interval that, unrounded, leaves it out; one
    decimal keeps them apart.

    Example:
        >>> percents(0.43, 0.37, 0.49)
        ['43%', '37%', '49%']
        >>> percents(0.344, 0.342, 0.41)
        ['34.4%', '34.2%', '41.0%']
    """
    values = [100 * value for value in fractions]
    whole = [f"{value:.0f}" for value in values]
    collide = any(whole[i] == whole[j] and abs(values[i] - values[j]) > 1e-9
                  for i in range(len(values)) for j in range(i + 1, len(values)))
    digits = 1 if collide else 0
    return [f"{value:.{digits}f}%" for value in values]


def _percent_number(text: str) -> float:
    return float(text.rstrip("%"))


def representation_claim(found: Representation) -> Claim:
    """The report's finding on the most deprived neighbourhoods, as a claim.

    Example:
        >>> found = Representation("Hackney", 200, 70, 0.34, 50, 250, "about_the_same")
        >>> claim = representation_claim(found)
        >>> claim.decision, "about as often" in claim.sentence, "under-represented" in claim.sentence
        ('about_the_same', True, False)
        >>> representation_claim(Representation("Hackney", 200, 40, 0.34, 0, 200, "below")).sentence[:60]
        'The most deprived neighbourhoods are under-represented among'
    """
    area = found.area_name
    numbers = {"clients_in_area": found.clients_in_area, "in_most_deprived": found.in_most_deprived,
               "resident_share": found.resident_share, "clients_outside_area": found.clients_outside,
               "clients_placed": found.clients_placed}
    if found.decision == NO_RESIDENTS:
        sentence = (f"None of {area} is in England, so its residents cannot be compared on the English index "
                    "of deprivation.")
        return Claim("most_deprived_representation", NO_RESIDENTS, sentence, numbers, REPRESENTATION_RULE)
    if found.decision == TOO_FEW:
        if found.resident_share is not None:
            numbers["resident_share_percent"] = _percent_number(percents(found.resident_share)[0])
        sentence = (f"Too few clients who live in {area} have a known neighbourhood "
                    f"({shown_count(found.clients_in_area)}) to compare them with its residents.")
        return Claim("most_deprived_representation", TOO_FEW, sentence, numbers, REPRESENTATION_RULE)
    low, high = found.interval
    ours, lowest, highest, theirs = percents(found.share, low, high, found.resident_share)
    numbers.update(share=found.share, interval_low=low, interval_high=high, share_percent=_percent_number(ours),
                   resident_share_percent=_percent_number(theirs))
    chance = f"(allowing for chance, between {lowest} and {highest})"
    if found.decision == ABOUT_THE_SAME:
        sentence = (f"Your clients who live in {area} come from England's 20% most deprived neighbourhoods about "
                    f"as often as its residents do: {ours} {chance}, against {theirs} of residents.")
    else:
        word = "under-represented" if found.decision == "below" else "over-represented"
        sentence = (f"The most deprived neighbourhoods are {word} among your clients: {ours} of clients who live "
                    f"in {area} live in England's 20% most deprived neighbourhoods {chance}, against {theirs} "
                    "of its residents.")
    return Claim("most_deprived_representation", found.decision, sentence, numbers, REPRESENTATION_RULE)


def outside_sentence(found: Representation) -> str:
    """How many clients live outside the served area, said separately from the comparison.

    Example:
        >>> print(outside_sentence(Representation("Hackney", 200, 70, 0.34, 50, 250, "about_the_same")))  # doctest: +NORMALIZE_WHITESPACE
        50 of the 250 clients whose postcode was placed live outside Hackney: they are not in the comparison
        with its residents.
        >>> outside_sentence(Representation("Hackney", 20, 7, 0.34, 0, 20, "about_the_same"))
        'All 20 clients whose postcode was placed live in Hackney.'
    """
    if found.clients_placed == 0:
        return "No client's postcode could be placed, so no one is counted inside or outside the area."
    if found.clients_outside == 0:
        return f"All {found.clients_placed:,} clients whose postcode was placed live in {found.area_name}."
    return (f"{shown_count(found.clients_outside)} of the {found.clients_placed:,} clients whose postcode was "
            f"placed live outside {found.area_name}: they are not in the comparison with its residents.")


def chart_words(found: Representation) -> tuple[str, str, str]:
    """The profile chart's title, subtitle and alt text, from the same finding as the sentence.

    Example:
        >>> title, subtitle, alt = chart_words(Representation("Hackney", 200, 40, 0.34, 5, 205, "below"))
        >>> title
        'The most deprived neighbourhoods are under-represented among clients in Hackney'
        >>> "20%" in alt and "34%" in alt
        True
    """
    area = found.area_name
    titles = {
        "below": f"The most deprived neighbourhoods are under-represented among clients in {area}",
        "above": f"The most deprived neighbourhoods are over-represented among clients in {area}",
        ABOUT_THE_SAME: f"Clients in {area} come from the most deprived neighbourhoods about as often as residents",
    }
    title = titles.get(found.decision, f"Clients and residents of {area} by deprivation decile")
    subtitle = (f"Share of the {found.clients_in_area:,} clients living in {area} and of its residents, "
                "by deprivation decile (%)")
    alt = (f"Bar chart of the share of the {found.clients_in_area:,} clients who live in {area} and of its "
           "residents in each of the ten deprivation deciles, from most to least deprived. ")
    if found.share is not None and found.resident_share is not None:
        low, high = found.interval
        ours, lowest, highest, theirs = percents(found.share, low, high, found.resident_share)
        verdict = {"below": "under-represented", "above": "over-represented"}.get(found.decision)
        alt += (f"{ours} of these clients (allowing for chance, {lowest} to {highest}) and {theirs} of residents "
                "live in the 20% most deprived neighbourhoods: "
                + (f"the most deprived neighbourhoods are {verdict}. " if verdict else "about the same. "))
    alt += outside_sentence(found)
    return title, subtitle, alt


def main_points(reach: Reach, who: str) -> tuple[list[tuple[str, str]], list[str], Claim]:
    """The Main points box: figures, sentences and the claim they come from.

    Returns:
        ``(figures, sentences, claim)``.
    """
    found = reach.represented
    claim = representation_claim(found)
    area = found.area_name
    # The big figures are the claim's own numbers, as its sentence prints them.
    shown = {key: f"{claim.numbers[key]:g}%" for key in ("share_percent", "resident_share_percent")
             if key in claim.numbers}
    ours = shown.get("share_percent", share_words(found.share))
    theirs = shown.get("resident_share_percent", share_words(found.resident_share))
    figures = [(ours, f"of your clients who live in {area} live in England's 20% most deprived neighbourhoods"),
               (theirs, f"of {possessive(area)} residents do"),
               (f"{found.clients_outside:,}" if found.clients_outside == 0 else shown_count(found.clients_outside),
                f"clients live outside {area}")]
    counts = status_counts(reach)
    records = int(counts.sum())
    usable = int(counts["located"] + counts["outside England"])
    sentences = [claim.sentence, outside_sentence(found),
                 f"{who} has {plural(records, 'record')}; {usable:,} have a postcode the kit could place "
                 f"({share_words(usable / records if records else None)}).",
                 "A neighbourhood's deprivation describes the area, not each person who lives there."]
    return figures, sentences, claim


def _pair_shares(gap: GroupGap) -> list[str]:
    (_, top_most, top_n), (_, bottom_most, bottom_n) = gap.high, gap.low
    return percents(top_most / top_n, bottom_most / bottom_n)


def group_claim(gap: GroupGap, what: str = "referral route") -> Claim:
    """Whether the routes (or services) differ, as a claim: "brings more" only beyond noise.

    Example:
        >>> from helpers.reach.findings import compare_groups
        >>> counts = pd.DataFrame({"group": ["Food", "Befriending"], "people": [100, 100], "most": [36, 31]})
        >>> print(group_claim(compare_groups(counts)).sentence)  # doctest: +NORMALIZE_WHITESPACE
        The share from the most deprived neighbourhoods is about the same whichever the referral route:
        'Food' (36%) and 'Befriending' (31%) differ by no more than chance would give.
    """
    if gap.decision == TOO_FEW:
        sentence = (f"Fewer than two {what}s have 10 or more clients living in the area, so they are not "
                    "compared.")
        return Claim("route_difference", TOO_FEW, sentence, {}, GROUP_RULE)
    (top, top_most, top_n), (bottom, bottom_most, bottom_n) = gap.high, gap.low
    top_share, bottom_share = _pair_shares(gap)
    numbers = {"high_group_clients": top_n, "high_group_most_deprived": top_most, "low_group_clients": bottom_n,
               "low_group_most_deprived": bottom_most, "pairs": gap.comparisons}
    if gap.decision == GROUP_DIFFERS:
        sentence = (f"'{top}' ({top_share}) brings more people from the most deprived neighbourhoods than "
                    f"'{bottom}' ({bottom_share}), by more than chance alone would give.")
    else:
        sentence = (f"The share from the most deprived neighbourhoods is about the same whichever the {what}: "
                    f"'{top}' ({top_share}) and '{bottom}' ({bottom_share}) differ by no more than chance "
                    "would give.")
    return Claim("route_difference", gap.decision, sentence, numbers, GROUP_RULE)


def year_claim(gap: GroupGap) -> Claim:
    """Whether the share changed between the first and last year, as a claim.

    Example:
        >>> from helpers.reach.findings import compare_years
        >>> counts = pd.DataFrame({"group": ["2023", "2025"], "people": [200, 200], "most": [60, 100]})
        >>> year_claim(compare_years(counts)).sentence
        'The share of clients from the most deprived neighbourhoods rose from 30% in 2023 to 50% in 2025.'
    """
    if gap.decision == TOO_FEW:
        return Claim("year_change", TOO_FEW, "Fewer than two years have 10 or more clients living in the area, "
                     "so years are not compared.", {}, YEAR_RULE)
    (last, last_most, last_n), (first, first_most, first_n) = gap.high, gap.low
    before, after = percents(first_most / first_n, last_most / last_n)
    numbers = {"first_year": int(first), "first_year_clients": first_n, "first_year_most_deprived": first_most,
               "last_year": int(last), "last_year_clients": last_n, "last_year_most_deprived": last_most}
    if gap.decision in (YEAR_ROSE, YEAR_FELL):
        verb = "rose" if gap.decision == YEAR_ROSE else "fell"
        sentence = (f"The share of clients from the most deprived neighbourhoods {verb} from {before} in {first} "
                    f"to {after} in {last}.")
    else:
        sentence = (f"The share of clients from the most deprived neighbourhoods was about the same in {last} "
                    f"({after}) as in {first} ({before}): the change is no more than chance would give.")
    return Claim("year_change", gap.decision, sentence, numbers, YEAR_RULE)


def accuracy_table(accuracies: list[CouncilAccuracy], limit: int = 10) -> pd.DataFrame:
    """How often the estimate is right in each council where clients live, as the report shows it.

    Example:
        >>> from helpers.reach.accuracy import council_accuracy
        >>> accuracy_table([council_accuracy("E09000012")]).iloc[0].tolist()
        ['Hackney', '273', '80%', '86%']
    """
    rows = [{"Local authority": found.name,
             "Postcodes tested": f"{found.tested:,}",
             "Right neighbourhood": share_words(found.right_lsoa) if found.tested else "not measured",
             "Right decile": share_words(found.right_decile) if found.tested else "not measured"}
            for found in accuracies[:limit]]
    return pd.DataFrame(rows, columns=["Local authority", "Postcodes tested", "Right neighbourhood", "Right decile"])


def accuracy_claim(accuracies: list[CouncilAccuracy], level: str) -> Claim:
    """What the report says about how exact the neighbourhoods are, for the councils clients live in.

    Example:
        >>> from helpers.reach.accuracy import council_accuracy
        >>> accuracy_claim([council_accuracy("E09000012")], "nearest").decision
        'good_enough'
        >>> accuracy_claim([council_accuracy("E07000124")], "nearest").decision
        'add_directory'
    """
    national = national_accuracy()
    rule = (f"Measured by looking up {national.tested:,} English postcodes of a published ONS Postcode "
            "Directory sample as the kit does and comparing with the directory's own neighbourhood (LSOA); "
            f"the kit recommends exact neighbourhoods where under {GOOD_ENOUGH:.0%} were right, or where "
            f"fewer than {FEWEST_TESTED} postcodes were tested.")
    if level == "exact":
        return Claim("neighbourhood_accuracy", "exact", "Each postcode's neighbourhood was read from the ONS "
                     "Postcode Directory added to this computer, so it is exact.", {}, rule)
    weak = [found for found in accuracies if found.needs_directory]
    numbers = {found.code: {"tested": found.tested, "right_lsoa": found.right_lsoa,
                            "right_decile": found.right_decile} for found in accuracies}
    national_text = share_words(national.right_lsoa)
    if not accuracies:
        return Claim("neighbourhood_accuracy", "not_measured", "No client lives in an English council, so the "
                     "neighbourhood estimate's accuracy does not apply.", numbers, rule)
    if weak:
        names = [found.name for found in weak]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        unmeasured = any(found.tested < FEWEST_TESTED for found in weak)
        sentence = (f"Neighbourhoods were estimated from each postcode's position. In {listed} that gives the "
                    f"right neighbourhood for under {GOOD_ENOUGH:.0%} of postcodes"
                    + (" (or too few were tested to say)" if unmeasured else "")
                    + f", against {national_text} for England: for exact neighbourhoods, {DIRECTORY_HINT}.")
        return Claim("neighbourhood_accuracy", "add_directory", sentence, numbers, rule)
    sentence = (f"Neighbourhoods were estimated from each postcode's position; in every council where 5 or more "
                f"clients live that gives the right neighbourhood for at least {GOOD_ENOUGH:.0%} of postcodes "
                f"(England: {national_text}).")
    return Claim("neighbourhood_accuracy", "good_enough", sentence, numbers, rule)


def status_table(reach: Reach) -> pd.DataFrame:
    """What happened to each record's postcode, in words, small counts hidden."""
    meaning = {
        "located": "found, in England",
        "outside England": "found, but outside England (no English index)",
        "terminated": "no longer in use",
        "not found": "the right shape, but not in the postcode directory",
        "not a UK postcode": "not a UK postcode",
        "blank": "blank or 'not known'",
    }
    counts = status_counts(reach)
    rows = [{"Postcode": meaning[status], "Records": shown_count(int(n)) if n else "none"}
            for status, n in counts.items()]
    return pd.DataFrame(rows)


def next_steps(reach: Reach, route: GroupGap | None, accuracy: Claim | None) -> list[str]:
    """Practical actions from the findings (each conclusion from its claim's decision)."""
    if reach.clients.empty:
        return ["Check that the postcode column holds clients' home postcodes, typed in full (such as E8 1DY): "
                "the file reach.csv says what was wrong with each row.",
                "Then run this playbook again on the corrected list."]
    steps = []
    if reach.represented.decision == "below":
        steps.append("Plan outreach in the most deprived neighbourhoods first: the map and the areas file "
                     "(areas.csv) show where they are and how many clients you already have there.")
    else:
        steps.append("Check the neighbourhoods with many residents but few clients in the areas file (areas.csv): "
                     "they are where more people could be reached.")
    if route is not None and route.decision == GROUP_DIFFERS:
        top_share, bottom_share = _pair_shares(route)
        steps.append(f"Ask why '{route.high[0]}' ({top_share}) brings more people from the most deprived "
                     f"neighbourhoods than '{route.low[0]}' ({bottom_share}), and whether the other routes could "
                     "learn from it.")
    if accuracy is not None and accuracy.decision == "add_directory":
        steps.append(f"For exact neighbourhoods, {DIRECTORY_HINT}. Then run this playbook again.")
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
