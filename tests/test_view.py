"""Views without a browser: the networkx form, view selection and filters, the HTML page, export, CLI."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.errors import KgError, UsageError
from kg.graph import iri
from kg.namespaces import MS
from kg.view import Selection, select, to_networkx, write_default_views, write_view
from kg.view.export import export
from kg.view.render import BIG_VIEW, render_html, vis_options
from kg.view.select import HUB_DEGREE, default_file_name

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">计划'
HOSTILE_ALIAS = "</script><script>window.__pwned=2</script>"
HOSTILE_SENTENCE = '市民政局说：<img src=x onerror=window.__pwned=3> 与 </script><script>window.__pwned=4</script> & “引号”。'
runner = CliRunner()

PLAN = str(iri.program("百万高校毕业生等青年留渝来渝就业创业行动计划"))
UNION = str(iri.program("社会救助服务联合体"))
STREET_PROGRAM = str(iri.program("渝碚路街道社区食堂"))
HOSTILE = str(iri.program(HOSTILE_NAME))


def hostile_dataset() -> Dataset:
    """The sample graph plus a program in a street of 沙坪坝 and a program whose name, alias and
    evidence sentence try to inject markup and script."""
    ds = Dataset()
    ds.parse(SAMPLE, format="trig")
    default = ds.default_graph
    a1 = iri.article("sample_a-1")
    street = iri.area("500106003")
    assistance = iri.sector("social-assistance")
    canteen, bad = iri.program("渝碚路街道社区食堂"), iri.program(HOSTILE_NAME)
    for node, label, alias in [(canteen, "渝碚路街道社区食堂", None), (bad, HOSTILE_NAME, HOSTILE_ALIAS)]:
        default.add((node, RDF.type, MS.Program))
        default.add((node, RDFS.label, Literal(label, lang="zh")))
        if alias:
            default.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
        default.add((node, MS.mentionedIn, a1))
    default.add((street, MS.mentionedIn, a1))
    for s, p, o, sentence, start in [(canteen, MS.implementedIn, street, "渝碚路街道开办社区食堂。", 100),
                                     (canteen, MS.inSector, assistance, "渝碚路街道开办社区食堂。", 100),
                                     (bad, MS.runBy, iri.organization("重庆市民政局"), HOSTILE_SENTENCE, 200)]:
        default.add((s, p, o))
        ev = iri.evidence(s, p, o, "sample_a-1", start)
        for triple in [(ev, RDF.type, MS.Evidence), (ev, RDF.subject, s), (ev, RDF.predicate, p), (ev, RDF.object, o),
                       (ev, PROV.wasDerivedFrom, a1), (ev, MS.sentence, Literal(sentence, lang="zh")),
                       (ev, MS.start, Literal(start)), (ev, MS.end, Literal(start + 30))]:
            default.add(triple)
            ds.graph(a1).add(triple)
    return ds


@pytest.fixture(scope="module")
def G():
    return to_networkx(SAMPLE)


@pytest.fixture(scope="module")
def H():
    return to_networkx(hostile_dataset())


@pytest.fixture(scope="module")
def hostile_trig(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "graph.trig"
    path.write_text(hostile_dataset().serialize(format="trig"), encoding="utf-8")
    return path


def labels(view) -> set[str]:
    return {d["label"] for _, d in view.nodes(data=True)}


# -- the networkx form ----------------------------------------------------------------------------
def test_nodes_carry_iri_label_class_aliases_and_article_titles(G):
    plan = G.nodes[PLAN]
    assert plan["iri"] == PLAN and plan["label"] == "百万高校毕业生等青年留渝来渝就业创业行动计划"
    assert plan["class"] == "Program" and plan["aliases"] == ["百万青年行动计划"]
    assert plan["articles"] == ["涪陵稳就业"]
    fl = G.nodes[str(iri.area("500102"))]
    assert fl["class"] == "AdministrativeArea" and fl["level"] == "District" and "涪陵" in fl["aliases"]
    classes = {d["class"] for _, d in G.nodes(data=True)}
    assert classes == {"Program", "AdministrativeArea", "Official", "Organization", "TargetGroup", "Sector",
                       "Post", "Indicator"}
    # the reference street no article names is not a node; articles are attributes, not nodes
    assert str(iri.area("500106003")) not in G
    assert not any("/article/" in n for n in G)


def test_edges_carry_link_type_evidence_sentence_article_title_and_date(G):
    data = G.edges[UNION, str(iri.organization("重庆市民政局")), "runBy"]
    assert data["link"] == "runBy" and data["predicate"].endswith("#runBy")
    [ev] = data["evidence"]
    assert ev["sentence"] == "市民政局党组书记、局长丁中平介绍，将建好社会救助服务联合体。"
    assert ev["article"] == "社会救助服务联合体投用" and ev["date"] == "2025-01-31"
    assert (ev["start"], ev["end"]) == (40, 70)
    # reference links have no evidence; an indicator's own sentence is the evidence of what it measures
    assert G.edges[str(iri.area("500102")), str(iri.area("500000")), "partOf"]["evidence"] == []
    [(ind, _, measures)] = [(s, o, d) for s, o, k, d in G.edges(keys=True, data=True) if k == "measures"]
    assert measures["evidence"][0]["sentence"].startswith("2024年，涪陵区城镇新增就业")
    assert G.number_of_edges() == 21


def test_to_networkx_takes_a_path_a_graph_or_a_dataset_and_is_exported_as_kg_to_networkx(G):
    ds = Dataset()
    ds.parse(SAMPLE, format="trig")
    from kg.graph.files import read_graph

    for source in (str(SAMPLE), ds, read_graph(SAMPLE)):
        other = kg.to_networkx(source)
        assert isinstance(other, nx.MultiDiGraph)
        assert set(other) == set(G) and other.number_of_edges() == G.number_of_edges()


def test_missing_graph_file_is_a_kg_error():
    with pytest.raises(KgError, match="kg build"):
        to_networkx(Path("no/such/graph.trig"))


# -- views and filters ------------------------------------------------------------------------------
def test_who_runs_shows_officials_organizations_posts_and_programs(G):
    view = select(G, Selection("who-runs"))
    assert {d["class"] for _, d in view.nodes(data=True)} == {"Program", "Official", "Organization", "Post"}
    assert {k for *_, k in view.edges(keys=True)} == {"runBy", "promotedBy", "memberOf", "holdsPost", "postIn"}
    assert "丁中平" in labels(view) and "涪陵区委" in labels(view)


def test_programs_districts_and_targets(G):
    pd = select(G, Selection("programs-districts"))
    assert labels(pd) == {"社会救助服务联合体", "百万高校毕业生等青年留渝来渝就业创业行动计划", "沙坪坝区", "涪陵区", "重庆市"}
    assert {k for *_, k in pd.edges(keys=True)} == {"implementedIn", "partOf"}
    tg = select(G, Selection("targets"))
    assert labels(tg) == {"百万高校毕业生等青年留渝来渝就业创业行动计划", "青年", "高校毕业生"}
    assert {k for *_, k in tg.edges(keys=True)} == {"targets", "broader"}
    assert select(G, Selection("full")).number_of_nodes() == G.number_of_nodes()


def test_views_are_new_graphs_and_leave_g_as_it_was():
    """select hands out a new graph for every view, filtered or not (an unfiltered view starts
    from G itself, not a copy): changing a view never changes G."""
    G = to_networkx(SAMPLE)
    nodes, edges = dict(G.nodes(data=True)), list(G.edges(keys=True, data=True))
    for kind in ("who-runs", "programs-districts", "targets", "full"):
        view = select(G, Selection(kind))
        assert view is not G
        view.add_node("added by the test")
        view.clear_edges()
    assert "added by the test" not in G
    assert dict(G.nodes(data=True)) == nodes and list(G.edges(keys=True, data=True)) == edges


def test_ego_depth_and_names_by_label_alias_or_iri(G):
    one = select(G, Selection("ego", focus="涪陵", depth=1))  # a short form (altLabel)
    assert labels(one) == {"涪陵区", "重庆市", "百万高校毕业生等青年留渝来渝就业创业行动计划", "涪陵区委",
                           "城镇新增就业 2.44万人 (2024)"}
    two = select(G, Selection("ego", focus=str(iri.area("500102")), depth=2))
    assert set(one) < set(two) and "黎勇" in labels(two) and "沙坪坝区" in labels(two)
    assert set(select(G, Selection("ego", focus="百万青年行动计划"))) == set(
        select(G, Selection("ego", focus="“百万高校毕业生等青年留渝来渝就业创业行动计划”")))


def test_unknown_focus_names_close_matches(G):
    with pytest.raises(UsageError, match="涪陵区委") as exc:
        select(G, Selection("ego", focus="涪陵区委员会"))
    assert "did you mean" in str(exc.value)
    with pytest.raises(UsageError, match="--focus"):
        select(G, Selection("ego"))
    with pytest.raises(UsageError, match="who-runs"):
        select(G, Selection("who-run"))


def test_sector_filter_keeps_matching_programs_and_what_hangs_off_them(G):
    view = select(G, Selection("full", sector="就业"))
    programs = {d["label"] for _, d in view.nodes(data=True) if d["class"] == "Program"}
    assert programs == {"百万高校毕业生等青年留渝来渝就业创业行动计划"}
    assert {"黎勇", "涪陵区", "青年", "就业"} <= labels(view)
    assert not {"丁中平", "重庆市民政局", "社会救助"} & labels(view)
    assert set(select(G, Selection("full", sector=str(iri.sector("employment"))))) == set(view)
    with pytest.raises(UsageError, match="sector"):
        select(G, Selection("full", sector="航天"))


def test_district_filter_includes_programs_of_its_streets(H):
    spb = select(H, Selection("programs-districts", district="沙坪坝"))
    programs = {d["label"] for _, d in spb.nodes(data=True) if d["class"] == "Program"}
    assert programs == {"社会救助服务联合体", "渝碚路街道社区食堂"}
    assert "渝碚路街道" in labels(spb) and "涪陵区" not in labels(spb)
    assert spb.has_edge(str(iri.area("500106003")), str(iri.area("500106")), "partOf")
    fl = select(H, Selection("programs-districts", district="涪陵区"))
    assert {d["label"] for _, d in fl.nodes(data=True) if d["class"] == "Program"} == {
        "百万高校毕业生等青年留渝来渝就业创业行动计划"}
    both = select(H, Selection("full", district="沙坪坝", sector="就业"))
    assert not [n for n, d in both.nodes(data=True) if d["class"] == "Program"]


def test_article_filter_by_id_title_or_part_of_title(G):
    by_id = select(G, Selection("full", article="sample_b-1"))
    assert "黎勇" in labels(by_id) and "丁中平" not in labels(by_id)
    assert set(select(G, Selection("full", article="涪陵稳就业"))) == set(by_id)
    assert set(select(G, Selection("full", article="稳就业"))) == set(by_id)
    for _, _, ev in by_id.edges(data="evidence"):
        assert all(r["article"] == "涪陵稳就业" for r in ev)
    with pytest.raises(UsageError, match="no article"):
        select(G, Selection("full", article="春风行动"))


# -- the page ---------------------------------------------------------------------------------------
EXTERNAL = re.compile(r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//)|@import|url\(\s*["']?\s*(?:https?:)?//""",
                      re.I)


def test_page_is_self_contained_utf8_with_no_external_url(G, tmp_path):
    path, view = write_view(G, Selection("full"), tmp_path / "full.html")
    raw = path.read_bytes()
    html = raw.decode("utf-8")  # strict: the file is UTF-8
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert "社会救助服务联合体".encode("utf-8") in raw and "图例" in html  # Chinese stored as UTF-8, not escaped
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", html, re.I)
    assert not {"cdnjs", "jsdelivr", "unpkg", "bootstrap"} & set(re.findall(r"[a-z]+", html.lower()))
    assert "vis.Network" in html and "Content-Security-Policy" in html
    assert not [p for p in tmp_path.iterdir() if p.name != "full.html"]  # no temp file left behind
    data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert len(data["nodes"]) == view.number_of_nodes() and len(data["edges"]) == view.number_of_edges()
    # legend: one entry per class present, with its Chinese name
    for zh in ("民生项目", "行政区", "官员", "机构", "服务对象", "领域", "职务", "指标"):
        assert f'<span class="kg-legend-name">{zh}</span>' in html


def test_corpus_text_cannot_break_out_of_the_page(H, tmp_path):
    path, _ = write_view(H, Selection("full"), tmp_path / "hostile.html")
    html = path.read_text(encoding="utf-8")
    assert "<img" not in html and "<script>window" not in html
    assert html.lower().count("</script>") == 3  # the data block, vis-network and the page script: no more
    assert "window.__pwned" in html  # the text is there, escaped
    data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    node = next(n for n in data["nodes"] if n["id"] == HOSTILE)
    assert node["label"] == HOSTILE_NAME and HOSTILE_ALIAS in node["names"]
    tips = [row for e in data["edges"] for row in e["tip"]]
    assert ["q", HOSTILE_SENTENCE] in tips
    assert "title" not in node  # tooltips are built in the page as DOM text, not shipped as HTML


def test_page_title_and_subtitle_are_escaped(H, tmp_path):
    path, _ = write_view(H, Selection("ego", focus=HOSTILE_ALIAS), tmp_path / "ego.html")
    html = path.read_text(encoding="utf-8")
    assert "&lt;img src=x" in html and "<img" not in html


def test_big_views_bound_stabilization_and_every_view_stabilizes_first():
    big, small = vis_options(BIG_VIEW * 5, BIG_VIEW * 9), vis_options(50, 60)
    assert big["layout"]["improvedLayout"] is False and big["edges"]["smooth"] is False
    assert big["physics"]["solver"] in ("barnesHut", "forceAtlas2Based")
    assert 0 < big["physics"]["stabilization"]["iterations"] <= 300
    assert vis_options(10_000, 20_000)["physics"]["stabilization"]["iterations"] <= \
        big["physics"]["stabilization"]["iterations"]
    assert small["physics"]["enabled"] is True and small["physics"]["stabilization"]["enabled"] is True


def test_big_view_renders_quickly_with_seed_positions():
    import time

    G = synthetic_view(BIG_VIEW * 5)
    started = time.perf_counter()
    html = render_html(G, "big")
    assert time.perf_counter() - started < 20
    data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data["big"] is True and len(data["nodes"]) == BIG_VIEW * 5
    assert all("x" in n and "y" in n for n in data["nodes"])


def synthetic_view(n: int, seed: int = 3) -> nx.MultiDiGraph:
    """A view-shaped graph of n nodes (programs linked to areas, groups and organizations)."""
    import random

    rnd = random.Random(seed)
    G = nx.MultiDiGraph()
    classes = ["Program"] * 5 + ["AdministrativeArea", "Organization", "TargetGroup", "Official", "Indicator"]
    for i in range(n):
        cls = classes[i % len(classes)]
        G.add_node(f"n{i}", iri=f"urn:x:{i}", label=f"节点{i}", **{"class": cls}, level="", aliases=[f"别名{i}"],
                   articles=["文章"], article_iris=["urn:a"])
    nodes = list(G)
    for i, node in enumerate(nodes):
        if G.nodes[node]["class"] == "Program":
            for _ in range(3):
                other = rnd.choice(nodes)
                if other != node:
                    G.add_edge(node, other, key="implementedIn", link="implementedIn", predicate="urn:p",
                               evidence=[{"sentence": f"句子{i}", "article": "文章", "article_iri": "urn:a",
                                          "date": "2025-01-01", "start": 0, "end": 5}])
    return G


def page_data(html: str) -> dict:
    return json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S).group(1))


def test_full_view_starts_with_indicators_hidden_other_views_hide_nothing(G, tmp_path):
    full, _ = write_view(G, Selection("full"), tmp_path / "full.html")
    ego, _ = write_view(G, Selection("ego", focus="涪陵", depth=2), tmp_path / "ego.html")
    assert page_data(full.read_text(encoding="utf-8"))["hidden"] == {"classes": ["Indicator"], "links": []}
    assert page_data(ego.read_text(encoding="utf-8"))["hidden"] == {"classes": [], "links": []}
    # the legend entry says it is off, and every entry is a button
    html = full.read_text(encoding="utf-8")
    assert re.search(r'<li data-class="Indicator" role="button" tabindex="0" aria-pressed="false" class="kg-off"', html)
    assert re.search(r'<li data-class="Program" role="button" tabindex="0" aria-pressed="true"', html)


def hub_graph(leaves: int) -> nx.MultiDiGraph:
    """focus - program - hub, and the hub with `leaves` more programs: the shape 涪陵 - … - 重庆市 has."""
    G = nx.MultiDiGraph()
    for n, cls in [("focus", "AdministrativeArea"), ("p", "Program"), ("hub", "AdministrativeArea"), ("s", "Sector")]:
        G.add_node(n, label=n, aliases=[], **{"class": cls})
    G.add_edge("p", "focus", key="implementedIn")
    G.add_edge("p", "hub", key="implementedIn")
    G.add_edge("p", "s", key="inSector")
    for i in range(leaves):
        G.add_node(f"q{i}", label=f"q{i}", aliases=[], **{"class": "Program"})
        G.add_edge(f"q{i}", "hub", key="implementedIn")
    return G


def test_ego_view_shows_a_hub_but_does_not_expand_it():
    G = hub_graph(HUB_DEGREE)
    assert set(select(G, Selection("ego", focus="focus", depth=3))) == {"focus", "p", "hub", "s"}
    # below the hub degree a node is walked through as before
    small = hub_graph(HUB_DEGREE - 3)
    assert len(select(small, Selection("ego", focus="focus", depth=3))) == 4 + HUB_DEGREE - 3
    # a hub in focus is expanded: its own neighbourhood is what one asks for
    assert len(select(G, Selection("ego", focus="hub", depth=1))) == 2 + HUB_DEGREE


def test_ego_of_a_district_in_the_corpus_stays_small(corpus_build):
    G = to_networkx(corpus_build / "graph.trig")
    cq = str(iri.area("500000"))
    assert G.degree(cq) >= HUB_DEGREE  # 重庆市, the hub every district is part of
    view = select(G, Selection("ego", focus="涪陵", depth=2))
    assert cq in view and view.number_of_nodes() <= 80
    # the other districts come in only through a link of 涪陵's own neighbours, not through 重庆市
    assert {n for n in view if G.nodes[n].get("level") == "District"} == {str(iri.area("500102"))}


@pytest.mark.parametrize("sel, name", [
    (Selection("targets", focus="涪陵"), "targets-涪陵.html"),
    (Selection("who-runs", focus="https://w3id.org/minsheng-kg/id/area/500102"), "who-runs-500102.html"),
    (Selection("full", focus="msr:area/500102", sector="就业"), "full-500102-sector-就业.html"),
    (Selection("ego", focus="涪陵", depth=2), "ego-涪陵.html"),
    (Selection("targets"), "targets.html"),
])
def test_a_focus_or_filter_gets_a_file_name_of_its_own(sel, name):
    assert default_file_name(sel) == name


def test_cli_view_with_focus_keeps_the_default_view(tmp_path):
    graph = tmp_path / "graph.trig"
    graph.write_bytes(SAMPLE.read_bytes())
    default = tmp_path / "views" / "targets.html"
    write_default_views(graph, tmp_path / "views")
    before = default.read_bytes()
    result = runner.invoke(app, ["view", "targets", "--focus", "青年", "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    assert default.read_bytes() == before
    focused = tmp_path / "views" / "targets-青年.html"
    assert str(focused) in result.output and page_data(focused.read_text(encoding="utf-8"))["focus"] == \
        str(iri.target_group("青年"))


def test_write_default_views_writes_the_four_pages(tmp_path):
    paths = write_default_views(SAMPLE, tmp_path / "views")
    assert [p.name for p in paths] == ["who-runs.html", "programs-districts.html", "targets.html", "full.html"]
    assert all(p.read_bytes().decode("utf-8").startswith("<!DOCTYPE html>") for p in paths)


def test_a_failed_write_keeps_the_old_page(G, tmp_path, monkeypatch):
    path, _ = write_view(G, Selection("full"), tmp_path / "full.html")
    before = path.read_bytes()

    def boom(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_view(G, Selection("targets"), path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["full.html"]


# -- export -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_keeps_classes_labels_and_evidence(G, tmp_path, fmt):
    [path] = export(G, fmt, tmp_path / f"g.{fmt}")
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == G.number_of_nodes() and back.number_of_edges() == G.number_of_edges()
    plan = back.nodes[PLAN]
    assert plan["class"] == "Program" and plan["aliases"] == "百万青年行动计划" and plan["articles"] == "涪陵稳就业"
    assert plan["label"] == "百万高校毕业生等青年留渝来渝就业创业行动计划"
    runs = [d for s, o, d in back.edges(data=True) if d["link"] == "runBy"]
    assert runs[0]["evidence_sentences"] == "市民政局党组书记、局长丁中平介绍，将建好社会救助服务联合体。"
    assert runs[0]["evidence_articles"] == "社会救助服务联合体投用" and runs[0]["evidence_dates"] == "2025-01-31"


def test_export_csv_writes_nodes_and_edges(G, tmp_path):
    import csv

    paths = export(G, "csv", tmp_path / "csv")
    assert [p.name for p in paths] == ["nodes.csv", "edges.csv"]
    with open(paths[0], encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(paths[1], encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == 16 and len(edges) == 21
    assert {"id": PLAN, "label": "百万高校毕业生等青年留渝来渝就业创业行动计划", "class": "Program"}.items() <= \
        next(n for n in nodes if n["id"] == PLAN).items()
    assert any(e["link"] == "promotedBy" and e["target_label"] == "黎勇" for e in edges)
    with pytest.raises(UsageError):
        export(G, "csv", tmp_path / "one.csv")


# -- the command line ---------------------------------------------------------------------------------
def test_cli_view_writes_the_page_and_says_where(tmp_path):
    out = tmp_path / "views" / "w.html"
    result = runner.invoke(app, ["view", "who-runs", "--graph", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output and "8 nodes" in result.output and out.is_file()


def test_cli_view_default_path_is_beside_the_graph(tmp_path):
    graph = tmp_path / "graph.trig"
    graph.write_bytes(SAMPLE.read_bytes())
    result = runner.invoke(app, ["view", "ego", "--focus", "涪陵", "--depth", "2", "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "views" / "ego-涪陵.html").is_file()


def test_cli_view_filters(tmp_path):
    out = tmp_path / "x.html"
    result = runner.invoke(app, ["view", "full", "--graph", str(SAMPLE), "--sector", "就业", "--district", "涪陵",
                                 "--article", "sample_b-1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "社会救助服务联合体" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, code, words", [
    (["view", "--graph", "missing/graph.trig"], 1, "kg build"),
    (["view", "ego", "--graph", str(SAMPLE)], 2, "--focus"),
    (["view", "ego", "--focus", "涪陵区委员会", "--graph", str(SAMPLE)], 2, "涪陵区委"),
    (["view", "whoruns", "--graph", str(SAMPLE)], 2, "who-runs"),
    (["view", "full", "--sector", "养老", "--graph", str(SAMPLE)], 2, "sector"),
    (["view", "targets", "--district", "沙坪坝", "--graph", str(SAMPLE)], 1, "empty"),
    (["view", "targets", "--focus", "涪陵", "--graph", str(SAMPLE)], 2, "not in the targets view"),
    (["export", "--format", "pdf", "--graph", str(SAMPLE)], 2, "graphml"),
    (["export", "--graph", "missing/graph.trig"], 1, "kg build"),
])
def test_cli_errors_are_one_line(args, code, words):
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert words in result.output and "Traceback" not in result.output and result.output.count("\n") == 1


@pytest.mark.parametrize("fmt, name", [("graphml", "graph.graphml"), ("gexf", "graph.gexf"), ("csv", "csv")])
def test_cli_export(tmp_path, fmt, name):
    graph = tmp_path / "graph.trig"
    graph.write_bytes(SAMPLE.read_bytes())
    result = runner.invoke(app, ["export", "--format", fmt, "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).exists() and "16 nodes" in result.output
