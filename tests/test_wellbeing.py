"""Scoring WEMWBS and SWEMWBS answers: the conversion table, words, missing and odd answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.impact.scales import (
    cronbach_alpha,
    get_scale,
    numbers_in,
    reliable_change,
    score_items,
    swemwbs_metric,
)

# The published SWEMWBS raw-to-metric table, typed from the user guide (raw 7..35).
PUBLISHED_METRIC = [
    7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43, 17.98,
    18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03, 28.13, 29.31,
    30.70, 32.55, 35.00,
]


def answers_summing_to(total: int, questions: int) -> list[int]:
    """A set of 1-5 answers with the given sum (as many 5s as fit, then the rest)."""
    answers = [1] * questions
    left = total - questions
    for i in range(questions):
        step = min(4, left)
        answers[i] += step
        left -= step
    assert sum(answers) == total
    return answers


def frame_of(rows: list[list], prefix: str = "q") -> pd.DataFrame:
    columns = [f"{prefix}{i + 1}" for i in range(len(rows[0]))]
    return pd.DataFrame(rows, columns=columns, index=range(2, 2 + len(rows)))


def test_swemwbs_conversion_table_end_to_end_from_answers():
    rows = [answers_summing_to(raw, 7) for raw in range(7, 36)]
    scored = score_items(frame_of(rows), get_scale("swemwbs"))
    assert scored.raw_total.tolist() == list(range(7, 36))
    assert scored.score.tolist() == PUBLISHED_METRIC


def test_swemwbs_metric_refuses_impossible_raw_totals():
    assert math.isnan(swemwbs_metric(6))
    assert math.isnan(swemwbs_metric(36))
    assert math.isnan(swemwbs_metric(20.5))
    assert swemwbs_metric(20.0) == 18.59


def test_wemwbs_is_the_plain_sum_of_fourteen_answers():
    rows = [[1] * 14, [5] * 14, answers_summing_to(45, 14)]
    scored = score_items(frame_of(rows), get_scale("wemwbs"))
    assert scored.score.tolist() == [14.0, 70.0, 45.0]


def test_answer_words_map_to_one_to_five_in_any_case_and_mix():
    rows = [
        ["None of the time", "rarely", " Some of the time ", "OFTEN", "All of  the time", "3", 4],
        ["1", "2", "3", "4", "5", "3", "4"],
    ]
    scored = score_items(frame_of(rows).astype("object"), get_scale("swemwbs"))
    assert scored.raw_total.tolist() == [22.0, 22.0]
    assert scored.had_words
    assert scored.score.tolist() == [19.98, 19.98]


def test_a_missing_answer_means_no_score_and_is_counted():
    rows = [[3, 3, 3, None, 3, 3, 3], [None] * 7, [3] * 7]
    scored = score_items(frame_of(rows), get_scale("swemwbs"))
    assert math.isnan(scored.score[2])
    assert scored.incomplete.tolist() == [True, False, False]
    assert scored.blank.tolist() == [False, True, False]
    assert scored.score[4] == 19.25


@pytest.mark.parametrize("odd", [0, 6, 2.5, -1])
def test_answers_outside_one_to_five_are_treated_as_missing(odd):
    rows = [[3, 3, odd, 3, 3, 3, 3], [3] * 7]
    scored = score_items(frame_of(rows), get_scale("swemwbs"))
    assert math.isnan(scored.score[2])
    assert scored.out_of_range.tolist() == [1, 0]
    assert scored.incomplete.tolist() == [True, False]


def test_unreadable_answer_stops_with_column_and_rows():
    rows = [[3] * 7, [3, "lots", 3, 3, 3, 3, 3], [3, "meh", 3, 3, 3, 3, 3]]
    with pytest.raises(InputProblem) as problem:
        score_items(frame_of(rows).astype("object"), get_scale("swemwbs"), "before_items")
    message = str(problem.value)
    assert "'q2'" in message and "before_items" in message and "rows 3 and 4" in message
    assert "'Often'" in message  # says what it accepts


def test_wrong_number_of_questions_is_refused():
    with pytest.raises(InputProblem, match="has 7 questions"):
        score_items(frame_of([[3] * 6]), get_scale("swemwbs"))


def test_scale_none_sums_any_numbers_without_range_check():
    scored = score_items(frame_of([[7, 9, 10], [0, 1, 2]]), get_scale("none"))
    assert scored.score.tolist() == [26.0, 3.0]
    assert scored.out_of_range.sum() == 0


def test_unknown_scale_is_an_input_problem():
    with pytest.raises(InputProblem, match="'swemwbs'"):
        get_scale("warwick")
    assert get_scale(" WEMWBS ").n_items == 14
    assert get_scale("").key == "none"


def test_numbers_in_flags_text_but_not_blanks():
    values, bad = numbers_in(pd.Series(["3", " ", None, "x", " 4.5 "]))
    assert values.tolist()[0] == 3.0 and values.tolist()[4] == 4.5
    assert bad.tolist() == [False, False, False, True, False]


def hoyt_alpha(answers: np.ndarray) -> float:
    """Reliability by Hoyt's analysis of variance: (MS persons - MS error) / MS persons.

    An independent route to Cronbach's alpha (they are algebraically equal).
    """
    n, k = answers.shape
    grand = answers.mean()
    ss_persons = k * ((answers.mean(axis=1) - grand) ** 2).sum()
    ss_items = n * ((answers.mean(axis=0) - grand) ** 2).sum()
    ss_total = ((answers - grand) ** 2).sum()
    ms_persons = ss_persons / (n - 1)
    ms_error = (ss_total - ss_persons - ss_items) / ((n - 1) * (k - 1))
    return (ms_persons - ms_error) / ms_persons


def test_cronbach_alpha_matches_hoyts_anova_route():
    rng = np.random.default_rng(3)
    level = rng.normal(3, 0.8, 60)
    answers = np.clip(np.rint(level[:, None] + rng.normal(0, 0.7, (60, 7))), 1, 5)
    frame = pd.DataFrame(answers)
    assert cronbach_alpha(frame) == pytest.approx(hoyt_alpha(answers), abs=1e-12)


def test_cronbach_alpha_by_hand_and_edge_cases():
    # Item variances 5/3, 8/3, 4/3; total variance 15: alpha = 3/2 * (1 - (17/3)/15) = 14/15.
    frame = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 3, 5], "c": [2, 2, 4, 4]})
    assert cronbach_alpha(frame) == pytest.approx(14 / 15)
    assert math.isnan(cronbach_alpha(frame[["a"]]))
    assert math.isnan(cronbach_alpha(pd.DataFrame({"a": [2, 2], "b": [3, 3]})))


def test_reliable_change_formula():
    # 1.96 * sqrt(2) * 5 * sqrt(1 - 0.75) = 1.96 * 1.41421356 * 5 * 0.5
    assert reliable_change(5.0, 0.75) == pytest.approx(6.92964645, rel=1e-8)
    assert math.isnan(reliable_change(5.0, -0.2))
    assert math.isnan(reliable_change(5.0, math.nan))


def test_answers_exported_as_zero_to_four_are_moved_up_with_a_note():
    # 40 people, 32 of them with at least one 0: a survey tool's 0-4 coding, not 32 typos.
    rng = np.random.default_rng(3)
    answers = rng.integers(0, 5, (40, 7))
    answers[answers.max(axis=1) == 4, 0] = 0  # make sure most forms hold a 0 somewhere
    scored = score_items(frame_of(answers.tolist()), get_scale("swemwbs"))
    assert scored.shifted == tuple(f"q{i}" for i in range(1, 8))
    assert scored.score.notna().all()  # nobody dropped
    expected = pd.Series(answers.sum(axis=1) + 7).map(lambda raw: PUBLISHED_METRIC[raw - 7])
    assert scored.score.tolist() == expected.tolist()  # each scored as the form's 1-5 answers


def test_common_zeros_beside_fives_stop_the_run_naming_the_columns():
    rows = [[0, 3, 3, 5, 3, 3, 3], [0, 2, 3, 3, 3, 3, 3], [0, 3, 3, 3, 3, 3, 3], [3] * 7]
    with pytest.raises(InputProblem, match="'q1'.*0-4"):
        score_items(frame_of(rows), get_scale("swemwbs"), "before_items")


def test_zero_to_four_note_reaches_the_report_notes():
    from helpers.impact.outcomes import measure_impact

    rng = np.random.default_rng(5)
    start, end = rng.integers(0, 5, (40, 7)), rng.integers(0, 5, (40, 7))
    table = pd.DataFrame({**{f"pre_{i}": start[:, i - 1] for i in range(1, 8)},
                          **{f"post_{i}": end[:, i - 1] for i in range(1, 8)}})
    result = measure_impact(table, before_items="pre_", after_items="post_")
    assert result.main.figures["n_pairs"] == 40
    assert any("run from 0 to 4" in note and "moved up by one" in note for note in result.collected.notes)
