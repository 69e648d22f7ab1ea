"""Scores a built graph against gold pages: precision, recall and F1 per class and link type.

Only what the graph says about the gold pages' own articles is scored. An entity matches a
gold entity of the same class when any of its names (label or altLabel) equals any gold name
after normalization; matching is one-to-one. A link matches when both its ends map to the
gold entities of the link (holdsPost compares official, post title and organization).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.eval.gold import CLASSES, PREDICATES, GoldPage, norm, post_key
from kg.namespaces import MS, MSR

AREA_TYPES = (MS.Municipality, MS.District, MS.Subdistrict, MS.Community, MS.AdministrativeArea)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class EvalReport:
    pages: list[str]
    entities: dict[str, Score]
    links: dict[str, Score]
    indicators: Score

    def overall(self, kind: str) -> Score:
        total = Score()
        for s in (self.entities if kind == "entities" else self.links).values():
            total.add(s)
        return total


def _class_of(graph: Graph, node) -> str | None:
    types = set(graph.objects(node, RDF.type))
    if types & set(AREA_TYPES):
        return "AdministrativeArea"
    for cls in CLASSES:
        if MS[cls] in types:
            return cls
    return None


def _names(graph: Graph, node) -> set[str]:
    return {norm(str(n)) for p in (RDFS.label, SKOS.altLabel) for n in graph.objects(node, p)}


def _label(graph: Graph, node) -> str:
    return str(graph.value(node, RDFS.label) or node)


def score(graph: Graph, pages: list[GoldPage]) -> EvalReport:
    entities = {c: Score() for c in CLASSES}
    links = {p: Score() for p in PREDICATES}
    indicators = Score()
    for page in pages:
        _score_page(graph, page, entities, links, indicators)
    return EvalReport([p.source for p in pages], entities, links, indicators)


def _score_page(graph: Graph, page: GoldPage, entities, links, indicators) -> None:
    stem = page.source.rsplit(".", 1)[0]
    prefix = str(MSR[f"article/{stem}-"])
    articles = {a for a in graph.subjects(RDF.type, MS.Article) if str(a).startswith(prefix)}
    predicted: dict[str, list[URIRef]] = defaultdict(list)
    for node in {s for a in articles for s in graph.subjects(MS.mentionedIn, a)}:
        cls = _class_of(graph, node)
        if cls:
            predicted[cls].append(node)

    # one-to-one entity matching, per class
    mapping: dict[URIRef, str] = {}
    for cls in CLASSES:
        gold = [e for e in page.entities if e.cls == cls]
        used: set[int] = set()
        score = entities[cls]
        for node in sorted(predicted[cls], key=str):
            names = _names(graph, node)
            hit = next((i for i, e in enumerate(gold) if i not in used and e.names & names), None)
            if hit is None:
                score.fp += 1
                score.false_positives.append(f"{page.source}: {_label(graph, node)}")
            else:
                used.add(hit)
                mapping[node] = gold[hit].label
                score.tp += 1
        for i, e in enumerate(gold):
            if i not in used:
                score.fn += 1
                score.false_negatives.append(f"{page.source}: {e.label}")

    # links with evidence from this page's articles
    found: set[tuple[str, str, str]] = set()
    for ev in graph.subjects(RDF.type, MS.Evidence):
        if graph.value(ev, PROV.wasDerivedFrom) not in articles:
            continue
        p = graph.value(ev, RDF.predicate)
        name = str(p).rsplit("#", 1)[-1]
        if name not in PREDICATES:
            continue
        s, o = graph.value(ev, RDF.subject), graph.value(ev, RDF.object)
        s_name = mapping.get(s, f"?{_label(graph, s)}")
        if name == "holdsPost":
            org = graph.value(o, MS.postIn)
            org_name = mapping.get(org, f"?{_label(graph, org)}")
            o_name = post_key(str(graph.value(o, MS.postTitle)), org_name)
        else:
            o_name = mapping.get(o, f"?{_label(graph, o)}")
        found.add((s_name, name, o_name))
    for name in PREDICATES:
        gold = {l for l in page.links if l[1] == name}
        pred = {l for l in found if l[1] == name}
        s = links[name]
        s.tp += len(gold & pred)
        s.fp += len(pred - gold)
        s.fn += len(gold - pred)
        s.false_positives += [f"{page.source}: {a} → {c}" for a, _, c in sorted(pred - gold)]
        s.false_negatives += [f"{page.source}: {a} → {c}" for a, _, c in sorted(gold - pred)]

    # indicators: value and unit
    gold_ind = [(_decimal(i["value"]), norm(i["unit"])) for i in page.indicators]
    pred_ind = [(_decimal(str(graph.value(n, MS.value))), norm(str(graph.value(n, MS.unit))))
                for n in graph.subjects(RDF.type, MS.Indicator) if graph.value(n, PROV.wasDerivedFrom) in articles]
    remaining = list(gold_ind)
    for key in pred_ind:
        if key in remaining:
            remaining.remove(key)
            indicators.tp += 1
        else:
            indicators.fp += 1
            indicators.false_positives.append(f"{page.source}: {key[0]} {key[1]}")
    indicators.fn += len(remaining)
    indicators.false_negatives += [f"{page.source}: {v} {u}" for v, u in remaining]


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value).normalize()
    except (InvalidOperation, TypeError):
        return None


def format_report(report: EvalReport, show_errors: bool = False) -> str:
    head = f"{'':<22}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"
    lines = [f"gold pages: {', '.join(report.pages)}", "", "entities" + head[8:]]

    def row(name: str, s: Score) -> str:
        return f"  {name:<20}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}"

    lines += [row(c, s) for c, s in report.entities.items()]
    lines.append(row("all entities", report.overall("entities")))
    lines.append(row("Indicator", report.indicators))
    lines += ["", "links" + head[5:]]
    lines += [row(p, s) for p, s in report.links.items()]
    lines.append(row("all links", report.overall("links")))
    if show_errors:
        for title, scores in (("entities", report.entities), ("links", report.links), ("indicators", {"Indicator": report.indicators})):
            for name, s in scores.items():
                for kind, items in (("FP", s.false_positives), ("FN", s.false_negatives)):
                    for item in items:
                        lines.append(f"{kind} {name}: {item}")
    return "\n".join(lines)
