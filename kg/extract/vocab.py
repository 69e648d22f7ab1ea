"""The two loaders of the recognizers' word lists, and their views of the reference areas.

The lists are closed public sets (post titles, agency-name grammar, surnames, program
heads, sector keywords) in data/ beside this module, each starting with a # header that says
what it holds and its columns. Each component names the files it reads in its spaCy config
(`default_config`); a file is read once per process per path. The reference areas
(kg/reference.py) are shared with the graph stage and are not a component's to swap.
Nothing here names a person, program or organization of the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import KgError
from kg.reference import areas_table

DATA = Path(__file__).with_name("data")
CJK = "\u4e00-\u9fff"


def data_path(path: str | Path) -> Path:
    """A component's word-list path: a relative one (the defaults are plain file names) is in data/."""
    return DATA / path


@lru_cache(maxsize=None)
def _lines(path: Path) -> tuple[str, ...]:
    """The non-comment lines of a data file, read once per process per path."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KgError(f"{path}: word list not found (check the component's config path)") from None
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def alternation(words) -> str:
    """A regex alternation that prefers the longest word at each position (and, backtracking,
    tries the shorter words there longest first). Written as a trie (社区|社会|社 -> 社(?:区|会)?):
    re tries a plain word list's branches one by one at every position, a trie only the words
    that share the characters read so far (the area gazetteer scans 2.4x faster)."""
    root: dict = {}
    for word in set(words):
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    top = "|".join(_branches(root))
    return top + "|" if "" in root else top  # the empty word, as the plain list had it: last


def _branches(node: dict) -> list[str]:
    return [re.escape(ch) + _trie(child) for ch, child in sorted(node.items()) if ch]


def _trie(node: dict) -> str:
    branches = _branches(node)
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body  # greedy: the longer word first


@lru_cache(maxsize=None)
def words(path: str | Path) -> tuple[str, ...]:
    """A line list: one item per line (or several, whitespace-separated); # lines are comments."""
    return tuple(w for ln in _lines(data_path(path)) for w in ln.split())


@lru_cache(maxsize=None)
def table(path: str | Path) -> tuple[tuple[str, ...], ...]:
    """A table: one tab-separated row per line; # lines are comments (the header names the columns)."""
    return tuple(tuple(ln.split("\t")) for ln in _lines(data_path(path)))


@dataclass(frozen=True)
class AreaRef:
    code: str
    level: str  # Municipality, District, Subdistrict
    label: str
    short_names: tuple[str, ...]
    parent_code: str | None


@lru_cache(maxsize=None)
def areas() -> tuple[AreaRef, ...]:
    return tuple(
        AreaRef(r.code, r.level, r.label, tuple(r.short_names), r.parent_code) for r in areas_table()
    )


@lru_cache(maxsize=None)
def areas_by_code() -> dict[str, AreaRef]:
    return {a.code: a for a in areas()}


@lru_cache(maxsize=None)
def area_surfaces() -> dict[str, tuple[AreaRef, ...]]:
    """Every full and short name of a reference area -> the areas it can mean.

    Subdistricts are recognized by full name only: their short forms (华岩, 三圣, 金凤) are
    ordinary words and personal names too often to be read as places without their 街道/镇."""
    table: dict[str, list[AreaRef]] = {}
    for area in areas():
        shorts = area.short_names if area.level != "Subdistrict" else ()
        for surface in (area.label, *shorts):
            table.setdefault(surface, []).append(area)
    return {k: tuple(v) for k, v in table.items()}


def municipality() -> AreaRef:
    return next(a for a in areas() if a.level == "Municipality")
