"""The answer formats of the SPARQL endpoint: content negotiation, and the SPARQL 1.1 results
serialisations (JSON, XML, CSV, TSV) and RDF serialisations (Turtle, N-Triples, JSON-LD, RDF/XML).

CSV is the one casegraph writes everywhere (a cell a spreadsheet could run as a formula gets a
``'``, see :func:`graph.outputs.spreadsheet_safe`); TSV keeps RDF terms in their N-Triples form, as
the SPARQL 1.1 TSV format asks, so it round-trips exactly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.namespaces import SPARQL_RESULTS
from graph.outputs import spreadsheet_safe_row
from graph.results import PREFIXES, format_rows
from graph.sandbox import Answer

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "Format",
    "NotAcceptable",
    "choose",
    "graph_body",
    "results_body",
]


@dataclass(frozen=True)
class Format:
    """One answer format: its name (as ``?format=`` gives it) and media type."""

    name: str
    media_type: str


RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
}
_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
_GRAPH_MEDIA = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}
#: ``?format=`` values (the names SPARQLWrapper and browsers' download links use).
_ALIASES = {
    "json": "json",
    "xml": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "n3": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "json-ld": "json-ld",
    "jsonld": "json-ld",
    "rdf+xml": "xml",
    "rdf": "xml",
    "rdfxml": "xml",
}


class NotAcceptable(ValueError):
    """No format the client accepts fits the answer."""


def _accepted(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header, best first (stable for equal weights)."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        weight = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        ranges.append((pieces[0].lower(), weight, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, weight) for media, weight, _ in ranges if weight > 0]


def choose(kind: str, accept: str | None, requested: str | None) -> Format:
    """The format of an answer of ``kind`` ("triples" or solutions/boolean): ``?format=`` when
    given, else the best media type of the Accept header; SPARQL JSON (Turtle for graphs) when
    the client accepts anything."""
    graph = kind == "triples"
    media = _GRAPH_MEDIA if graph else _MEDIA
    if requested:
        name = _ALIASES.get(requested.strip().lower())
        if name == "json" and graph:
            name = "json-ld"
        if name is None or name not in media:
            known = ", ".join(sorted({k for k, v in _ALIASES.items() if v in media}))
            raise NotAcceptable(
                f"format '{requested}' does not fit this answer; use one of {known}"
            )
        return Format(name, media[name])
    table = GRAPH_TYPES if graph else RESULT_TYPES
    default = "turtle" if graph else "json"
    ranges = _accepted(accept or "*/*")
    for range_, _ in ranges:
        if range_ in table:
            return Format(table[range_], media[table[range_]])
        if range_ in ("*/*", "application/*", "text/*"):
            major = range_.split("/")[0]
            name = default if major in ("*", media[default].split("/")[0]) else None
            if name is None:  # text/* for JSON results: CSV; application/* for Turtle: N-Triples
                name = "csv" if not graph else "nt"
            return Format(name, media[name])
    raise NotAcceptable(
        "none of the formats in the Accept header fits this answer; accepted: "
        + ", ".join(sorted(set(media.values())))
    )


def _nt_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'


def _tsv_term(term: Node) -> str:
    """A term as SPARQL TSV writes it: N-Triples syntax."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = _nt_string(str(term))
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{term.datatype}>"
        return text
    return _nt_string(str(term))


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attributes = ""
    if isinstance(term, Literal) and term.language:
        attributes = f" xml:lang={quoteattr(term.language)}"
    elif isinstance(term, Literal) and term.datatype is not None:
        attributes = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attributes}>{escape(str(term))}</literal>"


def _xml(columns: Sequence[str], rows: Sequence[dict[str, Node]], boolean: bool | None) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<sparql xmlns={quoteattr(str(SPARQL_RESULTS))}>",
        "<head>",
        *(f"<variable name={quoteattr(c)}/>" for c in columns),
        "</head>",
    ]
    if boolean is not None:
        lines.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
    else:
        lines.append("<results>")
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(c)}>{_xml_term(row[c])}</binding>"
                for c in columns
                if row.get(c) is not None
            )
            lines.append(f"<result>{cells}</result>")
        lines.append("</results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def results_body(answer: Answer, fmt: Format) -> str:
    """A SELECT or ASK answer in ``fmt``."""
    boolean = answer.boolean if answer.kind == "boolean" else None
    if fmt.name == "xml":
        return _xml(answer.columns, answer.rows, boolean)
    if boolean is not None:
        if fmt.name == "json":
            return json.dumps({"head": {}, "boolean": boolean})
        return f"_askResult\n{'true' if boolean else 'false'}\n"
    if fmt.name == "tsv":
        lines = ["\t".join(f"?{c}" for c in answer.columns)]
        lines += [
            "\t".join("" if row.get(c) is None else _tsv_term(row[c]) for c in answer.columns)
            for row in answer.rows
        ]
        return "\n".join(lines) + "\n"
    if fmt.name == "csv":
        return _csv(answer.columns, answer.rows)
    return format_rows(answer.columns, answer.rows, fmt.name)


def _csv(columns: Sequence[str], rows: Sequence[dict[str, Node]]) -> str:
    """SPARQL 1.1 CSV (lines end in CRLF), every cell spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        cells = ["" if row.get(c) is None else str(row[c]) for c in columns]
        writer.writerow(spreadsheet_safe_row(cells))
    return out.getvalue()


def graph_body(graph: Graph, fmt: Format) -> str:
    """A CONSTRUCT or DESCRIBE answer (or any graph) in ``fmt``."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph.serialize(format=fmt.name)
