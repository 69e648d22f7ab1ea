"""Loading a corpus: files and folders in, articles and skipped inputs out, never an exception."""

from __future__ import annotations

from pathlib import Path

from kg.corpus.decode import read_source
from kg.corpus.layout import split_articles
from kg.corpus.manifest import read_manifest
from kg.corpus.model import LoadResult, Skipped

MANIFEST = "manifest.csv"


def _expand(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files to read (sorted within each folder) and the manifests found in given folders."""
    files, manifests = [], []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.txt") if not any(part.startswith(".") for part in p.parts))
            if (path / MANIFEST).is_file():
                manifests.append(path / MANIFEST)
        else:
            files.append(path)
            if (path.parent / MANIFEST).is_file():
                manifests.append(path.parent / MANIFEST)
    return list(dict.fromkeys(files)), list(dict.fromkeys(manifests))


def load_corpus(paths: list[Path], manifest: Path | None = None) -> LoadResult:
    files, manifests = _expand([Path(p) for p in paths])
    rows, problems = {}, []
    for m in ([manifest] if manifest else []) + manifests:
        found, issues = read_manifest(m)
        rows.update({k: v for k, v in found.items() if k not in rows})
        problems += issues
    result = LoadResult(articles=[], skipped=[Skipped(p.split(":")[0], p) for p in problems], sources=[])
    for path in files:
        read = read_source(path)
        if isinstance(read, Skipped):
            result.skipped.append(read)
            continue
        text, info = read
        row = rows.get(path.name)
        if row:
            info = type(info)(**{**info.__dict__, "publisher": row.publisher, "date": row.date, "title": row.title})
        articles = split_articles(text, info)
        if not articles:
            result.skipped.append(Skipped(str(path), "no article text found (only headings or captions)"))
            continue
        result.sources.append(info)
        result.articles += articles
    return result
