"""Loading a corpus: files and folders in, articles and skipped inputs out, never an exception."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from kg.corpus.decode import read_source
from kg.corpus.layout import split_articles
from kg.corpus.manifest import read_manifest
from kg.corpus.model import LoadResult, Skipped

MANIFEST = "manifest.csv"


def _expand(paths: list[Path]) -> list[tuple[Path, str, Path]]:
    """(file, file id, folder its manifest is in) for every file to read, sorted within each folder.
    The id is the path below the folder given, without .txt (a/x and b/x are two sources); a file
    given by itself is its stem."""
    found: dict[Path, tuple[str, Path]] = {}
    for path in paths:
        if path.is_dir():
            for p in sorted(p for p in path.rglob("*.txt") if not any(part.startswith(".") for part in p.parts)):
                found.setdefault(p, (p.relative_to(path).with_suffix("").as_posix(), path))
        else:
            found.setdefault(path, (path.stem, path.parent))
    counts = Counter(file_id for file_id, _ in found.values())
    # two inputs with one id (x.txt given twice from two folders): the path tells them apart
    return [(p, file_id if counts[file_id] == 1 else f"{file_id}~{hashlib.sha1(str(p).encode()).hexdigest()[:8]}", folder)
            for p, (file_id, folder) in found.items()]


def load_corpus(paths: list[Path], manifest: Path | None = None) -> LoadResult:
    """`manifest`, when given, is consulted first, by file name."""
    files = _expand([Path(p) for p in paths])
    manifests: dict[Path, dict] = {}
    problems: list[str] = []

    def rows_in(manifest_path: Path) -> dict:
        if manifest_path not in manifests:
            found, issues = read_manifest(manifest_path) if manifest_path.is_file() else ({}, [])
            manifests[manifest_path] = found
            problems.extend(issues)
        return manifests[manifest_path]

    extra = rows_in(manifest) if manifest else {}
    for _, _, folder in files:
        rows_in(folder / MANIFEST)
    result = LoadResult(articles=[], skipped=[Skipped(p.split(":")[0], p) for p in problems], sources=[])
    for path, file_id, folder in files:
        read = read_source(path, file_id)
        if isinstance(read, Skipped):
            result.skipped.append(read)
            continue
        text, info = read
        key = path.relative_to(folder).as_posix()
        row = extra.get(path.name) or rows_in(folder / MANIFEST).get(key)
        if row:
            info = type(info)(**{**info.__dict__, "publisher": row.publisher, "date": row.date, "title": row.title})
        articles = split_articles(text, info)
        if not articles:
            result.skipped.append(Skipped(str(path), "no article text found (only headings or captions)"))
            continue
        result.sources.append(info)
        result.articles += articles
    return result
