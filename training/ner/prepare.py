"""Training data for the spaCy PER/ORG/LOC recognizer (`ms_ner_model`, the alternative to LAC).

Converts CLUENER2020 train.json, Resume NER dev.char.bmes and the MSRA NER test split into
spaCy DocBin files of character tokens (spacy.blank("zh"), whose default segmenter is "char",
so every entity boundary is a token boundary). CLUENER dev.json is an evaluation set of the
project and is never read here; neither is anything under tests/ or shared/gold.

Rebuild the model (from the repository root; about 20 minutes on one core, stopping early
near step 10,600 with the best model at step 7,600; seed 0 gives the same model):

    .venv/bin/python training/ner/prepare.py --out training/ner/corpus
    .venv/bin/python -m spacy train training/ner/config.cfg --output training/ner/output \
        --paths.train training/ner/corpus/train.spacy --paths.dev training/ner/corpus/dev.spacy \
        --gpu-id -1 --nlp.batch_size 128

The best model is then training/ner/output/model-best.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"

# Source label -> the three labels ms_officials / ms_organizations read; others are dropped.
CLUENER_LABELS = {"name": "PER", "government": "ORG", "organization": "ORG", "company": "ORG", "address": "LOC"}
BMES_LABELS = {"NR": "PER", "NT": "ORG", "NS": "LOC", "PER": "PER", "ORG": "ORG", "LOC": "LOC", "NAME": "PER"}


def cluener_spans(record: dict) -> tuple[str, list[tuple[int, int, str]]]:
    """A CLUENER record's text and its (start, end-exclusive, label) spans; CLUENER's
    offsets are inclusive."""
    spans = []
    for kind, names in record.get("label", {}).items():
        label = CLUENER_LABELS.get(kind)
        if label is None:
            continue
        for offsets in names.values():
            spans += [(start, end + 1, label) for start, end in offsets]
    return record["text"], sorted(spans)


def bmes_sentences(lines: Iterable[str]) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    """Sentences of a char-per-line BMES file (blank line between sentences) as text and
    (start, end-exclusive, label) spans."""
    chars: list[str] = []
    tags: list[str] = []
    for line in [*lines, ""]:
        parts = line.split()
        if len(parts) == 2:
            chars.append(parts[0])
            tags.append(parts[1])
            continue
        if chars:
            yield "".join(chars), _bmes_spans(tags)
        chars, tags = [], []


def _bmes_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans, start = [], None
    for i, tag in enumerate(tags):
        part, _, kind = tag.partition("-")
        label = BMES_LABELS.get(kind)
        if part == "S" and label:
            spans.append((i, i + 1, label))
            start = None
        elif part == "B":
            start = i
        elif part == "E" and start is not None:
            if label:
                spans.append((start, i + 1, label))
            start = None
        elif part not in ("M", "E"):
            start = None
    return spans


def to_doc(nlp, text: str, spans: list[tuple[int, int, str]]) -> Doc:
    """A Doc of character tokens with the spans as entities (overlaps: the first kept)."""
    doc = nlp.make_doc(text)
    ents, taken = [], set()
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label)
        if span is None or taken & set(range(span.start, span.end)):
            continue
        ents.append(span)
        taken |= set(range(span.start, span.end))
    doc.ents = sorted(ents, key=lambda s: s.start)
    return doc


def examples() -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    with (DATASETS / "cluener2020" / "train.json").open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield cluener_spans(json.loads(line))
    for path in (DATASETS / "resume_ner" / "dev.char.bmes", DATASETS / "msra_ner_test" / "test.char.bmes"):
        with path.open(encoding="utf-8") as f:
            yield from bmes_sentences(f)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "corpus")
    parser.add_argument("--dev-share", type=float, default=0.05,
                        help="share held out for spaCy's model selection (CLUENER dev stays out entirely)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    nlp = spacy.blank("zh")
    docs = [to_doc(nlp, text, spans) for text, spans in examples()]
    random.Random(args.seed).shuffle(docs)
    cut = int(len(docs) * args.dev_share)
    args.out.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs[cut:]).to_disk(args.out / "train.spacy")
    DocBin(docs=docs[:cut]).to_disk(args.out / "dev.spacy")
    print(f"{len(docs) - cut} training docs, {cut} dev docs, "
          f"{sum(len(d.ents) for d in docs)} entities -> {args.out}")


if __name__ == "__main__":
    main()
