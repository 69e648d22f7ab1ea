"""The project's namespaces, defined once and imported everywhere.

`MS` is a closed namespace: a misspelt term raises at import time instead of
silently minting a new IRI. Its terms mirror ontology/minsheng.ttl, and
tests/test_ontology.py checks that the two agree.
"""

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace

from kg.prefixes import PREFIX_IRIS


class MS(DefinedNamespace):
    """Classes and properties of the minsheng-kg ontology (EXTRACTION-GUIDE.md)."""

    _NS = Namespace(PREFIX_IRIS["ms"])
    _fail = True

    # classes
    Program: object
    AdministrativeArea: object
    Municipality: object
    District: object
    Subdistrict: object
    Community: object
    Official: object
    Organization: object
    Post: object
    TargetGroup: object
    Sector: object
    Indicator: object
    Article: object
    Evidence: object
    # concept schemes
    SectorScheme: object
    TargetGroupScheme: object
    # links
    implementedIn: object
    targets: object
    inSector: object
    runBy: object
    promotedBy: object
    holdsPost: object
    postTitle: object
    postIn: object
    memberOf: object
    jurisdiction: object
    partOf: object
    measures: object
    metric: object
    value: object
    unit: object
    period: object
    isTarget: object
    mentionedIn: object
    # evidence
    sentence: object
    start: object
    end: object
    # reference data
    divisionCode: object
    shortName: object


MSR = Namespace(PREFIX_IRIS["msr"])

#: Prefixes bound in every graph the project writes and every query it runs.
PREFIXES = {prefix: Namespace(iri) for prefix, iri in PREFIX_IRIS.items()}


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib Graph or Dataset."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
