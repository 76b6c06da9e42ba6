"""How long `surgery run food-bank-demand` takes, end to end, as the volunteer runs it.

Each figure is one `surgery run food-bank-demand` process timed by :mod:`measure` (wall
time and peak memory of the whole process tree: kernel, statsforecast's workers and the
report render included), on:

* the sample visit log (22,697 rows, three years);
* about 10x and 100x it (visit logs of ten and a hundred times as many parcels a week,
  from the same generator, so the weekly series is as long and the rows grow);
* a network of 200 food banks over three years (``site_column``), the issue's target
  (at most 120 s here), with mean MASE across sites against the seasonal naive's.

The backtest-and-forecast step's own time (from ``summary.json``) is printed beside
each run, labelled as a step. Timings on a shared machine are noisy. Run with the kit's
environment active:

    python benchmarks/bench_forecast.py [--sites 200] [--only network]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from measure import measure, surgery_run  # noqa: E402

from helpers.synthetic.foodbank import make_network  # noqa: E402
from helpers.writing.playbook import DATASETS_DIR  # noqa: E402


def scaled_visit_log(factor: int, folder: Path) -> Path:
    """The sample visit log with every row repeated ``factor`` times (same weeks, ``factor`` x the parcels)."""
    log = pd.read_csv(DATASETS_DIR / "foodbank-visits.csv", dtype="str")
    path = folder / f"visits-x{factor}.csv"
    pd.concat([log] * factor, ignore_index=True).to_csv(path, index=False)
    return path


def run(label: str, data: Path, out: Path, *parameters: str) -> dict:
    result = measure(surgery_run("food-bank-demand", data, out, *parameters))
    print(result.line(label), flush=True)
    if result.returncode:
        print(result.stderr[-2000:])
        return {}
    summary = json.loads((out / "summary.json").read_text())
    if "forecast_step_seconds" in summary:
        print(f"    step: backtest and forecast {summary['forecast_step_seconds']:.1f} s")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--only", choices=["sample", "network"], default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-forecast-") as tmp:
        folder = Path(tmp)
        if args.only in (None, "sample"):
            run("food-bank-demand, sample (22,697 rows)", DATASETS_DIR / "foodbank-visits.csv", folder / "s")
            for factor in (10, 100):
                data = scaled_visit_log(factor, folder)
                run(f"food-bank-demand, {factor}x the sample ({22_697 * factor:,} rows)", data, folder / f"x{factor}")
        if args.only in (None, "network"):
            data = folder / "network.csv"
            make_network(args.sites, 156, seed=13).to_csv(data, index=False)
            summary = run(f"food-bank-demand, {args.sites} food banks x 3 years", data, folder / "n",
                          "-p", "site_column", "Food bank", "-p", "count_column", "Parcels")
            mase = summary.get("network_mase", {})
            if mase:
                ratio = mase["chosen"] / mase["seasonal_naive"]
                print(f"    mean MASE across sites: chosen {mase['chosen']:.3f}, seasonal naive "
                      f"{mase['seasonal_naive']:.3f} (ratio {ratio:.2f}; target at most 0.9)")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
