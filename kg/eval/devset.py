"""The blind development set: livelihood sections of other provinces' and the State Council's
government work reports, referenced by file and character offsets into ../shared/datasets.

`tests/dev_gold/sources.json` lists the excerpts; `materialize` writes their text as corpus
files so the ordinary build reads them. The text itself is never copied into the repository.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError

PROVINCIAL = "gov_work_reports_provincial_2026/raw_text"
NATIONAL = "national_gov_work_reports_1954_2025/government_work_reports.jsonl"
NEWS = "msra_ner_test/test.char.bmes"  # People's Daily news (MSRA NER test split), one character per line
# a headline: a short line that does not end as a sentence does
_HEADLINE = re.compile(r".{1,30}(?<![。；！？”’：…）)，,])")


def datasets_dir() -> Path:
    """`KG_DATASETS`, else ../shared/datasets beside the checkout."""
    env = os.environ.get("KG_DATASETS")
    return Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


@dataclass(frozen=True)
class Excerpt:
    doc: str            # file name the excerpt is built under, e.g. dev01_四川省_2026.txt
    source: str         # dataset-relative path
    record: str         # province name (provincial CSV) or year (national JSONL)
    start: int
    end: int
    held_out: bool      # errors on held-out excerpts are never printed

    def text(self, root: Path) -> str:
        return full_text(root, self.source, self.record)[self.start:self.end]


def full_text(root: Path, source: str, record: str) -> str:
    path = root / source
    if not path.exists():
        raise KgError(f"{path}: dataset file not found (set KG_DATASETS to the datasets folder)")
    if path.suffix == ".bmes":
        return news_text(path)
    if path.suffix == ".csv":
        csv.field_size_limit(1 << 30)
        with path.open(encoding="utf-8-sig", newline="") as f:
            return next(csv.DictReader(f))["full_text"]
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if str(row.get("year")) == record and "决议" not in row["title"]:
                return row["content"]
    raise KgError(f"{path}: no report for {record}")


def news_text(path: Path) -> str:
    """The sentences of a character-per-line NER file as running text: a sentence continues its
    paragraph, a headline stands on its own line and the sentence after it opens a new paragraph."""
    sentences, chars = [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                chars.append(line[0])
            elif chars:
                sentences.append("".join(chars))
                chars = []
    if chars:
        sentences.append("".join(chars))
    out, headline = [], True
    for sentence in sentences:
        is_headline = _HEADLINE.fullmatch(sentence) is not None
        out.append(sentence if not (is_headline or headline) else "\n" + sentence)
        headline = is_headline
    return "".join(out).lstrip("\n") + "\n"


def load_sources(folder: Path) -> list[Excerpt]:
    path = Path(folder) / "sources.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["excerpts"]
        return [Excerpt(r["doc"], r["source"], str(r["record"]), r["start"], r["end"], r["held_out"]) for r in rows]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KgError(f"{path}: unreadable development-set sources ({exc})") from None


def materialize(excerpts: list[Excerpt], out: Path, root: Path | None = None) -> list[Path]:
    """Write each excerpt as `out/<doc>` and return the paths."""
    root = root or datasets_dir()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for ex in excerpts:
        p = out / ex.doc
        p.write_text(ex.text(root), encoding="utf-8")
        paths.append(p)
    return paths
