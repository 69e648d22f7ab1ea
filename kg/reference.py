"""Reference data both the extractor and the graph read: Chongqing's areas with their division
codes, the target-group scheme and the sector scheme, from the ontology folder.

Closed public sets, credited in ontology/SOURCES.md. Each table is parsed once per process.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.errors import KgError
from kg.namespaces import MS, MSR
from kg.paths import ontology_dir

AREA_LEVELS = {MS.Municipality: "Municipality", MS.District: "District",
               MS.Subdistrict: "Subdistrict", MS.Community: "Community"}


def parse_ontology_file(name: str, graph: Graph | None = None) -> Graph:
    """The triples of ontology/NAME added to `graph` (a new Graph if none). Read with Oxigraph's
    Turtle parser, half the time of rdflib's; the file's @prefix lines are not bound on the graph."""
    graph = Graph() if graph is None else graph
    path = ontology_dir() / name
    try:
        triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        blank: dict[str, BNode] = {}  # a blank node label names one node within its file only, as in rdflib
        for t in triples:
            graph.add((_rdflib_term(t.subject, blank), _rdflib_term(t.predicate, blank), _rdflib_term(t.object, blank)))
    except FileNotFoundError:
        raise KgError(f"{path}: reference file missing (is the ontology folder complete?)") from None
    except SyntaxError as exc:
        raise KgError(f"{path}: not valid Turtle: {exc}") from None
    return graph


def _rdflib_term(term, blank: dict):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return blank.setdefault(term.value, BNode())
    if term.language:
        return Literal(term.value, lang=term.language)
    # Oxigraph gives a plain literal xsd:string, rdflib no datatype (an explicit ^^xsd:string, which
    # the ontology never writes, would lose it)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


_XSD_STRING = str(XSD.string)


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
    graph = parse_ontology_file("areas.ttl")
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


@lru_cache(maxsize=None)
def sector_labels() -> dict[str, str]:
    """Sector key -> Chinese label, from ontology/sectors.ttl."""
    graph = parse_ontology_file("sectors.ttl")
    prefix = str(MSR["sector/"])
    return {
        str(s)[len(prefix):]: str(o)
        for s, o in graph.subject_objects(RDFS.label)
        if str(s).startswith(prefix)
    }


@dataclass(frozen=True)
class GroupTerm:
    label: str
    broader: str | None
    aliases: tuple[str, ...]


@lru_cache(maxsize=None)
def target_groups() -> dict[str, GroupTerm]:
    """Surface form -> target-group term, from ontology/target-groups.tsv."""
    path = ontology_dir() / "target-groups.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    by_surface: dict[str, GroupTerm] = {}
    for row in rows:
        aliases = tuple(a for a in (row.get("altLabels") or "").split(";") if a)
        term = GroupTerm(row["label"], row.get("broader") or None, aliases)
        for surface in (term.label, *aliases):
            by_surface.setdefault(surface, term)
    return by_surface


@lru_cache(maxsize=1)
def other_provinces() -> dict[str, str]:
    """Full and short name of each of China's other provincial-level divisions -> its full name,
    from ontology/other-provinces.tsv: an article that names one and never 重庆 speaks for it."""
    with (ontology_dir() / "other-provinces.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return {name: row["name"] for row in rows for name in (row["name"], row["short"])}
