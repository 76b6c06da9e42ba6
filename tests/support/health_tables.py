"""A hand-built register whose problems are known, shared by the health-check tests.

Import the fixtures into a test module with
``from support.health_tables import TODAY, register, report, table``.
"""

import dataclasses

import pandas as pd
import pytest

from helpers.health_check.findings import check_loaded_table

TODAY = "2025-06-01"


@dataclasses.dataclass
class StandIn:
    """The parts of helpers.reading.loader.LoadedTable that the health check reads."""

    frame: pd.DataFrame
    raw: pd.DataFrame
    column_types: dict
    unreadable: dict


def register() -> StandIn:
    """Eight people in spreadsheet rows 2-9, with problems planted on purpose."""
    index = pd.RangeIndex(2, 10)
    raw = pd.DataFrame(
        {
            "First name": ["Ann", "Bob", "Cat", "Dan", "Eve", "Bob", "Fay", "Gus"],
            "Email": ["ann@example.org", "bob@example.org", "cat@example", "DAN@Example.org ",
                      "eve@example.org", "bob@example.org", "fay@example.org", "gus@example.org"],
            "Phone": ["07700 900001", "07700 900002", "07700 90003", "+44 7700 900004",
                      "07700 900005", "07700 900002", "07700 900007", "07700 900008"],
            "Post Code": ["E8 1AA", "e8 1ab", "E8 1AD", "N1 1AA", "SW1A 1A", "e8 1ab", "N1 1AB", "N1 1AE"],
            "Borough": ["Hackney", "Hackney", "hackney ", "Islington", "Hackney", "Hackney", "Hackny", "Islington"],
            "Date of birth": ["01/01/1980", "02/02/1990", "03/03/1905", "04/04/1970", "31/02/1985",
                              "02/02/1990", "05/05/2030", "06/06/2000"],
            "Visit date": ["01/05/2025", "02/05/2025", "03/05/2025", "04/05/2025", "05/05/2025",
                           "02/05/2025", "01/07/2026", "N/A"],
            "Next appointment": ["01/09/2025"] * 8,
        },
        index=index,
    )
    frame = raw.copy()
    frame["Date of birth"] = pd.to_datetime(raw["Date of birth"], format="%d/%m/%Y", errors="coerce")
    frame["Visit date"] = pd.to_datetime(raw["Visit date"], format="%d/%m/%Y", errors="coerce")
    frame["Next appointment"] = pd.to_datetime(raw["Next appointment"], format="%d/%m/%Y")
    types = {column: "text" for column in raw.columns}
    types.update({"Date of birth": "date", "Visit date": "date", "Next appointment": "date"})
    return StandIn(frame, raw, types, {"Date of birth": [6]})


@pytest.fixture
def table():
    return register()


@pytest.fixture
def report(table):
    return check_loaded_table(table, today=TODAY)
