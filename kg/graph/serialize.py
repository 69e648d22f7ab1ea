"""Fast Turtle/TriG output: rdflib's serializers take seconds on a large graph, Oxigraph's
milliseconds. Terms are converted once, sorted, and blank nodes (the ontology's owl:unionOf
classes and lists) relabelled from what they hold, so that the same graph gives the same bytes:
rdflib's parser names them at random."""

from __future__ import annotations

import hashlib

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


def stable_bnodes(quads) -> dict[BNode, BNode]:
    """A label for every blank node of (s, p, o, g) quads that depends only on the quads: colour
    refinement (each node's colour hashes its edges and its neighbours' colours) until the
    partition stops splitting. Nodes no round tells apart are interchangeable in trees like the
    ontology's, so numbering them in either order gives the same file."""
    edges: dict[BNode, list] = {}
    for s, p, o, g in quads:
        for node, edge in ((s, ("out", p, o, g)), (o, ("in", p, s, g))):
            if isinstance(node, BNode):
                edges.setdefault(node, []).append(edge)
    if not edges:
        return {}
    colour = dict.fromkeys(edges, "")
    for _ in range(len(edges)):
        new = {n: hashlib.sha256(repr(sorted((d, str(p), colour.get(x, str(x)), str(g)) for d, p, x, g in es))
                                 .encode()).hexdigest()[:20] for n, es in edges.items()}
        settled = len(set(new.values())) == len(set(colour.values()))
        colour = new
        if settled:
            break
    labels, seen = {}, {}
    for node in sorted(edges, key=lambda n: colour[n]):
        c = colour[node]
        seen[c] = seen.get(c, -1) + 1
        labels[node] = BNode(f"b{c}x{seen[c]}" if seen[c] else f"b{c}")
    return labels


def _relabel(term, labels):
    return labels.get(term, term) if isinstance(term, BNode) else term


def _sort_key(triple) -> tuple:
    return tuple(str(t) for t in triple)


# msr: stays unprefixed: its local names hold "/", which Turtle would have to escape (msr:area\/500102).
_PREFIXES = {k: str(v) for k, v in PREFIXES.items() if k != "msr"}


def _graph_name(graph):
    name = getattr(graph, "identifier", graph)
    return None if name in (None, DATASET_DEFAULT_GRAPH_ID) else name


def turtle_bytes(triples) -> bytes:
    """Turtle of a Graph or any iterable of (s, p, o)."""
    triples = list(triples)
    labels = stable_bnodes((s, p, o, None) for s, p, o in triples)
    if labels:
        triples = [tuple(_relabel(t, labels) for t in triple) for triple in triples]
    triples = sorted(triples, key=_sort_key)
    return ox.serialize((ox.Triple(*map(_term, t)) for t in triples), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)


def trig_bytes(ds: Dataset) -> bytes:
    quads = [(s, p, o, _graph_name(g)) for s, p, o, g in ds.quads((None, None, None, None))]
    labels = stable_bnodes(quads)
    if labels:
        quads = [tuple(_relabel(t, labels) for t in quad) for quad in quads]
    quads.sort(key=lambda q: (str(q[3] or ""), *_sort_key(q[:3])))
    return ox.serialize(
        (ox.Quad(_term(s), _term(p), _term(o), ox.DefaultGraph() if g is None else _term(g)) for s, p, o, g in quads),
        format=ox.RdfFormat.TRIG, prefixes=_PREFIXES)
