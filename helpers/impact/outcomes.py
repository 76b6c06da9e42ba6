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
    holm_adjust,
    small_counts,
    wilcoxon_signed_rank,
)
from helpers.impact.findings import COMPARED, change_decimals, dropout_sentences, in_sentence
from helpers.writing.narrative import list_in_words, percent, plural
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
    cautions: dict = field(default_factory=dict)


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
        """Every caution once for the report: "no comparison group" first, then the rest by kind."""
        if len(self.measures) == 1:
            direction = "rose" if (self.main.figures["mean_change"] or 0) >= 0 else "fell"
            say = f"Say \"scores {direction}\", not \"we {'raised' if direction == 'rose' else 'lowered'} scores\"."
        else:
            say = "Say \"scores rose\" (or fell), not \"we raised scores\"."
        first = [(f"There is no comparison group (people like these who did not get support), so the figures "
                  f"show how scores changed, not what caused the change. {say}")]
        return first + caution_sentences(self.measures, self.collected.scale)

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
        if self.collected.scale.key == "mycaw":
            # People whose concerns scored at the start differ from those at the end (compared on the shared ones).
            summary["people_with_different_concerns"] = self.collected.different_concerns
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


def _cautions(m: dict, scale: Scale, threshold_rule: str, higher_is_better: bool,
              pairs: pd.DataFrame, groups_shown: int, item: Item | None = None) -> dict[str, dict]:
    """The cautions that apply to one measure, by kind, with the facts each is written from.

    Kinds: ``small`` (under 30 pairs), ``start`` (people started on the worse side of a national
    average), ``worst_moved_most`` (the worst starts improved most), ``dropout`` (over 30% left),
    ``no_threshold`` and ``groups``. :func:`caution_sentences` writes them, once per report.
    """
    cautions: dict[str, dict] = {}
    n = m["n_pairs"]
    if n < MIN_PAIRS_ADVISED:
        cautions["small"] = {"n": n, "scale": scale.key}
    reference = source = None
    if item is not None and item.national_mean is not None:
        reference, source = item.national_mean, "uk"
    elif item is None and scale.population_mean is not None and higher_is_better:
        reference, source = scale.population_mean, "adults"
    if reference is not None and n > 0 and (m["mean_before"] < reference) == higher_is_better:
        cautions["start"] = {"start": m["mean_before"], "reference": reference, "source": source,
                             "better": "higher" if higher_is_better else "lower"}
    elif reference is None and n >= 10 and pairs["before"].std() > 0 and pairs["change"].std() > 0:
        # Whichever way is better, the worst starts moving most shows as start and change running opposite.
        if pairs["before"].corr(pairs["change"]) <= -0.3:
            cautions["worst_moved_most"] = {}
    started = n + m["n_before_only"]
    if started and m["n_before_only"] / started > HEAVY_DROPOUT:
        cautions["dropout"] = {"left": m["n_before_only"], "started": started}
    if threshold_rule == "none":
        cautions["no_threshold"] = {}
    if groups_shown >= 2:
        cautions["groups"] = {"shown": groups_shown}
    return cautions


def _start_phrase(measure: MeasureResult, facts: dict, named: bool) -> str:
    """ "life satisfaction (5.1, below the UK average of 7.45)", the right way round for the measure."""
    side = "below" if facts["better"] == "higher" else "above"
    whose = "the UK average" if facts["source"] == "uk" else "the average for adults"
    text = f"{facts['start']:.1f}, {side} {whose} of {facts['reference']:g}"
    return f"{in_sentence(measure.measure)} ({text})" if named else f"({text})"


def caution_sentences(measures: list[MeasureResult], scale: Scale) -> list[str]:
    """Each caution once for the whole report, naming the measures it applies to.

    Regression to the mean is said once, each measure in its own direction: people who start low on
    a score where higher is better "joined at a low point"; on anxiety, where lower is better, they
    "joined at a high point".

    Example:
        >>> table = pd.DataFrame({"Happy (start)": [3, 4, 5, 2] * 3, "Happy (end)": [5, 5, 6, 4] * 3,
        ...                       "Anxious (start)": [7, 8, 6, 9] * 3, "Anxious (end)": [5, 6, 6, 7] * 3})
        >>> [c for c in measure_impact(table, scale="ons4").warnings if "joined" in c][0][:86]
        'People joined at a low point on happiness (3.5, below the UK average of 7.39) and at a'
    """
    several = len(measures) > 1
    by_kind: dict[str, list[tuple[MeasureResult, dict]]] = {}
    for m in measures:
        for kind, facts in m.cautions.items():
            by_kind.setdefault(kind, []).append((m, facts))
    said = []
    if "small" in by_kind:
        sizes = sorted({facts["n"] for _, facts in by_kind["small"]})
        who = "The scale's authors advise" if scale.key != "none" else "It is wise to have"
        count = (plural(sizes[0], 'person has', 'people have') if len(sizes) == 1
                 else f"{sizes[0]:,} to {sizes[-1]:,} people have")
        said.append(
            f"Only {count} both a before and an after score{', depending on the measure' if len(sizes) > 1 else ''}. "
            f"{who} at least {MIN_PAIRS_ADVISED} before reading much into an average, so treat these figures as "
            f"a first look."
        )
    if "start" in by_kind:
        starts = by_kind["start"]
        national = any(f["source"] == "uk" for _, f in starts)
        when = "April 2022 to March 2023" if national else scale.population_source
        if not several:
            m, f = starts[0]
            point, side = ("low", "below") if f["better"] == "higher" else ("high", "above")
            whose = "the UK average" if f["source"] == "uk" else "the average for adults"
            opening = (f"People joined at a {point} point: their average {in_sentence(m.measure) + ' ' if m.item else ''}"
                       f"score at the start ({f['start']:.1f}) was {side} {whose} ({f['reference']:g} in {when})"
                       f"{'; lower is better here' if f['better'] == 'lower' else ''}.")
        else:
            low = [(m, f) for m, f in starts if f["better"] == "higher"]
            high = [(m, f) for m, f in starts if f["better"] == "lower"]
            clauses = []
            if low:
                clauses.append("at a low point on " + list_in_words([_start_phrase(m, f, True) for m, f in low], 6))
            if high:
                clauses.append("at a high point on " + list_in_words([_start_phrase(m, f, True) for m, f in high], 6)
                               + ", where lower is better")
            opening = f"People joined {' and '.join(clauses)}. The {'UK ' if national else ''}averages are for {when}."
        said.append(
            f"{opening} Scores that start far from the average tend to move back towards it anyway (regression to "
            f"the mean), so part of the change may have happened without support."
        )
    if "worst_moved_most" in by_kind:
        named = [in_sentence(m.measure) for m, _ in by_kind["worst_moved_most"]]
        said.append(
            f"The people who started with the worst scores improved the most{' on ' + list_in_words(named) if several else ''}. "
            f"Part of that is likely regression to the mean: a score taken at a bad moment tends to be followed "
            f"by a better one, with or without support."
        )
    if "dropout" in by_kind:
        shares = sorted({percent(f["left"], f["started"]) for _, f in by_kind["dropout"]},
                        key=lambda text: float(text.rstrip("%")))
        share = shares[0] if len(shares) == 1 else f"Between {shares[0]} and {shares[-1]}"
        text = (f"{share} of the people with a start score have no end score"
                f"{', depending on the measure' if len(shares) > 1 else ''}. The change for those who stayed may "
                f"not speak for everyone.")
        first = measures[0]
        decision, side = dropout_sentences(first.figures, first.better == "higher")
        if decision == COMPARED and first.cautions.get("dropout") is not None:
            text += f" {side}" if not several else f" On {in_sentence(first.measure)}, {side[0].lower()}{side[1:]}"
        said.append(text)
    if "no_threshold" in by_kind:
        said.append(
            "No meaningful-change threshold is known for "
            + ("this score" if not several else list_in_words([in_sentence(m.measure) for m, _ in by_kind["no_threshold"]]))
            + ", so \"improved\" means any change in the better direction, however small. The volunteer can set "
            "the smallest change that matters and run again."
        )
    if "groups" in by_kind:
        shown = max(f["shown"] for _, f in by_kind["groups"])
        said.append(f"With {shown} groups compared, some differences between them will appear by chance alone. "
                    f"Treat them as questions to ask, not findings.")
    return said


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
    # Decimals at which the start, the end and the change add up as printed (5.26 to 5.84 is +0.58).
    figures["decimals"] = change_decimals([(figures["mean_before"], figures["mean_after"], figures["mean_change"])])
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
    cautions = _cautions(figures, collected.scale, rule, higher_is_better, pairs,
                         0 if groups is None else len(groups), item)
    has_bands = item is not None and bool(item.bands)
    result = MeasureResult(
        measure=measure, figures=figures, threshold=threshold, threshold_rule=rule,
        threshold_source=source, changes=pairs[["id", "group", "before", "after", "change", "class"]],
        groups=groups, hidden=hidden, warnings=[], cautions=cautions,
        key=item.key if item is not None else measure_key(measure),
        better="higher" if higher_is_better else "lower", item=item,
        bands=band_table(pairs, item, min_group_size) if has_bands else None,
        band_moves=band_moves(pairs, item, min_group_size) if has_bands else None,
    )
    # The measure's own cautions, for its block in summary.json (the report says each kind once).
    result.warnings = caution_sentences([result], collected.scale)
    return result


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


#: A change needs at least this many people with both scores: one person gives no spread, no range.
MIN_PAIRS = 2


def _enough_pairs(collected: CollectedScores, measures: list[MeasureResult]) -> list[MeasureResult]:
    """The measures with at least :data:`MIN_PAIRS` people scored at both times.

    A measure with fewer is left out with a note when others remain (MYCaW's concern 2, which few
    people name, or one ONS4 question nobody answered twice); when none remains the run stops with
    a sentence saying why: every score blank, one person, or no one with both.
    """
    kept = [m for m in measures if m.figures["n_pairs"] >= MIN_PAIRS]
    if kept:
        for m in measures:
            if m not in kept:
                collected.notes.append(
                    f"{m.measure} is left out: {plural(m.figures['n_pairs'], 'person has', 'people have')} it "
                    f"scored at both the start and the end, and a change needs at least {MIN_PAIRS}."
                )
        collected.measures = [m.measure for m in kept]
        return kept
    f, name = measures[0].figures, measures[0].measure
    if all(m.figures["n_pairs"] + m.figures["n_before_only"] + m.figures["n_after_only"] == 0 for m in measures):
        raise InputProblem(
            f"Every score is blank, at the start and at the end ({list_in_words([m.measure for m in measures])}), "
            f"so there is nothing to compare. Check that this is the file with the scores typed in, and that the "
            f"parameters name the score columns."
        )
    if f["n_pairs"] == 1:
        raise InputProblem(
            f"Only 1 person has both a start and an end score for {name}, and a change needs at least "
            f"{MIN_PAIRS} people ({f['n_before_only']:,} more have only a start score, {f['n_after_only']:,} only "
            f"an end score). Run it again when more end forms are in."
        )
    raise InputProblem(
        f"No one has both a start and an end score for {name}: {f['n_before_only']} people have "
        f"only a start score and {f['n_after_only']} only an end score. Check that the parameters name "
        f"the right columns (and, with stage_column, the right before_label and after_label), and that "
        f"each person's id is written the same way on both forms."
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
    if collected.different_concerns and isinstance(getattr(table, "log", None), list):
        # People scored on different concerns at the two times are named (by row) in the load log too.
        table.log.extend(note for note in collected.notes if "scored different concerns" in note)
    if not isinstance(higher_is_better, bool):
        raise InputProblem(f"higher_is_better is '{higher_is_better}'; it takes true or false.")
    measures = [
        _analyse_measure(collected, measure, higher_is_better, meaningful_change, seed, min_group_size)
        for measure in collected.measures
    ]
    measures = _enough_pairs(collected, measures)
    if len(measures) > 1:
        # Several measures tested at once: Holm's adjustment keeps the chance of any false alarm at 5%.
        for m, adjusted in zip(measures, holm_adjust([m.figures["p_value"] for m in measures]), strict=True):
            m.figures["p_value_holm"] = adjusted
    result = ImpactResult(collected=collected, measures=measures, higher_is_better=higher_is_better)
    if collected.category_columns:
        frame = table.frame if hasattr(table, "frame") else table
        counts = concern_categories(frame, collected.category_columns)
        hidden, info = small_counts(counts, min_group_size)
        result.categories = pd.DataFrame({"category": counts.index[~hidden.to_numpy()],
                                          "concerns": counts[~hidden.to_numpy()].to_numpy()})
        result.categories_hidden = info
    return result
