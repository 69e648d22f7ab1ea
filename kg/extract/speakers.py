"""Who speaks in each sentence of an article: the official a sentence quotes, and the official
whose account its paragraph reports (ms_links makes a program they speak of promotedBy them).

A paragraph's speaker is the official it quotes anywhere in it (“…”X介绍), carried into the
paragraphs that continue the account (一是…, 其次…), never past a heading (guide).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import vocab
from kg.extract.context import ArticleContext, Sentence, sentences
from kg.extract.model import OFFICIAL, ORG

# Paragraphs that continue the previous speaker's account: 一是…, 其次…, 具体来讲…, 他说…
CONTINUATION = re.compile(r"^(?:[一二三四五六七八九十]是|首先|其次|再次|最后|此外|同时|另外|具体来讲|具体而言|围绕|下一步|接下来|"
                          r"[他她](?:还|也|进一步)?(?:介绍|表示|说|指出|强调|谈到|透露)|"
                          r"在[^，]{1,12}(?:上|方面)|[^，。]{1,6}方面，|[一二三四五六七八九十]要)")
# A membership (全国政协委员, 人大代表) is no post in an agency: a congress or conference does not
# run what its member speaks of (guide).
MEMBERSHIP = re.compile(r"委员$|代表$|常委$|成员$|执委$")


class Speakers(NamedTuple):
    """Who speaks in one sentence."""

    speaking: str | None  # the official the sentence itself quotes (a name and a speech verb)
    account: str | None  # the official whose account the sentence's paragraph reports
    agencies: tuple[str, ...]  # that official's own agencies their account names


Doc.set_extension("speakers", default=None, force=True)  # one Speakers per doc._.sentences


@Language.factory("ms_speakers", assigns=["doc._.speakers"], requires=["span._.mention"],
                  default_config={"speech_verbs": "speech_verbs.txt"})
class SpeakerFinder:
    """`speech_verbs`: the verbs after an official's name that make them the speaker."""

    def __init__(self, nlp: Language, name: str, speech_verbs: str):
        self.name = name
        self.speech = re.compile(vocab.alternation(vocab.words(speech_verbs)))

    def speaker_of(self, sent: Sentence) -> str | None:
        """The official who speaks in this sentence: a name followed by a speech verb, or 在X看来."""
        text = sent.text
        for m in sent.mentions:
            if m.label == OFFICIAL and self.speech.match(text, m.end):
                return m.key
            if m.label == OFFICIAL and text[m.end:m.end + 1] in "，," and self.speech.match(text, m.end + 1):
                return m.key
            if m.label == OFFICIAL and text[m.start - 1:m.start] == "在" and text.startswith("看来", m.end):
                return m.key  # 在黎勇看来，…: the view is theirs
        return None

    def __call__(self, doc: Doc) -> Doc:
        views = sentences(doc)
        speaking = [self.speaker_of(s) for s in views]
        accounts = _paragraph_speakers(views, speaking)
        agencies = _speakers_agencies(views, accounts, doc._.ctx)
        doc._.speakers = [Speakers(s, a, agencies.get(a, ())) for s, a in zip(speaking, accounts)]
        return doc


def _paragraph_speakers(views: list[Sentence], speaking: list[str | None]) -> list[str | None]:
    """Who speaks in each sentence's paragraph."""
    paragraphs: list[list[int]] = []
    for i, sent in enumerate(views):
        if sent.paragraph_start or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(i)
    accounts: list[str | None] = [None] * len(views)
    last = None  # page layouts move paragraphs apart: a continuation goes on the last account
    for para in paragraphs:
        if views[para[0]].heading:
            last = None  # a speaker's account never crosses a heading (guide)
            continue
        speaker = next((s for i in para if (s := speaking[i])), None)
        if speaker is None and CONTINUATION.match(views[para[0]].text):
            speaker = last
        for i in para:
            accounts[i] = speaker
        last = speaker or last
    return accounts


def _speakers_agencies(views: list[Sentence], accounts: list[str | None], ctx: ArticleContext) -> dict[str, tuple[str, ...]]:
    """The agencies a speaker heads or serves that their own account names (丁中平介绍，…市民政局…):
    the programs of that account are run by them."""
    named: dict[str, set[str]] = {}
    for sent, speaker in zip(views, accounts):
        if speaker:
            named.setdefault(speaker, set()).update(m.key for m in sent.mentions if m.label == ORG)
    return {
        speaker: tuple(sorted({p.org for p in ctx.officials.get(speaker, []) if not MEMBERSHIP.search(p.title)} & orgs))
        for speaker, orgs in named.items()
    }
