"""The view pages in a real browser (headless Chromium over the DevTools protocol, tests/browser.py).

Without Chromium these tests are skipped, except in CI (env CI=true) where they fail.
Screenshots go to each test's tmp folder (the path is printed; `pytest -s` shows it), or to
KG_SCREENSHOT_DIR when set: `KG_SCREENSHOT_DIR=docs/img CI=true pytest -k corpus_view tests/test_view_browser.py`
remakes the README's pictures of the corpus views.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

import pytest

from browser import browser, page, png_gray_pixels  # noqa: F401  (fixtures)
from kg.view import DEFAULT_VIEWS, Selection, default_file_name, select, to_networkx, write_view
from kg.view.render import BIG_VIEW, write_html
from kg.view.select import HUB_DEGREE
from test_view import (G, H, HOSTILE, HOSTILE_ALIAS, HOSTILE_NAME, HOSTILE_SENTENCE, PLAN,  # noqa: F401  (G, H: fixtures)
                       UNION, synthetic_view)

FL = "https://w3id.org/minsheng-kg/id/area/500102"
CHONGQING = "https://w3id.org/minsheng-kg/id/area/500000"
LAPTOP = (1400, 900)


def open_page(page, path: Path, timeout: float = 60):
    """Open a page from file:// and wait until its layout has stabilized; fail at once on a page error."""
    page.goto(path.resolve().as_uri())
    deadline = time.monotonic() + timeout
    while not page.evaluate("window.__kgStabilized === true"):
        assert page.console_errors() == [], f"{path.name} failed to load"
        assert time.monotonic() < deadline, f"{path.name}: not stabilized after {timeout}s"
        time.sleep(0.05)


def assert_clean(page):
    assert page.console_errors() == []
    assert [u for u in page.requested_urls() if not u.startswith(("file:", "data:", "blob:", "about:"))] == []
    assert page.evaluate("typeof window.__pwned") == "undefined"


def shot_path(tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("KG_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"screenshot: {folder / name}")
    return folder / name


def assert_at_rest(page):
    """Physics is off and no node moves for 2 s (the page neither animates nor burns CPU)."""
    assert page.evaluate("kg.network.physics.physicsEnabled") is False
    before = page.evaluate("JSON.stringify(kg.network.getPositions())")
    time.sleep(2.0)
    assert page.evaluate("JSON.stringify(kg.network.getPositions())") == before


def shown_hidden(page, ids) -> tuple[int, int]:
    """How many of these nodes vis-network draws and how many it hides."""
    hidden = page.evaluate(f"{json.dumps(list(ids))}.filter(function (id) {{ return kg.network.body.nodes[id].options.hidden; }}).length")
    return len(ids) - hidden, hidden


def hidden_edges(page) -> set[str]:
    return set(page.evaluate("kg.edges.getIds().filter(function (id) { return kg.network.body.edges[id].options.hidden; })"))


def label_px(page, node: str) -> float:
    """The on-screen font size of a node's label (vis-network's font size times the zoom)."""
    return page.evaluate(f"kg.network.body.nodes[{json.dumps(node)}].labelModule.fontOptions.size * kg.network.getScale()")


@pytest.mark.parametrize("kind", DEFAULT_VIEWS)
def test_view_opens_offline_without_errors_and_holds_the_view(page, G, tmp_path, kind):
    path, view = write_view(G, Selection(kind), tmp_path / f"{kind}.html")
    open_page(page, path)
    assert page.evaluate("[kg.nodes.length, kg.edges.length]") == [view.number_of_nodes(), view.number_of_edges()]
    assert sorted(page.evaluate("kg.nodes.getIds()")) == sorted(view)
    assert_at_rest(page)  # small views too: physics stops once stabilized
    assert_clean(page)


@pytest.fixture(scope="module")
def CG(corpus_build):
    """The seed corpus's graph: the views a new user sees first."""
    return to_networkx(corpus_build / "graph.trig")


CORPUS_VIEWS = [Selection(kind) for kind in DEFAULT_VIEWS] + [Selection("ego", focus="涪陵", depth=2)]


@pytest.mark.parametrize("sel", CORPUS_VIEWS, ids=[s.kind for s in CORPUS_VIEWS])
def test_corpus_view_at_laptop_size_comes_to_rest_with_readable_labels(page, CG, tmp_path, sel):
    path, view = write_view(CG, sel, tmp_path / default_file_name(sel))
    page.set_viewport(*LAPTOP)
    open_page(page, path, timeout=120)
    assert page.evaluate("kg.nodes.length") == view.number_of_nodes()
    assert_at_rest(page)  # the full view (~460 nodes) drifted at ~50 px/s for good
    if sel.kind == "ego":  # 重庆市 is shown, not expanded: 48 nodes, not 215
        assert CG.degree(CHONGQING) >= HUB_DEGREE and CHONGQING in view and view.number_of_nodes() <= 80
    # the biggest nodes' labels are readable at the default zoom, without overlapping each other
    shown = [n for n in page.evaluate("kg.nodes.getIds({filter: function (n) { return !n.hidden; }})")]
    by_degree = sorted(shown, key=lambda n: (-view.degree(n), n))
    assert label_px(page, by_degree[0]) >= 12
    readable = [n for n in by_degree if label_px(page, n) >= 12]
    assert len(readable) >= min(8, len(shown))
    # the rest once zoomed in
    page.evaluate("kg.network.moveTo({scale: 1.0, animation: false})")
    assert label_px(page, by_degree[-1]) >= 12
    page.evaluate("kg.network.fit({animation: false})")
    shot = shot_path(tmp_path, f"{sel.kind}.png")
    page.screenshot(shot)
    assert_clean(page)


def test_legend_click_hides_and_shows_a_class_and_a_link_type(page, G, tmp_path):
    path, view = write_view(G, Selection("full"), tmp_path / "full.html")
    open_page(page, path)
    programs = [n for n, c in view.nodes(data="class") if c == "Program"]
    program_edges = set(page.evaluate(f"kg.edges.getIds({{filter: function (e) {{ var p = {json.dumps(programs)};"
                                      "return p.indexOf(e.from) >= 0 || p.indexOf(e.to) >= 0; }})"))
    already = hidden_edges(page)  # the indicators' measures links
    assert shown_hidden(page, programs) == (len(programs), 0)
    page.click_element('#kg-legend li[data-class="Program"]')
    assert shown_hidden(page, programs) == (0, len(programs))
    assert hidden_edges(page) == already | program_edges
    assert page.evaluate("document.querySelector('#kg-legend li[data-class=\"Program\"]').getAttribute('aria-pressed')") == "false"
    assert page.evaluate("document.getElementById('kg-counts').textContent").startswith("显示 ")
    page.screenshot(shot_path(tmp_path, "full-programs-hidden.png"))
    page.click_element('#kg-legend li[data-class="Program"]')
    assert shown_hidden(page, programs) == (len(programs), 0)
    assert hidden_edges(page) == already
    # a link type: its links go, the nodes stay
    runs = {f"e{i}" for i, (_, _, k) in enumerate(view.edges(keys=True)) if k == "runBy"}
    assert runs and page.evaluate(f"kg.edges.get({json.dumps(sorted(runs))}).every(function (e) {{ return e.link === 'runBy'; }})")
    page.click_element('#kg-legend li[data-link="runBy"]')
    assert hidden_edges(page) == already | runs and shown_hidden(page, programs) == (len(programs), 0)
    assert_at_rest(page)  # showing and hiding starts no layout
    assert_clean(page)


def test_full_view_starts_without_indicators_and_shows_them_beside_what_they_measure(page, G, tmp_path):
    path, view = write_view(G, Selection("full"), tmp_path / "full.html")
    open_page(page, path)
    [(indicator, measured)] = [(s, o) for s, o, k in view.edges(keys=True) if k == "measures"]
    assert shown_hidden(page, [indicator]) == (0, 1)
    assert page.evaluate(f"kg.network.body.nodes[{json.dumps(indicator)}].options.physics") is False  # not in the layout
    others = json.dumps([n for n in view if n != indicator])
    before = page.evaluate(f"JSON.stringify(kg.network.getPositions({others}))")
    page.click_element('#kg-legend li[data-class="Indicator"]')
    assert shown_hidden(page, [indicator]) == (1, 0)
    pos = page.evaluate(f"kg.network.getPositions({json.dumps([indicator, measured])})")
    distance = ((pos[indicator]["x"] - pos[measured]["x"]) ** 2 + (pos[indicator]["y"] - pos[measured]["y"]) ** 2) ** 0.5
    assert 20 < distance < 150  # beside the program it measures, not on top of it
    assert page.evaluate(f"JSON.stringify(kg.network.getPositions({others}))") == before
    # hidden again, a search for it shows its class
    page.click_element('#kg-legend li[data-class="Indicator"]')
    assert page.evaluate(f"kg.search({json.dumps(view.nodes[indicator]['label'])})") == indicator
    assert shown_hidden(page, [indicator]) == (1, 0)
    assert page.evaluate("document.querySelector('#kg-legend li[data-class=\"Indicator\"]').className") == ""
    assert_clean(page)


@pytest.mark.parametrize("width", [LAPTOP[0], 1024])
def test_search_box_fits_its_placeholder(page, G, tmp_path, width):
    path, _ = write_view(G, Selection("full"), tmp_path / "full.html")
    page.set_viewport(width, LAPTOP[1])
    open_page(page, path)
    text, inner, scroll, client = page.evaluate(
        "(function(){var i = document.getElementById('kg-search'), s = getComputedStyle(i);"
        "var c = document.createElement('canvas').getContext('2d'); c.font = s.font;"
        "return [c.measureText(i.placeholder).width, i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight),"
        "i.scrollWidth, i.clientWidth];})()")
    assert text <= inner and scroll <= client
    # the button beside it is on screen too
    assert page.evaluate("document.getElementById('kg-search-button').getBoundingClientRect().right") <= width


@pytest.mark.parametrize("query, expected, status", [
    ("百万青年", PLAN, "百万高校毕业生等青年留渝来渝就业创业行动计划"),  # part of an alias
    ("社会救助服务", UNION, "社会救助服务联合体"),  # part of a label
    ("涪陵", FL, "涪陵区"),  # an exact alias beats the longer 涪陵区委 and 涪陵区委书记
    ("  “涪陵区”  ", FL, "涪陵区"),  # quotes and spaces do not matter
])
def test_search_box_selects_and_focuses_the_node(page, G, tmp_path, query, expected, status):
    path, _ = write_view(G, Selection("full"), tmp_path / "full.html")
    open_page(page, path)
    page.evaluate("document.getElementById('kg-search').focus()")
    page.type_text(query)
    page.press_enter()
    page.wait_for("kg.network.getSelectedNodes().length === 1", timeout=5)
    assert page.evaluate("kg.network.getSelectedNodes()") == [expected]
    assert status in page.evaluate("document.getElementById('kg-search-status').textContent")
    assert G.nodes[expected]["label"] in page.evaluate("document.getElementById('kg-details').textContent")
    # the view moves to the node (a 400 ms animation, slower on a busy machine): it ends at the centre
    page.wait_for(f"(function(){{var p = kg.network.getPositions([{json.dumps(expected)}])[{json.dumps(expected)}];"
                  "var d = kg.network.canvasToDOM(p); var c = document.getElementById('kg-network');"
                  "return Math.abs(d.x / c.clientWidth - 0.5) < 0.1 && Math.abs(d.y / c.clientHeight - 0.5) < 0.1;})()",
                  timeout=10)
    assert_clean(page)


def test_search_with_no_match_says_so_and_selects_nothing(page, G, tmp_path):
    path, _ = write_view(G, Selection("full"), tmp_path / "full.html")
    open_page(page, path)
    assert page.evaluate("kg.search('春风行动')") is None
    assert page.evaluate("kg.network.getSelectedNodes()") == []
    assert "未找到" in page.evaluate("document.getElementById('kg-search-status').textContent")


def test_injected_markup_renders_as_text_and_runs_nothing(page, H, tmp_path):
    path, _ = write_view(H, Selection("full"), tmp_path / "hostile.html")
    open_page(page, path)
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    # the name and alias are labels and search names, literally
    assert page.evaluate(f"kg.nodes.get({json.dumps(HOSTILE)}).label") == HOSTILE_NAME
    assert page.evaluate(f"kg.search({json.dumps(HOSTILE_ALIAS)})") == HOSTILE
    details = page.evaluate("document.getElementById('kg-details').textContent")
    assert HOSTILE_NAME in details and HOSTILE_ALIAS in details
    # the evidence sentence is the text of the link's tooltip
    tips = page.evaluate("kg.edges.get().map(function (e) { return e.title.textContent; })")
    assert any(HOSTILE_SENTENCE in t for t in tips)
    # hovering the node shows vis-network's tooltip with the name as text, and still nothing runs
    page.evaluate("kg.network.unselectAll(); kg.network.fit({animation: false})")
    x, y = page.evaluate(f"(function(){{var id = {json.dumps(HOSTILE)}; var d = kg.network.canvasToDOM("
                         "kg.network.getPositions([id])[id]); var r = document.getElementById('kg-network')"
                         ".getBoundingClientRect(); return [r.left + d.x, r.top + d.y];})()")
    for dx in (0, 1, 2):
        page.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x + dx, "y": y})
        time.sleep(0.1)
    tooltip = page.wait_for("(function(){var t = document.querySelector('.vis-tooltip');"
                            "return t && t.style.visibility === 'visible' && t.textContent;})()", timeout=5)
    assert HOSTILE_NAME in tooltip and HOSTILE_ALIAS in tooltip
    assert page.evaluate("document.querySelector('.vis-tooltip').querySelectorAll('*:not(div):not(span):not(blockquote)').length") == 0
    time.sleep(0.3)
    assert_clean(page)


def test_injected_focus_name_in_the_heading_is_text(page, H, tmp_path):
    path, _ = write_view(H, Selection("ego", focus=HOSTILE_ALIAS), tmp_path / "ego.html")
    open_page(page, path)
    assert HOSTILE_NAME in page.evaluate("document.querySelector('h1').textContent")
    assert HOSTILE_ALIAS in page.evaluate("document.getElementById('kg-subtitle').textContent")
    assert page.evaluate("kg.network.getSelectedNodes()") == [HOSTILE]  # --focus selects it on opening
    assert_clean(page)


def test_screenshot_shows_the_network_and_the_legend(page, G, tmp_path):
    path, _ = write_view(G, Selection("full"), tmp_path / "full.html")
    open_page(page, path)
    page.evaluate("kg.network.setOptions({physics: {enabled: false}}); kg.network.fit({animation: false})")
    time.sleep(0.3)
    page.screenshot(shot_path(tmp_path, "full-sample.png"))
    width, height, gray = png_gray_pixels(page.screenshot(scale=0.25))
    assert (width, height) == (320, 215)
    assert statistics.pstdev(gray) > 15 and len(set(gray)) > 40  # not blank
    # the canvas (left of the legend) has drawn nodes: colour in its middle
    canvas = [gray[y * width + x] for y in range(30, height - 10) for x in range(10, 230)]
    assert sum(1 for v in canvas if v < 200) > 300
    # the legend is laid out with its Chinese names, in a CJK font
    legend = page.evaluate("Array.from(document.querySelectorAll('#kg-legend .kg-legend-name'))"
                           ".map(function (e) { return [e.textContent, e.getBoundingClientRect().width]; })")
    assert [name for name, _ in legend][:3] == ["民生项目", "行政区", "官员"]
    assert all(w > 20 for _, w in legend)
    assert page.evaluate("document.fonts.check('14px \"Noto Sans CJK SC\"', '民生')") is True


def test_big_view_stabilizes_then_stops_physics(page, tmp_path):
    view = synthetic_view(BIG_VIEW * 5)
    path = write_html(view, tmp_path / "big.html", "big")
    started = time.monotonic()
    open_page(page, path, timeout=120)
    seconds = time.monotonic() - started
    assert page.evaluate("[kg.nodes.length, kg.edges.length]") == [view.number_of_nodes(), view.number_of_edges()]
    assert page.evaluate("kg.network.physics.physicsEnabled") is False
    ids = json.dumps(list(view)[:200])
    before = page.evaluate(f"JSON.stringify(kg.network.getPositions({ids}))")
    time.sleep(1.0)
    assert page.evaluate(f"JSON.stringify(kg.network.getPositions({ids}))") == before
    assert page.evaluate("kg.search('节点4321')") == "n4321"
    page.screenshot(shot_path(tmp_path, "big-5000.png"), scale=0.5)
    assert seconds < 90
    assert_clean(page)


def test_empty_view_page_says_so(page, tmp_path):
    import networkx as nx

    path = write_html(nx.MultiDiGraph(), tmp_path / "empty.html", "empty")
    open_page(page, path)
    assert "没有节点" in page.evaluate("document.getElementById('kg-progress').textContent")
    assert_clean(page)


def test_filtered_view_in_the_browser(page, H, tmp_path):
    view = select(H, Selection("programs-districts", district="沙坪坝"))
    path, _ = write_view(H, Selection("programs-districts", district="沙坪坝"), tmp_path / "spb.html")
    open_page(page, path)
    assert sorted(page.evaluate("kg.nodes.getIds()")) == sorted(view)
    assert_clean(page)
