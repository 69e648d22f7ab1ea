"""Fixtures shared by several test modules."""

import csv
import io
import shutil
from pathlib import Path

import pytest

from kg.build import build

ROOT = Path(__file__).resolve().parents[1]
#: The five seed pages the tests are written against: the ones tests/gold/seeds annotates. Articles
#: a user adds to corpus/ are not among them, so they change no test.
SEED_PAGES = tuple(sorted(p.with_suffix(".txt").name for p in (ROOT / "tests" / "gold" / "seeds").glob("*.json")))


def copy_seed_corpus(dest: Path, source: Path = ROOT / "corpus") -> Path:
    """The seed pages of `source` (corpus/) and their manifest rows, copied into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SEED_PAGES:
        shutil.copy(source / name, dest / name)
    with open(source / "manifest.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    kept = io.StringIO()
    csv.writer(kept, lineterminator="\n").writerows([rows[0]] + [r for r in rows[1:] if r and r[0] in SEED_PAGES])
    (dest / "manifest.csv").write_text(kept.getvalue(), encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def seed_corpus(tmp_path_factory) -> Path:
    """A copy of the five seed pages, made once for the session (tests must not write into it)."""
    return copy_seed_corpus(tmp_path_factory.mktemp("seed-corpus") / "corpus")


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory, seed_corpus) -> Path:
    """The seed corpus built once for the session (graph files only: no views, no store)."""
    out = tmp_path_factory.mktemp("corpus-build")
    build([seed_corpus], out, views=False, store=False)
    return out
