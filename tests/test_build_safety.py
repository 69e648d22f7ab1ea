"""`kg build` under faults and hostile input (issue 12): staged output, SIGKILL, the lock, a typo,
file names, encodings, manifests, control characters, byte-identical rebuilds, the seed fixture."""

import csv
import fcntl
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF

from conftest import ROOT, SEED_PAGES, copy_seed_corpus
from kg.build import build
from kg.corpus.decode import FORBIDDEN, read_source
from kg.corpus.load import load_corpus
from kg.graph.outputs import OUTPUTS
from kg.graph.store import load_store, open_store
from kg.namespaces import MS, MSR

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = "002_291cbfb73b0607b6.txt"
NEWS = "重庆新闻\n\n市民政局开展“暖心行动”，服务老年人1万人。\n"


def kg(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real `kg` command in its own process (so it can be killed for real)."""
    return subprocess.run([str(Path(sys.executable).with_name("kg")), *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture(scope="module")
def one_page(tmp_path_factory, seed_corpus) -> Path:
    corpus = tmp_path_factory.mktemp("one-page")
    shutil.copy(seed_corpus / PAGE, corpus)
    return corpus


@pytest.fixture(scope="module")
def good_build(tmp_path_factory, one_page) -> Path:
    """One page built by the real command: the last good output every fault test starts from."""
    out = tmp_path_factory.mktemp("good") / "out"
    result = kg("build", one_page, "--out", out, cwd=out.parent)
    assert result.returncode == 0, result.stderr
    return out


def snapshot(out: Path) -> dict:
    """What a reader of OUT sees: the graph files' bytes, the views, the store's size."""
    return {"ttl": (out / "graph.ttl").read_bytes(), "trig": (out / "graph.trig").read_bytes(),
            "views": sorted((p.name, p.read_bytes()) for p in (out / "views").glob("*.html")),
            "store": len(open_store(out))}


def consistent(out: Path) -> None:
    """The graph files, the store and the views are one set: the store holds what graph.trig holds."""
    quads = list(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
    assert len(open_store(out)) == len(set(quads)) > 0
    Graph().parse(out / "graph.ttl", format="turtle")
    assert len(list((out / "views").glob("*.html"))) == 4


def copy_build(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, symlinks=True)
    return dest


def test_a_typo_reads_nothing_exits_1_and_touches_nothing(good_build, tmp_path):
    out = copy_build(good_build, tmp_path / "out")
    before = snapshot(out)
    result = kg("build", "corpsu", "--out", out, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("kg: error: no article could be read")
    assert "corpsu: no such file" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(out) == before


# Each step of a build, from the first staged file to just after the swap (kg.build._checkpoint).
@pytest.mark.parametrize("step", ["graph", "store", "staged", "swap", "swapped"])
def test_sigkill_at_any_step_leaves_a_usable_output_and_the_next_build_cleans_up(good_build, seed_corpus,
                                                                                 tmp_path, step):
    out = copy_build(good_build, tmp_path / "out")
    before = snapshot(out)
    two_pages = tmp_path / "two"
    two_pages.mkdir()
    for name in (PAGE, "000_1cdf7dfc6daaec04.txt"):
        shutil.copy(seed_corpus / name, two_pages)
    killed = kg("build", two_pages, "--out", out, cwd=tmp_path, env={"KG_BUILD_KILL_AT": step})
    assert killed.returncode == -9, killed.stderr
    consistent(out)
    if step != "swapped":  # before the one rename: the old set, byte for byte
        assert snapshot(out) == before
    else:  # after it: the new set, whole
        assert snapshot(out)["ttl"] != before["ttl"]
    live = os.readlink(out / ".current")
    stranded = {p.name for p in out.iterdir()} - {".lock", ".current", "cache", live, *OUTPUTS}
    assert stranded  # the killed build's staging set, or the set it replaced

    again = kg("build", two_pages, "--out", out, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    cleaned = re.search(r"^cleaned: +left by an interrupted build: (.+)$", again.stdout, re.M)
    assert cleaned, again.stdout
    assert set(cleaned.group(1).split(", ")) == stranded
    live = os.readlink(out / ".current")
    assert {p.name for p in out.iterdir()} == {".lock", ".current", "cache", live, *OUTPUTS}
    consistent(out)


def test_a_store_old_left_by_a_killed_swap_no_longer_breaks_later_builds(good_build, tmp_path):
    """The layout before staging left store.old at a killed swap and every later build failed
    'Directory not empty'."""
    out = copy_build(good_build, tmp_path / "out")
    (out / "store.old" / "x").mkdir(parents=True)
    (out / ".store-abc").mkdir()
    lone = tmp_path / "lone"
    (lone / "store.old").mkdir(parents=True)
    (lone / "store.old" / "junk").write_text("x")
    assert load_store(out / "graph.trig", lone / "store") > 0  # load_store on its own, too
    result = kg("build", good_build.parent / "nothing-here", "--out", out, cwd=tmp_path)
    assert result.returncode == 1 and (out / "store.old").is_dir()  # a build that reads nothing cleans nothing
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "n.txt").write_text(NEWS, encoding="utf-8")
    result = kg("build", corpus, "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "store.old" in result.stdout and ".store-abc" in result.stdout
    assert not (out / "store.old").exists() and not (out / ".store-abc").exists()


def test_a_second_build_into_a_locked_folder_exits_2_in_one_line(good_build, one_page, tmp_path):
    out = copy_build(good_build, tmp_path / "out")
    before = snapshot(out)
    with open(out / ".lock", "a") as held:  # what a running build holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = kg("build", one_page, "--out", out, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "another kg build is writing into this folder" in result.stderr
    assert snapshot(out) == before
    assert kg("build", one_page, "--out", out, cwd=tmp_path).returncode == 0  # the lock died with its holder


def test_any_file_name_is_a_valid_iri_and_each_path_its_own_article(tmp_path):
    corpus = tmp_path / "corpus"
    names = ["a b.txt", "x<y>.txt", "50%.txt", "new\nline.txt", "q#?.txt", "a/x.txt", "b/x.txt"]
    for i, name in enumerate(names):
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(f"第{i}条新闻\n\n" + NEWS.split("\n\n", 1)[1], encoding="utf-8")
    summary = build([corpus], tmp_path / "out", views=False)
    assert summary.sources == len(names) and not summary.skipped
    graph = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    articles = set(graph.subjects(RDF.type, MS.Article))
    assert len(articles) == len(names)
    for art in articles:
        ox.NamedNode(str(art))  # Oxigraph's strict IRI parser
        assert len(set(graph.objects(art, DCTERMS.title))) == 1
    assert {MSR["article/a%20b-1"], MSR["article/x%3Cy%3E-1"], MSR["article/50%25-1"],
            MSR["article/new%0Aline-1"], MSR["article/q%23%3F-1"], MSR["article/a/x-1"], MSR["article/b/x-1"]} == articles
    assert len(open_store(tmp_path / "out")) > 0


def test_the_seed_pages_keep_their_article_iris(corpus_build):
    graph = Graph().parse(corpus_build / "graph.ttl", format="turtle")
    stems = "|".join(Path(p).stem for p in SEED_PAGES)
    articles = [str(a) for a in graph.subjects(RDF.type, MS.Article)]
    assert articles and all(re.fullmatch(rf"{re.escape(str(MSR))}article/({stems})-\d+", a) for a in articles)


@pytest.mark.parametrize("encoding, detected", [("big5", "big5hkscs"), ("utf-16-le", "utf-16-le"),
                                                ("utf-16-be", "utf-16-be"), ("utf-16", "utf-16"),
                                                ("gb18030", "gb18030"), ("utf-8", "utf-8")])
def test_chinese_encodings_are_detected_never_mojibake(tmp_path, encoding, detected):
    paragraph = (FIXTURES / "traditional-paragraph.txt").read_text(encoding="utf-8")
    path = tmp_path / "p.txt"
    path.write_bytes(paragraph.encode(encoding))
    text, info = read_source(path)
    assert text == paragraph and info.encoding == detected


def test_an_encoding_kg_cannot_read_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "jp.txt"
    path.write_bytes("日本語のテキストです。これは重慶のニュースではありません。".encode("shift_jis"))
    skipped = read_source(path)
    assert skipped.path == str(path) and "cp932" in skipped.reason and "convert it to UTF-8" in skipped.reason


def test_a_manifest_with_an_unterminated_quote_names_the_line_and_keeps_the_other_rows(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(NEWS, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text('file,publisher,date,title\na.txt,"甲报,2025,题甲\n'
                                           'b.txt,乙报,2024,题乙\nc.txt,丙报,2023,题丙\n', encoding="utf-8")
    result = load_corpus([tmp_path])
    publishers = {Path(s.path).name: s.publisher for s in result.sources}
    assert publishers == {"a.txt": None, "b.txt": "乙报", "c.txt": "丙报"}
    [problem] = [s.reason for s in result.skipped]
    assert problem.startswith(f"{tmp_path / 'manifest.csv'}:2: unterminated quote")


def test_control_characters_reach_no_output_and_offsets_stay_right(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    dirty = ("重庆新闻\n\n市民政局\x01开展“暖心\x0b行动”，\x7f服务\x85老年人\ufffe1万人\x0c。"
             + "市人力社保局表示，今年全市城镇新增就业七十三万人，帮助困难人员实现就业。" * 4 + "\n")
    (corpus / "dirty.txt").write_text(dirty, encoding="utf-8")
    with open(corpus / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["file", "publisher", "date", "title"], ["dirty.txt", "重庆\x02日报", "2025", "题\x1b目"]])
    text, _ = read_source(corpus / "dirty.txt")
    assert len(text) == len(dirty) and not FORBIDDEN.search(text)
    assert text == FORBIDDEN.sub(" ", dirty)
    out = tmp_path / "out"
    build([corpus], out)
    for name in ("graph.ttl", "graph.trig"):
        assert not FORBIDDEN.search((out / name).read_text(encoding="utf-8"))
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    sentences = [(str(s), int(graph.value(n, MS.start)), int(graph.value(n, MS.end)))
                 for n in graph.subjects(MS.sentence, None) for s in graph.objects(n, MS.sentence)]
    assert sentences
    for sentence, start, end in sentences:
        assert re.sub(r"\s", "", text[start:end]) == re.sub(r"\s", "", sentence)
    assert (None, DCTERMS.publisher, Literal("重庆 日报", lang="zh")) in graph
    for fmt in ("graphml", "gexf"):
        result = kg("export", "--format", fmt, "--graph", out / "graph.trig", "--out", tmp_path / f"g.{fmt}", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        ET.parse(tmp_path / f"g.{fmt}")


def test_two_identical_builds_give_identical_bytes(tmp_path, seed_corpus):
    """Separate processes with different hash seeds: set order and rdflib's blank-node labels differ."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name in (PAGE, "000_1cdf7dfc6daaec04.txt"):
        shutil.copy(seed_corpus / name, corpus)
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        result = kg("build", corpus, "--out", out, "--no-cache", cwd=tmp_path, env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outs.append(out)
    assert "_:" in (outs[0] / "graph.ttl").read_text(encoding="utf-8")  # the ontology's blank nodes are there
    for name in ("graph.ttl", "graph.trig", *(f"views/{v}.html" for v in ("who-runs", "programs-districts", "targets", "full"))):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_the_suites_corpus_fixture_ignores_articles_a_user_adds(tmp_path):
    users_corpus = shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    (users_corpus / "005_mine.txt").write_text(NEWS, encoding="utf-8")
    with open(users_corpus / "manifest.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(["005_mine.txt", "我的报", "2025", "我的文章", ""])
    assert len(load_corpus([users_corpus]).sources) == len(SEED_PAGES) + 1
    fixture = copy_seed_corpus(tmp_path / "fixture", source=users_corpus)
    assert sorted(p.name for p in fixture.glob("*.txt")) == list(SEED_PAGES) and len(SEED_PAGES) == 5
    loaded = load_corpus([fixture])
    assert len(loaded.sources) == 5 and not loaded.skipped
    assert all(s.publisher for s in loaded.sources)  # their manifest rows came along
