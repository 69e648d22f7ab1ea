"""kg push is all or nothing, against a real Oxigraph server behind a proxy that injects faults.

The proxy forwards every request to Oxigraph, except the ones a test picks: those get an HTTP
error, no answer at all, or run and then lose their answer. After each failure the remote
graph must hold exactly what it held before, and no temporary graph may be left.
"""

from __future__ import annotations

import base64
import http.client
import os
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import KgError
from kg.query.push import DEFAULT_GRAPH, push
from test_serve_push import SAMPLE, free_port, oxigraph_server  # noqa: F401 (a fixture)

BATCH = 100


class FaultProxy(ThreadingHTTPServer):
    """Forwards to `upstream`; `fault(n, method, body)` names what happens to the n-th request
    (1-based): None forwards it, "error" answers 503, "drop" closes without an answer, "lost"
    forwards it and then closes without an answer, "refuse" answers 400, "hang" never answers."""

    daemon_threads = True

    def __init__(self, upstream: str, fault=lambda n, method, body: None, user: tuple[str, str] | None = None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = urllib.parse.urlsplit(upstream)
        self.fault = fault
        self.user = user
        self.seen: list[tuple[str, bytes]] = []
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _any(self):
        proxy: FaultProxy = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if proxy.user:
            expected = "Basic " + base64.b64encode(":".join(proxy.user).encode()).decode()
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="kg"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        proxy.seen.append((self.command, body))
        fault = proxy.fault(len(proxy.seen), self.command, body)
        if fault == "hang":
            proxy.release.wait(30)
        if fault in ("drop", "hang"):
            self.close_connection = True
            return
        if fault in ("error", "refuse"):
            status, reply = (503, b"injected fault") if fault == "error" else (400, b"unsupported operation")
        else:
            upstream = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            status, reply = answer.status, answer.read()
            upstream.close()
            if fault == "lost":
                self.close_connection = True
                return
        self.send_response(status)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_POST = do_PUT = do_DELETE = _any


@pytest.fixture
def proxy_factory(oxigraph_server):  # noqa: F811
    started = []

    def start(fault=lambda n, method, body: None, user=None) -> FaultProxy:
        proxy = FaultProxy(oxigraph_server, fault, user)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        proxy.release.set()
        proxy.shutdown()
        proxy.server_close()


def graph_triples(base: str, graph: str = DEFAULT_GRAPH) -> set[ox.Triple]:
    request = urllib.request.Request(f"{base}/store?{urllib.parse.urlencode({'graph': graph})}",
                                     headers={"Accept": "application/n-triples"})
    data = urllib.request.urlopen(request, timeout=10).read()
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}


def graph_names(base: str) -> set[str]:
    query = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    request = urllib.request.Request(f"{base}/query?{query}", headers={"Accept": "text/csv"})
    return set(urllib.request.urlopen(request, timeout=10).read().decode().split()[1:])


@pytest.fixture
def new_version(tmp_path) -> Path:
    """The sample graph plus 150 triples: a second build to push over the first."""
    dataset = ox.Dataset(ox.parse(path=str(SAMPLE), format=ox.RdfFormat.TRIG))
    for i in range(150):
        dataset.add(ox.Quad(ox.NamedNode(f"urn:kg-test:{i}"), ox.NamedNode("urn:kg-test:p"), ox.Literal(str(i))))
    path = tmp_path / "graph.trig"
    ox.serialize(dataset, output=str(path), format=ox.RdfFormat.TRIG)
    return path


def endpoints(base: str, protocol: str) -> dict:
    if protocol == "gsp":
        return {"endpoint": base + "/store", "update_endpoint": base + "/update", "protocol": "gsp"}
    return {"endpoint": base + "/update", "protocol": "update"}


def pushed_first(base: str) -> set[ox.Triple]:
    push(SAMPLE, base + "/update", protocol="update", batch_size=BATCH)
    before = graph_triples(base)
    assert len(before) > 2 * BATCH
    return before


def is_move(method: str, body: bytes) -> bool:
    return body.startswith(b"MOVE")


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_failure_at_second_request_leaves_the_remote_graph_as_it_was(oxigraph_server, proxy_factory,  # noqa: F811
                                                                     new_version, protocol):
    before = pushed_first(oxigraph_server)
    proxy = proxy_factory(lambda n, method, body: "error" if n == 2 else None)
    with pytest.raises(KgError) as failure:
        push(new_version, batch_size=BATCH, **endpoints(proxy.url, protocol))
    message = str(failure.value)
    assert "HTTP 503" in message and f"<{DEFAULT_GRAPH}> is unchanged" in message and "removed" in message
    assert graph_triples(oxigraph_server) == before
    assert graph_names(oxigraph_server) == {DEFAULT_GRAPH}


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_a_push_through_the_proxy_replaces_the_graph(oxigraph_server, proxy_factory, new_version, protocol):  # noqa: F811
    pushed_first(oxigraph_server)
    proxy = proxy_factory()
    sent = push(new_version, batch_size=BATCH, **endpoints(proxy.url, protocol))
    after = graph_triples(oxigraph_server)
    assert len(after) == sent and ox.Triple(ox.NamedNode("urn:kg-test:7"), ox.NamedNode("urn:kg-test:p"),
                                            ox.Literal("7")) in after
    assert graph_names(oxigraph_server) == {DEFAULT_GRAPH}
    assert proxy.seen[-1][1].startswith(b"MOVE")


def test_refused_move_leaves_the_graph_and_removes_the_temporary_one(oxigraph_server, proxy_factory, new_version):  # noqa: F811
    before = pushed_first(oxigraph_server)
    proxy = proxy_factory(lambda n, method, body: "error" if is_move(method, body) else None)
    with pytest.raises(KgError, match=r"at the move into place .*HTTP 503.* is unchanged; temporary graph .* removed"):
        push(new_version, batch_size=BATCH, **endpoints(proxy.url, "gsp"))
    assert graph_triples(oxigraph_server) == before
    assert graph_names(oxigraph_server) == {DEFAULT_GRAPH}


def test_a_store_without_move_gets_drop_and_insert_in_one_request(oxigraph_server, proxy_factory, new_version):  # noqa: F811
    pushed_first(oxigraph_server)
    proxy = proxy_factory(lambda n, method, body: "refuse" if is_move(method, body) else None)
    sent = push(new_version, batch_size=BATCH, **endpoints(proxy.url, "update"))
    assert len(graph_triples(oxigraph_server)) == sent
    assert graph_names(oxigraph_server) == {DEFAULT_GRAPH}
    assert proxy.seen[-1][1].startswith(b"DROP SILENT GRAPH <" + DEFAULT_GRAPH.encode())


def test_a_store_that_cannot_move_says_so_plainly(oxigraph_server, proxy_factory, new_version):  # noqa: F811
    before = pushed_first(oxigraph_server)
    moving = lambda n, method, body: "refuse" if is_move(method, body) or b"INSERT {" in body else None  # noqa: E731
    proxy = proxy_factory(moving)
    with pytest.raises(KgError, match="the endpoint cannot move a graph into place.* is unchanged"):
        push(new_version, batch_size=BATCH, **endpoints(proxy.url, "update"))
    assert graph_triples(oxigraph_server) == before
    assert graph_names(oxigraph_server) == {DEFAULT_GRAPH}


def test_a_lost_answer_to_the_move_says_the_state_is_unknown(oxigraph_server, proxy_factory, new_version):  # noqa: F811
    pushed_first(oxigraph_server)
    proxy = proxy_factory(lambda n, method, body: "lost" if is_move(method, body) else None)
    with pytest.raises(KgError, match="may be unchanged or replaced"):
        push(new_version, batch_size=BATCH, **endpoints(proxy.url, "update"))
    assert graph_names(oxigraph_server) == {DEFAULT_GRAPH}


def test_when_cleanup_fails_too_the_temporary_graph_is_named(oxigraph_server, proxy_factory, new_version):  # noqa: F811
    before = pushed_first(oxigraph_server)
    proxy = proxy_factory(lambda n, method, body: "drop" if n >= 2 else None)
    with pytest.raises(KgError) as failure:
        push(new_version, batch_size=BATCH, **endpoints(proxy.url, "gsp"))
    left = graph_names(oxigraph_server) - {DEFAULT_GRAPH}
    assert len(left) == 1
    [tmp] = left
    assert f"is unchanged; temporary graph <{tmp}> may be left there" in str(failure.value)
    assert graph_triples(oxigraph_server) == before


def test_timeout_gives_up_a_request_that_never_answers(oxigraph_server, proxy_factory, new_version):  # noqa: F811
    before = pushed_first(oxigraph_server)
    proxy = proxy_factory(lambda n, method, body: "hang" if n == 2 else None)
    with pytest.raises(KgError, match=r"no answer within 0.5 s.* is unchanged; temporary graph .* removed"):
        push(new_version, batch_size=BATCH, timeout=0.5, **endpoints(proxy.url, "update"))
    assert graph_triples(oxigraph_server) == before


def test_gsp_without_an_update_endpoint_is_refused_before_sending(proxy_factory):
    proxy = proxy_factory()
    with pytest.raises(KgError, match="--update-endpoint"):
        push(SAMPLE, proxy.url + "/store")
    assert proxy.seen == []


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def build_dir(tmp_path, new_version) -> Path:
    return new_version.parent


@pytest.mark.parametrize("how", ["env", "netrc"])
def test_credentials_from_the_environment_or_netrc(proxy_factory, oxigraph_server, build_dir, tmp_path, how):  # noqa: F811
    proxy = proxy_factory(user=("kg", "s3cret-pw"))
    env = {k: v for k, v in os.environ.items() if k not in ("KG_PUSH_AUTH", "NETRC")}
    env["HOME"] = str(tmp_path)  # no stray ~/.netrc of the machine
    if how == "env":
        env["KG_PUSH_AUTH"] = "kg:s3cret-pw"
    else:
        (tmp_path / "my-netrc").write_text("machine 127.0.0.1 login kg password s3cret-pw\n", encoding="utf-8")
        env["NETRC"] = str(tmp_path / "my-netrc")
    result = run_cli("push", "--endpoint", proxy.url + "/update", "--protocol", "update",
                     "--build-dir", str(build_dir), env=env)
    assert result.returncode == 0, result.stderr
    assert len(graph_triples(oxigraph_server)) > 2 * BATCH
    assert "s3cret-pw" not in result.stdout + result.stderr


def test_a_failed_push_from_the_cli_is_one_line_that_never_shows_the_password(proxy_factory, oxigraph_server,  # noqa: F811
                                                                               build_dir, tmp_path):
    before = pushed_first(oxigraph_server)
    proxy = proxy_factory(lambda n, method, body: "error" if is_move(method, body) else None, user=("kg", "s3cret-pw"))
    env = {**os.environ, "KG_PUSH_AUTH": "kg:s3cret-pw", "HOME": str(tmp_path)}
    result = run_cli("push", "--endpoint", proxy.url + "/store", "--update-endpoint", proxy.url + "/update",
                     "--build-dir", str(build_dir), env=env)
    errors = [line for line in result.stderr.splitlines() if not line.startswith("  sent ")]
    assert result.returncode == 1 and len(errors) == 1 and errors[0].startswith("kg: error: push failed")
    assert "is unchanged" in errors[0] and "Traceback" not in result.stderr
    assert "s3cret-pw" not in result.stdout + result.stderr
    assert graph_triples(oxigraph_server) == before


def test_wrong_password_is_refused_at_the_first_request_and_writes_nothing(proxy_factory, oxigraph_server):  # noqa: F811
    before = pushed_first(oxigraph_server)
    proxy = proxy_factory(user=("kg", "s3cret-pw"))
    with pytest.raises(KgError) as failure:
        push(SAMPLE, batch_size=BATCH, auth="kg:wrong-pw", **endpoints(proxy.url, "update"))
    message = str(failure.value)
    assert "HTTP 401" in message and "unchanged; nothing was written" in message and "wrong-pw" not in message
    assert graph_triples(oxigraph_server) == before


def test_a_broken_netrc_is_one_line_without_its_secrets(tmp_path, monkeypatch):
    (tmp_path / "netrc").write_text("machine 127.0.0.1 login kg passwd s3cret-pw\n", encoding="utf-8")
    monkeypatch.delenv("KG_PUSH_AUTH", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "netrc"))
    with pytest.raises(KgError, match="cannot parse line 1") as failure:
        push(SAMPLE, "http://127.0.0.1:9/update", protocol="update")
    assert "s3cret" not in str(failure.value)
