"""Each rating question counted: its distribution, the share agreeing with a 95% interval, median and mode.

A rating is a label on an ordered scale, not a number: "Agree" is not 4 and "Strongly agree" is not 5.
So the middle answer (the median) and the most common one (the mode) are reported as labels, and the
summary figure is the share in the top points (:attr:`~helpers.survey.scales.Scale.positive`) with a
Wilson interval. A mean of labels is never taken.

By group, a group's share is called higher or lower than everyone else's only when the 95% interval of
the difference between the two shares leaves out zero (:func:`helpers.writing.claims.compare_two_shares`,
the kit's rule for two samples), widened for the number of groups compared; and only when the group
and everyone else each have at least :data:`FEWEST_TO_COMPARE` answers. Over time, each month or quarter is
compared with all the others by the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.survey.scales import Scale, point_of
from helpers.writing.claims import (
    ABOVE, BELOW, FIRST_HIGHER, FIRST_LOWER, TOO_FEW, compare_two_shares, wilson_interval,
)

#: Fewest answers in a group for its share to be compared with everyone else's.
FEWEST_TO_COMPARE = 10
#: Fewest answers in a group for any of its figures to be shown (smaller groups are hidden).
FEWEST_TO_SHOW = 5


@dataclass
class QuestionResult:
    """One rating question, counted.

    Attributes:
        header: The question as the file heads it.
        scale: Its scale.
        n: Answers on the scale (blanks and answers off the scale are not counted).
        counts: Point label -> answers, every point of the scale in order (zero included).
        positive: Answers in the positive points.
        interval: The share positive's 95% Wilson interval (low, high), fractions.
        median: The middle answer's label.
        mode: The most common answer's label (the lower point on a tie).
        off_scale: Answers that were not a point of the scale (for the load log).
        by_group: Group -> ``{"n", "positive", "share", "interval", "decision"}``; ``decision`` is
            ``above``, ``below``, ``about_the_same``, ``too_few`` (under 10) or ``hidden`` (under 5).
    """

    header: str
    scale: Scale
    n: int
    counts: dict[str, int]
    positive: int
    interval: tuple[float, float]
    median: str | None
    mode: str | None
    off_scale: int = 0
    by_group: dict[str, dict] = field(default_factory=dict)
    by_period: dict[str, dict] = field(default_factory=dict)

    @property
    def share_positive(self) -> float | None:
        return self.positive / self.n if self.n else None


def median_point(points: pd.Series) -> int | None:
    """The middle answer's position on the scale: the lower middle on an even count (never an average).

    Example:
        >>> median_point(pd.Series([0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4]))
        4
        >>> median_point(pd.Series([0, 4])), median_point(pd.Series([], dtype=float))
        (0, None)
    """
    ordered = points.dropna().sort_values(kind="stable").to_numpy()
    if len(ordered) == 0:
        return None
    return int(ordered[(len(ordered) - 1) // 2])


def mode_point(points: pd.Series) -> int | None:
    """The most common position; on a tie the lower point (the cautious reading).

    Example:
        >>> mode_point(pd.Series([1, 3, 3, 1, 4]))
        1
    """
    counts = points.dropna().astype(int).value_counts()
    if counts.empty:
        return None
    return int(min(counts.index[counts == counts.max()]))


def period_labels(dates: pd.Series) -> pd.Series | None:
    """Each response's month ("2026-01"), or quarter ("2026-Q1") when the survey spans more than a year;
    ``None`` when the answers fall in one period (nothing to compare over time).

    Example:
        >>> period_labels(pd.Series(pd.to_datetime(["2026-01-05", "2026-02-10"]))).tolist()
        ['2026-01', '2026-02']
    """
    dates = pd.to_datetime(dates, errors="coerce")
    if dates.notna().sum() == 0:
        return None
    span = dates.max() - dates.min()
    labels = (dates.dt.year.astype("Int64").astype("string") + "-Q" + dates.dt.quarter.astype("Int64").astype("string")
              if span > pd.Timedelta(days=366) else dates.dt.strftime("%Y-%m").astype("string"))
    return labels if labels.nunique() >= 2 else None


def count_question(header: str, answers: pd.Series, scale: Scale, groups: pd.Series | None = None,
                   periods: pd.Series | None = None) -> QuestionResult:
    """Count one rating question (see the module docstring).

    Example:
        >>> from helpers.survey.scales import read_scale
        >>> answers = pd.Series(["Agree"] * 6 + ["Disagree"] * 3 + ["Neutral"])
        >>> result = count_question("Q", answers, read_scale(answers))
        >>> result.n, result.positive, result.median, result.mode
        (10, 6, 'Agree', 'Agree')
    """
    points = point_of(answers, scale)
    given = answers.notna() & answers.astype("string").str.strip().fillna("").ne("")
    on_scale = points.dropna().astype(int)
    n = len(on_scale)
    counts = {label: int((on_scale == i).sum()) for i, label in enumerate(scale.points)}
    top = len(scale.points) - scale.positive
    positive = int((on_scale >= top).sum())
    median, mode = median_point(on_scale), mode_point(on_scale)
    result = QuestionResult(header, scale, n, counts, positive, wilson_interval(positive, n),
                            None if median is None else scale.points[median],
                            None if mode is None else scale.points[mode], int((given & points.isna()).sum()))
    if groups is not None:
        result.by_group = compare_groups(points, groups, top)
    if periods is not None:
        # Over time is the same rule as by group: each period against all the others.
        result.by_period = compare_groups(points, periods, top)
    return result


def compare_groups(points: pd.Series, groups: pd.Series, top: int) -> dict[str, dict]:
    """Each group's share positive, against everyone else's (see the module docstring).

    Example:
        >>> points = pd.Series([4] * 40 + [0] * 10 + [4] * 5 + [0] * 35)
        >>> groups = pd.Series(["A"] * 50 + ["B"] * 40)
        >>> {g: r["decision"] for g, r in compare_groups(points, groups, 3).items()}
        {'A': 'above', 'B': 'below'}
    """
    table = pd.DataFrame({"point": points, "group": groups.astype("string")}).dropna()
    table["positive"] = table["point"] >= top
    comparisons = max(1, table["group"].nunique())
    found = {}
    for group, part in table.groupby("group", sort=True):
        n, positive = len(part), int(part["positive"].sum())
        rest_n = len(table) - n
        rest_positive = int(table["positive"].sum()) - positive
        if n < FEWEST_TO_SHOW:
            found[str(group)] = {"n": None, "positive": None, "share": None, "interval": None, "decision": "hidden"}
            continue
        # Everyone else's share is a sample too: the interval of the difference must leave out zero,
        # widened for the groups compared (picking the extremes must not make a difference).
        compared = compare_two_shares(positive, n, rest_positive, rest_n, comparisons=comparisons,
                                      fewest=FEWEST_TO_COMPARE) if rest_n else TOO_FEW
        decision = {FIRST_HIGHER: ABOVE, FIRST_LOWER: BELOW}.get(compared, compared)
        found[str(group)] = {"n": n, "positive": positive, "share": positive / n,
                             "interval": list(wilson_interval(positive, n)), "decision": decision,
                             "rest_share": rest_positive / rest_n if rest_n else None}
    return found
