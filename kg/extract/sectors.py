"""Assigns a program its sectors from the keyword scheme in data/sector_keywords.tsv, and
tells a livelihood program from a plan about something else (data/program_topics.tsv).

The program's own name decides first (…就业创业行动计划 -> 就业); only a name with no
keyword falls back to the sentences it appears in, then to the article's headings.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import vocab


def matches(text: str) -> dict[str, int]:
    scores = {}
    for key, keywords in vocab.sector_keywords().items():
        hits = sum(text.count(k) for k in keywords)
        if hits:
            scores[key] = hits
    return scores


@lru_cache(maxsize=2)
def _keyword_regex(scheme: str) -> re.Pattern:
    table = vocab.sector_keywords() if scheme == "sectors" else vocab.program_topics()
    return re.compile(vocab.alternation([k for keywords in table.values() for k in keywords]))


def _hits(text: str, scheme: str) -> int:
    return len(_keyword_regex(scheme).findall(text))


def about_livelihood(name: str, sentence: str, name_must_say: bool = False) -> bool:
    """Whether a candidate program is about livelihood: by its name when the name names a field
    (livelihood or not), else by its sentence. With `name_must_say`, the name itself must name a
    livelihood field (a generic head: …制度, …改革, …补贴)."""
    own, other = _hits(name, "sectors"), _hits(name, "topics")
    if own or other:
        return own >= other
    if name_must_say:
        return False
    return _hits(sentence, "sectors") >= _hits(sentence, "topics")


def classify(name: str, sentences: list[str], headings: str) -> list[str]:
    """Sector keys for a program: every sector its name names, else the best of its context."""
    by_name = matches(name)
    if by_name:
        best = max(by_name.values())
        keys = sorted(k for k, v in by_name.items() if v == best)
        # 公共服务 is the catch-all: a more specific sector of the same strength wins
        return [k for k in keys if k != "public-services"] or keys
    # the sentence that introduces the program says most about it; then all of them; then the headings
    for context in (sentences[0] if sentences else "", "".join(sentences), headings):
        scores = matches(context)
        if scores:
            return [max(sorted(scores), key=scores.get)]
    return ["public-services"]
