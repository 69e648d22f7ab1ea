"""Writes ontology/chongqing-districts.geojson: the outlines of Chongqing's 38 districts and counties
that the policy atlas draws (kg/atlas/map.py).

Source: the echarts npm package 4.9.0 (Apache-2.0), file map/json/province/chongqing.json. Get it with

    cd "$(mktemp -d)" && npm pack echarts@4.9.0          # writes echarts-4.9.0.tgz
    python scripts/make_district_map.py /tmp/.../echarts-4.9.0.tgz   (or the extracted chongqing.json)

echarts stores coordinates in its own compressed encoding ("UTF8Encoding"): each ring is a string
of character pairs, each character minus 64 a zigzag-encoded delta from the previous point, the
first point's offset in geometry.encodeOffsets, all divided by 1024 (echarts'
src/coord/geo/parseGeoJson.js, `decode`). This script decodes it, joins every outline to its area in
ontology/areas.ttl by division code (the feature id) and, for the two counties that became districts
after the file was made and got new codes (梁平县 500228 → 梁平区 500155, 武隆县 500232 → 武隆区
500156), by the name without 县/区; it fails unless all 38 districts are matched one to one. Rings are
simplified (Douglas-Peucker, SIMPLIFY degrees, well under a pixel of the drawn map) and rounded to
DIGITS decimals, so the file stays small. Output is sorted by code: regenerating makes no diff.
"""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.namespaces import MS  # noqa: E402

OUT = ROOT / "ontology" / "chongqing-districts.geojson"
MEMBER = "package/map/json/province/chongqing.json"
SIMPLIFY = 0.004  # degrees (~400 m); the atlas map is ~900 px across ~5 degrees: 1 px ≈ 0.006°
DIGITS = 3


def read_source(path: Path) -> dict:
    if path.suffix in (".tgz", ".gz"):
        with tarfile.open(path) as tar:
            return json.load(tar.extractfile(MEMBER))
    return json.loads(path.read_text(encoding="utf-8"))


def decode_ring(encoded: str, offset: list[int], scale: float) -> list[tuple[float, float]]:
    """echarts' decodePolygon: zigzag-decoded deltas from the offset, divided by the scale."""
    x, y = offset
    points = []
    for i in range(0, len(encoded), 2):
        dx, dy = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        points.append((x / scale, y / scale))
    return points


def decode(source: dict) -> dict[str, tuple[str, list[list[list[tuple[float, float]]]]]]:
    """feature id -> (name, polygons), each polygon a list of rings."""
    scale = source.get("UTF8Scale") or 1024
    out = {}
    for feature in source["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        offsets = geom["encodeOffsets"] if geom["type"] == "MultiPolygon" else [geom["encodeOffsets"]]
        if not source.get("UTF8Encoding"):
            rings = [[[tuple(p) for p in ring] for ring in poly] for poly in polygons]
        else:
            rings = [[decode_ring(ring, off, scale) for ring, off in zip(poly, offs)]
                     for poly, offs in zip(polygons, offsets)]
        out[str(feature["id"])] = (feature["properties"]["name"], rings)
    return out


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; keeps the first and last point."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, far = 0.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > best:
                best, far = d, i
        if far >= 0 and best > tolerance:
            keep[far] = True
            stack += [(a, far), (far, b)]
    return [p for p, k in zip(points, keep) if k]


def districts() -> dict[str, str]:
    """division code -> name of the 38 districts and counties in ontology/areas.ttl."""
    g = Graph().parse(ROOT / "ontology" / "areas.ttl")
    return {str(g.value(a, MS.divisionCode)): str(g.value(a, RDFS.label)) for a in g.subjects(RDF.type, MS.District)}


def stem(name: str) -> str:
    return name[:-1] if name.endswith(("区", "县")) else name


def join(features: dict, areas: dict[str, str]) -> dict[str, str]:
    """feature id -> division code: the same code, else the one district left with the same stem."""
    joined = {fid: fid for fid in features if fid in areas}
    left = {code: name for code, name in areas.items() if code not in joined.values()}
    for fid, (name, _) in features.items():
        if fid in joined:
            continue
        match = [code for code, area_name in left.items() if stem(area_name) == stem(name)]
        if len(match) != 1:
            raise SystemExit(f"{fid} {name}: no single district of areas.ttl matches it ({match})")
        joined[fid] = match[0]
        del left[match[0]]
    if left or len(joined) != len(areas):
        raise SystemExit(f"districts without an outline: {left}")
    return joined


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    features = decode(read_source(Path(argv[0])))
    areas = districts()
    codes = join(features, areas)
    lines = []
    for fid in sorted(features, key=lambda f: codes[f]):
        source_name, polygons = features[fid]
        coords = [[[[round(x, DIGITS), round(y, DIGITS)] for x, y in simplify(ring, SIMPLIFY)] for ring in poly]
                  for poly in polygons]
        feature = {"type": "Feature", "id": codes[fid],
                   "properties": {"code": codes[fid], "name": areas[codes[fid]],
                                  "echarts_id": fid, "echarts_name": source_name},
                   "geometry": {"type": "MultiPolygon", "coordinates": coords}}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    header = {"source": "echarts 4.9.0 (npm), map/json/province/chongqing.json, Apache-2.0; "
                        "decoded, joined to ontology/areas.ttl and simplified by scripts/make_district_map.py"}
    text = ('{"type":"FeatureCollection",' + json.dumps(header, ensure_ascii=False)[1:-1]
            + ',"features":[\n' + ",\n".join(lines) + "\n]}\n")
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(lines)} districts, {len(text.encode()):,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
