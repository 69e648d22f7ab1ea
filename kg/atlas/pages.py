"""The atlas's pages: one HTML file per entity and article, an index per class, the map, the search index.

    OUT/index.html                 the map of the 38 districts and counties, counts per class
    OUT/program/index.html         every program, a sortable table (likewise area/, official/, org/,
                                   group/, sector/, article/)
    OUT/program/<slug>.html        one page per entity, named from its IRI (kg.atlas.data.page_path)
    OUT/assets/atlas.css, atlas.js the page style and script (search, sorting, map colours)
    OUT/assets/search-index.js     every name and alias, loaded when the search box is first used

Every page is static and offline: no URL outside the folder, all links relative, so it opens from
file:// or any web server. Corpus text reaches the HTML only through Jinja's autoescape and the
search index only as JSON read into textContent; a Content-Security-Policy allows the two script
files and nothing inline, so even markup that got through could not run.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from markupsafe import Markup

from kg.atlas import map as district_map
from kg.atlas.data import PAGE_CLASSES, AtlasData, Entity, Link, open_source, read_atlas
from kg.errors import UsageError
from kg.view.render import CLASS_STYLE, LEVEL_ZH, LINK_STYLE

TEMPLATES = Path(__file__).resolve().parent / "templates"
SITE_TITLE = "重庆民生政策图谱"

#: class -> (folder of its index page, Chinese name as the views' legend gives it)
CLASS_INDEX = {cls: (folder, CLASS_STYLE[cls][0]) for cls, folder in (
    ("Program", "program"), ("AdministrativeArea", "area"), ("Official", "official"),
    ("Organization", "org"), ("TargetGroup", "group"), ("Sector", "sector"))}
#: How a page names the links that point at its entity (LINK_STYLE names the outgoing ones).
INCOMING_ZH = {
    "implementedIn": "在此实施的项目", "targets": "面向其的项目", "inSector": "本领域的项目",
    "runBy": "主办的项目", "promotedBy": "推动的项目", "holdsPost": "任职者", "postIn": "本机构的职务",
    "memberOf": "任职人员", "jurisdiction": "管辖机构", "partOf": "下辖地区", "broader": "下位群体",
}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'none'")


@dataclass
class AtlasSummary:
    pages: int
    bytes: int
    seconds: float
    out: Path


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


def _class_zh(e: Entity) -> str:
    zh = CLASS_STYLE.get(e.cls, (e.cls,))[0]
    return f"{zh} · {LEVEL_ZH[e.level]}" if e.level in LEVEL_ZH else zh


class _Site:
    """Renders every page of one atlas into a folder."""

    def __init__(self, data: AtlasData, out: Path):
        self.data, self.out = data, out
        district_map.ensure_districts(data)
        self.children: dict[str, list[str]] = defaultdict(list)  # area -> the areas partOf it
        for x in data.entities.values():
            if x.cls == "AdministrativeArea" and x.parent:
                self.children[x.parent].append(x.iri)
        self.pages = 0
        self.bytes = 0
        self.nav = [{"href": f"{folder}/index.html", "zh": zh} for folder, zh in CLASS_INDEX.values()]
        self.nav.append({"href": "article/index.html", "zh": "文章"})

    # -- helpers used by the templates --------------------------------------------------------
    def ref(self, iri: str, here: str) -> dict:
        """A link target for a template: its label, class and href relative to the page `here` (or None)."""
        e = self.data.entities.get(iri)
        if e is None:
            return {"label": iri, "href": None, "cls": ""}
        href = posixpath.relpath(e.path, posixpath.dirname(here) or ".") if e.path else None
        return {"label": e.label, "href": href, "cls": _class_zh(e)}

    def article_ref(self, iri: str, here: str) -> dict:
        a = self.data.articles.get(iri)
        if a is None:
            return {"title": iri, "href": None, "date": "", "source": "", "publisher": ""}
        return {"title": a.title, "href": posixpath.relpath(a.path, posixpath.dirname(here) or "."),
                "date": a.date, "source": a.source, "publisher": a.publisher}

    def evidence(self, link_or_list, here: str) -> list[dict]:
        items = link_or_list.evidence if isinstance(link_or_list, Link) else link_or_list
        return [{"sentence": ev.sentence, "article": self.article_ref(ev.article, here),
                 "start": ev.start, "end": ev.end} for ev in items]

    def write(self, rel: str, template: str, **context) -> None:
        depth = rel.count("/")
        html = _env().get_template(template).render(
            root="../" * depth, csp=Markup(CSP), nav=self.nav, site_title=SITE_TITLE, **context)
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = html.encode("utf-8")
        path.write_bytes(raw)
        self.pages += 1
        self.bytes += len(raw)

    # -- pages ----------------------------------------------------------------------------------
    def entity_page(self, e: Entity) -> None:
        here = e.path
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for link in self.data.outgoing.get(e.iri, ()):
            groups[("out", link.link)].append(self._item(link, link.object, here))
        for link in self.data.incoming.get(e.iri, ()):
            groups[("in", link.link)].append(self._item(link, link.subject, here))
        order = list(LINK_STYLE)
        sections = []
        for (direction, link), items in sorted(groups.items(), key=lambda kv: (kv[0][0] != "out", order.index(kv[0][1])
                                                                               if kv[0][1] in order else 99)):
            items.sort(key=lambda i: (i["ref"]["href"] is None, i["ref"]["label"]))
            title = LINK_STYLE.get(link, (link,))[0] if direction == "out" else INCOMING_ZH.get(link, link)
            sections.append({"title": title, "link": link, "direction": direction, "rows": items})
        indicators = [{"metric": i.metric, "value": i.value, "unit": i.unit, "period": i.period,
                       "is_target": i.is_target, "evidence": self.evidence([i.evidence], here)[0]}
                      for i in self.data.indicators.get(e.iri, ())]
        chain = []
        parent, seen = e.parent, {e.iri}
        while parent and parent not in seen and parent in self.data.entities:
            chain.insert(0, self.ref(parent, here))
            seen.add(parent)
            parent = self.data.entities[parent].parent
        area_programs = self._area_programs(e, here) if e.cls == "AdministrativeArea" else []
        self.write(here, "entity.html.j2", title=e.label, e=e, class_zh=_class_zh(e), sections=sections,
                   indicators=indicators, chain=chain, area_programs=area_programs,
                   articles=[self.article_ref(a, here) for a in e.articles])

    def _item(self, link: Link, other: str, here: str) -> dict:
        """One row of a link section: the other end, its evidence, and for posts what hangs off them."""
        extra = []
        o = self.data.entities.get(other)
        if o is not None and o.cls == "Post":
            if link.link == "holdsPost":  # an official's post: in which organization
                extra = [self.ref(x.object, here) for x in self.data.outgoing.get(other, ()) if x.link == "postIn"]
            elif link.link == "postIn":  # an organization's post: who holds it
                extra = [self.ref(x.subject, here) for x in self.data.incoming.get(other, ()) if x.link == "holdsPost"]
        return {"ref": self.ref(other, here), "evidence": self.evidence(link, here), "extra": extra}

    def _area_programs(self, e: Entity, here: str) -> list[dict]:
        """Programs implemented in the area or anywhere inside it, with where and their sectors."""
        inside = self._descendants(e.iri)
        where: dict[str, set[str]] = defaultdict(set)
        for area in inside:
            for link in self.data.incoming.get(area, ()):
                if link.link == "implementedIn" and self.data.entities[link.subject].cls == "Program":
                    where[link.subject].add(area)
        rows = [{"ref": self.ref(p, here), "where": sorted((self.ref(a, here) for a in areas), key=lambda r: r["label"]),
                 "sectors": [self.ref(x.object, here) for x in self.data.outgoing.get(p, ()) if x.link == "inSector"]}
                for p, areas in where.items()]
        return sorted(rows, key=lambda r: r["ref"]["label"])

    def _descendants(self, iri: str) -> set[str]:
        found, todo = {iri}, [iri]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def article_page(self, a) -> None:
        here = a.path
        by_class: dict[str, list[dict]] = defaultdict(list)
        for iri in self.data.mentions.get(a.iri, ()):
            e = self.data.entities[iri]
            if e.path:
                by_class[e.cls].append(self.ref(iri, here))
        groups = [{"zh": CLASS_INDEX[c][1], "rows": sorted(by_class[c], key=lambda r: r["label"])}
                  for c in PAGE_CLASSES if by_class.get(c)]
        self.write(here, "article.html.j2", title=a.title, a=a, groups=groups)

    def class_index(self, cls: str, stats: dict[str, Counter]) -> None:
        folder, zh = CLASS_INDEX[cls]
        here = f"{folder}/index.html"
        rows = []
        for e in sorted(self.data.paged(cls), key=lambda x: (x.code or "~", x.label)):
            rows.append({"ref": self.ref(e.iri, here), "level": LEVEL_ZH.get(e.level, ""), "code": e.code,
                         "aliases": "、".join(e.aliases), "links": stats["links"][e.iri],
                         "evidence": stats["evidence"][e.iri], "articles": len(e.articles),
                         "programs": stats["programs"][e.iri]})
        self.write(here, "class_index.html.j2", title=zh, zh=zh, cls=cls, rows=rows,
                   area=cls == "AdministrativeArea", show_programs=cls != "Program")

    def article_index(self) -> None:
        here = "article/index.html"
        rows = [{"ref": self.article_ref(a.iri, here), "entities": len(self.data.mentions.get(a.iri, ()))}
                for a in sorted(self.data.articles.values(), key=lambda x: (x.date, x.title))]
        self.write(here, "article_index.html.j2", title="文章", rows=rows)

    def home(self) -> None:
        shapes, height = district_map.districts()
        counts = district_map.program_counts(self.data)
        sectors = sorted({s for row in counts.values() for s in row if s}, key=lambda s: self.data.entities[s].label
                         if s in self.data.entities else s)
        most = max((row.get("", 0) for row in counts.values()), default=0)
        rows = []
        for d in shapes:
            e = self.data.entities.get(d.iri)
            n = counts.get(d.iri, {})
            names = [e.label, *e.aliases] if e else [d.name]
            rows.append({"d": d, "ref": self.ref(d.iri, "index.html"), "n": n.get("", 0),
                         "short": min(names, key=len), "counts": json.dumps(n, ensure_ascii=False, sort_keys=True),
                         "fill": district_map.PALETTE[district_map.colour_class(n.get("", 0), most)]})
        classes = [{"href": f"{CLASS_INDEX[c][0]}/index.html", "zh": CLASS_INDEX[c][1], "n": len(self.data.paged(c))}
                   for c in PAGE_CLASSES]
        classes.append({"href": "article/index.html", "zh": "文章", "n": len(self.data.articles)})
        self.write("index.html", "home.html.j2", title="地图", rows=rows, height=height, width=district_map.WIDTH,
                   most=most, palette=district_map.PALETTE, classes=classes, triples=self.data.triples,
                   sectors=[{"iri": s, "label": self.ref(s, "index.html")["label"]} for s in sectors])

    def assets(self) -> None:
        folder = self.out / "assets"
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("atlas.css", "atlas.js"):
            shutil.copyfile(TEMPLATES / name, folder / name)
        index = []
        for e in self.data.paged():
            index.append([e.label, e.aliases, e.path, _class_zh(e)])
        for a in self.data.articles.values():
            index.append([a.title, [], a.path, "文章"])
        index.sort(key=lambda r: (len(r[0]), r[0]))
        text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        (folder / "search-index.js").write_text(f"window.KG_ATLAS_INDEX = {text};\n", encoding="utf-8")

    def stats(self) -> dict[str, Counter]:
        links, evidence, programs = Counter(), Counter(), Counter()
        for link in self.data.links:
            for end in (link.subject, link.object):
                links[end] += 1
                evidence[end] += len(link.evidence)
        for link in self.data.links:
            if self.data.entities[link.subject].cls == "Program" and link.link != "partOf":
                programs[link.object] += 1
        for district, row in district_map.program_counts(self.data).items():
            programs[district] = row[""]  # a district counts the programs inside it too
        return {"links": links, "evidence": evidence, "programs": programs}

    def build(self) -> None:
        stats = self.stats()
        self.assets()
        self.home()
        for cls in PAGE_CLASSES:
            self.class_index(cls, stats)
        self.article_index()
        for e in self.data.paged():
            self.entity_page(e)
        for a in self.data.articles.values():
            self.article_page(a)


def write_atlas(source: Path | ox.Store, out: Path) -> AtlasSummary:
    """Write the atlas of a graph (a store, a store folder or a graph file) into OUT, replacing what
    was there only once every page is written (a failed run leaves the old atlas)."""
    started = time.perf_counter()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file; give the folder to write the atlas into")
    store = source if isinstance(source, ox.Store) else open_source(Path(source))
    data = read_atlas(store)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        site = _Site(data, tmp)
        site.build()
        tmp.chmod(0o755)  # mkdtemp makes it 0700
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return AtlasSummary(pages=site.pages, bytes=site.bytes, seconds=time.perf_counter() - started, out=out)


def _swap(new: Path, out: Path) -> None:
    """Put the folder `new` at `out`: a link there (kg build's OUT/atlas) is replaced, not followed."""
    if out.is_symlink():
        out.unlink()
    elif out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
        out.rename(old / out.name)
        new.rename(out)
        shutil.rmtree(old, ignore_errors=True)
        return
    new.rename(out)
