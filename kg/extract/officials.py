"""Recognizes officials and their posts.

An official is a named person introduced with a public post: a chain of
(organization + post title) joined by 、 and followed by a name — 市民政局党组书记、局长丁中平,
全国政协委员、涪陵区委书记黎勇, 市人大代表、市妇联主席彭辉 — or a roundtable guest entry
(title line, then name line). `ms_official_refs` then finds later bare mentions of the same
names (丁中平介绍). Journalists of the article are never officials; residents and other
people without a public post are never matched because no post introduces them.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import vocab
from kg.extract.context import Post, Sentence, SentenceRecognizer, add_mention, names_regex, sentences
from kg.extract.model import AREA, OFFICIAL, ORG, POST, Mention
from kg.extract.organizations import expand_prefix

# Characters that cannot continue a two-character given name: verbs and particles that follow names.
NAME_STOPS = set("正说介表认等、，。；：:,;在的是和与及提指谈主要将就对也还从向带围聚以为了坦呼解透建强发举看一")
# Words that follow a surname-like character without making a name: 和其他, 李等.
NOT_GIVEN_NAMES = {"其他", "有关", "相关", "等", "各", "一起", "同志", "主任", "书记"}
# Post titles that hold in a body named by a person's area (社区党总支书记): the person counts,
# but without a named organization there is no post node to make.
AREA_TITLE_JOINERS = ("、",)
# Titles that name their own body, an area's government (县委常委、副县长: 副县长 is not in 县委).
GOVERNMENT_HEAD = re.compile(r"[省市区县州镇乡]长$")
# The level of the area whose people's government a head title leads: 市长 the municipality's,
# 区长 and 县长 a district's, 镇长 and 乡长 a subdistrict's.
GOVERNMENT_LEVELS = {"市": "Municipality", "区": "District", "县": "District", "镇": "Subdistrict", "乡": "Subdistrict"}
# What may stand right before a head title alone for it to be the text's own area's (区长谢东, 、常务副县长):
# not a place name the rules do not know (上海市|市长)
PLACE_END = re.compile(r"[省市区县州镇乡村]$")
# A body the rules do not name between a 、 and a title: characters and quotes to the title
UNKNOWN_BODY = re.compile(r"(?<=、)[\u4e00-\u9fff“”‘’『』「」·]{2,14}$")
# A person named as the head of a body in apposition: 以习近平同志为核心的党中央, 以X同志为总书记的党中央.
APPOSITION = re.compile(r"(?:同志)?为")
DESIGNATION = re.compile(r"(?:核心|首|总书记|主席)(?=的)")


def _title_ending_at(text: str, pos: int, titles: re.Pattern) -> re.Match | None:
    """The longest post title that ends right at `pos`."""
    for start in range(max(0, pos - 12), pos):
        t = titles.match(text, start)
        if t and t.end() == pos:
            return t
    return None


def parse_name(text: str, pos: int, surnames: re.Pattern, boundaries: frozenset[int] = frozenset()) -> str | None:
    """A Chinese personal name starting at `pos`: a surname and one or two more characters.

    Where the segmenter put a word boundary after two characters and none after three
    (李秋|正与), the name has two."""
    while pos < len(text) and text[pos] in " \u3000\t":
        pos += 1
    m = surnames.match(text, pos)
    if not m:
        return None
    end = m.end()
    given = 0
    while given < 2 and end < len(text) and "\u4e00" <= text[end] <= "\u9fff":
        if given == 1 and text[end] in NAME_STOPS:
            break
        if given == 0 and text[end] in "、，。；":
            return None
        end += 1
        given += 1
    if given == 0:
        return None
    start = m.start()
    followed_by_word = end < len(text) and "\u4e00" <= text[end] <= "\u9fff"
    if end - start == 3 and start + 2 in boundaries and end not in boundaries and followed_by_word:
        end -= 1
    return text[start:end]


@Language.factory("ms_officials", assigns=["doc.spans", "span._.mention"], requires=["span._.mention", "doc.spans"],
                  default_config={"post_titles": "post_titles.txt", "surnames": "surnames.txt",
                                  "community_bodies": "community_bodies.tsv"})
class OfficialRecognizer(SentenceRecognizer):
    """`post_titles`: the titles that introduce an official; `surnames`: what a name starts with;
    `community_bodies`: the bodies of a community a title may open (党总支书记, 居委会主任)."""

    def __init__(self, nlp: Language, name: str, post_titles: str, surnames: str, community_bodies: str):
        self.name = name
        self.titles = re.compile(vocab.alternation(vocab.words(post_titles)))
        self.surnames = re.compile(vocab.alternation(vocab.words(surnames)))
        self.community_bodies = dict(vocab.table(community_bodies))
        self.community_body = re.compile(vocab.alternation(tuple(self.community_bodies)))

    def _recognize(self, sent: Sentence) -> None:
        ctx = sent.ctx
        text = sent.text
        heads = sorted((m for m in sent.mentions if m.label in (ORG, AREA) and not m.nested), key=lambda m: m.start)
        starts = {m.start: m for m in heads}
        boundaries = None
        consumed: set[int] = set()
        # the model's spans may take in the space a name list puts after a name (刘宴兵 市民政局…)
        persons = {a: name for a, b, label in sent.lac if label == "PER" and 2 <= len(name := text[a:b].rstrip()) <= 4}
        for head in heads:
            if head.start in consumed or head.label != ORG and head.attrs.get("level") not in ("Community", "Subdistrict"):
                continue
            chain_start, pos, org, posts = head.start, head.end, head, []
            while True:
                t = self.titles.match(text, pos)
                if not t:
                    break
                posts.append((org, t))
                pos = t.end()
                if pos < len(text) and text[pos] in AREA_TITLE_JOINERS:
                    if self.titles.match(text, pos + 1):
                        pos += 1
                        continue
                    nxt = starts.get(pos + 1)
                    if nxt is not None:
                        consumed.add(nxt.start)
                        org, pos = nxt, nxt.end
                        # an area chain (街道 + 社区) before the title
                        while (after := starts.get(pos)) is not None and after.label == AREA:
                            consumed.add(after.start)
                            org, pos = after, after.end
                        continue
                break
            if not posts:
                continue
            if boundaries is None:  # the segmenter's word boundaries, needed only once a post is found
                boundaries = frozenset(start for start, _, _ in sent.words)
            at = pos + len(text[pos:]) - len(text[pos:].lstrip(" \u3000\t"))
            name = persons.get(at) or parse_name(text, pos, self.surnames, boundaries)  # the model's person first
            name_start = pos
            if name is None:
                # 李秋是重庆医科大学附属儿童医院教授、…主任: the name precedes 是.
                before = text[max(0, chain_start - 5):chain_start]
                known = [n for n in ctx.officials if before.endswith(n + "是")]
                if not known:
                    continue
                name = known[0]
                name_start = chain_start - len(name) - 1
            else:
                name_start = text.index(name, pos)
            if name in ctx.authors:
                continue
            self._emit(sent, name, name_start, posts)
        self._model_persons(sent, text, persons, heads)

    def _listed_after(self, sent: Sentence, end: int) -> list[tuple[str, int]]:
        """The names listed after an official's with 、 that no title of their own opens: they hold
        the same posts (全国工商联副主席蒋民宽、胡德平等; 副局长张三、李四出席; not 区委书记张三、区长李四,
        nor 张三、李四的家属)."""
        text, out = sent.text, []
        if text[end:end + 1] != "、":
            return out  # most officials: no list after the name
        persons = {a: text[a:b].rstrip("等") for a, b, label in sent.lac if label == "PER"}
        boundaries = frozenset(start for start, _, _ in sent.words)
        word_ends = frozenset(e for _, e, _ in sent.words)
        bodies = [(m.start, m.end) for m in sent.mentions if m.label in (ORG, AREA)]
        places = [(a, b) for a, b, label in sent.lac if label in ("ORG", "LOC")]
        while text[end:end + 1] == "、":
            pos = end + 1
            if self.titles.match(text, pos):
                break  # 、区长…: the next official's own post
            name = persons.get(pos) or parse_name(text, pos, self.surnames, boundaries)
            if (name is None or not 2 <= len(name) <= 4 or not text.startswith(name, pos) or name in sent.ctx.authors
                    or pos + len(name) not in word_ends
                    or any(a < pos + len(name) and pos < b for a, b in bodies + places)):
                break  # 、全国工商联副主席…, 、江苏省文联…: the next official's body
            end = pos + len(name)
            if text[end:end + 1] == "的" or self.titles.match(text, end):
                break
            out.append((name, pos))
        return out

    def _model_persons(self, sent: Sentence, text: str, persons: dict[int, str], heads: list[Mention]) -> None:
        """The model's persons that a post introduces wherever it stands: a chain of titles right
        before the name (区委副书记、区长谢东; 巫溪县委常委、常务副县长李先斌), with the body
        before each title when the text names one, or a title right after it (谢东区长)."""
        known = {m.start for m in sent.mentions if m.label == OFFICIAL}
        ends = {m.end: m for m in heads}
        for start, name in sorted(persons.items()):
            if start in known or name in sent.ctx.authors:
                continue
            posts = self._titles_before(text, start, ends)
            after = start + len(name)
            if not posts and (t := self.titles.match(text, after)):
                posts = [(ends.get(start), t)] if not persons.get(t.end()) else []
            if not posts and (a := APPOSITION.match(text, after)) and (t := DESIGNATION.match(text, a.end())):
                body = next((m for m in heads if m.start == t.end() + 1 and m.label == ORG), None)
                posts = [(body, t)] if body is not None else []
            if posts:
                self._emit(sent, name, start, posts)

    def _titles_before(self, text: str, pos: int, ends: dict[int, Mention]) -> list:
        """(body or None, title) pairs of the post chain that ends at `pos`, first to last."""
        chain, org, unknown_bodies = [], None, set()
        while True:
            t = _title_ending_at(text, pos, self.titles)
            if t is None:
                break
            org = ends.get(t.start(), org if chain else None)
            chain.append((org, t))
            pos = t.start() - (org.end - org.start if org is not None and org.end == t.start() else 0)
            if org is None and (unknown := UNKNOWN_BODY.search(text, max(0, pos - 14), pos)):
                # 全国政协常委、“幸福工程”组委会|主任: a body the rules do not know; the chain goes on before it
                unknown_bodies.add(len(chain) - 1)
                pos = unknown.start()
            if text[pos - 1:pos] != "、":
                break
            pos -= 1
        # a body before a title holds the titles after it too: 市民政局党组书记、局长 (局长 in 市民政局),
        # up to a body it does not know
        out, body = [], None
        for k in reversed(range(len(chain))):
            org, t = chain[k]
            body = None if k in unknown_bodies else org or (body if not GOVERNMENT_HEAD.search(t.group()) else None)
            out.append((body, t))
        return out

    def _community_body(self, sent: Sentence, community: Mention, title: re.Match) -> tuple[Mention, str] | None:
        """The community's body a title opens, as a mention, and the title's rest: 香炉山社区 +
        党总支书记 -> 香炉山社区党总支, 书记."""
        m = self.community_body.match(title.group())
        if m is None or m.end() == len(title.group()):
            return None
        written = m.group()
        full = f"{community.key}{self.community_bodies[written]}"
        body = Mention(ORG, title.start(), title.start() + len(written), written, full,
                       {"jurisdiction": None, "community": community.key, "aliases": {f"{community.key}{written}"}})
        add_mention(sent, body)
        return body, title.group()[len(written):]

    @staticmethod
    def _government(sent: Sentence, before: Mention | None, title: re.Match, chain: list[Post]) -> Mention | None:
        """The people's government a head title leads, as a mention: that of the area before it
        (北碚区区长 -> 北碚区人民政府), of the body's area before it or earlier in the chain
        (北碚区委副书记、区长), else of the text's own (区长 in a district's paper, 市长: 重庆市人民政府;
        guide: 市 alone is Chongqing, 区 alone the article's district)."""
        level_char = title.group()[-2:-1]
        level = GOVERNMENT_LEVELS.get(level_char)
        if level is None:
            return None
        if before is not None and before.label == AREA:
            ref = vocab.areas_by_code().get(before.attrs.get("code") or "")
            start, end = before.start, before.end
        else:
            bodies = {m.key: m for m in sent.mentions if m.label == ORG}
            codes = [m.attrs.get("jurisdiction") for m in ([before] if before is not None else [])
                     + [bodies[p.org] for p in reversed(chain) if p.org in bodies]]
            code = next((c for c in codes if c), None)
            if code is not None:
                ref = vocab.areas_by_code().get(code)
            elif before is None and not PLACE_END.search(sent.text[:title.start()]):
                ref = expand_prefix(level_char, sent.ctx)[1]
            else:
                ref = None
            start, end = title.start(), title.end()
        if ref is None or ref.level != level:
            return None
        full = f"{ref.label}人民政府"
        made = next((m for m in sent.mentions if m.label == ORG and (m.start, m.end, m.key) == (start, end, full)), None)
        return made or add_mention(sent, Mention(ORG, start, end, sent.text[start:end], full,
                                                 {"jurisdiction": ref.code, "aliases": {full, f"{ref.label}政府"}}))

    def _emit(self, sent: Sentence, name: str, start: int, posts) -> None:
        """The official and their posts, and the names listed after theirs that share them."""
        self._emit_one(sent, name, start, posts)
        for listed, listed_start in self._listed_after(sent, start + len(name)):
            if not any(m.label == OFFICIAL and m.start == listed_start for m in sent.mentions):
                self._emit_one(sent, listed, listed_start, posts)

    def _emit_one(self, sent: Sentence, name: str, start: int, posts) -> None:
        known = sent.ctx.officials.setdefault(name, [])
        post_keys = []
        for org, title in posts:
            label = title.group()
            if org is not None and org.label == AREA and org.attrs.get("level") == "Community":
                org, label = self._community_body(sent, org, title) or (None, label)
            elif GOVERNMENT_HEAD.search(label) and not (org is not None and org.key.endswith("人民政府")):
                # 区长 leads the area's government, not the party committee a chain names before it
                org = self._government(sent, org, title, post_keys)
            if org is None or org.label != ORG:
                continue  # a post in an area's body we cannot name: the person still counts
            post = Post(org.key, label)
            if post not in known:
                known.append(post)
            post_keys.append(post)
            add_mention(sent, Mention(POST, title.start(), title.end(), title.group(), f"{org.key}{label}",
                                      {"org": org.key, "title": label, "official": name}))
        if not any(m.label == OFFICIAL and m.start == start for m in sent.mentions):
            add_mention(sent, Mention(OFFICIAL, start, start + len(name), name, name, {"posts": post_keys}))


@Language.factory("ms_official_refs", assigns=["doc.spans", "span._.mention"], requires=["span._.mention"])
class OfficialReferenceRecognizer:
    """Later mentions of an official by name alone, once the article has introduced them."""

    def __init__(self, nlp: Language, name: str = "ms_official_refs"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ctx = doc._.ctx
        if not ctx.officials:
            return doc
        names = names_regex(ctx, "officials", ctx.officials)
        for sent in sentences(doc):
            taken = {(m.start, m.end) for m in sent.mentions if m.label == OFFICIAL}
            for m in names.finditer(sent.text):
                if (m.start(), m.end()) not in taken:
                    add_mention(sent, Mention(OFFICIAL, m.start(), m.end(), m.group(), m.group(), {"posts": []}))
        return doc
