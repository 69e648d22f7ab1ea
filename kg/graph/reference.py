"""The reference data every graph starts from: the ontology, the two concept schemes and the areas.

Parsed once per process (lru_cache). `load_reference()` hands out a copy, so callers may add to
it; code that only reads uses `reference_graph()` and must not modify it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.errors import KgError
from kg.namespaces import MS, bind_prefixes
from kg.paths import ontology_dir

#: The files merged into the reference graph (shapes.ttl is not data, the validator reads it).
REFERENCE_FILES = ("minsheng.ttl", "sectors.ttl", "target-groups.ttl", "areas.ttl")
AREA_LEVELS = {MS.Municipality: "Municipality", MS.District: "District",
               MS.Subdistrict: "Subdistrict", MS.Community: "Community"}


def _parse(name: str, graph: Graph | None = None) -> Graph:
    graph = Graph() if graph is None else graph
    path = ontology_dir() / name
    try:
        return graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise KgError(f"{path}: reference file missing (is the ontology folder complete?)") from None


@lru_cache(maxsize=1)
def reference_graph() -> Graph:
    """The shared, read-only reference graph."""
    graph = Graph()
    bind_prefixes(graph)
    for name in REFERENCE_FILES:
        _parse(name, graph)
    return graph


def load_reference() -> Graph:
    """Ontology + sectors + target groups + areas, as a fresh Graph the caller owns."""
    graph = Graph()
    bind_prefixes(graph)
    for triple in reference_graph():
        graph.add(triple)
    return graph


@dataclass(frozen=True)
class AreaRecord:
    iri: URIRef
    code: str
    level: str  # Municipality, District, Subdistrict
    label: str
    short_names: tuple[str, ...]  # ms:shortName values (each also a skos:altLabel)
    parent_code: str | None


@lru_cache(maxsize=1)
def areas_table() -> tuple[AreaRecord, ...]:
    """Every reference area of ontology/areas.ttl, sorted by division code.

    Parses areas.ttl alone (not the whole reference) since the extractor calls it at start-up.
    """
    graph = _parse("areas.ttl")
    codes = {s: str(o) for s, o in graph.subject_objects(MS.divisionCode)}
    records = []
    for node, code in codes.items():
        level = next(AREA_LEVELS[c] for c in graph.objects(node, RDF.type) if c in AREA_LEVELS)
        shorts = {str(o) for o in graph.objects(node, MS.shortName)}
        shorts |= {str(o) for o in graph.objects(node, SKOS.altLabel)}
        parent = graph.value(node, MS.partOf)
        records.append(AreaRecord(node, code, level, str(graph.value(node, RDFS.label)),
                                  tuple(sorted(shorts)), codes.get(parent)))
    return tuple(sorted(records, key=lambda r: r.code))
