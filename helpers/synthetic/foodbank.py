"""A fake food bank: three years of parcels given out, and a parcel contents list.

The visit log has one row per food parcel, the way food bank software exports it.
Demand is built week by week from parts a forecast should be able to find:

* a rising trend (the cost of living), about +14% a year;
* a yearly cycle, higher in winter than in late spring;
* peaks in the fortnight before Christmas and in the school summer holidays;
* noise that is wider than plain Poisson, as real weeks are.

The food bank opens on Mondays, Wednesdays and Fridays and shuts on English bank
holidays (about half of a closed session's demand comes on another day that week).
It was shut for a fortnight in August 2023 and for a week in February 2024: those
weeks have no rows. The log stops on a Wednesday, so its last week is incomplete,
and a few "People fed" cells are blank or say "unknown".

Like real food bank exports, the visit log also carries personal columns the
forecast does not need: the client's postcode (where they live, which funders ask
about), a free-text note on some parcels ("referred by GP, no cooker") and, on some
rows, the client's name. They come from a random generator of their own
(:func:`personal_columns`), so the parcels and their numbers are the same with or
without them; the playbook must leave them out of the report.

Every number comes from one seed, so :func:`write_sample` writes the same bytes
on every run. :func:`make_weekly_parcels` makes weekly series of any length
(for the benchmark and tests) from the same demand shape, without the visit rows.
"""

from __future__ import annotations

import datetime as dt
import pathlib

import holidays
import numpy as np
import pandas as pd

from helpers.synthetic.register import FIRST_NAMES, INWARD_LETTERS, SURNAMES

SEED = 20250326
SAMPLE_START = dt.date(2022, 4, 4)  # a Monday
SAMPLE_END = dt.date(2025, 3, 26)  # a Wednesday: the last week is incomplete on purpose
OPEN_WEEKDAYS = (0, 2, 4)  # Monday, Wednesday, Friday
CLOSED_SPELLS = ((dt.date(2023, 8, 14), dt.date(2023, 8, 25)), (dt.date(2024, 2, 12), dt.date(2024, 2, 16)))
PARTNERS = ("Citizens Advice", "Jobcentre", "GP surgery", "School", "Housing team", "Children's centre")
PARTNER_SHARES = (0.30, 0.22, 0.15, 0.13, 0.12, 0.08)
#: People fed by one parcel, 1 to 7: most parcels go to single people.
HOUSEHOLD_SHARES = (0.42, 0.21, 0.13, 0.11, 0.07, 0.04, 0.02)
#: Share of a closed session's demand that turns up on another day that week.
DISPLACED_SHARE = 0.5
#: Gamma-Poisson shape per week: smaller means noisier than Poisson.
WEEKLY_SHAPE = 400.0

#: The personal columns' generator is seeded with the parcels' seed plus this.
PERSONAL_SEED_OFFSET = 1
#: Households that come for parcels; a few come often, most now and then.
HOUSEHOLDS = 2600
#: Postcode districts the clients live in, in the real format (a code may not exist).
OUTWARD_CODES = ("LS9", "LS9", "LS9", "LS8", "LS8", "LS14", "LS15", "LS11", "LS7", "LS12")
#: Share of rows whose postcode is blank, and typed in lower case without the space.
POSTCODE_BLANK, POSTCODE_UNTIDY = 0.08, 0.05
#: Share of rows with the client's name typed in (the rest leave it to the voucher).
NAMED_SHARE = 0.2
#: Share of rows with a note, and what volunteers write (some of it names people).
NOTE_SHARE = 0.06
VISIT_NOTES = (
    "referred by GP, no cooker", "Kettle only, no cooker", "No pork please", "Halal", "Diabetic",
    "Gluten free", "Vegetarian", "Baby in household, gave nappies (size 4)", "Collected by neighbour",
    "Collected by her son Dave", "No tin opener, gave one", "Third voucher in 6 months, signposted to Citizens Advice",
    "Waiting for first Universal Credit payment", "Fleeing domestic abuse, do not post letters",
    "Delivered, housebound", "Needs toiletries", "Lost job last month", "Energy top-up voucher given",
)

#: A typical three-day parcel by household size: units of each item per parcel.
#: An example to adjust, not any network's official list.
PARCEL_CONTENTS = (
    # item, unit, 1 person, 2 people, 3-4 people, 5+ people
    ("Breakfast cereal", "box", 1, 1, 2, 2),
    ("Soup", "tin", 2, 3, 4, 6),
    ("Baked beans", "tin", 1, 2, 3, 4),
    ("Pasta", "500g bag", 1, 1, 2, 3),
    ("Rice", "500g bag", 1, 1, 1, 2),
    ("Pasta sauce", "jar", 1, 1, 2, 2),
    ("Tinned tomatoes", "tin", 1, 2, 2, 3),
    ("Tinned meat", "tin", 1, 2, 3, 4),
    ("Tinned fish", "tin", 1, 1, 2, 2),
    ("Tinned vegetables", "tin", 2, 2, 3, 4),
    ("Tinned fruit", "tin", 1, 2, 2, 3),
    ("Rice pudding", "tin", 1, 1, 2, 2),
    ("UHT milk", "1 litre carton", 1, 2, 3, 4),
    ("Fruit juice", "1 litre carton", 1, 1, 2, 2),
    ("Tea bags", "box of 40", 1, 1, 1, 1),
    ("Sugar", "500g bag", 1, 1, 1, 1),
    ("Biscuits", "packet", 1, 1, 2, 2),
    ("Toilet roll", "pack of 4", 1, 1, 1, 2),
)
PARCEL_HEADER = ("Item", "Unit", "1 person", "2 people", "3-4 people", "5+ people")

#: Units on the shelves at the end of the sample, as a stock count sheet lists them:
#: names in the food bank's own spelling, one item not in the parcel list ("Jam")
#: and one parcel item not counted ("Toilet roll").
STOCK_ON_HAND = (
    ("Breakfast cereal", 310), ("soup", 1450), ("Baked beans", 240), ("Pasta", 820), ("Rice", 150),
    ("Pasta sauce", 400), ("Tinned tomatoes", 95), ("Tinned meat", 700), ("Tinned fish", 260),
    ("Tinned vegetables", 1300), ("Tinned fruit", 610), ("Rice pudding", 380), ("UHT milk", 520),
    ("Fruit juice", 180), ("Tea bags", 260), ("Sugar", 90), ("Biscuits", 430), ("Jam", 60),
)


def expected_weekly_parcels(week_starts: pd.DatetimeIndex, base: float = 120.0,
                            growth_per_year: float = 0.14) -> np.ndarray:
    """The average number of parcels a week asks for, before noise and closures.

    Args:
        week_starts: The Mondays of the weeks.
        base: Parcels a week at the first week, before the yearly cycle.
        growth_per_year: The trend, as a share of ``base`` added each year.

    Returns:
        One expected count per week.

    Example:
        >>> weeks = pd.date_range("2023-12-11", periods=3, freq="W-MON")
        >>> [round(x) for x in expected_weekly_parcels(weeks)]
        [189, 191, 138]
    """
    weeks = pd.DatetimeIndex(week_starts)
    years = np.asarray((weeks - weeks[0]).days, dtype=float) / 365.25
    mid_week = weeks + pd.Timedelta(days=3)
    day_of_year = np.asarray(mid_week.day_of_year, dtype=float)
    # Winter is harder (heating bills): peak in mid January, low in mid July.
    cycle = 1.0 + 0.15 * np.cos(2 * np.pi * (day_of_year - 15) / 365.25)
    month, day = np.asarray(mid_week.month), np.asarray(mid_week.day)
    before_christmas = (month == 12) & (day >= 10) & (day <= 24)
    # English school summer holidays: roughly the fourth week of July to the end of August.
    summer_holidays = ((month == 7) & (day >= 24)) | (month == 8)
    peaks = 1.0 + 0.40 * before_christmas + 0.15 * summer_holidays
    return base * (1.0 + growth_per_year * years) * cycle * peaks


def make_weekly_parcels(n_weeks: int, seed: int = SEED, start: str = "2015-01-05",
                        base: float = 120.0) -> pd.DataFrame:
    """A weekly count series of any length with the sample's demand shape.

    Args:
        n_weeks: How many weeks.
        seed: The random seed; the same seed gives the same series.
        start: The first Monday.
        base: Parcels a week at the start.

    Returns:
        Columns ``week_start`` (Mondays) and ``parcels`` (whole numbers).

    Example:
        >>> frame = make_weekly_parcels(104, seed=1)
        >>> len(frame), frame["week_start"].dt.day_of_week.unique().tolist()
        (104, [0])
    """
    rng = np.random.default_rng(seed)
    weeks = pd.date_range(start, periods=n_weeks, freq="W-MON")
    rate = rng.gamma(WEEKLY_SHAPE, expected_weekly_parcels(weeks, base) / WEEKLY_SHAPE)
    return pd.DataFrame({"week_start": weeks, "parcels": rng.poisson(rate)})


#: Places and kinds the network generator names its food banks after (fictional combinations).
NETWORK_PLACES = ("Armley", "Beeston", "Bramley", "Chapeltown", "Gipton", "Harehills", "Holbeck", "Hunslet",
                  "Kirkstall", "Middleton", "Morley", "Pudsey", "Rothwell", "Seacroft", "Yeadon", "Wortley",
                  "Otley", "Garforth", "Horsforth", "Headingley", "Burmantofts", "Killingbeck", "Belle Isle",
                  "Swarcliffe", "Crossgates")
NETWORK_KINDS = ("Food Bank", "Community Pantry", "Church Food Bank", "Family Food Hub", "Community Larder")


def make_network(n_sites: int = 12, n_weeks: int = 156, seed: int = SEED, start: str = "2022-04-04") -> pd.DataFrame:
    """Weekly parcel counts for a network of food banks, as an umbrella body would export them.

    Each site has its own size (30 to 400 parcels a week), its own growth (from
    shrinking 5% to growing 30% a year) and its own noise, all on the sample's
    yearly shape; a few weeks per site are missing (no row).

    Args:
        n_sites: How many food banks.
        n_weeks: Weeks of history, from ``start`` (a Monday).
        seed: The random seed: the same seed gives the same table.
        start: The first Monday.

    Returns:
        Columns "Week commencing" (dd/mm/yyyy text), "Food bank" and "Parcels", one
        row per site and counted week, sorted by week then site.

    Example:
        >>> table = make_network(3, 10, seed=1)
        >>> table["Food bank"].nunique(), len(table) <= 30, table.columns.tolist()
        (3, True, ['Week commencing', 'Food bank', 'Parcels'])
    """
    rng = np.random.default_rng(seed)
    weeks = pd.date_range(start, periods=n_weeks, freq="W-MON")
    names: list[str] = []
    while len(names) < n_sites:
        name = f"{rng.choice(NETWORK_PLACES)} {rng.choice(NETWORK_KINDS)}"
        names.append(name if name not in names else f"{name} {sum(n.startswith(name) for n in names) + 1}")
    frames = []
    for name in names:
        base = float(np.exp(rng.uniform(np.log(30), np.log(400))))
        expected = expected_weekly_parcels(weeks, base, growth_per_year=float(rng.uniform(-0.05, 0.30)))
        shape = float(rng.uniform(80, 600))
        parcels = rng.poisson(rng.gamma(shape, expected / shape))
        keep = np.ones(n_weeks, dtype=bool)
        keep[rng.choice(n_weeks, size=int(rng.integers(0, 4)), replace=False)] = False
        frames.append(pd.DataFrame({"week": weeks[keep], "Food bank": name, "Parcels": parcels[keep]}))
    table = pd.concat(frames).sort_values(["week", "Food bank"], kind="stable", ignore_index=True)
    return pd.DataFrame({"Week commencing": table["week"].dt.strftime("%d/%m/%Y"), "Food bank": table["Food bank"],
                         "Parcels": table["Parcels"]})


def _closed_days(days: pd.DatetimeIndex) -> np.ndarray:
    """True for the days the fake food bank was shut although it usually opens."""
    bank_holidays = holidays.UK(subdiv="ENG", years=range(days[0].year, days[-1].year + 1))
    closed = np.isin(days.date, np.array(sorted(bank_holidays), dtype=object))
    for first, last in CLOSED_SPELLS:
        closed |= (days.date >= first) & (days.date <= last)
    return closed


def make_visit_log(seed: int = SEED, start: dt.date = SAMPLE_START,
                   end: dt.date = SAMPLE_END) -> pd.DataFrame:
    """The sample visit log: one row per parcel.

    Args:
        seed: The random seed.
        start: The first day (a Monday).
        end: The last day.

    Returns:
        Columns ``Visit date`` (``datetime64``), ``Voucher no``, ``People fed``
        (nullable integers, a few missing) and ``Referral partner``.

    Example:
        >>> log = make_visit_log(end=dt.date(2022, 4, 29))
        >>> sorted(log["Visit date"].dt.day_name().unique())
        ['Friday', 'Monday', 'Wednesday']
    """
    rng = np.random.default_rng(seed)
    days = pd.date_range(start, end, freq="D")
    days = days[np.isin(days.day_of_week, OPEN_WEEKDAYS)]
    week_of_day = days.to_period("W-SUN").start_time
    weeks = pd.DatetimeIndex(week_of_day.unique())
    weekly_rate = rng.gamma(WEEKLY_SHAPE, expected_weekly_parcels(weeks) / WEEKLY_SHAPE)

    sessions = pd.DataFrame({"day": days, "week": week_of_day, "closed": _closed_days(days)})
    sessions["rate"] = weekly_rate[weeks.get_indexer(sessions["week"])] / len(OPEN_WEEKDAYS)
    # Some of a closed session's demand comes on the week's other open days.
    lost = sessions["rate"].where(sessions["closed"], 0.0).groupby(sessions["week"]).transform("sum")
    open_sessions = (~sessions["closed"]).groupby(sessions["week"]).transform("sum")
    top_up = DISPLACED_SHARE * lost / open_sessions.where(open_sessions > 0)
    sessions["rate"] = (sessions["rate"] + top_up.fillna(0.0)).where(~sessions["closed"], 0.0)
    parcels = rng.poisson(sessions["rate"].to_numpy())

    visit_days = np.repeat(sessions["day"].to_numpy(), parcels)
    n = len(visit_days)
    people = rng.choice(np.arange(1, len(HOUSEHOLD_SHARES) + 1), size=n, p=HOUSEHOLD_SHARES)
    partner = rng.choice(np.array(PARTNERS, dtype=object), size=n, p=PARTNER_SHARES)
    log = pd.DataFrame(
        {
            "Visit date": visit_days,
            "Voucher no": [f"V{day.year % 100:02d}-{i:05d}" for i, day in
                           enumerate(pd.DatetimeIndex(visit_days), start=1)],
            "People fed": pd.array(people, dtype="Int64"),
            "Referral partner": partner,
        }
    )
    unknown = rng.choice(n, size=12, replace=False)
    log.loc[log.index[unknown], "People fed"] = pd.NA
    return log


def personal_columns(count: int, seed: int = SEED + PERSONAL_SEED_OFFSET) -> pd.DataFrame:
    """Client name, postcode and notes for ``count`` parcels, from a generator of their own.

    Each parcel goes to one of :data:`HOUSEHOLDS` made-up households, so a
    household's name and postcode repeat across its visits.

    Returns:
        Columns "Client name" (blank on most rows), "Postcode" (a few blank or
        untidy, such as "ls98bt") and "Notes" (blank on most rows), all text.

    Example:
        >>> personal_columns(4, seed=1).columns.tolist()
        ['Client name', 'Postcode', 'Notes']
    """
    rng = np.random.default_rng(seed)
    names = np.array([f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(HOUSEHOLDS)], dtype=object)
    letters = np.array(list(INWARD_LETTERS))
    postcodes = np.array([f"{rng.choice(OUTWARD_CODES)} {rng.integers(10)}{rng.choice(letters)}{rng.choice(letters)}"
                          for _ in range(HOUSEHOLDS)], dtype=object)
    # A few households come week after week; most come a handful of times.
    weights = 1.0 / (np.arange(HOUSEHOLDS) + 25.0)
    household = rng.choice(HOUSEHOLDS, size=count, p=weights / weights.sum())
    postcode = postcodes[household]
    roll = rng.random(count)
    postcode = np.where(roll < POSTCODE_UNTIDY, [p.replace(" ", "").lower() for p in postcode], postcode)
    postcode = np.where(roll > 1 - POSTCODE_BLANK, "", postcode)
    name = np.where(rng.random(count) < NAMED_SHARE, names[household], "")
    notes = np.where(rng.random(count) < NOTE_SHARE, rng.choice(np.array(VISIT_NOTES, dtype=object), count), "")
    return pd.DataFrame({"Client name": name.astype(object), "Postcode": postcode.astype(object),
                         "Notes": notes.astype(object)})


def write_sample(folder: pathlib.Path) -> list[pathlib.Path]:
    """Write ``foodbank-visits.csv``, ``parcel-contents.csv``, ``foodbank-stock.csv`` and ``foodbank-network.csv``.

    Dates are written day-first (``dd/mm/yyyy``) as UK food bank software does;
    half of the missing "People fed" cells say ``unknown``, half are blank. The
    visit log gets the :func:`personal_columns` after the voucher number and at the end.

    ``foodbank-network.csv`` is :func:`make_network`'s 12 food banks over three years.

    Returns:
        The four paths written.
    """
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    log = make_visit_log()
    personal = personal_columns(len(log))
    out = pd.DataFrame(
        {
            "Visit date": log["Visit date"].dt.strftime("%d/%m/%Y"),
            "Voucher no": log["Voucher no"],
            "Client name": personal["Client name"].to_numpy(),
            "Postcode": personal["Postcode"].to_numpy(),
            "People fed": log["People fed"].astype("str").replace("<NA>", ""),
            "Referral partner": log["Referral partner"],
            "Notes": personal["Notes"].to_numpy(),
        }
    )
    missing = np.flatnonzero(log["People fed"].isna().to_numpy())
    out.loc[out.index[missing[::2]], "People fed"] = "unknown"
    visits_path = folder / "foodbank-visits.csv"
    out.to_csv(visits_path, index=False, lineterminator="\n")

    contents_path = folder / "parcel-contents.csv"
    pd.DataFrame(list(PARCEL_CONTENTS), columns=list(PARCEL_HEADER)).to_csv(
        contents_path, index=False, lineterminator="\n"
    )
    stock_path = folder / "foodbank-stock.csv"
    pd.DataFrame(list(STOCK_ON_HAND), columns=["Item", "Quantity"]).to_csv(stock_path, index=False, lineterminator="\n")
    network_path = folder / "foodbank-network.csv"
    make_network().to_csv(network_path, index=False, lineterminator="\n")
    return [visits_path, contents_path, stock_path, network_path]
