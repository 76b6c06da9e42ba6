"""The shared conclusion rules: Wilson intervals and share comparisons, at their boundaries."""

import json

import pytest
from scipy import stats

from helpers.writing.claims import (
    ABOUT_THE_SAME, ABOVE, BELOW, CONCLUSION_WORDS, TOO_FEW, Claim, claims_json, compare_share,
    wilson_interval,
)
from helpers.writing.playbook import save_summary


@pytest.mark.parametrize("k,n", [(0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (412, 1000), (1, 3)])
def test_wilson_matches_the_score_test_inversion(k, n):
    # statsmodels is not a dependency: check against scipy's binomtest with the Wilson method.
    expected = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    low, high = wilson_interval(k, n)
    assert low == pytest.approx(expected.low, abs=1e-9)
    assert high == pytest.approx(expected.high, abs=1e-9)


def test_wilson_stays_inside_zero_and_one_and_covers_the_share():
    for n in (1, 2, 5, 9, 10, 50):
        for k in range(n + 1):
            low, high = wilson_interval(k, n)
            assert 0.0 <= low <= k / n <= high <= 1.0


def test_wilson_refuses_impossible_counts():
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_compare_share_draws_no_difference_inside_the_interval():
    low, high = wilson_interval(20, 100)
    assert compare_share(20, 100, low + 1e-9) == ABOUT_THE_SAME
    assert compare_share(20, 100, high - 1e-9) == ABOUT_THE_SAME
    assert compare_share(20, 100, 0.20) == ABOUT_THE_SAME


def test_compare_share_calls_a_difference_just_outside_the_interval():
    low, high = wilson_interval(20, 100)
    assert compare_share(20, 100, high + 1e-9) == BELOW
    assert compare_share(20, 100, low - 1e-9) == ABOVE


def test_compare_share_concludes_nothing_under_ten_people():
    assert compare_share(0, 9, 0.9) == TOO_FEW
    assert compare_share(0, 10, 0.9) == BELOW


def test_summary_always_carries_claims(tmp_path):
    path = save_summary(tmp_path, {"rows": 3})
    assert json.loads(path.read_text())["claims"] == []
    claim = Claim("share", BELOW, "Fewer than expected.", {"share": 0.1}, "Wilson interval")
    path = save_summary(tmp_path, {"rows": 3}, claims=[claim])
    assert json.loads(path.read_text())["claims"] == claims_json([claim])


def test_every_conclusion_phrase_has_a_distinct_decision():
    assert len(set(CONCLUSION_WORDS.values())) == len(CONCLUSION_WORDS)
