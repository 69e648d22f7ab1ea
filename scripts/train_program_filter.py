"""Train the program filter: the learned keep/drop decision on program candidates.

Three steps, each a subcommand:

    python scripts/train_program_filter.py select       # choose the training excerpts -> sources.json
    python scripts/train_program_filter.py candidates   # dump candidates for annotation (TSV on stdout)
    python scripts/train_program_filter.py train        # fit kg/extract/data/program_filter.tsv from labels.tsv
    python scripts/train_program_filter.py merge A B    # two annotators' label files of one candidate dump:
                                                        # the rows they agree on, on stdout (append to labels.tsv)

The excerpts are the livelihood sections of reports outside the corpus, outside the dev set
and outside Chongqing's own report (independent scoring may use it); the labels
(training/program_filter/labels.tsv) point into them by character offsets, so no text is
copied into the repository. Needs ../shared/datasets (or KG_DATASETS).
"""

from __future__ import annotations

import csv
import json
import math
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from kg.corpus.load import load_corpus  # noqa: E402
from kg.eval.devset import NATIONAL, PROVINCIAL, datasets_dir, full_text, load_sources, materialize  # noqa: E402
from kg.extract import program_filter, vocab  # noqa: E402
from kg.extract.context import sentences  # noqa: E402
from kg.extract.pipeline import article_doc, build_nlp  # noqa: E402
from select_dev_sections import best_window, second_window  # noqa: E402

FOLDER = ROOT / "training/program_filter"
PROVINCES = ["北京市", "上海市", "天津市", "山东省", "安徽省", "湖南省", "福建省", "江西省", "河北省", "陕西省",
             # second round (session 5): more text for the policy-object cue's wider verbs
             "云南省", "吉林省", "山西省", "广西壮族自治区", "海南省", "辽宁省", "黑龙江省", "内蒙古自治区",
             # third round (session 6): the verb-object cue, and labels that say how a report names its policies
             "青海省", "宁夏回族自治区", "新疆维吾尔自治区", "西藏自治区"]
YEARS = ["2018", "2022", "2024", "2017", "2015", "2016",
         # fourth round (session 7): labelled (labels-round4.tsv) and measured, not fitted: seed and dev open fell
         "2014", "2013", "2012", "2011"]
# fifth round (session 10): each province's second livelihood window, outside its first (a
# report's review of the past year, where a scheme is the subject: 高龄津贴惠及…), for the subject
# cue; not 山东省, whose second window is tests/dev_gold2's ann04
SECOND_WINDOWS = [p for p in PROVINCES if p != "山东省"]


def select() -> None:
    root, rows = datasets_dir(), []
    for source, record in [(f"{PROVINCIAL}/2026_{p}_政府工作报告.csv", p) for p in PROVINCES] + [(NATIONAL, y) for y in YEARS]:
        start, end = best_window(full_text(root, source, record))
        name = record if not record.isdigit() else f"国务院_{record}"
        rows.append({"doc": f"train_{name}.txt", "source": source, "record": record,
                     "start": start, "end": end, "chars": end - start, "held_out": False})
    for record in SECOND_WINDOWS:
        source = f"{PROVINCIAL}/2026_{record}_政府工作报告.csv"
        text = full_text(root, source, record)
        start, end = second_window(text, *best_window(text))
        rows.append({"doc": f"train2_{record}.txt", "source": source, "record": record,
                     "start": start, "end": end, "chars": end - start, "held_out": False})
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / "sources.json").write_text(json.dumps({"excerpts": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} excerpts, {sum(r['chars'] for r in rows)} characters", file=sys.stderr)


def candidates():
    """(excerpt doc, sentence evidence, Sentence, candidate) for every candidate that passes the livelihood test."""
    nlp = build_nlp()
    recognizer = nlp.get_pipe("ms_programs")
    with tempfile.TemporaryDirectory() as tmp:
        materialize(load_sources(FOLDER), Path(tmp))
        for article in load_corpus([Path(tmp)]).articles:
            doc = article_doc(nlp, article)
            for sent in sentences(doc):
                for c in recognizer.candidates(sent):
                    if recognizer.sectors.about_livelihood(c.name, sent.text):
                        yield Path(article.source.path).name, sent.evidence, sent, c


def dump() -> None:
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["excerpt", "start", "end", "cue", "candidate", "sentence"])
    for name, ev, _, c in candidates():
        marked = ev.text[: c.start] + "【" + ev.text[c.start:c.end] + "】" + ev.text[c.end:]
        out.writerow([name, ev.start + c.start, ev.start + c.end, c.cue, c.name, marked.replace("\n", " ")])


def train() -> None:
    labels = {}
    with (FOLDER / "labels.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t"):
            labels[(row["excerpt"], int(row["start"]), int(row["end"]))] = int(row["label"])
    examples, features = [], build_nlp().get_pipe("ms_programs").filter.features
    for name, ev, sent, c in candidates():
        label = labels.get((name, ev.start + c.start, ev.start + c.end))
        if label is not None:
            examples.append((features(c, ev.text, sent.words), label))
    report_cross_validation(examples)
    weights = fit(examples)
    program_filter.write_weights(weights, len(examples), sum(y for _, y in examples))
    print(f"{len(examples)} labelled candidates ({sum(y for _, y in examples)} programs) of {len(labels)} labels; "
          f"{len(weights)} features -> {vocab.data_path(program_filter.WEIGHTS)}", file=sys.stderr)


def merge(first: str, second: str) -> None:
    """The rows two blind annotators labelled alike (excerpt, start, end, label), and their agreement."""
    def read(path):
        with open(path, encoding="utf-8") as f:
            return {(r["excerpt"], r["start"], r["end"]): r["label"].strip() for r in csv.DictReader(f, delimiter="\t")}
    a, b = read(first), read(second)
    if a.keys() != b.keys():
        sys.exit(f"{first} and {second} label different candidates ({len(a.keys() ^ b.keys())} differ)")
    agreed = [(k, v) for k, v in a.items() if b[k] == v and v in ("0", "1")]
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    for k, v in agreed:
        out.writerow([*k, v])
    print(f"{len(agreed)} of {len(a)} rows agreed ({sum(v == '1' for _, v in agreed)} programs)", file=sys.stderr)


def report_cross_validation(examples, folds: int = 5) -> None:
    """Precision, recall and F1 of the 'program' decision on held-back folds (every fifth example)."""
    tp = fp = fn = 0
    for k in range(folds):
        w = fit([e for i, e in enumerate(examples) if i % folds != k])
        for feats, y in (e for i, e in enumerate(examples) if i % folds == k):
            cue = next(f[4:] for f in feats if f.startswith("cue="))
            p = 1 / (1 + math.exp(-sum(w.get(f, 0.0) for f in feats))) >= program_filter.threshold(cue)
            tp, fp, fn = tp + (p and y == 1), fp + (p and y == 0), fn + (not p and y == 1)
    prec, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    print(f"{folds}-fold cross-validation: P {prec:.3f} R {rec:.3f} F1 {2 * prec * rec / max(prec + rec, 1e-9):.3f}; "
          f"keeping every candidate: P {(tp + fn) / len(examples):.3f}", file=sys.stderr)


def fit(examples, epochs: int = 1500, rate: float = 1.0, l2: float = 0.001) -> dict[str, float]:
    """Logistic regression on binary features by full-batch gradient descent (small data, no extra dependency)."""
    w: dict[str, float] = {}
    n = len(examples)
    for _ in range(epochs):
        grad: dict[str, float] = {}
        for feats, y in examples:
            p = 1 / (1 + math.exp(-sum(w.get(f, 0.0) for f in feats)))
            for f in feats:
                grad[f] = grad.get(f, 0.0) + (p - y)
        for f, g in grad.items():
            w[f] = w.get(f, 0.0) - rate * (g / n + l2 * w.get(f, 0.0))
    return {f: v for f, v in w.items() if abs(v) > 1e-3}


if __name__ == "__main__":
    steps = {"select": select, "candidates": dump, "train": train}
    step = sys.argv[1] if len(sys.argv) == 2 else None
    if sys.argv[1:2] == ["merge"] and len(sys.argv) == 4:
        merge(*sys.argv[2:])
    elif step in ("-h", "--help"):
        print(__doc__)
    elif step not in steps:
        sys.exit(f"usage: python scripts/train_program_filter.py {{{'|'.join(steps)}|merge A B}} (see --help)")
    else:
        steps[step]()
