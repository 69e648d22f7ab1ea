"""`kg build`: corpus → extraction → resolution → graph files and the embedded store, with a summary.

Per-article results are cached under build/cache/, keyed by a hash of the article's text,
its source metadata and the extractor itself (code, vocabularies, reference data), so a
re-run on an unchanged corpus extracts nothing and a changed rule re-extracts everything.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from kg.corpus.load import load_corpus
from kg.corpus.model import Article, Skipped
from kg.extract.model import ArticleResult
from kg.resolve import add_corpus_references, resolve
from kg.files import atomic_write
from kg.graph.serialize import trig_bytes, turtle_bytes
from kg.graph.store import load_store
from kg.namespaces import MS
from kg.paths import PACKAGE_DIR, ontology_dir
from kg.schema import AREA_LEVELS, ENTITY_CLASSES, LINKS



@dataclass
class BuildSummary:
    articles: int = 0
    sources: int = 0
    chars: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    links: Counter = field(default_factory=Counter)
    triples: int = 0
    cached: int = 0
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """Changes whenever extraction could give a different result."""
    h = hashlib.sha256()
    files = sorted((PACKAGE_DIR / "extract").rglob("*")) + [PACKAGE_DIR / "reference.py"] + sorted(ontology_dir().glob("*"))
    for path in files:
        if path.is_file() and path.suffix in (".py", ".txt", ".tsv", ".ttl", ".csv"):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def article_key(article: Article) -> str:
    h = hashlib.sha256(extractor_fingerprint().encode())
    src = article.source
    h.update(repr((article.article_id, article.title, article.authors, src.date, src.publisher, src.path)).encode())
    for block in article.blocks:
        h.update(f"{block.kind}:{block.start}:{block.text}".encode())
    return h.hexdigest()[:32]


def _extract(article: Article) -> ArticleResult:
    from kg.extract.pipeline import extract_article

    return extract_article(article)


def extract_all(articles: list[Article], cache_dir: Path | None, workers: int = 1, progress=None) -> tuple[list[ArticleResult], int]:
    """Extract every article, reusing cached results; returns results in corpus order and the cache hits."""
    results: dict[int, ArticleResult] = {}
    todo: list[tuple[int, Article, Path | None]] = []
    for i, article in enumerate(articles):
        path = cache_dir / f"{article_key(article)}.pickle" if cache_dir else None
        if path is not None and path.exists():
            try:
                results[i] = pickle.loads(path.read_bytes())
                continue
            except Exception:  # a corrupt cache entry is re-extracted, never trusted
                path.unlink(missing_ok=True)
        todo.append((i, article, path))
    hits = len(results)

    def done(i: int, path: Path | None, result: ArticleResult) -> None:
        results[i] = result
        if path is not None:
            atomic_write(path, pickle.dumps(result))
        if progress:
            progress(1)

    if progress:
        progress(hits)
    if workers > 1 and len(todo) > 1:
        _warm_up()
        with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context()) as pool:
            chunk = max(1, len(todo) // (workers * 4))
            for (i, _, path), result in zip(todo, pool.map(_extract, [a for _, a, _ in todo], chunksize=chunk)):
                done(i, path, result)
    else:
        for i, article, path in todo:
            done(i, path, _extract(article))
    return [results[i] for i in range(len(articles))], hits


def _warm_up() -> None:
    """Load the segmenter's dictionary, the gazetteers and the compiled patterns once, in the
    parent: forked workers inherit them instead of each spending a second building them."""
    from kg.extract.pipeline import extract_text

    extract_text("重庆市民政局局长介绍，我市实施“渝悦·养老”数字平台，服务老年人1万人。")


def _fork_context():
    """Fork where the platform has it (Linux): workers start warm; elsewhere the default."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork") if "fork" in methods else None


def build(paths: list[Path], out: Path, workers: int = 1, use_cache: bool = True, progress_factory=None,
          views: bool = True, store: bool = True) -> BuildSummary:
    from kg.graph.rdf import GraphWriter
    from kg.graph.reference import reference_graph

    started = time.perf_counter()
    summary = BuildSummary()
    loaded = load_corpus(paths)
    summary.skipped = list(loaded.skipped)
    summary.sources = len(loaded.sources)
    summary.articles = len(loaded.articles)
    summary.chars = sum(b.end - b.start for a in loaded.articles for b in a.blocks)
    cache_dir = out / "cache" if use_cache else None
    progress = progress_factory(len(loaded.articles)) if progress_factory else None
    results, summary.cached = extract_all(loaded.articles, cache_dir, workers, progress)
    add_corpus_references(loaded.articles, results)

    writer = GraphWriter(reference_graph())  # read only: the writer copies it into its dataset
    writer.add(results, resolve(results))
    merged = writer.merged_triples()
    summary.triples = len(merged)
    out.mkdir(parents=True, exist_ok=True)
    ttl, trig = out / "graph.ttl", out / "graph.trig"
    atomic_write(ttl, turtle_bytes(merged))
    atomic_write(trig, trig_bytes(writer.ds))
    summary.outputs += [ttl, trig]
    if store:
        load_store(trig, out / "store")
        summary.outputs.append(out / "store")
    if views:
        from kg.view import write_default_views

        write_default_views(merged, out / "views")
        summary.outputs.append(out / "views")
    summary.entities, summary.links = count_graph(merged, mentioned_only=True)
    summary.seconds = time.perf_counter() - started
    return summary


def count_graph(graph: Graph, mentioned_only: bool = False) -> tuple[Counter, Counter]:
    """Entities per class and links per property. With mentioned_only, entities the texts name
    (reference areas and scheme concepts no article mentions are not counted)."""
    entities: Counter = Counter()
    for cls, term in ENTITY_CLASSES.items():
        classes = [term] if cls != "AdministrativeArea" else list(AREA_LEVELS.values())
        nodes = {s for c in classes for s in graph.subjects(RDF.type, c)}
        if mentioned_only and cls not in ("Indicator", "Post"):
            nodes = {n for n in nodes if (n, MS.mentionedIn, None) in graph}
        entities[cls] = len(nodes)
    links = Counter({p: sum(1 for _ in graph.triples((None, term, None)))
                     for p, term in {**LINKS, "mentionedIn": MS.mentionedIn}.items()})
    return entities, links


def format_summary(s: BuildSummary) -> str:
    lines = [
        f"built {s.articles} articles from {s.sources} sources ({s.chars:,} chars) in {s.seconds:.1f}s"
        + (f"; {s.cached} from cache" if s.cached else ""),
        "entities: " + ", ".join(f"{k} {v}" for k, v in s.entities.items()),
        "links:    " + ", ".join(f"{k} {v}" for k, v in s.links.items() if v),
        f"triples:  {s.triples:,}",
    ]
    if s.skipped:
        lines.append(f"skipped {len(s.skipped)} input(s):")
        lines += [f"  {sk.path}: {sk.reason}" for sk in s.skipped]
    else:
        lines.append("skipped: none")
    lines.append("wrote:    " + ", ".join(str(p) for p in s.outputs))
    return "\n".join(lines)
