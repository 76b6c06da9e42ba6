"""what-people-tell-us: a feedback survey's rating questions read properly and its comments grouped into themes.

Modules, one job each: ``scales`` (rating scales found from the answers), ``questions`` (which column is
what), ``ratings`` (distribution, share positive with a Wilson interval, median and mode, by group),
``redaction`` (names, emails, phones, postcodes, addresses and long numbers replaced), ``themes``
(TF-IDF and NMF, or the charity's own keywords), ``tone`` (VADER's word list, counts only),
``comments`` (the comments table and safe quotes), ``words`` (Main points, claims, tables, summary.json),
``charts`` and ``files``. This ``__init__`` is the notebook's one import.

Example:
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> frame = pd.DataFrame({"Was it good?": ["Yes", "No", "Yes", "Yes"] * 5})
    >>> heard = hear(SimpleNamespace(frame=frame))
    >>> heard.results[0].positive, heard.results[0].n
    (15, 20)
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.survey.charts import ratings_chart
from helpers.survey.comments import Comments, read_comments
from helpers.survey.files import write_comments, write_ratings
from helpers.survey.questions import Survey, read_survey
from helpers.survey.ratings import QuestionResult, count_question, period_labels
from helpers.survey.themes import read_framework
from helpers.survey.words import (
    bullets, caveats, group_table, main_points, period_table, next_steps, no_theme_sentence, quotes_markdown, ratings_table,
    redacted_sentence, summary_figures, theme_quotes, themes_table,
)


@dataclass
class Heard:
    """Everything the report says, counted once."""

    survey: Survey
    results: list[QuestionResult]
    comments: Comments | None

    @property
    def responses(self) -> int:
        return len(self.survey.frame)


def hear(table, group_column: str = "", themes: str = "", questions: str = "", number_of_themes: int = 0) -> Heard:
    """Read a survey export, count its rating questions and theme its comments.

    Args:
        table: The loaded export.
        group_column: The group column (blank: found from the header).
        themes: The charity's own themes, "Theme: keyword, keyword; ..." (blank: found from the words).
        questions: Comma-separated headers to read (blank: every question found).
        number_of_themes: A fixed number of themes, 2 to 8 (0: chosen by stability).
    """
    from helpers.errors import InputProblem

    if number_of_themes and not 2 <= int(number_of_themes) <= 8:
        raise InputProblem(f"number_of_themes is {number_of_themes}; it must be from 2 to 8, or 0 to choose it "
                           "from the comments.")
    survey = read_survey(table, group_column, questions)
    groups = survey.frame[survey.group] if survey.group else None
    periods = period_labels(survey.frame[survey.date]) if survey.date else None
    results = [count_question(header, survey.frame[header], scale, groups, periods)
               for header, scale in survey.ratings.items()]
    comments = None
    if survey.comments:
        comments = read_comments(survey.frame, survey.comments, survey.group, read_framework(themes) or None,
                                 int(number_of_themes or 0))
    return Heard(survey, results, comments)


__all__ = [
    "Heard", "bullets", "caveats", "group_table", "period_table", "hear", "main_points", "next_steps", "no_theme_sentence",
    "quotes_markdown", "ratings_chart", "ratings_table", "redacted_sentence",
    "summary_figures", "theme_quotes", "themes_table", "write_comments", "write_ratings",
]
