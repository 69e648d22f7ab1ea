"""The extraction pipeline: spacy.blank("zh") with jieba's segmentation (kg.extract.segmenter)
and the project's registered components, one Doc per article (make_article_doc), run by nlp.pipe.

The components' order does what stages did: the first five find what an article introduces
anywhere (areas, organizations, officials with their posts, program names), because newspaper
pages put an introduction after its first use as often as before; the next two resolve bare
references against it; ms_speakers finds who speaks in each paragraph; the last three find
groups, indicators and links sentence by sentence.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from functools import lru_cache
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Registering the factories is importing them.
from kg.extract import areas, groups, indicators, lac, links, ner_model, officials, organizations, programs, speakers  # noqa: F401
from kg import reference
from kg.extract import sectors, segmenter, vocab
from kg.extract.context import ArticleContext, Sentence, Unit, make_article_doc, sentence_mentions, sentences
from kg.extract.model import (
    AREA, GROUP, INDICATOR, OFFICIAL, ORG, POST, PROGRAM,
    ArticleResult, EntityKey, Evidence, IndicatorRecord, Mention,
)
from kg.corpus import layout
from kg.corpus.model import Article

PIPELINE = (
    "ms_lac", "ms_areas", "ms_organizations", "ms_officials", "ms_programs",  # introductions
    "ms_official_refs", "ms_program_refs",  # bare references to them
    "ms_speakers", "ms_target_groups", "ms_indicators", "ms_links",  # the rest, with each paragraph's speaker
)
NER_MODEL_ENV = "KG_NER_MODEL"  # a trained spaCy NER folder: ms_ner_model replaces ms_lac


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The pipeline with every component's default word lists; built once per process."""
    return make_nlp()


def blank_nlp() -> Language:
    """spacy.blank("zh") with the project's segmenter and no components."""
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": segmenter.TOKENIZER}}})


def make_nlp(config: dict[str, dict] | None = None) -> Language:
    """The pipeline, with `config` (component name -> its settings, e.g. a word list's path:
    {"ms_target_groups": {"group_heads": "/tmp/heads.txt"}}) overriding the defaults."""
    nlp = blank_nlp()
    ner_model_path = os.environ.get(NER_MODEL_ENV)
    for name in PIPELINE:
        if name == "ms_lac" and ner_model_path:
            # The trained alternative to LAC (training/ner/), for comparing the two on the dev set.
            nlp.add_pipe("ms_ner_model", config={"model": ner_model_path, **(config or {}).get("ms_ner_model", {})})
        else:
            nlp.add_pipe(name, config=(config or {}).get(name, {}))
    return nlp


def _units(article: Article) -> list[Unit]:
    units = []
    acknowledgement = layout.cues()["acknowledgement"]
    for block in article.blocks:
        if block.kind == "caption":  # a photo's description: one sentence of its own paragraph
            if text := _photo_description(block.text):
                units.append(Unit(text, Evidence(text, block.start, block.start + len(text)), True, False))
            continue  # photo credits (记者 X 摄) and names under portraits name authors, not entities
        if block.kind == "byline":
            continue
        if block.kind == "guests":
            # Title line and name line of a roundtable guest belong together.
            text = re.sub(r"\s+", " ", block.text)
            units.append(Unit(text, Evidence(block.text, block.start, block.end), True, False))
            continue
        for i, s in enumerate(block.sentences):
            if acknowledgement.search(s.text):
                continue  # a report's thanks to its addressees (layout_cues.json)
            units.append(Unit(s.text, Evidence(s.text, s.start, s.end), i == 0, block.kind in ("title", "heading")))
    return units


def _photo_description(text: str) -> str | None:
    """The words of a caption that describe its photo (龙岗街道学坝社区长者食堂。, or the part before
    its credit: “服务百姓健康行动”义诊现场。新渝报记者 犹骥 摄): text of the article, unlike the
    credit or a name under a portrait."""
    credit = layout.cues()["caption_credit"].search(text)
    words = text[:credit.start()].rstrip() if credit else text
    # the credit's newspaper name stays behind (…现场。新渝报记者): the description ends at its full stop
    if credit and "。" in words:
        words = words[:words.rindex("。") + 1]
    elif credit:
        return None
    return words if len(words) > 6 and "\n" not in words else None


def article_doc(nlp: Language, article: Article) -> Doc:
    """The Doc of an article (or of a piece of one), with its context, ready for the pipeline."""
    units = _units(article)
    ctx = ArticleContext.for_article("".join(u.text for u in units), article.source.date, article.authors)
    return make_article_doc(nlp, units, ctx)


# An article longer than this (a whole report in one file) is extracted piece by piece, each
# piece a run of whole blocks and a Doc of its own: memory stays bounded; what one piece
# introduces is not resolved in the next.
PIECE_CHARS = 60_000


def extract_article(article: Article, nlp: Language | None = None) -> ArticleResult:
    return next(extract_articles([article], nlp))


def extract_articles(articles: Iterable[Article], nlp: Language | None = None) -> Iterator[ArticleResult]:
    """Each article's result, in order; the Docs of all their pieces go through one nlp.pipe."""
    nlp = nlp or build_nlp()
    scheme = nlp.get_pipe("ms_programs").sectors

    def pieces():
        for article in articles:
            runs = _block_runs(article)
            for n, blocks in enumerate(runs):
                piece = replace(article, blocks=blocks)
                yield article_doc(nlp, piece), (piece, n == len(runs) - 1)

    result = None
    for doc, (piece, last) in nlp.pipe(pieces(), as_tuples=True):
        found = _assemble(piece, doc, scheme)
        if result is None:
            result = found
        else:
            result.absorb(found)
        if last:
            yield result
            result = None


def _block_runs(article: Article) -> list[tuple]:
    pieces, size = [[]], 0
    for block in article.blocks:
        if size + len(block.text) > PIECE_CHARS and pieces[-1]:
            pieces.append([])
            size = 0
        pieces[-1].append(block)
        size += len(block.text)
    return [tuple(p) for p in pieces]


def _assemble(article: Article, doc: Doc, sector_scheme: sectors.SectorScheme) -> ArticleResult:
    """The article's result from its Doc: mentions from doc.spans, links and speakers per sentence."""
    views = sentences(doc)
    ctx = doc._.ctx
    found = sentence_mentions(doc)
    result = ArticleResult(
        article_id=article.article_id,
        title=article.title,
        date=article.source.date,
        publisher=article.source.publisher,
        authors=tuple(article.authors),
        source_path=article.source.path,
    )
    mentioned = result.mentioned
    program_sentences: dict[EntityKey, list[Sentence]] = {}
    city = vocab.municipality()

    def area_key(m: Mention) -> EntityKey:
        level = m.attrs["level"]
        if level == "Community":
            parent = vocab.areas_by_code()[m.attrs["parent"]]
            key = result.add_entity("AdministrativeArea", m.key, level=level, parent=parent.code)
            parent_key = result.add_entity("AdministrativeArea", parent.label, code=parent.code, level=parent.level)
            result.add_link(key, "partOf", parent_key, current_evidence)
            return key
        alias = () if m.text in areas.DEICTICS else (m.text,)
        return result.add_entity("AdministrativeArea", m.key, *alias, code=m.attrs["code"], level=level)

    def key_of(m: Mention) -> EntityKey | None:
        if m.label == AREA:
            return area_key(m)
        if m.label == ORG:
            key = result.add_entity("Organization", m.key, *m.attrs.get("aliases", ()))
            if m.attrs.get("jurisdiction"):
                ref = vocab.areas_by_code()[m.attrs["jurisdiction"]]
                area = result.add_entity("AdministrativeArea", ref.label, code=ref.code, level=ref.level)
                result.add_link(key, "jurisdiction", area, current_evidence)
            elif ("AdministrativeArea", m.attrs.get("community")) in result.entities:  # 香炉山社区党总支
                result.add_link(key, "jurisdiction", ("AdministrativeArea", m.attrs["community"]), current_evidence)
            return key
        if m.label == OFFICIAL:
            return result.add_entity("Official", m.key)
        if m.label == PROGRAM:
            return result.add_entity("Program", m.key, *(programs.strip_quotes(a) for a in m.attrs.get("aliases", ())))
        if m.label == GROUP:
            return ("TargetGroup", m.key)
        if m.label == POST:
            result.add_entity("Organization", m.attrs["org"])
            return result.add_entity("Post", m.key, title=m.attrs["title"], org=m.attrs["org"])
        return None

    for sent, mentions, sent_links in zip(views, found, doc._.links):
        current_evidence = sent.evidence
        for m in mentions:
            if m.label == INDICATOR:
                continue
            if m.label == GROUP:  # every group the text names is a node, linked or not, unless it is only
                # counted (guide) or only names an insurance (城镇职工养老保险) or a scheme (农村低保)
                if not (m.attrs.get("counted") or m.attrs.get("modifier") or links.names_its_program(m, mentions)):
                    mentioned.add(result.add_entity("TargetGroup", m.key, m.text, broader=m.attrs.get("broader")))
                continue
            key = key_of(m)
            mentioned.add(key)
            if m.label == POST:
                official = result.add_entity("Official", m.attrs["official"])
                result.add_link(official, "memberOf", ("Organization", m.attrs["org"]), current_evidence)
            if m.label == PROGRAM:
                program_sentences.setdefault(key, []).append(sent)
        for subj, pred, obj in sent_links:
            s_key, o_key = key_of(subj), key_of(obj)
            if s_key is None or o_key is None or s_key == o_key:
                continue
            if obj.label == GROUP:
                result.add_entity("TargetGroup", obj.key, obj.text, broader=obj.attrs.get("broader"))
                mentioned.add(o_key)
            result.add_link(s_key, pred, o_key, current_evidence)
        for m in mentions:
            if m.label == INDICATOR:
                result.indicators.append(_indicator(m, mentions, sent, ctx, key_of, city))

    accounts = [who.account for who in doc._.speakers]
    _home_area_links(result, article, views, program_sentences, found, accounts, ctx)
    headings = " ".join(s.text for s in views if s.heading) + article.title
    for key, named_in in program_sentences.items():
        for sector in sector_scheme.classify(key[1], [s.text for s in named_in], headings):
            label = reference.sector_labels()[sector]
            skey = result.add_entity("Sector", label, sector=sector)
            result.add_link(key, "inSector", skey, named_in[0].evidence)
            mentioned.add(skey)
    return result


def _home_area_links(result: ArticleResult, article: Article, views: list[Sentence], program_sentences,
                     found: list[list[Mention]], accounts: list[str | None], ctx: ArticleContext) -> None:
    """The own area of the programs a text reports without placing them (guide): the speaker's
    (a district official on a roundtable speaks for the district, 市民政局局长 for Chongqing),
    else the article's, the district of a district paper or feature or Chongqing for a
    Chongqing text; on a page that names one community, a sentence that says 社区 alone
    (社区的…工作体系) places it in that community. A sentence that names another area or another
    jurisdiction's agency, or 全市 on a district's page, gives none."""
    city = vocab.municipality()
    text = "".join(s.text for s in views)
    article_home = ctx.district or (city if not ctx.elsewhere and _chongqing_voice(text, article.source.publisher) else None)
    governs = {link.subject[1]: result.entities[link.object].attrs.get("code")
               for link in result.links if link.predicate == "jurisdiction"}

    def speaker_home(speaker: str | None):
        for post in ctx.officials.get(speaker, []) if speaker else ():
            if post.org in governs:
                return vocab.areas_by_code().get(governs[post.org])
        return None

    community = _home_community(found)
    placed = {link.subject for link in result.links if link.predicate == "implementedIn"}
    for key, named_in in program_sentences.items():
        if key in placed:
            continue
        for sent in named_in:
            here = found[sent.index]
            if community and OWN_COMMUNITY.search(sent.text) and not any(m.label == AREA and not m.nested for m in here):
                # 社区的“五长”工作体系 on a page about one community: that community's program
                result.add_link(key, "implementedIn", community, sent.evidence)
                break
            home = speaker_home(accounts[sent.index]) or article_home
            if home is None:
                continue
            named_areas = {m.key for m in here if m.label == AREA and not m.nested}
            # an agency of another jurisdiction (市民政局 on a district's page) speaks for its own area
            bodies = {m.attrs.get("jurisdiction") for m in here if m.label == ORG} - {None, home.code}
            elsewhere = named_areas - {home.label} or bodies or (home is not city and "全市" in sent.text)
            if not elsewhere:
                home_key = result.add_entity("AdministrativeArea", home.label, code=home.code, level=home.level)
                result.add_link(key, "implementedIn", home_key, sent.evidence)
                result.mentioned.add(home_key)
                break


# 社区 alone as the subject of a clause or an owner (社区的…, ，社区精准排查…): the community the page is about
OWN_COMMUNITY = re.compile(r"(?:^|[，,。；：！？—])(?:该|本)?社区|(?:该|本)?社区的")


def _home_community(found: list[list[Mention]]) -> EntityKey | None:
    """The one community an article names, or None."""
    names = {m.key for mentions in found for m in mentions if m.label == AREA and m.attrs.get("level") == "Community"}
    return ("AdministrativeArea", names.pop()) if len(names) == 1 else None


CHONGQING_VOICE = re.compile(r"重庆|我市|全市|本市|市委|市政府")
OTHER_VOICE = re.compile(r"全省|我省|本省|省委|省政府|全国|我国|党中央|国务院")


def _chongqing_voice(text: str, publisher: str | None) -> bool:
    """Whether a text speaks for Chongqing: a Chongqing publisher, or Chongqing's own words (重庆,
    我市, 市委…) at least twice and more often than a province's or the nation's (全省, 全国…)."""
    if publisher and "重庆" in publisher:
        return True
    ours = len(CHONGQING_VOICE.findall(text))
    return ours >= 2 and ours > len(OTHER_VOICE.findall(text))


def _indicator(m: Mention, mentions: list[Mention], sent: Sentence, ctx: ArticleContext, key_of, city) -> IndicatorRecord:
    anchor = m.attrs["measures"]
    if anchor is None:
        # The figure is about the sentence's place, else the article's district, else Chongqing.
        before = [a for a in mentions if a.label == AREA and not a.nested and a.end <= m.start]
        anchor = before[-1] if before else None
    if anchor is not None:
        measures = key_of(anchor)
    else:
        ref = ctx.district or city
        measures = ("AdministrativeArea", ref.label)
    return IndicatorRecord(
        metric=m.attrs["metric"], value=m.attrs["value"], unit=m.attrs["unit"], surface=m.text,
        period=m.attrs["period"], measures=measures, evidence=sent.evidence, is_target=m.attrs["is_target"],
    )


def extract_text(text: str, date: str | None = None, authors: tuple[str, ...] = (), article_id: str = "text-1",
                 nlp: Language | None = None) -> ArticleResult:
    """Extract from a plain string as one article of one paragraph per line (for tests and notebooks)."""
    return extract_article(text_article(text, date, authors, article_id), nlp)


def text_article(text: str, date: str | None = None, authors: tuple[str, ...] = (), article_id: str = "text-1") -> Article:
    """A plain string as an article of one paragraph per line."""
    from kg.corpus.model import Block, Sentence, SourceInfo

    blocks, offset = [], 0
    for line in text.split("\n"):
        found = []
        for m in re.finditer(r"[^。！？!?；;]+[。！？!?；;]?[”’」]?", line):
            found.append(Sentence(m.group(), offset + m.start(), offset + m.end()))
        if found:
            blocks.append(Block("body", line, offset, offset + len(line), tuple(found)))
        offset += len(line) + 1
    source = SourceInfo(path="<text>", file_id=article_id.rsplit("-", 1)[0], date=date)
    return Article(source, int(article_id.rsplit("-", 1)[1]), "", tuple(authors), tuple(blocks), 0, len(text))
