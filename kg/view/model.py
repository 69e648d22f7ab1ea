"""The knowledge graph as a networkx MultiDiGraph: the shape every view and export starts from.

Nodes are entities, keyed by IRI, with the attributes

    iri, label, class (Program | AdministrativeArea | Official | Organization | TargetGroup |
    Sector | Post | Indicator), level (Municipality | District | Subdistrict | Community for
    areas, "" otherwise), aliases (skos:altLabel, sorted), articles (titles of the articles that
    mention it, by date), article_iris (the same articles' IRIs)

and for indicators also metric, value, unit, period. Edges are links, keyed by their type
(`G.edges[s, o, "runBy"]`), with the attributes

    link ("runBy"), predicate (the property IRI), evidence (a list of dicts: sentence,
    article (title), article_iri, date, start, end; empty for reference links such as partOf)

Articles themselves are not nodes; `G.graph["articles"]` maps each article IRI to its title and
date. Which entities are nodes: every entity an article mentions, every end of a link with
evidence, and the parent areas of those areas (so the district hierarchy stays connected);
reference areas and scheme concepts that no article names are left out.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.namespaces import MS
from kg.schema import AREA_LEVELS, ENTITY_CLASSES, LINKS as SCHEMA_LINKS

#: The entity classes a node can have, in legend order.
CLASSES = tuple(ENTITY_CLASSES)

_CLASS_OF = {term: c for c, term in ENTITY_CLASSES.items()}
_LEVEL_OF = {term: level for level, term in AREA_LEVELS.items()}

#: Link types that become edges: name -> property. mentionedIn is not an edge (articles are
#: attributes); postIn and skos:broader are, so posts hang off their organization and target
#: groups off their broader group.
LINKS = {**SCHEMA_LINKS, "postIn": MS.postIn, "broader": SKOS.broader}


def _merged(graph) -> Graph:
    """All triples of a graph, a dataset (every named graph) or a graph file."""
    if isinstance(graph, (str, Path)):
        from kg.graph.files import read_graph

        return read_graph(Path(graph))
    if isinstance(graph, Dataset):
        merged = Graph()
        for s, p, o, _ in graph.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    return graph


def _text(value) -> str:
    return str(value) if value is not None else ""


def _best_literal(values) -> str:
    """One label among several: Chinese first, then the shortest, then alphabetical."""
    values = [v for v in values if isinstance(v, Literal)]
    if not values:
        return ""
    return str(min(values, key=lambda v: (v.language not in ("zh", "zh-cn", "zh-hans"), len(str(v)), str(v))))


def _local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def to_networkx(graph) -> nx.MultiDiGraph:
    """The graph (an rdflib Graph or Dataset, or a path to graph.ttl / graph.trig) as a
    networkx MultiDiGraph of entities and links; see the module docstring for attributes."""
    g = _merged(graph)

    # articles: IRI -> title, date
    articles: dict[str, dict[str, str]] = {}
    for art in g.subjects(RDF.type, MS.Article):
        title = _best_literal(g.objects(art, DCTERMS.title)) or _local_name(str(art))
        date = min((str(d) for d in g.objects(art, DCTERMS.date)), default="")
        articles[str(art)] = {"title": title, "date": date}

    def article_order(iri: str):
        info = articles.get(iri, {"title": iri, "date": ""})
        return (info["date"], info["title"], iri)

    # entities and their class
    classes: dict[URIRef, str] = {}
    levels: dict[URIRef, str] = {}
    for s, _, o in g.triples((None, RDF.type, None)):
        if not isinstance(s, URIRef):
            continue
        if o in _LEVEL_OF:
            classes[s] = "AdministrativeArea"
            levels[s] = _LEVEL_OF[o]
        elif o in _CLASS_OF and s not in classes:
            classes[s] = _CLASS_OF[o]

    mentions: dict[URIRef, set[str]] = defaultdict(set)
    for s, _, art in g.triples((None, MS.mentionedIn, None)):
        if s in classes:
            mentions[s].add(str(art))

    # evidence: (s, p, o) -> [{sentence, article, article_iri, date, start, end}]
    evidence: dict[tuple, list[dict]] = defaultdict(list)
    for ev in g.subjects(RDF.type, MS.Evidence):
        s, p, o = g.value(ev, RDF.subject), g.value(ev, RDF.predicate), g.value(ev, RDF.object)
        if s is None or p is None or o is None:
            continue
        evidence[(s, p, o)].append(_evidence_record(g, ev, articles))
    for ind in (n for n, c in classes.items() if c == "Indicator"):  # an indicator is its own evidence
        record = _evidence_record(g, ind, articles)
        for target in g.objects(ind, MS.measures):
            evidence[(ind, MS.measures, target)].append(record)

    # which entities become nodes
    nodes: set[URIRef] = {n for n in classes if n in mentions or classes[n] in ("Indicator", "Post")}
    for s, _, o in evidence:
        if s in classes and o in classes:
            nodes.update((s, o))
    for n in list(nodes):
        if classes[n] == "Official":
            nodes.update(post for post in g.objects(n, MS.holdsPost) if post in classes)
    for n in list(nodes):  # parent areas, so the hierarchy stays connected
        if classes[n] == "AdministrativeArea":
            seen = {n}
            parent = g.value(n, MS.partOf)
            while parent is not None and parent in classes and parent not in seen:
                nodes.add(parent)
                seen.add(parent)
                parent = g.value(parent, MS.partOf)

    G = nx.MultiDiGraph()
    G.graph["articles"] = articles
    for n in sorted(nodes, key=str):
        arts = sorted(mentions.get(n, ()), key=article_order)
        label = _best_literal(g.objects(n, RDFS.label)) or _best_literal(g.objects(n, SKOS.prefLabel)) or _local_name(str(n))
        aliases = sorted({str(a) for a in g.objects(n, SKOS.altLabel)} | {str(a) for a in g.objects(n, MS.shortName)}
                         - {label})
        attrs = {
            "iri": str(n),
            "label": label,
            "class": classes[n],
            "level": levels.get(n, ""),
            "aliases": aliases,
            "articles": [articles[a]["title"] if a in articles else a for a in arts],
            "article_iris": arts,
        }
        if classes[n] == "Indicator":
            for key in ("metric", "value", "unit", "period"):
                attrs[key] = _text(g.value(n, MS[key]))
        G.add_node(str(n), **attrs)

    for name, prop in LINKS.items():
        for s, _, o in sorted(g.triples((None, prop, None))):  # the same graph, the same page
            if s in nodes and o in nodes and s != o:
                records = sorted(evidence.get((s, prop, o), ()),
                                 key=lambda r: (r["date"], r["article"], r["start"] if r["start"] is not None else -1))
                G.add_edge(str(s), str(o), key=name, link=name, predicate=str(prop), evidence=records)
    return G


def _evidence_record(g: Graph, node, articles: dict) -> dict:
    art = g.value(node, PROV.wasDerivedFrom)
    info = articles.get(str(art), {"title": _local_name(str(art)) if art is not None else "", "date": ""})

    def number(term):
        value = g.value(node, term)
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    return {
        "sentence": _best_literal(g.objects(node, MS.sentence)),
        "article": info["title"],
        "article_iri": str(art) if art is not None else "",
        "date": info["date"],
        "start": number(MS.start),
        "end": number(MS.end),
    }
