"""Build time and peak memory against corpus size: is the build linear, and bounded?

Not a unit test: run `python bench/bench_scale.py [--sizes 1 2 4 8] [--big-mb 50]` and paste its
table into README. Input: the national government work reports 1954-2025 of ../shared/datasets
(1.1M characters, 3.3 MB), copied 1x, 2x, 4x and 8x as one file per report, then a corpus of
about --big-mb megabytes as one file and as many files. Each build runs `kg build --no-views
--no-cache` in its own process; peak memory is that process's maximum resident set size.
Targets (issue 12): time linear in size; at most 2 GB peak for a 50 MB corpus.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[1].parent / "shared/datasets/national_gov_work_reports_1954_2025/government_work_reports.jsonl"


def reports() -> list[str]:
    with REPORTS.open(encoding="utf-8") as fh:
        return [json.loads(line)["content"] for line in fh]


def write_corpus(folder: Path, texts: list[str], copies: int, one_file: bool) -> int:
    folder.mkdir(parents=True)
    if one_file:
        body = "\n\n".join(texts * copies)
        (folder / "all.txt").write_text(body, encoding="utf-8")
        return len(body.encode())
    size = 0
    for c in range(copies):
        for n, text in enumerate(texts):
            path = folder / f"report_{c:03d}_{n:03d}.txt"
            path.write_text(text, encoding="utf-8")
            size += path.stat().st_size
    return size


CHILD = """import resource, sys
from kg.cli import main
try:
    main()
finally:
    print("peak-kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def run_build(corpus: Path, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `kg build` in a child process of its own."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, "build", str(corpus), "--out", str(out), "--no-views", "--no-cache"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    peak = [ln for ln in done.stderr.splitlines() if ln.startswith("peak-kb")]
    if done.returncode or not peak:
        raise SystemExit(f"kg build {corpus} failed: {done.stderr.strip().splitlines()[-1:]}")
    return seconds, int(peak[-1].split()[1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1, 2, 4, 8])
    ap.add_argument("--big-mb", type=int, default=50, help="size of the large case (0 to skip)")
    args = ap.parse_args()
    texts = reports()
    one_copy = sum(len(t.encode()) for t in texts)
    cases = [(f"{n}x reports, many files", n, False) for n in args.sizes]
    if args.big_mb:
        copies = max(1, round(args.big_mb * 1e6 / one_copy))
        cases += [(f"{args.big_mb} MB, one file", copies, True), (f"{args.big_mb} MB, many files", copies, False)]
    print(f"{'case':<26} {'MB':>7} {'seconds':>8} {'s per MB':>9} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, copies, one_file) in enumerate(cases):
            corpus = Path(tmp) / f"c{i}"
            size = write_corpus(corpus, texts, copies, one_file) / 1e6
            seconds, peak = run_build(corpus, Path(tmp) / f"b{i}")
            print(f"{name:<26} {size:>7.1f} {seconds:>8.1f} {seconds / size:>9.1f} {peak:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
