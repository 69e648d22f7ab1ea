"""SPARQL query text read as tokens: refuse SERVICE, find the query form, add the pre-bound prefixes.

A token reader, not a substring search: `SERVICE` inside a comment, a string literal, an IRI, a
variable (`?service`) or a prefixed name (`ex:service`) is not the keyword, and the keyword is
found in any letter case. SPARQL lets `\\u0053ERVICE` stand for `SERVICE` (codepoint escapes,
section 19.2), so the text is read both as written and with escapes decoded, and either reading
with the keyword is refused. A refused query is never sent to the engine: no outbound request.
"""

from __future__ import annotations

import re
import unicodedata

from kg.errors import UsageError

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w\-.:%\u00B7]|\\[^\s])*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
FORMS = ("select", "ask", "construct", "describe")


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) for every token but spaces and comments."""
    return [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text) if m.lastgroup not in ("space", "comment")]


def _unescaped(text: str) -> str:
    def decode(m: re.Match) -> str:
        code = int(m[1] or m[2], 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m[0]

    return _ESCAPE.sub(decode, text)


def refuse_service(text: str) -> None:
    """UsageError if the query holds a SERVICE pattern (a federated query asks another server)."""
    for reading in {text, _unescaped(text)}:
        if any(kind == "word" and value.lower() == "service" for kind, value in tokens(reading)):
            raise UsageError("SERVICE is refused: queries run on the built graph only, "
                             "this endpoint makes no outbound requests")


def query_form(text: str) -> str | None:
    """select, ask, construct or describe: the first form keyword (a sub-SELECT comes later)."""
    return next((v.lower() for k, v in tokens(text) if k == "word" and v.lower() in FORMS), None)


def declared_prefixes(text: str) -> set[str]:
    found, after_prefix = set(), False
    for kind, value in tokens(text):
        if after_prefix and kind == "pname" and value.endswith(":"):
            found.add(value[:-1])
        after_prefix = kind == "word" and value.lower() == "prefix"
    return found


def with_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """The query with PREFIX lines for the pre-bound prefixes it does not declare itself.

    They go on one first line (the engine refuses a prefix declared twice with different IRIs),
    so the engine's "error at LINE:COLUMN" is one line later than the user's text: see
    `user_position`.
    """
    own = declared_prefixes(text)
    head = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in sorted(prefixes.items()) if p not in own)
    return f"{head}\n{text}"


def user_position(message: str) -> str:
    """An engine syntax error about with_prefixes(text), pointing into the user's text."""
    return re.sub(r"\berror at (\d+):(\d+)", lambda m: f"error at {max(int(m[1]) - 1, 1)}:{m[2]}", message, count=1)


def first_keyword(text: str) -> str | None:
    """The first keyword after the prologue (PREFIX, BASE), lower-cased: the query form, or
    the operation of an update (insert, delete, load, …)."""
    return next((v.lower() for k, v in tokens(text) if k == "word" and v.lower() not in ("prefix", "base")), None)


_ERROR_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_EXPECTED_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|[^,\s][^,]*')
_SHOWN_EXPECTED = 8


def _expected(detail: str) -> str:
    """The engine's "expected one of …" without its character-class ranges (['\\u{00C0}'..=…])."""
    detail = " ".join(detail.split())
    head, sep, items = detail.partition("expected one of ")
    if not sep:
        head, sep, items = detail.partition("expected ")
    if not sep:
        return detail
    found = [i.strip() for i in _EXPECTED_ITEM.findall(items)]
    kept = [i for i in found if not i.startswith("[") and i != "Prefix not found"]
    if not kept:
        return ""
    more = ", …" if len(kept) > _SHOWN_EXPECTED or len(kept) < len(found) else ""
    return f"{head}expected {'one of ' if len(kept) > 1 or more else ''}{', '.join(kept[:_SHOWN_EXPECTED])}{more}"


def display_width(text: str) -> int:
    """Terminal columns: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def undeclared_prefix(text: str, known: set[str]) -> tuple[str, int] | None:
    """The first prefixed name whose prefix is neither in `known` nor declared: (prefix, offset)."""
    declared = known | declared_prefixes(text)
    for m in _TOKEN.finditer(text):
        prefix = m.group().partition(":")[0]
        if m.lastgroup == "pname" and prefix != "_" and prefix not in declared:
            return prefix, m.start()
    return None


def explain_syntax_error(message: str, text: str, sent: str | None = None, to_user_offset=lambda offset: offset,
                         known_prefixes: set[str] = frozenset()) -> str:
    """The engine's syntax error as one line with the position, then the query line and a caret
    under that position. `sent` is the text the engine read when it is not the user's `text`
    (bound parameters inserted), and `to_user_offset` maps a character offset of it into `text`.
    A prefix neither declared nor in `known_prefixes` is named as the error, at its place (the
    engine reports it as some other token expected, further on)."""
    m = _ERROR_AT.search(message)
    if m is None:
        return f"query syntax error: {' '.join(message.split())}"
    sent_line, sent_column, detail = int(m[1]), int(m[2]), m[3]
    # The engine counts lines and (1-based) characters of what it read; map that to an offset.
    sent_lines = (text if sent is None else sent).split("\n")
    offset = sum(len(line) + 1 for line in sent_lines[: sent_line - 1]) + sent_column - 1
    offset = min(to_user_offset(offset), len(text.rstrip()))  # past the end: after the last character
    unknown = undeclared_prefix(text, set(known_prefixes))
    if unknown is not None:
        offset, detail = unknown[1], f"unknown prefix {unknown[0]}: (declare it with PREFIX {unknown[0]}: <…>)"
    before = text[:offset]
    line_no = before.count("\n") + 1
    line_start = before.rfind("\n") + 1
    line_end = text.find("\n", offset)
    line = text[line_start: len(text) if line_end < 0 else line_end].rstrip()
    column = offset - line_start + 1
    if unknown is not None:
        what = detail
    elif "Prefix not found" in detail:
        what = "unknown prefix"
    else:
        what = _expected(detail) or "unexpected text"
    at = "the end of the query" if offset == len(text.rstrip()) else f"line {line_no}, column {column}"
    shown, lead = line, column - 1
    if len(line) > 100:  # a window of the line around the position
        start = max(lead - 50, 0)
        shown, lead = ("…" if start else "") + line[start: start + 100], lead - start + (1 if start else 0)
    caret = " " * display_width(shown[:lead].replace("\t", " ")) + "^"
    return f"query syntax error at {at}: {what}\n  {shown.replace(chr(9), ' ')}\n  {caret}"
