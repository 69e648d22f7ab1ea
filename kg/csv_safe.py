"""CSV that is safe to open in a spreadsheet: the one writer `kg export` and `kg query` share.

Excel, LibreOffice and Google Sheets run a cell that begins with =, +, -, @, tab or carriage
return as a formula (=HYPERLINK(...) leaks data, =cmd|... runs commands). Labels and sentences
come from scraped news, so such a cell is neutralized as OWASP advises: a leading single quote
makes the spreadsheet show it as text. A plain number (-3.5, +2) is not a formula and is left as
it is, so negative values stay numbers for pandas and spreadsheets alike.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The UTF-8 byte order mark: without it Excel reads a CSV file in the locale's code page and
#: garbles Chinese; tools that read UTF-8 anyway may be given the CSV without it.
BOM = "\ufeff"
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(header: Iterable, rows: Iterable[Iterable], bom: bool = False) -> str:
    """Header and rows as RFC 4180 CSV, every cell through safe_cell, after a BOM when `bom`.
    Lines end in CRLF: with that terminator the writer quotes a cell holding a lone CR, which a
    "\n" terminator leaves bare, and a bare CR starts a new row in Excel (a row injection)."""
    out = io.StringIO(newline="")
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in header])
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return out.getvalue()
