"""Consent columns of a contact list: marketing consent, Gift Aid and "do not contact".

These columns record what a person agreed to. Matching a new list against the CRM carries
them through and never lets the new list overwrite them silently: a new sign-up form that
says "no" to emails may be a mistake, or the person may really have changed their mind,
and only the charity may decide which (and record why, for the data protection rules).

Headers are read the way :mod:`helpers.reading.roles` reads them (lower case, punctuation
as spaces); the values the way forms write them ("Yes", "Y", "TRUE", "1", "x", "opted in").

Example:
    >>> find_consent_columns(["Email", "Email consent", "Gift Aid?", "DNC", "Town"])
    {'email_consent': 'Email consent', 'gift_aid': 'Gift Aid?', 'do_not_contact': 'DNC'}
    >>> consent_value("Opted in"), consent_value("n"), consent_value(""), consent_value("maybe")
    ('yes', 'no', None, 'maybe')
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from helpers.reading.roles import fold_header

#: Each kind of consent column, in plain words for the report and the files.
CONSENT_WORDS = {
    "email_consent": "email consent",
    "phone_consent": "phone consent",
    "sms_consent": "text message consent",
    "post_consent": "post consent",
    "gift_aid": "Gift Aid declaration",
    "do_not_contact": "do not contact",
}

_DO_NOT_CONTACT = re.compile(r"\b(do not contact|dont contact|don t contact|no contact|dnc|suppress(ed|ion)?"
                             r"|contact suppressed|no marketing at all)\b")
_GIFT_AID = re.compile(r"\bgift ?aid\b")
_CONSENT_WORD = re.compile(r"\b(consent|consented|opt ?in|opted ?in|optin|permission|agreed|marketing|ok|okay|happy to"
                           r"|updates?|updated|keep me|newsletter|subscribed?)\b")
_CHANNELS = (
    ("sms_consent", re.compile(r"\b(sms|text|texts)\b")),
    ("email_consent", re.compile(r"\b(e ?mail|emails|newsletter)\b")),
    ("phone_consent", re.compile(r"\b(phone|telephone|call|calls|mobile)\b")),
    ("post_consent", re.compile(r"\b(post|postal|mail|letters?)\b")),
)

_YES = frozenset({"yes", "y", "true", "t", "1", "x", "opted in", "opt in", "agreed", "consented", "given", "ok",
                  "declared", "yes please"})
_NO = frozenset({"no", "n", "false", "f", "0", "opted out", "opt out", "withdrawn", "not given", "declined",
                 "no thanks", "none"})


def consent_kind(header: object) -> str | None:
    """Which kind of consent a header names, or ``None``.

    Example:
        >>> consent_kind("Marketing email opt-in"), consent_kind("Post OK to mail?"), consent_kind("Email")
        ('email_consent', 'post_consent', None)
        >>> consent_kind("Do not contact"), consent_kind("Gift Aid declaration"), consent_kind("Text updates")
        ('do_not_contact', 'gift_aid', 'sms_consent')
        >>> consent_kind("Email OK?"), consent_kind("Keep me updated by email"), consent_kind("Phone number")
        ('email_consent', 'email_consent', None)
    """
    folded = fold_header(str(header))
    if _DO_NOT_CONTACT.search(folded):
        return "do_not_contact"
    if _GIFT_AID.search(folded):
        return "gift_aid"
    if not _CONSENT_WORD.search(folded):
        return None
    for kind, channel in _CHANNELS:
        if channel.search(folded):
            return kind
    return None


def find_consent_columns(headers: Iterable[object]) -> dict[str, str]:
    """Consent kind -> the first column of that kind, in the file's order."""
    found: dict[str, str] = {}
    for header in headers:
        kind = consent_kind(header)
        if kind and kind not in found:
            found[kind] = str(header)
    return found


def consent_value(value: object) -> str | None:
    """A consent cell as ``"yes"``, ``"no"``, ``None`` (blank) or its own text, lower case."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "yes" if value == 1 else "no" if value == 0 else str(value)
    text = fold_header(str(value))
    if not text:
        return None
    if text in _YES:
        return "yes"
    if text in _NO:
        return "no"
    return text


def says_do_not_contact(values: pd.Series) -> pd.Series:
    """Whether each record's "do not contact" cell says yes (True) or anything else (False).

    Example:
        >>> says_do_not_contact(pd.Series(["Yes", None, "no", "TRUE"])).tolist()
        [True, False, False, True]
    """
    return values.map(consent_value).eq("yes")
