"""Clients against residents: deprivation profile, reach rates, groups and years.

Small numbers are handled the same way everywhere: a count of fewer than 5 people is not shown,
and a share or rate resting on fewer than 10 people is "too few to say".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.errors import InputProblem
from helpers.reach.findings import MOST_DEPRIVED, group_counts, living_in
from helpers.reach.lookup import local_authority_names, lsoa_reference
from helpers.reading.roles import split_column_list

HIDE_BELOW = 5
RATE_FROM = 10
TOO_FEW = "too few to say"
HIDDEN = "fewer than 5"
USABLE = ("located", "outside England")


def shown_count(count) -> str:
    """A count of people as the report shows it: hidden under 5.

    Example:
        >>> shown_count(4), shown_count(5), shown_count(1234)
        ('fewer than 5', '5', '1,234')
    """
    return HIDDEN if count < HIDE_BELOW else f"{int(count):,}"


def shown_share(part, whole) -> str:
    """A whole-number percentage, or "too few to say" when it rests on fewer than 10 people.

    Example:
        >>> shown_share(3, 9), shown_share(3, 10), shown_share(0, 10), shown_share(1, 400)
        ('too few to say', '30%', 'none', 'under 1%')
    """
    if whole < RATE_FROM:
        return TOO_FEW
    if part == 0:
        return "none"
    value = 100 * part / whole
    return "under 1%" if value < 1 else f"{value:.0f}%"


def shown_rate(clients, residents) -> str:
    """Clients per 1,000 residents, or "too few to say" under 10 clients.

    Example:
        >>> shown_rate(9, 1000), shown_rate(10, 1000), shown_rate(12, 3000)
        ('too few to say', '10.0', '4.0')
    """
    if clients < RATE_FROM or not residents:
        return TOO_FEW
    return f"{1000 * clients / residents:.1f}"


def people(lookup_table: pd.DataFrame, frame: pd.DataFrame, id_column: str | None,
           date_column: str | None = None) -> pd.DataFrame:
    """One row per person: the lookup of each record, keeping a person's latest record.

    Args:
        lookup_table: ``Lookup.table``.
        frame: The charity's table (same index).
        id_column: The column that identifies a person, or None to count records.
        date_column: Dates, so "latest" means the latest date rather than the last row.

    Returns:
        The lookup rows, one per person when ``id_column`` is given.

    Example:
        >>> table = pd.DataFrame({"postcode_status": ["located"] * 3}, index=[2, 3, 4])
        >>> len(people(table, pd.DataFrame({"id": ["a", "a", "b"]}, index=[2, 3, 4]), "id"))
        2
    """
    if not id_column:
        return lookup_table
    ids = frame[id_column].astype("string").str.strip()
    order = frame[date_column] if date_column else pd.Series(np.arange(len(frame)), index=frame.index)
    keep = (pd.DataFrame({"id": ids, "order": order}).dropna(subset=["id"])
            .sort_values("order", kind="stable").groupby("id").tail(1).index)
    blank_ids = ids[ids.isna()].index
    return lookup_table.loc[lookup_table.index.isin(keep.union(blank_ids))]


def served_area(located: pd.DataFrame, area: str = "") -> list[str]:
    """The local authorities the charity serves: as given, or where most clients live.

    Args:
        located: Lookup rows with a local authority.
        area: Names or codes, comma-separated; blank picks every authority holding at least a
            tenth of the located clients (always at least the largest).

    Returns:
        Local authority codes, largest first when picked.

    Raises:
        InputProblem: A name or code is not a current UK local authority.

    Example:
        >>> rows = pd.DataFrame({"local_authority_code": ["E09000012"] * 8 + ["E09000030"] * 2})
        >>> served_area(rows), served_area(rows, "hackney, E09000030")
        (['E09000012', 'E09000030'], ['E09000012', 'E09000030'])
    """
    names = local_authority_names()
    if area.strip():
        by_name = {name.casefold(): code for code, name in names.items()}
        codes = []
        for item in split_column_list(area):
            code = item.upper() if item.upper() in names else by_name.get(item.casefold())
            if code is None:
                raise InputProblem(
                    f"The area '{item}' is not the name or code of a current UK local authority. "
                    "Give names as the council spells them (such as 'Hackney') or codes such as "
                    "E09000012, separated by commas, or leave the area blank."
                )
            codes.append(code)
        return list(dict.fromkeys(codes))
    counts = located["local_authority_code"].value_counts()
    counts = counts[counts.index != ""]
    if counts.empty:
        return []
    picked = counts[counts >= 0.1 * counts.sum()]
    return list(picked.index) or [counts.index[0]]


def area_in_words(codes: list[str]) -> str:
    """The served area's name for a sentence: "Hackney", "Hackney and Islington", "3 areas".

    Example:
        >>> area_in_words(["E09000012"]), area_in_words(["E09000012", "E09000019"])
        ('Hackney', 'Hackney and Islington')
    """
    names = [local_authority_names().get(code, code) for code in codes]
    if len(names) <= 2:
        return " and ".join(names) or "the area"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def residents_by_decile(codes: list[str]) -> pd.Series:
    """Residents of the served area's English neighbourhoods in each decile (mid-2015 estimates).

    Example:
        >>> int(residents_by_decile(["E09000001"]).sum())  # the City of London
        6687
    """
    ref = lsoa_reference()
    inside = ref[ref["local_authority"].isin(codes) & ref["imd_decile"].notna()]
    totals = inside.groupby("imd_decile")["population"].sum()
    return totals.reindex(range(1, 11), fill_value=0).astype(int)


def decile_profile(clients: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Clients who live in the served area, and its residents, in each deprivation decile.

    Like is compared with like: a client who lives outside the served area is in neither the
    shares nor the rates, since the residents they are compared with are the area's
    (:func:`helpers.reach.findings.representation` counts them separately).

    Args:
        clients: Lookup rows (one per person) with ``deprivation_decile`` and
            ``local_authority_code``.
        codes: The served local authorities.

    Returns:
        Ten rows (decile 1 = most deprived) with ``clients`` (living in the area),
        ``client_share`` (of those with a decile), ``residents``, ``resident_share`` (of the
        served area, population-weighted) and ``per_1000``.

    Example:
        >>> rows = pd.DataFrame({"deprivation_decile": pd.array([1, 1, 2, 10, 1], dtype="Int64"),
        ...                      "local_authority_code": ["E09000001"] * 4 + ["E09000012"]})
        >>> row = decile_profile(rows, ["E09000001"]).loc[1]
        >>> int(row["clients"]), float(row["client_share"])
        (2, 0.5)
    """
    inside = clients[living_in(clients, codes)]
    counts = inside["deprivation_decile"].dropna().astype(int).value_counts()
    counts = counts.reindex(range(1, 11), fill_value=0)
    residents = residents_by_decile(codes)
    table = pd.DataFrame({"clients": counts, "residents": residents})
    table.index.name = "decile"
    table["client_share"] = table["clients"] / max(table["clients"].sum(), 1)
    table["resident_share"] = table["residents"] / max(table["residents"].sum(), 1)
    table["per_1000"] = 1000 * table["clients"] / table["residents"].where(table["residents"] > 0)
    return table


def most_deprived_share(profile: pd.DataFrame, column: str) -> float | None:
    """The share in deciles 1 and 2 (the 20% most deprived neighbourhoods), or None if empty.

    Example:
        >>> most_deprived_share(pd.DataFrame({"c": [0.3, 0.2] + [0.0625] * 8}, index=range(1, 11)), "c")
        0.5
    """
    total = profile[column].sum()
    return float(profile.loc[list(MOST_DEPRIVED), column].sum() / total) if total else None


def decile_table(profile: pd.DataFrame) -> pd.DataFrame:
    """The decile profile as the report shows it, small numbers hidden.

    Example:
        >>> rows = pd.DataFrame({"deprivation_decile": pd.array([1] * 4 + [2] * 6, dtype="Int64"),
        ...                      "local_authority_code": "E09000001"})
        >>> decile_table(decile_profile(rows, ["E09000001"])).iloc[0, 1]
        'fewer than 5'
    """
    total = int(profile["clients"].sum())
    residents_total = int(profile["residents"].sum())
    rows = []
    for decile, row in profile.iterrows():
        label = {1: "1 (most deprived)", 10: "10 (least deprived)"}.get(decile, str(decile))
        rows.append({
            "Decile": label,
            "Clients": shown_count(row["clients"]),
            "Share of clients": shown_share(row["clients"], total) if row["clients"] >= HIDE_BELOW or total < RATE_FROM else "hidden",
            "Share of residents": shown_share(row["residents"], residents_total),
            "Clients per 1,000 residents": shown_rate(row["clients"], row["residents"]),
        })
    return pd.DataFrame(rows)


def group_table(clients: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Per group (service, route or year): people with a decile and the share in the most deprived 20%.

    Args:
        clients: Lookup rows (one per person).
        groups: The group of each row (same index); blanks become "not recorded".

    Example:
        >>> rows = pd.DataFrame({"deprivation_decile": pd.array([1] * 6 + [9] * 4 + [1] * 3, dtype="Int64")})
        >>> t = group_table(rows, pd.Series(["A"] * 10 + ["B"] * 3))
        >>> t.values.tolist()
        [['A', '10', '60%'], ['B', 'fewer than 5', 'too few to say']]
    """
    counts = group_counts(clients, groups)
    return pd.DataFrame({"Group": counts["group"], "Clients with a decile": counts["people"].map(shown_count),
                         "In the 20% most deprived neighbourhoods": [shown_share(most, n) for most, n in
                                                                     zip(counts["most"], counts["people"])]})


def areas_table(clients: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """One row per area: each served local authority, then each of its neighbourhoods.

    Counts under 5 are left blank (and rates under 10 clients too), so the file can be shared.

    Returns:
        Columns ``level``, ``area_code``, ``area``, ``deprivation_decile``, ``clients``,
        ``residents``, ``clients_per_1000``.

    Example:
        >>> rows = pd.DataFrame({"local_authority_code": ["E09000001"] * 12,
        ...                      "lsoa_code": ["E01000001"] * 12})
        >>> first = areas_table(rows, ["E09000001"]).iloc[0]
        >>> first["level"], int(first["clients"]), int(first["residents"])
        ('local authority', 12, 6687)
    """
    ref = lsoa_reference()
    names = local_authority_names()
    rows = []
    for code in codes:
        inside = ref[ref["local_authority"] == code]
        mine = clients[clients["local_authority_code"] == code]
        residents = int(inside["population"].sum()) if len(inside) else None
        rows.append(("local authority", code, names.get(code, code), None, len(mine), residents))
        per_lsoa = mine["lsoa_code"].value_counts()
        for lsoa, row in inside.iterrows():
            pop = None if pd.isna(row["population"]) else int(row["population"])
            decile = None if pd.isna(row["imd_decile"]) else int(row["imd_decile"])
            rows.append(("neighbourhood", lsoa, names.get(code, code), decile, int(per_lsoa.get(lsoa, 0)), pop))
    table = pd.DataFrame(rows, columns=["level", "area_code", "area", "deprivation_decile", "clients", "residents"])
    rate = 1000 * table["clients"] / table["residents"].astype(float)
    table["clients_per_1000"] = rate.round(1).where(table["clients"] >= RATE_FROM)
    table["clients"] = table["clients"].where(table["clients"] >= HIDE_BELOW).astype("Int64")
    table["deprivation_decile"] = table["deprivation_decile"].astype("Int64")
    table["residents"] = table["residents"].astype("Int64")
    return table
