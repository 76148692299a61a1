"""Converting RDF terms between rdflib (the library's API) and the embedded engine's own types."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.graph import Graph
from rdflib.term import Node

__all__ = ["from_engine", "json_term", "solution_rows", "text_of", "to_engine", "to_engine_quads"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_engine(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the engine's term.

    >>> to_engine(URIRef("https://example.org/a"))
    <NamedNode value=https://example.org/a>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store an RDF term of type {type(term).__name__}")


def from_engine(term: object) -> Node:
    """An engine term as an rdflib term.

    >>> from_engine(ox.Literal("1404", language="fa"))
    rdflib.term.Literal('1404', lang='fa')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert an engine term of type {type(term).__name__}")


def text_of(term: object) -> str:
    """The lexical value of an engine term (IRI, blank node id or literal text).

    >>> text_of(ox.NamedNode("https://example.org/a"))
    'https://example.org/a'
    """
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    raise TypeError(f"no text for an engine term of type {type(term).__name__}")


def to_engine_quads(
    graph: Graph | Iterable[tuple[Node, Node, Node]], graph_name: URIRef | None
) -> Iterator[ox.Quad]:
    """The triples of a graph as quads in ``graph_name`` (None: the default graph)."""
    target = ox.DefaultGraph() if graph_name is None else ox.NamedNode(str(graph_name))
    for s, p, o in graph:
        yield ox.Quad(to_engine(s), to_engine(p), to_engine(o), target)  # type: ignore[arg-type]


def solution_rows(
    solutions: ox.QuerySolutions,
) -> tuple[list[str], list[dict[str, Node]]]:
    """The engine's SELECT solutions as (column names, rows of rdflib terms; unbound left out)."""
    columns = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        row: dict[str, Node] = {}
        for name in columns:
            value = solution[name]
            if value is not None:
                row[name] = from_engine(value)
        rows.append(row)
    return columns, rows


def json_term(term: Node) -> dict[str, str]:
    """An rdflib term as a SPARQL 1.1 JSON results term.

    >>> json_term(Literal("26", lang="fa"))
    {'type': 'literal', 'value': '26', 'xml:lang': 'fa'}
    """
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if not isinstance(term, Literal):
        raise TypeError(f"not an RDF term: {type(term).__name__}")
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out
