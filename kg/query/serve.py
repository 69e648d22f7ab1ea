"""A read-only SPARQL 1.1 Protocol endpoint over the built store: Oxigraph's own server behind a small front.

The engine is `oxigraph serve-read-only --timeout-s N` (the `oxigraph` package), listening on a
loopback port of its own. Its time limit cancels the query inside the engine, so a slow query
stops using a thread and a core when its client gets 503: a Python thread running
`Store.query` cannot be stopped, which is how a pool of four used to fill up for good.

The front, in Python (standard library), stays because the engine alone cannot give what users
rely on:
- the pre-bound prefixes (ms:, msr:, rdfs:, … of kg.query.runner.PREFIX_MAP): the engine has no
  default prefixes, so the front adds the PREFIX lines the query does not declare itself;
- no outbound requests: the engine runs SERVICE patterns (a request to any address the query
  names), so the front reads the query as tokens and refuses SERVICE with 400 before it is sent;
- a 503 for a query that ran out of time: the engine has already answered 200 and writes
  "The SPARQL operation has been cancelled" after a partial body, so the front holds the answer
  (in memory up to SPOOL bytes, then on disk) and only sends it once it is complete.
It is hardened for hostile input: a real listen backlog and a thread per connection (up to
MAX_CONNECTIONS, then 503), request headers and body read within READ_SECONDS (slowloris), bodies
up to MAX_BODY (413 above, never read), a Content-Length that is not a number of bytes 400,
Accept q-values honoured, updates 403, CORS only with cors=True, an XML answer holding a control
character XML cannot carry refused (406, with the formats that can) rather than sent broken. Only the front is reachable
from outside when bound to another host: the engine listens on 127.0.0.1.

GET / is a query page (kg.query.page: YASGUI from files in the package, the named queries as
examples), which asks this endpoint and no other host.
"""

from __future__ import annotations

import collections
import http.client
import io
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

from kg.errors import KgError, UsageError
from kg.graph.store import open_store
from kg.query.page import ASSETS, HEADERS as PAGE_HEADERS, asset, page_html
from kg.query.runner import PREFIX_MAP
from kg.query.sparql_text import query_form, refuse_service, user_position, with_prefixes

RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")
GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml")
MAX_BODY = 1 << 20          # a SPARQL query is text; 1 MiB is far beyond any real one
READ_SECONDS = 10.0         # for the request line, headers and body of one request
SPOOL = 4 << 20             # answers larger than this wait on disk, not in memory
MAX_CONNECTIONS = 512       # threads of the front; more clients at once get 503 at once
BACKLOG = 1024              # connections the kernel queues before the front accepts them
CANCELLED = b"The SPARQL operation has been cancelled"
XML_TYPES = ("application/sparql-results+xml", "application/rdf+xml")
# Characters XML 1.0 cannot carry, even escaped, as UTF-8 bytes (no multi-byte sequence holds them).
NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
GRAPH_PARAMS = ("default-graph-uri", "named-graph-uri")


def negotiate(accept: str | None, options: tuple[str, ...], default: str) -> str:
    """The option the Accept header prefers (q-values, then order in the header, then ours).

    A range that names the type beats type/* which beats */*; q=0 refuses; when nothing
    acceptable is offered the default is sent, as most SPARQL clients expect an answer.
    """
    ranges = []
    for position, part in enumerate((accept or "").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((media.lower(), q, position))
    best, best_key = default, None
    for rank, option in enumerate(options):
        kind = option.split("/")[0]
        matches = [(3 if m == option else 2 if m == f"{kind}/*" else 1, q, pos)
                   for m, q, pos in ranges if m in (option, f"{kind}/*", "*/*")]
        if not matches:
            continue
        _, q, pos = max(matches)  # the most specific range decides
        key = (q, -pos, -rank)
        if q > 0 and (best_key is None or key > best_key):
            best, best_key = option, key
    return best


def _finished(tail: bytes, media: str) -> bool:
    """Whether an answer ends as its format ends (the engine appends its error to a cut answer)."""
    if media in ("text/csv", "text/tab-separated-values"):
        return tail.endswith(b"\n")
    end = tail.rstrip()
    if media == "application/sparql-results+json":
        return end.endswith(b"}")
    if media in ("application/sparql-results+xml", "application/rdf+xml"):
        return end.endswith(b">")
    return not end or end.endswith(b".")  # Turtle, N-Triples


def _holds_non_xml(answer) -> bool:
    """Whether the answer has a character no XML parser accepts (the engine writes them as they are)."""
    answer.seek(0)
    previous = b""
    while chunk := answer.read(1 << 20):
        if NOT_XML.search(previous[-2:] + chunk):
            return True
        previous = chunk
    return False


def _oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise KgError("the oxigraph server is not installed (pip install oxigraph)")
    return found


def _die_with_parent() -> None:  # a killed `kg serve` must not leave the engine running
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Engine:
    """`oxigraph serve-read-only` on a free loopback port, its log lines passed on to our stderr."""

    def __init__(self, store_dir: Path, timeout: int):
        self.stopping = False
        self._ready = threading.Event()
        self._last = collections.deque(maxlen=3)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.proc = subprocess.Popen(
            [_oxigraph_binary(), "serve-read-only", "--location", str(store_dir),
             "--bind", f"127.0.0.1:{self.port}", "--timeout-s", str(timeout)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        threading.Thread(target=self._read_log, daemon=True).start()
        deadline = time.monotonic() + 30
        while not self._ready.wait(0.05):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise KgError(f"the oxigraph server did not start: {' '.join(self._last) or 'no message'}")

    def _read_log(self) -> None:
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith("Listening for requests"):
                self._ready.set()
            elif line and not line.endswith(CANCELLED.decode()):  # the front reports time-outs itself
                self._last.append(line)
                print(f"kg serve: engine: {line}", file=sys.stderr, flush=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        self.stopping = True
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class _DeadlineReader(io.RawIOBase):
    """Socket reads that all end by one deadline: a client sending a byte now and then
    (slowloris) is cut off when the request's time is up, not only when it pauses."""

    def __init__(self, sock: socket.socket, seconds: float):
        self.sock, self.deadline = sock, time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request took too long to arrive")
        self.sock.settimeout(remaining)
        return self.sock.recv_into(buffer)


class _Refused(Exception):
    def __init__(self, status: int, message: str, close: bool = False):
        super().__init__(message)
        self.status, self.close = status, close


class Handler(BaseHTTPRequestHandler):
    server_version = "minsheng-kg-sparql"
    default_request_version = "HTTP/1.0"  # errors to a request line that names no version still get a status line
    server: "Endpoint"

    def setup(self) -> None:
        super().setup()
        self.rfile = io.BufferedReader(_DeadlineReader(self.connection, self.server.read_seconds))

    def log_message(self, fmt, *args):  # quiet: one line per request would drown the terminal
        pass

    def _send(self, status: int, body, length: int, media: str, extra: dict | None = None) -> None:
        self.connection.settimeout(self.server.query_timeout + 30)  # a client that never reads lets go
        self.send_response(status)
        self.send_header("Content-Type", f"{media}; charset=utf-8")
        self.send_header("Content-Length", str(length))
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            shutil.copyfileobj(body, self.wfile) if hasattr(body, "read") else self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        body = (message + "\n").encode("utf-8")
        self._send(status, body, len(body), "text/plain")

    def _guarded(self, work) -> None:
        try:
            work()
        except _Refused as refused:
            self._error(refused.status, str(refused))
            if refused.close:  # the body was not read: let the client see the answer before closing
                self.close_connection = True
                self._drain()

    def _drain(self) -> None:
        """Read and drop what the client still sends, for at most a second and 4 MiB: closing
        with unread data resets the connection, and the client may lose the answer."""
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(1)
            for _ in range(64):
                if not self.connection.recv(65536):
                    break
        except OSError:
            pass

    def do_OPTIONS(self):
        extra = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if self.server.cors:
            extra |= {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                      "Access-Control-Allow-Headers": "Content-Type, Accept"}
        self._send(204, b"", 0, "text/plain", extra)

    def do_GET(self):
        self._guarded(self._get)

    do_HEAD = do_GET

    def do_POST(self):
        self._guarded(self._post)

    def _path(self) -> str:
        url = urlparse(self.path)
        if url.path not in ("/sparql", "/query"):
            raise _Refused(404, "the SPARQL endpoint is /sparql (and the query page is /)")
        return url.query

    def _get(self) -> None:
        path = urlparse(self.path).path
        if path == "/" or path in ASSETS:
            body, media = (page_html(), "text/html") if path == "/" else asset(path)
            self._send(200, body, len(body), media, PAGE_HEADERS)
            return
        params = _form(self._path())
        self._answer(params)

    def _post(self) -> None:
        query_string = self._path()
        body = self._body()
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            raise _Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        params = _form(query_string)
        if ctype == "application/sparql-query":
            if "query" in params:
                raise _Refused(400, "the query is the body: do not also give ?query=")
            params["query"] = [_text(body)]
        elif ctype == "application/x-www-form-urlencoded":
            params |= _form(_text(body))
        else:
            raise _Refused(400, "POST a query as application/sparql-query or a form field query=")
        self._answer(params)

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise _Refused(411, "send the body with a Content-Length, not Transfer-Encoding", close=True)
        lengths = set(self.headers.get_all("Content-Length") or ["0"])
        raw = lengths.pop().strip()
        if lengths or not (raw.isascii() and raw.isdigit()):
            raise _Refused(400, "Content-Length must be one number of bytes", close=True)
        length = int(raw)
        if length > MAX_BODY:
            raise _Refused(413, f"the body is over {MAX_BODY} bytes; a query is much shorter", close=True)
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            body = b""
        if len(body) < length:
            raise _Refused(400, f"the body is shorter than its Content-Length ({length} bytes) "
                                f"or took over {self.server.read_seconds:g} s", close=True)
        return body

    def _answer(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            raise _Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        if len(params.get("query", ())) != 1:
            raise _Refused(400, "give one query (GET ?query=…, or POST it)")
        query = params["query"][0]
        try:
            refuse_service(query)
        except UsageError as exc:
            raise _Refused(400, str(exc)) from None
        graph_form = query_form(query) in ("construct", "describe")
        media = negotiate(self.headers.get("Accept"), *((GRAPH_TYPES, "text/turtle") if graph_form
                                                        else (RESULT_TYPES, RESULT_TYPES[0])))
        graphs = {k: v for k, v in params.items() if k in GRAPH_PARAMS}
        with tempfile.SpooledTemporaryFile(max_size=SPOOL) as answer:
            status = self._ask_engine(with_prefixes(query, PREFIX_MAP), graphs, media, answer)
            size = answer.tell()
            answer.seek(max(size - len(CANCELLED), 0))
            tail = answer.read()
            if status == 400:
                answer.seek(0)
                message = " ".join(answer.read(4096).decode("utf-8", "replace").split())
                raise _Refused(400, f"query syntax error: {user_position(message)}")
            if status != 200:
                raise _Refused(502, f"the query engine answered {status}")
            if tail.endswith(CANCELLED):
                raise _Refused(503, f"query ran longer than the {self.server.query_timeout} s limit and was stopped")
            if not _finished(tail, media):
                raise _Refused(500, "the query engine failed while answering (see the kg serve log)")
            if media in XML_TYPES and _holds_non_xml(answer):
                raise _Refused(406, "the answer holds control characters that XML cannot carry; "
                                    "ask for JSON, CSV or TSV (or N-Triples, Turtle)")
            answer.seek(0)
            self._send(200, answer, size, media)

    def _ask_engine(self, query: str, graphs: dict, media: str, answer) -> int:
        engine = self.server.engine
        path = "/query" + (f"?{urlencode(graphs, doseq=True)}" if graphs else "")
        connection = http.client.HTTPConnection("127.0.0.1", engine.port, timeout=self.server.query_timeout + 30)
        try:
            connection.request("POST", path, body=query.encode("utf-8"),
                               headers={"Content-Type": "application/sparql-query", "Accept": media})
            response = connection.getresponse()
            shutil.copyfileobj(response, answer)
            return response.status
        except (OSError, http.client.HTTPException):
            raise _Refused(503 if engine.alive() else 502, "the query engine did not answer") from None
        finally:
            connection.close()


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(400, "the request is not UTF-8") from None


def _form(encoded: str) -> dict[str, list[str]]:
    try:
        return parse_qs(encoded, errors="strict")
    except UnicodeDecodeError:
        raise _Refused(400, "the request is not UTF-8") from None


class Endpoint(ThreadingHTTPServer):
    """The front; server_close() also stops the engine."""

    daemon_threads = True
    request_queue_size = BACKLOG
    engine: Engine | None = None  # set once the front is bound

    def __init__(self, host: str, port: int, timeout: int, cors: bool, read_seconds: float):
        self.query_timeout, self.cors, self.read_seconds = timeout, cors, read_seconds
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__((host, port), Handler)

    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                                b"Content-Length: 29\r\n\r\ntoo many clients; try again\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until shutdown(), or until the engine exits by itself: then a KgError."""
        def watch():
            self.engine.proc.wait()
            if not self.engine.stopping:
                self.shutdown()

        threading.Thread(target=watch, daemon=True).start()
        super().serve_forever(poll_interval)
        if self.engine.proc.poll() is not None and not self.engine.stopping:
            raise KgError(f"the query engine stopped by itself (exit {self.engine.proc.returncode})")

    def server_close(self) -> None:
        super().server_close()
        if self.engine is not None:
            self.engine.stop()


def make_server(build_dir: Path, port: int, timeout: int, host: str = "127.0.0.1", cors: bool = False,
                read_seconds: float = READ_SECONDS) -> Endpoint:
    """The front bound to host:port with its engine started; serve_forever() it, server_close() it."""
    open_store(build_dir)  # the clear errors for a missing or unreadable store, before any process
    try:
        server = Endpoint(host, port, timeout, cors, read_seconds)
    except OSError as exc:
        raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    try:
        server.engine = Engine(Path(build_dir) / "store", timeout)
    except BaseException:
        server.server_close()
        raise
    return server
