"""pyproject.toml's metadata says what the README and LICENSE say: one repository, one set of authors.

A package index shows these fields to whoever finds the kit there; a placeholder (an
``example.com`` address, "TODO", a note to fill in later) or a second repository address
would send a volunteer somewhere else than the README does.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: A GitHub repository address: https://github.com/OWNER/NAME (what follows is a page of it).
REPOSITORY = re.compile(r"https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9._-]+?(?=[/#)\s`]|\.?$)")
PLACEHOLDER = re.compile(r"example\.(?:com|org)|TODO|TBD|your[-_ ]?(?:name|org)|placeholder|changeme|xxx",
                         re.IGNORECASE)


def repositories(text: str) -> set[str]:
    """The GitHub repositories a text links to (pages of one repository count once).

    Example:
        >>> sorted(repositories("see https://github.com/a/b#readme and https://github.com/a/b/issues."))
        ['https://github.com/a/b']
    """
    return {match.group(0) for match in REPOSITORY.finditer(text)}


def test_the_readme_names_the_repository_the_package_metadata_names():
    named_by_readme = repositories(README)
    named_by_pyproject = repositories(" ".join(PROJECT["urls"].values()))
    assert len(named_by_readme) == 1, f"the README should name one repository, not {named_by_readme}"
    assert named_by_pyproject == named_by_readme


def test_every_project_address_is_a_page_of_that_repository():
    (repository,) = repositories(README)
    assert set(PROJECT["urls"]) >= {"Homepage", "Source", "Issues"}
    for label, address in PROJECT["urls"].items():
        assert address == repository or address.startswith((repository + "/", repository + "#")), (label, address)
    assert PROJECT["urls"]["Issues"] == repository + "/issues"
    assert repository + "/issues" in README  # where the README sends problems is where the index does


def test_the_authors_are_the_licence_holders_and_nothing_is_a_placeholder():
    holder = re.search(r"Copyright \(c\) \d{4} (.+)", (ROOT / "LICENSE").read_text(encoding="utf-8")).group(1)
    assert [author["name"] for author in PROJECT["authors"]] == [holder.strip()]
    metadata = " ".join([PROJECT["description"], *PROJECT["urls"].values(),
                         *(author.get("name", "") + author.get("email", "") for author in PROJECT["authors"])])
    assert not PLACEHOLDER.search(metadata), PLACEHOLDER.search(metadata)
    pyproject_text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    urls_block = pyproject_text.split("[project.urls]", 1)[1].split("\n[", 1)[0]
    assert not re.search(r"set these|before a release|not recorded|no public address", urls_block, re.IGNORECASE)


def test_the_check_notices_a_second_repository():
    """A counterexample: a README linking another repository would not agree."""
    drifted = README + "\nFork of https://github.com/someone-else/kit.\n"
    assert repositories(drifted) != repositories(" ".join(PROJECT["urls"].values()))
