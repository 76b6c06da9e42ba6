"""Comments made safe to quote: names, emails, phones, postcodes, addresses and long numbers replaced.

People write who helped them ("Ask for Priya Shah"), how to reach them and where they live into a
feedback box. Before a comment is quoted anywhere the charity may share, each of these is replaced by
a placeholder in square brackets ("[name]", "[email]", "[phone]", "[postcode]", "[address]",
"[number]"), and the quote is cut to :data:`LONGEST_QUOTE` characters.

Names are found three ways: a first name from a list of common first names (with the capitalised
word after it, the surname); a capitalised word after a title or "called"/"name is"; and any
capitalised word in the middle of a sentence that the survey's comments never write in lower case
(a proper noun the list does not know). Redacting too much is the safe side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The longest a quote may be, in characters, after redaction.
LONGEST_QUOTE = 200

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: UK phone numbers in their usual layouts (07700 900123, 020 7946 0000, +44 7700 900123), and any
#: run of ten or more digits with spaces or dashes.
PHONE = re.compile(r"(?:\+44\s?\(?0?\)?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
STREET_WORDS = ("road", "rd", "street", "st", "lane", "avenue", "ave", "close", "drive", "crescent", "gardens",
                "way", "court", "place", "terrace", "grove", "square", "hill", "walk", "mews", "row", "park")
ADDRESS = re.compile(r"\b(?:flat\s+\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:"
                     + "|".join(STREET_WORDS) + r")\b\.?", re.IGNORECASE)
LONG_NUMBER = re.compile(r"\b\d[\d\s-]{4,}\d\b")
TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Rev|Nurse|Auntie|Uncle)\.?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?")
CALLED = re.compile(r"\b(?:called|named|name is|name's|ask for|thanks to|thank you to|thank you)\s+([A-Z][\w'-]+)"
                    r"(?:\s+[A-Z][\w'-]+)?")
WORD = re.compile(r"[A-Za-z][a-z'’-]+")
#: Capitalised words that are not names however a comment writes them.
NOT_NAMES = frozenset("""i i'm i've i'd i'll monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december christmas easter eid
english british covid nhs gp ok okay tv""".split())


def _first_names() -> frozenset[str]:
    """Common first names (the kit's synthetic register list, plus the ones seen in UK registers)."""
    from helpers.synthetic.register import FIRST_NAMES

    extra = """james john robert michael david william richard joseph thomas charles mary patricia jennifer linda
    elizabeth barbara susan jessica sarah karen mohammed muhammad ali ahmed fatima aisha priya amir omar
    olivia amelia isla ava emily sophia grace lily jack oliver harry george noah leo arthur muhammad""".split()
    return frozenset(name.lower() for name in FIRST_NAMES) | frozenset(extra)


FIRST_NAMES = _first_names()


def lower_case_words(comments: Iterable[str]) -> frozenset[str]:
    """Words the comments write in lower case somewhere: a capitalised one of these is not a name.

    Example:
        >>> sorted(lower_case_words(["The staff", "staff were kind"]))
        ['kind', 'staff', 'were']
    """
    seen = set()
    for text in comments:
        seen.update(word for word in WORD.findall(str(text)) if word.islower())
    return frozenset(seen)


def _names(text: str, known_words: frozenset[str]) -> str:
    text = TITLE.sub("[name]", text)
    text = CALLED.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + "[name]", text)

    def replace(match: re.Match) -> str:
        word = match.group(0)
        lower = word.lower().replace("’", "'")
        if lower in FIRST_NAMES and word[0].isupper():
            return "[name]"
        start = match.start()
        before = text[:start].rstrip()
        sentence_start = not before or before[-1] in ".!?:;\"(" or before.endswith("[name]")
        if (word[0].isupper() and not sentence_start and lower not in known_words and lower not in NOT_NAMES
                and not word.isupper()):
            return "[name]"
        return word

    text = WORD.sub(replace, text)
    # "[name] Shah" -> "[name]": a capitalised word right after a name is its surname.
    text = re.sub(r"\[name\](?:\s+[A-Z][\w'’-]+)+", "[name]", text)
    return re.sub(r"\[name\](?:\s+\[name\])+", "[name]", text)


def redact(text: object, known_words: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """A comment with personal details replaced, and whether anything was.

    Args:
        text: The comment as written.
        known_words: Words the survey writes in lower case (:func:`lower_case_words`), so that a
            capitalised ordinary word ("the Lunch club") is not taken for a name.

    Example:
        >>> redact("Ask for Priya Shah, or email jo.b@example.org / 07700 900123. I live at 14 Acacia Road, E8 1DY.")
        ('Ask for [name], or email [email] / [phone]. I live at [address], [postcode].', True)
        >>> redact("The staff were kind.", frozenset({"staff"}))
        ('The staff were kind.', False)
    """
    original = "" if text is None else str(text)
    redacted = EMAIL.sub("[email]", original)
    redacted = PHONE.sub("[phone]", redacted)
    redacted = ADDRESS.sub("[address]", redacted)
    redacted = POSTCODE.sub("[postcode]", redacted)
    redacted = LONG_NUMBER.sub("[number]", redacted)
    redacted = _names(redacted, known_words)
    return redacted, redacted != original


def cut(text: str, longest: int = LONGEST_QUOTE) -> str:
    """A quote cut to ``longest`` characters at a word, with an ellipsis when it was cut.

    Example:
        >>> cut("one two three", 9)
        'one two…'
    """
    text = " ".join(str(text).split())
    if len(text) <= longest:
        return text
    return text[: longest - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
