"""The organiser's two lists read and matched: requests from charities, sign-ups from volunteers.

The kit ships the two forms (``datasets/surgery-forms/``), so the exports arrive with headers it knows;
other spellings are found by the words in :data:`REQUEST_HEADERS` and :data:`VOLUNTEER_HEADERS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.errors import InputProblem
from helpers.surgery_day.schedule import Session, available_slots, day_slots, plan_sessions
from helpers.surgery_day.triage import KIND_WORDS, Triage, triage_request, words_found
from helpers.reading.roles import fold_header

#: Column -> header words that find it (compared lower-case, punctuation ignored; first match wins).
REQUEST_HEADERS = {
    "organisation": ("organisation", "organization", "charity", "organisation name", "group", "name of organisation"),
    "contact": ("contact", "contact name", "your name", "name"),
    "email": ("email", "contact email", "email address"),
    "challenge": ("challenge", "describe your data challenge", "describe your challenge", "description", "what do you need help with", "request",
                  "your data challenge", "what would you like help with"),
    "tools": ("tools", "what tools do you use", "software", "systems"),
    "data": ("data", "what data could you bring", "data you could bring", "data to bring"),
    "sensitivity": ("sensitivity", "does it contain personal data", "personal data", "sensitive data"),
    "availability": ("availability", "times you can attend", "when can you come", "available", "times"),
}
VOLUNTEER_HEADERS = {
    "volunteer": ("name", "volunteer", "your name", "full name"),
    "email": ("email", "email address"),
    "skills": ("skills", "your skills", "what can you help with", "expertise", "tools you know"),
    "availability": ("availability", "times you can attend", "when can you come", "available", "times"),
}
#: Words in a volunteer's skills that fit each kind of request.
SKILL_WORDS = {
    "crm": ("crm", "salesforce", "database", "databases", "sql", "dedupe", "deduplication", "record linkage",
            "beacon", "civicrm", "data quality"),
    "impact": ("evaluation", "impact", "outcomes", "survey", "surveys", "social research", "statistics"),
    "open-data": ("gis", "mapping", "maps", "open data", "census", "geography", "qgis"),
    "analysis": ("analysis", "python", "r", "statistics", "forecasting", "power bi", "tableau", "dashboards",
                 "data science"),
    "spreadsheets": ("excel", "spreadsheets", "google sheets", "pivot tables", "vlookup", "data cleaning"),
    "capture": ("forms", "data capture", "data protection", "gdpr", "microsoft forms", "survey design",
                "information governance"),
}


def find_columns(frame: pd.DataFrame, headers: dict, required: tuple[str, ...], what: str) -> dict[str, str | None]:
    """Each role's column, by header words; a required one missing stops with the columns listed."""
    by_fold = {fold_header(c): c for c in frame.columns}
    found, taken = {}, set()
    for role, spellings in headers.items():
        column = next((by_fold[s] for s in spellings if s in by_fold and by_fold[s] not in taken), None)
        if column is None:  # a header that starts with one of the words ("Organisation name (legal)")
            column = next((c for f, c in by_fold.items() for s in spellings
                           if c not in taken and f.startswith(s + " ")), None)
        found[role] = column
        if column is not None:
            taken.add(column)
    for role in required:
        if found[role] is None:
            raise InputProblem(f"The {what} has no column for the {role} (a header such as '{headers[role][0].title()}'). "
                               f"Its columns are: {', '.join(map(str, frame.columns))}.")
    return found


def skill_fit(skills: str, kind: str) -> float:
    """How well a volunteer's skills fit a kind of request: the number of its skill words they name.

    Example:
        >>> skill_fit("Excel, Power BI, Salesforce admin", "crm"), skill_fit("Excel", "open-data")
        (1.0, 0.0)
    """
    return float(len(words_found(skills, SKILL_WORDS.get(kind, ()))))


@dataclass
class DayPlan:
    """The day, planned: requests with their triage, volunteers, slots and sessions."""

    requests: pd.DataFrame
    volunteers: pd.DataFrame
    triage: list[Triage]
    slots: list
    rooms: int
    sessions: list[Session]
    charity_slots: list[list[int]]
    volunteer_slots: list[list[int]]
    fit: np.ndarray
    notes: list[str] = field(default_factory=list)

    def unmatched(self) -> list[tuple[int, str]]:
        """Each charity without a session, with the reason in words."""
        matched = {s.charity for s in self.sessions}
        reasons = []
        for c in range(len(self.requests)):
            if c in matched:
                continue
            if not self.charity_slots[c]:
                reason = "the times it gave are outside the day"
            elif not any(set(self.charity_slots[c]) & set(v) for v in self.volunteer_slots):
                reason = "no volunteer is free at the times it can come"
            elif all(sum(1 for s in self.sessions if s.slot == slot) >= self.rooms for slot in self.charity_slots[c]):
                reason = "every room is taken at the times it can come"
            else:
                reason = "the volunteers free at the times it can come are all booked"
            reasons.append((c, reason))
        return reasons


def read_requests(requests: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str | None]]:
    """The request form's export with its columns named by role, rows without an organisation left out."""
    request_columns = find_columns(requests, REQUEST_HEADERS, ("organisation", "challenge"), "requests file")
    req = pd.DataFrame({role: requests[column].astype("string").fillna("") if column else ""
                        for role, column in request_columns.items()}).reset_index(drop=True)
    req = req[req["organisation"].str.strip() != ""].reset_index(drop=True)
    if req.empty:
        raise InputProblem(f"The requests file has no organisation in its '{request_columns['organisation']}' "
                           "column: it needs at least one request.")
    return req, request_columns


def triage_requests(req: pd.DataFrame, kind_words=KIND_WORDS, playbooks=()) -> list[Triage]:
    """Each request's kind and playbook, from its challenge, tools and data read together."""
    return [triage_request(" ".join([r.challenge, r.tools, r.data]), kind_words, playbooks)
            for r in req.itertuples(index=False)]


def plan_day(requests: pd.DataFrame, volunteers: pd.DataFrame, rooms: int = 4, slot_minutes: int = 60,
             start: str = "10:00", end: str = "16:00", kind_words=KIND_WORDS, playbooks=()) -> DayPlan:
    """Triage every request, then match and schedule (see :mod:`helpers.surgery_day.schedule`)."""
    req, request_columns = read_requests(requests)
    volunteer_columns = find_columns(volunteers, VOLUNTEER_HEADERS, ("volunteer", "skills"), "volunteers file")
    vol = pd.DataFrame({role: volunteers[column].astype("string").fillna("") if column else ""
                        for role, column in volunteer_columns.items()}).reset_index(drop=True)
    vol = vol[vol["volunteer"].str.strip() != ""].reset_index(drop=True)
    if vol.empty:
        raise InputProblem("The volunteers file needs at least one volunteer (a name in its name column).")
    triage = triage_requests(req, kind_words, playbooks)
    slots = day_slots(start, end, slot_minutes)
    charity_slots = [available_slots(text, slots) for text in req["availability"]]
    volunteer_slots = [available_slots(text, slots) for text in vol["availability"]]
    fit = np.array([[skill_fit(skills, t.kind) for skills in vol["skills"]] for t in triage])
    sessions = plan_sessions(fit, charity_slots, volunteer_slots, int(rooms))
    notes = [f"Requests: organisation from '{request_columns['organisation']}', request from "
             f"'{request_columns['challenge']}'; volunteers: name from '{volunteer_columns['volunteer']}', skills from "
             f"'{volunteer_columns['skills']}'."]
    return DayPlan(req, vol, triage, slots, int(rooms), sessions, charity_slots, volunteer_slots, fit, notes)
