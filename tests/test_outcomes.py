"""Before-and-after analysis: statistics against independent references, shapes, groups, warnings, bad input."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.errors import InputProblem
# The reference table and answer builder live with the scoring tests (pytest puts tests/ on the path).
from test_wellbeing import PUBLISHED_METRIC as PUBLISHED_METRIC_LIST
from test_wellbeing import answers_summing_to

from helpers.impact.outcomes import (
    change_statistics,
    classify_change,
    collect_scores,
    group_figures,
    measure_impact,
    wilcoxon_signed_rank,
)

# R's documented wilcox.test(x, y, paired = TRUE) example (Hollander & Wolfe's depression
# scale): V = 40, p-value = 0.03906.
R_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
R_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]

PUBLISHED_METRIC = dict(zip(range(7, 36), PUBLISHED_METRIC_LIST, strict=True))


# --- references written here, not taken from the kit -------------------------------------------

def exact_signed_rank_p(d) -> float:
    """Two-sided exact p-value by listing every sign pattern (no ties, no zeros)."""
    d = np.asarray(d, dtype=float)
    ranks = stats.rankdata(np.abs(d))
    observed = ranks[d > 0].sum()
    centre = len(d) * (len(d) + 1) / 4
    totals = [sum(r for r, s in zip(ranks, signs, strict=True) if s) for signs in
              itertools.product([0, 1], repeat=len(d))]
    extreme = sum(1 for t in totals if abs(t - centre) >= abs(observed - centre) - 1e-9)
    return extreme / len(totals)


def r_normal_signed_rank_p(d) -> tuple[float, float]:
    """R's wilcox.test normal approximation, written out: zeros dropped, tie and continuity corrections."""
    d = np.asarray(d, dtype=float)
    d = d[d != 0]
    n = len(d)
    ranks = stats.rankdata(np.abs(d))
    v = ranks[d > 0].sum()
    _, ties = np.unique(np.abs(d), return_counts=True)
    z = v - n * (n + 1) / 4
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - (ties**3 - ties).sum() / 48)
    z = (z - math.copysign(0.5, z)) / sigma
    return v, 2 * min(stats.norm.cdf(z), stats.norm.sf(z))


def paired_t_reference(before, after):
    """Mean change, its 95% CI and the two-sided p-value from the textbook formulas."""
    d = np.subtract(after, before)
    n = len(d)
    mean = sum(d) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in d) / (n - 1))
    se = sd / math.sqrt(n)
    t_crit = stats.t.ppf(0.975, n - 1)
    t_value = mean / se
    return mean, mean - t_crit * se, mean + t_crit * se, 2 * stats.t.sf(abs(t_value), n - 1)


def swemwbs_answers(raw: int) -> list[int]:
    return answers_summing_to(raw, 7)


# --- statistics -------------------------------------------------------------------------------

def test_wilcoxon_matches_r_published_example():
    result = wilcoxon_signed_rank(np.subtract(R_X, R_Y))
    assert result["v"] == 40
    assert result["p"] == pytest.approx(0.03906, abs=5e-6)
    assert result["method"] == "exact"
    # Our change is after minus before: the other way round V is 45 - 40, p the same.
    reverse = wilcoxon_signed_rank(np.subtract(R_Y, R_X))
    assert reverse["v"] == 5 and reverse["p"] == pytest.approx(result["p"])


def test_wilcoxon_exact_for_small_samples_without_ties():
    d = [1.1, -0.4, 2.3, 0.7, 3.9, -1.6, 2.8, 0.2, 1.45, 5.0, -0.9]
    assert wilcoxon_signed_rank(d)["p"] == pytest.approx(exact_signed_rank_p(d), rel=1e-12)


@pytest.mark.parametrize(
    "d",
    [
        [2, 2, -1, 3, 3, 3, 1, 0, 4, -2, 5, 0],  # ties and zeros, small: R uses the normal approximation
        [1.5, 2.0, 2.0, -0.5, 3.0, 1.0, 1.0, 2.5],  # ties only
        list(np.round(np.linspace(-3, 9, 60) + 0.013 * np.arange(60), 3)),  # 50 or more: normal even without ties
    ],
)
def test_wilcoxon_normal_approximation_as_r(d):
    v, p = r_normal_signed_rank_p(d)
    result = wilcoxon_signed_rank(d)
    assert result["method"] == "normal approximation with continuity correction"
    assert result["v"] == pytest.approx(v)
    assert result["p"] == pytest.approx(p, rel=1e-9)


def test_wilcoxon_treats_two_decimal_changes_as_ties_like_paper():
    # 20.73 - 17.98 and 23.21 - 20.46 are both 2.75 on paper, not in floating point.
    d = np.array([20.73 - 17.98, 23.21 - 20.46, 1.0, -0.5, 4.0])
    assert wilcoxon_signed_rank(d)["method"].startswith("normal")


def test_t_interval_p_value_and_effect_sizes_against_formulas():
    before = [18.59, 20.73, 15.32, 22.35, 17.43, 19.98, 16.36, 21.54]
    after = [21.54, 20.73, 17.98, 26.02, 16.88, 23.21, 19.25, 22.35]
    mean, low, high, p = paired_t_reference(before, after)
    result = change_statistics(before, after)
    assert result["mean_change"] == pytest.approx(mean)
    assert (result["ci95_low"], result["ci95_high"]) == pytest.approx((low, high))
    assert result["p_value"] == pytest.approx(p, rel=1e-9)
    d = np.subtract(after, before)
    assert result["effect_size_dz"] == pytest.approx(mean / np.std(d, ddof=1))
    sd_average = (np.std(before, ddof=1) + np.std(after, ddof=1)) / 2
    assert result["effect_size_dav"] == pytest.approx(mean / sd_average)


def test_tiny_hand_computed_example():
    # Changes 2, 3, 1: mean 2, SD 1; t = 2 / (1 / sqrt 3) = 3.4641; d_z = 2.
    result = change_statistics([10, 12, 14], [12, 15, 15])
    assert result["mean_change"] == 2 and result["sd_change"] == 1
    assert result["t_statistic"] == pytest.approx(2 * math.sqrt(3))
    assert result["effect_size_dz"] == 2
    # SD before 2, SD after sqrt(3) (14 +- 2, 1, 1): d_av = 2 / ((2 + 1.7321) / 2) = 1.0718
    assert result["effect_size_dav"] == pytest.approx(2 / ((2 + math.sqrt(3)) / 2))


def test_bootstrap_is_seeded_and_close_to_the_t_interval():
    rng = np.random.default_rng(8)
    before = rng.normal(20, 3, 80)
    after = before + rng.normal(2, 2.5, 80)
    first = change_statistics(before, after, seed=5)
    again = change_statistics(before, after, seed=5)
    other = change_statistics(before, after, seed=6)
    assert first["bootstrap_ci95_low"] == again["bootstrap_ci95_low"]
    assert first["bootstrap_ci95_low"] != other["bootstrap_ci95_low"]
    assert first["bootstrap_ci95_low"] < first["mean_change"] < first["bootstrap_ci95_high"]
    assert first["bootstrap_ci95_low"] == pytest.approx(first["ci95_low"], abs=0.15)
    assert first["bootstrap_ci95_high"] == pytest.approx(first["ci95_high"], abs=0.15)


def test_one_pair_gives_missing_figures_not_a_crash():
    result = change_statistics([20.0], [22.0])
    assert result["mean_change"] == 2
    assert math.isnan(result["ci95_low"]) and math.isnan(result["p_value"])


def test_classes_and_direction():
    change = pd.Series([2.87, 2.86, -2.87, 0.0, 20.73 - 17.86])
    assert classify_change(change, 2.87).tolist() == [
        "improved", "no meaningful change", "worse", "no meaningful change", "improved"]
    assert classify_change(change, 2.87, higher_is_better=False).tolist() == [
        "worse", "no meaningful change", "improved", "no meaningful change", "worse"]
    assert classify_change(pd.Series([0.5, 0.0, -0.1]), 0).tolist() == [
        "improved", "no meaningful change", "worse"]


# --- the three shapes -------------------------------------------------------------------------

def small_wide_items() -> pd.DataFrame:
    """Twelve people: ten pairs, one drop-out, one without a start form; one answer in words."""
    raws_before = [15, 18, 20, 21, 14, 24, 19, 17, 22, 16, 13, None]
    raws_after = [19, 18, 25, 23, 15, 22, 24, 21, 22, 20, None, 26]
    rows = []
    for i, (b, a) in enumerate(zip(raws_before, raws_after, strict=True)):
        row = {"Client": f"C{i:02d}", "Service": "Garden" if i < 6 else "Walks"}
        for stage, raw in (("pre", b), ("post", a)):
            answers = swemwbs_answers(raw) if raw else [None] * 7
            for q, value in enumerate(answers, start=1):
                row[f"{stage}_q{q}"] = value
        rows.append(row)
    frame = pd.DataFrame(rows).astype({f"pre_q{q}": "object" for q in range(1, 8)})
    frame.loc[0, "pre_q1"] = "All of the time" if frame.loc[0, "pre_q1"] == 5 else frame.loc[0, "pre_q1"]
    frame.index = range(2, 2 + len(frame))
    return frame


def to_long(wide: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for stage, label in (("pre", "Baseline"), ("post", "Follow-up")):
        part = wide[["Client", "Service"] + [f"{stage}_q{q}" for q in range(1, 8)]].copy()
        part.columns = ["Client", "Service"] + [f"item{q}" for q in range(1, 8)]
        part.insert(1, "Stage", label)
        parts.append(part[part[[f"item{q}" for q in range(1, 8)]].notna().any(axis=1)])
    long = pd.concat(parts, ignore_index=True).sample(frac=1, random_state=1)
    long.index = range(2, 2 + len(long))
    return long


def to_totals(wide: pd.DataFrame) -> pd.DataFrame:
    words = {"All of the time": 5}
    totals = wide[["Client", "Service"]].copy()
    for stage, name in (("pre", "Score before"), ("post", "Score after")):
        answers = wide[[f"{stage}_q{q}" for q in range(1, 8)]].replace(words).astype(float)
        raw = answers.sum(axis=1, min_count=7)
        totals[name] = raw.map(lambda r: PUBLISHED_METRIC.get(int(r)) if r == r else None)
    return totals


FIGURES = ["n_pairs", "n_before_only", "n_after_only", "mean_before", "mean_after", "mean_change",
           "ci95_low", "ci95_high", "p_value", "wilcoxon_p", "effect_size_dz", "effect_size_dav",
           "improved", "no_change", "worse"]


def test_three_shapes_give_the_same_result():
    wide = small_wide_items()
    by_items = measure_impact(wide, before_items="pre_q", after_items="post_q", id_column="Client")
    by_long = measure_impact(to_long(wide), stage_column="Stage", items="item", id_column="Client")
    by_scores = measure_impact(to_totals(wide), id_column="Client")
    first = by_items.summary()
    assert first["n_pairs"] == 10 and first["n_before_only"] == 1 and first["n_after_only"] == 1
    for other in (by_long.summary(), by_scores.summary()):
        for key in FIGURES:
            assert other[key] == pytest.approx(first[key]), key
    # Changes per person agree too, whatever the row order of the file.
    def per_person(result):
        return result.changes_table().set_index("id").sort_index()
    pd.testing.assert_frame_equal(per_person(by_items), per_person(by_long))


def test_mean_change_matches_the_metric_table_by_hand():
    wide = small_wide_items()
    result = measure_impact(wide, before_items="pre_q", after_items="post_q", id_column="Client")
    pairs = [(15, 19), (18, 18), (20, 25), (21, 23), (14, 15), (24, 22), (19, 24), (17, 21), (22, 22), (16, 20)]
    expected = sum(PUBLISHED_METRIC[a] - PUBLISHED_METRIC[b] for b, a in pairs) / len(pairs)
    assert result.main.figures["mean_change"] == pytest.approx(expected)
    assert result.main.figures["mean_before_dropouts"] == PUBLISHED_METRIC[13]


def test_shape_found_from_headers_when_no_parameters_are_given():
    wide = small_wide_items()
    # The "post" questions first in the file: the words, not the order, say which is the start.
    post_first = wide[["Client", "Service"] + [f"post_q{q}" for q in range(1, 8)] + [f"pre_q{q}" for q in range(1, 8)]]
    found = measure_impact(post_first)
    given = measure_impact(wide, before_items="pre_q", after_items="post_q", id_column="Client")
    assert found.main.figures["mean_change"] == pytest.approx(given.main.figures["mean_change"])
    assert found.collected.columns_used["start"][0] == "pre_q1"
    assert "'pre' as the start" in found.collected.notes[0]
    long = to_long(wide).rename(columns={"Stage": "Time point", "Client": "Client ID"})
    by_long = measure_impact(long)
    assert by_long.collected.shape == "long items"
    assert by_long.main.figures["mean_change"] == pytest.approx(given.main.figures["mean_change"])


def test_long_shape_recognises_common_stage_words_and_ignores_midpoints():
    wide = small_wide_items()
    long = to_long(wide)
    long.loc[long.index[:1], "Stage"] = "Mid-point"  # an extra time point is left out, not an error
    result = collect_scores(long, stage_column="Stage", items="item", id_column="Client")
    assert any("Mid-point".casefold() not in n and "left out" in n for n in result.notes)


def test_raw_swemwbs_totals_are_converted_automatically():
    table = pd.DataFrame({"Score before": [21, 14, 28], "Score after": [25, 15, 28]})
    collected = collect_scores(table)
    assert collected.scores["before"].tolist() == [19.25, 15.32, 25.03]
    assert any("raw totals" in note for note in collected.notes)
    as_metric = collect_scores(table.astype(float), scores_are="metric")
    assert as_metric.scores["before"].tolist() == [21.0, 14.0, 28.0]


def test_several_outcome_columns_are_analysed_one_by_one():
    table = pd.DataFrame({
        "Confidence start": [3, 4, 5, 2, 6, 4], "Confidence end": [5, 6, 5, 4, 7, 6],
        "Housing start": [2, 2, 3, 4, 1, 3], "Housing end": [2, 3, 3, 3, 1, 4],
    })
    result = measure_impact(table, before_column="Confidence start, Housing start",
                            after_column="Confidence end, Housing end", scale="none", meaningful_change="1")
    assert [m.measure for m in result.measures] == ["Confidence", "Housing"]
    assert result.measures[0].figures["mean_change"] == pytest.approx(9 / 6)  # 2+2+0+2+1+2
    assert result.measures[1].figures["mean_change"] == pytest.approx(1 / 6)  # 0+1+0-1+0+1
    summary = result.summary()
    assert summary["measure"] == "Confidence" and "Housing" in summary["other_measures"]
    assert list(result.changes_table().columns) == ["id", "measure", "before", "after", "change", "class"]


# --- thresholds -------------------------------------------------------------------------------

def test_thresholds_published_reliable_change_and_parameter():
    swemwbs = measure_impact(pd.DataFrame({"Score before": [18.59, 19.25], "Score after": [21.54, 20.73]}))
    assert swemwbs.main.threshold == 2.87 and swemwbs.main.threshold_rule == "published"
    assert "Warwick" in swemwbs.main.threshold_source
    assert swemwbs.main.figures["improved"] == 1

    wemwbs = measure_impact(pd.DataFrame({"b": [40, 45], "a": [48, 50]}), before_column="b",
                            after_column="a", scale="wemwbs")
    assert wemwbs.main.threshold == 8 and wemwbs.main.figures["improved"] == 1

    override = measure_impact(pd.DataFrame({"b": [40, 45], "a": [48, 50]}), before_column="b",
                              after_column="a", scale="wemwbs", meaningful_change=3)
    assert override.main.threshold == 3 and override.main.figures["improved"] == 2

    rng = np.random.default_rng(2)
    level = rng.normal(5, 1.5, 40)
    items = {f"b{q}": np.rint(level + rng.normal(0, 1, 40)) for q in range(1, 5)}
    items |= {f"a{q}": np.rint(level + 1 + rng.normal(0, 1, 40)) for q in range(1, 5)}
    table = pd.DataFrame(items)
    result = measure_impact(table, before_items="b", after_items="a", scale="none")
    before_items = table[[f"b{q}" for q in range(1, 5)]]
    k = 4
    alpha = k / (k - 1) * (1 - before_items.var().sum() / before_items.sum(axis=1).var())
    expected = 1.96 * math.sqrt(2) * before_items.sum(axis=1).std() * math.sqrt(1 - alpha)
    assert result.main.threshold_rule == "reliable change"
    assert result.main.threshold == pytest.approx(expected)


def test_no_threshold_warns_and_counts_any_change():
    result = measure_impact(pd.DataFrame({"b": [3, 4, 5], "a": [4, 4, 3]}), before_column="b",
                            after_column="a", scale="none")
    assert result.main.threshold_rule == "none"
    assert (result.main.figures["improved"], result.main.figures["worse"]) == (1, 1)
    assert any("meaningful_change" in w for w in result.warnings)


def test_lower_is_better_flips_improved_and_worse():
    table = pd.DataFrame({"b": [8, 7, 6, 5, 9], "a": [4, 7, 9, 5, 6]})
    result = measure_impact(table, before_column="b", after_column="a", scale="none",
                            higher_is_better=False, meaningful_change=2)
    assert result.main.changes["class"].tolist() == [
        "improved", "no meaningful change", "worse", "no meaningful change", "improved"]


# --- groups -----------------------------------------------------------------------------------

def grouped(sizes: dict[str, int]) -> pd.DataFrame:
    rows = []
    for group, size in sizes.items():
        for i in range(size):
            rows.append({"Service": group, "Score before": 18.59, "Score after": 21.54 if i % 2 else 19.25})
    return pd.DataFrame(rows)


def test_small_groups_are_hidden_with_a_complementary_one():
    result = measure_impact(grouped({"Walks": 9, "Garden": 6, "Art": 12, "Tiny": 3}))
    shown = result.main.groups["group"].tolist()
    # Tiny (3) is too small; hiding it alone would let its figures be worked out from the total,
    # so the smallest shown group (Garden) goes too.
    assert shown == ["Art", "Walks"]
    assert result.main.hidden == {"groups": 2, "people": 9, "too_small": 1}
    text = json.dumps(result.summary())
    assert "Tiny" not in text and "Garden" not in text


def test_no_complementary_hiding_when_hidden_groups_make_five():
    table, hidden = group_figures(
        grouped({"A": 8, "B": 3, "C": 2, "D": 7}).assign(change=0.0, **{"class": "worse"}).rename(
            columns={"Score before": "before", "Score after": "after", "Service": "group"}))
    assert sorted(table["group"]) == ["A", "D"]
    assert hidden == {"groups": 2, "people": 5, "too_small": 2}


def test_groups_of_five_are_shown_and_blank_group_is_not_recorded():
    frame = grouped({"Walks": 5, "Garden": 5})
    frame.loc[[0, 1, 2, 3, 4], "Service"] = None
    result = measure_impact(frame)
    assert sorted(result.main.groups["group"]) == ["Garden", "Not recorded"]


# --- warnings ---------------------------------------------------------------------------------

def sample_pairs(n: int, start: float, rise: float, dropouts: int = 0, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    before = np.clip(rng.normal(start, 2, n + dropouts), 7, 35).round(2)
    after = np.clip(before + rng.normal(rise, 2, n + dropouts), 7, 35).round(2)
    after[n:] = np.nan
    return pd.DataFrame({"Score before": before, "Score after": after})


def test_warnings_small_sample_no_comparison_low_start_and_dropout():
    result = measure_impact(sample_pairs(20, start=18, rise=2, dropouts=12))
    text = " ".join(result.warnings)
    assert "Only 20 people" in text and "at least 30" in text
    assert "no comparison group" in text and '"scores rose"' in text
    assert "regression to the mean" in text and "23.5" in text
    assert "38% of the people" in text  # 12 of 32 left


def test_warnings_absent_when_they_do_not_apply():
    result = measure_impact(sample_pairs(60, start=26, rise=1, dropouts=5, seed=4))
    text = " ".join(result.warnings)
    assert "Only" not in text and "drop" not in text.lower() and "have no 'after' score" not in text
    assert "no comparison group" in text  # always true of a before-and-after design
    assert "low point" not in text


def test_many_groups_caution():
    result = measure_impact(grouped({"Walks": 9, "Garden": 6, "Art": 12}))
    assert any("some differences between them will appear by chance" in w for w in result.warnings)


# --- headline, files, charts ------------------------------------------------------------------

def test_summary_has_the_agreed_keys_and_is_plain_json(tmp_path):
    result = measure_impact(small_wide_items(), before_items="pre_q", after_items="post_q", id_column="Client",
                            group_column="Service")
    summary = result.summary()
    for key in ["n_pairs", "n_before_only", "n_after_only", "mean_before", "mean_after", "mean_change",
                "ci95_low", "ci95_high", "p_value", "wilcoxon_p", "effect_size_dz", "effect_size_dav",
                "improved", "no_change", "worse"]:
        assert key in summary
    assert json.loads(json.dumps(summary, allow_nan=False)) == summary
    assert summary["improved"] + summary["no_change"] + summary["worse"] == summary["n_pairs"]
    path = result.write_changes(tmp_path)
    written = pd.read_csv(path, dtype={"id": str})
    assert list(written.columns) == ["id", "before", "after", "change", "class"]
    assert set(written["id"]) <= set(small_wide_items()["Client"])
    assert (written["change"] - (written["after"] - written["before"])).abs().max() < 1e-3


def test_nan_figures_become_null():
    result = measure_impact(pd.DataFrame({"Score before": [19.25, None], "Score after": [20.73, 21.54]}))
    summary = result.summary()
    assert summary["n_pairs"] == 1 and summary["ci95_low"] is None
    json.dumps(summary, allow_nan=False)


# --- bad input --------------------------------------------------------------------------------

def test_scores_that_are_not_numbers_name_column_and_rows():
    table = pd.DataFrame({"Start": ["20.1", "twenty", "18", "n/k"], "End": [22, 23, 19, 20]},
                         index=[2, 3, 4, 5])
    with pytest.raises(InputProblem) as problem:
        measure_impact(table, before_column="Start", after_column="End", scale="none")
    message = str(problem.value)
    assert "'Start'" in message and "before_column" in message and "rows 3 and 5" in message


def test_repeated_id_names_rows_but_not_the_id():
    table = pd.DataFrame({"Client ID": ["A1", "B2", "a1 ", "C3"], "b": [1, 2, 3, 4], "a": [2, 3, 4, 5]},
                         index=[2, 3, 4, 5])
    with pytest.raises(InputProblem) as problem:
        measure_impact(table, before_column="b", after_column="a", scale="none")
    message = str(problem.value)
    assert "'Client ID'" in message and "rows 2 and 4" in message and "A1" not in message


def test_long_shape_repeats_blank_ids_and_unknown_labels():
    long = to_long(small_wide_items())
    doubled = pd.concat([long, long.iloc[[0]]])
    doubled.index = range(2, 2 + len(doubled))
    with pytest.raises(InputProblem, match="per time point"):
        measure_impact(doubled, stage_column="Stage", items="item", id_column="Client")
    blank = long.copy()
    blank.loc[blank.index[3], "Client"] = None
    with pytest.raises(InputProblem, match=f"row {blank.index[3]}"):
        measure_impact(blank, stage_column="Stage", items="item", id_column="Client")
    with pytest.raises(InputProblem, match="'Baseline'"):
        measure_impact(long, stage_column="Stage", items="item", id_column="Client",
                       before_label="Week 0", after_label="Follow-up")
    renamed = long.replace({"Stage": {"Baseline": "Visit A", "Follow-up": "Visit B"}})
    with pytest.raises(InputProblem, match="before_label"):
        measure_impact(renamed, stage_column="Stage", items="item", id_column="Client")


def test_missing_columns_and_parameters_are_explained():
    table = small_wide_items()
    with pytest.raises(InputProblem, match="Did you mean"):
        measure_impact(table, before_column="Client id2", after_column="post_q1", scale="none")
    with pytest.raises(InputProblem, match="No column starts with"):
        measure_impact(table, before_items="start_", after_items="post_q")
    with pytest.raises(InputProblem, match="cannot tell where the scores are"):
        measure_impact(table[["Client", "Service"]])
    with pytest.raises(InputProblem, match="meaningful_change"):
        measure_impact(to_totals(table), meaningful_change="lots")


def test_scores_out_of_range_for_the_scale():
    table = pd.DataFrame({"Score before": [19.25, 40.5, 20.73], "Score after": [21.54, 22.35, 3.5]},
                         index=[2, 3, 4])
    collected = collect_scores(table)
    assert collected.scores["before"].isna().tolist() == [False, True, False]
    assert any("rows 3 and 4" in note for note in collected.notes)
    with pytest.raises(InputProblem, match="scale"):
        collect_scores(pd.DataFrame({"Score before": [50.0, 60.5], "Score after": [55.5, 61.0]}))


def test_loaded_table_words_the_loader_could_not_read_are_used():
    loader = pytest.importorskip("helpers.reading.loader")
    import pathlib
    import tempfile

    folder = pathlib.Path(tempfile.mkdtemp())
    rows = ["id," + ",".join(f"s{q}" for q in range(1, 8)) + "," + ",".join(f"e{q}" for q in range(1, 8))]
    for i in range(12):
        start = ["3"] * 7 if i else ["Often"] + ["3"] * 6
        rows.append(f"P{i}," + ",".join(start) + "," + ",".join(["4"] * 7))
    (folder / "forms.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    table = loader.load_table(folder / "forms.csv")
    result = measure_impact(table, before_items="s", after_items="e", id_column="id")
    assert result.main.figures["n_pairs"] == 12
    assert result.main.changes.set_index("id").loc["P0", "before"] == PUBLISHED_METRIC[22]


# --- the sample data --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_files(tmp_path_factory):
    from helpers.synthetic.outcomes import write_sample

    folder = tmp_path_factory.mktemp("outcomes")
    return {path.name: path for path in write_sample(folder)}


def read_sample(path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.index = frame.index + 2  # the spreadsheet's row numbers
    return frame


def test_sample_is_byte_identical_on_rerun(sample_files, tmp_path):
    from helpers.synthetic.outcomes import write_sample

    for path in write_sample(tmp_path):
        assert path.read_bytes() == sample_files[path.name].read_bytes()


def test_sample_has_its_awkward_parts(sample_files):
    frame = read_sample(sample_files["outcomes.csv"])
    assert frame["Service"].value_counts().min() < 5  # one tiny service
    assert frame["Client ID"].is_unique
    answers = frame[[c for c in frame.columns if c.startswith(("Start ", "12wk "))]]
    assert answers.isin(["Often", "often", "Rarely", "rarely"]).any().any()
    assert answers.isin(["6", "0"]).sum().sum() == 2


def test_sample_three_shapes_agree_and_find_the_true_effect(sample_files):
    from helpers.synthetic.outcomes import true_average_effect

    wide = measure_impact(read_sample(sample_files["outcomes.csv"]), before_items="Start", after_items="12wk",
                          group_column="Service")
    long = measure_impact(read_sample(sample_files["outcomes_long.csv"]), stage_column="Time point",
                          items="Q", id_column="Client ID", group_column="Service")
    totals = measure_impact(read_sample(sample_files["outcomes_totals.csv"]), group_column="Service")
    for other in (long, totals):
        for key in FIGURES:
            assert other.main.figures[key] == pytest.approx(wide.main.figures[key]), key
    f = wide.main.figures
    assert f["ci95_low"] < true_average_effect() < f["ci95_high"]
    assert wide.main.hidden["too_small"] == 1
    assert f["dropout_rate"] > 0.3 and f["mean_before_dropouts"] < f["mean_before"]


def test_messages_do_not_repeat_cell_values():
    table = pd.DataFrame({"Name": ["Jane Smith", "Omar Khan"], "End": [20.73, 21.54]}, index=[2, 3])
    with pytest.raises(InputProblem) as problem:
        measure_impact(table, before_column="Name", after_column="End")
    assert "Jane" not in str(problem.value) and "rows 2 and 3" in str(problem.value)


def test_no_pairs_at_all_is_an_input_problem():
    table = pd.DataFrame({"Score before": [19.25, None, 20.73], "Score after": [None, 20.73, None]})
    with pytest.raises(InputProblem, match="No one has both a start and an end score for SWEMWBS: 2 people"):
        measure_impact(table)
