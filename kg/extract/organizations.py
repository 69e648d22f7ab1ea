"""Recognizes organizations by the grammar of Chinese agency names.

An agency mention is a jurisdiction prefix (重庆市, 市, a district, 区/县, a subdistrict,
全国, 国家) followed by a body's name (民政局, 人力社保局, 卫生健康委, 妇联, 区委 ...), or an
area-prefixed public institution (…服务中心, …医院, …大学), kept as written. Names are normalized, not invented:
市 alone is 重庆市, 区/县 alone the article's district, abbreviations are expanded
(市人力社保局 -> 重庆市人力资源和社会保障局) and every written form is kept as an alias.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import vocab
from kg.extract.context import text_of, add_mention, context
from kg.extract.model import AREA, ORG, Mention

# Public institutions: the prefix area anchors the left edge, the head closes the name.
INSTITUTION_HEADS = (
    "社会工作服务中心", "卫生服务中心", "服务中心", "指挥中心", "研究中心", "中心", "附属儿童医院",
    "人民医院", "中医院", "医院", "卫生院", "医科大学", "大学", "学院", "文化馆", "图书馆", "博物馆",
)
NATIONAL_PREFIXES = ("全国", "国家", "中共中央", "国务院")
COMPANY_MARKS = ("公司", "集团", "银行", "报社", "日报")
# Words that end a name: what follows them is the rest of a clause (沙坪坝区借助西南医院).
NOT_IN_NAME = ("借助", "推动", "依托", "通过", "联合", "以及", "的", "和", "与", "在", "是", "等")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    prefixes = [s for s, refs in vocab.area_surfaces().items() if refs[0].level != "Subdistrict" or len(s) > 2]
    prefix = vocab.alternation([*prefixes, "重庆市", "重庆", "市", "区", "县", *NATIONAL_PREFIXES])
    names = [n for n in vocab.agency_names() if n != "委"]
    # 委 alone is a party committee and needs an area before it: 涪陵区委, 县委, 市委 (not 市委员).
    agency = re.compile(
        rf"(?P<youth>团)?(?P<prefix>{prefix})(?P<name>{vocab.alternation(names)}|委(?!员))"
    )
    institution = re.compile(
        rf"(?P<prefix>{prefix})(?P<name>[{vocab.CJK}]{{0,12}}(?:{vocab.alternation(INSTITUTION_HEADS)}))"
    )
    return agency, institution


def expand_prefix(prefix: str, ctx) -> tuple[str, vocab.AreaRef | None]:
    """The jurisdiction a prefix names, as written in a canonical name, and its area."""
    city = vocab.municipality()
    if prefix in ("市", "重庆", "重庆市"):
        return city.label, city
    if prefix in ("区", "县"):
        return (ctx.district.label, ctx.district) if ctx.district else (prefix, None)
    refs = vocab.area_surfaces().get(prefix)
    if refs and len(refs) == 1:
        return refs[0].label, refs[0]
    return prefix, None


@Language.factory("ms_organizations")
class OrganizationRecognizer:
    def __init__(self, nlp: Language, name: str = "ms_organizations"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ctx = context(doc)
        agency, institution = _patterns()
        taken: list[tuple[int, int]] = []
        for m in agency.finditer(text_of(doc)):
            mention = self._agency(m, ctx)
            if mention:
                taken.append((mention.start, mention.end))
                add_mention(doc, mention)
        for m in institution.finditer(text_of(doc)):
            if any(s <= m.start() < e for s, e in taken) or any(c in m["name"] for c in COMPANY_MARKS + NOT_IN_NAME):
                continue
            if m["prefix"] in ("区", "县", "市") or not m["name"][:-2]:
                continue  # a bare head (区中心) names nothing
            # An institution's name is a proper name: 重庆医科大学 stays as written.
            _, area = expand_prefix(m["prefix"], ctx)
            add_mention(doc, Mention(ORG, m.start(), m.end(), m.group(), m.group(),
                                     {"jurisdiction": area.code if area else None, "aliases": {m.group()}}))
        return doc

    @staticmethod
    def _agency(m: re.Match, ctx) -> Mention | None:
        prefix, name = m["prefix"], m["name"]
        if prefix in NATIONAL_PREFIXES:
            if name == "委":
                return None
            jurisdiction, area = prefix, None
        else:
            jurisdiction, area = expand_prefix(prefix, ctx)
        if name == "委":
            if area is None or area.level == "Subdistrict":
                return None
            full = written = "委"
        else:
            full, written = vocab.agency_names()[name], name
        youth = "团" if m["youth"] else ""
        label = f"{youth}{jurisdiction}{full}"
        aliases = {m.group(), f"{youth}{jurisdiction}{written}"}
        if prefix in ("市", "区", "县"):
            aliases.add(f"{youth}{prefix}{written}")
        return Mention(ORG, m.start(), m.end(), m.group(), label,
                       {"jurisdiction": area.code if area else None, "aliases": aliases})
