"""One self-contained, offline HTML page per view, drawn with pyvis's vis-network.

pyvis builds the node and edge records and carries the vis-network library it ships; the page
itself comes from our own template (kg/view/templates/view.html.j2), because pyvis's template
loads Bootstrap from a CDN in every mode. The page:

- inlines vis-network's JS and CSS: no URL is fetched, it works from a USB stick;
- carries the data as JSON in a <script type="application/json"> block with <, >, & and the
  line separators escaped as \\u003c etc., so no corpus text can close the block;
- builds every tooltip and the details panel as DOM nodes with textContent, never innerHTML;
- forbids any other script with a Content-Security-Policy of script hashes (inline event
  handlers such as onerror=… cannot run even if markup got through);
- colours and shapes nodes by class, sizes them by degree, and has a search box over labels and
  aliases; a click on a legend entry hides or shows that class or link type (`hidden_classes`
  start hidden: the full view's indicators), hidden nodes take no part in the layout;
- labels: once laid out, the biggest nodes' labels are drawn at LABEL_PX on screen whatever the
  zoom, the others at their own size, hidden while smaller than LABEL_MIN_PX (zoom in or hover);
- stabilizes, then turns physics off at every size, so the page comes to rest (vis-network's
  forceAtlas2 never falls below minVelocity on a few hundred nodes and drifts forever); big
  views (BIG_VIEW nodes or more) stabilize a bounded number of iterations from seed positions,
  with improvedLayout off and straight edges. When stabilized the page sets
  window.__kgStabilized (and __kgStabilizedMs) for tests and benchmarks.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path

import networkx as nx

from kg.files import atomic_write

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: From this many nodes on, the layout is a bounded number of steps from seed positions.
BIG_VIEW = 1000

#: On-screen label sizes (px) at the default zoom: the biggest nodes' labels, and the least a
#: label is drawn at (smaller ones are left out until one zooms in; the tooltip names every node).
LABEL_PX = 14
LABEL_MIN_PX = 9

FONT = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', "
        "'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif")

#: class -> (Chinese name, colour, vis shape); shapes all draw the label below the node, so size shows degree
CLASS_STYLE = {
    "Program": ("民生项目", "#e8590c", "dot"),
    "AdministrativeArea": ("行政区", "#2f9e44", "square"),
    "Official": ("官员", "#1c7ed6", "triangle"),
    "Organization": ("机构", "#7048e8", "diamond"),
    "TargetGroup": ("服务对象", "#d6336c", "star"),
    "Sector": ("领域", "#0c8599", "hexagon"),
    "Post": ("职务", "#868e96", "triangleDown"),
    "Indicator": ("指标", "#f2b705", "dot"),  # drawn with a dashed border
}

LEVEL_ZH = {"Municipality": "直辖市", "District": "区县", "Subdistrict": "街道/镇/乡", "Community": "社区/村"}

#: link -> (Chinese reading of "source LINK target", colour)
LINK_STYLE = {
    "implementedIn": ("实施于", "#2f9e44"),
    "targets": ("面向", "#d6336c"),
    "inSector": ("属于领域", "#0c8599"),
    "runBy": ("主办机构", "#7048e8"),
    "promotedBy": ("推动者", "#1c7ed6"),
    "holdsPost": ("担任", "#868e96"),
    "postIn": ("职务所在", "#adb5bd"),
    "memberOf": ("任职于", "#4263eb"),
    "jurisdiction": ("管辖", "#74b816"),
    "partOf": ("隶属于", "#a9e34b"),
    "measures": ("度量", "#e0a800"),
    "broader": ("上位群体", "#f783ac"),
}

MAX_TIP_ARTICLES = 8
MAX_TIP_EVIDENCE = 5
EDGE_LABELS_UP_TO = 300  # edges; beyond that labels only clutter (the tooltip names the link)


def _json_for_script(value) -> str:
    """JSON that is safe inside <script>: no '</script>', no '<!--', no HTML entity, no U+2028."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _node_tip(data: dict, degree: int) -> list[list[str]]:
    cls = data.get("class", "")
    zh = CLASS_STYLE.get(cls, (cls,))[0]
    rows = [["h", data.get("label", "")],
            ["c", " · ".join(x for x in (zh, cls, LEVEL_ZH.get(data.get("level", ""), "")) if x)]]
    if data.get("aliases"):
        rows.append(["k", "别名", "、".join(data["aliases"])])
    if cls == "Indicator":
        rows += [["k", "指标", data.get("metric", "")],
                 ["k", "数值", f"{data.get('value', '')} {data.get('unit', '')}".strip()],
                 ["k", "时期", data.get("period", "") or "—"]]
    rows.append(["k", "关系", f"{degree} 条（本视图）"])
    titles = data.get("articles", [])
    if titles:
        rows.append(["k", "来源文章", f"{len(titles)} 篇"])
        rows += [["s", f"《{t}》"] for t in titles[:MAX_TIP_ARTICLES]]
        if len(titles) > MAX_TIP_ARTICLES:
            rows.append(["m", f"…另有 {len(titles) - MAX_TIP_ARTICLES} 篇"])
    rows.append(["m", data.get("iri", "")])
    return rows


def _edge_tip(G: nx.MultiDiGraph, s: str, o: str, data: dict) -> list[list[str]]:
    link = data.get("link", "")
    rows = [["h", f"{G.nodes[s].get('label', s)} → {G.nodes[o].get('label', o)}"],
            ["c", f"{LINK_STYLE.get(link, (link,))[0]} · {link}"]]
    evidence = data.get("evidence") or []
    for ev in evidence[:MAX_TIP_EVIDENCE]:
        rows.append(["q", ev.get("sentence", "")])
        rows.append(["s", " ".join(x for x in (f"《{ev.get('article', '')}》", ev.get("date", "")) if x)])
    if len(evidence) > MAX_TIP_EVIDENCE:
        rows.append(["m", f"…另有 {len(evidence) - MAX_TIP_EVIDENCE} 条证据"])
    if not evidence:
        rows.append(["m", "参考数据或结构关系（无原文证据）"])
    return rows


def vis_options(n_nodes: int, n_edges: int) -> dict:
    """vis-network options: physics that settles (the page turns it off once stabilized)."""
    big = n_nodes >= BIG_VIEW
    if big:
        # vis-network's Barnes-Hut step costs ~12 µs per node (125 ms at 10,000 nodes in headless
        # Chromium), so the number of steps shrinks as the view grows: ~10 s of layout at most
        iterations = max(80, min(300, 800_000 // max(1, n_nodes)))
        physics = {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -3000, "centralGravity": 0.3, "springLength": 95,
                          "springConstant": 0.04, "damping": 0.5, "avoidOverlap": 0, "theta": 1.0},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 10, "fit": True},
            "minVelocity": 1.0,
            "timestep": 0.5,
            "adaptiveTimestep": False,  # adaptive steps compute every tick twice
        }
    else:
        physics = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "centralGravity": 0.01, "springLength": 110,
                                 "springConstant": 0.08, "damping": 0.6, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 25, "fit": True},
            "minVelocity": 0.75,
            "timestep": 0.5,
            "adaptiveTimestep": True,
        }
    return {
        "autoResize": True,
        "layout": {"improvedLayout": n_nodes <= 200, "randomSeed": 7},
        "nodes": {"font": {"face": FONT, "size": LABEL_PX, "color": "#212529", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  # drawThreshold: vis draws a label from drawThreshold - 1 px; maxVisible caps zoomed-in hub labels
                  "scaling": {"label": {"drawThreshold": LABEL_MIN_PX + 1, "maxVisible": 2 * LABEL_PX}},
                  "borderWidth": 1, "borderWidthSelected": 3},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.4},
                  "font": {"face": FONT, "size": 10, "color": "#495057", "strokeWidth": 3, "align": "middle"},
                  "selectionWidth": 2, "hoverWidth": 1},
        "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "keyboard": {"enabled": True, "bindToWindow": False}},
        "physics": physics,
    }


GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def seed_positions(G: nx.MultiDiGraph, spacing: float = 40.0) -> dict[str, tuple[float, float]]:
    """Starting positions for big views, so a bounded number of physics steps suffices: nodes in
    breadth-first order from the biggest hubs, laid on a sunflower spiral; neighbours start near
    each other instead of at random. Linear in nodes and links."""
    U = G.to_undirected(as_view=True)
    degree = dict(U.degree())
    order, seen = [], set()
    for start in sorted(U, key=lambda n: (-degree[n], n)):
        if start in seen:
            continue
        seen.add(start)
        queue, head = [start], 0
        while head < len(queue):
            node = queue[head]
            head += 1
            for nb in sorted(U.adj[node], key=lambda n: (-degree[n], n)):
                if nb not in seen:
                    seen.add(nb)
                    queue.append(nb)
        order += queue
    return {n: (round(spacing * math.sqrt(i) * math.cos(i * GOLDEN_ANGLE), 1),
                round(spacing * math.sqrt(i) * math.sin(i * GOLDEN_ANGLE), 1)) for i, n in enumerate(order)}


class _IdList(list):
    """pyvis keeps node ids in a list and tests membership per node and edge (quadratic);
    this list answers `in` from a set, so 10,000 nodes take milliseconds."""

    def __init__(self):
        super().__init__()
        self._ids = set()

    def append(self, item):
        super().append(item)
        self._ids.add(item)

    def __contains__(self, item):
        return item in self._ids


def network_data(G: nx.MultiDiGraph, focus: str | None = None, hidden_classes=()) -> dict:
    """The vis-network records of a view, built with pyvis: nodes, edges, options, and what the
    page starts with hidden."""
    from pyvis.network import Network  # lazy: pyvis imports IPython

    net = Network(directed=True, cdn_resources="in_line")
    net.node_ids = _IdList()
    degrees = dict(G.degree())
    positions = seed_positions(G) if G.number_of_nodes() >= BIG_VIEW else {}
    for n, data in G.nodes(data=True):
        cls = data.get("class", "")
        _, color, shape = CLASS_STYLE.get(cls, ("", "#adb5bd", "dot"))
        degree = degrees.get(n, 0)
        extra = {"shapeProperties": {"borderDashes": [4, 3]}, "borderWidth": 2} if cls == "Indicator" else {}
        if n in positions:
            extra["x"], extra["y"] = positions[n]
        net.add_node(
            n,
            label=data.get("label") or n,
            shape=shape,
            color={"background": color, "border": "#343a40" if cls == "Indicator" else color,
                   "highlight": {"background": color, "border": "#000000"},
                   "hover": {"background": color, "border": "#000000"}},
            size=round(min(60.0, 9 + 5 * math.sqrt(degree)), 1),
            cls=cls,
            deg=degree,
            names=[x for x in [data.get("label", ""), *data.get("aliases", ())] if x],
            tip=_node_tip(data, degree),
            **extra,
        )
    labels = G.number_of_edges() <= EDGE_LABELS_UP_TO
    for i, (s, o, data) in enumerate(G.edges(data=True)):
        link = data.get("link", "")
        zh, color = LINK_STYLE.get(link, (link, "#adb5bd"))
        n_evidence = len(data.get("evidence") or [])
        record = {"id": f"e{i}", "color": {"color": color, "highlight": "#000000", "hover": "#000000", "opacity": 0.85},
                  "width": round(1 + math.log2(1 + n_evidence), 2), "link": link, "tip": _edge_tip(G, s, o, data)}
        if labels:
            record["label"] = zh
        net.add_edge(s, o, **record)
    net.options = vis_options(G.number_of_nodes(), G.number_of_edges())
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": json.loads(options),
            "big": G.number_of_nodes() >= BIG_VIEW, "focus": focus if focus in G else None,
            "hidden": {"classes": [c for c in CLASS_STYLE if c in set(hidden_classes)], "links": []},
            "labels": {"px": LABEL_PX, "minPx": LABEL_MIN_PX}}


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """vis-network as pyvis ships it, plus our page script; checked safe to inline."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    assets = {
        "vis_js": (lib / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": (lib / "vis-network.css").read_text(encoding="utf-8"),
        "app_js": (TEMPLATES / "view.js").read_text(encoding="utf-8"),
        "app_css": (TEMPLATES / "view.css").read_text(encoding="utf-8"),
    }
    for name, text in assets.items():
        closing = "</script" if name.endswith("js") else "</style"
        if closing in text.lower():
            raise RuntimeError(f"{name} cannot be inlined: it contains {closing}")
    return assets


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    return env.get_template("view.html.j2")


def render_html(G: nx.MultiDiGraph, title: str, subtitle: str = "", focus: str | None = None,
                hidden_classes=()) -> str:
    """The page of a view as one HTML string (every corpus text escaped, no external URL);
    nodes of `hidden_classes` start hidden (a click on their legend entry shows them)."""
    from markupsafe import Markup

    assets = _assets()
    data = network_data(G, focus, hidden_classes)
    class_counts = {}
    for _, cls in G.nodes(data="class"):
        class_counts[cls] = class_counts.get(cls, 0) + 1
    link_counts = {}
    for _, _, link in G.edges(data="link"):
        link_counts[link] = link_counts.get(link, 0) + 1
    legend_classes = [{"key": c, "zh": s[0], "color": s[1], "shape": s[2], "count": class_counts[c],
                       "off": c in data["hidden"]["classes"]}
                      for c, s in CLASS_STYLE.items() if c in class_counts]
    legend_links = [{"key": k, "zh": s[0], "color": s[1], "count": link_counts[k]}
                    for k, s in LINK_STYLE.items() if k in link_counts]
    csp = ("default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; font-src data:; "
           f"script-src {_csp_hash(assets['vis_js'])} {_csp_hash(assets['app_js'])}; "
           "base-uri 'none'; form-action 'none'")
    return _template().render(
        title=title,
        subtitle=subtitle,
        n_nodes=G.number_of_nodes(),
        n_edges=G.number_of_edges(),
        big=data["big"],
        legend_classes=legend_classes,
        legend_links=legend_links,
        csp=csp,
        font=Markup(FONT),
        vis_js=Markup(assets["vis_js"]),
        vis_css=Markup(assets["vis_css"]),
        app_js=Markup(assets["app_js"]),
        app_css=Markup(assets["app_css"]),
        data_json=Markup(_json_for_script(data)),
    )


def write_html(G: nx.MultiDiGraph, path: Path, title: str, subtitle: str = "", focus: str | None = None,
               hidden_classes=()) -> Path:
    """Render a view and write it atomically as UTF-8."""
    return atomic_write(Path(path), render_html(G, title, subtitle, focus, hidden_classes))
