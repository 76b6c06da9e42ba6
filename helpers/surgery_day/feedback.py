"""After the day: the feedback form's export joined to the sessions held and to each request's kind of help.

**Sessions held** come from the planning bundle's ``sessions.csv`` when the organiser passes it
(``-p sessions``; strike out a session that did not happen before passing it), else from the plan made
again from the same requests and sign-ups (the plan is the same on every run, so it is the one the letters
announced). **A charity helped** is one with a session held, or one that answered the feedback form (an
answer says it came, booked or not).

Feedback is joined to the requests by organisation name, tidied (:func:`tidy_name`: case, spaces,
punctuation, accents, "&" and a leading "The" ignored), because people type their own name differently on
two forms. An organisation the requests do not hold is counted (kind ``unknown``) and named in the load
log, never dropped. The ratings, comments, redaction and quoting are the survey playbook's own
(:func:`helpers.survey.hear`), so the same rules hold here: a rating is a label (share positive with a
Wilson interval, never a mean), comments are redacted before they are themed, and no quote comes from a
theme of fewer than 5 responses.

Example:
    >>> import pandas as pd
    >>> requests = pd.DataFrame({"Organisation": ["Bow Food Bank"], "Challenge": ["Forecast our parcels"]})
    >>> feedback = pd.DataFrame({"Organisation": ["bow food bank", "Acton Choir"],
    ...                          "How useful was it?": ["Yes", "No"]})
    >>> done = review_day(requests, feedback, sessions=pd.DataFrame({"organisation": ["Bow Food Bank"]}))
    >>> done.helped[["organisation", "kind", "session", "answered"]].values.tolist()
    [['Bow Food Bank', 'analysis', True, True], ['Acton Choir', 'unknown', False, True]]
    >>> done.not_in_requests
    ['Acton Choir']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from types import SimpleNamespace

import pandas as pd

from helpers.errors import InputProblem
from helpers.surgery_day.day import REQUEST_HEADERS, find_columns, read_requests, triage_requests
from helpers.surgery_day.triage import KIND_WORDS, NO_PLAYBOOK
from helpers.survey import Heard, hear
from helpers.survey.redaction import cut, lower_case_words, redact

#: The kind of a charity the requests do not hold (it came on the day, or typed a name nobody could match).
UNKNOWN_KIND = "unknown"
#: The playbook of a charity helped without a request or a session row that names one.
UNKNOWN_PLAYBOOK = "not known"
#: Column -> header words that find it in the feedback form's export (first match wins).
FEEDBACK_HEADERS = {
    "organisation": REQUEST_HEADERS["organisation"],
    "contact": ("your name", "contact", "contact name", "name", "respondent"),
    "email": ("email", "your email", "email address"),
    "volunteer": ("who was your volunteer", "volunteer", "your volunteer", "volunteer name", "who did you meet",
                  "which volunteer did you see", "volunteer you saw"),
    "next_step": ("what will you do next", "next steps", "next step", "what next", "what will you do now"),
    "follow_up": ("did your volunteer or the organiser promise you anything after the session",
                  "follow ups promised", "follow up promised", "follow ups", "follow up", "promised",
                  "anything promised", "what did we promise"),
}
#: The form tool's own columns: never a question (an id of 1 to 10 would read as a rating).
FORM_TOOL_COLUMNS = ("id", "response id", "respondent id", "start time", "completion time", "last modified time",
                     "timestamp", "submitted", "submission date", "date")
SESSION_HEADERS = {
    "organisation": REQUEST_HEADERS["organisation"],
    "volunteer": ("volunteer", "volunteer name"),
    "playbook": ("playbook", "suggested playbook"),
}


def tidy_name(name: object) -> str:
    """An organisation's name as two forms are compared: accents, case, punctuation, "&" and "The" ignored.

    Example:
        >>> tidy_name("  The Kilburn Women's Centre "), tidy_name("kilburn womens centre")
        ('kilburn womens centre', 'kilburn womens centre')
        >>> tidy_name("Recovery Café") == tidy_name("RECOVERY CAFE"), tidy_name("Arts & Crafts")
        (True, 'arts and crafts')
    """
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return ""
    plain = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii").lower()
    plain = plain.replace("&", " and ").replace("'", "")
    words = re.sub(r"[^0-9a-z]+", " ", plain).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return " ".join(words)


@dataclass
class Programme:
    """The day, looked back on.

    Attributes:
        helped: One row per charity helped: ``organisation`` (as the requests or sessions write it), ``kind``,
            ``playbook``, ``session`` (a session held), ``answered`` (it answered the feedback form).
        responses: One row per feedback response: ``row`` (the file's row), ``organisation`` (as typed), ``kind``.
        heard: The ratings and comments, counted by the survey playbook (``None``: the form had neither).
        follow_ups: One row per response with a next step or a follow-up promised, the text redacted:
            ``organisation``, ``kind``, ``volunteer``, ``next step``, ``follow-up promised``.
        follow_up_column: The follow-up question's header (``None``: the form did not ask).
        requests: How many requests the day had.
        not_in_requests: Organisations in the feedback that the requests do not hold (as typed, once each).
        notes: Lines for the load log.
    """

    helped: pd.DataFrame
    responses: pd.DataFrame
    heard: Heard | None
    follow_ups: pd.DataFrame
    follow_up_column: str | None
    requests: int
    not_in_requests: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def promised(self) -> int | None:
        """Follow-ups promised: responses with an answer to the follow-up question (``None``: not asked)."""
        if self.follow_up_column is None:
            return None
        return int(self.follow_ups["follow-up promised"].str.strip().ne("").sum())


def read_sessions(frame: pd.DataFrame) -> pd.DataFrame:
    """The sessions held (the planning bundle's ``sessions.csv``, perhaps edited): organisation, volunteer, playbook."""
    columns = find_columns(frame, SESSION_HEADERS, ("organisation",), "sessions file")
    sessions = pd.DataFrame({role: frame[column].astype("string").fillna("") if column else ""
                             for role, column in columns.items()}).reset_index(drop=True)
    return sessions[sessions["organisation"].str.strip() != ""].reset_index(drop=True)


def _text(frame: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].astype("string").fillna("").str.strip()


def people_pattern(names) -> re.Pattern | None:
    """A pattern for each word of the people's names the organiser's files hold (volunteers, contacts).

    The survey's redaction finds names it can guess; these it need not guess. A word is matched as
    written (capitalised), so "Kit" the volunteer is hidden and "the kit" is not.

    Example:
        >>> people_pattern(["Tom Okafor", "Kit", "Contact 3"]).sub("[name]", "Tom said the kit needs Kit")
        '[name] said the kit needs [name]'
    """
    words = {w for name in names for w in re.findall(r"[^\W\d_][\w'’-]*", str(name))
             if len(w) >= 2 and w[0].isupper()}
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")


def _survey_columns(feedback: pd.DataFrame, found: dict[str, str | None]) -> list:
    """The columns the survey playbook reads: every question but the ones this module reads itself."""
    own = {column for column in found.values() if column is not None}
    tool = {c for c in feedback.columns if re.sub(r"[^0-9a-z]+", " ", str(c).lower()).strip() in FORM_TOOL_COLUMNS}
    return [c for c in feedback.columns if c not in own and c not in tool]


def _hear(frame: pd.DataFrame, people: re.Pattern | None, themes: str, notes: list[str]) -> Heard | None:
    """The survey playbook's count of the ratings and comments, the organiser's known names hidden first.

    The comments are passed to :func:`helpers.survey.hear` with the volunteers' and contacts' names already
    replaced by "[name]"; each comment's original is put back afterwards, so ``comments.xlsx`` keeps it (on
    its sheet marked personal) and the count of redacted comments includes these.
    """
    hidden = frame.copy()
    if people is not None:
        for column in hidden.columns:
            if hidden[column].dtype == object or pd.api.types.is_string_dtype(hidden[column]):
                hidden[column] = hidden[column].map(lambda v: people.sub("[name]", v) if isinstance(v, str) else v)
    try:
        heard = hear(SimpleNamespace(frame=hidden), themes=themes)
    except InputProblem as problem:  # a form of free text only still has its follow-ups
        notes.append(f"No rating question or comment box was found: {problem}")
        return None
    notes.extend(heard.survey.notes)
    survey = heard.survey
    read = {*survey.ratings, *survey.comments, *survey.multi_select, survey.group, survey.date}
    for column in frame.columns:
        if column not in read and frame[column].notna().any():
            notes.append(f"'{column}' was not read: its answers are not points of a scale the kit knows, nor comments "
                         "long enough to theme. Ask it as agree/disagree or 1 to 5 next time.")
    if heard.comments is not None and len(heard.comments.table):
        table = heard.comments.table
        table["original"] = [str(frame.loc[row, question]).strip() for row, question in zip(table["row"], table["question"])]
        table["was_redacted"] = table["original"].ne(table["redacted"])
    return heard


def review_day(requests: pd.DataFrame, feedback: pd.DataFrame, sessions: pd.DataFrame, kind_words=KIND_WORDS,
               playbooks=(), themes: str = "") -> Programme:
    """Join the feedback to the sessions held and the requests' kinds, and count what charities said.

    Args:
        requests: The request form's export (as for planning).
        feedback: The feedback form's export.
        sessions: The sessions held: a frame with an organisation column (``sessions.csv``'s shape), perhaps
            volunteer and playbook.
        kind_words: The triage table (as for planning).
        playbooks: The kit's playbooks (a playbook the kit lacks is never suggested).
        themes: The organiser's own themes for the comments, "Theme: word, word; ..." (blank: found).

    Raises:
        InputProblem: The feedback has no organisation column (named, with the columns it has).
    """
    req, _ = read_requests(requests)
    triage = triage_requests(req, kind_words, playbooks)
    by_key = {}
    for number, name in enumerate(req["organisation"]):
        by_key.setdefault(tidy_name(name), number)  # a charity that asked twice: its first request
    found = find_columns(feedback, FEEDBACK_HEADERS, ("organisation",), "feedback file")
    frame = feedback.reset_index(drop=True)
    organisation = _text(frame, found["organisation"])
    notes = [f"Feedback: organisation from '{found['organisation']}'"
             + "".join(f", {label} from '{found[role]}'" for role, label in
                       (("volunteer", "volunteer"), ("next_step", "next step"), ("follow_up", "follow-up promised"))
                       if found[role]) + "."]
    for role in ("contact", "email"):
        if found[role]:
            notes.append(f"'{found[role]}' holds the charity's contact details: never read, never shown.")
    blank = organisation.eq("")
    if blank.any():
        notes.append(f"{int(blank.sum())} feedback response(s) give no organisation (rows "
                     + ", ".join(str(r + 2) for r in frame.index[blank][:10])
                     + "): their ratings and comments are counted; they join no charity.")

    def kind_of(key: str) -> tuple[str, str]:
        if key in by_key:
            t = triage[by_key[key]]
            return t.kind, t.playbook or NO_PLAYBOOK
        return UNKNOWN_KIND, UNKNOWN_PLAYBOOK

    helped, seen = [], {}
    for row in read_sessions(sessions).itertuples(index=False):
        key = tidy_name(row.organisation)
        if key in seen:
            continue
        kind, playbook = kind_of(key)
        if key not in by_key:
            notes.append(f"The sessions list names '{row.organisation}', which is not in the requests: counted as "
                         f"helped, kind '{UNKNOWN_KIND}'.")
        name = req.loc[by_key[key], "organisation"] if key in by_key else row.organisation
        helped.append({"organisation": str(name).strip(), "kind": kind, "playbook": str(row.playbook).strip() or playbook, "session": True,
                       "answered": False})
        seen[key] = len(helped) - 1
    not_in_requests, without_session = [], []
    for name in organisation[~blank]:
        key = tidy_name(name)
        if key not in seen:
            kind, playbook = kind_of(key)
            helped.append({"organisation": req.loc[by_key[key], "organisation"] if key in by_key else name,
                           "kind": kind, "playbook": playbook, "session": False, "answered": False})
            seen[key] = len(helped) - 1
            (without_session if key in by_key else not_in_requests).append(name)
        helped[seen[key]]["answered"] = True
    if not_in_requests:
        notes.append(f"{len(not_in_requests)} organisation(s) in the feedback are not in the requests, even with "
                     "case, spaces and punctuation ignored: " + ", ".join(f"'{n}'" for n in not_in_requests)
                     + f". Each is counted as a charity helped (kind '{UNKNOWN_KIND}'); check its spelling.")
    if without_session:
        notes.append(f"{len(without_session)} organisation(s) answered the feedback but have no session in the "
                     "sessions list: " + ", ".join(f"'{n}'" for n in without_session)
                     + ". Each is counted as helped (its answer says it came).")
    helped_frame = pd.DataFrame(helped, columns=["organisation", "kind", "playbook", "session", "answered"])
    responses = pd.DataFrame({"row": frame.index + 2, "organisation": organisation,
                              "kind": [kind_of(tidy_name(n))[0] if n else "" for n in organisation]})

    volunteer = _text(frame, found["volunteer"])
    people = people_pattern([*volunteer, *read_sessions(sessions)["volunteer"], *_text(frame, found["contact"])])
    heard = None
    survey_columns = _survey_columns(frame, found)
    if survey_columns:
        heard = _hear(frame[survey_columns], people, themes, notes)

    next_step, promise = _text(frame, found["next_step"]), _text(frame, found["follow_up"])
    known = lower_case_words(pd.concat([next_step, promise]).unique())

    def safe(text: str) -> str:
        text = people.sub("[name]", text) if people is not None else text
        return cut(redact(text, known)[0]) if text else ""

    wanted = (next_step != "") | (promise != "")
    named = {key: helped[row]["organisation"] for key, row in seen.items()}
    follow_ups = pd.DataFrame({
        "organisation": [named.get(tidy_name(n), n) for n in organisation[wanted]],
        "kind": responses["kind"][wanted], "volunteer": volunteer[wanted],
        "next step": [safe(t) for t in next_step[wanted]],
        "follow-up promised": [safe(t) for t in promise[wanted]],
    }).reset_index(drop=True)
    return Programme(helped_frame, responses, heard, follow_ups, found["follow_up"], len(req), not_in_requests, notes)
