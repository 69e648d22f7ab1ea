"""The scorer on a hand-computed case, the gold files' own consistency, and the CLI."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import KgError
from kg.eval.gold import load_gold, norm
from kg.eval.score import score
from kg.graph.files import read_graph

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests/fixtures/sample.trig"


def write_gold(folder: Path, **data) -> Path:
    folder.mkdir(exist_ok=True)
    doc = {"source": "sample_a.txt", "entities": [], "links": [], "indicators": [], **data}
    (folder / "sample_a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


def test_hand_computed_scores(tmp_path):
    # sample_a-1 mentions 社会救助服务联合体, 重庆市民政局 (alias 市民政局), 丁中平, 沙坪坝区, 重庆市
    gold = write_gold(
        tmp_path / "gold",
        entities=[
            {"class": "Program", "label": "“社会救助服务联合体”"},  # quotes do not matter
            {"class": "Program", "label": "渝好空间"},  # missed: FN
            {"class": "Organization", "label": "市民政局"},  # matched through the altLabel
            {"class": "Official", "label": "丁中平"},
            {"class": "AdministrativeArea", "label": "沙坪坝区"},
            # 重庆市 not annotated: one FP
        ],
        links=[
            {"s": "“社会救助服务联合体”", "p": "implementedIn", "o": "沙坪坝区"},
            {"s": "“社会救助服务联合体”", "p": "runBy", "o": "市民政局"},
            {"s": "渝好空间", "p": "runBy", "o": "市民政局"},  # FN
            {"s": "丁中平", "p": "holdsPost", "o": {"postTitle": "局长", "postIn": "市民政局"}},
        ],
    )
    report = score(read_graph(SAMPLE), load_gold(gold))
    assert (report.entities["Program"].tp, report.entities["Program"].fp, report.entities["Program"].fn) == (1, 0, 1)
    assert report.entities["Organization"].tp == 1
    area = report.entities["AdministrativeArea"]
    assert (area.tp, area.fp, area.fn) == (1, 1, 0) and area.precision == 0.5
    run_by = report.links["runBy"]
    assert (run_by.tp, run_by.fp, run_by.fn) == (1, 0, 1)
    assert report.links["holdsPost"].tp == 1
    # sample_a-1 also holds inSector, promotedBy, memberOf and jurisdiction links the gold lacks
    assert report.links["inSector"].fp == 1 and report.links["implementedIn"].f1 == 1.0


@pytest.mark.parametrize("bad", [
    "{not json",
    json.dumps({"source": "x.txt", "entities": [{"class": "Person", "label": "x"}]}),
    json.dumps({"source": "x.txt", "entities": [], "links": [{"s": "a", "p": "runBy", "o": "b"}]}),
])
def test_malformed_gold_is_a_one_line_error(tmp_path, bad):
    (tmp_path / "bad.json").write_text(bad, encoding="utf-8")
    with pytest.raises(KgError) as err:
        load_gold(tmp_path)
    assert "bad.json" in str(err.value) and "\n" not in str(err.value)


def test_project_gold_is_consistent_with_the_guide_and_the_pages():
    pages = load_gold(ROOT / "tests/gold")
    assert len(pages) >= 2
    for page in pages:
        raw = re.sub(r"\s", "", (ROOT / "corpus" / page.source).read_text(encoding="utf-8"))
        text = norm(raw)
        for entity in page.entities:
            if entity.cls != "Sector":
                assert any(n in text for n in entity.names), (page.source, entity.label)


def test_cli_prints_the_table_and_errors_in_one_line(tmp_path):
    gold = write_gold(tmp_path / "gold", entities=[{"class": "Official", "label": "丁中平"}])
    result = CliRunner().invoke(app, ["eval", str(SAMPLE), "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert "Official" in result.output and "all links" in result.output
    missing = CliRunner().invoke(app, ["eval", str(tmp_path / "none.ttl"), "--gold", str(gold)])
    assert missing.exit_code == 1 and "Traceback" not in missing.output


def test_cluener_scoring_on_a_small_file(tmp_path):
    from kg.eval.cluener import score_cluener

    rows = [
        {"text": "市民政局局长丁中平说，将加快建设。",
         "label": {"government": {"市民政局": [[0, 3]]}, "position": {"局长": [[4, 5]]}, "name": {"丁中平": [[6, 8]]}}},
        {"text": "温格的球队终于又踢了一场经典的比赛。", "label": {"name": {"温格": [[0, 1]]}}},
    ]
    path = tmp_path / "dev.json"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = score_cluener(path)
    assert report.sentences == 2
    assert (report.scores["government"].tp, report.scores["position"].tp, report.scores["name"].tp) == (1, 1, 1)
    assert report.scores["name"].fn == 1  # 温格 has no post: not an official
    (tmp_path / "bad.json").write_text("{nope", encoding="utf-8")
    with pytest.raises(KgError):
        score_cluener(tmp_path / "bad.json")
