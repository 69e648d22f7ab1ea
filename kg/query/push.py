"""Loading the graph into a remote SPARQL 1.1 store that the user's institution runs.

All or nothing: the triples go in batches into a fresh temporary named graph, by the Graph
Store Protocol (PUT the first batch to ?graph=TMP, POST the rest) or by SPARQL Update (INSERT
DATA), and one SPARQL Update request then moves that graph into place (MOVE). The standard
asks an update service to run each request atomically, so the remote graph is either the old
one or the new one, never a part. A failed push says what state it left the remote in and
removes the temporary graph when it can. Re-pushing replaces the named graph: idempotent.
"""

from __future__ import annotations

import http.client
import netrc
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox

from kg.errors import KgError, UsageError

DEFAULT_GRAPH = "https://w3id.org/minsheng-kg/id/graph/main"
AUTH_ENV = "KG_PUSH_AUTH"
UPDATE = "application/sparql-update"


class _Refused(KgError):
    """The server answered with an HTTP error: it did not carry out the request."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class _Unreachable(KgError):
    """No connection: the request never reached the server."""


class _NoAnswer(KgError):
    """The request was sent but no answer came (timeout, dropped connection): it may have run."""


def _batches(trig: Path, size: int) -> Iterator[list[ox.Triple]]:
    seen: set = set()
    batch: list[ox.Triple] = []
    for quad in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        if triple in seen:
            continue
        seen.add(triple)
        batch.append(triple)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _check_url(url: str, option: str) -> str:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:
        raise UsageError(f"{option} {url!r}: not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} {url!r}: expected an http:// or https:// URL")
    if parts.username or parts.password:
        # Never echo the URL: it holds the password.
        raise UsageError(f"{option}: put credentials in --auth, ${AUTH_ENV} or ~/.netrc, not in the URL")
    return url


def credentials(url: str, auth: str | None = None) -> tuple[str, str] | None:
    """USER:PASSWORD from --auth, else $KG_PUSH_AUTH, else the netrc entry for the URL's host
    ($NETRC or ~/.netrc, as curl reads it). Error messages never contain the password."""
    for value, source in ((auth, "--auth"), (os.environ.get(AUTH_ENV), f"${AUTH_ENV}")):
        if value:
            user, sep, password = value.partition(":")
            if not sep or not user:
                raise UsageError(f"{source}: expected USER:PASSWORD")
            return user, password
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except netrc.NetrcParseError as exc:  # its message may quote a password: give the line only
        raise KgError(f"{path}: cannot parse line {exc.lineno}") from None
    return (entry[0], entry[2]) if entry else None


class _Client:
    """HTTP requests with a time limit and the credentials of each URL's host. Credentials
    answer the server's challenge, Basic (Fuseki, GraphDB) or Digest (Virtuoso's /sparql-auth);
    they are not sent up front, as a Basic header sent first makes urllib fail the Digest retry."""

    def __init__(self, urls: list[str], auth: str | None, timeout: float):
        self.timeout = timeout
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in urls:
            found = credentials(url, auth)
            if found:
                passwords.add_password(None, url, *found)
        self.opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                                  urllib.request.HTTPDigestAuthHandler(passwords))

    def send(self, method: str, url: str, body: bytes, content_type: str) -> None:
        request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
        where = f"{method} {url.split('?')[0]}"
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:200]
            raise _Refused(f"{where}: HTTP {exc.code} {exc.reason}: {detail}".rstrip(": "), exc.code) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (ConnectionRefusedError, socket.gaierror)):
                raise _Unreachable(f"{where}: cannot connect ({exc.reason})") from None
            raise _NoAnswer(f"{where}: {exc.reason}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise _NoAnswer(f"{where}: no answer within {self.timeout:g} s ({exc or type(exc).__name__})") from None


def _move(client: _Client, update_endpoint: str, tmp: str, graph: str) -> None:
    """MOVE, or where the store does not know MOVE (HTTP 400 or 501), the same in SPARQL 1.1's
    basic operations: DROP, then INSERT … WHERE, which is how the standard defines ADD (a store
    without MOVE is unlikely to have ADD), in one request so the store runs it as one unit."""
    try:
        client.send("POST", update_endpoint, f"MOVE <{tmp}> TO <{graph}>".encode(), UPDATE)
    except _Refused as exc:
        if exc.status not in (400, 501):
            raise
        fallback = (f"DROP SILENT GRAPH <{graph}> ;\n"
                    f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{tmp}> {{ ?s ?p ?o }} }} ;\n"
                    f"DROP SILENT GRAPH <{tmp}>")
        try:
            client.send("POST", update_endpoint, fallback.encode(), UPDATE)
        except _Refused as again:
            raise _Refused(f"the endpoint cannot move a graph into place: MOVE refused ({exc}), "
                           f"DROP + INSERT … WHERE refused ({again})", again.status) from None


def _cleanup(client: _Client, update_endpoint: str, tmp: str) -> str:
    try:
        client.send("POST", update_endpoint, f"DROP SILENT GRAPH <{tmp}>".encode(), UPDATE)
        return f"temporary graph <{tmp}> removed"
    except KgError as exc:
        return f"temporary graph <{tmp}> may be left there, remove it with DROP SILENT GRAPH <{tmp}> ({exc})"


def push(trig: Path, endpoint: str, graph: str = DEFAULT_GRAPH, protocol: str = "gsp", batch_size: int = 50_000,
         auth: str | None = None, progress: Callable[[int], None] | None = None,
         update_endpoint: str | None = None, timeout: float = 120.0) -> int:
    """Replace `graph` at `endpoint` with every triple of graph.trig, all or nothing; returns the
    triples sent. `update_endpoint` is the SPARQL Update endpoint that moves the loaded graph into
    place (default: `endpoint` with protocol update; required with gsp)."""
    if not Path(trig).is_file():
        raise KgError(f"{trig}: no graph to push (run `kg build` first)")
    if protocol not in ("gsp", "update"):
        raise UsageError(f"unknown protocol {protocol!r} (gsp or update)")
    try:
        ox.NamedNode(graph)
    except ValueError as exc:
        raise UsageError(f"--graph {graph!r}: not a valid IRI ({exc})") from None
    _check_url(endpoint, "--endpoint")
    if protocol == "update":
        update_endpoint = update_endpoint or endpoint
    elif not update_endpoint:
        raise UsageError("--protocol gsp loads into a temporary graph and needs a SPARQL Update endpoint to move it "
                         "into place: give --update-endpoint (Oxigraph: http://HOST:7878/update, Fuseki: .../DATASET/update, "
                         "Virtuoso: .../sparql-auth), or use --protocol update")
    _check_url(update_endpoint, "--update-endpoint")
    client = _Client([endpoint, update_endpoint], auth, timeout)
    tmp = f"{graph}.push-{uuid.uuid4().hex}"
    gsp_url = f"{endpoint}?{urllib.parse.urlencode({'graph': tmp})}"

    sent = attempts = 0
    try:
        for n, batch in enumerate(_batches(Path(trig), batch_size)):
            data = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
            attempts += 1
            if protocol == "gsp":
                client.send("PUT" if n == 0 else "POST", gsp_url, data, "application/n-triples")
            else:
                client.send("POST", endpoint, b"INSERT DATA { GRAPH <" + tmp.encode() + b"> { " + data + b" } }", UPDATE)
            sent += len(batch)
            if progress:
                progress(sent)
    except (KgError, SyntaxError, KeyboardInterrupt) as exc:
        if isinstance(exc, SyntaxError):
            reason = f"{trig} is not valid TriG: {' '.join(str(exc).split())}"
        else:
            reason = str(exc) if isinstance(exc, KgError) else "interrupted"
        if attempts == 0 or (attempts == 1 and isinstance(exc, (_Unreachable, _Refused))):
            state = "nothing was written"  # a refused request was not carried out
        else:
            state = _cleanup(client, update_endpoint, tmp)
        raise KgError(f"push failed after loading {sent:,} triples into a temporary graph ({reason}); "
                      f"the remote graph <{graph}> is unchanged; {state}") from None
    if sent == 0:
        raise KgError(f"{trig}: holds no triple; nothing pushed, the remote graph <{graph}> is unchanged")

    try:
        _move(client, update_endpoint, tmp, graph)
    except _Refused as exc:
        raise KgError(f"push failed at the move into place ({exc}); the remote graph <{graph}> is unchanged; "
                      f"{_cleanup(client, update_endpoint, tmp)}") from None
    except KgError as exc:
        raise KgError(f"push failed at the move into place ({exc}); the remote graph <{graph}> may be unchanged "
                      f"or replaced, query it to know; {_cleanup(client, update_endpoint, tmp)}") from None
    return sent
