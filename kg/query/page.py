"""The query page `kg serve` answers GET / with: YASGUI (vendored in static/, see its NOTICE.md)
on this endpoint, the named queries of queries/ offered as examples, and nothing from any other
host (its Content-Security-Policy lets the browser fetch only from this origin)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from kg.query.runner import PREFIX_MAP, named_queries

STATIC = Path(__file__).with_name("static")
# What the page loads, by URL path: nothing else is served, so no path reaches another file.
ASSETS = {
    "/yasgui.min.js": ("yasgui.min.js", "text/javascript"),
    "/yasgui.min.css": ("yasgui.min.css", "text/css"),
    "/page.js": ("page.js", "text/javascript"),
}
HEADERS = {
    # inline styles stay allowed: YASGUI and CodeMirror set them; scripts only from files here
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
_WHERE = re.compile(r"WHERE\s*\{", re.I)
_EXAMPLE_NAME = re.compile(r"\(([^()]*[\u4e00-\u9fff][^()]*)\)")  # 沙坪坝区 in "its name (沙坪坝区)"


def example_query(name: str) -> str:
    """A named query as the page offers it: runnable as it is, each parameter a commented line
    to uncomment and fill in (by name or alias, as `kg query --param` takes them), and PREFIX
    lines for the prefixes it uses, so the editor's checker (and any other endpoint) accepts it."""
    named = named_queries()[name]
    text, where = named.text, _WHERE.search(named.text)
    if where is not None and named.params:
        hints = []
        for param, (meaning, required) in named.params.items():
            example = _EXAMPLE_NAME.search(meaning)
            hints.append(f"\n  # {param}{'' if required else ' (optional)'}: {meaning}; to ask about one, uncomment:"
                         f"\n  # ?{param} rdfs:label|skos:altLabel \"{example[1] if example else '…'}\"@zh .")
        text = text[:where.end()] + "".join(hints) + text[where.end():]
    used = [p for p in PREFIX_MAP if re.search(rf"(?<![\w:]){p}:", text)]
    lines = text.splitlines(keepends=True)
    head = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "".join(lines[:head] + [f"PREFIX {p}: <{PREFIX_MAP[p]}>\n" for p in used] + lines[head:])


@lru_cache(maxsize=1)
def page_html() -> bytes:
    examples = [{"name": q.name, "description": q.description, "query": example_query(q.name)}
                for q in named_queries().values()]
    data = json.dumps(examples, ensure_ascii=False).replace("<", "\\u003c")  # no </script> inside
    return (STATIC / "index.html").read_text(encoding="utf-8").replace("{{EXAMPLES}}", data).encode("utf-8")


@lru_cache(maxsize=None)
def asset(path: str) -> tuple[bytes, str] | None:
    """The body and media type of a file the page loads, or None."""
    if path not in ASSETS:
        return None
    name, media = ASSETS[path]
    return (STATIC / name).read_bytes(), media
