"""Files for the organiser: triage.csv, sessions.csv, day_plan.xlsx, a letter per charity, a brief per volunteer;
after the day, follow_ups.csv and the survey playbook's comments.xlsx and ratings.xlsx."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.surgery_day.day import SKILL_WORDS, DayPlan
from helpers.surgery_day.triage import KINDS, NO_PLAYBOOK, words_found
from helpers.surgery_day.words import brief_markdown, letter_html, letter_markdown, safe_file_name, session_rows
from helpers.writing.workbooks import write_csv, write_frames


def triage_table(plan: DayPlan) -> pd.DataFrame:
    """One row per request: organisation, kind, playbook and the words that decided it."""
    return pd.DataFrame({
        "organisation": plan.requests["organisation"],
        "kind": [t.kind for t in plan.triage],
        "playbook": [t.playbook or NO_PLAYBOOK for t in plan.triage],
        "words": ["; ".join(t.words) for t in plan.triage],
        "special category data": ["; ".join(t.special_category) for t in plan.triage],
    })


def match_reason(plan: DayPlan, session) -> str:
    """Why this volunteer: the skills that fit the kind, and the shared time."""
    kind = plan.triage[session.charity].kind
    skills = words_found(plan.volunteers.loc[session.volunteer, "skills"], SKILL_WORDS.get(kind, ()))
    fit = f"skills that fit: {', '.join(skills)}" if skills else "no skill named for this kind: general data help"
    return f"{fit}; both free {plan.slots[session.slot].label}"


def timetable(plan: DayPlan, names: bool = True) -> pd.DataFrame:
    """Slots down, rooms across: who meets whom where.

    Args:
        names: Volunteers by name (the organiser's workbook), or by their number in the sign-up list
            (the report, which may be shared: a volunteer is a person).
    """
    grid = pd.DataFrame("", index=[s.label for s in plan.slots], columns=[f"Room {r + 1}" for r in range(plan.rooms)])
    for s in plan.sessions:
        who = plan.volunteers.loc[s.volunteer, "volunteer"] if names else f"volunteer {s.volunteer + 1}"
        grid.loc[plan.slots[s.slot].label, f"Room {s.room}"] = f"{plan.requests.loc[s.charity, 'organisation']} with {who}"
    return grid.rename_axis("Time").reset_index()


def sessions_table(plan: DayPlan) -> pd.DataFrame:
    """sessions.csv: one row per session (its columns even when no session could be planned)."""
    return pd.DataFrame(session_rows(plan), columns=["organisation", "volunteer", "room", "start", "end", "playbook"])


def write_day_files(folder: Path, plan: DayPlan, venue: str = "") -> dict[str, int]:
    """Write every file; returns how many letters and briefs were written."""
    folder = Path(folder)
    write_csv(triage_table(plan), folder / "triage.csv")
    sessions = sessions_table(plan)
    write_csv(sessions, folder / "sessions.csv")
    matches = sessions.assign(reason=[match_reason(plan, s) for s in plan.sessions])
    unmatched = pd.DataFrame([{"organisation": plan.requests.loc[c, "organisation"], "reason": reason}
                              for c, reason in plan.unmatched()], columns=["organisation", "reason"])
    write_frames(folder / "day_plan.xlsx", {"Timetable": timetable(plan), "Matches": matches,
                                            "Not matched": unmatched, "Triage": triage_table(plan)})
    letters, briefs = folder / "letters", folder / "briefs"
    letters.mkdir(exist_ok=True)
    briefs.mkdir(exist_ok=True)
    taken: set[str] = set()
    for charity in range(len(plan.requests)):
        stem = safe_file_name(plan.requests.loc[charity, "organisation"], taken)
        markdown = letter_markdown(plan, charity, venue)
        (letters / f"{stem}.md").write_text(markdown, encoding="utf-8")
        (letters / f"{stem}.html").write_text(letter_html(markdown), encoding="utf-8")
    taken = set()
    for volunteer in range(len(plan.volunteers)):
        stem = safe_file_name(plan.volunteers.loc[volunteer, "volunteer"], taken)
        (briefs / f"{stem}.md").write_text(brief_markdown(plan, volunteer), encoding="utf-8")
    return {"letters": len(plan.requests), "briefs": len(plan.volunteers)}


def summary_figures(plan: DayPlan) -> dict:
    """summary.json's keys (issue 27): requests, by_kind, matched, unmatched, sessions."""
    return {
        "requests": len(plan.requests),
        "by_kind": {kind: sum(t.kind == kind for t in plan.triage) for kind in KINDS},
        "matched": len(plan.sessions),
        "unmatched": len(plan.unmatched()),
        "sessions": len(plan.sessions),
        "rooms": plan.rooms,
        "slots": [s.label for s in plan.slots],
    }


def write_programme_files(folder: Path, programme) -> list[str]:
    """After the day: ``follow_ups.csv`` (every next step and follow-up promised, redacted, with the volunteer to
    keep it), and, with the survey playbook's writers, ``comments.xlsx`` and ``ratings.xlsx``. Returns the names."""
    from helpers.survey import write_comments, write_ratings

    folder = Path(folder)
    write_csv(programme.follow_ups, folder / "follow_ups.csv")
    written = ["follow_ups.csv"]
    heard = programme.heard
    if heard is not None and heard.comments is not None and len(heard.comments.table):
        written.append(write_comments(folder, heard.comments).name)
    if heard is not None and heard.results:
        written.append(write_ratings(folder, heard.results).name)
    return written


def programme_figures(programme) -> dict:
    """summary.json's keys after the day: charities_helped, by_kind, playbooks_used, feedback_responses,
    ratings (share positive with its 95% interval), follow_ups, not_in_requests."""
    from helpers.surgery_day.words import helped_by_kind

    heard = programme.heard
    comments = heard.comments if heard is not None else None
    return {
        "requests": programme.requests,
        "charities_helped": len(programme.helped),
        "sessions_held": int(programme.helped["session"].sum()),
        "by_kind": helped_by_kind(programme),
        "playbooks_used": {str(k): int(v) for k, v in programme.helped["playbook"].value_counts().items()},
        "feedback_responses": len(programme.responses),
        "charities_answered": int(programme.helped["answered"].sum()),
        "ratings": {r.header: {"n": r.n, "positive": r.positive, "share_positive": r.share_positive,
                               "interval": list(r.interval) if r.n else None, "median": r.median,
                               "scale": list(r.scale.points)} for r in (heard.results if heard else [])},
        "follow_ups": programme.promised,
        "not_in_requests": len(programme.not_in_requests),
        "comments": 0 if comments is None else len(comments.table),
        "redacted": 0 if comments is None else comments.redacted,
        "themes": [] if comments is None else [{"name": row["name"], "count": row["count"]}
                                               for row in comments.theme_rows()],
    }
