"""Recognizes administrative areas: the reference gazetteer (重庆市, its 38 districts and
counties and 1,031 subdistricts, full and short names), 我市/全市 for Chongqing, 区/县 alone
for the article's district, and communities/villages named right after their parent."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language

from kg.extract import vocab
from kg.extract.context import Sentence, SentenceRecognizer, add_mention
from kg.extract.model import AREA, Mention

# Chongqing newspapers say 我市/全市/本市 for the municipality.
CITY_DEICTICS = ("我市", "全市", "本市")
DISTRICT_DEICTICS = ("全区", "本区", "我区", "全县", "本县", "我县")
DEICTICS = frozenset(CITY_DEICTICS + DISTRICT_DEICTICS)
# A community or village name right after its subdistrict: 五桥街道香炉山社区, 龙孔镇龙孔村.
COMMUNITY = re.compile(rf"[{vocab.CJK}]{{2,6}}?(?:社区|村)")
NOT_COMMUNITY_HEADS = ("农村", "乡村", "城乡", "村社", "村民", "社区居")
# A place's name that opens a transport facility's name is that facility's, not a mention of the
# place: 江北国际机场 (in 渝北区), 重庆北站
FACILITY_AFTER = re.compile("国际机场|机场|火车站|[东南西北]站|长江大桥|大桥|隧道")


@lru_cache(maxsize=1)
def _gazetteer() -> re.Pattern:
    names = list(vocab.area_surfaces()) + ["重庆", *CITY_DEICTICS, *DISTRICT_DEICTICS]
    return re.compile(vocab.alternation(names))


def area_attrs(ref: vocab.AreaRef) -> dict:
    return {"code": ref.code, "level": ref.level, "parent": ref.parent_code}


@Language.factory("ms_areas", assigns=["doc.spans", "span._.mention"])
class AreaRecognizer(SentenceRecognizer):
    def __init__(self, nlp: Language, name: str = "ms_areas"):
        self.name = name

    def _recognize(self, sent: Sentence) -> None:
        ctx = sent.ctx
        text = sent.text
        surfaces = vocab.area_surfaces()
        city = vocab.municipality()
        districts_here = {m.attrs["code"] for m in sent.mentions if m.label == AREA}
        if ctx.district:
            districts_here.add(ctx.district.code)
        found: list[Mention] = []
        word_starts = {start for start, _, _ in sent.words}
        for m in _gazetteer().finditer(text):
            surface = m.group()
            if surface in DEICTICS and m.start() not in word_starts:
                continue  # 健全|市场化: 全市 across two words is no place
            if surface in CITY_DEICTICS and text.startswith(("首", "第一", "率先"), m.end()):
                continue  # 全市首个: a ranking, not a place
            if FACILITY_AFTER.match(text, m.end()):
                continue
            if surface in CITY_DEICTICS and ctx.elsewhere:
                continue  # 全市 in a text that speaks for another place (辽宁省盘锦市…全市) is that place's city
            if surface in CITY_DEICTICS or surface == "重庆":
                ref = city
            elif surface in DISTRICT_DEICTICS:
                if ctx.district is None:
                    continue
                ref = ctx.district
            else:
                ref = self._disambiguate(surfaces[surface], districts_here)
                if ref is None:
                    continue
            if ref.level == "District":
                districts_here.add(ref.code)
            found.append(Mention(AREA, m.start(), m.end(), surface, ref.label, area_attrs(ref)))
        for mention in found:
            add_mention(sent, mention)
        for mention in found:
            self._community_after(sent, mention)

    @staticmethod
    def _disambiguate(candidates, districts_here) -> vocab.AreaRef | None:
        """A subdistrict name shared by several districts needs its district in context."""
        if len(candidates) == 1:
            return candidates[0]
        local = [c for c in candidates if c.parent_code in districts_here]
        return local[0] if len(local) == 1 else None

    @staticmethod
    def _community_after(sent: Sentence, parent: Mention) -> None:
        if parent.attrs["level"] != "Subdistrict":
            return  # 璧山区创新生态社区 is a concept; a community follows its subdistrict
        m = COMMUNITY.match(sent.text, parent.end)
        if not m or m.group().startswith(NOT_COMMUNITY_HEADS):
            return
        if any(a.label == AREA and a.start == parent.end for a in sent.mentions):
            return  # 丰都县龙孔镇…: the subdistrict comes first, the community follows it
        name = m.group()
        add_mention(
            sent,
            Mention(AREA, m.start(), m.end(), name, name,
                    {"code": None, "level": "Community", "parent": parent.attrs["code"], "parent_label": parent.key}),
        )
