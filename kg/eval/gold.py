"""Hand annotations in the independent gold format (tests/gold/README.upstream.md).

One JSON file per source text: `entities` by class (name, aliases, core), `relations`
(s, p, o, core, evidence) and indicators. `core: false` items are neutral: finding them is
not a false positive, missing them is not a miss. Entities met in several files are merged
when they share a surface form, as the reference scorer does.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.schema import AREA_LEVELS, SCORED_CLASSES, SCORED_LINKS

# scored classes (a gold class -> the ms: classes that count as it) and links
CLASSES = {cls: (cls, *AREA_LEVELS) if cls == "AdministrativeArea" else (cls,) for cls in SCORED_CLASSES}
LINKS = SCORED_LINKS
_PUNCT = re.compile(r"[\s“”‘’「」『』\"'《》〈〉()（）\[\]【】,，、。:：;；!！?？·•．.\-—_]+")


def norm(name: object) -> str:
    """Surface forms compare without punctuation, spaces, or full/half-width differences."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(name)))


@dataclass
class GoldEntity:
    name: str
    forms: set[str]
    core: bool


@dataclass
class GoldIndicator:
    value: float
    unit: str
    core: bool
    label: str


@dataclass
class Gold:
    docs: list[str]
    entities: dict[str, list[GoldEntity]] = field(default_factory=lambda: {c: [] for c in CLASSES})
    relations: list[dict] = field(default_factory=list)
    indicators: list[GoldIndicator] = field(default_factory=list)


def load_gold(folder: Path, docs: set[str] | None = None) -> Gold:
    """Every *.json in `folder` (or only the stems in `docs`)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise KgError(f"{folder}: no such gold folder")
    files = [f for f in sorted(folder.glob("*.json")) if f.name != "sources.json" and (not docs or f.stem in docs)]
    if not files:
        raise KgError(f"{folder}: no gold annotation files (*.json)")
    gold = Gold([])
    for f in files:
        _read(f, gold)
    for cls, items in gold.entities.items():
        gold.entities[cls] = _merge(items)
    return gold


def _read(path: Path, gold: Gold) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        gold.docs.append(data["doc"])
        for cls in CLASSES:
            for e in data["entities"].get(cls, []):
                forms = {norm(e["name"])} | {norm(a) for a in e.get("aliases", [])}
                gold.entities[cls].append(GoldEntity(e["name"], forms - {""}, bool(e.get("core", True))))
        for r in data.get("relations", []):
            if not {"s", "p", "o"} <= r.keys():
                raise ValueError(f"relation without s, p or o: {r}")
            gold.relations.append(r)
        for e in data["entities"].get("Indicator", []):
            try:
                value = float(e["value"])
            except (TypeError, ValueError, KeyError):
                continue  # a figure without a number is not scored (as the reference scorer)
            gold.indicators.append(GoldIndicator(value, norm(e.get("unit") or ""), bool(e.get("core", True)),
                                                 f"{e.get('metric', '')} {e['value']}{e.get('unit') or ''}"))
    except (OSError, json.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise KgError(f"{path}: malformed gold file ({type(exc).__name__}: {exc})") from None


def _merge(items: list[GoldEntity]) -> list[GoldEntity]:
    out: list[GoldEntity] = []
    for e in items:
        for m in out:
            if m.forms & e.forms:
                m.forms |= e.forms
                m.core = m.core or e.core
                break
        else:
            out.append(GoldEntity(e.name, set(e.forms), e.core))
    return out
