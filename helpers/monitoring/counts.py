"""What a monitoring return counts, per period: people (not rows), attendances, sessions, new and returning.

The most common mistake in a charity's return is counting rows as people: a man who came to 50 lunch
clubs is one person reached, and 50 attendances. Here every count of people is a count of distinct
ids, and demographics are counted per person, not per visit: each person once per period, in the
category recorded at their first contact in that period (so a birthday in March does not put
someone in two age bands in one year).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.monitoring.log import NOT_RECORDED, ActivityLog

MEASURES = ("people", "attendances", "sessions", "new_people", "returning_people")
MEASURE_WORDS = {"people": "people", "attendances": "attendances", "sessions": "sessions",
                 "new_people": "new people", "returning_people": "people who came back",
                 "attendances_per_person": "attendances per person"}


@dataclass
class PeriodCounts:
    """Every count for every period (whole and part), unsuppressed: the suppression comes after.

    Attributes:
        totals: Period label (index) x measure (columns): people, attendances, sessions, new_people,
            returning_people and attendances_per_person.
        by_service: Service (index) x period: people who used each service (a person who used two
            services is counted in each, once in the totals).
        demographics: Field -> category (index) x period: people, each counted once a period.
        first_contact: One row per person: ``first``, ``last`` contact, ``attendances``.
    """

    totals: pd.DataFrame
    by_service: pd.DataFrame | None
    demographics: dict[str, pd.DataFrame]
    first_contact: pd.DataFrame


def count_periods(log: ActivityLog) -> PeriodCounts:
    """Count people, attendances, sessions, new and returning people, services and demographics.

    Example:
        >>> from types import SimpleNamespace
        >>> from helpers.monitoring.log import read_activity_log
        >>> from helpers.monitoring.periods import PeriodScheme
        >>> visits = pd.DataFrame({"Client ID": ["A"] * 50 + ["B", "B", "C"],
        ...                        "Date": pd.to_datetime(["2025-05-01"] * 50 + ["2025-05-01", "2026-05-01", "2026-05-02"])})
        >>> log = read_activity_log(SimpleNamespace(frame=visits), PeriodScheme("year", 4, 1), {})
        >>> count_periods(log).totals[["people", "attendances", "new_people", "returning_people"]].to_dict("index")
        {'2025-26': {'people': 2, 'attendances': 51, 'new_people': 2, 'returning_people': 0}, '2026-27': {'people': 2, 'attendances': 2, 'new_people': 1, 'returning_people': 1}}
    """
    rows = log.rows
    periods = pd.Index(log.periods, name="period")
    people = rows.groupby("period")["person"].nunique().reindex(periods, fill_value=0)
    attendances = rows.groupby("period").size().reindex(periods, fill_value=0)
    session_keys = ["date", "service"] if "service" in rows.columns else ["date"]
    sessions = rows.drop_duplicates(["period", *session_keys]).groupby("period").size().reindex(periods, fill_value=0)
    first = rows.groupby("person")["date"].min()
    first_period = rows.loc[rows.groupby("person")["date"].idxmin(), ["person", "period"]].set_index("person")["period"]
    new = first_period.value_counts().reindex(periods, fill_value=0)
    totals = pd.DataFrame({"people": people, "attendances": attendances, "sessions": sessions,
                           "new_people": new, "returning_people": people - new}, index=periods)
    totals["attendances_per_person"] = (totals["attendances"] / totals["people"].where(totals["people"] > 0)).round(1)

    by_service = None
    if "service" in rows.columns:
        served = rows.assign(service=rows["service"].fillna(NOT_RECORDED))
        by_service = (served.groupby(["service", "period"])["person"].nunique().unstack("period")
                      .reindex(columns=periods).fillna(0).astype(int))
        by_service = by_service.loc[by_service.sum(axis=1).sort_values(ascending=False, kind="stable").index]

    # Each person once a period: the row of their first contact in that period.
    firsts = rows.sort_values(["date"], kind="stable").drop_duplicates(["period", "person"])
    demographics = {}
    for field in log.fields:
        values = firsts[field].fillna(NOT_RECORDED)
        table = (firsts.assign(category=values).groupby(["category", "period"]).size().unstack("period")
                 .reindex(columns=periods).fillna(0).astype(int))
        order = [c for c in table.sum(axis=1).sort_values(ascending=False, kind="stable").index if c != NOT_RECORDED]
        if field == "age_band":
            order = sorted(order, key=lambda band: int(str(band).rstrip("+").split("-")[0]))
        if NOT_RECORDED in table.index:
            order.append(NOT_RECORDED)
        demographics[field] = table.loc[order]

    contact = rows.groupby("person").agg(first=("date", "min"), last=("date", "max"), attendances=("date", "size"))
    return PeriodCounts(totals=totals, by_service=by_service, demographics=demographics,
                        first_contact=contact.sort_values("first", kind="stable"))


@dataclass(frozen=True)
class TargetResult:
    """One target from the grant agreement against what was delivered."""

    measure: str
    period: str
    target: float
    actual: float | None
    status: str  # "met", "not_met", "in_progress" (a part period), "no_data"


def compare_targets(targets: pd.DataFrame | None, counts: PeriodCounts, log: ActivityLog) -> list[TargetResult]:
    """Each target row against the count it names: met when actual is at least the target.

    ``targets`` has columns ``measure`` (people, attendances, sessions, new_people, returning_people,
    or a service's name for the people using it), ``period`` (a label such as ``2025-26``) and
    ``target``. A period the log covers only in part is ``in_progress``, never "not met".
    """
    if targets is None or targets.empty:
        return []
    results = []
    for measure, period, target in targets[["measure", "period", "target"]].itertuples(index=False):
        actual = None
        if period in counts.totals.index:
            if measure in MEASURES:
                actual = float(counts.totals.loc[period, measure])
            elif counts.by_service is not None and measure in counts.by_service.index:
                actual = float(counts.by_service.loc[measure, period])
        if actual is None:
            status = "no_data"
        elif not log.whole.get(period, False):
            status = "met" if actual >= target else "in_progress"
        else:
            status = "met" if actual >= target else "not_met"
        results.append(TargetResult(str(measure), str(period), float(target), actual, status))
    return results
