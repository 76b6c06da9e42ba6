"""The charity's copy: no code, no injected parameters, no local paths, no web addresses, alt text."""

from __future__ import annotations

import re

import pytest


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def echo_bundle(tmp_path_factory):
    from conftest import FIXTURES, run_surgery

    tmp = tmp_path_factory.mktemp("report")
    data = tmp / "private folder of the charity" / "clients.csv"
    data.parent.mkdir()
    data.write_text("Amount,Name\n1,Ann Example\n2,Bob Example\n", encoding="utf-8")
    out = tmp / "bundle"
    env = {"SURGERY_PLAYBOOKS": str(FIXTURES / "playbooks")}
    result = run_surgery("run", "echo", "--data", data, "--out", out, "--charity", "Test Charity",
                         "--no-progress", env=env)
    assert result.returncode == 0, result.stderr
    return out, data, (out / "report.html").read_text(encoding="utf-8")


def test_report_has_no_input_code_and_no_injected_parameters(echo_bundle):
    _, _, html = echo_bundle
    assert "resolve_data_path" not in html and "import pandas" not in html
    assert "Parameters" in html  # the footer lists them in words...
    assert "injected-parameters" not in html and "fail_with: str" not in html  # ...not as code


def test_report_has_no_local_paths(echo_bundle):
    out, data, html = echo_bundle
    assert str(data.parent) not in html and str(out) not in html
    assert "private folder" not in html and "/home/" not in html and "/tmp/" not in html
    assert "clients.csv" in html  # the file by name


def test_report_is_self_contained(echo_bundle):
    _, _, html = echo_bundle
    assert not re.search(r"https?://", html)
    assert "<script" not in html and "<link" not in html


def test_every_chart_has_alt_text_and_facilitator_notes_are_left_out(echo_bundle):
    _, _, html = echo_bundle
    images = re.findall(r"<img [^>]*>", html)
    assert images and all(re.search(r'alt="[^"]{10,}"', img) for img in images)
    assert "Facilitator notes" not in html
    assert "noisy library warning" not in html  # stderr dropped


def test_footer_gives_provenance(echo_bundle):
    _, data, html = echo_bundle
    from helpers.spine.bundle import file_sha256

    footer = html[html.index('<footer class="provenance">'):]
    for expected in ("Test Charity", "echo", "clients.csv", file_sha256(data), "Kit version", "Run on"):
        assert expected in footer
