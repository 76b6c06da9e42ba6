"""The monitoring return in words: Main points, tables, the funder's paragraph, claims and summary.json.

Every sentence is written from :class:`Headline`, computed once from the counts after suppression, so
the Main points, the chart's title, its alt text and ``summary.json`` say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.monitoring.counts import MEASURE_WORDS, PeriodCounts, TargetResult
from helpers.monitoring.log import FIELD_NAMES, NOT_RECORDED, ActivityLog
from helpers.monitoring.suppression import (
    FEWEST, count_in_words, percent_shown, suppress_column, suppress_table,
)
from helpers.writing.claims import Claim
from helpers.writing.narrative import list_in_words

STATUS_WORDS = {"met": "met", "not_met": "not met", "in_progress": "so far", "no_data": "no data for that period"}


@dataclass(frozen=True)
class Headline:
    """The period the report leads with, and what it is compared with.

    Attributes:
        period: The latest whole period (the latest period when none is whole).
        whole: Whether the log covers it whole.
        people, attendances, sessions, new_people, returning_people: Its counts (``None`` when hidden).
        previous: The whole period before it, if any.
        previous_people: People reached then.
        change: ``"more"``, ``"fewer"``, ``"same"`` or ``None`` (nothing to compare with).
        latest_part: A later period the log covers only in part (its counts are so far).
    """

    period: str
    whole: bool
    people: int | None
    attendances: int | None
    sessions: int | None
    new_people: int | None
    returning_people: int | None
    previous: str | None
    previous_people: int | None
    change: str | None
    latest_part: str | None


def _day(day) -> str:
    """A date in words, "1 April 2025" (no platform-only strftime codes: the kit runs on Windows too)."""
    return f"{day.day} {day:%B %Y}"


def _shown(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def shown_totals(counts: PeriodCounts) -> pd.DataFrame:
    """The period totals as published: a period of fewer than 5 people hides its people and their split.

    New and returning people are a breakdown of people, so they are suppressed together (a period with
    3 new people hides both new and returning, or the total minus one gives the other).
    """
    totals = counts.totals.astype(float).copy()
    for period in totals.index:
        people = totals.loc[period, "people"]
        if 0 < people < FEWEST:
            totals.loc[period, ["people", "new_people", "returning_people", "attendances_per_person"]] = float("nan")
            continue
        split = suppress_column(totals.loc[period, ["new_people", "returning_people"]])
        totals.loc[period, ["new_people", "returning_people"]] = split.to_numpy()
    return totals


def headline(counts: PeriodCounts, log: ActivityLog, compare_previous: bool = True) -> Headline:
    """The period to lead with (the latest whole one) and its change from the whole period before.

    Example:
        >>> from types import SimpleNamespace
        >>> from helpers.monitoring.counts import count_periods
        >>> from helpers.monitoring.log import read_activity_log
        >>> from helpers.monitoring.periods import PeriodScheme
        >>> days = pd.date_range("2024-04-01", "2026-03-31", freq="7D")
        >>> visits = pd.DataFrame({"ID": [f"P{i % (20 if d.year < 2025 or d.month < 4 else 26)}" for i, d in enumerate(days)],
        ...                        "Date": days})
        >>> log = read_activity_log(SimpleNamespace(frame=visits), PeriodScheme("year", 4, 1), {})
        >>> h = headline(count_periods(log), log)
        >>> h.period, h.people, h.previous, h.previous_people, h.change
        ('2025-26', 26, '2024-25', 20, 'more')
    """
    totals = shown_totals(counts)
    whole = [p for p in log.periods if log.whole[p]]
    period = whole[-1] if whole else log.periods[-1]
    later = [p for p in log.periods if p > period and not log.whole[p]]
    earlier_whole = [p for p in whole if p < period]
    previous = earlier_whole[-1] if (compare_previous and earlier_whole and log.whole[period]) else None
    people, before = _shown(totals.loc[period, "people"]), _shown(totals.loc[previous, "people"]) if previous else None
    change = None
    if previous is not None and people is not None and before is not None:
        change = "more" if people > before else "fewer" if people < before else "same"
    return Headline(period, log.whole[period], people, _shown(totals.loc[period, "attendances"]),
                    _shown(totals.loc[period, "sessions"]), _shown(totals.loc[period, "new_people"]),
                    _shown(totals.loc[period, "returning_people"]), previous, before, change,
                    later[-1] if later else None)


def reach_sentence(h: Headline, who: str = "") -> str:
    """The headline sentence: people (not rows), attendances and sessions in the lead period."""
    subject = who or "the charity"
    so_far = "" if h.whole else " so far"
    people = count_in_words(h.people)
    per = (f", about {h.attendances / h.people:.1f} attendances each" if h.people and h.attendances is not None else "")
    return (f"In {h.period}{so_far}, {subject} reached {people} people through {count_in_words(h.attendances)} "
            f"attendances at {count_in_words(h.sessions)} sessions{per}.")


def change_sentence(h: Headline) -> str | None:
    """How many more or fewer people than in the whole period before (a count, not an estimate)."""
    if h.change is None:
        return None
    if h.change == "same":
        return f"That is the same number of people as in {h.previous} ({h.previous_people:,})."
    gap = abs(h.people - h.previous_people)
    return f"That is {gap:,} {h.change} {'person' if gap == 1 else 'people'} than in {h.previous} ({h.previous_people:,})."


def new_sentence(h: Headline, first_period: str) -> str | None:
    """New and returning people, or why they cannot be told apart in the first period."""
    if h.new_people is None or h.returning_people is None:
        return None
    if h.period == first_period:
        return (f"All {count_in_words(h.people)} count as new in {h.period}, the first period in the file: "
                "the file cannot show who came before it.")
    return (f"{count_in_words(h.new_people)} of them were new, and {count_in_words(h.returning_people)} "
            "had come before.")


def target_sentence(results: list[TargetResult], period: str) -> str | None:
    """The targets for the lead period: how many were met, with the figures."""
    mine = [r for r in results if r.period == period]
    if not mine:
        return None
    met = sum(r.status == "met" for r in mine)
    details = "; ".join(target_in_words(r) for r in mine)
    return f"Targets for {period}: {met} of {len(mine)} met ({details})."


def target_in_words(result: TargetResult) -> str:
    """One target as a plain line: "people: 1,021 of 1,000, met".

    Example:
        >>> target_in_words(TargetResult("people", "2025-26", 400, 412, "met"))
        'people: 412 of 400, met'
    """
    name = MEASURE_WORDS.get(result.measure, f"people using {result.measure}")
    actual = "no figure" if result.actual is None else f"{result.actual:,.0f}"
    return f"{name}: {actual} of {result.target:,.0f}, {STATUS_WORDS[result.status]}"


def contact_list_sentence(log: ActivityLog) -> str | None:
    if not log.one_row_each:
        return None
    return ("This file has one row for each person, so it looks like a list of people rather than a log of "
            "activity: each person's visits cannot be counted from it, only the people.")


def main_points(counts: PeriodCounts, log: ActivityLog, targets: list[TargetResult], who: str = "",
                compare_previous: bool = True) -> tuple[list[tuple[str, str]], list[str], list[Claim]]:
    """The Main points box (figures and sentences) and the claims behind it, from one :class:`Headline`."""
    h = headline(counts, log, compare_previous)
    so_far = "" if h.whole else " so far"
    figures = [(count_in_words(h.people), f"people reached in {h.period}{so_far}"),
               (count_in_words(h.attendances), f"attendances in {h.period}{so_far}")]
    if h.new_people is not None and h.period != log.periods[0]:
        figures.append((count_in_words(h.new_people), f"new people in {h.period}{so_far}"))
    claims = [Claim("people_reached", "counted", reach_sentence(h, who),
                    {"period": h.period, "people": h.people, "attendances": h.attendances, "sessions": h.sessions},
                    "People are distinct ids with at least one row in the period; attendances are rows.")]
    change = change_sentence(h)
    if change:
        claims.append(Claim("people_change", h.change, change,
                            {"period": h.period, "people": h.people, "previous": h.previous,
                             "previous_people": h.previous_people},
                            "Whole periods only; counts, not estimates, so any difference is stated."))
    new = new_sentence(h, log.periods[0])
    if new:
        claims.append(Claim("new_people", "first_period" if h.period == log.periods[0] else "counted", new,
                            {"new_people": h.new_people, "returning_people": h.returning_people},
                            "New: the person's first row in the whole file falls in this period."))
    target = target_sentence(targets, h.period)
    if target:
        mine = [r for r in targets if r.period == h.period]
        claims.append(Claim("targets", "all_met" if all(r.status == "met" for r in mine) else "not_all_met",
                            target, {"met": sum(r.status == "met" for r in mine), "targets": len(mine)},
                            "A target is met when the count is at least the target; a part period is 'so far'."))
    listing = contact_list_sentence(log)
    if listing:
        claims.append(Claim("contact_list", "contact_list", listing, {"one_row_each": True},
                            "At least 95% of people have exactly one row."))
    sentences = [claim.sentence for claim in claims]
    if h.latest_part:
        sentences.append(f"{h.latest_part} has only started in this file: its counts so far are in the tables "
                         "below, not compared with whole periods.")
    return figures, sentences, claims


def chart_words(counts: PeriodCounts, log: ActivityLog, compare_previous: bool = True) -> tuple[str, str]:
    """The people chart's title and alt text, from the same :class:`Headline` as the Main points."""
    h = headline(counts, log, compare_previous)
    title = f"{count_in_words(h.people)} people reached in {h.period}"
    if h.change in ("more", "fewer"):
        title += f", {abs(h.people - h.previous_people):,} {h.change} than in {h.previous}"
    elif h.change == "same":
        title += f", as many as in {h.previous}"
    totals = shown_totals(counts)
    bars = "; ".join(f"{p}: {count_in_words(totals.loc[p, 'people'])}{'' if log.whole[p] else ' (part of the period)'}"
                     for p in log.periods)
    return title, f"Bar chart of people reached in each period, split into new people and people who came back. {bars}."


def periods_table(counts: PeriodCounts, log: ActivityLog) -> pd.DataFrame:
    """Every period's counts as published (small numbers hidden)."""
    totals = shown_totals(counts)
    frame = pd.DataFrame({
        "Period": [p + ("" if log.whole[p] else " (part)") for p in log.periods],
        "People": [count_in_words(v) for v in totals["people"]],
        "Attendances": [f"{int(v):,}" for v in totals["attendances"]],
        "Sessions": [f"{int(v):,}" for v in totals["sessions"]],
        "New people": [count_in_words(v) for v in totals["new_people"]],
        "Came back": [count_in_words(v) for v in totals["returning_people"]],
        "Attendances per person": ["" if pd.isna(v) else f"{v:.1f}" for v in totals["attendances_per_person"]],
    })
    return frame


def shown_periods(log: ActivityLog, lead: str) -> list[str]:
    """The periods a breakdown shows: the whole period before the lead one, the lead one, and any later part.

    Example:
        >>> from types import SimpleNamespace
        >>> log = SimpleNamespace(periods=["2023-24", "2024-25", "2025-26", "2026-27"],
        ...                       whole={"2023-24": True, "2024-25": True, "2025-26": True, "2026-27": False})
        >>> shown_periods(log, "2025-26")
        ['2024-25', '2025-26', '2026-27']
    """
    at = log.periods.index(lead)
    before = [p for p in log.periods[:at] if log.whole[p]][-1:]
    return before + [lead] + [p for p in log.periods[at + 1:] if not log.whole[p]][-1:]


def breakdown_table(table: pd.DataFrame, periods: list[str], totals: pd.Series, label: str,
                    lead: str | None = None) -> pd.DataFrame:
    """A suppressed category x period table for the report: counts, then the lead period's share."""
    shown = suppress_table(table[periods], totals)
    frame = pd.DataFrame({label: shown.index})
    for period in periods:
        frame[period] = [count_in_words(v) for v in shown[period]]
    lead = lead or periods[-1]
    frame[f"Share in {lead}"] = [percent_shown(v, totals.get(lead)) or "" for v in shown[lead]]
    return frame


def not_recorded_sentence(counts: PeriodCounts, period: str, totals: pd.Series) -> str | None:
    """How many people's details were not recorded, per field, in the lead period."""
    parts = []
    for field, table in counts.demographics.items():
        if NOT_RECORDED in table.index:
            missing = suppress_column(table[period])[NOT_RECORDED]
            share = percent_shown(missing, totals.get(period))
            parts.append(f"{FIELD_NAMES[field].split(' (')[0].lower()} for {count_in_words(missing)} people"
                         + (f" ({share})" if share else ""))
    if not parts:
        return None
    return f"In {period}, the file did not record {list_in_words(parts)}. They are shown as 'Not recorded'."


def funder_paragraph(counts: PeriodCounts, log: ActivityLog, targets: list[TargetResult], who: str = "") -> str:
    """A paragraph to paste into a funder's form, from the same facts as the Main points."""
    h = headline(counts, log)
    start, end = log.spans[h.period]
    parts = [f"Between {_day(start)} and {_day(end)}",
             f"{who or 'we'} worked with {count_in_words(h.people)} people, through "
             f"{count_in_words(h.attendances)} attendances at {count_in_words(h.sessions)} sessions."]
    text = " ".join(parts[:1]) + ", " + parts[1]
    if h.new_people is not None and h.period != log.periods[0]:
        text += f" {count_in_words(h.new_people)} were new to us and {count_in_words(h.returning_people)} had come before."
    change = change_sentence(h)
    if change:
        text += " " + change
    target = target_sentence(targets, h.period)
    if target:
        text += " " + target
    text += " Counts are of people, not visits; groups of fewer than 5 people are not shown."
    return text


def caveats(log: ActivityLog) -> list[str]:
    """What this cannot tell you, from what the file holds."""
    lines = ["These are counts of who came and how often. They say nothing about what changed for people: "
             "for that, use before-and-after measures (the impact-measurement playbook).",
             "Demographics are only as good as what was recorded: a category may be under-counted if people "
             "in it were less often asked, or chose not to say."]
    if log.person_by == "name":
        lines.append("People were counted by name, as the file has no id: two people with the same name count as "
                     "one, and one person whose name was typed two ways counts as two.")
    lines.append(f"The first period in the file ({log.periods[0]}) counts everyone as new: the file cannot show "
                 "who came before it.")
    if any(not whole for whole in log.whole.values()):
        part = [p for p in log.periods if not log.whole[p]]
        lines.append(f"The file covers {list_in_words(part)} only in part, so those counts are not whole periods.")
    return lines


def next_steps(log: ActivityLog, targets: list[TargetResult]) -> list[str]:
    steps = []
    if log.person_by == "name":
        steps.append("Give each person an id in your register, and use it every time they come.")
    if not log.fields:
        steps.append("Record age band, gender, ethnicity and disability once per person (with 'Prefer not to say'), "
                     "as most funders ask for them.")
    if any(r.status == "not_met" for r in targets):
        steps.append("Talk to your funder early about any target not met, with the reasons and what you will change.")
    steps.append("Paste the paragraph above into your funder's form, and attach monitoring.xlsx for the tables.")
    steps.append("Keep people.csv with your own records only: it lists each person's id and visits.")
    return steps


def summary_figures(counts: PeriodCounts, log: ActivityLog, targets: list[TargetResult],
                    compare_previous: bool = True) -> dict:
    """``summary.json``'s keys (issue 25), small numbers hidden as ``null``, and the ``headline``
    the report leads with (the same :class:`Headline` as the Main points)."""
    totals = shown_totals(counts)
    h = headline(counts, log, compare_previous)

    def by_period(column: str) -> dict:
        return {p: _shown(totals.loc[p, column]) for p in log.periods}

    figures = {
        "periods": list(log.periods),
        "whole_periods": {p: bool(log.whole[p]) for p in log.periods},
        "people": by_period("people"),
        "attendances": by_period("attendances"),
        "sessions": by_period("sessions"),
        "new_people": by_period("new_people"),
        "returning_people": by_period("returning_people"),
        "by_service": {},
        "demographics": {},
        "targets": [{"measure": r.measure, "period": r.period, "target": r.target, "actual": r.actual,
                     "status": r.status} for r in targets],
        "headline": {key: value for key, value in {
            "people": h.people, "attendances": h.attendances, "sessions": h.sessions, "new_people": h.new_people,
        }.items() if value is not None},
        "headline_period": h.period,
        "counted_by": log.person_by,
        "one_row_per_person": bool(log.one_row_each),
    }
    if counts.by_service is not None:
        shown = suppress_table(counts.by_service, counts.totals["people"])
        figures["by_service"] = {service: {p: _shown(shown.loc[service, p]) for p in log.periods}
                                 for service in shown.index}
    for field, table in counts.demographics.items():
        shown = suppress_table(table, counts.totals["people"])
        figures["demographics"][field] = {p: {category: _shown(shown.loc[category, p]) for category in shown.index}
                                          for p in log.periods}
    return figures
