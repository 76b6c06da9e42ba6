"""Build the compact reference data that ``who-we-reach`` ships (run by hand, never by a playbook).

Inputs are public OGL files, read from local copies of the repositories that publish them:

- the English Indices of Deprivation 2019, File 1 (IMD rank and decile by 2011 LSOA) and File 6
  (population denominators, mid-2015), Ministry of Housing, Communities and Local Government;
- ONS population-weighted centres of the 2011 LSOAs in England and Wales, as latitude and longitude,
  and the ONS local authority codes and names with each old code's current successor (both
  collected from the ONS Open Geography portal in the drkane/geo-lookups repository).

Output (``helpers/reach/data/``):

- ``lsoa_reference.csv.gz``: one row per 2011 LSOA in England and Wales: code, current local
  authority code, British National Grid easting and northing of its population-weighted centre
  (whole metres), and for England the IMD 2019 rank, decile and mid-2015 population.
- ``local_authorities.csv``: current local authority codes with names and nation.

Usage::

    python datasets/reference/build_reach_reference.py IMD_FILE1.csv.gz IMD_FILE6.csv.gz \
        lsoa_latlong.csv la_all_codes.csv

The conversion from latitude and longitude to the British National Grid needs pyproj (a build
dependency only: the playbook itself reads the eastings and northings).
"""

import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[2] / "helpers" / "reach" / "data"


def _number(series):
    return pd.to_numeric(series.astype(str).str.replace(",", ""), errors="raise").astype(int)


def main(file1, file6, latlong, la_codes):
    from pyproj import Transformer

    imd = pd.read_csv(file1, encoding="utf-8-sig")
    imd = pd.DataFrame({
        "lsoa": imd["LSOA code (2011)"],
        "la2019": imd["Local Authority District code (2019)"],
        "imd_rank": _number(imd["Index of Multiple Deprivation (IMD) Rank"]),
        "imd_decile": _number(imd["Index of Multiple Deprivation (IMD) Decile"]),
    })
    pop = pd.read_csv(file6, encoding="utf-8-sig")
    pop = pd.DataFrame({
        "lsoa": pop["LSOA code (2011)"],
        "population": _number(pop["Total population: mid 2015 (excluding prisoners)"]),
    })
    centres = pd.read_csv(latlong)
    # The file lists 2011 and 2021 LSOAs together. England keeps the 2011 ones the index uses;
    # Wales (no English index) keeps all, since only the neighbourhood code is reported there.
    english = centres["LSOACD"].isin(set(imd["lsoa"]))
    centres = centres[english | centres["LSOACD"].str.startswith("W01")]
    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    east, north = to_grid.transform(centres["longitude"].to_numpy(), centres["latitude"].to_numpy())
    centres = pd.DataFrame({"lsoa": centres["LSOACD"].to_numpy(),
                            "easting": east.round().astype(int), "northing": north.round().astype(int)})

    las = pd.read_csv(la_codes)
    active = dict(zip(las["LADCD"], las["LADCD_ACTIVE"]))
    out = centres.merge(imd, on="lsoa", how="left").merge(pop, on="lsoa", how="left")
    england = out["lsoa"].str.startswith("E")
    if out.loc[england, "imd_decile"].isna().any():
        raise SystemExit("an English LSOA has no IMD row")
    # Welsh LSOAs have no local authority in the English files; the lookup then falls back to
    # the nearest centre in Wales, without the local authority check.
    out["local_authority"] = out["la2019"].map(active).fillna("")
    out = out.drop(columns="la2019").sort_values("lsoa")
    for column in ("imd_rank", "imd_decile", "population"):
        out[column] = out[column].astype("Int64")
    OUT.mkdir(parents=True, exist_ok=True)
    out.to_csv(OUT / "lsoa_reference.csv.gz", index=False,
               compression={"method": "gzip", "compresslevel": 9, "mtime": 0})

    current = las[las["Current"].astype(str).str.upper() == "TRUE"]
    current = pd.DataFrame({"code": current["LADCD"], "name": current["LADNM"],
                            "nation": current["CTRYNM"]}).drop_duplicates("code").sort_values("code")
    current.to_csv(OUT / "local_authorities.csv", index=False)
    print(f"{len(out):,} LSOAs, {len(current):,} local authorities written to {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
