"""Sorting each charity's request into the kind of help it needs, with the words that decided it.

A rule a person can read and edit, not a model: each kind of challenge has a list of words
(:data:`KIND_WORDS`; the organiser may give their own table with ``-p triage_words``), a request
scores a point for each word it uses, and the kind with most points wins (ties go to the kind listed
first). A request that uses none is ``other``: a conversation, not a playbook. The words that decided
it are kept, so an organiser can see why, and fix the table when a word misleads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from helpers.errors import InputProblem

#: The kinds of help, in tie-break order, with the words that point to each (matched as whole words,
#: case-insensitive; a phrase matches as written).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "crm": ("crm", "database", "salesforce", "beacon", "donorfy", "civicrm", "duplicates", "duplicate",
            "twice", "contacts", "contact list", "mailing list", "supporters", "donors", "merge"),
    "impact": ("impact", "outcomes", "outcome", "evaluation", "evaluate", "wellbeing", "difference we make",
               "before and after", "theory of change", "swemwbs", "wemwbs", "feedback", "survey"),
    "open-data": ("open data", "census", "deprivation", "postcodes", "postcode", "map", "mapping", "ward",
                  "wards", "neighbourhood", "neighbourhoods", "who we reach", "reaching", "area"),
    "analysis": ("analyse", "analysis", "trends", "forecast", "demand", "predict", "numbers", "statistics",
                 "monitoring", "funder report", "annual report", "dashboard", "how many"),
    "spreadsheets": ("excel", "spreadsheet", "spreadsheets", "formulas", "pivot", "vlookup", "messy",
                     "google sheets", "columns", "tidy"),
    "capture": ("capture", "form", "forms", "collect", "collecting", "paper", "sign-in", "registration",
                "gdpr", "consent", "record keeping", "record", "recording", "what data", "data protection"),
}
KINDS = (*KIND_WORDS, "other")
#: The playbook the volunteer prepares for each kind (a conversation where none fits).
KIND_PLAYBOOK = {
    "crm": "deduplicate-contacts", "impact": "impact-measurement", "open-data": "who-we-reach",
    "analysis": "our-year-in-numbers", "spreadsheets": "health-check", "capture": "health-check",
    "other": None,
}
#: Words that name a more fitting playbook within a kind's work (the kit's catalogue decides if it exists).
PLAYBOOK_HINTS = (
    (("food bank", "parcels", "foodbank", "pantry"), "analysis", "food-bank-demand"),
    (("feedback", "survey", "comments", "questionnaire"), "impact", "what-people-tell-us"),
)
NO_PLAYBOOK = "no playbook yet: a conversation"
#: Special category data (UK GDPR article 9) and criminal records: the letter carries a data-protection note.
SPECIAL_CATEGORY_WORDS = ("health", "medical", "mental health", "ethnicity", "ethnic", "race", "religion",
                          "faith", "sexual orientation", "lgbt", "disability", "disabilities", "criminal",
                          "offending", "offenders", "convictions", "prison", "trade union", "genetic",
                          "biometric", "gp", "diagnosis", "hiv", "asylum")


@dataclass(frozen=True)
class Triage:
    """One request's kind, its playbook, the words that decided it, and whether it needs a data note."""

    kind: str
    playbook: str | None
    words: tuple[str, ...]
    special_category: tuple[str, ...]


def _pattern(word: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(word.lower()) + r"(?![\w-])")


def words_found(text: str, words) -> tuple[str, ...]:
    """The words (or phrases) of ``words`` that ``text`` uses, in the table's order.

    Example:
        >>> words_found("Our CRM has duplicates; our Excel is messy", ("crm", "excel", "forms"))
        ('crm', 'excel')
    """
    lowered = str(text or "").lower()
    return tuple(word for word in words if _pattern(word).search(lowered))


def triage_request(text: str, kind_words: dict[str, tuple[str, ...]] = KIND_WORDS, playbooks=()) -> Triage:
    """Sort one request (its description, tools and data joined) into a kind and a playbook.

    Args:
        text: What the charity wrote.
        kind_words: Kind -> words (the organiser's table, or :data:`KIND_WORDS`).
        playbooks: The playbooks the kit has (a hinted playbook is used only if it is one of them).

    Example:
        >>> t = triage_request("We have duplicates in our Beacon CRM and our mailing list")
        >>> t.kind, t.playbook, t.words
        ('crm', 'deduplicate-contacts', ('crm', 'beacon', 'duplicates', 'mailing list'))
        >>> triage_request("We would like to talk about a new website").kind
        'other'
    """
    scores = {kind: words_found(text, words) for kind, words in kind_words.items()}
    kind = max(scores, key=lambda k: len(scores[k])) if any(scores.values()) else "other"
    playbook = KIND_PLAYBOOK.get(kind)
    for hint_words, hint_kind, hinted in PLAYBOOK_HINTS:
        if kind == hint_kind and words_found(text, hint_words) and (not playbooks or hinted in playbooks):
            playbook = hinted
    if playbook is not None and playbooks and playbook not in playbooks:
        playbook = None
    return Triage(kind, playbook, scores.get(kind, ()), words_found(text, SPECIAL_CATEGORY_WORDS))


def read_kind_words(frame: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The organiser's own table of kind and word (one word or phrase a row), in place of the kit's.

    Raises:
        InputProblem: The table lacks a kind or word column, or names a kind the kit does not know.
    """
    columns = {str(c).strip().lower(): c for c in frame.columns}
    if "kind" not in columns or "word" not in columns:
        raise InputProblem("The triage words table needs two columns, 'kind' and 'word' (one word or phrase a row); "
                           f"its columns are: {', '.join(map(str, frame.columns))}.")
    table: dict[str, list[str]] = {kind: [] for kind in KIND_WORDS}
    for kind, word in frame[[columns["kind"], columns["word"]]].itertuples(index=False):
        kind = str(kind).strip().lower()
        if kind not in table:
            raise InputProblem(f"The triage words table names the kind '{kind}'; the kinds are: "
                               f"{', '.join(KIND_WORDS)}.")
        if str(word).strip():
            table[kind].append(str(word).strip().lower())
    return {kind: tuple(words) for kind, words in table.items()}
