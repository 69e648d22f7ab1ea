"""Recognizes target groups: terms of the ontology's target-group scheme (label + altLabels),
and the narrower groups the text forms from them.

A scheme term or a group head (人员, 人口, 群体, 家庭) preceded by modifiers is a narrower
group: 心理障碍 + 老年人, 失能 + 特困人员, 市外户籍 + 劳动者. The modifiers are the words right
before it that jieba's dictionary calls nouns (or does not know: 失能, 罕见病), at most two,
never a verb, an adjective, a place (but a kind of place before a head is one: 城镇|劳动力), a
level (市级, 市) or another group, nor a rate's denominator (每万|人口); the new group is
`skos:broader` the term.
A head alone is no group. Two terms jieba keeps as one word (妇女儿童) are two groups, unless a
modifier narrows the pair (困境妇女儿童).

Every group the text names becomes a node with `ms:mentionedIn`, linked or not (the guide's
clarification), except one only a figure counts, unless a link reaches it, and one that only
names an insurance (城镇职工养老保险), which no link reaches; `targets` links are the links stage's business.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg import reference
from kg.extract import vocab, wordclass
from kg.extract.context import Sentence, SentenceRecognizer, add_mention, after_last, sentence_mentions
from kg.extract.model import GROUP, ORG, Mention

MODIFIER_TAGS = {"n", "an", "b", "s", "i", "vn", None}
MAX_MODIFIERS = 2
# Adjectives and adverbs: they open a predicate with a verb (明显|降低), and a one-character noun
# modifier binds to them (罕见|病, 急难|病)
ADVERBIAL_TAGS = {"a", "ad", "d"}
# heads that also modify the noun after them (家庭共济, 家庭经济困难: a household's…); 人口, 人员 do not
# (农村人口|供水保障 is the rural population's water supply)
NOUN_MODIFYING_HEADS = ("家庭",)

# A figure right before a group or right after it (3位|百岁老人, 研究生|2名, 患者|超过2000万人)
COUNT_BEFORE = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:多|余)?[位名个]?$")
COUNT_AFTER = re.compile(r"(?:超过|超|达|约|近|共|有)?\d")
# A statistic of a group right after it (学龄人口|结构变化, 老年人口|规模): what is measured, not whom anything serves
STATISTIC_AFTER = re.compile(r"结构|规模|数量|总量|比重|占比|峰值|分布")
# An insurance named after whom it insures (城镇职工养老保险, 职工医保): the group is part of its name
INSURANCE_AFTER = re.compile(r"(?:基本)?(?:养老|医疗|失业|工伤|生育)?保险|医保")


def _state_adjective(word: str) -> bool:
    """An adjective of two characters or more that makes a group of a head (贫困|母亲, 困难|人员),
    as a noun does; a one-character one binds to a noun instead (大|班)."""
    return len(word) >= 2 and wordclass.tag(word) == "a"


def _predicate(word: str) -> bool:
    """A word the dictionary lists as a noun that is an adverb and a verb (明显降低|患者): a
    predicate before the group, not a modifier of it (低|收入 is one: a one-character opener)."""
    return len(word) >= 4 and wordclass.tag(word[-2:]) == "v" and wordclass.tag(word[:-2]) in ADVERBIAL_TAGS


@Language.factory("ms_target_groups", assigns=["doc.spans", "span._.mention"], requires=["span._.mention"],
                  default_config={"group_heads": "group_heads.txt", "group_modifier_stops": "group_modifier_stops.txt",
                                  "program_lead_words": "program_lead_words.txt", "program_verbs": "program_verbs.txt",
                                  "serve_cues": "serve_cues.txt", "group_serving_words": "group_serving_words.txt",
                                  "group_place_modifiers": "group_place_modifiers.txt",
                                  "group_kin_heads": "group_kin_heads.txt"})
class TargetGroupRecognizer(SentenceRecognizer):
    """`group_heads`: heads that make a group with a modifier; `group_modifier_stops`, and the
    clause-opening `program_lead_words` and `program_verbs`: words that never narrow a group;
    `serve_cues` (ms_links') and `group_serving_words`: verbal nouns in a word that serve a group
    rather than narrow it (服务老年人, 关爱儿童, 面向外卖骑手); `group_place_modifiers`: the kinds of
    place (农村) that name, in an article that also names the bare group, the same group;
    `group_kin_heads`: heads that name the family of the group before them (农民工|子女)."""

    def __init__(self, nlp: Language, name: str, group_heads: str, group_modifier_stops: str,
                 program_lead_words: str, program_verbs: str, serve_cues: str, group_serving_words: str,
                 group_place_modifiers: str, group_kin_heads: str):
        self.name = name
        self.place_modifiers = tuple(vocab.words(group_place_modifiers))
        self.kin = frozenset(vocab.words(group_kin_heads))
        self.heads = frozenset(vocab.words(group_heads))
        self.regex = re.compile(vocab.alternation([*reference.target_groups(), *self.heads, *self.kin]))
        self.stops = frozenset(vocab.words(group_modifier_stops))
        self.leads = frozenset(vocab.words(program_lead_words) + vocab.words(program_verbs))
        # 全面落实|残疾人: a word that ends in a policy verb opens a clause, it does not narrow the group
        self.verb_ends = tuple(w for w in self.leads if len(w) >= 2)
        self.serving = re.compile(vocab.alternation(vocab.words(serve_cues) + vocab.words(group_serving_words)))

    def __call__(self, doc: Doc) -> Doc:
        super().__call__(doc)
        # 农村失能特困人员 and 失能特困人员 in one article are one group, the bare name its key
        found = [m for ms in sentence_mentions(doc) for m in ms if m.label == GROUP]
        keys = {m.key for m in found}
        for m in found:
            place = next((p for p in self.place_modifiers if m.key.startswith(p)), None)
            if place and m.key[len(place):] in keys:
                m.key = m.key[len(place):]
        return doc

    def _recognize(self, sent: Sentence) -> None:
        terms = reference.target_groups()
        text = sent.text
        tokens = sent.words
        token_at = {start: i for i, (start, _, _) in enumerate(tokens)}
        ends = {end for _, end, _ in tokens}
        matches = list(self.regex.finditer(text))
        starts = {m.start() for m in matches}
        # 新就业群体|劳动者: a word inside another group's name is no modifier of the group after it
        covered = {pos for m in matches for pos in range(m.start(), m.end())}
        # 儿童 in 重庆医科大学附属儿童医院 names a hospital, not a group
        orgs = [(o.start, o.end) for o in sent.mentions if o.label == ORG]
        found: list[Mention] = []
        for m in matches:
            term = terms.get(m.group())
            if m.group() in self.kin:
                family = next((g for g in found if g.end == m.start()), None)
                if family is not None:  # 进城务工人员|随迁子女: the children of that group, one group
                    broader = term.label if term else None
                    found.append(Mention(GROUP, family.start, m.end(), text[family.start:m.end()],
                                         text[family.start:m.end()], {"broader": broader}))
                    continue
                if term is None and m.group() not in self.heads:
                    continue  # 子女 alone is no group; 家庭 is a head a modifier makes one (育儿家庭)
            if any(s <= m.start() < e for s, e in orgs) or (term is None and m.end() not in ends):
                continue  # a head that ends inside a word (家庭 in 家庭医生) is no group
            if (term is None and m.group() in NOUN_MODIFYING_HEADS and m.end() not in starts
                    and m.end() in token_at and wordclass.tag(tokens[token_at[m.end()]][2]) == "n"):
                continue  # 个人账户家庭|共济改革: 家庭 a noun follows modifies it (a household's…), it names no group
            start = self._modifiers_start(tokens, token_at, covered, m.start(), m.end() if term else None)
            if start < m.start():
                name = text[start:m.end()]
                broader = term.label if term else None
                found.append(Mention(GROUP, start, m.end(), name, name, {"broader": broader}))
            elif term is not None:
                found.append(Mention(GROUP, m.start(), m.end(), m.group(), term.label, {"broader": term.broader}))
        for g in found:  # 困境妇女 inside 困境妇女儿童 is part of that group's name
            if not any(o is not g and o.start <= g.start and g.end <= o.end and o.end - o.start > g.end - g.start
                       for o in found):
                g.attrs["counted"] = self._only_counted(text, g)
                g.attrs["modifier"] = INSURANCE_AFTER.match(text, g.end) is not None
                add_mention(sent, g)

    def _only_counted(self, text: str, g: Mention) -> bool:
        """Whether the group is only what a figure counts (已有3位百岁老人, 罕见病患者超过2000万人,
        博士后研究生2名) or a statistic measures (学龄人口结构变化), with nothing serving it before it
        in its clause: a statistics subject (guide: does not count unless a program serves it)."""
        counted = (COUNT_BEFORE.search(text, 0, g.start) or COUNT_AFTER.match(text, g.end)
                   or STATISTIC_AFTER.match(text, g.end))
        clause_start = after_last(text, g.start, "，。；：,;:")
        return counted is not None and self.serving.search(text, clause_start, g.start) is None

    def _modifiers_start(self, tokens: list[tuple[int, int, str]], token_at: dict[int, int], group_chars: set[int],
                         start: int, term_end: int | None) -> int:
        i = token_at.get(start)
        if i is None:
            # the term ends a word that starts before it: 残疾儿童, 病患者 (a compound the
            # dictionary knows) is the narrower group; inside a longer word (儿童医院) none
            j = next((k for k, (a, b, _) in enumerate(tokens) if a < start < b), None)
            if (term_end is not None and j is not None and tokens[j][1] < term_end
                    and wordclass.tag(tokens[j][2]) in ("n", "nz")):
                # 集体企业|退休人员: the term opens inside a noun that ends within it, whose rest modifies it
                return self._modifiers_start(tokens, token_at, group_chars, tokens[j][0], None)
            if (term_end is None or j is None or not re.fullmatch(r"[\u4e00-\u9fff]{3,6}", tokens[j][2])
                    or tokens[j][1] != term_end):
                return start
            word_start, word = tokens[j][0], tokens[j][2]
            if (word[:start - word_start] in reference.target_groups()
                    and self._modifiers_start(tokens, token_at, group_chars, word_start, None) == word_start):
                return start  # 妇女儿童 is two groups side by side; 困境妇女儿童 one group they both narrow
            # 病|患者 in one word: a one-character noun is no word of its own, it needs the word before it
            bound, last = start - word_start == 1, start
            start, i = word_start, j
        else:
            bound, last = False, start
        stops, leads = self.stops, self.leads
        taken = 0
        while i > 0 and taken < MAX_MODIFIERS:
            prev_start, _, word = tokens[i - 1]
            if (bound and wordclass.tag(word) in ADVERBIAL_TAGS and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", word)
                    and word not in stops and word not in leads and prev_start not in group_chars):
                return prev_start  # 罕见|病|群体, 急难|病患者: the adjective or adverb it binds to
            step = 1
            if len(word) == 1 and i > 1 and len(tokens[i - 2][2]) == 1 and wordclass.tag(tokens[i - 2][2] + word) in ("s", "n"):
                # 市|外|户籍劳动者: jieba cut in context a word its dictionary lists (市外), one modifier
                prev_start, word, step = tokens[i - 2][0], tokens[i - 2][2] + word, 2
            if (prev_start in group_chars or word in stops or self.serving.search(word) or word in leads or "等" in word
                    or word.endswith(self.verb_ends)
                    or re.fullmatch(r"[一二三四五六七八九十]是", word) or word.startswith("每") or not re.fullmatch(r"[\u4e00-\u9fff]{1,4}", word) or "级" in word
                    or (wordclass.tag(word) not in MODIFIER_TAGS
                        and not (term_end is None and (word in self.place_modifiers or _state_adjective(word))))
                    or (wordclass.tag(word) is None and len(word) < 2)
                    or _predicate(word)):
                break
            last, start, i, taken = start, prev_start, i - step, taken + 1
            bound = len(word) == 1
        return last if bound else start  # 大|班|儿童: a one-character modifier bound to nothing is dropped
