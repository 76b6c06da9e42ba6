import datetime as dt

import pytest

from helpers.spine.bundle import file_sha256, new_bundle_folder, slug, write_params_yaml
from helpers.errors import InputProblem

DAY = dt.date(2026, 3, 1)


def test_slug_makes_safe_folder_names():
    assert slug("St Mary's Food Bank (Hackney)") == "st-marys-food-bank-hackney"
    assert slug("   ") == "charity"


def test_default_bundles_are_numbered_never_reused(tmp_path):
    first = new_bundle_folder(tmp_path, "Youth Club", "health-check", DAY)
    second = new_bundle_folder(tmp_path, "Youth Club", "health-check", DAY)
    third = new_bundle_folder(tmp_path, "", "health-check", DAY)
    assert first.name == "youth-club-health-check-2026-03-01"
    assert second.name == "youth-club-health-check-2026-03-01-2"
    assert third.name == "charity-health-check-2026-03-01"


def _kit_bundle(out, files=("report.html",)):
    """A finished bundle written by the kit (bearing its mark), as a run leaves it."""
    write = open_bundle(out.parent, "", "echo", DAY, out=out, overwrite=True)
    for name in files:
        write_whole(write.staging / name, "<html>old</html>")
    return write.finish()


def test_an_out_folder_with_files_needs_overwrite(tmp_path):
    out = tmp_path / "mine"
    assert new_bundle_folder(tmp_path, "x", "y", DAY, out=out) == out  # new: fine
    _kit_bundle(out)
    with pytest.raises(InputProblem, match="--overwrite"):
        new_bundle_folder(tmp_path, "x", "y", DAY, out=out)
    assert new_bundle_folder(tmp_path, "x", "y", DAY, out=out, overwrite=True) == out


def test_sha256_matches_hashlib(tmp_path):
    import hashlib

    path = tmp_path / "f.bin"
    path.write_bytes(b"abc" * 1_000_000)
    assert file_sha256(path) == hashlib.sha256(b"abc" * 1_000_000).hexdigest()


def test_params_yaml_round_trips(tmp_path):
    import yaml

    record = {"playbook": "impact-measurement", "parameters": {"scale": "swemwbs", "higher_is_better": True}}
    write_params_yaml(tmp_path, record)
    assert yaml.safe_load((tmp_path / "params.yaml").read_text()) == record


# --- bundles written whole (issue 10) ---------------------------------------------------------

from helpers.spine.bundle import is_bundle, open_bundle, write_whole  # noqa: E402
from helpers.spine import owned  # noqa: E402


def test_a_run_writes_beside_the_bundle_and_appears_in_one_rename(tmp_path):
    write = open_bundle(tmp_path, "", "echo", DAY, out=tmp_path / "b")
    assert write.staging.parent == tmp_path and write.staging.name.startswith(".b.partial-")
    write_whole(write.staging / "report.html", "<html>new</html>")
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())
    write.finish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_an_abandoned_run_leaves_the_earlier_bundle_as_it_was(tmp_path):
    out = _kit_bundle(tmp_path / "b")
    write = open_bundle(tmp_path, "", "echo", DAY, out=out, overwrite=True)
    (write.staging / "report.html").write_text("half")
    write.abandon()
    assert (out / "report.html").read_text() == "<html>old</html>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_an_abandoned_default_run_leaves_no_empty_folder(tmp_path):
    write = open_bundle(tmp_path, "Club", "echo", DAY)
    write.abandon()
    assert list(tmp_path.iterdir()) == []


def test_overwrite_leaves_nothing_of_the_old_bundle(tmp_path):
    out = _kit_bundle(tmp_path / "b", files=("params.yaml", "cleaned.xlsx", "report.html"))
    write = open_bundle(tmp_path, "", "echo", DAY, out=out, overwrite=True)
    write_whole(write.staging / "report.html", "<html>new</html>")
    write.finish()
    assert sorted(p.name for p in out.iterdir()) == [owned.MARKER_NAME, "report.html"]


@pytest.mark.parametrize("names, expected", [([], False), (["notes.txt"], False), (["report.html"], False),
                                             (["summary.json", "x.csv"], False)])
def test_files_with_a_bundles_names_are_not_a_bundle_without_the_kits_mark(tmp_path, names, expected):
    for name in names:
        (tmp_path / name).write_text("x")
    assert is_bundle(tmp_path) is expected


def test_the_lock_is_taken_and_released(tmp_path):
    write = open_bundle(tmp_path, "", "echo", DAY, out=tmp_path / "b")
    with pytest.raises(InputProblem, match="Another run is writing"):
        open_bundle(tmp_path, "", "echo", DAY, out=tmp_path / "b")
    write.finish(require_report=False)
    assert not (tmp_path / ".b.surgery-lock").exists()


def test_a_charity_name_of_any_length_makes_a_folder(tmp_path):
    write = open_bundle(tmp_path, "x" * 300, "deduplicate-contacts", DAY)
    assert write.finish(require_report=False).name == "x" * 60 + "-deduplicate-contacts-2026-03-01"


def test_what_a_killed_run_left_is_swept_and_a_live_runs_is_not(tmp_path):
    import os
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    for name in (f".b.partial-{dead.pid}", f".c.old-{dead.pid}", f".d.partial-{os.getpid()}"):
        (tmp_path / name).mkdir()
        owned.mark(tmp_path / name, "bundle")
    (tmp_path / f".b.partial-{dead.pid}" / "cleaned.xlsx").write_text("a charity's data")
    (tmp_path / ".hidden-of-the-user").mkdir()
    open_bundle(tmp_path, "", "echo", DAY, out=tmp_path / "b").finish(require_report=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".d.partial-" + str(os.getpid()), ".hidden-of-the-user", "b"]


def test_files_put_in_the_folder_during_the_run_are_never_deleted(tmp_path):
    from helpers.spine.bundle import BundleNotWritten

    out = _kit_bundle(tmp_path / "b")
    write = open_bundle(tmp_path, "", "echo", DAY, out=out, overwrite=True)
    write_whole(write.staging / "report.html", "<html>new</html>")
    (out / "saved-meanwhile.docx").write_text("the volunteer's")
    with pytest.raises(BundleNotWritten, match="during the run"):
        write.finish()
    assert (out / "saved-meanwhile.docx").exists() and (out / "report.html").read_text() == "<html>old</html>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_a_short_report_is_never_moved_into_place(tmp_path):
    from helpers.spine.bundle import BundleNotWritten

    out = _kit_bundle(tmp_path / "b")
    write = open_bundle(tmp_path, "", "echo", DAY, out=out, overwrite=True)
    (write.staging / "report.html").write_text("<html><body>cut sh")
    with pytest.raises(BundleNotWritten, match="could not be written in full.*earlier bundle .* is as it was"):
        write.finish()
    assert (out / "report.html").read_text() == "<html>old</html>"
