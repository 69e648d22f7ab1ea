"""How long a big view takes to open: render in Python, then stabilize in headless Chromium.

Not a unit test: run `python bench/bench_view.py` (needs Chromium: apt-get install chromium
fonts-noto-cjk, or KG_CHROMIUM=/path) and paste its table into README.

For each size it generates a graph in the project's own shape (programs, areas in a hierarchy,
organizations, officials with posts, target groups, sectors, indicators; one ms:Evidence node
per link with its sentence and article), turns it into networkx (kg.view.to_networkx), renders
the full view (kg.view.render) and opens the file from file:// in headless Chromium. The page
sets window.__kgStabilizedMs (ms since navigation start) once the layout has stabilized and, for
big views, physics is off; the benchmark then checks physics stays off (positions do not move).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser import Chromium, find_chromium  # noqa: E402  (tests/browser.py: CDP over a pipe)

from kg.graph import iri  # noqa: E402
from kg.namespaces import MS  # noqa: E402
from kg.view import Selection, select, to_networkx  # noqa: E402
from kg.files import atomic_write  # noqa: E402
from kg.view.render import BIG_VIEW, render_html  # noqa: E402

SECTORS = ["employment", "social-insurance", "elderly-care", "health", "education", "childcare",
           "social-assistance", "rural-revitalization", "housing-urban-renewal", "women-children", "public-services"]


def generate(n_nodes: int, seed: int = 7) -> Graph:
    """A graph of about n_nodes entities and 1.6 links per entity, every text link with evidence."""
    rnd = random.Random(seed)
    g = Graph()
    zh = lambda s: Literal(s, lang="zh")  # noqa: E731
    n_articles = max(5, n_nodes // 50)
    articles = [iri.article(f"bench-{i}") for i in range(n_articles)]
    for i, art in enumerate(articles):
        g.add((art, RDF.type, MS.Article))
        g.add((art, DCTERMS.title, zh(f"民生新闻第{i}篇")))
        g.add((art, DCTERMS.date, Literal(f"2025-{1 + i % 12:02d}-01", datatype=XSD.date)))

    def entity(node, cls, label, alias=None):
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, zh(label)))
        if alias:
            g.add((node, SKOS.altLabel, zh(alias)))
        g.add((node, MS.mentionedIn, rnd.choice(articles)))
        return node

    def link(s, p, o):
        g.add((s, p, o))
        art = rnd.choice(articles)
        start = rnd.randrange(10_000)
        ev = iri.evidence(s, p, o, str(art).rsplit("/", 1)[-1], start)
        for triple in [(ev, RDF.type, MS.Evidence), (ev, RDF.subject, s), (ev, RDF.predicate, p), (ev, RDF.object, o),
                       (ev, PROV.wasDerivedFrom, art), (ev, MS.sentence, zh(f"证据句子{start}：项目推进顺利。")),
                       (ev, MS.start, Literal(start)), (ev, MS.end, Literal(start + 20))]:
            g.add(triple)

    share = {"program": 0.30, "area": 0.15, "org": 0.12, "official": 0.12, "post": 0.12, "group": 0.04}
    counts = {k: max(2, int(n_nodes * v)) for k, v in share.items()}
    sectors = [entity(iri.sector(k), MS.Sector, f"领域{k}") for k in SECTORS]
    city = entity(iri.area("500000"), MS.Municipality, "重庆市", "重庆")
    districts = [entity(iri.area(f"5001{i:02d}"), MS.District, f"区县{i}区", f"区县{i}") for i in range(38)]
    areas = [city, *districts]
    for d in districts:
        g.add((d, MS.partOf, city))
    for i in range(counts["area"] - len(areas)):
        parent = rnd.choice(districts)
        a = entity(iri.area(f"{str(parent).rsplit('/', 1)[-1]}{i:05d}"), MS.Subdistrict, f"街道{i}")
        g.add((a, MS.partOf, parent))
        areas.append(a)
    groups = [entity(iri.target_group(f"群体{i}"), MS.TargetGroup, f"群体{i}") for i in range(counts["group"])]
    orgs = [entity(iri.organization(f"机构{i}"), MS.Organization, f"重庆市机构{i}", f"市机构{i}")
            for i in range(counts["org"])]
    officials = [entity(iri.official(f"官员{i}"), MS.Official, f"官员{i}") for i in range(counts["official"])]
    for i in range(counts["post"]):
        org, person = rnd.choice(orgs), rnd.choice(officials)
        post = entity(iri.post(f"机构{i}", "局长"), MS.Post, f"机构{i}局长")
        g.add((post, MS.postTitle, zh("局长")))
        g.add((post, MS.postIn, org))
        link(person, MS.holdsPost, post)
        link(person, MS.memberOf, org)
    programs = [entity(iri.program(f"项目{i}"), MS.Program, f"民生项目{i}号", f"项目{i}") for i in range(counts["program"])]
    for p in programs:
        link(p, MS.implementedIn, rnd.choice(areas))
        link(p, MS.inSector, rnd.choice(sectors))
        if rnd.random() < 0.5:
            link(p, MS.targets, rnd.choice(groups))
        if rnd.random() < 0.4:
            link(p, MS.runBy, rnd.choice(orgs))
        if rnd.random() < 0.3:
            link(p, MS.promotedBy, rnd.choice(officials))
    for org in orgs:
        link(org, MS.jurisdiction, rnd.choice(areas[:39]))
    made = 11 + len(areas) + len(groups) + len(orgs) + len(officials) + counts["post"] + len(programs)
    for i in range(max(0, n_nodes - made)):
        ind = iri.indicator("bench", f"指标{i}", str(i), "人", i)
        g.add((ind, RDF.type, MS.Indicator))
        g.add((ind, RDFS.label, zh(f"指标{i} {i}人")))
        g.add((ind, MS.metric, zh(f"指标{i}")))
        g.add((ind, MS.value, Literal(str(i), datatype=XSD.decimal)))
        g.add((ind, MS.unit, zh("人")))
        g.add((ind, MS.measures, rnd.choice(programs)))
        g.add((ind, PROV.wasDerivedFrom, rnd.choice(articles)))
        g.add((ind, MS.sentence, zh(f"指标句子{i}。")))
    return g


def measure(browser: Chromium, path: Path, timeout: float) -> dict:
    page = browser.new_page()
    try:
        started = time.perf_counter()
        page.goto(path.as_uri(), timeout=timeout)
        loaded = time.perf_counter() - started
        page.wait_for("window.__kgStabilized === true", timeout=timeout, interval=0.1)
        wall = time.perf_counter() - started
        stabilized_ms = page.evaluate("window.__kgStabilizedMs")
        physics = page.evaluate("kg.network.physics.physicsEnabled")
        before = page.evaluate("JSON.stringify(kg.network.getPositions(kg.nodes.getIds().slice(0, 50)))")
        time.sleep(1.0)
        after = page.evaluate("JSON.stringify(kg.network.getPositions(kg.nodes.getIds().slice(0, 50)))")
        counts = page.evaluate("[kg.nodes.length, kg.edges.length]")
        errors = page.console_errors()
    finally:
        page.close()
    return {"load_s": loaded, "stabilized_s": stabilized_ms / 1000, "wall_s": wall, "physics_on": physics,
            "still": before == after, "counts": counts, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--keep", type=Path, help="Keep the generated pages in this folder.")
    args = parser.parse_args()
    if not find_chromium():
        sys.exit("bench_view: Chromium not found (apt-get install chromium fonts-noto-cjk, or set KG_CHROMIUM)")
    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-view-"))
    rows = []
    with Chromium() as browser:
        print(f"browser: {browser.version}", file=sys.stderr)
        for n in args.sizes:
            t0 = time.perf_counter()
            rdf = generate(n)
            t1 = time.perf_counter()
            G = to_networkx(rdf)
            view = select(G, Selection("full"))
            t2 = time.perf_counter()
            html = render_html(view, f"bench {n}")
            path = atomic_write(out_dir / f"bench-{n}.html", html)
            t3 = time.perf_counter()
            m = measure(browser, path, args.timeout)
            rows.append((n, view.number_of_edges(), len(html.encode("utf-8")) / 1e6, t2 - t1, t3 - t2, m))
            print(f"{n} nodes: generated in {t1 - t0:.1f}s, {m}", file=sys.stderr)
    print("| nodes | links | page MB | to_networkx s | render s | browser: stabilized s | physics after | errors |")
    print("|---:|---:|---:|---:|---:|---:|---|---|")
    for n, e, mb, t_nx, t_render, m in rows:
        physics = "on (small view)" if m["physics_on"] else ("off, still" if m["still"] else "off, moving?")
        print(f"| {m['counts'][0]:,} | {m['counts'][1]:,} | {mb:.1f} | {t_nx:.2f} | {t_render:.2f} | "
              f"{m['stabilized_s']:.1f} | {physics} | {len(m['errors'])} |")
    print(f"\nBIG_VIEW = {BIG_VIEW} nodes: from there on physics stops after stabilization. "
          f"Seconds until stabilized are counted from navigation start (page parse included).")


if __name__ == "__main__":
    main()
