"""Marker planting and finding: the machinery of the privacy test, checked on small tables."""

from __future__ import annotations

import datetime as dt
import json
import re

import openpyxl
import pandas as pd
import pytest

from helpers.reading.loader import load_table
from support.markers import (
    MARK,
    find_markers,
    output_text,
    personal_columns,
    plant_markers,
    plant_markers_in_file,
    strip_accents,
)
from helpers.writing.privacy import mask_date, mask_email, mask_name, mask_phone, mask_postcode
from helpers.reading.ukformats import format_phone_national, normalise_phone, normalise_postcode

PEOPLE = pd.DataFrame(
    {
        "Client ID": ["C1", "C2", "C3", "C4"],
        "First name": ["John", "Chloë", "JOHN", "N/A"],
        "Surname": ["O'Brien", "Smith", "o'brien", None],
        "Email": ["John.OBrien@example.org", "chloe@example.com", "not an email", "unknown"],
        "Phone": ["07700 900123", "+44 (0)20 7946 0018", "07700900123", "0770 090"],
        "Post Code": ["e81dy", "N16 7AB", "E8 1DY", "SW1A1AA1"],
        "Date of birth": ["03/04/1987", "1990-12-25", "31/02/1990", ""],
        "Notes": ["Rang about rent", "", "Needs large print", "-"],
        "Visits": [3, 5, 1, 2],
    }
)


@pytest.fixture(scope="module")
def planted():
    return plant_markers(PEOPLE, seed=7)


def test_personal_columns_are_found_from_the_header():
    columns = ["Client ID", "Forename", "Surname", "E-mail", "Mobile", "Post Code", "D.O.B",
               "Address 1", "Case notes from visit", "Any comments", "Visits", "Borough", "Gender"]
    assert personal_columns(columns) == {
        "Forename": "first_name", "Surname": "last_name", "E-mail": "email", "Mobile": "phone",
        "Post Code": "postcode", "D.O.B": "date_of_birth", "Address 1": "address",
        "Case notes from visit": "notes", "Any comments": "notes",
    }


def test_every_personal_cell_changes_and_nothing_else_does(planted):
    marked, markers = planted
    assert set(markers.columns) == {"First name", "Surname", "Email", "Phone", "Post Code",
                                    "Date of birth", "Notes"}
    for column in markers.columns:
        for before, after in zip(PEOPLE[column], marked[column], strict=True):
            blank = before is None or str(before).strip().lower() in {"", "n/a", "unknown", "-"}
            assert (after == before) if blank else (after != before), (column, before, after)
    pd.testing.assert_frame_equal(marked[["Client ID", "Visits"]], PEOPLE[["Client ID", "Visits"]])
    assert markers.cells == 22


def test_markers_keep_the_shape_so_the_analysis_stays_the_same(planted):
    marked, _ = planted
    first, surname = marked["First name"], marked["Surname"]
    # the same name, however typed, gets the same marker, in the same case
    assert first[0].endswith(MARK) and first[0][0].isupper() and first[0][1:].islower()
    assert first[2] == first[0].upper() and surname[2] == surname[0].lower()
    assert "'" in surname[0] and "ë" in first[1]
    # the name inside the email is marked the same way; the domain is kept
    mailbox, domain = marked["Email"][0].split("@")
    assert domain == "example.org" and mailbox.split(".")[0] == first[0]
    # phones stay valid, in their layout, and one number stays one number
    phones = marked["Phone"]
    assert normalise_phone(phones[0]) == normalise_phone(phones[2]) != normalise_phone(PEOPLE["Phone"][0])
    for before, after in zip(PEOPLE["Phone"][:3], phones[:3], strict=True):
        assert re.sub(r"\d", "9", after) == re.sub(r"\d", "9", before)
    assert normalise_phone(phones[1]) is not None and normalise_phone(phones[3]) is None
    # postcodes keep their outward code and their case and spacing
    codes = marked["Post Code"]
    assert normalise_postcode(codes[0]) == normalise_postcode(codes[2]) != "E8 1DY"
    assert codes[0].islower() and " " not in codes[0] and codes[2].startswith("E8 ")
    assert normalise_postcode(codes[3]) is None
    # dates of birth keep their year and layout; an impossible date stays impossible
    born = marked["Date of birth"]
    assert born[0].endswith("/1987") and born[0] != "03/04/1987"
    assert dt.date.fromisoformat(born[1]).year == 1990
    with pytest.raises(ValueError):
        dt.datetime.strptime(born[2], "%d/%m/%Y")


def test_markers_are_found_in_every_usual_written_form(planted):
    marked, markers = planted
    phone = normalise_phone(marked["Phone"][0])
    postcode = normalise_postcode(marked["Post Code"][0])
    born = dt.datetime.strptime(marked["Date of birth"][0], "%d/%m/%Y").date()
    forms = {
        "name in capitals": marked["First name"][0].upper(),
        "name without accents": strip_accents(marked["First name"][1]),
        "names run together": (marked["First name"][0] + marked["Surname"][1]).lower(),
        "email lower-cased": marked["Email"][0].lower(),
        "phone E.164": phone,
        "phone national": format_phone_national(phone),
        "phone digits": phone.replace("+44", "0"),
        "postcode normal": postcode,
        "postcode squashed": postcode.replace(" ", "").lower(),
        "date ISO": born.isoformat(),
        "date UK": born.strftime("%d/%m/%Y"),
        "date in words": born.strftime("%d %B %Y"),
        "mistyped date": marked["Date of birth"][2],
        "notes": marked["Notes"][2],
    }
    for what, text in forms.items():
        assert find_markers(f"Row 3: {text}, seen twice.", markers), what


def test_masked_values_and_the_original_file_do_not_count_as_leaks(planted):
    marked, markers = planted
    masked = [
        *marked["First name"].map(mask_name), *marked["Surname"].map(mask_name),
        *marked["Email"].map(mask_email), *marked["Phone"].map(mask_phone),
        *marked["Post Code"].map(mask_postcode), *marked["Date of birth"].map(mask_date),
    ]
    assert find_markers(" | ".join(masked), markers) == []
    assert find_markers(PEOPLE.to_csv(), markers) == []
    assert len(find_markers(marked.to_csv(), markers)) == len(markers)


def test_the_same_seed_gives_the_same_markers():
    assert plant_markers(PEOPLE, seed=3)[0].equals(plant_markers(PEOPLE, seed=3)[0])
    assert not plant_markers(PEOPLE, seed=3)[0].equals(plant_markers(PEOPLE, seed=4)[0])


def test_a_marked_csv_keeps_its_encoding_separator_layout_and_line_ends(tmp_path):
    source = tmp_path / "clients.csv"
    text = ("Client list – export\r\n\r\nRef;Name;Phone;Balance;Notes\r\n"
            "00017;Zoë Hall;07700 900123;£5.00;“Vegetarian”\r\n00018;Ben Ng;07700900456;£0.00;\r\n")
    source.write_bytes(text.encode("cp1252"))
    before = source.read_bytes()
    target = tmp_path / "marked" / "clients.csv"
    markers = plant_markers_in_file(source, target)
    assert source.read_bytes() == before
    written = target.read_bytes().decode("cp1252")
    assert written.startswith("Client list – export\r\n\r\nRef;Name;Phone;Balance;Notes\r\n00017;")
    assert "£5.00" in written and "Zoë" not in written and markers.cells == 5
    original, copy = load_table(source), load_table(target)
    assert list(copy.frame.columns) == list(original.frame.columns)
    assert list(copy.frame.index) == list(original.frame.index)
    assert copy.column_types == original.column_types and copy.encoding == "cp1252"
    assert len(find_markers(output_text(target), markers)) == len(markers)
    assert find_markers(output_text(source), markers) == []


def test_a_marked_workbook_keeps_sheets_titles_and_cell_types(tmp_path):
    source = tmp_path / "register.xlsx"
    workbook = openpyxl.Workbook()
    clients = workbook.active
    clients.title = "Clients"
    clients.append(["Pantry register"])
    clients.append([])
    clients.append(["Client ID", "Name", "Date of birth", "Phone", "Visits"])
    clients.append(["C1", "Ann Lee", dt.datetime(1984, 3, 12), 7700900123, 3])
    clients.append(["C2", "Raj Patel", "03/04/1987", "07700 900456", 4])
    volunteers = workbook.create_sheet("Volunteers")
    volunteers.append(["Name", "Mobile", "Hours"])
    volunteers.append(["Kim Jones", "07700 900789", 12])
    workbook.save(source)

    target = tmp_path / "marked.xlsx"
    markers = plant_markers_in_file(source, target)
    copy = openpyxl.load_workbook(target)
    assert copy.sheetnames == ["Clients", "Volunteers"] and copy["Clients"]["A1"].value == "Pantry register"
    row = [cell.value for cell in copy["Clients"][4]]
    assert isinstance(row[2], dt.datetime) and row[2].year == 1984 and row[2] != dt.datetime(1984, 3, 12)
    assert isinstance(row[3], int) and row[3] != 7700900123 and normalise_phone(str(row[3]))
    assert row[4] == 3 and row[1].endswith(MARK)
    assert copy["Volunteers"]["A2"].value.endswith(MARK) and copy["Volunteers"]["C2"].value == 12
    assert markers.columns == {"Name": "full_name", "Date of birth": "date_of_birth", "Phone": "phone",
                               "Mobile": "phone"}
    original, marked = load_table(source), load_table(target)
    assert marked.header_row == original.header_row == 3 and marked.column_types == original.column_types


def test_the_original_is_never_overwritten(tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("Name\nAnn\n", encoding="utf-8")
    with pytest.raises(ValueError):
        plant_markers_in_file(source, source)


def test_output_text_reads_html_without_embedded_images_and_json_without_escapes(tmp_path):
    page = tmp_path / "report.html"
    page.write_text('<p>O&#39;Brien</p><img alt="Chart of visits" src="data:image/png;base64,UVp6cXo=">',
                    encoding="utf-8")
    assert output_text(page) == '<p>O\'Brien</p><img alt="Chart of visits" src="data:">'
    summary = tmp_path / "summary.json"
    summary.write_text(json.dumps({"top": "Zo\u00eb"}), encoding="utf-8")  # written with \u escapes
    assert "Zoë" in output_text(summary)


def test_a_date_of_birth_marker_is_no_date_the_file_already_holds():
    year = pd.date_range("1990-01-01", "1990-12-31", freq="D")
    free = pd.Timestamp("1990-06-15")  # day 15: no month-first reading to avoid as well
    visits = year[year != free]
    table = pd.DataFrame({"Date of birth": ["01/01/1990"] * len(visits), "Visit date": visits})
    marked, markers = plant_markers(table)
    assert set(marked["Date of birth"]) == {"15/06/1990"} and set(markers.dates) == {free.date()}
