"""How long ``surgery run our-year-in-numbers`` takes on a million attendances, end to end, with peak memory.

The log is the seeded community-centre sample (about 20,000 attendances by 1,500 people) copied with
fresh ids until it has ``--rows`` rows: a centre fifty times the sample's size, same shape. Timed as
the volunteer runs it (a process, kernel and report included). Target (issue 25): at most 60 s and
2 GiB on a 2-core machine.

    python benchmarks/bench_year.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

from measure import measure, surgery_run

from helpers.synthetic.activity import make_log


def big_log(rows: int) -> pd.DataFrame:
    """The sample log repeated with fresh ids (``CC2001-7`` for the 8th copy) up to ``rows`` rows."""
    sample = make_log()
    copies = []
    for copy in range(-(-rows // len(sample))):
        part = sample.copy()
        part["Client ID"] = part["Client ID"] + f"-{copy}"
        copies.append(part)
    return pd.concat(copies, ignore_index=True).head(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        data = folder / "activity.csv"
        big_log(args.rows).to_csv(data, index=False)
        result = measure(surgery_run("our-year-in-numbers", data, folder / "bundle"))
        print(result.line(f"our-year-in-numbers, {args.rows:,} attendance rows"))


if __name__ == "__main__":
    main()
