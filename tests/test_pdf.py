import os
import re
from pathlib import Path
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

from helpers.errors import InputProblem
from helpers.spine.pdf import browser_locations, find_chromium, print_to_pdf, running_head, websocket_frame


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
    with pytest.raises(InputProblem, match="apt-get install chromium.*SURGERY_CHROMIUM"):
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
CONNECT = re.compile(r"connect\(\d+(?:<[^>]*>)?, \{sa_family=(AF_\w+)(.*?)\}, \d+\)\s*=\s*(-?\d+)")
#: With ``strace -yy``: a send on a UDP socket (the fd annotated with its protocol).
UDP_SEND = re.compile(r"\b(?:sendto|sendmsg|sendmmsg|write)\(\d+<UDP")
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


def _strace(tmp_path, *command, env=None, trace=("-e", "trace=connect")):
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (`make browser` installs Debian's strace next to chromium)")
    log = tmp_path / "connect.log"
    result = subprocess.run([strace, "-f", *trace, "-o", str(log), *command],
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


# --- the browser the machine has, wherever its installer put it (issue 24) ----------------------

def _nothing_on_path(name):
    return None


def _make_program(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


@pytest.mark.parametrize("system, relative", [
    ("Linux", "opt/google/chrome/chrome"),
    ("Linux", "opt/microsoft/msedge/msedge"),
    ("Linux", "snap/bin/chromium"),
    ("Darwin", "Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
    ("Darwin", "Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"),
])
def test_a_browser_in_its_standard_folder_is_found_when_none_is_on_path(tmp_path, system, relative):
    program = _make_program(tmp_path / relative)
    assert find_chromium(system=system, environ={}, root=tmp_path, on_path=_nothing_on_path) == str(program)


@pytest.mark.parametrize("folder, relative", [
    ("LOCALAPPDATA", "Google/Chrome/Application/chrome.exe"),
    ("PROGRAMFILES", "Google/Chrome/Application/chrome.exe"),
    ("PROGRAMFILES(X86)", "Microsoft/Edge/Application/msedge.exe"),
])
def test_windows_browsers_are_found_under_the_program_folders(tmp_path, folder, relative):
    program = _make_program(tmp_path / "Program Files" / relative)
    environ = {folder: str(tmp_path / "Program Files")}
    assert Path(find_chromium(system="Windows", environ=environ, on_path=_nothing_on_path)) == program


def test_nothing_installed_anywhere_is_none(tmp_path):
    for system in ("Linux", "Darwin", "Windows"):
        assert find_chromium(system=system, environ={"LOCALAPPDATA": str(tmp_path)}, root=tmp_path,
                             on_path=_nothing_on_path) is None


def test_path_comes_before_the_standard_folders_and_the_environment_before_both(tmp_path):
    _make_program(tmp_path / "opt/google/chrome/chrome")
    on_path = {"google-chrome": "/usr/bin/google-chrome"}.get
    assert find_chromium(system="Linux", environ={}, root=tmp_path, on_path=on_path) == "/usr/bin/google-chrome"
    mine = _make_program(tmp_path / "mine" / "chromium")
    assert find_chromium(system="Linux", environ={"SURGERY_CHROMIUM": str(mine)}, root=tmp_path,
                         on_path=on_path) == str(mine)


def test_every_system_has_chrome_edge_and_chromium_locations():
    for system, environ in (("Linux", {}), ("Darwin", {}), ("Windows", {"PROGRAMFILES": "C:/Program Files"})):
        names = " ".join(p.as_posix().lower() for p in browser_locations(system, environ))
        assert "chrome" in names and "edge" in names and "chromium" in names, system


def test_a_large_websocket_frame_says_its_length_in_eight_bytes_and_is_masked():
    payload = b"x" * 70_000
    frame = websocket_frame(payload, mask=b"abcd")
    assert frame[0] == 0x81 and frame[1] == 0x80 | 127
    assert int.from_bytes(frame[2:10], "big") == 70_000
    assert frame[10:14] == b"abcd" and frame[14:] != payload
    assert bytes(b ^ b"abcd"[i % 4] for i, b in enumerate(frame[14:])) == payload


def _real_browser():
    found = find_chromium()
    if found is None:
        pytest.skip("Chromium is not installed (make install puts in Debian's chromium where it can)")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("layout, system, transport", [
    ("opt/google/chrome/chrome", "Linux", "pipe"),  # Google's .deb layout
    ("Google/Chrome/Application/chrome.exe", "Windows", "socket"),  # Chrome on Windows, and its transport
])
def test_a_pdf_is_printed_with_a_browser_found_in_a_chrome_style_layout(tmp_path, layout, system, transport):
    """The real browser linked into another install layout: found there, and it prints."""
    program = tmp_path / "root" / layout
    program.parent.mkdir(parents=True)
    program.symlink_to(_real_browser())
    found = find_chromium(system=system, environ={"LOCALAPPDATA": str(tmp_path / "root")}, root=tmp_path / "root",
                          on_path=_nothing_on_path)
    assert found == str(program)
    page = tmp_path / "report.html"
    page.write_text("<html><head><title>Plan · Calder</title></head><body><p>Plan for 1,945 parcels.</p>"
                    "<img src='https://example.com/x.png'></body></html>", encoding="utf-8")
    text = PdfReader(print_to_pdf(page, tmp_path / "report.pdf", browser=found, transport=transport)).pages[0]
    assert "1,945 parcels" in text.extract_text() and "Page 1 of 1" in text.extract_text()


@pytest.mark.slow
def test_printing_over_the_loopback_socket_makes_no_connection_beyond_this_machine(tmp_path):
    """The Windows transport, run here: the hostile page is printed, nothing leaves the machine.

    Without a network namespace (as on Windows and macOS) Chromium still checks whether IPv6
    reaches the internet with a UDP ``connect()``: that sends no packet (UDP has no handshake),
    and the trace shows that nothing at all is sent on a UDP socket.
    """
    _real_browser()
    page = tmp_path / "page.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    pdf = tmp_path / "page.pdf"
    result, trace = _strace(tmp_path, sys.executable, "-c",
                            "import sys; from pathlib import Path; from helpers.spine.pdf import print_to_pdf; "
                            "print_to_pdf(Path(sys.argv[1]), Path(sys.argv[2]), transport='socket')", page, pdf,
                            trace=("-yy", "-e", "trace=connect,sendto,sendmsg,sendmmsg,write"))
    assert result.returncode == 0, result.stderr
    assert "Reaching out" in PdfReader(pdf).pages[0].extract_text()
    assert "127.0.0.1" in trace  # the kit's own WebSocket to the browser, on this machine
    assert [call for call in connections_outside_loopback(trace) if "<UDP" not in call] == []
    assert not UDP_SEND.search(trace)


@pytest.mark.slow
def test_the_socket_transport_fails_every_request_but_file_and_data(tmp_path, monkeypatch):
    from helpers.spine import pdf as printer

    _real_browser()
    seen = []
    original = printer._Browser.print_page

    def print_page(self, *args, **kwargs):
        data = original(self, *args, **kwargs)
        seen.extend(self.blocked)
        return data

    monkeypatch.setattr(printer._Browser, "print_page", print_page)
    page = tmp_path / "page.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    print_to_pdf(page, tmp_path / "page.pdf", transport="socket")
    assert seen and all(not url.startswith(("file:", "data:")) for url in seen)
    assert any("example.com/chart.png" in url for url in seen)
