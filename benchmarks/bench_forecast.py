"""How long the food-bank-demand forecasting step takes, and how well each method scores.

Measures, on this machine, in one fresh process:

* importing statsforecast (paid once per playbook run);
* the first forecast in the process against a repeat, to show any numba JIT compile
  cost (the models used here are compiled ahead of time, so the two should be close);
* the sample visit log (aggregation plus backtest and forecast), and weekly series of
  1, 3 and 10 years;
* 500 food banks' three-year series at once, as an umbrella body would run them.

For each it prints the wall time and each method's backtest MASE (below 1 beats
"same week last year"; for many series, the median and how often each method won).
Run with the kit's environment active:

    python benchmarks/bench_forecast.py [--banks 500] [--jobs 1] [--horizon 12]
"""

from __future__ import annotations

import argparse
import time

started = time.perf_counter()
import statsforecast  # noqa: E402,F401  (timed on purpose: the playbook pays this once)

IMPORT_SECONDS = time.perf_counter() - started

import pandas as pd  # noqa: E402

from helpers.food_bank.weekly import weekly_demand  # noqa: E402
from helpers.food_bank.forecast import forecast_demand, forecast_many  # noqa: E402
from helpers.writing.playbook import DATASETS_DIR  # noqa: E402
from helpers.synthetic.foodbank import make_weekly_parcels  # noqa: E402


def scores_line(backtest: pd.DataFrame) -> str:
    return ", ".join(f"{row.model} {row.mase:.3f}" for row in backtest.itertuples())


def one_series(label: str, frame: pd.DataFrame, date_column: str, count_column: str | None,
               horizon: int) -> None:
    started = time.perf_counter()
    demand = weekly_demand(frame, date_column, count_column)
    aggregated = time.perf_counter()
    result = forecast_demand(demand, horizon)
    done = time.perf_counter()
    print(f"{label:<28} {demand.history_weeks:>4} weeks  aggregate {aggregated - started:6.3f}s  "
          f"backtest+forecast {done - aggregated:6.3f}s  chosen {result.model:<13} "
          f"MASE: {scores_line(result.backtest)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--banks", type=int, default=500, help="food banks in the umbrella run")
    parser.add_argument("--jobs", type=int, default=1, help="processes for statsforecast (the machine has few cores)")
    parser.add_argument("--horizon", type=int, default=12, help="weeks ahead")
    args = parser.parse_args()

    print(f"import statsforecast: {IMPORT_SECONDS:.2f}s")
    three_years = make_weekly_parcels(156, seed=1)
    for attempt in ("first (cold)", "repeat (warm)"):
        started = time.perf_counter()
        forecast_demand(weekly_demand(three_years, "week_start", "parcels"), args.horizon)
        print(f"3-year series, {attempt:<14} {time.perf_counter() - started:.3f}s")

    visits = pd.read_csv(DATASETS_DIR / "foodbank-visits.csv", dtype="str")
    visits["Visit date"] = pd.to_datetime(visits["Visit date"], format="%d/%m/%Y")
    one_series(f"sample visit log ({len(visits):,} rows)", visits, "Visit date", None, args.horizon)
    for years in (1, 3, 10):
        one_series(f"weekly series, {years} year{'s' if years > 1 else ''}",
                   make_weekly_parcels(52 * years, seed=years), "week_start", "parcels", args.horizon)

    frames = [make_weekly_parcels(156, seed=100 + i, base=40 + (i % 50) * 6).assign(unique_id=f"bank {i:03d}")
              for i in range(args.banks)]
    series = pd.concat(frames).rename(columns={"week_start": "ds", "parcels": "y"})
    started = time.perf_counter()
    result = forecast_many(series, args.horizon, n_jobs=args.jobs)
    seconds = time.perf_counter() - started
    median = result.scores.groupby("model")["mase"].median()
    wins = result.chosen.value_counts()
    print(f"{args.banks} food banks x 156 weeks, n_jobs={args.jobs}: {seconds:.1f}s "
          f"({1000 * seconds / args.banks:.0f} ms a food bank)")
    for model in median.index:
        print(f"    {model:<13} median MASE {median[model]:.3f}  chosen for {wins.get(model, 0)} food banks")


if __name__ == "__main__":
    main()
