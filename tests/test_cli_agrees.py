"""A CLI that agrees with itself (issue 24): what `describe` and `run --help` say matches what `run`
accepts, `lab` works before any session, and a reader that stops early (`| head`) ends quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.spine.catalogue import list_playbooks
from helpers.spine.cli import main

KIT_ROOT = Path(__file__).parent.parent


@pytest.fixture
def sessions_home(tmp_path, monkeypatch):
    home = tmp_path / "sessions"
    monkeypatch.setenv("SURGERY_SESSIONS_HOME", str(home))
    return home


def _say(capsys, *arguments):
    code = main(list(arguments))
    out = capsys.readouterr()
    return code, out.out, out.err


# --- describe -------------------------------------------------------------------------------

def test_describe_lists_the_four_kit_set_parameters_apart_with_their_options(capsys):
    code, out, _ = _say(capsys, "describe", "health-check")
    assert code == 0
    kit_part, _, p_part = out.partition("Parameters (set with -p NAME VALUE):")
    assert "set with --data/--sheet/--out/--charity" in kit_part
    for option, name in (("--data", "data_file"), ("--sheet", "sheet"), ("--out", "output_dir"),
                         ("--charity", "charity_name")):
        assert f"{option} ({name}," in kit_part
        assert f"  {name} (" not in p_part, f"{name} is listed under -p, which refuses it"
    assert "  email_column (" in p_part and "email_column" not in kit_part


def test_what_describe_offers_under_p_run_accepts_and_what_it_sets_apart_run_refuses(capsys):
    from helpers.spine.runner import refuse_runner_parameters
    from helpers.errors import InputProblem

    _, out, _ = _say(capsys, "describe", "food-bank-demand")
    kit_part, _, p_part = out.partition("Parameters (set with -p NAME VALUE):")
    offered = [line.split()[0] for line in p_part.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    assert offered, "describe offers some -p parameters"
    refuse_runner_parameters(dict.fromkeys(offered, "1"))  # none refused
    for name in ("data_file", "sheet", "output_dir", "charity_name"):
        assert f"({name}," in kit_part
        with pytest.raises(InputProblem):
            refuse_runner_parameters({name: "x"})


# --- run --help -------------------------------------------------------------------------------

def test_run_help_lists_every_playbook_with_its_purpose(capsys):
    with pytest.raises(SystemExit) as done:
        main(["run", "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    playbooks = list_playbooks()
    assert len(playbooks) >= 5
    listing = out.partition("playbooks:")[2]
    for playbook in playbooks:
        assert f"  {playbook.name} " in listing and playbook.purpose[:40] in listing


def test_run_help_says_when_there_are_no_playbooks(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SURGERY_PLAYBOOKS", str(tmp_path))
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "No playbooks were found" in capsys.readouterr().out


def test_building_the_parser_reads_no_playbook(monkeypatch):
    """The listing is read only when help is shown: `surgery run` does not pay for it."""
    from helpers.spine import catalogue, cli

    monkeypatch.setattr(catalogue, "list_playbooks", lambda: pytest.fail("read the playbooks"))
    cli.build_parser().parse_args(["run", "health-check", "--data", "x.csv"])


# --- lab without a session ----------------------------------------------------------------------

def test_lab_without_a_session_opens_a_practice_folder_of_playbooks_on_sample_data(sessions_home, capsys):
    code, out, err = _say(capsys, "lab", "--dry-run")
    assert code == 0, err
    practice = sessions_home / "practice"
    copies = practice / "work" / "playbooks"
    assert {p.name for p in copies.glob("*.ipynb")} == {f"{p.name}.ipynb" for p in list_playbooks()}
    assert "No session is open" in out and "sample data" in out and "surgery session start" in out
    assert f"--ServerApp.root_dir={practice.resolve()}" in out and "--ServerApp.ip=127.0.0.1" in out
    assert not (sessions_home / ".current").exists()  # no session was started


def test_a_named_session_that_is_not_one_is_still_refused(sessions_home, tmp_path, capsys):
    code, _, err = _say(capsys, "lab", "--dry-run", "--session", str(tmp_path))
    assert code == 2 and "not a session folder" in err


def test_the_lab_hides_nbdime_and_shows_main_points_as_the_report_does(sessions_home, capsys):
    _say(capsys, "lab", "--dry-run")
    config = sessions_home / "practice" / "work" / "lab-config"
    page = json.loads((config / "labconfig" / "page_config.json").read_text())
    server = json.loads((config / "jupyter_server_config.json").read_text())
    assert page["disabledExtensions"] == {"nbdime-jupyterlab": True}
    assert server["ServerApp"]["jpserver_extensions"] == {"nbdime": False}
    css = (config / "custom" / "custom.css").read_text()
    report_css = (KIT_ROOT / "helpers/templates/report/report.css").read_text()
    for rule in ("section.main-points .headline-figure { display: flex; flex-direction: column;",
                 "section.main-points .figure-value { font-size: 2.3rem;", ":root { --ink:"):
        assert rule in css and rule in report_css
    assert "body {" not in css  # JupyterLab lays out its own page


def test_the_lab_process_gets_the_kit_configuration_folder(sessions_home, monkeypatch):
    from helpers.spine import cli

    started = {}

    def execve(program, command, environment):
        started.update(command=command, environment=environment)
        raise SystemExit(0)

    monkeypatch.setattr(os, "execve", execve)
    monkeypatch.setattr("helpers.spine.kernel.install_kernel", lambda prefix=None: Path("unused"))
    with pytest.raises(SystemExit):
        cli.main(["lab", "--no-browser"])
    config = sessions_home / "practice" / "work" / "lab-config"
    assert started["environment"]["JUPYTER_CONFIG_DIR"] == str(config.resolve())
    assert "--LabApp.custom_css=True" in started["command"]
    assert started["environment"]["SURGERY_OUTPUT_DIR"] == str((sessions_home / "practice" / "work" / "output")
                                                               .resolve())


# --- output piped into a reader that stops early ------------------------------------------------

@pytest.mark.parametrize("arguments", [["describe", "health-check"], ["list"], ["run", "--help"], ["--help"]])
def test_a_reader_that_stops_early_ends_quietly(arguments):
    """As `surgery describe health-check | head -1`: the pipe's reader is gone before the kit writes."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run([sys.executable, "-m", "helpers", *arguments], stdout=writer,
                                stderr=subprocess.PIPE, text=True, cwd=KIT_ROOT, timeout=120)
    finally:
        os.close(writer)
    assert result.returncode == 0
    assert result.stderr == ""


# --- the kit's named kernel -----------------------------------------------------------------

def test_the_runner_uses_the_kits_kernel_when_installed_and_python3_otherwise(tmp_path, monkeypatch):
    from helpers.spine import execute, kernel

    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert execute._kernel_name() == "python3"
    folder = kernel.install_kernel()
    assert folder == tmp_path / "share" / "jupyter" / "kernels" / "data-surgery-kit"
    spec = json.loads((folder / "kernel.json").read_text())
    assert spec["display_name"] == "Data Surgery Kit" and spec["argv"][0] == sys.executable
    assert execute._kernel_name() == "data-surgery-kit"


def test_jupyter_finds_the_installed_kernel_by_name(tmp_path, monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    from helpers.spine.kernel import install_kernel

    install_kernel(tmp_path)
    manager = KernelSpecManager(kernel_dirs=[str(tmp_path / "share" / "jupyter" / "kernels")])
    assert manager.get_kernel_spec("data-surgery-kit").display_name == "Data Surgery Kit"


# --- every environment variable in one README table -------------------------------------------

def test_every_environment_variable_the_kit_reads_is_in_the_readme_table():
    import re

    readme = (KIT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    sources = [*(KIT_ROOT / "helpers").rglob("*.py"), KIT_ROOT / "tests" / "test_playbooks.py",
               KIT_ROOT / "tests" / "support" / "ci.py"]
    read = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        read |= set(re.findall(r"[\"'`]((?:SURGERY|SPARK)_[A-Z_]+)[\"'`]", text))
        read |= set(re.findall(r"environ(?:\.get)?\(\s*[\"']([A-Z_]+)[\"']", text))
    read -= {"PYTHONPATH"}  # Python's own, passed through to kernels unchanged
    assert {"SURGERY_SESSIONS_HOME", "SURGERY_CHROMIUM", "SURGERY_DEBUG", "CI"} <= read
    missing = sorted(name for name in read if f"| `{name}` |" not in table)
    assert missing == [], f"not in README's environment variables table: {missing}"
