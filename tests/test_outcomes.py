"""The whole analysis: thresholds, groups, warnings, summary.json, the sample data."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from test_collect import FIGURES, small_wide_items

from helpers.errors import InputProblem
from helpers.impact.outcomes import measure_impact
from helpers.impact.statistics import group_figures

# --- thresholds -------------------------------------------------------------------------------

def test_thresholds_published_reliable_change_and_parameter():
    swemwbs = measure_impact(pd.DataFrame({"Score before": [18.59, 19.25], "Score after": [21.54, 20.73]}))
    assert swemwbs.main.threshold == 2.87 and swemwbs.main.threshold_rule == "published"
    # Shah et al. 2018 (HQLO 16:239): 2.77 x SEM, beyond measurement error, within their 1-3 point range.
    assert "Shah and others (2018" in swemwbs.main.threshold_source and "16:239" in swemwbs.main.threshold_source
    assert "measurement error" in swemwbs.main.threshold_source
    assert swemwbs.main.figures["improved"] == 1

    wemwbs = measure_impact(pd.DataFrame({"b": [40, 45], "a": [48, 50]}), before_column="b",
                            after_column="a", scale="wemwbs")
    assert wemwbs.main.threshold == 8 and wemwbs.main.figures["improved"] == 1
    # Maheswaran et al. 2012 give a range, 6.6 to 8.6, and the report says so.
    assert "6.6 to 8.6 points" in wemwbs.main.threshold_source and "Maheswaran" in wemwbs.main.threshold_source

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
    assert any("set the smallest change that matters" in w for w in result.warnings)
    assert not any("meaningful_change" in w for w in result.warnings)  # no parameter names in the report


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
    # Two people with the same change: no spread of changes, so no t-test and no bootstrap interval.
    result = measure_impact(pd.DataFrame({"Score before": [10, 12, None], "Score after": [11, 13, 14]}), scale="none")
    summary = result.summary()
    assert summary["n_pairs"] == 2 and summary["p_value"] is None and summary["bootstrap_ci95_low"] is None
    json.dumps(summary, allow_nan=False)


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


def test_no_pairs_at_all_is_an_input_problem():
    table = pd.DataFrame({"Score before": [19.25, None, 20.73], "Score after": [None, 20.73, None]})
    with pytest.raises(InputProblem, match="No one has both a start and an end score for SWEMWBS: 2 people"):
        measure_impact(table)


# --- boundaries and reference values end to end (issue 16) ------------------------------------

def test_a_group_of_four_is_hidden_and_a_group_of_five_is_shown():
    # Four and one hidden make five between them, so nothing more needs hiding: the boundary is bare.
    result = measure_impact(grouped({"Walks": 9, "Garden": 5, "Art": 4, "Tiny": 1}))
    assert sorted(result.main.groups["group"]) == ["Garden", "Walks"]
    assert result.main.hidden == {"groups": 2, "people": 5, "too_small": 2}
    summary = result.summary()
    assert [g["group"] for g in summary["groups"]] == ["Walks", "Garden"]
    assert "Art" not in json.dumps(summary)


def test_groups_of_exactly_five_are_all_shown():
    result = measure_impact(grouped({"Walks": 5, "Garden": 5, "Art": 5}))
    assert sorted(result.main.groups["group"]) == ["Art", "Garden", "Walks"]
    assert result.main.hidden == {"groups": 0, "people": 0, "too_small": 0}


# R's sleep data (extra hours of sleep on two drugs, 10 people).
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# R's wilcox.test(x, y, paired = TRUE) example: V = 40, p-value = 0.03906.
R_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
R_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def test_summary_json_headline_figures_match_r_at_full_precision(tmp_path, surgery):
    rows = ["person,Sleep drug 1,Sleep drug 2"] + [f"P{i},{a},{b}" for i, (a, b) in
                                                     enumerate(zip(SLEEP_1, SLEEP_2, strict=True))]
    data = tmp_path / "sleep.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "bundle"
    result = surgery("run", "impact-measurement", "--data", data, "-p", "scale", "none", "-p", "id_column", "person",
                     "-p", "before_column", "Sleep drug 1", "-p", "after_column", "Sleep drug 2", "--out", out,
                     "--no-progress")
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    # R: t.test(extra ~ group, data = sleep, paired = TRUE), group 2 minus group 1.
    assert summary["n_pairs"] == 10
    assert summary["mean_change"] == pytest.approx(1.58, abs=1e-12)
    assert summary["ci95_low"] == pytest.approx(0.700114, abs=5e-7)
    assert summary["ci95_high"] == pytest.approx(2.459886, abs=5e-7)
    assert summary["t_statistic"] == pytest.approx(4.062128, abs=5e-7)
    assert summary["p_value"] == pytest.approx(0.0028329, abs=5e-8)
    # By hand: d_z = t / sqrt(n) = 4.062128 / 3.162278 = 1.284558.
    assert summary["effect_size_dz"] == pytest.approx(1.284558, abs=5e-6)
    # Below 20 people the t interval stands alone.
    assert summary["bootstrap_ci95_low"] is None and summary["bootstrap_ci95_high"] is None
    block = summary["measures"][next(iter(summary["measures"]))]
    assert block["better"] == "higher" and block["mean_change"] == summary["mean_change"]
    assert block["ci95_low"] == summary["ci95_low"] and block["p_value"] == summary["p_value"]


def test_summary_wilcoxon_matches_r_example_end_to_end():
    table = pd.DataFrame({"b": R_Y, "a": R_X})
    summary = measure_impact(table, before_column="b", after_column="a", scale="none").summary()
    assert summary["wilcoxon_v"] == 40
    assert summary["wilcoxon_p"] == pytest.approx(0.0390625, abs=1e-12)  # exact: 20 of 512 sign patterns
    assert summary["wilcoxon_method"] == "exact"
    # By hand: the mean of the nine differences x - y.
    assert summary["mean_change"] == pytest.approx(sum(x - y for x, y in zip(R_X, R_Y, strict=True)) / 9, abs=1e-12)
