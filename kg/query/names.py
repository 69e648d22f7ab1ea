"""`kg list`: the names one can ask about (programs, districts, officials, organizations, target
groups), each with counts that say how much the graph knows of it, most mentioned first.

The queries are queries/list/KIND.rq; every name and other name listed works as a `--param`
value of `kg query`, and the iri column is a SPARQL term (table) or the full IRI (CSV, JSON).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from kg.csv_safe import csv_text
from kg.errors import UsageError
from kg.query.runner import PREFIX_MAP, compact, table

LISTS = Path(__file__).with_name("queries") / "list"
KINDS = ("programs", "districts", "officials", "organizations", "groups")
FORMATS = ("table", "csv", "json")


def list_names(store: ox.Store, kind: str) -> tuple[list[str], list[list]]:
    """The columns and rows of one list; cells are pyoxigraph terms or None."""
    if kind not in KINDS:
        raise UsageError(f"kg list {kind!r}: choose one of {', '.join(KINDS)}")
    result = store.query((LISTS / f"{kind}.rq").read_text(encoding="utf-8"), prefixes=PREFIX_MAP)
    columns = [v.value for v in result.variables]
    return columns, [[row[c] for c in columns] for row in result]


def _json_value(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value.endswith("#integer"):
        return int(term.value)
    return term.value


def format_names(listing: tuple[list[str], list[list]], fmt: str = "table", bom: bool = False) -> str:
    columns, rows = listing
    if fmt == "table":
        return table(columns, [[compact(cell) for cell in row] for row in rows])
    if fmt == "csv":
        return csv_text(columns, ([_json_value(c) for c in row] for row in rows), bom=bom)
    if fmt == "json":
        return json.dumps([dict(zip(columns, map(_json_value, row))) for row in rows], ensure_ascii=False, indent=1)
    raise UsageError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
