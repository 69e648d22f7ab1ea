"""Running SPARQL against the built store: text, .rq files and the named queries of queries/.

Prefixes ms:, msr:, rdf:, rdfs:, skos:, prov:, dcterms:, xsd:, owl: are pre-bound. Parameters
are resolved to RDF terms first (a name, alias, prefixed name or IRI → a node) and enter the
query as a VALUES row of that term, never as user text: a value such as
`沙坪坝区" } DROP ALL #` is just a name that matches nothing. SERVICE is refused (no outbound
requests).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.csv_safe import csv_text
from kg.errors import UsageError
from kg.prefixes import PREFIX_IRIS
from kg.query.sparql_text import refuse_service

QUERIES = Path(__file__).with_name("queries")
PREFIX_MAP = dict(PREFIX_IRIS)  # plain strings: a query needs no rdflib
RDFS_LABEL = ox.NamedNode(PREFIX_IRIS["rdfs"] + "label")
SKOS_ALT_LABEL = ox.NamedNode(PREFIX_IRIS["skos"] + "altLabel")
FORMATS = ("table", "csv", "tsv", "json")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: dict[str, tuple[str, bool]]  # name -> (meaning, required)
    text: str


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    found = {}
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        description = next((m[1] for m in re.finditer(r"^# description:\s*(.+)$", text, re.M)), "")
        params = {}
        for m in re.finditer(r"^# param:\s*(\w+)\s*—\s*(.+)$", text, re.M):
            optional = m[2].startswith("(optional)")
            params[m[1]] = (m[2].removeprefix("(optional)").strip(), not optional)
        found[path.stem] = NamedQuery(path.stem, description, params, text)
    return found


def load_query(query: str) -> tuple[str, NamedQuery | None]:
    """SPARQL text for a named query, a .rq file, or the text itself."""
    if query in named_queries():
        return named_queries()[query].text, named_queries()[query]
    if query.endswith(".rq"):
        path = Path(query)
        if not path.is_file():
            raise UsageError(f"{query}: no such query file")
        try:
            return path.read_text(encoding="utf-8"), None
        except UnicodeDecodeError as exc:
            raise UsageError(f"{query}: not UTF-8 text (byte {exc.start}); save the query as UTF-8") from None
    if not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", query, re.I):
        close = difflib.get_close_matches(query, named_queries(), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else " (see `kg query --list`)"
        raise UsageError(f"{query!r} is neither SPARQL nor a named query{hint}")
    return query, None


def _iri(param: str, value: str, iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise UsageError(f"--param {param}={value!r}: not a valid IRI ({exc})") from None


def resolve_term(store: ox.Store, value: str, param: str = "") -> ox.NamedNode:
    """A name, a short form, a prefixed name or an IRI -> the node it names (`param`, the
    parameter's name, is for the error message)."""
    if re.match(r"^https?://", value):
        return _iri(param, value, value)
    prefix, _, local = value.partition(":")
    if prefix in PREFIX_MAP and local and not re.search(r"[\u4e00-\u9fff]", prefix):
        return _iri(param, value, PREFIX_MAP[prefix] + local)
    name = ox.Literal(unicodedata.normalize("NFKC", value).strip().strip("“”\"'"), language="zh")
    # A canonical name wins over an alias; index lookups, not a query, as this runs before every query.
    for prop in (RDFS_LABEL, SKOS_ALT_LABEL):
        hits = {q.subject for q in store.quads_for_pattern(None, prop, name, ox.DefaultGraph())}
        if hits:
            return min(hits, key=lambda n: n.value)
    labels = [s["l"].value for s in store.query("SELECT DISTINCT ?l WHERE { ?n rdfs:label ?l }",
                                                 prefixes=PREFIX_MAP)]
    close = difflib.get_close_matches(name.value, labels, n=3, cutoff=0.3)
    hint = f"; close: {', '.join(close)}" if close else ""
    raise UsageError(f"no entity is called {value!r}{hint}")


def bind_values(text: str, terms: dict[str, ox.NamedNode]) -> str:
    """Open the WHERE clause with one VALUES row per parameter.

    The values are parsed RDF terms (ox.NamedNode validates its IRI, and prints itself in N-Triples
    syntax), so no user text reaches the query; a VALUES block at the start lets Oxigraph start from
    the bound node, where a substitution applied after evaluation is 50x slower on a large graph.
    """
    if not terms:
        return text
    values = "".join(f"\n  VALUES ?{name} {{ {term} }}" for name, term in terms.items())
    where = re.search(r"WHERE\s*\{", text, re.I)
    if where is None:
        raise UsageError("a parameterized query needs a WHERE { … } clause")
    return text[: where.end()] + values + text[where.end():]


def run_query(store: ox.Store, query: str, params: dict[str, str] | None = None):
    """Execute; returns QuerySolutions, QueryBoolean or QueryTriples. Syntax errors -> UsageError."""
    text, named = load_query(query)
    params = params or {}
    if named is not None:
        missing = [p for p, (_, required) in named.params.items() if required and p not in params]
        if missing:
            raise UsageError(f"{named.name} needs --param {missing[0]}=… ({named.params[missing[0]][0]})")
        unknown = [p for p in params if p not in named.params]
        if unknown:
            raise UsageError(f"{named.name} has no parameter {unknown[0]!r} (it takes: {', '.join(named.params) or 'none'})")
    refuse_service(text)  # the embedded engine would send the request itself
    terms = {k: resolve_term(store, v, k) for k, v in params.items()}
    try:
        return store.query(bind_values(text, terms), prefixes=PREFIX_MAP)
    except SyntaxError as exc:
        raise UsageError(f"query syntax error: {' '.join(str(exc).split())}") from None


def compact(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in sorted(PREFIX_MAP.items(), key=lambda kv: -len(kv[1])):
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    return term.value


def _csv_term(term) -> str:
    """A term as SPARQL 1.1 Query Results CSV writes it: IRIs and literals bare, blank nodes _:x."""
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _solutions_csv(result: ox.QuerySolutions) -> str:
    """SPARQL 1.1 CSV results (CRLF lines, as the standard and Oxigraph write them), with
    spreadsheet formulas neutralized, which Oxigraph's own serializer does not do."""
    names = [v.value for v in result.variables]
    return csv_text(names, ([_csv_term(s[n]) for n in names] for s in result))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_result(result, fmt: str = "table") -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    if isinstance(result, ox.QueryBoolean):
        return result.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper())).decode() if fmt != "table" else str(bool(result)).lower()
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_MAP).decode()
    if fmt == "csv":
        return _solutions_csv(result)
    if fmt != "table":
        return result.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper())).decode()
    names = [v.value for v in result.variables]
    rows = [[compact(solution[n]) for n in names] for solution in result]
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(_pad(n, w) for n, w in zip(names, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
