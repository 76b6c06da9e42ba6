"""How long finding duplicate contacts takes, how much memory it needs, and how right it is.

For each size, a fresh child process makes a fake contact list with known
duplicates (``helpers.synthetic.contacts.make_contacts``, not timed), then runs
the linkage step of the ``deduplicate-contacts`` playbook on the default DuckDB
backend: tidying, training the splink model, scoring pairs and clustering
(``helpers.contacts.model.link_contacts``). It prints the wall time of that step (and
of its parts), the process's peak resident memory (DuckDB's memory is outside
Python's, so tracemalloc would miss it), and pairwise precision and recall
against the known answer. Targets on a 2-core machine: 100k rows under 15 s,
1M rows under 2 minutes, peak memory under 6 GiB, precision and recall at
least 0.95 at every size. Run with the kit's environment active:

    python benchmarks/bench_dedupe.py [--sizes 10000 100000 1000000] [--threshold 0.9]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys


def measure(rows: int, threshold: float, seed: int) -> dict:
    """Make a list of ``rows`` rows, link it, and return the figures (runs in the child)."""
    import resource
    import time

    from helpers.contacts import find_contact_columns, link_contacts, pairwise_precision_recall
    from helpers.synthetic.contacts import make_contacts

    contacts, truth = make_contacts(rows, seed=seed)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    columns = find_contact_columns(contacts, {})
    result = link_contacts(contacts, columns, match_threshold=threshold)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    person = truth.set_index("Contact ID")["Person ID"]
    precision, recall = pairwise_precision_recall(result.clusters["cluster_id"],
                                                  person.loc[result.clusters["id"]].to_numpy())
    return {
        "rows": rows,
        "seconds": seconds,
        "peak_rss_gib": peak / 2**20,
        "rss_before_gib": before / 2**20,
        "precision": precision,
        "recall": recall,
        "compared_pairs": result.compared_pairs,
        "clusters": result.duplicate_clusters,
        "records_in_clusters": result.records_in_clusters,
        "parts": result.timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="list sizes in rows (default: 10000 100000 1000000)")
    parser.add_argument("--threshold", type=float, default=0.9, help="match threshold (default 0.9)")
    parser.add_argument("--seed", type=int, default=2024, help="seed for the fake lists")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(measure(args.child, args.threshold, args.seed)))
        return

    print(f"{'rows':>10} {'seconds':>8} {'peak GiB':>9} {'precision':>10} {'recall':>7} "
          f"{'pairs scored':>13} {'clusters':>9}  parts (s)")
    for rows in args.sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(rows), "--threshold", str(args.threshold),
             "--seed", str(args.seed)],
            capture_output=True, text=True, check=False,
        )
        if child.returncode != 0:
            print(f"{rows:>10} failed:\n{child.stderr[-2000:]}")
            continue
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        parts = ", ".join(f"{name} {secs:.1f}" for name, secs in figures["parts"].items())
        print(f"{rows:>10,} {figures['seconds']:>8.1f} {figures['peak_rss_gib']:>9.2f} "
              f"{figures['precision']:>10.4f} {figures['recall']:>7.4f} {figures['compared_pairs']:>13,} "
              f"{figures['clusters']:>9,}  {parts}", flush=True)


if __name__ == "__main__":
    main()
