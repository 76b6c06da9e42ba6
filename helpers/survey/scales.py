"""Rating scales found from the answers themselves, in whatever wording the export uses.

A form tool writes a rating as its label ("Strongly agree"), as a code ("5"), as both ("5 - Strongly
agree", SurveyMonkey's "Strongly agree (5)"), as stars ("★★★★", "4 stars", "4/5") or as yes/no/don't
know. :func:`read_scale` tries each known scale on a column's answers and returns the points in order,
lowest first, with which of them count as positive (the top two of a five-point scale, the top third
of a longer numeric one, "yes"). Answers are compared tidied: lower case, curly quotes straightened,
a leading or trailing code dropped when it is written beside a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

#: Worded scales, lowest point first. A scale with a middle point has an odd length.
WORDED_SCALES = {
    "agreement": ["strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree"],
    "satisfaction": ["very dissatisfied", "dissatisfied", "neither satisfied nor dissatisfied", "satisfied",
                     "very satisfied"],
    "quality": ["very poor", "poor", "fair", "good", "very good"],
    "likelihood": ["very unlikely", "unlikely", "neither likely nor unlikely", "likely", "very likely"],
    "frequency": ["never", "rarely", "sometimes", "often", "always"],
    "helpfulness": ["not at all helpful", "not very helpful", "fairly helpful", "very helpful", "extremely helpful"],
    "yes/no": ["no", "don't know", "yes"],
}
#: Other ways a point is written: the tidied answer -> the scale's own label.
SYNONYMS = {
    "neutral": "neither", "neither": "neither", "neither agree or disagree": "neither agree nor disagree",
    "neither satisfied or dissatisfied": "neither satisfied nor dissatisfied", "average": "fair", "ok": "fair",
    "okay": "fair", "excellent": "very good", "don't know": "don't know", "dont know": "don't know",
    "not sure": "don't know", "unsure": "don't know", "maybe": "don't know", "y": "yes", "n": "no",
    "true": "yes", "false": "no", "agree strongly": "strongly agree", "disagree strongly": "strongly disagree",
    "completely agree": "strongly agree", "completely disagree": "strongly disagree",
    "tend to agree": "agree", "tend to disagree": "disagree", "somewhat agree": "agree",
    "somewhat disagree": "disagree", "fairly satisfied": "satisfied", "fairly dissatisfied": "dissatisfied",
    "quite satisfied": "satisfied", "extremely satisfied": "very satisfied", "extremely dissatisfied": "very dissatisfied",
}
#: A code written beside a label: "5 - Strongly agree", "5. Strongly agree", "(5) Strongly agree", "Strongly agree (5)".
_CODE_BESIDE = re.compile(r"^\(?\d{1,2}\)?\s*[-–=:.)]\s*(?=\D)|^\(\d{1,2}\)\s*|\s*\(\d{1,2}\)$")
#: Stars and scores: "★★★★☆", "4 stars", "4 star", "4/5", "4 out of 5".
_STARS = re.compile(r"^(\d{1,2})\s*(?:stars?|/\s*(\d{1,2})|out of\s*(\d{1,2}))$")
#: A code and its label, read together: "4 - Useful" -> ("4", "Useful"); "Useful (4)" -> ("4", "Useful").
_CODED = re.compile(r"^\(?(?P<code>\d{1,2})\)?\s*[-–=:.)]\s*(?P<label>\D.*)$|^(?P<label2>\D.*?)\s*\((?P<code2>\d{1,2})\)$")
#: Fewest distinct points a numeric column needs to be a rating rather than a code of two values.
NUMERIC_SCALES = ((1, 5), (0, 5), (1, 7), (1, 10), (0, 10))


@dataclass(frozen=True)
class Scale:
    """A rating scale, lowest point first.

    Attributes:
        kind: ``agreement``, ``satisfaction``... ``yes/no``, ``numeric``, ``stars`` or ``coded`` (codes
            written with labels the kit does not know, "4 - Useful").
        points: The points as the report names them ("Strongly agree", "5", "5 stars"), lowest first.
        positive: How many of the top points count as positive (2 on a five-point scale, 1 for yes/no).
        numeric: The points are numbers (a mean of them means something, if the charity asks).
    """

    kind: str
    points: tuple[str, ...]
    positive: int
    numeric: bool = False

    @property
    def neutral(self) -> int | None:
        """The index of the middle point, or ``None`` for an even scale."""
        return len(self.points) // 2 if len(self.points) % 2 == 1 else None

    @property
    def positive_points(self) -> tuple[str, ...]:
        return self.points[-self.positive:]


def tidy(answer: object) -> str:
    """An answer as it is compared: lower case, quotes straight, spaces single, a code beside a label dropped.

    Example:
        >>> tidy("5 - Strongly Agree"), tidy("Don’t know "), tidy("Agree (4)"), tidy("★★★☆☆")
        ('strongly agree', "don't know", 'agree', '3 stars')
    """
    if answer is None or (isinstance(answer, float) and pd.isna(answer)):
        return ""
    text = str(answer).strip().replace("’", "'").replace("‘", "'").replace("–", "-")
    if text and set(text) <= {"★", "☆", "*", " "} and "★" in text:
        return f"{text.count('★')} stars"
    text = re.sub(r"\s+", " ", text.lower())
    if re.fullmatch(r"\d+\.0", text):
        text = text[:-2]
    text = _CODE_BESIDE.sub("", text).strip()
    return SYNONYMS.get(text, text)


def _positive_count(length: int) -> int:
    """The top points that count as agreeing: one of three, two of four to seven, a third of longer scales."""
    return 1 if length <= 3 else 2 if length <= 7 else round(length / 3)


def read_scale(answers: pd.Series, least_share: float = 0.9) -> Scale | None:
    """The rating scale these answers are on, or ``None`` when they are not ratings.

    At least ``least_share`` of the non-blank answers must be points of one scale, and at least two
    different points must be used (a column of "yes" alone is a tick box, not a rating).

    Example:
        >>> read_scale(pd.Series(["Agree", "Strongly agree", "Neutral", "Disagree"])).points[-1]
        'Strongly agree'
        >>> read_scale(pd.Series([1, 5, 3, 4, 4])).kind, read_scale(pd.Series(["Yes", "No", "Yes"])).positive
        ('numeric', 1)
        >>> read_scale(pd.Series(["The staff were kind", "Lunch"])) is None
        True
    """
    given = answers.dropna()
    if given.empty:
        return None
    tidied = given.map(tidy)
    tidied = tidied[tidied != ""]
    if tidied.empty or tidied.nunique() < 2:
        return None
    counts = tidied.value_counts()

    def share_in(labels) -> float:
        return float(counts[counts.index.isin(labels)].sum() / counts.sum())

    for kind, labels in WORDED_SCALES.items():
        allowed = set(labels) | ({"neither"} if kind != "yes/no" else set())
        if share_in(allowed) >= least_share and counts.index.isin(labels).sum() >= 2:
            points = tuple(_label(label) for label in labels)
            return Scale(kind, points, _positive_count(len(points)))
    stars = tidied.str.extract(_STARS)
    if stars[0].notna().mean() >= least_share:
        top = pd.to_numeric(stars[1].fillna(stars[2]), errors="coerce").max()
        top = int(top) if pd.notna(top) else max(5, int(pd.to_numeric(stars[0]).max()))
        points = tuple(f"{n} star" if n == 1 else f"{n} stars" for n in range(1, top + 1))
        return Scale("stars", points, _positive_count(len(points)), numeric=True)
    coded = _codes_and_labels(given)
    if coded is not None:
        return coded
    numbers = pd.to_numeric(tidied, errors="coerce")
    if numbers.notna().mean() >= least_share and (numbers.dropna() % 1 == 0).all():
        low, high = numbers.min(), numbers.max()
        for first, last in NUMERIC_SCALES:
            if first <= low and high <= last and numbers.nunique() >= 3:
                points = tuple(str(n) for n in range(first, last + 1))
                return Scale("numeric", points, _positive_count(len(points)), numeric=True)
    return None


def _codes_and_labels(given: pd.Series, least_share: float = 0.9) -> Scale | None:
    """A scale of codes written with labels the kit does not know ("4 - Useful", "1 - Not useful"): the code
    orders the points, the label names them.

    Example:
        >>> _codes_and_labels(pd.Series(["4 - Useful", "1 - Not useful", "5 - Very useful"])).points
        ('1 - Not useful', '2', '3', '4 - Useful', '5 - Very useful')
    """
    found = given.astype(str).str.strip().str.extract(_CODED)
    codes = pd.to_numeric(found["code"].fillna(found["code2"]), errors="coerce")
    labels = found["label"].fillna(found["label2"])
    if codes.notna().mean() < least_share or codes.nunique() < 2:
        return None
    low, high = int(codes.min()), int(codes.max())
    first, last = next(((a, b) for a, b in NUMERIC_SCALES if a <= low and high <= b), (low, high))
    named = {int(c): f"{int(c)} - {str(l).strip()}" for c, l in zip(codes, labels) if pd.notna(c)}
    points = tuple(named.get(n, str(n)) for n in range(first, last + 1))
    return Scale("coded", points, _positive_count(len(points)), numeric=True)


def _label(tidied: str) -> str:
    """The report's name for a point: "Don't know", "Strongly agree"."""
    return tidied[:1].upper() + tidied[1:]


def point_of(answers: pd.Series, scale: Scale) -> pd.Series:
    """Each answer's point on the scale as a position (0 = lowest), missing where it is not a point.

    "Neither" and "Neutral" are the middle point of any worded scale that has one.

    Example:
        >>> s = read_scale(pd.Series(["Agree", "Strongly agree", "Neutral", "Disagree"]))
        >>> point_of(pd.Series(["agree", "Neutral", "n/a", None]), s).tolist()
        [3.0, 2.0, nan, nan]
    """
    positions = {tidy(point): i for i, point in enumerate(scale.points)}
    if scale.neutral is not None and scale.kind not in ("numeric", "stars"):
        positions["neither"] = scale.neutral
    tidied = answers.map(tidy)
    if scale.kind == "stars":
        found = tidied.str.extract(_STARS)[0]
        return pd.to_numeric(found, errors="coerce") - 1
    if scale.kind == "coded":
        found = answers.astype("string").str.strip().str.extract(_CODED)
        codes = pd.to_numeric(found["code"].fillna(found["code2"]), errors="coerce")
        first = int(scale.points[0].split(" ")[0])
        return (codes - first).where(codes.between(first, first + len(scale.points) - 1))
    if scale.kind == "numeric":
        numbers = pd.to_numeric(tidied, errors="coerce")
        return (numbers - int(scale.points[0])).where(numbers.isin([int(p) for p in scale.points]))
    return tidied.map(positions).astype(float)
