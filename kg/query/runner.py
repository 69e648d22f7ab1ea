"""Running SPARQL against the built store: text, .rq files and the named queries of queries/.

Prefixes ms:, msr:, rdf:, rdfs:, skos:, prov:, dcterms:, xsd:, owl: are pre-bound. Parameters
are resolved to RDF terms first (a name, alias, prefixed name or IRI → a node) and enter the
query as a VALUES row of that term, never as user text: a value such as
`沙坪坝区" } DROP ALL #` is just a name that matches nothing. SERVICE is refused (no outbound
requests); SPARQL Update is refused (the graph is read-only).

Table output prints IRIs as terms one can paste back into a query: a prefixed name when its
local part is a valid SPARQL PN_LOCAL (msr:area/500106 is not: '/' may not stand unescaped),
else the full <IRI>.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.csv_safe import csv_text
from kg.errors import UsageError
from kg.suggest import close_names
from kg.prefixes import PREFIX_IRIS
from kg.query.sparql_text import display_width, explain_syntax_error, first_keyword, query_form, refuse_service

QUERIES = Path(__file__).with_name("queries")
PREFIX_MAP = dict(PREFIX_IRIS)  # plain strings: a query needs no rdflib
RDFS_LABEL = ox.NamedNode(PREFIX_IRIS["rdfs"] + "label")
SKOS_ALT_LABEL = ox.NamedNode(PREFIX_IRIS["skos"] + "altLabel")
RDF_TYPE = ox.NamedNode(PREFIX_MAP["rdf"] + "type")
FORMATS = ("table", "csv", "tsv", "json", "xml")
UPDATE_WORDS = {"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with"}
# SPARQL 1.1 PN_LOCAL without backslash escapes (section 19.8): what may follow "prefix:" as is.
_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                  "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_PN_CHARS = _PN_CHARS_BASE + "_\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = "%[0-9A-Fa-f]{2}"
PN_LOCAL = re.compile(f"(?:[{_PN_CHARS_BASE}_:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?")
# For messages: what a node of a class is called, and the `kg list` kind that lists it.
_CLASS_WORDS = (("Program", "program", "programs"), ("Municipality", "area", "districts"), ("District", "area", "districts"),
                ("Subdistrict", "area", "districts"), ("Community", "area", "districts"), ("Official", "official", "officials"),
                ("Organization", "organization", "organizations"), ("TargetGroup", "target group", "groups"))
NOUN_OF_CLASS = {PREFIX_MAP["ms"] + c: noun for c, noun, _ in _CLASS_WORDS}
LIST_OF_CLASS = {PREFIX_MAP["ms"] + c: kind for c, _, kind in _CLASS_WORDS}
# Characters XML 1.0 cannot carry even escaped (the engine would write them as they are).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: dict[str, tuple[str, bool]]  # name -> (meaning, required)
    text: str
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> the classes it expects (IRIs)


def _class_iri(name: str) -> str:
    prefix, _, local = name.partition(":")
    return PREFIX_MAP[prefix] + local


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """The queries of queries/*.rq. Their header says what they answer and what they take:
    `# param: NAME [ms:Class|ms:Other] — meaning`, the classes being what a value should name."""
    found = {}
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        description = next((m[1] for m in re.finditer(r"^# description:\s*(.+)$", text, re.M)), "")
        params, classes = {}, {}
        for m in re.finditer(r"^# param:\s*(\w+)\s*(?:\[([^\]]+)\])?\s*—\s*(.+)$", text, re.M):
            optional = m[3].startswith("(optional)")
            params[m[1]] = (m[3].removeprefix("(optional)").strip(), not optional)
            if m[2]:
                classes[m[1]] = tuple(_class_iri(c.strip()) for c in m[2].split("|"))
        found[path.stem] = NamedQuery(path.stem, description, params, text, classes)
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
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise UsageError(f"{query}: not UTF-8 text (byte {exc.start}); save the query as UTF-8") from None
    else:
        text = query
    keyword = first_keyword(text)
    if keyword in UPDATE_WORDS:
        raise UsageError(f"the graph is read-only: SPARQL Update ({keyword.upper()} …) is refused; "
                         "kg query runs SELECT, ASK, CONSTRUCT and DESCRIBE")
    if text is query and query_form(text) is None:
        close = difflib.get_close_matches(query, named_queries(), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else " (see `kg query --list`)"
        raise UsageError(f"{query!r} is neither SPARQL nor a named query{hint}")
    return text, None


def _iri(param: str, value: str, iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise UsageError(f"--param {param}={value!r}: not a valid IRI ({exc})") from None


def _of_classes(store: ox.Store, classes: tuple[str, ...]) -> set[ox.NamedNode]:
    """The nodes typed with one of `classes` (the classes a node is typed with, not inferred)."""
    return {q.subject for c in classes for q in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(c), ox.DefaultGraph())
            if isinstance(q.subject, ox.NamedNode)}


def _label(store: ox.Store, node: ox.NamedNode) -> str:
    return next((q.object.value for q in store.quads_for_pattern(node, RDFS_LABEL, None, ox.DefaultGraph())), "")


def class_name(store: ox.Store, node: ox.NamedNode) -> str:
    """The most specific ms: class of a node, as its local name (District, Program), or "entity"."""
    ns = PREFIX_MAP["ms"]
    types = {q.object.value for q in store.quads_for_pattern(node, RDF_TYPE, None, ox.DefaultGraph())}
    ms_types = sorted(t[len(ns):] for t in types if t.startswith(ns))
    return ms_types[0] if ms_types else "entity"


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeio' else 'a'} {noun}"


def resolve_term(store: ox.Store, value: str, param: str = "", classes: tuple[str, ...] = ()) -> ox.NamedNode:
    """A name, a short form, a prefixed name or an IRI -> the node it names (`param`, the
    parameter's name, is for the error message). With `classes`, a name means a node of those
    classes, and names close to an unknown one are suggested from those classes only."""
    if re.match(r"^https?://", value):
        return _iri(param, value, value)
    prefix, _, local = value.partition(":")
    if prefix in PREFIX_MAP and local and not re.search(r"[\u4e00-\u9fff]", prefix):
        return _iri(param, value, PREFIX_MAP[prefix] + local)
    name = ox.Literal(unicodedata.normalize("NFKC", value).strip().strip("“”\"'"), language="zh")
    wanted = _of_classes(store, classes) if classes else None
    # A canonical name wins over an alias; index lookups, not a query, as this runs before every query.
    named_elsewhere = set()
    for prop in (RDFS_LABEL, SKOS_ALT_LABEL):
        hits = {q.subject for q in store.quads_for_pattern(None, prop, name, ox.DefaultGraph())}
        if wanted is not None:
            named_elsewhere |= hits - wanted
            hits &= wanted
        if hits:
            return min(hits, key=lambda n: n.value)
    if wanted is None:
        labels = [s["l"].value for s in store.query("SELECT DISTINCT ?l WHERE { ?n rdfs:label ?l }",
                                                     prefixes=PREFIX_MAP)]
    else:
        labels = sorted({_label(store, n) for n in wanted} - {""})
    what = " or ".join(dict.fromkeys(NOUN_OF_CLASS.get(c, "entity") for c in classes)) if classes else "entity"
    if named_elsewhere:
        other = min(named_elsewhere, key=lambda n: n.value)
        found = f"{value!r} names {_a(class_name(store, other))} ({compact(other)}), not {_a(what)}"
    else:
        found = f"no {what} is called {value!r}"
    close = close_names(name.value, labels)
    lists = list(dict.fromkeys(LIST_OF_CLASS[c] for c in classes if c in LIST_OF_CLASS)) or list(set(LIST_OF_CLASS.values()))
    shown = " or ".join(f"`kg list {k}`" for k in lists[:2]) if len(lists) <= 2 else "`kg list`"
    hint = f"; close: {', '.join(close)}" if close else f"; no {what} has a name close to it ({shown} shows the names)"
    raise UsageError(found + hint)


def _values_block(terms: dict[str, ox.NamedNode]) -> str:
    return "".join(f"\n  VALUES ?{name} {{ {term} }}" for name, term in terms.items())


def bind_values(text: str, terms: dict[str, ox.NamedNode]) -> str:
    """Open the WHERE clause with one VALUES row per parameter.

    The values are parsed RDF terms (ox.NamedNode validates its IRI, and prints itself in N-Triples
    syntax), so no user text reaches the query; a VALUES block at the start lets Oxigraph start from
    the bound node, where a substitution applied after evaluation is 50x slower on a large graph.
    """
    if not terms:
        return text
    where = re.search(r"WHERE\s*\{", text, re.I)
    if where is None:
        raise UsageError("a parameterized query needs a WHERE { … } clause")
    return text[: where.end()] + _values_block(terms) + text[where.end():]


def _user_offset(text: str, terms: dict[str, ox.NamedNode], bound_offset: int) -> int:
    """Where in the user's text a character offset of bind_values(text, terms) lies."""
    where = re.search(r"WHERE\s*\{", text, re.I)
    if not terms or where is None or bound_offset <= where.end():
        return bound_offset
    return max(bound_offset - len(_values_block(terms)), where.end())


@dataclass
class Prepared:
    """A query ready to run: the user's text, what it binds, and the text sent to the engine."""
    text: str
    named: NamedQuery | None
    terms: dict[str, ox.NamedNode]

    @property
    def bound(self) -> str:
        return bind_values(self.text, self.terms)


def prepare(store: ox.Store, query: str, params: dict[str, str] | None = None) -> Prepared:
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
    classes = named.classes if named is not None else {}
    terms = {k: resolve_term(store, v, k, classes.get(k, ())) for k, v in params.items()}
    return Prepared(text, named, terms)


def execute(store: ox.Store, prepared: Prepared):
    bound = prepared.bound
    try:
        return store.query(bound, prefixes=PREFIX_MAP)
    except SyntaxError as exc:
        raise UsageError(explain_syntax_error(str(exc), prepared.text, bound,
                                              lambda offset: _user_offset(prepared.text, prepared.terms, offset),
                                              known_prefixes=set(PREFIX_MAP))) from None


def run_query(store: ox.Store, query: str, params: dict[str, str] | None = None):
    """Execute; returns QuerySolutions, QueryBoolean or QueryTriples. Syntax errors -> UsageError."""
    return execute(store, prepare(store, query, params))


def empty_hint(store: ox.Store, prepared: Prepared) -> str:
    """What to say when a query with parameters finds nothing: the names are in the graph, the
    query just has nothing for them (九龙坡区 is a district, but no program runs there)."""
    known = [f"{_label(store, t) or t.value} ({class_name(store, t)} {compact(t)})" for t in prepared.terms.values()]
    what = prepared.named.name if prepared.named else "this query"
    first = compact(next(iter(prepared.terms.values())))
    return (f"{'; '.join(known)} {'is' if len(known) == 1 else 'are'} in the graph, but {what} finds nothing "
            f"for {'it' if len(known) == 1 else 'them'}; all the graph says of it: kg query 'DESCRIBE {first}'")


def compact(term) -> str:
    """A term as valid SPARQL: a prefixed name when its local part parses, else <IRI>; literals bare."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in sorted(PREFIX_MAP.items(), key=lambda kv: -len(kv[1])):
            local = term.value[len(ns):]
            if term.value.startswith(ns) and (not local or PN_LOCAL.fullmatch(local)):
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    return term.value


def _csv_term(term) -> str:
    """A term as SPARQL 1.1 Query Results CSV writes it: IRIs and literals bare, blank nodes _:x."""
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table(names: list[str], rows: list[list[str]]) -> str:
    """Aligned columns (a CJK character is two columns wide) and a row count."""
    widths = [max([display_width(n)] + [display_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(_pad(n, w) for n, w in zip(names, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


@dataclass
class Formatted:
    text: str
    rows: int | None  # solutions written; None for ASK and CONSTRUCT/DESCRIBE, or when not counted


def render(result, fmt: str = "table", bom: bool = False, count: bool = False) -> Formatted:
    """The result in `fmt`; `bom` starts CSV with a UTF-8 byte order mark (Excel needs it).
    Table and CSV rows are always counted; JSON, TSV and XML (Oxigraph's writers) only with
    `count`, by reading the answer back."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return Formatted(str(bool(result)).lower(), None)
        return Formatted(result.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper())).decode(), None)
    if isinstance(result, ox.QueryTriples):
        return Formatted(ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_MAP).decode(), None)
    names = [v.value for v in result.variables]
    if fmt in ("table", "csv"):
        solutions = list(result)
        if fmt == "csv":  # formulas neutralized, which Oxigraph's own CSV writer does not do
            cells = ([_csv_term(s[n]) for n in names] for s in solutions)
            return Formatted(csv_text(names, cells, bom=bom), len(solutions))
        return Formatted(table(names, [[compact(s[n]) for n in names] for s in solutions]), len(solutions))
    results_format = getattr(ox.QueryResultsFormat, fmt.upper())
    data = result.serialize(format=results_format)
    text = data.decode()
    if fmt == "xml" and NOT_XML.search(text):
        raise UsageError("the answer holds control characters that XML cannot carry; use --format json, csv or tsv")
    rows = sum(1 for _ in ox.parse_query_results(data, format=results_format)) if count else None
    return Formatted(text, rows)


def format_result(result, fmt: str = "table", bom: bool = False) -> str:
    return render(result, fmt, bom).text
