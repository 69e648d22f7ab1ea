"""Loading the graph into a remote SPARQL 1.1 store that the user's institution runs.

Two standard ways: the Graph Store Protocol (PUT the first batch to ?graph=IRI, which replaces
that named graph, then POST the rest) or SPARQL Update (DROP SILENT GRAPH, then INSERT DATA in
batches). Either way re-pushing replaces the named graph the project owns: idempotent.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox

from kg.errors import KgError

DEFAULT_GRAPH = "https://w3id.org/minsheng-kg/id/graph/main"


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


def _opener(url: str, auth: str | None) -> urllib.request.OpenerDirector:
    """Credentials answer the server's challenge, Basic (Fuseki, GraphDB) or Digest (Virtuoso's
    /sparql-auth). Not sent up front: a Basic header sent first makes urllib fail the Digest retry."""
    if not auth:
        return urllib.request.build_opener()
    user, _, password = auth.partition(":")
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, user, password)
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                       urllib.request.HTTPDigestAuthHandler(passwords))


def _send(method: str, url: str, body: bytes, content_type: str, auth: str | None) -> None:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
    try:
        with _opener(url, auth).open(request, timeout=120) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read().decode("utf-8", "replace").split())[:200]
        raise KgError(f"{url}: HTTP {exc.code} {exc.reason}: {detail}") from None
    except urllib.error.URLError as exc:
        raise KgError(f"{url}: cannot connect ({exc.reason})") from None


def push(trig: Path, endpoint: str, graph: str = DEFAULT_GRAPH, protocol: str = "gsp", batch_size: int = 50_000,
         auth: str | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Replace `graph` at `endpoint` with every triple of graph.trig; returns the triples sent."""
    if not Path(trig).is_file():
        raise KgError(f"{trig}: no graph to push (run `kg build` first)")
    if protocol not in ("gsp", "update"):
        raise KgError(f"unknown protocol {protocol!r} (gsp or update)")
    sent = 0
    if protocol == "update":
        _send("POST", endpoint, f"DROP SILENT GRAPH <{graph}>".encode(), "application/sparql-update", auth)
    for n, batch in enumerate(_batches(Path(trig), batch_size)):
        data = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
        if protocol == "gsp":
            url = f"{endpoint}?{urllib.parse.urlencode({'graph': graph})}"
            _send("PUT" if n == 0 else "POST", url, data, "application/n-triples", auth)
        else:
            body = b"INSERT DATA { GRAPH <" + graph.encode() + b"> { " + data + b" } }"
            _send("POST", endpoint, body, "application/sparql-update", auth)
        sent += len(batch)
        if progress:
            progress(sent)
    return sent
