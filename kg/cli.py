"""The `kg` command line: one command per verb of the pipeline.

corpus → build (extract + graph + store + views) → query / view / serve / push / eval.
Every user-facing failure is one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer
from typer.core import TyperGroup

from kg.errors import KgError, UsageError

try:  # typer 0.2x vendors its own click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer on the real click
    from click import exceptions as click_errors


class _OneLineErrors(TyperGroup):
    """Click's own errors (a bad option value, an unknown or missing option) as one line
    `kg: error: …` too, instead of the usage block and framed box typer prints."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except getattr(click_errors, "NoArgsIsHelpError", ()):  # plain `kg`: the help, as typer shows it
            return super().main(args, prog_name, complete_var, standalone_mode=True, **extra)
        except click_errors.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            typer.echo(f"kg: error: {' '.join(exc.format_message().split())}{hint}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("kg: error: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    name="kg",
    help=(
        "minsheng-kg: a knowledge graph of Chongqing's livelihood (民生) programs.\n\n"
        "Typical session:  kg build  →  kg query --list  →  kg query programs-in-district "
        "--param district=沙坪坝  →  kg view who-runs"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs 80 ms of imports on every --help
)


def _fail(message: str, code: int) -> None:
    typer.echo(f"kg: error: {message}", err=True)
    raise typer.Exit(code)


def user_errors(func: Callable) -> Callable:
    """Turn KgError and OS errors into one line on stderr with the right exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            _fail(str(exc), exc.exit_code)
        except BrokenPipeError:  # `kg query … | head` closed the pipe: nothing more to say
            sys.stderr.close()
            raise typer.Exit(0)
        except OSError as exc:
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), 1)
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    return wrapper


# Every verb names the graph the same way: the folder `kg build` wrote, --build-dir/-b, default build/.
BuildDir = Annotated[Path, typer.Option("--build-dir", "-b", help="The folder `kg build` writes and the other verbs read (graph.trig, graph.ttl, store/, views/).")]
# The spellings verbs had before, kept working but out of the help: --out on build, --graph on view/export.
OldOut = Annotated[Optional[Path], typer.Option("--out", "-o", hidden=True)]
OldGraph = Annotated[Optional[Path], typer.Option("--graph", hidden=True)]


def _graph_file(build_dir: Path, name: str, given: Optional[Path] = None) -> Path:
    """The graph file a verb reads: one named the old way (--graph, a positional) as it is; else
    --build-dir itself when it is a file; else BUILD_DIR/name."""
    if given is not None:
        return given
    return build_dir if build_dir.is_file() else build_dir / name


def _check_format(fmt: str, choices: tuple[str, ...]) -> str:
    if fmt.lower() not in choices:
        raise UsageError(f"--format {fmt!r}: expected {' or '.join(choices)}")
    return fmt.lower()


@app.command()
@user_errors
def build(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Corpus files or folders (default: corpus/).")] = None,
    build_dir: BuildDir = Path("build"),
    out: OldOut = None,
    workers: Annotated[int, typer.Option(min=1, help="Extraction processes (articles are shared among them).")] = 1,
    cache: Annotated[bool, typer.Option(help="Reuse per-article results of unchanged articles (build/cache/).")] = True,
    views: Annotated[bool, typer.Option(help="Also write the default views (who-runs, programs-districts, targets, full) to BUILD_DIR/views/.")] = True,
    atlas: Annotated[bool, typer.Option("--atlas", help="Also write the policy atlas (static site, see `kg atlas`) to BUILD_DIR/atlas/.")] = False,
) -> None:
    """Read the corpus, extract entities and links, write the graph.

    Writes BUILD_DIR/graph.ttl (everything merged), BUILD_DIR/graph.trig (plus one named graph
    per article with its links and indicators), the embedded store BUILD_DIR/store/ that
    `kg query` reads, and the views BUILD_DIR/views/*.html; then prints what it built and what
    it skipped. Files that cannot
    be read are reported and skipped; the rest is still built. All of it is staged and replaces
    the last output as one unit only when complete; a build that reads nothing changes nothing.
    A second build into the same BUILD_DIR while one runs exits 2. With --atlas, also BUILD_DIR/atlas/.

    Example: kg build corpus my_articles/ --build-dir build --workers 2
    """
    from kg.build import build as run_build, format_summary

    sources = paths or [Path("corpus")]
    summary = run_build(sources, out or build_dir, workers=workers, use_cache=cache, progress_factory=_progress_bar, views=views,
                        atlas=atlas)
    typer.echo(format_summary(summary))


def _progress_bar(total: int):
    """A progress bar on stderr for long runs at a terminal; nothing when piped."""
    if total < 20 or not sys.stderr.isatty():
        return None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task("extracting", total=total)
    bar.start()

    def advance(n: int) -> None:
        bar.advance(task, n)
        if bar.finished:
            bar.stop()

    return advance


@app.command()
@user_errors
def query(
    query: Annotated[Optional[str], typer.Argument(help="SPARQL text, a .rq file, or a named query (see --list).")] = None,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="NAME=VALUE for a named query; VALUE is a name, short form or IRI.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | csv | tsv | json | xml (SPARQL 1.1 Query Results JSON and XML).")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the named queries and what they answer.")] = False,
    bom: Annotated[bool, typer.Option(help="Start CSV with a UTF-8 byte order mark, so Excel reads the Chinese right (--no-bom for tools that mind).")] = True,
    build_dir: BuildDir = Path("build"),
) -> None:
    """Run SPARQL or a named query against the built graph (read-only: updates are refused).

    Prefixes ms:, msr:, rdfs:, skos:, prov:, dcterms: are pre-bound; the default graph holds everything, and GRAPH <article IRI> { … } reads one article's links. The table prints IRIs as SPARQL terms, so a cell pastes back into a query. `kg list` shows the names to ask about.

    Examples:

      kg query --list

      kg query programs-in-district --param district=沙坪坝

      kg query 'SELECT ?p WHERE { ?p a ms:Program } LIMIT 5' --format csv
    """
    from kg.errors import UsageError
    from kg.graph.store import open_store
    from kg.query.runner import empty_hint, execute, named_queries, prepare, render

    if list_:
        for q in named_queries().values():
            params = " ".join(f"--param {p}=…" + ("" if req else " (optional)") for p, (_, req) in q.params.items())
            typer.echo(f"{q.name:<26} {q.description}" + (f"\n{'':<26} {params}" if params else ""))
        return
    if not query:
        raise UsageError("give a query, a .rq file or a named query (see `kg query --list`)")
    params = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--param {item!r}: expected NAME=VALUE")
        params[key] = value
    store = open_store(build_dir)
    prepared = prepare(store, query, params)
    answer = render(execute(store, prepared), fmt, bom=bom, count=bool(prepared.terms))  # counted for the 0-row hint
    typer.echo(answer.text, nl=not answer.text.endswith("\n"))
    if answer.rows == 0 and prepared.terms:
        typer.echo(f"kg: hint: {empty_hint(store, prepared)}", err=True)


@app.command(name="list")
@user_errors
def list_names(
    kind: Annotated[str, typer.Argument(help="programs | districts | officials | organizations | groups")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | csv | json (a list of objects).")] = "table",
    bom: Annotated[bool, typer.Option(help="Start CSV with a UTF-8 byte order mark, for Excel (--no-bom to omit).")] = True,
    build_dir: BuildDir = Path("build"),
) -> None:
    """List the names one can ask about, with counts (articles, links), most mentioned first.

    Any name or other name shown works as a --param value of `kg query`; the iri column pastes into SPARQL.

    Examples:

      kg list districts

      kg list programs --format csv > programs.csv
    """
    from kg.graph.store import open_store
    from kg.query.names import format_names, list_names as names_of

    typer.echo(format_names(names_of(open_store(build_dir), kind), fmt, bom=bom), nl=fmt != "csv")


def _built_graph(graph: Path) -> Path:
    """The graph file `kg build` wrote, or a one-line error saying how to make it."""
    if not graph.is_file():
        raise KgError(f"{graph}: no graph there yet; run `kg build` first (or point --build-dir at a build folder or a graph file)")
    return graph


@app.command()
@user_errors
def view(
    kind: Annotated[str, typer.Argument(help="who-runs | programs-districts | targets | full | ego")] = "full",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="The HTML file to write. Default: BUILD_DIR/views/KIND.html; a view with --focus or a filter gets a name of its own (ego-涪陵.html, targets-青年.html), never the default view's.")] = None,
    build_dir: BuildDir = Path("build"),
    graph: OldGraph = None,
    focus: Annotated[Optional[str], typer.Option(help="The entity at the centre: a label (涪陵区), a short form or alias (涪陵, 市民政局) or an IRI. Needed by ego; other views select it when the page opens.")] = None,
    depth: Annotated[int, typer.Option(min=1, max=6, help="ego: show what lies within this many links of --focus; a hub (40+ links, such as 重庆市) is shown but not walked through.")] = 1,
    sector: Annotated[Optional[str], typer.Option(help="Keep only programs of this sector (就业, 养老, 社会救助, 医疗卫生, ...) and what hangs off them.")] = None,
    district: Annotated[Optional[str], typer.Option(help="Keep only programs implemented in this area or any area inside it (沙坪坝 includes its streets and communities).")] = None,
    article: Annotated[Optional[str], typer.Option(help="Keep only what one article says: its id (the end of its IRI), its title, or a unique part of the title.")] = None,
) -> None:
    """Render an interactive network view as one offline HTML file (open it in any browser).

    Views: who-runs (officials and organizations → programs), programs-districts (programs ↔ areas), targets (programs ↔ target groups), full (everything), ego (the neighbourhood of --focus).

    On the page, colour and shape show the class; a click on a legend entry hides or shows a class or link type (the full view starts with indicators hidden); hover or click a node for its aliases and articles, a link for its evidence sentence; the search box finds any name or alias.

    Examples:

      kg view who-runs

      kg view ego --focus 涪陵 --depth 2

      kg view programs-districts --district 沙坪坝 --sector 社会救助 --out sp.html
    """
    from kg.view import Selection, default_file_name, select, to_networkx, write_view

    graph = _graph_file(build_dir, "graph.trig", graph)
    sel = Selection(kind=kind, focus=focus, depth=depth, sector=sector, district=district, article=article)
    G = to_networkx(_built_graph(graph))
    shown = select(G, sel)
    if shown.number_of_nodes() == 0:
        what = sel.describe() or "the graph"
        raise KgError(f"the {kind} view of {what} is empty: nothing to draw (try fewer filters, or `kg view full`)")
    target = out if out is not None else graph.parent / "views" / default_file_name(sel)
    if target.is_dir():
        raise UsageError(f"--out {target}: is a folder; give the HTML file to write")
    path, _ = write_view(G, sel, target, view=shown)
    typer.echo(f"wrote {path} ({shown.number_of_nodes()} nodes, {shown.number_of_edges()} links); open it in a browser")


@app.command()
@user_errors
def atlas(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="The folder to write the site into (replaced when complete). Default: BUILD_DIR/atlas.")] = None,
    build_dir: BuildDir = Path("build"),
    graph: OldGraph = None,
) -> None:
    """Write the policy atlas: a static, offline site to browse and cite the graph.

    One page per program, district (and subdistrict or community with links), official,
    organization, target group, sector and article: names and aliases, links grouped by type,
    every evidence sentence with its article, date and character range, indicators as a table,
    the articles that mention it. Index pages per class (sortable), a search box over every name
    and alias, and a map of the 38 districts and counties coloured by their programs. Pages are
    named from the entity's IRI, so a rebuild keeps every URL. Open OUT/index.html from disk.

    Example: kg atlas --build-dir build --out build/atlas          (or kg build --atlas)
    """
    from kg.atlas import write_atlas

    graph = _graph_file(build_dir, "graph.trig", graph)
    summary = write_atlas(graph, out if out is not None else graph.parent / "atlas")
    typer.echo(f"wrote {summary.out}/index.html: {summary.pages:,} pages, {summary.bytes / 1e6:.1f} MB in "
               f"{summary.seconds:.1f}s; open it in a browser")


@app.command()
@user_errors
def serve(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 7878,
    build_dir: BuildDir = Path("build"),
    timeout: Annotated[int, typer.Option(min=1, help="Whole seconds a query may run; then it is stopped and the client gets 503.")] = 10,
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 (or ::) opens the endpoint to the network.")] = "127.0.0.1",
    cors: Annotated[bool, typer.Option("--cors", help="Send Access-Control-Allow-Origin: * so web pages on other sites may query.")] = False,
) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint (Oxigraph's server behind a guard).

    Open http://127.0.0.1:7878/ in a browser for a query page (YASGUI, offline, the named queries
    as examples). GET /sparql?query=… or POST (application/sparql-query, or a form with query=); results as
    SPARQL JSON, XML, CSV or TSV by the Accept header (q-values honoured); the usual prefixes
    are pre-bound; SPARQL Update is refused (403) and SERVICE too (400: no outbound requests).
    """
    import signal

    from kg.query.serve import make_server

    server = make_server(build_dir, port, timeout, host=host, cors=cors)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"SPARQL endpoint on http://{shown}:{port}/sparql (read-only, {timeout} s limit"
               f"{', CORS on' if cors else ''}), query page on http://{shown}:{port}/; Ctrl-C stops it")

    def stop(*_):  # SIGTERM stops like Ctrl-C, so the engine process is stopped too
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        server.server_close()


@app.command()
@user_errors
def push(
    endpoint: Annotated[str, typer.Option(help="Graph Store endpoint (e.g. http://host:7878/store) or SPARQL Update endpoint.")],
    graph: Annotated[str, typer.Option(help="The named graph the project owns there; it is replaced.")] = "https://w3id.org/minsheng-kg/id/graph/main",
    protocol: Annotated[str, typer.Option(help="gsp (SPARQL 1.1 Graph Store Protocol) or update (SPARQL 1.1 Update).")] = "gsp",
    update_endpoint: Annotated[Optional[str], typer.Option(help="SPARQL Update endpoint that moves the loaded graph into place (needed with gsp, e.g. http://host:7878/update; default with update: --endpoint).")] = None,
    batch_size: Annotated[int, typer.Option(min=1000, help="Triples per request.")] = 50_000,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds to wait for each request's answer.")] = 120.0,
    auth: Annotated[Optional[str], typer.Option(help="USER:PASSWORD for HTTP authentication (Basic, or Digest when the server asks for it, as Virtuoso does). Default: $KG_PUSH_AUTH, else the host's entry in ~/.netrc (or $NETRC).")] = None,
    build_dir: BuildDir = Path("build"),
) -> None:
    """Load the graph into a remote SPARQL 1.1 store (Oxigraph, Fuseki, Virtuoso, GraphDB).

    All or nothing: the triples go into a temporary graph, then one SPARQL Update MOVE puts it
    in place; a failed push leaves the remote graph as it was and says so. Re-pushing replaces
    the named graph, so it is idempotent. Examples:

      kg push --endpoint http://localhost:7878/store --update-endpoint http://localhost:7878/update

      kg push --endpoint http://localhost:3030/ds/update --protocol update
    """
    from kg.query.push import push as run_push

    sent = run_push(_graph_file(build_dir, "graph.trig"), endpoint, graph, protocol, batch_size, auth,
                    progress=lambda n: typer.echo(f"  sent {n:,} triples", err=True),
                    update_endpoint=update_endpoint, timeout=timeout)
    typer.echo(f"pushed {sent:,} triples into <{graph}> at {endpoint}")


@app.command()
@user_errors
def validate(
    build_dir: BuildDir = Path("build"),
    graph: Annotated[Optional[Path], typer.Argument(hidden=True)] = None,  # the old spelling: kg validate FILE
) -> None:
    """Check the graph against the SHACL shapes (exit 1 on violations).

    Reads BUILD_DIR/graph.ttl, or the graph file --build-dir names; the shapes are ontology/shapes.ttl.
    """
    from kg.graph.validate import validate_graph  # lazy: pyshacl is slow to import

    report = validate_graph(_graph_file(build_dir, "graph.ttl", graph))
    typer.echo(report.text)
    if not report.conforms:
        raise typer.Exit(1)


@app.command(name="eval")
@user_errors
def eval_(
    build_dir: BuildDir = Path("build"),
    old_build_dir: Annotated[Optional[Path], typer.Argument(hidden=True)] = None,  # the old spelling: kg eval BUILD_DIR
    gold: Annotated[Optional[Path], typer.Option(help="Gold for the build (default: tests/gold/seeds, the corpus pages).")] = None,
    dev: Annotated[bool, typer.Option(help="Also build and score the development set (tests/dev_gold) into BUILD_DIR-dev/, beside the build (a folder scorer reading BUILD_DIR sees only its graph).")] = True,
    dev_set: Annotated[Optional[Path], typer.Option(help="Another development set to score instead of tests/dev_gold: a folder of the same form (sources.json, one gold JSON per excerpt), built into BUILD_DIR-<its name>/. tests/dev_gold2 and tests/dev_gold3 are the second and third sets, open only; tests/dev_gold4 the fourth, two of its six excerpts held out; tests/dev_gold5 the fifth, news (People's Daily), two of six held out.")] = None,
    cluener: Annotated[bool, typer.Option(help="Also score officials and agencies on CLUENER2020 dev.")] = True,
    datasets: Annotated[Optional[Path], typer.Option(help="The shared datasets folder (default: $KG_DATASETS or ../shared/datasets).")] = None,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="List misses and extras by name (never those of the held-out part).")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    json_: Annotated[bool, typer.Option("--json", hidden=True)] = False,  # the old spelling of --format json
) -> None:
    """Score the extractor on three yardsticks, on one screen.

    The seed pages: BUILD_DIR (its graph.ttl, or the graph file --build-dir names) against the independent gold of the corpus pages. The development
    set: excerpts of other provinces' and the State Council's work reports, built with the same
    code and scored the same way (open and held-out parts apart). CLUENER2020 dev: officials
    (government body + post + name) and government bodies in general news.

    Example: kg eval --show-errors          (kg eval --no-dev --no-cluener: seed pages only;
    kg eval --dev-set tests/dev_gold2 --no-cluener: the second development set; dev_gold3 the third, dev_gold4 the fourth, dev_gold5 the news set)
    """
    import json

    from kg.eval import suite
    from kg.eval.devset import datasets_dir

    fmt = "json" if json_ else _check_format(fmt, ("table", "json"))
    build_dir = old_build_dir or build_dir
    root = datasets or datasets_dir()
    if (dev or cluener) and not root.is_dir():
        raise KgError(f"{root}: datasets folder not found (the dev set and CLUENER read it; "
                      "set --datasets or KG_DATASETS, or pass --no-dev --no-cluener)")
    seeds = suite.score_seeds(build_dir, gold or suite.SEED_GOLD)
    build_root = Path(build_dir) if Path(build_dir).is_dir() else Path("build")
    dev_gold = Path(dev_set) if dev_set else suite.DEV_GOLD
    work = build_root.with_name(build_root.name + ("-dev" if dev_set is None else f"-{dev_gold.resolve().name}"))
    dev_report = suite.score_dev(work, dev_gold, datasets=root) if dev else None
    clue = suite.score_cluener_dev(root) if cluener else None
    if fmt == "json":
        out = {"seed_pages": seeds.to_json()}
        if dev_report:
            out["dev"] = {"open": dev_report.open and dev_report.open.to_json(),
                          "held_out": dev_report.held_out and dev_report.held_out.to_json(),
                          "all": dev_report.everything.to_json()}
        if clue:
            out["cluener"] = clue.to_json()
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        typer.echo(suite.format_screen(seeds, dev_report, clue, show_errors))


@app.command()
@user_errors
def stats(
    build_dir: BuildDir = Path("build"),
    graph: Annotated[Optional[Path], typer.Argument(hidden=True)] = None,  # the old spelling: kg stats FILE
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Count entities per class and links per type.

    Reads BUILD_DIR/graph.ttl, or the graph file --build-dir names.
    """
    from kg.build import count_graph
    from kg.graph.files import read_graph

    fmt = _check_format(fmt, ("table", "json"))
    entities, links = count_graph(read_graph(_graph_file(build_dir, "graph.ttl", graph)), mentioned_only=True)
    if fmt == "json":
        import json

        typer.echo(json.dumps({"entities": entities, "links": links}, ensure_ascii=False, indent=1))
        return
    width = max(map(len, [*entities, *links]))
    typer.echo("entities (mentioned in an article)")
    for name, n in entities.items():
        typer.echo(f"  {name:<{width}}  {n:>6}")
    typer.echo("links")
    for name, n in links.items():
        typer.echo(f"  {name:<{width}}  {n:>6}")


@app.command()
@user_errors
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="graphml (yEd, Cytoscape, Gephi) | gexf (Gephi) | csv (a folder with nodes.csv and edges.csv) | json (nodes and links for d3, vis, cytoscape.js).")] = "graphml",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="The file to write, or the folder for csv. Default: BUILD_DIR/graph.graphml, BUILD_DIR/graph.gexf, BUILD_DIR/graph.json or BUILD_DIR/csv/.")] = None,
    build_dir: BuildDir = Path("build"),
    graph: OldGraph = None,
    bom: Annotated[bool, typer.Option(help="Start each CSV file with a UTF-8 byte order mark, so Excel reads the Chinese right (--no-bom for tools that mind).")] = True,
) -> None:
    """Export the graph for other tools (GraphML, GEXF, CSV, JSON), via networkx.

    Nodes keep iri, label, class, level, aliases and articles; links keep their type and evidence (sentences, article titles, dates). GraphML, GEXF and CSV join lists into text with "; " (sentences: one a line); JSON keeps them as lists: {"nodes": [{"id", "label", "class", …}], "links": [{"source", "target", "type", …}]}.

    Examples:

      kg export --format graphml

      kg export --format csv --out tables/

      kg export --format json --out graph.json
    """
    from kg.errors import UsageError
    from kg.view import to_networkx
    from kg.view.export import FORMATS, default_output, export as run_export

    graph = _graph_file(build_dir, "graph.trig", graph)
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    target = out if out is not None else default_output(fmt, graph.parent)
    if fmt != "csv" and target.is_dir():
        raise UsageError(f"--out {target}: is a folder; give the {fmt} file to write")
    G = to_networkx(_built_graph(graph))
    written = run_export(G, fmt, target, bom=bom)
    typer.echo(f"wrote {', '.join(map(str, written))} ({G.number_of_nodes()} nodes, {G.number_of_edges()} links)")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
