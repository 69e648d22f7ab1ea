"""Why `--workers` keeps its fork pool: spaCy's own nlp.pipe(n_process=N) against it, same articles.

Not a unit test: run `python bench/bench_n_process.py [FOLDER]` (default: the first 15 national
work reports, written to a temporary folder) and compare the rows; README gives a run.

spaCy ships Docs to and from its worker processes as Doc.to_bytes, whose user_data must be
msgpack, and kg's Docs hold the article context, Sentence views and Mention records. So the
variant measured here sends a placeholder Doc holding the pickled article piece, builds the
article Doc in the worker (its first component: jieba runs there), assembles the ArticleResult
in the worker (its last component) and returns only that result's pickle; the parent still
rebuilds every Doc from bytes. It checks that both give the same results.
"""

from __future__ import annotations

import pickle
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from bench_extract import write_reports
from kg.build import _warm_up, extract_all
from kg.corpus.load import load_corpus
from kg.extract.pipeline import _assemble, _block_runs, article_doc, make_nlp

NLP = make_nlp()


@Language.component("bench_article_doc")
def _article_doc(placeholder: Doc) -> Doc:
    piece = pickle.loads(placeholder.user_data["piece"])
    doc = article_doc(NLP, piece)
    doc.user_data["piece"] = piece
    return doc


@Language.component("bench_result")
def _result(doc: Doc) -> Doc:
    result = _assemble(doc.user_data["piece"], doc, NLP.get_pipe("ms_programs").sectors)
    doc.user_data.clear()  # nothing else in it is msgpack
    doc.spans.clear()
    doc.user_data["result"] = pickle.dumps(result)
    return doc


NLP.add_pipe("bench_article_doc", first=True)
NLP.add_pipe("bench_result", last=True)


def placeholders(articles):
    for article in articles:
        for blocks in _block_runs(article):
            doc = Doc(NLP.vocab, words=[])
            doc.user_data["piece"] = pickle.dumps(replace(article, blocks=blocks))
            yield doc


def timed(run) -> tuple[list, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = run()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main(folder: Path) -> None:
    articles = load_corpus([folder]).articles
    chars = sum(b.end - b.start for a in articles for b in a.blocks)
    _warm_up()
    print(f"{len(articles)} articles, {chars:,} chars")
    print("| variant | workers | seconds | chars/s | parent CPU s |")
    print("|---|---:|---:|---:|---:|")
    results = {}
    for workers in (1, 2):
        for name, run in (
            ("nlp.pipe(n_process)", lambda: [pickle.loads(d.user_data["result"]) for d in
                                             NLP.pipe(placeholders(articles), n_process=workers, batch_size=1)]),
            ("fork pool", lambda: extract_all(articles, None, workers)[0]),
        ):
            results[name], wall, cpu = timed(run)
            print(f"| {name} | {workers} | {wall:.2f} | {chars / wall:,.0f} | {cpu:.2f} |")
        assert results["nlp.pipe(n_process)"] == results["fork pool"]


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            write_reports(Path(tmp), 15)
            main(Path(tmp))
