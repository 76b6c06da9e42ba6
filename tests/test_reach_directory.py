"""``surgery data add``: a real ONS Postcode Directory excerpt indexed into the local cache, then used."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.reach.directory import add_directory, directory_about, directory_postcodes
from helpers.reach.lookup import look_up_postcodes

# 100 real rows of the ONS Postcode Directory as mySociety publishes its sample (columns pcd, oslaua,
# pcon, lsoa11; OGL): Hackney, Sheffield, Cardiff, Edinburgh, and five postcodes with no geography.
EXCERPT = Path(__file__).parent / "fixtures" / "reach" / "onspd_excerpt.csv"


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


def test_an_added_directory_gives_each_postcode_its_exact_published_lsoa(cache):
    about = add_directory(EXCERPT, cache, progress=False)
    source = pd.read_csv(EXCERPT)
    assert about["postcodes"] == len(source)
    table = look_up_postcodes(source["pcd"], cache).table
    english = source["lsoa11"].fillna("").str.startswith("E01")
    assert (table.loc[english, "lsoa_code"] == source.loc[english, "lsoa11"]).all()
    assert table.loc[english, "deprivation_decile"].notna().all()
    assert look_up_postcodes(source["pcd"], cache).level == "exact"


def test_postcodes_without_geography_in_the_directory_are_not_found(cache):
    add_directory(EXCERPT, cache, progress=False)
    source = pd.read_csv(EXCERPT)
    no_geography = source["oslaua"].isna()
    table = look_up_postcodes(source["pcd"], cache).table
    assert (table.loc[no_geography, "postcode_status"] == "not found").all()


def test_the_zip_as_downloaded_is_read_and_only_the_areas_asked_for_are_opened(cache, tmp_path):
    archive = tmp_path / "ONSPD_NOV_2025.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("Documents/readme.csv", "a,b\n1,2\n")
        zipped.write(EXCERPT, "Data/ONSPD_NOV_2025_UK.csv")
    add_directory(archive, cache, progress=False)
    assert directory_about(cache)["file"] == "ONSPD_NOV_2025.zip"
    assert {path.stem for path in cache.glob("*.parquet")} >= {"E", "S", "CF", "EH"}
    (cache / "S.parquet").write_bytes(b"not parquet: must not be read for a Hackney postcode")
    found = directory_postcodes(pd.Series(["E81DY"]), cache)
    assert found is not None


def test_terminated_postcodes_are_flagged_from_the_termination_date(cache, tmp_path):
    source = tmp_path / "nspl.csv"
    source.write_text("pcds,doterm,laua,lsoa11,oseast1m,osnrth1m\n"
                      "E8 1DY,,E09000012,E01001790,534762,184723\n"
                      "E8 1ZZ,201006,E09000012,E01001790,534700,184700\n")
    add_directory(source, cache, progress=False)
    table = look_up_postcodes(pd.Series(["E8 1DY", "e81zz"]), cache).table
    assert table["postcode_status"].tolist() == ["located", "terminated"]


def test_a_file_that_is_not_the_directory_is_refused_with_where_to_get_it(cache, tmp_path):
    wrong = tmp_path / "clients.csv"
    wrong.write_text("Name,Postcode\nA,E8 1DY\n")
    with pytest.raises(InputProblem, match="ONS Postcode Directory.*geoportal"):
        add_directory(wrong, cache, progress=False)
    with pytest.raises(InputProblem, match="no file"):
        add_directory(tmp_path / "missing.zip", cache, progress=False)


def test_surgery_data_add_indexes_with_a_progress_bar(tmp_path, surgery):
    result = surgery("data", "add", EXCERPT, env={"SURGERY_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Indexed 100 postcodes" in result.stdout
    assert "Indexing postcodes" in result.stderr  # the bar
    assert (tmp_path / "postcode-directory" / "about.json").is_file()


def test_surgery_data_add_help_says_where_to_download(surgery):
    result = surgery("data", "add", "--help")
    assert "geoportal.statistics.gov.uk" in result.stdout


def test_surgery_data_add_on_a_wrong_file_exits_2(tmp_path, surgery):
    wrong = tmp_path / "x.csv"
    wrong.write_text("a,b\n1,2\n")
    result = surgery("data", "add", wrong, env={"SURGERY_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
