"""who-we-reach's postcode lookup against real published codes, offline."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.reach.lookup import INDEX_NAME, look_up_postcodes, lsoa_reference, nearest_lsoa, shipped_postcodes
from helpers.writing.playbook import DATASETS_DIR

NO_DIRECTORY = Path("/nonexistent-postcode-directory")
# A real ONS Postcode Directory extract (mySociety's published 100,000-row sample, OGL), for the
# six East London boroughs of the sample data.
POOL = DATASETS_DIR / "reference" / "east_london_postcodes.csv"


def lookup(values):
    return look_up_postcodes(pd.Series(values, dtype=object), NO_DIRECTORY).table


@pytest.mark.parametrize("typed, tidy, council, name", [
    ("sw1a1aa", "SW1A 1AA", "E09000033", "Westminster"),  # Buckingham Palace
    ("  e8 1dy ", "E8 1DY", "E09000012", "Hackney"),
    ("EH11YZ", "EH1 1YZ", "S12000036", "City of Edinburgh"),
    ("cf10 1ep", "CF10 1EP", "W06000015", "Cardiff"),
    ("BT1 5GS", "BT1 5GS", "N09000003", "Belfast"),
])
def test_messy_postcodes_are_tidied_and_placed_in_their_real_council(typed, tidy, council, name):
    row = lookup([typed]).iloc[0]
    assert (row["postcode"], row["local_authority_code"], row["local_authority"]) == (tidy, council, name)


def test_each_kind_of_unusable_postcode_gets_its_own_status():
    table = lookup(["", None, "  ", "75008", "D02 X285", "SW1A", "SW1A 9ZZ", "E8 1DY", "EH1 1YZ"])
    assert table["postcode_status"].tolist() == [
        "blank", "blank", "blank", "not a UK postcode", "not a UK postcode", "not a UK postcode",
        "not found", "located", "outside England"]
    assert table.loc[6, "local_authority_code"] == "" and pd.isna(table.loc[6, "deprivation_decile"])


def test_only_english_postcodes_get_a_decile_and_welsh_ones_still_get_a_neighbourhood():
    table = lookup(["E8 1DY", "CF10 1EP", "EH1 1YZ"])
    assert table["deprivation_decile"].notna().tolist() == [True, False, False]
    assert table.loc[1, "lsoa_code"].startswith("W01") and table.loc[2, "lsoa_code"] == ""
    assert INDEX_NAME == "IoD 2019 (England)"


def test_the_shipped_index_matches_the_published_file_for_the_city_of_london():
    # File 1 of the English Indices of Deprivation 2019: City of London 001A ranks 29,199, decile 9;
    # 001B ranks 30,379, decile 10. There are 32,844 LSOAs in England.
    ref = lsoa_reference()
    assert ref.loc["E01000001", ["imd_rank", "imd_decile"]].tolist() == [29199, 9]
    assert ref.loc["E01000002", ["imd_rank", "imd_decile"]].tolist() == [30379, 10]
    english = ref[ref.index.str.startswith("E")]
    assert len(english) == 32844  # the published file has a few tied ranks
    assert english["imd_rank"].between(1, 32844).all()
    # Deciles are tenths of the ranking: 3,284 or 3,285 neighbourhoods each.
    assert english["imd_decile"].value_counts().between(3284, 3285).all()


def test_a_point_at_an_lsoa_centre_is_placed_in_that_lsoa():
    ref = lsoa_reference()
    sample = ref[ref["local_authority"].notna()].iloc[::997]
    found = nearest_lsoa(sample["easting"], sample["northing"], sample["local_authority"])
    assert found.tolist() == sample.index.tolist()


def test_only_the_files_for_the_letters_used_are_read():
    from helpers.reach import lookup as module

    module._package_letter.cache_clear()
    shipped_postcodes(pd.Series(["E81DY", "EH11YZ"]))
    assert module._package_letter.cache_info().currsize == 1


def test_against_a_real_postcode_directory_extract_councils_and_deciles_are_found_for_nearly_all():
    pool = pd.read_csv(POOL)
    table = lookup(pool["pcd"].tolist())
    valid = table["postcode_status"] != "not a UK postcode"
    placed = table["local_authority_code"] == pool["oslaua"]
    assert placed[valid].mean() >= 0.97
    english = valid & pool["lsoa11"].str.startswith("E01")
    assert table.loc[english, "deprivation_decile"].notna().mean() >= 0.90
    # The estimate is not exact: the true decile (from the extract's own LSOA) agrees for most.
    true_decile = pool["lsoa11"].map(lsoa_reference()["imd_decile"])
    assert (table.loc[english, "deprivation_decile"] == true_decile[english]).mean() >= 0.7


def test_not_known_and_its_kin_are_blank_not_a_postcode_fault():
    table = lookup(["not known", "N/K", "Not Known ", "tbc", "n/a", "none", "NFA", "E8"])
    assert table["postcode_status"].tolist() == ["blank"] * 6 + ["not a UK postcode"] * 2
