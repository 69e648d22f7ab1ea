"""Entity figures of a development set scored excerpt by excerpt, beside the reference scorer's.

The reference scorer (tests/gold/score.py, kg eval) merges the gold entities of all excerpts that
share a surface form, so every province's 省委 (alias 省委) is one gold entity, and the graph's
四川省委 and 广东省委 count as one right node and a second node. Scored excerpt by excerpt (each
excerpt's gold against the nodes its article mentions, summed over the excerpts), no such merge
happens. Entities only: a link's nodes may be mentioned in several excerpts.
Prints aggregate figures only, so it may run on a held-out part without showing its errors.

    python scripts/score_per_excerpt.py [tests/dev_gold | tests/dev_gold3 ...]   (after `kg eval`)
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg.errors import KgError  # noqa: E402
from kg.eval.devset import load_sources  # noqa: E402
from kg.eval.gold import load_gold  # noqa: E402
from kg.eval.score import Score, score  # noqa: E402
from kg.eval.suite import read_build_graph  # noqa: E402
from kg.namespaces import MS  # noqa: E402


def per_excerpt(folder: Path, build: Path) -> dict[str, dict[str, Score]]:
    """part -> class -> summed Score, from the part graphs `kg eval` built beside BUILD."""
    parts: dict[str, dict[str, Score]] = {}
    for part, held_out in (("open", False), ("held-out", True)):
        excerpts = [e for e in load_sources(folder) if e.held_out == held_out]
        if not excerpts:
            continue
        graph = read_build_graph(build / part)
        totals = parts.setdefault(part, {})
        for e in excerpts:
            stem = Path(e.doc).stem
            own = Graph()
            for t in graph:
                if t[1] != MS.mentionedIn or stem in str(t[2]):
                    own.add(t)
            for cls, s in score(own, load_gold(folder, {stem})).lenient.entities.items():
                total = totals.setdefault(cls, Score())
                total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
    return parts


def main() -> None:
    for arg in sys.argv[1:] or ["tests/dev_gold"]:
        folder = Path(arg)
        build = Path("build-dev" if folder.name == "dev_gold" else f"build-{folder.name}")
        for part, classes in per_excerpt(folder, build).items():
            cells = ", ".join(f"{c} {s.f1:.3f}" for c, s in classes.items() if s.tp + s.fn)
            print(f"{folder.name} {part}, excerpt by excerpt: {cells}")


if __name__ == "__main__":
    try:
        main()
    except KgError as err:  # a set `kg eval` has not built: say so in one line
        sys.exit(f"score_per_excerpt: {err}")
