"""How long the policy atlas takes to write, and how large it is, for the corpus and for 1M triples.

Not a unit test: run `python bench/bench_atlas.py` and paste its table into README.
The big graph is bench/bench_query.py's (`generate`: >= 1,000,000 triples in the project's
vocabulary, 16,000 programs with six links and one ms:Evidence node each, indicators, officials
with posts, 1,000 articles, plus the real reference data), written as N-Quads like graph.trig
(every triple in the default graph, an article's claims also in its graph). The atlas is written
from that file (`kg atlas`'s default, --graph build/graph.trig) and, for comparison, from the
on-disk store `kg build` loads (--graph build/store). Optionally (--corpus) also from a real build's
graph.trig. Reports the time to read the graph, the total (read, render, write), the number of
pages and files, and the size on disk.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_query import generate  # noqa: E402  (the 1M-triple graph of the query benchmark)

from kg.atlas.data import open_source, read_atlas  # noqa: E402
from kg.atlas.pages import write_atlas  # noqa: E402
from kg.graph.store import load_store  # noqa: E402


def measure(name: str, source: Path, out: Path) -> str:
    started = time.perf_counter()
    data = read_atlas(open_source(source))
    read_s = time.perf_counter() - started
    summary = write_atlas(source, out)
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return (f"| {name} | {data.triples:,} | {read_s:.1f} | {summary.seconds:.1f} | {summary.pages:,} | "
            f"{len(files):,} | {size / 1e6:,.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=16_000)
    parser.add_argument("--corpus", type=Path, help="also the atlas of this graph (e.g. build/graph.trig)")
    args = parser.parse_args()
    rows = ["| graph | quads | read (s) | atlas total (s) | pages | files | size (MB) |", "|---|---:|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.corpus:
            rows.append(measure(f"corpus, {args.corpus.name}", args.corpus, tmp / "corpus-atlas"))
        data = tmp / "bench.nq"
        triples = generate(data, args.programs)
        started = time.perf_counter()
        load_store(data, tmp / "store")
        print(f"generated {triples:,} triples ({args.programs:,} programs); store load "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        rows.append(measure(f"bench_query ({args.programs:,} programs), N-Quads file", data, tmp / "atlas"))
        rows.append(measure(f"bench_query ({args.programs:,} programs), store", tmp / "store", tmp / "atlas"))
    print("\n".join(rows))
    print("\n'atlas total' is what `kg atlas` takes: read the input, render and write every page.")


if __name__ == "__main__":
    main()
