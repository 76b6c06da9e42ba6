import os
import re
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

from helpers.errors import InputProblem
from helpers.spine.pdf import find_chromium, print_to_pdf, running_head


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
    page = tmp_path / "report.html"
    page.write_text("<html lang='en'><body><h1>Food bank report</h1><p>Plan for 1,945 parcels.</p></body></html>")
    pdf = print_to_pdf(page, tmp_path / "report.pdf")
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Food bank report" in text and "1,945 parcels" in text


# --- no network from --pdf (issue 10) ---------------------------------------------------------

#: strace's line for a connect() call: the address family, the address and what it returned.
CONNECT = re.compile(r"connect\(\d+, \{sa_family=(AF_\w+)(.*?)\}, \d+\)\s*=\s*(-?\d+)")
LOOPBACK = re.compile(r'inet_addr\("127\.|inet_pton\(AF_INET6, "::1"|inet_pton\(AF_INET6, "::ffff:127\.')


def connections_outside_loopback(trace: str) -> list[str]:
    """The connect() calls in an ``strace -f -e trace=connect`` log that reached beyond this machine.

    Unix sockets, netlink and loopback addresses stay on the machine; a call that failed
    (no route, no address: the network namespace has no device) made no connection.
    strace splits a call that another thread interrupts into "<unfinished ...>" and
    "<... connect resumed>"; the two halves are joined by process id first.
    """
    pending: dict[str, str] = {}
    calls = []
    for line in trace.splitlines():
        pid, _, rest = line.partition(" ")
        if "<unfinished ...>" in rest:
            pending[pid] = rest.split("<unfinished ...>")[0].rstrip()
            continue
        if "resumed>" in rest and pid in pending:
            rest = pending.pop(pid) + rest.split("resumed>", 1)[1]
        calls.append(rest.strip())
    outside = []
    for call in calls:
        found = CONNECT.search(call)
        if not found:
            continue
        family, address, returned = found.groups()
        if family in ("AF_UNIX", "AF_LOCAL", "AF_NETLINK") or LOOPBACK.search(address):
            continue
        if int(returned) == -1 and "EINPROGRESS" not in call:
            continue
        outside.append(call)
    return outside


def test_connect_lines_outside_loopback_are_found():
    trace = "\n".join([
        '12 connect(3, {sa_family=AF_UNIX, sun_path="/run/dbus/system_bus_socket"}, 29) = -1 ENOENT',
        '12 connect(4, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED',
        '13 connect(5, {sa_family=AF_INET6, sin6_port=htons(443), inet_pton(AF_INET6, "2001:4860:4860::8888", '
        '&sin6_addr), sin6_scope_id=0}, 28) = -1 EADDRNOTAVAIL (Cannot assign requested address)',
        '14 connect(6, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16 <unfinished ...>',
        '15 clone3(...) = 16',
        '14 <... connect resumed>) = 0',
        '17 connect(7, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("142.250.1.1")}, 16) '
        '= -1 EINPROGRESS (Operation now in progress)',
    ])
    found = connections_outside_loopback(trace)
    assert len(found) == 2 and "10.255.255.53" in found[0] and "142.250.1.1" in found[1]


def _strace(tmp_path, *command, env=None):
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (`make browser` installs Debian's strace next to chromium)")
    log = tmp_path / "connect.log"
    result = subprocess.run([strace, "-f", "-e", "trace=connect", "-o", str(log), *command],
                            capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})})
    return result, log.read_text(encoding="utf-8", errors="replace")


HOSTILE_PAGE = """<!DOCTYPE html><html><head><title>Reaching out · Test</title>
<link rel="preconnect" href="https://fonts.example.com"><link rel="dns-prefetch" href="https://cdn.example.org">
<link rel="stylesheet" href="https://cdn.example.org/style.css">
<style>@import url("http://example.net/more.css"); body { background: url("https://example.com/bg.png"); }</style>
</head><body><h1>Reaching out</h1><p>A page that asks for things on the internet.</p>
<img src="http://example.com/chart.png" alt="remote"><iframe src="https://example.com/"></iframe>
<script src="https://example.com/script.js"></script><script>fetch("https://example.com/beacon")</script>
<a href="https://example.com/">a link</a></body></html>"""


@pytest.mark.slow
def test_printing_a_page_that_asks_for_the_internet_makes_no_connection_beyond_this_machine(tmp_path):
    if find_chromium() is None:
        pytest.skip("Chromium is not installed")
    page = tmp_path / "page.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    pdf = tmp_path / "page.pdf"
    result, trace = _strace(tmp_path, sys.executable, "-c",
                            "import sys; from pathlib import Path; from helpers.spine.pdf import print_to_pdf; "
                            "print_to_pdf(Path(sys.argv[1]), Path(sys.argv[2]))", page, pdf)
    assert result.returncode == 0, result.stderr
    assert "Reaching out" in PdfReader(pdf).pages[0].extract_text()
    assert "connect(" in trace  # the trace did see the browser's own (unix socket) connections
    assert connections_outside_loopback(trace) == []


@pytest.mark.slow
def test_surgery_run_with_pdf_makes_no_connection_beyond_this_machine(tmp_path, fixtures_dir):
    if find_chromium() is None:
        pytest.skip("Chromium is not installed")
    data = tmp_path / "clients.csv"
    data.write_text("Amount,Name\n1,Ann Example\n2,Bob Example\n", encoding="utf-8")
    out = tmp_path / "bundle"
    result, trace = _strace(tmp_path, sys.executable, "-m", "helpers", "run", "echo", "--data", data, "--out", out,
                            "--pdf", "--no-progress", env={"SURGERY_PLAYBOOKS": str(fixtures_dir / "playbooks")})
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "report.pdf").stat().st_size > 1000
    assert connections_outside_loopback(trace) == []


@pytest.mark.slow
def test_where_a_network_namespace_is_not_allowed_chromium_starts_without_one(tmp_path, monkeypatch):
    if find_chromium() is None:
        pytest.skip("Chromium is not installed")
    refused = shutil.which("false")
    monkeypatch.setattr("helpers.spine.pdf.launch_prefixes", lambda: [[refused, "--"], []])
    page = tmp_path / "report.html"
    page.write_text("<html><head><title>Plan · Calder</title></head><body><p>Plan for 1,945 parcels.</p></body></html>")
    text = PdfReader(print_to_pdf(page, tmp_path / "report.pdf")).pages[0].extract_text()
    assert "1,945 parcels" in text and "Page 1 of 1" in text and "Plan" in text and "Calder" in text


def test_the_running_head_is_text_even_when_the_charity_name_is_markup():
    head = running_head("<title>How many? · &lt;img src=x onerror=alert(1)&gt;</title>")
    assert "<img" not in head and "&lt;img src=x onerror=alert(1)&gt;" in head
