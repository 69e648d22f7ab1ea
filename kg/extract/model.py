"""What extraction produces for one article: plain, picklable records.

Mentions are character spans in a sentence; entities are keyed by (class, canonical
name) so that the graph stage can merge them across articles and mint IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Mention labels, one per entity kind of the guide (POST is the title part of an official's post).
AREA, ORG, OFFICIAL, POST, PROGRAM, GROUP, INDICATOR = "AREA", "ORG", "OFFICIAL", "POST", "PROGRAM", "GROUP", "INDICATOR"


@dataclass
class Mention:
    label: str
    start: int  # character offsets in the sentence text
    end: int
    text: str
    key: str  # canonical name: the resolution key within its class
    attrs: dict = field(default_factory=dict)
    nested: bool = False  # inside a longer mention (涪陵区 in 涪陵区委): not an actor on its own

    def overlaps(self, other: "Mention") -> bool:
        return self.start < other.end and other.start < self.end


EntityKey = tuple[str, str]  # (class name, canonical label)


@dataclass
class Entity:
    cls: str  # Program, AdministrativeArea, Official, Organization, TargetGroup, Sector, Post
    label: str
    aliases: set[str] = field(default_factory=set)
    attrs: dict = field(default_factory=dict)  # code/level/parent for areas, title/org for posts

    @property
    def key(self) -> EntityKey:
        return (self.cls, self.label)


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int  # offsets in the original file
    end: int


@dataclass(frozen=True)
class Link:
    subject: EntityKey
    predicate: str  # local name of an ms: property
    object: EntityKey
    evidence: Evidence


@dataclass
class IndicatorRecord:
    metric: str
    value: str  # decimal string in base units
    unit: str
    surface: str  # as written: 2.44万人
    period: str | None
    measures: EntityKey | None
    evidence: Evidence
    is_target: bool = False  # stated as a goal (力争, 确保, 到2027年…), not a reported result


@dataclass
class ArticleResult:
    article_id: str
    title: str
    date: str | None
    publisher: str | None
    authors: tuple[str, ...]
    source_path: str
    entities: dict[EntityKey, Entity] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)
    mentioned: set[EntityKey] = field(default_factory=set)  # entities the text names (not only implies)

    def add_entity(self, cls: str, label: str, *aliases: str, **attrs) -> EntityKey:
        entity = self.entities.get((cls, label))
        if entity is None:
            entity = self.entities[(cls, label)] = Entity(cls, label)
        entity.aliases.update(a for a in aliases if a and a != label)
        for name, value in attrs.items():
            entity.attrs.setdefault(name, value)
        return entity.key

    def add_link(self, subject: EntityKey, predicate: str, obj: EntityKey, evidence: Evidence) -> None:
        link = Link(subject, predicate, obj, evidence)
        if link not in self._link_set:
            self._link_set.add(link)
            self.links.append(link)

    def absorb(self, other: "ArticleResult") -> None:
        """Add what another piece of the same article found."""
        for entity in other.entities.values():
            self.add_entity(entity.cls, entity.label, *entity.aliases, **entity.attrs)
        for link in other.links:
            self.add_link(link.subject, link.predicate, link.object, link.evidence)
        self.indicators += other.indicators
        self.mentioned |= other.mentioned

    def __post_init__(self):
        self._link_set: set[Link] = set()
