"""pyproject.toml declares the dependencies once; environment.yml must list the same packages."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pyproject_packages() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        names |= {_name(r) for r in extra}
    return names


def environment_packages() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    names = set()
    for entry in env["dependencies"]:
        if isinstance(entry, str):
            names.add(_name(entry))
        elif isinstance(entry, dict):  # the pip: section, for packages only on PyPI
            names |= {_name(line) for line in entry.get("pip", []) if not line.startswith("-")}
    return names - {"python", "pip"}


def test_environment_yml_lists_the_same_packages_as_pyproject():
    in_pyproject, in_environment = pyproject_packages(), environment_packages()
    assert in_pyproject == in_environment, (
        f"only in pyproject.toml: {sorted(in_pyproject - in_environment)}; "
        f"only in environment.yml: {sorted(in_environment - in_pyproject)}"
    )


def test_the_design_card_packages_are_declared():
    assert {"jupyter", "nbconvert", "pandas", "matplotlib", "papermill", "pytest-notebook"} <= pyproject_packages()
