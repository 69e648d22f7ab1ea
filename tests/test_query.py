"""kg query against a store built from the sample graph: named queries, parameters, formats, errors."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.graph.store import load_store, open_store
from kg.query.runner import format_result, named_queries, run_query

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
runner = CliRunner()


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    assert load_store(SAMPLE, out / "store") > 200
    return out


def kg(build_dir, *args):
    return runner.invoke(app, ["query", *args, "--build-dir", str(build_dir)])


def test_named_queries_have_descriptions():
    queries = named_queries()
    assert {"programs-in-district", "districts-of-program", "who-runs", "programs-for-group", "sector-by-district",
            "indicators", "evidence", "officials-posts", "initiatives-of-official"} <= set(queries)
    assert all(q.description for q in queries.values())


@pytest.mark.parametrize("district", ["沙坪坝区", "沙坪坝", "msr:area/500106", "https://w3id.org/minsheng-kg/id/area/500106"])
def test_programs_in_district_by_name_short_form_or_iri(build_dir, district):
    result = kg(build_dir, "programs-in-district", "--param", f"district={district}", "--format", "json")
    assert result.exit_code == 0, result.output
    labels = {b["programLabel"]["value"] for b in json.loads(result.output)["results"]["bindings"]}
    assert labels == {"社会救助服务联合体"}


def test_subdistricts_roll_up_into_their_district(build_dir, tmp_path):
    trig = tmp_path / "more.trig"
    extra = ("<https://w3id.org/minsheng-kg/id/program/x> a <https://w3id.org/minsheng-kg/ontology#Program> ;"
             ' <http://www.w3.org/2000/01/rdf-schema#label> "街道试点"@zh ;'
             " <https://w3id.org/minsheng-kg/ontology#implementedIn> <https://w3id.org/minsheng-kg/id/area/500106003> .\n")
    trig.write_text(SAMPLE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    load_store(trig, tmp_path / "store")
    rows = run_query(open_store(tmp_path), "programs-in-district", {"district": "沙坪坝"})
    assert {r["programLabel"].value for r in rows} == {"社会救助服务联合体", "街道试点"}


def test_group_query_follows_broader(build_dir):
    rows = run_query(open_store(build_dir), "programs-for-group", {"group": "青年"})
    assert {(r["programLabel"].value, r["groupLabel"].value) for r in rows} == {
        ("百万高校毕业生等青年留渝来渝就业创业行动计划", "青年"), ("百万高校毕业生等青年留渝来渝就业创业行动计划", "高校毕业生")}


def test_evidence_and_table_output_aligns_chinese(build_dir):
    result = kg(build_dir, "evidence", "--param", "subject=社会救助服务联合体")
    assert result.exit_code == 0, result.output
    assert "沙坪坝区创新投用全市首个社会救助服务联合体。" in result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("---") and lines[-1].endswith("rows)")


@pytest.mark.parametrize("fmt, marker", [("csv", "programLabel,"), ("tsv", "?programLabel\t"), ("json", '"bindings"')])
def test_formats(build_dir, fmt, marker):
    result = kg(build_dir, "who-runs", "--format", fmt)
    assert result.exit_code == 0 and marker in result.output


def test_injection_is_just_a_name(build_dir):
    store = open_store(build_dir)
    before = len(store)
    result = kg(build_dir, "programs-in-district", "--param", 'district=沙坪坝区" } DROP ALL #')
    assert result.exit_code == 2 and "no area is called" in result.output
    assert len(open_store(build_dir)) == before


def test_malformed_query_is_one_line_with_position_then_the_line_and_a_caret(build_dir):
    result = kg(build_dir, "SELECT ?x WHERE { ?x a ms:Program ")
    assert result.exit_code == 2
    first, line, caret = result.output.splitlines()
    assert "syntax error at the end of the query" in first and line == "  SELECT ?x WHERE { ?x a ms:Program"
    assert caret == " " * len(line) + "^"  # just after the last character


def test_list_and_missing_store(build_dir, tmp_path):
    assert "programs-in-district" in kg(build_dir, "--list").output
    missing = runner.invoke(app, ["query", "who-runs", "--build-dir", str(tmp_path)])
    assert missing.exit_code == 1 and "kg build" in missing.output


def test_ask_and_construct(build_dir):
    store = open_store(build_dir)
    assert format_result(run_query(store, "ASK { ?p a ms:Program }")) == "true"
    turtle = format_result(run_query(store, "CONSTRUCT { ?p a ms:Program } WHERE { ?p a ms:Program }"))
    assert "ms:Program" in turtle
