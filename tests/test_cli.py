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
    "view: unparsable graph": (["view", "full", "--build-dir", "{t}/bad.ttl"], "bad.ttl"),
    "view: missing graph": (["view", "full", "--build-dir", "{t}/nowhere"], "kg build"),
    "view: missing graph (old --graph)": (["view", "full", "--graph", "{t}/missing.trig"], "missing.trig"),
    "view: unknown kind": (["view", "nosuch", "-b", "{b}"], "nosuch"),
    "view: nothing close to the focus": (["view", "ego", "--focus", "火星", "-b", "{b}"], "no name in the graph is close"),
    "view: out is a folder": (["view", "full", "-b", "{b}", "--out", "{t}"], "folder"),
    "view: bad depth": (["view", "ego", "--depth", "x", "-b", "{b}"], "--depth"),
    "export: bad format": (["export", "--format", "yaml", "-b", "{b}"], "yaml"),
    "export: unparsable graph": (["export", "--build-dir", "{t}/bad.ttl", "--out", "{t}/g.graphml"], "bad.ttl"),
    "export: unparsable graph (old --graph)": (["export", "--graph", "{t}/bad.ttl", "--out", "{t}/g.graphml"], "bad.ttl"),
    "export: csv into a file": (["export", "--format", "csv", "-b", "{b}", "--out", "{t}/bad.ttl"], "folder"),
    "export: graphml into a folder": (["export", "-b", "{b}", "--out", "{t}"], "folder"),
    "export: json into a folder": (["export", "--format", "json", "-b", "{b}", "--out", "{t}"], "folder"),
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
    "stats: no build": (["stats", "-b", "{t}/nowhere"], "nowhere"),
    "stats: bad format": (["stats", "{t}/bad.ttl", "--format", "csv"], "csv"),
    "stats: unparsable": (["stats", "{t}/bad.ttl"], "bad.ttl"),
    "stats: not UTF-8": (["stats", "{t}/latin1.ttl"], "latin1.ttl"),
    "stats: unknown extension": (["stats", "{t}/utf16.rq"], "utf16.rq"),
    "validate: missing file": (["validate", "{t}/missing.ttl"], "missing.ttl"),
    "validate: unparsable": (["validate", "{t}/bad.ttl"], "bad.ttl"),
    "validate: a folder": (["validate", "{t}"], "not a file"),
    "validate: no build": (["validate", "--build-dir", "{t}/nowhere"], "nowhere"),
    "eval: missing build": (["eval", "{t}/nowhere", "--no-dev", "--no-cluener"], "nowhere"),
    "eval: missing build (-b)": (["eval", "-b", "{t}/nowhere", "--no-dev", "--no-cluener"], "nowhere"),
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


# -- one way to name the graph, one way to ask for JSON (issue 13) --------------------------------

GRAPH_VERBS = ("query", "serve", "push", "view", "export", "validate", "stats", "eval", "build", "list", "atlas")


@pytest.mark.parametrize("verb", GRAPH_VERBS)
def test_every_verb_names_the_build_the_same_way(verb):
    from typer.main import get_command

    command = get_command(app).commands[verb]
    options = [p for p in command.params if "--build-dir" in p.opts]
    assert len(options) == 1, f"kg {verb} has no --build-dir"
    assert options[0].opts == ["--build-dir", "-b"] and str(options[0].default) == "build"
    # the other spellings of before are hidden from the help, not offered as a second way
    shown = [name for p in command.params if not getattr(p, "hidden", False) for name in p.opts]
    assert not {"--graph", "--out"} & set(shown) or verb in ("push", "view", "export", "atlas"), shown


def test_graph_verbs_read_the_build_dir(cli_inputs, tmp_path):
    build, _ = cli_inputs
    from kg.graph.files import read_graph

    read_graph(SAMPLE).serialize(build / "graph.ttl", format="turtle")  # stats and validate read the merged graph
    stats = runner.invoke(app, ["stats", "-b", str(build)])
    assert stats.exit_code == 0 and "Program" in stats.output, stats.output
    assert runner.invoke(app, ["stats", str(build / "graph.ttl")]).output == stats.output  # the old positional
    view = runner.invoke(app, ["view", "who-runs", "-b", str(build)])
    assert view.exit_code == 0 and (build / "views" / "who-runs.html").is_file(), view.output
    old = runner.invoke(app, ["view", "who-runs", "--graph", str(build / "graph.trig"), "--out", str(tmp_path / "w.html")])
    assert old.exit_code == 0 and (tmp_path / "w.html").is_file(), old.output
    export = runner.invoke(app, ["export", "-b", str(build)])
    assert export.exit_code == 0 and (build / "graph.graphml").is_file(), export.output


def test_hidden_aliases_stay_out_of_the_help():
    assert "--graph" not in runner.invoke(app, ["view", "--help"]).output
    assert "--graph" not in runner.invoke(app, ["export", "--help"]).output
    assert "--json" not in runner.invoke(app, ["eval", "--help"]).output
    assert "--out" not in runner.invoke(app, ["build", "--help"]).output


def test_json_is_format_json_everywhere(cli_inputs):
    import json

    build, _ = cli_inputs
    stats = json.loads(runner.invoke(app, ["stats", str(SAMPLE), "--format", "json"]).output)
    assert stats["entities"]["Program"] == 2 and stats["links"]["promotedBy"] == 2
    query = json.loads(runner.invoke(app, ["query", "ASK {}", "-b", str(build), "--format", "json"]).output)
    assert query["boolean"] is True
    scored = [runner.invoke(app, ["eval", "-b", str(SAMPLE), "--no-dev", "--no-cluener", *flag]) for flag in
              (["--format", "json"], ["--json"])]  # --json: the old spelling, kept
    assert all(r.exit_code == 0 for r in scored), [r.output for r in scored]
    assert json.loads(scored[0].output) == json.loads(scored[1].output)
    assert "seed_pages" in json.loads(scored[0].output)


@pytest.mark.parametrize("args", [["--help"], ["query", "who-runs", "--build-dir", "{b}"]], ids=["help", "query"])
def test_help_and_query_load_no_heavy_modules(cli_inputs, args):
    """What made start-up slow (issue 13): rich for the help, pydantic in typer 0.29, rdflib; numbers in bench/bench_startup.py."""
    build, _ = cli_inputs
    args = [a.replace("{b}", str(build)) for a in args]
    probe = ("import sys, contextlib, io\nfrom kg.cli import app\n"
             f"with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit): app({args!r})\n"
             "print(' '.join(m for m in ('rdflib', 'pydantic', 'rich', 'networkx', 'spacy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
