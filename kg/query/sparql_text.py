"""SPARQL query text read as tokens: refuse SERVICE, find the query form, add the pre-bound prefixes.

A token reader, not a substring search: `SERVICE` inside a comment, a string literal, an IRI, a
variable (`?service`) or a prefixed name (`ex:service`) is not the keyword, and the keyword is
found in any letter case. SPARQL lets `\\u0053ERVICE` stand for `SERVICE` (codepoint escapes,
section 19.2), so the text is read both as written and with escapes decoded, and either reading
with the keyword is refused. A refused query is never sent to the engine: no outbound request.
"""

from __future__ import annotations

import re

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
