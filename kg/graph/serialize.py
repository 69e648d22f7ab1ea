"""Fast Turtle/TriG output: rdflib's serializers take seconds on a large graph, Oxigraph's
milliseconds. Terms are converted once, sorted so that the same graph gives the same file."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.namespaces import PREFIXES


_CACHE: dict = {}


def _term(term):
    """The Oxigraph term for an rdflib term; IRIs repeat thousands of times, so they are memoized."""
    if type(term) is URIRef:
        node = _CACHE.get(term)
        if node is None:
            node = _CACHE[term] = ox.NamedNode(str(term))
        return node
    return _convert(term)


def _convert(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _sort_key(triple) -> tuple:
    return tuple(str(t) for t in triple)


# msr: stays unprefixed: its local names hold "/", which Turtle would have to escape (msr:area\/500102).
_PREFIXES = {k: str(v) for k, v in PREFIXES.items() if k != "msr"}


def _graph_name(graph):
    name = getattr(graph, "identifier", graph)
    return None if name in (None, DATASET_DEFAULT_GRAPH_ID) else name


def turtle_bytes(triples) -> bytes:
    """Turtle of a Graph or any iterable of (s, p, o)."""
    triples = sorted(triples, key=_sort_key)
    return ox.serialize((ox.Triple(*map(_term, t)) for t in triples), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)


def trig_bytes(ds: Dataset) -> bytes:
    quads = sorted(((s, p, o, _graph_name(g)) for s, p, o, g in ds.quads((None, None, None, None))),
                   key=lambda q: (str(q[3] or ""), *_sort_key(q[:3])))
    return ox.serialize(
        (ox.Quad(_term(s), _term(p), _term(o), ox.DefaultGraph() if g is None else _term(g)) for s, p, o, g in quads),
        format=ox.RdfFormat.TRIG, prefixes=_PREFIXES)
