"""what-people-tell-us: ratings read as labels, themes found and stable, no one identifiable (issue 26)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from helpers.errors import InputProblem
from helpers.survey import hear, main_points
from helpers.survey.comments import Comments, examples, quotable, read_comments
from helpers.survey.questions import read_survey
from helpers.survey.ratings import compare_groups, count_question
from helpers.survey.redaction import LONGEST_QUOTE, cut, redact
from helpers.survey.scales import read_scale
from helpers.survey.themes import NO_THEME, code_comments, find_themes, read_framework
from helpers.survey.words import question_sentence
from helpers.synthetic.survey import DO_BETTER, LIKE_MOST, THEMES, make_survey
from helpers.writing.claims import wilson_interval


@pytest.fixture(scope="module")
def sample():
    return make_survey()


def _planted(survey: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Every comment of the sample with its planted theme, in the order the kit reads them."""
    comments = pd.concat([survey[LIKE_MOST], survey[DO_BETTER]], ignore_index=True)
    planted = pd.concat([survey["_theme_like"], survey["_theme_better"]], ignore_index=True)
    keep = comments.notna()
    return comments[keep], planted[keep]


@pytest.fixture(scope="module")
def themed(sample):
    frame = sample.drop(columns=["_theme_like", "_theme_better"])
    found = read_comments(frame, [LIKE_MOST, DO_BETTER], "Service")
    _, planted = _planted(sample)
    return found, planted.reset_index(drop=True)


# --- Themes -----------------------------------------------------------------------------------------

def test_the_planted_themes_are_recovered(themed):
    found, planted = themed
    labels = found.table["theme"]
    assert adjusted_rand_score(planted, labels) >= 0.6
    # Each planted theme is matched by one found theme: its commonest, and no two share one.
    matched = {theme: labels[planted == theme].value_counts().index[0] for theme in THEMES}
    assert len(set(matched.values())) == len(THEMES), matched
    assert 2 <= found.themes.chosen <= 8


def test_themes_are_the_same_on_a_second_run_and_on_a_90_percent_subsample(themed, sample):
    found, _ = themed
    again = find_themes(found.table["redacted"])
    assert again.labels.tolist() == found.table["theme"].tolist()
    rng = np.random.default_rng(7)
    keep = np.sort(rng.choice(len(found.table), size=int(0.9 * len(found.table)), replace=False))
    sub = find_themes(found.table["redacted"].iloc[keep].reset_index(drop=True))
    # The number chosen may move by a split theme; the grouping must stay: high agreement with the full run's.
    assert abs(sub.chosen - found.themes.chosen) <= 2
    assert adjusted_rand_score(found.table["theme"].iloc[keep], sub.labels) >= 0.75


def test_the_number_of_themes_is_never_more_than_eight():
    words = [f"word{i}a word{i}b word{i}c" for i in range(12)]
    comments = pd.Series([words[i % 12].replace("word", "x" * (1 + i % 12)) for i in range(240)])
    assert find_themes(comments).chosen <= 8


def test_the_charity_s_own_themes_code_comments_and_count_the_rest():
    framework = read_framework("Staff: staff, volunteer; Food: lunch, soup")
    coded = code_comments(pd.Series(["Lovely volunteers", "Hot soup", "Parking", "Staff and lunch"]), framework)
    assert coded.labels.tolist() == ["Staff", "Food", NO_THEME, "Staff"]
    with pytest.raises(InputProblem, match="themes"):
        read_framework("Staff staff volunteer")


# --- Ratings ----------------------------------------------------------------------------------------

EXPORT_SHAPES = {
    "google forms labels": (["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"],
                            "agreement", "Strongly agree"),
    "microsoft forms neutral": (["Strongly Agree", "Agree", "Neutral", "Disagree", "Strongly Disagree"],
                                "agreement", "Strongly agree"),
    "surveymonkey code after": (["Strongly agree (5)", "Agree (4)", "Disagree (2)", "Strongly disagree (1)"],
                                "agreement", "Strongly agree"),
    "code before label": (["5 - Very satisfied", "4 - Satisfied", "2 - Dissatisfied", "3 - Neither satisfied nor dissatisfied"],
                          "satisfaction", "Very satisfied"),
    "codes with unknown labels": (["4 - Useful", "5 - Very useful", "1 - Not useful", "3 - Quite useful"],
                                  "coded", "5 - Very useful"),
    "numeric 1-5": ([1, 2, 3, 4, 5, 4], "numeric", "5"),
    "numeric 1-10 as text": (["7", "8", "10", "3", "6"], "numeric", "10"),
    "numeric 0-10": ([0, 10, 9, 5, 7], "numeric", "10"),
    "stars symbols": (["★★★★★", "★★★☆☆", "★★☆☆☆"], "stars", "5 stars"),
    "stars words": (["4 stars", "1 star", "5 stars"], "stars", "5 stars"),
    "score out of five": (["4/5", "2/5", "5/5"], "stars", "5 stars"),
    "yes no don't know": (["Yes", "No", "Don’t know", "yes"], "yes/no", "Yes"),
    "frequency": (["Always", "Often", "Sometimes", "Never"], "frequency", "Always"),
}


@pytest.mark.parametrize("shape", list(EXPORT_SHAPES))
def test_the_likert_reader_reads_every_export_shape(shape):
    answers, kind, top = EXPORT_SHAPES[shape]
    scale = read_scale(pd.Series(answers * 3))
    assert scale is not None and scale.kind == kind and scale.points[-1] == top
    result = count_question("Q", pd.Series(answers * 3), scale)
    assert result.n == len(answers) * 3 and result.off_scale == 0


def test_surveymonkey_s_second_header_row_is_dropped():
    frame = pd.DataFrame({"Staff were kind": ["Response", "Agree", "Strongly agree", "Disagree"],
                          "Anything else?": ["Open-Ended Response", "The lunch was lovely today",
                                             "Long wait on Monday morning", "Buses are hard to use"]},
                         index=[2, 3, 4, 5])
    survey = read_survey(SimpleNamespace(frame=frame))
    assert list(survey.ratings) == ["Staff were kind"] and survey.comments == ["Anything else?"]
    assert len(survey.frame) == 3


def test_free_text_and_categories_are_not_ratings():
    assert read_scale(pd.Series(["The staff were kind", "Too long a wait"])) is None
    assert read_scale(pd.Series(["Lunch club", "Youth club"])) is None
    assert read_scale(pd.Series(["Yes", "Yes"])) is None  # one point only: a tick box


def test_the_middle_answer_is_a_label_never_a_mean_of_labels():
    answers = pd.Series(["Strongly agree"] * 6 + ["Strongly disagree"] * 5)
    result = count_question("Q", answers, read_scale(pd.Series(EXPORT_SHAPES["google forms labels"][0])))
    # The mean of codes 1 and 5 would be 3.2, "Neither agree nor disagree": an answer nobody gave.
    assert result.median == "Strongly agree" and result.mode == "Strongly agree"
    assert "Neither" not in question_sentence(result)


def test_the_share_positive_is_the_top_two_of_five_and_yes_of_yes_no():
    five = count_question("Q", pd.Series(["Agree", "Strongly agree", "Neutral", "Disagree"]),
                          read_scale(pd.Series(EXPORT_SHAPES["google forms labels"][0])))
    assert five.positive == 2 and five.n == 4
    yes = count_question("Q", pd.Series(["Yes", "No", "Don't know", "Yes"]), read_scale(pd.Series(["Yes", "No"])))
    assert yes.positive == 2 and yes.counts == {"No": 1, "Don't know": 1, "Yes": 2}


@pytest.mark.parametrize("positive,n,low,high", [(9, 10, 0.596, 0.982), (9, 9, 0.701, 1.0), (8, 9, 0.565, 0.980)])
def test_the_interval_at_n_9_and_10(positive, n, low, high):
    answers = pd.Series(["Yes"] * positive + ["No"] * (n - positive))
    result = count_question("Q", answers, read_scale(answers if n > positive else pd.Series(["Yes", "No"])))
    assert result.interval == wilson_interval(positive, n)
    assert round(result.interval[0], 3) == low and round(result.interval[1], 3) == high


def test_a_group_of_9_is_not_compared_and_a_group_of_10_is():
    for size, decision in ((9, "too_few"), (10, "below")):
        points = pd.Series([0] * size + [4] * 90)
        groups = pd.Series(["Small"] * size + ["Rest"] * 90)
        assert compare_groups(points, groups, 3)["Small"]["decision"] == decision


def test_a_difference_within_the_noise_is_not_called_a_difference():
    points = pd.Series([4] * 30 + [0] * 20 + [4] * 28 + [0] * 22)
    groups = pd.Series(["A"] * 50 + ["B"] * 50)
    frame = pd.DataFrame({"Service": groups, "Staff were kind": points.map({4: "Agree", 0: "Disagree"})})
    heard = hear(SimpleNamespace(frame=frame))
    _, sentences, claims = main_points(heard.responses, heard.results, heard.comments)
    assert [c.decision for c in claims if c.key.startswith("group")] == ["about_the_same"]
    assert not any("positive than everyone else" in c.sentence for c in claims)


def test_a_difference_only_the_group_s_own_interval_shows_is_not_called_one():
    # 62% of 230 against 55% of 340: 55% is outside the group's interval, but the two intervals overlap.
    points = pd.Series([4] * 143 + [0] * 87 + [4] * 187 + [0] * 153)
    groups = pd.Series(["February"] * 230 + ["Other"] * 340)
    assert compare_groups(points, groups, 3)["February"]["decision"] == "about_the_same"


def test_a_real_difference_is_called_one(sample):
    heard = hear(SimpleNamespace(frame=sample.drop(columns=["_theme_like", "_theme_better"])))
    _, _, claims = main_points(heard.responses, heard.results, heard.comments)
    youth = [c for c in claims if c.key.startswith("group") and c.numbers["group"] == "Youth club"]
    assert youth and all(c.decision == "less_positive" and "less positive than everyone else" in c.sentence for c in youth)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree", None]),
                min_size=1, max_size=60))
def test_counts_add_up_and_the_interval_holds_the_share(answers):
    scale = read_scale(pd.Series(EXPORT_SHAPES["google forms labels"][0]))
    result = count_question("Q", pd.Series(answers, dtype=object), scale)
    assert sum(result.counts.values()) == result.n == sum(a is not None for a in answers)
    if result.n:
        assert result.interval[0] <= result.share_positive <= result.interval[1]


# --- No one identifiable ----------------------------------------------------------------------------

PLANTED = ["Ask for Priya Shah, she knows me.", "Email me at jo.bloggs@example.org if you want.",
           "Ring me on 07700 900123.", "Call 020 7946 0018 anytime.", "I live at 14 Acacia Road, E8 1DY.",
           "My case number is 48291123.", "Mrs Okonkwo was brilliant.", "My worker is called Tamsin.",
           "Postcode SW1A 1AA.", "Thanks to Bernadette for the lift."]
MARKERS = ["Priya", "Shah", "jo.bloggs", "07700 900123", "020 7946 0018", "14 Acacia", "E8 1DY", "48291123",
           "Okonkwo", "Tamsin", "SW1A 1AA", "Bernadette"]


def test_every_planted_marker_is_redacted():
    redacted = [redact(text, frozenset({"ask", "for", "she", "knows", "me", "the", "lift"}))[0] for text in PLANTED]
    joined = " ".join(redacted)
    assert [m for m in MARKERS if m.lower() in joined.lower()] == []
    assert all(redact(text)[1] for text in PLANTED)


def test_the_sample_s_planted_details_never_reach_a_quote(themed, sample):
    found, _ = themed
    quotes = [q for theme in found.themes.names for q in examples(found, theme)]
    personal = found.table[found.table["was_redacted"]]
    assert len(personal) >= 20
    for text in personal["redacted"]:
        assert "@" not in text and not any(ch.isdigit() for ch in text.replace("[", "").replace("]", "")), text
    for quote in quotes:
        assert "@" not in quote and "Acacia" not in quote and len(quote) <= LONGEST_QUOTE


def test_quotes_are_cut_to_200_characters():
    long = "word " * 100
    assert len(cut(long)) <= LONGEST_QUOTE and cut(long).endswith("…")
    assert cut("short") == "short"


def _comments(groups: dict[str, int]) -> Comments:
    rows = [{"group": g, "theme": "t", "redacted": f"{g} comment {i}", "strength": 1.0}
            for g, n in groups.items() for i in range(n)]
    return Comments(pd.DataFrame(rows), None, dict(groups))


def test_no_quote_from_a_group_of_4_and_quotes_from_a_group_of_5():
    assert set(quotable(_comments({"Four": 4, "Five": 5}))["group"]) == {"Five"}
    assert all(q.startswith("Five") for q in examples(_comments({"Four": 4, "Five": 5}), "t"))


def test_no_quote_at_all_when_quotes_is_false(themed):
    found, _ = themed
    assert all(examples(found, theme, quotes=False) == [] for theme in found.themes.names)


def test_a_group_of_4_is_hidden_in_the_group_table():
    points = pd.Series([4] * 4 + [4] * 40)
    found = compare_groups(points, pd.Series(["Tiny"] * 4 + ["Big"] * 40), 3)
    assert found["Tiny"]["decision"] == "hidden" and found["Tiny"]["n"] is None and found["Tiny"]["share"] is None


def test_a_file_with_no_question_is_refused_with_what_to_do():
    frame = pd.DataFrame({"Name": ["Ann Lee", "Bob Hart"], "Service": ["Lunch", "Advice"]})
    with pytest.raises(InputProblem, match="No rating question or comment box"):
        read_survey(SimpleNamespace(frame=frame))
