"""`kg build`: corpus → extraction → resolution → graph files and the embedded store, with a summary.

Per-article results are cached under build/cache/, keyed by a hash of the article's text,
its source metadata and the extractor itself (code, vocabularies, reference data), so a
re-run on an unchanged corpus extracts nothing and a changed rule re-extracts everything.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
import signal
import time
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from queue import Empty
from typing import Callable, Iterable, Iterator

from rdflib.namespace import RDF

from kg.corpus.load import CorpusReader
from kg.corpus.model import Article, Skipped
from kg.errors import KgError
from kg.extract.model import ArticleResult
from kg.resolve import add_corpus_references, resolve
from kg.files import atomic_write
from kg.graph.serialize import write_graph_files
from kg.graph.outputs import build_lock, clean_leftovers, new_staging, publish
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
    cleaned: list[str] = field(default_factory=list)  # what interrupted builds had left in OUT


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """Changes whenever extraction could give a different result."""
    h = hashlib.sha256()
    files = sorted((PACKAGE_DIR / "extract").rglob("*")) + [PACKAGE_DIR / "reference.py"] + sorted(ontology_dir().glob("*"))
    for path in files:
        if path.is_file() and path.suffix in (".py", ".txt", ".tsv", ".ttl", ".csv"):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    ner_model = os.environ.get("KG_NER_MODEL")
    if ner_model:  # ms_ner_model instead of ms_lac: another extractor (the default's key is unchanged)
        h.update(ner_model.encode())
        h.update((Path(ner_model) / "meta.json").read_bytes())
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


BATCH = 256  # articles extracted at a time: a build holds one batch of articles, never the corpus


def extract_all(articles: Iterable[Article], cache_dir: Path | None, workers: int = 1, progress=None,
                meanwhile: Callable[[], object] | None = None) -> tuple[list[ArticleResult], int]:
    """Extract every article, reusing cached results; returns results in corpus order and the
    cache hits. `articles` may be a stream: it is read one batch at a time. What it freezes out of
    the cyclic collector (_freeze_warm) is unfrozen before it returns. `meanwhile`, if given, is
    called in the parent while workers extract, after the articles went to them (not at all
    without workers); it is called once per batch handed to workers."""
    results: list[ArticleResult] = []
    hits = 0
    pool = None
    try:
        if workers > 1:  # before the first batch is read: kg build's stream is read meanwhile by a child
            _freeze_warm()
        for batch in _batches(articles, BATCH):
            if pool is None and workers > 1 and len(batch) > 1:
                pool = ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context())
            found, n = _extract_batch(batch, cache_dir, workers, pool, meanwhile)
            results += found
            hits += n
            if progress:
                progress(len(batch))
    finally:
        if pool is not None:
            pool.shutdown()
        gc.unfreeze()
    return results, hits


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _extract_batch(articles: list[Article], cache_dir: Path | None, workers: int, pool,
                   meanwhile=None) -> tuple[list[ArticleResult], int]:
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
    if pool is not None and len(todo) > 1:
        # Longest first, one at a time: in chunks of consecutive articles one worker is left
        # alone with a chunk of long reports at the end; the results keep the corpus order.
        order = sorted(range(len(todo)), key=lambda k: -_chars(todo[k][1]))
        extracting = pool.map(_extract, [todo[k][1] for k in order])  # every article submitted now
        if meanwhile:
            meanwhile()
        done = dict(zip(order, extracting))
        extracted = (done[k] for k in range(len(todo)))
    else:
        from kg.extract.pipeline import extract_articles

        if todo:  # a batch all from the cache needs no pipeline
            _freeze_warm()
        extracted = extract_articles(a for _, a, _ in todo)
    for (i, _, path), result in zip(todo, extracted):
        results[i] = result
        if path is not None:
            atomic_write(path, pickle.dumps(result))
    return [results[i] for i in range(len(articles))], hits


def _chars(article: Article) -> int:
    return sum(b.end - b.start for b in article.blocks)


def _warm_up() -> None:
    """Load the segmenter's dictionary, the gazetteers and the compiled patterns once, in the
    parent: forked workers inherit them instead of each spending a second building them."""
    from kg.extract.pipeline import extract_text

    extract_text("重庆市民政局局长介绍，我市实施“渝悦·养老”数字平台，服务老年人1万人。")


def _freeze_warm() -> None:
    """Load the pipeline (_warm_up), then freeze all that exists, it and the results so far, out of
    the cyclic collector: they live on, and a full collection walks every tracked object each time
    the heap has grown by a quarter (0.3-0.5 s of the national reports' extraction). Before a fork
    it also keeps the workers from touching, so copying, the parent's pages (gc.freeze's documented use)."""
    _warm_up()
    gc.freeze()


def _fork_context():
    """Fork where the platform has it (Linux): workers start warm; elsewhere the default."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork") if "fork" in methods else None


def build(paths: list[Path], out: Path, workers: int = 1, use_cache: bool = True, progress_factory=None,
          views: bool = True, store: bool = True, atlas: bool = False) -> BuildSummary:
    """Build into a staging folder in OUT and publish it as one unit only if all of it was written
    (kg.graph.outputs): a failed, interrupted or empty build leaves the last good output as it was."""
    out = Path(out)
    with build_lock(out):
        started = time.perf_counter()
        reader = CorpusReader(paths)
        if not reader.has_articles():
            list(reader.articles())  # the pass that records why each input was skipped
            reasons = "; ".join(f"{sk.path}: {sk.reason}" for sk in reader.skipped[:3])
            raise KgError(f"no article could be read from {', '.join(map(str, paths))}"
                          + (f" ({reasons})" if reasons else "") + f"; {out} left as it was")
        summary = BuildSummary(cleaned=clean_leftovers(out))
        staged = new_staging(out)
        try:
            _build_into(reader, out, staged, summary, workers, use_cache, progress_factory, views, store, atlas)
            _checkpoint("staged")
            publish(out, staged, _checkpoint)
            summary.seconds = time.perf_counter() - started
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    summary.outputs = [out / p.name for p in summary.outputs]
    return summary


def _checkpoint(name: str) -> None:
    """Test hook: KG_BUILD_KILL_AT=NAME makes the build SIGKILL itself there (tests/test_build_safety.py
    kills real builds at every step of staging and publishing). Unset, it does nothing."""
    if os.environ.get("KG_BUILD_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _build_into(reader: CorpusReader, out: Path, staged: Path, summary: BuildSummary, workers, use_cache,
                progress_factory, views: bool, store: bool, atlas: bool = False) -> None:
    # The one place that schedules the stages. With workers there is a core to spare beside the
    # parent's serial work, so (where children can be forked with the parent's memory) what does
    # not wait for the stage before runs beside it: the corpus is read by a child while the parent
    # loads the pipeline, the graph writer is made while the workers extract, and the views, the
    # store and graph.ttl are written side by side. With one worker every stage runs in turn.
    side_by_side = workers > 1 and _fork_context() is not None
    cache_dir = out / "cache" if use_cache else None
    bar = progress_factory(len(reader)) if progress_factory else None
    shown = 0

    def files_done(_articles: int) -> None:  # the bar counts files: how many articles a file holds is not known ahead
        nonlocal shown
        if bar and reader.files_read > shown:
            bar(reader.files_read - shown)
            shown = reader.files_read

    # Each article's sentence texts, kept for add_corpus_references: reading and repairing every
    # file a second time cost more than holding the text (about 2 bytes a character).
    sentences: list[list[str]] = []

    def counted(articles):
        for article in articles:
            summary.articles += 1
            summary.chars += _chars(article)
            sentences.append([s.text for _, s in article.sentences()])
            yield article

    # what the graph stage needs that no result does: made while workers extract, if there are any
    writer_ready = cache(lambda: _graph_writer(views))
    articles = _read_by_child(reader) if side_by_side else reader.articles()
    results, summary.cached = extract_all(counted(articles), cache_dir, workers, files_done, writer_ready)
    summary.skipped = list(reader.skipped)
    summary.sources = len(reader.sources)
    # The results, and then the graph, live until the files and views are written: frozen out of
    # the cyclic collector, whose full collections would walk all of them again each time the heap
    # grows by a quarter (about 1.5 s of the national reports' build).
    gc.freeze()
    try:
        add_corpus_references(sentences, results)

        writer = writer_ready()
        writer.add(results, resolve(results))
        gc.freeze()
        summary.triples = len(writer.merged_triples())
        (_write_outputs_at_once if side_by_side else _write_outputs_in_turn)(writer, staged, summary, views, store)
    finally:
        gc.unfreeze()
    # The in-memory graph is done with: freed before the atlas, by reference counting (nothing in it
    # is in a cycle, GraphWriter), without a full collection.
    del writer, results, sentences
    if atlas:  # staged like the rest, so it is published with the graph it shows
        from kg.atlas import write_atlas

        write_atlas(staged / "graph.trig", staged / "atlas")
        summary.outputs.append(staged / "atlas")
        _checkpoint("atlas")


def _read_by_child(reader: CorpusReader) -> Iterator[Article]:
    """reader.articles(), read and repaired by a forked child while the parent loads the pipeline
    (with workers it does so before forking them; reading first, then loading, left a core idle for
    about 0.5 s of the national reports). The articles come back in order through a queue (its
    feeder thread lets the child read ahead of the parent); what the reader records (inputs skipped,
    sources, files read) is copied back onto `reader`."""
    queue = _fork_context().Queue()
    child = _fork_context().Process(target=_send_articles, args=(reader, queue), daemon=True)
    child.start()
    finished = False
    try:
        while True:
            try:
                kind, payload, reader.files_read = queue.get(timeout=1)
            except Empty:
                if child.is_alive():
                    continue
                raise KgError(f"reading the corpus: the reading process ended with code {child.exitcode}") from None
            if kind == "article":
                yield payload
            elif kind == "error":
                raise KgError(f"reading the corpus: {payload}")
            else:
                reader.skipped, reader.sources = payload
                finished = True
                return
    finally:
        if not finished and child.is_alive():
            child.kill()
        child.join()


def _send_articles(reader: CorpusReader, queue) -> None:
    _die_with_parent()
    try:
        for article in reader.articles():
            queue.put(("article", article, reader.files_read))
        queue.put(("done", (reader.skipped, reader.sources), reader.files_read))
    except BaseException as exc:
        queue.put(("error", _one_line(exc), reader.files_read))


def _graph_writer(views: bool):
    """A GraphWriter holding the reference data; with views, their modules imported."""
    from kg.graph.rdf import GraphWriter
    from kg.graph.reference import reference_graph

    if views:
        import kg.view.render  # noqa: F401  (networkx, the page templates)
    return GraphWriter(reference_graph())  # read only: the writer copies it into its own graph


def _write_outputs_in_turn(writer, staged: Path, summary: BuildSummary, views: bool, store: bool) -> None:
    """The graph files, the store, then the views, in the one process (--workers 1: no core to spare)."""
    _write_files_and_store(writer, staged, summary, store)
    if views:
        from kg.view import write_default_views

        write_default_views(writer.graph(), staged / "views")
        summary.outputs.append(staged / "views")


def _write_outputs_at_once(writer, staged: Path, summary: BuildSummary, views: bool, store: bool) -> None:
    """The outputs that need only the finished graph, written side by side instead of in turn (with
    workers to spare, --workers 2 or more): the views by a forked child, which makes the indexed
    graph they query and networkx's (Python: a thread would wait on the GIL), while the parent
    writes the graph files and loads the store. The build waits for both; one that fails fails the
    build with one line naming it."""
    with ExitStack() as running:
        if views:
            from kg.view import write_default_views

            viewer = running.enter_context(_Forked("views", lambda: write_default_views(writer.graph(), staged / "views")))
        _write_files_and_store(writer, staged, summary, store)
        if views:
            viewer.wait()
            summary.outputs.append(staged / "views")


def _write_files_and_store(writer, staged: Path, summary: BuildSummary, store: bool) -> None:
    """graph.trig and graph.ttl (no atomic_write: nothing reads the staging folder), and the store,
    bulk-loaded from graph.trig by a thread as soon as the file is whole (Oxigraph's load releases
    the GIL, and took two thirds of the time of adding the quads from Python) while graph.ttl is
    written and the graph counted into the summary."""
    ttl, trig = staged / "graph.ttl", staged / "graph.trig"
    with ThreadPoolExecutor(max_workers=1) as loader:
        loading: list[Future] = []
        start_store = (lambda: loading.append(loader.submit(load_store, trig, staged / "store"))) if store else None
        write_graph_files(writer.merged_triples(), writer.named, ttl, trig, start_store)
        summary.outputs += [ttl, trig]
        _checkpoint("graph")
        summary.entities, summary.links = count_graph(writer.merged_triples(), mentioned_only=True)
        if store:
            try:
                loading[0].result()
            except Exception as exc:
                raise KgError(f"store: not written ({_one_line(exc)})") from exc
            summary.outputs.append(staged / "store")
            _checkpoint("store")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class _Forked:
    """fn(*args) in a forked child, which starts from the parent's memory as it is (the graph is not
    pickled); wait() raises a KgError naming the output if the child failed or died. Leaving the
    `with` block before wait() (the parent failed) kills the child; so does the parent's death."""

    def __init__(self, output: str, fn, *args):
        self.output = output
        self._errors, sender = _fork_context().Pipe(duplex=False)
        self._child = _fork_context().Process(target=_run_forked, args=(sender, fn, args), daemon=True)
        self._child.start()
        sender.close()

    def wait(self) -> None:
        try:
            error = self._errors.recv()
        except EOFError:  # killed, or died before it could say why
            error = None
        self._child.join()
        if error is None and self._child.exitcode:
            error = f"its process ended with code {self._child.exitcode}"
        if error:
            raise KgError(f"{self.output}: not written ({error})")

    def __enter__(self) -> "_Forked":
        return self

    def __exit__(self, *exc) -> None:
        if self._child.is_alive():
            self._child.kill()
        self._child.join()
        self._errors.close()


def _run_forked(sender, fn, args) -> None:
    _die_with_parent()
    try:
        fn(*args)
        sender.send("")
    except BaseException as exc:
        sender.send(_one_line(exc))


def _die_with_parent() -> None:
    """Linux's PR_SET_PDEATHSIG: a child writing an output must not outlive a build killed under it
    (it would go on writing into a staging folder the next build removes)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the daemon flag still ends it with a live parent
        pass


def count_graph(triples, mentioned_only: bool = False) -> tuple[Counter, Counter]:
    """Entities per class and links per property, in one pass over a Graph or any iterable of
    triples. With mentioned_only, entities the texts name (reference areas and scheme concepts no
    article mentions are not counted)."""
    # keyed by the IRIs' plain strings: rdflib terms hash and compare in Python, ten times slower
    # an area counts by its level (ms:District…), not by the class ms:AdministrativeArea, as before
    class_of = {str(term): cls for cls, term in ENTITY_CLASSES.items() if cls != "AdministrativeArea"}
    class_of.update(dict.fromkeys(map(str, AREA_LEVELS.values()), "AdministrativeArea"))
    link_of = {str(term): p for p, term in {**LINKS, "mentionedIn": MS.mentionedIn}.items()}
    rdf_type, mentioned_in = str(RDF.type), str(MS.mentionedIn)
    typed: dict[str, set] = {cls: set() for cls in ENTITY_CLASSES}
    mentioned = set()
    links: Counter = Counter(dict.fromkeys(link_of.values(), 0))
    for s, p, o in triples:
        p = str(p)
        if p == rdf_type:
            cls = class_of.get(str(o))
            if cls:
                typed[cls].add(str(s))
        elif p in link_of:
            links[link_of[p]] += 1
            if p == mentioned_in:
                mentioned.add(str(s))
    entities = Counter({cls: len(nodes if not mentioned_only or cls in ("Indicator", "Post") else nodes & mentioned)
                        for cls, nodes in typed.items()})
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
    if s.cleaned:
        lines.append("cleaned:  left by an interrupted build: " + ", ".join(s.cleaned))
    lines.append("wrote:    " + ", ".join(str(p) for p in s.outputs))
    return "\n".join(lines)
