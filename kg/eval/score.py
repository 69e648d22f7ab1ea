"""Scores a graph against gold: precision, recall and F1 per class and link type.

The same rules as the reference scorer (tests/gold/score.py, a test keeps them equal):
- an entity counts only where it has `ms:mentionedIn`; it matches a gold entity when one of its
  names equals a gold form (strict) or one contains the other at half its length or more
  (lenient); a second node for one gold entity is a false positive (resolution failed);
- links match on (property, matched subject, matched object); `memberOf` is also implied by
  every post; `partOf` counts only between mentioned areas; sectors match by label;
- indicators match on value (within 0.5%) and unit; non-core gold items are neutral.
One difference, where the two would disagree: a sector matches by its label as the gold's rules
say, also where a gold entity lists the label as an alias (乡村振兴战略, alias 乡村振兴); the
reference scorer keys such an inSector object to that entity, so the link can never be found.
The seed gold has no such alias (the agreement test holds); the dev set has three.
Besides the figures, every miss and extra is kept by name for `kg eval --show-errors`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.eval.gold import CLASSES, LINKS, Gold, GoldEntity, norm
from kg.namespaces import MS
from kg.reference import sector_labels

SECTOR_LABELS = {norm(label) for label in sector_labels().values()}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    extras: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def p(self) -> float:
        return round(self.tp / (self.tp + self.fp), 3) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return round(self.tp / (self.tp + self.fn), 3) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0, self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return round(2 * p * r / (p + r), 3) if p + r else 0.0

    def figures(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "p": self.p, "r": self.r, "f1": self.f1}


@dataclass
class ModeReport:
    entities: dict[str, Score]
    links: dict[str, Score]           # LINKS and "ALL"
    scored_classes: tuple[str, ...]   # the classes the gold has core items of

    @property
    def entity_macro_f1(self) -> float:
        scored = [self.entities[c].f1 for c in self.scored_classes]
        return round(sum(scored) / len(scored), 3) if scored else 0.0


@dataclass
class Report:
    docs: list[str]
    strict: ModeReport
    lenient: ModeReport
    indicators: Score
    evidence_coverage: float

    def figures(self) -> dict:
        """The headline numbers, the shape tests/quality_floor.json stores."""
        return {
            "entity_macro_f1": self.lenient.entity_macro_f1,
            "link_f1": self.lenient.links["ALL"].f1,
            "indicator_f1": self.indicators.f1,
            "evidence_coverage": self.evidence_coverage,
            "classes": {c: self.lenient.entities[c].f1 for c in self.lenient.scored_classes},
            "links": {p: s.f1 for p, s in self.lenient.links.items() if p != "ALL" and s.tp + s.fn},
        }

    def to_json(self) -> dict:
        def mode(m: ModeReport) -> dict:
            return {"entities": {k: v.figures() for k, v in m.entities.items()},
                    "links": {k: v.figures() for k, v in m.links.items()}}
        return {"docs": self.docs, "strict": mode(self.strict), "lenient": mode(self.lenient),
                "indicators": self.indicators.figures(), "evidence_coverage": self.evidence_coverage,
                "entity_macro_f1_lenient": self.lenient.entity_macro_f1,
                "link_f1_lenient": self.lenient.links["ALL"].f1}


def score(graph: Graph, gold: Gold) -> Report:
    pred = _graph_entities(graph)
    modes = {}
    for mode in ("strict", "lenient"):
        mapping, entities = _match_entities(graph, pred, gold, mode == "lenient")
        scored = tuple(c for c in CLASSES if any(e.core for e in gold.entities[c]))
        modes[mode] = ModeReport(entities, _score_links(graph, gold, mapping), scored)
    return Report(gold.docs, modes["strict"], modes["lenient"], _score_indicators(graph, gold), _evidence_coverage(graph))


def _label(graph: Graph, node) -> str:
    return str(graph.value(node, RDFS.label) or node)


def _graph_entities(graph: Graph) -> dict[str, dict[URIRef, set[str]]]:
    mentioned = set(graph.subjects(MS.mentionedIn, None))
    subclasses = defaultdict(set)
    for s, o in graph.subject_objects(RDFS.subClassOf):
        subclasses[o].add(s)
    out = {}
    for cls, names in CLASSES.items():
        types = {MS[n] for n in names}
        frontier = list(types)
        while frontier:  # subclasses the graph declares count too
            for sub in subclasses.get(frontier.pop(), ()):
                if sub not in types:
                    types.add(sub)
                    frontier.append(sub)
        nodes = {n for t in types for n in graph.subjects(RDF.type, t)}
        if mentioned:  # reference areas count only where an article mentions them
            nodes &= mentioned
        out[cls] = {n: {norm(x) for p in (RDFS.label, SKOS.altLabel) for x in graph.objects(n, p)} - {""}
                    for n in nodes}
    return out


def _forms_match(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short) >= 2 and len(short) / len(long_) >= 0.5


def _best_match(forms: set[str], items: list[GoldEntity], lenient: bool) -> int | None:
    """The gold entity these forms name: an exact form first, then the closest containment."""
    for i, e in enumerate(items):
        if forms & e.forms:
            return i
    if not lenient:
        return None
    best, best_ratio = None, 0.0
    for i, e in enumerate(items):
        for a in forms:
            for b in e.forms:
                if a and b and _forms_match(a, b):
                    ratio = min(len(a), len(b)) / max(len(a), len(b))
                    if ratio > best_ratio:
                        best, best_ratio = i, ratio
    return best


def _match_entities(graph: Graph, pred, gold: Gold, lenient: bool):
    mapping: dict[URIRef, tuple[str, int | None]] = {}
    stats = {}
    for cls in CLASSES:
        items, s, found = gold.entities[cls], Score(), set()
        # sorted so that which of two nodes is "the second" does not depend on hash order
        for node in sorted(pred[cls], key=str):
            hit = _best_match(pred[cls][node], items, lenient)
            mapping[node] = (cls, hit)
            if hit is None:
                s.fp += 1
                s.extras.append(_label(graph, node))
            elif not items[hit].core:
                pass
            elif hit in found:
                s.fp += 1
                s.extras.append(f"{_label(graph, node)} (a second node for {items[hit].name})")
            else:
                found.add(hit)
        core = [i for i, e in enumerate(items) if e.core]
        s.tp, s.fn = len(found), len(core) - len(found)
        s.misses = [items[i].name for i in core if i not in found]
        stats[cls] = s
    return mapping, stats


def _gold_key(gold: Gold, name: str):
    n = norm(name)
    for cls, items in gold.entities.items():
        for i, e in enumerate(items):
            if n in e.forms:
                return (cls, i)
    return ("literal", n)


def _score_links(graph: Graph, gold: Gold, mapping) -> dict[str, Score]:
    core, neutral = set(), set()
    for r in gold.relations:
        if r["p"] in LINKS:
            # a sector matches by its label (the gold's rule), even where a gold entity has the
            # label as an alias (乡村振兴战略 alias 乡村振兴): the reference scorer keys it to that entity
            obj = ("literal", norm(r["o"])) if r["p"] == "inSector" and norm(r["o"]) in SECTOR_LABELS else _gold_key(gold, r["o"])
            key = (r["p"], _gold_key(gold, r["s"]), obj)
            (core if r.get("core", True) else neutral).add(key)
    neutral -= core

    def node_key(n):
        if n in mapping:
            cls, i = mapping[n]
            return (cls, i) if i is not None else ("unmatched", str(n))
        labels = [norm(x) for p in (RDFS.label, SKOS.prefLabel) for x in graph.objects(n, p)]
        if isinstance(n, Literal):
            labels.append(norm(n))
        return ("literal", labels[0]) if labels else ("unmatched", str(n))  # sectors match by label

    mentioned = set(graph.subjects(MS.mentionedIn, None))
    pred, names = set(), {}
    for p in LINKS:
        for s, o in graph.subject_objects(MS[p]):
            if mentioned and p == "partOf" and not (s in mentioned and o in mentioned):
                continue  # the reference hierarchy among unmentioned areas is not extraction
            key = (p, node_key(s), node_key(o))
            pred.add(key)
            names[key] = f"{_label(graph, s)} → {_label(graph, o)}"
    for official, post in graph.subject_objects(MS.holdsPost):
        for org in graph.objects(post, MS.postIn):
            key = ("memberOf", node_key(official), node_key(org))
            pred.add(key)
            names.setdefault(key, f"{_label(graph, official)} → {_label(graph, org)}")

    def side(k) -> str:
        kind, ref = k
        return ref if kind == "literal" else gold.entities[kind][ref].name if kind in gold.entities else ref

    out, total = {}, Score()
    for p in LINKS:
        gp = {k for k in core if k[0] == p}
        pp = {k for k in pred if k[0] == p and k not in neutral}
        s = Score(tp=len(gp & pp), fp=len(pp - gp), fn=len(gp - pp))
        s.extras = sorted(names[k] for k in pp - gp)
        s.misses = sorted(f"{side(k[1])} → {side(k[2])}" for k in gp - pp)
        out[p] = s
        total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
    out["ALL"] = total
    return out


def _score_indicators(graph: Graph, gold: Gold) -> Score:
    core = [g for g in gold.indicators if g.core]
    everything = gold.indicators

    def same(v: float, u: str, g) -> bool:
        return abs(v - g.value) <= 0.005 * max(abs(g.value), 1e-9) and (not u or not g.unit or u == g.unit)

    s, used = Score(), set()
    for ind in sorted(graph.subjects(RDF.type, MS.Indicator), key=str):
        for value in graph.objects(ind, MS.value):
            try:
                v = float(value)
            except (TypeError, ValueError):
                continue
            u = norm(next(iter(graph.objects(ind, MS.unit)), ""))
            hit = next((i for i, g in enumerate(core) if i not in used and same(v, u, g)), None)
            if hit is not None:
                used.add(hit)
                s.tp += 1
            elif not any(same(v, u, g) for g in everything):
                s.fp += 1
                s.extras.append(f"{graph.value(ind, MS.metric) or ''} {value}{u}")
    s.fn = len(core) - s.tp
    s.misses = [g.label for i, g in enumerate(core) if i not in used]
    return s


def _evidence_coverage(graph: Graph) -> float:
    """Share of extracted links (all but partOf) with an ms:Evidence node that holds a sentence."""
    evidenced = set()
    for ev in graph.subjects(RDF.type, MS.Evidence):
        if graph.value(ev, MS.sentence) is None:
            continue
        evidenced.update((s, p, o) for s in graph.objects(ev, RDF.subject)
                         for p in graph.objects(ev, RDF.predicate) for o in graph.objects(ev, RDF.object))
    links = [(s, MS[p], o) for p in LINKS if p != "partOf" for s, o in graph.subject_objects(MS[p])]
    return round(sum(1 for t in links if t in evidenced) / len(links), 3) if links else 0.0
