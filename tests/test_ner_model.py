"""ms_ner_model, the trained alternative to LAC: it writes LAC's span format from whatever spaCy
NER pipeline it is given, and KG_NER_MODEL puts it in ms_lac's place. A small pipeline with an
entity ruler stands in for the trained model in the plumbing tests (no training in tests); the
last test loads the committed model."""

from pathlib import Path

import spacy

from kg.extract import ner_model
from kg.extract.context import make_text_doc, sentences
from kg.extract.model import OFFICIAL
from kg.extract.pipeline import make_nlp


def _model(tmp_path):
    nlp = spacy.blank("zh")  # character tokens, as the trained model has
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": "李明华"}, {"label": "ORG", "pattern": "民政局"},
                        {"label": "TIME", "pattern": "今天"}])
    nlp.to_disk(tmp_path / "model")
    return str(tmp_path / "model")


def test_the_model_spans_are_lac_spans_and_the_rules_run_on_them(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_NER_MODEL", _model(tmp_path))
    nlp = make_nlp()
    assert nlp.pipe_names[0] == "ms_ner_model"
    text = "今天区民政局局长李明华调研养老服务。"
    doc = make_text_doc(nlp, text)
    for name in ("ms_ner_model", "ms_areas", "ms_organizations", "ms_officials"):
        doc = nlp.get_pipe(name)(doc)
    sent = sentences(doc)[0]
    assert [(text[a:b], label) for a, b, label in sent.lac] == [("民政局", "ORG"), ("李明华", "PER")]  # no TIME
    assert [(s.text, s.label_) for s in doc.spans["lac"]] == [("民政局", "ORG"), ("李明华", "PER")]
    officials = [m.text for m in doc.spans["mentions"] if m.label_ == OFFICIAL]
    assert officials == ["李明华"]


def test_uncued_sentences_are_not_tagged(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_NER_MODEL", _model(tmp_path))
    nlp = make_nlp()
    doc = nlp.get_pipe("ms_ner_model")(make_text_doc(nlp, "李明华今天去了公园。"))
    assert sentences(doc)[0].lac == [] and list(doc.spans["lac"]) == []


def test_lac_stays_the_default(monkeypatch):
    monkeypatch.delenv("KG_NER_MODEL", raising=False)
    assert make_nlp().pipe_names[0] == "ms_lac"


def test_the_committed_model_finds_a_person():
    model = Path(__file__).resolve().parents[1] / "training/ner/model-best"
    spans = ner_model.tag(str(model), ["公安部经济犯罪侦查局副局长张涛说"])[0]
    assert (13, 15, "PER") in spans
