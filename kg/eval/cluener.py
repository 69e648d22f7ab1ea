"""An external benchmark for officials and agencies: CLUENER2020's dev set, general news text
the recognizers were not written for.

CLUENER labels every person (`name`), post (`position`) and government body (`government`),
not the guide's classes, so the benchmark reads them as follows (exact character spans):
- **Officials**: a person introduced by a post in a government body, i.e. a `government`
  span, then a `position` span, then a `name` span, each right after the other
  (公安部经济犯罪侦查局 副局长 张涛). A predicted official on another `name` span is neutral
  (CLUENER does not say whether that person holds a public post), except a person introduced
  by a post in a company (a `company` span before the post: not an official by the guide),
  which is a false positive, as is a predicted official on a span that is no person at all.
  The literal reading, every `position` right before a `name` (journalists, actors and
  managers included), is reported as a second recall figure.
- **Organizations**: `government` spans. A predicted organization on an `organization` span
  (people's organizations, universities, hospitals, but also clubs and bands) is neutral.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.eval.score import Score

PIPES = ("ms_lac", "ms_areas", "ms_organizations", "ms_officials", "ms_official_refs")
Span = tuple[int, int]  # [start, end) character offsets


@dataclass
class ClueNerGold:
    text: str
    spans: dict[str, set[Span]]  # CLUENER type -> spans

    def after(self, span: Span, kind: str) -> Span | None:
        """The `kind` span that ends where `span` starts."""
        return next((s for s in self.spans.get(kind, ()) if s[1] == span[0]), None)


@dataclass
class ClueNerReport:
    sentences: int = 0
    officials: Score = field(default_factory=Score)
    organizations: Score = field(default_factory=Score)
    any_post_pairs: int = 0       # the literal reading: every position right before a name
    any_post_found: int = 0

    @property
    def any_post_recall(self) -> float:
        return round(self.any_post_found / self.any_post_pairs, 3) if self.any_post_pairs else 0.0

    def to_json(self) -> dict:
        return {"sentences": self.sentences, "officials": self.officials.figures(),
                "organizations": self.organizations.figures(),
                "any_post_name_pairs": {"gold": self.any_post_pairs, "found": self.any_post_found,
                                        "r": self.any_post_recall}}


def read_cluener(path: Path) -> list[ClueNerGold]:
    if not path.is_file():
        raise KgError(f"{path}: no such CLUENER file")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                spans = {t: {(s, e + 1) for positions in names.values() for s, e in positions}
                         for t, names in row.get("label", {}).items()}
                rows.append(ClueNerGold(row["text"], spans))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
                raise KgError(f"{path}:{n}: not a CLUENER record ({exc})") from None
    return rows


def score_cluener(path: Path, limit: int | None = None) -> ClueNerReport:
    from kg.extract.context import make_text_doc, sentence_mentions
    from kg.extract.model import OFFICIAL, ORG
    from kg.extract.pipeline import build_nlp

    nlp = build_nlp()
    report = ClueNerReport()
    for gold in read_cluener(path)[:limit]:
        doc = make_text_doc(nlp, gold.text)
        for name in nlp.pipe_names:
            if name in PIPES or name == "ms_ner_model":  # ms_ner_model stands in for ms_lac (KG_NER_MODEL)
                nlp.get_pipe(name)(doc)
        report.sentences += 1
        mentions = sentence_mentions(doc)[0]
        predicted_officials = {(m.start, m.end) for m in mentions if m.label == OFFICIAL}
        predicted_orgs = {(m.start, m.end) for m in mentions if m.label == ORG and not m.nested}

        names = gold.spans.get("name", set())
        official_gold, company_people = set(), set()
        for span in names:
            post = gold.after(span, "position")
            if post is None:
                continue
            report.any_post_pairs += 1
            report.any_post_found += span in predicted_officials
            if gold.after(post, "government"):
                official_gold.add(span)
            elif gold.after(post, "company"):
                company_people.add(span)
        _tally(report.officials, gold.text, predicted_officials, official_gold,
               neutral=names - official_gold - company_people)
        _tally(report.organizations, gold.text, predicted_orgs, gold.spans.get("government", set()),
               neutral=gold.spans.get("organization", set()))
    return report


def _tally(score: Score, text: str, predicted: set[Span], gold: set[Span], neutral: set[Span]) -> None:
    score.tp += len(predicted & gold)
    extras = predicted - gold - neutral
    score.fp += len(extras)
    score.fn += len(gold - predicted)
    score.extras += [f"{text[s:e]}  ({text[max(0, s - 8):e + 8]})" for s, e in sorted(extras)]
    score.misses += [f"{text[s:e]}  ({text[max(0, s - 8):e + 8]})" for s, e in sorted(gold - predicted)]
