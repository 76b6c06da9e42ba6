"""Each comment's tone, positive, negative or neutral, from VADER's word list (shipped in vaderSentiment).

VADER scores a text from a list of about 7,500 words rated by people, with rules for "not", "very",
"but" and capitals; a compound score of at least 0.05 is positive, at most -0.05 negative (its
authors' cut-offs). It is shown only as counts per theme, never as a score for one person, because
its known limits bite in short answers: sarcasm ("great, another queue") reads as positive, negation
across a sentence ("not what I hoped, but fine") is often misread, and a suggestion ("more evening
sessions") reads as neutral even when it is a complaint.
"""

from __future__ import annotations

import pandas as pd

POSITIVE, NEGATIVE, NEUTRAL = "positive", "negative", "neutral"
#: VADER's own cut-offs on the compound score.
CUT_OFF = 0.05
LIMITS = ("Tone comes from a word list (VADER), not from reading: it misses sarcasm and negation in short "
          "answers, and reads a suggestion as neutral even when it is a complaint. Counts per theme are a "
          "rough guide only.")


def tone_of(comments: pd.Series) -> pd.Series:
    """``positive``, ``negative`` or ``neutral`` for each comment (each distinct text scored once).

    Example:
        >>> tone_of(pd.Series(["The staff were lovely", "The wait was awful", "Open on Saturdays"])).tolist()
        ['positive', 'negative', 'neutral']
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    text = comments.astype(str)
    scores = {value: analyser.polarity_scores(value)["compound"] for value in text.unique()}
    compound = text.map(scores)
    return compound.map(lambda s: POSITIVE if s >= CUT_OFF else NEGATIVE if s <= -CUT_OFF else NEUTRAL)
