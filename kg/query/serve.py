"""A read-only SPARQL 1.1 Protocol endpoint over the built store (standard library HTTP + Oxigraph).

The `oxigraph` server binary would also serve the store, but it accepts updates and has no
per-query time limit; here updates are refused (403) and a query that runs past the limit
gets 503 while the server stays responsive.
"""

from __future__ import annotations

import concurrent.futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox

from kg.graph.store import open_store
from kg.query.runner import PREFIX_MAP

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/rdf+xml": ox.RdfFormat.RDF_XML}


def _negotiate(accept: str, options: dict, default: str) -> str:
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip()
        if media in options:
            return media
    return default


def make_server(build_dir: Path, port: int, timeout: float, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    store = open_store(build_dir)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)

    class Handler(BaseHTTPRequestHandler):
        server_version = "minsheng-kg-sparql"

        def log_message(self, fmt, *args):  # quiet by default; the CLI prints one line per request
            pass

        def _send(self, status: int, body: bytes, media: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", f"{media}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._send(status, (message + "\n").encode("utf-8"), "text/plain")

        def do_GET(self):
            url = urlparse(self.path)
            if url.path not in ("/sparql", "/query"):
                return self._error(404, "the SPARQL endpoint is /sparql")
            params = parse_qs(url.query)
            if "update" in params:
                return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            if "query" not in params:
                return self._error(400, "missing ?query=")
            self._answer(params["query"][0])

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if ctype == "application/sparql-update":
                return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype == "application/sparql-query":
                return self._answer(body)
            if ctype == "application/x-www-form-urlencoded":
                form = parse_qs(body)
                if "update" in form:
                    return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
                if "query" in form:
                    return self._answer(form["query"][0])
            return self._error(400, "POST a query as application/sparql-query or a form field query=")

        def _answer(self, query: str) -> None:
            future = pool.submit(self._run, query)
            try:
                status, body, media = future.result(timeout=timeout)
            except concurrent.futures.TimeoutError:
                return self._error(503, f"query ran longer than the {timeout:g} s limit")
            self._send(status, body, media)

        def _run(self, query: str):
            try:
                result = store.query(query, prefixes=PREFIX_MAP)
            except SyntaxError as exc:
                return 400, f"query syntax error: {' '.join(str(exc).split())}\n".encode(), "text/plain"
            if isinstance(result, ox.QueryTriples):
                media = _negotiate(self.headers.get("Accept"), GRAPH_TYPES, "text/turtle")
                return 200, ox.serialize(result, format=GRAPH_TYPES[media]), media
            media = _negotiate(self.headers.get("Accept"), RESULT_TYPES, "application/sparql-results+json")
            return 200, result.serialize(format=RESULT_TYPES[media]), media

    return ThreadingHTTPServer((host, port), Handler)
