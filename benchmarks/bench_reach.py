"""How long ``surgery run who-we-reach`` takes on 100,000 records, end to end, and its peak memory.

Two lists, each timed as the volunteer runs it (a process, kernel and report included):

* ``local``: 100,000 referrals from the seeded East London sample generator (six boroughs), so the
  lookup reads only the postcode files for the letters those postcodes start with;
* ``national``: 100,000 real postcodes from all over the UK (the committed East London extract
  repeated, plus a spread of real postcodes from every postcode letter), so every file is read.

Target (issue 14): at most 30 s and 2 GiB. Run with the kit's environment active:

    python benchmarks/bench_reach.py [--records 100000]
"""

from __future__ import annotations

import argparse
import os
import string
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from measure import measure, surgery_run

from helpers.synthetic.reach import make_clients


def national_postcodes(records: int, seed: int = 14) -> pd.Series:
    """Real postcodes drawn from every first letter of the shipped directory."""
    from helpers.reach.lookup import _package_letter

    rng = np.random.default_rng(seed)
    keys = np.concatenate([_package_letter(letter).index.to_numpy() for letter in string.ascii_uppercase])
    chosen = rng.choice(keys, size=records)
    return pd.Series([f"{key[:-3]} {key[-3:]}" for key in chosen])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    env = {**os.environ, "SURGERY_DATA_DIR": tempfile.mkdtemp(prefix="no-directory-")}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        local = folder / "local.csv"
        make_clients(args.records, people=int(args.records * 0.85)).to_csv(local, index=False)
        national = folder / "national.csv"
        pd.DataFrame({"Postcode": national_postcodes(args.records)}).to_csv(national, index=False)
        for label, data in (("local", local), ("national", national)):
            result = measure(surgery_run("who-we-reach", data, folder / f"bundle-{label}"), env=env)
            print(result.line(f"who-we-reach, {args.records:,} records, {label}"))


if __name__ == "__main__":
    main()
