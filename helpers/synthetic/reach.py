"""The sample client list for who-we-reach: invented people at real East London postcodes.

The postcodes are real: every one comes from mySociety's published sample of 100,000 rows of the
ONS Postcode Directory (Open Government Licence), kept for Hackney and its neighbours in
``datasets/reference/east_london_postcodes.csv``. Names, ids, dates and referral routes are made
up, from a fixed seed. Postcodes are then typed the way a busy front desk types them: lower case,
no space, padding, a few blanks, a few that are not UK postcodes, and a few from elsewhere in the UK.
"""

from __future__ import annotations

import datetime as dt
import pathlib

import numpy as np
import pandas as pd

from helpers.synthetic.foodbank import FIRST_NAMES, SURNAMES

SEED = 1414
PEOPLE = 850
REFERRALS = 1_000
POOL = pathlib.Path(__file__).resolve().parents[2] / "datasets" / "reference" / "east_london_postcodes.csv"
HOME = "E09000012"  # Hackney: the charity's own borough
HOME_SHARE = 0.6
# Where GP and housing referrals come from leans to more deprived streets; self-referrals less so.
ROUTES = {"GP": 2.5, "Housing officer": 3.5, "Self-referral": 0.2, "School": 1.2}
ROUTE_SHARES = [0.35, 0.2, 0.3, 0.15]
ELSEWHERE = ["EH3 7WE", "CF31 3PB", "S10 2TN", "M1 1AE", "BS1 4DJ"]
NOT_UK = ["75008", "10115", "D02 X285", "n/a", "NFA", "SW1A"]
START = dt.date(2023, 4, 1)
DAYS = 3 * 365


def _decile_of(lsoa: pd.Series) -> pd.Series:
    from helpers.reach.lookup import lsoa_reference

    return lsoa.map(lsoa_reference()["imd_decile"]).fillna(5).astype(int)


def _messy(postcode: str, roll: float) -> str:
    if roll < 0.25:
        return postcode.lower()
    if roll < 0.4:
        return postcode.replace(" ", "")
    if roll < 0.5:
        return f"  {postcode} "
    if roll < 0.55:
        return postcode.replace(" ", "").lower()
    return postcode


def make_clients(referrals: int = REFERRALS, people: int = PEOPLE, seed: int = SEED) -> pd.DataFrame:
    """A referral log: one row per referral, some people referred more than once.

    Args:
        referrals: Rows.
        people: Distinct people (ids) among them.
        seed: Random seed.

    Returns:
        Columns "Client ID", "Name", "Postcode", "Referral date", "Referral route".

    Example:
        >>> frame = make_clients(50, 40, seed=1)
        >>> frame.columns.tolist(), frame["Client ID"].nunique() <= 40
        (['Client ID', 'Name', 'Postcode', 'Referral date', 'Referral route'], True)
    """
    rng = np.random.default_rng(seed)
    pool = pd.read_csv(POOL)
    pool["decile"] = _decile_of(pool["lsoa11"])
    route_names = np.array(list(ROUTES), dtype=object)
    person_route = rng.choice(route_names, size=people, p=ROUTE_SHARES)
    home = rng.random(people) < HOME_SHARE
    postcodes = np.empty(people, dtype=object)
    # One weighted draw per (borough, route) group, so a million rows take seconds.
    for at_home in (True, False):
        candidates = pool[(pool["oslaua"] == HOME) == at_home]
        for route, lean in ROUTES.items():
            chosen = np.flatnonzero((home == at_home) & (person_route == route))
            weights = (11 - candidates["decile"].to_numpy()) ** lean
            picks = rng.choice(len(candidates), size=len(chosen), p=weights / weights.sum())
            postcodes[chosen] = candidates["pcd"].to_numpy()[picks]
    # ONSPD's 7-character form has no space for long outward codes: write each the usual way.
    postcodes = np.array([f"{p.replace(' ', '')[:-3]} {p.replace(' ', '')[-3:]}" for p in postcodes], dtype=object)
    odd = rng.random(people)
    postcodes[odd < 0.015] = ""
    outside = (odd >= 0.015) & (odd < 0.025)
    postcodes[outside] = rng.choice(np.array(ELSEWHERE, dtype=object), size=int(outside.sum()))
    not_uk = (odd >= 0.025) & (odd < 0.035)
    postcodes[not_uk] = rng.choice(np.array(NOT_UK, dtype=object), size=int(not_uk.sum()))
    typed = np.array([_messy(p, r) if p else p for p, r in zip(postcodes, rng.random(people))], dtype=object)
    names = np.array([f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(people)], dtype=object)
    ids = np.array([f"C{1000 + i}" for i in range(people)], dtype=object)

    who = np.concatenate([np.arange(people), rng.choice(people, size=referrals - people)])
    rng.shuffle(who)
    days = np.sort(rng.integers(0, DAYS, size=referrals))
    dates = [(START + dt.timedelta(days=int(d))).strftime("%d/%m/%Y") for d in days]
    return pd.DataFrame({
        "Client ID": ids[who],
        "Name": names[who],
        "Postcode": typed[who],
        "Referral date": dates,
        "Referral route": person_route[who],
    })


def write_sample(folder: pathlib.Path) -> list[pathlib.Path]:
    """Write ``reach-clients.csv`` into ``folder``.

    Example:
        >>> import tempfile
        >>> [p.name for p in write_sample(pathlib.Path(tempfile.mkdtemp()))]
        ['reach-clients.csv']
    """
    path = pathlib.Path(folder) / "reach-clients.csv"
    make_clients().to_csv(path, index=False)
    return [path]
