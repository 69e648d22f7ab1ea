"""Writes ontology/areas.ttl: 重庆市, its 38 districts/counties and 1,031 subdistricts/towns.

Source: /work/shared/datasets/cn_admin_divisions_chongqing (modood/Administrative-divisions-of-China,
commit 57a0aa9, WTFPL; upstream: National Bureau of Statistics division codes). Output is sorted
by division code and hand-formatted, so regenerating never produces a spurious diff:

    python scripts/make_areas.py [DATASET_DIR]

Short forms (ms:shortName + skos:altLabel) feed the extractor's gazetteer, which matches them as
plain substrings, so a short form must never be a common word. The rules, also in ontology/SOURCES.md:

Districts: drop 区/县, or the ethnic part plus 自治县 (石柱土家族自治县 → 石柱), unless the
result is one character (忠县) or an everyday word (长寿: “longevity”, frequent in elderly-care news).

Subdistricts: the name minus 街道/镇/乡 (and the ethnic part of ethnic townships: 地宝土家族乡 → 地宝),
only when ALL hold:
  1. at least 2 characters;
  2. unique: no other subdistrict of Chongqing has the same short form (复兴街道/复兴镇 → none);
  3. not a district short form, and not part of another area's name or short form (沙坪 ⊂ 沙坪坝);
  4. not a word of jieba's general dictionary: the proxy for everyday words and better-known places
     elsewhere (文化, 青年, 惠民, 长沙 are all names of Chongqing towns);
  5. not ending in 家/村/市, which read as “the X family”, a village, or a title (李市 in 李市长);
  6. not in STOPLIST (idioms, personal names and brands the dictionary misses).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
DATASET = Path("/work/shared/datasets/cn_admin_divisions_chongqing")
OUT = ROOT / "ontology" / "areas.ttl"
BASE = "https://w3id.org/minsheng-kg/id/area/"
SOURCE_REPO = "https://github.com/modood/Administrative-divisions-of-China"
SOURCE_COMMIT = "57a0aa9cef47169a2eb74cf057b0245052a34e8c"

ETHNIC = "(?:土家族|苗族|仡佬族|回族|蒙古族)"
DISTRICT_SUFFIX = re.compile(rf"{ETHNIC}*自治县$|[区县]$")
SUBDISTRICT_SUFFIX = re.compile(rf"{ETHNIC}*(?:街道|镇|乡)$")
DISTRICT_COMMON_WORDS = {"长寿"}  # 长寿区 stays full-name only: 健康长寿, 长寿老人
BAD_ENDINGS = ("家", "村", "市")
STOPLIST = {
    "大有": "idiom 大有可为",
    "少云": "the hero 邱少云",
    "国梁": "a common given name",
    "天和": "a common brand and given name",
    "宝龙": "a company name",
    "康美": "a company name",
    "金龙": "a common brand",
    "三建": "construction-company shorthand",
    "高坪": "高坪区 of 南充, Sichuan",
    "和林": "和林格尔, Inner Mongolia",
    "龙胜": "龙胜, Guangxi",
    "里仁": "classical phrase (论语·里仁)",
    "上和": "spans words: 生活上和工作上",
    "大进": "spans words: 扩大进口",
    "下路": "spans words: 上下路",
    "镇东": "generic: 镇东头",
    "明中": "spans words: 说明中",
    "大周": "spans words: 一大周",
    "金桥": "generic place name found across China",
    "高桥": "generic place name found across China",
}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def dictionary_words() -> set[str]:
    """jieba's general dictionary (pinned jieba 0.42, so the result is reproducible)."""
    with jieba.get_dict_file() as fh:
        return {line.decode("utf-8").split(" ", 1)[0] for line in fh}


def district_short(name: str) -> str | None:
    stem = DISTRICT_SUFFIX.sub("", name)
    return stem if len(stem) >= 2 and stem not in DISTRICT_COMMON_WORDS else None


def subdistrict_shorts(streets: list[dict], districts: list[dict], district_shorts: set[str]) -> dict[str, str]:
    """code -> short form, for the subdistricts whose short form passes every rule above."""
    stems = {r["code"]: SUBDISTRICT_SUFFIX.sub("", r["name"]) for r in streets}
    counts: dict[str, int] = {}
    for stem in stems.values():
        counts[stem] = counts.get(stem, 0) + 1
    words = dictionary_words()
    names = [r["name"] for r in districts + streets] + sorted(district_shorts) + ["重庆市", "重庆"]
    shorts = {}
    for r in streets:
        stem = stems[r["code"]]
        others = [n for n in names if n != r["name"]] + [s for c, s in stems.items() if c != r["code"]]
        if (
            len(stem) >= 2
            and counts[stem] == 1
            and stem not in district_shorts
            and not any(stem in other for other in others)
            and stem not in words
            and not stem.endswith(BAD_ENDINGS)
            and stem not in STOPLIST
        ):
            shorts[r["code"]] = stem
    return shorts


def area_block(code: str, cls: str, label: str, parent: str | None, short: str | None) -> str:
    lines = [f"<{BASE}{code}> a ms:{cls}", f'    rdfs:label "{label}"@zh', f'    ms:divisionCode "{code}"']
    if short:
        lines += [f'    ms:shortName "{short}"@zh', f'    skos:altLabel "{short}"@zh']
    if parent:
        lines.append(f"    ms:partOf <{BASE}{parent}>")
    return " ;\n".join(lines) + " .\n"


HEADER = f"""\
# Reference administrative areas of Chongqing: the municipality, its 38 districts and counties,
# and its 1,031 subdistricts (街道), towns (镇) and townships (乡). GENERATED by
# scripts/make_areas.py: do not edit by hand, rerun the script.
#
# Source: {SOURCE_REPO}
#   commit {SOURCE_COMMIT} (2024-11-28), dist/{{provinces,cities,areas,streets}}.csv
#   filtered to codes starting with 50; license WTFPL.
# Upstream: National Bureau of Statistics of China, statistical division codes (统计用区划代码).
# IRIs: msr:area/<division code>. Short-form rules: scripts/make_areas.py and ontology/SOURCES.md.

@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ms: <https://w3id.org/minsheng-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<https://w3id.org/minsheng-kg/id/dataset/areas> a dcat:Dataset ;
    dcterms:title "Reference administrative areas of Chongqing"@en, "重庆市行政区划参考数据"@zh ;
    dcterms:source <{SOURCE_REPO}/tree/{SOURCE_COMMIT}>, <https://www.stats.gov.cn/sj/tjbz/qhdm/> ;
    dcterms:license <http://www.wtfpl.net/> ;
    dcterms:description "Division codes and names of 重庆市 (municipality, districts/counties, subdistricts/towns/townships) from modood/Administrative-divisions-of-China, derived from the National Bureau of Statistics division codes."@en .

"""


def main(dataset: Path = DATASET) -> None:
    districts = sorted(read_csv(dataset / "areas.csv"), key=lambda r: r["code"])
    streets = sorted(read_csv(dataset / "streets.csv"), key=lambda r: r["code"])
    assert len(districts) == 38 and len(streets) == 1031, "unexpected dataset size"
    d_short = {r["code"]: district_short(r["name"]) for r in districts}
    s_short = subdistrict_shorts(streets, districts, {s for s in d_short.values() if s})
    blocks = [area_block("500000", "Municipality", "重庆市", None, "重庆")]
    blocks += [area_block(r["code"], "District", r["name"], "500000", d_short[r["code"]]) for r in districts]
    blocks += [area_block(r["code"], "Subdistrict", r["name"], r["areaCode"], s_short.get(r["code"])) for r in streets]
    OUT.write_text(HEADER + "\n".join(blocks), encoding="utf-8")
    print(f"wrote {OUT}: 1 municipality, {len(districts)} districts ({sum(1 for s in d_short.values() if s)} "
          f"with short forms), {len(streets)} subdistricts ({len(s_short)} with short forms)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATASET)
