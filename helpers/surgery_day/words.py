"""The organiser's report, the charities' letters and the volunteers' briefs, in words.

Everything a charity or volunteer wrote is data: in Markdown it is escaped (no link, no markup), in
HTML it is escaped text. A letter carries only its own charity's details; a brief only its own sessions.
"""

from __future__ import annotations

import html
import re

from helpers.surgery_day.day import DayPlan
from helpers.surgery_day.triage import KINDS, NO_PLAYBOOK
from helpers.writing.claims import Claim
from helpers.writing.narrative import md_text

KIND_WORDS_IN_REPORT = {"capture": "data capture and frameworks", "crm": "a CRM or contact list",
                        "spreadsheets": "Excel and spreadsheets", "analysis": "data analysis",
                        "impact": "measuring impact and evaluation", "open-data": "using open data",
                        "other": "something else (a conversation)"}
#: What to bring, by playbook.
TO_BRING = {
    "health-check": "the spreadsheet you want checked, as you use it (CSV or Excel)",
    "deduplicate-contacts": "an export of your contact list or CRM (CSV or Excel), with its id column",
    "impact-measurement": "your before-and-after scores, one row per person or per form",
    "food-bank-demand": "your visit log or weekly counts, as far back as you have them",
    "who-we-reach": "a list of your clients' postcodes (names are not needed)",
    "our-year-in-numbers": "your register or activity log, and your grant's targets",
    "what-people-tell-us": "your feedback survey's export",
    None: "anything that shows the question: a screenshot, a sample sheet, or just the question itself",
}
DATA_HANDLING = ("Your file stays on the volunteer's laptop for the session only, in a session folder the kit "
                 "makes. Nothing is sent anywhere: the kit works offline. At the end, you take away the report and "
                 "files, and the volunteer closes the session, which deletes everything from the laptop.")
SPECIAL_NOTE = ("Your request mentions {words}. This is special category data under UK GDPR: please bring only "
                "what the question needs (ids rather than names where you can), check that your privacy notice "
                "covers this use, and tell the volunteer at the start.")


def safe_file_name(name: str, taken: set[str]) -> str:
    """A file name from a charity's or volunteer's name: ASCII letters, digits and hyphens, never a path.

    Example:
        >>> taken = set()
        >>> safe_file_name("Hackney Pantry", taken), safe_file_name("../../etc/passwd", taken), safe_file_name("Hackney Pantry", taken)
        ('hackney-pantry', 'etc-passwd', 'hackney-pantry-2')
    """
    import unicodedata

    plain = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii").lower()
    stem = "-".join(w for w in re.split(r"[^a-z0-9]+", plain) if w)[:60] or "unnamed"
    candidate, number = stem, 2
    while candidate in taken:
        candidate, number = f"{stem}-{number}", number + 1
    taken.add(candidate)
    return candidate


def session_rows(plan: DayPlan) -> list[dict]:
    """One row per session, for sessions.csv and the report."""
    return [{"organisation": plan.requests.loc[s.charity, "organisation"],
             "volunteer": plan.volunteers.loc[s.volunteer, "volunteer"],
             "room": f"Room {s.room}", "start": plan.slots[s.slot].start.strftime("%H:%M"),
             "end": plan.slots[s.slot].end.strftime("%H:%M"),
             "playbook": plan.triage[s.charity].playbook or NO_PLAYBOOK} for s in plan.sessions]


def main_points(plan: DayPlan) -> tuple[list[tuple[str, str]], list[str], list[Claim]]:
    """The organiser's Main points and their claims."""
    requests, matched = len(plan.requests), len(plan.sessions)
    unmatched = plan.unmatched()
    by_kind = {kind: sum(t.kind == kind for t in plan.triage) for kind in KINDS}
    commonest = max((k for k in by_kind if k != "other"), key=lambda k: by_kind[k])
    figures = [(f"{requests:,}", "requests"), (f"{matched:,}", "sessions planned"),
               (f"{len(unmatched):,}", "not matched yet")]
    claims = [
        Claim("matched", "matched", f"{matched} of {requests} charities have a session with a volunteer, in "
              f"{plan.rooms} rooms from {plan.slots[0].start:%H:%M} to {plan.slots[-1].end:%H:%M}.",
              {"requests": requests, "matched": matched, "rooms": plan.rooms, "slots": len(plan.slots)},
              "An integer programme: most charities matched, then the best skill fit, then the earliest slots."),
        Claim("commonest_kind", "counted", f"The commonest need is {KIND_WORDS_IN_REPORT[commonest]} "
              f"({by_kind[commonest]} requests).", {"kind": commonest, "requests": by_kind[commonest]},
              "Each request sorted by the words it uses (the triage table)."),
    ]
    if unmatched:
        claims.append(Claim("unmatched", "unmatched", f"{len(unmatched)} could not be matched on the day: they are "
                            "listed below with the reason, to offer another date.", {"unmatched": len(unmatched)},
                            "A charity is unmatched when no free volunteer and room shares its times."))
    special = sum(bool(t.special_category) for t in plan.triage)
    if special:
        claims.append(Claim("special_category", "flagged", f"{special} requests mention special category data "
                            "(such as health or ethnicity): their letters carry a data-protection note.",
                            {"requests": special}, "A request using any word of the special-category list."))
    return figures, [c.sentence for c in claims], claims


def letter_markdown(plan: DayPlan, charity: int, venue: str = "") -> str:
    """One charity's letter: when, where, what to bring, how its data is handled (its own details only)."""
    request = plan.requests.loc[charity]
    triage = plan.triage[charity]
    session = next((s for s in plan.sessions if s.charity == charity), None)
    lines = [f"# Your data surgery session: {md_text(request['organisation'])}", ""]
    if session is None:
        lines.append("We could not fit you in on this day, and we are sorry. We will offer you another date.")
    else:
        slot = plan.slots[session.slot]
        lines.append(f"**When:** {slot.start:%H:%M} to {slot.end:%H:%M}, Room {session.room}"
                     + (f", {md_text(venue)}" if venue else "") + ".")
        lines.append("")
        lines.append("A data volunteer will meet you there, one to one.")
    lines += ["", f"**What your request is about:** {KIND_WORDS_IN_REPORT[triage.kind]}.", "",
              f"**What to bring:** {TO_BRING.get(triage.playbook, TO_BRING[None])}.", "",
              f"**How your data is handled:** {DATA_HANDLING}"]
    if triage.special_category:
        lines += ["", "**Data protection:** " + SPECIAL_NOTE.format(words=", ".join(triage.special_category))]
    return "\n".join(lines) + "\n"


def letter_html(markdown: str) -> str:
    """A letter as a small HTML page (the Markdown already escaped: the charity's words stay text)."""
    from helpers.writing.narrative import markdown_html

    return ("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Your data surgery session"
            "</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;line-height:1.5;"
            "padding:0 1rem}</style></head><body>" + markdown_html(markdown) + "</body></html>\n")


def brief_markdown(plan: DayPlan, volunteer: int) -> str:
    """One volunteer's brief: each of their sessions, the request in the charity's own words, the playbook."""
    name = plan.volunteers.loc[volunteer, "volunteer"]
    mine = [s for s in plan.sessions if s.volunteer == volunteer]
    lines = [f"# Your data surgery sessions: {md_text(name)}", ""]
    if not mine:
        lines.append("No session is planned for you this time: thank you for offering. We may call on you if a "
                     "charity's time changes.")
    for session in mine:
        request, triage = plan.requests.loc[session.charity], plan.triage[session.charity]
        slot = plan.slots[session.slot]
        playbook = triage.playbook
        lines += [f"## {slot.start:%H:%M} to {slot.end:%H:%M}, Room {session.room}: {md_text(request['organisation'])}", "",
                  f"**Their request, in their words:** {md_text(request['challenge'])}", "",
                  f"**Tools they use:** {md_text(request['tools']) or 'not said'}. "
                  f"**What they will bring:** {md_text(request['data']) or 'not said'}.", "",
                  (f"**Suggested playbook:** {playbook}. Before the day, read `surgery describe {playbook}` for its "
                   "parameters and run it on its sample data." if playbook else
                   "**Suggested playbook:** none fits yet: this is a conversation. Listen first, then point them "
                   "to the nearest playbook or to help elsewhere."), "",
                  f"**Why this kind:** the request uses the words {', '.join(triage.words) or '(none of the table)'}.", ""]
        if triage.special_category:
            lines += [f"**Data protection:** the request mentions {', '.join(triage.special_category)}: open the "
                      "file in a session folder only, and close the session at the end.", ""]
    return "\n".join(lines) + "\n"
