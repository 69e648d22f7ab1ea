"""The atlas in a real browser (headless Chromium over the DevTools protocol, tests/browser.py), from file://.

Without Chromium these tests are skipped, except in CI (env CI=true) where they fail.
Set KG_SCREENSHOT_DIR to keep the screenshots they take.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser import browser, page, png_gray_pixels  # noqa: F401  (fixtures)
from kg.atlas import write_atlas
from kg.atlas.data import page_path
from kg.graph import iri
from test_atlas import A1, HOSTILE_TITLE, crafted_dataset, write_trig
from test_view import HOSTILE, HOSTILE_ALIAS, HOSTILE_NAME, HOSTILE_SENTENCE, PLAN
from test_view_browser import shot_path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("atlas-browser")
    write_atlas(write_trig(crafted_dataset(), folder / "graph.trig"), folder / "atlas")
    return folder / "atlas"


def visit(page, path: Path):
    page.goto(path.resolve().as_uri())
    page.wait_for("document.readyState === 'complete' && window.kgAtlas !== undefined", timeout=10)


def local(url: str) -> Path:
    """The file a file:// URL names (without its #fragment)."""
    return Path(unquote(urlsplit(url).path))


def assert_clean(page):
    assert page.console_errors() == []
    assert [u for u in page.requested_urls() if not u.startswith(("file:", "data:", "about:"))] == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, b').length") == 0


def test_map_opens_offline_with_38_linked_districts(page, site, tmp_path):
    visit(page, site / "index.html")
    links = page.evaluate("Array.from(document.querySelectorAll('#kg-map a.district'))"
                          ".map(a => new URL(a.getAttribute('href'), location.href).href)")
    assert len(links) == 38
    assert all(local(href).is_file() for href in links)
    # the districts are drawn: each path has a box of its own on the screen
    boxes = page.evaluate("Array.from(document.querySelectorAll('#kg-map path')).map(p => {"
                          "const r = p.getBoundingClientRect(); return [r.width, r.height]; })")
    assert all(w > 1 and h > 1 for w, h in boxes)
    width, height, gray = png_gray_pixels(page.screenshot(shot_path(tmp_path, "atlas-map.png"), scale=0.25))
    assert statistics.pstdev(gray) > 10
    assert page.evaluate("document.fonts.check('14px \"Noto Sans CJK SC\"', '重庆')") is True
    assert_clean(page)


def test_map_recolours_by_sector(page, site):
    visit(page, site / "index.html")
    spb = "#kg-map a[data-code='500106'] path"
    before = page.evaluate(f"document.querySelector(\"{spb}\").getAttribute('fill')")
    sector = str(iri.sector("social-assistance"))
    page.evaluate(f"var s = document.getElementById('kg-sector'); s.value = {json.dumps(sector)};"
                  "s.dispatchEvent(new Event('change'))")
    counts = json.loads(page.evaluate(f"document.querySelector(\"{spb}\").getAttribute('data-counts')"))
    title = page.evaluate(f"document.querySelector(\"{spb} title\").textContent")
    assert title.endswith(f"：{counts.get(sector, 0)} 个项目")
    others = page.evaluate("Array.from(document.querySelectorAll('#kg-map path')).filter(p => "
                           f"!(JSON.parse(p.getAttribute('data-counts'))[{json.dumps(sector)}] > 0))"
                           ".map(p => p.getAttribute('fill'))")
    assert set(others) == {"#f1f3f5"} and before != "#f1f3f5"
    assert_clean(page)


def test_district_page_opens_and_its_links_resolve(page, site):
    visit(page, site / "area" / "500106.html")
    assert page.evaluate("document.querySelector('h1').textContent") == "沙坪坝区"
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    assert len(hrefs) > 15
    assert all(local(h).is_file() for h in hrefs)
    inside = page.evaluate("document.getElementById('programs-inside').textContent")
    assert "渝碚路街道社区食堂" in inside
    assert_clean(page)


def test_program_page_opens_with_evidence_and_follows_a_link(page, site):
    visit(page, site / page_path(PLAN))
    assert page.evaluate("document.querySelector('h1').textContent") == "百万高校毕业生等青年留渝来渝就业创业行动计划"
    assert page.evaluate("document.querySelectorAll('ul.evidence q').length") > 0
    assert "字符" in page.evaluate("document.querySelector('ul.evidence cite').textContent")
    page.evaluate("document.querySelector('a[href=\"../area/500102.html\"]').click()")
    page.wait_for("location.pathname.endsWith('/area/500102.html') && document.readyState === 'complete'", timeout=10)
    assert page.evaluate("document.querySelector('h1').textContent") == "涪陵区"
    assert_clean(page)


def test_crafted_article_markup_shows_as_text(page, site):
    visit(page, site / page_path(HOSTILE))
    assert page.evaluate("document.querySelector('h1').textContent") == HOSTILE_NAME
    assert page.evaluate("document.querySelector('.aliases').textContent") == HOSTILE_ALIAS
    text = page.evaluate("document.body.textContent")
    assert HOSTILE_SENTENCE in text and f"《{HOSTILE_TITLE}》" in text
    assert page.evaluate("document.scripts.length") == 1
    assert_clean(page)
    visit(page, site / page_path(str(A1)))
    assert page.evaluate("document.querySelector('h1').textContent") == f"《{HOSTILE_TITLE}》"
    assert_clean(page)


@pytest.mark.parametrize("query, expected", [
    ("百万青年", PLAN),  # part of an alias
    ("涪陵", str(iri.area("500102"))),  # an exact alias first
    ("</script><script>window.__pwned=2", HOSTILE),  # markup as a query is text too
])
def test_search_box_finds_names_and_aliases_from_file(page, site, query, expected):
    visit(page, site / "area" / "500106.html")
    page.evaluate("document.getElementById('kg-search').focus()")
    page.type_text(query)
    page.wait_for("document.querySelectorAll('#kg-search-results li a').length > 0", timeout=10)
    first = page.evaluate("document.querySelector('#kg-search-results li a').href")
    assert first.endswith("/" + page_path(expected))
    page.press_enter()
    page.wait_for(f"location.pathname.endsWith({json.dumps('/' + page_path(expected))})", timeout=10)
    assert_clean(page)


def test_search_with_no_match_says_so(page, site):
    visit(page, site / "index.html")
    assert page.evaluate("kgAtlas.search('春风行动').then(r => r.length)") == 0
    page.evaluate("document.getElementById('kg-search').focus()")
    page.type_text("春风行动")
    page.wait_for("document.getElementById('kg-search-results').textContent === '未找到'", timeout=10)
    assert_clean(page)


def test_class_index_sorts_by_a_column(page, site):
    visit(page, site / "program" / "index.html")
    column = "Array.from(document.querySelectorAll('#kg-index tbody tr')).map(r => r.cells[{}].textContent)"
    heads = page.evaluate("Array.from(document.querySelectorAll('#kg-index th')).map(t => t.textContent)")
    links = heads.index("关系")
    page.evaluate(f"document.querySelectorAll('#kg-index th')[{links}].click()")
    ascending = [int(x) for x in page.evaluate(column.format(links))]
    assert ascending == sorted(ascending)
    page.evaluate(f"document.querySelectorAll('#kg-index th')[{links}].click()")
    descending = [int(x) for x in page.evaluate(column.format(links))]
    assert descending == sorted(ascending, reverse=True) and len(set(descending)) > 1
    page.evaluate("document.querySelectorAll('#kg-index th')[0].click()")
    assert page.evaluate("document.querySelectorAll('#kg-index th')[0].getAttribute('aria-sort')") == "ascending"
    assert page.evaluate(f"(function(){{var n = {column.format(0)}; return n.length > 2 && n.every("
                         "(x, i) => i === 0 || n[i - 1].localeCompare(x, 'zh-CN') <= 0);})()") is True
    assert_clean(page)
