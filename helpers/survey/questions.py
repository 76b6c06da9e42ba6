"""A survey export read for analysis: which columns are rating questions, which are comments, which the group.

Question columns are found from their answers, not their headers: a column whose answers are points
of one scale is a rating question (:func:`helpers.survey.scales.read_scale`); a text column of long,
varied answers is a comment box; answers split by ";" into a few repeated options are a multi-select
(Google and Microsoft Forms write ticked boxes as "a;b;c"). The group (service, site, wave) is found
from its header or set with ``group_column``. Columns holding names, emails, phones or postcodes are
never read as comments, and a SurveyMonkey export's second header row ("Response", "Open-Ended
Response") is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.errors import InputProblem
from helpers.reading.roles import PERSONAL_ROLES, guess_role, resolve_roles
from helpers.survey.scales import Scale, read_scale

#: A comment box: at least this many characters and words on average, and this share of answers distinct.
COMMENT_LENGTH, COMMENT_WORDS, COMMENT_VARIETY = 15, 3, 0.3
#: ...or at least this many distinct answers (a big survey repeats short comments; no category list is this long).
MANY_DISTINCT = 200
#: SurveyMonkey's second header row, under each question.
SUB_HEADER_WORDS = frozenset({"response", "open-ended response", "other (please specify)"})


@dataclass
class Survey:
    """A survey ready for counting.

    Attributes:
        frame: The responses (SurveyMonkey's sub-header row dropped), index the file's row numbers.
        ratings: Header -> scale, for each rating question, in file order.
        comments: Headers of the comment boxes, in file order.
        multi_select: Headers of "a;b;c" multi-select questions.
        group: The group column, or ``None``.
        date: The date or timestamp column, or ``None``.
        notes: Lines for the load log.
    """

    frame: pd.DataFrame
    ratings: dict[str, Scale]
    comments: list[str]
    multi_select: list[str] = field(default_factory=list)
    group: str | None = None
    date: str | None = None
    notes: list[str] = field(default_factory=list)


def is_comment_box(answers: pd.Series) -> bool:
    """Long, varied text answers (see :data:`COMMENT_LENGTH`): a sentence, not a name or a category.

    Example:
        >>> is_comment_box(pd.Series(["The staff were kind to me", "Too long a wait on Monday", "Bus route"]))
        True
        >>> is_comment_box(pd.Series(["Lunch club", "Lunch club", "Youth club"]))
        False
    """
    text = answers.dropna().astype(str).str.strip()
    text = text[text != ""]
    if len(text) < 2:
        return False
    return (float(text.str.len().mean()) >= COMMENT_LENGTH and float(text.str.split().str.len().mean()) >= COMMENT_WORDS
            and (text.nunique() / len(text) >= COMMENT_VARIETY or text.nunique() >= MANY_DISTINCT))


def is_multi_select(answers: pd.Series) -> bool:
    """Ticked boxes written "a;b;c": most answers split into a few options that repeat.

    Example:
        >>> is_multi_select(pd.Series(["Lunch;Advice", "Lunch", "Advice;Youth", "Lunch;Youth"]))
        True
    """
    text = answers.dropna().astype(str)
    if len(text) < 3 or not text.str.contains(";").any():
        return False
    options = text.str.split(";").explode().str.strip()
    return options.nunique() <= 15 and options.nunique() < len(options) / 2


def read_survey(table, group_column: str = "", questions: str = "") -> Survey:
    """Find the rating questions, comment boxes, group and date of a loaded export.

    Args:
        table: A :class:`~helpers.reading.loader.LoadedTable`.
        group_column: The group column as given (blank: found from the header).
        questions: Optional comma-separated headers to read as ratings or comments (blank: all found).

    Raises:
        InputProblem: The file has no rating question and no comment box, or ``group_column`` or a
            named question is not a column.
    """
    frame = table.frame
    first = frame.iloc[0] if len(frame) else None
    notes = []
    if first is not None:
        cells = first.dropna().astype(str).str.strip().str.lower()
        if len(cells) and cells.isin(SUB_HEADER_WORDS).mean() >= 0.5:
            frame = frame.iloc[1:]
            notes.append(f"Row {first.name} is a second header row (as SurveyMonkey writes it): left out.")
    found = resolve_roles(frame, {"group_column": group_column, "date_column": ""})
    group = found["group_column"]
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    date = found["date_column"] or (dates[0] if dates else None)
    wanted = [q.strip() for q in str(questions or "").split(",") if q.strip()]
    missing = [q for q in wanted if q not in frame.columns]
    if missing:
        raise InputProblem(f"questions names '{missing[0]}', which is not a column of the file. The columns are: "
                           + ", ".join(f"'{c}'" for c in frame.columns) + ".")
    ratings, comments, multi = {}, [], []
    for column in frame.columns:
        if column in (group, date) or (wanted and column not in wanted):
            continue
        if guess_role(column) in PERSONAL_ROLES:
            notes.append(f"'{column}' holds personal details: not read as a question, and never quoted.")
            continue
        scale = read_scale(frame[column])
        if scale is not None:
            ratings[column] = scale
            notes.append(f"Rating question: '{column}' ({scale.kind} scale, {scale.points[0]} to {scale.points[-1]}).")
        elif is_multi_select(frame[column]):
            multi.append(column)
            notes.append(f"Multi-select (ticked boxes written a;b;c): '{column}'; not charted in this report.")
        elif frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            if is_comment_box(frame[column]):
                comments.append(column)
                notes.append(f"Comment box: '{column}'.")
    if group:
        notes.append(f"Group: '{group}' ({'as given' if group_column else 'found from its header'}; "
                     "set -p group_column to choose another).")
    if not ratings and not comments:
        listing = ", ".join(f"'{c}'" for c in frame.columns)
        raise InputProblem("No rating question or comment box was found in this file. A rating question's answers "
                           "are points of one scale (Strongly agree to Strongly disagree, 1 to 5, stars, yes or no); "
                           f"a comment box has long, varied answers. The columns are: {listing}.")
    return Survey(frame, ratings, comments, multi, group, date, notes)
