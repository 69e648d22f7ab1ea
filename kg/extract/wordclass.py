"""Word classes from jieba's own dictionary (about 350,000 words with a part-of-speech tag).

The segmenter already splits the text into these words; looking their tag up costs nothing
at run time and needs no model, enough to tell a modifier (困难, 失能, 农村) from a verb or a
preposition at the edge of a noun phrase.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jieba


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    tags = {}
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            word, _, tag = line.rstrip("\n").rpartition(" ")
            tags[word.split(" ", 1)[0]] = tag
    return tags


def tag(word: str) -> str | None:
    """jieba's tag of a dictionary word (n, a, v, p, ...), None for a word it does not list."""
    return _tags().get(word)
