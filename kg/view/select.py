"""Views: which part of the graph a page shows, and the filters that narrow it.

    who-runs            officials and organizations → programs (runBy, promotedBy, memberOf, holdsPost)
    programs-districts  programs ↔ areas (implementedIn), with the areas' parents (partOf)
    targets             programs ↔ target groups (targets, skos:broader between groups)
    full                everything
    ego                 everything within --depth links of --focus; a hub (HUB_DEGREE links or more,
                        such as 重庆市) is shown but not expanded, so the view stays small

Filters keep the programs that match (--sector: in that sector; --district: implemented in that
district or any area inside it) and what hangs off them; --article keeps what one article says.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import networkx as nx

from kg.errors import UsageError
from kg.suggest import close_names

#: view name -> (links that define it, links added only between nodes already in it)
VIEW_LINKS: dict[str, tuple[frozenset[str] | None, frozenset[str]]] = {
    "who-runs": (frozenset({"runBy", "promotedBy", "memberOf", "holdsPost"}), frozenset({"postIn"})),
    "programs-districts": (frozenset({"implementedIn"}), frozenset({"partOf"})),
    "targets": (frozenset({"targets"}), frozenset({"broader"})),
    "full": (None, frozenset()),
    "ego": (None, frozenset()),
}
VIEWS = tuple(VIEW_LINKS)

#: Classes a view's page starts with hidden (its legend shows them on a click): the full view's
#: indicators are a third of its nodes and crowd out the programs they measure.
HIDDEN_CLASSES = {"full": ("Indicator",)}

#: What each view is for, shown as the page's subtitle and in `kg view --help`.
VIEW_TITLES = {
    "who-runs": "谁在推动：官员、机构与民生项目",
    "programs-districts": "项目落地：民生项目与行政区",
    "targets": "服务对象：民生项目与人群",
    "full": "民生知识图谱全图",
    "ego": "关系网",
}

_PROGRAM_VIEWS = {"who-runs", "programs-districts", "targets"}

#: An ego view shows a node with this many links or more but does not walk on through it:
#: 重庆市 (169 links in the corpus) would otherwise pull every district into any district's view.
HUB_DEGREE = 40


@dataclass
class Selection:
    """The options of one view, as `kg view` takes them."""

    kind: str = "full"
    focus: str | None = None
    depth: int = 1
    sector: str | None = None
    district: str | None = None
    article: str | None = None
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = []
        if self.focus:
            parts.append(f"焦点 {self.focus}" + (f"（{self.depth} 层）" if self.kind == "ego" else ""))
        if self.sector:
            parts.append(f"领域 {self.sector}")
        if self.district:
            parts.append(f"地区 {self.district}")
        if self.article:
            parts.append(f"文章 {self.article}")
        return " · ".join(parts)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().strip("“”‘’「」\"'").casefold()


def _names(G: nx.MultiDiGraph, n: str) -> list[str]:
    data = G.nodes[n]
    return [data.get("label", ""), *data.get("aliases", ())]


def resolve_node(G: nx.MultiDiGraph, name: str, classes: tuple[str, ...] | None = None, what: str = "entity") -> str:
    """The node a user means by NAME: an IRI, a label, an alias (short form), or the end of an
    IRI (msr:sector/employment → employment). Unknown names raise UsageError with close matches."""
    candidates = [n for n in G if classes is None or G.nodes[n].get("class") in classes]
    value = name.strip()
    if value in G and value in candidates:
        return value
    if value.startswith("msr:"):
        value = "https://w3id.org/minsheng-kg/id/" + value[4:]
        if value in candidates:
            return value
    key = _norm(value)
    exact = [n for n in candidates if any(_norm(x) == key for x in _names(G, n))]
    if not exact:
        exact = [n for n in candidates if _norm(n.rstrip("/").rsplit("/", 1)[-1]) == key]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        # a label beats an alias; then the broader class order (a district before a homonymous street)
        by_label = [n for n in exact if _norm(G.nodes[n]["label"]) == key]
        if len(by_label) == 1:
            return by_label[0]
        listed = ", ".join(f"{G.nodes[n]['label']} <{n}>" for n in sorted(exact)[:5])
        raise UsageError(f"{name!r} names several {what}s: {listed}; give the IRI")
    close = close_names(value, sorted({x for n in candidates for x in _names(G, n) if x}), n=5)
    hint = (f"; did you mean {', '.join(close)}?" if close
            else "; no name in the graph is close to it (`kg list` shows the names there are)")
    raise UsageError(f"no {what} is called {name!r}{hint}")


def resolve_article(G: nx.MultiDiGraph, name: str) -> str:
    """An article by IRI, by id (the end of its IRI), by exact title or by a unique part of its title."""
    articles: dict[str, dict] = G.graph.get("articles", {})
    value = name.strip()
    if value in articles:
        return value
    key = _norm(value)
    for field_ in ("id", "title"):
        hits = [a for a, info in articles.items()
                if _norm(a.rsplit("/", 1)[-1] if field_ == "id" else info["title"]) == key]
        if len(hits) == 1:
            return hits[0]
    hits = [a for a, info in articles.items() if key and key in _norm(info["title"])]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        listed = "; ".join(f"{articles[a]['title']} ({a.rsplit('/', 1)[-1]})" for a in sorted(hits)[:5])
        raise UsageError(f"--article {name!r} matches several articles: {listed}; give its id")
    titles = sorted({info["title"] for info in articles.values()})
    close = difflib.get_close_matches(value, titles, n=3, cutoff=0.3)
    if not close:  # a few characters in common is how Chinese titles are half-remembered
        close = [t for t in titles if len(set(key) & set(_norm(t))) >= min(2, len(set(key)))][:3]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"no article is called {name!r}{hint}")


def _descendant_areas(G: nx.MultiDiGraph, area: str) -> set[str]:
    """The area and every area inside it (partOf, transitively)."""
    found, todo = {area}, [area]
    while todo:
        node = todo.pop()
        for child, _, link in G.in_edges(node, keys=True):
            if link == "partOf" and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _ancestor_areas(G: nx.MultiDiGraph, area: str) -> set[str]:
    found, node = set(), area
    while True:
        parents = [o for _, o, link in G.out_edges(node, keys=True) if link == "partOf" and o not in found]
        if not parents:
            return found
        node = parents[0]
        found.add(node)


def _programs(G) -> set[str]:
    return {n for n, c in G.nodes(data="class") if c == "Program"}


def apply_filters(G: nx.MultiDiGraph, sel: Selection) -> tuple[nx.MultiDiGraph, set[str] | None]:
    """G narrowed by --sector, --district and --article (a new graph, or G itself when they drop
    nothing). Returns the graph and the programs the program filters kept (None when no program
    filter is active)."""
    keep_nodes = set(G)
    kept_programs: set[str] | None = None
    if sel.sector:
        sector = resolve_node(G, sel.sector, ("Sector",), "sector")
        in_sector = {s for s, _, link in G.in_edges(sector, keys=True) if link == "inSector"}
        kept_programs = _programs(G) & in_sector
    if sel.district:
        district = resolve_node(G, sel.district, ("AdministrativeArea",), "district or area")
        inside = _descendant_areas(G, district)
        here = {s for a in inside for s, _, link in G.in_edges(a, keys=True) if link == "implementedIn"}
        matching = _programs(G) & here
        kept_programs = matching if kept_programs is None else kept_programs & matching
        areas = {n for n, c in G.nodes(data="class") if c == "AdministrativeArea"}
        keep_nodes -= areas - inside - _ancestor_areas(G, district)
    if kept_programs is not None:
        dropped = _programs(G) - kept_programs
        keep_nodes -= dropped
        # indicators about a dropped program go with it
        keep_nodes -= {s for p in dropped for s, _, link in G.in_edges(p, keys=True) if link == "measures"}
    if len(keep_nodes) == len(G) and not sel.article:
        return G, kept_programs  # nothing filtered out: G itself, not a copy (select never changes it)
    H = G.subgraph(keep_nodes)
    if sel.article:
        art = resolve_article(G, sel.article)
        nodes = {n for n in H if art in H.nodes[n].get("article_iris", ())}
        edges = [(s, o, k) for s, o, k, ev in H.subgraph(nodes).edges(keys=True, data="evidence")
                 if not ev or any(r["article_iri"] == art for r in ev)]
        H = H.edge_subgraph(edges).copy()
        H.add_nodes_from((n, G.nodes[n]) for n in nodes)
    return nx.MultiDiGraph(H), kept_programs


def select(G: nx.MultiDiGraph, sel: Selection) -> nx.MultiDiGraph:
    """The subgraph a view shows (a new graph; G is not changed)."""
    if sel.kind not in VIEW_LINKS:
        close = difflib.get_close_matches(sel.kind, VIEWS, n=2)
        raise UsageError(f"no view is called {sel.kind!r}" + (f"; did you mean {', '.join(close)}?" if close else
                                                              f"; views: {', '.join(VIEWS)}"))
    if sel.kind == "ego" and not sel.focus:
        raise UsageError("the ego view needs --focus NAME (a label, a short form or an IRI)")
    if sel.depth < 1:
        raise UsageError("--depth must be 1 or more")
    focus = resolve_node(G, sel.focus) if sel.focus else None
    H, kept_programs = apply_filters(G, sel)
    if focus is not None and focus not in H:
        raise UsageError(f"{sel.focus!r} is not in the view once the filters ({sel.describe()}) are applied")

    if sel.kind == "ego":
        return _in_order_of(G, H.subgraph(_ego_nodes(H, focus, sel.depth)))

    core, context = VIEW_LINKS[sel.kind]
    if core is None:
        view = H
    else:
        edges = [(s, o, k) for s, o, k in H.edges(keys=True) if k in core]
        view = nx.MultiDiGraph(H.edge_subgraph(edges))
        if sel.kind == "programs-districts":  # the parents of the areas, so the hierarchy reads
            for area in [n for n in view if view.nodes[n]["class"] == "AdministrativeArea"]:
                view.add_nodes_from((a, H.nodes[a]) for a in _ancestor_areas(H, area))
        view.add_edges_from((s, o, k, d) for s, o, k, d in H.edges(keys=True, data=True)
                            if k in context and s in view and o in view)
    if kept_programs is not None:
        # what hangs off the kept programs: everything their links lead to (areas and their parents,
        # officials and their posts, organizations), and the indicators that measure them
        programs = kept_programs & set(view)
        keep = set(programs)
        for p in programs:
            keep |= nx.descendants(view, p)
            keep |= {s for s, _, link in view.in_edges(p, keys=True) if link == "measures"}
        view = view.subgraph(keep)
    elif sel.kind in _PROGRAM_VIEWS:
        # keep what hangs together with a program: no stray memberships or areas
        programs = _programs(view)
        keep = set()
        for part in nx.weakly_connected_components(view):
            if part & programs:
                keep |= part
        view = view.subgraph(keep)
    if focus is not None and focus not in view:  # the page would open on nothing in particular
        raise UsageError(f"{sel.focus!r} is not in the {sel.kind} view; try `kg view ego --focus {sel.focus}`")
    return _in_order_of(G, view)


def _ego_nodes(H: nx.MultiDiGraph, focus: str, depth: int) -> set[str]:
    """The nodes within `depth` links of focus, walking through no hub but the focus itself."""
    U = H.to_undirected(as_view=True)
    found, frontier = {focus}, [focus]
    for _ in range(depth):
        step = []
        for node in frontier:
            if node != focus and U.degree(node) >= HUB_DEGREE:
                continue
            for nb in U.adj[node]:
                if nb not in found:
                    found.add(nb)
                    step.append(nb)
        frontier = step
    return found


def _in_order_of(G: nx.MultiDiGraph, view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `view` with its nodes and links in G's order (G is sorted by IRI): subgraph views
    iterate a set, whose order changes from run to run, and the page would with it."""
    ordered = nx.MultiDiGraph()
    ordered.graph.update(view.graph)
    ordered.add_nodes_from((n, view.nodes[n]) for n in G if n in view)
    ordered.add_edges_from((s, o, k, view.edges[s, o, k]) for s, o, k in G.edges(keys=True) if view.has_edge(s, o, k))
    return ordered


_SAFE_NAME = re.compile(r"[^\w\u4e00-\u9fff.-]+")


def default_file_name(sel: Selection) -> str:
    """who-runs.html, ego-涪陵区.html, targets-涪陵.html, full-sector-就业.html: readable and safe on
    every OS. A view with --focus or a filter never gets the default view's name (KIND.html)."""
    parts = [sel.kind]
    if sel.focus:  # an IRI or msr:area/500102 is named by its last segment
        parts.append(re.split(r"[/#]", sel.focus.strip().rstrip("/#"))[-1])
    for flag in ("sector", "district", "article"):
        value = getattr(sel, flag)
        if value:
            parts += [flag, value]
    name = "-".join(_SAFE_NAME.sub("_", p).strip("_") or "_" for p in parts)
    return name[:120] + ".html"
