"""`kg push` into Virtuoso, the SPARQL store many institutions run (Debian: virtuoso-opensource).

A private Virtuoso instance starts in a temp folder on free ports. Pushes go through the
authenticated endpoints a Virtuoso administrator uses, which answer with HTTP Digest
challenges: /sparql-auth (SPARQL Update) and /sparql-graph-crud-auth (Graph Store Protocol).
In CI (CI=true) a missing Virtuoso fails these tests; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import KgError
from kg.query import push as push_module
from kg.query.push import push
from test_serve_push import SAMPLE, free_port

GRAPH = "https://w3id.org/minsheng-kg/id/graph/main"
INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def virtuoso_binary() -> str:
    binary = os.environ.get("KG_VIRTUOSO") or shutil.which("virtuoso-t")
    if binary and Path(binary).is_file():
        return binary
    reason = "Virtuoso is not installed (apt-get install virtuoso-opensource, or set KG_VIRTUOSO)"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(reason + "; CI must install it")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    binary = virtuoso_binary()
    folder = tmp_path_factory.mktemp("virtuoso")
    http = free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql=free_port(), http=http), encoding="utf-8")
    proc = subprocess.Popen([binary, "+foreground", "+configfile", "virtuoso.ini"], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{http}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            log = folder / "virtuoso.log"
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("Virtuoso did not start: " + (log.read_text(errors="replace")[-500:] if log.exists() else "no log"))
            time.sleep(0.3)
    yield base
    os.killpg(proc.pid, 15)
    proc.wait(timeout=30)


def select(base: str, query: str) -> list[list[str]]:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    lines = urllib.request.urlopen(request, timeout=30).read().decode("utf-8").splitlines()[1:]
    return [[cell.strip('"') for cell in line.split(",")] for line in lines]


def count(base: str) -> int:
    return int(select(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")[0][0])


def distinct_triples(trig: Path) -> int:
    return len({(q.subject, q.predicate, q.object) for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)})


def push_graphs(base: str) -> list[str]:
    """Graphs named after the project's graph: the graph itself and any temporary one left behind."""
    return [row[0] for row in select(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                           f"FILTER(STRSTARTS(STR(?g), \"{GRAPH}\")) }}")]


@pytest.mark.parametrize("protocol, path", [("update", "/sparql-auth"), ("gsp", "/sparql-graph-crud-auth")])
def test_push_into_virtuoso_is_complete_and_idempotent(virtuoso, protocol, path, monkeypatch):
    """Both protocols load a temporary graph and MOVE it into place through /sparql-auth
    (Virtuoso knows MOVE: no fallback to DROP + INSERT)."""
    updates = []
    send = push_module._Client.send

    def recorded(client, method, url, body, content_type):
        updates.append(body.split()[0])
        return send(client, method, url, body, content_type)

    monkeypatch.setattr(push_module._Client, "send", recorded)
    expected = distinct_triples(SAMPLE)
    sent = push(SAMPLE, virtuoso + path, protocol=protocol, batch_size=100, auth="dba:dba",
                update_endpoint=virtuoso + "/sparql-auth")
    assert sent == expected and count(virtuoso) == expected
    push(SAMPLE, virtuoso + path, protocol=protocol, batch_size=100, auth="dba:dba",
         update_endpoint=virtuoso + "/sparql-auth")
    assert count(virtuoso) == expected
    assert push_graphs(virtuoso) == [GRAPH]
    assert updates.count(b"MOVE") == 2 and b"DROP" not in updates


def test_chinese_labels_survive_the_push(virtuoso):
    push(SAMPLE, virtuoso + "/sparql-auth", protocol="update", auth="dba:dba")
    label = ox.Literal("涪陵区", language="zh")
    rows = select(virtuoso, f'SELECT ?s WHERE {{ GRAPH <{GRAPH}> {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> {label} }} }}')
    assert rows == [["https://w3id.org/minsheng-kg/id/area/500102"]]


def test_wrong_password_is_one_line(virtuoso, tmp_path):
    with pytest.raises(KgError, match="HTTP 401"):
        push(SAMPLE, virtuoso + "/sparql-auth", protocol="update", auth="dba:wrong")
    build = tmp_path / "build"
    build.mkdir()
    shutil.copy(SAMPLE, build / "graph.trig")
    result = CliRunner().invoke(app, ["push", "--endpoint", virtuoso + "/sparql-auth", "--protocol", "update",
                                      "--auth", "dba:wrong", "--build-dir", str(build)])
    assert result.exit_code == 1 and result.output.count("\n") == 1 and "401" in result.output, result.output
