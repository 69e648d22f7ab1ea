"""Reading one source file into text: UTF-8 (with or without BOM) or GB18030.

Offsets everywhere in the project are into the decoded text with the BOM removed and
line ends normalized to \n (\r\n and \r count as one character, \n).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.corpus.model import Skipped, SourceInfo

BOM = b"\xef\xbb\xbf"
CONTROL_OK = {9, 10, 13, 12}


def read_source(path: Path, file_id: str | None = None) -> tuple[str, SourceInfo] | Skipped:
    """The decoded, newline-normalized text of a file and its SourceInfo, or why it was skipped."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Skipped(str(path), "no such file")
    except IsADirectoryError:
        return Skipped(str(path), "is a folder, not a file")
    except OSError as exc:
        return Skipped(str(path), f"cannot be read ({exc.strerror or exc})")
    if not raw.strip():
        return Skipped(str(path), "empty file")
    if b"\x00" in raw or _control_ratio(raw) > 0.05:
        return Skipped(str(path), "binary file, not text")
    encoding = "utf-8-sig" if raw.startswith(BOM) else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        try:
            text, encoding = raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as exc:
            return Skipped(str(path), f"undecodable: neither UTF-8 nor GB18030 (bad byte at offset {exc.start})")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Skipped(str(path), "empty file")
    info = SourceInfo(path=str(path), file_id=file_id or path.stem, encoding=encoding,
                      sha256=hashlib.sha256(raw).hexdigest())
    return text, info


def _control_ratio(raw: bytes) -> float:
    sample = raw[:4096]
    return sum(1 for b in sample if b < 32 and b not in CONTROL_OK) / len(sample)
