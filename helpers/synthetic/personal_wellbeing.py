"""Fake ONS4 and MYCaW before-and-after files, as social prescribing and advice services keep them.

``outcomes_ons4.csv``: a link-worker service asks the four ONS personal wellbeing
questions (0-10) at referral and at 12 weeks. Headers are the link workers' own
("Satisfied with life (referral)", "Anxious yesterday (12 weeks)"), so the kit must
find each question from its words. Each person has a wellbeing level; life
satisfaction, worthwhile and happiness rise with it and anxiety falls with it.
Support moves each person by their own amount: on average +1.2 life satisfaction,
+0.9 worthwhile, +1.0 happiness and -1.1 anxiety (anxiety falls: an improvement).

``outcomes_mycaw.csv``: a community wellbeing service uses MYCaW: each person names
one or two concerns (free text, with a category the worker picked) and scores how
much each bothers them, and their wellbeing, 0-6 (lower is better), at the start
and at the end. On average concerns fall by 1.8 points and wellbeing by 0.8.

Awkward on purpose: drop-outs (about a quarter, more often those who started
worst), a few blank answers, one answer outside the range in each file, a group
(team or service) of 4 people, a concern category used only 3 times, and
personal columns the analysis must never print: the free-text concerns (some name
family members), notes and dates of birth.
"""

from __future__ import annotations

import datetime as dt
import pathlib

import numpy as np
import pandas as pd

SEED_ONS4 = 20251104
SEED_MYCAW = 20251105

#: ONS4 items: header word, average at referral, spread with the wellbeing level, average change.
ONS4_ITEMS = (
    ("Satisfied with life", 5.0, 1.7, 1.2),
    ("Worthwhile", 5.7, 1.5, 0.9),
    ("Happy yesterday", 5.1, 1.8, 1.0),
    ("Anxious yesterday", 5.6, -1.9, -1.1),
)
TEAMS = ("North", "South", "East", "West", "Outreach")
TEAM_SIZES = (46, 40, 36, 14, 4)

MYCAW_SERVICES = ("Wellbeing cafe", "One-to-one support", "Creative group", "Peer mentoring")
MYCAW_SERVICE_SIZES = (52, 44, 24, 4)
#: Categories the workers pick, after MYCaW's qualitative analysis guidelines (2014); the last is rare.
CATEGORIES = ("Psychological or emotional", "Physical", "Practical or financial", "Relationships or family",
              "Lifestyle", "Work or study")
CATEGORY_SHARES = (0.38, 0.22, 0.18, 0.14, 0.08, 0.0)
#: What people write as their concern (made up; some name a family member, as real forms do).
CONCERNS = {
    "Psychological or emotional": ("Feeling low most days", "Panic when I go out", "Can't stop worrying",
                                   "Lonely since Margaret died"),
    "Physical": ("Back pain keeps me in", "Sleeping badly", "Tired all the time"),
    "Practical or financial": ("Rent arrears", "Can't work out my benefits", "Heating bills"),
    "Relationships or family": ("My son Jason's drinking", "Arguments with my daughter Priya",
                                "Looking after Mum"),
    "Lifestyle": ("Want to stop smoking", "Not eating properly"),
    "Work or study": ("Going back to work after sick leave",),
}
NOTES = ("Prefers morning calls", "Hearing aid, speak clearly", "Referred by Dr Okafor", "Carer for partner Tom",
         "Moved from Leeds in May", "Needs large print")


def _personal(rng: np.random.Generator, count: int) -> tuple[list[str], np.ndarray]:
    first, days = dt.date(1945, 1, 1), (dt.date(2006, 1, 1) - dt.date(1945, 1, 1)).days
    births = [(first + dt.timedelta(days=int(d))).strftime("%d/%m/%Y") for d in rng.integers(0, days, count)]
    notes = np.where(rng.random(count) < 0.4, rng.choice(np.array(NOTES, dtype=object), count), "")
    return births, notes


def _as_text(values: np.ndarray) -> list[str]:
    return ["" if np.isnan(v) else str(int(v)) for v in values]


def make_ons4(seed: int = SEED_ONS4) -> pd.DataFrame:
    """The ONS4 sample: one row per person, the four answers at referral and at 12 weeks (as text).

    Example:
        >>> frame = make_ons4()
        >>> len(frame), frame.columns[4]
        (140, 'Satisfied with life (referral)')
    """
    rng = np.random.default_rng(seed)
    workers = np.repeat(TEAMS, TEAM_SIZES)[rng.permutation(sum(TEAM_SIZES))]
    count = workers.size
    level = rng.normal(0, 1, count)
    dropped = rng.random(count) < 1 / (1 + np.exp(-(-1.2 - 0.9 * level)))
    frame = pd.DataFrame({
        "Client ID": [f"LW-{n:04d}" for n in rng.choice(np.arange(1000, 9999), count, replace=False)],
        "Team": workers,
        "Referral date": [(dt.date(2025, 1, 6) + dt.timedelta(days=int(d))).strftime("%d/%m/%Y")
                          for d in np.sort(rng.integers(0, 240, count))],
    })
    births, notes = _personal(np.random.default_rng(seed + 1), count)
    frame.insert(1, "Date of birth", births)
    for header, mean, slope, change in ONS4_ITEMS:
        start = np.clip(np.rint(mean + slope * level / 1.9 * 1.5 + rng.normal(0, 1.2, count)), 0, 10)
        end = np.clip(np.rint(start + rng.normal(change, 1.6, count)), 0, 10)
        end[dropped] = np.nan
        start[rng.random(count) < 0.015] = np.nan  # a question left blank now and then
        frame[f"{header} (referral)"] = _as_text(start)
        frame[f"{header} (12 weeks)"] = _as_text(end)
    frame.loc[7, "Worthwhile (referral)"] = "11"  # outside 0-10: treated as missing, with a note
    frame["Notes"] = notes
    return frame


def make_mycaw(seed: int = SEED_MYCAW) -> pd.DataFrame:
    """The MYCaW sample: concerns (free text and category), their scores and wellbeing, start and end.

    Example:
        >>> frame = make_mycaw()
        >>> len(frame), "Concern 1 (free text)" in frame.columns
        (124, True)
    """
    rng = np.random.default_rng(seed)
    services = np.repeat(MYCAW_SERVICES, MYCAW_SERVICE_SIZES)[rng.permutation(sum(MYCAW_SERVICE_SIZES))]
    count = services.size
    frame = pd.DataFrame({
        "Client ID": [f"CW-{n:04d}" for n in rng.choice(np.arange(1000, 9999), count, replace=False)],
        "Service": services,
    })
    births, notes = _personal(np.random.default_rng(seed + 1), count)
    frame.insert(1, "Date of birth", births)
    level = rng.normal(0, 1, count)
    dropped = rng.random(count) < 1 / (1 + np.exp(-(-1.1 + 0.8 * level)))
    second = rng.random(count) < 0.7
    categories = rng.choice(np.array(CATEGORIES, dtype=object), (count, 2), p=CATEGORY_SHARES)
    rare = rng.choice(count, 3, replace=False)  # a category only 3 concerns fall in: counted, not shown
    categories[rare, 0] = CATEGORIES[-1]
    for number in (1, 2):
        cats = categories[:, number - 1]
        text = [rng.choice(CONCERNS[c]) for c in cats]
        has = np.ones(count, bool) if number == 1 else second
        frame[f"Concern {number} (free text)"] = np.where(has, text, "")
        frame[f"Concern {number} category"] = np.where(has, cats, "")
    columns = {}
    for number in (1, 2):
        start = np.clip(np.rint(4.4 + 0.8 * level + rng.normal(0, 0.9, count)), 0, 6)
        end = np.clip(np.rint(start - rng.normal(1.8, 1.3, count)), 0, 6)
        if number == 2:
            start[~second], end[~second] = np.nan, np.nan
        columns[number] = (start, end)
    well_start = np.clip(np.rint(3.6 + 0.9 * level + rng.normal(0, 0.9, count)), 0, 6)
    well_end = np.clip(np.rint(well_start - rng.normal(0.8, 1.1, count)), 0, 6)
    for stage, index in (("start", 0), ("end", 1)):
        for number in (1, 2):
            values = columns[number][index].copy()
            if stage == "end":
                values[dropped] = np.nan
            frame[f"Concern {number} score ({stage})"] = _as_text(values)
        wellbeing = (well_start if stage == "start" else np.where(dropped, np.nan, well_end)).copy()
        frame[f"Wellbeing ({stage})"] = _as_text(wellbeing)
    frame.loc[11, "Wellbeing (start)"] = "7"  # outside 0-6: treated as missing, with a note
    frame["Notes"] = notes
    return frame


def write_sample(folder: pathlib.Path) -> list[pathlib.Path]:
    """Write ``outcomes_ons4.csv`` and ``outcomes_mycaw.csv`` into ``folder``.

    Returns:
        The two paths written.
    """
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in (("outcomes_ons4.csv", make_ons4()), ("outcomes_mycaw.csv", make_mycaw())):
        path = folder / name
        table.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written
