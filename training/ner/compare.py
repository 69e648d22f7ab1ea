"""The recognizers alone, before any rule: LAC and the trained model's PER/ORG/LOC spans against
CLUENER2020 dev (every sentence, exact spans, labels mapped as in prepare.py).

    .venv/bin/python training/ner/compare.py training/ner/model-best

CLUENER dev is never trained on (prepare.py reads train.json only); `kg eval` scores what the
project does with the spans, this only what each recognizer finds.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

from kg.extract import lac, ner_model


def _prepare():
    spec = importlib.util.spec_from_file_location("ner_prepare", Path(__file__).with_name("prepare.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(gold: list[set], found: list[set]) -> dict[str, dict[str, float]]:
    """P/R/F1 per label and over all labels."""
    out = {}
    for label in ("PER", "ORG", "LOC", None):
        pick = (lambda spans: {s for s in spans if label is None or s[2] == label})
        tp = sum(len(pick(g) & pick(f)) for g, f in zip(gold, found))
        n_found = sum(len(pick(f)) for f in found)
        n_gold = sum(len(pick(g)) for g in gold)
        p, r = tp / n_found if n_found else 0.0, tp / n_gold if n_gold else 0.0
        out[label or "all"] = {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="the trained model's folder")
    parser.add_argument("--cluener-dev", type=Path, default=_prepare().DATASETS / "cluener2020" / "dev.json")
    args = parser.parse_args()
    prepare = _prepare()
    with args.cluener_dev.open(encoding="utf-8") as f:
        rows = [prepare.cluener_spans(json.loads(line)) for line in f if line.strip()]
    texts = [text for text, _ in rows]
    gold = [set(spans) for _, spans in rows]
    found = {"LAC": [{s for s in spans if s[2] in ner_model.LABELS} for spans in lac.tag(texts)],
             "spaCy NER": [set(spans) for spans in ner_model.tag(args.model, texts)]}
    print(f"CLUENER2020 dev, {len(texts)} sentences, exact spans: P / R / F1")
    for name, spans in found.items():
        figures = score(gold, spans)
        print(f"{name:10s} " + "   ".join(f"{k} {v['p']:.3f} {v['r']:.3f} {v['f1']:.3f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
