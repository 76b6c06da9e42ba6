"""Before-and-after outcome scores: who changed, by how much, and how sure we can be.

A charity measures people at the start and at the end of support (a wellbeing
questionnaire, a 1-10 rating...). This module takes its file in any of three
shapes, puts each person's two scores side by side (:func:`collect_scores`),
then works out the change the way a careful analyst would (:func:`measure_impact`):
who is in the figures and who dropped out, the average change with its 95%
confidence interval, the paired t-test and Wilcoxon signed-rank test (matching
R's ``t.test`` and ``wilcox.test`` defaults), two named effect sizes, each
person classed as improved / no meaningful change / worse, figures by group with
small groups hidden, and plain-English warnings. :mod:`helpers.impact.words`
turns the result into the report's words, tables and charts.

The three shapes:

* wide scores: one row per person, a "before" and an "after" column
  (``before_column``, ``after_column``; several pairs, comma-separated, for
  several outcomes);
* wide items: one row per person, the questionnaire's answers for each time point
  (``before_items``, ``after_items``: comma-separated columns, or a prefix);
* long: one row per person per time point (``stage_column`` with
  ``before_label`` / ``after_label``, and ``score_column`` or ``items``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from helpers.errors import InputProblem
from helpers.writing.narrative import list_in_words, percent, plural
from helpers.writing.playbook import to_jsonable
from helpers.reading.roles import check_columns_exist, resolve_roles, split_column_list
from helpers.impact.scales import (
    ANSWER_WORDS,
    ItemScores,
    Scale,
    blank_cells,
    cronbach_alpha,
    get_scale,
    numbers_in,
    reliable_change,
    rows_in_words,
    score_items,
    swemwbs_metric,
)

#: The class each person gets, in report order.
IMPROVED, NO_CHANGE, WORSE = "improved", "no meaningful change", "worse"
CLASSES = (IMPROVED, NO_CHANGE, WORSE)

#: Groups with fewer people than this are not shown: they could identify someone.
MIN_GROUP_SIZE = 5
#: Below this many pairs, the WEMWBS authors advise against reading much into an average.
MIN_PAIRS_ADVISED = 30
#: Above this share of drop-outs, the people who stayed may not speak for everyone.
HEAVY_DROPOUT = 0.30
DEFAULT_SEED = 20240501
BOOTSTRAP_RESAMPLES = 10_000

#: Stage labels recognised when before_label / after_label are left blank.
_BEFORE_WORDS = ("before", "pre", "start", "baseline", "referral", "entry", "intake", "first",
                 "initial", "beginning", "week 0")
_AFTER_WORDS = ("after", "post", "end", "follow up", "follow-up", "followup", "exit", "final",
                "last", "discharge", "review", "12 week", "12 weeks", "week 12")


# ---------------------------------------------------------------------------
# Reshaping: any input shape -> one row per person per measure, before and after
# ---------------------------------------------------------------------------


@dataclass
class CollectedScores:
    """Each person's before and after scores, however the file was laid out.

    Attributes:
        scores: One row per person per measure with columns ``id`` (as given),
            ``group``, ``measure``, ``before`` and ``after`` (missing when not taken).
        scale: The :class:`~helpers.impact.scales.Scale` used.
        shape: "wide scores", "wide items", "long scores" or "long items".
        measures: The measure names, in the order given.
        group_column: The column the groups came from, or ``None``.
        alpha: Cronbach's alpha of the "before" answers per measure (items only).
        incomplete: People per stage ("before", "after") with a partly filled
            questionnaire, who therefore get no score for that stage.
        notes: Plain sentences on the rules applied to this file.
        columns_used: What each column the kit used was taken as ("id", "group",
            "start", "end", "time point"...) -> the column names.
        had_words: Whether some answers were written as words.
    """

    scores: pd.DataFrame
    scale: Scale
    shape: str
    measures: list[str]
    group_column: str | None = None
    alpha: dict[str, float] = field(default_factory=dict)
    incomplete: dict[str, int] = field(default_factory=lambda: {"before": 0, "after": 0})
    notes: list[str] = field(default_factory=list)
    columns_used: dict[str, list[str]] = field(default_factory=dict)
    had_words: bool = False


def _given(value) -> bool:
    return value is not None and str(value).strip() != ""


def _restore_unreadable(table) -> pd.DataFrame:
    """The loaded frame, with cells the loader could not read put back as their text.

    The loader turns a stray word in a number column into a missing value; for
    questionnaires that word may be a valid answer ("Often"), and otherwise the
    volunteer must hear about it, so the analysis sees the text as typed.
    """
    if not hasattr(table, "frame"):
        return table
    frame = table.frame
    unreadable = {c: rows for c, rows in (getattr(table, "unreadable", None) or {}).items() if rows}
    if unreadable:
        frame = frame.copy()
        for column, rows in unreadable.items():
            if column in frame.columns:
                frame[column] = frame[column].astype("object")
                frame.loc[rows, column] = table.raw.loc[rows, column]
    return frame


def item_columns(frame: pd.DataFrame, spec: str, parameter: str) -> list[str]:
    """The answer columns a parameter names: a comma-separated list, or a prefix.

    Args:
        frame: The charity's table.
        spec: "Q1, Q2, Q3" (exact names) or "Start Q" (every column whose
            header starts with it, in file order; case ignored).
        parameter: The parameter's name, for messages.

    Returns:
        The column names.

    Raises:
        InputProblem: A listed column is missing, or no header starts with the prefix.

    Example:
        >>> table = pd.DataFrame(columns=["id", "Start Q1", "Start Q2", "End Q1"])
        >>> item_columns(table, "start q", "before_items")
        ['Start Q1', 'Start Q2']
    """
    if "," in spec:
        return check_columns_exist(frame, split_column_list(spec), parameter)
    prefix = spec.strip().lower()
    exact = [c for c in frame.columns if str(c).strip().lower() == prefix]
    if exact:
        return exact
    found = [c for c in frame.columns if str(c).strip().lower().startswith(prefix)]
    if not found:
        listing = ", ".join(f"'{c}'" for c in frame.columns)
        raise InputProblem(
            f"No column starts with '{spec}' ({parameter}). Give the question columns as a "
            f"comma-separated list, or the start that all their headers share. The columns in "
            f"the file are: {listing}."
        )
    return found


def _score_numbers(series: pd.Series, column: str, parameter: str) -> pd.Series:
    """A score column as numbers; any cell that is not a number stops the run."""
    values, unreadable = numbers_in(series)
    if unreadable.any():
        # No example values: in the wrong column they could be names or notes.
        raise InputProblem(
            f"Column '{column}' ({parameter}) should hold numbers, but "
            f"{rows_in_words(series.index[unreadable])} {'holds' if unreadable.sum() == 1 else 'hold'} "
            f"text the kit cannot read as a number. Correct those cells, or blank them if no score was "
            f"taken, and check that {parameter} names the right column."
        )
    return values


def _measure_name(columns: list[str]) -> str:
    """A short name for an outcome from its column header(s): "Confidence (start)" -> "Confidence"."""
    words = "|".join(re.escape(w) for w in _BEFORE_WORDS + _AFTER_WORDS + ("score", "at", "of"))
    name = re.sub(rf"\b({words})\b", " ", str(columns[0]), flags=re.IGNORECASE)
    name = re.sub(r"[\s\-_:()\[\]]+", " ", name).strip()
    return name or str(columns[0])


class _ScaleScores:
    """Range checks and raw-to-metric conversion for ready-made scores, with notes."""

    def __init__(self, scale: Scale, scores_are: str):
        self.scale = scale
        self.scores_are = (scores_are or "auto").strip().lower()
        if self.scores_are not in {"auto", "raw", "metric"}:
            raise InputProblem(
                f"scores_are is '{scores_are}'; it takes 'auto', 'raw' (SWEMWBS totals 7-35 "
                f"before conversion) or 'metric' (already converted)."
            )
        self.notes: list[str] = []

    def prepare(self, before: pd.Series, after: pd.Series, columns: str) -> tuple[pd.Series, pd.Series]:
        limits = self.scale.score_range()
        if limits is None:
            return before, after
        both = pd.concat([before, after])
        if self.scale.key == "swemwbs":
            looks_raw = bool(both.dropna().eq(both.dropna().round()).all())
            if self.scores_are == "raw" or (self.scores_are == "auto" and looks_raw):
                before, after = swemwbs_metric(before.where(before.eq(before.round()))), swemwbs_metric(
                    after.where(after.eq(after.round()))
                )
                self.notes.append(
                    f"The scores in {columns} are whole numbers, so they were read as SWEMWBS raw "
                    f"totals and converted to metric scores with the published table (set "
                    f"scores_are to 'metric' if they were already converted)."
                )
                both = pd.concat([before, after])
        low, high = limits
        outside = both.notna() & (both.lt(low) | both.gt(high))
        if outside.mean() > 0.5:
            raise InputProblem(
                f"Most scores in {columns} fall outside {low:g}-{high:g}, the range of "
                f"{self.scale.name}. Check the scale parameter (use 'none' for any other score)."
            )
        if outside.any():
            rows = sorted(set(both.index[outside]))
            self.notes.append(
                f"{plural(int(outside.sum()), 'score')} in {columns} fell outside {low:g}-{high:g}, "
                f"the scale's range ({rows_in_words(rows)}), and were treated as missing."
            )
            before = before.where(~(before.lt(low) | before.gt(high)))
            after = after.where(~(after.lt(low) | after.gt(high)))
        return before, after


def _count_was(count: int, noun: str) -> str:
    """ "There was 1 answer" / "There were 3 answers"."""
    return f"There {'was' if count == 1 else 'were'} {plural(count, noun)}"


def _item_notes(scale: Scale, stage: str, scored: ItemScores) -> list[str]:
    """Say which answer rules were applied at one time point ("start" or "end")."""
    notes = []
    if scored.out_of_range.sum():
        rows = scored.out_of_range.index[scored.out_of_range.gt(0)]
        notes.append(
            f"{_count_was(int(scored.out_of_range.sum()), 'answer')} at the {stage} outside "
            f"{scale.item_min}-{scale.item_max} or not a whole number ({rows_in_words(rows)}), and "
            f"treated as missing."
        )
    if scored.incomplete.any():
        notes.append(
            f"{plural(int(scored.incomplete.sum()), 'person', 'people')} left at least one question "
            f"unanswered (or answered out of range) at the {stage}, so they have no {stage} score: "
            f"a score needs every question answered. They are counted below."
        )
    return notes


def _words_note(scored: ItemScores) -> list[str]:
    if not scored.had_words:
        return []
    mapping = ", ".join(f"'{w.capitalize()}' = {n}" for w, n in ANSWER_WORDS.items())
    return [f"Some answers were written as words and were turned into numbers: {mapping}."]


def _ids_as_text(ids: pd.Series) -> pd.Series:
    """Ids as the text the charity typed: 1042.0 (a number column) back to "1042"."""

    def text(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    return ids.map(text).astype("str")


def _person_keys(ids: pd.Series) -> pd.Series:
    """Ids folded for matching: spaces and case ignored, 12.0 read as 12."""
    return _ids_as_text(ids).str.casefold()


def _check_ids(ids: pd.Series, column: str, scope: str) -> None:
    """Stop on repeated ids (without printing them: they may identify someone)."""
    keys = _person_keys(ids)
    repeated = keys[keys.duplicated(keep=False)]
    if repeated.empty:
        return
    clusters = [rows_in_words(rows.index, limit=4) for _, rows in repeated.groupby(repeated, sort=False)]
    raise InputProblem(
        f"Column '{column}' (id_column) repeats an id {scope}: "
        f"{'; '.join(clusters[:5])}{' and more' if len(clusters) > 5 else ''} share an id. "
        f"Each person should appear once{' per time point' if 'time point' in scope else ''}. "
        f"Merge or correct those rows, or check that id_column names the right column."
    )


def _groups(frame: pd.DataFrame, group_column: str | None) -> pd.Series:
    if group_column is None:
        return pd.Series("Everyone", index=frame.index, dtype="str")
    values = frame[group_column]
    text = values.astype("str").str.strip()
    return text.where(~blank_cells(values), "Not recorded").astype("str")


def collect_scores(
    table,
    *,
    id_column: str | None = None,
    before_column: str | None = None,
    after_column: str | None = None,
    before_items: str | None = None,
    after_items: str | None = None,
    stage_column: str | None = None,
    before_label: str | None = None,
    after_label: str | None = None,
    score_column: str | None = None,
    items: str | None = None,
    scale: str = "swemwbs",
    group_column: str | None = None,
    scores_are: str = "auto",
) -> CollectedScores:
    """Put each person's before and after scores side by side.

    Which shape the file has is read from the parameters given: ``stage_column``
    means long; ``before_items``/``after_items`` mean wide items;
    ``before_column``/``after_column`` mean wide scores (found from the header,
    such as "Score before", when all are blank).

    Args:
        table: A :class:`~helpers.reading.loader.LoadedTable` or a DataFrame whose index
            is the row number the spreadsheet shows.
        id_column: Each person's id (required for the long shape; for wide ones,
            blank ids become "row N").
        before_column, after_column: Wide scores; comma-separated lists pair up
            by position, one outcome per pair.
        before_items, after_items: Wide items: column lists or a shared prefix.
        stage_column: Long shape: the column saying which time point a row is.
        before_label, after_label: The stage values for before and after (blank:
            recognised from words like "start", "baseline", "end", "follow up").
        score_column: Long shape: the score column(s), comma-separated.
        items: Long shape: the question columns (list or prefix).
        scale: "swemwbs", "wemwbs" or "none".
        group_column: Optional grouping (service, referral route...); blank
            looks for a header like "Service" or "Group".
        scores_are: For ready-made SWEMWBS scores: "raw" totals to convert,
            "metric" scores, or "auto" (whole numbers are taken as raw).

    Returns:
        :class:`CollectedScores`.

    Raises:
        InputProblem: Missing or ambiguous parameters, columns not in the file,
            scores that are not numbers, repeated ids, unknown stage labels.

    Example:
        >>> table = pd.DataFrame({"ref": ["a", "b"], "Score before": [20.73, 17.43],
        ...                       "Score after": [23.21, 17.98]}, index=[2, 3])
        >>> collected = collect_scores(table, id_column="ref")
        >>> collected.scores[["id", "before", "after"]].values.tolist()
        [['a', 20.73, 23.21], ['b', 17.43, 17.98]]
    """
    frame = _restore_unreadable(table)
    the_scale = get_scale(scale)
    roles = resolve_roles(frame, {"id_column": id_column, "group_column": group_column})
    id_col, group_col = roles["id_column"], roles["group_column"]
    shape_given = any(_given(v) for v in (before_column, after_column, before_items, after_items,
                                          stage_column, score_column, items))
    if not shape_given:
        collected = _collect_found(frame, the_scale, id_col, group_col, scores_are)
    elif _given(stage_column):
        collected = _collect_long(frame, the_scale, id_col, group_col, stage_column, before_label,
                                  after_label, score_column, items, scores_are)
    elif _given(before_items) or _given(after_items):
        if not (_given(before_items) and _given(after_items)):
            raise InputProblem(
                "Give both before_items and after_items (the question columns for each time point), "
                "or neither."
            )
        collected = _collect_wide_items(frame, the_scale, id_col, group_col, before_items, after_items)
    elif "," in str(before_column or "") or "," in str(after_column or ""):
        befores = check_columns_exist(frame, split_column_list(before_column), "before_column")
        afters = check_columns_exist(frame, split_column_list(after_column), "after_column")
        collected = _collect_wide_scores(frame, the_scale, id_col, group_col, befores, afters, scores_are)
    else:
        found = resolve_roles(frame, {"before_column": before_column, "after_column": after_column},
                              required=("before_column", "after_column"))
        collected = _collect_wide_scores(frame, the_scale, id_col, group_col, [found["before_column"]],
                                         [found["after_column"]], scores_are)
    collected.columns_used = {
        "id": [id_col] if id_col else [], "group": [group_col] if group_col else [], **collected.columns_used,
    }
    return collected


def _first_word(header) -> str:
    return re.split(r"[\s_\-:.]+", str(header).strip())[0]


def _stem(header) -> str:
    """The shared start of a question header: "Start 1 Optimistic" -> "start", "Q3" -> "q", "pre_q1" -> "pre"."""
    token = _first_word(header)
    return (re.sub(r"\d+$", "", token) or token).casefold()


def _item_groups(frame: pd.DataFrame, n_items: int | None) -> list[list[str]]:
    """Runs of columns sharing a header start, with exactly the scale's number of questions."""
    if not n_items:
        return []
    by_stem: dict[str, list[str]] = {}
    for column in frame.columns:
        by_stem.setdefault(_stem(column), []).append(column)
    return [columns for columns in by_stem.values() if len(columns) == n_items]


def _collect_found(frame, scale, id_column, group_column, scores_are) -> CollectedScores:
    """No shape parameters: find the scores from the headers, or say what to set."""
    # Question columns first: "pre_q1" also reads as a "before" header, but is one answer, not a score.
    groups = _item_groups(frame, scale.n_items)
    if len(groups) == 2:
        first, second = groups
        stems = [_stem(first[0]), _stem(second[0])]
        if any(re.search(rf"\b{re.escape(w)}\b", stems[1]) for w in _BEFORE_WORDS) or any(
            re.search(rf"\b{re.escape(w)}\b", stems[0]) for w in _AFTER_WORDS
        ):
            first, second = second, first
        collected = _collect_wide_items(frame, scale, id_column, group_column, ", ".join(first), ", ".join(second))
        collected.notes.insert(0, (
            f"The kit found two sets of {scale.n_items} question columns and took the ones starting "
            f"'{_first_word(first[0])}' as the start and '{_first_word(second[0])}' as the end (set "
            f"before_items and after_items if that is wrong)."
        ))
        return collected
    found = resolve_roles(frame, {"before_column": None, "after_column": None, "stage_column": None})
    if found["before_column"] and found["after_column"]:
        return _collect_wide_scores(frame, scale, id_column, group_column, [found["before_column"]],
                                    [found["after_column"]], scores_are)
    if found["stage_column"] and len(groups) == 1:
        return _collect_long(frame, scale, id_column, group_column, found["stage_column"], None, None,
                             None, ", ".join(groups[0]), scores_are)
    score = resolve_roles(frame, {"score_column": None})["score_column"]
    if found["stage_column"] and score:
        return _collect_long(frame, scale, id_column, group_column, found["stage_column"], None, None,
                             score, None, scores_are)
    raise InputProblem(
        "The kit cannot tell where the scores are. Give before_column and after_column (one "
        "row per person), before_items and after_items (the questions for each time point), "
        "or stage_column with score_column or items (one row per person per time point)."
    )


def _wide_ids(frame: pd.DataFrame, id_column: str | None, notes: list[str]) -> pd.Series:
    rows_as_ids = pd.Series([f"row {r}" for r in frame.index], index=frame.index, dtype="str")
    if id_column is None:
        notes.append("No id column was found, so each person is named by their row number.")
        return rows_as_ids
    ids = frame[id_column]
    blank = blank_cells(ids)
    _check_ids(ids[~blank], id_column, "in this one-row-per-person file")
    if blank.any():
        notes.append(
            f"{plural(int(blank.sum()), 'row')} had no id in '{id_column}' ({rows_in_words(ids.index[blank])}); "
            f"they are named by row number instead."
        )
    return _ids_as_text(ids).where(~blank, rows_as_ids)


def _wide_frame(frame, ids, groups, measure, before, after) -> pd.DataFrame:
    return pd.DataFrame(
        {"id": ids, "group": groups, "measure": measure, "before": before, "after": after},
        index=frame.index,
    )


def _collect_wide_scores(frame, scale, id_column, group_column, befores, afters, scores_are) -> CollectedScores:
    if len(befores) != len(afters):
        raise InputProblem(
            f"before_column names {len(befores)} columns and after_column names {len(afters)}; "
            f"they pair up in order, so give the same number of each."
        )
    notes: list[str] = []
    ids = _wide_ids(frame, id_column, notes)
    groups = _groups(frame, group_column)
    checker = _ScaleScores(scale, scores_are)
    parts, measures = [], []
    for before_col, after_col in zip(befores, afters, strict=True):
        before = _score_numbers(frame[before_col], before_col, "before_column")
        after = _score_numbers(frame[after_col], after_col, "after_column")
        before, after = checker.prepare(before, after, f"'{before_col}' and '{after_col}'")
        measure = _measure_name([before_col]) if len(befores) > 1 or scale.key == "none" else scale.short
        measures.append(measure)
        parts.append(_wide_frame(frame, ids, groups, measure, before, after))
    return CollectedScores(
        scores=pd.concat(parts, ignore_index=True), scale=scale, shape="wide scores",
        measures=measures, group_column=group_column, notes=notes + checker.notes,
        columns_used={"start": list(befores), "end": list(afters)},
    )


def _collect_wide_items(frame, scale, id_column, group_column, before_spec, after_spec) -> CollectedScores:
    notes: list[str] = []
    ids = _wide_ids(frame, id_column, notes)
    before_cols = item_columns(frame, before_spec, "before_items")
    after_cols = item_columns(frame, after_spec, "after_items")
    if set(before_cols) & set(after_cols):
        raise InputProblem(
            f"before_items and after_items share columns "
            f"({list_in_words([repr(c) for c in set(before_cols) & set(after_cols)])}). "
            f"Give each time point its own question columns."
        )
    before = score_items(frame[before_cols], scale, "before_items")
    after = score_items(frame[after_cols], scale, "after_items")
    notes += _item_notes(scale, "start", before) + _item_notes(scale, "end", after)
    notes += _words_note(before) or _words_note(after)
    measure = scale.short
    return CollectedScores(
        scores=_wide_frame(frame, ids, _groups(frame, group_column), measure, before.score, after.score)
        .reset_index(drop=True),
        scale=scale, shape="wide items", measures=[measure], group_column=group_column,
        alpha={measure: cronbach_alpha(before.answers)},
        incomplete={"before": int(before.incomplete.sum()), "after": int(after.incomplete.sum())},
        notes=notes, columns_used={"start": before_cols, "end": after_cols},
        had_words=before.had_words or after.had_words,
    )


def _stage_labels(stages: pd.Series, spelled: pd.Series, before_label, after_label, stage_column) -> tuple[str, str]:
    """The folded before and after labels, given or recognised from the values present.

    ``stages`` holds the folded labels, ``spelled`` the same cells as typed (for messages).
    """
    present = sorted(set(stages[stages.ne("")]))
    as_typed = dict(zip(stages, spelled, strict=True))
    shown = list_in_words([repr(as_typed[p]) for p in present], limit=12)
    if _given(before_label) and _given(after_label):
        wanted = [str(before_label).strip().casefold(), str(after_label).strip().casefold()]
        missing = [label for label, key in zip((before_label, after_label), wanted, strict=True) if key not in present]
        if missing:
            raise InputProblem(
                f"Column '{stage_column}' (stage_column) has no rows labelled "
                f"{list_in_words([repr(str(m)) for m in missing])}. The labels in it are: "
                f"{shown}. Set before_label and "
                f"after_label to two of them."
            )
        return wanted[0], wanted[1]

    def recognised(words):
        return [p for p in present if any(re.search(rf"\b{re.escape(w)}\b", p) for w in words)]

    befores, afters = recognised(_BEFORE_WORDS), recognised(_AFTER_WORDS)
    if len(befores) == 1 and len(afters) == 1 and befores != afters:
        return befores[0], afters[0]
    raise InputProblem(
        f"The kit cannot tell which values of '{stage_column}' (stage_column) mean before and after. "
        f"The values in it are: {shown}. Set before_label and after_label, for example "
        f"-p before_label \"{as_typed[present[0]] if present else 'Start'}\"."
    )


def _collect_long(frame, scale, id_column, group_column, stage_column, before_label, after_label,
                  score_column, items_spec, scores_are) -> CollectedScores:
    (stage_column,) = check_columns_exist(frame, [str(stage_column).strip()], "stage_column")
    if id_column is None:
        raise InputProblem(
            "With one row per person per time point, the kit needs id_column to pair each "
            "person's rows. Set id_column to the column holding each person's id."
        )
    if _given(score_column) == _given(items_spec):
        raise InputProblem(
            "With stage_column, give either score_column (a ready-made score) or items (the "
            "question columns), not both and not neither."
        )
    spelled = frame[stage_column].astype("str").str.strip().where(~blank_cells(frame[stage_column]), "")
    stages = spelled.str.casefold()
    before_key, after_key = _stage_labels(stages, spelled, before_label, after_label, stage_column)
    used = stages.isin([before_key, after_key])
    notes: list[str] = []
    if (~used).any():
        notes.append(
            f"{plural(int((~used).sum()), 'row')} with another value in '{stage_column}' "
            f"({rows_in_words(frame.index[~used])}) were left out: only the before and after "
            f"time points are compared."
        )
    rows = frame[used]
    ids = rows[id_column]
    blank_id = blank_cells(ids)
    if blank_id.any():
        raise InputProblem(
            f"Column '{id_column}' (id_column) is blank in {rows_in_words(ids.index[blank_id])}, so "
            f"those rows cannot be paired with anyone. Fill in the id or remove the rows."
        )
    is_before = stages[used].eq(before_key)
    for selector, word in ((is_before, "before"), (~is_before, "after")):
        _check_ids(ids[selector], id_column, f"within one time point ('{word}')")

    groups = _groups(rows, group_column)
    alpha: dict[str, float] = {}
    incomplete = {"before": 0, "after": 0}
    had_words = False
    if _given(score_column):
        columns = check_columns_exist(rows, split_column_list(score_column), "score_column")
        checker = _ScaleScores(scale, scores_are)
        values = {}
        for column in columns:
            numbers = _score_numbers(rows[column], column, "score_column")
            before, after = checker.prepare(numbers[is_before], numbers[~is_before], f"'{column}'")
            values[column] = pd.concat([before, after]).reindex(rows.index)
        measures = (
            [_measure_name([c]) for c in columns] if len(columns) > 1 or scale.key == "none" else [scale.short]
        )
        notes += checker.notes
        shape = "long scores"
        used = {"time point": [stage_column], "score": columns}
    else:
        columns_used = item_columns(rows, items_spec, "items")
        scored = score_items(rows[columns_used], scale, "items")
        measures = [scale.short]
        values = {measures[0]: scored.score}
        for selector, stage, key in ((is_before, "start", "before"), (~is_before, "end", "after")):
            incomplete[key] = int(scored.incomplete[selector].sum())
            notes += _item_notes(scale, stage, scored.rows(selector))
        notes += _words_note(scored)
        had_words = scored.had_words
        alpha = {measures[0]: cronbach_alpha(scored.answers[is_before])}
        columns = [measures[0]]
        shape = "long items"
        used = {"time point": [stage_column], "questions": columns_used}

    keys = _person_keys(ids)
    people = pd.DataFrame({"key": keys, "id": _ids_as_text(ids)}).drop_duplicates("key").set_index("key")
    # A person's group is the first one recorded on any of their rows.
    recorded = pd.DataFrame({"key": keys, "group": groups})
    recorded = recorded.sort_values("group", key=lambda g: g.eq("Not recorded"), kind="stable")
    people["group"] = recorded.drop_duplicates("key").set_index("key")["group"]
    parts = []
    for column, measure in zip(columns, measures, strict=True):
        value = values[column]
        before = pd.Series(value[is_before].to_numpy(), index=keys[is_before].to_numpy())
        after = pd.Series(value[~is_before].to_numpy(), index=keys[~is_before].to_numpy())
        parts.append(people.assign(measure=measure, before=before, after=after)[
            ["id", "group", "measure", "before", "after"]])
    return CollectedScores(
        scores=pd.concat(parts, ignore_index=True), scale=scale, shape=shape, measures=measures,
        group_column=group_column, alpha=alpha, incomplete=incomplete, notes=notes, columns_used=used,
        had_words=had_words,
    )


# ---------------------------------------------------------------------------
# Statistics on the pairs
# ---------------------------------------------------------------------------


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
    """A percentile bootstrap 95% interval for a mean, reproducible from its seed.

    Args:
        values: The numbers (no missing values).
        seed: Seed for the random resampling, so a re-run gives the same interval.
        resamples: How many resamples.

    Returns:
        ``(low, high)``, or NaNs with fewer than 2 values.

    Example:
        >>> low, high = bootstrap_mean_ci([1.0, 2.0, 3.0, 4.0, 5.0])
        >>> 1.0 < low < 3.0 < high < 5.0
        True
    """
    values = np.asarray(values, dtype="float64")
    if values.size < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    means = np.empty(resamples)
    # Chunks keep memory flat for large files (resamples x n indices at once would not).
    chunk = max(1, 2_000_000 // values.size)
    for start in range(0, resamples, chunk):
        stop = min(resamples, start + chunk)
        picks = rng.integers(0, values.size, size=(stop - start, values.size))
        means[start:stop] = values[picks].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def change_statistics(before, after, seed: int = DEFAULT_SEED) -> dict:
    """Everything about the average change for people with both scores.

    Change is after minus before. The 95% confidence interval uses the t
    distribution (as R's ``t.test(after, before, paired = TRUE)``); the bootstrap
    interval makes no assumption about the shape of the changes.

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
    boot_low, boot_high = bootstrap_mean_ci(change, seed=seed)
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
    small = table["people"] < min_size
    hidden = small.copy()
    if small.any() and table.loc[small, "people"].sum() < min_size and (~small).any():
        hidden.loc[table.loc[~small, "people"].idxmin()] = True
    info = {"groups": int(hidden.sum()), "people": int(table.loc[hidden, "people"].sum()),
            "too_small": int(small.sum())}
    return table[~hidden].reset_index(drop=True), info


# ---------------------------------------------------------------------------
# The whole analysis
# ---------------------------------------------------------------------------


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
        n_pairs=int(len(pairs)),
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
