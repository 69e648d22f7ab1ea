"""minsheng-kg: a knowledge graph of Chongqing's livelihood (民生) programs.

Python entry points: `open_graph()` for the built graph (rdflib API on the Oxigraph store),
`kg.build.build()` to build, `kg.extract.pipeline.extract_text()` to try the extractor.
"""

from pathlib import Path


def open_graph(build_dir: str | Path = "build"):
    """The built graph as an rdflib Dataset backed by the on-disk Oxigraph store (read-only).

    Queries run in Oxigraph on the default graph, which holds everything; no Turtle is re-parsed:

        g = kg.open_graph()
        for row in g.query("SELECT ?p WHERE { ?p a ms:Program }"):
            ...
    """
    from oxrdflib import OxigraphStore
    from rdflib import Dataset

    from kg.graph.store import open_store
    from kg.namespaces import bind_prefixes

    dataset = Dataset(store=OxigraphStore(store=open_store(Path(build_dir))))
    bind_prefixes(dataset)
    return dataset


def to_networkx(graph="build/graph.trig"):
    """The graph as a networkx MultiDiGraph: entities (iri, label, class, aliases, articles) and links
    (link type, evidence sentences with article title and date). `graph` is an rdflib Graph or
    Dataset (e.g. open_graph()) or a path to graph.ttl / graph.trig. See kg/view/model.py."""
    from kg.view.model import to_networkx as _to_networkx

    return _to_networkx(graph)
