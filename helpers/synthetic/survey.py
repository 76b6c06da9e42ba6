"""The sample feedback survey for what-people-tell-us: 600 responses to a community centre's form.

Five rating questions, each in the wording a real export uses (satisfaction labels, agreement labels,
numeric 1-5 codes, yes/no/don't know, stars), two comment boxes, the service used, a timestamp and the
optional name and email boxes that feedback forms have. Six themes are planted in the comments (three
things people like, three they would change), so a test can measure that the kit finds them; some
comments carry a name, an email, a phone number, a postcode or an address, which the report must never
quote. Every person and comment is invented.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd

from helpers.synthetic.register import FIRST_NAMES, SURNAMES

SEED = 20260326
RESPONSES = 600
SERVICES = {"Lunch club": 0.35, "Advice drop-in": 0.3, "Youth club": 0.2, "Digital skills": 0.15}

LIKE_MOST = "What did you like most?"
DO_BETTER = "What could we do better?"
RATINGS = {
    "How satisfied were you with the service overall?":
        ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied"],
    "The staff treated me with respect":
        ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
    "How easy was it to get to us? (1 = very hard, 5 = very easy)": ["1", "2", "3", "4", "5"],
    "Would you recommend us to a friend?": ["No", "Don't know", "Yes"],
    "How would you rate the sessions?": ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"],
}

#: Planted themes: the question they answer and the words that carry each one.
THEMES = {
    "staff": (LIKE_MOST, ["staff", "volunteers", "friendly", "kind", "welcoming", "helpful", "patient", "listened",
                          "caring", "team"]),
    "food": (LIKE_MOST, ["lunch", "meal", "soup", "cake", "hot", "tasty", "homemade", "fresh", "dinner", "breakfast"]),
    "company": (LIKE_MOST, ["friends", "company", "lonely", "chat", "neighbours", "meeting", "social", "alone",
                            "talk", "together"]),
    "waiting": (DO_BETTER, ["wait", "queue", "waiting", "slow", "long", "hour", "seen", "appointment", "delay",
                            "quicker"]),
    "hours": (DO_BETTER, ["evening", "weekend", "saturday", "opening", "hours", "later", "open", "times", "earlier",
                          "sunday"]),
    "transport": (DO_BETTER, ["bus", "parking", "lift", "taxi", "transport", "travel", "route", "stop", "car", "far"]),
}
#: Sentence frames: their own words are stop words, so only the theme's words tell themes apart.
FRAMES = {LIKE_MOST: ["The {0} and the {1}.", "{0} {1}, {2}.", "Really {0} {1}.", "The {0}, {1} and {2}.",
                      "I loved the {0} {1}."],
          DO_BETTER: ["More {0} {1} please.", "The {0} {1} could be better.", "{0}, {1}.", "Less {0}, more {1}.",
                      "Better {0} and {1}."]}

#: How a planted personal detail is written into a comment (the markers the privacy tests look for).
PERSONAL = [
    "Ask for {first} {last}, she knows me.", "Email me at {mail}@example.org if you want.",
    "Ring me on 07700 900{digits}.", "I live at {number} Acacia Road, E8 1DY.",
    "My case number is 48291{digits}.", "{first} {last} was brilliant.",
]


def _comment(rng: np.random.Generator, theme: str) -> str:
    question, words = THEMES[theme]
    # The first three words are what the theme is about (a comment about staff names the staff); the rest describe it.
    chosen = [str(rng.choice(words[:3])), *[str(w) for w in rng.choice(words[3:], size=2, replace=False)]]
    chosen = [chosen[i] for i in rng.permutation(3)]
    text = str(rng.choice(FRAMES[question])).format(*chosen)
    text = text[0].upper() + text[1:]
    if rng.random() < 0.25:
        text += " " + str(rng.choice(["Thank you.", "Keep it up.", "Nothing else really.", "Good overall."]))
    return text


def make_survey(responses: int = RESPONSES, seed: int = SEED, personal_share: float = 0.08) -> pd.DataFrame:
    """The survey export as a form tool gives it, plus a hidden ``_theme`` pair of planted labels.

    Returns:
        One row per response; columns ``_theme_like`` and ``_theme_better`` hold the planted theme
        of each comment (blank where no comment), for the recovery test; :func:`write_sample` drops them.

    Example:
        >>> survey = make_survey(50)
        >>> len(survey), survey["Service"].nunique() > 1
        (50, True)
    """
    rng = np.random.default_rng(seed)
    services = rng.choice(list(SERVICES), size=responses, p=list(SERVICES.values()))
    start = pd.Timestamp("2026-01-05 09:00")
    stamps = start + pd.to_timedelta(np.sort(rng.uniform(0, 80 * 24 * 3600, responses)), unit="s")
    rows = []
    for i in range(responses):
        service = services[i]
        # The youth club is rated lower than the rest: a real difference for the by-group rule to find.
        mood = rng.normal(0.9 if service != "Youth club" else -0.2, 1.0)
        row = {"Timestamp": stamps[i].strftime("%d/%m/%Y %H:%M:%S"), "Service": service}
        for question, labels in RATINGS.items():
            if rng.random() < 0.04:
                row[question] = None  # skipped
                continue
            scale = len(labels)
            point = int(np.clip(np.round((scale - 1) / 2 + mood * (scale - 1) / 4 + rng.normal(0, 0.7)), 0, scale - 1))
            row[question] = labels[point]
        like = str(rng.choice(["staff", "food", "company"], p=[0.4, 0.35, 0.25]))
        better = str(rng.choice(["waiting", "hours", "transport"], p=[0.4, 0.35, 0.25]))
        row["_theme_like"] = like if rng.random() < 0.85 else None
        row["_theme_better"] = better if rng.random() < 0.7 else None
        for question, theme in ((LIKE_MOST, row["_theme_like"]), (DO_BETTER, row["_theme_better"])):
            text = _comment(rng, theme) if theme else None
            if text and rng.random() < personal_share:
                extra = str(rng.choice(PERSONAL)).format(
                    first=str(rng.choice(FIRST_NAMES)), last=str(rng.choice(SURNAMES)),
                    mail=f"{str(rng.choice(FIRST_NAMES)).lower()}.{int(rng.integers(10, 99))}",
                    digits=f"{int(rng.integers(100, 999))}", number=int(rng.integers(2, 90)))
                text = f"{text} {extra}"
            row[question] = text
        named = rng.random() < 0.3
        row["Name (optional)"] = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" if named else None
        row["Email (optional)"] = (f"{str(rng.choice(FIRST_NAMES)).lower()}{int(rng.integers(1, 99))}@example.org"
                                   if named and rng.random() < 0.6 else None)
        rows.append(row)
    order = ["Timestamp", "Service", *RATINGS, LIKE_MOST, DO_BETTER, "Name (optional)", "Email (optional)",
             "_theme_like", "_theme_better"]
    return pd.DataFrame(rows)[order]


def write_sample(folder: pathlib.Path) -> list[pathlib.Path]:
    """Write ``feedback-survey.csv`` (the planted theme labels left out).

    Example:
        >>> import tempfile
        >>> [p.name for p in write_sample(pathlib.Path(tempfile.mkdtemp()))]
        ['feedback-survey.csv']
    """
    from helpers.writing.workbooks import write_csv

    path = pathlib.Path(folder) / "feedback-survey.csv"
    survey = make_survey().drop(columns=["_theme_like", "_theme_better"])
    return [write_csv(survey, path)]
