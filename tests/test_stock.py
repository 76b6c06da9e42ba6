"""Stock plan: parcel contents, household mix, items per week and weeks of cover."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.food_bank.stock import (
    ASSUMED_HOUSEHOLD_MIX, band_shares, load_default_parcel_contents, read_parcel_contents, read_size_band,
    read_stock_on_hand, stock_plan, write_stock_plan,
)


@pytest.fixture
def contents():
    table = pd.DataFrame({"Item": ["Soup", "Pasta"], "Unit": ["tin", "bag"],
                          "1 person": [2, 1], "2 people": [3, 1], "3+ people": [5, 2]}, index=[2, 3])
    return read_parcel_contents(table, "test.csv")


@pytest.fixture
def forecast():
    return pd.DataFrame({"week_start": pd.date_range("2025-01-06", periods=3, freq="W-MON"),
                         "forecast": [10, 20, 10], "upper_80": [13, 25, 12]})


def test_size_bands_are_read_from_headers():
    assert (read_size_band("1 person").low, read_size_band("1 person").high) == (1, 1)
    assert (read_size_band("3-4 people").low, read_size_band("3-4 people").high) == (3, 4)
    assert read_size_band("3 to 4").high == 4
    assert read_size_band("5+ people").high == math.inf and read_size_band("5 +").high == math.inf
    assert read_size_band("Unit") is None and read_size_band("Item") is None


def test_shares_follow_the_household_sizes(contents):
    shares = band_shares(contents.bands, pd.Series({1: 60, 2: 20, 3: 10, 7: 10}))
    assert shares.to_dict() == pytest.approx({"1 person": 0.6, "2 people": 0.2, "3+ people": 0.2})
    assumed = band_shares(contents.bands)
    assert assumed["1 person"] == pytest.approx(ASSUMED_HOUSEHOLD_MIX[1])
    assert assumed.sum() == pytest.approx(1.0)


def test_items_per_week_at_forecast_and_upper_bound(contents, forecast):
    plan = stock_plan(forecast, contents, pd.Series({1: 1, 2: 1}))
    # Half the parcels to single people, half to couples: soup 2.5 tins a parcel, pasta 1 bag.
    soup = plan.weekly[plan.weekly["item"] == "Soup"]
    assert soup["at_forecast"].tolist() == [25, 50, 25]
    assert soup["at_upper_80"].tolist() == [33, 63, 30]  # 32.5 and 62.5 rounded up
    totals = plan.totals.set_index("item")
    assert totals.loc["Pasta", "total_at_forecast"] == 40
    assert totals.loc["Soup", "total_at_upper_80"] == 33 + 63 + 30
    assert plan.notes == []


def test_assumed_mix_is_stated(contents, forecast):
    plan = stock_plan(forecast, contents)
    assert plan.notes and "assumed mix" in plan.notes[0]


def test_weeks_of_cover(contents, forecast):
    stock = pd.Series({"Soup": 75.0, "Pasta": 1000.0})
    plan = stock_plan(forecast, contents, pd.Series({1: 1, 2: 1}), stock)
    totals = plan.totals.set_index("item")
    # Soup: 25 then 50 a week: 75 tins last exactly two weeks.
    assert totals.loc["Soup", "weeks_of_cover"] == 2.0
    assert totals.loc["Soup", "runs_out"] == "runs out in the week of 20 January 2025"
    # Cautious: 33 + 63 > 75, so 1 week and (75 - 33) / 63 of the next.
    assert totals.loc["Soup", "weeks_of_cover_upper_80"] == pytest.approx(1 + 42 / 63, abs=0.05)
    assert totals.loc["Pasta", "weeks_of_cover"] == 3.0
    assert totals.loc["Pasta", "runs_out"].startswith("lasts beyond")


def test_stock_on_hand_is_matched_by_name(contents):
    frame = pd.DataFrame({"Item": [" soup", "Jam", "SOUP"], "Stock": ["40", "3", "10"]}, index=[2, 3, 4])
    stock, notes = read_stock_on_hand(frame, contents)
    assert stock.to_dict() == {"Soup": 50.0}
    assert "'Jam'" in notes[0] and "'Pasta'" in notes[1]


def test_stock_with_text_quantities_names_the_rows(contents):
    frame = pd.DataFrame({"Item": ["Soup", "Pasta"], "Quantity": ["40", "lots"]}, index=[2, 3])
    with pytest.raises(InputProblem, match="'Quantity'.*row 3"):
        read_stock_on_hand(frame, contents)
    with pytest.raises(InputProblem, match="Quantity"):
        read_stock_on_hand(pd.DataFrame({"Item": ["Soup"]}), contents)


def test_contents_with_text_quantities_names_the_column_and_rows():
    table = pd.DataFrame({"Item": ["Soup", "Tea"], "1 person": ["2", "a box"], "2 people": [3, 1]}, index=[2, 3])
    with pytest.raises(InputProblem, match="'1 person'.*row 3"):
        read_parcel_contents(table)
    with pytest.raises(InputProblem, match="household size"):
        read_parcel_contents(pd.DataFrame({"Item": ["Soup"], "Amount": [2]}))


def test_default_contents_table_ships_with_four_bands():
    contents = load_default_parcel_contents()
    assert [band.label for band in contents.bands] == ["1 person", "2 people", "3-4 people", "5+ people"]
    assert len(contents.items) >= 10
    bands = contents.items[[band.label for band in contents.bands]]
    # Bigger households never get less of an item.
    assert (bands.diff(axis=1).iloc[:, 1:] >= 0).all().all()


def test_stock_plan_workbook(contents, forecast, tmp_path):
    plan = stock_plan(forecast, contents, None, pd.Series({"Soup": 75.0}))
    path = write_stock_plan(plan, tmp_path)
    assert path.name == "stock_plan.xlsx"
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["Totals", "Per week (central)", "Per week (cautious)", "Household mix"]
    weekly = pd.read_excel(path, sheet_name="Per week (central)")
    assert weekly["Item"].tolist() == ["Soup", "Pasta"] and len(weekly.columns) == 2 + 3


def test_cautious_total_uses_the_total_s_own_80_percent_range():
    from helpers.food_bank.stock import read_parcel_contents, stock_plan

    contents = read_parcel_contents(pd.DataFrame({"Item": ["Soup"], "1 person": [2], "2+ people": [4]}))
    weeks = pd.DataFrame({"week_start": pd.date_range("2025-01-06", periods=3, freq="W-MON"),
                          "forecast": [10, 10, 10], "upper_80": [14, 14, 14]})
    sizes = pd.Series({1: 1, 2: 1})  # 3 units a parcel on average
    summed = stock_plan(weeks, contents, sizes)
    assert summed.totals["total_at_upper_80"].item() == 3 * 42  # each week's cautious need, added up
    ranged = stock_plan(weeks, contents, sizes, total_upper_80=37)
    assert ranged.totals["total_at_upper_80"].item() == 3 * 37
    assert ranged.totals["total_at_forecast"].item() == 3 * 30
