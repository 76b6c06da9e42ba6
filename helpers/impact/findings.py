"""The impact report's conclusions, each decided once by a rule, and numbers that add up as printed.

A trustee checks a report by its own arithmetic: "5.3 to 5.8, a rise of 0.6" fails at once, and so
does a chart titled "improved by a meaningful amount" over "Any change counts". So every
conclusion the report draws is a :class:`~helpers.writing.claims.Claim` built here, and the Main
points, the sentence, the chart's title, the alt text and ``summary.json`` all take their words
from it:

* :func:`improvement_claim`: "improved by a meaningful amount" only when the line is a real
  measurement-error threshold (a scale's published one, or the reliable change index worked out
  from the data); "improved by at least N points" for a line the volunteer chose or the smallest
  step a form records; plain "improved" when any change counts.
* :func:`dropout_claim`: those who left are compared with those who stayed only when at least
  :data:`~helpers.impact.statistics.MIN_LEAVERS_COMPARED` people left (one person's start score
  would otherwise be printed, while counts under 5 are hidden everywhere else).
* :func:`change_decimals` and :func:`shares_that_add_up`: the start and end averages and the
  change are printed with as many decimals as it takes for the printed change to equal the
  printed end minus the printed start; percentages printed side by side add up to 100%.
"""

from __future__ import annotations

import math

from helpers.impact.statistics import MIN_LEAVERS_COMPARED
from helpers.writing.claims import Claim
from helpers.writing.narrative import plural

#: The decisions :func:`improvement_claim` can reach, and the words each licenses.
MEANINGFUL, BY_THRESHOLD, ANY_CHANGE = "meaningful_improvement", "improved_by_threshold", "improved"
#: The decisions :func:`dropout_claim` can reach.
COMPARED, TOO_FEW_LEFT, NONE_LEFT = "compared", "too_few_left", "none_left"


def change_decimals(pairs, least: int = 1, most: int = 3) -> int:
    """The fewest decimals (from ``least``) at which every printed change equals end minus start as printed.

    Each pair is ``(start average, end average)``, or ``(start, end, change)`` where the change
    printed is worked out apart (the mean of each person's change can differ from the difference of
    the means in the last bit, enough to round the other way at a half). A change that is not zero
    must not print as zero either. If no number of decimals up to ``most`` does both, ``most`` is used.

    Example:
        >>> change_decimals([(5.26, 5.84)])   # 5.3 to 5.8 would print a change of 0.6
        2
        >>> change_decimals([(5.31, 5.84)])
        1
        >>> change_decimals([(4.0, 4.0)])
        1
    """
    triples = []
    for pair in pairs:
        before, after = float(pair[0]), float(pair[1])
        change = float(pair[2]) if len(pair) > 2 else after - before
        if math.isfinite(before) and math.isfinite(after) and math.isfinite(change):
            triples.append((before, after, change))
    for digits in range(least, most + 1):
        fits = True
        for before, after, exact in triples:
            printed = float(f"{after:.{digits}f}") - float(f"{before:.{digits}f}")
            change = f"{exact:.{digits}f}"
            zero_printed = float(change) == 0
            if f"{printed:.{digits}f}".replace("-0.", "0.") != change.replace("-0.", "0.") or (
                zero_printed and abs(exact) > 1e-9
            ):
                fits = False
                break
        if fits:
            return digits
    return most


def in_sentence(name: str) -> str:
    """A measure's name inside a sentence: lower case, except acronyms such as MYCaW and ONS4.

    Example:
        >>> in_sentence("Life satisfaction"), in_sentence("MYCaW profile"), in_sentence("SWEMWBS")
        ('life satisfaction', 'MYCaW profile', 'SWEMWBS')
    """
    return " ".join(word if sum(ch.isupper() for ch in word) > 1 else word.lower() for word in str(name).split(" "))


def number(value: float, digits: int, signed: bool = False) -> str:
    """A figure printed with ``digits`` decimals ("+0.58" when signed); a zero never prints as "-0.0".

    Example:
        >>> number(-0.001, 1), number(0.58, 2, signed=True), number(-1.25, 1, signed=True)
        ('0.0', '+0.58', '-1.2')
    """
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    if float(text) == 0:
        return f"{0:.{digits}f}"
    return text


def points(value: float, digits: int) -> str:
    """A size of change in points, without its sign: "0.6 points", "1.0 point".

    Example:
        >>> points(-0.58, 2), points(1.0, 1)
        ('0.58 points', '1.0 point')
    """
    text = number(abs(value), digits)
    return f"{text} {'point' if float(text) == 1 else 'points'}"


def shares_that_add_up(counts) -> list[int]:
    """Whole percentages of the total that add up to 100 as printed (largest remainders round up).

    Example:
        >>> shares_that_add_up([1, 1, 1])
        [34, 33, 33]
        >>> shares_that_add_up([0, 0])
        [0, 0]
    """
    counts = [int(c) for c in counts]
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [100 * c / total for c in counts]
    shares = [math.floor(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: 100 - sum(shares)]:
        shares[i] += 1
    return shares


def _threshold_points(threshold: float) -> str:
    text = f"{threshold:.3g}"
    return f"{text} {'point' if text == '1' else 'points'}"


def improvement_decision(m) -> str:
    """Which words the count of people who improved may carry, from the threshold actually used.

    ``meaningful_improvement`` only for a real measurement-error threshold: a scale's own published
    one (SWEMWBS, WEMWBS) or the reliable change index from this data's own consistency.

    Example:
        >>> from types import SimpleNamespace as S
        >>> improvement_decision(S(threshold=2.87, threshold_rule="published", item=None))
        'meaningful_improvement'
        >>> improvement_decision(S(threshold=1.0, threshold_rule="parameter", item=None))
        'improved_by_threshold'
        >>> improvement_decision(S(threshold=0.0, threshold_rule="none", item=None))
        'improved'
    """
    if m.threshold <= 0 or m.threshold_rule == "none":
        return ANY_CHANGE
    if m.threshold_rule == "reliable change" or (m.threshold_rule == "published" and m.item is None):
        return MEANINGFUL
    return BY_THRESHOLD


def improvement_phrase(m) -> str:
    """The words after "N of M people": "improved by a meaningful amount", "improved by at least 1 point", "improved".

    Example:
        >>> from types import SimpleNamespace as S
        >>> improvement_phrase(S(threshold=1.0, threshold_rule="parameter", item=None))
        'improved by at least 1 point'
    """
    decision = improvement_decision(m)
    if decision == MEANINGFUL:
        return "improved by a meaningful amount"
    if decision == BY_THRESHOLD:
        return f"improved by at least {_threshold_points(m.threshold)}"
    return "improved"


def improvement_title(m) -> str:
    """The change chart's title and the claim's sentence: "36 of 47 people improved".

    Example:
        >>> from types import SimpleNamespace as S
        >>> improvement_title(S(threshold=0.0, threshold_rule="none", item=None,
        ...                     figures={"improved": 36, "n_pairs": 47}))
        '36 of 47 people improved'
    """
    f = m.figures
    return f"{f['improved']:,} of {plural(f['n_pairs'], 'person', 'people')} {improvement_phrase(m)}"


def improvement_claim(m) -> Claim:
    """How many people improved, with the words the threshold licenses (see :func:`improvement_decision`).

    Example:
        >>> from types import SimpleNamespace as S
        >>> m = S(threshold=0.0, threshold_rule="none", item=None, key="anxiety",
        ...       figures={"improved": 36, "n_pairs": 47, "worse": 3})
        >>> claim = improvement_claim(m)
        >>> claim.decision, claim.sentence
        ('improved', '36 of 47 people improved.')
    """
    f = m.figures
    return Claim(
        key=f"{m.key}_improved" if m.key else "improved",
        decision=improvement_decision(m),
        sentence=improvement_title(m) + ".",
        numbers={"improved": f["improved"], "n_pairs": f["n_pairs"], "worse": f["worse"],
                 "threshold": m.threshold, "threshold_rule": m.threshold_rule},
        rule=("'Improved by a meaningful amount' only when the line is a change bigger than the scale's "
              "measurement error (a published threshold, or the reliable change index worked out from the "
              "data); a line chosen for the report or the form's smallest step is named in points; with no "
              "line, any change in the better direction counts and the word is plain 'improved'."),
    )


def dropout_decision(n_left: int, n_stayed: int) -> str:
    """Whether those who left may be compared with those who stayed.

    Example:
        >>> dropout_decision(4, 40), dropout_decision(5, 40), dropout_decision(0, 40)
        ('too_few_left', 'compared', 'none_left')
    """
    if n_left <= 0 or n_stayed <= 0:
        return NONE_LEFT
    return COMPARED if n_left >= MIN_LEAVERS_COMPARED else TOO_FEW_LEFT


def dropout_sentences(f: dict, higher_is_better: bool) -> tuple[str, str]:
    """The drop-out comparison in words, and its decision, from one measure's figures.

    Example:
        >>> f = {"n_pairs": 40, "n_before_only": 1, "mean_before": 19.1, "mean_before_dropouts": 14.1}
        >>> dropout_sentences(f, True)
        ('too_few_left', 'Only 1 person left without an end score, too few to compare with those who stayed.')
    """
    n_left, n_stayed = f["n_before_only"], f["n_pairs"]
    decision = dropout_decision(n_left, n_stayed)
    if decision == NONE_LEFT:
        return decision, ""
    if decision == TOO_FEW_LEFT:
        return decision, (f"Only {plural(n_left, 'person', 'people')} left without an end score, too few "
                          f"to compare with those who stayed.")
    gap = f["mean_before_dropouts"] - f["mean_before"]
    # No difference is printed, only the two averages: equal as printed means "about the same".
    if number(f["mean_before_dropouts"], 1) == number(f["mean_before"], 1):
        return decision, "Those who left started at about the same level as those who stayed."
    digits = 1
    better_off = (gap < 0) == higher_is_better
    return decision, (
        f"Those who left started {'higher' if gap > 0 else 'lower'} on average "
        f"({number(f['mean_before_dropouts'], digits)}, against {number(f['mean_before'], digits)} for those "
        f"who stayed). So the people in the figures may have been {'better' if better_off else 'worse'} off "
        f"to begin with than everyone who was referred."
    )


def dropout_claim(m) -> Claim:
    """The drop-out comparison as a claim: made only when at least 5 people left.

    Example:
        >>> from types import SimpleNamespace as S
        >>> m = S(key="swemwbs", better="higher", figures={"n_pairs": 40, "n_before_only": 6,
        ...       "mean_before": 19.12, "mean_before_dropouts": 14.08})
        >>> dropout_claim(m).decision
        'compared'
    """
    f = m.figures
    decision, sentence = dropout_sentences(f, m.better == "higher")
    shown = decision == COMPARED
    return Claim(
        key=f"{m.key}_dropouts" if m.key else "dropouts",
        decision=decision,
        sentence=sentence,
        numbers={"left": f["n_before_only"], "stayed": f["n_pairs"],
                 "mean_before_left": f["mean_before_dropouts"] if shown else None,
                 "mean_before_stayed": f["mean_before"]},
        rule=(f"Those who left are compared with those who stayed only when at least {MIN_LEAVERS_COMPARED} "
              f"people left: a smaller group's average start score could identify them."),
    )
