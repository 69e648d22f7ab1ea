"""Validation of a graph against ontology/shapes.ttl (`kg validate`).

The graph (Turtle, or TriG with its named graphs merged) is validated together with the reference
data, so that reference areas and scheme concepts have their types and ms:District counts as an
ms:AdministrativeArea through rdfs:subClassOf. No inference is run: SHACL's sh:class and
sh:targetClass already follow rdfs:subClassOf, and RDFS range inference would hide wrong links.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyshacl import validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.util import guess_format

from kg.errors import KgError
from kg.graph.reference import reference_graph
from kg.namespaces import PREFIXES
from kg.paths import ontology_dir

QUAD_FORMATS = {"trig", "nquads", "trix"}


@dataclass
class Violation:
    focus: str  # the node, compacted (msr:area/500102)
    path: str  # the property, compacted, or "" for node-level constraints
    message: str
    severity: str  # Violation | Warning | Info
    label: str | None = None  # the focus node's rdfs:label(s), when it has any
    value: str | None = None  # the offending value, when there is one


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""
    triples: int = 0
    seconds: float = 0.0


def compact(term) -> str:
    """msr:area/500102 rather than the full IRI; literals as written."""
    if isinstance(term, Literal):
        return f'"{term}"' + (f"@{term.language}" if term.language else "")
    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)):]}"
    return f"<{text}>" if isinstance(term, URIRef) else text


def _error(path: Path, exc: Exception) -> KgError:
    """One line: the Turtle parser's message spans lines and quotes the input bytes."""
    why = getattr(exc, "_why", None)  # rdflib's BadSyntax keeps the reason and the line apart
    if why is not None:
        message = f"line {getattr(exc, 'lines', 0) + 1}: {why}"
    else:
        message = " ".join(str(exc).split()) or type(exc).__name__
    return KgError(f"{path}: cannot parse as RDF: {message[:200]}")


def load_graph(path: Path) -> Graph:
    """The file as one Graph: TriG/N-Quads named graphs are merged into the default one."""
    if not path.is_file():
        raise KgError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    fmt = guess_format(str(path)) or "turtle"
    graph = Graph()
    try:
        if fmt in QUAD_FORMATS:
            ds = Dataset()
            ds.parse(path, format=fmt)
            for s, p, o, _ in ds.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise _error(path, exc) from None
    return graph


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def validate_graph(path: Path) -> ValidationReport:
    started = time.perf_counter()
    data = load_graph(Path(path))
    triples = len(data)
    for triple in reference_graph():  # union: the built graph already holds most of it
        data.add(triple)
    conforms, results, _ = validate(
        data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True, advanced=False
    )
    violations = [_violation(results, r, data) for r in results.subjects(RDF.type, SH.ValidationResult)]
    violations.sort(key=lambda v: (v.path, v.message, v.focus, v.value or ""))
    report = ValidationReport(conforms, violations, triples=triples, seconds=time.perf_counter() - started)
    report.text = format_report(path, report)
    return report


def _violation(results: Graph, result, data: Graph) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    message = results.value(result, SH.resultMessage)
    severity = results.value(result, SH.resultSeverity)
    # All labels, sorted: a node flagged for having two must show both, in a stable order.
    labels = sorted(str(o) for o in data.objects(focus, RDFS.label)) if focus is not None else []
    return Violation(
        focus=compact(focus),
        path=compact(path) if path is not None else "",
        message=str(message) if message is not None else compact(results.value(result, SH.sourceConstraintComponent)),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        label=" / ".join(labels) or None,
        value=_with_label(value, data) if value is not None else None,
    )


def _with_label(term, data: Graph) -> str:
    label = data.value(term, RDFS.label) if isinstance(term, URIRef) else None
    return compact(term) + (f" 「{label}」" if label is not None else "")


def format_report(path: Path, report: ValidationReport) -> str:
    """One heading per kind of problem, one line per offending node, then a count summary."""
    groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for v in report.violations:
        groups[(v.severity, v.message)].append(v)
    lines = []
    for (severity, message), items in sorted(groups.items()):
        lines.append(f"{severity}: {message} ({len(items)})")
        for v in items:
            label = f" 「{v.label}」" if v.label else ""
            value = f"  value: {v.value}" if v.value else ""
            lines.append(f"  {v.focus}{label}{value}")
    counts = defaultdict(int)
    for v in report.violations:
        counts[v.severity] += 1
    summary = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in sorted(counts.items()))
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(f"{path}: {verdict} to ontology/shapes.ttl"
                 f" ({report.triples} triples, {summary or 'no violations'}, {report.seconds:.1f} s)")
    return "\n".join(lines)
