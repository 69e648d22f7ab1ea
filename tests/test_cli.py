"""The command line as a user meets it: help, stats, one-line errors."""

from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()
SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"


def test_help_lists_every_verb():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for verb in ("build", "query", "view", "serve", "push", "validate", "eval", "stats", "export"):
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
