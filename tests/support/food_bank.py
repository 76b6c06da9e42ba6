"""A half-year visit log whose weeks are known, shared by the food-bank tests.

Use it in a test module with ``pytest_plugins = ["support.food_bank"]``.
"""

import datetime as dt

import pandas as pd
import pytest

from helpers.synthetic.foodbank import make_visit_log


@pytest.fixture(scope="module")
def visit_log() -> pd.DataFrame:
    """Monday 8 Jan to Friday 28 June 2024: whole weeks, a closed week (12 Feb) and bank holidays,
    indexed by spreadsheet row number as the loader gives it."""
    log = make_visit_log(seed=7, start=dt.date(2024, 1, 8), end=dt.date(2024, 6, 28))
    log.index = log.index + 2
    return log
