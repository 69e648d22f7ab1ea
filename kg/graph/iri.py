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
    """`article/<file id>-<n>`; the file id is a path, so any character an IRI may not hold is
    percent-encoded (a name that already is a valid IRI keeps its IRI)."""
    return MSR[f"article/{iri_path(article_id)}"]


# RFC 3987 ipath characters: iunreserved, sub-delims, ":", "@", "/" (ucschar is tested below).
_IRI_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/")
_UCSCHAR = ((0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF)) + tuple(
    (plane, plane + 0xFFFD) for plane in range(0x10000, 0xE0000, 0x10000)) + ((0xE1000, 0xEFFFD),)


def _iri_char(ch: str) -> bool:
    if ch in _IRI_SAFE:
        return True
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _UCSCHAR)


def iri_path(text: str) -> str:
    """`text` as IRI path characters: "%", space, "<", ">", "#", "?", controls... as %XX of UTF-8."""
    return "".join(ch if _iri_char(ch) else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
                   for ch in text)


def indicator(article_id: str, metric: str, value: str, unit: str, start: int) -> URIRef:
    return MSR[f"indicator/{iri_path(article_id)}/{_digest(metric, value, unit, str(start))}"]


def evidence(subject: URIRef, predicate: URIRef, obj: URIRef, article_id: str, start: int) -> URIRef:
    return MSR[f"evidence/{iri_path(article_id)}/{_digest(subject, predicate, obj, str(start), length=12)}"]
