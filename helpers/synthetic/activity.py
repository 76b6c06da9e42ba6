"""The sample activity log for our-year-in-numbers: a community centre's register over three and a half years.

Invented people (ids only: an attendance register rarely needs names) come to four services on their
own days of the week, some once and some every week for years; the centre is shut over Christmas.
Each person's date of birth, gender, ethnicity, disability and postcode are recorded with the gaps
real registers have, and a few small groups (so that the report has counts to hide). A second sheet
holds the grant agreement's targets. Everything comes from a fixed seed.
"""

from __future__ import annotations

import datetime as dt
import pathlib

import numpy as np
import pandas as pd

SEED = 2525
PEOPLE = 1_500
START, END = dt.date(2023, 4, 1), dt.date(2026, 9, 30)
#: Service -> (weekdays it meets, Monday = 0; the share of people who mainly use it; visits a year when regular)
SERVICES = {
    "Lunch club": ((1, 3), 0.30, 60),
    "Youth club": ((2, 4), 0.25, 35),
    "Advice drop-in": ((0,), 0.30, 3),
    "Exercise class": ((0, 2), 0.15, 30),
}
GENDERS = (["Female", "Male", "Non-binary", "Prefer not to say"], [0.56, 0.41, 0.01, 0.02])
ETHNICITIES = (["White British", "White Other", "Black African", "Black Caribbean", "Asian Bangladeshi",
                "Asian Indian", "Mixed", "Turkish", "Gypsy or Irish Traveller", "Other"],
               [0.33, 0.12, 0.14, 0.09, 0.08, 0.05, 0.07, 0.08, 0.003, 0.037])
DISABILITY = (["No", "Yes", "Prefer not to say"], [0.72, 0.24, 0.04])
DISTRICTS = (["E8", "E5", "N16", "E9", "N1", "E2", "N4"], [0.35, 0.2, 0.15, 0.12, 0.08, 0.07, 0.03])
#: The letters a postcode's inward code may end with (never C, I, K, M, O or V).
INWARD_LETTERS = list("ABDEFGHJLNPQRSTUWXYZ")
TARGETS = [
    ("People reached", "2024-25", 550), ("Attendances", "2024-25", 6_000),
    ("People reached", "2025-26", 600), ("Attendances", "2025-26", 7_000), ("New people", "2025-26", 400),
    ("Youth club", "2025-26", 200),
    ("People reached", "2026-27", 650),
]


def _pick(rng, choices, size):
    names, weights = choices
    weights = np.asarray(weights, dtype=float)
    return rng.choice(np.array(names, dtype=object), size=size, p=weights / weights.sum())


def _people(rng, people: int) -> pd.DataFrame:
    service_names = list(SERVICES)
    shares = np.array([SERVICES[s][1] for s in service_names])
    main = rng.choice(len(service_names), size=people, p=shares / shares.sum())
    # Young people to the youth club, older people to lunch; the rest spread.
    age_now = np.where(main == 1, rng.integers(11, 19, people),
                       np.where(main == 0, rng.integers(60, 92, people), rng.integers(18, 80, people)))
    born = [dt.date(2024, 1, 1) - dt.timedelta(days=int(a * 365.25 + rng.integers(0, 365))) for a in age_now]
    frame = pd.DataFrame({
        "Client ID": [f"CC{2000 + i}" for i in range(people)],
        "main": main,
        "Date of birth": [b.strftime("%d/%m/%Y") for b in born],
        "Gender": _pick(rng, GENDERS, people),
        "Ethnicity": _pick(rng, ETHNICITIES, people),
        "Disability": _pick(rng, DISABILITY, people),
        "Postcode": [f"{d} {rng.integers(1, 10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
                     for d in _pick(rng, DISTRICTS, people)],
        # When each person first comes, and how long they keep coming.
        "joins": rng.integers(0, (END - START).days - 30, people),
        "stays": np.minimum(rng.exponential(220, people), 1200).astype(int) + 1,
        "keen": rng.beta(1.2, 2.5, people),
    })
    for column, share in (("Date of birth", 0.10), ("Gender", 0.06), ("Ethnicity", 0.18), ("Disability", 0.22),
                          ("Postcode", 0.05)):
        frame.loc[rng.random(people) < share, column] = ""
    return frame


def make_log(people: int = PEOPLE, seed: int = SEED) -> pd.DataFrame:
    """One row per attendance: "Client ID", "Date", "Service" and the person's details as recorded.

    Example:
        >>> log = make_log(60, seed=1)
        >>> log.columns.tolist()
        ['Client ID', 'Date', 'Service', 'Date of birth', 'Gender', 'Ethnicity', 'Disability', 'Postcode']
        >>> log["Client ID"].nunique() <= 60 < len(log)
        True
    """
    rng = np.random.default_rng(seed)
    who = _people(rng, people)
    service_names = list(SERVICES)
    days = pd.date_range(START, END, freq="D")
    shut = (days.month == 12) & (days.day >= 24) | (days.month == 1) & (days.day <= 2)
    rows = []
    for person in who.itertuples(index=False):
        first = START + dt.timedelta(days=int(person.joins))
        last = min(END, first + dt.timedelta(days=int(person.stays)))
        for service_index in {person.main, *([rng.integers(0, 4)] if rng.random() < 0.15 else [])}:
            service = service_names[service_index]
            weekdays, _, visits_a_year = SERVICES[service]
            meets = days[(days.date >= first) & (days.date <= last) & np.isin(days.weekday, weekdays) & ~shut]
            if len(meets) == 0:
                continue
            rate = min(1.0, visits_a_year / (52 * len(weekdays)) * (0.3 + 1.4 * person.keen))
            went = meets[rng.random(len(meets)) < rate]
            if len(went) == 0:
                went = meets[:1]
            for day in went:
                rows.append((person[0], day, service))
    log = pd.DataFrame(rows, columns=["Client ID", "Date", "Service"])
    details = who.set_index("Client ID")[["Date of birth", "Gender", "Ethnicity", "Disability", "Postcode"]]
    log = log.join(details, on="Client ID").sort_values(["Date", "Service", "Client ID"], kind="stable")
    log["Date"] = log["Date"].dt.strftime("%d/%m/%Y")
    return log.reset_index(drop=True)


def write_sample(folder: pathlib.Path, people: int = PEOPLE) -> list[pathlib.Path]:
    """Write ``community-centre.xlsx``: the "Attendance" sheet, then the "Grant targets" sheet.

    Example:
        >>> import tempfile
        >>> [p.name for p in write_sample(pathlib.Path(tempfile.mkdtemp()), people=20)]
        ['community-centre.xlsx']
    """
    from helpers.writing.workbooks import write_frames

    path = pathlib.Path(folder) / "community-centre.xlsx"
    targets = pd.DataFrame(TARGETS, columns=["Measure", "Period", "Target"])
    write_frames(path, {"Attendance": make_log(people), "Grant targets": targets})
    return [path]
