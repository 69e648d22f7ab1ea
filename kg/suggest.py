"""Names close to one a user typed, for "did you mean" in queries and views."""

from __future__ import annotations

import difflib


def close_names(name: str, labels: list[str], n: int = 3) -> list[str]:
    """Names like `name`: by spelling, else those holding it or held in it (a half-remembered Chinese name)."""
    close = difflib.get_close_matches(name, labels, n=n, cutoff=0.3)
    return close or [x for x in labels if name and (name in x or x in name)][:n]
