"""Extraction speed with LAC (ms_lac) against the trained spaCy NER (ms_ner_model, KG_NER_MODEL).

Not a unit test: `python bench/bench_recognizer.py MODEL_DIR [--reports 15] [--rounds 3]`.
The extraction stage alone, 1 worker, on the first N national government work reports; each
recognizer in its own process (so each loads its model once, as a build does), the two
interleaved round by round; the best CPU time of 3 extractions in each process is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[1].parent / "shared/datasets/national_gov_work_reports_1954_2025/government_work_reports.jsonl"


def measure(reports: int) -> None:
    """In the child: the best of 3 extractions of the first `reports` reports, as JSON."""
    from kg.build import extract_all
    from kg.corpus.load import load_corpus

    with tempfile.TemporaryDirectory() as folder:
        with REPORTS.open(encoding="utf-8") as fh:
            for n, line in zip(range(reports), fh):
                (Path(folder) / f"report_{n:03d}.txt").write_text(json.loads(line)["content"], encoding="utf-8")
        articles = load_corpus([Path(folder)]).articles
    chars = sum(b.end - b.start for a in articles for b in a.blocks)
    extract_all(articles[:1], None, 1)  # loads jieba, the word lists and the model
    best = min(_cpu(lambda: extract_all(articles, None, 1)) for _ in range(3))
    print(json.dumps({"chars": chars, "seconds": best}))


def _cpu(work) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", help="the trained model's folder (training/ner/)")
    parser.add_argument("--reports", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return measure(args.reports)
    env_lac = {k: v for k, v in os.environ.items() if k != "KG_NER_MODEL"}
    runs = {"LAC (ms_lac)": env_lac, "spaCy NER (ms_ner_model)": {**env_lac, "KG_NER_MODEL": args.model}}
    found: dict[str, list[dict]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, env in runs.items():
            out = subprocess.run([sys.executable, __file__, "--child", "--reports", str(args.reports)],
                                 env=env, check=True, capture_output=True, text=True).stdout
            found[name].append(json.loads(out.splitlines()[-1]))
    print(f"extraction stage, first {args.reports} national reports, 1 worker, CPU s (best of 3 per run)")
    print("| recognizer | chars | CPU s per run | chars/s (best run) |")
    print("|---|---:|---:|---:|")
    for name, rows in found.items():
        best = min(r["seconds"] for r in rows)
        per_run = ", ".join(f"{r['seconds']:.2f}" for r in rows)
        print(f"| {name} | {rows[0]['chars']:,} | {per_run} | {rows[0]['chars'] / best:,.0f} |")


if __name__ == "__main__":
    main()
