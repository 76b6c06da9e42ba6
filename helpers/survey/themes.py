"""Comments grouped into themes, offline and the same every run: TF-IDF and NMF with a fixed seed.

Each comment becomes a vector of its words weighted by how rare they are across all comments (TF-IDF,
English and charity-specific stop words left out); non-negative matrix factorisation (NMF) finds a
few groups of words that go together, and each comment's main theme is the group it leans on most.
A theme is named by its top words.

**How many themes (the stated criterion).** For each number from 2 to :data:`MOST_THEMES`, NMF is
fitted on two random 80% subsamples of the comments (fixed seeds) and the two sets of themes are
matched one to one; the number's *stability* is the mean cosine similarity of matched themes' word
weights. The number chosen is the largest whose stability is at least :data:`STABLE` (themes that
come back when the data are resampled) and whose smallest theme holds at least :data:`SMALLEST` of the
comments, or the most stable number if none is. On more than
:data:`MOST_FOR_CHOOSING` comments the choice is made on a seeded sample of that size, then the
themes are fitted on every comment.

With ``themes`` set (the charity's own framework, a table of theme and keywords), comments are coded
by keyword instead: each to the theme with the most keyword matches, no match to "No theme".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.errors import InputProblem

SEED = 0
MOST_THEMES = 8
#: Mean matched cosine similarity for a number of themes to count as stable.
STABLE = 0.9
#: The smallest share of comments a theme may hold: a smaller group is a handful of comments, not a theme.
SMALLEST = 0.05
MOST_FOR_CHOOSING = 3_000
NO_THEME = "No theme"
#: Words too common in feedback to say what a comment is about.
CHARITY_STOP_WORDS = frozenset("""really very much lot lots just also would could thank thanks thankyou
good great nice well like liked love loved everything nothing else overall always time keep
service services charity centre people things thing think feel felt make made get got one bit
please more less better best need needs want way day days week weeks""".split())
#: Placeholders that redaction writes: not words of the comment.
PLACEHOLDER_WORDS = frozenset({"name", "email", "phone", "postcode", "address", "number"})


@dataclass
class Themes:
    """Themes found or coded.

    Attributes:
        labels: One per comment: the theme's name (or :data:`NO_THEME`).
        names: Theme names in order of size, largest first (:data:`NO_THEME` not among them).
        top_words: Theme name -> its top words.
        strength: One per comment: how strongly it belongs to its theme (for choosing examples).
        method: ``"nmf"`` or ``"keywords"``.
        stability: Number of themes -> stability (``nmf`` only).
        chosen: The number of themes chosen.
    """

    labels: pd.Series
    names: list[str]
    top_words: dict[str, list[str]]
    strength: pd.Series
    method: str
    stability: dict[int, float]
    chosen: int


def _vectoriser(documents: int):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    stop = sorted(ENGLISH_STOP_WORDS | CHARITY_STOP_WORDS | PLACEHOLDER_WORDS)
    return TfidfVectorizer(stop_words=stop, min_df=2 if documents >= 20 else 1, max_df=0.5, max_features=3000,
                           token_pattern=r"(?u)\b[a-z][a-z]+\b", lowercase=True, sublinear_tf=True)


def _nmf(matrix, k: int, seed: int = SEED):
    from sklearn.decomposition import NMF

    import warnings

    from sklearn.exceptions import ConvergenceWarning

    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=1000, tol=1e-4)
    with warnings.catch_warnings():
        # A capped fit is still the same every run (fixed seed); the warning would only alarm a volunteer.
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    return model, weights


def stability(matrix, k: int, seed: int = SEED, draws: int = 3) -> float:
    """Mean cosine similarity of ``k`` themes matched one to one across ``draws`` 80% subsamples (every pair).

    Example:
        >>> from sklearn.feature_extraction.text import TfidfVectorizer
        >>> docs = ["hot lunch soup"] * 20 + ["long wait queue"] * 20 + ["bus route parking"] * 20
        >>> round(stability(TfidfVectorizer().fit_transform(docs), 3), 2)
        1.0
    """
    from itertools import combinations

    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(seed)
    rows = matrix.shape[0]
    components = []
    for _ in range(draws):
        chosen = np.sort(rng.choice(rows, size=max(k, int(0.8 * rows)), replace=False))
        model, _ = _nmf(matrix[chosen], k, seed)
        words = model.components_
        components.append(words / np.maximum(np.linalg.norm(words, axis=1, keepdims=True), 1e-12))
    scores = []
    for first, second in combinations(components, 2):
        similarity = first @ second.T
        row, column = linear_sum_assignment(-similarity)
        scores.append(similarity[row, column].mean())
    return float(np.mean(scores))


def smallest_share(matrix, k: int, seed: int = SEED) -> float:
    """The share of comments in the smallest of ``k`` themes (each comment in the theme it leans on most)."""
    _, weights = _nmf(matrix, k, seed)
    return float(np.bincount(weights.argmax(axis=1), minlength=k).min() / matrix.shape[0])


def choose_number(matrix, most: int = MOST_THEMES, seed: int = SEED) -> tuple[int, dict[int, float]]:
    """The number of themes by the stated criterion (module docstring), and each number's stability."""
    rows = matrix.shape[0]
    if rows > MOST_FOR_CHOOSING:
        rng = np.random.default_rng(seed)
        matrix = matrix[np.sort(rng.choice(rows, size=MOST_FOR_CHOOSING, replace=False))]
    most = max(2, min(most, matrix.shape[0] // 5, matrix.shape[1] - 1))
    scores = {k: stability(matrix, k, seed) for k in range(2, most + 1)}
    stable = [k for k, score in scores.items() if score >= STABLE and (k == 2 or smallest_share(matrix, k, seed) >= SMALLEST)]
    chosen = max(stable) if stable else max(scores, key=scores.get)
    return chosen, scores


def find_themes(comments: pd.Series, number: int = 0, top: int = 5, seed: int = SEED) -> Themes:
    """Group comments into themes with TF-IDF and NMF (see the module docstring).

    Args:
        comments: The (redacted) comments, one per row, index kept.
        number: A fixed number of themes (0: chosen by stability).
        top: Top words to name a theme by.

    Example:
        >>> docs = pd.Series(["hot lunch soup"] * 20 + ["long wait queue"] * 20 + ["bus route parking"] * 20)
        >>> found = find_themes(docs)
        >>> sorted(found.labels.value_counts().tolist())
        [20, 20, 20]
    """
    text = comments.astype(str)
    vectoriser = _vectoriser(len(text))
    try:
        matrix = vectoriser.fit_transform(text)
    except ValueError:  # every word a stop word: nothing to group by
        return _no_themes(comments)
    if matrix.shape[0] < 10 or matrix.shape[1] < 3:
        return _no_themes(comments)
    scores = {}
    if number:
        chosen = int(number)
    else:
        chosen, scores = choose_number(matrix, seed=seed)
    model, weights = _nmf(matrix, chosen, seed)
    vocabulary = np.array(vectoriser.get_feature_names_out())
    words = {i: [str(w) for w in vocabulary[np.argsort(-model.components_[i])[:top]]] for i in range(chosen)}
    main = weights.argmax(axis=1)
    empty = weights.max(axis=1) <= 0
    names = {i: ", ".join(words[i][:3]) for i in range(chosen)}
    labels = pd.Series([NO_THEME if e else names[m] for m, e in zip(main, empty)], index=comments.index)
    strength = pd.Series(weights.max(axis=1), index=comments.index)
    order = [name for name in labels.value_counts().index if name != NO_THEME]
    return Themes(labels, order, {names[i]: words[i] for i in range(chosen) if names[i] in order}, strength,
                  "nmf", scores, chosen)


def _no_themes(comments: pd.Series) -> Themes:
    return Themes(pd.Series(NO_THEME, index=comments.index), [], {}, pd.Series(0.0, index=comments.index),
                  "nmf", {}, 0)


def read_framework(text: str) -> dict[str, list[str]]:
    """The ``themes`` parameter: ``"Staff: staff, volunteer; Food: lunch, meal"`` -> theme -> keywords.

    Raises:
        InputProblem: A part has no theme name or no keyword.

    Example:
        >>> read_framework("Staff: staff, volunteer; Food: lunch, meal")
        {'Staff': ['staff', 'volunteer'], 'Food': ['lunch', 'meal']}
    """
    framework = {}
    for part in [p.strip() for p in re.split(r"[;\n]", str(text or "")) if p.strip()]:
        name, _, keywords = part.partition(":")
        words = [w.strip().lower() for w in keywords.split(",") if w.strip()]
        if not name.strip() or not words:
            raise InputProblem(f"themes has '{part}', which is not a theme and its keywords. Write each theme as "
                               "its name, a colon and comma-separated keywords, themes separated by semicolons, "
                               "for example -p themes \"Staff: staff, volunteer; Food: lunch, meal\".")
        framework[name.strip()] = words
    return framework


def code_comments(comments: pd.Series, framework: dict[str, list[str]]) -> Themes:
    """Code each comment to the framework theme with the most keyword matches (a keyword matches a word
    that starts with it, so "volunteer" matches "volunteers"); ties go to the theme listed first.

    Example:
        >>> coded = code_comments(pd.Series(["Lovely volunteers", "The lunch", "Parking"]),
        ...                       {"Staff": ["volunteer"], "Food": ["lunch"]})
        >>> coded.labels.tolist()
        ['Staff', 'Food', 'No theme']
    """
    lowered = comments.astype(str).str.lower()
    hits = pd.DataFrame({name: sum(lowered.str.count(r"\b" + re.escape(word)) for word in words)
                         for name, words in framework.items()}, index=comments.index)
    best = hits.idxmax(axis=1)
    labels = best.where(hits.max(axis=1) > 0, NO_THEME)
    order = [name for name in labels.value_counts().index if name != NO_THEME]
    return Themes(labels, order, {name: framework[name] for name in order}, hits.max(axis=1).astype(float),
                  "keywords", {}, len(framework))
