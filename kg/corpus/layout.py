"""Layout repair and splitting of a newspaper page.

Newspaper text arrives with its layout damaged: lines hard-wrapped inside words, sentences
broken across blank lines ("丁中\\n\\n平介绍"), headlines set one character per line, photo
captions and bylines between paragraphs, and several unrelated articles on one page. This
module turns a page into blocks of known kinds, rejoins what the layout broke, splits the page
into articles at their bylines and news leads (and, on a page saved one paragraph a line, at
headlines), and splits text into sentences. Every character
keeps its offset in the original text.
"""

from __future__ import annotations

import json
from array import array
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from kg.corpus.model import Article, Block, Sentence, SourceInfo

TERMINAL = "。！？!?；;…”’」』\"）)"
SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』\"]*|…{1,2}[”’」』]*(?=\s*$)")
CJK = re.compile(r"[\u4e00-\u9fff]")
# A page with no blank line whose lines end sentences this often holds one paragraph or headline
# a line (text saved from a web page): its line breaks are paragraph breaks. A hard-wrapped column
# ends few lines at a sentence's end (a seed page's: 14%).
PARAGRAPH_LINES_ENDING_SENTENCES = 1 / 3
# a section's number before its heading: （一）, 一、, 1., 第一
SECTION_NUMBER = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、]|第[一二三四五六七八九十]+)")
# the journalists a lead names without brackets: 本报讯记者谢国明报道：, …电记者陈特安、李云飞报道：
LEAD_REPORTERS = re.compile(r"((?:记者|通讯员)[\u4e00-\u9fff·、\s　]{2,24}?)报道")


@lru_cache(maxsize=1)
def cues() -> dict[str, re.Pattern]:
    raw = json.loads(Path(__file__).with_name("layout_cues.json").read_text(encoding="utf-8"))
    return {k: re.compile(v) for k, v in raw.items() if not k.startswith("_")}


@dataclass
class Line:
    text: str  # stripped
    start: int  # offset of text[0] in the page
    blank_before: bool = False
    kind: str = "body"


@dataclass
class Piece:
    """A block under construction: its characters and each one's offset in the page."""

    kind: str
    chars: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    def add(self, line: Line, sep: str = "") -> None:
        self.lines.append(line)
        if sep and self.chars:
            self.chars.append(sep)
            self.offsets.append(self.offsets[-1] + 1)
        self.chars.extend(line.text)
        self.offsets.extend(range(line.start, line.start + len(line.text)))

    @property
    def text(self) -> str:
        return "".join(self.chars)


def _lines(text: str, base: int = 0) -> list[Line]:
    lines, blank, offset = [], True, base  # the top of the page breaks like a blank line
    for raw in text.split("\n"):
        stripped = raw.strip(" \t\u3000")
        if stripped:
            lead = len(raw) - len(raw.lstrip(" \t\u3000"))
            lines.append(Line(stripped, offset + lead, blank))
            blank = False
        else:
            blank = True
        offset += len(raw) + 1
    return lines


def _paragraph_per_line(lines: list[Line]) -> bool:
    return (len(lines) > 1 and not any(line.blank_before for line in lines[1:])
            and sum(line.text.endswith(tuple(TERMINAL)) for line in lines) >= PARAGRAPH_LINES_ENDING_SENTENCES * len(lines))


def _classify(lines: list[Line]) -> None:
    c = cues()
    in_guests = False
    for i, line in enumerate(lines):
        t = line.text
        if t.startswith("#"):
            line.kind, in_guests = "heading", False
        elif c["guests_label"].match(t):
            line.kind, in_guests = "guests_label", True
        elif c["caption_credit"].search(t):
            line.kind = "caption"
            # the photo's description is the short line just above its credit
            if i and lines[i - 1].kind == "body" and len(lines[i - 1].text) <= 60 and not line.blank_before:
                lines[i - 1].kind = "caption"
        elif c["byline"].match(t) or (i and lines[i - 1].kind == "byline" and c["names_line"].match(t)):
            line.kind = "byline"
        elif c["section_label"].match(t):
            line.kind = "label"
        elif in_guests and len(t) <= 40 and not t.endswith(tuple("。！？")):
            line.kind = "guests"
        else:
            in_guests = False
            if len(t) <= 4 and CJK.fullmatch(t[0]) and _is_name_line(lines, i):
                line.kind = "caption"  # a name under a portrait photo


def _is_name_line(lines: list[Line], i: int) -> bool:
    """A lone 2-4 character line between blank lines, like the names under portraits."""
    t = lines[i].text
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    return 2 <= len(t) <= 4 and lines[i].blank_before and (nxt is None or nxt.blank_before) and not re.search(r"[，。、]", t)


def _pieces(lines: list[Line]) -> list[Piece]:
    """Group lines into blocks, rejoining words and sentences the layout broke."""
    pieces: list[Piece] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        # A headline set vertically: one character per line.
        if len(line.text) == 1 and i + 2 < len(lines) and len(lines[i + 1].text) == 1 and len(lines[i + 2].text) == 1:
            piece = Piece("heading")
            while i < len(lines) and len(lines[i].text) == 1:
                piece.add(lines[i])
                i += 1
            pieces.append(piece)
            continue
        kind = {"heading": "heading", "guests_label": "label", "label": "label", "caption": "caption",
                "byline": "byline", "guests": "guests"}.get(line.kind, "body")
        prev = pieces[-1] if pieces else None
        if kind == "body" and prev is not None and prev.kind == "body" and _interrupts(lines, i, prev):
            # A headline set between the two halves of a broken sentence (…银政合 / 标题 / 作设立…):
            # keep it apart and let the sentence go on after it.
            pieces.append(Piece("heading"))
            pieces[-1].add(line)
            i += 1
            if i < len(lines) and lines[i].kind == "body" and not cues()["news_lead"].match(lines[i].text):
                prev.add(lines[i])
                i += 1
            continue
        if prev is not None and _continues(prev, line, kind):
            prev.add(line, sep="\n" if kind in ("guests", "byline") else "")
        else:
            piece = Piece(kind)
            piece.add(Line(line.text.lstrip("#").strip(), line.start + len(line.text) - len(line.text.lstrip("#").strip()))
                      if kind == "heading" else line)
            pieces.append(piece)
        i += 1
    return [_retype(p) for p in pieces]


def _interrupts(lines: list[Line], i: int, prev: Piece) -> bool:
    line = lines[i]
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    return (not prev.text.endswith(tuple(TERMINAL) + (":", "：")) and line.blank_before and nxt is not None
            and not line.text.startswith(("■", "●", "□", "◆", "·", "-"))
            and nxt.blank_before and len(line.text) <= 30 and not re.search(r"[，。、；,]", line.text))


def _continues(prev: Piece, line: Line, kind: str) -> bool:
    if kind != prev.kind or kind in ("heading", "label", "caption") or cues()["news_lead"].match(line.text):
        return False
    if kind in ("guests", "byline"):
        return True
    if len(prev.lines) == 1 and _headline_like(prev.lines[0], line):
        return False  # a one-line headline standing alone, not half of a broken sentence
    ends_open = not prev.text.endswith(tuple(TERMINAL))
    if ends_open and line.blank_before and NEW_SPEAKER.match(line.text):
        return False  # …“1”是即将印发 / 彭辉介绍，…: another speaker's account, not the rest of this one
    if ends_open:
        return True  # 丁中 / 平介绍: a word or sentence broken across lines, blank or not
    return not line.blank_before and not _starts_paragraph(line.text)


# A paragraph that opens with a speaker: a name, a speech verb, a comma (彭辉介绍，).
NEW_SPEAKER = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:介绍|表示|说|指出|强调|谈到|认为|透露)[，,：:]")


def _headline_like(line: Line, after: Line) -> bool:
    return line.blank_before and after.blank_before and len(line.text) <= 30 and not re.search(r"[，。、；,：:]", line.text)


def _starts_paragraph(text: str) -> bool:
    return bool(re.match(r"^(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]要|首先|其次|再次|最后|“)", text))


def _retype(piece: Piece) -> Piece:
    """A short body block with no sentence punctuation is a headline or a subheading."""
    text = piece.text
    if piece.kind == "body" and len(text) <= 40 and not re.search(r"[。！？!?；，,]", text):
        piece.kind = "heading"
    return piece


def split_sentences(piece: Piece) -> tuple[Sentence, ...]:
    text, offsets = piece.text, piece.offsets
    sentences, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if _inside_open_quote(text, start, m.end()) and m.end() < len(text):
            continue
        sentences.append(_sentence(text, offsets, start, m.end()))
        start = m.end()
    if start < len(text) and text[start:].strip():
        sentences.append(_sentence(text, offsets, start, len(text)))
    return tuple(s for s in sentences if s is not None)


def _inside_open_quote(text: str, start: int, end: int) -> bool:
    """A sentence end inside an open “…” that closes later in the same block is not the end."""
    span = text[start:end]
    return span.count("“") > span.count("”") and "”" in text[end:end + 200]


def _sentence(text: str, offsets: list[int], start: int, end: int) -> Sentence | None:
    while start < end and text[start] in " \n\u3000":
        start += 1
    while end > start and text[end - 1] in " \n\u3000":
        end -= 1
    if start >= end:
        return None
    return Sentence(text[start:end], offsets[start], offsets[end - 1] + 1, array("I", offsets[start:end]))


def _block(piece: Piece) -> Block:
    sentences = split_sentences(piece) if piece.kind in ("body", "heading", "guests") else ()
    return Block(piece.kind if piece.kind != "label" else "heading", piece.text, piece.offsets[0],
                 piece.offsets[-1] + 1, sentences)


def byline_names(text: str) -> tuple[str, ...]:
    """Journalists' names in a byline: the 2-4 character words after 记者/通讯员/实习生."""
    names = []
    parts = re.split(r"(记者|通讯员|实习生)", text)
    for k in range(2, len(parts), 2):
        found = re.findall(r"[\u4e00-\u9fff·]{2,4}", re.sub(r"摄.*$", "", parts[k]))
        if len(found) > 1 and k + 1 < len(parts) and parts[k + 1] == "记者" and re.search(r"[\u4e00-\u9fff]$", parts[k]):
            found.pop()  # 记者刘振英、新华社记者陈雁: the outlet before the next 记者 is no journalist
        names += found
    return tuple(n for n in names if n not in ("新重庆", "重庆日报", "本报", "视觉重庆"))


# A layout keeps a few objects per character while it works: a longer text is laid out in
# segments cut at paragraph breaks, so memory stays bounded whatever the file's size.
SEGMENT_CHARS = 400_000


def split_articles(text: str, source: SourceInfo) -> list[Article]:
    """Articles of a page: a byline or a news lead (本报讯, a dateline) opens a new one once the
    current one has its own; the headlines right above it move with it. On a page saved one
    paragraph a line, an unnumbered headline after body text opens one too. A photo-news item (headline, text,
    then a photographer's credit) is an article of its own."""
    articles: list[Article] = []
    for base, segment in _segments(text):
        for article in _segment_articles(segment, source, base):
            articles.append(replace(article, index=len(articles) + 1))
    return articles


def _segments(text: str):
    """(offset, text) pieces of at most about SEGMENT_CHARS, cut after a blank line (else a line break)."""
    start = 0
    while len(text) - start > SEGMENT_CHARS:
        limit = start + SEGMENT_CHARS
        cut = text.rfind("\n\n", start, limit)
        cut = cut + 2 if cut > start else (text.rfind("\n", start, limit) + 1 or limit)
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


def _segment_articles(text: str, source: SourceInfo, base: int) -> list[Article]:
    lines = _lines(text, base)
    # On a page of one paragraph a line, every line break is a paragraph break, as a blank line
    # is on a laid-out page, and a headline after body text is the next article's (a numbered
    # one heads a section of this one: （一）…, 二、…).
    headlines_open = _paragraph_per_line(lines)
    if headlines_open:
        for line in lines:
            line.blank_before = True
    _classify(lines)
    pieces = _pieces(lines)
    groups: list[list[Piece]] = [[]]
    for i, piece in enumerate(pieces):
        opens = piece.kind == "byline" or _is_news_lead(piece)
        if (headlines_open and piece.kind == "heading" and not SECTION_NUMBER.match(piece.text)
                and groups[-1] and groups[-1][-1].kind == "body"):
            groups.append([])
        elif opens and any(p.kind == "byline" or _is_news_lead(p) for p in groups[-1]):
            carried = []
            while groups[-1] and groups[-1][-1].kind in ("heading", "label"):
                carried.insert(0, groups[-1].pop())
            groups.append(carried)
        elif piece.kind == "caption" and re.match(r"(?:记者|摄影)", piece.text) and _is_photo_news_credit(groups[-1]):
            cut = max(j for j, p in enumerate(groups[-1]) if p.kind == "heading")
            photo_news = groups[-1][cut:]
            del groups[-1][cut:]
            groups.append(photo_news + [piece])
            groups.append([])
            continue
        groups[-1].append(piece)
    groups = [g for g in groups if any(p.kind == "body" for p in g)]
    result = []
    for n, group in enumerate(groups):
        blocks = tuple(_block(p) for p in group)
        authors = tuple(dict.fromkeys(name for p in group for name in _authors_of(p)))
        result.append(Article(source, n + 1, _title(group, source), authors, blocks, blocks[0].start, blocks[-1].end))
    return result


def _is_news_lead(piece: Piece) -> bool:
    return piece.kind == "body" and cues()["news_lead"].match(piece.text) is not None


def _is_photo_news_credit(group: list[Piece]) -> bool:
    """A credit line straight after body text that follows a headline: the end of a photo-news item."""
    if not group or group[-1].kind != "body":
        return False
    heads = [j for j, p in enumerate(group) if p.kind == "heading"]
    return bool(heads) and heads[-1] > 0 and any(p.kind == "body" for p in group[: heads[-1]]) \
        and all(p.kind == "body" for p in group[heads[-1] + 1:])


def _title(group: list[Piece], source: SourceInfo) -> str:
    """The headline right above the article's first byline, else its first headline."""
    for j, piece in enumerate(group):
        if piece.kind == "byline" or _is_news_lead(piece):
            heads = [p for p in group[:j] if p.kind == "heading"]
            if heads:
                return heads[-1].text.replace("\n", " ")
            break
    first = next((p for p in group if p.kind == "heading"), None)
    return first.text if first else (source.title or group[0].text[:30])


def _authors_of(piece: Piece) -> tuple[str, ...]:
    if piece.kind == "byline":
        return byline_names(piece.text)
    lead = cues()["news_lead"].match(piece.text)
    if lead:  # 本报讯（新重庆-重庆日报记者 苏畅 实习生 舒琪琦）, 本报讯记者谢国明报道：
        after = piece.text[lead.end():]
        bracket = re.match(r"\s*[（(]([^）)]{0,40})[）)]", after)
        reported = LEAD_REPORTERS.match(after)
        return byline_names(bracket.group(1) if bracket else reported.group(1) if reported else "")
    if piece.kind == "caption":
        return byline_names(piece.text)
    return ()
