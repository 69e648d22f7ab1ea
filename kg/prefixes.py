"""The prefixes bound in every graph the project writes and every query it runs, as plain strings.

Apart from kg.namespaces (rdflib Namespace objects built from these) so that `kg query` and
`kg serve` need not import rdflib, a third of their start-up time.
"""

PREFIX_IRIS = {
    "ms": "https://w3id.org/minsheng-kg/ontology#",
    "msr": "https://w3id.org/minsheng-kg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
