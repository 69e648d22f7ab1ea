"""Finds the guide's links inside one sentence, with the paragraph's speaker as context.

Only what the sentence (or the speech its paragraph reports) supports:
- implementedIn: a program and an area that acts or is the place in the same clause group
  (沙坪坝区创新投用…联合体; 我市将实施…); areas inside an agency name or a title do not count.
- runBy: a program and an agency acting in the same clause group (市妇联……打造了“渝好空间”).
- promotedBy: a program in a sentence an official speaks (X介绍/表示/说, or the paragraph's speaker);
  runBy too for the speaker's own agency when their account names it.
- targets: a group inside the program's name or right before it, or served by it in the same clause group;
  a group a stem of its name implies (老年食堂 -> 老年人).
- holdsPost / memberOf / jurisdiction / partOf: from the mentions' own structure.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg import reference
from kg.extract import vocab
from kg.extract.areas import DEICTICS
from kg.extract.context import Sentence, sentences
from kg.extract.model import AREA, GROUP, OFFICIAL, ORG, POST, PROGRAM, Mention
from kg.extract.organizations import RENAMED

Doc.set_extension("links", default=None, force=True)  # one list of (subject, predicate, object) per doc._.sentences

# An agency that is only the source of the news acts in nothing: 市民政局相关负责人介绍, 记者从市民政局获悉.
SOURCE_AFTER = re.compile(r"(?:（[^）]{0,8}）)?(?:相关)?负责人|(?:（[^）]{0,8}）)?获悉|(?:（[^）]{0,8}）)?了解到")
# A body the sentence sets up or renames is what happens, not who acts: 成功设置…大学, …学院更名为…大学
CREATED_BEFORE = re.compile(rf"(?:设置|设立|组建|成立|新建|挂牌|{RENAMED.pattern})$")
CREATED_AFTER = re.compile(rf"{RENAMED.pattern}|升格|挂牌|成立")
# A party committee or a government leads all its area's work: a speaker's post in one makes it
# run none of the programs the speaker presents (the text must say it does).
LEADING_BODY = re.compile(r"[省市区县]委$|党委$|人民政府$|[省市区县]政府$")


# Nothing but an opening quote between a group and the program after it: 残疾人“两项补贴”
ADJACENT = re.compile(r"[“‘「\"]?")


# How many commas may stand between a program and a group it serves: after it, two (…服务，…，
# 促进农民工就业 is the third clause's own business) unless a means verb makes the program the frame
# of its whole sentence; before it, none, unless a serving word opens the sentence (CONNECTIVE aside)
MAX_CLAUSES_AFTER = 2
MAX_CLAUSES_BEFORE = 0
MEANS_BEFORE = re.compile(r"(?:依托|通过|借助|利用|依靠)[“‘「]?$")
CONNECTIVE = re.compile(r"(?:此外|同时|另外|其中)?[，,]?")


def _commas(text: str, start: int, end: int) -> int:
    return text.count("，", start, end) + text.count(",", start, end)


def clause_groups(text: str) -> list[tuple[int, int]]:
    """Split a sentence at ；— the parts of a list sentence are about different things."""
    bounds, start = [], 0
    for m in re.finditer(r"[；;]", text):
        bounds.append((start, m.end()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


# Where a resident lives, not where a program runs: 天星桥街道居民张毅走进…, 家住沙坪坝街道…
RESIDENT_AFTER = re.compile(r"(?:居民|村民|市民)[\u4e00-\u9fff]{0,3}(?:走进|来到|说|介绍|表示|告诉)")
RESIDENT_BEFORE = re.compile(r"(?:家住|住在|居住在)(?:附近的)?$")


def _address(text: str, area: Mention) -> bool:
    return RESIDENT_AFTER.match(text, area.end) is not None or RESIDENT_BEFORE.search(text, 0, area.start) is not None


def _narrowest(areas: list[Mention]) -> list[Mention]:
    """The areas a clause places its programs in, without a named area that only locates a
    narrower one there (东阳街道是北碚区首个…: the program runs in 东阳街道). 全市/我市 still count."""
    if len(areas) < 2:
        return areas
    parents = {m.attrs.get("parent") for m in areas}
    ancestors, frontier = set(), parents - {None}
    by_code = vocab.areas_by_code()
    while frontier:
        ancestors |= frontier
        frontier = {by_code[c].parent_code for c in frontier if c in by_code and by_code[c].parent_code} - ancestors
    return [m for m in areas if m.text in DEICTICS or m.attrs.get("code") not in ancestors]


def names_its_program(group: Mention, found: list[Mention]) -> bool:
    """A group word that ends a program's name names the scheme, not whom it serves (城市低保,
    农村低保: the 低保 of 低保对象's aliases is the scheme here)."""
    return any(p.label == PROGRAM and p.start <= group.start and group.end == p.end for p in found)


def top_level(sent: Sentence, label: str) -> list[Mention]:
    return [m for m in sent.mentions if m.label == label and not m.nested]


@Language.factory("ms_links", assigns=["doc._.links"], requires=["span._.mention", "doc._.speakers"],
                  default_config={"serve_cues": "serve_cues.txt", "join_cues": "join_cues.txt", "group_stems": "group_stems.tsv",
                                  "subject_cues": "subject_cues.txt", "proposal_verbs": "proposal_verbs.txt"})
class LinkFinder:
    """`serve_cues`: words before a group that make a program serve it (为老年人实施…);
    `join_cues`: verbs after a group by which it joins or receives one (农民工参加…保险);
    `subject_cues`: words after an agency that make it the subject of its whole sentence
    (市人力社保局正以…；…推动…); `proposal_verbs`: verbs after an agency's meeting by which it
    proposes programs rather than runs them (区委三届九次全会提出…)."""

    def __init__(self, nlp: Language, name: str, serve_cues: str, join_cues: str, subject_cues: str, proposal_verbs: str,
                 group_stems: str):
        self.name = name
        terms = reference.target_groups()
        self.group_stems = {stem: terms[group] for stem, group in vocab.table(group_stems)}
        self.stem_regex = re.compile(vocab.alternation(list(self.group_stems)))
        self.serve_cues = re.compile(vocab.alternation(vocab.words(serve_cues)))
        self.join_cues = re.compile(vocab.alternation(vocab.words(join_cues)))
        self.subject_cues = re.compile(vocab.alternation(vocab.words(subject_cues)))
        # the verb after the name of the agency's meeting (三届九次全会提出): a plenum's programme,
        # not the body at work (an agency that 提出启动 a plan still launches it)
        self.proposes = re.compile(rf"[\u4e00-\u9fff\d]{{0,10}}?(?:全会|会议|大会)(?:{vocab.alternation(vocab.words(proposal_verbs))})")

    def __call__(self, doc: Doc) -> Doc:
        doc._.links, carried = [], []
        for sent, who in zip(sentences(doc), doc._.speakers):
            if sent.paragraph_start:
                carried = []
            links, subjects = self._links(sent, who, carried)
            doc._.links.append(links)
            # 市人力社保局正以…；…；推动“数字人社”建设: a subject goes on past ； to the clauses without one
            if sent.text.rstrip("”’」』\"").endswith(("；", ";")):
                carried = subjects or carried
            else:
                carried = []
        return doc

    def _links(self, sent: Sentence, who, carried: list[Mention]) -> tuple[list[tuple[Mention, str, Mention]], list[Mention]]:
        """The sentence's links, and its subjects; `who` is its Speakers (ms_speakers), `carried`
        the subjects of the sentence before it that a ； continues."""
        links: list[tuple[Mention, str, Mention]] = []
        found = sent.mentions
        programs = top_level(sent, PROGRAM)
        speaker = who.speaking or who.account

        text = sent.text
        actors = [m for m in found if m.label == ORG and not m.nested and not self._in_title(found, m)
                  and not SOURCE_AFTER.match(text, m.end) and not self.proposes.match(text, m.end)
                  and not CREATED_BEFORE.search(text, 0, m.start) and not CREATED_AFTER.match(text, m.end)]
        subjects = [m for m in actors if self.subject_cues.match(text, m.end)]
        if not actors:
            subjects = [Mention(ORG, -1, -1, m.text, m.key, m.attrs) for m in carried]
        # a group that only names an insurance (参加职工保险, 城镇职工养老保险) or a scheme is no one a program serves
        servable = [m for m in found if m.label == GROUP and not m.attrs.get("modifier") and not names_its_program(m, found)]
        for start, end in clause_groups(text):
            here = [m for m in found if start <= m.start < end]
            progs = [p for p in programs if start <= p.start < end]
            if not progs:
                continue
            areas = _narrowest([m for m in here if m.label == AREA and not m.nested and not _address(text, m)])
            orgs = [m for m in actors if start <= m.start < end] + [m for m in subjects if not start <= m.start < end]
            groups = [m for m in servable if start <= m.start < end and not m.nested]
            for p in progs:
                for a in areas:
                    links.append((p, "implementedIn", a))
                for o in orgs:
                    links.append((p, "runBy", o))
                served = [g for g in groups if self._serves(text, start, p, g) and not self._nearer_program(text, progs, p, g)]
                for g in served + self._listed_with(text, groups, served):
                    links.append((p, "targets", g))
            for p in progs:
                if p.attrs.get("area") is not None:
                    links.append((p, "implementedIn", p.attrs["area"]))
                # groups named inside the program's own name (百万高校毕业生等青年…行动计划) or right
                # before it (残疾人“两项补贴”)
                named = [g for g in servable if p.start <= g.start and g.end <= p.end]
                for g in servable:
                    if p.start <= g.start and g.end <= p.end or ADJACENT.fullmatch(text, g.end, p.start):
                        links.append((p, "targets", g))
                links += [(p, "targets", g) for g in self._implied_groups(text, p, named)]
                if speaker:
                    links.append((p, "promotedBy", Mention(OFFICIAL, -1, -1, speaker, speaker)))
                    for org in who.agencies if speaker == who.account else ():
                        if not LEADING_BODY.search(org):
                            links.append((p, "runBy", Mention(ORG, -1, -1, org, org)))

        for m in found:
            if m.label == POST:
                official = Mention(OFFICIAL, -1, -1, m.attrs["official"], m.attrs["official"])
                links.append((official, "holdsPost", m))
        return links, subjects

    def _implied_groups(self, text: str, program: Mention, named: list[Mention]) -> list[Mention]:
        """The groups a program's name says it serves by a stem (group_stems: 老年食堂, 适老化改造 ->
        老年人), unless a group named inside it is that group or one of its kind (失能失智老年人照护服务)."""
        out = []
        for m in self.stem_regex.finditer(text, program.start, program.end):
            term = self.group_stems[m.group()]
            forms = (term.label, *term.aliases, m.group())  # 困难老人家庭适老化改造 names its older people
            if not any(f in g.text for g in named for f in forms) and all(o.key != term.label for o in out):
                out.append(Mention(GROUP, -1, -1, term.label, term.label, {"broader": term.broader}))
        return out

    @staticmethod
    def _in_title(found: list[Mention], org: Mention) -> bool:
        """An agency that only introduces an official's post is not acting in the sentence."""
        return any(m.label == POST and m.attrs.get("org") == org.key and m.start == org.end for m in found)

    @staticmethod
    def _listed_with(text: str, groups: list[Mention], served: list[Mention]) -> list[Mention]:
        """Groups listed with a served one are served too: 加强低保对象、特困人员等群体服务保障."""
        out, served = [], list(served)
        while more := [g for g in groups if g not in served and any(
                re.fullmatch(r"[、和与及]", text[min(g.end, o.end):max(g.start, o.start)]) for o in served)]:
            out += more
            served += more
        return out

    @staticmethod
    def _nearer_program(text: str, progs: list[Mention], program: Mention, group: Mention) -> bool:
        """Another program stands between this one and the group, and is not listed with it (A、B
        惠及X serves X by both): the group belongs to the nearer one (完善社会救助体系，鼓励灵活就业人员参加职工保险)."""
        lo, hi = (program.end, group.start) if program.end <= group.start else (group.end, program.start)
        for other in progs:
            if other is not program and lo <= other.start and other.end <= hi:
                between = text[min(program.end, other.end):max(program.start, other.start)]
                if not re.fullmatch(r"[、和与及“”‘’]*", between):
                    return True
        return False

    def _serves(self, text: str, clause_start: int, program: Mention, group: Mention) -> bool:
        if group.start >= program.end:
            # a program's reach fades over the clauses after it, unless it frames the sentence as its
            # means (依托“141智治平台”，社区…，…，累计为325名老人完成生存认证)
            if (_commas(text, program.end, group.start) > MAX_CLAUSES_AFTER
                    and not MEANS_BEFORE.search(text, 0, program.start)):
                return False
            # …养老保险参保扩面，提高灵活就业人员、农民工参保率: the group's own clause says it joins
            clause_end = min((i for i in (text.find(ch, group.end) for ch in "，。；,;") if i >= 0), default=len(text))
            # the serving word stands in the group's own clause (…，重点围绕儿童群体开展…): one in an
            # earlier clause has its own object (…支持引导，…，切实加强外卖员…服务保障)
            own = max(program.end, *(text.rfind(ch, program.end, group.start) + 1 for ch in "，,"))
            return (self.serve_cues.search(text, own, group.start) is not None
                    or self.join_cues.search(text, group.end, clause_end) is not None)
        # 为老年人实施…, or the group joins or receives it: 推动灵活就业人员参加企业职工基本养老保险
        if _commas(text, group.end, program.start) > MAX_CLAUSES_BEFORE:
            # only a group its serving word puts before the whole sentence reaches past its comma
            # (聚焦失业职工，我市将实施…; 针对农村劳动力，…服务站…齐发力)
            opening = CONNECTIVE.match(text, clause_start).end()
            return self.serve_cues.match(text, opening) is not None and not _commas(text, opening, group.start)
        # here the group stands in the program's own comma clause
        return (self.serve_cues.search(text, clause_start, group.start) is not None
                or self.join_cues.search(text, group.end, program.start) is not None)
