"""Fixtures shared by several test modules."""

from pathlib import Path

import pytest

from kg.build import build

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory) -> Path:
    """corpus/ built once for the session (graph files only: no views, no store)."""
    out = tmp_path_factory.mktemp("corpus-build")
    build([ROOT / "corpus"], out, views=False, store=False)
    return out
