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
    """A regex alternation that prefers the longest word at each position."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


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
