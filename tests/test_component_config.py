"""Every extraction component names the word lists it reads in its spaCy config, and a list
swapped through that config changes what the component finds."""

import re

import pytest
from spacy.language import Language

from kg.errors import KgError
from kg.extract import vocab
from kg.extract.pipeline import PIPELINE, build_nlp, extract_text, make_nlp

COMPONENTS = list(PIPELINE)


def _paths(name: str) -> dict[str, str]:
    """A component's config settings that are word-list paths (the others are flags and lists)."""
    return {k: v for k, v in Language.get_factory_meta(name).default_config.items() if isinstance(v, str)}


def _list_file(tmp_path, default: str, drop=(), add=()):
    """A copy of a default line list without the items `drop` and with the items `add`."""
    items = [w for w in vocab.words(default) if w not in drop] + list(add)
    path = tmp_path / default
    path.write_text("# test list\n" + "\n".join(items) + "\n", encoding="utf-8")
    return str(path)


def _entities(text: str, nlp=None) -> set:
    return set(extract_text(text, nlp=nlp).entities)


def _linked(text: str, predicate: str, nlp=None) -> set:
    """The objects of the text's links with this predicate."""
    return {link.object for link in extract_text(text, nlp=nlp).links if link.predicate == predicate}


@pytest.mark.parametrize("name", COMPONENTS)
def test_every_configured_path_is_a_data_file(name):
    for key, path in _paths(name).items():
        assert vocab.data_path(path).is_file(), f"{name}.{key}: {path}"


def test_every_data_file_is_read_through_some_components_config():
    named = {path for name in COMPONENTS for path in _paths(name).values()}
    assert named == {p.name for p in vocab.DATA.iterdir() if p.suffix in (".txt", ".tsv")}


@pytest.mark.parametrize("path", sorted(p for p in vocab.DATA.iterdir() if p.suffix in (".txt", ".tsv")),
                         ids=lambda p: p.name)
def test_every_data_file_has_a_header_saying_its_format(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and len(lines[0]) > 10  # what the file holds
    header = [ln for ln in lines if ln.startswith("# format:") or ln.startswith("# columns:")]
    assert len(header) == 1
    if path.suffix == ".tsv":
        columns = header[0].removeprefix("# columns:").split("\t")
        assert len(columns) >= 2
        assert all(len(row) == len(columns) for row in vocab.table(path.name))
    else:
        assert header[0].startswith("# format:")


def test_the_default_pipeline_reports_no_unmet_requirements():
    problems = build_nlp().analyze_pipes(pretty=False)["problems"]
    assert problems == {name: [] for name in COMPONENTS}


def test_a_group_head_list_without_a_head_leaves_its_groups_unfound(tmp_path):
    text = "关爱失独群体和外卖骑手。"
    assert {("TargetGroup", "外卖骑手"), ("TargetGroup", "失独群体")} <= _entities(text)
    heads = _list_file(tmp_path, "group_heads.txt", drop={"群体"})
    found = _entities(text, make_nlp({"ms_target_groups": {"group_heads": heads}}))
    assert ("TargetGroup", "失独群体") not in found
    assert ("TargetGroup", "外卖骑手") in found  # a term of the scheme needs no head


def test_a_new_post_title_makes_a_new_official(tmp_path):
    text = "市民政局首席观察员丁中平出席活动。"
    assert ("Official", "丁中平") not in _entities(text)
    titles = _list_file(tmp_path, "post_titles.txt", add=["首席观察员"])
    found = _entities(text, make_nlp({"ms_officials": {"post_titles": titles}}))
    assert {("Official", "丁中平"), ("Post", "重庆市民政局首席观察员")} <= found


def test_a_new_measure_word_makes_a_new_indicator(tmp_path):
    text = "全市新增渔船30艘。"
    assert extract_text(text).indicators == []
    units = _list_file(tmp_path, "measure_words.txt", add=["艘"])
    found = extract_text(text, nlp=make_nlp({"ms_indicators": {"measure_words": units}})).indicators
    assert [(i.metric, i.value, i.unit) for i in found] == [("新增渔船", "30", "艘")]


@pytest.mark.parametrize("component, key, dropped, text, predicate, linked", [
    # the speech verbs decide who promotes a program
    ("ms_speakers", "speech_verbs", "透露", "市民政局局长丁中平透露，我市将实施“渝悦·养老”行动计划。", "promotedBy",
     ("Official", "丁中平")),
    # the serve cues decide which group a program targets
    ("ms_links", "serve_cues", "面向", "我市将面向外卖骑手实施“渝悦·关爱”行动计划。", "targets", ("TargetGroup", "外卖骑手")),
])
def test_a_cue_list_without_its_cue_loses_the_link(tmp_path, component, key, dropped, text, predicate, linked):
    assert _linked(text, predicate) == {linked}
    cues = _list_file(tmp_path, f"{key}.txt", drop={dropped})
    assert _linked(text, predicate, make_nlp({component: {key: cues}})) == set()


def test_the_sector_table_of_ms_programs_classifies_its_programs(tmp_path):
    text = "我市将实施“渝悦·养老”行动计划。"
    assert ("Sector", "养老") in _entities(text)
    rows = [row for row in vocab.table("sector_keywords.tsv") if row[0] != "elderly-care"]
    table = tmp_path / "sectors.tsv"
    table.write_text("# test table\n# columns: sector key\tkeywords\n" + "".join("\t".join(r) + "\n" for r in rows),
                     encoding="utf-8")
    nlp = make_nlp({"ms_programs": {"sector_keywords": str(table)}})
    assert ("Sector", "养老") not in _entities(text, nlp)


def test_labour_rights_are_employment_and_one_old_one_young_is_both_care_sectors():
    assert ("Sector", "就业") in _entities("我市持续开展“渝悦·根治欠薪”专项行动。")
    assert ("Sector", "社会保险") not in _entities("我市持续开展“渝悦·根治欠薪”专项行动。")
    assert {("Sector", "养老"), ("Sector", "托育")} <= _entities("我市构建一老一幼服务保障体系。")


def _sectors():
    """The sector scheme of ms_programs' default configuration (its table files)."""
    return build_nlp().get_pipe("ms_programs").sectors


def test_an_insurance_is_in_social_insurance_and_in_the_field_it_insures():
    scheme = _sectors()
    assert set(scheme.classify("城乡居民基本养老保险", [], "")) == {"social-insurance", "elderly-care"}
    assert scheme.classify("促进乡村全面振兴的实施意见", [], "") == ["rural-revitalization"]
    assert set(scheme.classify("城乡居民基本医保", [], "")) == {"social-insurance", "health"}
    # childbirth insurance and its allowance insure mothers, not childcare
    assert set(scheme.classify("生育保险制度", [], "")) == {"social-insurance", "women-children"}
    assert set(scheme.classify("生育津贴", [], "")) == {"social-insurance", "women-children"}
    # nor is the countryside its insured live in
    assert set(scheme.classify("新型农村社会养老保险试点", [], "")) == {"social-insurance", "elderly-care"}


def test_veterans_services_are_public_services_and_their_special_care_is_social_assistance():
    scheme = _sectors()
    assert scheme.classify("退役军人服务保障", [], "") == ["public-services"]
    assert scheme.classify("优抚对象抚恤和生活补助", [], "") == ["social-assistance"]


def test_childbearing_support_is_also_women_and_children_and_childcare_services_are_not():
    scheme = _sectors()
    assert set(scheme.classify("育儿补贴制度", [], "")) == {"childcare", "women-children"}
    assert scheme.classify("普惠托育服务", [], "") == ["childcare"]
    assert set(scheme.classify("早孕关爱行动", [], "")) == {"women-children", "health"}


def test_a_keyword_that_is_a_verb_around_a_name_says_nothing_of_its_field():
    scheme = _sectors()
    # 统筹 names pooling in an insurance's name, and is a verb in the sentence around a name
    assert "social-insurance" in scheme.classify("基本医疗保险省级统筹", [], "")
    assert scheme.classify("渝悦家园", ["统筹推进“渝悦家园”建设。"], "") == ["public-services"]
    assert scheme.classify("渝悦家园", ["统筹推进“渝悦家园”建设，扩大社会保险覆盖面。"], "") == ["social-insurance"]
    # 民生 names the field in a name only: around one it is a slogan's word (…强监管、惠民生)
    assert scheme.about_livelihood("民生十大工程", "实施“民生十大工程”。")
    assert not scheme.about_livelihood("一张图", "建设耕地空间治理“一张图”，强监管、惠民生。")
    # the three of medicine (三医: care, insurance, drugs) and delivering homes are fields of their own
    assert scheme.classify("三医协同", [], "") == ["health"]
    assert scheme.classify("保交房", [], "") == ["housing-urban-renewal"]
    # land and forests are environment: a plan about them is not a livelihood program
    assert not scheme.about_livelihood("补充耕地质量验收试点", "完成补充耕地质量验收试点。")
    assert not scheme.about_livelihood("清水绿岸", "统筹治城治乡，建成“清水绿岸”河段，城市建成区绿地率提高。")


def test_a_missing_word_list_is_an_error_naming_its_path(tmp_path):
    missing = tmp_path / "no_such_heads.txt"
    with pytest.raises(KgError, match=re.escape(str(missing))):
        make_nlp({"ms_target_groups": {"group_heads": str(missing)}})
    with pytest.raises(KgError, match=re.escape(str(vocab.DATA / "no_such_verbs.txt"))):
        make_nlp({"ms_speakers": {"speech_verbs": "no_such_verbs.txt"}})


def test_a_new_facility_works_word_makes_an_institution_a_facility(tmp_path):
    text = "推进沙坪坝区人民医院改造。"
    assert ("Organization", "沙坪坝区人民医院") in _entities(text)
    works = _list_file(tmp_path, "facility_works.txt", add=["改造"])
    assert ("Organization", "沙坪坝区人民医院") not in _entities(text, make_nlp({"ms_organizations": {"facility_works": works}}))


def test_a_new_following_noun_makes_a_quoted_name_no_program(tmp_path):
    text = "我市推行“三社联动”服务。"
    assert ("Program", "三社联动") in _entities(text)
    nouns = _list_file(tmp_path, "program_following_nouns.txt", add=["服务"])
    assert ("Program", "三社联动") not in _entities(text, make_nlp({"ms_programs": {"program_following_nouns": nouns}}))


def test_sector_matches_count_every_keyword_occurrence_as_a_full_scan_would():
    scheme = _sectors()
    for text in ("城乡居民基本养老保险", "推进养老服务和托育服务，养老保险全国统筹", "产业园区", ""):
        full = {key: n for key, kws in scheme.sectors.items() if (n := sum(text.count(k) for k in kws))}
        assert scheme.matches(text) == full
