"""Print a report to PDF with the Chromium-family browser the machine has, offline.

Linux (Debian/Ubuntu ``chromium``), macOS and Windows (Google Chrome, Microsoft Edge,
Chromium in their standard install folders, or ``SURGERY_CHROMIUM``): see
:func:`find_chromium`. Playwright's own browser download does not work offline, so
the kit drives the system browser itself, with the DevTools protocol:
``Page.printToPDF`` puts the report's title and the charity on every page and
"Page N of M" at the foot, which the ``--print-to-pdf`` switch cannot.

The protocol travels one of two ways (:func:`transport_for`), neither needing more
than the standard library:

- on Linux and macOS, over a pipe (``--remote-debugging-pipe``, no port at all), which
  also lets Chromium run in a network namespace of its own;
- on Windows, where Python cannot hand a child the inherited descriptors 3 and 4 that
  the pipe needs, over a WebSocket on ``127.0.0.1`` at a port the browser picks
  (``--remote-debugging-port=0``), open only while the page prints.

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
  turns off finds no route. Without one (macOS, Windows, a Linux that forbids it) that
  probe is Chromium's IPv6 reachability check, a UDP ``connect()`` that sends no packet.
"""

from __future__ import annotations

import base64
import html
import json
import os
import platform
import re
import select
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from helpers.errors import InputProblem
from helpers.spine.owned import owned_scratch_folder  # a killed run's profile is cleared at the next start

#: Program names looked up on PATH, in this order (Linux first, then the names Windows and macOS use).
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
                 "msedge", "microsoft-edge", "microsoft-edge-stable")

#: Where each system's installers put a Chromium-family browser (absolute on Linux and macOS).
POSIX_LOCATIONS = {
    "Linux": ("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/snap/bin/chromium",
              "/opt/google/chrome/chrome", "/opt/microsoft/msedge/msedge", "/opt/chromium.org/chromium/chromium"),
    "Darwin": ("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
               "/Applications/Chromium.app/Contents/MacOS/Chromium",
               "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"),
}
#: On Windows: under each of these folders (from the environment), the browser's own sub-path.
WINDOWS_FOLDERS = ("LOCALAPPDATA", "PROGRAMFILES", "PROGRAMFILES(X86)")
WINDOWS_PROGRAMS = (r"Google\Chrome\Application\chrome.exe", r"Microsoft\Edge\Application\msedge.exe",
                    r"Chromium\Application\chrome.exe")

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
_PAGE_NUMBER_WORDS = "Page {number} of {total}"
_HTML_LANG = re.compile(r"""<html\b[^>]*\blang=["']?([\w-]+)""", re.IGNORECASE)


def running_foot(page_html: str) -> str:
    """The footer template of every page: "Page N of M", in the page's language (its ``<html lang>``).

    Example:
        >>> 'Tudalen <span class="pageNumber"></span> o' in running_foot("<html lang='cy'><title>x</title>")
        True
    """
    from helpers.writing.language import DEFAULT_LANGUAGE, HTML_LANG, kit_text

    found = _HTML_LANG.search(page_html[:4096])
    language = next((code for code, tag in HTML_LANG.items() if found and found.group(1) == tag), DEFAULT_LANGUAGE)
    words = html.escape(kit_text(_PAGE_NUMBER_WORDS, language)).format(
        number='<span class="pageNumber"></span>', total='<span class="totalPages"></span>')
    return f'<div style="{_HEAD_STYLE} justify-content: flex-end;"><span>{words}</span></div>'


FOOTER_TEMPLATE = running_foot("")


def browser_locations(system: str | None = None, environ: dict | None = None,
                      root: Path | None = None) -> list[Path]:
    """Where a Chromium-family browser is installed by default on ``system``, most usual first.

    Args:
        system: ``platform.system()``'s name ("Linux", "Darwin", "Windows"); default this machine's.
        environ: The environment (Windows keeps its program folders there); default ``os.environ``.
        root: Look under this folder instead of ``/`` (Linux, macOS): for tests, and for a
            browser unpacked into a folder of its own.

    Example:
        >>> [str(p) for p in browser_locations("Windows", {"LOCALAPPDATA": "C:/Users/Ann/AppData/Local"})][0]
        'C:/Users/Ann/AppData/Local/Google/Chrome/Application/chrome.exe'
        >>> browser_locations("Linux", root=Path("/tmp/x"))[3].as_posix()
        '/tmp/x/opt/google/chrome/chrome'
    """
    system = system or platform.system()
    environ = os.environ if environ is None else environ
    if system == "Windows":
        folders = [environ[name] for name in WINDOWS_FOLDERS if environ.get(name)]
        return [Path(folder, *program.split("\\")) for folder in folders for program in WINDOWS_PROGRAMS]
    found = [Path(location) for location in POSIX_LOCATIONS.get(system, POSIX_LOCATIONS["Linux"])]
    if system == "Darwin":  # installed for one user only
        found += [Path.home() / str(location).lstrip("/") for location in found]
    if root is not None:
        found = [Path(root, *location.parts[1:]) for location in found]
    return found


def find_chromium(system: str | None = None, environ: dict | None = None, root: Path | None = None,
                  on_path=shutil.which) -> str | None:
    """The path of a Chromium-family browser to print with, or ``None``.

    ``SURGERY_CHROMIUM`` decides when set (``None`` if it names nothing); then the
    :data:`BROWSER_NAMES` on PATH; then the standard install folders
    (:func:`browser_locations`, whose arguments these are; ``on_path`` is ``shutil.which``).
    """
    environ = os.environ if environ is None else environ
    chosen = environ.get("SURGERY_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    for name in BROWSER_NAMES:
        found = on_path(name)
        if found:
            return found
    for location in browser_locations(system, environ, root):
        if location.is_file():
            return str(location)
    return None


def missing_chromium_message() -> str:
    return (
        "A PDF needs a Chromium-family browser (Chromium, Google Chrome or Microsoft Edge), and none "
        "was found. The HTML report was still written. Install one (on Debian/Ubuntu: `sudo apt-get "
        "install chromium`), or set SURGERY_CHROMIUM to the browser's program, or print report.html "
        "from any browser."
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


def print_to_pdf(html_path: Path, pdf_path: Path, timeout: int = 120, browser: str | None = None,
                 transport: str | None = None) -> Path:
    """Print an HTML file to an A4 PDF: running head, "Page N of M", no network.

    Args:
        html_path: The report.
        pdf_path: Where to write the PDF.
        timeout: Seconds to wait for Chromium before giving up.
        browser: The browser's program (default: :func:`find_chromium`).
        transport: ``"pipe"`` or ``"socket"`` (default: :func:`transport_for` this system).

    Returns:
        ``pdf_path``.

    Raises:
        InputProblem: No Chromium is installed.
        RuntimeError: Chromium ran but wrote no PDF.
    """
    browser = browser or find_chromium()
    if browser is None:
        raise InputProblem(missing_chromium_message())
    html_path = Path(html_path).resolve()
    page_html = html_path.read_text(encoding="utf-8", errors="replace")
    header, footer = running_head(page_html), running_foot(page_html)
    deadline = time.monotonic() + timeout
    data = None
    transport = transport or transport_for()
    # The namespace's browser could not be reached on a port outside it: the socket goes without one.
    for prefix in launch_prefixes() if transport == "pipe" else [[]]:
        # A marked scratch folder: a killed run's profile is removed at the next start. It is removed
        # ignoring errors, as a browser on Windows may hold its profile's files a moment after it exits.
        with owned_scratch_folder("surgery-chromium-") as profile, \
                _Browser(browser, profile, prefix, transport) as chromium:
            if not chromium.started(min(deadline, time.monotonic() + 20)):
                continue  # this way of launching is not allowed here: try the next
            data = chromium.print_page(html_path.as_uri(), header, footer, deadline=deadline)
            break
    if data is None:
        raise RuntimeError("Chromium did not start, so the PDF could not be printed.")
    Path(pdf_path).write_bytes(data)
    if Path(pdf_path).stat().st_size == 0:
        raise RuntimeError("Chromium did not write the PDF.")
    return Path(pdf_path)


def transport_for(system_name: str | None = None) -> str:
    """How to speak to the browser here: ``"pipe"`` on Linux and macOS, ``"socket"`` on Windows.

    Example:
        >>> transport_for("posix"), transport_for("nt")
        ('pipe', 'socket')
    """
    return "pipe" if (system_name or os.name) == "posix" else "socket"


def launch_prefixes() -> list[list[str]]:
    """Ways to start Chromium, most isolated first: in a network namespace of its own, then plainly.

    ``unshare -rn`` needs unprivileged user namespaces, which some systems switch off;
    then Chromium starts without it, still with every network switch above.
    """
    unshare = shutil.which("unshare") if sys.platform.startswith("linux") else None
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


_ON_FDS_3_AND_4 = ("import os, sys; i = os.dup(int(sys.argv[1])); o = os.dup(int(sys.argv[2])); "
                   "os.dup2(i, 3); os.dup2(o, 4); os.set_inheritable(3, True); os.set_inheritable(4, True); "
                   "os.execv(sys.argv[3], sys.argv[3:])")
# Why the two dups first: the copies land on the lowest free descriptors, and 0-2 are taken, so the
# copy of the output can be 3 only if the copy of the input is below 3 (impossible): putting them on
# 3 and 4 cannot clobber one with the other, and no fcntl (POSIX only) is needed. A copy that is
# already 3 or 4 keeps its close-on-exec flag through dup2, hence set_inheritable.


class _PipeTransport:
    """DevTools messages over ``--remote-debugging-pipe``: commands on the browser's fd 3, replies on 4.

    Each message is JSON ended by a NUL byte. POSIX only (select on a pipe; descriptors 3 and 4).
    """

    switch = "--remote-debugging-pipe"

    def start(self, command: list[str], log, environment: dict) -> subprocess.Popen:
        to_browser_read, self.write_fd = os.pipe()
        self.read_fd, from_browser_write = os.pipe()
        # A small Python puts the pipes on fds 3 and 4, then becomes Chromium (no preexec_fn: the
        # demo prints from several threads, where preexec_fn is unsafe).
        prefix, browser = command[:command.index("--browser--")], command[command.index("--browser--") + 1:]
        launched = [*prefix, sys.executable, "-c", _ON_FDS_3_AND_4, str(to_browser_read), str(from_browser_write),
                    *browser]
        process = subprocess.Popen(launched, pass_fds=(to_browser_read, from_browser_write), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=log, env=environment)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        return process

    def connect(self, profile: str, process, deadline: float) -> None:
        """The pipe is there from the start."""

    def write(self, message: bytes) -> None:
        os.write(self.write_fd, message + b"\0")

    def read(self, deadline: float) -> bytes:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.read_fd], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time.")
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed before the PDF was printed.")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return message

    def close(self) -> None:
        for fd in (self.write_fd, self.read_fd):
            os.close(fd)


class _SocketTransport:
    """DevTools messages over a WebSocket on 127.0.0.1 (``--remote-debugging-port=0``), for Windows.

    The browser picks a free port and writes it, with the socket's path, to
    ``DevToolsActivePort`` in its profile. The minimal client below speaks just what
    DevTools needs (RFC 6455: one text frame a message, masked from the client).
    """

    switch = "--remote-debugging-port=0"

    def start(self, command: list[str], log, environment: dict) -> subprocess.Popen:
        self.socket, self.buffer = None, b""
        launched = [part for part in command if part != "--browser--"]
        return subprocess.Popen(launched, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                env=environment)

    def connect(self, profile: str, process, deadline: float) -> None:
        """Wait for the browser's port, then open the WebSocket (only ever to this machine)."""
        active = Path(profile) / "DevToolsActivePort"
        while not (active.is_file() and len(active.read_text(encoding="ascii", errors="replace").split()) >= 2):
            if process.poll() is not None:
                raise RuntimeError("Chromium exited before it opened its DevTools port.")
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not open its DevTools port in time.")
            time.sleep(0.05)
        port, path = active.read_text(encoding="ascii").split()[:2]
        self.socket = socket.create_connection(("127.0.0.1", int(port)), timeout=max(0.1, deadline - time.monotonic()))
        key = base64.b64encode(os.urandom(16)).decode()
        self.socket.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
                             ).encode())
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._receive(deadline)
        answer, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        if b" 101 " not in answer.split(b"\r\n")[0]:
            raise RuntimeError(f"Chromium refused the DevTools connection: {answer[:80]!r}")

    def _receive(self, deadline: float) -> bytes:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("Chromium did not answer in time.")
        self.socket.settimeout(left)
        try:
            chunk = self.socket.recv(1 << 20)
        except socket.timeout as late:
            raise TimeoutError("Chromium did not answer in time.") from late
        if not chunk:
            raise RuntimeError("Chromium closed before the PDF was printed.")
        return chunk

    def _take(self, count: int, deadline: float) -> bytes:
        while len(self.buffer) < count:
            self.buffer += self._receive(deadline)
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    def write(self, message: bytes, opcode: int = 1) -> None:
        self.socket.sendall(websocket_frame(message, opcode))

    def read(self, deadline: float) -> bytes:
        message = b""
        while True:
            first, second = self._take(2, deadline)
            length = second & 0x7F
            if length == 126:
                length = int.from_bytes(self._take(2, deadline), "big")
            elif length == 127:
                length = int.from_bytes(self._take(8, deadline), "big")
            mask = self._take(4, deadline) if second & 0x80 else b""
            payload = _unmask(self._take(length, deadline), mask) if mask else self._take(length, deadline)
            opcode = first & 0x0F
            if opcode == 8:
                raise RuntimeError("Chromium closed before the PDF was printed.")
            if opcode == 9:  # ping: answer it, keep reading
                self.write(payload, opcode=10)
                continue
            if opcode == 10:
                continue
            message += payload
            if first & 0x80:  # the last fragment
                return message

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()


def _unmask(payload: bytes, mask: bytes) -> bytes:
    """XOR ``payload`` with the 4-byte ``mask`` repeated (RFC 6455 section 5.3), a whole number at a time."""
    if not payload:
        return payload
    repeated = (mask * (len(payload) // 4 + 1))[:len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(len(payload), "big")


def websocket_frame(payload: bytes, opcode: int = 1, mask: bytes | None = None) -> bytes:
    """One final, masked WebSocket frame from the client (RFC 6455 section 5.2).

    Example:
        >>> websocket_frame(b"Hi", mask=bytes(4)) == bytes([0x81, 0x82, 0, 0, 0, 0]) + b"Hi"
        True
        >>> len(websocket_frame(b"x" * 70000, mask=b"abcd")) == 2 + 8 + 4 + 70000
        True
    """
    mask = os.urandom(4) if mask is None else mask
    size = len(payload)
    if size < 126:
        length = bytes([0x80 | size])
    elif size < 1 << 16:
        length = bytes([0x80 | 126]) + size.to_bytes(2, "big")
    else:
        length = bytes([0x80 | 127]) + size.to_bytes(8, "big")
    return bytes([0x80 | opcode]) + length + mask + _unmask(payload, mask)


TRANSPORTS = {"pipe": _PipeTransport, "socket": _SocketTransport}


class _Browser:
    """A headless Chromium spoken to with the DevTools protocol, over a pipe or a loopback WebSocket."""

    def __init__(self, executable: str, profile: str, prefix: list[str], transport: str = "pipe"):
        self.executable, self.profile, self.prefix = browser_binary(executable), profile, prefix
        self.transport = TRANSPORTS[transport]()
        self.log = open(Path(profile) / "chromium.log", "wb")  # noqa: SIM115 (closed in __exit__)
        self.next_id = 0
        self.events: list[dict] = []
        self.blocked: list[str] = []  # addresses the page asked for and did not get
        self.connected = False

    def __enter__(self):
        command = [*self.prefix, "--browser--", self.executable, *QUIET_BROWSER_SWITCHES,
                   f"--user-data-dir={self.profile}", self.transport.switch, "about:blank"]
        self.process = self.transport.start(command, self.log, _quiet_environment())
        return self

    def __exit__(self, *exc):
        if self.connected:
            try:
                self.send("Browser.close", deadline=time.monotonic() + 5)
            except (OSError, RuntimeError, TimeoutError):
                pass
        self.transport.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        return False

    def started(self, deadline: float) -> bool:
        """Whether the browser answers at all (an ``unshare`` that is not allowed exits at once)."""
        try:
            self.transport.connect(self.profile, self.process, deadline)
            self.connected = True
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
        self.transport.write(json.dumps(message).encode())
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
            message = json.loads(self.transport.read(deadline))
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
