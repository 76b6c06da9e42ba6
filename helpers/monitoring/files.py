"""Files for the charity: ``monitoring.xlsx`` (the return's tables, small numbers hidden) and ``people.csv``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.monitoring.counts import PeriodCounts, TargetResult
from helpers.monitoring.log import FIELD_NAMES, ActivityLog
from helpers.monitoring.suppression import FEWEST, HIDDEN_IN_WORKBOOK, suppress_table
from helpers.monitoring.words import STATUS_WORDS, shown_totals
from helpers.writing.workbooks import write_csv, write_frames

ABOUT = [
    "How to read these tables",
    "People are counted once per period, however often they came; attendances are every visit.",
    f"A count of 1 to {FEWEST - 1} people is shown as '{HIDDEN_IN_WORKBOOK}', and so is the next smallest count in "
    "its column, so that no small group can be worked out from the total.",
    "Age, gender, ethnicity, disability and area are each person's as recorded at their first contact in the period.",
    "'Not recorded' counts people whose detail was left blank or marked unknown.",
    "A period marked (part) is not covered whole by the file: its counts are so far.",
]


def _cells(table: pd.DataFrame) -> pd.DataFrame:
    """Numbers as numbers, hidden counts as the text '<5' (so a funder's template shows them as hidden)."""
    return table.astype(object).where(table.notna(), HIDDEN_IN_WORKBOOK).map(
        lambda v: int(v) if isinstance(v, float) and v.is_integer() else v)


def write_monitoring_workbook(folder: Path, counts: PeriodCounts, log: ActivityLog,
                              targets: list[TargetResult]) -> Path:
    """Write ``monitoring.xlsx``: one sheet per breakdown, suppression applied and explained."""
    totals = shown_totals(counts)
    periods = [p + ("" if log.whole[p] else " (part)") for p in log.periods]
    summary = _cells(totals[["people", "attendances", "sessions", "new_people", "returning_people"]])
    summary.insert(0, "Period", periods)
    summary.columns = ["Period", "People", "Attendances", "Sessions", "New people", "Came back"]
    sheets = {"Periods": summary.reset_index(drop=True)}
    if counts.by_service is not None:
        shown = _cells(suppress_table(counts.by_service, counts.totals["people"]))
        shown.columns = periods
        sheets["By service"] = shown.rename_axis("Service").reset_index()
    for field, table in counts.demographics.items():
        shown = _cells(suppress_table(table, counts.totals["people"]))
        shown.columns = periods
        sheets[FIELD_NAMES[field].split(" (")[0]] = shown.rename_axis(FIELD_NAMES[field]).reset_index()
    if targets:
        sheets["Targets"] = pd.DataFrame([{
            "Measure": r.measure.replace("_", " "), "Period": r.period, "Target": r.target,
            "Actual": r.actual, "Status": STATUS_WORDS[r.status]} for r in targets])
    sheets["About"] = pd.DataFrame({"About these tables": ABOUT})
    path = Path(folder) / "monitoring.xlsx"
    write_frames(path, sheets)
    return path


def write_people(folder: Path, counts: PeriodCounts, log: ActivityLog) -> Path:
    """Write ``people.csv``: one row per person (their id, first and last contact, attendances)."""
    people = counts.first_contact.reset_index()
    people.columns = ["person id" if log.person_by == "id" else "person (name as typed)",
                      "first contact", "last contact", "attendances"]
    for column in ("first contact", "last contact"):
        people[column] = people[column].dt.strftime("%Y-%m-%d")
    return write_csv(people, Path(folder) / "people.csv")
