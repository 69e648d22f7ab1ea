"""The scorer: agreement with the reference scorer on a real build, hand-computed cases, the
gold files' consistency with their texts, the development set's size, CLUENER and the CLI."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import KgError
from kg.eval.cluener import score_cluener
from kg.eval.devset import datasets_dir, load_sources, news_text
from kg.eval.gold import CLASSES, LINKS, load_gold, norm
from kg.eval.score import score
from kg.eval.suite import DEV_GOLD, SEED_GOLD, read_build_graph, score_dev
from kg.graph.files import read_graph

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from score_per_excerpt import per_excerpt  # noqa: E402

SAMPLE = ROOT / "tests/fixtures/sample.trig"
REFERENCE_SCORER = ROOT / "tests/gold/score.py"
DEV_GOLD2 = ROOT / "tests/dev_gold2"
DEV_GOLD3 = ROOT / "tests/dev_gold3"
DEV_GOLD4 = ROOT / "tests/dev_gold4"
DEV_GOLD5 = ROOT / "tests/dev_gold5"


def test_kg_eval_agrees_with_the_reference_scorer_on_a_real_build(corpus_build, tmp_path):
    ref_json = tmp_path / "ref.json"
    subprocess.run([sys.executable, str(REFERENCE_SCORER), str(corpus_build), "--gold", str(SEED_GOLD),
                    "--json", str(ref_json)], check=True, capture_output=True)
    ref = json.loads(ref_json.read_text(encoding="utf-8"))
    ours = score(read_build_graph(corpus_build), load_gold(SEED_GOLD)).to_json()
    for mode in ("strict", "lenient"):
        for kind in ("entities", "links"):
            for name, figures in ref[mode][kind].items():
                for k in ("tp", "fp", "fn", "p", "r", "f1"):
                    assert ours[mode][kind][name][k] == pytest.approx(figures[k], abs=5e-4), (mode, kind, name, k)
    for k in ("tp", "fp", "fn", "p", "r", "f1"):
        assert ours["indicators"][k] == pytest.approx(ref["indicators"][k], abs=5e-4), k
    assert ours["evidence_coverage"] == pytest.approx(ref["evidence_coverage"], abs=5e-4)
    assert ours["entity_macro_f1_lenient"] == pytest.approx(ref["entity_macro_f1_lenient"], abs=5e-4)
    assert ours["link_f1_lenient"] == pytest.approx(ref["link_f1_lenient"], abs=5e-4)


def _gold(folder: Path, **data) -> Path:
    folder.mkdir(exist_ok=True)
    doc = {"doc": "sample_a.txt", "articles": [], "entities": {}, "relations": [], **data}
    (folder / "sample_a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


def test_hand_computed_scores(tmp_path):
    # the sample graph mentions 社会救助服务联合体, 重庆市民政局 (alias 市民政局), 丁中平, 沙坪坝区, 重庆市
    gold = _gold(tmp_path / "gold", entities={
        "Program": [{"name": "“社会救助服务联合体”建设", "aliases": []},   # lenient: contains the label
                    {"name": "渝好空间", "aliases": []},                    # missed
                    {"name": "富民贷", "aliases": [], "core": False}],      # neutral either way
        "Organization": [{"name": "市民政局", "aliases": []}],              # matched through the altLabel
        "Official": [{"name": "丁中平", "aliases": []}],
        "AdministrativeArea": [{"name": "沙坪坝区", "aliases": ["沙坪坝"]}],
    }, relations=[
        {"s": "社会救助服务联合体建设", "p": "implementedIn", "o": "沙坪坝区"},
        {"s": "社会救助服务联合体建设", "p": "runBy", "o": "市民政局"},
        {"s": "渝好空间", "p": "runBy", "o": "市民政局"},                     # missed
        {"s": "丁中平", "p": "memberOf", "o": "市民政局"},                    # implied by the post
    ])
    report = score(read_graph(SAMPLE), load_gold(gold))
    program = report.lenient.entities["Program"]
    assert (program.tp, program.fn) == (1, 1) and program.misses == ["渝好空间"]
    assert report.lenient.entities["Organization"].tp == 1
    area = report.lenient.entities["AdministrativeArea"]
    assert (area.tp, area.fp) == (1, 2) and area.p == 0.333  # 重庆市 and 涪陵区 are not in this gold
    assert report.strict.entities["Program"].tp == 0  # the label only contains the gold name
    assert report.strict.links["implementedIn"].tp == 0 and report.lenient.links["implementedIn"].tp == 1
    run_by = report.lenient.links["runBy"]
    assert (run_by.tp, run_by.fn) == (1, 1)
    assert report.lenient.links["memberOf"].tp == 1


@pytest.mark.parametrize("bad", [
    "{not json",
    json.dumps({"doc": "x.txt", "entities": []}),
    json.dumps({"doc": "x.txt", "entities": {}, "relations": [{"s": "a", "o": "b"}]}),
])
def test_malformed_gold_is_a_one_line_error(tmp_path, bad):
    (tmp_path / "bad.json").write_text(bad, encoding="utf-8")
    with pytest.raises(KgError) as err:
        load_gold(tmp_path)
    assert "bad.json" in str(err.value) and "\n" not in str(err.value)


def _text_of(doc: str, pages: Path, folder: Path) -> str:
    if (pages / doc).is_file():
        return (pages / doc).read_text(encoding="utf-8")
    excerpt = next(e for e in load_sources(folder) if e.doc == doc)
    return excerpt.text(datasets_dir())


@pytest.mark.parametrize("folder", [SEED_GOLD, DEV_GOLD, DEV_GOLD2], ids=["seeds", "dev", "dev2"])
def test_gold_entities_are_written_in_their_texts(folder, seed_corpus):
    """The core entities of every gold file are names its text contains (after normalization,
    which also removes the layout's broken lines), and every relation has a known property."""
    for f in sorted(folder.glob("*.json")):
        if f.name == "sources.json":
            continue
        data = json.loads(f.read_text(encoding="utf-8"))
        text = norm(_text_of(data["doc"], seed_corpus, folder))
        names, core, absent = set(), 0, []
        for cls in CLASSES:
            for e in data["entities"].get(cls, []):
                forms = [e["name"], *e.get("aliases", [])]
                names.update(norm(x) for x in forms)
                if e.get("core", True) and cls != "AdministrativeArea":
                    core += 1
                    if not any(norm(x) in text for x in forms):
                        absent.append(e["name"])  # an elided form (困境、留守儿童 -> 困境儿童) is allowed
        # gold read against the wrong text (a shifted offset) would miss most names, not a few
        assert len(absent) <= max(2, core // 20), (f.name, absent)
        for r in data["relations"]:
            assert r["p"] in LINKS or r["p"] == "holdsPost", (f.name, r)


def test_development_set_is_large_enough_and_referenced_not_copied():
    excerpts = load_sources(DEV_GOLD)
    provincial = {e.record for e in excerpts if not e.record.isdigit()}
    national = {e.record for e in excerpts if e.record.isdigit()}
    assert len(provincial) >= 8 and "重庆市" not in provincial
    assert len(national) >= 4 and all(2019 <= int(y) <= 2025 for y in national)
    assert sum(e.end - e.start for e in excerpts) >= 60_000
    assert any(e.held_out for e in excerpts) and not all(e.held_out for e in excerpts)
    gold = load_gold(DEV_GOLD)
    core_entities = sum(1 for cls in CLASSES for e in gold.entities[cls] if e.core)
    core_links = sum(1 for r in gold.relations if r.get("core", True) and r["p"] in LINKS)
    assert core_entities >= 300 and core_links >= 300, (core_entities, core_links)
    assert {Path(e.doc).stem for e in excerpts} == {Path(d).stem for d in gold.docs}
    # the excerpts' text stays in ../shared: no .txt copies in the repository
    assert not list(DEV_GOLD.rglob("*.txt"))


def test_cluener_reading_on_a_small_file(tmp_path):
    rows = [
        # government + post + name: an official to find; the body is an organization
        {"text": "市民政局局长丁中平说，将加快建设。",
         "label": {"government": {"市民政局": [[0, 3]]}, "position": {"局长": [[4, 5]]}, "name": {"丁中平": [[6, 8]]}}},
        # a company manager: finding them as an official would be a false positive
        {"text": "通灵珠宝总裁沈东军认为", "label": {"company": {"通灵珠宝": [[0, 3]]}, "position": {"总裁": [[4, 5]]},
                                         "name": {"沈东军": [[6, 8]]}}},
        {"text": "温格的球队终于又踢了一场经典的比赛。", "label": {"name": {"温格": [[0, 1]]}}},
    ]
    path = tmp_path / "dev.json"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = score_cluener(path)
    assert report.sentences == 3
    assert (report.officials.tp, report.officials.fp, report.officials.fn) == (1, 0, 0)
    assert report.organizations.tp == 1
    assert report.any_post_pairs == 2 and report.any_post_found == 1
    (tmp_path / "bad.json").write_text("{nope", encoding="utf-8")
    with pytest.raises(KgError):
        score_cluener(tmp_path / "bad.json")


def test_cli_prints_one_screen_and_json(corpus_build):
    result = CliRunner().invoke(app, ["eval", str(corpus_build), "--no-dev", "--no-cluener", "--show-errors"])
    assert result.exit_code == 0, result.output
    assert "seed pages" in result.output and "link ALL" in result.output and "Program miss:" in result.output
    as_json = CliRunner().invoke(app, ["eval", str(corpus_build), "--no-dev", "--no-cluener", "--format", "json"])
    data = json.loads(as_json.output)
    assert 0 < data["seed_pages"]["entity_macro_f1_lenient"] <= 1


def test_cli_errors_are_one_line(tmp_path):
    missing = CliRunner().invoke(app, ["eval", str(tmp_path / "none"), "--no-dev", "--no-cluener"])
    assert missing.exit_code == 1 and "Traceback" not in missing.output and "none" in missing.output
    no_data = CliRunner().invoke(app, ["eval", str(tmp_path), "--datasets", str(tmp_path / "nowhere")])
    assert no_data.exit_code == 1 and "datasets folder not found" in no_data.output


def test_a_sector_matches_by_label_even_where_a_gold_alias_has_it(tmp_path):
    # the sample graph's 百万…行动计划 is inSector 就业; this gold also lists a program with 就业 as an
    # alias. The gold's rule is that sectors match by label (the reference scorer keys 就业 to that
    # program instead, so no system could find the link)
    gold = _gold(tmp_path / "gold", entities={
        "Program": [{"name": "百万高校毕业生等青年留渝来渝就业创业行动计划", "aliases": []},
                    {"name": "就业优先战略", "aliases": ["就业"], "core": False}],
    }, relations=[{"s": "百万高校毕业生等青年留渝来渝就业创业行动计划", "p": "inSector", "o": "就业"}])
    report = score(read_graph(SAMPLE), load_gold(gold))
    assert report.lenient.links["inSector"].tp == 1


@pytest.mark.parametrize("folder, excerpts, chars, programs", [(DEV_GOLD2, 4, 20_000, 50), (DEV_GOLD3, 5, 25_000, 40)])
def test_more_development_sets_without_a_held_out_part(tmp_path, folder, excerpts, chars, programs):
    report = score_dev(tmp_path / folder.name, folder)
    assert report.held_out is None and report.excerpts == excerpts and report.chars > chars
    assert len(report.open.docs) == excerpts and report.open.lenient.entities["Program"].tp > programs
    assert not list(folder.rglob("*.txt"))  # referenced by offsets, as tests/dev_gold is
    # excerpt by excerpt, no province's 省委 is a second node of another's (scripts/score_per_excerpt.py)
    by_excerpt = per_excerpt(folder, tmp_path / folder.name)["open"]
    assert by_excerpt["Organization"].f1 >= report.open.lenient.entities["Organization"].f1
    assert sum(s.tp + s.fn for s in by_excerpt.values()) > 0


def test_the_fourth_development_set_holds_two_excerpts_out(tmp_path):
    report = score_dev(tmp_path / "dev_gold4", DEV_GOLD4)
    assert report.excerpts == 6 and report.chars > 30_000 and not list(DEV_GOLD4.rglob("*.txt"))
    assert len(report.open.docs) == 4 and len(report.held_out.docs) == 2
    assert not set(report.open.docs) & set(report.held_out.docs)
    assert report.open.lenient.entities["Program"].tp > 50 and report.held_out.lenient.entities["Program"].tp > 20


def test_news_text_joins_a_paragraph_and_puts_each_headline_on_its_line(tmp_path):
    sentences = ["盘锦实施素质教育", "本报讯：全市实施教育改革。", "小学取消升学考试；", "初中分为三类。", "新闻二", "正文。"]
    path = tmp_path / "news.char.bmes"
    path.write_text("".join("".join(f"{ch} O\n" for ch in s) + "\n" for s in sentences), encoding="utf-8")
    assert news_text(path) == "盘锦实施素质教育\n本报讯：全市实施教育改革。小学取消升学考试；初中分为三类。\n新闻二\n正文。\n"


def test_the_fifth_development_set_is_news_with_two_excerpts_held_out(tmp_path):
    report = score_dev(tmp_path / "dev_gold5", DEV_GOLD5)
    assert report.excerpts == 6 and report.chars > 20_000 and not list(DEV_GOLD5.rglob("*.txt"))
    assert len(report.open.docs) == 4 and len(report.held_out.docs) == 2
    assert report.open.lenient.entities["Official"].tp > 5 and report.held_out.lenient.entities["Organization"].tp > 2


def test_the_dev_build_goes_beside_the_build_not_into_it(corpus_build, tmp_path):
    """A folder scorer (tests/gold/score.py BUILD) reads every RDF file under BUILD: the dev set's
    graphs must not be among them."""
    import shutil

    build_dir = tmp_path / "build"
    shutil.copytree(corpus_build, build_dir)
    before = sorted(p.relative_to(build_dir) for p in build_dir.rglob("*.t*") if p.suffix in (".ttl", ".trig"))
    result = CliRunner().invoke(app, ["eval", str(build_dir), "--no-cluener"])
    assert result.exit_code == 0, result.output
    after = sorted(p.relative_to(build_dir) for p in build_dir.rglob("*.t*") if p.suffix in (".ttl", ".trig"))
    assert after == before
    assert (tmp_path / "build-dev" / "open" / "graph.ttl").is_file()
    second = CliRunner().invoke(app, ["eval", str(build_dir), "--no-cluener", "--dev-set", str(DEV_GOLD2)])
    assert second.exit_code == 0 and "no held-out part" in second.output, second.output
    assert (tmp_path / "build-dev_gold2" / "open" / "graph.ttl").is_file()
