"""Print a report to PDF with a headless Chromium (Debian's ``chromium`` package), offline.

Playwright's own browser download does not work offline, so the kit drives the
system browser itself, through the DevTools protocol over a pipe (no port is
opened): ``Page.printToPDF`` puts the report's title and the charity on every
page and "Page N of M" at the foot, which the ``--print-to-pdf`` switch cannot.

A run makes no network connection, and printing is no exception (issue 10):

- every background feature that reaches for the network is switched off
  (component and safe-browsing updates, sign-in and sync, DNS prefetch, field
  trials, metrics, crash reports...), see :data:`QUIET_BROWSER_SWITCHES`;
- host names resolve to nothing and every request goes to a proxy that does not
  exist (``127.0.0.1:9``, loopback included), so nothing can leave the machine;
- the page itself may load only ``file:`` and ``data:`` addresses (the DevTools
  ``Fetch`` domain fails every other request), and its scripts are switched off;
- where the system allows it (``unshare -rn``, util-linux), Chromium runs in a network
  namespace of its own that has no network device at all: even a probe that no switch
  turns off finds no route.
"""

from __future__ import annotations

import base64
import fcntl
import html
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers.errors import InputProblem
from helpers.spine.owned import owned_scratch_folder  # a killed run's profile is cleared at the next start

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Switches that keep a headless browser from reaching for the network, for any reason.
QUIET_BROWSER_SWITCHES = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--safebrowsing-disable-auto-update",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--metrics-recording-only",
    "--no-pings",
    "--disable-field-trial-config",
    "--dns-prefetch-disable",
    "--disable-features=OptimizationHints,MediaRouter,DialMediaRouteProvider,Translate,NetworkPrediction,"
    "AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,"
    "NetworkTimeServiceQuerying,SafeBrowsing,SpareRendererForSitePerProcess,PrivacySandboxSettings4,"
    "AcceptCHFrame,UseDnsHttpsSvcb,AsyncDns",
    # Chromium probes whether IPv6 reaches the internet (a UDP connect to a public address); say yes unasked.
    "--enable-features=EnableIPv6ReachabilityOverride",
    # Belt and braces: no name resolves, and any request that is still made goes to a dead loopback port.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)

#: Running head and foot of every page (Chromium fills in the page number and count).
_HEAD_STYLE = ("font-family: system-ui, Arial, sans-serif; font-size: 8pt; color: #555; width: 100%; "
               "margin: 0 15mm; display: flex; justify-content: space-between; gap: 6mm;")
FOOTER_TEMPLATE = (f'<div style="{_HEAD_STYLE} justify-content: flex-end;">'
                   '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')


def find_chromium() -> str | None:
    """The path of a Chromium to use (``SURGERY_CHROMIUM`` overrides), or ``None``."""
    chosen = os.environ.get("SURGERY_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_chromium_message() -> str:
    return (
        "A PDF needs the Chromium browser, which is not installed. The HTML report was still "
        "written. Install it with `sudo apt-get install chromium` (Debian/Ubuntu), or print "
        "report.html from any browser."
    )


def running_head(page_html: str) -> str:
    """The header template of every page: the report's title and the charity, as text.

    The words come from the page's ``<title>`` ("question · charity"), unescaped and
    escaped again, so a charity's name can never become markup in the header.

    Example:
        >>> "Food &amp; Friends" in running_head("<title>How many? · Food &amp; Friends</title>")
        True
        >>> "<b>" in running_head("<title>&lt;b&gt;Bold</title>")
        False
    """
    found = re.search(r"<title>(.*?)</title>", page_html, re.DOTALL | re.IGNORECASE)
    words = html.unescape(found.group(1)).strip() if found else ""
    title, _, charity = words.partition(" · ")
    return (f'<div style="{_HEAD_STYLE}"><span>{html.escape(title)}</span>'
            f'<span>{html.escape(charity)}</span></div>')


def print_to_pdf(html_path: Path, pdf_path: Path, timeout: int = 120) -> Path:
    """Print an HTML file to an A4 PDF: running head, "Page N of M", no network.

    Args:
        html_path: The report.
        pdf_path: Where to write the PDF.
        timeout: Seconds to wait for Chromium before giving up.

    Returns:
        ``pdf_path``.

    Raises:
        InputProblem: No Chromium is installed.
        RuntimeError: Chromium ran but wrote no PDF.
    """
    browser = find_chromium()
    if browser is None:
        raise InputProblem(missing_chromium_message())
    html_path = Path(html_path).resolve()
    header = running_head(html_path.read_text(encoding="utf-8", errors="replace"))
    deadline = time.monotonic() + timeout
    data = None
    for prefix in launch_prefixes():
        with owned_scratch_folder("surgery-chromium-") as profile, \
                _Browser(browser, profile, prefix) as chromium:
            if not chromium.started(min(deadline, time.monotonic() + 20)):
                continue  # this way of launching is not allowed here: try the next
            data = chromium.print_page(html_path.as_uri(), header, FOOTER_TEMPLATE, deadline=deadline)
            break
    if data is None:
        raise RuntimeError("Chromium did not start, so the PDF could not be printed.")
    Path(pdf_path).write_bytes(data)
    if Path(pdf_path).stat().st_size == 0:
        raise RuntimeError("Chromium did not write the PDF.")
    return Path(pdf_path)


def launch_prefixes() -> list[list[str]]:
    """Ways to start Chromium, most isolated first: in a network namespace of its own, then plainly.

    ``unshare -rn`` needs unprivileged user namespaces, which some systems switch off;
    then Chromium starts without it, still with every network switch above.
    """
    unshare = shutil.which("unshare")
    return ([[unshare, "--user", "--map-root-user", "--net", "--"]] if unshare else []) + [[]]


def browser_binary(executable: str) -> str:
    """The browser program itself, past a launcher script such as Debian's ``/usr/bin/chromium``.

    Debian's launcher sources ``/etc/chromium.d``, which sets Google API keys and turns
    background networking back on for extensions; the kit wants none of that.

    Example:
        >>> browser_binary("/no/such/browser")
        '/no/such/browser'
    """
    try:
        with open(executable, "rb") as file:
            is_script = file.read(2) == b"#!"
    except OSError:
        return executable
    if is_script:
        text = Path(executable).read_text(encoding="utf-8", errors="replace")
        found = re.search(r"^LIBDIR=(\S+)", text, re.MULTILINE)
        app = re.search(r"^APPNAME=(\S+)", text, re.MULTILINE)
        if found and app:
            binary = Path(found.group(1).replace("$APPNAME", app.group(1))) / app.group(1)
            if binary.is_file() and os.access(binary, os.X_OK):
                return str(binary)
    return executable


def _quiet_environment() -> dict:
    """The environment without Google service keys, so no sign-in or Google API can be used."""
    return {key: value for key, value in os.environ.items() if not key.startswith("GOOGLE_")}


_ON_FDS_3_AND_4 = ("import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
                   "os.execv(sys.argv[3], sys.argv[3:])")


class _Browser:
    """A headless Chromium spoken to with the DevTools protocol over ``--remote-debugging-pipe``.

    Chromium reads commands on its file descriptor 3 and writes replies and events on 4,
    each message JSON ended by a NUL byte.
    """

    def __init__(self, executable: str, profile: str, prefix: list[str]):
        self.executable, self.profile, self.prefix = browser_binary(executable), profile, prefix
        self.log = open(Path(profile) / "chromium.log", "wb")  # noqa: SIM115 (closed in __exit__)
        self.next_id = 0
        self.buffer = b""
        self.events: list[dict] = []
        self.blocked: list[str] = []  # addresses the page asked for and did not get

    def __enter__(self):
        to_browser_read, to_browser_write = os.pipe()
        from_browser_read, from_browser_write = os.pipe()
        # Move the browser's ends above 4 so that putting them on 3 and 4 cannot clobber one with the other.
        child_in = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_read)
        os.close(from_browser_write)
        # A small Python puts the pipes on fds 3 and 4, then becomes Chromium (no preexec_fn: the
        # demo prints from several threads, where preexec_fn is unsafe).
        command = [*self.prefix, sys.executable, "-c", _ON_FDS_3_AND_4, str(child_in), str(child_out), self.executable,
                   *QUIET_BROWSER_SWITCHES, f"--user-data-dir={self.profile}", "--remote-debugging-pipe",
                   "about:blank"]
        self.process = subprocess.Popen(command, pass_fds=(child_in, child_out), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=self.log, env=_quiet_environment())
        os.close(child_in)
        os.close(child_out)
        self.write_fd, self.read_fd = to_browser_write, from_browser_read
        return self

    def __exit__(self, *exc):
        try:
            self.send("Browser.close", deadline=time.monotonic() + 5)
        except (OSError, RuntimeError, TimeoutError):
            pass
        for fd in (self.write_fd, self.read_fd):
            os.close(fd)
        self.log.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return False

    def started(self, deadline: float) -> bool:
        """Whether the browser answers at all (an ``unshare`` that is not allowed exits at once)."""
        try:
            self.send("Browser.getVersion", deadline=deadline)
        except (OSError, RuntimeError, TimeoutError):
            return False
        return True

    def post(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        """Send one command without waiting; returns its id."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        return self.next_id

    def send(self, method: str, params: dict | None = None, session: str | None = None, *, deadline: float):
        """Send one command and wait for its reply, answering the page's requests meanwhile."""
        wanted = self.post(method, params, session)
        while True:
            reply = self.receive(deadline)
            if reply.get("id") == wanted:
                if "error" in reply:
                    raise RuntimeError(f"Chromium refused {method}: {reply['error'].get('message')}")
                return reply.get("result", {})

    def receive(self, deadline: float) -> dict:
        """The next message; a paused request is answered at once (only file: and data: may load)."""
        while True:
            while b"\0" not in self.buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.read_fd], [], [], left)[0]:
                    raise TimeoutError("Chromium did not answer in time.")
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed before the PDF was printed.")
                self.buffer += chunk
            raw, _, self.buffer = self.buffer.partition(b"\0")
            message = json.loads(raw)
            if message.get("method") != "Fetch.requestPaused":
                if "method" in message:
                    self.events.append(message)
                return message
            params = message["params"]
            if params["request"]["url"].startswith(("file:", "data:")):
                self.post("Fetch.continueRequest", {"requestId": params["requestId"]}, message["sessionId"])
            else:
                self.blocked.append(params["request"]["url"])
                self.post("Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                          message["sessionId"])

    def wait_for(self, method: str, deadline: float) -> dict:
        """Wait for an event (one that came earlier counts)."""
        while True:
            for event in self.events:
                if event.get("method") == method:
                    self.events.remove(event)
                    return event
            self.receive(deadline)

    def print_page(self, url: str, header: str, footer: str, deadline: float) -> bytes:
        targets = self.send("Target.getTargets", deadline=deadline)["targetInfos"]
        page = next(t["targetId"] for t in targets if t["type"] == "page")
        session = self.send("Target.attachToTarget", {"targetId": page, "flatten": True},
                            deadline=deadline)["sessionId"]
        self.send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session, deadline=deadline)
        self.send("Emulation.setScriptExecutionDisabled", {"value": True}, session, deadline=deadline)
        self.send("Page.enable", {}, session, deadline=deadline)
        navigation = self.send("Page.navigate", {"url": url}, session, deadline=deadline)
        if navigation.get("errorText"):
            raise RuntimeError(f"Chromium could not open the report: {navigation['errorText']}")
        self.wait_for("Page.loadEventFired", deadline)
        result = self.send("Page.printToPDF", {
            "printBackground": True,
            "preferCSSPageSize": True,  # A4 and the margins from report.css's @page
            "displayHeaderFooter": True,
            "headerTemplate": header,
            "footerTemplate": footer,
            "scale": 1,
        }, session, deadline=deadline)
        return base64.b64decode(result["data"])
