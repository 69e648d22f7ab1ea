"""The command line as a user meets it: help, stats, one-line errors."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()
SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"


def test_help_lists_every_verb():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for verb in ("build", "query", "list", "view", "serve", "push", "validate", "eval", "stats", "export"):
        assert verb in result.output


def test_stats_counts_entities_and_links():
    result = runner.invoke(app, ["stats", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: int(line.split()[1]) for line in result.output.splitlines() if len(line.split()) == 2}
    assert lines["Program"] == 2 and lines["Official"] == 2 and lines["promotedBy"] == 2


def test_bad_graph_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    result = runner.invoke(app, ["stats", str(bad)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "bad.ttl" in result.output and "Traceback" not in result.output


# -- every verb: hostile or mistaken input is one line on stderr, never a traceback ----------------
# (A SPARQL syntax error is that line plus the query line and a caret: tests/test_answers.py.)
BAD_CASES = {  # id -> (arguments, with {b} the sample build and {t} a scratch folder; a word the line must name)
    "query: IRI with a space": (["query", "programs-in-district", "--param", "district=http://a b", "--build-dir", "{b}"], "district"),
    "query: prefixed name with >": (["query", "programs-in-district", "--param", "district=ms:a>b", "--build-dir", "{b}"], "district"),
    "query: param without =": (["query", "programs-in-district", "--param", "district", "--build-dir", "{b}"], "NAME=VALUE"),
    "query: extra param": (["query", "SELECT * WHERE { ?s ?p ?o }", "--param", "x=http://a b", "--build-dir", "{b}"], "x"),
    "query: UTF-16 .rq": (["query", "{t}/utf16.rq", "--build-dir", "{b}"], "UTF-8"),
    "query: missing .rq": (["query", "{t}/missing.rq", "--build-dir", "{b}"], "missing.rq"),
    "query: bad format": (["query", "ASK {}", "--format", "yaml", "--build-dir", "{b}"], "yaml"),
    "query: an update": (["query", "INSERT DATA { <http://a> <http://b> <http://c> }", "--build-dir", "{b}"], "read-only"),
    "list: unknown kind": (["list", "nosuch", "--build-dir", "{b}"], "nosuch"),
    "list: bad format": (["list", "programs", "--format", "yaml", "--build-dir", "{b}"], "yaml"),
    "list: no store": (["list", "programs", "--build-dir", "{t}/nowhere"], "kg build"),
    "query: no store": (["query", "ASK {}", "--build-dir", "{t}/nowhere"], "kg build"),
    "query: unknown option": (["query", "ASK {}", "--nosuch"], "--nosuch"),
    "view: unparsable graph": (["view", "full", "--graph", "{t}/bad.ttl"], "bad.ttl"),
    "view: missing graph": (["view", "full", "--graph", "{t}/missing.trig"], "missing.trig"),
    "view: unknown kind": (["view", "nosuch", "--graph", "{b}/graph.trig"], "nosuch"),
    "view: out is a folder": (["view", "full", "--graph", "{b}/graph.trig", "--out", "{t}"], "folder"),
    "view: bad depth": (["view", "ego", "--depth", "x", "--graph", "{b}/graph.trig"], "--depth"),
    "export: bad format": (["export", "--format", "yaml", "--graph", "{b}/graph.trig"], "yaml"),
    "export: unparsable graph": (["export", "--graph", "{t}/bad.ttl", "--out", "{t}/g.graphml"], "bad.ttl"),
    "export: csv into a file": (["export", "--format", "csv", "--graph", "{b}/graph.trig", "--out", "{t}/bad.ttl"], "folder"),
    "export: graphml into a folder": (["export", "--graph", "{b}/graph.trig", "--out", "{t}"], "folder"),
    "export: json into a folder": (["export", "--format", "json", "--graph", "{b}/graph.trig", "--out", "{t}"], "folder"),
    "push: URL without scheme": (["push", "--endpoint", "localhost:7878/update", "--protocol", "update", "--build-dir", "{b}"], "http"),
    "push: malformed URL": (["push", "--endpoint", "http://[::1", "--protocol", "update", "--build-dir", "{b}"], "--endpoint"),
    "push: empty URL": (["push", "--endpoint", "", "--build-dir", "{b}"], "--endpoint"),
    "push: file URL": (["push", "--endpoint", "file:///etc/passwd", "--protocol", "update", "--build-dir", "{b}"], "http"),
    "push: password in URL": (["push", "--endpoint", "http://u:pw-in-url@127.0.0.1:9/update", "--protocol", "update", "--build-dir", "{b}"], "credentials"),
    "push: bad graph IRI": (["push", "--endpoint", "http://127.0.0.1:9/update", "--protocol", "update", "--graph", "a b", "--build-dir", "{b}"], "--graph"),
    "push: bad protocol": (["push", "--endpoint", "http://127.0.0.1:9/update", "--protocol", "ftp", "--build-dir", "{b}"], "ftp"),
    "push: gsp without update endpoint": (["push", "--endpoint", "http://127.0.0.1:9/store", "--build-dir", "{b}"], "--update-endpoint"),
    "push: auth without colon": (["push", "--endpoint", "http://127.0.0.1:9/update", "--protocol", "update", "--auth", "nocolon", "--build-dir", "{b}"], "USER:PASSWORD"),
    "push: nobody listening": (["push", "--endpoint", "http://127.0.0.1:9/update", "--protocol", "update", "--build-dir", "{b}"], "nothing was written"),
    "push: unparsable graph.trig": (["push", "--endpoint", "http://127.0.0.1:9/update", "--protocol", "update", "--build-dir", "{t}/badbuild"], "TriG"),
    "push: no build": (["push", "--endpoint", "http://127.0.0.1:9/update", "--build-dir", "{t}/nowhere"], "kg build"),
    "push: missing endpoint": (["push", "--build-dir", "{b}"], "--endpoint"),
    "push: bad timeout": (["push", "--endpoint", "http://127.0.0.1:9/update", "--timeout", "soon"], "--timeout"),
    "stats: missing file": (["stats", "{t}/missing.ttl"], "missing.ttl"),
    "stats: unparsable": (["stats", "{t}/bad.ttl"], "bad.ttl"),
    "stats: not UTF-8": (["stats", "{t}/latin1.ttl"], "latin1.ttl"),
    "stats: unknown extension": (["stats", "{t}/utf16.rq"], "utf16.rq"),
    "validate: missing file": (["validate", "{t}/missing.ttl"], "missing.ttl"),
    "validate: unparsable": (["validate", "{t}/bad.ttl"], "bad.ttl"),
    "validate: a folder": (["validate", "{t}"], "not a file"),
    "eval: missing build": (["eval", "{t}/nowhere", "--no-dev", "--no-cluener"], "nowhere"),
    "eval: unparsable graph": (["eval", "{t}/bad.ttl", "--no-dev", "--no-cluener"], "bad.ttl"),
    "eval: bad format": (["eval", "{b}", "--format", "xml"], "xml"),
    "eval: missing gold": (["eval", "{b}/graph.trig", "--gold", "{t}/nowhere", "--no-dev", "--no-cluener"], "nowhere"),
    "eval: missing datasets": (["eval", "{b}/graph.trig", "--datasets", "{t}/nowhere"], "datasets"),
    "serve: no store": (["serve", "--build-dir", "{t}/nowhere", "--port", "1"], "kg build"),
    "serve: bad port": (["serve", "--port", "http"], "--port"),
    "no such verb": (["frobnicate"], "frobnicate"),
}


@pytest.fixture(scope="module")
def cli_inputs(tmp_path_factory):
    from kg.graph.store import load_store

    build, scratch = tmp_path_factory.mktemp("build"), tmp_path_factory.mktemp("scratch")
    shutil.copy(SAMPLE, build / "graph.trig")
    load_store(build / "graph.trig", build / "store")
    (scratch / "bad.ttl").write_text("this is not turtle <<<", encoding="utf-8")
    (scratch / "latin1.ttl").write_bytes('<http://a> <http://b> "café" .'.encode("latin-1"))
    (scratch / "utf16.rq").write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-16")
    (scratch / "badbuild").mkdir()
    (scratch / "badbuild" / "graph.trig").write_text("<http://a> { <http://a> <http://b> ", encoding="utf-8")
    return build, scratch


@pytest.mark.parametrize("case", BAD_CASES, ids=list(BAD_CASES))
def test_every_mistake_is_one_line(cli_inputs, case):
    build, scratch = cli_inputs
    args, named = BAD_CASES[case]
    args = [a.replace("{b}", str(build)).replace("{t}", str(scratch)) for a in args]
    env = {k: v for k, v in os.environ.items() if k not in ("KG_PUSH_AUTH", "NETRC")}
    result = subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                            cwd=scratch, env={**env, "HOME": str(scratch)}, timeout=120)
    lines = result.stderr.splitlines()
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and named in lines[0], result.stderr
    assert "pw-in-url" not in result.stderr + result.stdout
