"""kg serve's query page (issue 13: GET / was a 404): served from the package, offline, the named
queries as examples that run; checked over HTTP and in headless Chromium (tests/browser.py;
without Chromium the browser test is skipped, except in CI where it fails)."""

import json
import os
import re
from pathlib import Path

import pytest

from browser import browser, page  # noqa: F401  (fixtures)
from kg.graph.store import open_store
from kg.query.page import ASSETS, example_query
from kg.query.runner import named_queries, run_query
from test_serve import build_dir, get, raw, server, status_of  # noqa: F401  (fixtures)


@pytest.fixture
def base(server):
    return f"http://127.0.0.1:{server.server_address[1]}"


def fetch(server, request: str) -> tuple[int, dict, bytes]:
    reply = raw(server, request.encode())
    head, _, body = reply.partition(b"\r\n\r\n")
    headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n")[1:])
    return status_of(reply), {k.lower(): v for k, v in headers.items()}, body


def test_root_is_the_query_page_with_every_named_query(server):
    status, headers, body = fetch(server, "GET / HTTP/1.0\r\n\r\n")
    assert status == 200 and headers["content-type"].startswith("text/html")
    csp = headers["content-security-policy"]
    assert "connect-src 'self'" in csp and "script-src 'self'" in csp and "default-src 'none'" in csp
    data = re.search(rb'<script type="application/json" id="kg-examples-data">(.*?)</script>', body, re.S)[1]
    examples = json.loads(data)
    assert [e["name"] for e in examples] == list(named_queries())
    # everything the page loads is a path of this server
    assert set(re.findall(rb'(?:src|href)="([^"]+)"', body)) == {p.encode() for p in ASSETS} | {b"data:,"}


@pytest.mark.parametrize("path", sorted(ASSETS))
def test_page_files_are_served(server, path):
    status, headers, body = fetch(server, f"GET {path} HTTP/1.0\r\n\r\n")
    assert status == 200 and headers["content-type"].split(";")[0] == ASSETS[path][1]
    assert int(headers["content-length"]) == len(body) > 100
    head_status, head_headers, head_body = fetch(server, f"HEAD {path} HTTP/1.0\r\n\r\n")
    assert head_status == 200 and head_body == b"" and head_headers["content-length"] == headers["content-length"]


@pytest.mark.parametrize("request_line", ["GET /index.html", "GET /static/page.js", "GET /../serve.py",
                                          "GET /%2e%2e/serve.py", "GET /NOTICE.md", "POST /"])
def test_nothing_else_is_served(server, request_line):
    status, _, body = fetch(server, f"{request_line} HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
    assert status == 404 and b"/sparql" in body


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_example_runs_as_it_is(base, name):
    status, _, body = get(f"{base}/sparql", example_query(name), {"Accept": "application/sparql-results+json"})
    assert status == 200, body
    assert "results" in json.loads(body)


def test_an_uncommented_parameter_asks_what_kg_query_param_asks(build_dir, base):
    text = example_query("programs-in-district")
    hint = '# ?district rdfs:label|skos:altLabel "沙坪坝区"@zh .'
    assert hint in text
    status, _, body = get(f"{base}/sparql", text.replace(hint, hint[2:]), {"Accept": "application/sparql-results+json"})
    assert status == 200, body
    on_page = {row["program"]["value"] for row in json.loads(body)["results"]["bindings"]}
    from_cli = {str(row["program"].value) for row in run_query(open_store(build_dir), "programs-in-district",
                                                               {"district": "沙坪坝区"})}
    assert on_page == from_cli and on_page


def test_page_in_chromium_runs_a_named_example_offline(page, server, base, build_dir, tmp_path):
    page.goto(f"{base}/")
    page.wait_for("!!(window.kgYasgui && document.querySelector('.CodeMirror'))", timeout=30)
    names = page.evaluate("[...document.querySelectorAll('#kg-examples option')].slice(1).map(o => o.textContent.split(' — ')[0])")
    assert names == list(named_queries())
    # pick who-runs in the menu, as a user would, and press the editor's run button
    page.evaluate("(() => { const s = document.getElementById('kg-examples');"
                  " s.value = String([...s.options].slice(1).findIndex(o => o.textContent.startsWith('who-runs ')));"
                  " s.dispatchEvent(new Event('change')); })()")
    assert page.evaluate("kgYasgui.getTab().getName()") == "who-runs"
    assert page.evaluate("kgYasgui.getTab().getQuery()") == example_query("who-runs")
    page.evaluate("[...document.querySelectorAll('.yasqe_queryButton')].find(b => b.offsetParent !== null).click()")
    visible_rows = "[...document.querySelectorAll('.yasr table.dataTable tbody tr')].filter(r => r.offsetParent !== null)"
    page.wait_for(f"{visible_rows}.length > 0", timeout=30)
    expected = [str(row["programLabel"].value) for row in run_query(open_store(build_dir), "who-runs")]
    rows = page.evaluate(f"{visible_rows}.map(r => r.textContent)")
    assert len(rows) == len(expected) and all(label in row for label, row in zip(expected, rows))
    shots = Path(os.environ.get("KG_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(shots / "serve-page.png")
    assert page.console_errors() == []
    assert [u for u in page.requested_urls() if not u.startswith((f"{base}/", "data:"))] == []
    assert f"{base}/sparql" in page.requested_urls()  # the answer came from this endpoint
