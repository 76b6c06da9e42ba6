"""Measure who-we-reach's nearest-centre estimate council by council (run by hand, never by a playbook).

Without an added postcode directory the kit estimates each postcode's neighbourhood (2011 LSOA)
as the LSOA of its local authority whose population-weighted centre is nearest the postcode.
How often that is right varies by council: well over 80% where neighbourhoods are compact and
far less where they are long and thin. This script looks up every English postcode of a
published sample of the ONS Postcode Directory exactly as the playbook does (no directory
added) and compares the estimate with the directory's own ``lsoa11`` for that postcode.

Input: mySociety's published 100,000-postcode sample of the ONS Postcode Directory
(mysociety/mini-postcode-lookup, ``data/onspd_100000.csv``; columns ``pcd``, ``oslaua``, ``pcon``,
``lsoa11``; ONS, Open Government Licence v3.0), the sample the README's national figures come from.

Output: ``helpers/reach/data/nearest_accuracy.csv``, one row per current English local authority
in the sample (and one for England, code ``E92000001``): ``code``, ``postcodes`` (tested),
``right_lsoa`` and ``right_decile`` (how many the estimate got right).

Usage::

    python datasets/reference/build_nearest_accuracy.py onspd_100000.csv
"""

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "helpers" / "reach" / "data" / "nearest_accuracy.csv"
ENGLAND = "E92000001"


def main(sample_path):
    sys.path.insert(0, str(ROOT))
    from helpers.reach.lookup import look_up_postcodes, lsoa_reference

    sample = pd.read_csv(sample_path, dtype=str, keep_default_na=False)
    english = sample[sample["lsoa11"].str.startswith("E01")].reset_index(drop=True)
    found = look_up_postcodes(english["pcd"], Path("/nonexistent-postcode-directory")).table
    # Measured where the estimate could be made at all: the postcode placed in an English council.
    placed = found["deprivation_decile"].notna()
    decile = lsoa_reference()["imd_decile"]
    rows = pd.DataFrame({
        "code": found.loc[placed, "local_authority_code"],
        "right_lsoa": found.loc[placed, "lsoa_code"] == english.loc[placed, "lsoa11"],
        "right_decile": (found.loc[placed, "deprivation_decile"]
                         == english.loc[placed, "lsoa11"].map(decile)).fillna(False),
    })
    table = rows.groupby("code").agg(postcodes=("right_lsoa", "size"), right_lsoa=("right_lsoa", "sum"),
                                     right_decile=("right_decile", "sum")).reset_index()
    total = pd.DataFrame([{"code": ENGLAND, "postcodes": len(rows), "right_lsoa": int(rows["right_lsoa"].sum()),
                           "right_decile": int(rows["right_decile"].sum())}])
    table = pd.concat([total, table], ignore_index=True)
    table.to_csv(OUT, index=False)
    print(f"{len(rows):,} English postcodes in {len(table) - 1:,} councils: right LSOA "
          f"{rows['right_lsoa'].mean():.1%}, right decile {rows['right_decile'].mean():.1%}; written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
