"""An article as one spaCy Doc, and the context its recognizers share.

Recognizers run sentence by sentence (doc._.sentences, one Sentence view per doc.sents); some
facts belong to the whole article (doc._.ctx): the district that 区/县 alone refers to, the
journalists (never officials), the date that "今年" refers to, and the officials and programs
already recognized. Mentions are spans in doc.spans["mentions"], their records span._.mention.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span

from kg import reference
from kg.extract import vocab
from kg.extract.model import Evidence, Mention


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
    regexes: dict = field(default_factory=dict, repr=False)
    elsewhere: str | None = None  # the other province or municipality an article speaks for (市委 is its own)

    @classmethod
    def for_article(cls, text: str, date: str | None, authors=()) -> "ArticleContext":
        year = month = None
        if date and (m := re.match(r"(\d{4})(?:-(\d{2}))?", date)):
            year, month = int(m[1]), int(m[2]) if m[2] else None
        return cls(district=main_district(text), year=year, month=month, authors=frozenset(authors),
                   elsewhere=speaks_for_elsewhere(text))


def speaks_for_elsewhere(text: str) -> str | None:
    """The provincial-level division other than Chongqing an article names most, when it never
    names 重庆 (a Tianjin report's 市委 is Tianjin's); None for Chongqing's own texts."""
    if "重庆" in text:
        return None
    names = reference.other_provinces()
    counts = Counter(names[m.group()] for m in _province_regex().finditer(text))
    return counts.most_common(1)[0][0] if counts else None


@lru_cache(maxsize=1)
def _province_regex() -> re.Pattern:
    return re.compile(vocab.alternation(tuple(reference.other_provinces())))


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


@dataclass
class Unit:
    """A piece of text the recognizers see at once: a sentence, or a guest-list block."""

    text: str
    evidence: Evidence
    paragraph_start: bool
    heading: bool


@dataclass(eq=False, slots=True)
class Sentence:
    """One sentence of an article Doc as the recognizers read it: its text, the segmenter's words
    and the mentions found so far, all with offsets in the sentence's own text (the rules are
    written per sentence). `start` is where the sentence begins in doc.text, `first_token` its
    first token; the mentions list is an index of the sentence's spans in doc.spans, kept because
    the rules read it tens of thousands of times per report."""

    doc_ref: weakref.ref  # the Doc holds its views: a strong reference back would keep every Doc until a full gc
    index: int
    start: int
    first_token: int
    text: str
    words: list[tuple[int, int, str]]
    evidence: Evidence
    paragraph_start: bool
    heading: bool
    ctx: ArticleContext
    mentions: list[Mention] = field(default_factory=list)
    lac: list[tuple[int, int, str]] = field(default_factory=list)  # the model's spans, for ms_organizations and ms_officials
    _word_starts: list[int] | None = field(default=None, init=False, repr=False)

    @property
    def doc(self) -> Doc:
        return self.doc_ref()

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """The doc's tokens that cover [start, end) of the sentence (spaCy's alignment_mode="expand")."""
        if self._word_starts is None:
            self._word_starts = [a for a, _, _ in self.words]
        first = max(bisect_right(self._word_starts, start) - 1, 0)
        last = max(bisect_left(self._word_starts, end), first + 1)
        return self.first_token + first, self.first_token + last


def make_article_doc(nlp, units: list[Unit], ctx: ArticleContext) -> Doc:
    """One Doc for an article's units, from the segmenter's words, with a sentence starting at each unit.

    Without whitespace (nearly every unit) spaCy's alignment of jieba's words to the text
    (util.get_words_and_spaces) is the identity and each word starts where the last ended, so
    it is skipped; a unit with whitespace goes through spaCy's own tokenizer. doc._.sentences
    are the units' Sentence views, doc._.ctx the article context."""
    words, spaces, sent_starts, views = [], [], [], []
    start = 0
    for unit in units:
        if _WHITESPACE.search(unit.text):
            tokens = nlp.make_doc(unit.text)
            unit_words = [(t.idx, t.idx + len(t.text), t.text) for t in tokens]
            unit_spaces = [bool(t.whitespace_) for t in tokens]
        else:
            unit_words, pos = [], 0
            for word in nlp.tokenizer.words(unit.text):
                unit_words.append((pos, pos + len(word), word))
                pos += len(word)
            unit_spaces = [False] * len(unit_words)
        views.append(Sentence(None, len(views), start, len(words), unit.text, unit_words, unit.evidence,
                              unit.paragraph_start, unit.heading, ctx))
        words += [w for _, _, w in unit_words]
        spaces += unit_spaces
        sent_starts += [True] + [False] * (len(unit_words) - 1) if unit_words else []
        start += len(unit.text)
    doc = Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=sent_starts)
    doc_ref = weakref.ref(doc)
    for view in views:
        view.doc_ref = doc_ref
    doc.user_data[_SENTENCES] = views
    doc.user_data[_MENTIONS] = []
    doc.user_data[_CTX] = ctx
    doc.spans[MENTIONS] = []
    return doc


def make_text_doc(nlp, text: str, ctx: ArticleContext | None = None) -> Doc:
    """A Doc of one sentence (tests, notebooks, the CLUENER evaluation)."""
    return make_article_doc(nlp, [Unit(text, Evidence(text, 0, len(text)), True, False)], ctx or ArticleContext())


def after_last(text: str, pos: int, breaks: str) -> int:
    """Where the stretch of text that ends at `pos` begins: right after the last break before it."""
    return max(text.rfind(ch, 0, pos) for ch in breaks) + 1


def names_regex(ctx: "ArticleContext", kind: str, names) -> re.Pattern | None:
    """A compiled alternation of the names an article has introduced so far, rebuilt only when they change."""
    if not names:
        return None
    cache = ctx.regexes.get(kind)
    if cache is None or cache[0] != len(names):
        cache = ctx.regexes[kind] = (len(names), re.compile(vocab.alternation(names)))
    return cache[1]


# Where spaCy keeps the values of doc._.sentences and doc._.ctx (each doc._ access builds an
# Underscore object first), and the mention records that span._.mention reads by span id.
_SENTENCES = ("._.", "sentences", None, None)
_CTX = ("._.", "ctx", None, None)
_MENTIONS = "ms_mention_records"
MENTIONS = "mentions"  # the span group of every mention, labelled AREA, ORG, OFFICIAL, ...


def sentences(doc: Doc) -> list[Sentence]:
    """doc._.sentences: the Sentence views of an article Doc, in order (one per doc.sents)."""
    return doc.user_data[_SENTENCES]

class SentenceRecognizer:
    """A component whose rules read one sentence at a time: called on an article Doc, it runs
    `_recognize` on each of its sentences that `reads` (all of them unless a subclass says not)."""

    def __call__(self, doc: Doc) -> Doc:
        for sent in sentences(doc):
            if self.reads(sent):
                self._recognize(sent)
        return doc

    def reads(self, sent: Sentence) -> bool:
        return True

    def _recognize(self, sent: Sentence) -> None:
        raise NotImplementedError



def _mention_of(span: Span) -> Mention:
    return span.doc.user_data[_MENTIONS][span.id]


Doc.set_extension("ctx", default=None, force=True)
Doc.set_extension("sentences", default=None, force=True)
# A mention's record: canonical key, attributes, nesting, and its exact offsets in its sentence
# (a mention need not end at a jieba word; the span covers the words it touches).
Span.set_extension("mention", getter=_mention_of, force=True)


def sentence_mentions(doc: Doc) -> list[list[Mention]]:
    """The mentions of each sentence, in the order they were found, read from doc.spans."""
    views = sentences(doc)
    out: list[list[Mention]] = [[] for _ in views]
    starts = [v.first_token for v in views]
    for span in doc.spans[MENTIONS]:
        out[bisect_right(starts, span.start) - 1].append(span._.mention)
    return out


def add_mention(sent: Sentence, mention: Mention) -> Mention:
    """Record a mention as a span in doc.spans["mentions"] (span._.mention is its record), and
    mark containment among the sentence's mentions."""
    found = sent.mentions
    for other in found:
        if other.start <= mention.start and mention.end <= other.end and other is not mention:
            if (other.start, other.end) != (mention.start, mention.end):
                mention.nested = True
        elif mention.start <= other.start and other.end <= mention.end:
            if (other.start, other.end) != (mention.start, mention.end):
                other.nested = True
    found.append(mention)
    doc = sent.doc
    records = doc.user_data[_MENTIONS]
    first, last = sent.token_range(mention.start, mention.end)
    doc.spans[MENTIONS].append(Span(doc, first, last, label=mention.label, span_id=len(records)))
    records.append(mention)
    return mention
