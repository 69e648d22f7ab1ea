"""The policy atlas without a browser: page names, links that resolve, escaping, the map, rebuilds, CLI."""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS
from typer.testing import CliRunner

from kg.atlas import write_atlas
from kg.atlas.data import page_path
from kg.build import build
from kg.cli import app
from kg.graph import iri
from kg.namespaces import MS
from kg.paths import ontology_dir
from test_view import HOSTILE, HOSTILE_ALIAS, HOSTILE_NAME, PLAN, hostile_dataset

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import make_district_map  # noqa: E402

runner = CliRunner()
HOSTILE_TITLE = '<script>window.__pwned=5</script>“精心构造”的文章 & <b>粗体</b>'
A1 = iri.article("sample_a-1")
SPB = "area/500106.html"


def crafted_dataset():
    """The views' hostile graph (markup in a program's name, alias and evidence sentence) whose
    article's title is markup too."""
    ds = hostile_dataset()
    ds.default_graph.remove((A1, DCTERMS.title, None))
    ds.default_graph.add((A1, DCTERMS.title, Literal(HOSTILE_TITLE, lang="zh")))
    return ds


def write_trig(ds, path: Path) -> Path:
    path.write_text(ds.serialize(format="trig"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("atlas")
    summary = write_atlas(write_trig(crafted_dataset(), folder / "graph.trig"), folder / "atlas")
    return folder / "atlas", summary


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append(value)


def parse(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_pages_are_named_from_the_iri_slug():
    assert page_path(str(iri.program("渝好空间"))) == f"program/{iri.slug('渝好空间')}.html"
    assert page_path(str(iri.area("500106"))) == "area/500106.html"
    assert page_path(str(iri.community("500106003", "天星桥社区"))) == f"area/500106003/{iri.slug('天星桥社区')}.html"
    assert page_path(str(iri.article("000_1cdf7dfc6daaec04-1"))) == "article/000_1cdf7dfc6daaec04-1.html"


@pytest.mark.parametrize("article_id", ["../../../etc/passwd", "<script>", "a b/..", ".hidden", "x" * 400])
def test_a_hostile_iri_cannot_name_a_file_outside_its_folder(article_id):
    path = page_path(str(iri.article(article_id)))
    assert path.startswith("article/") and path.endswith(".html")
    assert all(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", seg) for seg in path.split("/"))
    assert ".." not in path.split("/")
    assert page_path("http://example.org/<x>").startswith("ext/")


def test_atlas_has_a_page_per_entity_and_index_per_class(site):
    out, summary = site
    for rel in ("index.html", "program/index.html", "area/index.html", "official/index.html", "org/index.html",
                "group/index.html", "sector/index.html", "article/index.html", SPB, page_path(PLAN),
                page_path(HOSTILE), page_path(str(iri.area("500106003"))), page_path(str(A1)),
                "assets/atlas.js", "assets/atlas.css", "assets/search-index.js"):
        assert (out / rel).is_file(), rel
    html = list(out.rglob("*.html"))
    assert summary.pages == len(html) and summary.bytes == sum(p.stat().st_size for p in html)
    # every one of the 38 districts and counties has a page, mentioned or not
    assert len(list((out / "area").glob("5001??.html")) + list((out / "area").glob("5002??.html"))) == 38
    programs = (out / "program" / "index.html").read_text(encoding="utf-8")
    n = len(list((out / "program").glob("*.html"))) - 1
    assert f'民生项目 <span class="n">{n}</span>' in programs and programs.count("<tr>") == n + 1


def test_every_link_and_script_resolves_to_a_file_in_the_atlas(site):
    out, _ = site
    checked = 0
    for page in out.rglob("*.html"):
        for ref in parse(page).refs:
            assert not re.match(r"^([a-z]+:|//)", ref, re.I), f"{page}: external or absolute {ref}"
            target = (page.parent / ref.split("#")[0]).resolve()
            assert target.is_file(), f"{page.relative_to(out)} links to a missing {ref}"
            assert out.resolve() in target.parents
            checked += 1
    assert checked > 62 * 10  # every page: the navigation, the script, the stylesheet and its own links


def test_program_page_shows_links_evidence_and_articles(site):
    out, _ = site
    text = (out / page_path(PLAN)).read_text(encoding="utf-8")
    assert "百万高校毕业生等青年留渝来渝就业创业行动计划" in text and "民生项目" in text
    assert '<a href="../area/500102.html">涪陵区</a>' in text  # implementedIn, the other end a link
    assert "实施于" in text and "字符 " in text  # evidence with a character range
    sentence = re.search(r"<q>([^<]+)</q>", text).group(1)
    assert len(sentence) > 5
    assert re.search(r"字符 \d+–\d+", text)


def test_district_page_lists_programs_inside_and_indicators(site):
    out, _ = site
    spb = (out / SPB).read_text(encoding="utf-8")
    # the canteen is implemented in a street of 沙坪坝: the district page lists it, with where
    assert f'href="../{page_path(str(iri.program("渝碚路街道社区食堂")))}"' in spb
    assert "本地及下辖地区的民生项目" in spb
    inside = spb[spb.index('id="programs-inside"'):spb.index('id="links"')]
    assert 'class="tag"><a href="../sector/social-assistance.html">' in inside  # the canteen's sector
    fl = (out / "area" / "500102.html").read_text(encoding="utf-8")
    table = fl[fl.index('id="indicators"'):]
    assert "<th>指标</th>" in table and ("已实现" in table or "目标" in table)


def test_crafted_markup_is_escaped_text_on_every_page(site):
    out, _ = site
    pages = {p: p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    for path, text in pages.items():
        tags = parse(path).tags
        assert tags.count("script") == 1, path  # only assets/atlas.js
        assert "img" not in tags and "b" not in tags, path
        assert "<script>window" not in text and "<img" not in text, path
    program = pages[out / page_path(HOSTILE)]
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;计划" in program
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;" in program
    assert "&lt;script&gt;window.__pwned=5&lt;/script&gt;" in program  # the article title
    article = pages[out / page_path(str(A1))]
    assert "《&lt;script&gt;window.__pwned=5&lt;/script&gt;“精心构造”的文章 &amp; &lt;b&gt;粗体&lt;/b&gt;》" in article
    index = (out / "assets" / "search-index.js").read_text(encoding="utf-8")
    rows = json.loads(index.removeprefix("window.KG_ATLAS_INDEX = ").rstrip().rstrip(";"))
    assert [HOSTILE_NAME, [HOSTILE_ALIAS], page_path(HOSTILE), "民生项目"] in rows


def test_no_page_can_run_inline_script(site):
    out, _ = site
    for page in [out / "index.html", out / SPB, out / page_path(HOSTILE)]:
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page.read_text(encoding="utf-8"))
        assert "script-src 'self'" in csp.group(1) and "unsafe-inline" not in csp.group(1)


def test_the_map_draws_38_districts_each_a_link_coloured_by_programs(site):
    out, _ = site
    home = (out / "index.html").read_text(encoding="utf-8")
    districts = re.findall(r'<a href="(area/\d+\.html)" class="district" data-code="(\d+)"><path d="M[^"]+" '
                           r'fill="(#[0-9a-f]{6})" data-counts="([^"]*)"', home)
    assert len(districts) == 38
    assert {c for _, c, _, _ in districts} >= {"500155", "500156"}  # 梁平区, 武隆区 joined on their new codes
    counts = {code: json.loads(c.replace("&#34;", '"')) for _, code, _, c in districts}
    fills = {code: f for _, code, f, _ in districts}
    assert counts["500106"][""] >= 2 and counts["500102"][""] >= 1  # programs in the district or its streets
    assert fills["500229"] == "#f1f3f5" and fills["500106"] != "#f1f3f5"  # 城口: none
    assert all(href == f"area/{code}.html" for href, code, _, _ in districts)


def test_map_file_has_the_38_districts_of_the_reference_data():
    features = json.loads((ontology_dir() / "chongqing-districts.geojson").read_text(encoding="utf-8"))["features"]
    areas = make_district_map.districts()
    assert {f["properties"]["code"]: f["properties"]["name"] for f in features} == areas
    assert "Apache-2.0" in (ROOT / "ontology" / "SOURCES.md").read_text(encoding="utf-8")


def test_map_script_decodes_echarts_compressed_coordinates():
    ring = [(106.4542, 29.541224), (106.5, 29.6), (106.48, 29.52), (106.4542, 29.541224)]
    q = [(round(x * 1024), round(y * 1024)) for x, y in ring]

    def zigzag(v):
        return chr(((v << 1) ^ (v >> 31)) + 64)

    encoded, prev = "", q[0]
    for x, y in q:
        encoded += zigzag(x - prev[0]) + zigzag(y - prev[1])
        prev = (x, y)
    decoded = make_district_map.decode_ring(encoded, list(q[0]), 1024)
    assert [(round(x * 1024), round(y * 1024)) for x, y in decoded] == q


def test_pages_keep_their_urls_when_the_graph_grows(tmp_path):
    first = write_atlas(write_trig(crafted_dataset(), tmp_path / "a.trig"), tmp_path / "atlas")
    before = {p.relative_to(tmp_path / "atlas") for p in (tmp_path / "atlas").rglob("*.html")}
    ds = crafted_dataset()
    new = iri.program("新增的民生项目")
    ds.default_graph.add((new, RDF.type, MS.Program))
    ds.default_graph.add((new, RDFS.label, Literal("新增的民生项目", lang="zh")))
    ds.default_graph.add((new, MS.mentionedIn, A1))
    second = write_atlas(write_trig(ds, tmp_path / "b.trig"), tmp_path / "atlas")
    after = {p.relative_to(tmp_path / "atlas") for p in (tmp_path / "atlas").rglob("*.html")}
    assert after - before == {Path(page_path(str(new)))} and before <= after
    assert second.pages == first.pages + 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_build_with_atlas_publishes_it_with_the_graph(tmp_path, seed_corpus):
    out = tmp_path / "build"
    result = runner.invoke(app, ["build", str(seed_corpus), "--out", str(out), "--no-views", "--atlas"])
    assert result.exit_code == 0, result.output
    assert (out / "atlas").is_symlink() and (out / "atlas" / "index.html").is_file()
    assert f"{out / 'atlas'}" in result.output.splitlines()[-1]  # the summary's "wrote:" line
    pages = {p.relative_to(out / "atlas") for p in (out / "atlas").rglob("*.html")}
    assert len(pages) > 200
    build([seed_corpus], out, views=False, atlas=True)  # a rebuild: the same URLs
    assert {p.relative_to(out / "atlas") for p in (out / "atlas").rglob("*.html")} == pages
    build([seed_corpus], out, views=False)  # without --atlas: no stale atlas beside the new graph
    assert not (out / "atlas").exists()


def test_cli_atlas_writes_the_site_and_reports_errors_in_one_line(tmp_path):
    trig = write_trig(crafted_dataset(), tmp_path / "graph.trig")
    result = runner.invoke(app, ["atlas", "--build-dir", str(trig), "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "pages" in result.output and (tmp_path / "site" / "index.html").is_file()
    missing = runner.invoke(app, ["atlas", "--build-dir", str(tmp_path / "nothing.trig"), "--out", str(tmp_path / "x")])
    assert missing.exit_code == 1 and missing.output.count("\n") == 1 and "kg: error:" in missing.output
    (tmp_path / "file").write_text("x")
    clash = runner.invoke(app, ["atlas", "--build-dir", str(trig), "--out", str(tmp_path / "file")])
    assert clash.exit_code == 2 and "is a file" in clash.output and "Traceback" not in clash.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    broken = runner.invoke(app, ["atlas", "--build-dir", str(bad), "--out", str(tmp_path / "y")])
    assert broken.exit_code == 1 and "not valid" in broken.output and not (tmp_path / "y").exists()
