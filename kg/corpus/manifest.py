"""corpus/manifest.csv: one row per source file (publisher, date, page title).

A user extends the corpus by adding a file and, optionally, a row. A file with no row is
read with defaults; a malformed row is reported, never fatal.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                return rows, [f"{path}: missing column(s) {', '.join(missing)}; manifest ignored"]
            for n, row in enumerate(reader, start=2):
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
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        problems.append(f"{path}: unreadable manifest ({exc}); defaults used")
    return rows, problems
