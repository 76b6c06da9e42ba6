"""Collecting before-and-after scores from a charity's file, whatever its shape.

A charity measures people at the start and at the end of support (a wellbeing
questionnaire, a 1-10 rating...). :func:`collect_scores` takes its file in any of
three shapes and puts each person's two scores side by side, one row per person
per measure, with notes on every rule it applied; :mod:`helpers.impact.outcomes`
then works out the change.

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

import re
from dataclasses import dataclass, field

import pandas as pd

from helpers.errors import InputProblem
from helpers.impact.scales import (
    ANSWER_WORDS,
    ItemScores,
    Scale,
    blank_cells,
    cronbach_alpha,
    get_scale,
    numbers_in,
    rows_in_words,
    score_items,
    swemwbs_metric,
)
from helpers.reading.roles import check_columns_exist, resolve_roles, split_column_list
from helpers.writing.narrative import list_in_words, plural

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
        items: For scales of items (ONS4, MYCaW): measure name -> its
            :class:`~helpers.impact.scales.Item`.
        category_columns: MYCaW's concern category columns, counted but never analysed.
        left_out: Columns holding numbers that no parameter used (said in a note).
        different_concerns: MYCaW: people who scored different concerns at the start and the end.
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
    items: dict = field(default_factory=dict)
    category_columns: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    different_concerns: int = 0


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
                    f"totals and converted to metric scores with the published table (if they were "
                    f"already metric scores, the volunteer can say so and run again)."
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
            f"a score needs every question answered. They are counted in the table 'Who has a score at each point'."
        )
    return notes


def _shift_note(scored: ItemScores, stage: str) -> list[str]:
    if not scored.shifted:
        return []
    named = list_in_words([f"'{c}'" for c in scored.shifted], limit=4)
    return [(f"The answers at the {stage} ({named}) run from 0 to 4, as some survey tools export them, not 1 to 5 "
             f"as on the form, so each was moved up by one point before scoring.")]


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
    if the_scale.items:
        from helpers.impact.items import collect_item_scale, collect_item_scale_long

        if _given(stage_column):
            collected = collect_item_scale_long(frame, the_scale, id_col, group_col, stage_column, before_label,
                                                after_label, score_column or items)
        else:
            collected = collect_item_scale(frame, the_scale, id_col, group_col, before_column or before_items,
                                           after_column or after_items)
    elif not shape_given:
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
    collected.left_out = numeric_columns_left_out(frame, collected.columns_used)
    if collected.left_out:
        named = list_in_words([f"'{c}'" for c in collected.left_out], limit=12)
        collected.notes.append(
            f"The file also holds numbers in {named}, which {'is' if len(collected.left_out) == 1 else 'are'} "
            f"left out of this analysis. To look at {'it' if len(collected.left_out) == 1 else 'them'} too, "
            f"the volunteer can run again naming {'it' if len(collected.left_out) == 1 else 'them'} as start "
            f"and end columns."
        )
    return collected


def numeric_columns_left_out(frame: pd.DataFrame, used: dict[str, list[str]]) -> list[str]:
    """Columns that hold numbers but were not used: possible outcomes the report must name.

    Columns whose header names a role (an id, a date of birth, a phone...) and
    columns of dates are not outcomes, and are not listed.

    Example:
        >>> table = pd.DataFrame({"ID": [1, 2], "Score before": [20.7, 19.3], "Score after": [21.5, 20.7],
        ...                       "Confidence start": [3, 4], "Confidence end": [5, 6], "Notes": ["a", "b"]})
        >>> numeric_columns_left_out(table, {"id": ["ID"], "start": ["Score before"], "end": ["Score after"]})
        ['Confidence start', 'Confidence end']
    """
    from helpers.reading.roles import guess_role

    taken = {c for columns in used.values() for c in columns}
    left = []
    for column in frame.columns:
        if column in taken or guess_role(str(column)) is not None:
            continue
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            continue
        numbers, unreadable = numbers_in(values, ANSWER_WORDS)
        if numbers.notna().sum() >= 2 and numbers.notna().sum() >= 0.8 * (numbers.notna().sum() + unreadable.sum()):
            left.append(column)
    return left


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
            f"'{_first_word(first[0])}' as the start and '{_first_word(second[0])}' as the end (if that "
            f"is wrong, the volunteer can name the question columns for each time point)."
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
    _refuse_blank_scores(frame)
    raise InputProblem(
        "The kit cannot tell where the scores are. Give before_column and after_column (one "
        "row per person), before_items and after_items (the questions for each time point), "
        "or stage_column with score_column or items (one row per person per time point)."
    )


def _refuse_blank_scores(frame: pd.DataFrame) -> None:
    """Stop with "every score is blank" when the start and end columns are there but empty.

    A form template saved before anyone typed a score in has headers such as "SWEMWBS start" and
    "SWEMWBS end" over blank cells: the kit names them rather than saying it cannot find scores.

    Example:
        >>> table = pd.DataFrame({"id": ["a", "b"], "Score start": [None, " "], "Score end": [None, None]})
        >>> _refuse_blank_scores(table)
        Traceback (most recent call last):
        ...
        helpers.errors.InputProblem: Every score is blank: 'Score start' and 'Score end' look like the start and end scores, but no cell in them holds anything. Check that this is the file with the scores typed in.
    """
    def has_word(header, words):
        return any(re.search(rf"\b{re.escape(w)}\b", str(header).casefold()) for w in words)

    empty = [c for c in frame.columns if blank_cells(frame[c]).all()]
    starts = [c for c in empty if has_word(c, _BEFORE_WORDS) and not has_word(c, _AFTER_WORDS)]
    ends = [c for c in empty if has_word(c, _AFTER_WORDS) and not has_word(c, _BEFORE_WORDS)]
    if starts and ends:
        named = list_in_words([f"'{c}'" for c in starts + ends], limit=8)
        raise InputProblem(
            f"Every score is blank: {named} look like the start and end scores, but no cell in them holds "
            f"anything. Check that this is the file with the scores typed in."
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
        {"id": ids, "group": groups, "row": frame.index, "measure": measure, "before": before, "after": after},
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
    notes += _shift_note(before, "start") + _shift_note(after, "end")
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
        notes += _shift_note(scored, "start and the end")
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
    # The spreadsheet row of each person's first form: people are named by row in notes, never by id.
    people["row"] = pd.Series(rows.index, index=keys.to_numpy()).groupby(level=0).first()
    parts = []
    for column, measure in zip(columns, measures, strict=True):
        value = values[column]
        before = pd.Series(value[is_before].to_numpy(), index=keys[is_before].to_numpy())
        after = pd.Series(value[~is_before].to_numpy(), index=keys[~is_before].to_numpy())
        parts.append(people.assign(measure=measure, before=before, after=after)[
            ["id", "group", "row", "measure", "before", "after"]])
    return CollectedScores(
        scores=pd.concat(parts, ignore_index=True), scale=scale, shape=shape, measures=measures,
        group_column=group_column, alpha=alpha, incomplete=incomplete, notes=notes, columns_used=used,
        had_words=had_words,
    )
