"""Headless Chromium for tests and benchmarks, driven over the DevTools protocol on a pipe.

No pip package and no driver binary: Chromium is started with --remote-debugging-pipe and reads
protocol commands from fd 3 and writes replies to fd 4 (NUL-separated JSON), which is how
Puppeteer and Playwright talk to it too. Only the browser itself is needed:

    apt-get install -y chromium fonts-noto-cjk          # Debian/Ubuntu (CI)

Set KG_CHROMIUM to use another binary. In CI (env CI=true) a missing browser fails the tests
that need it; elsewhere they are skipped.

    with Chromium() as browser:
        page = browser.new_page()
        page.goto(path.as_uri())
        page.wait_for("window.__kgStabilized === true")
        page.evaluate("kg.nodes.length")
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import struct
import subprocess
import tempfile
import threading
import time
import zlib
from pathlib import Path

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str | None:
    explicit = os.environ.get("KG_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else shutil.which(explicit)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require_chromium() -> str:
    """The browser's path; fails in CI and skips elsewhere when there is none."""
    path = find_chromium()
    if path is None:
        message = "Chromium not found (apt-get install chromium fonts-noto-cjk, or set KG_CHROMIUM)"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


class Chromium:
    """One headless browser process with a fresh profile; close() ends it (and only it)."""

    def __init__(self, executable: str | None = None, width: int = 1280, height: int = 860, timeout: float = 60):
        self.executable = executable or find_chromium()
        if not self.executable:
            raise BrowserError("Chromium not found")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="kg-chromium-")
        cmd_read, self._cmd_write = os.pipe()  # we write commands, the browser reads them on fd 3
        self._res_read, res_write = os.pipe()  # the browser writes replies on fd 4, we read them

        def wire_fds():  # runs in the child between fork and exec
            a = fcntl.fcntl(cmd_read, fcntl.F_DUPFD_CLOEXEC, 10)
            b = fcntl.fcntl(res_write, fcntl.F_DUPFD_CLOEXEC, 10)
            os.dup2(a, 3)  # dup2 makes the copies inheritable
            os.dup2(b, 4)

        args = [self.executable, *FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
                "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, close_fds=False, preexec_fn=wire_fds)
        os.close(cmd_read)
        os.close(res_write)
        self._next_id = 0
        self._lock = threading.Lock()
        self._replies: dict[int, queue.Queue] = {}
        self._events: list[dict] = []
        self._events_cond = threading.Condition()
        self._stderr: list[bytes] = []
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self.width, self.height = width, height
        self.version = self.send("Browser.getVersion")["product"]

    # -- protocol -----------------------------------------------------------------------------
    def _drain_stderr(self):
        for line in self.proc.stderr:
            self._stderr.append(line)

    def _read_loop(self):
        buffer = b""
        while True:
            try:
                chunk = os.read(self._res_read, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                for q in list(self._replies.values()):
                    q.put({"error": {"message": "browser closed the pipe"}})
                with self._events_cond:
                    self._events_cond.notify_all()
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    q = self._replies.get(message["id"])
                    if q is not None:
                        q.put(message)
                else:
                    with self._events_cond:
                        self._events.append(message)
                        self._events_cond.notify_all()

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        with self._lock:
            self._next_id += 1
            msg_id = self._next_id
            self._replies[msg_id] = q = queue.Queue()
        message = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._cmd_write, json.dumps(message).encode("utf-8") + b"\0")
        try:
            reply = q.get(timeout=timeout or self.timeout)
        except queue.Empty:
            raise BrowserError(f"{method}: no reply in {timeout or self.timeout}s") from None
        finally:
            self._replies.pop(msg_id, None)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')} {reply['error'].get('data', '')}".strip())
        return reply.get("result", {})

    def events(self, session: str | None = None, method: str | None = None) -> list[dict]:
        with self._events_cond:
            return [e for e in self._events
                    if (session is None or e.get("sessionId") == session) and (method is None or e["method"] == method)]

    def wait_event(self, method: str, session: str | None = None, since: int = 0, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._events_cond:
            while True:
                for e in self._events[since:]:
                    if e["method"] == method and (session is None or e.get("sessionId") == session):
                        return e
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise BrowserError(f"no {method} event in {timeout or self.timeout}s")
                self._events_cond.wait(left)

    def event_count(self) -> int:
        with self._events_cond:
            return len(self._events)

    # -- pages --------------------------------------------------------------------------------
    def new_page(self) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, target, session)

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send("Browser.close", timeout=5)
            except BrowserError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for fd in (self._cmd_write, self._res_read):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Page:
    """A tab: navigate, evaluate JavaScript, read console errors and requests, take screenshots."""

    def __init__(self, browser: Chromium, target: str, session: str):
        self.browser, self.target, self.session = browser, target, session
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.set_viewport(browser.width, browser.height)

    def set_viewport(self, width: int, height: int) -> None:
        """The page's size in CSS pixels (a laptop's 1400x900, say); screenshots take this size."""
        self.width, self.height = width, height
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def send(self, method: str, params: dict | None = None, timeout: float | None = None) -> dict:
        return self.browser.send(method, params, self.session, timeout)

    def goto(self, url: str, timeout: float | None = None) -> None:
        since = self.browser.event_count()
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        self.browser.wait_event("Page.loadEventFired", self.session, since, timeout)

    def evaluate(self, expression: str, timeout: float | None = None):
        """The value of a JavaScript expression (promises awaited); JS exceptions raise BrowserError."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True, "userGesture": True}, timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"{expression[:80]!r} threw: {text}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 60, interval: float = 0.05):
        """Poll until the expression is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out after {timeout}s waiting for {expression}")
            time.sleep(interval)

    def type_text(self, text: str) -> None:
        """Type into the focused element as a user would (key events, IME-style text insertion)."""
        self.send("Input.insertText", {"text": text})

    def click(self, x: float, y: float) -> None:
        """A left click at page coordinates, as the mouse would (press and release)."""
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def click_element(self, selector: str) -> None:
        """A click at the centre of the first element matching a CSS selector."""
        box = self.evaluate(f"(function(){{var r = document.querySelector({json.dumps(selector)})"
                            ".getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2];})()")
        self.click(*box)

    def press_enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                  "windowsVirtualKeyCode": 13, "text": "\r" if kind == "keyDown" else ""})

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors (CSP violations, failed loads)."""
        errors = []
        for e in self.browser.events(self.session):
            p = e.get("params", {})
            if e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif e["method"] == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                errors.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                errors.append("log: " + p["entry"].get("text", ""))
        return errors

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.browser.events(self.session, "Network.requestWillBeSent")]

    def screenshot(self, path: Path | None = None, scale: float = 1.0) -> bytes:
        params = {"format": "png", "captureBeyondViewport": False}
        if scale != 1.0:
            params["clip"] = {"x": 0, "y": 0, "width": self.width, "height": self.height, "scale": scale}
        png = base64.b64decode(self.send("Page.captureScreenshot", params)["data"])
        if path is not None:
            Path(path).write_bytes(png)
        return png

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})


# -- PNG pixels, without Pillow ------------------------------------------------------------------
def png_gray_pixels(png: bytes) -> tuple[int, int, list[int]]:
    """Width, height and grayscale values of an 8-bit RGB/RGBA/gray PNG, as Chromium writes them."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or interlace:
        raise ValueError("only 8-bit non-interlaced PNGs")
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    gray = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(width):
            px = line[x * channels:(x + 1) * channels]
            gray.append(px[0] if channels <= 2 else (px[0] * 299 + px[1] * 587 + px[2] * 114) // 1000)
        prev = line
    return width, height, gray


# -- pytest fixtures (import them into a test module: `from browser import browser, page`) -------
@pytest.fixture(scope="session")
def browser():
    path = require_chromium()
    b = Chromium(path)
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def page(browser):
    p = browser.new_page()
    try:
        yield p
    finally:
        p.close()
