"""The district map: ontology/chongqing-districts.geojson (echarts 4.9.0's outlines, Apache-2.0; made
by scripts/make_district_map.py) projected to SVG path data, and the program counts it is coloured by.

The projection is equirectangular with the longitude scaled by cos(mean latitude), which at
Chongqing's size (about 5° by 4°) is within a few percent of any conformal projection.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from kg.atlas.data import AtlasData, Entity, page_path
from kg.errors import KgError
from kg.graph import iri as mint
from kg.paths import ontology_dir

MAP_FILE = "chongqing-districts.geojson"
WIDTH = 900.0  # SVG user units across
PAD = 8.0
#: Fill colours from none to most programs (ColorBrewer Oranges, 6 classes); JS uses the same list.
PALETTE = ("#f1f3f5", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")


@dataclass
class District:
    code: str
    iri: str
    name: str
    d: str  # SVG path data
    label_x: float
    label_y: float
    label_size: float  # 0: too small for a label on the map


@lru_cache(maxsize=1)
def districts() -> tuple[tuple[District, ...], float]:
    """The 38 outlines as SVG paths, and the drawing's height."""
    path = ontology_dir() / MAP_FILE
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as exc:
        raise KgError(f"{path}: cannot read the district map ({exc}); rerun scripts/make_district_map.py") from None
    points = [p for f in features for poly in f["geometry"]["coordinates"] for ring in poly for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((south + north) / 2))
    scale = (WIDTH - 2 * PAD) / ((east - west) * kx)
    height = (north - south) * scale + 2 * PAD

    def xy(p):
        return (PAD + (p[0] - west) * kx * scale, PAD + (north - p[1]) * scale)

    out = []
    for f in features:
        parts, best = [], (0.0, 0.0, 0.0)
        for poly in f["geometry"]["coordinates"]:
            for k, ring in enumerate(poly):
                pts = [xy(p) for p in ring]
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
                if k == 0:
                    area, cx, cy = _centroid(pts)
                    if area > best[0]:
                        best = (area, cx, cy)
        code = f["properties"]["code"]
        area, cx, cy = best
        size = 0.0 if area < 1800 else min(15.0, 9 + area / 4000)  # the main city's districts are too small
        out.append(District(code=code, iri=str(mint.area(code)), name=f["properties"]["name"], d="".join(parts),
                            label_x=round(cx, 1), label_y=round(cy, 1), label_size=round(size, 1)))
    return tuple(out), round(height, 1)


def _centroid(pts: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a ring (shoelace)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-9:
        return 0.0, pts[0][0], pts[0][1]
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def ensure_districts(data: AtlasData) -> None:
    """Give every district of the map a page: a graph without the reference areas (kg build always
    has them) still gets all 38, named from the map file, so no district of the map links nowhere."""
    municipality = str(mint.area("500000"))
    for d in districts()[0]:
        if d.iri not in data.entities:
            data.entities[d.iri] = Entity(iri=d.iri, cls="AdministrativeArea", level="District", label=d.name,
                                          aliases=[], code=d.code, path=page_path(d.iri),
                                          parent=municipality if municipality in data.entities else None)


def program_counts(data: AtlasData) -> dict[str, dict[str, int]]:
    """district IRI -> {"": programs implemented in it or any area inside it, sector IRI: those of that sector}."""
    sectors: dict[str, set[str]] = defaultdict(set)
    for link in data.links:
        if link.link == "inSector":
            sectors[link.subject].add(link.object)
    programs: dict[str, set[str]] = defaultdict(set)
    for link in data.links:
        if link.link == "implementedIn" and data.entities[link.subject].cls == "Program":
            district = data.district_of(link.object)
            if district:
                programs[district].add(link.subject)
    counts: dict[str, dict[str, int]] = {}
    for district, progs in programs.items():
        row: dict[str, int] = defaultdict(int)
        row[""] = len(progs)
        for p in progs:
            for s in sectors.get(p, ()):
                row[s] += 1
        counts[district] = dict(row)
    return counts


def colour_class(n: int, most: int) -> int:
    """0 for none, else 1..5 on a log scale up to the largest count (the same formula as atlas.js)."""
    if n <= 0 or most <= 0:
        return 0
    return max(1, min(5, math.ceil(5 * math.log(n + 1) / math.log(most + 1))))
