"""Tests for helpers.synthetic.register: the messy sample register is deterministic and as described."""

from __future__ import annotations

import datetime as dt
import pathlib

import openpyxl
import pytest

from helpers.synthetic.register import BAD_POSTCODES, CLIENT_HEADER, write_sample

DATASETS = pathlib.Path(__file__).resolve().parents[1] / "datasets"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> list[pathlib.Path]:
    return write_sample(tmp_path_factory.mktemp("register"))


def test_files_match_the_committed_ones_byte_for_byte(written):
    for path in written:
        assert path.read_bytes() == (DATASETS / path.name).read_bytes(), f"{path.name}: run datasets/generate.py"


def test_files_are_small(written):
    assert all(path.stat().st_size < 200_000 for path in written)


def test_workbook_layout(written):
    workbook = openpyxl.load_workbook(written[0])
    assert workbook.sheetnames == ["Clients", "Volunteers", "Lookup"]
    clients = workbook["Clients"]
    assert clients["A1"].value.startswith("Hackney Community Pantry") and clients["A2"].value == "Exported 03/10/2025"
    assert [c.value for c in clients[4]] == list(CLIENT_HEADER)
    assert clients.cell(clients.max_row, 1).value == "Total"
    assert 400 <= clients.max_row - 5 <= 600
    blank_rows = [r for r in range(5, clients.max_row) if all(c.value is None for c in clients[r])]
    assert len(blank_rows) == 1
    assert all(clients.cell(r, 9).value is None for r in range(1, clients.max_row + 1))


def test_workbook_has_the_promised_mistakes(written):
    clients = openpyxl.load_workbook(written[0])["Clients"]
    rows = [[c.value for c in row] for row in clients.iter_rows(min_row=5, max_row=clients.max_row - 1) if any(
        c.value is not None for c in row)]
    column = {name: i for i, name in enumerate(CLIENT_HEADER) if name}
    as_tuples = [tuple(r) for r in rows]
    assert len(as_tuples) - len(set(as_tuples)) == 5  # exact repeats
    postcodes = {r[column["Post Code"]] for r in rows}
    assert set(BAD_POSTCODES) <= postcodes and any(p and p.islower() for p in postcodes)
    boroughs = {r[column["Borough"]] for r in rows}
    assert {"Hackney", "hackney ", "Hackny", "HACKNEY"} <= boroughs
    assert {"GP", "G.P.", "gp"} <= {r[column["Referral route"]] for r in rows}
    births = [r[column["Date of birth"]] for r in rows]
    assert any(isinstance(b, dt.datetime) for b in births) and "31/02/1990" in births and "last year" in births
    registered = [r[column["Date registered"]] for r in rows]
    assert sum(isinstance(d, dt.datetime) and d > dt.datetime(2025, 10, 3) for d in registered) == 2
    donations = {r[column["Donation"]] for r in rows}
    assert "£12.50" in donations and any(isinstance(d, float) for d in donations)
    assert {"N/A", "unknown"} <= {r[column["Household size"]] for r in rows}


def test_csv_is_windows_1252_with_semicolons(written):
    data = written[1].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    assert text.startswith("Ref;Name;Date of birth;Last visit;") and "\r\n" in text
    assert "£1,200.50" in text and "(12.00)" in text and "\u2019" in text
