"""The view pages in a real browser (headless Chromium over the DevTools protocol, tests/browser.py).

Without Chromium these tests are skipped, except in CI (env CI=true) where they fail.
Set KG_SCREENSHOT_DIR to keep the screenshots they take.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

import pytest

from browser import browser, page, png_gray_pixels  # noqa: F401  (fixtures)
from kg.view import DEFAULT_VIEWS, Selection, select, write_view
from kg.view.render import BIG_VIEW, write_html
from test_view import (G, H, HOSTILE, HOSTILE_ALIAS, HOSTILE_NAME, HOSTILE_SENTENCE, PLAN,  # noqa: F401  (G, H: fixtures)
                       UNION, synthetic_view)

FL = "https://w3id.org/minsheng-kg/id/area/500102"


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
    return folder / name


@pytest.mark.parametrize("kind", DEFAULT_VIEWS)
def test_view_opens_offline_without_errors_and_holds_the_view(page, G, tmp_path, kind):
    path, view = write_view(G, Selection(kind), tmp_path / f"{kind}.html")
    open_page(page, path)
    assert page.evaluate("[kg.nodes.length, kg.edges.length]") == [view.number_of_nodes(), view.number_of_edges()]
    assert sorted(page.evaluate("kg.nodes.getIds()")) == sorted(view)
    assert page.evaluate("kg.network.physics.physicsEnabled") is True  # small views keep physics on
    assert_clean(page)


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
    # the view moved to the node: it is at the centre of the canvas
    x, y = page.evaluate(f"(function(){{var p = kg.network.getPositions([{json.dumps(expected)}])[{json.dumps(expected)}];"
                         "var d = kg.network.canvasToDOM(p); var c = document.getElementById('kg-network');"
                         "return [d.x / c.clientWidth, d.y / c.clientHeight];})()")
    time.sleep(0.6)  # the focus animation takes 400 ms
    x, y = page.evaluate(f"(function(){{var p = kg.network.getPositions([{json.dumps(expected)}])[{json.dumps(expected)}];"
                         "var d = kg.network.canvasToDOM(p); var c = document.getElementById('kg-network');"
                         "return [d.x / c.clientWidth, d.y / c.clientHeight];})()")
    assert abs(x - 0.5) < 0.1 and abs(y - 0.5) < 0.1
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
