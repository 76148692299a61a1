"""The allow-list that decides what may leave the store: only public records, only links between them."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.namespaces import CG, ID

__all__ = ["is_record", "public_records", "public_subgraph"]


def is_record(term: Node) -> bool:
    """Whether a term names a researcher's record (or a claim inside one).

    >>> is_record(ID["javid_khales"]), is_record(CG.Person)
    (True, False)
    """
    return isinstance(term, URIRef) and str(term).startswith(str(ID))


def public_records(graph: Graph) -> set[URIRef]:
    """The records that say, themselves, that they are public."""
    return {s for s in graph.subjects(CG.visibility, CG.Public) if is_record(s)}  # type: ignore[misc]


def public_subgraph(graph: Graph) -> Graph:
    """The statements that may be published: about public records, pointing only at public records.

    A statement about a record passes only when the record carries ``cg:visibility cg:Public`` (a
    record without a visibility is restricted) and any record it points at does too. Any other
    statement passes only if it belongs to the shipped ontology or vocabularies; everything else
    (blank nodes, other IRIs from a hand-written RDF file) is left out.
    """
    from graph.resources import ontology_graph

    shipped = ontology_graph()
    allowed = public_records(graph)
    kept = Graph()
    for prefix, namespace in graph.namespaces():
        kept.bind(prefix, namespace, override=True)
    for s, p, o in graph:
        if is_record(s):
            if s not in allowed:
                continue
        elif (s, p, o) not in shipped:
            continue
        if is_record(o) and o not in allowed:
            continue
        kept.add((s, p, o))
    return kept
