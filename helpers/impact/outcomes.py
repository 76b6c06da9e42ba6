"""Before-and-after outcome scores: who changed, by how much, and how sure we can be.

:func:`measure_impact` is the one call the playbook makes: it collects the scores
(:mod:`helpers.impact.collect`), works out each measure's statistics
(:mod:`helpers.impact.statistics`), picks the threshold for a meaningful change,
and adds plain-English warnings. :mod:`helpers.impact.words` turns the result into
the report's words, tables and charts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.errors import InputProblem
from helpers.impact.collect import CollectedScores, _given, collect_scores
from helpers.impact.items import concern_categories
from helpers.impact.scales import Item, Scale, reliable_change
from helpers.impact.statistics import (  # noqa: F401  (re-exported: words and tests import them here)
    BOOTSTRAP_RESAMPLES,
    CLASSES,
    DEFAULT_SEED,
    IMPROVED,
    MIN_GROUP_SIZE,
    NO_CHANGE,
    WORSE,
    bootstrap_mean_ci,
    change_statistics,
    classify_change,
    group_figures,
    small_counts,
    wilcoxon_signed_rank,
)
from helpers.writing.narrative import percent, plural
from helpers.writing.playbook import to_jsonable
from helpers.writing.workbooks import write_csv

#: Below this many pairs, the WEMWBS authors advise against reading much into an average.
MIN_PAIRS_ADVISED = 30
#: Above this share of drop-outs, the people who stayed may not speak for everyone.
HEAVY_DROPOUT = 0.30


@dataclass
class MeasureResult:
    """The analysis of one outcome measure.

    Attributes:
        measure: Its name ("SWEMWBS", "Confidence"...).
        figures: Counts and statistics (the summary.json keys for this measure).
        threshold: The meaningful change used to class people (0: any change).
        threshold_rule: "published", "reliable change", "parameter" or "none".
        threshold_source: Where the threshold comes from, in words.
        changes: One row per person with both scores: ``id``, ``before``,
            ``after``, ``change``, ``class`` (and ``group``, kept out of changes.csv).
        groups: Figures per group shown (see :func:`group_figures`), or ``None``.
        hidden: What :func:`group_figures` hid.
        warnings: Plain-English cautions that apply to this measure.
        key: Its key in summary.json's ``measures`` ("life_satisfaction", "swemwbs").
        better: "higher" or "lower": which way is an improvement.
        item: The scale item it is (ONS4, MYCaW), or ``None``.
        bands: For items with published bands: people per band at the start and the
            end (see :func:`band_table`), or ``None``.
        band_moves: For items with bands: how many started in the worst band and
            how many of them left it (see :func:`band_moves`), or ``None``.
    """

    measure: str
    figures: dict
    threshold: float
    threshold_rule: str
    threshold_source: str
    changes: pd.DataFrame
    groups: pd.DataFrame | None
    hidden: dict
    warnings: list[str]
    key: str = ""
    better: str = "higher"
    item: Item | None = None
    bands: pd.DataFrame | None = None
    band_moves: dict | None = None


@dataclass
class ImpactResult:
    """The whole analysis: every measure, plus how the scores were collected."""

    collected: CollectedScores
    measures: list[MeasureResult]
    higher_is_better: bool
    categories: pd.DataFrame | None = None
    categories_hidden: dict = field(default_factory=lambda: {"hidden": 0, "people": 0, "too_small": 0})

    @property
    def main(self) -> MeasureResult:
        """The first (often only) measure, which the headline and top-level summary describe."""
        return self.measures[0]

    @property
    def warnings(self) -> list[str]:
        """Every caution once: "no comparison group" first, then each measure's (named when several)."""
        if len(self.measures) == 1:
            direction = "rose" if (self.main.figures["mean_change"] or 0) >= 0 else "fell"
            say = f"Say \"scores {direction}\", not \"we {'raised' if direction == 'rose' else 'lowered'} scores\"."
        else:
            say = "Say \"scores rose\" (or fell), not \"we raised scores\"."
        first = [(f"There is no comparison group (people like these who did not get support), so the figures "
                  f"show how scores changed, not what caused the change. {say}")]
        if len(self.measures) == 1:
            return first + list(self.main.warnings)
        shared = set.intersection(*(set(m.warnings) for m in self.measures))
        named = [f"{m.measure}: {w}" for m in self.measures for w in m.warnings if w not in shared]
        return first + [w for w in self.main.warnings if w in shared] + named

    def changes_table(self) -> pd.DataFrame:
        """The rows for changes.csv: id, before, after, change, class (plus measure when several)."""
        columns = ["id", "before", "after", "change", "class"]
        if len(self.measures) == 1:
            return self.main.changes[columns].reset_index(drop=True)
        return pd.concat(
            [m.changes[columns].assign(measure=m.measure) for m in self.measures], ignore_index=True
        )[["id", "measure", *columns[1:]]]

    def summary(self) -> dict:
        """The figures for summary.json: plain numbers and words, no personal data."""

        def block(m: MeasureResult) -> dict:
            groups = [] if m.groups is None else m.groups.to_dict(orient="records")
            return {**m.figures, "groups": groups, "groups_hidden": m.hidden["groups"],
                    "people_in_hidden_groups": m.hidden["people"], "warnings": m.warnings}

        summary = {
            "scale": self.collected.scale.key,
            "input_shape": self.collected.shape,
            "higher_is_better": self.higher_is_better,
            "group_column": self.collected.group_column,
            **block(self.main),
            "warnings": self.warnings,
            "notes": self.collected.notes,
            "columns_left_out": self.collected.left_out,
            # What `surgery rerun` compares with last time, in words.
            "headline": {
                "n_pairs": "people with a score at the start and the end",
                "mean_before": "average score at the start",
                "mean_after": "average score at the end",
                "mean_change": "average change",
                "improved": "people who improved",
                "worse": "people whose score fell",
            },
        }
        if len(self.measures) > 1:
            summary["other_measures"] = {m.measure: block(m) for m in self.measures[1:]}
        # Every measure under one stable key, its direction said, so no reader has to guess it.
        summary["measures"] = {
            m.key: {**m.figures, "better": m.better,
                    **({"band_moves": m.band_moves} if m.band_moves is not None else {})}
            for m in self.measures
        }
        if self.categories is not None:
            summary["concern_categories"] = self.categories.to_dict(orient="records")
            summary["concern_categories_hidden"] = self.categories_hidden["hidden"]
        return to_jsonable(summary)

    def write_changes(self, folder) -> Path:
        """Write changes.csv (one row per person: id as given, scores, change, class)."""
        path = Path(folder) / "changes.csv"
        write_csv(self.changes_table(), path, float_format="%.4g", lineterminator="\n")
        return path


def _threshold(scale: Scale, meaningful_change, alpha: float, sd_before: float,
               item: Item | None = None) -> tuple[float, str, str]:
    if _given(meaningful_change):
        try:
            value = float(str(meaningful_change).strip())
        except ValueError:
            raise InputProblem(
                f"meaningful_change is '{meaningful_change}'; it takes a number of score points, "
                f"such as 3, or blank to use the scale's own threshold."
            ) from None
        if value < 0 or not math.isfinite(value):
            raise InputProblem(f"meaningful_change is {value:g}; give a number of points of 0 or more.")
        return value, "parameter", "the meaningful change chosen for this report"
    if item is not None:
        if item.meaningful_change is not None:
            return item.meaningful_change, "published", item.change_source
        return 0.0, "none", "no threshold: any change counts"
    if scale.meaningful_change is not None:
        return scale.meaningful_change, "published", scale.change_source
    rci = reliable_change(sd_before, alpha)
    if math.isfinite(rci):
        return rci, "reliable change", (
            f"this data's own consistency: a change bigger than the ups and downs of measuring, worked out "
            f"from how closely the answers to each question agree and how spread out the start scores are "
            f"({sd_before:.2f} points) (the reliable change index, Jacobson and Truax 1991)"
        )
    return 0.0, "none", "no threshold: any change counts"


def _warnings(m: dict, scale: Scale, threshold_rule: str, higher_is_better: bool,
              pairs: pd.DataFrame, groups_shown: int, item: Item | None = None) -> list[str]:
    warnings = []
    n = m["n_pairs"]
    if n < MIN_PAIRS_ADVISED:
        who = "The scale's authors advise" if scale.key != "none" else "It is wise to have"
        warnings.append(
            f"Only {plural(n, 'person has', 'people have')} both a before and an after score. {who} "
            f"at least {MIN_PAIRS_ADVISED} before reading much into an average, so treat these "
            f"figures as a first look."
        )
    low_start = (
        scale.population_mean is not None and higher_is_better and n > 0
        and m["mean_before"] < scale.population_mean
    )
    if item is not None and item.national_mean is not None and n > 0:
        worse_start = (m["mean_before"] < item.national_mean) == (item.better == "higher")
        if worse_start:
            warnings.append(
                f"People joined at a low point: their average {item.name.lower()} score at the start "
                f"({m['mean_before']:.1f}) was {'below' if item.better == 'higher' else 'above'} the UK "
                f"average ({item.national_mean:g} in April 2022 to March 2023). Scores that start at a low "
                f"point tend to move back towards the average anyway (regression to the mean), so part "
                f"of the change may have happened without support."
            )
    elif low_start:
        warnings.append(
            f"People joined at a low point: their average score at the start ({m['mean_before']:.1f}) "
            f"was below the average for adults ({scale.population_mean:g} in "
            f"{scale.population_source}). Scores that start low tend to move back towards the "
            f"average anyway (regression to the mean), so part of the rise may have happened "
            f"without support."
        )
    elif n >= 10 and pairs["before"].std() > 0 and pairs["change"].std() > 0:
        if pairs["before"].corr(pairs["change"]) <= -0.3:
            warnings.append(
                "The people who started with the worst scores improved the most. Part of that is "
                "likely regression to the mean: a score taken at a bad moment tends to be followed "
                "by a better one, with or without support."
            )
    started = n + m["n_before_only"]
    if started and m["n_before_only"] / started > HEAVY_DROPOUT:
        gap = m["mean_before_dropouts"] - m["mean_before"] if n and m["n_before_only"] else math.nan
        if math.isfinite(gap) and abs(gap) >= 0.05:
            better = (gap > 0) == higher_is_better
            side = (f"Those who left started {abs(gap):.1f} points {'higher' if gap > 0 else 'lower'} "
                    f"on average than those who stayed, so the people who stayed may have been "
                    f"{'worse off' if better else 'better off'} to begin with.")
        else:
            side = "Those who left started at about the same level as those who stayed."
        warnings.append(
            f"{percent(m['n_before_only'], started)} of the people with a start score have no "
            f"end score. The change for those who stayed may not speak for everyone. {side}"
        )
    if threshold_rule == "none":
        warnings.append(
            "No meaningful-change threshold is known for this score, so \"improved\" means any change in "
            "the better direction, however small. The volunteer can set the smallest change that matters and "
            "run again."
        )
    if groups_shown >= 2:
        warnings.append(
            f"With {groups_shown} groups compared, some differences between them will appear by "
            f"chance alone. Treat them as questions to ask, not findings."
        )
    return warnings


def _analyse_measure(collected: CollectedScores, measure: str, higher_is_better: bool, meaningful_change,
                     seed: int, min_group_size: int) -> MeasureResult:
    item = collected.items.get(measure)
    if item is not None:
        higher_is_better = item.better == "higher"
    scores = collected.scores[collected.scores["measure"].eq(measure)]
    has_before, has_after = scores["before"].notna(), scores["after"].notna()
    pairs = scores[has_before & has_after].copy()
    pairs["change"] = pairs["after"] - pairs["before"]
    figures = {"measure": measure}
    figures.update(
        n_pairs=len(pairs),
        n_before_only=int((has_before & ~has_after).sum()),
        n_after_only=int((~has_before & has_after).sum()),
        n_no_scores=int((~has_before & ~has_after).sum()),
        n_incomplete_before=collected.incomplete["before"],
        n_incomplete_after=collected.incomplete["after"],
    )
    figures.update(change_statistics(pairs["before"], pairs["after"], seed=seed))
    dropouts = scores.loc[has_before & ~has_after, "before"]
    figures["mean_before_dropouts"] = float(dropouts.mean()) if len(dropouts) else math.nan
    started = figures["n_pairs"] + figures["n_before_only"]
    figures["dropout_rate"] = figures["n_before_only"] / started if started else math.nan
    alpha = collected.alpha.get(measure, math.nan)
    figures["cronbach_alpha"] = alpha
    sd_before_all = float(scores.loc[has_before, "before"].std()) if has_before.sum() > 1 else math.nan
    threshold, rule, source = _threshold(collected.scale, meaningful_change, alpha, sd_before_all, item)
    pairs["class"] = classify_change(pairs["change"], threshold, higher_is_better)
    counts = pairs["class"].value_counts()
    figures.update(
        improved=int(counts.get(IMPROVED, 0)), no_change=int(counts.get(NO_CHANGE, 0)),
        worse=int(counts.get(WORSE, 0)), threshold=threshold, threshold_rule=rule, threshold_source=source,
    )
    groups, hidden = None, {"groups": 0, "people": 0, "too_small": 0}
    if collected.group_column is not None:
        groups, hidden = group_figures(pairs, min_size=min_group_size)
    warnings = _warnings(figures, collected.scale, rule, higher_is_better, pairs,
                         0 if groups is None else len(groups), item)
    has_bands = item is not None and bool(item.bands)
    return MeasureResult(
        measure=measure, figures=figures, threshold=threshold, threshold_rule=rule,
        threshold_source=source, changes=pairs[["id", "group", "before", "after", "change", "class"]],
        groups=groups, hidden=hidden, warnings=warnings,
        key=item.key if item is not None else measure_key(measure),
        better="higher" if higher_is_better else "lower", item=item,
        bands=band_table(pairs, item, min_group_size) if has_bands else None,
        band_moves=band_moves(pairs, item, min_group_size) if has_bands else None,
    )


def measure_key(name: str) -> str:
    """A measure's key in summary.json: "Confidence (1-10)" -> "confidence_1_10".

    Example:
        >>> measure_key("SWEMWBS"), measure_key("Feeling connected")
        ('swemwbs', 'feeling_connected')
    """
    return re.sub(r"[^a-z0-9]+", "_", str(name).casefold()).strip("_") or "score"


def band_table(pairs: pd.DataFrame, item: Item, min_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """People per published band at the start and at the end, small counts hidden.

    Args:
        pairs: One row per person with both scores (``before``, ``after``).
        item: An item with bands (ONS4).
        min_size: Counts of 1 to ``min_size - 1`` people are hidden (with one more
            where the hidden ones could be worked out from the total).

    Returns:
        Columns ``band``, ``low``, ``high``, ``start``, ``end`` (people, or ``None``
        where hidden), ``start_hidden``, ``end_hidden`` (booleans).

    Example:
        >>> from helpers.impact.scales import SCALES
        >>> pairs = pd.DataFrame({"before": [3, 3, 4, 2, 1, 2, 5, 6, 5, 6, 5],
        ...                       "after": [7, 7, 8, 8, 7, 9, 9, 9, 9, 9, 8]})
        >>> band_table(pairs, SCALES["ons4"].items[0])[["band", "start", "end"]].values.tolist()
        [['low', 6, 0], ['medium', 5, 0], ['high', 0, 6], ['very high', 0, 5]]
    """
    rows = []
    for band in item.bands:
        rows.append({"band": band.name, "low": band.low, "high": band.high,
                     "start": int(pairs["before"].between(band.low, band.high).sum()),
                     "end": int(pairs["after"].between(band.low, band.high).sum())})
    table = pd.DataFrame(rows)
    worst = table.index[table["band"].eq(item.worst_band)][0] if item.worst_band else None
    for stage in ("start", "end"):
        # The worst band's start count is given again in words (band_moves): never the one hidden for it.
        hidden, _ = small_counts(table[stage], min_size, keep=worst if stage == "start" else None)
        table[f"{stage}_hidden"] = hidden
        table[stage] = table[stage].astype("object").where(~hidden, None)
    return table


def band_moves(pairs: pd.DataFrame, item: Item, min_size: int = MIN_GROUP_SIZE) -> dict:
    """How many people started in the item's worst band, and how many of them left it.

    Args:
        pairs: One row per person with both scores.
        item: An item with bands and a ``worst_band`` ("low", or "high" for anxiety).
        min_size: Counts of people under this are not given (``None``), with ``shown`` False.

    Returns:
        ``{"band": name, "started_in": n, "moved_out": n, "share_moved_out": share, "shown": bool}``.

    Example:
        >>> from helpers.impact.scales import SCALES
        >>> pairs = pd.DataFrame({"before": [7, 8, 9, 6, 7, 2, 3], "after": [5, 3, 7, 4, 5, 2, 6]})
        >>> band_moves(pairs, SCALES["ons4"].items[3])
        {'band': 'high', 'started_in': 5, 'moved_out': None, 'share_moved_out': None, 'shown': False}
    """
    worst = next(b for b in item.bands if b.name == item.worst_band)
    started = pairs["before"].between(worst.low, worst.high)
    left = started & ~pairs["after"].between(worst.low, worst.high)
    n_started, n_left = int(started.sum()), int(left.sum())
    # Both who left and who stayed are groups of people: each must reach min_size, or neither is given.
    shown = n_started >= min_size and (n_left == 0 or n_left >= min_size) and (
        n_started - n_left == 0 or n_started - n_left >= min_size)
    return {"band": worst.name, "started_in": n_started if n_started >= min_size else None,
            "moved_out": n_left if shown else None,
            "share_moved_out": n_left / n_started if shown else None, "shown": shown}


def measure_impact(
    table,
    *,
    higher_is_better: bool = True,
    meaningful_change: float | str | None = None,
    seed: int = DEFAULT_SEED,
    min_group_size: int = MIN_GROUP_SIZE,
    **shape,
) -> ImpactResult:
    """Analyse before-and-after scores: the one call a playbook makes.

    Args:
        table: A :class:`~helpers.reading.loader.LoadedTable` or a DataFrame (index =
            the spreadsheet's row numbers).
        higher_is_better: False when a fall is good (a loneliness score, say).
        meaningful_change: The change for one person that counts as meaningful,
            in score points; blank uses the scale's published threshold, else a
            reliable change worked out from the data's own reliability (when
            question answers are given), else any change counts.
        seed: Seed for the bootstrap interval.
        min_group_size: Groups smaller than this are hidden.
        **shape: The parameters of :func:`collect_scores` (``id_column``,
            ``before_column``, ``before_items``, ``stage_column``, ``scale``,
            ``group_column``...).

    Returns:
        :class:`ImpactResult`.

    Raises:
        InputProblem: The file or a parameter does not fit (see :func:`collect_scores`).

    Example:
        >>> table = pd.DataFrame({"ref": list("abcdef"), "Score before": [20.73, 17.43, 19.25, 23.21, 16.36, 21.54],
        ...                       "Score after": [23.21, 17.98, 24.11, 22.35, 19.98, 21.54]}, index=range(2, 8))
        >>> result = measure_impact(table, id_column="ref")
        >>> result.main.figures["n_pairs"], result.main.figures["improved"]
        (6, 2)
    """
    collected = collect_scores(table, **shape)
    if not isinstance(higher_is_better, bool):
        raise InputProblem(f"higher_is_better is '{higher_is_better}'; it takes true or false.")
    measures = [
        _analyse_measure(collected, measure, higher_is_better, meaningful_change, seed, min_group_size)
        for measure in collected.measures
    ]
    for m in measures:
        if m.figures["n_pairs"] == 0:
            f = m.figures
            raise InputProblem(
                f"No one has both a start and an end score for {m.measure}: {f['n_before_only']} people have "
                f"only a start score and {f['n_after_only']} only an end score. Check that the parameters "
                f"name the right columns (and, with stage_column, the right before_label and after_label), "
                f"and that each person's id is written the same way on both forms."
            )
    result = ImpactResult(collected=collected, measures=measures, higher_is_better=higher_is_better)
    if collected.category_columns:
        frame = table.frame if hasattr(table, "frame") else table
        counts = concern_categories(frame, collected.category_columns)
        hidden, info = small_counts(counts, min_group_size)
        result.categories = pd.DataFrame({"category": counts.index[~hidden.to_numpy()],
                                          "concerns": counts[~hidden.to_numpy()].to_numpy()})
        result.categories_hidden = info
    return result
