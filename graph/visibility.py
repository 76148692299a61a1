"""The allow-list that decides what may leave the store, for an in-memory rdflib graph.

The rules are those of the store's public view (:mod:`graph.public_view`), applied by the same
code: the graph is copied into an in-memory engine, so there is one allow-list, not two.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.namespaces import ID

__all__ = ["is_record", "public_subgraph"]


def is_record(term: Node) -> bool:
    """Whether a term names a researcher's record (or a claim inside one).

    >>> is_record(ID["javid_khales"]), is_record(URIRef("https://w3id.org/casegraph/ontology#Person"))
    (True, False)
    """
    return isinstance(term, URIRef) and str(term).startswith(str(ID))


def public_subgraph(graph: Graph, restricted: Iterable[tuple[Node, Node, Node]] = ()) -> Graph:
    """The statements of ``graph`` that may be published: public records only, links between
    them only, never a statement in ``restricted`` (what only restricted claims made, e.g.
    ``Statements.restricted_triples``), keys derived from restricted records replaced.

    A statement about a record passes only when the record carries ``cg:visibility cg:Public``
    (a record without a visibility is restricted) and any record it points at does too. Any other
    statement passes only if it belongs to the shipped ontology or vocabularies; everything else
    (blank nodes, other IRIs from a hand-written RDF file) is left out.
    """
    import pyoxigraph as ox

    from graph.namespaces import RESTRICTED
    from graph.public_view import public_quads
    from graph.rdf_terms import from_engine, to_engine_quads

    engine = ox.Store()
    engine.extend(to_engine_quads(graph, None))
    engine.extend(to_engine_quads(restricted, RESTRICTED["in-memory"]))
    kept = Graph()
    for prefix, namespace in graph.namespaces():
        kept.bind(prefix, namespace, override=True)
    for quad in public_quads(engine):
        kept.add((from_engine(quad.subject), from_engine(quad.predicate), from_engine(quad.object)))
    return kept
