"""Resolution, the stage between extract and graph: one node per real entity across articles.

Areas, organizations and target groups already carry canonical names from their
recognizers (division codes, expanded agency names, the group scheme). Programs are
met under several names — quoted and unquoted, with and without a generic head
(渝好空间 / “渝好空间”项目, …行动 / …行动计划) — so their names are merged when any
surface form is shared, and the merged node takes its most frequent name as label.
"""

from __future__ import annotations

import re
from collections import Counter

from kg.extract import vocab
from kg.extract.model import ArticleResult, EntityKey
from kg.extract.programs import strip_quotes


def name_forms(name: str) -> set[str]:
    """Forms under which two program names count as the same: quotes/spaces removed, 行动计划 = 行动."""
    base = re.sub(r"\s+", "", strip_quotes(name))
    forms = {base}
    if base.endswith("行动计划"):
        forms.add(base[:-2])
    for suffix in GENERIC_SUFFIXES:
        if base.endswith(suffix) and len(base) - len(suffix) >= 3:
            forms.add(base[: -len(suffix)])
    return forms


CJK = re.compile(r"[\u4e00-\u9fff]")
HEAD_END = re.compile(r"(?:行动|工程|计划|项目|平台|服务圈|联合体|贷|一件事|体系|应用)$")
PLATFORM = re.compile(r"(?:平台|应用|小程序|App|APP)$")
# A name with one of these after it is the same program (新生儿出生一件事联办 = 新生儿出生一件事).
GENERIC_SUFFIXES = ("联办", "建设", "试点", "项目", "产品", "制度", "政策", "机制")


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def resolve(results: list[ArticleResult]) -> dict[EntityKey, EntityKey]:
    """Map every program key of every article to the key of the node it belongs to."""
    uf = _UnionFind()
    votes: Counter[str] = Counter()
    for result in results:
        for key, entity in result.entities.items():
            if entity.cls != "Program":
                continue
            votes[entity.label] += 1
            for surface in {entity.label, *entity.aliases}:
                for form in name_forms(surface):
                    uf.union(("label", entity.label), ("form", form))
    for result in results:
        # within one article, a name that ends another after a code is its short form: 常态化帮扶
        # 政策体系 of “1+N”常态化帮扶政策体系; not after words (企业职工基本养老保险 is not 基本养老保险)
        labels = sorted({e.label for e in result.entities.values() if e.cls == "Program"}, key=len)
        for i, short in enumerate(labels):
            for long in labels[i + 1:]:
                if len(short) >= 5 and long.endswith(short) and not CJK.search(long[: -len(short)]):
                    uf.union(("label", short), ("label", long))
    groups: dict = {}
    for result in results:
        for key, entity in result.entities.items():
            if entity.cls == "Program":
                groups.setdefault(uf.find(("label", entity.label)), set()).add(entity.label)
    mapping: dict[EntityKey, EntityKey] = {}
    for labels in groups.values():
        canonical = max(sorted(labels), key=lambda label: (votes[label], len(label)))
        if any(other.endswith(canonical) and other != canonical for other in labels):
            canonical = max(labels, key=len)  # the full name, not its short form
        for label in labels:
            mapping[("Program", label)] = ("Program", canonical)
    return mapping


def add_corpus_references(article_sentences, results: list[ArticleResult]) -> int:
    """Mark programs one article names and another only mentions (渝快办 introduced on one page,
    named in passing on another) as mentioned there too. Only quoted occurrences, or names of
    four characters or more, count; no link is drawn from such a mention. `article_sentences`
    holds each article's sentence texts (Article.sentences), in the order of `results`.
    Returns how many."""
    names: dict[str, EntityKey] = {}
    for result in results:
        for key, entity in result.entities.items():
            if entity.cls == "Program":
                for name in {entity.label, *entity.aliases}:
                    name = strip_quotes(name)
                    # a quoted part of a longer name (“家门口”就业帮扶工程, “扩面提质”专项行动) is no
                    # name of its own, except an app's or platform's (“渝快办”政务服务平台)
                    if name == strip_quotes(entity.label) or HEAD_END.search(name) or PLATFORM.search(entity.label):
                        names.setdefault(name, key)
    names = {n: k for n, k in names.items() if len(n) >= 3}
    if not names:
        return 0
    pattern = re.compile(vocab.alternation(names))
    added = 0
    for texts, result in zip(article_sentences, results):
        for text in texts:
            for m in pattern.finditer(text):
                quoted = text[m.start() - 1:m.start()] in "“‘「\"" and text[m.end():m.end() + 1] in "”’」\""
                if not quoted and len(m.group()) < 4:
                    continue
                key = names[m.group()]
                if key not in result.mentioned:
                    result.add_entity(*key)
                    result.mentioned.add(key)
                    added += 1
    return added
