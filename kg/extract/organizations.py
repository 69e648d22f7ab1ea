"""Recognizes organizations by the grammar of Chinese agency names.

An agency mention is a jurisdiction prefix (重庆市, 市, a district, 区/县, a subdistrict,
全国, 国家) followed by a body's name (民政局, 人力社保局, 卫生健康委, 妇联, 区委 ...), or an
area-prefixed public institution (…服务中心, …医院, …大学), kept as written. Names are normalized, not invented:
市 alone is 重庆市, 区/县 alone the article's district, abbreviations are expanded
(市人力社保局 -> 重庆市人力资源和社会保障局) and every written form is kept as an alias.
Bodies the grammar does not know (公安部经济犯罪侦查局, 省疾控中心) come from the statistical
model's ORG spans (kg/extract/lac.py), kept as written when they end in an agency head.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import vocab, wordclass
from kg.extract.context import Sentence, SentenceRecognizer, add_mention, after_last, sentences
from kg.extract.model import ORG, Mention

NATIONAL_PREFIXES = ("全国", "国家", "中共中央", "国务院")
PROVINCE_PREFIXES = ("自治区", "省")  # in an other province's text, the province it speaks for
# Word classes of a last word that ends in a head's character without being one (主办, 地处, 北部).
HEAD_WORD_NOT = {"v", "vn", "f", "d", "ad", "l", "i"}


def _patterns(agency_names, institution_heads) -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """Body names and institution heads are rare in text, jurisdiction prefixes are not: find the
    former, then look back for a prefix ending right before them. The prefix area anchors an
    institution's left edge, its head closes the name."""
    prefixes = [s for s, refs in vocab.area_surfaces().items() if refs[0].level != "Subdistrict" or len(s) > 2]
    prefix = vocab.alternation([*prefixes, "重庆市", "重庆", "市", "区", "县", "省", "自治区", *NATIONAL_PREFIXES])
    names = [n for n in agency_names if n != "委"]
    # 委 alone is a party committee and needs an area before it: 涪陵区委, 县委, 市委 (not 市委员).
    agency = re.compile(rf"{vocab.alternation(names)}|委(?!员)")
    before = re.compile(rf"(?P<youth>团)?(?P<prefix>{prefix})$")
    prefix_at = re.compile(prefix)
    heads = re.compile(vocab.alternation(institution_heads))
    return agency, before, prefix_at, heads


def _split_at_joiners(text: str, spans, joiner: re.Pattern):
    """The model's ORG spans, with one that holds two bodies (自然资源厅会同农业农村厅) split at
    the word that joins them."""
    for start, end, label in spans:
        if label != "ORG":
            yield start, end, label
            continue
        pos = start
        for m in joiner.finditer(text, start, end):
            if m.start() > pos:
                yield pos, m.start(), label
            pos = m.end()
        if pos < end:
            yield pos, end, label


# A grade makes a kind of institution, not one: 国家一级图书馆, 三级甲等医院, 5A级景区
GRADE = re.compile(r"[一二三四五]级|[甲乙丙]等|三甲|\dA级")
# A ranking inside a name makes it a description: 全省首个国家区域医疗中心
RANKING = re.compile(r"首个|首家|首批|第一个")
# A body renamed in the text is one body under its new name (重庆三峡学院更名为重庆三峡科技大学)
RENAMED = re.compile(r"(?:正式)?(?:更名为|改名为|改称为?|升格为|更名)")
# After a body: a joiner, then another body's name up to the next list mark (…会同农业农村厅、…)
LISTED_BODY = re.compile(r"(?:、|和|与|及|会同|联合)(?P<name>[\u4e00-\u9fff]{2,8}?)(?=[、，。；和与及等（(]|$)")
LEVEL_PREFIXES = ("省", "市", "区", "县", "乡", "镇")
# A party committee by its full name: 中共浙江省委, 中国共产党广西壮族自治区委员会 (the model may leave out 中国)
PARTY_COMMITTEE = re.compile(r"(?:中国共产党|中共|共产党)(?P<area>.{2,12}?)(?:委员会|党委|委)")
PREFIX_WINDOW = 14  # longest jurisdiction prefix (a subdistrict's full name) plus 团
# A university or hospital jieba's dictionary knows as one organization word (nt: 郑州大学, 四川大学,
# 协和医院), unless what opens it is a field or a kind (农业大学, 儿童医院, 公立医院: n, v, j… before the head)
DICTIONARY_INSTITUTION_HEADS = ("大学", "学院", "医院")
NAMING_TAGS = frozenset({"ns", "nr", "nrt", "nz", "nt", None})


def _levels_listed(text: str, pos: int) -> bool:
    """A level's character at pos with another beside it (省市县, 区县): several levels, no jurisdiction."""
    return text[pos:pos + 1] in LEVEL_PREFIXES and (text[pos - 1:pos] in LEVEL_PREFIXES or text[pos + 1:pos + 2] in LEVEL_PREFIXES)


def _add_as_written(sent: Sentence, start: int, end: int, taken: list[tuple[int, int]], label: str | None = None) -> None:
    """A body under its name as written (or `label`, the written name its alias). An institution's
    name is a proper name (重庆医科大学): it governs no area (guide: jurisdiction is the area a
    body governs), whatever area it opens with."""
    name = sent.text[start:end]
    add_mention(sent, Mention(ORG, start, end, name, label or name, {"jurisdiction": None, "aliases": {name}}))
    taken.append((start, end))


def _no_district(prefix: str, area: vocab.AreaRef | None) -> bool:
    """区/县 alone in a text about no one district: the guide's 区 alone has no district to name,
    so 区政府 there names no body."""
    return prefix in ("区", "县") and area is None


def expand_prefix(prefix: str, ctx) -> tuple[str, vocab.AreaRef | None]:
    """The jurisdiction a prefix names, as written in a canonical name, and its area."""
    city = vocab.municipality()
    if prefix == "市" and ctx.elsewhere:
        # another place's text: its 市 is that municipality (天津市委), or a city of that province, not Chongqing
        return (ctx.elsewhere, None) if ctx.elsewhere.endswith("市") else (prefix, None)
    if prefix in PROVINCE_PREFIXES and ctx.elsewhere and ctx.elsewhere.endswith(prefix):
        return ctx.elsewhere, None  # a province's own text: its 省人民政府 is 四川省人民政府, not every province's
    if prefix in ("市", "重庆", "重庆市"):
        return city.label, city
    if prefix in ("区", "县"):
        return (ctx.district.label, ctx.district) if ctx.district else (prefix, None)
    refs = vocab.area_surfaces().get(prefix)
    if refs and len(refs) == 1:
        return refs[0].label, refs[0]
    return prefix, None


@Language.factory("ms_organizations", assigns=["doc.spans", "span._.mention"], requires=["doc.spans"],
                  default_config={"agency_names": "agency_names.tsv", "agency_heads": "agency_heads.txt",
                                  "agency_head_false": "agency_head_false.txt",
                                  "people_organizations": "people_organizations.txt",
                                  "institution_heads": "institution_heads.txt", "agency_name_breaks": "agency_name_breaks.txt",
                                  "facility_verbs": "facility_verbs.txt", "facility_verb_leads": "facility_verb_leads.txt",
                                  "facility_works": "facility_works.txt",
                                  "agency_generic_levels": "agency_generic_levels.txt", "company_marks": "company_marks.txt"})
class OrganizationRecognizer(SentenceRecognizer):
    """`agency_names`: body names as written -> full form; `agency_heads`: what closes a body's
    name; `agency_head_false`: words that only end like one; `people_organizations`: bodies
    named without a jurisdiction; `institution_heads`: what closes an area-prefixed institution's
    name; `agency_name_breaks`: words that end a name; `facility_verbs` (opened by
    `facility_verb_leads`) and `facility_works`: what makes a name a facility being built;
    `agency_generic_levels`: what opens a level or a kind, not a name (区级, 乡镇); `company_marks`:
    what makes a name a company's (公司, 银行)."""

    def __init__(self, nlp: Language, name: str, agency_names: str, agency_heads: str, agency_head_false: str,
                 people_organizations: str, institution_heads: str, agency_name_breaks: str, facility_verbs: str,
                 facility_verb_leads: str, facility_works: str, agency_generic_levels: str, company_marks: str):
        self.name = name
        self.agency_names = {written: full for written, full in vocab.table(agency_names)}
        self.heads = vocab.words(agency_heads)
        self.false_heads = frozenset(vocab.words(agency_head_false))
        self.people_organizations = re.compile(vocab.alternation(vocab.words(people_organizations)))
        self.patterns = _patterns(self.agency_names, vocab.words(institution_heads))
        self.name_breaks = vocab.words(agency_name_breaks)
        self.generic_levels = vocab.words(agency_generic_levels)
        self.company_marks = vocab.words(company_marks)
        self.joiner = re.compile(vocab.alternation(self.name_breaks))
        built = vocab.alternation(vocab.words(facility_verbs))
        # A name right after these is a facility being built or a title being sought, not a body that acts.
        self.built = re.compile(rf"(?:{built})(?:好|了)?(?:一批|一个|\d+个|[一二三四五六七八九十]+个)?$")
        # …or an item of a list such a verb opens (建成A医院、B中心), or a name the works follow (推进…中心建设).
        self.built_opening = re.compile(rf"(?:{vocab.alternation(vocab.words(facility_verb_leads))})?(?:{built})")
        self.built_after = re.compile(vocab.alternation(vocab.words(facility_works)))

    def _being_built(self, text: str, start: int, end: int) -> bool:
        if self.built.search(text, max(0, start - 10), start) is not None or self.built_after.match(text, end):
            return True
        if text[start - 1:start] != "、":
            return False
        return self.built_opening.match(text, after_last(text, start, "，。；：,;:")) is not None

    def _rest_of_name(self, text: str, pos: int, word_at_end: dict[int, str], longest: int = 10) -> int | None:
        """The end of the longest run of name characters from `pos` that closes a word and ends in
        an agency head (经济犯罪侦查局 in 公安部经济犯罪侦查局副局长), or None. The word that ends
        it must not be a verb or a direction that merely ends in a head's character (主办, 地处, 北部)."""
        best = None
        for end in range(pos + 1, min(len(text), pos + longest) + 1):
            piece = text[pos:end]
            if not "\u4e00" <= text[end - 1] <= "\u9fff" or any(w in piece for w in self.name_breaks):
                break
            if end in word_at_end and self._ends_in_head(piece) and self._head_word(word_at_end[end]):
                best = end
        return best

    def _head_word(self, word: str) -> bool:
        """Whether the word that ends a name can be a body's head: not a verb or direction that ends
        in a head's character (主办, 地处), nor an idiom (总揽全局), nor a word that only looks like
        one (干部, 格局) or is a word and one of those (研究|部署, 联合国|总部; not 国土安全部)."""
        if wordclass.tag(word) in HEAD_WORD_NOT or word in self.false_heads:
            return False
        return not any(word.endswith(h) and len(word) - len(h) >= 2 and wordclass.tag(word[:-len(h)]) is not None
                       for h in self.false_heads)

    @staticmethod
    def _kind(name: str) -> bool:
        """A kind of institution the dictionary lists as one word (公立医院: 公立 is no name)."""
        return wordclass.tag(name) == "nt" and wordclass.tag(name[:2]) not in NAMING_TAGS

    def _bare_head(self, name: str) -> bool:
        """A head alone (人民政府, 常委会) names no body; a level's party committee (省委) and the
        State Council name their own."""
        return name in self.heads and name not in NATIONAL_PREFIXES and not re.fullmatch(r"[省市区县州]委", name)

    def _ends_in_head(self, name: str) -> bool:
        return name.endswith(self.heads)

    def __call__(self, doc: Doc) -> Doc:
        super().__call__(doc)
        # 妇联 after 区妇联 in one article is that body, and so is 妇联 in a headline before the
        # body names 全国妇联: bare names take the body once the whole article is read
        bodies = doc._.ctx.bodies
        for sent in sentences(doc):
            for m in sent.mentions:
                if m.label == ORG and m.attrs.get("bare") and m.key in bodies:
                    m.key = bodies[m.key]
        return doc

    def _recognize(self, sent: Sentence) -> None:
        ctx = sent.ctx
        text = sent.text
        agency, before, prefix_at, heads = self.patterns
        taken: list[tuple[int, int]] = []
        places = [(start, end) for start, end, label in _split_at_joiners(text, sent.lac, self.joiner) if label in ("LOC", "ORG")]
        for m in agency.finditer(text):
            p = before.search(text, max(0, m.start() - PREFIX_WINDOW), m.start())
            if p and p["prefix"] in ("市", "区", "县") and any(s < p.start() < e for s, e in places):
                continue  # 丰台区政府, 北京市政府: the 区 of a place outside Chongqing; the model's spans take it
            if p and p["prefix"] in LEVEL_PREFIXES and _levels_listed(text, p.start()):
                continue  # 省市县政府机构改革, 区县政府: the governments of several levels, no one body
            mention = self._agency(p, m, ctx) if p else None
            if mention:
                taken.append((mention.start, mention.end))
                add_mention(sent, mention)
                ctx.bodies.setdefault(m.group(), mention.key)
        word_ends = {end for _, end, _ in sent.words}
        for p in self._prefixed_institutions(text, prefix_at, heads):
            start, end, prefix = p
            name = text[start + len(prefix):end]
            if any(s <= start < e for s, e in taken) or any(c in name for c in self.company_marks + self.name_breaks):
                continue
            if end not in word_ends or RANKING.search(name):
                continue  # a head inside a longer word names no body; 省首个…中心: a ranking, not a name
            if re.fullmatch(r"[省市区县]、", text[start - 2:start]):
                continue  # 各省、市、自治区光彩事业促进会: the bodies of several levels, no one body
            if prefix in ("区", "县", "市") or not name[:-2] or name.startswith(self.generic_levels) \
                    or text[start:end].startswith(self.generic_levels):
                continue  # a bare head (区中心) or a level, also one a prefix opens (省级…中心), names nothing
            if (text[start - 1:start] == "个" or (prefix in NATIONAL_PREFIXES and (name.endswith("中心") or self._kind(name)))
                    or GRADE.search(name) or self._being_built(text, start, end)):
                continue  # 国家医学中心, 3—4个国家区域医疗中心, 国家一级图书馆, 建设省级…中心: a designation or a facility, not a body
            # 省图书馆 in Sichuan's report is 四川省图书馆: a province's own institution, not every province's
            own = expand_prefix(prefix, ctx)[0] + name if prefix in PROVINCE_PREFIXES else None
            _add_as_written(sent, start, end, taken, own)
        for start, end in self._dictionary_institutions(sent, text, taken):
            _add_as_written(sent, start, end, taken)
        for m in self.people_organizations.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append(m.span())
                add_mention(sent, Mention(ORG, m.start(), m.end(), m.group(), m.group(),
                                          {"jurisdiction": None, "aliases": {m.group()}, "bare": True}))
        for start, end in self._model_agencies(sent, text, taken):
            name = text[start:end]
            p = prefix_at.match(name)
            _, area = expand_prefix(p.group(), ctx) if p and p.end() < len(name) else (None, None)
            if p and _no_district(p.group(), area):
                continue
            # a province's own body: 省委, 省教育厅 in Sichuan's report are 四川省委, 四川省教育厅
            level = next((w for w in PROVINCE_PREFIXES if name.startswith(w) and len(name) > len(w)), None)
            label = expand_prefix(level, ctx)[0] + name[len(level):] if level else name
            if party := PARTY_COMMITTEE.fullmatch(label):
                # 中共浙江省委, 中国共产党广西壮族自治区委员会: 浙江省委, 广西壮族自治区党委, as the grammar names them
                label = party["area"] + ("党委" if party["area"].endswith("自治区") else "委")
            add_mention(sent, Mention(ORG, start, end, name, label,
                                      {"jurisdiction": area.code if area else None, "aliases": {name}}))
        for start, end in self._listed_bodies(sent, text, taken):
            _add_as_written(sent, start, end, taken)  # taken before the next is looked for
        self._renames(sent)

    @staticmethod
    def _renames(sent: Sentence) -> None:
        """The old name of a body the sentence renames is an alias of its new name, not a body of its own."""
        bodies = sorted((m for m in sent.mentions if m.label == ORG and not m.nested), key=lambda m: m.start)
        for old, new in zip(bodies, bodies[1:]):
            if RENAMED.fullmatch(sent.text, old.end, new.start):
                old.key = new.key
                new.attrs["aliases"] = set(new.attrs.get("aliases", ())) | {old.text}

    def _listed_bodies(self, sent: Sentence, text: str, taken: list[tuple[int, int]]):
        """A body named without its jurisdiction right after another in a list (自然资源厅会同
        农业农村厅、省林草局): two to eight characters of words that end in a body's head."""
        word_at_end = {end: word for _, end, word in sent.words}
        inner_verbs = {start for start, _, word in sent.words if wordclass.tag(word) == "v"}
        for _, prev_end in sorted(taken):
            m = LISTED_BODY.match(text, prev_end)
            if m is None:
                continue
            start, end = m.span("name")
            name = m["name"]
            if name.startswith("其"):
                continue  # 人大及其常委会: its own committee, no body of its own name
            if (end in word_at_end and self._ends_in_head(name) and self._head_word(word_at_end[end])
                    and not any(start <= v < end for v in inner_verbs) and not any(c in name for c in self.company_marks)
                    and not any(s < end and start < e for s, e in taken)):
                yield start, end

    def _model_agencies(self, sent: Sentence, text: str, taken: list[tuple[int, int]]):
        """The statistical model's ORG spans the grammar did not find, kept when they are an agency
        by the grammar's heads (…局, …委员会, …医院); an ORG or a place followed by the rest of a
        body's name (公安部 + 经济犯罪侦查局, 丰台区 + 政府) takes it in, up to a word boundary."""
        tokens = sent.words
        word_at_end = {end: word for _, end, word in tokens}
        # 省 alone opens a province's body (省自然资源厅) as 市 does Chongqing's: a place to extend
        provinces = [(m.start(), m.end(), "LOC") for m in re.finditer(r"(?<![全本我该各外])省", text)]
        for start, end, label in sorted([*_split_at_joiners(text, sent.lac, self.joiner), *provinces]):
            if label not in ("ORG", "LOC") or any(s < end and start < e for s, e in taken):
                continue
            rest = self._rest_of_name(text, end, word_at_end)
            if label == "LOC" and rest is None:
                continue  # a place alone is no body
            end = rest or end
            if not self._head_word(word_at_end.get(end, "")):
                # 自治区党委|总揽全局: the model's span ran past the body's name, which ends at an earlier word
                end = max((e for e in word_at_end if start < e < end and self._ends_in_head(text[start:e])
                           and self._head_word(word_at_end[e])), default=end)
            if text[start] == "好" and "\u4e00" <= text[start - 1:start] <= "\u9fff":
                start += 1  # 实施好自治区人民政府特殊津贴制度: the complement of the verb before, not the name's
            name = text[start:end]
            if name.startswith(self.generic_levels) or self._bare_head(name) or _levels_listed(text, start):
                continue  # 坚持人民政府为人民: a head alone is no body of a named jurisdiction
            inner = [word for s, _, word in tokens if start <= s < end]
            if (len(name) < (2 if text[start] == "省" else 3) or not self._ends_in_head(name) or any(c in name for c in self.company_marks)
                    or not self._head_word(word_at_end.get(end, "")) or any(wordclass.tag(w) == "v" for w in inner)):
                continue  # 银政合作设立政府: a clause, not a name
            if self._being_built(text, start, end):
                continue  # 建设省疾控中心国家区域公共卫生中心: a facility a plan builds, not a body that acts
            if "及其" in name:
                continue  # 人大及其常委会: a body and its own committee, no one body's name
            if name.endswith("政府") and text.startswith("工作", end):
                continue  # 做好江西政府工作: the government's work, 政府工作 one word
            if text[start - 1:start] == "个" or (name.startswith(NATIONAL_PREFIXES) and self._kind(name[2:])):
                continue  # 39个自治区专科…中心, 国家公立医院(改革): a count of a kind, a kind the nation has
            taken.append((start, end))
            yield start, end

    def _dictionary_institutions(self, sent: Sentence, text: str, taken: list[tuple[int, int]]):
        """Universities and hospitals jieba's dictionary knows as one organization word (郑州大学)."""
        for i, (start, end, word) in enumerate(sent.words):
            if not (word.endswith(DICTIONARY_INSTITUTION_HEADS) and len(word) > 3 and wordclass.tag(word) == "nt"
                    and wordclass.tag(word[:-2]) in NAMING_TAGS):
                continue
            if i and sent.words[i - 1][1] == start and wordclass.tag(sent.words[i - 1][2]) == "ns":
                start = sent.words[i - 1][0]  # 新疆|中医药大学: the place jieba cut off opens the name
            if any(s < end and start < e for s, e in taken) or self._being_built(text, start, end):
                continue  # 筹设深圳海洋大学: a university being set up is no body yet
            yield start, end

    @staticmethod
    def _prefixed_institutions(text: str, prefix_at: re.Pattern, heads: re.Pattern):
        """(start, end, prefix) of area-prefixed institution names: for each institution head, the
        earliest jurisdiction prefix before it joined to it by name characters only; the longest
        name wins where several heads share a prefix (重庆医科大学附属儿童医院, not 重庆医科大学)."""
        found: dict[int, tuple[int, int, str]] = {}
        for h in heads.finditer(text):
            for start in range(max(0, h.start() - 12 - PREFIX_WINDOW), h.start()):
                p = prefix_at.match(text, start)
                if p and p.end() <= h.start() and all("\u4e00" <= ch <= "\u9fff" for ch in text[p.end():h.start()]) \
                        and h.start() - p.end() <= 12:
                    found[start] = (start, h.end(), p.group())
                    break
        return sorted(found.values())

    def _agency(self, p: re.Match, m: re.Match, ctx) -> Mention | None:
        prefix, name = p["prefix"], m.group()
        if prefix in NATIONAL_PREFIXES:
            if name == "委":
                return None
            jurisdiction, area = prefix, None
        else:
            jurisdiction, area = expand_prefix(prefix, ctx)
            if _no_district(prefix, area):
                return None
        if name == "委":
            if area is None or area.level == "Subdistrict":
                return None
            full = written = "委"
        else:
            full, written = self.agency_names[name], name
        youth = "团" if p["youth"] else ""
        # 政协: 中国人民政治协商会议{}委员会, the jurisdiction inside the official name
        label = youth + (full.replace("{}", jurisdiction) if "{}" in full else jurisdiction + full)
        surface = f"{youth}{prefix}{name}"
        aliases = {surface, f"{youth}{jurisdiction}{written}"}
        return Mention(ORG, p.start(), m.end(), surface, label,
                       {"jurisdiction": area.code if area else None, "aliases": aliases})
