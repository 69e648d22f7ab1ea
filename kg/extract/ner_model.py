"""A spaCy NER model trained on CLUENER2020, MSRA and Resume NER (training/ner/) as the
alternative to LAC: the same PER/ORG/LOC spans in each Sentence's `lac` and in doc.spans['lac'],
so ms_officials and ms_organizations read them unchanged.

The model works on character tokens (spacy.blank("zh") with the "char" segmenter), so its
entity offsets are character offsets within the sentence, as LAC's are. Like ms_lac it runs only
on the sentences where its spans can change the answer (lac.cued). The build uses it instead of
ms_lac when KG_NER_MODEL names the model's folder (kg/extract/pipeline.py).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from kg.extract.lac import LacTagger

LABELS = ("PER", "ORG", "LOC")


@lru_cache(maxsize=2)
def _model(path: str) -> Language:
    return spacy.load(path)


def tag(path: str, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """Person, organization and place spans of each text (character offsets)."""
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS]
            for doc in _model(path).pipe(texts)]


@Language.factory("ms_ner_model", assigns=["doc.spans"],
                  default_config={"model": "", "only_cued": True, "post_titles": "post_titles.txt",
                                  "agency_heads": "agency_heads.txt", "agency_head_false": "agency_head_false.txt"})
class NerModelTagger(LacTagger):
    """ms_lac's job done by the trained model at `model` (a spaCy pipeline folder)."""

    def __init__(self, nlp: Language, name: str, model: str, only_cued: bool, post_titles: str,
                 agency_heads: str, agency_head_false: str):
        if not model:
            raise ValueError("ms_ner_model needs the path of a trained model (config 'model')")
        super().__init__(nlp, name, only_cued, post_titles, agency_heads, agency_head_false)
        self.model = model

    def tag(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return tag(self.model, texts)
