"""Assigns a program its sectors from a keyword scheme (data/sector_keywords.tsv), and tells
a livelihood program from a plan about something else (data/program_topics.tsv).

The program's own name decides first (…就业创业行动计划 -> 就业); only a name with no
keyword falls back to the sentences it appears in, then to the article's headings. Some
keywords also give a second field (data/sector_second_fields.tsv: 生育 is 托育 and 妇女儿童), and
some count in a name only (data/sector_name_only_keywords.txt: 统筹, a verb in most sentences). The
four tables are ms_programs' config (`sector_keywords`, `program_topics`, `sector_second_fields`,
`sector_name_only_keywords`); the pipeline classifies with that component's scheme.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import vocab


NOT_INSURED = frozenset({"childcare", "rural-revitalization"})


def keyword_table(path: str) -> dict[str, tuple[str, ...]]:
    """key -> keywords, from a table of (key, ;-separated keywords) rows."""
    return {key: tuple(kws.split(";")) for key, kws in vocab.table(path)}


class SectorScheme:
    def __init__(self, sectors: dict[str, tuple[str, ...]], topics: dict[str, tuple[str, ...]],
                 second_fields: dict[str, tuple[str, ...]], name_only: frozenset[str] = frozenset()):
        self.sectors = sectors
        self.second_fields = second_fields
        self.name_only = name_only
        # keyword -> the sectors listing it, by its first character: a text is looked up only for
        # the keywords that can start in it (counting all ~700 keywords in every name was slow)
        self._by_first: dict[str, dict[str, list[str]]] = {}
        for key, keywords in sectors.items():
            for k in dict.fromkeys(keywords):
                self._by_first.setdefault(k[0], {}).setdefault(k, []).append(key)
        self._regex = {
            scheme: re.compile(vocab.alternation([k for keywords in table.values() for k in keywords]))
            for scheme, table in (("sectors", sectors), ("topics", topics))
        }
        self._regex["context"] = re.compile(vocab.alternation(
            [k for keywords in sectors.values() for k in keywords if k not in name_only]))

    @staticmethod
    @lru_cache(maxsize=None)
    def load(sector_keywords: str, program_topics: str, sector_second_fields: str,
             sector_name_only_keywords: str) -> "SectorScheme":
        """The scheme of its table files, built once per set of paths."""
        return SectorScheme(keyword_table(sector_keywords), keyword_table(program_topics),
                            keyword_table(sector_second_fields), frozenset(vocab.words(sector_name_only_keywords)))

    def matches(self, text: str, context: bool = False) -> dict[str, int]:
        """Sector key -> how many times its keywords occur in the text (overlapping ones each count);
        with `context`, the text is around a name, where the name-only keywords do not count."""
        hits: dict[str, int] = {}
        for ch in set(text):
            for k, keys in self._by_first.get(ch, {}).items():
                if context and k in self.name_only:
                    continue
                if n := text.count(k):
                    for key in keys:
                        hits[key] = hits.get(key, 0) + n
        return {key: hits[key] for key in self.sectors if key in hits}

    def _hits(self, text: str, scheme: str) -> int:
        return len(self._regex[scheme].findall(text))

    def about_livelihood(self, name: str, sentence: str, name_must_say: bool = False) -> bool:
        """Whether a candidate program is about livelihood: by its name when the name names a field
        (livelihood or not), else by its sentence. With `name_must_say`, the name itself must name a
        livelihood field (a generic head: …制度, …改革, …补贴)."""
        own, other = self._hits(name, "sectors"), self._hits(name, "topics")
        if own or other:
            return own >= other
        if name_must_say:
            return False
        return self._hits(sentence, "context") >= self._hits(sentence, "topics")

    def classify(self, name: str, sentences: list[str], headings: str) -> list[str]:
        """Sector keys for a program: the sectors its name names most, else the best of its context.
        An insurance's name also gives the field it insures (城乡居民基本养老保险: 社会保险 and 养老;
        跨省异地就医直接结算政策: 社会保险 and 医疗卫生; not 托育), and a second-field keyword its sector
        (生育津贴: 托育 and 妇女儿童)."""
        by_name = self.matches(name)
        if by_name:
            best = max(by_name.values())
            # an insurance's field is the risk it insures: not childcare services (生育保险 insures
            # childbirth: 社会保险, and 妇女儿童 as a second field, not 托育), nor the countryside its
            # insured live in (新型农村社会养老保险: 社会保险 and 养老, not 乡村振兴)
            insurance = by_name.get("social-insurance") == best
            keys = {k for k, v in by_name.items() if (v == best or insurance) and not (insurance and k in NOT_INSURED)}
            keys |= {k for k, words in self.second_fields.items() if any(w in name for w in words)}
            # 公共服务 is the catch-all: a more specific sector of the same strength wins
            return [k for k in sorted(keys) if k != "public-services"] or sorted(keys)
        # the sentence that introduces the program says most about it; then all of them; then the headings
        for context in (sentences[0] if sentences else "", "".join(sentences), headings):
            scores = self.matches(context, context=True)
            if scores:
                return [max(sorted(scores), key=scores.get)]
        return ["public-services"]
