"""Hand annotations (tests/gold/*.json): loading and checking them.

Format (see tests/gold/README.md): per source page, the entities the guide counts (class,
canonical label, aliases), the indicators, and the links with their supporting sentence.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError

CLASSES = ("Program", "AdministrativeArea", "Official", "Organization", "TargetGroup", "Sector")
PREDICATES = ("implementedIn", "targets", "inSector", "runBy", "promotedBy", "holdsPost", "memberOf",
              "jurisdiction", "partOf")
QUOTES = str.maketrans("", "", "“”‘’「」『』\"'《》 \u3000\n\t")


def norm(name: str) -> str:
    """Names compare without quotes, spaces, or full/half-width differences."""
    return unicodedata.normalize("NFKC", name).translate(QUOTES)


@dataclass
class GoldEntity:
    cls: str
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> set[str]:
        return {norm(n) for n in (self.label, *self.aliases)}


@dataclass
class GoldPage:
    source: str
    path: Path
    entities: list[GoldEntity] = field(default_factory=list)
    links: set[tuple[str, str, str]] = field(default_factory=set)  # (s label, p, o label or post key)
    indicators: list[dict] = field(default_factory=list)


def post_key(title: str, org: str) -> str:
    return f"{norm(org)}|{norm(title)}"


def load_gold(folder: Path) -> list[GoldPage]:
    folder = Path(folder)
    if not folder.is_dir():
        raise KgError(f"{folder}: no such gold folder")
    pages = [_load(p) for p in sorted(folder.glob("*.json"))]
    if not pages:
        raise KgError(f"{folder}: no gold annotation files (*.json)")
    return pages


def _load(path: Path) -> GoldPage:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        page = GoldPage(data["source"], path)
        labels: dict[str, str] = {}
        for e in data["entities"]:
            if e["class"] not in CLASSES:
                raise ValueError(f"unknown class {e['class']!r}")
            page.entities.append(GoldEntity(e["class"], e["label"], tuple(e.get("aliases", ()))))
            labels[e["label"]] = e["class"]
        for link in data.get("links", []):
            p, s, o = link["p"], link["s"], link["o"]
            if p not in PREDICATES:
                raise ValueError(f"unknown link {p!r}")
            if s not in labels:
                raise ValueError(f"link subject {s!r} is not a listed entity")
            if p == "holdsPost":
                if o["postIn"] not in labels:
                    raise ValueError(f"post organization {o['postIn']!r} is not a listed entity")
                page.links.add((s, p, post_key(o["postTitle"], o["postIn"])))
            else:
                if o not in labels:
                    raise ValueError(f"link object {o!r} is not a listed entity")
                page.links.add((s, p, o))
        page.indicators = list(data.get("indicators", []))
        return page
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise KgError(f"{path}: malformed gold file ({type(exc).__name__}: {exc})") from None
