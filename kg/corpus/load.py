"""Loading a corpus: files and folders in, articles and skipped inputs out, never an exception."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Iterator

from kg.corpus.decode import read_source
from kg.corpus.layout import split_articles
from kg.corpus.manifest import read_manifest
from kg.corpus.model import Article, LoadResult, Skipped

MANIFEST = "manifest.csv"


NOT_TEXT = "not a .txt file: a folder is read for its .txt files (name the file itself to read it as plain text)"


def _expand(paths: list[Path]) -> tuple[list[tuple[Path, str, Path]], list[Path]]:
    """(file, file id, folder its manifest is in) for every file to read, sorted within each folder,
    and the other files the folders hold (not read, reported). The id is the path below the folder
    given, without .txt (a/x and b/x are two sources); a file given by itself is its stem."""
    found: dict[Path, tuple[str, Path]] = {}
    other: list[Path] = []
    for path in paths:
        if path.is_dir():
            for p in sorted(p for p in path.rglob("*") if p.is_file()
                            and not any(part.startswith(".") for part in p.relative_to(path).parts)):
                if p.suffix == ".txt":
                    found.setdefault(p, (p.relative_to(path).with_suffix("").as_posix(), path))
                elif p.name != MANIFEST:
                    other.append(p)
        else:
            found.setdefault(path, (path.stem, path.parent))
    counts = Counter(file_id for file_id, _ in found.values())
    # two inputs with one id (x.txt given twice from two folders): the path tells them apart
    return [(p, file_id if counts[file_id] == 1 else f"{file_id}~{hashlib.sha1(str(p).encode()).hexdigest()[:8]}", folder)
            for p, (file_id, folder) in found.items()], [p for p in other if p not in found]  # unless also named by itself


class CorpusReader:
    """Reads a corpus one file at a time, so a build holds one file's articles, not the corpus's.
    `articles()` can be iterated again (a second pass re-reads the files); what was skipped and
    which sources were read are recorded on the first pass. `manifest`, when given, is consulted
    first, by file name."""

    def __init__(self, paths: list[Path], manifest: Path | None = None):
        self.files, not_text = _expand([Path(p) for p in paths])
        self._manifests: dict[Path, dict] = {}
        problems: list[str] = []
        self._extra = self._rows_in(manifest, problems) if manifest else {}
        for _, _, folder in self.files:
            self._rows_in(folder / MANIFEST, problems)
        self.skipped = [Skipped(p.split(":")[0], p) for p in problems] + [Skipped(str(p), NOT_TEXT) for p in not_text]
        self.sources: list = []
        self.files_read = 0
        self._passes = 0

    def __len__(self) -> int:
        return len(self.files)

    def _rows_in(self, manifest_path: Path, problems: list[str]) -> dict:
        if manifest_path not in self._manifests:
            found, issues = read_manifest(manifest_path) if manifest_path.is_file() else ({}, [])
            self._manifests[manifest_path] = found
            problems.extend(issues)
        return self._manifests[manifest_path]

    def has_articles(self) -> bool:
        """Whether any file holds an article (reads files until one does; records nothing)."""
        return next(self._read(record=False), None) is not None

    def articles(self) -> Iterator[Article]:
        self._passes += 1
        return self._read(record=self._passes == 1)

    def _read(self, record: bool) -> Iterator[Article]:
        self.files_read = 0
        for path, file_id, folder in self.files:
            read = read_source(path, file_id)
            self.files_read += 1
            if isinstance(read, Skipped):
                if record:
                    self.skipped.append(read)
                continue
            text, info = read
            key = path.relative_to(folder).as_posix()
            row = self._extra.get(path.name) or self._manifests[folder / MANIFEST].get(key)
            if row:
                info = type(info)(**{**info.__dict__, "publisher": row.publisher, "date": row.date, "title": row.title})
            articles = split_articles(text, info)
            if not articles:
                if record:
                    self.skipped.append(Skipped(str(path), "no article text found (only headings or captions)"))
                continue
            if record:
                self.sources.append(info)
            yield from articles


def load_corpus(paths: list[Path], manifest: Path | None = None) -> LoadResult:
    """The whole corpus in memory (tests, notebooks, benchmarks); builds stream it with CorpusReader."""
    reader = CorpusReader(paths, manifest)
    articles = list(reader.articles())
    return LoadResult(articles=articles, skipped=reader.skipped, sources=reader.sources)
