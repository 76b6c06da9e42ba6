import datetime as dt

from helpers.spine.demo import demo_folder


def test_demo_folders_are_dated_and_never_reused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    day = dt.date(2026, 3, 1)
    first = demo_folder(None, day)
    assert first == (tmp_path / "reports" / "demo-2026-03-01").resolve()
    first.mkdir(parents=True)
    assert demo_folder(None, day).name == "demo-2026-03-01-2"
    assert demo_folder(tmp_path / "mine", day) == (tmp_path / "mine").resolve()
