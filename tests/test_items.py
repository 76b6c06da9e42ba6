"""ONS4 and MYCaW: each published figure of the scale table, items found from headers, each the right way round."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.impact.items import concern_categories
from helpers.impact.outcomes import measure_impact
from helpers.impact.scale_words import bands_in_words, change_in_words
from helpers.impact.scales import SCALES, item_of
from helpers.impact.statistics import change_statistics

ONS4 = {item.key: item for item in SCALES["ons4"].items}
MYCAW = {item.key: item for item in SCALES["mycaw"].items}


# --- the scale table, one test per published figure ---------------------------------------------

@pytest.mark.parametrize("key", ["life_satisfaction", "worthwhile", "happiness"])
def test_ons_positive_bands_are_the_published_thresholds(key):
    # ONS personal well-being user guidance: 0-4 low, 5-6 medium, 7-8 high, 9-10 very high.
    item = ONS4[key]
    assert [(b.low, b.high, b.name) for b in item.bands] == [
        (0, 4, "low"), (5, 6, "medium"), (7, 8, "high"), (9, 10, "very high")]
    assert (item.low, item.high, item.better, item.worst_band) == (0, 10, "higher", "low")
    assert [item.band_of(s) for s in (4, 5, 6, 7, 8, 9)] == ["low", "medium", "medium", "high", "high", "very high"]


def test_ons_anxiety_bands_are_the_published_thresholds_and_lower_is_better():
    item = ONS4["anxiety"]
    assert [(b.low, b.high, b.name) for b in item.bands] == [
        (0, 1, "very low"), (2, 3, "low"), (4, 5, "medium"), (6, 10, "high")]
    assert (item.better, item.worst_band) == ("lower", "high")
    assert [item.band_of(s) for s in (1, 2, 3, 4, 5, 6)] == ["very low", "low", "low", "medium", "medium", "high"]


@pytest.mark.parametrize("key, mean", [("life_satisfaction", 7.45), ("worthwhile", 7.73), ("happiness", 7.39),
                                       ("anxiety", 3.23)])
def test_ons_uk_averages_for_april_2022_to_march_2023(key, mean):
    # ONS, Personal well-being in the UK: April 2022 to March 2023 (published 7 November 2023).
    assert ONS4[key].national_mean == mean
    assert "April 2022 to March 2023" in SCALES["ons4"].national_source
    assert "Open Government Licence" in SCALES["ons4"].national_source


def test_ons4_wording_is_crown_copyright_and_mycaw_terms_are_said():
    assert "Crown copyright" in SCALES["ons4"].licence and "Open Government Licence" in SCALES["ons4"].licence
    assert ONS4["anxiety"].question == "Overall, how anxious did you feel yesterday?"
    assert "Meaningful Measures" in SCALES["mycaw"].licence
    assert all(item.question == "" for item in SCALES["mycaw"].items)  # its wording is not ours to print


def test_mycaw_items_range_direction_and_cited_change():
    for item in MYCAW.values():
        assert (item.low, item.high, item.better, item.meaningful_change) == (0, 6, "lower", 1.0)
        assert "2007" in item.change_source and "no meaningful-change threshold has been validated" in item.change_source
    assert MYCAW["concerns"].combine and not MYCAW["wellbeing"].combine


@pytest.mark.parametrize("header, key", [
    ("Satisfied with life (referral)", "life_satisfaction"), ("Life satisfaction - end", "life_satisfaction"),
    ("Things I do are worthwhile 12wk", "worthwhile"), ("Happy yesterday (start)", "happiness"),
    ("Happiness end", "happiness"), ("How anxious yesterday", "anxiety"), ("Anxiety (exit)", "anxiety"),
])
def test_ons4_items_found_from_header_words(header, key):
    assert item_of(SCALES["ons4"], header).key == key


# --- analysis ------------------------------------------------------------------------------------

def ons4_table() -> pd.DataFrame:
    return pd.DataFrame({
        "Client": [f"P{i}" for i in range(12)],
        "Satisfied with life (referral)": [3, 4, 2, 5, 3, 4, 6, 3, 4, 2, 5, 4],
        "Satisfied with life (review)": [5, 6, 4, 5, 5, 7, 6, 5, 6, 3, 6, 4],
        "Anxious yesterday (referral)": [8, 7, 9, 6, 7, 8, 6, 9, 7, 8, 6, 7],
        "Anxious yesterday (review)": [5, 6, 6, 6, 4, 7, 3, 6, 5, 8, 4, 4],
    }, index=range(2, 14))


def test_ons4_each_item_on_its_own_with_change_after_minus_before():
    table = ons4_table()
    result = measure_impact(table, scale="ons4",
                            before_column="Satisfied with life (referral), Anxious yesterday (referral)",
                            after_column="Satisfied with life (review), Anxious yesterday (review)")
    life, anxiety = result.measures
    expected = change_statistics(table["Anxious yesterday (referral)"], table["Anxious yesterday (review)"])
    assert anxiety.figures["mean_change"] == pytest.approx(expected["mean_change"])
    assert expected["mean_change"] == pytest.approx(-24 / 12)  # by hand: 3+1+3+0+3+1+3+3+2+0+2+3 fell
    assert anxiety.better == "lower" and life.better == "higher"
    # A fall in anxiety is an improvement: 10 fell, 2 stayed the same.
    assert anxiety.figures["improved"] == 10 and anxiety.figures["worse"] == 0
    summary = json.loads(json.dumps(result.summary(), allow_nan=False))
    assert set(summary["measures"]) == {"life_satisfaction", "anxiety"}
    block = summary["measures"]["anxiety"]
    assert block["better"] == "lower" and block["mean_change"] == pytest.approx(expected["mean_change"])
    for key in ("n_pairs", "mean_before", "mean_after", "ci95_low", "ci95_high", "p_value", "wilcoxon_p",
                "effect_size_dz"):
        assert key in block
    assert "fell by" in change_in_words(anxiety) and "an improvement" in change_in_words(anxiety)


def test_ons4_headers_found_without_parameters_and_never_summed():
    result = measure_impact(ons4_table(), scale="ons4")
    assert [m.measure for m in result.measures] == ["Life satisfaction", "Anxiety"]
    assert result.summary()["measures"]["life_satisfaction"]["n_pairs"] == 12


def test_ons4_answers_out_of_range_are_missing_and_mostly_wrong_is_refused():
    table = ons4_table().astype({"Satisfied with life (review)": float})
    table.loc[3, "Satisfied with life (review)"] = 11
    result = measure_impact(table, scale="ons4")
    assert result.main.figures["n_pairs"] == 11
    assert any("row 3" in note for note in result.collected.notes)
    totals = pd.DataFrame({"Life satisfaction start": [19.25, 20.73], "Life satisfaction end": [22.35, 23.21]})
    with pytest.raises(InputProblem, match="whole numbers from 0 to 10"):
        measure_impact(totals, scale="ons4")


def test_a_column_that_is_no_ons4_item_is_refused_by_name():
    with pytest.raises(InputProblem, match="'Client'.*not one of the ONS4 measures"):
        measure_impact(ons4_table(), scale="ons4", before_column="Client", after_column="Anxious yesterday (review)")


def test_band_moves_boundary_four_hidden_five_shown():
    item = ONS4["anxiety"]
    # Five start high and all five leave: 5 shown.
    five = pd.DataFrame({"Anxious (start)": [8] * 5 + [2] * 6, "Anxious (end)": [3] * 5 + [2] * 6})
    moves = measure_impact(five, scale="ons4").main.band_moves
    assert moves == {"band": "high", "started_in": 5, "moved_out": 5, "share_moved_out": 1.0, "shown": True}
    # Four start high: not given.
    four = pd.DataFrame({"Anxious (start)": [8] * 4 + [2] * 7, "Anxious (end)": [3] * 4 + [2] * 7})
    result = measure_impact(four, scale="ons4")
    assert result.main.band_moves["started_in"] is None and result.main.band_moves["moved_out"] is None
    assert "Fewer than 5 people" in bands_in_words(result, result.main)
    assert item.worst_band == "high"


def test_band_table_boundary_four_hidden_five_shown():
    base = {"Life satisfaction (start)": [2] * 6 + [5] * 6, "Life satisfaction (end)": [7] * 6 + [9] * 6}
    five = pd.DataFrame(base)
    five.loc[len(five)] = [8, 5]
    five.loc[len(five)] = [8, 5]
    five.loc[len(five)] = [8, 5]
    five.loc[len(five)] = [8, 5]
    five.loc[len(five)] = [8, 5]
    shown = measure_impact(five, scale="ons4").main.bands.set_index("band")
    assert shown.loc["high", "start"] == 5 and shown.loc["medium", "end"] == 5
    four = five.iloc[:-1]
    hidden = measure_impact(four, scale="ons4").main.bands.set_index("band")
    assert hidden.loc["high", "start"] is None and hidden.loc["medium", "end"] is None
    # The low band's start count is said in words, so the one more hidden is another band.
    assert hidden.loc["low", "start"] == 6


def mycaw_table() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    n = 14
    c1s = rng.integers(3, 7, n)
    return pd.DataFrame({
        "id": [f"M{i}" for i in range(n)],
        "Concern 1 (free text)": ["Worried about my son Jason"] * n,
        "Concern 1 category": ["Family"] * 5 + ["Emotional"] * 5 + ["Money"] * 4,
        "Concern 1 score (start)": c1s, "Concern 2 score (start)": [5, np.nan] * 7,
        "Wellbeing (start)": [4] * n,
        "Concern 1 score (end)": c1s - 2, "Concern 2 score (end)": [4, np.nan] * 7,
        "Wellbeing (end)": [3] * 7 + [5] * 7,
    })


def test_mycaw_concern_score_is_the_mean_of_concerns_scored_and_lower_is_better():
    table = mycaw_table()
    result = measure_impact(table, scale="mycaw")
    by_name = {m.measure: m for m in result.measures}
    concerns, wellbeing = by_name["Concerns"], by_name["Wellbeing"]
    before = table[["Concern 1 score (start)", "Concern 2 score (start)"]].mean(axis=1)
    after = table[["Concern 1 score (end)", "Concern 2 score (end)"]].mean(axis=1)
    assert concerns.figures["mean_change"] == pytest.approx((after - before).mean())
    assert concerns.better == "lower" and concerns.figures["improved"] == 14
    assert (wellbeing.figures["improved"], wellbeing.figures["worse"]) == (7, 7)
    assert "an improvement" in change_in_words(concerns)
    text = json.dumps(result.summary())
    assert "Jason" not in text and "Worried" not in text


def test_concern_categories_four_hidden_five_shown():
    table = mycaw_table()
    result = measure_impact(table, scale="mycaw")
    # Family 5 and Emotional 5 shown; Money 4 hidden, and one more so that it cannot be worked out.
    assert result.categories_hidden == {"hidden": 2, "people": 9, "too_small": 1}
    assert result.categories["category"].tolist() == ["Family"]
    # With a fifth person's concern in another small category, the hidden ones make 5 between them:
    # both groups of 5 are shown, the 4 and the 1 are not.
    table["Concern 2 category"] = [""] * 13 + ["Housing"]
    result = measure_impact(table, scale="mycaw")
    assert sorted(result.categories["category"]) == ["Emotional", "Family"]
    assert result.categories["concerns"].tolist() == [5, 5]
    assert result.categories_hidden == {"hidden": 2, "people": 5, "too_small": 2}


def test_concern_categories_read_only_categories_never_free_text():
    frame = pd.DataFrame({"Concern 1 (free text)": ["Rent"] * 3, "Concern 1 category": ["Money", " money", None]})
    assert concern_categories(frame, ["Concern 1 category"]).to_dict() == {"Money": 2}


def test_samples_run_from_the_command_as_the_readme_says(tmp_path, surgery):
    for name, scale, keys in (("outcomes_ons4.csv", "ons4", ["life_satisfaction", "worthwhile", "happiness", "anxiety"]),
                              ("outcomes_mycaw.csv", "mycaw", ["concerns", "concern_1", "concern_2", "wellbeing", "profile"])):
        out = tmp_path / scale
        result = surgery("run", "impact-measurement", "--data", f"datasets/{name}", "-p", "scale", scale,
                         "--out", out, "--no-progress")
        assert result.returncode == 0, result.stdout + result.stderr
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert list(summary["measures"]) == keys
        report = (out / "report.html").read_text(encoding="utf-8")
        if scale == "ons4":
            assert summary["measures"]["anxiety"]["better"] == "lower"
            assert summary["measures"]["anxiety"]["mean_change"] < 0
            assert "an improvement (lower is better)" in report and "Open Government Licence" in report
        else:
            assert "Meaningful Measures" in report
            assert "Jason" not in report and "Priya" not in report
        assert all(math.isfinite(block["mean_change"]) for block in summary["measures"].values())


def test_mycaw_words_say_the_change_before_minus_after_and_credit_the_threshold_honestly():
    from helpers.impact.words import headline, main_points

    result = measure_impact(mycaw_table(), scale="mycaw")
    f = result.main.figures
    text = headline(result)
    digits = f["decimals"]
    assert f"so this is an improvement of {abs(f['mean_change']):.{digits}f} points (start minus end: " \
           f"+{-f['mean_change']:.{digits}f})" in text
    assert "improved by at least 1 point, the smallest change the form records" in text
    assert "measurement error" not in text
    figures, sentences = main_points(result)
    assert figures[1][0] == f"{f['mean_change']:+.{digits}f}" and "(lower is better)" in figures[1][1]
    assert 3 <= len(sentences) <= 5
