"""food-bank-demand: how many parcels should we plan for?

The playbook imports everything it uses from here; behind it, ``weekly`` makes a
visit log or counts weekly, ``forecast`` backtests and forecasts with statsforecast,
``charts`` draws the report's charts (for the page and for a phone),
``stock`` turns parcels into items, ``reconcile`` makes a network's sites add up to its total,
``calibration`` measures how often the ranges hold, and ``words`` decides the report's
conclusions (busiest week, the join) as claims and writes its sentences.
"""

from helpers.food_bank.charts import forecast_chart, history_chart, yearly_pattern_chart
from helpers.food_bank.forecast import (
    backtest_table,
    forecast_demand,
    forecast_summary,
    forecast_table,
    peak_weeks,
    total_range,
    write_forecast_files,
)
from helpers.food_bank.stock import (
    parcel_contents_for,
    stock_on_hand_for,
    stock_plan,
    stock_table,
    write_stock_plan,
)
from helpers.food_bank.weekly import (
    date_words,
    week_markers,
    weekly_demand,
    yearly_profile,
)
from helpers.food_bank.words import (
    backtest_in_words,
    bank_holidays_in_words,
    closures_in_words,
    is_flat,
    join_in_words,
    next_steps,
    partial_week_in_words,
    ranges_in_words,
    stock_in_words,
    summary_in_words,
    week_words,
)

__all__ = [
    "backtest_in_words", "backtest_table", "bank_holidays_in_words", "closures_in_words", "date_words", "forecast_chart",
    "forecast_demand", "forecast_summary", "forecast_table", "history_chart", "is_flat", "join_in_words", "next_steps", "partial_week_in_words", "total_range", "week_words",
    "parcel_contents_for", "peak_weeks", "ranges_in_words", "stock_in_words", "stock_on_hand_for",
    "stock_plan", "stock_table", "summary_in_words", "week_markers", "weekly_demand",
    "write_forecast_files", "write_stock_plan", "yearly_pattern_chart", "yearly_profile",
]
