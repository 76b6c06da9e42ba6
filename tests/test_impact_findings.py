"""The impact report's conclusions as rules (issue 20): each word drawn only when its rule says so.

Each rule is tested at its boundary and on the counterexample where the word must not appear:
"improved by a meaningful amount" only with a measurement-error threshold, drop-outs compared only
when at least 5 left, each caution once per report in each measure's direction, figures that add
up as printed, and the grammar of one person.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.impact.charts import change_chart
from helpers.impact.findings import (
    change_decimals,
    dropout_claim,
    improvement_claim,
    shares_that_add_up,
)
from helpers.impact.outcomes import measure_impact
from helpers.impact.words import (
    caveats,
    headline,
    main_points,
    missing_sentence,
    report_claims,
    summary_text,
    threshold_in_words,
    who_is_missing,
)

MEANINGFUL = "improved by a meaningful amount"


def ons4_table(n=40, seed=1, leavers=0, anxiety_start=7):
    """ONS4 answers 0-10, people starting low (and anxious), most a little better at the end."""
    rng = np.random.default_rng(seed)
    start = rng.integers(2, 6, n)
    end = np.clip(start + rng.integers(-1, 3, n), 0, 10).astype("float")
    anxious = np.full(n, anxiety_start)
    anxious_end = np.clip(anxious - rng.integers(-1, 3, n), 0, 10).astype("float")
    if leavers:
        end[:leavers] = np.nan
        anxious_end[:leavers] = np.nan
    return pd.DataFrame({"Client": [f"P{i}" for i in range(n)],
                         "Happy (start)": start, "Happy (end)": end,
                         "Anxious (start)": anxious, "Anxious (end)": anxious_end})


def swemwbs_table(n=40, seed=2, leavers=0):
    rng = np.random.default_rng(seed)
    before = rng.choice([15.32, 16.88, 18.59, 19.25, 20.73, 22.35], n)
    after = before + rng.choice([-1.5, 0.0, 1.5, 3.2, 4.1], n)
    after = np.where(np.arange(n) < leavers, np.nan, after)
    return pd.DataFrame({"Score before": before, "Score after": after})


def _title(fig) -> str:
    return fig.axes[0].get_title(loc="left").replace("\n", " ")


def _all_words(result) -> str:
    figures, sentences = main_points(result)
    return " ".join([*(label for _, label in figures), *sentences, headline(result), summary_text(result),
                     *caveats(result), *(threshold_in_words(m) for m in result.measures)])


# --- "improved by a meaningful amount" ------------------------------------------------------------

def test_a_published_measurement_error_threshold_licenses_meaningful():
    result = measure_impact(swemwbs_table())
    claim = improvement_claim(result.main)
    assert claim.decision == "meaningful_improvement"
    fig, alt = change_chart(result.main)
    assert _title(fig) == claim.sentence.rstrip(".") and MEANINGFUL in _title(fig)
    assert claim.sentence in threshold_in_words(result.main) and alt.startswith(claim.sentence)
    assert main_points(result)[0][2][1] == MEANINGFUL
    plt.close(fig)


def test_the_reliable_change_index_is_a_measurement_error_threshold_too():
    rng = np.random.default_rng(5)
    level = rng.integers(2, 5, 40)
    answers = {f"pre{q}": np.clip(level + rng.integers(-1, 2, 40), 1, 5) for q in range(1, 6)}
    answers |= {f"post{q}": np.clip(level + 1 + rng.integers(-1, 2, 40), 1, 5) for q in range(1, 6)}
    result = measure_impact(pd.DataFrame(answers), scale="none", before_items="pre", after_items="post")
    assert result.main.threshold_rule == "reliable change"
    assert improvement_claim(result.main).decision == "meaningful_improvement"


def test_any_change_counting_says_improved_never_meaningful_on_ons4():
    # The case: ONS4, no threshold known, any change counts.
    result = measure_impact(ons4_table(), scale="ons4")
    for m in result.measures:
        claim = improvement_claim(m)
        assert claim.decision == "improved"
        fig, alt = change_chart(m)
        assert _title(fig) == claim.sentence.rstrip(".") and _title(fig).endswith("people improved")
        plt.close(fig)
    assert MEANINGFUL not in _all_words(result)
    assert main_points(result)[0][2][1] == "improved"


def test_a_threshold_of_one_chosen_for_the_report_is_named_in_points_not_meaningful():
    result = measure_impact(ons4_table(), scale="ons4", meaningful_change="1")
    claim = improvement_claim(result.main)
    assert claim.decision == "improved_by_threshold"
    assert claim.sentence.endswith("people improved by at least 1 point.")
    fig, _ = change_chart(result.main)
    assert MEANINGFUL not in _title(fig)
    plt.close(fig)
    assert MEANINGFUL not in _all_words(result)


def test_mycaws_one_point_step_is_not_a_measurement_error_threshold():
    table = pd.DataFrame({"Concern 1 (start)": [5, 4, 6, 3] * 3, "Concern 1 (end)": [3, 3, 4, 3] * 3,
                          "Wellbeing (start)": [4] * 12, "Wellbeing (end)": [3] * 12})
    result = measure_impact(table, scale="mycaw")
    assert {improvement_claim(m).decision for m in result.measures} == {"improved_by_threshold"}
    assert MEANINGFUL not in _all_words(result)


# --- drop-outs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("leavers, compared", [(1, False), (4, False), (5, True)])
def test_those_who_left_are_compared_only_when_at_least_5_left(leavers, compared):
    result = measure_impact(swemwbs_table(n=40, leavers=leavers))
    claim = dropout_claim(result.main)
    text = who_is_missing(result) + " ".join(caveats(result))
    left_mean = f"{result.main.figures['mean_before_dropouts']:.1f}, against"
    assert claim.decision == ("compared" if compared else "too_few_left")
    assert (left_mean in text) is compared
    assert ("started higher" in text or "started lower" in text or "same level" in text) is compared
    assert claim.sentence in who_is_missing(result)
    assert (claim.numbers["mean_before_left"] is not None) is compared


def test_no_one_left_draws_no_drop_out_claim():
    result = measure_impact(swemwbs_table(leavers=0))
    assert [c.key for c in report_claims(result)] == ["swemwbs_improved"]


def test_one_person_who_left_reads_as_one_person():
    assert missing_sentence(1) == ("One more person filled in the first form but not the second, so is not in "
                                   "these figures.")
    result = measure_impact(swemwbs_table(leavers=1))
    assert "Another 1 person" not in headline(result) + summary_text(result)
    assert "One more person" in headline(result)
    assert missing_sentence(2).startswith("Another 2 people")


# --- caveats once, each the right way round ---------------------------------------------------------

def test_regression_to_the_mean_is_said_once_and_anxiety_joined_at_a_high_point():
    result = measure_impact(ons4_table(anxiety_start=8), scale="ons4")
    said = caveats(result)
    about = [c for c in said if "regression to the mean" in c]
    assert len(about) == 1
    assert "at a low point on happiness" in about[0] and "at a high point on anxiety" in about[0]
    assert "low point on anxiety" not in about[0] and "anxiety (8.0, below" not in about[0]
    # The heavy drop-out caution too: said once for the report, not once per measure.
    leavers = measure_impact(ons4_table(leavers=16), scale="ons4")
    assert sum("have no end score" in c for c in caveats(leavers)) == 1


def test_anxiety_alone_joined_at_a_high_point():
    table = ons4_table(anxiety_start=8)[["Anxious (start)", "Anxious (end)"]]
    said = " ".join(caveats(measure_impact(table, scale="ons4")))
    assert "People joined at a high point" in said and "above the UK average" in said
    assert "low point" not in said


def test_anxiety_below_the_national_average_gives_no_regression_caveat():
    table = ons4_table(anxiety_start=2)[["Anxious (start)", "Anxious (end)"]]
    assert not any("regression to the mean" in c for c in caveats(measure_impact(table, scale="ons4")))


def test_incomplete_forms_point_to_the_table_by_name_not_below():
    answers = {"pre1": [3, 4, 2, None, 3, 4]} | {f"pre{q}": [3, 4, 2, 5, 3, 4] for q in range(2, 8)} | {
        f"post{q}": [4, 4, 3, 3, 4, 5] for q in range(1, 8)}
    result = measure_impact(pd.DataFrame(answers), before_items="pre", after_items="post")
    notes = " ".join(result.collected.notes)
    assert "counted below" not in notes and "'Who has a score at each point'" in notes


# --- figures that add up as printed ---------------------------------------------------------------

def test_the_change_equals_the_printed_end_minus_the_printed_start():
    # 5.26 to 5.84 printed as 5.3 to 5.8 would read "a rise of 0.6": two decimals are needed.
    table = pd.DataFrame({"Score before": [5.26] * 6 + [5.36, 5.16], "Score after": [5.84] * 6 + [5.94, 5.74]})
    result = measure_impact(table, scale="none")
    assert result.main.figures["decimals"] == 2
    assert "from 5.26 to 5.84, a rise of 0.58 points" in headline(result)
    assert main_points(result)[0][1][0] == "+0.58"
    fig, _ = change_chart(result.main)
    plt.close(fig)
    assert change_decimals([(5.31, 5.84)]) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), min_size=2, max_size=30))
def test_printed_averages_always_add_up(scores):
    before = pd.Series([b / 10 for b, _ in scores])
    after = pd.Series([a / 10 for _, a in scores])
    digits = change_decimals([(before.mean(), after.mean(), (after - before).mean())])
    shown_start, shown_end = float(f"{before.mean():.{digits}f}"), float(f"{after.mean():.{digits}f}")
    shown_change = f"{(after - before).mean():.{digits}f}".replace("-0.", "0.") if digits else ""
    if digits < 3:
        assert f"{shown_end - shown_start:.{digits}f}".replace("-0.", "0.") == shown_change


def test_three_shares_printed_side_by_side_add_up_to_100():
    assert shares_that_add_up([1, 1, 1]) == [34, 33, 33]
    assert sum(shares_that_add_up([72, 17, 16])) == 100
    table = pd.DataFrame({"b": [3, 4, 5], "a": [4, 4, 3]})
    text = threshold_in_words(measure_impact(table, before_column="b", after_column="a", scale="none").main)
    assert "(34%)" in text and text.count("(33%)") == 2


# --- property: unchanged scores never yield "improved" ---------------------------------------------

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 10), min_size=2, max_size=40), st.sampled_from(["ons4", "none"]))
def test_unchanged_scores_never_yield_improved(scores, scale):
    table = pd.DataFrame({"Happy (start)": scores, "Happy (end)": scores})
    result = measure_impact(table, scale=scale, **({} if scale == "ons4" else {
        "before_column": "Happy (start)", "after_column": "Happy (end)"}))
    m = result.main
    assert m.figures["improved"] == 0 and m.figures["worse"] == 0
    assert improvement_claim(m).numbers["improved"] == 0
    words = _all_words(result)
    assert MEANINGFUL not in words and " rose " not in words and " fell " not in words
    assert not any(c.decision == "meaningful_improvement" and c.numbers["improved"] for c in report_claims(result))


def test_every_row_of_the_group_table_adds_up_as_printed():
    from helpers.impact.words import groups_table

    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"Service": np.repeat(list("ABCDEF"), 8), "Score before": rng.uniform(10, 30, 48).round(3)})
    frame["Score after"] = (frame["Score before"] + rng.uniform(-3, 6, 48)).round(3)
    table = groups_table(measure_impact(frame, scale="none").main)
    for row in table.itertuples(index=False):
        start, end, change = float(row[2]), float(row[3]), float(row[4])
        assert round(end - start, 1) == change
