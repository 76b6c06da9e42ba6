"""A network of food banks: one series per site, the total, safe sheet names, the MASE target on held-back weeks."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.food_bank.forecast import write_forecast_files
from helpers.food_bank.network import (
    TOTAL, forecast_network, network_demand, sheet_names, site_table,
)
from helpers.food_bank.stock import load_default_parcel_contents, stock_plan, write_stock_plan
from helpers.synthetic.foodbank import make_network


@pytest.fixture(scope="module")
def network():
    frame = make_network(6, 156, seed=21)
    demand = network_demand(frame, "Week commencing", "Food bank", "Parcels")
    return frame, demand, forecast_network(demand, 8, n_jobs=1)


def test_each_site_and_the_total_are_forecast(network):
    frame, demand, result = network
    assert sorted(result.sites) == sorted(frame["Food bank"].unique())
    table = result.forecast
    assert table.groupby("site").size().eq(8).all() and set(table["site"]) == {*result.sites, TOTAL}
    # The total's history is the sum of the sites' counted weeks, week by week.
    week = demand.total.history.index[10]
    by_hand = sum(int(frame.loc[(frame["Food bank"] == s) & (frame["Week commencing"] == f"{week:%d/%m/%Y}"),
                                "Parcels"].sum()) for s in result.sites)
    if demand.total.weeks.loc[week, "status"] == "counted":
        assert demand.total.weeks.loc[week, "parcels"] == by_hand


def test_mean_mase_across_sites_beats_the_seasonal_naive(network):
    _, _, result = network
    mase = result.mase()
    assert mase["mase"].mean() <= 0.9 * mase["seasonal_naive"].mean()


def test_forecast_file_has_a_site_column(network, tmp_path):
    _, _, result = network
    csv_path, _ = write_forecast_files(result.forecast, tmp_path)
    table = pd.read_csv(csv_path)
    assert table.columns[:3].tolist() == ["site", "week_start", "week_ending"]
    assert table["site"].iloc[-1] == TOTAL


def test_stock_plan_has_a_sheet_per_site_with_safe_names(network, tmp_path):
    _, demand, result = network
    contents = load_default_parcel_contents()
    hostile = {"=HYPERLINK(\"x\")/[North]: " + "y" * 30: result.sites[next(iter(result.sites))]}
    plans = {name: stock_plan(r.forecast, contents) for name, r in {**result.sites, **hostile}.items()}
    path = write_stock_plan(stock_plan(result.total.forecast, contents), tmp_path, plans)
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert len(names) == 4 + len(plans) and len({n.lower() for n in names}) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_sheet_names_are_unique_short_and_legal():
    names = sheet_names(["A/B: East", "a/b: east", "x" * 40, "History"], reserved=["Totals"])
    assert list(names.values()) == ["A-B- East", "a-b- east (2)", "x" * 31, "History (site)"]


def test_site_table_is_short(network):
    _, _, result = network
    table = site_table(next(iter(result.sites.values())))
    assert len(table) == 2 and table.columns.tolist() == ["Weeks", "Parcels", "Likely range (80%)"]


def test_missing_site_column_is_named():
    with pytest.raises(InputProblem, match="'Site'"):
        network_demand(make_network(2, 20), "Week commencing", "Site", "Parcels")


def _spark_missing() -> str | None:
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'data-surgery-kit[spark]')"
    if not shutil.which("java") and not __import__("os").environ.get("JAVA_HOME"):
        return "Java 17 is not installed"
    return None


@pytest.mark.skipif(_spark_missing() is not None and not __import__("os").environ.get("CI"),
                    reason=str(_spark_missing()))
def test_spark_back_end_gives_the_same_forecasts():
    demand = network_demand(make_network(2, 70, seed=9), "Week commencing", "Food bank", "Parcels")
    local = forecast_network(demand, 4, n_jobs=1)
    spark = forecast_network(demand, 4, backend="spark")
    numbers = ["forecast", "lower_80", "upper_80", "lower_95", "upper_95"]
    pd.testing.assert_frame_equal(local.forecast[["site", "week_start", *numbers]],
                                  spark.forecast[["site", "week_start", *numbers]])
    assert {n: r.model for n, r in local.sites.items()} == {n: r.model for n, r in spark.sites.items()}


def test_unknown_backend_is_refused():
    demand = network_demand(make_network(2, 30, seed=9), "Week commencing", "Food bank", "Parcels")
    with pytest.raises(InputProblem, match="backend"):
        forecast_network(demand, 4, backend="dask")


def test_surgery_run_on_the_network_sample(tmp_path):
    import json
    import subprocess
    import sys

    from helpers.writing.playbook import DATASETS_DIR

    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "helpers", "run", "food-bank-demand", "--data",
                           str(DATASETS_DIR / "foodbank-network.csv"), "--out", str(out), "--no-progress",
                           "-p", "site_column", "Food bank"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    sites = pd.read_csv(DATASETS_DIR / "foodbank-network.csv")["Food bank"].nunique()
    table = pd.read_csv(out / "forecast.csv")
    assert table["site"].nunique() == sites + 1 and (table.groupby("site").size() == 12).all()
    sheets = openpyxl.load_workbook(out / "stock_plan.xlsx", read_only=True).sheetnames
    assert len(sheets) == 4 + sites
    summary = json.loads((out / "summary.json").read_text())
    assert summary["sites"] == sites
    assert summary["network_mase"]["chosen"] <= 0.9 * summary["network_mase"]["seasonal_naive"]
    report = (out / "report.html").read_text()
    assert report.index("Main points") < report.index("The network") < report.index("Each food bank")
    # Issue 20: the README's own example, without -p count_column Parcels; the load log says which column.
    assert "The counts were taken from 'Parcels'" in (out / "notebook.ipynb").read_text()
    # Issue 22: the sites add up to the network total in every week of forecast.csv, and the report says so.
    sites_sum = table[table["site"] != TOTAL].groupby("week_start")["forecast"].sum()
    total = table[table["site"] == TOTAL].set_index("week_start")["forecast"]
    assert (sites_sum.reindex(total.index) == total).all()
    assert summary["reconciled"] == "mint_shrink"
    assert "forecasts were reconciled with the network total" in report


def test_sites_add_up_to_the_network_total_in_every_week_of_forecast_csv(network, tmp_path):
    # Issue 22: the twelve sites summed to 1.0-1.9% below the total's own forecast in every week.
    _, _, result = network
    table = pd.read_csv(write_forecast_files(result.forecast, tmp_path)[0])
    sites = table[table["site"] != TOTAL].groupby("week_start")["forecast"].sum()
    total = table[table["site"] == TOTAL].set_index("week_start")["forecast"]
    assert len(total) == 8 and (sites.reindex(total.index) == total).all()
    for column in ("lower_80", "lower_95"):
        assert (table[column] <= table["forecast"]).all()
    for column in ("upper_80", "upper_95"):
        assert (table[column] >= table["forecast"]).all()
    assert result.reconciliation.method == "mint_shrink" and not result.reconciliation.bottom_up


def test_the_readme_network_example_needs_no_count_column():
    from helpers.reading.loader import load_table
    from helpers.writing.playbook import DATASETS_DIR

    table = load_table(DATASETS_DIR / "foodbank-network.csv")
    demand = network_demand(table.frame, "Week commencing", "Food bank", None)
    assert len(demand.sites) == 12 and not demand.left_out
    first = next(iter(demand.sites.values()))
    assert any("taken from 'Parcels', the only column of numbers" in line for line in first.log)


def test_a_site_with_a_shorter_history_keeps_its_own_forecast_and_the_rest_are_reconciled():
    from helpers.food_bank.reconcile import reconcile_forecasts

    weeks = pd.date_range("2025-01-06", periods=3, freq="W-MON")
    rows = [(uid, w, f) for uid, f in (("T", 130.0), ("a", 50.0), ("b", 50.0), ("new", 20.0)) for w in weeks]
    forecasts = pd.DataFrame(rows, columns=["unique_id", "week_start", "forecast"])
    for bound in ("lower_80", "upper_80", "lower_95", "upper_95"):
        forecasts[bound] = forecasts["forecast"]
    # Backtest misses of a and b (independent, equally uncertain) and of the total, which misses by
    # roughly their sum; "new" has none on these weeks (a shorter history, tested elsewhere).
    rng = np.random.default_rng(3)
    cutoffs = pd.date_range("2024-06-03", periods=30, freq="W-MON")
    a, b = rng.normal(0, 4, 30), rng.normal(0, 4, 30)
    misses = pd.concat([pd.DataFrame({"unique_id": uid, "cutoff": cutoffs, "week_start": cutoffs + pd.Timedelta(weeks=1),
                                      "miss": miss}) for uid, miss in (("T", a + b + rng.normal(0, 1, 30)), ("a", a),
                                                                       ("b", b))], ignore_index=True)
    out, how = reconcile_forecasts(forecasts, misses, "T", ["a", "b", "new"])
    first = out[out["week_start"] == weeks[0]].set_index("unique_id")["forecast"]
    assert how.bottom_up == ("new",) and set(how.reconciled) == {"a", "b"}
    assert first["new"] == 20.0
    assert first["a"] + first["b"] + first["new"] == pytest.approx(first["T"])
    # The sites' sum (120) and the total's own forecast (130) disagree: the answer lies between them,
    # and the two equally uncertain sites take equal shares of the change.
    assert 120.0 < first["T"] < 130.0 and first["a"] == pytest.approx(first["b"], rel=0.1)


def test_the_shrunk_covariance_is_usable_with_more_series_than_weeks():
    from helpers.food_bank.reconcile import mint_weights, shrunk_covariance

    rng = np.random.default_rng(5)
    covariance, intensity = shrunk_covariance(rng.normal(size=(6, 13)))
    assert 0 < intensity <= 1 and np.all(np.linalg.eigvalsh(covariance) > 0)
    weights = mint_weights(covariance)
    # Coherent forecasts are left as they are: the weights reproduce any sites whose sum is the total.
    sites = rng.uniform(10, 100, size=12)
    assert np.allclose(weights @ np.r_[sites.sum(), sites], sites)
