"""The graph for other tools: GraphML (yEd, Cytoscape, Gephi), GEXF (Gephi), CSV (spreadsheets,
pandas), JSON (web tools: vis-network, d3-force, cytoscape.js).

Every format keeps each node's iri, label, class, level and aliases, and each edge's link type and
evidence. GraphML and GEXF hold only scalar attributes, so lists are joined: aliases, articles
and evidence dates with "; ", evidence sentences with newlines (one sentence per line, in the
same order as `evidence_articles`). CSV writes nodes.csv and edges.csv (UTF-8, header row, CRLF lines) into
a folder, with cells that a spreadsheet would run as a formula neutralized (kg.csv_safe), after a
UTF-8 BOM with bom=True (Excel needs it to read Chinese; `kg export` asks for it unless --no-bom). JSON is one object
{"nodes": [{"id", "label", "class", …}], "links": [{"source", "target", "type", "evidence", …}]},
lists kept as lists, the shape d3 and vis read as is (cytoscape.js: wrap each in {"data": …}).
All files are written atomically.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx

from kg.csv_safe import csv_text
from kg.errors import UsageError
from kg.files import atomic_write

FORMATS = ("graphml", "gexf", "csv", "json")
LIST_SEP = "; "

NODE_COLUMNS = ("id", "label", "class", "level", "aliases", "articles", "degree", "metric", "value", "unit", "period")
EDGE_COLUMNS = ("source", "target", "link", "source_label", "target_label", "evidence_count", "evidence_sentences",
                "evidence_articles", "evidence_dates", "predicate")


def flat_node(G: nx.MultiDiGraph, n: str) -> dict[str, str | int]:
    d = G.nodes[n]
    row = {
        "label": d.get("label", ""),
        "class": d.get("class", ""),
        "level": d.get("level", ""),
        "iri": d.get("iri", n),
        "aliases": LIST_SEP.join(d.get("aliases", ())),
        "articles": LIST_SEP.join(d.get("articles", ())),
        "degree": G.degree(n),
    }
    for key in ("metric", "value", "unit", "period"):
        row[key] = str(d.get(key, ""))
    return row


def flat_edge(G: nx.MultiDiGraph, s: str, o: str, data: dict) -> dict[str, str | int]:
    evidence = data.get("evidence") or []
    return {
        "link": data.get("link", ""),
        "predicate": data.get("predicate", ""),
        "source_label": G.nodes[s].get("label", ""),
        "target_label": G.nodes[o].get("label", ""),
        "evidence_count": len(evidence),
        "evidence_sentences": "\n".join(e.get("sentence", "") for e in evidence),
        "evidence_articles": LIST_SEP.join(e.get("article", "") for e in evidence),
        "evidence_dates": LIST_SEP.join(e.get("date", "") for e in evidence),
    }


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of G with only string and integer attributes, as GraphML and GEXF need."""
    F = nx.MultiDiGraph(name="minsheng-kg")
    for n in G:
        F.add_node(n, **flat_node(G, n))
    for s, o, k, data in G.edges(keys=True, data=True):
        F.add_edge(s, o, key=f"{k}", **flat_edge(G, s, o, data))
    return F


def json_graph(G: nx.MultiDiGraph) -> dict:
    """Nodes and links as web graph libraries take them; a node's list attributes stay lists."""
    nodes = []
    for n in G:
        d = G.nodes[n]
        node = {"id": n, "label": d.get("label", ""), "class": d.get("class", ""), "iri": d.get("iri", n),
                "aliases": list(d.get("aliases", ())), "articles": list(d.get("articles", ())), "degree": G.degree(n)}
        node.update({key: d[key] for key in ("level", "metric", "value", "unit", "period") if d.get(key) not in (None, "")})
        nodes.append(node)
    links = [{"source": s, "target": o, "type": data.get("link", ""), "predicate": data.get("predicate", ""),
              "evidence": [{k: e.get(k, "") for k in ("sentence", "article", "date")} for e in data.get("evidence") or []]}
             for s, o, data in G.edges(data=True)]
    return {"nodes": nodes, "links": links}


def _lines_to_text(write) -> str:
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue().decode("utf-8")


def default_output(fmt: str, build_dir: Path = Path("build")) -> Path:
    return build_dir / ("csv" if fmt == "csv" else f"graph.{fmt}")


def export(G: nx.MultiDiGraph, fmt: str, out: Path, bom: bool = False) -> list[Path]:
    """Write G as GraphML, GEXF, JSON or CSV (a folder holding nodes.csv and edges.csv, each after a
    UTF-8 BOM when `bom`); returns the files."""
    fmt = fmt.lower()
    out = Path(out)
    if fmt == "graphml":
        F = flat_graph(G)
        return [atomic_write(out, _lines_to_text(lambda fh: nx.write_graphml(F, fh, encoding="utf-8")))]
    if fmt == "gexf":
        F = flat_graph(G)
        return [atomic_write(out, _lines_to_text(lambda fh: nx.write_gexf(F, fh, encoding="utf-8")))]
    if fmt == "csv":
        if out.suffix.lower() == ".csv" or (out.exists() and not out.is_dir()):
            raise UsageError(f"--out {out}: CSV export writes a folder (nodes.csv and edges.csv); give a folder")
        nodes = []
        for n in G:
            row = flat_node(G, n)
            nodes.append([n if c == "id" else row.get(c, "") for c in NODE_COLUMNS])
        edges = []
        for s, o, data in G.edges(data=True):
            row = flat_edge(G, s, o, data)
            edges.append([s if c == "source" else o if c == "target" else row.get(c, "") for c in EDGE_COLUMNS])
        return [atomic_write(out / "nodes.csv", csv_text(NODE_COLUMNS, nodes, bom=bom)),
                atomic_write(out / "edges.csv", csv_text(EDGE_COLUMNS, edges, bom=bom))]
    if fmt == "json":
        return [atomic_write(out, json.dumps(json_graph(G), ensure_ascii=False, indent=1) + "\n")]
    raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
