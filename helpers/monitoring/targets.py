"""The grant agreement's targets: a small table of measure, period and target, read as the charity typed it."""

from __future__ import annotations

import re

import pandas as pd

from helpers.errors import InputProblem
from helpers.monitoring.counts import MEASURES
from helpers.reading.roles import fold_header

#: How charities write each measure in a targets table (compared lower-case, punctuation ignored).
MEASURE_SPELLINGS = {
    "people": ("people", "people reached", "unique people", "individuals", "beneficiaries", "participants",
               "number of people", "unique individuals"),
    "attendances": ("attendances", "visits", "attendance", "contacts", "number of attendances"),
    "sessions": ("sessions", "sessions run", "sessions delivered", "number of sessions"),
    "new_people": ("new people", "new", "new individuals", "new beneficiaries", "new participants"),
    "returning_people": ("returning people", "returning", "people who came back", "repeat"),
}
_HEADERS = {"measure": ("measure", "what", "indicator", "output", "target measure"),
            "period": ("period", "year", "quarter", "month", "when"),
            "target": ("target", "goal", "aim", "number", "target number")}
#: The name the kit looks for when the targets are a sheet of the activity log's own workbook.
TARGETS_SHEET_WORD = "target"


def measure_key(text: str, services=()) -> str | None:
    """The measure a target names: one of :data:`MEASURES`, a service's name, or ``None``.

    Example:
        >>> measure_key("People reached"), measure_key("Youth Club", ["Youth club"]), measure_key("Smiles")
        ('people', 'Youth club', None)
    """
    folded = fold_header(text)
    for key, spellings in MEASURE_SPELLINGS.items():
        if folded in spellings or folded == key.replace("_", " "):
            return key
    for service in services:
        if fold_header(service) == folded:
            return service
    return None


def read_targets(frame: pd.DataFrame, services=(), notes: list | None = None) -> pd.DataFrame:
    """A targets table as ``measure``, ``period``, ``target`` rows, unknown measures named in ``notes``.

    Raises:
        InputProblem: A column for the measure, the period or the target cannot be found.

    Example:
        >>> typed = pd.DataFrame({"Measure": ["People reached", "Hugs"], "Year": [2025, 2025], "Target": [400, 9]})
        >>> notes = []
        >>> read_targets(typed, notes=notes).to_dict("records"), notes
        ([{'measure': 'people', 'period': '2025', 'target': 400.0}], ["The targets table's measure 'Hugs' is not one the kit counts (people, attendances, sessions, new people, returning people or a service's name), so it is left out."])
    """
    by_fold = {fold_header(c): c for c in frame.columns}
    found = {}
    for role, spellings in _HEADERS.items():
        column = next((by_fold[s] for s in spellings if s in by_fold), None)
        if column is None:
            listing = ", ".join(f"'{c}'" for c in frame.columns)
            raise InputProblem(f"The targets table needs a column for the {role} (for example '{spellings[0].title()}'); "
                               f"its columns are: {listing}. Give each target as a row of measure, period and target.")
        found[role] = column
    rows = []
    for measure, period, target in frame[[found["measure"], found["period"], found["target"]]].itertuples(index=False):
        if pd.isna(measure) or pd.isna(target):
            continue
        key = measure_key(measure, services)
        if key is None:
            if notes is not None:
                notes.append(f"The targets table's measure '{measure}' is not one the kit counts (people, attendances, "
                             "sessions, new people, returning people or a service's name), so it is left out.")
            continue
        period_text = str(int(period)) if isinstance(period, float) and period.is_integer() else str(period).strip()
        try:
            value = float(str(target).replace(",", ""))
        except ValueError:
            raise InputProblem(f"The targets table's target for '{measure}' in {period_text} is '{target}', "
                               "which is not a number.") from None
        rows.append({"measure": key, "period": period_text, "target": value})
    return pd.DataFrame(rows, columns=["measure", "period", "target"])


def targets_sheet(path, sheet_read: str | None) -> str | None:
    """The name of a sheet in the activity log's own workbook that holds targets, if there is one.

    Only the workbook's list of sheets is read (a few bytes), not the sheets themselves.
    """
    from pathlib import Path

    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            info = book.getinfo("xl/workbook.xml")
            if info.file_size > 5_000_000:  # a workbook's sheet list is small; refuse to read a giant one
                return None
            names = re.findall(rb'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', book.read(info))
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    import html

    for name in (html.unescape(n.decode("utf-8", "replace")) for n in names):
        if TARGETS_SHEET_WORD in name.lower() and name != sheet_read:
            return name
    return None
