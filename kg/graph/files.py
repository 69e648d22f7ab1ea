"""Reading graph files a user names on the command line (Turtle or TriG)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import KgError
from kg.namespaces import bind_prefixes

FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".rdf": "xml", ".jsonld": "json-ld"}


def read_graph(path: Path) -> Graph:
    """All triples of a graph file, named graphs merged; one-line KgError on a bad file."""
    path = Path(path)
    if not path.is_file():
        raise KgError(f"{path}: no such graph file (run `kg build` first?)")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise KgError(f"{path}: unknown graph format (expected one of {', '.join(FORMATS)})")
    try:
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(path, format=fmt)
            graph = Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph = Graph().parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser types; the user needs the file and the message
        message = " ".join(str(exc).split())
        raise KgError(f"{path}: not valid {fmt}: {message[:300]}") from None
    bind_prefixes(graph)
    return graph
