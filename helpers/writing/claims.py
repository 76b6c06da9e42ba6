"""Conclusions as facts: each word a report concludes with is drawn once, by a rule, with its numbers.

A report's conclusion words ("under-represented", "busiest", "improved by a meaningful amount",
"copies", "no personal data") are where a trustee trusts it or stops trusting it. Each is decided
here or in a method's own rule as a :class:`Claim`: the decision the rule reached, the numbers it
reached it from, and the rule in words. The Main points, the sentence, the chart's title, the alt
text and ``summary.json``'s ``claims`` list are all rendered from that one value, so they cannot
disagree, and a rule's test can give it the data where the word must *not* appear.

The shared rules live here too: :func:`wilson_interval` (a share's 95% interval that behaves at 0,
at 100% and on a handful of people) and :func:`compare_share` (a share against a reference,
called different only when the reference lies outside the share's interval).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: The normal quantile for a two-sided 95% interval.
Z95 = 1.959963984540054

#: Conclusion phrases a report may print only when a claim in its ``summary.json`` reached the
#: decision beside it. ``tests/test_outside_files.py`` reads every report on files the kit did not
#: generate and fails when a phrase appears without its decision. Add a phrase here with the rule
#: that licenses it; a method's words module uses the same decision name when it builds the claim.
CONCLUSION_WORDS = {
    "under-represented": "below",
    "over-represented": "above",
    "busiest week": "busiest_week",
    "improved by a meaningful amount": "meaningful_improvement",
    "without a jump": "no_jump",
    "near copies": "near_copies",
    "exact copies": "exact_copies",
    "no personal data": "no_personal_data",
    "more positive than everyone else": "more_positive",
    "less positive than everyone else": "less_positive",
    # who-we-reach: a referral route or a year differs by more than noise (compare_two_shares).
    "brings more people from the most deprived neighbourhoods": "group_differs",
    "most deprived neighbourhoods rose": "year_rose",
    "most deprived neighbourhoods fell": "year_fell",
    # deduplicate-contacts: extra copies of a person, only when at least one group was found.
    "extra copies": "copies",
    # match-to-crm: a new record found in the CRM, only when at least one was.
    "already in the CRM": "in_crm",
}

#: The decisions :func:`compare_share` can reach.
BELOW, ABOUT_THE_SAME, ABOVE, TOO_FEW = "below", "about_the_same", "above", "too_few"


@dataclass(frozen=True)
class Claim:
    """One conclusion a report draws, or declines to draw, and why.

    Attributes:
        key: A stable name for the conclusion ("most_deprived_representation").
        decision: What the rule decided ("below", "about_the_same", "busiest_week", "none"...).
            Words are chosen from the decision, never the other way round.
        sentence: The sentence the report prints for it (plain text, as the charity reads it).
        numbers: The figures the rule used (plain numbers or short strings; no personal data).
        rule: The rule in words, as a funder's analyst would check it.

    Example:
        >>> c = Claim("busiest_week", "none", "Demand is about level over the next 12 weeks.",
        ...           {"top": 201, "next": 200}, "A week is named only if it beats the next by more than their ranges overlap.")
        >>> c.as_json()["decision"]
        'none'
    """

    key: str
    decision: str
    sentence: str
    numbers: dict = field(default_factory=dict)
    rule: str = ""

    def as_json(self) -> dict:
        """The claim as ``summary.json`` holds it under ``claims``."""
        from helpers.writing.playbook import to_jsonable

        return {
            "key": self.key,
            "decision": self.decision,
            "sentence": self.sentence,
            "numbers": to_jsonable(dict(self.numbers)),
            "rule": self.rule,
        }


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a share (95% by default), as two fractions.

    Unlike the textbook interval it never runs below 0 or above 1 and stays honest on a few
    people, which is the size of most charities' groups.

    Args:
        successes: How many of the ``trials`` have the feature (for example clients in the most
            deprived fifth of neighbourhoods).
        trials: How many there are in all; 0 gives the whole range (0.0, 1.0).
        z: The normal quantile (1.96 for 95%).

    Example:
        >>> low, high = wilson_interval(9, 10)
        >>> round(low, 3), round(high, 3)
        (0.596, 0.982)
        >>> wilson_interval(0, 0)
        (0.0, 1.0)
    """
    if trials <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= trials:
        raise ValueError(f"successes ({successes}) must lie between 0 and trials ({trials})")
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    # At 0 and at all the bound is exact; rounding must not leave the share outside its interval.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


def compare_share(successes: int, trials: int, reference: float, fewest: int = 10) -> str:
    """Whether a share is below, about the same as, or above a reference share.

    The rule: the share is called different only when the reference lies outside the share's
    95% Wilson interval; under ``fewest`` people nothing is concluded at all.

    Args:
        successes: How many have the feature.
        trials: How many there are.
        reference: The share to compare with, as a fraction (for example the residents' share).
        fewest: The fewest people to conclude anything from.

    Returns:
        One of ``"below"``, ``"about_the_same"``, ``"above"`` or ``"too_few"``.

    Example:
        >>> compare_share(20, 100, 0.21)
        'about_the_same'
        >>> compare_share(20, 100, 0.40)
        'below'
        >>> compare_share(3, 5, 0.1)
        'too_few'
    """
    if trials < fewest:
        return TOO_FEW
    low, high = wilson_interval(successes, trials)
    if reference < low:
        return ABOVE
    if reference > high:
        return BELOW
    return ABOUT_THE_SAME


def claims_json(claims) -> list[dict]:
    """The ``claims`` list for ``summary.json``, in the order the report draws them.

    Example:
        >>> claims_json([Claim("k", "none", "Nothing to say.")])[0]["key"]
        'k'
    """
    return [claim.as_json() for claim in claims]


#: The decisions :func:`compare_two_shares` can reach.
FIRST_HIGHER, FIRST_LOWER = "first_higher", "first_lower"


def difference_interval(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple[float, float]:
    """The interval of the difference of two shares, ``k1/n1 - k2/n2`` (Newcombe's hybrid score).

    Built from each share's :func:`wilson_interval` (Newcombe 1998, method 10), so it behaves
    at 0, at 100% and on small groups as the Wilson interval does.

    Example (Newcombe's own worked example, 56/70 against 48/80: 0.0524 to 0.3339):
        >>> low, high = difference_interval(56, 70, 48, 80)
        >>> round(low, 4), round(high, 4)
        (0.0524, 0.3339)
    """
    p1, p2 = k1 / n1, k2 / n2
    low1, high1 = wilson_interval(k1, n1, z)
    low2, high2 = wilson_interval(k2, n2, z)
    gap = p1 - p2
    return (gap - math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2),
            gap + math.sqrt((high1 - p1) ** 2 + (p2 - low2) ** 2))


def compare_two_shares(k1: int, n1: int, k2: int, n2: int, comparisons: int = 1, fewest: int = 10) -> str:
    """Whether one group's share is higher or lower than another's by more than noise.

    The rule: the two are called different only when the 95% interval of their difference
    (:func:`difference_interval`) leaves out zero. When the pair was picked from several (the
    highest and the lowest of four referral routes), the interval is widened for the
    ``comparisons`` pairs that could have been picked (Bonferroni), so that picking the
    extremes does not manufacture a difference. Under ``fewest`` people in either group
    nothing is concluded.

    Returns:
        ``"first_higher"``, ``"first_lower"``, ``"about_the_same"`` or ``"too_few"``.

    Example:
        >>> compare_two_shares(50, 100, 30, 100), compare_two_shares(36, 100, 31, 100)
        ('first_higher', 'about_the_same')
        >>> compare_two_shares(50, 100, 30, 100, comparisons=6)
        'first_higher'
        >>> compare_two_shares(5, 9, 1, 50)
        'too_few'
    """
    from statistics import NormalDist

    if min(n1, n2) < fewest:
        return TOO_FEW
    z = NormalDist().inv_cdf(1 - 0.05 / (2 * max(comparisons, 1)))
    low, high = difference_interval(k1, n1, k2, n2, z)
    if low > 0:
        return FIRST_HIGHER
    if high < 0:
        return FIRST_LOWER
    return ABOUT_THE_SAME
