import datetime as dt
import time

from helpers.spine.demo import demo_folder


def test_demo_folders_are_dated_and_never_reused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    day = dt.date(2026, 3, 1)
    first = demo_folder(None, day)
    assert first == (tmp_path / "reports" / "demo-2026-03-01").resolve()
    assert first.is_dir()  # made at once, so two demos started together never share it (issue 21)
    assert demo_folder(None, day).name == "demo-2026-03-01-2"
    assert demo_folder(tmp_path / "mine", day) == (tmp_path / "mine").resolve()


def test_demo_runs_every_playbook_at_once_and_reports_each_as_it_finishes(tmp_path, monkeypatch, capsys):
    import threading
    from types import SimpleNamespace

    from helpers.errors import EXIT_OK
    from helpers.spine import demo
    from helpers.spine.runner import RunOutcome

    playbooks = [SimpleNamespace(name=f"playbook-{n}") for n in range(5)]
    # Each run waits until all five have started: fewer at once and the barrier breaks.
    together = threading.Barrier(len(playbooks), timeout=30)

    def run_playbook(name, data_file, **options):
        together.wait()
        # The last in the catalogue finishes first: its line must not wait for the others (issue 24).
        time.sleep(0.15 * (len(playbooks) - int(name.rsplit("-", 1)[1])))
        return RunOutcome(EXIT_OK, options["out"], f"{name} done")

    monkeypatch.setattr(demo, "list_playbooks", lambda: playbooks)
    monkeypatch.setattr(demo, "default_data_file", lambda playbook: tmp_path / "sample.csv")
    monkeypatch.setattr(demo, "run_playbook", run_playbook)
    assert demo.run_demo(tmp_path / "demo", pdf=False, progress_bar=False, day=dt.date(2026, 3, 1)) == EXIT_OK
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("playbook-")]
    assert [line.split(":")[0] for line in lines] == [p.name for p in reversed(playbooks)]
    assert "[1 of 5," in lines[0] and "[5 of 5," in lines[-1]


def test_the_demo_says_what_it_is_doing_before_the_first_playbook_ends(tmp_path, monkeypatch, capsys):
    from types import SimpleNamespace

    from helpers.errors import EXIT_OK
    from helpers.spine import demo
    from helpers.spine.runner import RunOutcome

    said_before_the_run = []

    def run_playbook(name, data_file, **options):
        said_before_the_run.append(capsys.readouterr().out)
        return RunOutcome(EXIT_OK, options["out"], "done")

    monkeypatch.setattr(demo, "list_playbooks", lambda: [SimpleNamespace(name="only")])
    monkeypatch.setattr(demo, "default_data_file", lambda playbook: tmp_path / "sample.csv")
    monkeypatch.setattr(demo, "run_playbook", run_playbook)
    demo.run_demo(tmp_path / "demo", pdf=False, progress_bar=False, day=dt.date(2026, 3, 1))
    assert "Running 1 playbook on their sample data" in said_before_the_run[0]
