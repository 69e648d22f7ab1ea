"""Article-level context shared by the recognizers of one article.

Recognizers run sentence by sentence; some facts belong to the whole article: the
district that 区/县 alone refers to, the journalists (never officials), the date that
"今年" refers to, and the officials and programs already recognized.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from kg.extract import vocab
from kg.extract.model import Mention

Doc.set_extension("ctx", default=None, force=True)
Doc.set_extension("mentions", default=None, force=True)


@dataclass
class Post:
    org: str  # canonical organization label
    title: str


@dataclass
class ArticleContext:
    district: vocab.AreaRef | None = None
    year: int | None = None
    month: int | None = None
    authors: frozenset[str] = frozenset()
    officials: dict[str, list[Post]] = field(default_factory=dict)
    programs: dict[str, str] = field(default_factory=dict)  # surface form -> canonical name
    bodies: dict[str, str] = field(default_factory=dict)  # 妇联 -> 沙坪坝区妇女联合会, once the article names it
    speaker: str | None = None  # the official whose speech the current paragraph reports
    speaker_orgs: tuple[str, ...] = ()  # the speaker's own agencies named in their account
    regexes: dict = field(default_factory=dict, repr=False)

    @classmethod
    def for_article(cls, text: str, date: str | None, authors=()) -> "ArticleContext":
        year = month = None
        if date and (m := re.match(r"(\d{4})(?:-(\d{2}))?", date)):
            year, month = int(m[1]), int(m[2]) if m[2] else None
        return cls(district=main_district(text), year=year, month=month, authors=frozenset(authors))


def main_district(text: str) -> vocab.AreaRef | None:
    """The district or county named most often in the article (ties: the first named)."""
    surfaces = vocab.area_surfaces()
    districts = {s: refs[0] for s, refs in surfaces.items() if len(refs) == 1 and refs[0].level == "District"}
    if not districts:
        return None
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in _district_regex(tuple(districts)).finditer(text):
        code = districts[m.group()].code
        counts[code] += 1
        first.setdefault(code, m.start())
    if not counts:
        return None
    code = max(counts, key=lambda c: (counts[c], -first[c]))
    # A district named once in passing (郎玉琼是奉节人) is not what the article is about.
    city_mentions = len(re.findall(r"我市|全市|本市|重庆", text))
    if counts[code] < 2 or counts[code] < city_mentions / 2:
        return None
    district = vocab.areas_by_code()[code]
    # named in full at least once: 长寿 alone is as often 健康长寿 as 长寿区
    return district if district.label in text else None


_regex_cache: dict[tuple, re.Pattern] = {}


def _district_regex(names: tuple[str, ...]) -> re.Pattern:
    if names not in _regex_cache:
        _regex_cache[names] = re.compile(vocab.alternation(names))
    return _regex_cache[names]


_WHITESPACE = re.compile(r"\s")


def make_doc(nlp, text: str) -> Doc:
    """nlp.make_doc(text) with its text and words() filled in. Without whitespace (nearly every
    sentence) spaCy's alignment of jieba's words to the text (util.get_words_and_spaces) is the
    identity and each word starts where the last ended, so both are skipped; a text with
    whitespace goes through spaCy's own tokenizer."""
    if _WHITESPACE.search(text):
        doc = nlp.make_doc(text)
    else:
        segmented = [w for w in nlp.tokenizer.jieba_seg.cut(text, cut_all=False) if w]
        doc = Doc(nlp.vocab, words=segmented, spaces=[False] * len(segmented))
        spans, start = [], 0
        for word in segmented:
            spans.append((start, start + len(word), word))
            start += len(word)
        doc.user_data["words"] = spans
    doc.user_data["text"] = text  # spares rebuilding Doc.text from tokens
    return doc


def text_of(doc: Doc) -> str:
    """The doc's text, computed once: spaCy rebuilds Doc.text from its tokens on every access."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def words(doc: Doc) -> list[tuple[int, int, str]]:
    """The segmenter's words as (start, end, text), computed once: iterating a Doc builds a
    Token object per word on every pass."""
    out = doc.user_data.get("words")
    if out is None:
        out = doc.user_data["words"] = [(t.idx, t.idx + len(t.text), t.text) for t in doc]
    return out


def names_regex(ctx: "ArticleContext", kind: str, names) -> re.Pattern | None:
    """A compiled alternation of the names an article has introduced so far, rebuilt only when they change."""
    if not names:
        return None
    cache = ctx.regexes.get(kind)
    if cache is None or cache[0] != len(names):
        cache = ctx.regexes[kind] = (len(names), re.compile(vocab.alternation(names)))
    return cache[1]


# Where spaCy keeps the values of doc._.mentions and doc._.ctx: the recognizers read them tens of
# thousands of times per report, and each doc._ access builds an Underscore object first.
_MENTIONS = ("._.", "mentions", None, None)
_CTX = ("._.", "ctx", None, None)


def mentions(doc: Doc) -> list[Mention]:
    """doc._.mentions, created on first use."""
    found = doc.user_data.get(_MENTIONS)
    if found is None:
        found = doc.user_data[_MENTIONS] = []
    return found


def context(doc: Doc) -> ArticleContext:
    """doc._.ctx, created on first use."""
    ctx = doc.user_data.get(_CTX)
    if ctx is None:
        ctx = doc.user_data[_CTX] = ArticleContext()
    return ctx


def add_mention(doc: Doc, mention: Mention) -> Mention:
    """Record a mention, mark containment, and mirror it as a spaCy span in doc.spans['ms']."""
    found = mentions(doc)
    for other in found:
        if other.start <= mention.start and mention.end <= other.end and other is not mention:
            if (other.start, other.end) != (mention.start, mention.end):
                mention.nested = True
        elif mention.start <= other.start and other.end <= mention.end:
            if (other.start, other.end) != (mention.start, mention.end):
                other.nested = True
    found.append(mention)
    span = doc.char_span(mention.start, mention.end, label=mention.label, alignment_mode="expand")
    if span is not None:
        doc.spans.setdefault("ms", []).append(span)
    return mention
