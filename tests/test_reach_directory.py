"""``surgery data add`` and ``data status``: a real ONS Postcode Directory excerpt indexed into the local
cache and used; the swap is atomic; a small, damaged or hostile file is refused and the old index kept."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest

from helpers.errors import InputProblem
from helpers.reach import directory as directory_module
from helpers.reach.directory import (BUILD_MARKER, FEWEST_POSTCODES, add_directory, directory_about,
                                     directory_postcodes, directory_status)
from helpers.reach.lookup import look_up_postcodes
from helpers.writing.playbook import DATASETS_DIR

# 100 real rows of the ONS Postcode Directory as mySociety publishes its sample (columns pcd, oslaua,
# pcon, lsoa11; OGL): Hackney, Sheffield, Cardiff, Edinburgh, and five postcodes with no geography.
EXCERPT = Path(__file__).parent / "fixtures" / "reach" / "onspd_excerpt.csv"
# 2,092 real rows of the same sample in six East London boroughs: big enough to be accepted as a directory.
EAST_LONDON = DATASETS_DIR / "reference" / "east_london_postcodes.csv"
KIT_ROOT = Path(__file__).parent.parent


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache" / "postcode-directory"


def synthetic_directory(path: Path, count: int, areas=("E", "N")) -> Path:
    """A directory-shaped CSV of ``count`` distinct postcodes spread over ``areas`` (for the size rule)."""
    rows = [f"{areas[i % len(areas)]}{1 + i // 900} {i % 9}{'ABDEFGHJL'[i // 9 % 9]}{'ABDEFGHJLNPQRSTUWXYZ'[i // 81 % 20]}"
            for i in range(count)]
    assert len(set(rows)) == count
    frame = pd.DataFrame({"pcd": rows, "oslaua": "E09000012", "lsoa11": "E01001790"})
    frame.to_csv(path, index=False)
    return path


def test_an_added_directory_gives_each_postcode_its_exact_published_lsoa(cache):
    about = add_directory(EXCERPT, cache, progress=False, replace_small=True)
    source = pd.read_csv(EXCERPT)
    assert about["postcodes"] == len(source)
    table = look_up_postcodes(source["pcd"], cache).table
    english = source["lsoa11"].fillna("").str.startswith("E01")
    assert (table.loc[english, "lsoa_code"] == source.loc[english, "lsoa11"]).all()
    assert table.loc[english, "deprivation_decile"].notna().all()
    assert look_up_postcodes(source["pcd"], cache).level == "exact"


def test_postcodes_without_geography_in_the_directory_are_not_found(cache):
    add_directory(EXCERPT, cache, progress=False, replace_small=True)
    source = pd.read_csv(EXCERPT)
    no_geography = source["oslaua"].isna()
    table = look_up_postcodes(source["pcd"], cache).table
    assert (table.loc[no_geography, "postcode_status"] == "not found").all()


def test_the_zip_as_downloaded_is_read_and_only_the_areas_asked_for_are_opened(cache, tmp_path):
    archive = tmp_path / "ONSPD_NOV_2025.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("Documents/readme.csv", "a,b\n1,2\n")
        zipped.write(EAST_LONDON, "Data/ONSPD_NOV_2025_UK.csv")
    add_directory(archive, cache, progress=False)
    assert directory_about(cache)["file"] == "ONSPD_NOV_2025.zip"
    assert {path.stem for path in cache.glob("*.parquet")} >= {"E", "N", "EC"}
    (cache / "N.parquet").write_bytes(b"not parquet: must not be read for a Hackney E8 postcode")
    found = directory_postcodes(pd.Series(["E81DY"]), cache)
    assert found is not None


def test_terminated_postcodes_are_flagged_from_the_termination_date(cache, tmp_path):
    source = tmp_path / "nspl.csv"
    source.write_text("pcds,doterm,laua,lsoa11,oseast1m,osnrth1m\n"
                      "E8 1DY,,E09000012,E01001790,534762,184723\n"
                      "E8 1ZZ,201006,E09000012,E01001790,534700,184700\n")
    add_directory(source, cache, progress=False, replace_small=True)
    table = look_up_postcodes(pd.Series(["E8 1DY", "e81zz"]), cache).table
    assert table["postcode_status"].tolist() == ["located", "terminated"]


def test_a_file_that_is_not_the_directory_is_refused_with_where_to_get_it(cache, tmp_path):
    wrong = tmp_path / "clients.csv"
    wrong.write_text("Name,Postcode\nA,E8 1DY\n")
    with pytest.raises(InputProblem, match="ONS Postcode Directory.*geoportal"):
        add_directory(wrong, cache, progress=False)
    with pytest.raises(InputProblem, match="no file"):
        add_directory(tmp_path / "missing.zip", cache, progress=False)


# --- the size rule: fewer than 1,000 postcodes, or one postcode area, is refused -----------------------

@pytest.mark.parametrize("count, areas, accepted", [
    (FEWEST_POSTCODES - 1, ("E", "N"), False),
    (FEWEST_POSTCODES, ("E", "N"), True),
    (FEWEST_POSTCODES, ("E",), False),
])
def test_a_directory_under_1000_postcodes_or_in_one_area_is_refused_at_the_boundary(cache, tmp_path, count, areas,
                                                                                   accepted):
    source = synthetic_directory(tmp_path / "small.csv", count, areas)
    if accepted:
        assert add_directory(source, cache, progress=False)["postcodes"] == count
    else:
        with pytest.raises(InputProblem, match="--replace-small"):
            add_directory(source, cache, progress=False)
        assert directory_about(cache) is None and not cache.exists()
        assert add_directory(source, cache, progress=False, replace_small=True)["postcodes"] == count


def test_a_one_postcode_file_does_not_replace_a_good_directory(cache, tmp_path):
    add_directory(EAST_LONDON, cache, progress=False)
    before = sorted(path.name for path in cache.iterdir())
    one = tmp_path / "one.csv"
    one.write_text("pcd,oslaua,lsoa11\nE8 1DY,E09000012,E01001790\n")
    with pytest.raises(InputProblem, match=r"1 postcode in 1 postcode area.*2,092 postcodes\) is kept"):
        add_directory(one, cache, progress=False)
    assert directory_about(cache)["postcodes"] == 2092
    assert sorted(path.name for path in cache.iterdir()) == before
    pool = pd.read_csv(EAST_LONDON)
    table = look_up_postcodes(pool["pcd"], cache).table
    assert (table["postcode_status"] == "located").mean() > 0.99
    assert not list(cache.parent.glob(".postcode-directory.*"))  # nothing half-built left beside it


def test_surgery_data_add_of_one_postcode_exits_2_and_status_still_shows_the_good_directory(tmp_path, surgery):
    env = {"SURGERY_DATA_DIR": str(tmp_path)}
    assert surgery("data", "add", EAST_LONDON, "--no-progress", env=env).returncode == 0
    one = tmp_path / "one.csv"
    one.write_text("pcd,oslaua,lsoa11\nE8 1DY,E09000012,E01001790\n")
    refused = surgery("data", "add", one, "--no-progress", env=env)
    assert refused.returncode == 2 and "--replace-small" in refused.stderr and "Traceback" not in refused.stderr
    status = surgery("data", "status", env=env)
    assert status.returncode == 0
    assert "2,092 postcodes in 7 postcode areas" in status.stdout and "east_london_postcodes.csv" in status.stdout
    forced = surgery("data", "add", one, "--no-progress", "--replace-small", env=env)
    assert forced.returncode == 0, forced.stderr
    assert "installed: 1 postcode in 1 postcode area" in surgery("data", "status", env=env).stdout


# --- the swap: the old index stays until the new one is complete ---------------------------------------

def test_a_build_that_fails_half_way_leaves_the_old_index_whole(cache, tmp_path, monkeypatch):
    add_directory(EAST_LONDON, cache, progress=False)
    before = {path.name: path.read_bytes() for path in cache.iterdir()}
    written = []
    real = pd.DataFrame.to_parquet

    def full_disk(self, path, *args, **kwargs):
        if written:
            raise OSError(28, "No space left on device")
        written.append(path)
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full_disk)
    with pytest.raises(OSError):
        add_directory(synthetic_directory(tmp_path / "new.csv", 2000), cache, progress=False)
    assert written and Path(written[0]).parent != cache  # built beside the old index, not in it
    assert {path.name: path.read_bytes() for path in cache.iterdir()} == before
    assert not list(cache.parent.glob(".postcode-directory.*"))


def test_a_swap_cut_off_between_its_renames_is_put_back_on_the_next_use(cache):
    add_directory(EAST_LONDON, cache, progress=False)
    os.replace(cache, cache.parent / ".postcode-directory.old-1-abc")
    assert directory_postcodes(pd.Series(["E81DY"]), cache) is not None
    assert directory_about(cache)["postcodes"] == 2092


def test_only_the_kits_own_abandoned_builds_are_swept(cache, tmp_path):
    cache.parent.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = cache.parent / f".postcode-directory.new-{dead.stdout.strip()}-x"
    abandoned.mkdir()
    (abandoned / BUILD_MARKER).write_text(json.dumps({"pid": int(dead.stdout), "token": "x"}))
    (abandoned / "E.parquet").write_bytes(b"half")
    someone_elses = cache.parent / ".postcode-directory.new-1-mine"
    someone_elses.mkdir()
    (someone_elses / "notes.txt").write_text("keep me")
    add_directory(EAST_LONDON, cache, progress=False)
    assert not abandoned.exists()
    assert (someone_elses / "notes.txt").read_text() == "keep me"


# --- damaged and hostile files: a sentence and exit 2, never a traceback --------------------------------

@pytest.mark.parametrize("content, message", [
    (b"pcd,oslaua,lsoa11\nE8 1DY,Londr\xe9s,E01001790\n", "is not UTF-8"),
    (b'pcd,oslaua,lsoa11\nE8 1DY,E09000012,E01001790\nE8 1DZ,"E09000012,E01001790\nE8 1DQ,E09000012,E0\n',
     "a quote opened on line 3 is never closed"),
    (b"pcd,pcd,lsoa11\nE8 1DY,E09000012,E01001790\n", "names the column 'pcd' more than once"),
    (b"pcd,oslaua,lsoa11" + b" " * 70_000, "is over 64,000 characters long"),
])
def test_a_damaged_or_ragged_csv_exits_2_with_a_sentence(tmp_path, surgery, content, message):
    bad = tmp_path / "onspd.csv"
    bad.write_bytes(content)
    result = surgery("data", "add", bad, "--no-progress", env={"SURGERY_DATA_DIR": str(tmp_path / "c")})
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def write_zip_bomb(path: Path, unzipped: int = 3_600_000_000, declared: int | None = None) -> int:
    """A zip of about 3.6 MB whose one CSV unzips to 3.6 GB: a header, a row, then spaces.

    Built from one compressed 8 MB block repeated (each flushed, so they chain), in a fraction of a second.
    """
    def flushed(data: bytes) -> bytes:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)

    head = b"pcd,oslaua,lsoa11\nE8 1DY,E09000012,E01001790"
    block = b" " * (8 << 20)
    repeats = (unzipped - len(head)) // len(block)
    size = len(head) + repeats * len(block)
    first, body = flushed(head), flushed(block)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    compressed = len(first) + repeats * len(body) + len(end)
    declared = size if declared is None else declared
    name = b"Data/ONSPD_NOV_2025_UK.csv"
    with open(path, "wb") as out:
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, compressed, declared, len(name), 0))
        out.write(name + first)
        for _ in range(repeats):
            out.write(body)
        out.write(end)
        central_at = out.tell()
        central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, 0, compressed, declared,
                              len(name), 0, 0, 0, 0, 0, 0) + name
        out.write(central)
        out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), central_at, 0))
    return size


def run_measured(*args, env):
    """Run ``surgery`` and return (exit code, stderr, seconds, peak memory in bytes) of that process alone."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "helpers", *map(str, args)], cwd=KIT_ROOT,
                               env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        process.returncode = 0
    stderr = process.stderr.read().decode()
    process.stdout.close()
    process.stderr.close()
    return os.waitstatus_to_exitcode(status), stderr, time.monotonic() - started, usage.ru_maxrss * 1024


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="peak memory of a child is measured with os.wait4 (Unix)")
def test_a_zip_bomb_ends_in_exit_2_quickly_and_under_1_gib(tmp_path):
    bomb = tmp_path / "ONSPD_NOV_2025_UK.zip"
    unzipped = write_zip_bomb(bomb)
    assert bomb.stat().st_size < 4_000_000 and unzipped > 3_500_000_000
    code, stderr, seconds, peak = run_measured("data", "add", bomb, "--no-progress",
                                               env={"SURGERY_DATA_DIR": str(tmp_path / "c")})
    assert code == 2 and "Traceback" not in stderr
    assert "would unzip to" in stderr and "times its size" in stderr
    assert seconds < 30 and peak < 2**30, (seconds, peak)
    assert not (tmp_path / "c" / "postcode-directory").exists()


def test_a_zip_that_holds_more_than_it_declares_is_refused(tmp_path, surgery):
    # It declares 5 MB (a ratio a real file could have), but its data runs on: the actual bytes are checked.
    liar = tmp_path / "onspd.zip"
    write_zip_bomb(liar, unzipped=200_000_000, declared=5_000_000)
    result = surgery("data", "add", liar, "--no-progress", env={"SURGERY_DATA_DIR": str(tmp_path / "c")})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "damaged" in result.stderr


def test_a_zip_declaring_more_than_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    archive = tmp_path / "onspd.zip"
    with zipfile.ZipFile(archive, "w") as zipped:  # stored, not compressed: ratio 1
        zipped.write(EAST_LONDON, "Data/onspd.csv")
    monkeypatch.setattr(directory_module, "MOST_UNZIPPED_BYTES", EAST_LONDON.stat().st_size - 1)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("the member was opened"))
    with pytest.raises(InputProblem, match="declares"):
        add_directory(archive, tmp_path / "c", progress=False)


# --- codes from an added directory are data -------------------------------------------------------------

def test_a_council_code_that_is_not_an_ons_code_is_set_aside_never_shown(cache, tmp_path):
    source = tmp_path / "onspd.csv"
    source.write_text("pcd,oslaua,lsoa11\nE8 1DY,[Donate here](https://evil.example),E01001790\n"
                      "E8 1DZ,E09000012,<b>x</b>\n", encoding="utf-8")
    about = add_directory(source, cache, progress=False, replace_small=True)
    assert about["codes_set_aside"] == 2
    table = look_up_postcodes(pd.Series(["E8 1DY", "E8 1DZ"]), cache).table
    assert table["postcode_status"].tolist() == ["not found", "outside England"]
    assert "evil" not in table.to_csv() and "<b>" not in table.to_csv()


# --- status ---------------------------------------------------------------------------------------------

def test_status_says_what_is_installed_its_file_date_and_count(cache, tmp_path):
    assert directory_status(cache).startswith("No postcode directory has been added")
    add_directory(EAST_LONDON, cache, progress=False)
    said = directory_status(cache)
    assert "2,092 postcodes in 7 postcode areas" in said and "from east_london_postcodes.csv" in said
    assert time.strftime("%Y") in said and str(cache) in said


def test_status_shows_control_characters_in_a_file_name_escaped(cache, tmp_path):
    add_directory(EAST_LONDON, cache, progress=False)
    about = json.loads((cache / "about.json").read_text())
    (cache / "about.json").write_text(json.dumps({**about, "file": "x\x1b[31mred.csv"}))
    assert "\x1b" not in directory_status(cache)
    (cache / "about.json").write_text("{broken")
    assert directory_status(cache).startswith("No postcode directory has been added")


def test_surgery_data_add_indexes_with_a_progress_bar(tmp_path, surgery):
    result = surgery("data", "add", EAST_LONDON, env={"SURGERY_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Indexed 2,092 postcodes" in result.stdout
    assert "Indexing postcodes" in result.stderr  # the bar
    assert (tmp_path / "postcode-directory" / "about.json").is_file()


def test_surgery_data_add_help_says_where_to_download(surgery):
    result = surgery("data", "add", "--help")
    assert "geoportal.statistics.gov.uk" in result.stdout and "--replace-small" in result.stdout


def test_surgery_data_add_on_a_wrong_file_exits_2(tmp_path, surgery):
    wrong = tmp_path / "x.csv"
    wrong.write_text("a,b\n1,2\n")
    result = surgery("data", "add", wrong, env={"SURGERY_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
