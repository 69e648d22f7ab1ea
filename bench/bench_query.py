"""Query speed on a graph of >= 1,000,000 triples in the project's own vocabulary.

Not a unit test: run `python bench/bench_query.py` and paste its table into README.
Generates, beside the real reference data a build loads (ontology, sector and target-group
schemes, areas), programs, groups with broader links, organizations, officials, posts,
indicators, titled articles and one ms:Evidence node per link (the bulk of the triples, as in
real builds); each article's links and indicators are repeated in its named graph. Measures, in one run: load time
into the store (target <= 10 s), the median time of every named query through the project's
path (kg.query.runner: name resolution, substitutions, materialized rows; target <= 50 ms)
and on raw pyoxigraph with the same text and bindings (ratio target <= 1.5x), and once on
rdflib's default in-memory store (reported, no target).
"""

from __future__ import annotations

import argparse
import random
import signal
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.graph import iri
from kg.graph.reference import reference_graph
from kg.reference import areas_table
from kg.graph.store import load_store, open_store
from kg.namespaces import MS
from kg.query.runner import PREFIX_MAP, bind_values, load_query, named_queries, resolve_term, run_query

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV = "http://www.w3.org/ns/prov#"
SECTORS = ["employment", "social-insurance", "elderly-care", "health", "education", "childcare",
           "social-assistance", "rural-revitalization", "housing-urban-renewal", "women-children", "public-services"]


def generate(path: Path, programs: int, seed: int = 7) -> int:
    rnd = random.Random(seed)
    areas = [a for a in areas_table() if a.level in ("District", "Subdistrict")]
    groups = [f"群体{i}" for i in range(60)]
    orgs = [f"机构{i}" for i in range(800)]
    officials = [f"官员{i}" for i in range(1500)]
    lines: list[str] = []
    n = 0

    def q(s, p, o, g=None):
        """As kg build writes it: every triple in the default graph, an article's claims also in its graph."""
        nonlocal n
        n += 1
        lines.append(f"{s} {p} {o} .\n")
        if g:
            lines.append(f"{s} {p} {o} {g} .\n")

    def lit(text):
        return '"' + text.replace('"', '\\"') + '"@zh'

    def node(u):
        return f"<{u}>"

    a_type, label, zh = f"<{RDF_TYPE}type>", f"<{LABEL}>", lit
    reference = reference_graph()
    lines.append(reference.serialize(format="nt"))
    n += len(reference)
    for k in range(1000):
        art = node(iri.article(f"bench-{k}"))
        q(art, a_type, node(MS.Article)); q(art, "<http://purl.org/dc/terms/title>", zh(f"文章{k}"))
    for i, g in enumerate(groups):
        q(node(iri.target_group(g)), a_type, node(MS.TargetGroup)); q(node(iri.target_group(g)), label, zh(g))
        if i >= 10:
            q(node(iri.target_group(g)), "<http://www.w3.org/2004/02/skos/core#broader>", node(iri.target_group(groups[i % 10])))
    for o in orgs:
        q(node(iri.organization(o)), a_type, node(MS.Organization)); q(node(iri.organization(o)), label, zh(o))
    for k, person in enumerate(officials):
        org = orgs[k % len(orgs)]
        post = iri.post(org, "局长")
        q(node(iri.official(person)), a_type, node(MS.Official)); q(node(iri.official(person)), label, zh(person))
        q(node(post), a_type, node(MS.Post)); q(node(post), label, zh(org + "局长"))
        q(node(post), node(MS.postTitle), zh("局长")); q(node(post), node(MS.postIn), node(iri.organization(org)))
        q(node(iri.official(person)), node(MS.holdsPost), node(post))
    for p in range(programs):
        name = f"项目{p}"
        prog = node(iri.program(name))
        art = node(iri.article(f"bench-{p % 1000}"))
        q(prog, a_type, node(MS.Program)); q(prog, label, zh(name)); q(prog, node(MS.mentionedIn), art)
        links = [(MS.implementedIn, iri.area(rnd.choice(areas).code)), (MS.implementedIn, iri.area(rnd.choice(areas).code)),
                 (MS.targets, iri.target_group(rnd.choice(groups))), (MS.inSector, iri.sector(rnd.choice(SECTORS))),
                 (MS.runBy, iri.organization(rnd.choice(orgs))), (MS.promotedBy, iri.official(rnd.choice(officials)))]
        for pred, obj in links:
            q(prog, node(pred), node(obj), art)
            ev = node(iri.evidence(ox.NamedNode(prog[1:-1]).value, str(pred), str(obj), f"bench-{p}", p))
            for pp, oo in [(f"<{RDF_TYPE}type>", node(MS.Evidence)), (f"<{RDF_TYPE}subject>", prog),
                           (f"<{RDF_TYPE}predicate>", node(pred)), (f"<{RDF_TYPE}object>", node(obj)),
                           (f"<{PROV}wasDerivedFrom>", art), (node(MS.sentence), zh(f"{name}的证据句子。")),
                           (node(MS.start), '"0"^^<http://www.w3.org/2001/XMLSchema#integer>'),
                           (node(MS.end), '"9"^^<http://www.w3.org/2001/XMLSchema#integer>')]:
                q(ev, pp, oo)
        ind = node(iri.indicator(f"bench-{p}", "指标", str(p), "人", p))
        for pp, oo in [(a_type, node(MS.Indicator)), (node(MS.metric), zh("指标")),
                       (node(MS.value), f'"{p}"^^<http://www.w3.org/2001/XMLSchema#decimal>'), (node(MS.unit), zh("人")),
                       (node(MS.measures), prog), (node(MS.sentence), zh("句子"))]:
            q(ind, pp, oo, art)
    path.write_text("".join(lines), encoding="utf-8")
    return n


PARAMS = {"district": "沙坪坝区", "program": "项目42", "official": "官员7", "group": "群体3", "subject": "项目42"}


def ms(value: float) -> str:
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"


def median_ms(fn, runs: int, budget_s: float = 0.5) -> float:
    """Median of at least `runs` runs; sub-millisecond queries run until `budget_s` is spent, so
    their median is not one timer tick."""
    fn()  # warm the store's caches
    times: list[float] = []
    spent = 0.0
    while len(times) < runs or (spent < budget_s and len(times) < 5000):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        spent += times[-1] / 1000
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=16_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--rdflib-timeout", type=int, default=120, help="seconds before an rdflib query is given up")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "bench.nq"
        triples = generate(data, args.programs)
        started = time.perf_counter()
        load_store(data, Path(tmp) / "store")
        load_s = time.perf_counter() - started
        store = open_store(Path(tmp))
        rows = []
        rdflib_ds = None
        if not args.skip_rdflib:
            from rdflib import Dataset

            def give_up(*_):
                raise TimeoutError

            signal.signal(signal.SIGALRM, give_up)
            started = time.perf_counter()
            rdflib_ds = Dataset()
            rdflib_ds.parse(data, format="nquads")
            rdflib_load = time.perf_counter() - started
        for name, named in named_queries().items():
            params = {k: PARAMS[k] for k, (_, required) in named.params.items() if required}
            whole = bool(not params and named.params)  # a listing of the whole graph, like who-runs
            ours = median_ms(lambda: list(run_query(store, name, params)), args.runs)
            text, _ = load_query(name)
            terms = {k: resolve_term(store, v) for k, v in params.items()}
            bound = bind_values(text, terms)
            raw = median_ms(lambda: list(store.query(bound, prefixes=PREFIX_MAP)),
                            args.runs)
            rdf_ms = None
            if rdflib_ds is not None:
                from rdflib import URIRef

                init = {k: URIRef(v.value) for k, v in terms.items()}
                started = time.perf_counter()
                signal.alarm(args.rdflib_timeout)  # rdflib is pure Python: the alarm interrupts it
                try:
                    list(rdflib_ds.query(text, initNs=PREFIX_MAP, initBindings=init))
                    rdf_ms = (time.perf_counter() - started) * 1000
                except TimeoutError:
                    rdf_ms = float("inf")
                finally:
                    signal.alarm(0)
            rows.append((name + (" (whole graph)" if whole or not named.params else ""), ours, raw, rdf_ms))
            if named.params and not any(req for _, req in named.params.values()):
                one = {k: PARAMS[k] for k in named.params if k in PARAMS and k != "object"}
                ours = median_ms(lambda: list(run_query(store, name, one)), args.runs)
                bound = bind_values(text, {k: resolve_term(store, v) for k, v in one.items()})
                raw = median_ms(lambda: list(store.query(bound, prefixes=PREFIX_MAP)), args.runs)
                rows.append((f"{name} ({', '.join(one)})", ours, raw, None))
    print(f"graph: {triples:,} triples ({args.programs:,} programs); store load {load_s:.1f} s"
          + ("" if args.skip_rdflib else f"; rdflib in-memory parse {rdflib_load:.1f} s"))
    print("| named query | project path ms (median) | raw pyoxigraph ms | ratio | rdflib in-memory ms (once) |")
    print("|---|---:|---:|---:|---:|")
    for name, ours, raw, rdf_ms in rows:
        rdf = "-" if rdf_ms is None else f"> {args.rdflib_timeout * 1000:,}" if rdf_ms == float("inf") else f"{rdf_ms:,.0f}"
        print(f"| {name} | {ms(ours)} | {ms(raw)} | {ours / raw if raw else float('nan'):.2f} | {rdf} |")


if __name__ == "__main__":
    main()
