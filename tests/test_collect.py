"""Collecting scores: the three shapes agree, headers are recognised, bad input is explained."""

from __future__ import annotations

import pandas as pd
import pytest

# The reference table and answer builder live with the scoring tests (pytest puts tests/ on the path).
from test_wellbeing import PUBLISHED_METRIC as PUBLISHED_METRIC_LIST
from test_wellbeing import answers_summing_to

from helpers.errors import InputProblem
from helpers.impact.collect import collect_scores
from helpers.impact.outcomes import measure_impact

PUBLISHED_METRIC = dict(zip(range(7, 36), PUBLISHED_METRIC_LIST, strict=True))


def swemwbs_answers(raw: int) -> list[int]:
    return answers_summing_to(raw, 7)


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


def test_messages_do_not_repeat_cell_values():
    table = pd.DataFrame({"Name": ["Jane Smith", "Omar Khan"], "End": [20.73, 21.54]}, index=[2, 3])
    with pytest.raises(InputProblem) as problem:
        measure_impact(table, before_column="Name", after_column="End")
    assert "Jane" not in str(problem.value) and "rows 2 and 3" in str(problem.value)


def test_every_outcome_column_is_analysed_or_named_as_left_out():
    totals = to_totals(small_wide_items()).assign(**{"Confidence start": range(12), "Confidence end": range(1, 13)})
    result = measure_impact(totals, id_column="Client")
    assert result.collected.left_out == ["Confidence start", "Confidence end"]
    assert any("'Confidence start' and 'Confidence end'" in n and "left out" in n for n in result.collected.notes)
    assert result.summary()["columns_left_out"] == ["Confidence start", "Confidence end"]
    both = measure_impact(totals, id_column="Client", scale="none", before_column="Score before, Confidence start",
                          after_column="Score after, Confidence end")
    assert both.collected.left_out == [] and [m.measure for m in both.measures] == ["Score before", "Confidence"]
