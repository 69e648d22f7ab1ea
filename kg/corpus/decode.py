"""Reading one source file into text: UTF-8, UTF-16, GB18030 (GBK, GB2312) or Big5.

A byte-order mark decides; else strict UTF-8 decides; else charset-normalizer tells the Chinese
encodings and BOM-less UTF-16 apart by what the decoded text looks like. An encoding it cannot
name, or names ambiguously, is refused with the reason: GB18030 decodes almost any bytes, so
guessing it would turn Big5 or Shift-JIS into mojibake without a word.

Offsets everywhere in the project are into the decoded text with the BOM removed and
line ends normalized to \\n (\\r\\n and \\r count as one character, \\n). Characters XML 1.0
cannot carry (C0 controls but tab and newline, DEL, C1 controls, U+FFFE/U+FFFF) become one space
each, so they reach no output and every offset stays right.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from kg.corpus.model import Skipped, SourceInfo

BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: what charset-normalizer may answer (codecs names) -> the codec that reads it (the superset)
DETECTED = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs",
            "cp950": "cp950", "big5hkscs": "big5hkscs", "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be"}
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
BINARY_RATIO = 0.05


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
    decoded = decode_bytes(raw)
    if isinstance(decoded, str):
        return Skipped(str(path), f"undecodable: {decoded}")
    text, encoding = decoded
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Skipped(str(path), "empty file")
    if len(FORBIDDEN.findall(text[:4096])) > BINARY_RATIO * min(len(text), 4096):
        return Skipped(str(path), "binary file, not text")
    text = FORBIDDEN.sub(" ", text)
    info = SourceInfo(path=str(path), file_id=file_id or path.stem, encoding=encoding,
                      sha256=hashlib.sha256(raw).hexdigest())
    return text, info


def decode_bytes(raw: bytes) -> tuple[str, str] | str:
    """(text, encoding), or the reason the bytes cannot be read as text."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                return f"starts with a {encoding} byte-order mark but is not {encoding} (bad bytes at offset {exc.start})"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw))
    if not matches:
        return "binary file or unknown encoding (not UTF-8, UTF-16, GB18030 or Big5); convert it to UTF-8"
    best = matches[0]
    name = codecs.lookup(best.encoding).name
    if name not in DETECTED:
        return f"looks like {name}, which kg does not read (UTF-8, UTF-16, GB18030, Big5); convert it to UTF-8"
    rivals = {codecs.lookup(m.encoding).name for m in matches[1:]
              if (m.chaos, m.coherence) == (best.chaos, best.coherence)} & DETECTED.keys()
    if {DETECTED[r] for r in rivals} - {DETECTED[name]}:
        return f"encoding is ambiguous ({', '.join(sorted(rivals | {name}))}); convert it to UTF-8"
    try:
        return raw.decode(DETECTED[name]), DETECTED[name]
    except UnicodeDecodeError as exc:
        return f"looks like {name} but has bad bytes at offset {exc.start}; convert it to UTF-8"
