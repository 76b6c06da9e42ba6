"""Do the food-bank forecast's ranges hold as often as they say? Coverage over rolling origins.

The kit is put back to earlier weeks (forecast origins four weeks apart), forecasts the next 12
weeks exactly as the report does, and the ranges are scored against what happened:

* a long real-like single series (five years of the sample's weekly demand shape, several seeds),
  12 origins each;
* the sample network (``datasets/foodbank-network.csv``, 12 food banks and the reconciled total),
  10 origins.

Printed per set: the share of real weeks inside the weekly 80% and 95% ranges, and the share of
real 12-week totals inside the total's 80% range (the report's "8 times out of 10"). The issue's
bands: the total's 80% range within 70-90% on both, the network's weekly 80% within 75-90%.

    python benchmarks/bench_calibration.py [--seeds 5] [--origins 12]
"""

from __future__ import annotations

import argparse
import time

from helpers.food_bank.calibration import coverage, rolling_network, rolling_single
from helpers.food_bank.network import TOTAL
from helpers.reading.loader import load_table
from helpers.synthetic.foodbank import make_weekly_parcels
from helpers.writing.playbook import DATASETS_DIR


def line(label: str, figures: dict) -> str:
    return (f"{label:<38} weekly 80%: {figures['weekly_80']:.0%}  weekly 95%: {figures['weekly_95']:.0%}  "
            f"total 80%: {figures['total_80']:.0%} ({figures['forecasts']} totals, {figures['weeks']} weeks)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="single series (five years each)")
    parser.add_argument("--origins", type=int, default=12, help="origins per single series")
    parser.add_argument("--network-origins", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    single = rolling_single({f"seed {seed}": make_weekly_parcels(260, seed=seed) for seed in range(args.seeds)},
                            args.origins, 12, n_jobs=args.jobs)
    print(line(f"single series ({args.seeds} x {args.origins} origins)", coverage(single)), flush=True)
    table = load_table(DATASETS_DIR / "foodbank-network.csv").frame
    network = rolling_network(table, "Week commencing", "Food bank", "Parcels", args.network_origins, 12,
                              n_jobs=args.jobs)
    print(line(f"network: every site ({args.network_origins} origins)", coverage(network[network["series"] != TOTAL])))
    print(line("network: the reconciled total", coverage(network[network["series"] == TOTAL])))
    print(line("network: sites and total together", coverage(network)))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
