"""Where every entity IRI is minted.

Areas are keyed by their division code (msr:area/500102); everything else by a
deterministic slug of its canonical name: pinyin for readability, plus a short
hash of the Chinese name so homophones never collide. The same input always
yields the same IRIs.
"""

from __future__ import annotations

import hashlib
import re

from pypinyin import lazy_pinyin
from rdflib import URIRef

from kg.namespaces import MSR

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def _digest(*parts: str, length: int = 8) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def slug(name: str, max_words: int = 12) -> str:
    """`渝好空间` -> `yu-hao-kong-jian-1a2b3c4d`: ASCII, readable, unique per name."""
    words = [w.lower() for w in lazy_pinyin(name)][:max_words]
    readable = _NON_SLUG.sub("-", "-".join(words)).strip("-")
    return f"{readable}-{_digest(name)}" if readable else _digest(name)


def area(code: str) -> URIRef:
    """An area with a division code (municipality, district, subdistrict)."""
    return MSR[f"area/{code}"]


def community(parent_code: str, name: str) -> URIRef:
    """Communities and villages have no code in the reference data: parent code + slug."""
    return MSR[f"area/{parent_code}/{slug(name)}"]


def program(name: str) -> URIRef:
    return MSR[f"program/{slug(name)}"]


def official(name: str) -> URIRef:
    return MSR[f"official/{slug(name)}"]


def organization(name: str) -> URIRef:
    return MSR[f"org/{slug(name)}"]


def post(org_name: str, title: str) -> URIRef:
    """One node per post: the title within one organization (市民政局 + 局长)."""
    return MSR[f"post/{slug(org_name)}/{slug(title)}"]


def target_group(name: str) -> URIRef:
    return MSR[f"group/{slug(name)}"]


def sector(key: str) -> URIRef:
    """Sectors have fixed English keys in ontology/sectors.ttl (msr:sector/employment)."""
    return MSR[f"sector/{key}"]


def article(article_id: str) -> URIRef:
    return MSR[f"article/{article_id}"]


def indicator(article_id: str, metric: str, value: str, unit: str, start: int) -> URIRef:
    return MSR[f"indicator/{article_id}/{_digest(metric, value, unit, str(start))}"]


def evidence(subject: URIRef, predicate: URIRef, obj: URIRef, article_id: str, start: int) -> URIRef:
    return MSR[f"evidence/{article_id}/{_digest(subject, predicate, obj, str(start), length=12)}"]
