"""Start-up time of `kg --help` and `kg query <named query>`, against a bare pyoxigraph script.

Not a unit test: run `python bench/bench_startup.py` and paste its table into README.
Each command runs RUNS times in a fresh interpreter; the table shows the fastest wall time
(the least disturbed by other work on the machine) and the import time that
`python -X importtime` reports for the modules the command loads beyond a bare `python -c pass`
(the overhead the CLI can influence). The store is the small test fixture, so the query itself
takes a few milliseconds and what is measured is start-up.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.graph.store import load_store

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "sample.trig"
BARE = """
import pyoxigraph as ox
store = ox.Store.read_only({store!r})
text = open({rq!r}, encoding="utf-8").read()
prefixes = {{"ms": "https://w3id.org/minsheng-kg/ontology#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}}
for row in store.query(text, prefixes=prefixes):
    print(row)
"""


def import_ms(args: list[str]) -> float:
    """Milliseconds of imports (top-level cumulative times) a command spends."""
    err = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True).stderr
    total = 0
    for line in err.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if m and not m[2].startswith(" "):  # a top-level import: its cumulative time holds its children
            total += int(m[1])
    return total / 1000


def wall_ms(args: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], stdout=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        load_store(SAMPLE, Path(tmp) / "store")
        rq = Path(__file__).resolve().parents[1] / "kg" / "query" / "queries" / "who-runs.rq"
        commands = {
            "python -c pass": ["-c", "pass"],
            "bare pyoxigraph script (who-runs)": ["-c", BARE.format(store=str(Path(tmp) / "store"), rq=str(rq))],
            "kg --help": ["-m", "kg.cli", "--help"],
            "kg query who-runs": ["-m", "kg.cli", "query", "who-runs", "--build-dir", tmp],
        }
        baseline = min(import_ms(commands["python -c pass"]) for _ in range(3))
        print(f"| command | fastest of {args.runs} (ms) | imports beyond bare python (ms) |")
        print("| --- | ---: | ---: |")
        for name, command in commands.items():
            extra = min(import_ms(command) for _ in range(3)) - baseline
            print(f"| `{name}` | {wall_ms(command, args.runs):.0f} | {max(extra, 0):.0f} |")


if __name__ == "__main__":
    main()
