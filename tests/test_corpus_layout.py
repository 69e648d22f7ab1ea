"""The corpus loader on the seed pages (a copy of the five, tests/conftest.py): decoding, layout repair, articles, sentences, offsets."""

from pathlib import Path

import pytest

from kg.corpus.decode import read_source
from kg.corpus.load import load_corpus
from kg.corpus.model import Skipped

@pytest.fixture(scope="module")
def loaded(seed_corpus):
    return load_corpus([seed_corpus])


def page(loaded, prefix):
    return [a for a in loaded.articles if a.source.file_id.startswith(prefix)]


def body_text(articles):
    return "".join(s.text for a in articles for _, s in a.sentences(("body",)))


def test_five_pages_load_without_skips(loaded):
    assert len(loaded.sources) == 5 and loaded.skipped == []


@pytest.mark.parametrize("prefix, repaired", [
    ("000", "零就业家庭实现动态清零"),  # broken across a blank line
    ("001", "丁中平介绍"),  # a name broken across a blank line
    ("003", "重庆主城都市区工作座谈会"),  # hard-wrapped every dozen characters
    ("001", "通过银政合作设立政府风险补偿金"),  # a headline set inside a sentence
])
def test_layout_repair_rejoins_broken_words(loaded, prefix, repaired):
    assert repaired in body_text(page(loaded, prefix))


def test_wrapped_page_has_no_line_breaks_inside_sentences(loaded):
    for article in page(loaded, "003"):
        for _, s in article.sentences(("body",)):
            assert "\n" not in s.text


@pytest.mark.parametrize("prefix, at_least", [("000", 3), ("001", 3), ("003", 5)])
def test_pages_split_into_articles(loaded, prefix, at_least):
    articles = page(loaded, prefix)
    assert len(articles) >= at_least
    assert all(a.title and any(True for _ in a.sentences(("body",))) for a in articles)
    assert len({a.title for a in articles}) >= at_least - 1


def test_bylines_give_authors_not_body_text(loaded):
    main = page(loaded, "000")[0]
    assert main.authors[:2] == ("张莎", "黄乔")
    assert not any("记者" in s.text and "张莎" in s.text for _, s in main.sentences(("body",)))
    news = [a for a in page(loaded, "001") if "苏畅" in a.authors]
    assert news and "富民贷" in news[0].title


def test_captions_and_guest_lists_are_kept_apart(loaded):
    kinds = {b.kind for a in loaded.articles for b in a.blocks}
    assert {"caption", "guests", "byline", "heading", "body"} <= kinds
    captions = [b.text for a in loaded.articles for b in a.blocks if b.kind == "caption"]
    assert any(c.endswith("摄") for c in captions)
    assert not any(c.endswith("摄") for _, s in [(a, s) for a in loaded.articles for _, s in a.sentences(("body",))] for c in [s.text])
    guests = [b.text for a in page(loaded, "001") for b in a.blocks if b.kind == "guests"]
    assert guests and "丁中平" in guests[0] and "市民政局党组书记、局长" in guests[0]


def test_every_sentence_points_back_into_its_file(loaded, seed_corpus):
    texts = {p.name: read_source(p)[0] for p in sorted(seed_corpus.glob("*.txt"))}
    n = 0
    for article in loaded.articles:
        text = texts[Path(article.source.path).name]
        for _, s in article.sentences(("body", "heading", "guests", "title")):
            # each character at its offset; start/end span them (and any headline set inside)
            assert all(text[o] == ch for o, ch in zip(s.offsets, s.text) if not ch.isspace())
            assert (s.start, s.end) == (s.offsets[0], s.offsets[-1] + 1)
            n += 1
    assert n > 300


@pytest.mark.parametrize("encoding, prefix, detected", [
    ("gb18030", b"", "gb18030"), ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-16", b"", "utf-16"),  # Python writes a BOM
    ("utf-16-le", b"", "utf-16-le"), ("utf-16-be", b"", "utf-16-be"),  # no BOM
])
def test_encodings_give_the_same_articles(tmp_path, loaded, seed_corpus, encoding, prefix, detected):
    source = seed_corpus / "000_1cdf7dfc6daaec04.txt"
    copy = tmp_path / source.name
    copy.write_bytes(prefix + source.read_text(encoding="utf-8").encode(encoding))
    result = load_corpus([copy])
    assert result.sources[0].encoding == detected
    original = page(loaded, "000")
    assert [a.title for a in result.articles] == [a.title for a in original]
    assert body_text(result.articles) == body_text(original)


def test_bad_files_are_skipped_with_a_reason_and_the_rest_loads(tmp_path, seed_corpus):
    (tmp_path / "good.txt").write_text((seed_corpus / "002_291cbfb73b0607b6.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"  \n\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (tmp_path / "latin.txt").write_bytes("caf\xe9 cr\xe8me ".encode("latin-1") * 3 + b"\xff\xfe\xfd")
    result = load_corpus([tmp_path, tmp_path / "missing.txt"])
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "latin.txt", "missing.txt"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]
    assert "undecodable" in reasons["latin.txt"] and "no such file" in reasons["missing.txt"]
    assert [s.file_id for s in result.sources] == ["good"] and result.articles


def test_a_folders_other_files_are_reported_not_read(tmp_path, seed_corpus):
    (tmp_path / "good.txt").write_text((seed_corpus / "002_291cbfb73b0607b6.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "report.csv").write_text("province,full_text\n重庆市,市民政局开展“暖心行动”。\n", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "notes.md").write_text("x", encoding="utf-8")
    result = load_corpus([tmp_path])
    assert [(Path(s.path).name, "not a .txt file" in s.reason) for s in result.skipped] == [("report.csv", True)]
    assert [s.file_id for s in result.sources] == ["good"]
    named = load_corpus([tmp_path / "report.csv"])  # named by itself, it is read as text
    assert not named.skipped and named.articles


def test_manifest_rows_apply_and_files_without_a_row_use_defaults(tmp_path, loaded):
    main = page(loaded, "000")[0]
    assert (main.source.publisher, main.source.date) == ("重庆日报", "2025-03")
    (tmp_path / "new.txt").write_text("重庆新闻\n\n市民政局开展“暖心行动”。", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,publisher,date,title\nnew.txt,测试报,2025-13-01,题\n", encoding="utf-8")
    result = load_corpus([tmp_path])
    assert result.sources[0].publisher == "测试报" and result.sources[0].date is None
    assert any("2025-13-01" in s.reason for s in result.skipped)
    (tmp_path / "manifest.csv").unlink()
    bare = load_corpus([tmp_path])
    assert bare.sources[0].publisher is None and bare.articles[0].title == "重庆新闻"


def test_read_source_reports_folders(tmp_path):
    assert isinstance(read_source(tmp_path), Skipped)


def test_another_speakers_paragraph_is_not_the_rest_of_a_broken_sentence():
    from kg.corpus.layout import split_articles
    from kg.corpus.model import SourceInfo

    text = ("题目\n\n李春奎介绍，重庆将加快构建形成“1+N”常态化帮扶政策体系，“1”是即将印发\n\n"
            "彭辉介绍，市妇联打造了“渝好空间”妇女儿童综合服务体系。\n\n今年，市民政局局长丁中\n\n平介绍，将建好联合体。")
    [article] = split_articles(text, SourceInfo(path="x.txt", file_id="x"))
    bodies = [b.text for b in article.blocks if b.kind == "body"]
    assert any(b.startswith("彭辉介绍") for b in bodies)
    assert any("丁中平介绍" in b for b in bodies)  # a name broken across lines is still rejoined


# A page saved from a news site: one paragraph or headline a line, no blank line (made-up text).
WEB_PAGE = ("社区食堂开到家门口\n本报讯记者王小明报道：北碚区启动社区食堂建设。全区建成食堂12个。\n"
            "首批食堂重点服务独居老人。\n区民政局表示，将继续推进。\n"
            "职业培训进乡村\n新华社重庆６月２１日电（记者李华、新华社记者张强）今年开展培训。\n"
            "区人社局局长刘军说，培训免费。\n"
            "让老人吃得放心\n（一）食材统一采购。\n")


def test_a_page_of_one_paragraph_a_line_splits_at_headlines_and_datelines():
    from kg.corpus.layout import split_articles
    from kg.corpus.model import SourceInfo

    articles = split_articles(WEB_PAGE, SourceInfo(path="x.txt", file_id="x"))
    assert [a.title for a in articles] == ["社区食堂开到家门口", "职业培训进乡村", "让老人吃得放心"]
    # each line a paragraph: the speaker's paragraph is its own, not the rest of the one before
    assert [b.text for b in articles[0].blocks if b.kind == "body"][-1] == "区民政局表示，将继续推进。"
    # the journalists of a lead without brackets, and of one in brackets without the outlet
    assert articles[0].authors == ("王小明",) and articles[1].authors == ("李华", "张强")
    assert [b.kind for b in articles[2].blocks] == ["heading", "body"]  # a numbered section stays in


def test_a_hard_wrapped_page_without_blank_lines_is_still_rejoined():
    from kg.corpus.layout import split_articles
    from kg.corpus.model import SourceInfo

    text = "社区食堂开到家门口\n北碚区启动社区食堂建\n设，全区建成食堂12\n个，首批食堂重点服\n务独居老人。区民政\n局表示，将继续推进。\n"
    [article] = split_articles(text, SourceInfo(path="x.txt", file_id="x"))
    assert "北碚区启动社区食堂建设，全区建成食堂12个，首批食堂重点服务独居老人。" in "".join(b.text for b in article.blocks)
