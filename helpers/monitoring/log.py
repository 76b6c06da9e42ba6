"""An activity log read for counting: one row per attendance, visit, session or referral.

The charity's register is read by the shared loader; this module finds the columns that matter for a
monitoring return from their headers (the shared synonyms table: ``id``, ``date``, ``group`` for the
service, ``gender``, ``ethnicity``, ``disability``, ``age`` or ``date_of_birth``, ``postcode``) and
gives each row its period. People are counted by their id; with no id column, by their full name
(or first and last name), which the report says is weaker: two people with one name become one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.errors import InputProblem
from helpers.monitoring.periods import PeriodScheme, is_whole, period_end, period_label, period_starts
from helpers.reading.parsing import read_uk_dates
from helpers.reading.roles import resolve_roles

#: The role parameters the playbook takes, in the order the load log names them.
ROLE_PARAMETERS = ("id_column", "date_column", "group_column", "gender_column", "ethnicity_column",
                   "disability_column", "age_column", "date_of_birth_column", "postcode_column")
#: What each demographic role is called in the report.
FIELD_NAMES = {"age_band": "Age", "gender": "Gender", "ethnicity": "Ethnicity", "disability": "Disability",
               "area": "Area (postcode district)"}
NOT_RECORDED = "Not recorded"
#: Default age bands (ONS and National Lottery style).
AGE_BANDS = "0-15, 16-24, 25-34, 35-49, 50-64, 65+"
#: A log where at least this share of people have exactly one row is a list of people, not of activity.
ONE_ROW_EACH = 0.95


@dataclass
class ActivityLog:
    """A log ready for counting.

    Attributes:
        rows: One row per attendance: ``person``, ``date``, ``period`` (label), ``service`` (when
            given) and one column per demographic field found (``age_band``, ``gender``...).
        periods: Period labels in time order.
        whole: Period label -> whether the log covers it whole.
        spans: Period label -> (first day, last day).
        scheme: How dates became periods.
        columns: Role parameter -> the column used (or ``None``).
        person_by: ``"id"`` or ``"name"``: what a person was counted by.
        left_out: Rows left out and why (``{"no date": [row numbers], ...}``).
        notes: Sentences for the load log (which column, how to change it).
        one_row_each: The log has one row per person: a list of people, not of activity.
    """

    rows: pd.DataFrame
    periods: list[str]
    whole: dict[str, bool]
    spans: dict[str, tuple[pd.Timestamp, pd.Timestamp]]
    scheme: PeriodScheme
    columns: dict[str, str | None]
    person_by: str = "id"
    left_out: dict[str, list] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    one_row_each: bool = False

    @property
    def fields(self) -> list[str]:
        """The demographic fields found, in report order."""
        return [name for name in FIELD_NAMES if name in self.rows.columns]


def parse_age_bands(text: str = AGE_BANDS) -> list[tuple[int, int | None, str]]:
    """Read the ``age_bands`` parameter: ``"0-15, 16-24, 65+"`` -> ``[(0, 15, "0-15"), ...]``.

    Raises:
        InputProblem: A band is not written as ``low-high`` or ``low+``, or bands overlap.

    Example:
        >>> parse_age_bands("0-17, 18-64, 65+")
        [(0, 17, '0-17'), (18, 64, '18-64'), (65, None, '65+')]
    """
    bands = []
    for part in [p.strip() for p in str(text or AGE_BANDS).split(",") if p.strip()]:
        try:
            if part.endswith("+"):
                bands.append((int(part[:-1]), None, part))
            else:
                low, high = (int(x) for x in part.replace("–", "-").split("-"))
                bands.append((low, high, part))
        except ValueError:
            raise InputProblem(f"age_bands has '{part}', which is not a band. Write bands as low-high or "
                               f"low+, separated by commas, for example -p age_bands \"{AGE_BANDS}\".") from None
    for (low, high, label), (next_low, _, next_label) in zip(bands, bands[1:]):
        if high is None or next_low <= high:
            raise InputProblem(f"age_bands: '{label}' and '{next_label}' overlap or are out of order. "
                               f"For example: -p age_bands \"{AGE_BANDS}\".")
    return bands


def age_band(ages: pd.Series, bands) -> pd.Series:
    """Each age's band label (missing where the age is missing, negative or over 120).

    Example:
        >>> age_band(pd.Series([3, 16, 70, None, 130]), parse_age_bands()).tolist()
        ['0-15', '16-24', '65+', nan, nan]
    """
    ages = pd.to_numeric(ages, errors="coerce")
    result = pd.Series(np.nan, index=ages.index, dtype=object)
    for low, high, label in bands:
        inside = (ages >= low) & ((ages <= high) if high is not None else (ages <= 120))
        result[inside] = label
    return result


def _text(series: pd.Series) -> pd.Series:
    """Categories as people typed them, tidied only of stray spaces; blank is missing."""
    text = series.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    return text.mask(text.fillna("").eq("") | text.str.lower().isin(
        ["n/a", "na", "unknown", "not known", "none", "-", "?", "not recorded"]))


def read_activity_log(table, scheme: PeriodScheme, columns: dict[str, str], age_bands: str = AGE_BANDS) -> ActivityLog:
    """Find the columns and give every row its person, date, period and categories.

    Args:
        table: A :class:`~helpers.reading.loader.LoadedTable`.
        scheme: From :func:`~helpers.monitoring.periods.read_scheme`.
        columns: The role parameters as given (blank: found from the header).
        age_bands: The ``age_bands`` parameter.

    Raises:
        InputProblem: No date column, no id or name column, or no row with a readable date.
    """
    frame = table.frame
    requested = {parameter: columns.get(parameter, "") for parameter in ROLE_PARAMETERS}
    requested.update({"full_name_column": "", "first_name_column": "", "last_name_column": ""})
    found = resolve_roles(frame, requested, required=("date_column",))
    notes = []
    for parameter in ROLE_PARAMETERS:
        column = found[parameter]
        if column is not None:
            how = "as given" if columns.get(parameter) else "found from its header"
            notes.append(f"{parameter.removesuffix('_column').replace('_', ' ').capitalize()}: '{column}' "
                         f"({how}; set -p {parameter} to choose another).")

    person_by = "id"
    if found["id_column"] is not None:
        person = _text(frame[found["id_column"]].astype("string"))
    elif found["full_name_column"] is not None or (found["first_name_column"] and found["last_name_column"]):
        person_by = "name"
        if found["full_name_column"] is not None:
            names = frame[found["full_name_column"]].astype("string")
        else:
            names = frame[found["first_name_column"]].astype("string") + " " + frame[found["last_name_column"]].astype("string")
        person = _text(names.str.lower())
        notes.append("People: no id column, so people are counted by name (two people with the same name count "
                     "as one, one person written two ways as two). Run deduplicate-contacts first to give "
                     "each person an id, or set -p id_column.")
    else:
        listing = ", ".join(f"'{c}'" for c in frame.columns)
        raise InputProblem("Could not find who each row is about: no header looks like a person's id or name. "
                           f"The columns in the file are: {listing}. Set -p id_column to the column that "
                           "identifies each person.")

    date_column = found["date_column"]
    dates = frame[date_column]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = read_uk_dates(dates).values
    dates = pd.to_datetime(dates).dt.normalize()
    rows = pd.DataFrame({"person": person, "date": dates}, index=frame.index)
    left_out = {"no date": rows.index[rows["date"].isna()].tolist(),
                "no id" if person_by == "id" else "no name": rows.index[rows["person"].isna()].tolist()}
    if found["group_column"] is not None:
        rows["service"] = _text(frame[found["group_column"]])
    for role in ("gender", "ethnicity", "disability"):
        if found[f"{role}_column"] is not None:
            rows[role] = _text(frame[found[f"{role}_column"]])
    bands = parse_age_bands(age_bands)
    if found["age_column"] is not None:
        rows["age_band"] = age_band(frame[found["age_column"]], bands)
    elif found["date_of_birth_column"] is not None:
        born = frame[found["date_of_birth_column"]]
        born = born if pd.api.types.is_datetime64_any_dtype(born) else read_uk_dates(born).values
        years = (rows["date"] - pd.to_datetime(born)).dt.days / 365.2425
        rows["age_band"] = age_band(np.floor(years), bands)
    if found["postcode_column"] is not None:
        from helpers.reading.ukformats import normalise_postcode

        outward = frame[found["postcode_column"]].map(normalise_postcode).astype("string").str.split(" ").str[0]
        rows["area"] = _text(outward)
    rows = rows[rows["date"].notna() & rows["person"].notna()]
    if rows.empty:
        raise InputProblem(f"No row has both a readable date in '{date_column}' and a person. Check the date "
                           "column (set -p date_column) and the id column (set -p id_column).")

    starts = period_starts(rows["date"], scheme)
    labels = {start: period_label(start, scheme) for start in starts.unique()}
    rows["period"] = starts.map(labels)
    first, last = rows["date"].min(), rows["date"].max()
    ordered = sorted(labels)
    spans = {labels[s]: (s, period_end(s, scheme)) for s in ordered}
    whole = {labels[s]: is_whole(s, period_end(s, scheme), first, last) for s in ordered}
    per_person = rows.groupby("person").size()
    one_row_each = len(per_person) >= 10 and float((per_person == 1).mean()) >= ONE_ROW_EACH
    return ActivityLog(rows=rows, periods=[labels[s] for s in ordered], whole=whole, spans=spans, scheme=scheme,
                       columns=found, person_by=person_by, left_out={k: v for k, v in left_out.items() if v},
                       notes=notes, one_row_each=one_row_each)
