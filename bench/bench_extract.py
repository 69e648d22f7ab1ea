"""Extraction speed: chars per second per process, end to end (read, repair, extract, graph).

Not a unit test: run `python bench/bench_extract.py` and paste its table into README.
Inputs: the project's corpus/ and the national government work reports 1954-2025 of
../shared/datasets (about 3 MB of real text), each with --workers 1 and 2. Printed beside
segmentation alone on the same text, with jieba and with jieba-rs (the pipeline's segmenter,
kg/extract/segmenter.py: the floor, since segmentation is the first thing the pipeline does) and the
rules-only extractor before the statistical layer (commit bf38f81, measured on this machine).
Target: >= 60,000 chars/s per process end to end; near-linear scaling to 2 workers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import jieba

from kg.build import build, extract_all
from kg.corpus.load import load_corpus
from kg.extract.segmenter import JiebaTokenizer

RULES_ONLY_END_TO_END = 127_639  # chars/s, 1 worker, README of commit bf38f81
REPORTS = Path(__file__).resolve().parents[1].parent / "shared/datasets/national_gov_work_reports_1954_2025/government_work_reports.jsonl"


def write_reports(folder: Path, limit: int | None) -> int:
    """One text file per report; returns the number of characters written."""
    chars = 0
    with REPORTS.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                break
            report = json.loads(line)
            (folder / f"report_{n:03d}.txt").write_text(report["content"], encoding="utf-8")
            chars += len(report["content"])
    return chars


def run(paths: list[Path], workers: int) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        summary = build(paths, Path(out), workers=workers, use_cache=False)
        return summary.chars, time.perf_counter() - started


def _seconds(segment, texts: list[str]) -> float:
    segment("预热")  # the dictionary is loaded before the clock starts
    started = time.perf_counter()
    for text in texts:
        segment(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=None, help="use only the first N reports")
    args = parser.parse_args()
    rows = []
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    rows.append(("corpus/ (5 pages)", 1, *run([corpus], 1)))
    if not REPORTS.is_file():
        sys.exit(f"missing {REPORTS}")
    stage = []
    with tempfile.TemporaryDirectory() as folder:
        write_reports(Path(folder), args.reports)
        for workers in (1, 2):
            rows.append(("national work reports", workers, *run([Path(folder)], workers)))
        articles = load_corpus([Path(folder)]).articles
        chars = sum(b.end - b.start for a in articles for b in a.blocks)
        for workers in (1, 2):
            started = time.perf_counter()
            extract_all(articles, None, workers)
            stage.append((workers, chars, time.perf_counter() - started))
        texts = [block.text for article in articles for block in article.blocks]
        jieba_alone = chars / _seconds(jieba.lcut, texts)
        jieba_rs_alone = chars / _seconds(JiebaTokenizer.words, texts)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print("| input | workers | chars | seconds | chars/s | chars/s per process |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, workers, chars, seconds in rows:
        print(f"| {name} | {workers} | {chars:,} | {seconds:.2f} | {chars / seconds:,.0f} | {chars / seconds / workers:,.0f} |")
    print(f"\nsame text: segmentation alone, jieba {jieba_alone:,.0f} chars/s, jieba-rs {jieba_rs_alone:,.0f} chars/s; "
          f"rules-only extractor end to end {RULES_ONLY_END_TO_END:,} chars/s (1 worker, bf38f81)")
    print("\nextraction stage alone (work reports):")
    print("| workers | seconds | chars/s | speed-up |")
    print("|---:|---:|---:|---:|")
    for workers, chars, seconds in stage:
        print(f"| {workers} | {seconds:.2f} | {chars / seconds:,.0f} | {stage[0][2] / seconds:.2f}x |")


if __name__ == "__main__":
    main()
