import pytest

from helpers.errors import InputProblem
from helpers.reading.inputfile import check_input_file


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1", "old-style Excel file (.xls)"),
        ("renamed.xls", b"PK\x03\x04rest", "modern Excel workbook named .xls"),
        ("locked.xls", b"\xd0\xcf\x11\xe0\xa1\xb1" + "EncryptedPackage".encode("utf-16-le"), "save it without a password"),
        ("empty.csv", b"", "is empty"),
        ("sheet.ods", b"PK", "is an OpenDocument spreadsheet"),
        ("notes.docx", b"PK", "not a table the kit reads"),
        ("noending", b"a,b", "a file with no type ending"),
    ],
)
def test_files_the_kit_cannot_read_are_refused_by_name(tmp_path, name, content, expected):
    path = tmp_path / "private" / name
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(InputProblem) as error:
        check_input_file(path)
    assert expected in str(error.value)
    assert "private" not in str(error.value)  # the file by name, never its folder


def test_a_folder_and_a_readable_file(tmp_path):
    with pytest.raises(InputProblem, match="is a folder"):
        check_input_file(tmp_path)
    text_xls = tmp_path / "export.xls"
    text_xls.write_bytes(b"Name\tVisits\nAsha\t3\n")  # some web systems export tab-separated text as .xls
    assert check_input_file(text_xls) == text_xls.resolve()
    csv = tmp_path / "list.CSV"
    csv.write_text("a\n1\n")
    assert check_input_file(csv) == csv.resolve()


def test_a_web_page_saved_as_xls_is_let_through_for_the_loader(tmp_path):
    page = tmp_path / "crm-export.xls"
    page.write_bytes(b"<html><body><table><tr><td>Name</td></tr></table></body></html>")
    assert check_input_file(page) == page.resolve()


def test_a_file_over_the_size_limit_is_refused_by_its_size_before_a_byte_is_read(tmp_path, monkeypatch):
    # Issue 21: a sparse 2 GB file was read whole twice. Its size alone refuses it now.
    import builtins

    import helpers.reading.inputfile as inputfile

    path = tmp_path / "sparse.csv"
    with open(path, "wb") as handle:
        handle.write(b"Name\nAnn\n")
        handle.truncate(2 << 30)
    opened = []
    monkeypatch.setattr(builtins, "open", lambda *a, **k: opened.append(a) or pytest.fail("read"))
    with pytest.raises(InputProblem, match=r"is 2,048 MB, more than the 512 MB the kit reads at once"):
        check_input_file(path)
    assert opened == []
    monkeypatch.undo()
    monkeypatch.setattr(inputfile, "MAX_INPUT_BYTES", (2 << 30))
    assert check_input_file(path) == path.resolve()  # at the limit: read
