"""Recognizes programs: named livelihood initiatives.

Three cues, all general: a quoted name that is itself a program (“富民贷”, ends in a program
head such as 贷/行动/服务圈) or is followed by a program head (“渝悦·养老”数字平台) or is the
object of a program verb (打造“渝好空间”); an unquoted name that a program verb introduces
and a program head closes (实施百万…行动计划, 打造全市首个社会救助服务联合体), or that an
institution verb introduces and an institution head closes (健全廉租住房制度); and later
mentions of a name the article has already introduced.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kg import reference
from kg.extract import vocab, wordclass
from kg.extract.program_filter import WEIGHTS, ProgramFilter
from kg.extract.sectors import SectorScheme
from kg.extract.context import Sentence, SentenceRecognizer, add_mention, names_regex, sentences
from kg.extract.model import AREA, PROGRAM, Mention

QUOTES = {"“": "”", "‘": "’", "「": "」", '"': '"', "『": "』"}
QUOTED = re.compile(r"“([^“”]{2,24})”|‘([^‘’]{2,24})’|「([^「」]{2,24})」|\"([^\"]{2,24})\"|『([^『』]{2,24})』")
CLAUSE_END = "，。；：！？,;:!?（()）\n"
_CLAUSE_END = re.compile(f"[{re.escape(CLAUSE_END)}]")
_CLAUSE_RUN = re.compile(f"[^{re.escape(CLAUSE_END)}]{{0,120}}")
_LIST_SEPARATOR = re.compile("[、和与及]")  # where _split_list may split
# Determiners before a name: 全市首个, 一批, 第三批, 12个.
DETERMINER = re.compile(r"^(?:好|和|与|及|以上|了|一个|一张|一批|一大|[全本该我各][市区县国省地])?(?:首个|首家|首批|第一个|第[一二三四五六七八九十\d]+批|一批|一个|多个|\d+个)?")
# Words that make a phrase a reference or a description, not a name.
NOT_A_NAME = re.compile(r"[该此这其]|[万亿]元|等[\d一二三四五六七八九十多]|\d+[名个人家户位万]|时期|相关|通过|依托|围绕|作为|成为|用于|要")
QUOTE_CHARS = "“”‘’「」\"『』"
# The longest name a head closes: plans run long (农村留守儿童和困境儿童关爱服务质量提升三年行动计划, 27)
LONGEST_NAME = 30
# A word of one or two characters in quotes is a figure of speech, not a name: 打造创业“热土”.
FIGURE_OF_SPEECH = re.compile(r"[“‘][^“”‘’]{1,2}[”’]")
# 等 and a count after a list's last item: …等6项改革试点项目, …等多个
LIST_COUNT = re.compile(r"等(?:\d+|[一二两三四五六七八九十多]+)[项个类大批条]")
# A quoted name its units are counted by (打造“全民艺术学堂”300个): a kind of service point, not a phrase
COUNTED = re.compile(r"\d+(?:\.\d+)?(?:万|余|多)?[个家所处座支期场]")
# A quoted name in parts joined by middle dots is a brand (“渝悦·根治欠薪”, guide: 渝悦·养老; “社会·愉悦·疫智防控”).
BRAND = re.compile(r"(?:[\u4e00-\u9fff]{2,6}·)+[\u4e00-\u9fff]{2,8}")
# What a name an institution verb leads (健全|…制度) does not hold: a conjunction, 等 or a count's
# determiner (每一件): the object is then two names or a kind, not one name
INSTITUTION_LED_NOT_A_NAME = re.compile("[和与及、等每]")
# A verb and its aspect particle opening a name (组织了|…): _verb_done checks the word class
VERB_DONE = re.compile(r"([\u4e00-\u9fff]{1,3}?)了")
# Verbs that open a policy clause and are never part of a name (建设 and 试点 may be: …建设规划)
INNER_CLAUSE_VERB = re.compile("实施|推进|推动|落实|开展|深化|启动")
# The subject cue: word classes that open a predicate after a name (verbs, adverbs), and those a
# subject's name cannot open with (prepositions, conjunctions, pronouns, time words)
PREDICATE_TAGS = frozenset({"v", "d", "ad", "vd"})
NOT_SUBJECT_START_TAGS = frozenset({"p", "c", "r", "t"})
COPULAS = frozenset({"是", "成为", "为", "即"})
# Where a list item ends, and the word classes no item's name holds (verbs, adverbs, prepositions…)
_ITEM_END = re.compile(f"[、和与及{re.escape(CLAUSE_END)}]")
NOT_NOUN_TAGS = frozenset({"v", "d", "ad", "vd", "p", "c", "r", "t", "u", "m", "q", "f", "uj", "ul", "zg"})


def _regexes(lists: dict[str, tuple[str, ...]]) -> dict[str, re.Pattern]:
    """The cues' patterns, from the component's word lists (config key -> items)."""
    heads = vocab.alternation(lists["program_nouns"] + lists["program_weak_nouns"])
    verbs = vocab.alternation(lists["program_verbs"])
    leads = vocab.alternation(lists["program_verbs"] + lists["program_lead_words"])
    # A、B、C等…; an item may hold a figure (满3岁即入园), which makes it no name but keeps the list whole
    items = rf"(?P<items>[{vocab.CJK}“”‘’·\d]{{2,14}}(?:、[{vocab.CJK}“”‘’·\d]{{2,14}})+)等"
    return {
        "head_end": re.compile(rf"(?:{heads})$"),
        "document": re.compile(rf"《([^《》]{{4,60}}(?:{vocab.alternation(lists['program_document_heads'])}))》"),
        "tail": re.compile(rf"[{vocab.CJK}·]{{0,10}}?(?:{heads})(?![{vocab.CJK}])|[{vocab.CJK}·]{{0,10}}?(?:{heads})"),
        "verb_before": re.compile(rf"(?:{vocab.alternation(lists['program_quote_verbs'])})了?$"),
        "verb": re.compile(rf"(?:{verbs})了?"),
        "lead": re.compile(rf"(?:{leads})[了好]?"),
        "heads": re.compile(heads),
        "kind_list": re.compile(rf"{items}(?:{vocab.alternation(lists['program_kind_words'])})"),
        "shared_head": re.compile(rf"{items}(?P<head>{heads})"),
        "institution_verb": re.compile(vocab.alternation(lists["program_institution_verbs"])),
        "policy_verb": re.compile(rf"(?:{vocab.alternation(lists['program_verbs'] + lists['program_policy_verbs'])})"),
        # a scope word, or a preposition opening an adverbial, ends a policy's name
        "policy_end": re.compile(rf"(?:{vocab.alternation(lists['program_scope_tails'])})|[从到向在于按为对将把]"),
        # 等 before it: “百万英才兴重庆”等招聘活动 names one event of a kind
        "generic_tail": re.compile(rf"等?(?:{vocab.alternation(lists['program_generic_tails'])})"),
        # what a quoted name is when these follow it: a mechanism, a principle, an industry
        "following_not_program": re.compile(rf"^[{vocab.CJK}]{{0,10}}?(?:{vocab.alternation(lists['program_following_nouns'])})"),
        # a verb by which a group joins what follows (农民工参加|城镇职工养老保险): the name is its object
        "join": re.compile(vocab.alternation(lists["join_cues"])),
        # a tail with a verb in it is a clause about the name, not the rest of the name (“谁来联”衡量联合体)
        "tail_break": re.compile(rf"{vocab.alternation(lists['program_tail_breaks'])}|[的及和与、]"),
    }


def strip_quotes(name: str) -> str:
    return "".join(ch for ch in name if ch not in QUOTE_CHARS)


class Candidate(NamedTuple):
    """A proposed program name: its span in the sentence, canonical form, surface forms, and the cue that proposed it."""

    start: int
    end: int
    name: str
    aliases: set[str]
    cue: str


# The word lists the cues read (config key = file stem); group_heads keeps groups from being policies.
WORD_LISTS = ("program_nouns", "program_weak_nouns", "program_verbs", "program_lead_words", "program_quote_verbs",
              "program_kind_words", "program_policy_verbs", "program_scope_tails", "program_generic_tails",
              "program_exclusions", "program_goal_words", "group_heads", "program_document_heads", "program_following_nouns",
              "program_tail_breaks", "program_subject_predicates", "join_cues", "program_institution_verbs",
              "program_institution_heads")


@Language.factory("ms_programs", assigns=["doc.spans", "span._.mention"], requires=["span._.mention"],
                  default_config={"filtered_cues": ["policy-object", "clause", "verb-led", "institution-led", "subject"],
                                  **{key: f"{key}.txt" for key in WORD_LISTS},
                                  "sector_keywords": "sector_keywords.tsv", "program_topics": "program_topics.tsv",
                                  "sector_second_fields": "sector_second_fields.tsv",
                                  "sector_name_only_keywords": "sector_name_only_keywords.txt", "filter_weights": WEIGHTS})
class ProgramRecognizer(SentenceRecognizer):
    """`filtered_cues`: the cues whose candidates the learned filter (program_filter) must accept.
    The other settings are the paths of the word lists and tables it reads; `sectors` is the
    scheme the pipeline also classifies its programs with."""

    def __init__(self, nlp: Language, name: str, filtered_cues: list[str], program_nouns: str, program_weak_nouns: str,
                 program_verbs: str, program_lead_words: str, program_quote_verbs: str, program_kind_words: str,
                 program_policy_verbs: str, program_scope_tails: str, program_generic_tails: str,
                 program_exclusions: str, program_goal_words: str, group_heads: str, program_document_heads: str,
                 program_following_nouns: str, program_tail_breaks: str, program_subject_predicates: str, join_cues: str,
                 program_institution_verbs: str, program_institution_heads: str, sector_keywords: str,
                 program_topics: str, sector_second_fields: str, sector_name_only_keywords: str, filter_weights: str):
        paths = dict(locals())  # the arguments: config key -> path
        lists = {key: vocab.words(paths[key]) for key in WORD_LISTS}
        self.name = name
        self.filtered_cues = frozenset(filtered_cues)
        self.rx = _regexes(lists)
        self.weak_heads = frozenset(lists["program_weak_nouns"])
        self.institution_heads = frozenset(lists["program_institution_heads"])
        self.exclusions = lists["program_exclusions"]
        self.goal_words = lists["program_goal_words"]
        self.scope_ends = lists["program_scope_tails"]
        self.subject_predicates = frozenset(lists["program_subject_predicates"])
        # what a group's name ends in: a term of the scheme or a group head (人员, 人口…)
        self.group_ends = tuple(reference.target_groups()) + lists["group_heads"]
        self.sectors = SectorScheme.load(sector_keywords, program_topics, sector_second_fields, sector_name_only_keywords)
        self.filter = ProgramFilter(filter_weights, lists["program_nouns"] + lists["program_weak_nouns"], self.sectors)

    def _predicate(self, word: str | None) -> bool:
        """A word that opens a clause's predicate: a verb or an adverb by jieba's word class, or
        one of program_subject_predicates."""
        return word is not None and (wordclass.tag(word) in PREDICATE_TAGS or word in self.subject_predicates)

    def _after_scope(self, word_at: dict[int, str], pos: int) -> str | None:
        """The word at pos, or the one after it where it is a scope word (…护理补贴|标准|分别提高到…)."""
        word = word_at.get(pos)
        return word_at.get(pos + len(word)) if word in self.scope_ends else word

    def _opens_subject(self, word: str | None) -> bool:
        """A word a subject's name may start with: not a predicate's, nor a preposition, conjunction,
        pronoun or time word (从基层医疗网络, 各项养老保险, 今年棚户区住房)."""
        return word is not None and not self._predicate(word) and wordclass.tag(word) not in NOT_SUBJECT_START_TAGS

    def excluded(self, name: str) -> bool:
        """A name that holds an excluded word (a company, a line…), or a goal word unless a program
        head closes it (市域医学高地扩面行动 is an action, 医学高地 a goal), or ends in a list's 等."""
        head = self.rx["head_end"].search(name)  # the longest head at the end: 服务体系, not the weak 体系 in it
        closed = head is not None and head.group() not in self.weak_heads
        return (any(w in name for w in self.exclusions + (() if closed else self.goal_words))
                or re.search(r"等(?:[^等]{0,4})$", name) is not None)

    def _recognize(self, sent: Sentence) -> None:
        text = sent.text
        kept = []
        for c in self.candidates(sent):
            if not self.sectors.about_livelihood(c.name, text):  # a plan about industry, trade, the environment… is not one
                continue
            if text[c.start - 1:c.start].isdigit():
                continue  # 30|万以上参保孕产妇产前检查: the rest of a figure, not a name
            if c.cue in self.filtered_cues and not self.filter.keep(c, text, sent.words):
                continue
            kept.append(c)
        kept += self._conjuncts(sent, kept)
        for c in kept:
            self._add(sent, c.start, c.end, c.name, c.aliases)

    def _conjuncts(self, sent: Sentence, kept: list[Candidate]) -> list[Candidate]:
        """The items coordinated with a kept program that a program head closes are candidates the
        filter judges by their form: conjuncts share their category (基本养老保险、基本医疗保险|参保率…; 纳入城镇职工基本医疗保险、
        城镇居民基本医疗保险和新型农村合作医疗制度|覆盖范围)."""
        text, rx = sent.text, self.rx
        word_ends = {end for _, end, _ in sent.words}
        word_at = {start: word for start, _, word in sent.words}
        word_ending = {end: word for _, end, word in sent.words}
        taken = [(c.start, c.end) for c in kept] + [(m.start, m.end) for m in sent.mentions]
        found, todo = [], list(kept)
        while todo:
            c = todo.pop()
            for start, end in (self._next_conjunct(text, c.end, word_ends, word_at),
                               self._previous_conjunct(text, c.start, word_ending)):
                if start is None or any(s < end and start < e for s, e in taken):
                    continue
                while (lead := rx["lead"].match(text, start, end) or rx["policy_verb"].match(text, start, end)) and lead.end() < end:
                    start = lead.end()  # 建设|市域产教联合体, 健全|商品住房: the verb before an item is not its name
                name = text[start:end]
                head = rx["head_end"].search(name)
                if (head is None or len(name) - len(head.group()) < 2 or len(name) > 16 or NOT_A_NAME.search(name)
                        or self.excluded(name) or not re.fullmatch(f"[{vocab.CJK}]+", name)
                        or not self.sectors.about_livelihood(name, text, name_must_say=head.group() in self.weak_heads)):
                    continue
                conjunct = Candidate(start, end, name, {name}, "conjunct")
                if not self.filter.keep(conjunct, text, sent.words):
                    continue  # 用好…监管平台与农村产权交易平台: the filter judges a conjunct's own form
                taken.append((start, end))
                found.append(conjunct)
                todo.append(conjunct)
        return found

    def _next_conjunct(self, text: str, end: int, word_ends: set[int], word_at: dict[int, str]):
        """The item after a 、 or 和 at end, to the last program head that closes a word in it."""
        if end >= len(text) or not (text[end] == "、" or word_at.get(end) in ("和", "及", "与")):
            return None, None
        start = end + 1
        item_end = _ITEM_END.search(text, start)
        stop = item_end.start() if item_end else len(text)
        last = None
        for h in self.rx["heads"].finditer(text, start, stop):
            if h.end() in word_ends:
                last = h.end()
        return (start, last) if last else (None, None)

    def _previous_conjunct(self, text: str, start: int, word_ending: dict[int, str]):
        """The item before a 、 or 和 at start: its nouns back to a verb, an adverb or the clause's start."""
        if start < 1 or not (text[start - 1] == "、" or word_ending.get(start) in ("和", "及", "与")):
            return None, None
        end = start - 1
        pos = end
        while pos in word_ending:
            word = word_ending[pos]
            if wordclass.tag(word) in NOT_NOUN_TAGS or word in "、和及与" or not re.fullmatch(f"[{vocab.CJK}]+", word):
                break
            pos -= len(word)
        return (pos, end) if pos < end else (None, None)

    def candidates(self, sent: Sentence) -> list[Candidate]:
        """Every name a cue proposes in the sentence, before the livelihood test."""
        found: list[Candidate] = []
        text = sent.text
        word_ends = {end for _, end, _ in sent.words}
        word_at = {start: word for start, _, word in sent.words}
        self._quoted(text, word_at, found)
        self._documents(text, found)
        self._verb_led(text, word_ends, word_at, found)
        self._shared_head(text, found)
        self._kind_lists(text, word_ends, found)  # before policy objects: the kind word says what its items are
        self._policy_objects(text, word_ends, found)
        self._verb_led(text, word_ends, word_at, found, institution=True)  # last: it takes no other cue's name
        return found

    def _quoted(self, text: str, word_at: dict[int, str], found: list) -> None:
        rx = self.rx
        accepted_end = -10  # “社保服务进万家”“三进三送”活动: a quote right after an accepted one shares its verb
        for m in QUOTED.finditer(text):
            inner = next(g for g in m.groups() if g)
            after = m.end()
            following = text[after:after + 8]
            if (any(ch in inner for ch in "，。！？,!?") or self.excluded(inner) or rx["following_not_program"].match(following)
                    or rx["heads"].fullmatch(inner)):
                continue  # …; a head alone in quotes (实施“一件事”全链条…) names no program
            generic = rx["generic_tail"].match(text, after)
            tail = rx["tail"].match(text, after)
            head = rx["head_end"].search(inner)
            if head and head.start() >= 2 and "、" not in inner:  # “优化品质、提升品味、做强品牌” is a slogan
                found.append(Candidate(m.start(), m.end(), inner, {inner, m.group()}, "quoted-head"))
            elif (tail and (not generic or generic.end() < tail.end()) and not self.excluded(tail.group())
                  and not rx["tail_break"].search(tail.group())
                  and not NOT_A_NAME.search(tail.group())):
                name = inner + tail.group()
                found.append(Candidate(m.start(), tail.end(), name, {inner, m.group() + tail.group()}, "quoted-tail"))
            elif len(inner) >= 3 and (generic or self._object_of_verb(text, m, accepted_end, after)
                                      or self._shares_next_quotes_head(text, after) or BRAND.fullmatch(inner)
                                      or COUNTED.match(text, after)):
                found.append(Candidate(m.start(), m.end(), inner, {inner, m.group()}, "quoted"))
            elif len(inner) >= 3 and self._opens_clause_as_subject(text, m.start(), word_at.get(after)):
                # “医检互认”累计为群众节省…: a quoted name its clause is about, judged as other subjects are
                found.append(Candidate(m.start(), m.end(), inner, {inner, m.group()}, "subject"))
            else:
                continue
            accepted_end = found[-1][1]

    def _opens_clause_as_subject(self, text: str, start: int, next_word: str | None) -> bool:
        """A quote that opens its clause with a predicate after it (not a copula: “民生为大”是…)."""
        return (start == 0 or text[start - 1] in CLAUSE_END) and self._predicate(next_word) and next_word not in COPULAS

    def _documents(self, text: str, found: list) -> None:
        """A policy document by its title: 印发《关于…促进乡村全面振兴的实施意见》. Its title must name
        a livelihood field itself (an economic or industrial plan is no program)."""
        for m in self.rx["document"].finditer(text):
            title = m.group(1)
            if self.sectors.about_livelihood(title, text, name_must_say=True):
                found.append(Candidate(m.start(), m.end(), title, {title}, "document"))

    def _shares_next_quotes_head(self, text: str, after: int) -> bool:
        """“大足雕客”“龙水刀匠”劳务品牌: a quote right before another one that a head closes."""
        nxt = QUOTED.match(text, after)
        return nxt is not None and self.rx["tail"].match(text, nxt.end()) is not None

    def _object_of_verb(self, text: str, m: re.Match, accepted_end: int, after: int) -> bool:
        """打造“渝好空间”, or a quote right after an accepted one (“社保服务进万家”“三进三送”)."""
        inner = m.group()[1:-1]
        if "、" in inner or "+" in inner or text.startswith("的", after):
            return False
        chained = m.start() - accepted_end in (0, 1) and text[accepted_end:m.start()] in ("", "、")
        return chained or self.rx["verb_before"].search(text, 0, m.start()) is not None

    def _shared_head(self, text: str, found: list) -> None:
        """A head a program verb's list shares: 开展重点人群关爱、未来健康社区建设等行动 names
        重点人群关爱行动 and 未来健康社区建设行动."""
        rx = self.rx
        for v in rx["verb"].finditer(text):
            m = rx["shared_head"].match(text, v.end())
            if m is None:
                continue
            pos = m.start()
            weak = m["head"] in self.weak_heads
            for item in m["items"].split("、"):
                name = strip_quotes(item) + m["head"]
                start, pos = pos, pos + len(item) + 1
                if weak and not self.sectors.about_livelihood(name, text, name_must_say=True):
                    continue  # 深化集体林权、农垦等改革: a generic head needs a livelihood field in each name
                # a short item is a generic activity (开展人才培养、科技跃升等行动), not a name
                if len(strip_quotes(item)) >= 5 and not NOT_A_NAME.search(name) and not re.search(r"\d", item) and not self.excluded(name) and not any(
                        s < start + len(item) and start < e for s, e, *_ in found):
                    found.append(Candidate(start, start + len(item), name, {item, name}, "shared-head"))

    def _kind_lists(self, text: str, word_ends: set[int], found: list) -> None:
        """The items of a list a kind word closes: 落实好育儿补贴、生育休假、免费学前教育等政策
        names 育儿补贴, 生育休假 and 免费学前教育. An item names a livelihood field and ends at a word."""
        rx = self.rx
        for m in rx["kind_list"].finditer(text):
            pos = m.start("items")
            items = m["items"].split("、")
            # 落实好育儿补贴, 扎实做好城乡教育一体化: the verbs and adverbs open the list, not the name
            while (lead := rx["lead"].match(items[0])) and lead.end() < len(items[0]):
                items[0], pos = items[0][lead.end():], pos + lead.end()
            for item in items:
                start, pos = pos, pos + len(item) + 1
                name = strip_quotes(item)
                if (len(name) < 3 or start + len(item) not in word_ends or NOT_A_NAME.search(name) or self.excluded(name)
                        or re.search(r"\d", name)
                        or not self.sectors.about_livelihood(name, text, name_must_say=True)
                        or any(s < start + len(item) and start < e for s, e, *_ in found)):
                    continue
                found.append(Candidate(start, start + len(item), name, {item}, "kind-list"))

    def _policy_objects(self, text: str, word_ends: set[int], found: list) -> None:
        """Policies a clause-opening verb takes as its object without a program head (guide:
        named policies and pilot reforms): 推进城市更新, 深化东西部协作、定点帮扶、消费帮扶,
        扩大生育保险参保覆盖面 -> 生育保险. Only a compact name that names a livelihood field
        counts, and not a group of people (加强残疾人、失业人员等…)."""
        rx = self.rx
        groups = reference.target_groups()
        group_ends, scope_ends = self.group_ends, self.scope_ends
        for clause in re.finditer(rf"[^{re.escape(CLAUSE_END)}]+", text):
            pos, verb_seen = clause.start(), False
            while True:  # 持续深化…, 稳步推行…, 加强和改进…: adverbs and verbs open the clause
                if text.startswith(("和", "与", "并"), pos) and pos + 3 in word_ends and wordclass.tag(text[pos + 1:pos + 3]) == "v":
                    verb_seen = verb_seen or rx["policy_verb"].fullmatch(text, pos + 1, pos + 3) is not None
                    pos += 3  # 加强和改进|…: a second verb
                    continue
                lead = rx["lead"].match(text, pos, clause.end())
                if not lead or (len(lead.group()) == 1 and lead.end() not in word_ends):
                    break  # 加大|以工代赈…: 以 opens a word here, not the clause
                verb_seen = verb_seen or rx["policy_verb"].fullmatch(lead.group().rstrip("了好")) is not None
                pos = lead.end()
            if not verb_seen:
                continue
            pos += DETERMINER.match(text[pos:clause.end()]).end()  # 实施一批…: a batch of a policy is the policy
            for item, offset in _split_policies(text[pos:clause.end()]):
                stop = rx["policy_end"].search(item, 3)
                name = item[: stop.start()] if stop else item
                start = pos + offset
                # jieba joins a scope word to the word before it (服务质量, 住房供给): the name ends there all the same
                ends_word = start + len(name) in word_ends or (stop is not None and stop.group() in scope_ends)
                if (not 4 <= len(name) <= 14 or not ends_word or name.endswith(scope_ends)
                        or not re.fullmatch(rf"[{vocab.CJK}“”‘’+]+", name)
                        or rx["tail_break"].search(name) or NOT_A_NAME.search(name) or self.excluded(name)
                        or (name.endswith(group_ends) and not rx["head_end"].search(name)) or name in groups
                        or rx["verb"].match(name)
                        or FIGURE_OF_SPEECH.search(name)):
                    continue
                if not self.sectors.about_livelihood(name, text, name_must_say=True):
                    continue
                if any(s < start + len(name) and start < e for s, e, *_ in found):
                    continue
                found.append(Candidate(start, start + len(name), strip_quotes(name), {name}, "policy-object"))

    def _verb_led(self, text: str, word_ends: set[int], word_at: dict[int, str], found: list,
                  institution: bool = False) -> None:
        """Names a program verb introduces (实施…行动计划), or an institution verb introduces and an
        institution head or a strong one closes (健全|廉租住房制度), names that open a clause or a list
        item (、育儿补贴、) and end in a head, and names a clause opens as the subject of its
        predicate (高龄津贴|惠及130万老年人, 生育津贴|实现直达快享); generic heads need a
        livelihood field in the name. With `institution`, only the names after an institution verb
        that no other cue proposed (or overlaps)."""
        rx = self.rx
        weak = self.weak_heads
        institution_starts = {v.end() for v in rx["institution_verb"].finditer(text)} if institution else set()
        if institution and not institution_starts:
            return  # most sentences: no institution verb, nothing for this pass to do
        verb_led = {v.end() for v in rx["verb"].finditer(text)}
        clause_starts = {0} | {m.end() for m in _CLAUSE_END.finditer(text)}
        run_starts = institution_starts - verb_led - clause_starts if institution else verb_led | clause_starts
        for run_start in sorted(run_starts):
            end = _CLAUSE_RUN.match(text, run_start).end()  # to the clause's end, at most 120 characters
            for part, offset in _split_list(text[run_start:end], rx["head_end"], self.scope_ends):
                # …、C建设试点等6项改革试点项目: a list's last item ends where 等 and a count close the list
                if closing := LIST_COUNT.search(part):
                    part = part[:closing.start()]
                # The name ends at the last head that closes a word: …行动计划 (not …行动 of it),
                # 扩大生育保险覆盖面 -> 生育保险
                last = None
                for h in rx["heads"].finditer(part):
                    end_in_text = run_start + offset + h.end()
                    if h.end() == len(part) or part[h.end()] in "为的" or end_in_text in word_ends:
                        last = h
                if last is None:
                    continue
                name_raw = part[: last.end()]
                name_raw = name_raw[name_raw.rfind("的") + 1:]  # 分层分类的社会救助体系: the name follows 的
                while True:  # 深化实施…, 加快推进…: opening verbs and adverbs are not part of the name
                    det = DETERMINER.match(name_raw)
                    name_raw = name_raw[det.end():] if det else name_raw
                    lead = rx["lead"].match(name_raw) or _verb_done(name_raw)
                    if not lead or lead.end() > len(name_raw) - len(last.group()):
                        break
                    lead_end = run_start + offset + last.end() - len(name_raw) + lead.end()
                    if len(lead.group()) == 1 and lead_end not in word_ends:
                        break  # 实施以工代赈项目: 以 opens a word here, not the name
                    name_raw = name_raw[lead.end():]
                joins = [j for j in rx["join"].finditer(name_raw) if j.end() <= len(name_raw) - len(last.group())
                         and name_raw[:j.start()].removesuffix("等").endswith(self.group_ends)]
                if joins:
                    name_raw = name_raw[joins[-1].end():]
                start = run_start + offset + (len(part[: last.end()]) - len(name_raw))
                name = strip_quotes(name_raw)
                end_at = start + len(name_raw)
                if len(name) - len(last.group()) < 2 or len(name) > LONGEST_NAME or NOT_A_NAME.search(name) or self.excluded(name):
                    continue
                if INNER_CLAUSE_VERB.search(name, 1) or any(
                        start + v.start() in word_at for v in rx["institution_verb"].finditer(name_raw, 1)):
                    continue  # 基层医疗卫生机构|实施|基本药物制度, 城乡|建立|最低生活保障制度: the name follows the clause's own verb
                cue = "institution-led" if institution else "verb-led" if run_start in verb_led else "clause"
                if institution and (INSTITUTION_LED_NOT_A_NAME.search(name)
                                    or (last.group() in weak and last.group() not in self.institution_heads)):
                    continue  # 健全就业优先政策和收入分配制度: two names; 建立…心理筛查|标准: no institution
                if cue == "clause" and not (len(name) <= 12 and not part[last.end():].strip() and not rx["verb"].search(name)):
                    # without a verb, a whole short list item or clause is a name, or a clause's subject,
                    # alone or as a list's last item (基本养老保险、基本医疗保险|参保率均达到95%)
                    if not (start == run_start + offset and len(name) <= 16
                            and not rx["verb"].search(name, 0, len(name) - len(last.group()))  # 试点 may close it
                            and self._opens_subject(word_at.get(start)) and self._predicate(self._after_scope(word_at, end_at))):
                        continue
                    cue = "subject"
                if not self.sectors.about_livelihood(name, text, name_must_say=last.group() in weak):
                    continue
                if institution and any(s < end_at and start < e for s, e, *_ in found):
                    continue
                inside = [f for f in found if start <= f[0] and f[1] <= end_at]
                if any(f.start == start and f.end == end_at and f.cue.startswith("quoted") for f in inside):
                    continue  # a quoted name's own cue already proposed this span (入驻“渝职聘”平台)
                if any(s < end_at and start < e for s, e, *_ in found if (s, e, *_) not in inside):
                    continue
                # 重点群体“家门口”就业帮扶工程 takes over its quoted part, and keeps its names as aliases.
                for f in inside:
                    found.remove(f)
                aliases = {name_raw}.union(*(f[3] for f in inside)) if inside else {name_raw}
                if name_raw.startswith(tuple(QUOTES)) and strip_quotes(name_raw) == name_raw[1:-1]:
                    continue  # a bare quoted name is handled by _quoted
                found.append(Candidate(start, end_at, name, aliases, cue))

    @staticmethod
    def _add(sent: Sentence, start: int, end: int, canonical: str, aliases: set[str]) -> None:
        # A leading area is where the program runs, not part of its name: 沙坪坝区社会救助服务联合体.
        where = None
        ctx = sent.ctx
        for area in (m for m in sent.mentions if m.label == AREA and m.start == start):
            rest = canonical[len(area.text):] if canonical.startswith(area.text) else None
            if rest and len(rest) >= 4:
                aliases = aliases | {canonical}
                canonical, where = rest, area
        canonical = ctx.programs.get(canonical, canonical)
        for alias in aliases | {canonical}:
            ctx.programs.setdefault(strip_quotes(alias), canonical)
        add_mention(sent, Mention(PROGRAM, start, end, sent.text[start:end], canonical, {"aliases": aliases, "area": where}))


@Language.factory("ms_program_refs", assigns=["doc.spans", "span._.mention"], requires=["span._.mention"])
class ProgramReferenceRecognizer:
    """Later mentions of a program the article has introduced (富民贷 without quotes)."""

    def __init__(self, nlp: Language, name: str = "ms_program_refs"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ctx = doc._.ctx
        if not ctx.programs:
            return doc
        names = names_regex(ctx, "programs", ctx.programs)
        for sent in sentences(doc):
            taken = [(m.start, m.end) for m in sent.mentions if m.label == PROGRAM]
            for m in names.finditer(sent.text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                canonical = ctx.programs[m.group()]
                add_mention(sent, Mention(PROGRAM, m.start(), m.end(), m.group(), canonical, {"aliases": {m.group()}}))
        return doc


def _verb_done(name: str) -> re.Match | None:
    """A verb and its 了 opening a name (组织了|救助贫困母亲行动): the clause's predicate, not the name's."""
    m = VERB_DONE.match(name)
    return m if m and wordclass.tag(m.group(1)) == "v" else None


def _split_list(run: str, head_end: re.Pattern, scope_ends: tuple[str, ...] = ()):
    """Split 'A、B和C' into its items (with their offsets), keeping quoted parts whole; 和 splits
    after a head or a scope word (保障性住房建设和城镇棚户区改造)."""
    if not _LIST_SEPARATOR.search(run):
        return [(run, 0)]  # nothing to split at: most runs
    items, start, depth = [], 0, 0
    for i, ch in enumerate(run):
        if ch in "“‘「『":
            depth += 1
        elif ch in "”’」』":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch == "、" or (ch in "和与及" and (head_end.search(run[start:i]) or run[start:i].endswith(scope_ends)))):
            items.append((run[start:i], start))
            start = i + 1
    items.append((run[start:], start))
    return items


def _split_policies(run: str):
    """The items of a policy list: 东西部协作、定点帮扶、消费帮扶; 城市更新和城镇老旧小区改造."""
    out, start = [], 0
    for m in re.finditer(r"、|[和与及](?=[\u4e00-\u9fff]{3})", run):
        if m.group() == "、" or m.start() - start >= 3:
            out.append((run[start:m.start()], start))
            start = m.end()
    out.append((run[start:], start))
    return out

