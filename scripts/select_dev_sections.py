"""Choose the development set's excerpts: the livelihood section of each chosen report.

For each report, paragraphs are scored by livelihood keywords (the guide's sectors) and the
excerpt is the run of whole paragraphs, about TARGET characters long, with the highest score.
Run once, before any annotation; writes tests/dev_gold/sources.json (offsets only).
`third` writes the third set's tests/dev_gold3/sources.json: the open part's provinces outside
their first window, and a national year no other set uses. `fourth` writes tests/dev_gold4's:
the last unused provincial window with a livelihood score like a first window's (四川省, open in
the first set), national years no set uses, and the second windows of two open national years.
`fifth` writes tests/dev_gold5's: six windows of People's Daily news (MSRA NER's test split).

    python scripts/select_dev_sections.py [third | fourth | fifth]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg.eval.devset import NATIONAL, NEWS, PROVINCIAL, datasets_dir, full_text  # noqa: E402

PROVINCES = ["四川省", "广东省", "浙江省", "江苏省", "河南省", "湖北省", "贵州省", "甘肃省"]
YEARS = ["2019", "2021", "2023", "2025"]
HELD_OUT = {"江苏省", "贵州省", "甘肃省", "2023"}  # their errors are never read
TARGET = 5500
KEYWORDS = re.compile("就业|社保|社会保险|社会保障|养老|医疗|医保|卫生|健康|教育|学校|托育|幼儿|救助|低保|特困|"
                      "乡村振兴|脱贫|返贫|住房|保障房|老旧小区|妇女|儿童|残疾|公共服务|民生|老年|困难群众")


def windows(text: str, target: int):
    """(keyword hits, (start, end)) of each run of whole paragraphs from each paragraph on, as
    long as it takes to reach `target` characters."""
    paras = [m.span() for m in re.finditer(r"[^\n]+", text)]
    for i in range(len(paras)):
        start, hits = paras[i][0], 0
        for j in range(i, len(paras)):
            hits += len(KEYWORDS.findall(text[paras[j][0]:paras[j][1]]))
            if paras[j][1] - start >= target:
                yield hits, (start, paras[j][1])
                break


def best_window(text: str) -> tuple[int, int]:
    """The first window of TARGET characters with the most keyword hits."""
    return max(windows(text, TARGET), key=lambda w: w[0], default=(0, (0, 0)))[1]


def second_window(text: str, start: int, end: int) -> tuple[int, int]:
    """The best window outside [start, end): after it or before it, whichever scores higher."""
    after = best_window(text[end:])
    after = (after[0] + end, after[1] + end)
    before = best_window(text[:start])
    return max([after, before], key=lambda w: len(KEYWORDS.findall(text[w[0]:w[1]])) if w[1] > w[0] else -1)


def main() -> None:
    root = datasets_dir()
    rows = []
    for n, (source, record) in enumerate([(f"{PROVINCIAL}/2026_{p}_政府工作报告.csv", p) for p in PROVINCES]
                                         + [(NATIONAL, y) for y in YEARS], start=1):
        text = full_text(root, source, record)
        start, end = best_window(text)
        name = record if not record.isdigit() else f"国务院_{record}"
        rows.append({"doc": f"dev{n:02d}_{name}.txt", "source": source, "record": record,
                     "start": start, "end": end, "chars": end - start, "held_out": record in HELD_OUT})
    _write(rows, "tests/dev_gold/sources.json")


THIRD_PROVINCES = ["河南省", "浙江省", "湖北省", "广东省"]
THIRD_YEAR = "2009"


def third() -> None:
    root, rows = datasets_dir(), []
    for n, record in enumerate(THIRD_PROVINCES, start=5):
        source = f"{PROVINCIAL}/2026_{record}_政府工作报告.csv"
        text = full_text(root, source, record)
        start, end = second_window(text, *best_window(text))
        rows.append({"doc": f"ann{n:02d}_{record}_b.txt", "source": source, "record": record,
                     "start": start, "end": end, "chars": end - start, "held_out": False})
    text = full_text(root, NATIONAL, THIRD_YEAR)
    start, end = best_window(text)
    rows.append({"doc": f"ann{len(rows) + 5:02d}_国务院_{THIRD_YEAR}.txt", "source": NATIONAL, "record": THIRD_YEAR,
                 "start": start, "end": end, "chars": end - start, "held_out": False})
    _write(rows, "tests/dev_gold3/sources.json")


# (record, which window, held out): the fourth set holds two excerpts out, so that the held-out
# figure rests on more than the first set's four excerpts
FOURTH = [("四川省", "b", False), ("2008", "a", False), ("2007", "a", False), ("2019", "b", False),
          ("2006", "a", True), ("2021", "b", True)]


def fourth() -> None:
    root, rows = datasets_dir(), []
    for n, (record, window, held_out) in enumerate(FOURTH, start=10):
        source = NATIONAL if record.isdigit() else f"{PROVINCIAL}/2026_{record}_政府工作报告.csv"
        text = full_text(root, source, record)
        start, end = best_window(text)
        if window == "b":
            start, end = second_window(text, start, end)
        name = f"国务院_{record}" if record.isdigit() else record
        suffix = "_b" if window == "b" else ""
        rows.append({"doc": f"ann{n:02d}_{name}{suffix}.txt", "source": source, "record": record,
                     "start": start, "end": end, "chars": end - start, "held_out": held_out})
    _write(rows, "tests/dev_gold4/sources.json")


# The fifth set is news, not reports: People's Daily articles (MSRA NER's test split), where
# officials speak and agencies act, as on the district pages. Windows are shorter: an article is.
NEWS_TARGET = 3500
NEWS_WINDOWS = 6
NEWS_HELD_OUT = (1, 4)  # the second and fifth best windows: their errors are never read


def fifth() -> None:
    """The NEWS_WINDOWS best-scoring windows of whole paragraphs that do not overlap, in text order."""
    text = full_text(datasets_dir(), NEWS, "test")
    chosen: list[tuple[int, int]] = []
    for _, (start, end) in sorted(windows(text, NEWS_TARGET), key=lambda w: (-w[0], w[1])):
        if all(end <= s or e <= start for s, e in chosen):
            chosen.append((start, end))
        if len(chosen) == NEWS_WINDOWS:
            break
    held = {chosen[k] for k in NEWS_HELD_OUT}
    rows = [{"doc": f"news{n:02d}.txt", "source": NEWS, "record": "test", "start": start, "end": end,
             "chars": end - start, "held_out": (start, end) in held}
            for n, (start, end) in enumerate(sorted(chosen), start=1)]
    _write(rows, "tests/dev_gold5/sources.json")


def _write(rows: list[dict], relative: str) -> None:
    out = Path(__file__).resolve().parents[1] / relative
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"excerpts": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} excerpts, {sum(r['chars'] for r in rows)} characters -> {out}")


if __name__ == "__main__":
    {"third": third, "fourth": fourth, "fifth": fifth}.get(sys.argv[1] if sys.argv[1:] else "", main)()
