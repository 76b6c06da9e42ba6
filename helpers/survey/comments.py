"""The comments, one row each: redacted, themed, toned, and the few that may be quoted.

Every comment is redacted first (:mod:`helpers.survey.redaction`), and themes are found on the
redacted text, so a name can never become a theme's top word. Quotes are chosen per theme from the
comments that lean on it most, and only where it is safe: never from a theme, or a group (service,
site), with fewer than :data:`FEWEST_TO_QUOTE` responses, never when the charity set ``quotes`` false,
and always redacted and cut to 200 characters.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.survey.redaction import cut, lower_case_words, redact
from helpers.survey.themes import NO_THEME, Themes, code_comments, find_themes
from helpers.survey.tone import POSITIVE, tone_of

#: Fewest responses in a theme or group for a comment from it to be quoted.
FEWEST_TO_QUOTE = 5
#: Quotes shown per theme.
QUOTES_PER_THEME = 3


@dataclass
class Comments:
    """Every comment and its themes.

    Attributes:
        table: One row per comment: ``row`` (the file's row number), ``question``, ``group``,
            ``original``, ``redacted`` (text), ``was_redacted``, ``theme``, ``tone``, ``strength``.
        themes: The themes (found or coded).
        group_sizes: Group -> responses in the whole survey (for the quoting rule).
    """

    table: pd.DataFrame
    themes: Themes
    group_sizes: dict[str, int]

    @property
    def redacted(self) -> int:
        return int(self.table["was_redacted"].sum())

    def theme_rows(self) -> list[dict]:
        """Each theme (largest first, "No theme" last): name, top words, count, tones, share positive."""
        rows = []
        for name in [*self.themes.names, NO_THEME]:
            part = self.table[self.table["theme"] == name]
            if part.empty:
                continue
            tones = part["tone"].value_counts()
            rows.append({"name": name, "top_words": self.themes.top_words.get(name, []), "count": len(part),
                         "positive": int(tones.get("positive", 0)), "negative": int(tones.get("negative", 0)),
                         "neutral": int(tones.get("neutral", 0)),
                         "share_positive": float((part["tone"] == POSITIVE).mean())})
        return rows


def read_comments(frame: pd.DataFrame, questions: list[str], group: str | None = None, framework=None,
                  number: int = 0) -> Comments:
    """Redact, theme and tone every comment in the ``questions`` columns.

    Args:
        frame: The responses.
        questions: The comment boxes' headers.
        group: The group column, if any.
        framework: Theme -> keywords, to code against the charity's own themes (``None``: find them).
        number: A fixed number of themes (0: chosen by stability).
    """
    parts = []
    for question in questions:
        answers = frame[question].astype("string").str.strip()
        answers = answers[answers.notna() & answers.ne("")]
        parts.append(pd.DataFrame({"row": answers.index, "question": question,
                                   "group": frame.loc[answers.index, group].astype("string") if group else pd.NA,
                                   "original": answers.astype(str).to_numpy()}))
    table = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=["row", "question", "group", "original"]))
    known = lower_case_words(table["original"].unique())
    done = {text: redact(text, known) for text in table["original"].unique()}
    table["redacted"] = table["original"].map(lambda t: done[t][0])
    table["was_redacted"] = table["original"].map(lambda t: done[t][1]).astype(bool)
    themes = (code_comments(table["redacted"], framework) if framework
              else find_themes(table["redacted"], number))
    table["theme"] = themes.labels.to_numpy()
    table["strength"] = themes.strength.to_numpy()
    table["tone"] = tone_of(table["redacted"]).to_numpy() if len(table) else []
    sizes = frame[group].astype("string").value_counts().to_dict() if group else {}
    return Comments(table, themes, {str(k): int(v) for k, v in sizes.items()})


def quotable(comments: Comments, quotes: bool = True) -> pd.DataFrame:
    """The comments that may be quoted: redacted, from a group and a theme of at least 5 responses.

    Example:
        >>> table = pd.DataFrame({"group": ["A"] * 4 + ["B"] * 6, "theme": ["t"] * 10,
        ...                       "redacted": ["x"] * 10, "strength": [1.0] * 10})
        >>> c = Comments(table, None, {"A": 4, "B": 6})
        >>> quotable(c)["group"].unique().tolist(), len(quotable(c, quotes=False))
        (['B'], 0)
    """
    table = comments.table
    if not quotes or table.empty:
        return table.iloc[0:0]
    theme_sizes = table["theme"].value_counts()
    safe = table["theme"].map(theme_sizes).ge(FEWEST_TO_QUOTE)
    if comments.group_sizes:
        safe &= table["group"].astype("string").map(comments.group_sizes).fillna(0).ge(FEWEST_TO_QUOTE)
    return table[safe]


def examples(comments: Comments, theme: str, quotes: bool = True, most: int = QUOTES_PER_THEME) -> list[str]:
    """Up to ``most`` short redacted quotes for a theme, the comments that lean on it most, distinct.

    Example:
        >>> table = pd.DataFrame({"group": ["A"] * 6, "theme": ["t"] * 6, "strength": [1, 5, 3, 2, 4, 0],
        ...                       "redacted": ["a", "b", "c", "d", "b", "f"]})
        >>> examples(Comments(table, None, {"A": 6}), "t")
        ['b', 'c', 'd']
    """
    pool = quotable(comments, quotes)
    pool = pool[pool["theme"] == theme].sort_values(["strength", "redacted"], ascending=[False, True], kind="stable")
    chosen = []
    for text in pool["redacted"]:
        quote = cut(text)
        if quote not in chosen:
            chosen.append(quote)
        if len(chosen) == most:
            break
    return chosen
