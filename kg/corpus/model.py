"""What the corpus stage hands to extraction: sources, articles, blocks, sentences.

Text is repaired (lines rejoined), but every sentence keeps `start`/`end`:
character offsets into the decoded original file, so evidence points at the
bytes a user can open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Sequence

BlockKind = Literal["title", "heading", "byline", "caption", "guests", "body"]


@dataclass(frozen=True)
class Sentence:
    text: str  # repaired text of the sentence
    start: int  # offset of its first character in the original file
    end: int  # offset one past its last character in the original file
    # each character's offset in the original file, 4 bytes apiece (a tuple of ints costs 36)
    offsets: Sequence[int] = field(repr=False, compare=False, default=())
    """For each character of `text`, its offset in the original file."""


@dataclass(frozen=True)
class Block:
    """A paragraph-like unit of a page: body text, a heading, a caption, a byline..."""

    kind: BlockKind
    text: str  # repaired
    start: int
    end: int
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class SourceInfo:
    """One corpus file and its manifest row (defaults where there is none)."""

    path: str  # as given, relative to the corpus folder when read from one
    file_id: str  # file stem, used in article IRIs
    publisher: str | None = None
    date: str | None = None  # ISO 8601, as precise as known: "2025", "2025-06", "2025-06-03"
    title: str | None = None  # page title from the manifest
    encoding: str = "utf-8"
    sha256: str = ""  # of the raw bytes; keys the per-article extraction cache


@dataclass(frozen=True)
class Article:
    source: SourceInfo
    index: int  # 1-based position on its page
    title: str
    authors: tuple[str, ...]  # journalists from the byline: dcterms:creator, never officials
    blocks: tuple[Block, ...]
    start: int
    end: int

    @property
    def article_id(self) -> str:
        """Stable local id, used in the article IRI: `<file stem>-<index>`."""
        return f"{self.source.file_id}-{self.index}"

    @property
    def body(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "body")

    def sentences(self, kinds: tuple[BlockKind, ...] = ("body", "guests", "heading", "title")):
        for block in self.blocks:
            if block.kind in kinds:
                yield from ((block, s) for s in block.sentences)


@dataclass(frozen=True)
class Skipped:
    """An input the loader could not use, and why (reported in the build summary)."""

    path: str
    reason: str


@dataclass
class LoadResult:
    articles: list[Article]
    skipped: list[Skipped]
    sources: list[SourceInfo]
