"""The NER training data (training/ner/prepare.py): CLUENER records and BMES sentences become
character-token Docs whose entities are the PER/ORG/LOC spans ms_officials and ms_organizations read."""

import spacy

from repo_files import load_module


def _prepare():
    return load_module("training/ner/prepare.py")


def test_cluener_record_maps_inclusive_offsets_and_labels():
    prepare = _prepare()
    record = {"text": "浙商银行企业信贷部叶老桂博士在北京说，叶老桂认为",
              "label": {"name": {"叶老桂": [[9, 11], [19, 21]]}, "company": {"浙商银行": [[0, 3]]},
                        "address": {"北京": [[15, 16]]}, "position": {"博士": [[12, 13]]}}}
    text, spans = prepare.cluener_spans(record)
    assert spans == [(0, 4, "ORG"), (9, 12, "PER"), (15, 17, "LOC"), (19, 22, "PER")]  # position dropped
    assert [text[a:b] for a, b, _ in spans] == ["浙商银行", "叶老桂", "北京", "叶老桂"]


def test_bmes_sentences_map_msra_and_resume_tags():
    prepare = _prepare()
    lines = ["中 B-NT", "共 M-NT", "中 M-NT", "央 E-NT", "致 O", "京 S-NS", "",
             "张 B-NAME", "三 E-NAME", "任 O", "经 B-TITLE", "理 E-TITLE", "\n"]
    sentences = list(prepare.bmes_sentences(lines))
    assert sentences == [("中共中央致京", [(0, 4, "ORG"), (5, 6, "LOC")]),
                         ("张三任经理", [(0, 2, "PER")])]  # TITLE dropped


def test_docs_are_character_tokens_with_the_spans_as_entities():
    prepare = _prepare()
    doc = prepare.to_doc(spacy.blank("zh"), "张三在重庆市工作", [(0, 2, "PER"), (3, 6, "LOC"), (4, 6, "LOC")])
    assert len(doc) == 8  # one token per character
    assert [(e.text, e.label_) for e in doc.ents] == [("张三", "PER"), ("重庆市", "LOC")]  # the overlap dropped
