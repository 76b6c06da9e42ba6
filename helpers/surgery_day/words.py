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


def commonest_kind(plan: DayPlan) -> tuple[str, int]:
    """The kind of help most requests need (not 'other'; ties to the kind listed first) and how many."""
    by_kind = {kind: sum(t.kind == kind for t in plan.triage) for kind in KINDS if kind != "other"}
    kind = max(by_kind, key=lambda k: by_kind[k])
    return kind, by_kind[kind]


def _requests(count: int) -> str:
    """ "1 request", "5 requests".

    Example:
        >>> _requests(1), _requests(5)
        ('1 request', '5 requests')
    """
    return f"{count} request" if count == 1 else f"{count} requests"


def _charities(count: int) -> str:
    return "1 charity" if count == 1 else f"{count} charities"


def main_points(plan: DayPlan) -> tuple[list[tuple[str, str]], list[str], list[Claim]]:
    """The organiser's Main points and their claims."""
    requests, matched = len(plan.requests), len(plan.sessions)
    unmatched = plan.unmatched()
    commonest, commonest_count = commonest_kind(plan)
    figures = [(f"{requests:,}", "requests"), (f"{matched:,}", "sessions planned"),
               (f"{len(unmatched):,}", "not matched yet")]
    claims = [
        Claim("matched", "matched", f"{matched} of {requests} charities have a session with a volunteer, in "
              f"{plan.rooms} rooms from {plan.slots[0].start:%H:%M} to {plan.slots[-1].end:%H:%M}.",
              {"requests": requests, "matched": matched, "rooms": plan.rooms, "slots": len(plan.slots)},
              "An integer programme: most charities matched, then the best skill fit, then the earliest slots."),
        Claim("commonest_kind", "counted", f"The commonest need is {KIND_WORDS_IN_REPORT[commonest]} "
              f"({_requests(commonest_count)}).", {"kind": commonest, "requests": commonest_count},
              "Each request sorted by the words it uses (the triage table)."),
    ]
    if unmatched:
        them = "it is" if len(unmatched) == 1 else "they are"
        claims.append(Claim("unmatched", "unmatched", f"{_charities(len(unmatched))} could not be matched on the day: "
                            f"{them} listed below with the reason, to offer another date.", {"unmatched": len(unmatched)},
                            "A charity is unmatched when no free volunteer and room shares its times."))
    special = sum(bool(t.special_category) for t in plan.triage)
    if special:
        verb, whose = ("mentions", "its letter carries") if special == 1 else ("mention", "their letters carry")
        claims.append(Claim("special_category", "flagged", f"{_requests(special)} {verb} special category data "
                            f"(such as health or ethnicity): {whose} a data-protection note.",
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


# After the day: the programme report (helpers.surgery_day.feedback). The ratings' sentences are the
# survey playbook's own (helpers.survey.words), so a share positive reads the same in both reports.

#: The kind of a charity the requests do not hold, in the report.
UNKNOWN_KIND_IN_REPORT = "not in the requests (kind not known)"
FEWEST_FOR_QUOTES = 5  # the survey's rule (helpers.survey.comments.FEWEST_TO_QUOTE), stated for the reader


def kind_in_words(kind: str) -> str:
    """A kind of help as the programme report writes it (``unknown`` too).

    Example:
        >>> kind_in_words("crm"), kind_in_words("unknown")
        ('a CRM or contact list', 'not in the requests (kind not known)')
    """
    return KIND_WORDS_IN_REPORT.get(kind, UNKNOWN_KIND_IN_REPORT)


def helped_by_kind(programme) -> dict[str, int]:
    """Charities helped by kind, in the triage's order, ``unknown`` last; kinds with none left out."""
    from helpers.surgery_day.feedback import UNKNOWN_KIND

    counts = programme.helped["kind"].value_counts()
    return {kind: int(counts[kind]) for kind in (*KINDS, UNKNOWN_KIND) if kind in counts}


def commonest_helped_kinds(programme) -> tuple[list[str], int]:
    """The kinds of challenge most charities helped came with (not 'other' or unknown), every kind on a tie, in
    the triage's order, and how many each; ``([], 0)`` when no charity helped had a known kind.

    Example:
        >>> import pandas as pd
        >>> from types import SimpleNamespace
        >>> commonest_helped_kinds(SimpleNamespace(helped=pd.DataFrame({"kind": ["crm", "impact", "impact", "other"]})))
        (['impact'], 2)
        >>> commonest_helped_kinds(SimpleNamespace(helped=pd.DataFrame({"kind": ["impact", "crm", "unknown"]})))
        (['crm', 'impact'], 1)
    """
    counts = helped_by_kind(programme)
    known = {kind: n for kind, n in counts.items() if kind in KINDS and kind != "other"}
    if not known:
        return [], 0
    most = max(known.values())
    return [kind for kind, n in known.items() if n == most], most


def _kinds_in_words(kinds: list[str]) -> str:
    from helpers.writing.narrative import list_in_words

    return list_in_words([kind_in_words(k) for k in kinds], limit=len(kinds))


def programme_points(programme) -> tuple[list[tuple[str, str]], list[str], list[Claim]]:
    """The programme report's Main points and their claims, from one :class:`~helpers.surgery_day.feedback.Programme`."""
    from helpers.survey.words import rating_figure_and_claims, redacted_sentence, theme_sentence

    helped = len(programme.helped)
    held = int(programme.helped["session"].sum())
    answered = int(programme.helped["answered"].sum())
    responses = len(programme.responses)
    figures = [(f"{helped:,}", "charities helped"), (f"{responses:,}", "feedback responses")]
    came_anyway = helped - held
    claims = [Claim("helped", "counted", f"{_charities(helped).capitalize()} were helped: {held:,} in the sessions "
                    "held" + (f" and {came_anyway:,} that answered the feedback form without a session in the "
                              "sessions list" if came_anyway else "") + ".",
                    {"charities_helped": helped, "sessions_held": held},
                    "A charity is helped when it had a session held or answered the feedback form; names are "
                    "matched with case, spaces, punctuation and accents ignored.")]
    kinds, count = commonest_helped_kinds(programme)
    if kinds:
        if len(kinds) == 1:
            sentence = f"The commonest challenge they came with was {kind_in_words(kinds[0])} ({_charities(count)})."
        elif len(kinds) == 2:
            sentence = f"The commonest challenges they came with were {_kinds_in_words(kinds)} ({_charities(count)} each)."
        else:  # a tie of three or more names nothing: say so
            sentence = (f"No one challenge was the commonest: {len(kinds)} kinds of challenge had "
                        f"{_charities(count)} each.")
        claims.append(Claim("commonest_kind", "counted", sentence, {"kinds": kinds, "charities": count},
                            "Each charity's kind is its request's triage (the planning report's table); a tie names "
                            "every kind in it."))
    claims.append(Claim("responses", "counted", f"{answered:,} of the {_charities(helped)} helped answered the "
                        f"feedback form ({responses:,} {'response' if responses == 1 else 'responses'}).",
                        {"charities_answered": answered, "feedback_responses": responses},
                        "Each row of the feedback export is one response; a charity may answer more than once."))
    heard = programme.heard
    lead_figure, question_claims = rating_figure_and_claims([r for r in heard.results if r.n] if heard else [])
    figures.extend([lead_figure] if lead_figure else [])
    claims.extend(question_claims)
    promised = programme.promised
    if promised is not None:
        figures.append((f"{promised:,}", "follow-ups promised"))
        claims.append(Claim("follow_ups", "counted", f"{promised:,} {'follow-up was' if promised == 1 else 'follow-ups were'} "
                            "promised after the sessions: each is in follow_ups.csv, to be kept.",
                            {"follow_ups": promised}, "A response with an answer to the follow-up question."))
    if programme.not_in_requests:
        count = len(programme.not_in_requests)
        claims.append(Claim("not_in_requests", "counted", f"{count:,} {'organisation' if count == 1 else 'organisations'} "
                            "in the feedback did not send a request: counted as helped, kind not known.",
                            {"not_in_requests": count}, "An organisation name not found among the requests, tidied."))
    if heard is not None and heard.comments is not None and len(heard.comments.table):
        sentence = theme_sentence(heard.comments)
        if sentence:
            claims.append(Claim("themes", heard.comments.themes.method, sentence,
                                {"comments": len(heard.comments.table), "themes": len(heard.comments.themes.names)},
                                "The survey playbook's themes (TF-IDF and NMF, or the organiser's keywords)."))
        claims.append(Claim("redacted", "counted", redacted_sentence(heard.comments),
                            {"redacted": heard.comments.redacted},
                            "Names (the volunteers' and contacts' too), emails, phones, postcodes, addresses and "
                            "long numbers are replaced before quoting."))
    lead_keys = ("helped", "commonest_kind", "responses", "question_1", "follow_ups")
    sentences = [c.sentence for key in lead_keys for c in claims if c.key == key]
    return figures, sentences, claims


def programme_chart_words(programme) -> tuple[str, str]:
    """The programme chart's title and alt text, from the same counts as the Main points."""
    helped = len(programme.helped)
    kinds, count = commonest_helped_kinds(programme)
    if len(kinds) == 1:
        title = f"The commonest challenge was {kind_in_words(kinds[0])}: {count} of {_charities(helped)} helped"
    elif len(kinds) > 2:
        title = f"No one challenge was the commonest among {_charities(helped)} helped"
    elif kinds:
        title = f"The commonest challenges were {_kinds_in_words(kinds)}: {count} each of {_charities(helped)} helped"
    else:
        title = f"{_charities(helped).capitalize()} helped"
    answered = programme.helped.groupby("kind")["answered"].sum()
    described = "; ".join(f"{kind_in_words(k)}: {n} ({int(answered[k])} answered the feedback)"
                          for k, n in helped_by_kind(programme).items())
    return title, f"Bar chart of the charities helped by the kind of help they asked for. {described}."


def helped_table(programme):
    """Charities helped by kind, and how many answered the feedback form."""
    import pandas as pd

    answered = programme.helped.groupby("kind")["answered"].sum()
    return pd.DataFrame([{"Kind of help": kind_in_words(k), "Charities helped": n,
                          "Answered the feedback": int(answered[k])} for k, n in helped_by_kind(programme).items()])


def playbooks_table(programme):
    """Charities helped by the playbook their volunteer prepared, commonest first."""
    counts = programme.helped["playbook"].value_counts(sort=True)
    return counts.rename_axis("Playbook").reset_index(name="Charities")


def follow_ups_table(programme):
    """The follow-ups promised, for the report: organisation, kind and the promise (redacted); no person named."""
    rows = programme.follow_ups[programme.follow_ups["follow-up promised"].ne("")]
    return rows.assign(kind=rows["kind"].map(kind_in_words))[["organisation", "kind", "follow-up promised"]].rename(
        columns={"organisation": "Organisation", "kind": "Kind of help", "follow-up promised": "Follow-up promised"})


def programme_caveats(programme) -> list[str]:
    """What the programme report cannot tell the organiser."""
    lines = ["A feedback form hears from the charities that chose to answer, usually on the day: how the session "
             "changed what they do shows later, if at all. Ask again in three months.",
             "A charity's kind of help is its request's triage, read from its words: a session often ends up "
             "about something else. Read the follow-ups for what was really done.",
             "A rating is a label, not a number: no average of the answers is given, only the share in the top "
             "points with its 95% interval."]
    if programme.heard is not None and programme.heard.comments is not None and len(programme.heard.comments.table):
        lines.append(f"Themes are found by a computer from few comments: read them all in comments.xlsx. No comment "
                     f"is quoted from a theme with fewer than {FEWEST_FOR_QUOTES} responses.")
    return lines


def programme_next_steps(programme) -> list[str]:
    """What the organiser does next, from what was found."""
    steps = []
    if programme.promised:
        steps.append("Keep every follow-up promised (follow_ups.csv): send what was promised within a fortnight.")
    if programme.not_in_requests:
        steps.append("Check the organisations in the feedback that are not in the requests: a typing slip, or a "
                     "charity that came on the day to add to your list.")
    if (~programme.helped["answered"]).any():
        steps.append("Ask the charities that did not answer the feedback form once more, by email.")
    steps.append("Offer the charities not matched on the day another date, and repeat this report after it.")
    return steps


def not_in_requests_sentence(programme) -> str | None:
    """The organisations in the feedback that sent no request, named (an organisation is not a person)."""
    names = programme.not_in_requests
    if not names:
        return None
    listed = ", ".join(f"'{md_text(n)}'" for n in names)
    return (f"Not in the requests, counted as helped with the kind not known: {listed}. Check each against your "
            "list: a typing slip, or a charity that came on the day.")


def written_sentence(written: list[str]) -> str:
    """Which files the programme report wrote, and which of them hold personal data."""
    personal = [name for name in written if name in ("follow_ups.csv", "comments.xlsx")]
    return (f"The kit wrote {', '.join(written)}. " + (f"{' and '.join(personal)} name volunteers or keep the comments "
            "as written: for the organiser's own records, not for sharing." if personal else ""))


def quotes_or_reason(comments) -> str:
    """The survey's quotes by theme, or why none is shown (fewer than 5 in every theme, or too few to theme)."""
    from helpers.survey import quotes_markdown

    shown = quotes_markdown(comments)
    if "“" in shown:
        return shown
    reason = ("No comment is quoted: a quote comes only from a theme of at least 5 comments, and "
              + ("fewer than 10 comments are not grouped into themes" if not comments.themes.names
                 else "no theme has that many") + ". Every comment, redacted, is in comments.xlsx.")
    return (shown + "\n\n" + reason) if shown else reason


def programme_lead(programme) -> str:
    """The line above the programme report's Main points: the title is the playbook's question, so say which
    report this is.

    Example:
        >>> from types import SimpleNamespace
        >>> programme_lead(SimpleNamespace(requests=30))
        '**After the day: the programme report.** What the day did for the charities that asked for help (30 requests), from the sessions held and the feedback form.'
    """
    return ("**After the day: the programme report.** What the day did for the charities that asked for help "
            f"({_requests(programme.requests)}), from the sessions held and the feedback form.")
