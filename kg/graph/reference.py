"""The reference data every graph starts from: the ontology, the two concept schemes and the areas.

Parsed once per process (lru_cache). `load_reference()` hands out a copy, so callers may add to
it; code that only reads uses `reference_graph()` and must not modify it.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from kg.namespaces import bind_prefixes
from kg.reference import parse_ontology_file

#: The files merged into the reference graph (shapes.ttl is not data, the validator reads it).
REFERENCE_FILES = ("minsheng.ttl", "sectors.ttl", "target-groups.ttl", "areas.ttl")


@lru_cache(maxsize=1)
def reference_graph() -> Graph:
    """The shared, read-only reference graph."""
    graph = Graph()
    bind_prefixes(graph)
    for name in REFERENCE_FILES:
        parse_ontology_file(name, graph)
    return graph


def load_reference() -> Graph:
    """Ontology + sectors + target groups + areas, as a fresh Graph the caller owns."""
    graph = Graph()
    bind_prefixes(graph)
    for triple in reference_graph():
        graph.add(triple)
    return graph
