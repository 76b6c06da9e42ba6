"""Before-and-after outcome scores: who changed, by how much, and how sure we can be.

:func:`measure_impact` is the one call the playbook makes: it collects the scores
(:mod:`helpers.impact.collect`), works out each measure's statistics
(:mod:`helpers.impact.statistics`), picks the threshold for a meaningful change,
and adds plain-English warnings. :mod:`helpers.impact.words` turns the result into
the report's words, tables and charts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.errors import InputProblem
from helpers.impact.collect import CollectedScores, _given, collect_scores
from helpers.impact.scales import Scale, reliable_change
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
    wilcoxon_signed_rank,
)
from helpers.writing.narrative import percent, plural
from helpers.writing.playbook import to_jsonable

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


@dataclass
class ImpactResult:
    """The whole analysis: every measure, plus how the scores were collected."""

    collected: CollectedScores
    measures: list[MeasureResult]
    higher_is_better: bool

    @property
    def main(self) -> MeasureResult:
        """The first (often only) measure, which the headline and top-level summary describe."""
        return self.measures[0]

    @property
    def warnings(self) -> list[str]:
        """Every measure's warnings, without repeats (named by measure when there are several)."""
        if len(self.measures) == 1:
            return list(self.main.warnings)
        shared = set.intersection(*(set(m.warnings) for m in self.measures))
        named = [f"{m.measure}: {w}" for m in self.measures for w in m.warnings if w not in shared]
        return [w for w in self.main.warnings if w in shared] + named

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
        return to_jsonable(summary)

    def write_changes(self, folder) -> Path:
        """Write changes.csv (one row per person: id as given, scores, change, class)."""
        path = Path(folder) / "changes.csv"
        self.changes_table().to_csv(path, index=False, float_format="%.4g", lineterminator="\n")
        return path


def _threshold(scale: Scale, meaningful_change, alpha: float, sd_before: float) -> tuple[float, str, str]:
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
        return value, "parameter", "the meaningful change set for this run (the meaningful_change parameter)"
    if scale.meaningful_change is not None:
        return scale.meaningful_change, "published", scale.change_source
    rci = reliable_change(sd_before, alpha)
    if math.isfinite(rci):
        return rci, "reliable change", (
            f"this data's own consistency: the reliable change index (Jacobson and Truax, 1991), "
            f"1.96 x square root of 2 x the spread of start scores ({sd_before:.2f}) x square root of "
            f"(1 - Cronbach's alpha {alpha:.2f})"
        )
    return 0.0, "none", "no threshold: any change counts"


def _warnings(m: dict, scale: Scale, threshold_rule: str, higher_is_better: bool,
              pairs: pd.DataFrame, groups_shown: int) -> list[str]:
    warnings = []
    n = m["n_pairs"]
    if n < MIN_PAIRS_ADVISED:
        who = "The scale's authors advise" if scale.key != "none" else "It is wise to have"
        warnings.append(
            f"Only {plural(n, 'person has', 'people have')} both a before and an after score. {who} "
            f"at least {MIN_PAIRS_ADVISED} before reading much into an average, so treat these "
            f"figures as a first look."
        )
    direction = "rose" if (m["mean_change"] or 0) >= 0 else "fell"
    warnings.append(
        f"There is no comparison group (people like these who did not get support), so the figures "
        f"show how scores changed, not what caused the change. Say \"scores {direction}\", not "
        f"\"we {'raised' if direction == 'rose' else 'lowered'} scores\"."
    )
    low_start = (
        scale.population_mean is not None and higher_is_better and n > 0
        and m["mean_before"] < scale.population_mean
    )
    if low_start:
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
            "No meaningful-change threshold is known for this score, so \"improved\" means any rise "
            "at all, however small. Set meaningful_change to the smallest change that matters."
        )
    if groups_shown >= 2:
        warnings.append(
            f"With {groups_shown} groups compared, some differences between them will appear by "
            f"chance alone. Treat them as questions to ask, not findings."
        )
    return warnings


def _analyse_measure(collected: CollectedScores, measure: str, higher_is_better: bool, meaningful_change,
                     seed: int, min_group_size: int) -> MeasureResult:
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
    threshold, rule, source = _threshold(collected.scale, meaningful_change, alpha, sd_before_all)
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
                         0 if groups is None else len(groups))
    return MeasureResult(
        measure=measure, figures=figures, threshold=threshold, threshold_rule=rule,
        threshold_source=source, changes=pairs[["id", "group", "before", "after", "change", "class"]],
        groups=groups, hidden=hidden, warnings=warnings,
    )


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
    return ImpactResult(collected=collected, measures=measures, higher_is_better=higher_is_better)
