import pytest

from helpers.spine.catalogue import find_playbook, list_playbooks
from helpers.errors import InputProblem


def test_the_kit_ships_its_four_playbooks_with_metadata():
    playbooks = {p.name: p for p in list_playbooks()}
    assert {"health-check", "deduplicate-contacts", "impact-measurement", "food-bank-demand"} <= set(playbooks)
    for playbook in playbooks.values():
        assert playbook.title.endswith("?"), "a playbook's title is its question"
        assert playbook.purpose and playbook.minutes


def test_find_playbook_accepts_the_file_name_and_suggests_on_a_typo():
    assert find_playbook("health-check.ipynb").name == "health-check"
    with pytest.raises(InputProblem, match="Did you mean 'health-check'"):
        find_playbook("health-chek")


def test_files_starting_with_an_underscore_are_drafts(echo_playbooks, tmp_path, monkeypatch):
    import shutil

    shutil.copy(echo_playbooks / "echo.ipynb", tmp_path / "_draft.ipynb")
    shutil.copy(echo_playbooks / "echo.ipynb", tmp_path / "echo.ipynb")
    monkeypatch.setenv("SURGERY_PLAYBOOKS", str(tmp_path))
    assert [p.name for p in list_playbooks()] == ["echo"]
    assert list_playbooks()[0].personal_files == ("echo.csv",)
