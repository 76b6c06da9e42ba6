"""who-we-reach end to end through ``surgery run``: the files it promises, and nothing personal in them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.reach.analysis import REACH_COLUMNS
from helpers.writing.playbook import DATASETS_DIR

pytestmark = pytest.mark.slow

SAMPLE = DATASETS_DIR / "reach-clients.csv"
POOL = DATASETS_DIR / "reference" / "east_london_postcodes.csv"
EXCERPT = Path(__file__).parent / "fixtures" / "reach" / "onspd_excerpt.csv"
SUMMARY_KEYS = {"records", "postcodes_valid", "postcodes_located", "local_authorities", "share_most_deprived_20pct",
                "population_share_most_deprived_20pct", "deprivation_index"}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    from conftest import run_surgery

    out = tmp_path_factory.mktemp("reach") / "bundle"
    empty_cache = out.parent / "no-directory"
    result = run_surgery("run", "who-we-reach", "--data", SAMPLE, "--out", out, "--no-progress",
                         "--charity", "Hackney Advice Line", env={"SURGERY_DATA_DIR": str(empty_cache)})
    assert result.returncode == 0, result.stderr
    return out


def test_reach_csv_has_one_row_per_record_in_input_order_with_exactly_the_promised_columns(sample_run):
    reach = pd.read_csv(sample_run / "reach.csv", dtype=str, keep_default_na=False)
    source = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    assert reach.columns.tolist() == REACH_COLUMNS
    assert reach["row"].astype(int).tolist() == list(range(2, len(source) + 2))  # spreadsheet rows
    typed = source["Postcode"].str.replace(" ", "").str.upper()
    located = reach["postcode_status"] == "located"
    assert (reach.loc[located, "postcode"].str.replace(" ", "") == typed[located]).all()
    assert set(reach["deprivation_index"]) == {"IoD 2019 (England)", ""}
    assert (reach.loc[located, "deprivation_decile"] != "").all()
    assert (reach.loc[source["Postcode"].str.strip() == "", "postcode_status"] == "blank").all()


def test_summary_has_the_promised_keys_and_consistent_figures(sample_run):
    summary = json.loads((sample_run / "summary.json").read_text())
    assert SUMMARY_KEYS <= set(summary)
    reach = pd.read_csv(sample_run / "reach.csv", dtype=str, keep_default_na=False)
    assert summary["records"] == len(reach)
    assert summary["postcodes_located"] == reach["postcode_status"].isin(["located", "outside England"]).sum()
    assert summary["postcodes_valid"] == (~reach["postcode_status"].isin(["blank", "not a UK postcode"])).sum()
    assert summary["local_authorities"][0] == "E09000012"  # the sample's home borough, Hackney
    assert 0 <= summary["share_most_deprived_20pct"] <= 1
    assert 0 <= summary["population_share_most_deprived_20pct"] <= 1
    assert summary["deprivation_index"] == "IoD 2019 (England)"
    # The headline compares clients who live in the served area with its residents; the rest are counted apart.
    claims = {claim["key"]: claim for claim in summary["claims"]}
    representation = claims["most_deprived_representation"]
    assert representation["decision"] == summary["representation"]
    assert representation["numbers"]["clients_in_area"] == summary["clients_in_area_with_decile"]
    assert summary["clients_in_area_with_decile"] + summary["clients_outside_area"] >= summary["people_counted"] - 5
    low, high = summary["share_most_deprived_20pct_interval"]
    assert low <= summary["share_most_deprived_20pct"] <= high
    assert {"neighbourhood_accuracy", "route_difference", "year_change"} <= set(claims)


def test_areas_csv_hides_small_counts(sample_run):
    areas = pd.read_csv(sample_run / "areas.csv")
    assert {"area_code", "clients", "residents", "clients_per_1000", "deprivation_decile"} <= set(areas.columns)
    assert not (areas["clients"] < 5).any()
    assert areas.loc[areas["clients"].isna() | (areas["clients"] < 10), "clients_per_1000"].isna().all()


def test_no_name_or_client_id_reaches_any_output(sample_run):
    source = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    texts = {name: (sample_run / name).read_text(encoding="utf-8")
             for name in ("reach.csv", "areas.csv", "summary.json", "report.html")}
    for name, text in texts.items():
        leaked = [value for value in source["Name"].unique() if value and value in text]
        assert leaked == [], f"names in {name}: {leaked[:5]}"
        assert not any(f"{value}," in text or f"{value}<" in text for value in source["Client ID"].unique()), name
    # The report names sources and licence in words, and the level used.
    report = texts["report.html"]
    assert "Open Government Licence" in report and "nearest" in report


def test_a_list_of_real_uk_postcodes_is_placed_as_the_issue_promises(tmp_path, surgery):
    pool = pd.read_csv(POOL)
    data = tmp_path / "postcodes.csv"
    pd.DataFrame({"Postcode": pool["pcd"]}).to_csv(data, index=False)
    out = tmp_path / "bundle"
    result = surgery("run", "who-we-reach", "--data", data, "--out", out, "--no-progress",
                     env={"SURGERY_DATA_DIR": str(tmp_path / "none")})
    assert result.returncode == 0, result.stderr
    reach = pd.read_csv(out / "reach.csv", dtype=str, keep_default_na=False)
    valid = reach["postcode_status"] != "not a UK postcode"
    assert (reach.loc[valid, "local_authority_code"] == pool.loc[valid, "oslaua"]).mean() >= 0.97
    english = valid & pool["lsoa11"].str.startswith("E01")
    assert (reach.loc[english, "deprivation_decile"] != "").mean() >= 0.90


def test_with_an_added_directory_the_report_says_the_neighbourhoods_are_exact(tmp_path, surgery):
    added = surgery("data", "add", EXCERPT, "--no-progress", "--replace-small", env={"SURGERY_DATA_DIR": str(tmp_path)})
    assert added.returncode == 0, added.stderr
    data = tmp_path / "clients.csv"
    excerpt = pd.read_csv(EXCERPT)
    pd.DataFrame({"Postcode": excerpt["pcd"]}).to_csv(data, index=False)
    out = tmp_path / "bundle"
    result = surgery("run", "who-we-reach", "--data", data, "--out", out, "--no-progress",
                     env={"SURGERY_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert json.loads((out / "summary.json").read_text())["level"] == "LSOA (exact)"
    reach = pd.read_csv(out / "reach.csv", dtype=str, keep_default_na=False)
    english = excerpt["lsoa11"].fillna("").str.startswith("E01")
    assert (reach.loc[english, "lsoa_code"] == excerpt.loc[english, "lsoa11"]).all()


def test_an_unknown_area_exits_2_naming_it(tmp_path, surgery):
    result = surgery("run", "who-we-reach", "--data", SAMPLE, "-p", "area", "Hackny", "--out", tmp_path / "b",
                     "--no-progress")
    assert result.returncode == 2
    assert "'Hackny'" in result.stderr and "Traceback" not in result.stderr


def test_a_list_with_no_client_in_england_still_gets_its_report_without_a_map(tmp_path, surgery):
    data = tmp_path / "clients.csv"
    data.write_text("Client,Postcode\n" + "".join(f"{n},CF10 1EP\n" for n in range(6)) + "7,EH1 1YZ\n",
                    encoding="utf-8")
    out = tmp_path / "bundle"
    result = surgery("run", "who-we-reach", "--data", data, "--out", out, "--no-progress",
                     env={"SURGERY_DATA_DIR": str(tmp_path / "none")})
    assert result.returncode == 0, result.stdout + result.stderr
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "stopped at" not in report and "Dot map" not in report
