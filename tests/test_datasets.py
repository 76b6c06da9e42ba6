"""The committed sample data is exactly what the seeded generator makes (so its people are all made up), and small."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DATASETS = ROOT / "datasets"


def _sheet_values(path: Path) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    sys.path.insert(0, str(DATASETS))
    try:
        import generate
    finally:
        sys.path.remove(str(DATASETS))
    folder = tmp_path_factory.mktemp("regenerated")
    written = generate.main(folder)
    return folder, {p.name for p in written}


def test_every_committed_data_file_comes_from_the_generator(regenerated):
    folder, names = regenerated
    committed = {p.name for p in DATASETS.iterdir() if p.suffix in {".csv", ".xlsx", ".tsv"}}
    assert committed, "no sample data committed"
    assert committed <= names, f"committed but not generated: {sorted(committed - names)}"


def test_regenerated_files_match_the_committed_ones(regenerated):
    folder, _ = regenerated
    for committed in sorted(DATASETS.iterdir()):
        if committed.suffix in {".csv", ".tsv"}:
            assert (folder / committed.name).read_bytes() == committed.read_bytes(), committed.name
        elif committed.suffix == ".xlsx":
            assert _sheet_values(folder / committed.name) == _sheet_values(committed), committed.name


def test_sample_data_is_small():
    sizes = {p.name: p.stat().st_size for p in DATASETS.iterdir() if p.is_file()}
    assert all(size < 3_000_000 for size in sizes.values()), sizes
