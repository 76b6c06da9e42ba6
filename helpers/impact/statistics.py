"""The statistics of paired before-and-after scores.

The average change with its 95% confidence interval, the paired t-test and the
Wilcoxon signed-rank test (matching R's ``t.test`` and ``wilcox.test`` defaults),
a bootstrap interval, two named effect sizes, each person classed as improved /
no meaningful change / worse, and figures by group with small groups hidden.
Plain numbers in, plain numbers out: :mod:`helpers.impact.outcomes` decides what
to run them on.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

#: The class each person gets, in report order.
IMPROVED, NO_CHANGE, WORSE = "improved", "no meaningful change", "worse"
CLASSES = (IMPROVED, NO_CHANGE, WORSE)

#: Groups with fewer people than this are not shown: they could identify someone.
MIN_GROUP_SIZE = 5
#: Those who left are compared with those who stayed only when at least this many left: one
#: person's average start score is their own score.
MIN_LEAVERS_COMPARED = 5
DEFAULT_SEED = 20240501
BOOTSTRAP_RESAMPLES = 10_000
#: Below this many pairs the bootstrap interval covers the truth too rarely: the t interval stands alone.
MIN_PAIRS_BOOTSTRAP = 20



def wilcoxon_signed_rank(change) -> dict:
    """Wilcoxon signed-rank test on paired changes, with R's ``wilcox.test`` defaults.

    Zero changes are dropped (R's and Wilcoxon's own rule). With fewer than 50
    non-zero changes and no ties or zeros the p-value is exact; otherwise it uses
    the normal approximation with a tie correction and a continuity correction,
    as R does. (SciPy's own "auto" would switch to a permutation test for small
    samples with ties, which R does not, so the method is chosen here.)

    Args:
        change: The changes (after minus before), missing values already removed.

    Returns:
        ``{"v": V (sum of the ranks of the rises, R's statistic), "p": two-sided
        p-value, "method": "exact" or "normal approximation with continuity correction"}``;
        p is NaN when every change is zero.

    Example:
        >>> x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
        >>> y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
        >>> result = wilcoxon_signed_rank(np.subtract(x, y))
        >>> result["v"], round(result["p"], 5), result["method"]
        (40.0, 0.03906, 'exact')
    """
    # Scores with two decimals give changes like 2.7499999; round so equal changes tie, as on paper.
    d = np.round(np.asarray(change, dtype="float64"), 9)
    has_zeros = bool((d == 0).any())
    d = d[d != 0]
    n = d.size
    if n == 0:
        return {"v": 0.0, "p": math.nan, "method": "none (no non-zero changes)"}
    ranks = stats.rankdata(np.abs(d))
    v = float(ranks[d > 0].sum())
    has_ties = np.unique(np.abs(d)).size < n
    if n < 50 and not has_ties and not has_zeros:
        method, label = "exact", "exact"
    else:
        method, label = "asymptotic", "normal approximation with continuity correction"
    result = stats.wilcoxon(d, zero_method="wilcox", correction=True, method=method)
    return {"v": v, "p": float(result.pvalue), "method": label}


def bootstrap_mean_ci(values, seed: int = DEFAULT_SEED, resamples: int = BOOTSTRAP_RESAMPLES) -> tuple[float, float]:
    """A bias-corrected and accelerated (BCa) bootstrap 95% interval for a mean, reproducible from its seed.

    BCa (``scipy.stats.bootstrap(method="BCa")``) corrects the plain percentile
    interval for bias and skew; even so it covers the true mean too rarely with
    few people (about 86% at 5 people, 91% at 10, in the kit's simulation), so
    :func:`change_statistics` gives it only from :data:`MIN_PAIRS_BOOTSTRAP` pairs.

    Args:
        values: The numbers (no missing values).
        seed: Seed for the random resampling, so a re-run gives the same interval.
        resamples: How many resamples.

    Returns:
        ``(low, high)``, or NaNs with fewer than 2 values; both equal the value when
        every value is the same.

    Example:
        >>> low, high = bootstrap_mean_ci([1.0, 2.0, 3.0, 4.0, 5.0])
        >>> 1.0 < low < 3.0 < high < 5.0
        True
        >>> bootstrap_mean_ci([2.5, 2.5, 2.5])
        (2.5, 2.5)
    """
    values = np.asarray(values, dtype="float64")
    if values.size < 2:
        return math.nan, math.nan
    if np.ptp(values) == 0:  # no spread: every resample has the same mean
        return float(values[0]), float(values[0])
    result = stats.bootstrap(
        (values,), np.mean, method="BCa", confidence_level=0.95, n_resamples=resamples,
        # Batches keep memory flat for large files (resamples x n values at once would not).
        batch=max(1, 2_000_000 // values.size), vectorized=True, rng=np.random.default_rng(seed),
    )
    low, high = result.confidence_interval
    return float(low), float(high)


def change_statistics(before, after, seed: int = DEFAULT_SEED) -> dict:
    """Everything about the average change for people with both scores.

    Change is after minus before. The 95% confidence interval uses the t
    distribution (as R's ``t.test(after, before, paired = TRUE)``); the BCa bootstrap
    interval (from :data:`MIN_PAIRS_BOOTSTRAP` pairs; NaN below) resamples the people
    instead of assuming the changes follow a bell curve.

    Effect sizes, named as in Lakens (2013): ``d_z`` = mean change / SD of the
    changes; ``d_av`` = mean change / average of the before and after SDs.

    Args:
        before, after: Paired scores, same length, no missing values.
        seed: Seed for the bootstrap.

    Returns:
        A dict with ``n_pairs``, ``mean_before``, ``mean_after``, ``sd_before``,
        ``sd_after``, ``mean_change``, ``median_change``, ``sd_change``,
        ``ci95_low``, ``ci95_high``, ``bootstrap_ci95_low``,
        ``bootstrap_ci95_high``, ``t_statistic``, ``p_value``, ``wilcoxon_v``,
        ``wilcoxon_p``, ``wilcoxon_method``, ``effect_size_dz``,
        ``effect_size_dav`` (NaN where a figure cannot be worked out).

    Example:
        >>> result = change_statistics([10, 12, 14], [12, 15, 15])
        >>> result["mean_change"], result["effect_size_dz"]
        (2.0, 2.0)
    """
    before = np.asarray(before, dtype="float64")
    after = np.asarray(after, dtype="float64")
    change = after - before
    n = change.size
    nan = math.nan
    result = {
        "n_pairs": int(n),
        "mean_before": float(before.mean()) if n else nan,
        "mean_after": float(after.mean()) if n else nan,
        "sd_before": float(before.std(ddof=1)) if n > 1 else nan,
        "sd_after": float(after.std(ddof=1)) if n > 1 else nan,
        "mean_change": float(change.mean()) if n else nan,
        "median_change": float(np.median(change)) if n else nan,
        "sd_change": float(change.std(ddof=1)) if n > 1 else nan,
    }
    ci_low = ci_high = t_value = p_value = nan
    if n > 1:
        half_width = stats.t.ppf(0.975, n - 1) * result["sd_change"] / math.sqrt(n)
        ci_low, ci_high = result["mean_change"] - half_width, result["mean_change"] + half_width
        if result["sd_change"] > 0:
            test = stats.ttest_rel(after, before)
            t_value, p_value = float(test.statistic), float(test.pvalue)
    boot_low, boot_high = (bootstrap_mean_ci(change, seed=seed) if n >= MIN_PAIRS_BOOTSTRAP
                           else (nan, nan))
    wilcoxon = wilcoxon_signed_rank(change) if n else {"v": nan, "p": nan, "method": "none"}

    def ratio(top, bottom):
        return float(top / bottom) if n > 1 and bottom > 0 else nan

    result.update(
        ci95_low=float(ci_low), ci95_high=float(ci_high),
        bootstrap_ci95_low=boot_low, bootstrap_ci95_high=boot_high,
        t_statistic=t_value, p_value=p_value,
        wilcoxon_v=wilcoxon["v"], wilcoxon_p=wilcoxon["p"], wilcoxon_method=wilcoxon["method"],
        effect_size_dz=ratio(result["mean_change"], result["sd_change"]),
        effect_size_dav=ratio(result["mean_change"], (result["sd_before"] + result["sd_after"]) / 2),
    )
    return result


def classify_change(change: pd.Series, threshold: float, higher_is_better: bool = True) -> pd.Series:
    """Class each person as improved, no meaningful change or worse.

    A change of at least ``threshold`` in the good direction is "improved", at
    least ``threshold`` in the bad direction is "worse"; a threshold of 0 counts
    any change.

    Example:
        >>> classify_change(pd.Series([3.0, 1.0, -2.87, 0.0]), 2.87).tolist()
        ['improved', 'no meaningful change', 'worse', 'no meaningful change']
        >>> classify_change(pd.Series([-3.0]), 2.87, higher_is_better=False).tolist()
        ['improved']
    """
    good = change if higher_is_better else -change
    # A hair of tolerance so 20.73 - 17.86 counts as the 2.87 it is on paper.
    tolerance = 1e-9
    if threshold > 0:
        improved, worse = good >= threshold - tolerance, good <= -threshold + tolerance
    else:
        improved, worse = good > tolerance, good < -tolerance
    labels = np.select([improved, worse], [IMPROVED, WORSE], default=NO_CHANGE)
    return pd.Series(labels, index=change.index, dtype="str")


def group_figures(pairs: pd.DataFrame, min_size: int = MIN_GROUP_SIZE) -> tuple[pd.DataFrame, dict]:
    """Figures per group, hiding groups too small to show safely.

    A group with fewer than ``min_size`` people is hidden. If the hidden groups
    together hold fewer than ``min_size`` people, the smallest shown group is
    hidden too: otherwise the small group's figures could be worked out by
    subtracting the shown groups from the overall figures.

    Args:
        pairs: One row per person with both scores: ``group``, ``before``,
            ``after``, ``change``, ``class``.
        min_size: The smallest group shown.

    Returns:
        ``(table, hidden)``: a table with columns ``group``, ``people``,
        ``mean_before``, ``mean_after``, ``mean_change``, ``improved``,
        ``improved_share`` for the groups shown (largest first), and
        ``{"groups": n groups hidden, "people": n people in them,
        "too_small": n groups under min_size}``.

    Example:
        >>> pairs = pd.DataFrame({"group": ["A"] * 6 + ["B"] * 2, "before": 1.0, "after": 2.0,
        ...                       "change": 1.0, "class": "improved"})
        >>> table, hidden = group_figures(pairs)
        >>> table["group"].tolist(), hidden
        ([], {'groups': 2, 'people': 8, 'too_small': 1})
    """
    grouped = pairs.groupby("group", sort=False)
    table = pd.DataFrame(
        {
            "people": grouped.size(),
            "mean_before": grouped["before"].mean(),
            "mean_after": grouped["after"].mean(),
            "mean_change": grouped["change"].mean(),
            "improved": grouped["class"].agg(lambda c: int(c.eq(IMPROVED).sum())),
        }
    )
    table["improved_share"] = table["improved"] / table["people"]
    table = table.rename_axis("group").reset_index().sort_values(["people", "group"], ascending=[False, True])
    hidden, info = small_counts(table["people"], min_size)
    info = {"groups": info["hidden"], "people": info["people"], "too_small": info["too_small"]}
    return table[~hidden].reset_index(drop=True), info


def small_counts(counts: pd.Series, min_size: int = MIN_GROUP_SIZE, keep=None) -> tuple[pd.Series, dict]:
    """Which counts of people to hide: those under ``min_size``, plus one more where needed.

    A count of 1 to ``min_size - 1`` people is hidden (a count of none is not: it
    names nobody). If the hidden counts together are under ``min_size`` and some
    are shown, the smallest shown count is hidden too: otherwise the small one
    could be worked out by taking the shown ones from the total.

    Args:
        counts: People per group, band or category.
        min_size: The smallest count shown.
        keep: An index label never chosen as the one more to hide (a count the report
            gives elsewhere, so hiding it would protect nothing).

    Returns:
        ``(hidden, info)``: a boolean Series on the same index, and ``{"hidden": n
        hidden, "people": people in them, "too_small": n under min_size}``.

    Example:
        >>> hidden, info = small_counts(pd.Series([9, 4, 6, 0]))
        >>> hidden.tolist(), info
        ([False, True, True, False], {'hidden': 2, 'people': 10, 'too_small': 1})
        >>> small_counts(pd.Series([9, 5, 6]))[0].tolist()
        [False, False, False]
    """
    small = counts.gt(0) & counts.lt(min_size)
    hidden = small.copy()
    shown = counts.gt(0) & ~small
    if keep is not None and shown.drop(keep).any():
        shown.loc[keep] = False
    if small.any() and counts[small].sum() < min_size and shown.any():
        hidden.loc[counts[shown].idxmin()] = True
    return hidden, {"hidden": int(hidden.sum()), "people": int(counts[hidden].sum()),
                    "too_small": int(small.sum())}


def holm_adjust(p_values) -> list[float]:
    """Holm's step-down adjustment of several p-values tested at once (Holm 1979).

    With four measures each tested at 5%, the chance that at least one looks unlikely by chance
    alone is nearer 19% than 5%. Holm's method multiplies the smallest p-value by the number of
    tests, the next by one fewer, and so on (never letting a later one fall below an earlier
    one), which keeps that chance at 5% whatever the measures' correlation. Missing p-values
    (NaN) are left out of the count and stay NaN; adjusted values are capped at 1.

    Args:
        p_values: The p-values, one per measure.

    Returns:
        The adjusted p-values, in the order given.

    Example:
        >>> [round(p, 4) for p in holm_adjust([0.01, 0.04, 0.03, 0.005])]
        [0.03, 0.06, 0.06, 0.02]
        >>> holm_adjust([0.2, float("nan")])
        [0.2, nan]
    """
    values = [float(p) for p in p_values]
    given = sorted((p, i) for i, p in enumerate(values) if math.isfinite(p))
    adjusted = [math.nan] * len(values)
    running = 0.0
    for rank, (p, i) in enumerate(given):
        running = max(running, min(1.0, (len(given) - rank) * p))
        adjusted[i] = running
    return adjusted
