"""Recognizes target groups from the ontology's target-group scheme (label + altLabels).

Whether a group becomes a graph entity is decided by the links: a group counts when a
program serves it, not when it is only the subject of a statistic (guide).
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import vocab
from kg.extract.context import text_of, add_mention
from kg.extract.model import GROUP, Mention


@lru_cache(maxsize=1)
def _regex() -> re.Pattern:
    return re.compile(vocab.alternation(vocab.target_groups()))


@Language.factory("ms_target_groups")
class TargetGroupRecognizer:
    def __init__(self, nlp: Language, name: str = "ms_target_groups"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        terms = vocab.target_groups()
        for m in _regex().finditer(text_of(doc)):
            term = terms[m.group()]
            add_mention(doc, Mention(GROUP, m.start(), m.end(), m.group(), term.label, {"broader": term.broader}))
        return doc
