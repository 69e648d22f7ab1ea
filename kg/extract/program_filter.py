"""The learned keep/drop decision on program candidates.

A logistic regression over a candidate's form (its first and last characters and words, their
jieba word classes, the head word it ends in), the cue that proposed it and the words before
it. Trained by scripts/train_program_filter.py on candidates from reports outside the corpus
and the dev set, labelled by the extraction guide; the weights are ms_programs' `filter_weights`
(data/program_filter.tsv by default, which the training script writes).
"""

from __future__ import annotations

import math
import re
from functools import cache

from kg import reference
from kg.extract import vocab
from kg.extract.sectors import SectorScheme
from kg.extract.wordclass import tag

WEIGHTS = "program_filter.tsv"  # the default of ms_programs' `filter_weights`, and what training writes
THRESHOLD = 0.35  # chosen on the dev set's open part among 0.35, 0.5, 0.65; held-out checked
# A name a program verb introduces and a program head closes is a program unless the filter is
# fairly sure it is not (…站点的具体位置、服务项目): chosen on the seed pages and the dev set's
# open part among 0.08, 0.15 and 0.25 (held-out checked, up at each).
CUE_THRESHOLDS = {"verb-led": 0.15}


def threshold(cue: str) -> float:
    """The probability at which a candidate of this cue is kept."""
    return CUE_THRESHOLDS.get(cue, THRESHOLD)


@cache
def _groups() -> re.Pattern:
    """The target-group scheme's terms, compiled on first use (not when the module is imported)."""
    return re.compile(vocab.alternation(list(reference.target_groups())))


class ProgramFilter:
    """The filter of one ms_programs: its weights file, the program heads and the sector scheme it uses."""

    def __init__(self, weights_path: str, heads: tuple[str, ...], sectors: SectorScheme):
        self.weights = {feature: float(value) for feature, value in vocab.table(weights_path)}
        self.heads, self.sectors = heads, sectors

    def features(self, candidate, sentence: str, seg: list[tuple[int, int, str]]) -> list[str]:
        name, start, end = candidate.name, candidate.start, candidate.end
        inside = [w for s, e, w in seg if s >= start and e <= end]
        before = [w for s, e, w in seg if e <= start]
        first, last = (inside[0], inside[-1]) if inside else (name[:1], name[-1:])
        heads = [h for h in self.heads if name.endswith(h)]
        feats = [
            "bias", f"cue={candidate.cue}", f"last1={name[-1:]}", f"last2={name[-2:]}", f"first1={name[:1]}",
            f"first2={name[:2]}", f"lastword={last}", f"lastpos={tag(last)}", f"firstword={first}",
            f"firstpos={tag(first)}", f"words={min(len(inside), 5)}", f"len={min(len(name) // 3, 6)}",
            f"prevword={before[-1] if before else '^'}", f"sectors={min(len(self.sectors.matches(name)), 2)}",
            f"head={max(heads, key=len) if heads else None}",
        ]
        if start and sentence[start - 1] in "“‘「『\"":
            feats.append("quoted")
        if any(ch.isdigit() for ch in name):
            feats.append("digit")
        if _groups().search(name):
            feats.append("names-a-group")  # 重度残疾人托养照护服务: a service for a group
        return feats

    def probability(self, candidate, sentence: str, seg) -> float:
        w = self.weights
        return 1 / (1 + math.exp(-sum(w.get(f, 0.0) for f in self.features(candidate, sentence, seg))))

    def keep(self, candidate, sentence: str, seg) -> bool:
        return self.probability(candidate, sentence, seg) >= threshold(candidate.cue)


def write_weights(w: dict[str, float], examples: int, positives: int) -> None:
    lines = [f"# program filter weights: {examples} labelled candidates ({positives} programs), "
             "written by scripts/train_program_filter.py train", "# columns: feature\tweight"]
    lines += [f"{f}\t{v:.4f}" for f, v in sorted(w.items())]
    vocab.data_path(WEIGHTS).write_text("\n".join(lines) + "\n", encoding="utf-8")
