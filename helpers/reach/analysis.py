"""The whole who-we-reach analysis in one call, its files and its summary figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.errors import InputProblem
from helpers.reach.findings import Representation, representation
from helpers.reach.lookup import INDEX_NAME, Lookup, look_up_postcodes
from helpers.reach.profile import (
    USABLE,
    area_in_words,
    areas_table,
    decile_profile,
    most_deprived_share,
    people,
    served_area,
)
from helpers.writing.workbooks import write_csv

#: The open data behind every figure, for the report's attribution (Open Government Licence v3.0).
DATA_SOURCES = (
    "Contains public sector information licensed under the Open Government Licence v3.0: English Indices of "
    "Deprivation 2019 (Ministry of Housing, Communities and Local Government); ONS Postcode Directory, "
    "November 2025, and LSOA population-weighted centroids (Office for National Statistics). Contains OS data "
    "\u00a9 Crown copyright and database right; contains Royal Mail data \u00a9 Royal Mail copyright and "
    "database right."
)

REACH_COLUMNS = ["row", "postcode", "postcode_status", "local_authority_code", "local_authority",
                 "lsoa_code", "deprivation_decile", "deprivation_index"]


@dataclass
class Reach:
    """Everything the report says, computed once.

    Attributes:
        lookup: The postcode lookup, one row per record.
        clients: One row per person (or record) with a usable postcode.
        areas: The served local authority codes.
        area_name: Those in words.
        profile: Clients living in the served area, and its residents, by decile (see ``decile_profile``).
        represented: Those clients against the residents in the 20% most deprived
            neighbourhoods, with the rule's decision (see :func:`helpers.reach.findings.representation`).
        counted: "people" or "records".
    """

    lookup: Lookup
    clients: pd.DataFrame
    areas: list[str]
    area_name: str
    profile: pd.DataFrame
    represented: Representation
    counted: str

    @property
    def client_share(self) -> float | None:
        """The share of clients living in the served area who live in deciles 1-2 (None under 10)."""
        return self.represented.share

    @property
    def resident_share(self) -> float | None:
        """The share of the served area's residents in deciles 1-2."""
        return self.represented.resident_share


def analyse(frame: pd.DataFrame, postcode_column: str, id_column: str | None = None,
            date_column: str | None = None, area: str = "") -> Reach:
    """Look up every postcode and compare the clients with the served area's residents.

    Args:
        frame: The charity's table (index = spreadsheet row numbers).
        postcode_column: The column of postcodes.
        id_column: Count people, not rows, when a person appears more than once.
        date_column: With ``id_column``, keep each person's latest record.
        area: Local authorities served (names or codes); blank: where most clients live.

    Returns:
        A :class:`Reach`.

    A list where no postcode can be placed still gives a result (with no clients), so the report
    can say what was wrong with them.

    Example:
        >>> frame = pd.DataFrame({"Postcode": ["E8 1DY", "e81dy", "N1 7PD", "", "x"]}, index=range(2, 7))
        >>> reach = analyse(frame, "Postcode")
        >>> len(reach.clients), reach.area_name
        (3, 'Hackney')
    """
    lookup = look_up_postcodes(frame[postcode_column])
    table = lookup.table
    chosen = people(table, frame, id_column, date_column)
    clients = chosen[chosen["postcode_status"].isin(USABLE)]
    areas = served_area(clients, area)
    profile = decile_profile(clients, areas)
    area_name = area_in_words(areas)
    represented = representation(clients, areas, area_name, most_deprived_share(profile, "residents"))
    return Reach(lookup=lookup, clients=clients, areas=areas, area_name=area_name, profile=profile,
                 represented=represented, counted="people" if id_column else "records")


def reach_rows(reach: Reach) -> pd.DataFrame:
    """``reach.csv``: one row per input record, in input order, with the contract's columns.

    Example:
        >>> frame = pd.DataFrame({"Postcode": ["E8 1DY", ""]}, index=[2, 3])
        >>> reach_rows(analyse(frame, "Postcode")).columns.tolist() == REACH_COLUMNS
        True
    """
    table = reach.lookup.table
    out = table[["postcode", "postcode_status", "local_authority_code", "local_authority", "lsoa_code",
                 "deprivation_decile"]].copy()
    out.insert(0, "row", table.index)
    out["deprivation_index"] = out["deprivation_decile"].notna().map({True: INDEX_NAME, False: ""})
    return out[REACH_COLUMNS].reset_index(drop=True)


def write_reach_files(folder: Path, reach: Reach) -> list[Path]:
    """Write ``reach.csv`` (one row per record) and ``areas.csv`` (one row per area).

    Returns:
        The two paths.
    """
    folder = Path(folder)
    return [write_csv(reach_rows(reach), folder / "reach.csv"),
            write_csv(areas_table(reach.clients, reach.areas), folder / "areas.csv")]


def status_counts(reach: Reach) -> pd.Series:
    """Records by ``postcode_status``, every status listed (zeros too)."""
    from helpers.reach.lookup import STATUSES

    return reach.lookup.table["postcode_status"].value_counts().reindex(list(STATUSES), fill_value=0)


def summary_figures(reach: Reach) -> dict:
    """The figures for ``summary.json`` (the issue's keys first).

    Example:
        >>> frame = pd.DataFrame({"Postcode": ["E8 1DY", "N1 7PD", "zz"]})
        >>> figures = summary_figures(analyse(frame, "Postcode"))
        >>> figures["records"], figures["clients_outside_area"], figures["representation"]
        (3, 0, 'too_few')
    """
    counts = status_counts(reach)
    records = int(counts.sum())
    return {
        "records": records,
        "postcodes_valid": int(records - counts["blank"] - counts["not a UK postcode"]),
        "postcodes_located": int(counts["located"] + counts["outside England"]),
        "local_authorities": reach.areas,
        "share_most_deprived_20pct": reach.client_share,
        "share_most_deprived_20pct_interval": (list(reach.represented.interval)
                                               if reach.client_share is not None else None),
        "population_share_most_deprived_20pct": reach.resident_share,
        "representation": reach.represented.decision,
        "clients_in_area_with_decile": reach.represented.clients_in_area,
        "clients_outside_area": reach.represented.clients_outside,
        "deprivation_index": INDEX_NAME,
        "level": "LSOA (exact)" if reach.lookup.level == "exact" else "LSOA (nearest population centre)",
        "people_counted": int(len(reach.clients)),
        "status_counts": {status: int(n) for status, n in counts.items()},
        "data_sources": DATA_SOURCES,
    }


def years(dates: pd.Series, column: str) -> pd.Series:
    """The calendar year of each date, as text, for comparing years.

    Raises:
        InputProblem: The column does not hold dates.

    Example:
        >>> years(pd.Series(pd.to_datetime(["2024-05-01", None])), "Date").tolist()
        ['2024', 'not recorded']
    """
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise InputProblem(f"The column '{column}' (date_column) could not be read as dates. "
                           "Choose the column of visit or referral dates, or leave date_column blank.")
    return dates.dt.year.astype("Int64").astype("string").fillna("not recorded")
