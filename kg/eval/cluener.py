"""Scores the recognizers on CLUENER2020 (name, government, position), text they were not written for.

Span-level exact match on character offsets. The mapping is approximate by design and reported
as such: CLUENER's `name` is every person, ours only people introduced with a public post, so
its recall measures how many named people in news are officials, not a defect alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.eval.score import Score

# CLUENER type -> our mention label
TYPES = {"name": "OFFICIAL", "government": "ORG", "position": "POST"}
PIPES = ("ms_areas", "ms_organizations", "ms_officials", "ms_official_refs")


@dataclass
class ClueNerReport:
    sentences: int = 0
    scores: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in TYPES})


def read_cluener(path: Path) -> list[tuple[str, dict[str, set[tuple[int, int]]]]]:
    if not path.is_file():
        raise KgError(f"{path}: no such CLUENER file")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                spans = {
                    t: {(s, e + 1) for positions in row.get("label", {}).get(t, {}).values() for s, e in positions}
                    for t in TYPES
                }
                rows.append((row["text"], spans))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise KgError(f"{path}:{n}: not a CLUENER record ({exc})") from None
    return rows


def score_cluener(path: Path, limit: int | None = None) -> ClueNerReport:
    from kg.extract.context import ArticleContext
    from kg.extract.pipeline import build_nlp

    nlp = build_nlp()
    report = ClueNerReport()
    for text, gold in read_cluener(path)[:limit]:
        doc = nlp.make_doc(text)
        doc._.ctx = ArticleContext()
        for name in PIPES:
            nlp.get_pipe(name)(doc)
        report.sentences += 1
        for cluener_type, label in TYPES.items():
            predicted = {(m.start, m.end) for m in doc._.mentions or [] if m.label == label}
            score = report.scores[cluener_type]
            score.tp += len(predicted & gold[cluener_type])
            score.fp += len(predicted - gold[cluener_type])
            score.fn += len(gold[cluener_type] - predicted)
    return report


def format_report(report: ClueNerReport) -> str:
    lines = [f"CLUENER2020: {report.sentences} sentences, exact span match", f"{'type':<12}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for t, s in report.scores.items():
        lines.append(f"{t:<12}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}")
    return "\n".join(lines)
