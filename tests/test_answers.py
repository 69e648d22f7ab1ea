"""Issue 13, answers and formats: what kg query, kg list and kg export hand a user can be pasted
back, read in Excel and loaded by web tools (against a store built from the sample graph)."""

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.graph.store import load_store, open_store
from kg.query.runner import PREFIX_MAP, compact, named_queries, resolve_term

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
BOM = "\ufeff"
runner = CliRunner()
# A term as the table prints it: <IRI> or prefix:local (up to the next space).
TERM = re.compile(r"<[^<>\s]+>|\b(?:%s):[^\s]*" % "|".join(PREFIX_MAP))
SAMPLE_PARAMS = {"districts-of-program": {"program": "社会救助服务联合体"}, "indicators": {"subject": "重庆市"},
                 "initiatives-of-official": {"official": "丁中平"}, "programs-for-group": {"group": "青年"},
                 "programs-in-district": {"district": "沙坪坝"}}


# As in the corpus: 九龙坡区 is a district an article names, but no program runs there.
JIULONGPO = """
<https://w3id.org/minsheng-kg/id/area/500107> a <https://w3id.org/minsheng-kg/ontology#District> ;
  <http://www.w3.org/2000/01/rdf-schema#label> "九龙坡区"@zh ; <http://www.w3.org/2004/02/skos/core#altLabel> "九龙坡"@zh ;
  <https://w3id.org/minsheng-kg/ontology#partOf> <https://w3id.org/minsheng-kg/id/area/500000> .
"""


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    (out / "graph.trig").write_text(SAMPLE.read_text(encoding="utf-8") + JIULONGPO, encoding="utf-8")
    load_store(out / "graph.trig", out / "store")
    return out


def kg(build_dir, *args):
    return runner.invoke(app, [*args, "--build-dir", str(build_dir)])


def kg_process(build_dir, *args):
    """The real command, so stderr is exactly what a user sees."""
    return subprocess.run([sys.executable, "-m", "kg.cli", *args, "--build-dir", str(build_dir)],
                          capture_output=True, text=True, timeout=120)


def sparql(build_dir, query):
    result = kg(build_dir, "query", query, "--format", "json")
    assert result.exit_code == 0, f"{query}\n{result.output}"
    return json.loads(result.stdout)["results"]["bindings"]


# -- IRIs in the table paste back into SPARQL -----------------------------------------------------
def test_the_old_rendering_is_not_sparql_and_the_new_one_is(build_dir):
    store = open_store(build_dir)
    program = ox.NamedNode("https://w3id.org/minsheng-kg/id/program/she-hui-jiu-zhu-fu-wu-lian-he-ti-bf78d830")
    with pytest.raises(SyntaxError):  # what the table used to print
        store.query("DESCRIBE msr:program/she-hui-jiu-zhu-fu-wu-lian-he-ti-bf78d830", prefixes=PREFIX_MAP)
    assert compact(program) == f"<{program.value}>"
    assert compact(ox.NamedNode(PREFIX_MAP["ms"] + "Program")) == "ms:Program"
    assert compact(ox.NamedNode(PREFIX_MAP["msr"] + "x.")) == f"<{PREFIX_MAP['msr']}x.>"  # a local name cannot end in "."
    assert len(list(store.query(f"DESCRIBE {compact(program)}", prefixes=PREFIX_MAP))) > 0


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_printed_term_pastes_back(build_dir, name):
    params = [f"--param={k}={v}" for k, v in SAMPLE_PARAMS.get(name, {}).items()]
    result = kg(build_dir, "query", name, *params)
    assert result.exit_code == 0, result.output
    terms = set(TERM.findall(result.stdout))
    assert terms or "(0 rows)" in result.stdout
    for term in terms:
        describe = kg(build_dir, "query", f"DESCRIBE {term}")
        assert describe.exit_code == 0, f"DESCRIBE {term}: {describe.output}"
        (row,) = sparql(build_dir, f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} "
                                   f"UNION {{ ?s {term} ?o }} }}")
        assert int(row["n"]["value"]) > 0, term


def test_pasted_terms_include_both_forms(build_dir):
    out = kg(build_dir, "query", "SELECT ?p ?c WHERE { ?p a ?c } ORDER BY ?p").stdout
    terms = TERM.findall(out)
    assert any(t.startswith("<https://w3id.org/minsheng-kg/id/") for t in terms) and "ms:Program" in terms


# -- syntax errors: one line with the position, the query line, a caret ---------------------------
@pytest.mark.parametrize("query, line, marker", [
    ("SELECT ?x WHERE { ?x a ms:Program ", "SELECT ?x WHERE { ?x a ms:Program", "end of the query"),
    ('SELECT ?x WHERE {\n  ?x rdfs:label "沙坪坝区" ; foo:bar ?y .\n}', '  ?x rdfs:label "沙坪坝区" ; foo:bar ?y .', "foo:"),
])
def test_syntax_error_has_position_line_and_caret(build_dir, query, line, marker):
    result = kg_process(build_dir, "query", query)
    lines = result.stderr.splitlines()
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(lines) == 3 and lines[0].startswith("kg: error: query syntax error at ") and marker in lines[0], result.stderr
    assert "\\u{" not in result.stderr and "..=" not in result.stderr  # no dump of grammar ranges
    assert lines[1] == "  " + line.replace("\t", " ")
    assert lines[2].strip() == "^"


def test_caret_sits_under_the_engine_position_even_with_chinese(build_dir):
    query = 'SELECT ?x WHERE { ?x rdfs:label "沙坪坝区" ?? . ?x ?p ?o }'
    store = open_store(build_dir)
    with pytest.raises(SyntaxError) as raised:
        store.query(query, prefixes=PREFIX_MAP)
    column = int(re.search(r"error at 1:(\d+)", str(raised.value))[1])
    lines = kg_process(build_dir, "query", query).stderr.splitlines()
    assert f"column {column}:" in lines[0] or "end of the query" in lines[0]
    before = query[: column - 1]
    width = sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in before)
    assert lines[2] == " " * (2 + width) + "^"


def test_syntax_error_position_is_the_users_with_bound_parameters(build_dir, tmp_path):
    query = "SELECT ?p WHERE {\n  ?p ms:implementedIn ?district .\n  ?p ?? ?o\n}"
    plain = kg_process(build_dir, "query", query).stderr.splitlines()
    bound = kg_process(build_dir, "query", query, "--param", "district=沙坪坝").stderr.splitlines()
    assert bound == plain and "line 3" in plain[0] and plain[1] == "    ?p ?? ?o"


# -- updates are refused as read-only --------------------------------------------------------------
@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "INSERT DATA { <http://e/a> <http://e/b> 'SELECT' }",
    "PREFIX e: <http://e/> DELETE WHERE { ?s e:b ?o }",
    "delete data { <http://e/a> <http://e/b> <http://e/c> }",
    "LOAD <http://example.org/data.ttl>",
    "DROP ALL",
    "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused_as_read_only(build_dir, update):
    before = len(open_store(build_dir))
    result = kg(build_dir, "query", update)
    assert result.exit_code == 2 and "read-only" in result.output and "neither SPARQL" not in result.output
    assert len(open_store(build_dir)) == before


# -- 0 rows for a known name: a hint -----------------------------------------------------------------
def test_zero_rows_for_a_known_name_hints(build_dir):
    (row,) = sparql(build_dir, "SELECT (COUNT(?p) AS ?n) ?d WHERE { ?d rdfs:label '九龙坡区'@zh ; a ms:District "
                               "OPTIONAL { ?a ms:partOf* ?d . ?p ms:implementedIn ?a } } GROUP BY ?d")
    assert row["n"]["value"] == "0"  # 九龙坡区 is in the graph, no program runs there
    result = kg(build_dir, "query", "programs-in-district", "--param", "district=九龙坡")
    assert result.exit_code == 0 and "(0 rows)" in result.stdout
    assert "hint" in result.stderr and "九龙坡区" in result.stderr and "in the graph" in result.stderr
    assert "DESCRIBE <https://w3id.org/minsheng-kg/id/area/500107>" in result.stderr
    for fmt in ("json", "csv", "xml", "tsv"):  # the hint goes to stderr, the answer stays clean
        other = kg(build_dir, "query", "programs-in-district", "--param", "district=九龙坡", "--format", fmt)
        assert "in the graph" in other.stderr and "hint" not in other.stdout


def test_no_hint_when_rows_come(build_dir):
    result = kg(build_dir, "query", "programs-in-district", "--param", "district=沙坪坝")
    assert result.exit_code == 0 and "社会救助服务联合体" in result.stdout and result.stderr == ""


# -- suggestions only from the class the parameter expects ------------------------------------------
def labels_of(build_dir, *classes):
    values = " ".join(f"ms:{c}" for c in classes)
    return {b["l"]["value"] for b in sparql(build_dir, f"SELECT ?l WHERE {{ VALUES ?c {{ {values} }} ?n a ?c ; rdfs:label ?l }}")}


def close_of(message: str) -> list[str]:
    return message.split("close: ", 1)[1].strip().split(", ") if "close: " in message else []


def test_suggestions_come_from_the_expected_class(build_dir):
    store = open_store(build_dir)
    with pytest.raises(Exception) as anything:  # the fault: unrestricted, an indicator label is offered
        resolve_term(store, "城镇新增", "district")
    assert any("城镇新增就业" in c for c in close_of(str(anything.value)))
    areas = labels_of(build_dir, "Municipality", "District", "Subdistrict", "Community")
    result = kg(build_dir, "query", "programs-in-district", "--param", "district=涪陵区委")
    assert result.exit_code == 2 and "Organization" in result.stderr and "not an area" in result.stderr
    assert close_of(result.stderr) and set(close_of(result.stderr)) <= areas
    typo = kg(build_dir, "query", "programs-in-district", "--param", "district=城镇新增")
    assert typo.exit_code == 2 and not any("城镇新增就业" in c for c in close_of(typo.stderr))
    assert set(close_of(typo.stderr)) <= areas
    group = kg(build_dir, "query", "programs-for-group", "--param", "group=青年人群")
    assert close_of(group.stderr) and set(close_of(group.stderr)) <= labels_of(build_dir, "TargetGroup")


def test_an_exact_name_of_another_class_is_not_taken(build_dir):
    # an indicator's label given as a district used to resolve to the indicator, then 0 rows
    result = kg(build_dir, "query", "programs-in-district", "--param", "district=城镇新增就业 2.44万人 (2024)")
    assert result.exit_code == 2 and "Indicator" in result.stderr and "not an area" in result.stderr


def test_nothing_close_is_said_plainly(build_dir):
    result = kg(build_dir, "query", "programs-in-district", "--param", "district=火星")
    assert result.exit_code == 2 and "no area has a name close to it" in result.stderr and "kg list districts" in result.stderr


# -- kg list ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, cls", [("programs", "Program"), ("districts", "District"), ("officials", "Official"),
                                        ("organizations", "Organization"), ("groups", "TargetGroup")])
def test_list_names_every_entity_of_its_kind(build_dir, kind, cls):
    result = kg(build_dir, "list", kind, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert labels_of(build_dir, cls) <= {r["name"] for r in rows}
    counts = [c for c in rows[0] if isinstance(rows[0][c], int)]
    assert counts and "articles" in counts
    first = counts[0]  # sorted: most first
    assert [r[first] for r in rows] == sorted((r[first] for r in rows), reverse=True)
    table = kg(build_dir, "list", kind)
    assert table.exit_code == 0 and all(r["name"] in table.stdout for r in rows)


def test_list_counts_agree_with_the_graph(build_dir):
    rows = {r["name"]: r for r in json.loads(kg(build_dir, "list", "districts", "--format", "json").stdout)}
    for name in ("沙坪坝区", "九龙坡区", "重庆市"):
        expected = sparql(build_dir, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?d rdfs:label '%s'@zh . "
                                     "OPTIONAL { ?a ms:partOf* ?d . ?p ms:implementedIn ?a } }" % name)
        assert rows[name]["programs"] == int(expected[0]["n"]["value"])
    assert rows["沙坪坝区"]["programs"] >= 1 and rows["九龙坡区"]["programs"] == 0
    groups = {r["name"]: r for r in json.loads(kg(build_dir, "list", "groups", "--format", "json").stdout)}
    assert groups["青年"]["programs"] == 1 and groups["高校毕业生"]["broader"] == "青年"


def test_list_csv_has_a_bom_and_names_work_as_params(build_dir):
    text = kg(build_dir, "list", "programs", "--format", "csv").stdout_bytes.decode("utf-8")
    assert text.startswith(BOM + "name,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    plain = kg(build_dir, "list", "programs", "--format", "csv", "--no-bom").stdout_bytes.decode("utf-8")
    assert plain.startswith("name,") and plain == text.removeprefix(BOM)
    for row in rows:
        assert kg(build_dir, "query", "districts-of-program", "--param", f"program={row['name']}").exit_code == 0


def test_list_mistakes_are_one_line(build_dir):
    for args, word in ((["list", "nosuch"], "nosuch"), (["list", "programs", "--format", "yaml"], "yaml")):
        result = kg_process(build_dir, *args)
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and word in result.stderr


# -- formats: BOM CSV, XML results, JSON export ---------------------------------------------------------
def test_query_csv_has_a_bom_by_default(build_dir):
    with_bom = kg(build_dir, "query", "who-runs", "--format", "csv").stdout_bytes
    without = kg(build_dir, "query", "who-runs", "--format", "csv", "--no-bom").stdout_bytes
    assert with_bom.startswith(b"\xef\xbb\xbf") and not without.startswith(b"\xef\xbb\xbf")
    assert with_bom[3:] == without and "社会救助服务联合体" in without.decode("utf-8")
    tsv = kg(build_dir, "query", "who-runs", "--format", "tsv").stdout_bytes
    assert not tsv.startswith(b"\xef\xbb\xbf")  # only CSV is for spreadsheets


def test_query_xml_is_sparql_results_xml(build_dir):
    result = kg(build_dir, "query", "who-runs", "--format", "xml")
    assert result.exit_code == 0, result.output
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(result.stdout)
    names = [v.get("name") for v in root.findall("s:head/s:variable", ns)]
    rows = json.loads(kg(build_dir, "query", "who-runs", "--format", "json").stdout)
    assert names == rows["head"]["vars"]
    assert len(root.findall("s:results/s:result", ns)) == len(rows["results"]["bindings"]) > 0
    ask = ET.fromstring(kg(build_dir, "query", "ASK { ?p a ms:Program }", "--format", "xml").stdout)
    assert ask.find("s:boolean", ns).text == "true"


def test_query_xml_refuses_what_xml_cannot_carry(tmp_path):
    trig = tmp_path / "ctl.trig"
    trig.write_text('<http://e/a> <http://www.w3.org/2000/01/rdf-schema#label> "bell\\u0007" .\n', encoding="utf-8")
    load_store(trig, tmp_path / "store")
    result = kg_process(tmp_path, "query", "SELECT ?l WHERE { ?s rdfs:label ?l }", "--format", "xml")
    assert result.returncode == 2 and "XML" in result.stderr and result.stdout == ""


def test_export_csv_has_a_bom_unless_asked_not_to(build_dir, tmp_path):
    graph = str(build_dir / "graph.trig")
    assert runner.invoke(app, ["export", "--format", "csv", "--graph", graph, "--out", str(tmp_path / "a")]).exit_code == 0
    assert runner.invoke(app, ["export", "--format", "csv", "--graph", graph, "--out", str(tmp_path / "b"), "--no-bom"]).exit_code == 0
    for name in ("nodes.csv", "edges.csv"):
        with_bom, without = (tmp_path / "a" / name).read_bytes(), (tmp_path / "b" / name).read_bytes()
        assert with_bom.startswith(b"\xef\xbb\xbf") and with_bom[3:] == without and not without.startswith(b"\xef")


def test_export_json_is_nodes_and_links(build_dir, tmp_path):
    from kg.view import to_networkx

    out = tmp_path / "g.json"
    result = runner.invoke(app, ["export", "--format", "json", "--graph", str(build_dir / "graph.trig"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    G = to_networkx(build_dir / "graph.trig")
    ids = [n["id"] for n in data["nodes"]]
    assert sorted(ids) == sorted(G.nodes) and len(data["links"]) == G.number_of_edges()
    assert all({"id", "label", "class"} <= set(n) and isinstance(n["aliases"], list) for n in data["nodes"])
    assert all({"source", "target", "type"} <= set(link) and link["source"] in ids and link["target"] in ids
               for link in data["links"])
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    runs = {(labels[link["source"]], link["type"], labels[link["target"]]) for link in data["links"]}
    assert ("社会救助服务联合体", "implementedIn", "沙坪坝区") in runs
    assert any(e["sentence"] for link in data["links"] for e in link["evidence"])
