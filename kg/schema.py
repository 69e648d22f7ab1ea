"""The graph's classes and links, once: every stage (extract, graph, eval, view, build summary)
names them from here. Terms are the ontology's, as kg.namespaces.MS declares them (a test keeps
MS and ontology/minsheng.ttl equal), so a misspelt class or link fails at import."""

from __future__ import annotations

from kg.namespaces import MS

#: Entity classes by local name, in the order summaries and legends list them.
ENTITY_CLASSES = {name: MS[name] for name in (
    "Program", "AdministrativeArea", "Official", "Organization", "TargetGroup", "Sector", "Indicator", "Post")}
#: The levels of ms:AdministrativeArea (its subclasses), top down.
AREA_LEVELS = {name: MS[name] for name in ("Municipality", "District", "Subdistrict", "Community")}
#: The classes the extraction guide scores, and the levels that count as an area.
SCORED_CLASSES = ("Program", "AdministrativeArea", "Official", "Organization", "TargetGroup")
#: Links between entities (ms: object properties) the extractor draws, by local name.
LINKS = {name: MS[name] for name in (
    "implementedIn", "targets", "inSector", "runBy", "promotedBy", "holdsPost", "memberOf", "jurisdiction",
    "partOf", "measures")}
#: The links the guide scores (holdsPost counts through the memberOf it implies).
SCORED_LINKS = ("implementedIn", "targets", "inSector", "runBy", "promotedBy", "memberOf", "jurisdiction", "partOf")
