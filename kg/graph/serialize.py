"""Fast Turtle/TriG output: rdflib's serializers take seconds on a large graph, Oxigraph's
milliseconds. Terms are converted once, sorted, and blank nodes (the ontology's owl:unionOf
classes and lists) relabelled from what they hold, so that the same graph gives the same bytes:
rdflib's parser names them at random."""

from __future__ import annotations

import hashlib
import itertools

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from kg.namespaces import PREFIXES


class _Terms(dict):
    """Oxigraph terms for rdflib terms, for one write: IRIs and literals repeat thousands of times
    (and the named graphs repeat the default graph's triples), so each is converted once (and
    freed with the write, not kept for the process's life)."""

    def __call__(self, term):
        # a literal by its parts: rdflib's Literal equality ignores the case of language tags
        key = term if type(term) is URIRef else (type(term), str(term), getattr(term, "language", None),
                                                  getattr(term, "datatype", None))
        node = self.get(key)
        if node is None:
            node = self[key] = _convert(term)
        return node


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
    s, p, o = triple
    return str(s), str(p), str(o)


def _quad_sort_key(quad) -> tuple:
    """The default graph first, then the named graphs by name; within each, _sort_key's order."""
    s, p, o, g = quad
    return str(g or ""), str(s), str(p), str(o)


# msr: stays unprefixed: its local names hold "/", which Turtle would have to escape (msr:area\/500102).
_PREFIXES = {k: str(v) for k, v in PREFIXES.items() if k != "msr"}


def write_turtle(triples, path) -> None:
    """Turtle of a Graph or any iterable of (s, p, o), streamed into the file at `path`."""
    ox.serialize(_sorted_default(list(triples), _Terms()), str(path), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)


def write_trig(quads, path) -> None:
    """TriG of (s, p, o, graph name, None for the default graph) quads, streamed into the file at `path`."""
    quads = list(quads)
    labels = stable_bnodes(quads)
    if labels:  # a predicate or a graph name is never a blank node
        quads = [(_relabel(s, labels), p, _relabel(o, labels), g) for s, p, o, g in quads]
    quads.sort(key=_quad_sort_key)
    term = _Terms()
    ox.serialize(
        (ox.Quad(term(s), term(p), term(o)) if g is None else ox.Quad(term(s), term(p), term(o), term(g))
         for s, p, o, g in quads),
        str(path), format=ox.RdfFormat.TRIG, prefixes=_PREFIXES)


def write_graph_files(default, named: dict, ttl_path, trig_path, trig_written=None) -> None:
    """graph.ttl (the default graph) and graph.trig (the default graph, then each named graph of
    `named`: graph name -> triples): the bytes write_turtle and write_trig write, with the default
    graph relabelled, sorted and converted once for both files. graph.trig is written first and
    `trig_written()`, when given, called as soon as it is whole (kg build starts the store's load
    from it while graph.ttl is written)."""
    triples = list(default)
    if any(isinstance(t, BNode) for ts in named.values() for s, _, o in ts for t in (s, o)):
        # a named graph's blank nodes would change the default graph's labels in the TriG
        write_trig([(s, p, o, None) for s, p, o in triples]
                   + [(s, p, o, g) for g, ts in named.items() for s, p, o in ts], trig_path)
        if trig_written:
            trig_written()
        write_turtle(triples, ttl_path)
        return
    term = _Terms()
    converted = _sorted_default(triples, term)
    del triples
    # _quad_sort_key's order: the default graph ("" sorts first), then the named graphs by name
    in_named = ((g, sorted(ts, key=_sort_key)) for g, ts in sorted(named.items(), key=lambda item: str(item[0])))
    ox.serialize(
        itertools.chain(converted, (ox.Quad(term(s), term(p), term(o), term(g)) for g, ts in in_named for s, p, o in ts)),
        str(trig_path), format=ox.RdfFormat.TRIG, prefixes=_PREFIXES)
    if trig_written:
        trig_written()
    ox.serialize(converted, str(ttl_path), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)


def _sorted_default(triples: list, term: _Terms) -> list[ox.Quad]:
    """The triples with stable blank node labels, in _sort_key's order, as Oxigraph quads of the
    default graph (Turtle takes them as triples)."""
    labels = stable_bnodes((s, p, o, None) for s, p, o in triples)
    if labels:
        triples = [(_relabel(s, labels), p, _relabel(o, labels)) for s, p, o in triples]
    triples.sort(key=_sort_key)
    return [ox.Quad(term(s), term(p), term(o)) for s, p, o in triples]
