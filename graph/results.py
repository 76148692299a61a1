"""Query results as text: a readable table, CSV, TSV, SPARQL 1.1 JSON, or Turtle for graphs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rdflib import BNode, URIRef
from rdflib.term import Node

from graph.namespaces import CG, CGV, ID
from graph.outputs import csv_text
from graph.rdf_terms import json_term

__all__ = ["FORMATS", "PREFIXES", "format_rows", "short", "table_lines"]

FORMATS = ("table", "csv", "tsv", "json")

#: Prefixes used to shorten IRIs in tables and Turtle output.
PREFIXES = {
    "cg": str(CG._NS),
    "cgv": str(CGV._NS),
    "cgd": str(ID),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
}


def short(term: Node | None) -> str:
    """A term as a person reads it: prefixed IRIs, bare literal values.

    >>> from rdflib import Literal
    >>> short(ID["javid_khales"]), short(Literal("26"))
    ('cgd:javid_khales', '26')
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in PREFIXES.items():
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
        return f"<{text}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def table_lines(columns: Sequence[str], rows: Sequence[dict[str, Node]], width: int) -> list[str]:
    """The header, the rule and one line per row of a readable table (no row count)."""
    cells = [[short(row.get(c)).replace("\n", " ") for c in columns] for row in rows]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in r] for r in cells]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return lines


def _table(columns: Sequence[str], rows: Sequence[dict[str, Node]], width: int) -> str:
    lines = table_lines(columns, rows, width)
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def format_rows(
    columns: Sequence[str], rows: Sequence[dict[str, Node]], fmt: str = "table", width: int = 60
) -> str:
    """SELECT results in one of :data:`FORMATS`; CSV and TSV cells are spreadsheet-safe (see
    :func:`graph.outputs.csv_text`), JSON keeps every value as it is."""
    if fmt == "table":
        return _table(columns, rows, width)
    if fmt in ("csv", "tsv"):
        cells = [["" if row.get(c) is None else str(row[c]) for c in columns] for row in rows]
        return csv_text([list(columns), *cells], "," if fmt == "csv" else "\t")
    if fmt == "json":
        payload = {
            "head": {"vars": list(columns)},
            "results": {
                "bindings": [
                    {c: json_term(row[c]) for c in columns if row.get(c) is not None}
                    for row in rows
                ]
            },
        }
        return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)
    raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
