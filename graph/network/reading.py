"""Read the statements a projection needs straight from the store's engine, allow-list applied.

Copying the whole store into an rdflib graph (``CaseStore.graph``) and filtering it with
:func:`graph.visibility.public_subgraph` costs more than the projection itself. Here only the
predicates the projection reads are fetched, each through the engine's own index, and the same
allow-list is applied statement by statement: a statement about a record passes only when that
record is public, any record it points at must be public too, and a statement about anything else
passes only when the shipped ontology or vocabularies state it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from graph.namespaces import CG, ID
from graph.network.projection import Facts
from graph.rdf_terms import from_engine
from graph.store import CaseStore

__all__ = ["store_facts"]


def predicates_of(facts: Facts) -> list[URIRef]:
    """The predicates a projection reads, in a fixed order."""
    return sorted(URIRef(str(p)) for p in facts.predicates)


def store_facts(
    store: CaseStore, predicates: Iterable[URIRef], include_restricted: bool = False
) -> Facts:
    """The statements of ``predicates`` in the store's default graph, as :class:`Facts`: those
    that may be published only (the rules of ``public_subgraph``), unless ``include_restricted``."""
    engine = store.backend.engine
    default = ox.DefaultGraph()
    records = str(ID)
    facts = Facts(predicates)
    terms: dict[object, Node] = {}

    def term(value: object) -> Node:
        found = terms.get(value)
        if found is None:
            found = terms[value] = from_engine(value)
        return found

    def is_record(value: object) -> bool:
        return isinstance(value, ox.NamedNode) and value.value.startswith(records)

    allowed: set[object] = set()
    shipped = None
    if not include_restricted:
        from graph.resources import ontology_graph

        shipped = ontology_graph()
        public = engine.quads_for_pattern(
            None, ox.NamedNode(str(CG.visibility)), ox.NamedNode(str(CG.Public)), default
        )
        allowed = {q.subject for q in public if is_record(q.subject)}
    for prop in predicates_of(facts):
        for quad in engine.quads_for_pattern(None, ox.NamedNode(str(prop)), None, default):
            subject, value = quad.subject, quad.object
            if shipped is not None:
                if is_record(subject):
                    if subject not in allowed:
                        continue
                elif (term(subject), prop, term(value)) not in shipped:
                    continue
                if is_record(value) and value not in allowed:
                    continue
            facts.add(term(subject), prop, term(value))
    return facts
