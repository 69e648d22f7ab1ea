"""corpus/manifest.csv: one row per source file (publisher, date, page title).

A user extends the corpus by adding a file and, optionally, a row. A file with no row is
read with defaults; a malformed row is reported with its line, never fatal. A row is one line
(a quoted field cannot hold a line break), so an unclosed quote costs its own row only.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kg.corpus.decode import FORBIDDEN

FORMATS = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}
COLUMNS = ("file", "publisher", "date", "title")


@dataclass(frozen=True)
class ManifestRow:
    publisher: str | None
    date: str | None
    title: str | None


def _valid_date(value: str) -> bool:
    try:
        datetime.strptime(value, FORMATS[len(value)])
        return True
    except (KeyError, ValueError):
        return False


def read_manifest(path: Path) -> tuple[dict[str, ManifestRow], list[str]]:
    """Rows by file name, and one problem message per row that could not be used."""
    rows: dict[str, ManifestRow] = {}
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        lines = FORBIDDEN.sub(" ", text).split("\n")  # its titles reach XML too
    except (OSError, UnicodeDecodeError) as exc:
        return rows, [f"{path}: unreadable manifest ({exc}); defaults used"]
    # One row per line: csv would let an unclosed quote swallow every row after it.
    parsed = []
    for n, line in enumerate(lines, start=1):
        try:
            parsed.append((n, next(csv.reader([line], strict=True), [])))
        except csv.Error as exc:
            problems.append(f"{path}:{n}: {'unterminated quote' if 'end of data' in str(exc) else exc}; row ignored")
    if not parsed or parsed[0][0] != 1:
        return rows, problems + [f"{path}:1: no header row; manifest ignored"]
    header = [c.strip() for c in parsed[0][1]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return rows, problems + [f"{path}: missing column(s) {', '.join(missing)}; manifest ignored"]
    for n, cells in parsed[1:]:
        if not any(c.strip() for c in cells):
            continue
        row = dict(zip(header, cells))
        name = (row.get("file") or "").strip()
        date = (row.get("date") or "").strip() or None
        if not name:
            problems.append(f"{path}:{n}: row without a file name, ignored")
            continue
        if date and not _valid_date(date):
            problems.append(f"{path}:{n}: date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD; date ignored")
            date = None
        rows[name] = ManifestRow((row.get("publisher") or "").strip() or None, date,
                                 (row.get("title") or "").strip() or None)
    return rows, problems
