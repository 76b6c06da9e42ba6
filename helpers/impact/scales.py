"""Wellbeing scales: turning questionnaire answers into scores the analysis can use.

Covers the Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS, 14 questions) and its
short form (SWEMWBS, 7 questions), the ONS4 personal wellbeing questions (four
items, each 0-10, each analysed on its own), MYCaW (Measure Yourself Concerns and
Wellbeing: concerns and wellbeing scored 0-6, lower is better), plus "none" for any
other numeric score (a 1-10 rating, say). Each scale's definition (items, range,
direction, thresholds, source with year, licence) is one entry of :data:`SCALES`,
so the report can say where every threshold comes from.

Rules applied to the answers, stated so the report can repeat them:

* Answers may be numbers 1-5 or the words printed on the form ("None of the time",
  "Rarely", "Some of the time", "Often", "All of the time"), in any mix.
* A number outside 1-5 (or not a whole number) is treated as a missing answer.
* A person with any missing answer at a time point gets no score for that time
  point, as the scale's user guide advises; they are counted, not dropped silently.
* Text that is neither a number nor one of the five answers stops the run: it
  usually means the wrong column was picked.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.errors import InputProblem
from helpers.writing.narrative import list_in_words

#: SWEMWBS raw total (7-35) -> metric score, the published Rasch conversion table.
#: Metric scores are on an interval scale, so means and changes are meaningful.
SWEMWBS_METRIC: dict[int, float] = dict(
    zip(
        range(7, 36),
        (
            7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36,
            16.88, 17.43, 17.98, 18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21,
            24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00,
        ),
        strict=True,
    )
)

#: The five answer options printed on WEMWBS and SWEMWBS forms.
ANSWER_WORDS: dict[str, int] = {
    "none of the time": 1,
    "rarely": 2,
    "some of the time": 3,
    "often": 4,
    "all of the time": 5,
}


@dataclass(frozen=True)
class Band:
    """One of a measure's published bands: scores from ``low`` to ``high`` (both included)."""

    low: float
    high: float
    name: str


@dataclass(frozen=True)
class Item:
    """One measure of a scale that is analysed on its own (an ONS4 question, MYCaW's wellbeing).

    Attributes:
        key: Its key in ``summary.json``'s ``measures`` ("life_satisfaction").
        name: How the report names it ("Life satisfaction").
        words: Regular expressions; a column whose header matches one holds this item.
        question: The question as published, or "" where its wording is not the kit's to print.
        low, high: The lowest and highest answer.
        better: "higher" or "lower": which way is an improvement.
        bands: The published bands, lowest scores first (may be empty).
        worst_band: The band whose leavers the report counts ("low", or "high" for anxiety).
        combine: Several columns (MYCaW's concern 1 and concern 2) are found under it; each is
            analysed as its own concern, and their average over the concerns scored at both times
            is worked out after pairing (see :mod:`helpers.impact.mycaw`).
        part_of: The key of the measure this one is a part of ("concerns" for MYCaW's concern 1):
            reported in the table of measures, without a chart of its own.
        meaningful_change: The change for one person that counts as meaningful (``None``: none published).
        change_source: Where that threshold comes from, with its year.
        national_mean: The UK average, for context (``None``: not shipped).
    """

    key: str
    name: str
    words: tuple[str, ...]
    question: str
    low: float
    high: float
    better: str
    bands: tuple[Band, ...] = ()
    worst_band: str = ""
    combine: bool = False
    part_of: str = ""
    meaningful_change: float | None = None
    change_source: str = ""
    national_mean: float | None = None

    def band_of(self, score: float) -> str:
        """The band a score falls in ("" outside every band or when missing).

        Example:
            >>> SCALES["ons4"].items[3].band_of(5)
            'medium'
        """
        for band in self.bands:
            if band.low <= score <= band.high:
                return band.name
        return ""


@dataclass(frozen=True)
class Scale:
    """What the kit knows about one outcome measure.

    Attributes:
        key: The ``scale`` parameter value ("swemwbs", "wemwbs", "none").
        name: How the report names it in full.
        short: How the report names it after that ("SWEMWBS").
        n_items: How many questions make a score (``None``: any number).
        item_min, item_max: The lowest and highest answer (``None``: no limit).
        meaningful_change: The change for one person taken as meaningful, in score
            points (``None``: not known).
        change_source: Where that threshold comes from, for the report.
        change_range: The published range it sits in, where the source gives one.
        population_mean: The average score of adults in England, to tell whether
            people joined at a low point (``None``: not known).
        population_source: Where that average comes from.
        items: Measures analysed one by one (ONS4, MYCaW); empty for a single score.
        source: The scale's own source, with its year.
        licence: Its terms of use, in words.
        national_source: Where the items' national averages come from, with year and licence.
    """

    key: str
    name: str
    short: str
    n_items: int | None
    item_min: int | None
    item_max: int | None
    meaningful_change: float | None
    change_source: str = ""
    change_range: tuple[float, float] | None = None
    population_mean: float | None = None
    population_source: str = ""
    items: tuple[Item, ...] = ()
    source: str = ""
    licence: str = ""
    national_source: str = ""

    def score_range(self) -> tuple[float, float] | None:
        """The lowest and highest possible score, or ``None`` for "none" and for scales of items."""
        if self.items or self.n_items is None or self.item_min is None or self.item_max is None:
            return None
        return float(self.n_items * self.item_min), float(self.n_items * self.item_max)


#: ONS bands for life satisfaction, worthwhile and happiness (ONS personal well-being user guidance, 2018).
ONS_POSITIVE_BANDS = (Band(0, 4, "low"), Band(5, 6, "medium"), Band(7, 8, "high"), Band(9, 10, "very high"))
#: ONS bands for anxiety, where lower is better.
ONS_ANXIETY_BANDS = (Band(0, 1, "very low"), Band(2, 3, "low"), Band(4, 5, "medium"), Band(6, 10, "high"))

#: No threshold validated for MYCaW itself has been published; one point is the smallest step
#: its 0-6 scale records. The report says so rather than presenting it as the authors' own.
MYCAW_CHANGE_SOURCE = (
    "the smallest step MYCaW's 0-6 scale records (1 point): no meaningful-change threshold has been "
    "validated for MYCaW itself. For scale, Paterson and others (2007) found average falls of 1.9 to 2.9 "
    "points in the first concern and 0.6 to 1.4 in wellbeing at two cancer support centres"
)

SCALES: dict[str, Scale] = {
    "swemwbs": Scale(
        key="swemwbs",
        name="Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
        short="SWEMWBS",
        n_items=7,
        item_min=1,
        item_max=5,
        meaningful_change=2.87,
        change_source=(
            "Shah and others (2018, Health and Quality of Life Outcomes 16:239): 2.77 times the standard "
            "error of measurement of one person's score, a change bigger than the scale's measurement error; "
            "their estimates of a meaningful change range from 1 to 3 points"
        ),
        change_range=(1.0, 3.0),
        population_mean=23.5,
        population_source="the Health Survey for England 2010 to 2013, Ng Fat and others 2017",
    ),
    "wemwbs": Scale(
        key="wemwbs",
        name="Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)",
        short="WEMWBS",
        n_items=14,
        item_min=1,
        item_max=5,
        meaningful_change=8.0,
        change_source=(
            "Maheswaran and others (2012, Health and Quality of Life Outcomes 10:156), whose estimates of a "
            "change bigger than the scale's measurement error range from 6.6 to 8.6 points; the kit uses 8"
        ),
        change_range=(6.6, 8.6),
        population_mean=50.7,
        population_source="surveys of adults in Scotland, Tennant and others 2007",
    ),
    "ons4": Scale(
        key="ons4",
        name="ONS4 personal wellbeing questions",
        short="ONS4",
        n_items=None,
        item_min=0,
        item_max=10,
        meaningful_change=None,
        items=(
            Item("life_satisfaction", "Life satisfaction", (r"satisf",),
                 "Overall, how satisfied are you with your life nowadays?", 0, 10, "higher",
                 ONS_POSITIVE_BANDS, worst_band="low", national_mean=7.45),
            Item("worthwhile", "Worthwhile", (r"worthwhile",),
                 "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
                 0, 10, "higher", ONS_POSITIVE_BANDS, worst_band="low", national_mean=7.73),
            Item("happiness", "Happiness", (r"\bhapp",), "Overall, how happy did you feel yesterday?",
                 0, 10, "higher", ONS_POSITIVE_BANDS, worst_band="low", national_mean=7.39),
            Item("anxiety", "Anxiety", (r"\banxi",), "Overall, how anxious did you feel yesterday?",
                 0, 10, "lower", ONS_ANXIETY_BANDS, worst_band="high", national_mean=3.23),
        ),
        source=(
            "the Office for National Statistics' personal well-being questions (ONS4), answered 0 (not at "
            "all) to 10 (completely), with the thresholds of the ONS personal well-being user guidance (2018)"
        ),
        licence="The ONS4 question wording is Crown copyright, used under the Open Government Licence v3.0.",
        national_source=(
            "UK averages for April 2022 to March 2023 from the ONS Annual Population Survey (Personal "
            "well-being in the UK, published 7 November 2023), Crown copyright, Open Government Licence v3.0"
        ),
    ),
    "mycaw": Scale(
        key="mycaw",
        name="Measure Yourself Concerns and Wellbeing (MYCaW)",
        short="MYCaW",
        n_items=None,
        item_min=0,
        item_max=6,
        meaningful_change=None,
        items=(
            Item("concerns", "Concerns", (r"concern",), "", 0, 6, "lower", combine=True,
                 meaningful_change=1.0, change_source=MYCAW_CHANGE_SOURCE),
            Item("wellbeing", "Wellbeing", (r"well[\s\-]?being",), "", 0, 6, "lower",
                 meaningful_change=1.0, change_source=MYCAW_CHANGE_SOURCE),
        ),
        source=(
            "MYCaW (Paterson and others, 2007, Complementary Therapies in Medicine 15:38-45): each person "
            "names one or two concerns and scores how much each bothers them, and their wellbeing, from "
            "0 (as good as it could be) to 6 (as bad as it could be)"
        ),
        licence=(
            "MYCaW is a registered trade mark, licensed by Meaningful Measures Ltd; services are asked to "
            "register (and, for some uses, take a licence) before using it. The kit prints none of its wording."
        ),
    ),
    "none": Scale(
        key="none",
        name="score",
        short="score",
        n_items=None,
        item_min=None,
        item_max=None,
        meaningful_change=None,
    ),
}


def get_scale(name: str | None) -> Scale:
    """Look up a scale by its parameter value.

    Args:
        name: "swemwbs", "wemwbs", "ons4", "mycaw" or "none" (case and spaces ignored; blank means "none").

    Returns:
        The :class:`Scale`.

    Raises:
        InputProblem: The name is not one the kit knows.

    Example:
        >>> get_scale("SWEMWBS").n_items
        7
    """
    key = "none" if name is None or str(name).strip() == "" else str(name).strip().lower()
    if key not in SCALES:
        raise InputProblem(
            f"The scale '{name}' is not one the kit knows. Set scale to 'swemwbs' (7 questions), "
            f"'wemwbs' (14 questions), 'ons4' (the four ONS personal wellbeing questions), 'mycaw' "
            f"(MYCaW concerns and wellbeing) or 'none' (any other numeric score)."
        )
    return SCALES[key]


def swemwbs_metric(raw_total):
    """Convert SWEMWBS raw totals (7-35) to metric scores with the published table.

    Args:
        raw_total: One number or a pandas Series of raw totals.

    Returns:
        The metric score(s); missing where the raw total is missing or is not a
        whole number from 7 to 35.

    Example:
        >>> swemwbs_metric(21)
        19.25
        >>> swemwbs_metric(pd.Series([7, 35, None])).tolist()
        [7.0, 35.0, nan]
    """
    if isinstance(raw_total, pd.Series):
        return raw_total.map(lambda value: SWEMWBS_METRIC.get(_whole(value), np.nan)).astype("float64")
    return SWEMWBS_METRIC.get(_whole(raw_total), math.nan)


def _whole(value) -> int | None:
    """The value as an int when it is a whole number, else None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) and number == int(number) else None


def blank_cells(series: pd.Series) -> pd.Series:
    """Which cells are empty: missing, or only spaces.

    Example:
        >>> blank_cells(pd.Series(["3", " ", None])).tolist()
        [False, True, True]
    """
    text = series.astype("str").str.strip()
    return series.isna() | text.eq("")


def numbers_in(series: pd.Series, words: dict[str, int] | None = None) -> tuple[pd.Series, pd.Series]:
    """Read a column as numbers, optionally accepting answer words.

    Args:
        series: The column as loaded (numbers, text or a mix).
        words: Lower-case answer words and the number each stands for (such as
            :data:`ANSWER_WORDS`); ``None`` accepts numbers only.

    Returns:
        ``(numbers, unreadable)``: the values as floats (missing where blank or
        unreadable) and a boolean Series marking cells that held something that
        could not be read.

    Example:
        >>> values, bad = numbers_in(pd.Series(["4", "Often", "lots", None]), ANSWER_WORDS)
        >>> values.tolist(), bad.tolist()
        ([4.0, 4.0, nan, nan], [False, False, True, False])
    """
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.astype("float64")
        return values, pd.Series(False, index=series.index)
    blank = blank_cells(series)
    text = series.astype("str").str.strip()
    values = pd.to_numeric(text.where(~blank), errors="coerce").astype("float64")
    if words:
        values = values.fillna(_folded_text(series).map(words).astype("float64"))
    unreadable = values.isna() & ~blank
    return values, unreadable


def _folded_text(series: pd.Series) -> pd.Series:
    """Cell text lower-cased with runs of spaces made single, for matching answer words."""
    return series.astype("str").str.strip().str.lower().str.replace(r"\s+", " ", regex=True)


def rows_in_words(index, limit: int = 8) -> str:
    """Name rows for a message: "rows 4, 9 and 12" or "row 7".

    Example:
        >>> rows_in_words([4, 9, 12])
        'rows 4, 9 and 12'
    """
    rows = list(index)
    return ("row " if len(rows) == 1 else "rows ") + list_in_words(rows, limit=limit)


@dataclass
class ItemScores:
    """Scores worked out from one time point's answers.

    Attributes:
        score: The score per person (SWEMWBS: metric score); missing when any
            answer is missing or out of range, or all were blank.
        raw_total: The plain sum of the answers (missing on the same rows).
        answers: The answers as numbers, out-of-range ones made missing.
        blank: Rows with no answers at all (the form was not filled in).
        incomplete: Rows with some answers but not a full valid set.
        out_of_range: How many answers on each row fell outside the scale's range.
        had_words: Whether any answer was written as words.
        shifted: Columns whose answers ran 0-4 and were moved up by one to the form's 1-5.
    """

    score: pd.Series
    raw_total: pd.Series
    answers: pd.DataFrame
    blank: pd.Series
    incomplete: pd.Series
    out_of_range: pd.Series
    had_words: bool = False
    shifted: tuple[str, ...] = ()

    def rows(self, selector: pd.Series) -> ItemScores:
        """The same scores for the rows picked by a boolean Series (one time point, say)."""
        return ItemScores(
            self.score[selector], self.raw_total[selector], self.answers[selector],
            self.blank[selector], self.incomplete[selector], self.out_of_range[selector],
            self.had_words, self.shifted,
        )


def score_items(items: pd.DataFrame, scale: Scale, parameter: str = "items") -> ItemScores:
    """Score a questionnaire from its answer columns, one row per person.

    Args:
        items: The answer columns for one time point (numbers and/or answer words).
        scale: The scale (from :func:`get_scale`); for "none" the score is the
            sum of the columns, with no range check.
        parameter: The parameter that named the columns, for messages.

    Returns:
        :class:`ItemScores`.

    Raises:
        InputProblem: The number of columns does not match the scale, or a column
            holds text that is neither a number nor an answer word.

    Example:
        >>> answers = pd.DataFrame({f"q{i}": [3, 5] for i in range(1, 8)})
        >>> score_items(answers, get_scale("swemwbs")).score.tolist()
        [19.25, 35.0]
    """
    if scale.n_items is not None and items.shape[1] != scale.n_items:
        named = list_in_words([f"'{c}'" for c in items.columns], limit=20)
        raise InputProblem(
            f"{parameter} names {items.shape[1]} columns ({named}), but {scale.name} has "
            f"{scale.n_items} questions. List exactly {scale.n_items} columns, or check the "
            f"scale parameter."
        )
    words = ANSWER_WORDS if scale.item_min is not None else None
    answers = {}
    had_words = False
    for column in items.columns:
        values, unreadable = numbers_in(items[column], words)
        if words and not pd.api.types.is_numeric_dtype(items[column]):
            had_words = had_words or bool(_folded_text(items[column]).isin(list(words)).any())
        if unreadable.any():
            accepted = "numbers" if words is None else (
                "numbers from 1 to 5 or the answers " + ", ".join(f"'{w.capitalize()}'" for w in ANSWER_WORDS)
            )
            raise InputProblem(
                f"Column '{column}' ({parameter}) holds answers the kit cannot read in "
                f"{rows_in_words(items.index[unreadable])}. It accepts {accepted}. Correct or blank "
                f"those cells, or check that {parameter} names the right columns."
            )
        answers[column] = values
    answers = pd.DataFrame(answers, index=items.index)
    answers, shifted = _zero_to_four(answers, scale, parameter)

    out_of_range = pd.DataFrame(False, index=items.index, columns=items.columns)
    if scale.item_min is not None:
        whole = answers.eq(answers.round())
        out_of_range = answers.notna() & (~whole | answers.lt(scale.item_min) | answers.gt(scale.item_max))
        answers = answers.mask(out_of_range)

    blank = answers.isna().all(axis=1) & ~out_of_range.any(axis=1)
    complete = answers.notna().all(axis=1)
    raw_total = answers.sum(axis=1, min_count=1).where(complete)
    score = swemwbs_metric(raw_total) if scale.key == "swemwbs" else raw_total.astype("float64")
    return ItemScores(
        score=score,
        raw_total=raw_total,
        answers=answers,
        blank=blank,
        incomplete=~complete & ~blank,
        out_of_range=out_of_range.sum(axis=1).astype("int64"),
        had_words=had_words,
        shifted=shifted,
    )


#: Zeros in at least this share of answers, on at least this many forms, mean an export coded the
#: answers 0-4; fewer are stray typos, treated as out of range.
ZERO_CODED_SHARE = 0.05
ZERO_CODED_ROWS = 3


def _zero_to_four(answers: pd.DataFrame, scale: Scale, parameter: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Answers a survey tool exported as 0-4 instead of the form's 1-5, moved up by one.

    Some tools store the first option as 0. When zeros are common (at least
    :data:`ZERO_CODED_SHARE` of the answers, on :data:`ZERO_CODED_ROWS` forms or more) and no answer is 5, every answer is
    one lower than on the form, so each is moved up by one (and the report says so).
    Common zeros beside fives cannot be read either way, so the run stops.

    Example:
        >>> answers = pd.DataFrame({"q1": [0, 0, 0, 4], "q2": [1, 3, 4, 2]})
        >>> moved, columns = _zero_to_four(answers, SCALES["swemwbs"], "items")
        >>> moved["q1"].tolist(), columns
        ([1, 1, 1, 5], ('q1', 'q2'))
    """
    if scale.item_min != 1 or scale.item_max != 5:
        return answers, ()
    given = answers.notna().sum().sum()
    zeros = answers.eq(0)
    if not given or zeros.sum().sum() < ZERO_CODED_SHARE * given or zeros.any(axis=1).sum() < ZERO_CODED_ROWS:
        return answers, ()
    if answers.eq(5).any().any():
        named = list_in_words([f"'{c}'" for c in answers.columns[zeros.any()]], limit=20)
        raise InputProblem(
            f"{parameter}: many answers are 0 (in {named}) but others are 5, so the kit cannot tell whether "
            f"the answers run 1-5, as on the form, or 0-4, as some survey tools export them. Check the export "
            f"and give every answer on one scale."
        )
    return answers + 1, tuple(str(c) for c in answers.columns)


def cronbach_alpha(answers: pd.DataFrame) -> float:
    """Cronbach's alpha: how consistently the questions measure one thing.

    Uses people who answered every question. Alpha is
    k / (k - 1) * (1 - sum of question variances / variance of the total).

    Args:
        answers: One column per question, numbers, one row per person.

    Returns:
        Alpha (at most 1; near 0 or negative means the questions do not hang
        together), or NaN with fewer than 2 questions, 2 complete rows, or a
        total that never varies.

    Example:
        >>> round(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 3, 5], "c": [2, 2, 4, 4]})), 4)
        0.9333
    """
    complete = answers.dropna()
    k = complete.shape[1]
    if k < 2 or len(complete) < 2:
        return math.nan
    total_variance = complete.sum(axis=1).var(ddof=1)
    if not total_variance > 0:
        return math.nan
    return float(k / (k - 1) * (1 - complete.var(ddof=1).sum() / total_variance))


def reliable_change(sd_before: float, alpha: float) -> float:
    """The reliable change threshold (Jacobson and Truax 1991) from the data's own reliability.

    A change bigger than this is unlikely (5%) to come from measurement error alone:
    1.96 * sqrt(2) * SD before * sqrt(1 - alpha).

    Args:
        sd_before: Standard deviation of the "before" scores.
        alpha: Cronbach's alpha of the scale in this data.

    Returns:
        The threshold in score points, or NaN when alpha is missing, not above 0
        or above 1.

    Example:
        >>> round(reliable_change(4.0, 0.84), 3)
        4.435
    """
    if not (0 < alpha <= 1) or not math.isfinite(sd_before):
        return math.nan
    return 1.96 * math.sqrt(2) * sd_before * math.sqrt(1 - alpha)


def item_of(scale: Scale, header) -> Item | None:
    """Which of a scale's items a column holds, from the words of its header.

    Args:
        scale: A scale with items (ONS4, MYCaW).
        header: The column's header as typed ("Satisfied with life (referral)").

    Returns:
        The :class:`Item`, or ``None`` when no item's words are in the header.

    Example:
        >>> item_of(SCALES["ons4"], "Satisfied with life (referral)").key
        'life_satisfaction'
        >>> item_of(SCALES["ons4"], "Anxious yesterday, 12 weeks").better
        'lower'
    """
    text = str(header).casefold()
    for item in scale.items:
        if any(re.search(word, text) for word in item.words):
            return item
    return None
