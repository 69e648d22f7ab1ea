"""Interactive views of the graph (one offline HTML page each) and its networkx form.

    G = to_networkx(Path("build/graph.trig"))        # entities and links, with evidence
    write_view(G, Selection("ego", focus="涪陵区", depth=2), Path("ego.html"))
    write_default_views(Path("build/graph.trig"), Path("build/views"))   # what `kg build` writes
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.view.model import CLASSES, LINKS, to_networkx
from kg.view.select import HIDDEN_CLASSES, VIEW_TITLES, VIEWS, Selection, default_file_name, resolve_node, select

#: The views `kg build` writes into build/views/.
DEFAULT_VIEWS = ("who-runs", "programs-districts", "targets", "full")

__all__ = ["CLASSES", "DEFAULT_VIEWS", "LINKS", "VIEWS", "Selection", "default_file_name", "page_title",
           "resolve_node", "select", "to_networkx", "write_default_views", "write_view"]


def page_title(sel: Selection, G: nx.MultiDiGraph | None = None) -> str:
    title = VIEW_TITLES.get(sel.kind, sel.kind)
    if sel.kind == "ego" and sel.focus and G is not None:
        title = f"{G.nodes[resolve_node(G, sel.focus)]['label']} 的{title}"
    return f"{title}（{sel.kind}）"


def write_view(G: nx.MultiDiGraph, sel: Selection, out: Path,
               view: nx.MultiDiGraph | None = None) -> tuple[Path, nx.MultiDiGraph]:
    """Render a view of G (`view`, or select(G, sel) when not given) and write it atomically;
    returns the path and the view."""
    from kg.view.render import write_html

    view = select(G, sel) if view is None else view
    focus = resolve_node(G, sel.focus) if sel.focus else None
    path = write_html(view, Path(out), page_title(sel, G), sel.describe(), focus, HIDDEN_CLASSES.get(sel.kind, ()))
    return path, view


def write_default_views(graph, out_dir: Path) -> list[Path]:
    """Write who-runs.html, programs-districts.html, targets.html and full.html into out_dir
    (build/views/ when `kg build` calls it). `graph` is an rdflib Graph or a graph file; it is
    read once."""
    G = to_networkx(graph)
    return [write_view(G, Selection(kind), Path(out_dir) / f"{kind}.html")[0] for kind in DEFAULT_VIEWS]
