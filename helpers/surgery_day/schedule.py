"""The day's timetable: each charity matched to a volunteer, a room and a slot, as one integer programme.

The day is cut into slots (``start`` to ``end``, ``slot_minutes`` each) in ``rooms`` rooms. A session
is a charity, a volunteer and a slot both can attend; the programme (scipy's ``milp``, HiGHS) chooses
the sessions that

- meet every rule: at most one session per charity, one per volunteer per slot, ``rooms`` per slot, and
  never outside a party's stated times;
- then match as many charities as can be matched, then the best skill fit, then the earliest slots;
- break ties by the order of the two lists (first come, first served), so the plan is the same every run.

Rooms are then given out within each slot in volunteer order. Whoever could not be matched is listed
with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from helpers.errors import InputProblem

#: A part of the day in words, as forms offer it.
DAY_PARTS = {"morning": (dt.time(0, 0), dt.time(12, 30)), "afternoon": (dt.time(12, 0), dt.time(23, 59)),
             "lunchtime": (dt.time(11, 30), dt.time(14, 30)), "all day": (dt.time(0, 0), dt.time(23, 59)),
             "any time": (dt.time(0, 0), dt.time(23, 59)), "anytime": (dt.time(0, 0), dt.time(23, 59)),
             "any": (dt.time(0, 0), dt.time(23, 59)), "flexible": (dt.time(0, 0), dt.time(23, 59))}
_RANGE = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*(?:-|–|to|until)\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?", re.I)
#: Matched charities count for this much more than any skill fit: matching someone comes first.
MATCH_WEIGHT = 1000.0


@dataclass(frozen=True)
class Slot:
    """One time slot of the day."""

    start: dt.time
    end: dt.time

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def read_time(text: str, parameter: str) -> dt.time:
    """A time of day from ``10:00``, ``10.00``, ``10am`` or ``16``.

    Example:
        >>> read_time("9.30", "start"), read_time("4pm", "end")
        (datetime.time(9, 30), datetime.time(16, 0))
    """
    found = re.fullmatch(r"\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*", str(text), re.I)
    if not found:
        raise InputProblem(f"{parameter} is '{text}', which is not a time. Write it as 10:00 or 4pm, for example "
                           f"-p {parameter} 10:00")
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    if found.group(3) and found.group(3).lower() == "pm" and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        raise InputProblem(f"{parameter} is '{text}', which is not a time of day.")
    return dt.time(hour, minute)


def day_slots(start: str, end: str, slot_minutes: int) -> list[Slot]:
    """The day's slots, back to back from ``start``; a part slot at the end is left out.

    Example:
        >>> [s.label for s in day_slots("10:00", "12:30", 60)]
        ['10:00-11:00', '11:00-12:00']
    """
    begin, finish = read_time(start, "start"), read_time(end, "end")
    if not 15 <= int(slot_minutes) <= 240:
        raise InputProblem(f"slot_minutes is {slot_minutes}: a session slot should be from 15 to 240 minutes.")
    today = dt.date(2000, 1, 1)
    at, stop = dt.datetime.combine(today, begin), dt.datetime.combine(today, finish)
    slots = []
    while at + dt.timedelta(minutes=int(slot_minutes)) <= stop:
        after = at + dt.timedelta(minutes=int(slot_minutes))
        slots.append(Slot(at.time(), after.time()))
        at = after
    if not slots:
        raise InputProblem(f"From {start} to {end} there is no room for a {slot_minutes}-minute slot: check start, "
                           "end and slot_minutes.")
    return slots


def available_slots(text: str, slots: list[Slot]) -> list[int]:
    """Which slots a party can attend, from what they wrote ("morning", "10:00-12:00", "any time").

    Blank means any time (the form did not ask, or they did not mind). Each slot must lie wholly
    inside one of the times given.

    Example:
        >>> slots = day_slots("10:00", "16:00", 60)
        >>> available_slots("morning", slots), available_slots("2pm to 4pm", slots)
        ([0, 1], [4, 5])
        >>> available_slots("", slots) == list(range(6))
        True
    """
    text = str(text or "").strip().lower()
    if not text or text in ("nan", "none"):
        return list(range(len(slots)))
    windows = []
    for found in _RANGE.finditer(text):
        first = read_time(f"{found.group(1)}:{found.group(2) or '00'}{found.group(3) or ''}", "availability")
        last_suffix = found.group(6) or (found.group(3) if not found.group(6) else "")
        last = read_time(f"{found.group(4)}:{found.group(5) or '00'}{last_suffix or ''}", "availability")
        if last <= first and not found.group(6) and last.hour < 12:
            last = dt.time(last.hour + 12, last.minute)  # "1 - 3" after a morning start means 1pm to 3pm
        windows.append((first, last))
    for part, window in DAY_PARTS.items():
        if re.search(rf"\b{part}\b", text):
            windows.append(window)
    return [index for index, slot in enumerate(slots)
            if any(first <= slot.start and slot.end <= last for first, last in windows)]


@dataclass(frozen=True)
class Session:
    """One session of the day."""

    charity: int
    volunteer: int
    slot: int
    room: int


def plan_sessions(fit: np.ndarray, charity_slots: list[list[int]], volunteer_slots: list[list[int]],
                  rooms: int) -> list[Session]:
    """Choose the sessions (see the module docstring for the rules and the order of aims).

    Args:
        fit: Charity x volunteer skill fit (0 or more; higher is better).
        charity_slots: The slots each charity can attend.
        volunteer_slots: The slots each volunteer can attend.
        rooms: Rooms in use at once.

    Returns:
        The sessions, by slot and room.

    Example:
        >>> plan_sessions(np.array([[2.0, 0.0], [0.0, 1.0]]), [[0], [0, 1]], [[0, 1], [0]], rooms=1)
        [Session(charity=0, volunteer=0, slot=0, room=1), Session(charity=1, volunteer=0, slot=1, room=1)]
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    if rooms < 1:
        raise InputProblem("rooms is less than 1: the day needs at least one room.")
    triples = [(c, v, s) for c in range(fit.shape[0]) for v in range(fit.shape[1])
               for s in sorted(set(charity_slots[c]) & set(volunteer_slots[v]))]
    if not triples:
        return []
    n_slots = 1 + max(s for _, _, s in triples)
    # Aims, in order: match (1000 each), then fit, then earlier slots and earlier list order (tiny).
    order = np.array([MATCH_WEIGHT + 10.0 * fit[c, v] - 0.01 * s - 1e-4 * v - 1e-6 * c for c, v, s in triples])
    rows, upper = [], []
    for c in range(fit.shape[0]):
        rows.append([1.0 if t[0] == c else 0.0 for t in triples]); upper.append(1)
    for v in range(fit.shape[1]):
        for s in range(n_slots):
            row = [1.0 if (t[1] == v and t[2] == s) else 0.0 for t in triples]
            if any(row):
                rows.append(row); upper.append(1)
    for s in range(n_slots):
        row = [1.0 if t[2] == s else 0.0 for t in triples]
        if any(row):
            rows.append(row); upper.append(rooms)
    result = milp(-order, constraints=LinearConstraint(np.array(rows), -np.inf, np.array(upper)),
                  integrality=np.ones(len(triples)), bounds=Bounds(0, 1))
    if result.x is None:
        raise RuntimeError(f"The timetable could not be solved: {result.message}")
    chosen = sorted((triples[i] for i in np.flatnonzero(result.x > 0.5)), key=lambda t: (t[2], t[1], t[0]))
    sessions, used = [], {}
    for c, v, s in chosen:
        used[s] = used.get(s, 0) + 1
        sessions.append(Session(c, v, s, used[s]))
    return sessions


def check_sessions(sessions: list[Session], charity_slots, volunteer_slots, rooms: int) -> list[str]:
    """Every rule a timetable must keep, checked on its own (the tests and the notebook both call it).

    Returns:
        What is wrong, in words; empty when the timetable keeps every rule.
    """
    problems = []
    seen_charity, seen_volunteer, seen_room = set(), set(), set()
    for session in sessions:
        if session.charity in seen_charity:
            problems.append(f"charity {session.charity} has two sessions")
        if (session.volunteer, session.slot) in seen_volunteer:
            problems.append(f"volunteer {session.volunteer} is double-booked in slot {session.slot}")
        if (session.room, session.slot) in seen_room or not 1 <= session.room <= rooms:
            problems.append(f"room {session.room} is double-booked or not a room in slot {session.slot}")
        if session.slot not in charity_slots[session.charity]:
            problems.append(f"charity {session.charity} cannot come in slot {session.slot}")
        if session.slot not in volunteer_slots[session.volunteer]:
            problems.append(f"volunteer {session.volunteer} is not free in slot {session.slot}")
        seen_charity.add(session.charity)
        seen_volunteer.add((session.volunteer, session.slot))
        seen_room.add((session.room, session.slot))
    return problems
