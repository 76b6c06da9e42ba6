"""Collecting the scores of scales whose items are analysed one by one: ONS4 and MYCaW.

The ONS4 questions (life satisfaction, worthwhile, happiness, anxiety) are never
summed: each is its own measure, found from the words of its column header, so a
link worker's own headers work ("Satisfied with life (referral)"). MYCaW's concern 1
and concern 2 are each paired with themselves, and the concern score and profile score
are worked out after pairing (see :mod:`helpers.impact.mycaw`). Every answer must be a whole number
in the item's range; anything else is treated as missing and said in a note.

MYCaW files also hold what each concern was, in the person's words and often as a
category the worker chose. The free text is never read into the analysis; only the
categories the file already holds are counted (see :func:`concern_categories`).
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.errors import InputProblem
from helpers.impact.collect import (
    _AFTER_WORDS,
    _BEFORE_WORDS,
    CollectedScores,
    _collect_long,
    _given,
    _groups,
    _score_numbers,
    _wide_frame,
    _wide_ids,
)
from helpers.impact.mycaw import CONCERN_ITEMS, add_mycaw_summaries, concern_slots
from helpers.impact.scales import Item, Scale, item_of, rows_in_words
from helpers.reading.roles import check_columns_exist, split_column_list
from helpers.writing.narrative import list_in_words, plural

#: Header words of columns that describe a concern rather than score it: never scored.
_NOT_A_SCORE = ("text", "categor", "type", "theme", "words", "describ", "description", "note", "comment",
                "what ", "name")


def _has_word(header, words) -> bool:
    text = str(header).casefold()
    return any(re.search(rf"\b{re.escape(w)}\b", text) for w in words)


def stage_of(header) -> str | None:
    """ "before" or "after" from a header's words ("Anxious yesterday (12 weeks)" is after), else None.

    Example:
        >>> stage_of("Satisfied with life (referral)"), stage_of("Wellbeing end"), stage_of("Wellbeing")
        ('before', 'after', None)
    """
    before, after = _has_word(header, _BEFORE_WORDS), _has_word(header, _AFTER_WORDS)
    return "before" if before and not after else "after" if after and not before else None


def scored_item(scale: Scale, header) -> Item | None:
    """The item a column scores, or None (free-text and category columns score nothing).

    Example:
        >>> from helpers.impact.scales import SCALES
        >>> scored_item(SCALES["mycaw"], "Concern 1 (free text)") is None
        True
        >>> scored_item(SCALES["mycaw"], "Concern 1 score (start)").key
        'concerns'
    """
    text = str(header).casefold()
    if any(word in text for word in _NOT_A_SCORE):
        return None
    return item_of(scale, header)


def category_columns(frame: pd.DataFrame) -> list[str]:
    """The columns holding a category for each concern ("Concern 1 category"), in file order.

    Example:
        >>> category_columns(pd.DataFrame(columns=["Concern 1", "Concern 1 category", "Concern 2 type"]))
        ['Concern 1 category', 'Concern 2 type']
    """
    return [c for c in frame.columns if "concern" in str(c).casefold()
            and re.search(r"categor|\btype\b|\btheme\b", str(c).casefold())]


def _item_scores(frame: pd.DataFrame, scale: Scale, item: Item, columns: list[str], parameter: str,
                 notes: list[str]) -> pd.Series:
    """One item's score per row, range-checked (one column per item: concerns are split first)."""
    values = {}
    for column in columns:
        numbers = _score_numbers(frame[column], column, parameter)
        outside = numbers.notna() & (numbers.lt(item.low) | numbers.gt(item.high) | numbers.ne(numbers.round()))
        if outside.sum() > 0.5 * numbers.notna().sum():
            raise InputProblem(
                f"Most answers in '{column}' ({parameter}) are not whole numbers from {item.low:g} to "
                f"{item.high:g}, the range of {scale.short} {item.name.lower()}. Check the scale parameter "
                f"(use 'none' for any other score) and that the column is the right one."
            )
        if outside.any():
            notes.append(
                f"{plural(int(outside.sum()), 'answer')} in '{column}' ({rows_in_words(numbers.index[outside])}) "
                f"{'was' if outside.sum() == 1 else 'were'} not a whole number from {item.low:g} to "
                f"{item.high:g}, and treated as missing."
            )
        values[column] = numbers.where(~outside)
    table = pd.DataFrame(values, index=frame.index)
    return table.iloc[:, 0]


def _by_item(scale: Scale, columns: list[str], parameter: str) -> dict[str, list[str]]:
    """Item key -> the columns that score it; a column that scores no item stops the run."""
    found: dict[str, list[str]] = {}
    for column in columns:
        item = scored_item(scale, column)
        if item is None:
            names = list_in_words([i.name.lower() for i in scale.items])
            raise InputProblem(
                f"Column '{column}' ({parameter}) is not one of the {scale.short} measures: its header "
                f"should name {names}. List only those columns, or set scale to 'none'."
            )
        found.setdefault(item.key, []).append(column)
    return found


def _check_single(scale: Scale, by_item: dict[str, list[str]], parameter: str) -> None:
    for item in scale.items:
        columns = by_item.get(item.key, [])
        if len(columns) > 1 and not item.combine:
            raise InputProblem(
                f"{list_in_words([repr(c) for c in columns])} all look like {item.name.lower()} "
                f"({parameter}). Name one column per measure with before_column and after_column."
            )


def collect_item_scale(frame: pd.DataFrame, scale: Scale, id_column: str | None, group_column: str | None,
                       before: str | None, after: str | None) -> CollectedScores:
    """ONS4 or MYCaW with one row per person: each item's start and end score side by side.

    Args:
        frame: The charity's table.
        scale: ONS4 or MYCaW (a scale with items).
        id_column, group_column: As found or given.
        before, after: The start and end columns (comma-separated, any order), or blank to
            find them from the headers (an item's words plus a time word such as "start",
            "referral", "end" or "12 weeks").

    Returns:
        :class:`~helpers.impact.collect.CollectedScores` with one measure per item found.

    Raises:
        InputProblem: A named column scores no item, an item has two columns at one time
            point, answers are mostly out of range, or no item has both a start and an end.

    Example:
        >>> from helpers.impact.scales import SCALES
        >>> table = pd.DataFrame({"Satisfied with life (referral)": [4, 6], "Life satisfaction end": [6, 7],
        ...                       "Anxious (start)": [7, 5], "Anxious (end)": [4, 5]})
        >>> collected = collect_item_scale(table, SCALES["ons4"], None, None, None, None)
        >>> collected.measures
        ['Life satisfaction', 'Anxiety']
    """
    notes: list[str] = []
    if _given(before) or _given(after):
        if not (_given(before) and _given(after)):
            raise InputProblem("Give both before_column and after_column (the start and end columns), or neither.")
        befores = _by_item(scale, check_columns_exist(frame, split_column_list(before), "before_column"),
                           "before_column")
        afters = _by_item(scale, check_columns_exist(frame, split_column_list(after), "after_column"),
                          "after_column")
    else:
        befores, afters = {}, {}
        for column in frame.columns:
            item, stage = scored_item(scale, column), stage_of(column)
            if item is not None and stage is not None:
                (befores if stage == "before" else afters).setdefault(item.key, []).append(column)
    _check_single(scale, befores, "before_column")
    _check_single(scale, afters, "after_column")
    ids = _wide_ids(frame, id_column, notes)
    groups = _groups(frame, group_column)
    parts, measures, items, used_before, used_after = [], [], {}, [], []
    for item in scale.items:
        start, end = befores.get(item.key, []), afters.get(item.key, [])
        for part, start, end in _parts(item, start, end):
            if not start and not end:
                continue
            if not (start and end):
                notes.append(f"{part.name} has {'a start' if start else 'an end'} column but no "
                             f"{'end' if start else 'start'} column, so it is left out.")
                continue
            before_scores = _item_scores(frame, scale, part, start, "before_column", notes)
            after_scores = _item_scores(frame, scale, part, end, "after_column", notes)
            parts.append(_wide_frame(frame, ids, groups, part.name, before_scores, after_scores))
            measures.append(part.name)
            items[part.name] = part
            used_before += start
            used_after += end
    if not parts:
        wanted = list_in_words([i.name.lower() for i in scale.items])
        raise InputProblem(
            f"The kit found no {scale.short} measure with both a start and an end column. Their headers "
            f"should name the measure ({wanted}) and the time point (such as 'start' and 'end', or "
            f"'referral' and '12 weeks'); or list the columns with before_column and after_column."
        )
    collected = CollectedScores(
        scores=pd.concat(parts, ignore_index=True), scale=scale, shape="wide scores", measures=measures,
        group_column=group_column, notes=notes,
        columns_used={"start": used_before, "end": used_after}, items=items,
        category_columns=category_columns(frame),
    )
    add_mycaw_summaries(collected)
    return collected


def _parts(item: Item, start: list[str], end: list[str]) -> list[tuple[Item, list[str], list[str]]]:
    """An item with its start and end columns; MYCaW's concerns split into concern 1 and concern 2.

    Example:
        >>> from helpers.impact.scales import SCALES
        >>> concerns = SCALES["mycaw"].items[0]
        >>> [(p.name, s, e) for p, s, e in _parts(concerns, ["C1 start", "C2 start"], ["C1 end"])]
        [('Concern 1', ['C1 start'], ['C1 end']), ('Concern 2', ['C2 start'], [])]
    """
    if not item.combine:
        return [(item, start, end)]
    starts, ends = concern_slots(start), concern_slots(end)
    return [(CONCERN_ITEMS[slot], [starts[slot]] if slot in starts else [], [ends[slot]] if slot in ends else [])
            for slot in sorted(set(starts) | set(ends))]


def collect_item_scale_long(frame: pd.DataFrame, scale: Scale, id_column: str | None, group_column: str | None,
                            stage_column: str, before_label, after_label, score_column) -> CollectedScores:
    """ONS4 or MYCaW with one row per person per time point: each item's columns found from the headers.

    Example:
        >>> from helpers.impact.scales import SCALES
        >>> table = pd.DataFrame({"id": ["a", "a", "b", "b"], "When": ["Start", "End"] * 2,
        ...                       "Concern 1": [5, 3, 4, 4], "Concern 2": [3, 1, None, 2], "Wellbeing": [4, 3, 5, 4]})
        >>> collected = collect_item_scale_long(table, SCALES["mycaw"], "id", None, "When", None, None, None)
        >>> scores = collected.scores.set_index("measure")
        >>> scores.loc["Concerns", ["before", "after"]].values.tolist()  # b's concern 2 has no start score
        [[4.0, 2.0], [4.0, 4.0]]
    """
    columns = (check_columns_exist(frame, split_column_list(score_column), "score_column") if _given(score_column)
               else [c for c in frame.columns if scored_item(scale, c) is not None])
    by_item = _by_item(scale, columns, "score_column")
    _check_single(scale, by_item, "score_column")
    notes: list[str] = []
    derived = frame.copy()
    names, items, used = [], {}, []
    for item in scale.items:
        if item.key in by_item:
            for part, columns, _ in _parts(item, by_item[item.key], by_item[item.key]):
                derived[part.name] = _item_scores(frame, scale, part, columns, "score_column", notes)
                names.append(part.name)
                items[part.name] = part
            used += by_item[item.key]
    if not names:
        raise InputProblem(f"No column's header names a {scale.short} measure; list them with score_column.")
    collected = _collect_long(derived, scale, id_column, group_column, stage_column, before_label, after_label,
                              ", ".join(names), None, "auto")
    # One item alone would be named after the scale: name every measure after its item.
    collected.scores["measure"] = collected.scores["measure"].replace(dict(zip(collected.measures, names,
                                                                               strict=True)))
    collected.measures = names
    collected.items = items
    collected.notes = notes + collected.notes
    collected.columns_used["score"] = used
    collected.category_columns = category_columns(frame)
    add_mycaw_summaries(collected)
    return collected


def concern_categories(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """How many concerns fall in each category the file already holds, most first.

    Only the category columns are read (never a person's own words). Blank cells
    are not counted; categories are compared with case and spaces ignored and shown
    as first typed.

    Args:
        frame: The charity's table.
        columns: The category columns (from :func:`category_columns`).

    Returns:
        Category -> number of concerns, largest first (ties by name).

    Example:
        >>> table = pd.DataFrame({"Concern 1 category": ["Emotional", "emotional ", "Physical", None]})
        >>> concern_categories(table, ["Concern 1 category"]).to_dict()
        {'Emotional': 2, 'Physical': 1}
    """
    cells = pd.concat([frame[c] for c in columns], ignore_index=True) if columns else pd.Series(dtype="object")
    text = cells.dropna().astype("str").str.strip()
    text = text[text.ne("")]
    if text.empty:
        return pd.Series(dtype="int64")
    keys = text.str.casefold().str.replace(r"\s+", " ", regex=True)
    shown = dict(zip(keys[::-1], text[::-1], strict=True))  # the first spelling typed wins
    counts = keys.value_counts()
    counts.index = [shown[k] for k in counts.index]
    return counts.sort_index().sort_values(ascending=False, kind="stable").astype("int64")
