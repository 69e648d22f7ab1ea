"""The yardstick: three measurements of one extractor, printed on one screen by `kg eval`.

1. seed pages: the build of corpus/ against the independent gold of its five pages
   (tests/gold/seeds);
2. development set: excerpts of other reports (tests/dev_gold), built with the same code into
   BUILD-dev/open and BUILD-dev/held-out (beside the build, not in it: a scorer that reads
   every RDF file of BUILD must see the corpus graph only) and scored the same way, each part against
   its own gold (the held-out part's errors are never printed);
3. CLUENER2020 dev: officials and agencies in general news.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.errors import KgError
from kg.eval.cluener import ClueNerReport, score_cluener
from kg.eval.devset import Excerpt, datasets_dir, load_sources, materialize
from kg.eval.gold import CLASSES, LINKS, load_gold
from kg.eval.score import Report, Score, score
from kg.paths import PACKAGE_DIR

REPO = PACKAGE_DIR.parent
SEED_GOLD = REPO / "tests/gold/seeds"
DEV_GOLD = REPO / "tests/dev_gold"
CLUENER = Path("cluener2020/dev.json")


def read_build_graph(path: Path) -> Graph:
    """graph.ttl of a build folder (it holds everything), or the given RDF file."""
    from kg.graph.files import read_graph

    path = Path(path)
    return read_graph(path / "graph.ttl" if path.is_dir() else path)


def score_seeds(build_dir: Path, gold_dir: Path = SEED_GOLD) -> Report:
    return score(read_build_graph(build_dir), load_gold(gold_dir))


@dataclass
class DevReport:
    open: Report | None  # None: the set has no such part
    held_out: Report | None
    everything: Report
    chars: int
    excerpts: int
    folder: Path = DEV_GOLD


def score_dev(work: Path, gold_dir: Path = DEV_GOLD, datasets: Path | None = None, progress=None) -> DevReport:
    """Build each part of the development set into `work/<part>/` (cached per article) and score
    it against that part's gold alone: an extra from one part is never counted against another."""
    excerpts = load_sources(gold_dir)
    parts = {"open": [e for e in excerpts if not e.held_out], "held-out": [e for e in excerpts if e.held_out]}
    graphs, reports = {}, {}
    for name, items in parts.items():
        if items:  # a set may have no held-out part (tests/dev_gold2)
            graphs[name] = _build_part(items, work / name, datasets or datasets_dir(), progress)
            reports[name] = score(graphs[name], load_gold(gold_dir, {Path(e.doc).stem for e in items}))
    union = Graph()
    for graph in graphs.values():  # IRIs are stable: one entity is one node in both parts
        union += graph
    return DevReport(reports.get("open"), reports.get("held-out"), score(union, load_gold(gold_dir)),
                     sum(e.end - e.start for e in excerpts), len(excerpts), Path(gold_dir))


def _build_part(excerpts: list[Excerpt], out: Path, datasets: Path, progress) -> Graph:
    from kg.build import build

    corpus = out / "corpus"
    for old in corpus.glob("*.txt") if corpus.is_dir() else ():
        old.unlink()  # an excerpt dropped from sources.json must not linger in the build
    paths = materialize(excerpts, corpus, datasets)
    _write_manifest(excerpts, corpus)
    summary = build(paths, out, views=False, store=False, progress_factory=progress)
    if summary.skipped:
        raise KgError(f"{out}: the development build skipped {summary.skipped[0].path}: {summary.skipped[0].reason}")
    return read_build_graph(out)


def _write_manifest(excerpts: list[Excerpt], corpus: Path) -> None:
    with (corpus / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "publisher", "date", "title"])
        for e in excerpts:
            who = "国务院" if e.record.isdigit() else f"{e.record}人民政府"
            year = e.record if e.record.isdigit() else "2026"
            w.writerow([e.doc, who, year, f"{year}年{who if e.record.isdigit() else e.record}政府工作报告（节选）"])


def score_cluener_dev(datasets: Path | None = None) -> ClueNerReport:
    return score_cluener((datasets or datasets_dir()) / CLUENER)


# -- the screen ---------------------------------------------------------------------------

def _cells(s: Score | None) -> str:
    if s is None or not (s.tp or s.fp or s.fn):  # nothing in the gold and nothing found
        return f"{'-':>21}"
    return f"{s.p:>7.3f}{s.r:>7.3f}{s.f1:>7.3f}"


def format_screen(seeds: Report | None, dev: DevReport | None, clue: ClueNerReport | None,
                  show_errors: bool = False) -> str:
    cols = [("seed pages", seeds), ("dev set (open)", dev.open if dev else None),
            ("dev set (held-out)", dev.held_out if dev else None)]
    shown = [(t, r) for t, r in cols if r is not None]
    lines = []
    if seeds:
        lines.append(f"seed pages: {len(seeds.docs)} corpus pages, independent gold (tests/gold/seeds)")
    if dev:
        where = dev.folder.relative_to(REPO) if dev.folder.is_relative_to(REPO) else dev.folder
        lines.append(f"dev set:    {dev.excerpts} excerpts, {dev.chars:,} chars ({where})"
                     + ("; held-out errors are never shown" if dev.held_out else "; no held-out part"))
    lines.append("lenient matching")
    lines.append(f"{'':<22}" + "".join(f"{t:>21}" for t, _ in shown))
    lines.append(f"{'':<22}" + f"{'P':>7}{'R':>7}{'F1':>7}" * len(shown))
    for cls in CLASSES:
        lines.append(f"  {cls:<20}" + "".join(_cells(r.lenient.entities[cls] if cls in r.lenient.scored_classes else None)
                                             for _, r in shown))
    lines.append(f"  {'Indicator':<20}" + "".join(_cells(r.indicators) for _, r in shown))
    for p in (*LINKS, "ALL"):
        lines.append(f"  {'link ' + p:<20}" + "".join(_cells(r.lenient.links[p]) for _, r in shown))
    lines.append(f"  {'entity macro-F1':<20}" + "".join(f"{r.lenient.entity_macro_f1:>21.3f}" for _, r in shown))
    lines.append(f"  {'strict macro-F1':<20}" + "".join(f"{r.strict.entity_macro_f1:>21.3f}" for _, r in shown))
    lines.append(f"  {'evidence':<20}" + "".join(f"{r.evidence_coverage:>21.2f}" for _, r in shown))
    if dev:
        lines.append(f"  dev set, all {dev.excerpts}: entity macro-F1 {dev.everything.lenient.entity_macro_f1:.3f}, "
                     f"link F1 {dev.everything.lenient.links['ALL'].f1:.3f}, "
                     f"indicators {dev.everything.indicators.f1:.3f}")
    if clue:
        o, g = clue.officials, clue.organizations
        lines.append(f"CLUENER2020 dev, {clue.sentences} sentences, exact spans")
        lines.append(f"  {'officials':<20}{_cells(o)}   (tp {o.tp} fp {o.fp} fn {o.fn}; government + post + name)")
        lines.append(f"  {'organizations':<20}{_cells(g)}   (tp {g.tp} fp {g.fp} fn {g.fn}; government spans)")
        lines.append(f"  {'any post + name':<20}{'':>7}{clue.any_post_recall:>7.3f}{'':>7}   "
                     f"({clue.any_post_found} of {clue.any_post_pairs}, journalists and managers included)")
    if show_errors:
        for title, r in (("seed pages", seeds), ("dev set (open)", dev.open if dev else None)):
            if r is not None:
                lines += _errors(title, r)
        if clue:
            for name, s in (("CLUENER official", clue.officials), ("CLUENER organization", clue.organizations)):
                lines += [f"{name} miss: {m}" for m in s.misses] + [f"{name} extra: {x}" for x in s.extras]
    return "\n".join(lines)


def _errors(title: str, r: Report) -> list[str]:
    out = ["", f"== errors on the {title} (lenient)"]
    for cls in CLASSES:
        s = r.lenient.entities[cls]
        out += [f"{cls} miss: {m}" for m in s.misses] + [f"{cls} extra: {x}" for x in s.extras]
    for p in LINKS:
        s = r.lenient.links[p]
        out += [f"{p} miss: {m}" for m in s.misses] + [f"{p} extra: {x}" for x in s.extras]
    out += [f"Indicator miss: {m}" for m in r.indicators.misses] + [f"Indicator extra: {x}" for x in r.indicators.extras]
    return out
