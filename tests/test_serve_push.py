"""kg serve over HTTP (SPARQLWrapper and curl) and kg push into a real Oxigraph server."""

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.graph.store import load_store
from kg.query.push import push
from kg.query.serve import make_server

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    load_store(SAMPLE, out / "store")
    port = free_port()
    server = make_server(out, port, timeout=5)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/sparql"
    server.shutdown()
    server.server_close()


def test_sparqlwrapper_select(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery("SELECT ?l WHERE { ?p a ms:Program ; rdfs:label ?l } ORDER BY ?l")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [r["l"]["value"] for r in rows] == ["百万高校毕业生等青年留渝来渝就业创业行动计划", "社会救助服务联合体"]


def test_curl_get_post_and_negotiation(endpoint):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?p a ms:Official }"
    csv = subprocess.run(["curl", "-s", "-G", endpoint, "--data-urlencode", f"query={q}", "-H", "Accept: text/csv"],
                         capture_output=True, text=True, check=True).stdout
    assert csv.splitlines()[1].strip() == "2"
    posted = subprocess.run(["curl", "-s", "-X", "POST", endpoint, "-H", "Content-Type: application/sparql-query",
                             "-H", "Accept: text/tab-separated-values", "--data-binary", q],
                            capture_output=True, text=True, check=True).stdout
    assert posted.splitlines()[1].strip().startswith("2")


@pytest.mark.parametrize("args", [
    ["-X", "POST", "-H", "Content-Type: application/sparql-update", "--data-binary", "DROP ALL"],
    ["-X", "POST", "--data-urlencode", "update=DROP ALL"],
])
def test_updates_are_refused(endpoint, args):
    status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", endpoint, *args],
                            capture_output=True, text=True, check=True).stdout
    assert status == "403"


def test_bad_query_is_400(endpoint):
    status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-G", endpoint,
                             "--data-urlencode", "query=SELECT ?x WHERE {"], capture_output=True, text=True).stdout
    assert status == "400"


@pytest.fixture
def oxigraph_server(tmp_path):
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "ox"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def count(base: str) -> int:
    url = base + "/query?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7BGRAPH%20%3Fg%20%7B%3Fs%20%3Fp%20%3Fo%7D%7D"
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    return int(urllib.request.urlopen(request).read().decode().splitlines()[1])


@pytest.mark.parametrize("protocol, path", [("gsp", "/store"), ("update", "/update")])
def test_push_is_idempotent(oxigraph_server, protocol, path):
    first = push(SAMPLE, oxigraph_server + path, protocol=protocol, batch_size=1000,
                 update_endpoint=oxigraph_server + "/update")
    assert count(oxigraph_server) == first
    push(SAMPLE, oxigraph_server + path, protocol=protocol, batch_size=1000,
         update_endpoint=oxigraph_server + "/update")
    assert count(oxigraph_server) == first > 200


def test_push_to_nowhere_is_one_line():
    from kg.errors import KgError

    with pytest.raises(KgError, match="cannot connect"):
        push(SAMPLE, f"http://127.0.0.1:{free_port()}/update", protocol="update")
