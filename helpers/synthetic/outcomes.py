"""A fake social-prescribing service: wellbeing answers at referral and at 12 weeks.

Each person referred fills in the Short Warwick-Edinburgh Mental Wellbeing Scale
(SWEMWBS, 7 questions answered 1-5) at referral, and again at 12 weeks if they
are still coming. The file is one row per person (the "wide items" shape): a
pseudonymous client id, the date of birth, the service, the referral route and
date, the seven answers at the start and the seven at 12 weeks, then the worker's
free-text notes. Real outcome exports carry a date of birth (or a name) and notes,
so the sample does too: the playbook must leave them out of the report.

How the answers are made: each person has a level of wellbeing (on the 1-5 answer
scale) that starts low, as people referred to social prescribing usually do. Each
answer is that level, plus the question's own lean, plus noise, rounded and kept
within 1-5. At 12 weeks each person's level has moved by their own effect of
support (average :data:`TRUE_ANSWER_EFFECT` per answer, varying between people).
:func:`true_average_effect` turns that into metric SWEMWBS points.

What is awkward in the file on purpose:

* about a quarter of people have no 12-week answers (drop-outs), more often the
  ones who started lowest;
* two people have 12-week answers but no start answers (the form was lost), and
  one person has neither;
* some people's answers are typed as words ("Often", "some of the time");
* a few people skipped a question, so they get no score for that time point;
* one answer of 6 and one of 0, outside the 1-5 range;
* "Befriending" has only 4 people, so its figures must not be shown on their own;
* personal columns the analysis does not need: "Date of birth" (a few blank) and
  "Notes" (free text, blank for about half the people).

The personal columns come from a random generator of their own (seeded with the
answers' seed plus :data:`PERSONAL_SEED_OFFSET`), so the answers are the same with
or without them.

:func:`write_sample` also writes the same people in the two other shapes the
playbook accepts: one row per person per time point, and ready-made scores
(plus two 1-10 ratings) with one row per person.
"""

from __future__ import annotations

import datetime as dt
import pathlib

import numpy as np
import pandas as pd

from helpers.impact.scales import ANSWER_WORDS, swemwbs_metric

SEED = 20250412
#: The seven SWEMWBS statements, shortened for column headers.
QUESTIONS = ("Optimistic", "Useful", "Relaxed", "Dealing with problems", "Thinking clearly",
             "Close to others", "Own mind")
#: Each question's lean: some statements are agreed with more readily than others.
QUESTION_LEAN = np.array([-0.15, 0.05, -0.25, 0.0, 0.05, 0.15, 0.25])
SERVICES = ("Walking group", "Community garden", "Arts on prescription", "Men's shed", "Befriending")
SERVICE_SIZES = (52, 46, 40, 14, 4)
ROUTES = ("GP", "Self-referral", "Social worker", "Housing officer")
ROUTE_SHARES = (0.55, 0.2, 0.15, 0.1)
#: Average rise of each person's level per answer (1-5 scale) between referral and 12 weeks.
TRUE_ANSWER_EFFECT = 0.42
EFFECT_SPREAD = 0.35
START_LEVEL, START_SPREAD = 2.8, 0.5
ANSWER_NOISE = 0.55
WORDS = tuple(ANSWER_WORDS)  # index 0 -> answer 1

BEFORE_PREFIX, AFTER_PREFIX = "Start", "12wk"

#: The personal columns' generator is seeded with the answers' seed plus this
#: (:func:`totals_shape` uses plus 1).
PERSONAL_SEED_OFFSET = 2
#: Dates of birth: adults referred in 2024, from 18 to about 85.
BIRTH_RANGE = (dt.date(1939, 1, 1), dt.date(2006, 1, 1))
#: What a link worker types in the notes box (some of it names people).
NOTES = (
    "Lives alone since her husband died last year", "Referred after a fall; needs a lift to sessions",
    "Wants to get back into work", "Carer for his mum, can only come on Tuesdays",
    "Anxious in groups, started with one-to-one visits", "Hard of hearing, sit near the front",
    "Daughter Sarah is the main contact", "Long Covid, gets tired quickly",
    "Recently moved to the area, knows nobody", "Prefers phone calls, not texts",
    "First language Polish, son Tomasz helps with forms", "Chronic back pain; GP suggested gentle exercise",
    "Missed weeks 4 to 6, phoned twice", "Loves painting, asked about the art group",
    "Housing worry: eviction notice in March", "Stopped drinking in January, doing well",
)
NOTE_SHARE = 0.55


def _answers(levels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Answers 1-5 for people at the given levels, one column per question."""
    raw = levels[:, None] + QUESTION_LEAN[None, :] + rng.normal(0, ANSWER_NOISE, (levels.size, 7))
    return np.clip(np.rint(raw), 1, 5).astype(int)


def _people(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    start = rng.normal(START_LEVEL, START_SPREAD, count)
    end = start + rng.normal(TRUE_ANSWER_EFFECT, EFFECT_SPREAD, count)
    return start, end


def true_average_effect(people: int = 200_000, seed: int = 1) -> float:
    """The average rise in metric SWEMWBS points that the generator builds in.

    Worked out from the same model on a very large made-up population, with no
    drop-outs, so it is the "true" effect a perfect study of everyone referred
    would find. The sample file's own average differs by chance and because the
    people who dropped out started lower.

    Example:
        >>> round(true_average_effect(people=20_000), 1)
        2.1
    """
    rng = np.random.default_rng(seed)
    start, end = _people(rng, people)
    before = swemwbs_metric(pd.Series(_answers(start, rng).sum(axis=1)))
    after = swemwbs_metric(pd.Series(_answers(end, rng).sum(axis=1)))
    return float((after - before).mean())


def personal_columns(count: int, seed: int = SEED + PERSONAL_SEED_OFFSET) -> pd.DataFrame:
    """Dates of birth and notes for ``count`` people, from a generator of their own.

    Returns:
        Columns "Date of birth" (dd/mm/yyyy, a few blank) and "Notes" (one of
        :data:`NOTES`, blank for about half), every cell as text.

    Example:
        >>> personal_columns(3, seed=1).columns.tolist()
        ['Date of birth', 'Notes']
    """
    rng = np.random.default_rng(seed)
    first, last = BIRTH_RANGE
    days = rng.integers(0, (last - first).days, count)
    births = [(first + dt.timedelta(days=int(d))).strftime("%d/%m/%Y") for d in days]
    births = np.where(rng.random(count) < 0.04, "", np.array(births, dtype=object))
    notes = np.where(rng.random(count) < NOTE_SHARE, rng.choice(np.array(NOTES, dtype=object), count), "")
    return pd.DataFrame({"Date of birth": births.astype(object), "Notes": notes.astype(object)})


def make_outcomes(seed: int = SEED) -> pd.DataFrame:
    """The sample people in the wide-items shape, as the charity's file holds them.

    The seven start and seven 12-week answers are drawn from ``seed``; the
    "Date of birth" and "Notes" columns from :func:`personal_columns`.

    Returns:
        One row per person, every cell as text (answers as digits or words,
        blanks as ""), in the column order of ``outcomes.csv``.
    """
    rng = np.random.default_rng(seed)
    services = np.repeat(SERVICES, SERVICE_SIZES)
    count = services.size
    order = rng.permutation(count)
    services = services[order]
    start, end = _people(rng, count)
    before, after = _answers(start, rng), _answers(end, rng)

    # People who started lowest are likelier to stop coming.
    drop_chance = 1 / (1 + np.exp(-(-0.8 - 1.6 * (start - START_LEVEL))))
    dropped = rng.random(count) < drop_chance
    frame = pd.DataFrame(
        {
            "Client ID": [f"SP-{n:04d}" for n in rng.choice(np.arange(1000, 9999), count, replace=False)],
            "Service": services,
            "Referral route": rng.choice(ROUTES, count, p=ROUTE_SHARES),
            "Referral date": [
                (dt.date(2024, 1, 8) + dt.timedelta(days=int(d))).strftime("%d/%m/%Y")
                for d in np.sort(rng.integers(0, 300, count))
            ],
        }
    )
    before_text = before.astype(str).astype(object)
    after_text = after.astype(str).astype(object)
    # Some staff typed the answers as the words on the form.
    in_words = rng.random(count) < 0.15
    for grid, answers in ((before_text, before), (after_text, after)):
        words = np.array(WORDS, dtype=object)[answers - 1]
        shout = rng.random(answers.shape) < 0.5
        words = np.where(shout, np.char.capitalize(words.astype(str)), words).astype(object)
        grid[in_words] = words[in_words]
    after_text[dropped] = ""
    lost_start = rng.choice(np.flatnonzero(~dropped & ~in_words), 2, replace=False)
    before_text[lost_start] = ""
    neither = rng.choice(np.flatnonzero(dropped & ~in_words), 1)
    before_text[neither] = ""
    # Skipped questions and answers outside 1-5, on people who have both forms.
    completers = np.flatnonzero(~dropped & ~in_words)
    completers = np.setdiff1d(completers, lost_start)
    picks = rng.choice(completers, 7, replace=False)
    for person in picks[:3]:
        before_text[person, rng.integers(0, 7)] = ""
    for person in picks[3:5]:
        after_text[person, rng.integers(0, 7)] = ""
    before_text[picks[5], 2] = "6"
    after_text[picks[6], 4] = "0"

    for index, question in enumerate(QUESTIONS):
        frame[f"{BEFORE_PREFIX} {index + 1} {question}"] = before_text[:, index]
    for index, question in enumerate(QUESTIONS):
        frame[f"{AFTER_PREFIX} {index + 1} {question}"] = after_text[:, index]
    personal = personal_columns(count, seed + PERSONAL_SEED_OFFSET)
    frame.insert(1, "Date of birth", personal["Date of birth"])
    frame["Notes"] = personal["Notes"]
    return frame


def _scores_of(frame: pd.DataFrame, prefix: str) -> pd.Series:
    """Metric SWEMWBS scores from a text grid (blank where any answer is missing or out of range)."""
    columns = [c for c in frame.columns if c.startswith(prefix + " ")]
    lookup = {**{str(n): n for n in range(1, 6)}, **ANSWER_WORDS}
    answers = frame[columns].apply(lambda col: col.str.lower().map(lookup)).astype("float64")
    return swemwbs_metric(answers.sum(axis=1, min_count=7).where(answers.notna().all(axis=1)))


def long_shape(frame: pd.DataFrame) -> pd.DataFrame:
    """The same people with one row per person per time point, items as "Q1 Optimistic"..."""
    parts = []
    for prefix, label in ((BEFORE_PREFIX, "Referral"), (AFTER_PREFIX, "12 weeks")):
        columns = [c for c in frame.columns if c.startswith(prefix + " ")]
        part = frame[["Client ID", "Service"]].copy()
        part.insert(1, "Time point", label)
        for column, question in zip(columns, QUESTIONS, strict=True):
            part[f"Q{columns.index(column) + 1} {question}"] = frame[column]
        # A form that was never filled in has no row.
        parts.append(part[frame[columns].ne("").any(axis=1)])
    long = pd.concat(parts)
    return long.iloc[np.argsort(long.index.to_numpy(), kind="stable")].reset_index(drop=True)


def totals_shape(frame: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """The same people with ready-made metric scores, plus 1-10 ratings of confidence and connection."""
    rng = np.random.default_rng(seed + 1)
    before, after = _scores_of(frame, BEFORE_PREFIX), _scores_of(frame, AFTER_PREFIX)
    totals = frame[["Client ID", "Service"]].copy()
    totals["Start score"] = before.map(lambda v: "" if np.isnan(v) else f"{v:.2f}")
    totals["End score"] = after.map(lambda v: "" if np.isnan(v) else f"{v:.2f}")
    for name, lift in (("Confidence", 1.3), ("Connected", 0.6)):
        start = np.clip(np.rint(before.fillna(18).to_numpy() / 4 + rng.normal(0, 1.2, len(frame))), 1, 10)
        end = np.clip(np.rint(start + rng.normal(lift, 1.5, len(frame))), 1, 10)
        totals[f"{name} start"] = [("" if np.isnan(b) else str(int(s))) for b, s in zip(before, start, strict=True)]
        totals[f"{name} end"] = [("" if np.isnan(a) else str(int(e))) for a, e in zip(after, end, strict=True)]
    return totals


def write_sample(folder: pathlib.Path) -> list[pathlib.Path]:
    """Write ``outcomes.csv`` and its two other shapes into ``folder``.

    Returns:
        The paths written: ``outcomes.csv`` (wide items, the main sample),
        ``outcomes_long.csv`` (one row per person per time point) and
        ``outcomes_totals.csv`` (ready-made scores and two 1-10 ratings).
    """
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    frame = make_outcomes()
    written = []
    for name, table in (("outcomes.csv", frame), ("outcomes_long.csv", long_shape(frame)),
                        ("outcomes_totals.csv", totals_shape(frame))):
        path = folder / name
        table.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written
