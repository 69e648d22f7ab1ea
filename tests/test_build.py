"""`kg build` end to end on the seed corpus (a copy of the five pages, tests/conftest.py): files, evidence, cache, workers, bad inputs."""

import os
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV, RDF
from typer.testing import CliRunner

from kg.build import build
from kg.cli import app
from kg.errors import KgError
from kg.graph.files import read_graph
from kg.graph.validate import validate_graph
from kg.namespaces import MS


@pytest.fixture(scope="module")
def built(tmp_path_factory, seed_corpus):
    out = tmp_path_factory.mktemp("build")
    summary = build([seed_corpus], out)
    return out, summary


def test_build_writes_graph_files_and_counts(built):
    out, summary = built
    assert (out / "graph.ttl").is_file() and (out / "graph.trig").is_file()
    assert summary.articles >= 10 and summary.sources == 5 and not summary.skipped
    for cls in ("Program", "AdministrativeArea", "Official", "Organization", "TargetGroup", "Sector"):
        assert summary.entities[cls] > 0, cls
    for link in ("implementedIn", "targets", "inSector", "runBy", "promotedBy", "holdsPost"):
        assert summary.links[link] > 0, link


def test_build_leaves_no_object_frozen(built):
    """The build freezes its pipeline, results and graph out of the cyclic collector while it
    extracts and writes; what it froze is handed back to the collector, or the process would never
    free it."""
    import gc

    assert gc.get_freeze_count() == 0


def test_build_writes_the_default_views(built):
    out, summary = built
    pages = sorted(p.name for p in (out / "views").glob("*.html"))
    assert pages == ["full.html", "programs-districts.html", "targets.html", "who-runs.html"]
    assert out / "views" in summary.outputs
    assert "涪陵区" in (out / "views" / "programs-districts.html").read_text(encoding="utf-8")


def test_built_graph_conforms_to_the_shapes(built):
    out, _ = built
    report = validate_graph(out / "graph.ttl")
    assert report.conforms, report.text[:2000]


def test_every_link_has_evidence_that_points_into_its_source_file(built, seed_corpus):
    out, _ = built
    ds = Dataset(default_union=True)
    ds.parse(out / "graph.trig", format="trig")
    evidence = list(ds.subjects(RDF.type, MS.Evidence))
    assert len(evidence) > 100
    default = read_graph(out / "graph.ttl")
    for ev in evidence[:400]:
        article = ds.value(ev, PROV.wasDerivedFrom)
        source = seed_corpus / Path(str(default.value(article, _dcterms("source")))).name
        text = source.read_text(encoding="utf-8")
        start, end = int(ds.value(ev, MS.start)), int(ds.value(ev, MS.end))
        sentence = str(ds.value(ev, MS.sentence))
        assert re.sub(r"\s", "", text[start:end]) == re.sub(r"\s", "", sentence)
        s, p, o = ds.value(ev, RDF.subject), ds.value(ev, RDF.predicate), ds.value(ev, RDF.object)
        assert (s, p, o) in default


def _dcterms(name):
    from rdflib.namespace import DCTERMS

    return DCTERMS[name]


def test_links_never_cross_articles(built):
    """Each evidence names one article; the link it supports is in that article's named graph
    and both its ends are mentioned in that article (except an agency's area, which its name
    implies: 市民政局 → 重庆市)."""
    out, _ = built
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    default = ds.default_graph
    evidence = list(default.subjects(RDF.type, MS.Evidence))
    assert evidence
    for ev in evidence:
        art = default.value(ev, PROV.wasDerivedFrom)
        s, p, o = (default.value(ev, t) for t in (RDF.subject, RDF.predicate, RDF.object))
        assert (s, p, o) in ds.graph(art), (s, p, o, art)
        assert (s, MS.mentionedIn, art) in default, (s, p, o, art)
        assert p == MS.jurisdiction or (o, MS.mentionedIn, art) in default, (s, p, o, art)
    assert not any(True for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID
                   for _ in g.triples((None, RDF.type, MS.Evidence)))


def test_rebuild_is_cached_and_stable(built, tmp_path, seed_corpus):
    out, first = built
    again = build([seed_corpus], out)
    assert again.cached == again.articles
    # 2 workers: the corpus read by a forked child, extraction in worker processes, then the views
    # written by a forked child and the store loaded by a thread while the parent writes the files;
    # every output the same
    two = tmp_path / "w2"
    assert _outputs(two, build([seed_corpus], two, workers=2, use_cache=False)) == _outputs(out, again)
    import gc

    assert gc.get_freeze_count() == 0  # extract_all froze the pipeline before forking its workers


def _outputs(out: Path, summary) -> dict:
    from kg.graph.store import open_store

    return {"ttl": (out / "graph.ttl").read_bytes(), "trig": (out / "graph.trig").read_bytes(),
            "views": sorted((p.name, p.read_bytes()) for p in (out / "views").glob("*.html")),
            "store": len(open_store(out)), "listed": [p.name for p in summary.outputs],
            "entities": summary.entities, "links": summary.links, "triples": summary.triples,
            "read": (summary.articles, summary.sources, summary.chars, summary.skipped)}


def _fails(*_args):
    raise OSError("No space left on device")


def _dies(*_args):
    os._exit(3)


@pytest.mark.parametrize("target, error", [
    ("kg.view.write_default_views", r"views: not written \(OSError: No space left on device\)"),
    ("kg.view.write_default_views", r"views: not written \(its process ended with code 3\)"),
    ("kg.build.load_store", r"store: not written \(OSError: No space left on device\)"),
])
def test_an_output_written_side_by_side_that_fails_fails_the_build(tmp_path, seed_corpus, monkeypatch, target, error):
    """With 2 workers the views are written by a forked child and the store by a thread: a failure
    of either, or the child's death, is the build's, in one line naming the output."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed_corpus / "002_291cbfb73b0607b6.txt", corpus)
    monkeypatch.setattr(target, _dies if "code 3" in error else _fails)
    with pytest.raises(KgError, match=f"^{error}$"):
        build([corpus], tmp_path / "out", workers=2, use_cache=False)
    assert not (tmp_path / "out" / "graph.ttl").exists()  # nothing published


def test_the_parent_works_meanwhile_only_while_workers_extract(tmp_path):
    """extract_all's `meanwhile` (kg build makes its graph writer there) runs once per batch handed
    to workers, in the parent, and not at all without workers; results are the same either way."""
    from kg.build import extract_all
    from kg.corpus.load import load_corpus

    for n, text in enumerate(["市民政局开展“暖心行动”，服务老年人1万人。", "涪陵区实施“渝悦·养老”工程。"]):
        (tmp_path / f"page{n}.txt").write_text(f"重庆新闻\n\n{text}\n", encoding="utf-8")
    articles = load_corpus([tmp_path]).articles
    calls = {1: 0, 2: 0}
    results = {}
    for workers in (1, 2):
        def count(workers=workers):
            calls[workers] += 1
        results[workers], _ = extract_all(articles, None, workers, meanwhile=count)
    assert calls == {1: 0, 2: 1}
    assert len(articles) == 2 and results[1] == results[2]


def test_a_failure_of_the_reading_child_fails_the_build(tmp_path, seed_corpus, monkeypatch):
    """With 2 workers a forked child reads the corpus while the parent loads the pipeline: its
    error is the build's, in one line."""
    import kg.corpus.load

    parent, read = os.getpid(), kg.corpus.load.read_source

    def unreadable(*args):
        if os.getpid() != parent:
            raise PermissionError("Permission denied")
        return read(*args)

    monkeypatch.setattr(kg.corpus.load, "read_source", unreadable)
    with pytest.raises(KgError, match=r"^reading the corpus: PermissionError: Permission denied$"):
        build([seed_corpus], tmp_path / "out", workers=2, use_cache=False)


@pytest.mark.parametrize("workers", [1, 2])  # 2: the corpus is read by a forked child
def test_bad_inputs_are_reported_and_the_rest_is_built(tmp_path, seed_corpus, workers):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed_corpus / "002_291cbfb73b0607b6.txt", corpus)
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    result = CliRunner().invoke(app, ["build", str(corpus), str(tmp_path / "missing.txt"), "--out",
                                      str(tmp_path / "out"), "--workers", str(workers)])
    assert result.exit_code == 0, result.output
    assert "skipped 3 input(s)" in result.output
    for name in ("empty.txt", "binary.txt", "missing.txt"):
        assert name in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_trig_and_turtle_hold_the_writers_graphs(seed_corpus, tmp_path):
    """GraphWriter keeps named graphs as plain triple sets and write_trig streams its quads: read
    back, the TriG has the writer's default graph (the same as graph.ttl, up to blank node
    labels) and exactly one named graph per article with its triples."""
    from rdflib.compare import to_isomorphic

    from kg.build import extract_all
    from kg.corpus.load import load_corpus
    from kg.graph.rdf import GraphWriter
    from kg.graph.reference import reference_graph
    from kg.graph.serialize import write_trig, write_turtle
    from kg.resolve import resolve

    results, _ = extract_all(load_corpus([seed_corpus]).articles, None)
    writer = GraphWriter(reference_graph())
    writer.add(results, resolve(results))
    write_trig(writer.quads(), tmp_path / "g.trig")
    write_turtle(writer.merged_triples(), tmp_path / "g.ttl")
    ds = Dataset()
    ds.parse(tmp_path / "g.trig", format="trig")
    expected = to_isomorphic(writer.graph())
    assert to_isomorphic(ds.default_graph) == expected
    assert to_isomorphic(read_graph(tmp_path / "g.ttl")) == expected
    named = {g.identifier: set(g) for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)}
    assert named == {art: triples for art, triples in writer.named.items() if triples}
    assert len(named) >= 10


def test_graph_files_are_the_bytes_of_the_separate_writers(seed_corpus, tmp_path):
    """write_graph_files (what kg build calls: the default graph converted once for both files)
    writes the bytes write_turtle and write_trig write, with the ontology's blank nodes; and so
    does its fallback when a named graph holds a blank node."""
    from rdflib import BNode, Literal, URIRef

    from kg.build import extract_all
    from kg.corpus.load import load_corpus
    from kg.graph.rdf import GraphWriter
    from kg.graph.reference import reference_graph
    from kg.graph.serialize import write_graph_files, write_trig, write_turtle
    from kg.resolve import resolve

    results, _ = extract_all(load_corpus([seed_corpus]).articles, None)
    writer = GraphWriter(reference_graph())
    writer.add(results, resolve(results))
    art = next(iter(writer.named))
    crafted = {**writer.named, URIRef(f"{art}-b"): {(BNode(), RDF.value, Literal("1")), (BNode(), RDF.value, Literal("2"))}}
    for named in (writer.named, crafted):
        write_graph_files(writer.default, named, tmp_path / "one.ttl", tmp_path / "one.trig")
        write_turtle(writer.default, tmp_path / "apart.ttl")
        write_trig([(s, p, o, None) for s, p, o in writer.default]
                   + [(s, p, o, g) for g, ts in named.items() for s, p, o in ts], tmp_path / "apart.trig")
        assert any(isinstance(s, BNode) for s, _, _ in writer.default)
        assert (tmp_path / "one.ttl").read_bytes() == (tmp_path / "apart.ttl").read_bytes()
        assert (tmp_path / "one.trig").read_bytes() == (tmp_path / "apart.trig").read_bytes()
    assert b"rdf:value" in (tmp_path / "one.trig").read_bytes()  # the crafted graph was written


def test_the_writers_graph_is_freed_without_a_collection(seed_corpus):
    """kg build frees the in-memory graph before the store's load by dropping it, with no full
    collection: nothing may hold it in a reference cycle (a namespace manager would)."""
    import gc
    import weakref

    from kg.build import extract_all
    from kg.corpus.load import load_corpus
    from kg.graph.rdf import GraphWriter
    from kg.graph.reference import reference_graph
    from kg.resolve import resolve

    results, _ = extract_all(load_corpus([seed_corpus]).articles, None)
    writer = GraphWriter(reference_graph())
    writer.add(results, resolve(results))
    graph = writer.graph()
    store = weakref.ref(graph.store)
    gc.disable()
    try:
        del writer, graph
        assert store() is None
    finally:
        gc.enable()


def test_counting_the_writers_triples_agrees_with_counting_its_graph(seed_corpus):
    """kg build counts the writer's plain triple set in one pass; kg stats counts a parsed Graph:
    the two give the same entities per class and links per property."""
    from kg.build import count_graph, extract_all
    from kg.corpus.load import load_corpus
    from kg.graph.rdf import GraphWriter
    from kg.graph.reference import reference_graph
    from kg.resolve import resolve

    results, _ = extract_all(load_corpus([seed_corpus]).articles, None)
    writer = GraphWriter(reference_graph())
    writer.add(results, resolve(results))
    for mentioned_only in (True, False):
        entities, links = count_graph(writer.merged_triples(), mentioned_only)
        assert (entities, links) == count_graph(writer.graph(), mentioned_only)
        assert entities["Program"] > 20 and links["runBy"] > 10
