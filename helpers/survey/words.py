"""The survey report in words: Main points, claims, tables, chart words and summary.json, from one count.

Every sentence is written from the :class:`~helpers.survey.ratings.QuestionResult` values and the
themes, so the Main points, the chart's title, its alt text and ``summary.json`` say the same thing.
A group is called "more positive than everyone else" or "less positive than everyone else" only from
a claim whose decision is ``above`` or ``below`` (:func:`helpers.writing.claims.compare_share`).
"""

from __future__ import annotations

import pandas as pd

from helpers.survey.comments import Comments, examples
from helpers.survey.ratings import QuestionResult
from helpers.survey.themes import NO_THEME
from helpers.survey.tone import LIMITS
from helpers.writing.claims import ABOVE, BELOW, Claim
from helpers.writing.narrative import list_in_words, md_text, plural

SHARE_RULE = ("The share positive is the share of answers in the top points (the top two of a five-point scale, "
              "'Yes' of yes/no), with a 95% Wilson interval; blanks and answers off the scale are not counted.")
GROUP_RULE = ("A group (or month) is called more or less positive than everyone else only when the 95% interval of the "
              "difference between its share and everyone else's leaves out zero (Newcombe's interval, widened for the "
              "number of groups compared), and only with at least 10 answers on each side.")


def pct(share: float | None) -> str:
    """A share as a whole percentage ("none", "under 1%", "all").

    Example:
        >>> pct(0.784), pct(0.0), pct(0.003), pct(1.0), pct(None)
        ('78%', 'none', 'under 1%', 'all', 'no answers')
    """
    if share is None:
        return "no answers"
    if share == 0:
        return "none"
    if share == 1:
        return "all"
    if share < 0.005:
        return "under 1%"
    return f"{100 * share:.0f}%"


def positive_words(result: QuestionResult) -> str:
    """What the positive points are, in words: "Agree or Strongly agree", "Yes"."""
    return " or ".join(result.scale.positive_points)


def question_sentence(result: QuestionResult) -> str:
    """One rating question in a sentence: the share positive, its interval, the middle answer.

    Example:
        >>> import pandas as pd
        >>> from helpers.survey.ratings import count_question
        >>> from helpers.survey.scales import read_scale
        >>> a = pd.Series(["Agree"] * 9 + ["Disagree"])
        >>> question_sentence(count_question("Staff were kind", a, read_scale(a)))
        "'Staff were kind': 90% of 10 answers were Agree or Strongly agree (95% interval 60% to 98%); the middle answer was Agree."
    """
    if not result.n:
        return f"'{result.header}': no answers on the scale."
    low, high = result.interval
    return (f"'{result.header}': {pct(result.share_positive)} of {result.n:,} answers were {positive_words(result)} "
            f"(95% interval {pct(low)} to {pct(high)}); the middle answer was {result.median}.")


def group_claims(results: list[QuestionResult], over_time: bool = False) -> list[Claim]:
    """A claim for each group (or period, ``over_time``) whose share differs from everyone else's beyond the
    noise, or one saying none does."""
    claims = []
    prefix, everyone = ("period", "the other months or quarters") if over_time else ("group", "everyone else")
    for number, result in enumerate(results, start=1):
        for group, found in (result.by_period if over_time else result.by_group).items():
            if found["decision"] not in (ABOVE, BELOW):
                continue
            word = "more" if found["decision"] == ABOVE else "less"
            decision = f"{word}_positive"  # its own decision name: each conclusion phrase has one
            if over_time:
                sentence = (f"Answers in {group} to '{result.header}' were {word} positive than in {everyone} "
                            f"({pct(found['share'])} of {found['n']:,} against {pct(found['rest_share'])}).")
            else:
                sentence = (f"'{group}' answers to '{result.header}' were {word} positive than everyone else's "
                            f"({pct(found['share'])} of {found['n']:,} against {pct(found['rest_share'])}).")
            claims.append(Claim(f"{prefix}_{number}_{len(claims) + 1}", decision, sentence,
                                {"question": result.header, prefix: group, "n": found["n"],
                                 "share": found["share"], "rest_share": found["rest_share"]}, GROUP_RULE))
    compared = any(f["decision"] not in ("hidden", "too_few") for r in results
                   for f in (r.by_period if over_time else r.by_group).values())
    if compared and not claims:
        sentence = ("No month's or quarter's answers differed from the others' by more than chance would explain."
                    if over_time else "No group's answers differed from everyone else's by more than chance would explain.")
        claims.append(Claim(f"{prefix}s", "about_the_same", sentence, {"questions": len(results)}, GROUP_RULE))
    return claims


def theme_sentence(comments: Comments) -> str | None:
    """The themes in one sentence, largest first, with counts."""
    rows = [row for row in comments.theme_rows() if row["name"] != NO_THEME]
    if not rows:
        return None
    total = len(comments.table)
    named = list_in_words([f"'{row['name']}' ({row['count']:,})" for row in rows[:3]])
    how = "themes found in the words" if comments.themes.method == "nmf" else "of your themes"
    return (f"The {total:,} comments fall into {plural(len(rows), 'theme' if comments.themes.method == 'nmf' else 'theme')} "
            f"({how}); the largest are {named}.")


def redacted_sentence(comments: Comments) -> str:
    """How many comments had personal details replaced."""
    count = comments.redacted
    if not count:
        return "No comment held a name, email, phone number, postcode, address or long number that needed hiding."
    return (f"{plural(count, 'comment')} held a name, email, phone number, postcode, address or long number; "
            "the details were replaced (for example with [name]) before any quote.")


def rating_figure_and_claims(answered: list[QuestionResult]) -> tuple[tuple[str, str] | None, list[Claim]]:
    """The first answered question's Main points figure, and one claim (``question_1``, ...) per answered question.

    The survey and the surgery day's programme report both lead with this, so the figure and the
    sentences below it come from the same share.

    Args:
        answered: The rating questions with at least one answer, in the file's order.

    Returns:
        ``(figure, claims)``; the figure is ``None`` when no question was answered.

    Example:
        >>> rating_figure_and_claims([])
        (None, [])
    """
    if not answered:
        return None, []
    lead = answered[0]
    figure = (pct(lead.share_positive), f"{positive_words(lead)}: '{lead.header}'")
    claims = [Claim(f"question_{number}", "counted", question_sentence(result),
                    {"question": result.header, "n": result.n, "positive": result.positive,
                     "share_positive": result.share_positive, "interval": list(result.interval)},
                    SHARE_RULE)
              for number, result in enumerate(answered, start=1)]
    return figure, claims


def main_points(responses: int, results: list[QuestionResult], comments: Comments | None,
                ) -> tuple[list[tuple[str, str]], list[str], list[Claim]]:
    """The Main points box and the claims behind it."""
    figures = [(f"{responses:,}", "responses")]
    claims = [Claim("responses", "counted", f"The survey has {responses:,} responses.", {"responses": responses},
                    "Each row of the file is one response.")]
    answered = [r for r in results if r.n]
    lead_figure, question_claims = rating_figure_and_claims(answered)
    figures.extend([lead_figure] if lead_figure else [])
    claims.extend(question_claims)
    claims.extend(group_claims(answered))
    claims.extend(group_claims(answered, over_time=True))
    if comments is not None and len(comments.table):
        figures.append((f"{len(comments.table):,}", "comments"))
        sentence = theme_sentence(comments)
        if sentence:
            claims.append(Claim("themes", comments.themes.method, sentence,
                                {"comments": len(comments.table), "themes": len(comments.themes.names)},
                                "Themes by TF-IDF and NMF, the number chosen by stability (see For analysts)"
                                if comments.themes.method == "nmf" else "Each comment coded to the theme with the "
                                "most keyword matches."))
        claims.append(Claim("redacted", "counted", redacted_sentence(comments), {"redacted": comments.redacted},
                            "Names, emails, phones, postcodes, addresses and long numbers are replaced before quoting."))
    # The box leads with the count, the first question, the widest group difference and the themes; every
    # claim's sentence is also printed in its own section below.
    differences = [c for c in claims if c.key.startswith("group_")]
    widest = max(differences, key=lambda c: abs(c.numbers["share"] - c.numbers["rest_share"]), default=None)
    lead_keys = ["responses", "question_1", widest.key if widest else "groups", "themes"]
    sentences = [c.sentence for key in lead_keys for c in claims if c.key == key]
    return figures, sentences, claims


def chart_words(results: list[QuestionResult]) -> tuple[str, str]:
    """The rating chart's title and alt text, from the same results as the Main points."""
    answered = [r for r in results if r.n]
    best = max(answered, key=lambda r: (r.share_positive, -results.index(r)))
    title = f"{pct(best.share_positive)} answered {positive_words(best)} to '{best.header}'"
    parts = "; ".join(f"{r.header}: " + ", ".join(f"{label} {pct(count / r.n)}" for label, count in r.counts.items())
                      for r in answered)
    return title, f"Diverging bar chart of the answers to each rating question, negative answers to the left. {parts}."


def ratings_table(results: list[QuestionResult]) -> pd.DataFrame:
    """One row per question: answers, share positive with its interval, middle and most common answer."""
    return pd.DataFrame([{
        "Question": r.header, "Answers": f"{r.n:,}", "Positive": pct(r.share_positive),
        "95% interval": f"{pct(r.interval[0])} to {pct(r.interval[1])}" if r.n else "",
        "Middle answer": r.median or "", "Most common": r.mode or ""} for r in results])


def group_table(results: list[QuestionResult], over_time: bool = False) -> pd.DataFrame | None:
    """Share positive by group (or period) and question (groups under 5 answers hidden)."""
    rows = []
    for r in results:
        for group, found in (r.by_period if over_time else r.by_group).items():
            rows.append({"Question": r.header, "Period" if over_time else "Group": group,
                         "Answers": "fewer than 5" if found["decision"] == "hidden" else f"{found['n']:,}",
                         "Positive": "" if found["share"] is None else pct(found["share"]),
                         "Compared with everyone else": {"above": "more positive", "below": "less positive",
                                                         "about_the_same": "no clear difference",
                                                         "too_few": "too few to tell",
                                                         "hidden": ""}[found["decision"]]})
    frame = pd.DataFrame(rows) if rows else None
    if frame is not None and over_time:
        frame = frame.rename(columns={"Compared with everyone else": "Compared with the other periods"})
    return frame


def period_table(results: list[QuestionResult]) -> pd.DataFrame | None:
    """Share positive by month or quarter and question (:func:`group_table` over time)."""
    return group_table(results, over_time=True)


def themes_table(comments: Comments) -> pd.DataFrame:
    """One row per theme: its words, comments, and tone counts."""
    return pd.DataFrame([{"Theme": row["name"], "Top words": ", ".join(row["top_words"]),
                          "Comments": f"{row['count']:,}", "Positive": f"{row['positive']:,}",
                          "Neutral": f"{row['neutral']:,}", "Negative": f"{row['negative']:,}"}
                         for row in comments.theme_rows()])


def theme_quotes(comments: Comments, quotes: bool = True) -> list[tuple[str, list[str]]]:
    """Each theme with its example quotes (empty where none may be shown)."""
    return [(row["name"], examples(comments, row["name"], quotes)) for row in comments.theme_rows()
            if row["name"] != NO_THEME]


def caveats(comments: Comments | None) -> list[str]:
    lines = ["A survey hears from the people who chose to answer it: those who had a very good or very bad "
             "time are often more likely to reply, so the shares describe the answers, not everyone who used "
             "the service.",
             "A rating is a label, not a number: 'Agree' is not twice 'Strongly disagree', so no average of "
             "the labels is given."]
    if comments is not None and len(comments.table):
        lines.append("Themes are found from the words people used, by a computer: read the example comments and "
                     "the comments file before you act on a theme's name.")
        lines.append(LIMITS)
    return lines


def next_steps(results: list[QuestionResult], comments: Comments | None) -> list[str]:
    steps = []
    if comments is not None and (comments.table["theme"] == NO_THEME).any():
        steps.append("Read the comments that fit no theme in comments.xlsx: they are often the most useful.")
    if any(f["decision"] == BELOW for r in results for f in r.by_group.values()):
        steps.append("Talk to the team of any group whose answers were less positive, with the comments from it.")
    steps.append("Share the report with the people who answered: say what you heard and what you will change.")
    steps.append("Keep comments.xlsx with your own records only: its second sheet holds the comments as written, "
                 "with names and contact details.")
    return steps


def summary_figures(responses: int, results: list[QuestionResult], comments: Comments | None) -> dict:
    """``summary.json``'s keys (issue 26): responses, questions, themes, redacted."""
    questions = {r.header: {"n": r.n, "scale": list(r.scale.points), "distribution": r.counts,
                            "share_positive": r.share_positive, "interval": list(r.interval) if r.n else None,
                            "median": r.median, "mode": r.mode,
                            "by_group": {g: dict(f) for g, f in r.by_group.items()},
                            "by_period": {p: dict(f) for p, f in r.by_period.items()}}
                 for r in results}
    themes = []
    if comments is not None:
        themes = [{"name": row["name"], "top_words": row["top_words"], "count": row["count"],
                   "share_positive": row["share_positive"]} for row in comments.theme_rows()]
    return {"responses": responses, "questions": questions, "themes": themes,
            "comments": 0 if comments is None else len(comments.table),
            "redacted": 0 if comments is None else comments.redacted,
            "theme_method": None if comments is None else comments.themes.method}


def bullets(sentences: list[str]) -> str:
    """Sentences as a Markdown list, each shown exactly as written (headers from the file are text, not markup).

    Example:
        >>> bullets(["'*Q*': 90% agreed."])
        "- '\\\\*Q\\\\*': 90% agreed."
    """
    return "\n".join(f"- {md_text(sentence)}" for sentence in sentences)


def quotes_markdown(comments: Comments, quotes: bool = True) -> str:
    """Each theme's heading line with its count and up to three redacted quotes, as Markdown."""
    counts = {row["name"]: row["count"] for row in comments.theme_rows()}
    parts = []
    for name, chosen in theme_quotes(comments, quotes):
        parts.append(f"**{md_text(name)}** ({plural(counts[name], 'comment')})")
        if chosen:
            parts.extend(f"> “{md_text(quote)}”" for quote in chosen)
        elif quotes:
            parts.append("No comment from this theme is quoted: it, or the groups its comments came from, has "
                         "fewer than 5 responses.")
    if not quotes:
        parts.append("No comment is quoted: the report was asked to show none.")
    return "\n\n".join(parts)


def no_theme_sentence(comments: Comments) -> str | None:
    """How many comments fit no theme, and where to read them."""
    count = int((comments.table["theme"] == NO_THEME).sum())
    if not count:
        return None
    return (f"{plural(count, 'comment')} fit no theme; they are listed in comments.xlsx (theme '{NO_THEME}') "
            "for reading one by one.")
