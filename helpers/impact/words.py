"""Words, tables and charts for the impact-measurement report, built from the analysis.

:mod:`helpers.impact.outcomes` works the figures out; this module turns them into what a
trustee reads: a one-minute summary, a paragraph to paste into a funding report
that does not claim more than the figures show, tables with plain headings, next
steps chosen from the findings, and two charts with alt text. Every number in the
text comes from the figures; nothing personal is printed.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.impact.charts import before_after_chart, change_chart  # noqa: F401  (re-exported)
from helpers.impact.outcomes import (
    MIN_GROUP_SIZE,
    MIN_PAIRS_ADVISED,
    CollectedScores,
    ImpactResult,
    MeasureResult,
    measure_impact,  # noqa: F401  (the examples below use it)
)
from helpers.impact.findings import (
    change_decimals,
    dropout_claim,
    dropout_sentences,
    improvement_claim,
    improvement_phrase,
    in_sentence,
    number,
    points,
    shares_that_add_up,
)
from helpers.writing.narrative import list_in_words, percent, plural

#: Below this many people no headline says a change is more than chance.
MIN_PAIRS_HEADLINE = 10


def _points(value: float, digits: int = 1) -> str:
    return points(value, digits)


def _threshold_points(m: MeasureResult) -> str:
    return f"{m.threshold:.3g} {'point' if m.threshold == 1 else 'points'}"


def _threshold_words(m: MeasureResult) -> str:
    if m.threshold_rule == "published" and m.item is not None:
        return "the smallest change the form records"
    if m.threshold_rule == "published":
        return "a change bigger than the scale's measurement error for one person"
    if m.threshold_rule == "reliable change":
        return "the change too big to be put down to the ups and downs of measuring, worked out from this data"
    return "the line chosen for this report"


def _sentences(result: ImpactResult, m: MeasureResult, charity_name: str = "") -> dict[str, str]:
    """The sentences the summary and the headline are built from, keyed by what they say."""
    f = m.figures
    n = f["n_pairs"]
    scale = result.collected.scale
    people = plural(n, "person", "people") + (f" supported by {charity_name}" if charity_name else "")
    said: dict[str, str] = {}
    if scale.key == "none":
        said["who"] = f"{people} {'has' if n == 1 else 'have'} a {m.measure} score from the start and the end of their support."
    elif scale.items:
        said["who"] = (f"{people} gave a {in_sentence(m.measure)} score on the {scale.short} form at the start and at "
                       f"the end of their support.")
    else:
        said["who"] = (f"{people} filled in the {scale.short} wellbeing questionnaire at the start and at the end "
                       f"of their support.")
    if n == 0:
        said["average"] = "So no change can be measured yet."
        return said
    change, low, high = f["mean_change"], f["ci95_low"], f["ci95_high"]
    digits = f["decimals"]
    said["verb"] = "rose" if change > 0 else "fell" if change < 0 else "held"
    if change == 0:
        said["average"] = f"Their average score stayed at {number(f['mean_before'], digits)}."
    else:
        said["average"] = (
            f"Their average score {said['verb']} from {number(f['mean_before'], digits)} to "
            f"{number(f['mean_after'], digits)}, {'a rise' if change > 0 else 'a fall'} of {_points(change, digits)}."
        )
        if m.better == "lower":
            better = change < 0
            said["average"] += (f" Lower is better here, so this is {'an improvement' if better else 'a worsening'} "
                                f"of {_points(change, digits)} (start minus end: {number(-change, digits, signed=True)}).")
    said["clear"] = ""
    if change == 0 or low == high:
        pass  # nobody's score moved, or all moved alike: there is no range to give
    elif math.isfinite(low) and (low > 0 or high < 0):
        direction = "rise" if low > 0 else "fall"
        near, far = sorted((abs(low), abs(high)))
        said["interval"] = (
            f"Allowing for chance, the true average {direction} for people like these is likely to be "
            f"between {number(near, digits)} and {number(far, digits)} points."
        )
        said["clear"] = f"A {direction} this big would be unlikely if, on average, nothing had changed."
    elif math.isfinite(low):
        said["interval"] = (
            f"A change this size could be down to chance: the likely range runs from "
            f"{'a fall' if low < 0 else 'a rise'} of {_points(low, digits)} to {'a rise' if high > 0 else 'a fall'} "
            f"of {_points(high, digits)}."
        )
        said["clear"] = "A change this size could be down to chance."
    improved, worse = f["improved"], f["worse"]
    if m.threshold_rule == "none" or m.threshold <= 0:
        said["classes"] = (f"{improved} of the {n} ({percent(improved, n)}) ended with a better score and "
                           f"{worse} ({percent(worse, n)}) with a worse one.")
        said["classes_short"] = said["classes"]
    else:
        said["classes"] = (
            f"{improved} of the {n} ({percent(improved, n)}) improved by at least {_threshold_points(m)}, "
            f"{_threshold_words(m)}. {worse} ({percent(worse, n)}) got worse by that much."
        )
        # The words come from the improvement claim: "a meaningful amount" only for a measurement-error line.
        said["classes_short"] = (f"{improved} of the {n} ({percent(improved, n)}) {improvement_phrase(m)}, "
                                 f"and {worse} got worse.")
    said["missing"] = missing_sentence(f["n_before_only"])
    if n < MIN_PAIRS_ADVISED:
        said["small"] = f"With only {plural(n, 'person', 'people')}, treat this as a first look."
    said["cause"] = (
        f"These figures show that scores {said['verb']} while people were supported, not how much of the "
        f"change the service caused."
    )
    return said


def missing_sentence(left: int) -> str:
    """Who filled in the first form only, in words that read right for one person or many ("" for none).

    Example:
        >>> missing_sentence(1)
        'One more person filled in the first form but not the second, so is not in these figures.'
        >>> missing_sentence(6)[:52]
        'Another 6 people filled in the first form but not th'
    """
    if not left:
        return ""
    if left == 1:
        return "One more person filled in the first form but not the second, so is not in these figures."
    return (f"Another {plural(left, 'person', 'people')} filled in the first form but not the second, so they are "
            f"not in these figures.")


def headline(result: ImpactResult, measure: MeasureResult | None = None, charity_name: str = "") -> str:
    """One plain paragraph for a funding report, built from the figures.

    It says who is counted, how the average moved and how sure we can be, how
    many people changed by a meaningful amount, who is missing, and that without
    a comparison group the change cannot be put down to the service.

    Args:
        result: From :func:`measure_impact`.
        measure: Which measure (default: the first).
        charity_name: Used as "people supported by <name>" when given.

    Returns:
        The paragraph (plain text, no personal data).

    Example:
        >>> table = pd.DataFrame({"Score before": [20.73, 17.43, 19.25], "Score after": [23.21, 17.98, 24.11]})
        >>> headline(measure_impact(table)).split(".")[0]
        '3 people filled in the SWEMWBS wellbeing questionnaire at the start and at the end of their support'
    """
    said = _sentences(result, measure or result.main, charity_name)
    keys = ("who", "average", "interval", "classes", "missing", "small", "cause")
    return " ".join(said[k] for k in keys if said.get(k))


def _summary_said(result: ImpactResult, m: MeasureResult, charity_name: str) -> dict[str, str]:
    """The sentences of the summary, the average's ending saying how sure we can be."""
    said = _sentences(result, m, charity_name)
    if said.get("clear"):
        # Below 10 people no headline claims more than chance, whatever the test says.
        if m.figures["n_pairs"] < MIN_PAIRS_HEADLINE:
            ending = (f", but with only {plural(m.figures['n_pairs'], 'person', 'people')} it is too soon to tell "
                      f"this apart from chance.")
        elif "unlikely" in said["clear"]:
            ending = ", a change that would be unlikely if nothing had really changed."
        else:
            ending = ", but a change this size could be down to chance."
        said["average"] = said["average"].rstrip(".") + ending
    return said


def summary_text(result: ImpactResult, measure: MeasureResult | None = None, charity_name: str = "") -> str:
    """The report's opening: three to five short sentences a trustee reads in a minute.

    Example:
        >>> table = pd.DataFrame({"Score before": [20.73, 17.43, 19.25], "Score after": [23.21, 17.98, 24.11]})
        >>> summary_text(measure_impact(table)).split(". ")[1]
        'Their average score rose from 19.14 to 21.77, a rise of 2.63 points, but with only 3 people it is too soon to tell this apart from chance'
    """
    said = _summary_said(result, measure or result.main, charity_name)
    keys = ("who", "average", "classes_short", "missing", "cause")
    return " ".join(said[k] for k in keys if said.get(k))


def main_points(result: ImpactResult, charity_name: str = "") -> tuple[list[tuple[str, str]], list[str]]:
    """The Main points box: three headline figures and three to five plain sentences.

    Returns:
        ``(figures, sentences)`` for :func:`helpers.writing.narrative.show_main_points`.

    Example:
        >>> table = pd.DataFrame({"Score before": [20.73, 17.43, 19.25], "Score after": [23.21, 17.98, 24.11]})
        >>> figures, sentences = main_points(measure_impact(table))
        >>> figures
        [('3', 'people with a start and an end score'), ('+2.63', 'points: the average change'), ('1 of 3', 'improved by a meaningful amount')]
    """
    m = result.main
    f = m.figures
    n = f["n_pairs"]
    figures = [
        (f"{n:,}", "people with a start and an end score"),
        (number(f["mean_change"], f["decimals"], signed=True),
         (f"points: the average change in {in_sentence(m.measure)}" if result.collected.scale.items
          else "points: the average change") + (" (lower is better)" if m.better == "lower" else "")),
        # The same words as the change chart's title and the improvement claim.
        (f"{f['improved']:,} of {n:,}", improvement_phrase(m)),
    ]
    said = _summary_said(result, m, charity_name)
    sentences = [said[k] for k in ("who", "average", "classes_short", "missing") if said.get(k)]
    if len(result.measures) > 1:
        others = "; ".join(f"{in_sentence(o.measure)} {_change_phrase(o)}" for o in result.measures[1:])
        sentences.append(f"On the other measures: {others}.")
    sentences.append("These figures show change while people were supported, not what caused it.")
    return figures, sentences[:5]


def _change_phrase(m: MeasureResult) -> str:
    change = m.figures["mean_change"]
    if not change:
        return "did not change on average"
    better = (change > 0) == (m.better == "higher")
    return (f"{'rose' if change > 0 else 'fell'} by {_points(change, m.figures['decimals'])} "
            f"({'better' if better else 'worse'})")


def caveats(result: ImpactResult) -> list[str]:
    """What the analysis cannot tell you, in one list: the figures' own cautions, then the method's limits.

    Example:
        >>> table = pd.DataFrame({"Score before": [20.73, 17.43, 19.25], "Score after": [23.21, 17.98, 24.11]})
        >>> [c for c in caveats(measure_impact(table)) if "comparison group" in c.lower()][0][:36]
        'There is no comparison group (people'
    """
    return [*result.warnings,
            ("It cannot tell you why scores changed: life events, the seasons, other help and the support itself "
             "all play a part."),
            "It counts only the people who filled in both forms, and says nothing about people who never started.",
            "A form is one view on one day. It does not replace what people tell you in their own words."]


def effect_sizes_in_words(f: dict) -> str:
    """Both effect sizes, each with its own label by Cohen's rule of thumb, so the words match the numbers.

    Example:
        >>> effect_sizes_in_words({"effect_size_dz": 0.86, "effect_size_dav": 0.79})
        "d_z is 0.86 (large by Cohen's rule of thumb: 0.2 small, 0.5 medium, 0.8 large) and d_av is 0.79 (medium, just under the line for large)."
    """
    dz, dav = f["effect_size_dz"], f["effect_size_dav"]
    if not (math.isfinite(dz) and math.isfinite(dav)):
        return "The effect sizes cannot be worked out (too few people, or every change the same)."
    text = (f"d_z is {dz:.2f} ({effect_size_words(dz)} by Cohen's rule of thumb: 0.2 small, 0.5 medium, 0.8 large) "
            f"and d_av is {dav:.2f} ({effect_size_words(dav)}")
    lines = (0.2, 0.5, 0.8)
    near = [line for line in lines if 0 < line - abs(dav) < 0.05]
    if near and effect_size_words(dz) != effect_size_words(dav):
        text += f", just under the line for {effect_size_words(near[0] + 0.01)}"
    return text + ")."


def next_steps(result: ImpactResult) -> list[str]:
    """Practical actions for the charity, chosen from what the figures show.

    Returns:
        Short plain-English actions, most useful first.
    """
    m = result.main
    f = m.figures
    collected = result.collected
    steps = []
    if f["n_before_only"]:
        steps.append(
            f"Ask everyone for an end form, including people who stop coming: a short phone call or a "
            f"form in the post. Right now {percent(f['n_before_only'], f['n_pairs'] + f['n_before_only'])} "
            f"of people have no end score."
        )
    forms = f["n_incomplete_before"] + f["n_incomplete_after"]
    if forms:
        steps.append(
            f"Check each form for missed questions before the person leaves. {plural(forms, 'form')} could "
            f"not be scored because a question was left blank or had an answer outside the scale."
        )
    if collected.had_words:
        steps.append("Type answers into the spreadsheet as the numbers 1 to 5, not as words.")
    if f["n_pairs"] < MIN_PAIRS_ADVISED:
        steps.append(
            f"Keep collecting: aim for at least {MIN_PAIRS_ADVISED} people with both forms before you draw "
            f"firm conclusions."
        )
    steps.append(
        "To show what difference the service made, you need a comparison. For example, ask people on a "
        "waiting list to fill in the same form, or set your figures next to national ones."
    )
    if m.hidden["too_small"]:
        steps.append(
            "Wait until each group has more people before you compare groups, or join small groups together."
        )
    steps.append(
        "Keep using the same questions at the same points in time, so next year's figures can be set "
        "next to this year's."
    )
    return steps


def threshold_in_words(m: MeasureResult) -> str:
    """Say where the line for a meaningful change is, where it comes from, and who is on each side.

    Example:
        >>> table = pd.DataFrame({"Score before": [19.25, 20.73], "Score after": [23.21, 20.73]})
        >>> threshold_in_words(measure_impact(table).main).split(". ")[:2]
        ['1 of 2 people improved by a meaningful amount', 'The line is 2.87 points']
    """
    f = m.figures
    n = f["n_pairs"]
    # The three shares are printed side by side, so they must add up to 100%.
    improved, same, worse = shares_that_add_up([f["improved"], f["no_change"], f["worse"]])
    counts = (f"{f['improved']} of {plural(n, 'person', 'people')} ({improved}%) improved by that much, "
              f"{f['no_change']} ({same}%) showed no change that big and {f['worse']} ({worse}%) got worse by that "
              f"much.")
    # The opening sentence is the improvement claim's, word for word (the change chart's title too).
    claim = improvement_claim(m).sentence
    if m.threshold_rule == "none" or m.threshold <= 0:
        return (f"{claim} No line for a meaningful change is known for this score, so any change counts: "
                f"{f['improved']} ({improved}%) ended with a better score, {f['worse']} ({worse}%) with a worse one "
                f"and {f['no_change']} ({same}%) with the same score.")
    return (f"{claim} The line is {_threshold_points(m)}. It comes from {m.threshold_source}. In all, "
            f"{counts}")


def people_table(m: MeasureResult) -> pd.DataFrame:
    """Who is in the figures and who is not, as a small table.

    Example:
        >>> table = pd.DataFrame({"Score before": [20.73, 19.25, 17.43, None], "Score after": [23.21, 19.98, None, 24.11]})
        >>> people_table(measure_impact(table).main)["People"].tolist()
        [2, 1, 1]
    """
    f = m.figures
    rows = [
        ("Both a start and an end score (in the figures)", f["n_pairs"]),
        ("A start score only (left, or no end form)", f["n_before_only"]),
        ("An end score only (no start form)", f["n_after_only"]),
    ]
    if f["n_no_scores"]:
        rows.append(("No score at either point", f["n_no_scores"]))
    return pd.DataFrame(rows, columns=["Who", "People"])


def who_is_missing(result: ImpactResult, measure: MeasureResult | None = None) -> str:
    """Say who is left out and whether those who left started higher or lower.

    Example:
        >>> table = pd.DataFrame({"Score before": [20.73, 17.43, 14.08] + [14.75] * 5,
        ...                       "Score after": [23.21, 19.98, None] + [None] * 5})
        >>> who_is_missing(measure_impact(table)).split(". ")[1]
        'Those who left started lower on average (14.6, against 19.1 for those who stayed)'
        >>> who_is_missing(measure_impact(table.head(3))).split(". ")[1]
        'Only 1 person left without an end score, too few to compare with those who stayed.'
    """
    m = measure or result.main
    f = m.figures
    started = f["n_pairs"] + f["n_before_only"]
    text = (f"Of {plural(started, 'person', 'people')} with a start score, {f['n_pairs']} "
            f"({percent(f['n_pairs'], started)}) also {'has' if f['n_pairs'] == 1 else 'have'} an end score.")
    # Compared only when at least 5 left: the same rule and words as the drop-out claim.
    _, comparison = dropout_sentences(f, m.better == "higher")
    return f"{text} {comparison}".strip()


def columns_in_words(collected: CollectedScores) -> str:
    """Which columns the kit used, and for what, in one line.

    Example:
        >>> table = pd.DataFrame({"Client ID": ["a", "b"], "Score before": [20.73, 19.25], "Score after": [23.21, 19.98]})
        >>> columns_in_words(measure_impact(table).collected)
        "id: 'Client ID'; start: 'Score before'; end: 'Score after'"
    """
    parts = []
    for role, columns in collected.columns_used.items():
        if columns:
            named = (f"'{columns[0]}' to '{columns[-1]}'" if len(columns) > 3
                     else list_in_words([f"'{c}'" for c in columns]))
            parts.append(f"{role}: {named}")
    return "; ".join(parts)


def p_meaning(p: float) -> str:
    """What a p-value says, the right way round: how often a change this big would turn up if nothing changed.

    Example:
        >>> p_meaning(0.0028)
        'if, on average, nothing had changed, a change at least this big would turn up about 3 times in 1,000'
        >>> p_meaning(0.21)
        'if, on average, nothing had changed, a change at least this big would turn up about 21 times in 100'
    """
    if not math.isfinite(p):
        return "there is no p-value (too few people, or every change the same)"
    if p < 0.001:
        often = "less than 1 time in 1,000"
    elif p < 0.01:
        often = f"about {max(1, round(p * 1000))} times in 1,000"
    else:
        often = f"about {max(1, round(p * 100))} times in 100"
    return f"if, on average, nothing had changed, a change at least this big would turn up {often}"


def p_in_words(p: float) -> str:
    """A p-value as the report writes it.

    Example:
        >>> p_in_words(0.0000012), p_in_words(0.0391), p_in_words(float("nan"))
        ('less than 0.001', '0.039', 'not available')
    """
    if not math.isfinite(p):
        return "not available"
    return "less than 0.001" if p < 0.001 else f"{p:.3f}"


def effect_size_words(d: float) -> str:
    """Cohen's rough guide for an effect size: very small, small, medium or large.

    Example:
        >>> effect_size_words(0.1), effect_size_words(-0.55), effect_size_words(0.83)
        ('very small', 'medium', 'large')
    """
    if not math.isfinite(d):
        return "not available"
    size = abs(d)
    return "very small" if size < 0.2 else "small" if size < 0.5 else "medium" if size < 0.8 else "large"


def _number(value: float, digits: int = 2) -> str:
    return "" if value is None or not math.isfinite(value) else number(value, digits)


def figures_table(result: ImpactResult) -> pd.DataFrame:
    """Every headline figure, one column per measure, for the analyst or an appendix."""
    rows = {}
    several = len(result.measures) > 1
    for m in result.measures:
        f = m.figures
        # At least 2 decimals, more where the start, end and change would not add up as printed.
        digits = change_decimals([(f["mean_before"], f["mean_after"], f["mean_change"])], least=2)
        rows[m.measure] = [
            str(f["n_pairs"]),
            _number(f["mean_before"], digits),
            _number(f["mean_after"], digits),
            _number(f["mean_change"], digits),
            f"{_number(f['ci95_low'])} to {_number(f['ci95_high'])}",
            f"{_number(f['bootstrap_ci95_low'])} to {_number(f['bootstrap_ci95_high'])}",
            p_in_words(f["p_value"]),
            *([p_in_words(f.get("p_value_holm", math.nan))] if several else []),
            f"{p_in_words(f['wilcoxon_p'])} ({f['wilcoxon_method']})",
            _number(f["effect_size_dz"]),
            _number(f["effect_size_dav"]),
            _number(f["cronbach_alpha"]) or "no question answers",
            f"{m.threshold:.3g} ({m.threshold_rule})",
            f"{f['improved']} / {f['no_change']} / {f['worse']}",
        ]
    labels = [
        "People with both scores", "Average at the start", "Average at the end", "Average change",
        "95% confidence interval (t)", "95% bootstrap interval", "Paired t-test p-value",
        *(["Paired t-test p-value, Holm-adjusted"] if several else []),
        "Wilcoxon signed-rank p-value", "Effect size d_z", "Effect size d_av",
        "Cronbach's alpha (start answers)", "Meaningful change used", "Improved / no change / worse",
    ]
    return pd.DataFrame({"Figure": labels, **rows})


def groups_table(m: MeasureResult) -> pd.DataFrame | None:
    """The groups shown (small ones already hidden), with plain headings; ``None`` without groups.

    Each row's change is its end minus its start as printed (one decimal), so every row adds up
    as a reader checks it; the unrounded figures are in summary.json.

    Example:
        >>> pairs = pd.DataFrame({"Service": ["A"] * 5 + ["B"] * 5, "Score before": [20.357] * 5 + [18.872] * 5,
        ...                       "Score after": [23.815] * 5 + [21.769] * 5})
        >>> groups_table(measure_impact(pairs, scale="none").main).iloc[0, 2:5].tolist()
        ['20.4', '23.8', '+3.4']
    """
    if m.groups is None:
        return None
    table = m.groups
    starts = [number(v, 1) for v in table["mean_before"]]
    ends = [number(v, 1) for v in table["mean_after"]]
    return pd.DataFrame({
        "Group": table["group"],
        "People": table["people"],
        "Average at the start": starts,
        "Average at the end": ends,
        "Average change": [number(float(end) - float(start), 1, signed=True) for start, end in zip(starts, ends,
                                                                                                  strict=True)],
        "Improved": [f"{n} ({percent(n, total)})" for n, total in zip(table["improved"], table["people"],
                                                                        strict=True)],
    })


#: Why the p-values of several measures are adjusted, for the For analysts section.
HOLM_WHY = (
    "- **Holm-adjusted p-values**: with {count} measures each tested at 5%, the chance that at least one "
    "looks unlikely by chance alone is about {chance}, not 5%; Holm's method (1979) raises each p-value so "
    "that this chance stays at 5% across all {count}, whatever their correlation."
)


def holm_in_words(result: ImpactResult) -> str:
    """The one line on why the p-values are adjusted ("" with one measure).

    Example:
        >>> table = pd.DataFrame({"Happy (start)": [3, 4, 5, 2], "Happy (end)": [5, 5, 6, 4],
        ...                       "Anxious (start)": [7, 8, 6, 9], "Anxious (end)": [5, 6, 6, 7]})
        >>> holm_in_words(measure_impact(table, scale="ons4"))[:60]
        '- **Holm-adjusted p-values**: with 2 measures each tested at'
    """
    count = len(result.measures)
    if count < 2:
        return ""
    chance = f"{round(100 * (1 - 0.95 ** count))}%"
    return HOLM_WHY.format(count=count, chance=chance)


def average_in_words(m: MeasureResult) -> str:
    """The average change with its likely range, its figures adding up as printed (markdown).

    Example:
        >>> table = pd.DataFrame({"Score before": [20.73, 17.43, 19.25], "Score after": [23.21, 17.98, 24.11]})
        >>> average_in_words(measure_impact(table).main)[:66]
        'On average, scores went from **19.14** to **21.77**, a change of *'
    """
    f = m.figures
    digits = f["decimals"]
    text = (
        f"On average, scores went from **{number(f['mean_before'], digits)}** to **{number(f['mean_after'], digits)}**, "
        f"a change of **{number(f['mean_change'], digits, signed=True)}** points. We can't be sure of the exact "
        f"figure, because a different group of people would give a slightly different answer."
    )
    if not math.isfinite(f["ci95_low"]):
        return text
    text += (f" The **likely range** of the true average change runs from {number(f['ci95_low'], digits, signed=True)} "
             f"to {number(f['ci95_high'], digits, signed=True)} points")
    if math.isfinite(f["bootstrap_ci95_low"]):
        text += (f"; working it out a second way, by resampling the people, gives "
                 f"{number(f['bootstrap_ci95_low'], digits, signed=True)} to "
                 f"{number(f['bootstrap_ci95_high'], digits, signed=True)}.")
    else:
        text += "."
    return text


def report_claims(result: ImpactResult) -> list:
    """The conclusions the report draws, as claims for summary.json (in report order).

    For each measure: how many improved, in the words its threshold licenses; for the first
    measure, when anyone left, whether those who left are compared with those who stayed.

    Example:
        >>> table = pd.DataFrame({"Happy (start)": [3, 4, 5, 2, 6], "Happy (end)": [5, 5, 6, 4, None]})
        >>> [(c.key, c.decision) for c in report_claims(measure_impact(table, scale="ons4"))]
        [('happiness_improved', 'improved'), ('happiness_dropouts', 'too_few_left')]
    """
    claims = [improvement_claim(m) for m in result.measures]
    dropouts = dropout_claim(result.main)
    if dropouts.decision != "none_left":
        claims.append(dropouts)
    return claims


def groups_in_words(m: MeasureResult) -> str:
    """Say what the group table leaves out, and why.

    Example:
        >>> pairs = pd.DataFrame({"Service": ["A"] * 6 + ["B"] * 2, "Score before": 19.25, "Score after": 20.73})
        >>> groups_in_words(measure_impact(pairs).main).split(". ")[0]
        '2 groups are not shown'
    """
    hidden = m.hidden
    if not hidden["groups"]:
        return f"Every group has at least {MIN_GROUP_SIZE} people, so all are shown."
    extra = hidden["groups"] - hidden["too_small"]
    text = (f"{plural(hidden['groups'], 'group')} {'is' if hidden['groups'] == 1 else 'are'} not shown. "
            f"{plural(hidden['too_small'], 'group')} had fewer than {MIN_GROUP_SIZE} people, and showing "
            f"{'it' if hidden['too_small'] == 1 else 'them'} could identify someone.")
    if extra:
        text += (f" {plural(extra, 'more group')} {'is' if extra == 1 else 'are'} hidden too, so the small "
                 f"group's figures cannot be worked out by taking the others from the total.")
    return text

