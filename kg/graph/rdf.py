"""Turns extraction results into RDF: the merged graph and one named graph per article.

The default graph holds everything (the same triples as graph.ttl): the reference data
(ontology, schemes, areas), every entity with its one rdfs:label and its skos:altLabels, the
articles, every link with its ms:Evidence node, the indicators. Each article's named graph
repeats what the article claims, the links taken from it and its indicators, so a user can ask
for one article's graph with GRAPH. The evidence nodes stay in the default graph only (they
name their article with prov:wasDerivedFrom): repeating them would double the store for no
new answer.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.reference import areas_table
from kg.extract.model import ArticleResult, Entity, EntityKey, Evidence
from kg.graph import iri
from kg.namespaces import MS
from kg.schema import AREA_LEVELS, ENTITY_CLASSES



def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _date(value: str) -> Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}.get(len(value))
    return Literal(value, datatype=datatype) if datatype else Literal(value)


class GraphWriter:
    """Accumulates articles' results, with stable IRIs, into the default graph and one set of
    triples per article's named graph. Both are plain sets of triples: the files and the store
    take them as they are (kg.graph.serialize), and only what queries the graph (the views) pays
    for an indexed rdflib Graph, `graph()`: adding to one took half of kg build's serial time
    after extraction on the national reports."""

    def __init__(self, reference: Graph):
        self.default: set[tuple] = set(reference)
        self.named: dict[URIRef, set] = {}
        # what _entity asks of the default graph, kept as it is written instead of looked up
        self.labels: dict[URIRef, set[str]] = {}
        for s, o in reference.subject_objects(RDFS.label):
            self.labels.setdefault(s, set()).add(str(o))
        self.in_scheme: set[URIRef] = set(reference.subjects(SKOS.inScheme))

    def node(self, entity: Entity) -> URIRef:
        a = entity.attrs
        if entity.cls == "AdministrativeArea":
            return iri.community(a["parent"], entity.label) if a.get("level") == "Community" else iri.area(a["code"])
        if entity.cls == "Post":
            return iri.post(a["org"], a["title"])
        if entity.cls == "Sector":
            return iri.sector(a["sector"])
        return {"Program": iri.program, "Organization": iri.organization, "Official": iri.official,
                "TargetGroup": iri.target_group}[entity.cls](entity.label)

    def add(self, results: list[ArticleResult], mapping: dict[EntityKey, EntityKey]) -> None:
        """Write the articles' entities, links and indicators; `mapping` (kg.resolve) names the one
        node each entity key is."""
        merged: dict[EntityKey, Entity] = {}
        for result in results:
            for key, entity in result.entities.items():
                canon = mapping.get(key, key)
                target = merged.setdefault(canon, Entity(entity.cls, canon[1], set(), dict(entity.attrs)))
                target.aliases |= entity.aliases | ({entity.label} - {canon[1]})
        nodes = {key: self.node(entity) for key, entity in merged.items()}
        for key, entity in merged.items():
            self._entity(nodes[key], entity, nodes, merged)
        for result in results:
            self._article(result, {k: nodes[mapping.get(k, k)] for k in result.entities}, nodes)

    def _entity(self, node: URIRef, entity: Entity, nodes, merged) -> None:
        g = self.default
        if entity.cls == "AdministrativeArea":
            g.add((node, RDF.type, AREA_LEVELS[entity.attrs["level"]]))
        else:
            g.add((node, RDF.type, ENTITY_CLASSES[entity.cls]))
        if entity.cls in ("TargetGroup", "Sector"):
            g.add((node, RDF.type, SKOS.Concept))
        existing = self.labels.get(node)
        if existing is None:
            g.add((node, RDFS.label, zh(entity.label)))
            existing = self.labels[node] = {entity.label}
        for alias in sorted(entity.aliases):
            if alias and alias not in existing:
                g.add((node, SKOS.altLabel, zh(alias)))
        if entity.cls == "Post":
            g.add((node, MS.postTitle, zh(entity.attrs["title"])))
            g.add((node, MS.postIn, nodes[("Organization", entity.attrs["org"])]))
        if entity.cls == "TargetGroup" and node not in self.in_scheme:
            g.add((node, SKOS.inScheme, MS.TargetGroupScheme))
            self.in_scheme.add(node)
            if entity.attrs.get("broader"):  # a group the text narrowed from a scheme term
                g.add((node, SKOS.broader, iri.target_group(entity.attrs["broader"])))

    def _article(self, result: ArticleResult, nodes: dict[EntityKey, URIRef], all_nodes) -> None:
        art = iri.article(result.article_id)
        g, named = self.default, self.named.setdefault(art, set())
        g.add((art, RDF.type, MS.Article))
        g.add((art, DCTERMS.title, zh(result.title)))
        g.add((art, DCTERMS.source, Literal(result.source_path)))
        if result.date:
            g.add((art, DCTERMS.date, _date(result.date)))
        if result.publisher:
            g.add((art, DCTERMS.publisher, zh(result.publisher)))
        for author in result.authors:
            g.add((art, DCTERMS.creator, zh(author)))
        for key in result.mentioned:
            g.add((nodes[key], MS.mentionedIn, art))
        for link in result.links:
            s, p, o = nodes[link.subject], MS[link.predicate], nodes[link.object]
            g.add((s, p, o))
            named.add((s, p, o))
            self._evidence(iri.evidence(s, p, o, result.article_id, link.evidence.start), art, link.evidence, (s, p, o))
        for ind in result.indicators:
            node = iri.indicator(result.article_id, ind.metric, ind.value, ind.unit, ind.evidence.start)
            measured = nodes.get(ind.measures) or self._area_by_label(ind.measures)
            triples = [
                (node, RDF.type, MS.Indicator),
                (node, RDFS.label, zh(f"{ind.metric} {ind.surface}" + (f" ({ind.period})" if ind.period else ""))),
                (node, MS.metric, zh(ind.metric)),
                (node, MS.value, Literal(ind.value, datatype=XSD.decimal)),
                (node, MS.unit, zh(ind.unit)),
                (node, PROV.wasDerivedFrom, art),
                (node, MS.sentence, zh(ind.evidence.text)),
                (node, MS.start, Literal(ind.evidence.start)),
                (node, MS.end, Literal(ind.evidence.end)),
                (node, MS.mentionedIn, art),
            ]
            if ind.period:
                triples.append((node, MS.period, Literal(ind.period)))
            triples.append((node, MS.isTarget, Literal(ind.is_target)))
            if measured is not None:
                triples.append((node, MS.measures, measured))
            for t in triples:
                g.add(t)
                named.add(t)

    @staticmethod
    def _area_by_label(key: EntityKey | None) -> URIRef | None:
        if key is None or key[0] != "AdministrativeArea":
            return None
        ref = next((a for a in areas_table() if a.label == key[1]), None)
        return iri.area(ref.code) if ref else None

    def _evidence(self, node: URIRef, art: URIRef, ev: Evidence, triple) -> None:
        s, p, o = triple
        for t in [
            (node, RDF.type, MS.Evidence), (node, RDF.type, PROV.Entity),
            (node, RDF.subject, s), (node, RDF.predicate, p), (node, RDF.object, o),
            (node, PROV.wasDerivedFrom, art), (node, MS.sentence, zh(ev.text)),
            (node, MS.start, Literal(ev.start)), (node, MS.end, Literal(ev.end)),
        ]:
            self.default.add(t)

    def merged_triples(self) -> set[tuple]:
        """Everything as one set of triples (graph.ttl): the default graph already holds it all."""
        return self.default

    def graph(self) -> Graph:
        """The default graph as an indexed rdflib Graph, for what queries it (the views). Its
        SimpleMemory store keeps no contexts: adding and looking up take half the time of a
        Dataset's. No prefixes bound: a graph with a namespace manager is in a reference cycle with
        it, so only a full collection would free it (kg build frees it by dropping it)."""
        graph = Graph(store="SimpleMemory")
        for triple in self.default:
            graph.add(triple)
        return graph

    def quads(self):
        """(s, p, o, graph) of the dataset (graph.trig): the default graph's with None, then each
        article's named graph's."""
        for s, p, o in self.default:
            yield s, p, o, None
        for art, triples in self.named.items():
            for s, p, o in triples:
                yield s, p, o, art
