"""SHACL validation: the sample graph conforms, broken copies are rejected with clear messages."""

import re
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import KgError
from kg.graph import iri
from kg.graph.validate import validate_graph
from kg.namespaces import MS

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
INDICATOR = iri.indicator("sample_b-1", "城镇新增就业", "24400", "人", 60)
UNION = iri.program("社会救助服务联合体")
MCA = iri.organization("重庆市民政局")
runner = CliRunner()


@pytest.fixture
def sample() -> Path:
    return SAMPLE


def edited(source: Path, tmp_path: Path, edit) -> Path:
    """A copy of a TriG file with `edit(dataset)` applied to every graph."""
    ds = Dataset()
    ds.parse(source, format="trig")
    edit(ds)
    out = tmp_path / "edited.trig"
    out.write_text(ds.serialize(format="trig"), encoding="utf-8")
    return out


def remove_everywhere(ds, triple):
    for graph in ds.graphs():
        graph.remove(triple)


def test_sample_conforms(sample):
    report = validate_graph(sample)
    assert report.conforms, report.text
    assert report.violations == []
    assert "conforms" in report.text.splitlines()[-1]


def test_turtle_input(sample, tmp_path):
    ds = Dataset()
    ds.parse(sample, format="trig")
    ttl = tmp_path / "graph.ttl"
    ttl.write_text(ds.default_graph.serialize(format="turtle"), encoding="utf-8")
    assert validate_graph(ttl).conforms


def test_invalid_copy_is_rejected(sample, tmp_path):
    def edit(ds):
        remove_everywhere(ds, (INDICATOR, MS.unit, None))  # indicator without unit
        ds.default_graph.add((UNION, RDFS.label, Literal("社会救助联合体", lang="zh")))  # two labels
        ds.default_graph.add((UNION, MS.implementedIn, MCA))  # an organization is not an area

    report = validate_graph(edited(sample, tmp_path, edit))
    assert not report.conforms
    found = {(v.focus.rsplit("/", 1)[-1], v.path, v.message) for v in report.violations}
    unit = ("5919dc8d", "ms:unit", "an indicator needs exactly one ms:unit")
    labels = ("she-hui-jiu-zhu-fu-wu-lian-he-ti-bf78d830", "rdfs:label", "must have exactly one rdfs:label")
    area = ("she-hui-jiu-zhu-fu-wu-lian-he-ti-bf78d830", "ms:implementedIn",
            "ms:implementedIn must point to an ms:AdministrativeArea")
    assert found == {unit, labels, area}
    wrong_area = next(v for v in report.violations if v.path == "ms:implementedIn")
    assert wrong_area.value == "msr:org/chong-qing-shi-min-zheng-ju-1f40771a 「重庆市民政局」"
    assert wrong_area.label == "社会救助服务联合体 / 社会救助联合体"  # both labels, sorted
    # The readable report: one heading per problem, the node with its label, a count summary.
    assert "Violation: an indicator needs exactly one ms:unit (1)" in report.text
    assert re.search(r"msr:program/she-hui.*「社会救助服务联合体 / 社会救助联合体」", report.text)
    assert "does NOT conform" in report.text and "3 violations" in report.text


def test_wrong_subject_and_offsets(sample, tmp_path):
    def edit(ds):
        ds.default_graph.add((MCA, MS.targets, iri.target_group("青年")))  # only programs target groups
        remove_everywhere(ds, (INDICATOR, MS.start, None))
        ds.default_graph.add((INDICATOR, MS.start, Literal(99)))  # start after end (80)

    report = validate_graph(edited(sample, tmp_path, edit))
    messages = {v.message for v in report.violations}
    assert "only an ms:Program can have ms:targets" in messages
    assert "ms:start must be one xsd:integer, not after ms:end" in messages
    assert len(report.violations) == 2


def test_reference_mismatch_is_reported(sample, tmp_path):
    """A graph that renames a reference area gives it a second label: the validator says so."""
    fl = iri.area("500102")

    def edit(ds):
        remove_everywhere(ds, (fl, RDFS.label, None))
        ds.default_graph.add((fl, RDFS.label, Literal("涪陵县", lang="zh")))

    report = validate_graph(edited(sample, tmp_path, edit))
    assert [(v.focus, v.path) for v in report.violations] == [("msr:area/500102", "rdfs:label")]


def test_unparseable_and_missing_files(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is { not turtle", encoding="utf-8")
    with pytest.raises(KgError) as exc:
        validate_graph(bad)
    assert str(bad) in str(exc.value) and "\n" not in str(exc.value)
    with pytest.raises(KgError, match="no such file"):
        validate_graph(tmp_path / "missing.ttl")


def test_validation_speed(sample, tmp_path):
    """~20k triples in a few seconds: the sample's text entities copied under 100 prefixes."""
    text = sample.read_text(encoding="utf-8")
    kinds = r"/id/(program|org|official|post|article|evidence|indicator)/"
    copies = [re.sub(kinds, rf"/id/\1/c{i}-", text) for i in range(100)]
    big = tmp_path / "big.trig"
    big.write_text("\n".join(copies), encoding="utf-8")
    started = time.perf_counter()
    report = validate_graph(big)
    assert report.conforms, report.text[:2000]
    assert report.triples > 18000
    assert time.perf_counter() - started < 15


# --- the command --------------------------------------------------------------------------------


def test_cli_exit_codes(sample, tmp_path):
    ok = runner.invoke(app, ["validate", str(sample)])
    assert ok.exit_code == 0, ok.output
    assert "conforms" in ok.stdout

    broken = edited(sample, tmp_path, lambda ds: remove_everywhere(ds, (INDICATOR, MS.unit, None)))
    bad = runner.invoke(app, ["validate", str(broken)])
    assert bad.exit_code == 1
    assert "an indicator needs exactly one ms:unit" in bad.stdout


@pytest.mark.parametrize("content", ["@prefix x: <a#> .\nx:a x:b ;; .\n", "\x00\x01 garbage {{"])
def test_cli_garbage_file(tmp_path, content):
    path = tmp_path / "garbage.ttl"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code in (1, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error:") and "garbage.ttl" in lines[0]
    assert "Traceback" not in result.output


def test_cli_missing_file(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"kg: error: {tmp_path / 'nope.ttl'}: no such file"
