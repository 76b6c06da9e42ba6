import pytest

from helpers.errors import InputProblem
from helpers.spine.pdf import find_chromium, print_to_pdf


def test_the_environment_chooses_the_browser(tmp_path, monkeypatch):
    fake = tmp_path / "my-chromium"
    fake.write_text("")
    monkeypatch.setenv("SURGERY_CHROMIUM", str(fake))
    assert find_chromium() == str(fake)
    monkeypatch.setenv("SURGERY_CHROMIUM", str(tmp_path / "missing"))
    assert find_chromium() is None


def test_no_browser_is_an_input_problem_with_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("SURGERY_CHROMIUM", str(tmp_path / "missing"))
    page = tmp_path / "report.html"
    page.write_text("<p>hello</p>")
    with pytest.raises(InputProblem, match="apt-get install chromium"):
        print_to_pdf(page, tmp_path / "report.pdf")


@pytest.mark.slow
def test_a_real_pdf_is_printed_with_its_text(tmp_path):
    if find_chromium() is None:
        pytest.skip("Chromium is not installed (make install puts in Debian's chromium where it can)")
    from pypdf import PdfReader

    page = tmp_path / "report.html"
    page.write_text("<html lang='en'><body><h1>Food bank report</h1><p>Plan for 1,945 parcels.</p></body></html>")
    pdf = print_to_pdf(page, tmp_path / "report.pdf")
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Food bank report" in text and "1,945 parcels" in text
